// The HCALCS actor: non-critical commands from the ACB (CS08), critical ones from the supplier (CS03A2 as RTDS
// 8.7.1_CS03A2Critical, CS06), the load switch it holds, refusals, and hostile bytes changing nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { DeviceType, JoinMethodAndRole } from '../../src/codec/gbcs/asn1/index.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import {
  COMMON_CODES,
  FUTURE_DATED_FIRMWARE_ALERT,
  generalizedTimeAt,
} from '../../src/devices/common-commands.js';
import { createHcalcs, HCALCS_COMMANDS, stepHcalcs, type HcalcsState } from '../../src/devices/hcalcs.js';
import type { Effect } from '../../src/devices/types.js';
import {
  ACB,
  counters,
  drivenByHub,
  ENV,
  expectRtdsShape,
  firmwareActivation,
  firmwareVersionRead,
  fromHub,
  hanDeviceInit,
  HCALCS,
  hostileBytes,
  joinView,
  NOW,
  plain,
  sealCommand,
  sentMessages,
  SUPPLIER,
  viewOf,
  withoutRefusalFields,
} from '../support/han-commands.js';

const FIRMWARE = 0x0123abce;
const ESME = eui64('00DB123456789093');

function hcalcs(): HcalcsState {
  return { ...createHcalcs({ ...hanDeviceInit(HCALCS), firmwareVersion: FIRMWARE }), hanJoined: true };
}

const nextCounter = counters();
const { deliver, exchange } = drivenByHub(stepHcalcs);

const readVersion = () =>
  firmwareVersionRead(ACB, HCALCS, nextCounter(), { user: SUPPLIER, counter: nextCounter() });

const joinEsme = () =>
  sealCommand({
    from: SUPPLIER,
    to: HCALCS,
    counter: nextCounter(),
    messageCode: COMMON_CODES.CS03A2,
    view: joinView(JoinMethodAndRole.methodAResponder, ESME, DeviceType.esme),
  });

const activate = (executionDateTime?: string) =>
  firmwareActivation(HCALCS, nextCounter(), new Uint8Array(32), executionDateTime);

describe('HCALCS state', () => {
  it('starts compact with its load switch off by default, or as the premise says', () => {
    const state = createHcalcs(hanDeviceInit(HCALCS));
    expect(state).toMatchObject({ kind: 'HCALCS', loadSwitch: 'off', joins: [] });
    expect(plain(state).length).toBeLessThan(1024);
    expect(createHcalcs({ ...hanDeviceInit(HCALCS), loadSwitch: 'on' }).loadSwitch).toBe('on');
  });

  it('joins the SMHAN at power-on', () => {
    const on = stepHcalcs(createHcalcs(hanDeviceInit(HCALCS)), { type: 'power', on: true }, NOW, ENV);
    const joined = stepHcalcs(on.state, fromHub({ type: 'join-response', outcome: 'success' }), NOW, ENV);
    expect(joined.state.hanJoined).toBe(true);
  });
});

describe('HCALCS commands', () => {
  it('CS08 from the ACB answers its firmware version, MACed (RTDS 11.2_CS08)', () => {
    const { view, response } = exchange(hcalcs(), readVersion());
    expect(view).toEqual({
      kind: 'readPpmidHcalcsFirmwareVersionResponse',
      firmwareVersion: Uint8Array.of(0x01, 0x23, 0xab, 0xce),
      responseCode: 0,
    });
    expectRtdsShape(response, '11.2_CS08', 'SUCCESS_RESPONSE');
  });

  it('CS03A2 signed by the supplier joins the ESME; CS07 lists it (RTDS 8.7.1_CS03A2Critical)', () => {
    const { state, response, view } = exchange(hcalcs(), joinEsme());
    expect(view).toEqual({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(state.joins).toEqual([{ device: ESME, deviceType: DeviceType.esme }]);
    const real = expectRtdsShape(response, '8.7.1_CS03A2Critical', 'SUCCESS_RESPONSE');
    if (real) expect(viewOf(real)).toEqual(view);
    const read = sealCommand({
      from: ACB,
      to: HCALCS,
      counter: nextCounter(),
      messageCode: COMMON_CODES.CS07,
      view: { kind: 'readDeviceJoinDetailsCommand' },
      onBehalfOf: { user: SUPPLIER, counter: nextCounter() },
    });
    expect(exchange(state, read).view).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: [{ deviceId: ESME, deviceType: DeviceType.esme }],
    });
  });

  it('CS06 finds no image: outcome 1 with the running version, signed (RTDS 11.3_CS06 IMMEDIATE)', () => {
    const { view, response, state } = exchange(hcalcs(), activate());
    expect(view).toEqual({
      kind: 'activateFirmwareResponse',
      executionOutcome: { responseCode: 1, firmwareVersion: Uint8Array.of(0x01, 0x23, 0xab, 0xce) },
    });
    expect(state.firmwareVersion).toBe(FIRMWARE);
    expectRtdsShape(response, '11.3_CS06', 'IMMEDIATE_ERROR_RESPONSE');
  });

  it('a future-dated CS06 raises the 0x00CA alert when its timer falls due', () => {
    const { state, effects } = exchange(hcalcs(), activate(generalizedTimeAt(NOW + 3_600_000)));
    const timer = effects.find((e): e is Extract<Effect, { kind: 'timer' }> => e.kind === 'timer')!;
    const fired = stepHcalcs(state, { type: 'timer', timer: timer.timer }, timer.atMs, ENV);
    const [alert] = sentMessages(fired.effects);
    expect(alert?.message.header).toMatchObject({
      cra: 3,
      messageCode: FUTURE_DATED_FIRMWARE_ALERT,
      recipient: SUPPLIER,
    });
    expect(verifyGbcs(alert!, ENV.protection).signature).toBe('valid');
  });

  it('takes no CS03A1, CS03B, CS03C nor CS04B', () => {
    for (const code of [COMMON_CODES.CS03A1, COMMON_CODES.CS03B, COMMON_CODES.CS03C, COMMON_CODES.CS04B])
      expect(HCALCS_COMMANDS.has(code)).toBe(false);
  });
});

describe('HCALCS refusals', () => {
  it('a non-critical command from the supplier raises 0x8F30 and changes nothing else', () => {
    const state = hcalcs();
    const step = deliver(state, firmwareVersionRead(SUPPLIER, HCALCS, nextCounter()));
    expect(step.state.securityLog.map((e) => e.code)).toEqual([0x8f30]);
    expect(withoutRefusalFields(step.state)).toEqual(withoutRefusalFields(state));
  });

  it('a tampered critical command raises 0x8F1E and joins nothing', () => {
    const state = hcalcs();
    const bytes = joinEsme();
    bytes[bytes.length - 1]! ^= 0x80; // the MAC
    const step = deliver(state, bytes);
    expect(step.state.securityLog.map((e) => e.code)).toEqual([0x8f1e]);
    expect(withoutRefusalFields(step.state)).toEqual(withoutRefusalFields(state));
  });

  it('random or tampered bytes never throw and change nothing but the security log and alert counter', () => {
    const state = hcalcs();
    const valid = joinEsme();
    fc.assert(
      fc.property(hostileBytes(valid), (bytes) => {
        expect(withoutRefusalFields(deliver(state, bytes).state)).toEqual(withoutRefusalFields(state));
      }),
      { numRuns: 60 },
    );
  });
});
