// A prepayment customer's journey (issue 8, "Done when"), through the DCC over HTTP with signed DUIS and in virtual
// time: the supplier configures the ESME (2.1 with a non-disablement period every night, 16:00–08:00), tops it up
// over the WAN (2.2) and switches it to prepayment (1.6). The household draws 1 kW at 20p/kWh: 20,000 (10^-5 £) an
// hour. Credit runs out in the night inside the friendly period — supply stays on, alert 0x8F83 —; at 08:00 the
// period ends and the supply is disabled (0x8F0F). At 09:30 a keypad top-up of a valid UTRN arms it (0x8F32), at
// 09:35 the consumer presses the button and it is back; the same UTRN again is refused with 0x8F51. The gas meter
// (2 kW at 5p/kWh: 10,000 an hour), topped up 50p, runs out on the first day; a keypad top-up at 13:00 does not open its valve: SR
// 7.3 arms it and the consumer opens it at 14:00. The supply-loss accounts then read the timeline: the ESME 90
// minutes without credit and 5 waiting for the consumer, the GSME 60 minutes waiting for arming and the consumer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import { ESME_CODES } from '../../src/devices/esme-state.js';
import type { GsmeState } from '../../src/devices/gsme-state.js';
import { supplyLossReport } from '../../src/prepayment/supply-loss.js';
import { startDcc, type DccHarness } from '../support/dcc.js';
import { body, DccUser, element } from '../support/dcc-user.js';
import { schedule, toPrepayment } from '../support/duis-bodies.js';
import { utrnFor } from '../support/esme-commands.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A1');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY1 = Date.UTC(2026, 0, 1);
const DAY2 = DAY1 + 24 * HOUR;
const EVERY_DAY = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** 2.1: no emergency credit, low credit at £1, non-disablement every day from 16:00 to 08:00 (UTC). */
const NIGHTLY_FRIENDLY_CREDIT =
  `<sr:UpdatePrepayConfiguration><sr:UpdatePrepayConfigElectricity><sr:DebtRecoveryRateCap>0</sr:DebtRecoveryRateCap>` +
  `<sr:EmergencyCreditLimit>0</sr:EmergencyCreditLimit><sr:EmergencyCreditThreshold>0</sr:EmergencyCreditThreshold>` +
  `<sr:LowCreditThreshold>100000</sr:LowCreditThreshold><sr:ElectricityNonDisablementCalendar><sr:ElectricitySpecialDays/>` +
  schedule('START', EVERY_DAY, [], '16:00:00.00Z') +
  schedule('STOP', EVERY_DAY, [], '08:00:00.00Z') +
  `</sr:ElectricityNonDisablementCalendar><sr:MaxMeterBalance>10000000</sr:MaxMeterBalance>` +
  `<sr:MaxCreditThreshold>5000000</sr:MaxCreditThreshold></sr:UpdatePrepayConfigElectricity></sr:UpdatePrepayConfiguration>`;

let h: DccHarness;
let supplier: DccUser;
const esme = (): EsmeState => h.dcc.runner.actor<EsmeState>(0, ESME);
const gsme = (): GsmeState => h.dcc.runner.actor<GsmeState>(0, GSME);
/** The GSME answers at its next wake-up (every 30 minutes). */
const GSME_WAIT = 40 * MINUTE;
const now = (): number => h.dcc.runner.kernel.now;
/** Runs model time up to `t`. */
const until = async (t: number): Promise<void> => h.dcc.advance(t - now());
/** The ESME's device alerts the supplier's receiver got (the GBCS alert names its originator). */
const alertsPushed = (): number[] =>
  h.received.flatMap((r) =>
    r.response.body?.kind === 'DeviceAlertMessage' &&
    parseGbcs(r.response.body.gbcsPayload).message.header.originator === ESME
      ? [r.response.body.alertCode]
      : [],
  );

/** SR 4.18 over the DCC: the meter balance the ESME answers (ECS82), brought up to the moment it is asked. */
async function readBalance(): Promise<number> {
  const p = (await supplier.nonCritical('4.18', ESME, element('4.18'))).message.payload;
  const d = p.kind === 'dlms' && p.dlms.type === 'access-response' ? p.dlms.data[0] : undefined;
  if (d?.type !== 'double-long') throw new Error('ECS82 answered no balance');
  return d.value;
}
const keypad = (utrn: string): void => {
  h.dcc.runner.inject(0, ESME, { type: 'local', action: { kind: 'keypad-utrn', utrn } });
};
const button = (): void => {
  h.dcc.runner.inject(0, ESME, { type: 'local', action: { kind: 'restore-supply' } });
};

beforeAll(async () => {
  h = await startDcc({
    fleet: 1,
    household: {
      electricity: {
        profile: { kind: 'flat', watts: 1000 },
        tariff: { unitPrice: 20_000, standingChargePerDay: 0 },
      },
      gas: { profile: { kind: 'flat', watts: 2000 }, tariff: { unitPrice: 5_000, standingChargePerDay: 0 } },
    },
  });
  supplier = new DccUser(h, SUPPLIER, 50_000n);
});
afterAll(async () => h.close());

describe('a prepayment customer’s night and morning', () => {
  it('the supplier configures the nightly non-disablement period, tops up £5.40 over the WAN and switches to prepayment', async () => {
    await supplier.critical('2.1', ESME, body('2.1', NIGHTLY_FRIENDLY_CREDIT));
    const utrn = utrnFor(h.dcc.runner.env, {
      counter: 0x1_0000_0000n * 10n,
      value: 540,
      valueClass: 'pence',
    });
    await supplier.nonCritical(
      '2.2',
      ESME,
      body('2.2', `<sr:TopUpDevice><sr:UTRN>${utrn}</sr:UTRN></sr:TopUpDevice>`),
    );
    await supplier.critical('1.6', ESME, body('1.6', toPrepayment('0')));
    expect(esme().prepayment.mode).toBe('prepayment');
    expect(esme().supply).toBe('enabled');
    // 540,000 at 20,000 an hour: 27 hours of credit from about 00:03 on day 1, so it ends near 03:03 on day 2.
    expect(esme().prepayment.ledger.meterBalance).toBeGreaterThan(540_000 - 20_000 / 6);
  });

  it('the gas meter, topped up 50p and switched to prepayment, runs out on the first day: valve closed, 0x8F0F', async () => {
    await until(DAY1 + 4 * HOUR);
    // 50p at 10,000 an hour: five hours from about 05:20.
    const utrn = utrnFor(h.dcc.runner.env, {
      counter: 0x1_0000_0000n * 12n,
      value: 50,
      valueClass: 'pence',
      device: GSME,
    });
    await supplier.nonCritical(
      '2.2',
      GSME,
      body('2.2', `<sr:TopUpDevice><sr:UTRN>${utrn}</sr:UTRN></sr:TopUpDevice>`),
      GSME_WAIT,
    );
    await supplier.critical('1.6', GSME, body('1.6', toPrepayment('0')), GSME_WAIT);
    expect(gsme().prepayment.mode).toBe('prepayment');
    await until(DAY1 + 12 * HOUR);
    expect(gsme().valve).toBe('closed');
    expect(gsme().supplyLoss.current?.cause).toBe('no-credit');
    expect(gsme().eventLog.map((x) => x.code)).toContain(ESME_CODES.creditBelowDisablementThreshold);
  });

  it('a keypad top-up does not reopen the gas valve: SR 7.3 arms it and the consumer opens it', async () => {
    await until(DAY1 + 13 * HOUR);
    h.dcc.runner.inject(0, GSME, {
      type: 'local',
      action: {
        kind: 'keypad-utrn',
        utrn: utrnFor(h.dcc.runner.env, { counter: 0x1_0000_0000n * 13n, value: 2, device: GSME }),
      },
    });
    await h.dcc.advance(MINUTE);
    expect(gsme().valve).toBe('closed');
    expect(gsme().prepayment.ledger.meterBalance).toBeGreaterThan(0);
    expect(gsme().supplyLoss.current).toEqual({ sinceMs: DAY1 + 13 * HOUR, cause: 'awaiting-restore' });
    await supplier.critical('7.3', GSME, element('7.3'), GSME_WAIT);
    expect(gsme().valve).toBe('armed');
    await until(DAY1 + 14 * HOUR);
    h.dcc.runner.inject(0, GSME, { type: 'local', action: { kind: 'restore-supply' } });
    await h.dcc.advance(MINUTE);
    expect(gsme().valve).toBe('open');
  });

  it('low credit (0x810D) comes at £1; credit runs out in the night inside the friendly period: 0x8F83, supply stays on', async () => {
    await until(DAY2 + 4 * HOUR);
    // An hour into friendly credit: about -20,000 (the meter works it out when asked).
    const balance = await readBalance();
    expect(balance).toBeLessThan(-15_000);
    expect(balance).toBeGreaterThan(-25_000);
    const e = esme();
    expect(e.supply).toBe('enabled');
    const codes = e.eventLog.map((x) => x.code);
    expect(codes).toContain(ESME_CODES.lowCredit);
    expect(codes).toContain(ESME_CODES.disablementSuspended);
    expect(codes).not.toContain(ESME_CODES.creditBelowDisablementThreshold);
    const suspended = e.eventLog.find((x) => x.code === ESME_CODES.disablementSuspended)!;
    expect(suspended.atMs).toBeGreaterThan(DAY2 + 3 * HOUR);
    expect(suspended.atMs).toBeLessThan(DAY2 + 3 * HOUR + 10 * MINUTE);
    expect(alertsPushed()).toEqual([ESME_CODES.lowCredit, ESME_CODES.disablementSuspended]);
  });

  it('at 08:00, when the friendly period ends, the supply is disabled (0x8F0F)', async () => {
    await until(DAY2 + 8 * HOUR - MINUTE);
    expect(esme().supply).toBe('enabled');
    await until(DAY2 + 8 * HOUR + MINUTE);
    const e = esme();
    expect(e.supply).toBe('disabled');
    const disabled = e.eventLog.find((x) => x.code === ESME_CODES.creditBelowDisablementThreshold)!;
    expect(disabled.atMs).toBe(DAY2 + 8 * HOUR);
    expect(e.supplyLoss.current).toEqual({ sinceMs: DAY2 + 8 * HOUR, cause: 'no-credit' });
    // Five hours of friendly credit used (03:03 → 08:00 at 20,000 an hour), owed before anything is credited.
    expect(e.prepayment.ledger.meterBalance).toBeLessThan(-95_000);
    expect(alertsPushed()).toContain(ESME_CODES.creditBelowDisablementThreshold);
  });

  it('a keypad top-up of a valid UTRN at 09:30 repays what is owed and arms the supply; the button at 09:35 restores it', async () => {
    await until(DAY2 + 9 * HOUR + 30 * MINUTE);
    const owed = -esme().prepayment.ledger.meterBalance;
    keypad(utrnFor(h.dcc.runner.env, { counter: 0x1_0000_0000n * 11n, value: 5 }));
    await h.dcc.advance(MINUTE);
    expect(esme().supply).toBe('armed');
    expect(esme().prepayment.ledger.meterBalance).toBe(500_000 - owed);
    await until(DAY2 + 9 * HOUR + 35 * MINUTE);
    button();
    await h.dcc.advance(MINUTE);
    expect(esme().supply).toBe('enabled');
    expect(alertsPushed()).toContain(ESME_CODES.supplyArmed);
  });

  it('the same UTRN typed again is refused with its alert, 0x8F51, and adds nothing', async () => {
    const before = esme().prepayment.ledger;
    keypad(utrnFor(h.dcc.runner.env, { counter: 0x1_0000_0000n * 11n, value: 5 }));
    await h.dcc.advance(MINUTE);
    const after = esme().prepayment.ledger;
    // Only consumption moved the balance: one minute at 20,000 an hour, within a unit of rounding.
    expect(before.meterBalance - after.meterBalance).toBeLessThanOrEqual(334);
    expect(esme().eventLog.at(-1)?.code).toBe(ESME_CODES.duplicateUtrn);
    expect(alertsPushed().at(-1)).toBe(ESME_CODES.duplicateUtrn);
  });

  it('the supply-loss accounts read the timeline: ESME 90 min without credit and 5 awaiting restore; GSME 60 awaiting', () => {
    const electricity = supplyLossReport([esme().supplyLoss], [], now());
    expect(electricity.minutes).toEqual({
      'no-credit': 90,
      'no-route': 0,
      'awaiting-restore': 5,
      'disabled-remotely': 0,
    });
    const gas = supplyLossReport([gsme().supplyLoss], [], now());
    const ranOut = gsme().eventLog.find((x) => x.code === ESME_CODES.creditBelowDisablementThreshold)!.atMs;
    expect(gas.minutes).toEqual({
      'no-credit': (DAY1 + 13 * HOUR - ranOut) / MINUTE,
      'no-route': 0,
      'awaiting-restore': 60,
      'disabled-remotely': 0,
    });
    const premise = supplyLossReport([esme().supplyLoss, gsme().supplyLoss], [], now());
    expect(premise.totalMinutes).toBeCloseTo(electricity.totalMinutes + gas.totalMinutes, 9);
  });
});
