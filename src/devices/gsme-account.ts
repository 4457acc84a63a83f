// The GSME's prepayment accounting (issue 8; prepayment-account.ts runs it): its settings as the engine reads them
// from the ZSE values the commands set (GCS02/03 cut off, GCS04 debt recovery, GCS05 limits and calendar), its valve
// as the supply, the consumption register in litres, the alerts of each crossing. Unlike the ESME it never restores
// anything by itself: once credit is back the valve stays closed until SR 7.3 arms it (GCS39) and the consumer opens
// it at the meter (domain brief §7) — the supply-loss account meanwhile reads 'awaiting-restore'.
import type { LedgerEvent, PrepaymentSettings, TimeDebtRate } from '../prepayment/ledger.js';
import { appendLog, DEFAULT_LOG_CAPACITIES, deviceTime, raiseAlert, toHub } from './device.js';
import type { DebtRecovery, GsmePrepayment, GsmeState } from './gsme-state.js';
import { disabledForCredit, type MeterAccounting } from './prepayment-account.js';
import type { Effect } from './types.js';

/** Event and alert codes of the GSME's prepayment (names from gbcs-parser alertCodes, GBCS Table 16) [O: codes]. */
export const GSME_PREPAYMENT_CODES = {
  lowCredit: 0x810d,
  emergencyCreditAvailable: 0x8119,
  emergencyCreditExhausted: 0x81aa,
  creditBelowDisablementThreshold: 0x8f0f,
  disablementSuspended: 0x8f83,
  emergencyCreditActivated: 0x81ab,
} as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The period of each ZSE Recovery Frequency (ZSE D.7.2.3.3 Change Debt: 0x00 per hour, 0x01 per day, 0x02 per week,
 * 0x03 per month, 0x04 per quarter); a month taken as 30 days, a quarter as 91 [A]. Any other value: not collected [A].
 */
export const RECOVERY_PERIOD_MS: Readonly<Record<number, number>> = {
  0x00: HOUR_MS,
  0x01: DAY_MS,
  0x02: 7 * DAY_MS,
  0x03: 30 * DAY_MS,
  0x04: 91 * DAY_MS,
};

/** The period the Overall Debt Cap applies to: one week, as the ESME's default cap period [A: ZSE names none]. */
export const DEBT_CAP_PERIOD_MS = 7 * DAY_MS;

/**
 * Gas energy per m³: calorific value 39.5 MJ/m³ × volume correction 1.02264 / 3.6 MJ per kWh ≈ 11.2 kWh [A: typical GB
 * values; a meter measures volume, the supplier converts]. The register counts litres (volume unit × 1000), so 11.2 Wh
 * per litre.
 */
export const KWH_PER_CUBIC_METRE = 11.2;

/** A time debt's rate from GCS04's [method, frequency, amount, percentage]: the recovery amount every period. */
function timeDebtRate(r: DebtRecovery | undefined): TimeDebtRate {
  if (r === undefined) return { amount: 0, periodMs: 0 };
  return { amount: Math.max(r[2], 0), periodMs: RECOVERY_PERIOD_MS[r[1]] ?? 0 };
}

/**
 * The engine's view of the GSME's configuration: Cut Off Value as the disablement threshold, Low Credit Warning Level,
 * Maximum Credit Limit (balance) and Maximum Credit Per Top Up, Overall Debt Cap as the recovery-rate cap (money
 * already) over DEBT_CAP_PERIOD_MS, debt register 3's Balance Percentage (0.01 %) as the share of each payment, and
 * registers 1–2's recovery amount and frequency as time-debt rates.
 */
export function gsmeSettings(p: GsmePrepayment): PrepaymentSettings {
  return {
    prepayment: p.mode === 'prepayment',
    tariff: p.tariff,
    emergencyCreditLimit: p.emergencyCreditLimit,
    emergencyCreditThreshold: p.emergencyCreditThreshold,
    lowCreditThreshold: p.lowCreditWarning,
    disablementThreshold: p.cutOff,
    maxMeterBalance: p.maxCreditLimit,
    maxCreditThreshold: p.maxCreditPerTopUp,
    debtRecoveryPerPayment: Math.min(Math.max(p.debtRecovery[2]?.[3] ?? 0, 0), 10_000),
    debtRecoveryRateCap: Math.max(p.overallDebtCap, 0),
    debtRecoveryRateCapPeriodMs: DEBT_CAP_PERIOD_MS,
    timeDebtRates: [timeDebtRate(p.debtRecovery[0]), timeDebtRate(p.debtRecovery[1])],
    calendar: p.friendlyCalendar,
  };
}

/** What each crossing raises, the ESME's codes (domain brief §2.7) [O: codes]. */
const CROSSING_ALERTS: Readonly<Record<LedgerEvent, number>> = {
  'low-credit': GSME_PREPAYMENT_CODES.lowCredit,
  'emergency-credit-available': GSME_PREPAYMENT_CODES.emergencyCreditAvailable,
  'emergency-credit-exhausted': GSME_PREPAYMENT_CODES.emergencyCreditExhausted,
  disable: GSME_PREPAYMENT_CODES.creditBelowDisablementThreshold,
  'disablement-suspended': GSME_PREPAYMENT_CODES.disablementSuspended,
};

/** Appends `code` to the GSME's event log at device time (default capacities, as its common commands use). */
export function gsmeLogged(state: GsmeState, code: number, now: number): GsmeState {
  const entry = { atMs: deviceTime(state, now), code };
  return { ...state, eventLog: appendLog(state.eventLog, entry, DEFAULT_LOG_CAPACITIES.eventLog) };
}

function note(state: GsmeState, text: string): Effect {
  return { kind: 'note', text: `GSME ${state.eui}: ${text}` };
}

export const GSME_ACCOUNTING: MeterAccounting<GsmeState> = {
  settings: (state) => gsmeSettings(state.prepayment),
  supplyOn: (state) => state.valve === 'open',
  armed: (state) => state.valve === 'armed',
  unitsPerWh: 1 / KWH_PER_CUBIC_METRE,
  addToRegister: (state, litres) => ({ ...state, consumption: state.consumption + litres }),
  // Logged and raised non-critical, as the GSME's other alerts (gsme-topup.ts) [A]; every crossing marks the GPF's
  // mirror stale: the balance stands at a threshold, the valve may have closed [A].
  onCrossing: (state, event, at, env) => {
    const code = CROSSING_ALERTS[event];
    let next: GsmeState = { ...gsmeLogged(state, code, at), mirrorStale: true };
    const effects: Effect[] = [note(state, `prepayment: ${event}`)];
    if (event === 'disable') {
      next = disabledForCredit({ ...next, valve: 'closed' }, at);
      effects.push(note(state, 'valve closed: credit at or below the disablement threshold'));
    }
    const alert = raiseAlert(next, code, false, at, env);
    return { state: alert.state, effects: [...effects, toHub(alert.state, alert.bytes)] };
  },
  // SMETS2 gas: the valve is never re-opened remotely; SR 7.3 (GCS39) arms it and the consumer opens it (§7).
  onCreditRestored: (state) => ({
    state,
    effects: [
      note(state, 'credit restored: the valve stays closed until armed (GCS39) and opened by the consumer'),
    ],
  }),
};
