// The GSME as a sleepy actor driven by hand (the test plays its CHF): wake-ups on its own grid, the mirror update
// and the poll at each, the mailbox, sleep; and the valve, clock and firmware use cases answered after a wake-up
// in the shape of the RTDS 4.5.0 SUCCESS responses.
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import {
  createGsme,
  GSME_CODES,
  GSME_COMMANDS,
  nextWakeAfter,
  SLEEP_TIMER,
  stepGsme,
  WAKE_TIMER,
  wakePhaseOf,
} from '../../src/devices/gsme.js';
import type { GasMirror } from '../../src/devices/types.js';
import { HAVE_VECTORS } from '../vectors.js';
import {
  armValve,
  atFirstWake,
  CHF,
  changeSupply,
  closeValve,
  criticalCommand,
  deliverAtWake,
  deviceInit,
  env,
  expectRtdsShape,
  framesTo,
  gasCommand,
  GPF,
  GSME,
  joinedGsme,
  mailbox,
  notes,
  payloadShape,
  readAttributes,
  readSupplyStatus,
  gbz,
  sentToHub,
  setTime,
  T0,
  theResponse,
  timerAt,
  wake,
  zclPayloads,
} from '../support/gas-commands.js';

const MINUTE = 60_000;

describe('GSME wake cycle', () => {
  it('wakes every 30 minutes by default, on a grid offset by a phase derived from its EUI-64', () => {
    const { state, wakeAt } = joinedGsme();
    expect(state.wakeIntervalMs).toBe(30 * MINUTE);
    expect(state.wakePhaseMs).toBe(wakePhaseOf(GSME, 30 * MINUTE));
    expect(wakeAt).toBeGreaterThan(T0);
    expect(wakeAt - T0).toBeLessThanOrEqual(30 * MINUTE);
    expect((wakeAt - state.wakePhaseMs) % state.wakeIntervalMs).toBe(0);
  });

  it('spreads a fleet: GSMEs with other EUI-64s wake at other times, deterministically', () => {
    const phases = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const eui = eui64(`00DB1234${i.toString(16).padStart(6, '0')}A1`);
      expect(wakePhaseOf(eui, 30 * MINUTE)).toBe(wakePhaseOf(eui, 30 * MINUTE));
      phases.add(wakePhaseOf(eui, 30 * MINUTE));
    }
    expect(phases.size).toBeGreaterThan(45);
  });

  it('takes a configured interval and phase', () => {
    const { state, wakeAt } = joinedGsme({ wakeIntervalMs: 5 * MINUTE, wakePhaseMs: 60_000 });
    expect(wakeAt).toBe(T0 + 60_000);
    expect(nextWakeAfter(state, wakeAt)).toBe(T0 + 6 * MINUTE);
    expect(() => createGsme({ ...deviceInit(GSME), gpf: GPF, wakeIntervalMs: 0 })).toThrow(RangeError);
    expect(() =>
      createGsme({ ...deviceInit(GSME), gpf: GPF, wakeIntervalMs: 1000, wakePhaseMs: 1000 }),
    ).toThrow(RangeError);
  });

  it('does not start its wake cycle before it has joined the SMHAN', () => {
    const fresh = createGsme({ ...deviceInit(GSME), gpf: GPF });
    const powered = stepGsme(fresh, { type: 'power', on: true }, T0, env);
    expect(timerAt(powered.effects, WAKE_TIMER)).toBeUndefined();
    expect(framesTo(powered.effects, CHF).map((f) => f.type)).toEqual(['join-request']);
  });

  it('at a wake-up sends its mirror to the GPF, then polls its CHF', () => {
    const { state, wakeAt } = joinedGsme({ consumption: 123_456 });
    const woken = wake(state, wakeAt);
    expect(woken.state.awake).toBe(true);
    const hanEffects = woken.effects.filter((e) => e.kind === 'han');
    expect(hanEffects.map((e) => e.kind === 'han' && [e.to, e.frame.type])).toEqual([
      [GPF, 'mirror-update'],
      [CHF, 'gsme-poll'],
    ]);
    const [update] = framesTo(woken.effects, GPF);
    const mirror = (update as { mirror: GasMirror }).mirror;
    expect(mirror).toMatchObject({ gsmeTimeMs: wakeAt, consumption: 123_456, valve: 'open' });
    expect(mirror.registers?.batteryDays).toBeGreaterThan(0);
  });

  it('ignores frames while asleep (radio off) and notes them', () => {
    const { state, wakeAt } = joinedGsme();
    const command = readSupplyStatus(1n);
    const asleep = mailbox(state, command, 0, wakeAt - 1000);
    expect(asleep.state).toBe(state);
    expect(asleep.effects.every((e) => e.kind === 'note')).toBe(true);
    expect(notes(asleep.effects)[0]).toMatch(/asleep/);
    const direct = stepGsme(
      state,
      { type: 'han', from: CHF, frame: { type: 'gbcs', bytes: command } },
      wakeAt - 1,
      env,
    );
    expect(direct.state).toBe(state);
  });

  it('answers a command only after its next wake-up, when it polls; then sleeps until the next grid point', () => {
    const { state, wakeAt } = joinedGsme();
    const session = deliverAtWake(state, wakeAt, readSupplyStatus(1n));
    expect(sentToHub(session.effects).map((m) => m.header.cra)).toEqual([2]);
    expect(session.state.awake).toBe(false);
    expect(session.wakeAt).toBe(wakeAt + state.wakeIntervalMs);
  });

  it('polls again while messages remain, and sleeps on an empty mailbox', () => {
    const { state, wakeAt } = joinedGsme();
    const woken = wake(state, wakeAt);
    const first = mailbox(woken.state, readSupplyStatus(1n), 1, wakeAt + 10);
    expect(first.state.awake).toBe(true);
    expect(framesTo(first.effects, CHF).map((f) => f.type)).toEqual(['gbcs', 'gsme-poll']);
    const second = mailbox(first.state, null, 0, wakeAt + 20);
    expect(second.state.awake).toBe(false);
    expect(timerAt(second.effects, WAKE_TIMER)).toBe(wakeAt + state.wakeIntervalMs);
    expect(second.effects).toContainEqual({ kind: 'cancel-timer', name: SLEEP_TIMER });
  });

  it('goes back to sleep when its CHF does not answer within the awake window', () => {
    const { state, wakeAt } = joinedGsme({ awakeWindowMs: 5000 });
    const woken = wake(state, wakeAt);
    expect(timerAt(woken.effects, SLEEP_TIMER)).toBe(wakeAt + 5000);
    const slept = stepGsme(woken.state, { type: 'timer', timer: { name: SLEEP_TIMER } }, wakeAt + 5000, env);
    expect(slept.state.awake).toBe(false);
    expect(timerAt(slept.effects, WAKE_TIMER)).toBe(wakeAt + state.wakeIntervalMs);
  });

  it('ignores a mailbox from another party than its CHF', () => {
    const { state, wakeAt } = joinedGsme();
    const woken = wake(state, wakeAt);
    const stranger = stepGsme(
      woken.state,
      { type: 'han', from: GPF, frame: { type: 'gsme-mailbox', remaining: 0, bytes: null } },
      wakeAt + 1,
      env,
    );
    expect(stranger.state).toBe(woken.state);
  });
});

describe('GSME valve', () => {
  it('GCS32 closes the valve; signed response with the command counter, RTDS 7.2 shape; the GPF hears of it', () => {
    const session = atFirstWake(closeValve(1000n));
    const response = theResponse(session.effects);
    expect(response.verification.signature).toBe('valid');
    expect(response.message.header).toMatchObject({
      cra: 2,
      originatorCounter: 1000n,
      originator: GSME,
      recipient: session.before.security.parties.supplier,
    });
    expect(response.message.macProtected).toBe(false);
    expectRtdsShape(response.message, '7.2_GCS32', 'GCS32_7.2_SUCCESS_RESPONSE_GBCS.HEX');
    expect(session.state.valve).toBe('closed');
    const update = framesTo(session.effects, GPF).find((f) => f.type === 'mirror-update');
    expect(update && update.type === 'mirror-update' && update.mirror.valve).toBe('closed');
  });

  it('GCS39 arms a closed valve (RTDS 7.3 shape), and only the consumer then opens it', () => {
    const session = atFirstWake(armValve(1000n), { valve: 'closed' });
    const response = theResponse(session.effects);
    expect(response.verification.signature).toBe('valid');
    expectRtdsShape(response.message, '7.3_GCS39', 'GCS39_7.3_SUCCESS_RESPONSE_GBCS.HEX');
    expect(session.state.valve).toBe('armed');
    const opened = stepGsme(
      session.state,
      { type: 'local', action: { kind: 'restore-supply' } },
      session.wakeAt - 1,
      env,
    );
    expect(opened.state.valve).toBe('open');
  });

  it('restore-supply does nothing to a closed valve that is not armed', () => {
    const { state } = joinedGsme({ valve: 'closed' });
    const pressed = stepGsme(state, { type: 'local', action: { kind: 'restore-supply' } }, T0 + 1, env);
    expect(pressed.state.valve).toBe('closed');
  });

  it('GCS39 leaves an open valve open and reports it on', () => {
    const session = atFirstWake(armValve(1000n));
    expect(session.state.valve).toBe('open');
    const c = theResponse(session.effects).message.payload;
    expect(c.kind === 'gbz' && c.gbz.kind === 'components' && c.gbz.components[0]!.header.commandId).toBe(
      0x0c,
    );
  });

  it('refuses a Change Supply proposing another status than the use case (INVALID_VALUE), state unchanged', () => {
    const command = criticalCommand({
      messageCode: GSME_CODES.GCS32,
      payload: changeSupply(0x02),
      counter: 1000n,
    });
    const session = atFirstWake(command);
    expect(session.state.valve).toBe('open');
    const p = theResponse(session.effects).message.payload;
    expect(zclPayloads(p)[0]).toEqual({
      kind: 'default-response',
      commandId: 0x0b,
      status: 0x87,
    });
  });

  it('GCS33 reads battery life and supply status, MACed, RTDS 7.4 shape', () => {
    const command = gasCommand({
      messageCode: GSME_CODES.GCS33,
      payload: gbz([readAttributes(0x0702, [0x0205, 0x0014])]),
      counter: 1001n,
    });
    const response = theResponse(atFirstWake(command, { valve: 'armed' }).effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header.originatorCounter).toBe(1001n);
    expectRtdsShape(response.message, '7.4_GCS33', 'GCS33_7.4_SUCCESS_RESPONSE_GBCS.HEX');
    const p = response.message.payload;
    const records = zclPayloads(p)[0];
    expect(records).toMatchObject({
      records: [{ attributeId: 0x0205 }, { attributeId: 0x0014, value: { value: 0x01 } }],
    });
  });
});

describe('GSME command table', () => {
  it('merges the common HAN use cases (joins, unjoins, CS06, CS07) with its own', () => {
    for (const code of [0x000d, 0x000e, 0x00af, 0x000f, 0x0010, 0x0012, 0x0013])
      expect(GSME_COMMANDS.has(code)).toBe(true);
    for (const code of Object.values(GSME_CODES)) expect(GSME_COMMANDS.has(code)).toBe(true);
  });
});

describe('GSME clock and firmware', () => {
  const gt = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`;

  it('GCS28 sets the clock to the CHF time inside the validity interval: reliable, RTDS 6.11 shape', () => {
    const { state, wakeAt } = joinedGsme({ clockOffsetMs: -90_000 });
    const command = criticalCommand({
      messageCode: GSME_CODES.GCS28,
      payload: setTime(gt(wakeAt - 30 * MINUTE), gt(wakeAt + 30 * MINUTE)),
      counter: 1000n,
    });
    const session = deliverAtWake(state, wakeAt, command);
    const response = theResponse(session.effects);
    expect(response.verification.signature).toBe('valid');
    expectRtdsShape(response.message, '6.11_GCS28', 'GCS28_6.11_SUCCESS_RESPONSE_GBCS.HEX');
    expect(session.state.clockOffsetMs).toBe(0);
    const p = response.message.payload;
    expect(p.kind === 'asn1' && p.asn1.view).toMatchObject({ kind: 'setTimeResponse', deviceTimeStatus: 0 });
  });

  it('GCS28 outside the validity interval keeps the clock and answers unreliable (RTDS 6.11 ERROR)', () => {
    const command = criticalCommand({
      messageCode: GSME_CODES.GCS28,
      payload: setTime(gt(T0 - 120 * MINUTE), gt(T0 - 60 * MINUTE)),
      counter: 1000n,
    });
    const session = atFirstWake(command, { clockOffsetMs: -90_000 });
    expect(session.state.clockOffsetMs).toBe(-90_000);
    const p = theResponse(session.effects).message.payload;
    expect(p.kind === 'asn1' && p.asn1.view).toMatchObject({ kind: 'setTimeResponse', deviceTimeStatus: 2 });
  });

  it('GCS38 reads the running firmware version (OTA CurrentFileVersion, uint32: no RTDS folder, ZCL convention)', () => {
    if (HAVE_VECTORS)
      console.warn('GCS38: RTDS 4.5.0 has no GCS38 folder; the response follows ZCL conventions [A]');
    const command = gasCommand({
      messageCode: GSME_CODES.GCS38,
      payload: gbz([readAttributes(0x0019, [0x0002])]),
      counter: 7n,
    });
    const response = theResponse(atFirstWake(command, { firmwareVersion: 0x0123abce }).effects);
    expect(response.verification.mac).toBe('valid');
    expect(payloadShape(response.message)).toEqual([
      {
        clusterId: 0x0019,
        encrypted: false,
        fromDateTime: false,
        frameType: 'global',
        direction: 'server-to-client',
        disableDefaultResponse: false,
        commandId: 0x01,
        payload: [[0x0002, 0x00, 0x23]],
      },
    ]);
    const p = response.message.payload;
    expect(zclPayloads(p)[0]).toMatchObject({
      records: [{ value: { value: 0x0123abce } }],
    });
  });

  it('answers an attribute it does not hold with UNSUPPORTED_ATTRIBUTE', () => {
    const command = gasCommand({
      messageCode: GSME_CODES.GCS33,
      payload: gbz([readAttributes(0x0702, [0x7777])]),
      counter: 7n,
    });
    const p = theResponse(atFirstWake(command).effects).message.payload;
    expect(zclPayloads(p)[0]).toEqual({
      kind: 'read-attributes-response',
      records: [{ attributeId: 0x7777, status: 0x86, value: null }],
    });
  });
});
