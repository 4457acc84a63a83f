// The common HAN commands on a tiny meter built from DeviceCore and commonCommands only (the real ESME and GSME are
// written elsewhere): each response decodes, verifies, answers the command's counter and has the ASN.1 form of the
// RTDS 4.5.0 message of its use case; the state changes as the command says.
import { describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { DeviceType, JoinMethodAndRole, type Asn1View } from '../../src/codec/gbcs/asn1/index.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import {
  ALERT_FUTURE_DATED_NOT_ACTIONED,
  CANCEL_EXECUTION,
  COMMON_CODES,
  commonCommands,
  EVENT_JOIN_FAILED,
  EVENT_JOIN_SUCCEEDED,
  EVENT_UNJOIN_FAILED,
  EVENT_UNJOIN_SUCCEEDED,
  FIRMWARE_ACTIVATION_TIMER,
  FUTURE_DATED_FIRMWARE_ALERT,
  generalizedTimeAt,
  handleCommonTimer,
  joinResponseCode,
  msOfGeneralizedTime,
  pickCommands,
} from '../../src/devices/common-commands.js';
import { initCore, receiveCommand, type DeviceCore } from '../../src/devices/device.js';
import { unchanged, type ActorStep, type DeviceKind, type Effect } from '../../src/devices/types.js';
import {
  counters,
  drivenByHub,
  ENV,
  ESME,
  expectRtdsShape,
  firmwareActivation,
  gsmeKaCertificate,
  hanDeviceInit,
  joinView,
  NOW,
  sealCommand,
  sentMessages,
  SUPPLIER,
  viewOf,
  type CommandSpec,
} from '../support/han-commands.js';

const CAPACITY = 3;
const TABLE = commonCommands<DeviceCore>({ joinCapacity: CAPACITY });
const FIRMWARE = 0x0123abce;

function meter(kind: DeviceKind = 'ESME', clockOffsetMs = 0): DeviceCore {
  return {
    ...initCore(kind, { ...hanDeviceInit(ESME), firmwareVersion: FIRMWARE, clockOffsetMs }),
    hanJoined: true,
  };
}

/** The test meter: the common handlers and their timer, nothing else. */
const stepMeter: ActorStep<DeviceCore> = (state, input, now, env) =>
  handleCommonTimer(state, input, now, env) ??
  (input.type === 'han' && input.frame.type === 'gbcs'
    ? receiveCommand(state, input.frame.bytes, now, env, TABLE)
    : unchanged(state));

const nextCounter = counters();

function command(messageCode: number, view: Asn1View, extra: Partial<CommandSpec> = {}): Uint8Array {
  return sealCommand({ from: SUPPLIER, to: ESME, counter: nextCounter(), messageCode, view, ...extra });
}

const { deliver, exchange } = drivenByHub(stepMeter);

const OTHER = eui64('00DB12345678909A');
const joinA1 = (other = OTHER, type: number = DeviceType.hcalcs) =>
  command(COMMON_CODES.CS03A1, joinView(JoinMethodAndRole.methodAInitiator, other, type));

function commandCounter(bytes: Uint8Array): bigint {
  return parseGbcs(bytes).message.header.originatorCounter;
}

function readJoins(state: DeviceCore) {
  const { view } = exchange(state, command(COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' }));
  return view;
}

describe('CS03 join', () => {
  it('CS03A1 adds the other device to the join list, answers success signed, and CS07 lists it', () => {
    const bytes = joinA1();
    const { state, response, view } = exchange(meter(), bytes);
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([{ device: OTHER, deviceType: DeviceType.hcalcs }]);
    expect(state.eventLog.map((e) => e.code)).toEqual([EVENT_JOIN_SUCCEEDED]);
    expect(readJoins(state)).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: [{ deviceId: OTHER, deviceType: DeviceType.hcalcs }],
    });
    const real = expectRtdsShape(response, '8.7.1_CS03A1', 'SUCCESS_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(view);
  });

  it('CS03A1 for a device already joined under another type answers 3 and keeps the entry (RTDS CS03A1 ERROR)', () => {
    const first = exchange(meter(), joinA1()).state;
    const { state, response, view } = exchange(first, joinA1(OTHER, DeviceType.ppmid));
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 3 });
    expect(state.joins).toEqual(first.joins);
    expect(state.eventLog.at(-1)?.code).toBe(EVENT_JOIN_FAILED);
    const real = expectRtdsShape(response, '8.7.1_CS03A1', 'ERROR_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(view);
  });

  it('a repeated join of the same device and type succeeds without a second entry', () => {
    const first = exchange(meter(), joinA1()).state;
    const { state, view } = exchange(first, joinA1());
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(state.joins).toHaveLength(1);
  });

  it('a join beyond the configured capacity answers 4, Device Log full, and adds nothing', () => {
    let state = meter();
    for (let i = 0; i < CAPACITY; i++)
      state = exchange(state, joinA1(eui64(`00DB1234567891${i}0`), DeviceType.hcalcs)).state;
    expect(state.joins).toHaveLength(CAPACITY);
    const full = exchange(state, joinA1(eui64('00DB123456789200'), DeviceType.hcalcs));
    expect(full.view).toEqual({ kind: 'joinDeviceResponse', responseCode: 4 });
    expect(full.state.joins).toEqual(state.joins);
  });

  it('a join method and role that does not match the message code answers 1', () => {
    const bytes = command(
      COMMON_CODES.CS03A1,
      joinView(JoinMethodAndRole.methodAResponder, OTHER, DeviceType.hcalcs),
    );
    const { state, view } = exchange(meter(), bytes);
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 1 });
    expect(state.joins).toEqual([]);
  });

  it('an unknown join method or device type answers 2', () => {
    const state = meter();
    const join = (role: number, type: number) => ({
      kind: 'joinDeviceCommand' as const,
      joinMethodAndRole: role,
      otherDeviceEntityId: OTHER,
      otherDeviceType: type,
    });
    expect(joinResponseCode(state, COMMON_CODES.CS03A1, join(9, DeviceType.hcalcs), CAPACITY)).toBe(2);
    expect(joinResponseCode(state, COMMON_CODES.CS03A1, join(0, 42), CAPACITY)).toBe(2);
  });

  it('CS03B joins a GPF by Method B with a MACed response (RTDS CS03B SUCCESS), a PPMID by Method B answers 2', () => {
    const gsme = meter('GSME');
    const gpf = eui64('00DB12345678909C');
    const bytes = command(COMMON_CODES.CS03B, joinView(JoinMethodAndRole.methodB, gpf, DeviceType.gpf));
    const { state, response, view } = exchange(gsme, bytes);
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([{ device: gpf, deviceType: DeviceType.gpf }]);
    expectRtdsShape(response, '8.7.2_CS03B', 'SUCCESS_RESPONSE');

    const ppmid = command(COMMON_CODES.CS03B, joinView(JoinMethodAndRole.methodB, OTHER, DeviceType.ppmid));
    const refused = exchange(state, ppmid);
    expect(refused.view).toEqual({ kind: 'joinDeviceResponse', responseCode: 2 });
    expect(refused.state.joins).toEqual(state.joins);
    const real = expectRtdsShape(refused.response, '8.7.2_CS03B', 'ERROR_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(refused.view);
  });

  it('CS03C needs the other device certificate: without it 11, with it success', () => {
    const gsme = eui64('00DB123456789094');
    const certificate = gsmeKaCertificate(gsme);
    const without = exchange(
      meter(),
      command(COMMON_CODES.CS03C, joinView(JoinMethodAndRole.methodC, gsme, DeviceType.gsme)),
    );
    expect(without.view).toEqual({ kind: 'joinDeviceResponse', responseCode: 11 });
    expect(without.state.joins).toEqual([]);
    const withCert = exchange(
      meter(),
      command(COMMON_CODES.CS03C, joinView(JoinMethodAndRole.methodC, gsme, DeviceType.gsme, certificate)),
    );
    expect(withCert.view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(withCert.state.joins).toEqual([{ device: gsme, deviceType: DeviceType.gsme }]);
  });
});

describe('CS04 unjoin', () => {
  it('CS04AC removes a joined device, answers success signed, and CS07 no longer lists it', () => {
    const joined = exchange(meter(), joinA1()).state;
    const { state, response, view } = exchange(
      joined,
      command(COMMON_CODES.CS04AC, { kind: 'unjoinDeviceCommand', otherDeviceEntityId: OTHER }),
    );
    expect(view).toEqual({ kind: 'unjoinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([]);
    expect(state.eventLog.at(-1)?.code).toBe(EVENT_UNJOIN_SUCCEEDED);
    expect(readJoins(state)).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: [],
    });
    expectRtdsShape(response, '8.8.2_CS04ACNonCritical', 'SUCCESS_RESPONSE');
  });

  it('CS04AC for a device not in the log answers 1 (RTDS CS04B ERROR)', () => {
    const joined = exchange(meter(), joinA1()).state;
    const { state, response, view } = exchange(
      joined,
      command(COMMON_CODES.CS04AC, {
        kind: 'unjoinDeviceCommand',
        otherDeviceEntityId: eui64('0303030303030303'),
      }),
    );
    expect(view).toEqual({ kind: 'unjoinDeviceResponse', responseCode: 1 });
    expect(state.joins).toEqual(joined.joins);
    expect(state.eventLog.at(-1)?.code).toBe(EVENT_UNJOIN_FAILED);
    const real = expectRtdsShape(response, '8.8.2_CS04B', 'ERROR_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(view);
  });

  it('CS04B removes a Method B join with a MACed response (RTDS CS04B SUCCESS)', () => {
    const gpf = eui64('0102030405060708');
    const joined = exchange(
      meter('GSME'),
      command(COMMON_CODES.CS03B, joinView(JoinMethodAndRole.methodB, gpf, DeviceType.gpf)),
    ).state;
    const { state, response, view } = exchange(
      joined,
      command(COMMON_CODES.CS04B, { kind: 'unjoinDeviceCommand', otherDeviceEntityId: gpf }),
    );
    expect(view).toEqual({ kind: 'unjoinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([]);
    const real = expectRtdsShape(response, '8.8.2_CS04B', 'SUCCESS_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(view);
  });

  it('matches the unjoin to the join method: CS04B keeps a Method A join, CS04AC a Method B join (answer 1)', () => {
    const gpf = eui64('0102030405060708');
    let state = exchange(
      meter('GSME'),
      command(COMMON_CODES.CS03B, joinView(JoinMethodAndRole.methodB, gpf, DeviceType.gpf)),
    ).state;
    state = exchange(state, joinA1()).state;
    const both = state.joins;
    expect(both).toHaveLength(2);
    const wrongB = exchange(
      state,
      command(COMMON_CODES.CS04B, { kind: 'unjoinDeviceCommand', otherDeviceEntityId: OTHER }),
    );
    expect(wrongB.view).toEqual({ kind: 'unjoinDeviceResponse', responseCode: 1 });
    expect(wrongB.state.joins).toEqual(both);
    const wrongAC = exchange(
      state,
      command(COMMON_CODES.CS04AC, { kind: 'unjoinDeviceCommand', otherDeviceEntityId: gpf }),
    );
    expect(wrongAC.view).toEqual({ kind: 'unjoinDeviceResponse', responseCode: 1 });
    expect(wrongAC.state.joins).toEqual(both);
  });
});

describe('CS07 read device join details', () => {
  it('lists the joins in the order they were made, as RTDS CS07 SUCCESS lists the same three devices', () => {
    let state = meter('GSME');
    const entries: [Eui64, number, number][] = [
      [eui64('0102030405060708'), DeviceType.gpf, COMMON_CODES.CS03B],
      [eui64('00DB123456789099'), DeviceType.gpf, COMMON_CODES.CS03B],
      [eui64('00DB123456789097'), DeviceType.type2, COMMON_CODES.CS03B],
    ];
    for (const [device, type, code] of entries)
      state = exchange(state, command(code, joinView(JoinMethodAndRole.methodB, device, type))).state;
    const bytes = command(COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' });
    const { response, view } = exchange(state, bytes);
    expect(view).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: entries.map(([deviceId, deviceType]) => ({ deviceId, deviceType })),
    });
    const real = expectRtdsShape(response, '8.9_CS07', 'SUCCESS_RESPONSE');
    // RTDS's third entry is a PPMID (a GSME joins it by Method A with a certificate); the rest is the same.
    if (real) {
      const rtds = viewOf(real) as Extract<Asn1View, { kind: 'readDeviceJoinDetailsResponse' }>;
      expect(rtds.deviceLogEntries?.slice(0, 2)).toEqual(
        entries.slice(0, 2).map(([deviceId, deviceType]) => ({ deviceId, deviceType })),
      );
    }
  });

  it('reads without changing anything', () => {
    const state = exchange(meter(), joinA1()).state;
    const step = deliver(state, command(COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' }));
    expect(step.state).toEqual(state);
  });
});

describe('CS06 activate firmware', () => {
  const HASH = new Uint8Array(32).fill(0xaa);
  const activate = (executionDateTime?: string) =>
    firmwareActivation(ESME, nextCounter(), HASH, executionDateTime);
  const outcome = { responseCode: 1, firmwareVersion: Uint8Array.of(0x01, 0x23, 0xab, 0xce) };

  it('immediate: no image is held, so it answers outcome 1 with the running version (RTDS IMMEDIATE shape)', () => {
    const before = meter();
    const { state, response, view } = exchange(before, activate());
    expect(view).toEqual({ kind: 'activateFirmwareResponse', executionOutcome: outcome });
    expect(state.firmwareVersion).toBe(FIRMWARE);
    expectRtdsShape(response, '11.3_CS06', 'IMMEDIATE_SUCCESS_RESPONSE');
    // RTDS's error answers the same code after an earlier activation moved its version on: compare the code.
    const real = expectRtdsShape(response, '11.3_CS06', 'IMMEDIATE_ERROR_RESPONSE');
    if (real) expect(viewOf(real)).toMatchObject({ executionOutcome: { responseCode: 1 } });
  });

  it('future-dated: accepted now, then at the device time of execution the signed 0x00CA alert 0x8F67 to the originator', () => {
    const offset = 90_000; // the device clock runs 90 s ahead
    const at = generalizedTimeAt(NOW + 86_400_000);
    const bytes = activate(at);
    const { state, response, view, effects } = exchange(meter('ESME', offset), bytes);
    expect(view).toEqual({ kind: 'activateFirmwareResponse', commandAccepted: null });
    expectRtdsShape(response, '11.3_CS06', 'FUTURE_DATED_SUCCESS_RESPONSE');
    const timer = effects.find((e): e is Extract<Effect, { kind: 'timer' }> => e.kind === 'timer');
    expect(timer?.atMs).toBe(msOfGeneralizedTime(at) - offset);
    expect(timer?.timer.name).toBe(FIRMWARE_ACTIVATION_TIMER);

    const fired = stepMeter(state, { type: 'timer', timer: timer!.timer }, timer!.atMs, ENV);
    expect(fired.state.alertCounter).toBe(state.alertCounter + 1n);
    const [alert] = sentMessages(fired.effects);
    expect(alert?.message.header).toMatchObject({
      cra: 3,
      messageCode: FUTURE_DATED_FIRMWARE_ALERT,
      originator: ESME,
      recipient: SUPPLIER,
      originatorCounter: state.alertCounter,
    });
    expect(verifyGbcs(alert!, ENV.protection).signature).toBe('valid');
    expect(viewOf(alert!)).toEqual({
      kind: 'activateFirmwareAlert',
      alertCode: ALERT_FUTURE_DATED_NOT_ACTIONED,
      executionDateTime: at,
      originatorCounter: commandCounter(bytes),
      executionOutcome: outcome,
    });
    expectRtdsShape(alert!, '11.3_CS06', '8F67_FUTURE_DATED_ERROR_ALERT');
  });

  it('the cancellation date answers "command accepted" and cancels the pending activation', () => {
    const { view, effects } = exchange(meter(), activate(CANCEL_EXECUTION));
    expect(view).toEqual({ kind: 'activateFirmwareResponse', commandAccepted: null });
    expect(effects).toContainEqual({ kind: 'cancel-timer', name: FIRMWARE_ACTIVATION_TIMER });
    expect(effects.some((e) => e.kind === 'timer')).toBe(false);
  });

  it('an execution time already passed runs at once [A]', () => {
    const { view } = exchange(meter(), activate(generalizedTimeAt(NOW - 60_000)));
    expect(view).toEqual({ kind: 'activateFirmwareResponse', executionOutcome: outcome });
  });

  it('a stray activation timer without its command is only noted', () => {
    const state = meter();
    const step = stepMeter(
      state,
      { type: 'timer', timer: { name: FIRMWARE_ACTIVATION_TIMER, ref: 'junk' } },
      NOW,
      ENV,
    );
    expect(step.state).toEqual(state);
    expect(step.effects.every((e) => e.kind === 'note')).toBe(true);
  });
});

describe('the common table', () => {
  it('holds the eight use cases, and pickCommands keeps only those asked for', () => {
    expect([...TABLE.keys()].sort()).toEqual(Object.values(COMMON_CODES).sort());
    const picked = pickCommands(TABLE, ['CS03A2', 'CS07']);
    expect([...picked.keys()]).toEqual([COMMON_CODES.CS03A2, COMMON_CODES.CS07]);
  });
});
