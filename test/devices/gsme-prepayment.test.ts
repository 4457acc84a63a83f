// GSME prepayment: top-ups by CS01b and at the keypad (UTRNs checked with the supplier's prepayment key), debt
// (GCS04), prepayment configuration now, future-dated and cancelled (GCS05), emergency credit (GCS06), payment mode
// (GCS02/03), and the prepayment reads, answered in the shape of RTDS 4.5.0; balances in the prepayment engine's
// ledger (its running in time: gsme-account.test.ts).
import { describe, expect, it } from 'vitest';
import type { GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { SharedSecretCache } from '../../src/crypto/ecdh.js';
import { generateUtrn } from '../../src/crypto/utrn.js';
import { GSME_CODES, stepGsme } from '../../src/devices/gsme.js';
import {
  asn1Response,
  COMMON_CODES,
  FIRMWARE_ACTIVATION_TIMER,
  generalizedTimeAt,
} from '../../src/devices/common-commands.js';
import { FUTURE_DATED_TIMER } from '../../src/devices/gsme-prepayment.js';
import { PREPAYMENT_PAYMENT_CONTROL } from '../../src/devices/gsme-state.js';
import { EMPTY_LEDGER, type Ledger } from '../../src/prepayment/ledger.js';
import {
  alertsSent,
  atFirstWake,
  changeDebt,
  changePaymentMode,
  consumerTopUp,
  criticalCommand,
  dateTimeStatus,
  deliverAtWake,
  env,
  ESME,
  expectRtdsShape,
  gasCommand,
  gbz,
  GSME,
  joinedGsme,
  payloadShape,
  prepaymentConfiguration,
  readAttributes,
  rtdsMessage,
  selectEmergencyCredit,
  setTime,
  SUPPLIER,
  T0,
  theResponse,
  timerAt,
  utrnFor,
  zigbeeTime,
  zclPayloads,
} from '../support/gas-commands.js';

const UTRN_COUNTER = 0x6_0000_0000n;
const MINUTE = 60_000;

/** A ledger with `fields`, the rest empty. */
const ledgerWith = (fields: Partial<Ledger>): Ledger => ({ ...EMPTY_LEDGER, ...fields });

/** The RTDS payload shape, and a header date-time where RTDS has one. */
function compareWithRtds(ours: GbcsMessage, folder: string, file: string): void {
  const rtds = expectRtdsShape(ours, folder, file);
  if (rtds !== undefined) expect(dateTimeStatus(ours) === null).toBe(dateTimeStatus(rtds) === null);
}

/** The RTDS COMMAND's payload when the vectors are present, else ours. */
function rtdsPayloadOr(folder: string, file: string, ours: GbcsPayload): GbcsPayload {
  return rtdsMessage(folder, file)?.payload ?? ours;
}

function topUpResponse(message: GbcsMessage): Uint8Array {
  const p = message.payload;
  if (p.kind !== 'gbz' || p.gbz.kind !== 'components') throw new Error('not GBZ');
  const c = p.gbz.components[0]!;
  if (c.encrypted || c.payload.kind !== 'raw') throw new Error('not a raw payload');
  return c.payload.bytes;
}

const i32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getInt32(at, true);

describe('GSME top-up (CS01b)', () => {
  const topUp = (utrn: string, counter: bigint) =>
    gasCommand({ messageCode: GSME_CODES.CS01b, payload: consumerTopUp(utrn), counter });

  it('credits an authentic UTRN and answers Consumer Top Up Response with a date-time (RTDS 2.2 SUCCESS shape)', () => {
    const utrn = utrnFor(GSME, UTRN_COUNTER, 1250);
    const session = atFirstWake(topUp(utrn, UTRN_COUNTER), {
      prepayment: { ledger: ledgerWith({ meterBalance: 500_000 }) },
    });
    const response = theResponse(session.effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header.originatorCounter).toBe(UTRN_COUNTER);
    expect(dateTimeStatus(response.message)).toBe(0xff);
    compareWithRtds(response.message, '2.2_CS01b', 'CS01b_2.2_SUCCESS_RESPONSE_GBCS.HEX');
    const bytes = topUpResponse(response.message);
    expect(bytes[0]).toBe(0x00);
    expect(i32(bytes, 1)).toBe(1_250_000);
    expect(i32(bytes, 6)).toBe(1_750_000);
    expect(session.state.prepayment).toMatchObject({
      ledger: { meterBalance: 1_750_000 },
      utrnCounters: [UTRN_COUNTER],
    });
    expect(alertsSent(session.effects)).toEqual([]);
  });

  it('refuses a duplicate UTRN in a fresh command: result 0x02, alert 0x8F51, credit unchanged', () => {
    const utrn = utrnFor(GSME, UTRN_COUNTER, 100);
    const first = atFirstWake(topUp(utrn, UTRN_COUNTER));
    const again = deliverAtWake(first.state, first.wakeAt, topUp(utrn, UTRN_COUNTER + 1n));
    expect(topUpResponse(theResponse(again.effects).message)[0]).toBe(0x02);
    expect(alertsSent(again.effects).map((a) => a.alertCode)).toEqual([0x8f51]);
    expect(again.state.prepayment.ledger.meterBalance).toBe(first.state.prepayment.ledger.meterBalance);
  });

  it("refuses a UTRN not made with its supplier's key: result 0x01, alert 0x8F63 (RTDS 2.2 ERROR shape)", () => {
    const other = new FleetKeyStore('another-fleet');
    const z = new SharedSecretCache().between(
      other,
      { eui: SUPPLIER, usage: 'KA', prepayment: true },
      { eui: GSME, usage: 'KA' },
    );
    const forged = generateUtrn(z, {
      originator: SUPPLIER,
      device: GSME,
      counter: UTRN_COUNTER,
      value: 100,
      valueClass: 'pounds',
    });
    const session = atFirstWake(topUp(forged.utrn, UTRN_COUNTER));
    const response = theResponse(session.effects);
    compareWithRtds(response.message, '2.2_CS01b', 'CS01b_2.2_ERROR_RESPONSE_GBCS.HEX');
    const bytes = topUpResponse(response.message);
    expect([bytes[0], i32(bytes, 1), i32(bytes, 6)]).toEqual([0x01, -1, -1]);
    const alerts = alertsSent(session.effects);
    expect(alerts.map((a) => a.alertCode)).toEqual([0x8f63]);
    expect(alerts[0]!.verification.mac).toBe('valid');
    expect(session.state.prepayment).toEqual(session.before.prepayment);
  });

  it('refuses a UTRN made for another meter of the premise: alert 0x8F64', () => {
    const session = atFirstWake(topUp(utrnFor(ESME, UTRN_COUNTER, 100), UTRN_COUNTER));
    expect(topUpResponse(theResponse(session.effects).message)[0]).toBe(0x01);
    expect(alertsSent(session.effects).map((a) => a.alertCode)).toEqual([0x8f64]);
    expect(session.state.prepayment.ledger.meterBalance).toBe(0);
  });

  it('refuses a top-up above the maximum credit per top-up (0x8F5B) or the maximum balance (0x8F47)', () => {
    const s1 = atFirstWake(topUp(utrnFor(GSME, UTRN_COUNTER, 20, 'pounds'), UTRN_COUNTER), {
      prepayment: { maxCreditPerTopUp: 1_000_000 },
    });
    expect(alertsSent(s1.effects).map((a) => a.alertCode)).toEqual([0x8f5b]);
    const s2 = atFirstWake(topUp(utrnFor(GSME, UTRN_COUNTER, 10, 'pounds'), UTRN_COUNTER), {
      prepayment: { maxCreditLimit: 3_000_000, ledger: ledgerWith({ meterBalance: 2_500_000 }) },
    });
    expect(alertsSent(s2.effects).map((a) => a.alertCode)).toEqual([0x8f47]);
    expect(s2.state.prepayment.ledger.meterBalance).toBe(2_500_000);
  });

  it('takes a UTRN typed on the keypad, even asleep: credit added, alert 0x810E; the same UTRN again is a duplicate', () => {
    const { state } = joinedGsme();
    const utrn = utrnFor(GSME, UTRN_COUNTER, 500);
    const typed = stepGsme(state, { type: 'local', action: { kind: 'keypad-utrn', utrn } }, T0 + 1000, env);
    expect(typed.state.prepayment.ledger.meterBalance).toBe(500_000);
    expect(alertsSent(typed.effects).map((a) => a.alertCode)).toEqual([0x810e]);
    const again = stepGsme(
      typed.state,
      { type: 'local', action: { kind: 'keypad-utrn', utrn } },
      T0 + 2000,
      env,
    );
    expect(again.state.prepayment.ledger.meterBalance).toBe(500_000);
    expect(alertsSent(again.effects).map((a) => a.alertCode)).toEqual([0x8f51]);
  });

  it('accepts a UTRN issued earlier but entered later, above the lowest cached counter, as the ESME does (GBCS 14.3.6)', () => {
    const { state } = joinedGsme();
    const keypad = (s: typeof state, counter: bigint, at: number) =>
      stepGsme(
        s,
        { type: 'local', action: { kind: 'keypad-utrn', utrn: utrnFor(GSME, counter, 100) } },
        at,
        env,
      );
    const one = keypad(state, 1n << 32n, T0 + 1000);
    const three = keypad(one.state, 3n << 32n, T0 + 2000);
    const two = keypad(three.state, 2n << 32n, T0 + 3000);
    expect(alertsSent(two.effects).map((a) => a.alertCode)).toEqual([0x810e]);
    expect(two.state.prepayment.ledger.meterBalance).toBe(300_000);
    expect(two.state.prepayment.utrnCounters).toEqual([1n << 32n, 2n << 32n, 3n << 32n]);
    const twice = keypad(two.state, 2n << 32n, T0 + 4000);
    expect(alertsSent(twice.effects).map((a) => a.alertCode)).toEqual([0x8f51]);
    const below = keypad(keypad(state, 3n << 32n, T0 + 1000).state, 2n << 32n, T0 + 2000);
    expect(alertsSent(below.effects).map((a) => a.alertCode)).toEqual([0x8f51]);
    expect(below.state.prepayment.ledger.meterBalance).toBe(100_000);
  });
});

describe('GSME debt (GCS04)', () => {
  it('sets and adds to the three debt registers, one Default Response each (RTDS 2.3 shape)', () => {
    const payload = rtdsPayloadOr(
      '2.3_GCS04',
      'GCS04_2.3_SUCCESS_COMMAND_GBCS.HEX',
      changeDebt([
        { amount: 1_000_000, type: 1 },
        { amount: 500_000, type: 3 },
        { amount: 1_000_000, type: 5 },
      ]),
    );
    const command = criticalCommand({ messageCode: GSME_CODES.GCS04, payload, counter: 1000n });
    const session = atFirstWake(command, {
      prepayment: { ledger: ledgerWith({ timeDebts: [10, 20], paymentDebt: 30 }) },
    });
    const response = theResponse(session.effects);
    expect(response.verification.signature).toBe('valid');
    compareWithRtds(response.message, '2.3_GCS04', 'GCS04_2.3_SUCCESS_RESPONSE_GBCS.HEX');
    // RTDS: type 1 incremental 1000000, type 2 incremental 500000, type 3 incremental 1000000 [O].
    expect(session.state.prepayment.ledger).toMatchObject({
      timeDebts: [1_000_010, 500_020],
      paymentDebt: 1_000_030,
    });
    expect(session.state.prepayment.debtRecovery).toHaveLength(3);
  });

  it('answers INVALID_VALUE for an unknown debt amount type and leaves the registers alone', () => {
    const payload = changeDebt([{ amount: 5, type: 9 }]);
    const session = atFirstWake(criticalCommand({ messageCode: GSME_CODES.GCS04, payload, counter: 1000n }));
    const p = theResponse(session.effects).message.payload;
    expect(zclPayloads(p)[0]).toMatchObject({
      status: 0x87,
    });
    expect(session.state.prepayment.ledger).toEqual(EMPTY_LEDGER);
  });
});

describe('GSME prepayment configuration (GCS05)', () => {
  const config = {
    ecLimit: 10_000_000,
    ecThreshold: 100_000,
    debtCap: 100_000,
    lowCredit: 5_000_000,
    maxCredit: 25_000_000,
    maxPerTopUp: 25_000_000,
    calendarId: 0x1c374a80,
  };

  it('records every component now and answers one Default Response each, with a date-time (RTDS 2.1 IMMEDIATE shape)', () => {
    const payload = rtdsPayloadOr(
      '2.1_GCS05',
      'GCS05_2.1_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX',
      prepaymentConfiguration({ at: 0, ...config }),
    );
    const session = atFirstWake(criticalCommand({ messageCode: GSME_CODES.GCS05, payload, counter: 1000n }));
    const response = theResponse(session.effects);
    expect(response.verification.signature).toBe('valid');
    expect(dateTimeStatus(response.message)).toBe(0xff);
    compareWithRtds(response.message, '2.1_GCS05', 'GCS05_2.1_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX');
    expect(session.state.prepayment).toMatchObject({
      emergencyCreditLimit: config.ecLimit,
      emergencyCreditThreshold: config.ecThreshold,
      overallDebtCap: config.debtCap,
      lowCreditWarning: config.lowCredit,
      maxCreditLimit: config.maxCredit,
      maxCreditPerTopUp: config.maxPerTopUp,
      nonDisablementCalendar: config.calendarId,
      pending: [],
    });
  });

  it('holds a future-dated configuration until its time, then applies it and reports each part by a signed 0x8F66 alert', () => {
    const at = T0 + 3 * 86_400_000;
    const payload = prepaymentConfiguration({ at: zigbeeTime(at), ...config });
    const session = atFirstWake(criticalCommand({ messageCode: GSME_CODES.GCS05, payload, counter: 1001n }));
    expect(session.state.prepayment.emergencyCreditLimit).toBe(0);
    expect(session.state.prepayment.pending).toHaveLength(6);
    expect(timerAt(session.effects, FUTURE_DATED_TIMER)).toBe(at);
    const due = stepGsme(session.state, { type: 'timer', timer: { name: FUTURE_DATED_TIMER } }, at, env);
    expect(due.state.prepayment).toMatchObject({
      emergencyCreditLimit: config.ecLimit,
      lowCreditWarning: config.lowCredit,
      pending: [],
    });
    const alerts = alertsSent(due.effects);
    expect(alerts).toHaveLength(6);
    for (const a of alerts) {
      expect(a.alertCode).toBe(0x8f66);
      expect(a.verification.signature).toBe('valid');
      expect(a.message.header).toMatchObject({ messageCode: 0x00cd, recipient: SUPPLIER });
      const p = a.message.payload;
      expect(p.kind === 'gbz' && p.gbz.kind === 'alert' && p.gbz.body).toMatchObject({
        messageCode: GSME_CODES.GCS05,
        originatorCounter: 1001n,
      });
    }
    const rtds = rtdsMessage(
      '2.1_GCS05',
      'GCS05_2.1_8F66_FUTURE_DATED_SUCCESS_ALERT_SET_LOW_CREDIT_WARNING_LEVEL_GBCS.HEX',
    );
    if (rtds !== undefined) expect(payloadShape(alerts[0]!.message)).toEqual(payloadShape(rtds));
  });

  it('GCS28 setting the clock re-arms the future-dated timer and a pending CS06 activation from the new clock', () => {
    const offset = 2 * 60 * MINUTE; // the GSME clock runs two hours ahead until GCS28
    const at = T0 + 3 * 86_400_000;
    const future = atFirstWake(
      criticalCommand({
        messageCode: GSME_CODES.GCS05,
        payload: prepaymentConfiguration({ at: zigbeeTime(at), ...config }),
        counter: 1001n,
      }),
      { clockOffsetMs: offset },
    );
    expect(timerAt(future.effects, FUTURE_DATED_TIMER)).toBe(at - offset);
    const activateAt = T0 + 5 * 86_400_000;
    const activation = deliverAtWake(
      future.state,
      future.wakeAt,
      criticalCommand({
        messageCode: COMMON_CODES.CS06,
        payload: asn1Response({
          kind: 'activateFirmwareCommand',
          manufacturerImageHash: new Uint8Array(32).fill(0xaa),
          originatorCounter: 1002n,
          executionDateTime: generalizedTimeAt(activateAt),
        }),
        counter: 1002n,
      }),
    );
    expect(timerAt(activation.effects, FIRMWARE_ACTIVATION_TIMER)).toBe(activateAt - offset);
    const wakeAt = activation.wakeAt;
    const set = deliverAtWake(
      activation.state,
      wakeAt,
      criticalCommand({
        messageCode: GSME_CODES.GCS28,
        payload: setTime(generalizedTimeAt(wakeAt - 30 * MINUTE), generalizedTimeAt(wakeAt + 30 * MINUTE)),
        counter: 1003n,
      }),
    );
    expect(set.state.clockOffsetMs).toBe(0);
    expect(timerAt(set.effects, FUTURE_DATED_TIMER)).toBe(at);
    expect(timerAt(set.effects, FIRMWARE_ACTIVATION_TIMER)).toBe(activateAt);
    // Fired at its re-armed time, the change is due by the new clock.
    const due = stepGsme(set.state, { type: 'timer', timer: { name: FUTURE_DATED_TIMER } }, at, env);
    expect(due.state.prepayment.pending).toEqual([]);
  });

  it('cancels a waiting configuration when a command carries the cancellation date', () => {
    const at = zigbeeTime(T0 + 3 * 86_400_000);
    const future = atFirstWake(
      criticalCommand({
        messageCode: GSME_CODES.GCS05,
        payload: prepaymentConfiguration({ at, ...config }),
        counter: 1001n,
      }),
    );
    const cancel = prepaymentConfiguration({ at: 0xffffffff, ...config });
    const cancelled = deliverAtWake(
      future.state,
      future.wakeAt,
      criticalCommand({ messageCode: GSME_CODES.GCS05, payload: cancel, counter: 1002n }),
    );
    // The low-credit level is timed by its component's From Date Time: 0xFFFFFFFF cancels it too.
    expect(cancelled.state.prepayment.pending).toEqual([]);
    expect(cancelled.effects).toContainEqual({ kind: 'cancel-timer', name: FUTURE_DATED_TIMER });
  });
});

describe('GSME payment mode (GCS02/GCS03) and emergency credit (GCS06)', () => {
  it('GCS03 switches to prepayment now and answers Change Payment Mode Response (RTDS 1.6 GCS02 shape)', () => {
    const command = criticalCommand({
      messageCode: GSME_CODES.GCS03,
      payload: changePaymentMode(0, PREPAYMENT_PAYMENT_CONTROL, -100_000),
      counter: 1000n,
    });
    const session = atFirstWake(command, {
      prepayment: {
        emergencyCreditLimit: 1_000_000,
        emergencyCreditThreshold: 200_000,
        nonDisablementCalendar: 2,
      },
    });
    const response = theResponse(session.effects);
    expect(response.verification.signature).toBe('valid');
    expect(dateTimeStatus(response.message)).toBe(0xff);
    compareWithRtds(response.message, '1.6_GCS02', 'GCS02_1.6_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX');
    expect(session.state.prepayment).toMatchObject({
      mode: 'prepayment',
      paymentControl: PREPAYMENT_PAYMENT_CONTROL,
      cutOff: -100_000,
    });
    const bytes = topUpResponse(response.message);
    expect([...bytes]).toEqual([0x01, 2, 0, 0, 0, 0x40, 0x42, 0x0f, 0x00, 0x40, 0x0d, 0x03, 0x00]);
  });

  it('GCS02 future-dated: recorded now, credit mode at its time with a 0x8F66 alert', () => {
    const at = T0 + 86_400_000;
    const payload = changePaymentMode(zigbeeTime(at), 0x0c94);
    const command = criticalCommand({ messageCode: GSME_CODES.GCS02, payload, counter: 1001n });
    const session = atFirstWake(command, {
      prepayment: { mode: 'prepayment', paymentControl: PREPAYMENT_PAYMENT_CONTROL },
    });
    compareWithRtds(
      theResponse(session.effects).message,
      '1.6_GCS02',
      'GCS02_1.6_FUTURE_DATED_SUCCESS_RESPONSE_GBCS.HEX',
    );
    expect(session.state.prepayment.mode).toBe('prepayment');
    const due = stepGsme(session.state, { type: 'timer', timer: { name: FUTURE_DATED_TIMER } }, at, env);
    expect(due.state.prepayment.mode).toBe('credit');
    const [alert] = alertsSent(due.effects);
    const rtds = rtdsMessage(
      '1.6_GCS02',
      'GCS02_1.6_8F66_FUTURE_DATED_SUCCESS_ALERT_CHANGE_PAYMENT_MODE_GBCS.HEX',
    );
    if (rtds !== undefined) expect(payloadShape(alert!.message)).toEqual(payloadShape(rtds));
    expect(alert!.message.payload).toMatchObject({
      gbz: { body: { messageCode: 0x006c, originatorCounter: 1001n, commandId: 0x06 } },
    });
  });

  it('GCS06 takes the emergency credit on offer in prepayment mode (RTDS 2.5 shape); refuses it in credit mode', () => {
    const prepay = {
      mode: 'prepayment' as const,
      emergencyCreditLimit: 1_000_000,
      emergencyCreditThreshold: 200_000,
      ledger: ledgerWith({ meterBalance: 100_000 }),
    };
    const command = criticalCommand({
      messageCode: GSME_CODES.GCS06,
      payload: selectEmergencyCredit(),
      counter: 1000n,
    });
    const session = atFirstWake(command, { prepayment: prepay });
    compareWithRtds(theResponse(session.effects).message, '2.5_GCS06', 'GCS06_2.5_SUCCESS_RESPONSE_GBCS.HEX');
    expect(session.state.prepayment.ledger).toMatchObject({
      emergencyCreditActive: true,
      emergencyCreditBalance: 1_000_000,
    });
    const refused = atFirstWake(command);
    const p = theResponse(refused.effects).message.payload;
    expect(zclPayloads(p)[0]).toMatchObject({
      status: 0x01,
    });
    expect(refused.state.prepayment.ledger.emergencyCreditActive).toBe(false);
  });
});

describe('GSME reads answered by the GSME itself', () => {
  const cases = [
    {
      code: 0x0075,
      folder: '4.3_GCS14',
      file: 'GCS14_4.3_SUCCESS_UNRELIABLE_RESPONSE_GBCS.HEX',
      payload: gbz([
        readAttributes(0x0700, [0x0617, 0x0616], 0),
        readAttributes(0x0705, [0x0005, 0x0002, 0x0001, 0x0231, 0x0211, 0x0221], 1),
      ]),
    },
    {
      code: 0x00b6,
      folder: '4.1.2_GCS13c',
      file: 'GCS13c_4.1.2_SUCCESS_UNRELIABLE_RESPONSE_GBCS.HEX',
      payload: gbz([readAttributes(0x0702, [0x0302, 0x0301, 0x0300, 0x0100, 0x0102, 0x0104, 0x0106])]),
    },
    {
      code: 0x012a,
      folder: '4.18_GCS60a',
      file: 'GCS60a_4.18_SUCCESS_UNRELIABLE_GSME_RESPONSE_GBCS.HEX',
      payload: gbz([readAttributes(0x0702, [0x0a00], 0), readAttributes(0x0705, [0x0001], 1)]),
    },
    {
      code: 0x008d,
      folder: '4.18_GCS60',
      file: 'GCS60_4.18_SUCCESS_RESPONSE_GBCS.HEX',
      payload: gbz([readAttributes(0x0702, [0x0a00], 0), readAttributes(0x0705, [0x0001], 1)]),
    },
    {
      code: 0x00bf,
      folder: '6.2.9_GCS21j',
      file: 'GCS21j_6.2.9_SUCCESS_RESPONSE_GBCS.HEX',
      payload: gbz([readAttributes(0x0705, [0x0000])]),
    },
  ];

  it.each(cases)(
    '$folder: sensitive clusters encrypted for the supplier, same shape as RTDS',
    ({ code, folder, file, payload }) => {
      const response = theResponse(
        atFirstWake(gasCommand({ messageCode: code, payload, counter: 1001n }), {
          tiers: [1000, 2000, 3000, 4000],
          prepayment: {
            ledger: ledgerWith({ meterBalance: 2_500_000, timeDebts: [5000, 5000], paymentDebt: 5000 }),
          },
        }).effects,
      );
      expect(response.verification.mac).toBe('valid');
      compareWithRtds(response.message, folder, file);
    },
  );
});
