// The GSME's prepayment account in virtual time (issue 8): a prepayment GSME with a flat 2 kW demand and a tariff runs
// out of credit and closes its valve, waits out a non-disablement period, takes top-ups at the keypad and from its
// PPMID (PCS01) and emergency credit from the PPMID (PCS02), and keeps its supply-loss account. The GSME is driven as
// its CHF drives it: timers fire in order, each poll is answered from a mailbox the test fills.
import { describe, expect, it } from 'vitest';
import { DeviceType, JoinMethodAndRole } from '../../src/codec/gbcs/asn1/index.js';
import { decodeGbcs, parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import { asn1Response, COMMON_CODES } from '../../src/devices/common-commands.js';
import { GSME_ACCOUNTING, gsmeSettings, KWH_PER_CUBIC_METRE } from '../../src/devices/gsme-account.js';
import { buildPpmidGsmeCommand, type PpmidGsmeRequest } from '../../src/devices/gsme-ppmid.js';
import { settleAccount } from '../../src/devices/prepayment-account.js';
import {
  PREPAYMENT_PAYMENT_CONTROL,
  type GasCalendar,
  type GsmePrepayment,
} from '../../src/devices/gsme-state.js';
import { createGsme, GSME_CODES, stepGsme, type GsmeInit, type GsmeState } from '../../src/devices/gsme.js';
import { utcMsOfDlmsDateTime } from '../../src/devices/outbound.js';
import type { ActorInput, Effect } from '../../src/devices/types.js';
import { gasCalendar } from '../../src/prepayment/calendar.js';
import { EMPTY_LEDGER, type Ledger } from '../../src/prepayment/ledger.js';
import {
  alertsSent,
  armValve,
  atFirstWake,
  CHF,
  closeValve,
  criticalCommand,
  deviceInit,
  env,
  ESME,
  expectRtdsShape,
  framesTo,
  GPF,
  GSME,
  prepaymentConfiguration,
  rtdsMessage,
  T0,
  utrnFor,
  zclPayloads,
} from '../support/gas-commands.js';
import { envWith, IHD, PPMID } from '../support/identities.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Money: GBP × 10^-5 (RTDS Price Trailing Digit 0x50). */
const POUND = 100_000;

const ledgerWith = (fields: Partial<Ledger>): Ledger => ({ ...EMPTY_LEDGER, ...fields });

/**
 * A prepayment GSME: 2 kW of gas at 30p/kWh (£0.60 an hour, no standing charge), £3 of credit — five hours — and a
 * low credit warning at £1 (after 3 h 20 min).
 */
const PREPAYMENT: Partial<GsmePrepayment> = {
  mode: 'prepayment',
  paymentControl: PREPAYMENT_PAYMENT_CONTROL,
  cutOff: 0,
  lowCreditWarning: 1 * POUND,
  tariff: { unitPrice: 30_000, standingChargePerDay: 0 },
  profile: { kind: 'flat', watts: 2000 },
  ledger: ledgerWith({ meterBalance: 3 * POUND }),
};
const PER_HOUR = 60_000;

/** Friendly credit 04:00–08:00 UTC every day: one day profile, one week profile, a season from 1 January. */
const FRIENDLY_04_TO_08: GasCalendar = {
  providerId: 0,
  issuerEventId: 0,
  days: [
    {
      id: 1,
      entries: [
        [0, 0],
        [4 * 60, 1],
        [8 * 60, 0],
      ],
    },
  ],
  weeks: [{ id: 1, days: [1, 1, 1, 1, 1, 1, 1] }],
  seasons: [{ date: [0xff, 1, 1, 0xff], ref: 1 }],
  specialDays: [],
};

// ---------------------------------------------------------------------------------------------------------
// The GSME driven as its CHF would drive it

interface Premise {
  state: GsmeState;
  /** Pending timers by name (a later one of the same name replaces it, as the scheduler does). */
  readonly timers: Map<string, number>;
  /** Commands waiting for the GSME's next poll. */
  readonly mailbox: Uint8Array[];
  /** Everything the GSME did, in order. */
  readonly effects: Effect[];
}

function input(p: Premise, i: ActorInput, at: number): void {
  const out = stepGsme(p.state, i, at, env);
  p.state = out.state;
  p.effects.push(...out.effects);
  for (const e of out.effects) {
    if (e.kind === 'timer') p.timers.set(e.timer.name, e.atMs);
    else if (e.kind === 'cancel-timer') p.timers.delete(e.name);
  }
  // The CHF answers each poll at once with the next queued message, or an empty mailbox.
  if (framesTo(out.effects, CHF).some((f) => f.type === 'gsme-poll')) {
    const bytes = p.mailbox.shift() ?? null;
    const frame = { type: 'gsme-mailbox', remaining: p.mailbox.length, bytes } as const;
    input(p, { type: 'han', from: CHF, frame }, at + 100);
  }
}

/** Fires every timer due up to `until`, in time order. */
function runUntil(p: Premise, until: number): void {
  for (let guard = 0; guard < 10_000; guard++) {
    const next = [...p.timers].sort((a, b) => a[1] - b[1])[0];
    if (next === undefined || next[1] > until) return;
    p.timers.delete(next[0]);
    input(p, { type: 'timer', timer: { name: next[0] } }, next[1]);
  }
  throw new Error('timers kept firing');
}

/** A GSME fitted with its battery and joined to the SMHAN at T0. */
function premise(init: Partial<GsmeInit> = {}): Premise {
  const p: Premise = {
    state: createGsme({ ...deviceInit(GSME), gpf: GPF, utrnPeers: [ESME], ...init }),
    timers: new Map(),
    mailbox: [],
    effects: [],
  };
  input(p, { type: 'power', on: true }, T0);
  input(p, { type: 'han', from: CHF, frame: { type: 'join-response', outcome: 'success' } }, T0);
  return p;
}

/** The effects of `act` alone. */
function during(p: Premise, act: () => void): Effect[] {
  const mark = p.effects.length;
  act();
  return p.effects.slice(mark);
}

const alertCodes = (effects: readonly Effect[]) => alertsSent(effects).map((a) => a.alertCode);

/** The ledger as the GSME would hold it at `at` (settled on a copy: the state only moves at inputs). */
const ledgerAt = (p: Premise, at: number): Ledger =>
  settleAccount(GSME_ACCOUNTING, p.state, at, env).state.prepayment.ledger;

function local(p: Premise, action: Extract<ActorInput, { type: 'local' }>['action'], at: number): Effect[] {
  return during(p, () => input(p, { type: 'local', action }, at));
}

/** The responses (CRA 2) the GSME sent, parsed. */
function responsesIn(effects: readonly Effect[]) {
  return framesTo(effects, CHF)
    .flatMap((f) => (f.type === 'gbcs' ? [parseGbcs(f.bytes)] : []))
    .filter((m) => m.message.header.cra === 2);
}

function rawPayload(message: GbcsMessage): Uint8Array {
  const [zcl] = zclPayloads(message.payload);
  if (zcl?.kind !== 'raw') throw new Error('not a raw ZCL payload');
  return zcl.bytes;
}

const i32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getInt32(at, true);

/** The CS03A1 join a GSME makes with its PPMID (Method A with the PPMID's certificate; domain brief §4.2). */
function joinPpmid(counter: bigint): Uint8Array {
  const certificate = new TestPki({ seed: 'test-fleet', notBefore: new Date(T0) }).issueDeviceCertificate({
    eui: PPMID,
    deviceType: 'ppmid',
    usage: 'KA',
  }).certificate;
  const payload = asn1Response({
    kind: 'joinDeviceCommand',
    joinMethodAndRole: JoinMethodAndRole.methodAInitiator,
    otherDeviceEntityId: PPMID,
    otherDeviceType: DeviceType.ppmid,
    otherDeviceCertificate: certificate,
  });
  return criticalCommand({ messageCode: COMMON_CODES.CS03A1, payload, counter });
}

/** A prepayment GSME that has joined its PPMID by CS03A1 at its first wake-up. */
function withPpmid(init: Partial<GsmeInit> = {}): Premise {
  const p = premise(init);
  p.mailbox.push(joinPpmid(1000n));
  runUntil(p, T0 + 30 * MINUTE);
  expect(p.state.joins).toContainEqual({ device: PPMID, deviceType: DeviceType.ppmid });
  return p;
}

const ppmidRequest = (counter: bigint, utrn?: string): PpmidGsmeRequest =>
  utrn === undefined
    ? { ppmid: PPMID, gsme: GSME, counter, kind: 'activate-emergency-credit' }
    : { ppmid: PPMID, gsme: GSME, counter, kind: 'top-up', utrn };

/** UTRN counters: only bits 32–41 travel in a UTRN (GBCS 14), so successive counters step by 2^32. */
const UTRN_COUNTER = 0x7_0000_0000n;
const NEXT_UTRN = UTRN_COUNTER + (1n << 32n);

// ---------------------------------------------------------------------------------------------------------

describe('GSME prepayment account: running out of credit', () => {
  it('closes the valve when the credit runs out (0x8F0F), asleep, after warning of low credit (0x810D): supply loss "no credit"', () => {
    const p = premise({ prepayment: PREPAYMENT });
    runUntil(p, T0 + 5 * HOUR - MINUTE);
    expect(p.state.valve).toBe('open');
    expect(alertCodes(p.effects)).toEqual([0x810d]);
    const out = during(p, () => runUntil(p, T0 + 5 * HOUR + 1000));
    expect(alertCodes(out)).toEqual([0x8f0f]);
    expect(p.state).toMatchObject({ valve: 'closed', awake: false, mirrorStale: true });
    expect(p.state.supplyLoss.current?.cause).toBe('no-credit');
    expect(Math.abs(p.state.supplyLoss.current!.sinceMs - (T0 + 5 * HOUR))).toBeLessThan(1000);
    expect(p.state.eventLog.map((e) => e.code)).toEqual(expect.arrayContaining([0x810d, 0x8f0f]));
    // 10 kWh of gas in five hours: 10 000 / 11.2 litres on the register.
    expect(p.state.consumption).toBe(Math.floor(10_000 / KWH_PER_CUBIC_METRE));
    expect(p.state.prepayment.ledger.meterBalance).toBeLessThanOrEqual(0);
    expect(p.state.prepayment.ledger.meterBalance).toBeGreaterThan(-10);
    // The GPF hears of it at the next wake-up.
    const next = during(p, () => runUntil(p, T0 + 6 * HOUR));
    const mirror = framesTo(next, GPF).find((f) => f.type === 'mirror-update');
    expect(mirror?.type === 'mirror-update' && mirror.mirror.valve).toBe('closed');
    expect(p.state.consumption).toBe(Math.floor(10_000 / KWH_PER_CUBIC_METRE));
  });

  it('keeps the valve open inside a non-disablement period (0x8F83) and closes it at the period end', () => {
    const p = premise({
      prepayment: { ...PREPAYMENT, calendar: FRIENDLY_04_TO_08, nonDisablementCalendar: 1 },
    });
    expect(p.state.prepayment.friendlyCalendar).toEqual(gasCalendar(FRIENDLY_04_TO_08));
    runUntil(p, T0 + 7 * HOUR);
    expect(alertCodes(p.effects)).toEqual([0x810d, 0x8f83]);
    expect(p.state.valve).toBe('open');
    expect(p.state.supplyLoss.current).toBeNull();
    // Gas still flows on credit below zero: two hours past 05:00 at £0.60 an hour.
    expect(ledgerAt(p, T0 + 7 * HOUR).meterBalance).toBeCloseTo(-2 * PER_HOUR, -2);
    const out = during(p, () => runUntil(p, T0 + 9 * HOUR));
    expect(alertCodes(out)).toEqual([0x8f0f]);
    expect(p.state.valve).toBe('closed');
    expect(p.state.supplyLoss.current).toMatchObject({ cause: 'no-credit' });
    expect(Math.abs(p.state.supplyLoss.current!.sinceMs - (T0 + 8 * HOUR))).toBeLessThan(1000);
  });

  it('a keypad top-up restores credit but the valve stays closed ("awaiting restore") until GCS39 arms it and the consumer opens it', () => {
    const p = premise({ prepayment: PREPAYMENT });
    runUntil(p, T0 + 6 * HOUR);
    expect(p.state.valve).toBe('closed');
    const typed = local(p, { kind: 'keypad-utrn', utrn: utrnFor(GSME, UTRN_COUNTER, 500) }, T0 + 6 * HOUR);
    expect(alertCodes(typed)).toEqual([0x810e]);
    expect(p.state.prepayment.ledger.meterBalance).toBeGreaterThan(5 * POUND - 10);
    expect(p.state.valve).toBe('closed');
    expect(p.state.supplyLoss.current).toEqual({ sinceMs: T0 + 6 * HOUR, cause: 'awaiting-restore' });
    // The consumer cannot open a valve nobody armed.
    local(p, { kind: 'restore-supply' }, T0 + 6 * HOUR + MINUTE);
    expect(p.state.valve).toBe('closed');
    p.mailbox.push(armValve(2000n));
    const armed = during(p, () => runUntil(p, T0 + 7 * HOUR));
    expect(responsesIn(armed)).toHaveLength(1);
    expect(p.state.valve).toBe('armed');
    expect(p.state.supplyLoss.current?.cause).toBe('awaiting-restore');
    local(p, { kind: 'restore-supply' }, T0 + 7 * HOUR);
    expect(p.state.valve).toBe('open');
    expect(p.state.supplyLoss.current).toBeNull();
    const { totalsMs, periods } = p.state.supplyLoss;
    expect(periods.map((x) => x.cause)).toEqual(['no-credit', 'awaiting-restore']);
    expect(totalsMs['awaiting-restore']).toBe(HOUR);
    expect(Math.abs(totalsMs['no-credit'] - HOUR)).toBeLessThan(1000);
    // Gas flows and is charged again.
    runUntil(p, T0 + 8 * HOUR);
    expect(ledgerAt(p, T0 + 8 * HOUR).meterBalance).toBeCloseTo(5 * POUND - PER_HOUR, -2);
  });

  it('GCS32 closing the valve counts as disabled remotely, not as no credit', () => {
    const p = premise({ prepayment: PREPAYMENT });
    p.mailbox.push(closeValve(2000n));
    runUntil(p, T0 + 30 * MINUTE);
    expect(p.state.valve).toBe('closed');
    expect(p.state.supplyLoss.current?.cause).toBe('disabled-remotely');
    // No gas flows: only the (zero) standing charge, so the credit lasts.
    const balance = p.state.prepayment.ledger.meterBalance;
    runUntil(p, T0 + 10 * HOUR);
    expect(p.state.prepayment.ledger.meterBalance).toBe(balance);
    expect(p.state.supplyLoss.current?.cause).toBe('disabled-remotely');
  });
});

describe('GSME prepayment account: debt and configuration', () => {
  it('collects time debts per their ZSE recovery frequency and recovers the payment debt from top-ups within the Overall Debt Cap', () => {
    const p = premise({
      prepayment: {
        mode: 'prepayment',
        overallDebtCap: 2 * POUND,
        // GCS04's [method, frequency, amount, percentage]: £0.10 a day, £0.05 a week, 25 % of each payment.
        debtRecovery: [
          [0, 0x01, 10_000, 0],
          [0, 0x02, 5_000, 0],
          [1, 0x01, 0, 2500],
        ],
        ledger: ledgerWith({
          meterBalance: 10 * POUND,
          timeDebts: [100_000, 50_000],
          paymentDebt: 10 * POUND,
        }),
      },
    });
    expect(gsmeSettings(p.state.prepayment).timeDebtRates).toEqual([
      { amount: 10_000, periodMs: DAY },
      { amount: 5_000, periodMs: 7 * DAY },
    ]);
    runUntil(p, T0 + 3 * DAY);
    // Daily at UTC midnights after T0; weekly at multiples of a week since the epoch (Thursday 2025-01-02) [A].
    expect(ledgerAt(p, T0 + 3 * DAY)).toMatchObject({
      timeDebts: [70_000, 45_000],
      meterBalance: 1_000_000 - 35_000,
    });
    local(p, { kind: 'keypad-utrn', utrn: utrnFor(GSME, UTRN_COUNTER, 10, 'pounds') }, T0 + 3 * DAY);
    // 25 % of £10 is £2.50, capped at the £2 Overall Debt Cap for the week.
    expect(p.state.prepayment.ledger).toMatchObject({
      paymentDebt: 8 * POUND,
      meterBalance: 965_000 + 8 * POUND,
    });
    local(p, { kind: 'keypad-utrn', utrn: utrnFor(GSME, NEXT_UTRN, 1, 'pounds') }, T0 + 3 * DAY + HOUR);
    expect(p.state.prepayment.ledger).toMatchObject({
      paymentDebt: 8 * POUND,
      meterBalance: 965_000 + 9 * POUND,
    });
  });

  it('GCS05 compiles the friendly credit calendar it publishes for the engine', () => {
    const config = {
      at: 0,
      ecLimit: 0,
      ecThreshold: 0,
      debtCap: 0,
      lowCredit: 0,
      maxCredit: 0,
      maxPerTopUp: 0,
      calendarId: 7,
    };
    const payload = prepaymentConfiguration(config);
    const session = atFirstWake(criticalCommand({ messageCode: GSME_CODES.GCS05, payload, counter: 1000n }));
    const p = session.state.prepayment;
    expect(p.calendar.days).toHaveLength(1);
    expect(p.friendlyCalendar).toEqual(gasCalendar(p.calendar));
    expect(p.friendlyCalendar.kind).toBe('gas');
  });

  it('the engine stays idle on a credit-mode GSME with no demand: steps leave the state as they found it', () => {
    const p = premise();
    const before = p.state;
    input(p, { type: 'local', action: { kind: 'activate-emergency-credit' } }, T0 + HOUR);
    expect(p.state).toBe(before);
    expect(GSME_ACCOUNTING.supplyOn(before)).toBe(true);
  });
});

describe('GSME top-ups from the keypad and the PPMID (PCS01)', () => {
  it('refuses a replayed UTRN with 0x8F51, at the keypad and from the PPMID (result 0x02)', () => {
    const p = withPpmid({ prepayment: PREPAYMENT });
    const utrn = utrnFor(GSME, UTRN_COUNTER, 200);
    expect(alertCodes(local(p, { kind: 'keypad-utrn', utrn }, T0 + HOUR))).toEqual([0x810e]);
    const balance = p.state.prepayment.ledger.meterBalance;
    expect(alertCodes(local(p, { kind: 'keypad-utrn', utrn }, T0 + HOUR))).toEqual([0x8f51]);
    expect(p.state.prepayment.ledger.meterBalance).toBe(balance);
    p.mailbox.push(buildPpmidGsmeCommand(ppmidRequest(1n, utrn), T0 + HOUR, env));
    const out = during(p, () => runUntil(p, T0 + 90 * MINUTE));
    expect(alertCodes(out)).toEqual([0x8f51]);
    const [response] = responsesIn(out);
    expect(rawPayload(response!.message)[0]).toBe(0x02);
  });

  it('PCS01 from the joined PPMID tops up: Consumer Top Up Response to the PPMID, MACed with the pair, credit remaining = the balance', () => {
    const p = withPpmid({ prepayment: PREPAYMENT });
    const utrn = utrnFor(GSME, UTRN_COUNTER, 500);
    p.mailbox.push(buildPpmidGsmeCommand(ppmidRequest(1n, utrn), T0 + HOUR, env));
    const out = during(p, () => runUntil(p, T0 + 90 * MINUTE));
    expect(alertCodes(out)).toEqual([0x810e]);
    const [response] = responsesIn(out);
    const answeredAt = response!.message.header.dateTime;
    const { header } = response!.message;
    expect(header).toMatchObject({
      cra: 2,
      originator: GSME,
      recipient: PPMID,
      originatorCounter: 1n,
      messageCode: 0x009b,
    });
    expect(header.dateTime).not.toBeNull();
    expect(verifyGbcs(response!, env.protection).mac).toBe('valid');
    const bytes = rawPayload(response!.message);
    expect(answeredAt).not.toBeNull();
    const at = utcMsOfDlmsDateTime(answeredAt!);
    expect([bytes[0], i32(bytes, 1), bytes[5]]).toEqual([0x00, 500_000, 0x02]);
    // Credit Remaining: the balance when the top-up was applied (the response's date-time, to the second).
    const balance = i32(bytes, 6);
    expect(Math.abs(balance - (8 * POUND - (PER_HOUR * (at - T0)) / HOUR))).toBeLessThan(PER_HOUR / 60);
    expect(p.state.security.counters[PPMID]).toBe(1n);
  });

  it('refuses PCS01 from a device it has not joined (0x8F30), with a bad MAC (0x8F1E) or a replayed counter (0x8F53)', () => {
    const refusedBy = (p: Premise, bytes: Uint8Array, until: number) => {
      const before = p.state.prepayment;
      p.mailbox.push(bytes);
      const out = during(p, () => runUntil(p, until));
      expect(responsesIn(out)).toEqual([]);
      expect(p.state.prepayment.utrnCounters).toEqual(before.utrnCounters);
      return alertCodes(out);
    };
    const unjoined = premise({ prepayment: PREPAYMENT });
    const utrn = utrnFor(GSME, UTRN_COUNTER, 100);
    expect(refusedBy(unjoined, buildPpmidGsmeCommand(ppmidRequest(1n, utrn), T0, env), T0 + HOUR)).toEqual([
      0x8f30,
    ]);
    const fromIhd = { ...ppmidRequest(1n, utrn), ppmid: IHD };
    expect(refusedBy(unjoined, buildPpmidGsmeCommand(fromIhd, T0, env), T0 + 2 * HOUR)).toEqual([0x8f30]);

    const p = withPpmid({ prepayment: PREPAYMENT });
    const forged = buildPpmidGsmeCommand(
      ppmidRequest(1n, utrn),
      T0,
      envWith(new FleetKeyStore('another-fleet')),
    );
    expect(refusedBy(p, forged, T0 + HOUR)).toEqual([0x8f1e]);
    p.mailbox.push(buildPpmidGsmeCommand(ppmidRequest(5n, utrn), T0 + HOUR, env));
    runUntil(p, T0 + 90 * MINUTE);
    expect(p.state.prepayment.utrnCounters).toEqual([UTRN_COUNTER]);
    const again = buildPpmidGsmeCommand(ppmidRequest(5n, utrnFor(GSME, NEXT_UTRN, 100)), T0, env);
    expect(refusedBy(p, again, T0 + 2 * HOUR)).toEqual([0x8f53]);
    expect(p.state.securityLog.map((e) => e.code)).toEqual([0x8f1e, 0x8f53]);
  });
});

describe('GSME emergency credit from the PPMID (PCS02)', () => {
  const offered: Partial<GsmePrepayment> = {
    ...PREPAYMENT,
    lowCreditWarning: 50_000,
    emergencyCreditLimit: 5 * POUND,
    emergencyCreditThreshold: 1 * POUND,
  };

  it('takes the emergency credit only while it is on offer; SUCCESS in the RTDS NA_PCS02 response shape, FAILURE before', () => {
    const p = withPpmid({ prepayment: offered });
    p.mailbox.push(buildPpmidGsmeCommand(ppmidRequest(1n), T0 + HOUR, env));
    const early = during(p, () => runUntil(p, T0 + 90 * MINUTE));
    const [refused] = responsesIn(early);
    expect(zclPayloads(refused!.message.payload)).toEqual([
      { kind: 'default-response', commandId: 0x00, status: 0x01 },
    ]);
    expect(p.state.prepayment.ledger.emergencyCreditActive).toBe(false);
    // On offer once the balance falls to £1 (after 3 h 20 min): 0x8119.
    expect(alertCodes(during(p, () => runUntil(p, T0 + 3 * HOUR + 21 * MINUTE)))).toEqual([0x8119]);
    p.mailbox.push(buildPpmidGsmeCommand(ppmidRequest(2n), T0 + 3 * HOUR + 21 * MINUTE, env));
    const taken = during(p, () => runUntil(p, T0 + 4 * HOUR));
    const [response] = responsesIn(taken);
    expect(zclPayloads(response!.message.payload)).toEqual([
      { kind: 'default-response', commandId: 0x00, status: 0x00 },
    ]);
    expect(response!.message.header).toMatchObject({
      recipient: PPMID,
      dateTime: null,
      originatorCounter: 2n,
    });
    expect(verifyGbcs(response!, env.protection).mac).toBe('valid');
    expectRtdsShape(response!.message, 'NA_PCS02', 'PCS02_NA_SUCCESS_RESPONSE_GBCS.HEX');
    expect(p.state.prepayment.ledger).toMatchObject({ emergencyCreditActive: true });
    expect(p.state.prepayment.ledger.emergencyCreditBalance).toBeGreaterThan(5 * POUND - PER_HOUR);
    expect(p.state.eventLog.map((e) => e.code)).toContain(0x81ab);
    // Taken once: the consumer's button finds none on offer.
    const again = local(p, { kind: 'activate-emergency-credit' }, T0 + 4 * HOUR);
    expect(again.some((e) => e.kind === 'note' && /no emergency credit on offer/.test(e.text))).toBe(true);
  });

  it('builds PCS02 as the PPMID sends it: the RTDS NA_PCS02 command shape, MACed with the PPMID and the GSME', () => {
    const bytes = buildPpmidGsmeCommand(ppmidRequest(10_000n), T0, env);
    const parsed = parseGbcs(bytes);
    const ours = parsed.message;
    expect(ours.header).toMatchObject({
      cra: 1,
      originator: PPMID,
      recipient: GSME,
      messageCode: 0x0090,
      dateTime: null,
    });
    expect(ours.signature.kind).toBe('empty');
    expect(verifyGbcs(parsed, env.protection).mac).toBe('valid');
    const rtds = expectRtdsShape(ours, 'NA_PCS02', 'PCS02_NA_SUCCESS_COMMAND_GBCS.HEX');
    if (rtds !== undefined) {
      expect(ours.macProtected).toBe(rtds.macProtected);
      expect(ours.signature.kind).toBe(rtds.signature.kind);
      // {Command Issue Date/Time, Originating Device}: the device octet as RTDS's (0x02), the time ours.
      expect(rawPayload(ours)[4]).toBe(rawPayload(rtds)[4]);
    }
    expect(new DataView(rawPayload(ours).buffer, rawPayload(ours).byteOffset).getUint32(0, true)).toBe(
      (T0 - Date.UTC(2000, 0, 1)) / 1000,
    );
  });

  it('builds PCS01 as Consumer Top Up with the PPMID as the originating device (CS01b payload shape)', () => {
    const utrn = utrnFor(GSME, UTRN_COUNTER, 100);
    const ours = decodeGbcs(buildPpmidGsmeCommand(ppmidRequest(3n, utrn), T0, env));
    expect(ours.header).toMatchObject({ cra: 1, originator: PPMID, recipient: GSME, messageCode: 0x009b });
    const bytes = rawPayload(ours);
    expect([bytes[0], bytes[1], new TextDecoder().decode(bytes.subarray(2))]).toEqual([
      0x02,
      utrn.length,
      utrn,
    ]);
    const cs01b = rtdsMessage('2.2_CS01b', 'CS01b_2.2_SUCCESS_COMMAND_GBCS.HEX');
    if (cs01b !== undefined) expect(bytes.length).toBe(rawPayload(cs01b).length);
  });
});
