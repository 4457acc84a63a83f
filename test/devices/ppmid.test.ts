// The PPMID actor: SMHAN joining, the ACB-only commands RTDS sends it (CS08, CS03A2, CS03C, CS04AC) and CS07, the
// refusals, the CS09 alert, local actions logged, and hostile bytes changing nothing but the security log.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { DeviceType, JoinMethodAndRole, type Asn1View } from '../../src/codec/gbcs/asn1/index.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { COMMON_CODES, CS08_READ_FIRMWARE_VERSION } from '../../src/devices/common-commands.js';
import { JOIN_RETRY_TIMER } from '../../src/devices/device.js';
import {
  ALERT_PPMID_FIRMWARE_ACTIVATED,
  CS09_FIRMWARE_ACTIVATION_ALERT,
  createPpmid,
  PPMID_COMMANDS,
  PPMID_LOCAL_EVENTS,
  ppmidFirmwareActivationAlert,
  stepPpmid,
  type PpmidState,
} from '../../src/devices/ppmid.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import type { Step } from '../../src/devices/types.js';
import {
  ACB,
  counters,
  drivenByHub,
  ENV,
  expectRtdsShape,
  firmwareVersionRead,
  fromHub,
  gsmeKaCertificate,
  hanDeviceInit,
  hostileBytes,
  HUB,
  joinView,
  NOW,
  plain,
  PPMID,
  sealCommand,
  sentMessages,
  SUPPLIER,
  viewOf,
  withoutRefusalFields,
  type CommandSpec,
} from '../support/han-commands.js';

const FIRMWARE = 0x0123abcd;

function ppmid(): PpmidState {
  return { ...createPpmid({ ...hanDeviceInit(PPMID), firmwareVersion: FIRMWARE }), hanJoined: true };
}

const nextAcbCounter = counters(1300n);
const nextUserCounter = counters(1000n);

/** A command as RTDS sends a PPMID one: from the ACB, on the supplier's behalf, signed by the ACB when critical. */
function fromAcb(messageCode: number, view: Asn1View, extra: Partial<CommandSpec> = {}): Uint8Array {
  return sealCommand({
    from: ACB,
    to: PPMID,
    counter: nextAcbCounter(),
    messageCode,
    view,
    onBehalfOf: { user: SUPPLIER, counter: nextUserCounter() },
    ...extra,
  });
}

const { deliver, exchange } = drivenByHub(stepPpmid);

const ESME = eui64('00DB123456789093');
const join = (
  messageCode: number,
  role: number,
  other = ESME,
  type: number = DeviceType.esme,
  cert?: Uint8Array,
) => fromAcb(messageCode, joinView(role, other, type, cert));

/** The single alert a refusal raises: a GBZ generic alert from the PPMID to the ACB. */
function refusalAlert(step: Step<PpmidState>): number {
  const [alert] = sentMessages(step.effects);
  expect(alert?.message.header.cra).toBe(3);
  expect(alert?.message.header.recipient).toBe(ACB);
  expect(verifyGbcs(alert!, ENV.protection).signature).toBe('valid');
  const { payload } = alert!.message;
  if (payload.kind !== 'gbz' || payload.gbz.kind !== 'alert') throw new Error('expected a GBZ alert');
  return payload.gbz.alertCode;
}

describe('PPMID state', () => {
  it('starts compact, as plain data, with no joins and off the SMHAN', () => {
    const state = createPpmid(hanDeviceInit(PPMID));
    expect(state).toMatchObject({ kind: 'PPMID', joins: [], hanJoined: false });
    expect(structuredClone(state)).toEqual(state);
    expect(plain(state).length).toBeLessThan(1024);
  });
});

describe('PPMID joins the SMHAN', () => {
  it('asks its CHF to join at power-on, and is on the SMHAN once the CHF accepts', () => {
    const on = stepPpmid(createPpmid(hanDeviceInit(PPMID)), { type: 'power', on: true }, NOW, ENV);
    expect(on.effects).toContainEqual(expect.objectContaining({ kind: 'han', to: HUB }));
    expect(on.effects).toContainEqual(
      expect.objectContaining({ kind: 'timer', timer: { name: JOIN_RETRY_TIMER } }),
    );
    const joined = stepPpmid(on.state, fromHub({ type: 'join-response', outcome: 'success' }), NOW, ENV);
    expect(joined.state.hanJoined).toBe(true);
  });

  it('ignores GBCS messages while it is not on the SMHAN', () => {
    const state = { ...ppmid(), hanJoined: false };
    const step = deliver(
      state,
      fromAcb(CS08_READ_FIRMWARE_VERSION, { kind: 'readPpmidHcalcsFirmwareVersionCommand' }),
    );
    expect(step.state).toBe(state);
    expect(sentMessages(step.effects)).toEqual([]);
  });
});

describe('PPMID commands', () => {
  it('CS08 from the ACB answers its firmware version, MACed (RTDS 11.2_CS08 SUCCESS)', () => {
    const state = ppmid();
    const {
      state: after,
      response,
      view,
    } = exchange(
      state,
      fromAcb(CS08_READ_FIRMWARE_VERSION, { kind: 'readPpmidHcalcsFirmwareVersionCommand' }),
    );
    expect(view).toEqual({
      kind: 'readPpmidHcalcsFirmwareVersionResponse',
      firmwareVersion: Uint8Array.of(0x01, 0x23, 0xab, 0xcd),
      responseCode: 0,
    });
    expect(after).toEqual(state);
    const real = expectRtdsShape(response, '11.2_CS08', 'SUCCESS_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(view);
  });

  it('CS03A2 (ACB-signed) joins the ESME as Method A responder (RTDS 8.7.2_CS03A2NonCritical)', () => {
    const { state, response, view } = exchange(
      ppmid(),
      join(COMMON_CODES.CS03A2, JoinMethodAndRole.methodAResponder),
    );
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([{ device: ESME, deviceType: DeviceType.esme }]);
    expectRtdsShape(response, '8.7.2_CS03A2NonCritical', 'SUCCESS_RESPONSE');
  });

  it('CS03C joins a GSME with its certificate, and without one answers 11 (RTDS 8.7.2_CS03CNonCritical)', () => {
    const gsme = eui64('00DB123456789094');
    const cert = gsmeKaCertificate(gsme);
    const ok = exchange(
      ppmid(),
      join(COMMON_CODES.CS03C, JoinMethodAndRole.methodC, gsme, DeviceType.gsme, cert),
    );
    expect(ok.view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(ok.state.joins).toEqual([{ device: gsme, deviceType: DeviceType.gsme }]);
    expectRtdsShape(ok.response, '8.7.2_CS03CNonCritical', 'SUCCESS_RESPONSE');
    const missing = exchange(
      ppmid(),
      join(COMMON_CODES.CS03C, JoinMethodAndRole.methodC, gsme, DeviceType.gsme),
    );
    expect(missing.view).toEqual({ kind: 'joinDeviceResponse', responseCode: 11 });
    expect(missing.state.joins).toEqual([]);
    const real = expectRtdsShape(missing.response, '8.7.2_CS03CNonCritical', 'ERROR_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(missing.view);
  });

  it('CS04AC unjoins the ESME and CS07 then lists nothing (RTDS 8.8.2_CS04ACNonCritical)', () => {
    const joined = exchange(ppmid(), join(COMMON_CODES.CS03A2, JoinMethodAndRole.methodAResponder)).state;
    const listed = exchange(joined, fromAcb(COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' }));
    expect(listed.view).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: [{ deviceId: ESME, deviceType: DeviceType.esme }],
    });
    const { state, response, view } = exchange(
      joined,
      fromAcb(COMMON_CODES.CS04AC, { kind: 'unjoinDeviceCommand', otherDeviceEntityId: ESME }),
    );
    expect(view).toEqual({ kind: 'unjoinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([]);
    expectRtdsShape(response, '8.8.2_CS04ACNonCritical', 'SUCCESS_RESPONSE');
    const after = exchange(state, fromAcb(COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' }));
    expect(after.view).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: [],
    });
  });

  it('does not take the meters-only CS03A1 nor CS06: noted, not answered', () => {
    expect(PPMID_COMMANDS.has(COMMON_CODES.CS03A1)).toBe(false);
    expect(PPMID_COMMANDS.has(COMMON_CODES.CS06)).toBe(false);
    const state = ppmid();
    const step = deliver(state, join(COMMON_CODES.CS03A1, JoinMethodAndRole.methodAInitiator));
    expect(sentMessages(step.effects)).toEqual([]);
    expect(step.state).toEqual(state);
  });
});

describe('PPMID refusals', () => {
  it('a command originated by the supplier instead of the ACB raises 0x8F30 and changes nothing else', () => {
    const state = ppmid();
    const step = deliver(state, firmwareVersionRead(SUPPLIER, PPMID, 1n));
    expect(refusalAlert(step)).toBe(0x8f30);
    expect(step.state.securityLog.map((e) => e.code)).toEqual([0x8f30]);
    expect(step.state.alertCounter).toBe(state.alertCounter + 1n);
    expect(withoutRefusalFields(step.state)).toEqual(withoutRefusalFields(state));
  });

  it('a tampered command raises 0x8F1E and changes nothing else', () => {
    const state = ppmid();
    const bytes = join(COMMON_CODES.CS03A2, JoinMethodAndRole.methodAResponder);
    const payloadAt = bytes.length - 12 - 65 - 5; // inside the ASN.1 content, before signature and MAC
    bytes[payloadAt]! ^= 0x01;
    const step = deliver(state, bytes);
    expect(refusalAlert(step)).toBe(0x8f1e);
    expect(step.state.joins).toEqual([]);
    expect(withoutRefusalFields(step.state)).toEqual(withoutRefusalFields(state));
  });

  it('random or tampered bytes never throw and change nothing but the security log and alert counter', () => {
    const state = ppmid();
    const valid = join(COMMON_CODES.CS03A2, JoinMethodAndRole.methodAResponder);
    fc.assert(
      fc.property(hostileBytes(valid), (bytes) => {
        const step = deliver(state, bytes);
        expect(withoutRefusalFields(step.state)).toEqual(withoutRefusalFields(state));
      }),
      { numRuns: 60 },
    );
  });
});

describe('PPMID firmware activation alert (CS09)', () => {
  it('is signed by the PPMID, goes to the ACB, and has the form of RTDS NA_CS09', () => {
    const state = ppmid();
    const { state: after, bytes } = ppmidFirmwareActivationAlert(
      state,
      { firmwareVersion: 0x1234abcd, success: true },
      NOW,
      ENV,
    );
    expect(after.alertCounter).toBe(state.alertCounter + 1n);
    const alert = parseGbcs(bytes);
    expect(alert.message.header).toMatchObject({
      cra: 3,
      messageCode: CS09_FIRMWARE_ACTIVATION_ALERT,
      originator: PPMID,
      recipient: ACB,
      originatorCounter: state.alertCounter,
    });
    expect(verifyGbcs(alert, ENV.protection).signature).toBe('valid');
    expect(viewOf(alert)).toEqual({
      kind: 'ppmidFirmwareActivationAlert',
      alertCode: ALERT_PPMID_FIRMWARE_ACTIVATED,
      executionDateTime: '20240601120000Z',
      firmwareVersion: Uint8Array.of(0x12, 0x34, 0xab, 0xcd),
      activateImage: 0,
    });
    expectRtdsShape(alert, 'NA_CS09', '8F8B_ALERT');
  });
});

describe('PPMID local actions', () => {
  it('sends the consumer’s top-up, emergency credit and restore requests to its paired ESME (PECS01–03), logging them', () => {
    let state: PpmidState = {
      ...ppmid(),
      hanJoined: true,
      joins: [{ device: ESME, deviceType: 1 }],
    };
    const sent: unknown[] = [];
    const actions = [
      { kind: 'keypad-utrn', utrn: '73941569907863060480' },
      { kind: 'activate-emergency-credit' },
      { kind: 'restore-supply' },
    ] as const;
    actions.forEach((action, i) => {
      const step = stepPpmid(state, { type: 'local', action }, NOW + i * 1000, ENV);
      state = step.state;
      sent.push(...step.effects.filter((e) => e.kind === 'han'));
    });
    expect(sent).toEqual([
      {
        kind: 'han',
        to: ESME,
        frame: { type: 'ppmid-command', command: { kind: 'top-up', utrn: '73941569907863060480' } },
      },
      {
        kind: 'han',
        to: ESME,
        frame: { type: 'ppmid-command', command: { kind: 'activate-emergency-credit' } },
      },
      { kind: 'han', to: ESME, frame: { type: 'ppmid-command', command: { kind: 'enable-supply' } } },
    ]);
    expect(state.eventLog).toEqual([
      { atMs: NOW, code: PPMID_LOCAL_EVENTS['keypad-utrn'] },
      { atMs: NOW + 1000, code: PPMID_LOCAL_EVENTS['activate-emergency-credit'] },
    ]);
    const answered = stepPpmid(
      state,
      {
        type: 'han',
        from: ESME,
        frame: { type: 'ppmid-command-response', command: 'top-up', accepted: true, reason: 'credit added' },
      },
      NOW + 5000,
      ENV,
    );
    expect(answered.state.lastOutcome).toEqual({
      meter: ESME,
      command: 'top-up',
      accepted: true,
      reason: 'credit added',
    });
  });

  it('only notes a consumer request when it is paired with no meter', () => {
    const state = ppmid();
    const step = stepPpmid(state, { type: 'local', action: { kind: 'restore-supply' } }, NOW, ENV);
    expect(step.state).toBe(state);
    expect(step.effects).toEqual([expect.objectContaining({ kind: 'note' })]);
  });
});
