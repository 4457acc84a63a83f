// The prepayment engine of a SMETS2 meter (issue 8; domain brief §7), shared by the ESME and the GSME: the meter
// balance run down by consumption and the standing charge in virtual time, emergency credit, time- and payment-based
// debt recovery with the recovery-rate cap, and the threshold crossings a meter acts on (alerts, disablement,
// non-disablement periods). Pure functions over plain data; money is an integer in 10^-5 of the currency unit (the
// scale the DUIS values and RTDS reads use, esme-state.ts).
//
// The model, where the sources stop [A unless cited]:
// - Charges (energy at the unit price, the standing charge spread over the day, time-debt instalments) come off the
//   meter balance while it is positive, then off the emergency credit while it is active, then take the meter
//   balance below zero (friendly credit used, standing charges while off supply): the next top-up repays it, after
//   the emergency credit and the payment-debt share (below), before any of it is credit again.
// - Available credit = meter balance + active emergency credit. Supply is disabled when it is at or below the
//   disablement threshold, outside a non-disablement period; inside one the meter raises 0x8F83 and keeps supplying
//   until the period ends (domain brief §7).
// - A top-up first repays the emergency credit used (which then ends), then pays DebtRecoveryPerPayment (0.01 %) of
//   what is left to the payment debt within the recovery-rate cap for the cap period, then the rest to the balance.
// - Time debts are collected in instalments at the end of each period (aligned to UTC), only while the supply is on
//   and no emergency credit is in use (SR 1.6 SuspendDebtDisabled / SuspendDebtEmergency, taken as set).
// Nothing ticks: `advance` integrates piecewise (half-hour demand, instalment instants) and stops at the first
// crossing, so a meter wakes only when something happens.
import { slotPowerW, SLOT_MS, type ConsumptionProfile } from './consumption.js';
import { isFriendly, nextFriendlyChange, type FriendlyCalendar } from './calendar.js';

/** The price the meter charges: its tariff (SR 1.1 sets a meter's tariff; a single rate is modelled) [A]. */
export interface Tariff {
  /** Price of a kWh, money. */
  readonly unitPrice: number;
  /** Standing charge per day, money. */
  readonly standingChargePerDay: number;
}

/** Nothing charged: a meter nobody has priced. */
export const NO_TARIFF: Tariff = Object.freeze({ unitPrice: 0, standingChargePerDay: 0 });

/** A time-debt recovery rate: `amount` (money) every `periodMs`. */
export interface TimeDebtRate {
  readonly amount: number;
  readonly periodMs: number;
}

/** What the engine reads of the meter's configuration (SR 1.6, 2.1, 2.3; the tariff). Amounts are money. */
export interface PrepaymentSettings {
  readonly prepayment: boolean;
  readonly tariff: Tariff;
  readonly emergencyCreditLimit: number;
  readonly emergencyCreditThreshold: number;
  readonly lowCreditThreshold: number;
  readonly disablementThreshold: number;
  /** 0: no limit. */
  readonly maxMeterBalance: number;
  /** Largest credit one top-up may add; 0: no limit. */
  readonly maxCreditThreshold: number;
  /** Share of each payment recovered towards the payment debt, in 0.01 % (DUIS DebtRecoveryPerPayment). */
  readonly debtRecoveryPerPayment: number;
  /** Most that payment-based recovery may take in one cap period; 0: no cap. */
  readonly debtRecoveryRateCap: number;
  readonly debtRecoveryRateCapPeriodMs: number;
  readonly timeDebtRates: readonly [TimeDebtRate, TimeDebtRate];
  readonly calendar: FriendlyCalendar;
}

/** The moving parts: balances and the engine's bookkeeping. Plain data. */
export interface Ledger {
  /** Charges are applied up to this instant (meter clock, UTC ms). */
  readonly asOfMs: number;
  /** Signed: negative is owed (friendly credit used, charges while off). */
  readonly meterBalance: number;
  readonly emergencyCreditActive: boolean;
  /** Emergency credit left to use while active. */
  readonly emergencyCreditBalance: number;
  /** The emergency credit granted when it was taken (the limit then): what a top-up repays is this less the balance. */
  readonly emergencyCreditGranted: number;
  readonly timeDebts: readonly [number, number];
  readonly paymentDebt: number;
  /** Next instalment instant of each time debt; 0: not scheduled yet. */
  readonly timeDebtDueMs: readonly [number, number];
  readonly capPeriodStartMs: number;
  readonly recoveredInCapPeriod: number;
  /** Fraction of a money unit charged but not yet taken, in [0, 1). */
  readonly chargeCarry: number;
  /** Crossings already acted on (LATCH bits), so each raises its alert once. */
  readonly latches: number;
}

export const LATCH = {
  lowCredit: 1,
  emergencyCreditAvailable: 2,
  emergencyCreditExhausted: 4,
  disablementSuspended: 8,
} as const;

export const EMPTY_LEDGER: Ledger = Object.freeze({
  asOfMs: 0,
  meterBalance: 0,
  emergencyCreditActive: false,
  emergencyCreditBalance: 0,
  emergencyCreditGranted: 0,
  timeDebts: Object.freeze([0, 0]) as readonly [number, number],
  paymentDebt: 0,
  timeDebtDueMs: Object.freeze([0, 0]) as readonly [number, number],
  capPeriodStartMs: 0,
  recoveredInCapPeriod: 0,
  chargeCarry: 0,
  latches: 0,
});

/** What a crossing asks the meter to do. */
export type LedgerEvent =
  /** Available credit at or below the low credit threshold: alert 0x810D. */
  | 'low-credit'
  /** Meter balance at or below the emergency credit threshold, none in use: alert 0x8119, the consumer may take it. */
  | 'emergency-credit-available'
  /** The emergency credit in use is spent: alert 0x81AA. */
  | 'emergency-credit-exhausted'
  /** Credit at or below the disablement threshold outside a non-disablement period: disable the supply (0x8F0F). */
  | 'disable'
  /** The same inside a non-disablement period: keep supplying, alert 0x8F83. */
  | 'disablement-suspended';

export interface Advanced {
  readonly ledger: Ledger;
  /** The crossing the run stopped at (at `ledger.asOfMs`), if any. */
  readonly event?: LedgerEvent;
  /** Energy delivered, Wh. */
  readonly energyWh: number;
}

/** Meter balance plus the emergency credit in use. */
export function availableCredit(l: Ledger): number {
  return l.meterBalance + (l.emergencyCreditActive ? l.emergencyCreditBalance : 0);
}

const DAY_MS = 86_400_000;
/** Money per ms per watt at one money unit per kWh. */
const PER_WATT_MS = 1 / 3_600_000_000;

/** A crossing due at the ledger's instant, if any; the latch it sets comes with it. */
function dueEvent(l: Ledger, s: PrepaymentSettings, supplyOn: boolean): LedgerEvent | undefined {
  if (!s.prepayment) return undefined;
  const credit = availableCredit(l);
  if (supplyOn && credit <= s.disablementThreshold) {
    if (!isFriendly(s.calendar, l.asOfMs)) return 'disable';
    if ((l.latches & LATCH.disablementSuspended) === 0) return 'disablement-suspended';
  }
  if (credit <= s.lowCreditThreshold && (l.latches & LATCH.lowCredit) === 0) return 'low-credit';
  if (emergencyCreditOnOffer(l, s) && (l.latches & LATCH.emergencyCreditAvailable) === 0)
    return 'emergency-credit-available';
  if (
    l.emergencyCreditActive &&
    l.emergencyCreditBalance <= 0 &&
    (l.latches & LATCH.emergencyCreditExhausted) === 0
  )
    return 'emergency-credit-exhausted';
  return undefined;
}

/** Emergency credit can be taken: configured, none in use, balance at or below its threshold (domain brief §7). */
export function emergencyCreditOnOffer(l: Ledger, s: PrepaymentSettings): boolean {
  return (
    s.prepayment &&
    s.emergencyCreditLimit > 0 &&
    !l.emergencyCreditActive &&
    l.meterBalance <= s.emergencyCreditThreshold
  );
}

/** The latches after the conditions that set them have gone (credit restored, emergency credit ended). */
function relatch(l: Ledger, s: PrepaymentSettings, supplyOn: boolean): number {
  const credit = availableCredit(l);
  let latches = l.latches;
  if (credit > s.lowCreditThreshold) latches &= ~LATCH.lowCredit;
  if (!emergencyCreditOnOffer(l, s)) latches &= ~LATCH.emergencyCreditAvailable;
  if (!l.emergencyCreditActive || l.emergencyCreditBalance > 0) latches &= ~LATCH.emergencyCreditExhausted;
  if (!supplyOn || credit > s.disablementThreshold) latches &= ~LATCH.disablementSuspended;
  return latches;
}

const LATCH_OF: Readonly<Record<LedgerEvent, number>> = {
  'low-credit': LATCH.lowCredit,
  'emergency-credit-available': LATCH.emergencyCreditAvailable,
  'emergency-credit-exhausted': LATCH.emergencyCreditExhausted,
  'disablement-suspended': LATCH.disablementSuspended,
  disable: 0,
};

/** The ledger as `advance` works on it: one copy per call, changed in place (the hot loop allocates nothing). */
type Working = { -readonly [K in keyof Ledger]: Ledger[K] } & {
  timeDebts: [number, number];
  timeDebtDueMs: [number, number];
};

/** Takes `amount` of charges: balance while positive, then the emergency credit in use, then below zero. */
function charge(w: Working, amount: number): void {
  if (amount <= 0) return;
  let rest = amount;
  const fromBalance = Math.min(rest, Math.max(w.meterBalance, 0));
  w.meterBalance -= fromBalance;
  rest -= fromBalance;
  if (w.emergencyCreditActive) {
    const fromEmergency = Math.min(rest, Math.max(w.emergencyCreditBalance, 0));
    w.emergencyCreditBalance -= fromEmergency;
    rest -= fromEmergency;
  }
  w.meterBalance -= rest;
}

/** Money still to be charged before the next armed crossing, or Infinity. */
function chargeToNextCrossing(l: Ledger, s: PrepaymentSettings, supplyOn: boolean): number {
  const credit = availableCredit(l);
  let need = Infinity;
  const suspended = (l.latches & LATCH.disablementSuspended) !== 0;
  if (supplyOn && !suspended) need = Math.min(need, credit - s.disablementThreshold);
  if ((l.latches & LATCH.lowCredit) === 0) need = Math.min(need, credit - s.lowCreditThreshold);
  if (
    s.emergencyCreditLimit > 0 &&
    !l.emergencyCreditActive &&
    (l.latches & LATCH.emergencyCreditAvailable) === 0
  )
    need = Math.min(need, l.meterBalance - s.emergencyCreditThreshold);
  if (l.emergencyCreditActive && (l.latches & LATCH.emergencyCreditExhausted) === 0)
    need = Math.min(need, Math.max(l.meterBalance, 0) + l.emergencyCreditBalance);
  return need;
}

/** Time debts are collected while supplied and no emergency credit is in use (SR 1.6 suspensions) [A]. */
function collectingTimeDebt(l: Ledger, supplyOn: boolean): boolean {
  return supplyOn && !l.emergencyCreditActive;
}

/** The first instalment instant after `t` for a period, aligned to UTC multiples of it. */
function nextInstalment(t: number, periodMs: number): number {
  return (Math.floor(t / periodMs) + 1) * periodMs;
}

/**
 * Floating-point slack when charges turn into whole money units, so that a charge that is whole in exact arithmetic
 * (1/60 of a unit carried three times) is taken whole whatever instants the caller stops at.
 */
const SLACK = 1e-7;

/**
 * Runs the ledger from its instant to `toMs` with the supply `supplyOn` throughout, stopping early at the first
 * crossing (the ledger then stands at the crossing's instant with its latch set). Deterministic: the same inputs
 * give the same result whatever instants the caller advances through, up to the carried fraction.
 */
export function advance(
  ledger: Ledger,
  s: PrepaymentSettings,
  profile: ConsumptionProfile,
  supplyOn: boolean,
  toMs: number,
): Advanced {
  const latches = relatch(ledger, s, supplyOn);
  if (ledger.asOfMs >= toMs && latches === ledger.latches && dueEvent(ledger, s, supplyOn) === undefined)
    return { ledger, energyWh: 0 };
  const w: Working = {
    ...ledger,
    latches,
    timeDebts: [ledger.timeDebts[0], ledger.timeDebts[1]],
    timeDebtDueMs: [ledger.timeDebtDueMs[0], ledger.timeDebtDueMs[1]],
  };
  const standing = s.prepayment ? s.tariff.standingChargePerDay / DAY_MS : 0;
  let energyWh = 0;
  for (;;) {
    const event = dueEvent(w, s, supplyOn);
    if (event !== undefined) {
      w.latches |= LATCH_OF[event];
      return { ledger: w, event, energyWh };
    }
    const t = w.asOfMs;
    if (t >= toMs) return { ledger: w, energyWh };
    const slot = Math.floor(t / SLOT_MS);
    let end = Math.min(toMs, (slot + 1) * SLOT_MS);
    const collecting = s.prepayment && collectingTimeDebt(w, supplyOn);
    if (collecting) end = Math.min(end, scheduleInstalments(w, s, t));
    if ((w.latches & LATCH.disablementSuspended) !== 0) {
      const change = nextFriendlyChange(s.calendar, t);
      if (change !== null) end = Math.min(end, change);
    }
    const watts = supplyOn ? slotPowerW(profile, slot) : 0;
    const rate = s.prepayment ? watts * s.tariff.unitPrice * PER_WATT_MS + standing : 0;
    if (rate > 0) {
      const need = chargeToNextCrossing(w, s, supplyOn);
      if (need !== Infinity)
        end = Math.min(end, t + Math.max(1, Math.ceil((need - w.chargeCarry - SLACK) / rate)));
    }
    const total = rate * (end - t) + w.chargeCarry;
    const taken = Math.floor(total + SLACK);
    charge(w, taken);
    w.chargeCarry = Math.max(0, total - taken);
    w.asOfMs = end;
    energyWh += (watts * (end - t)) / 3_600_000;
    if (collecting) collectInstalments(w, s, end);
  }
}

/** The next instalment instant of each time debt being collected (set when stale); the earliest, or Infinity. */
function scheduleInstalments(w: Working, s: PrepaymentSettings, t: number): number {
  let next = Infinity;
  for (let i = 0; i < 2; i++) {
    const rate = s.timeDebtRates[i]!;
    if (w.timeDebts[i]! <= 0 || rate.amount <= 0 || rate.periodMs <= 0) continue;
    if (w.timeDebtDueMs[i]! <= t) w.timeDebtDueMs[i] = nextInstalment(t, rate.periodMs);
    next = Math.min(next, w.timeDebtDueMs[i]!);
  }
  return next;
}

/** Time-debt instalments due at `t`: the rate or what is left of the debt, charged like any charge. */
function collectInstalments(w: Working, s: PrepaymentSettings, t: number): void {
  for (let i = 0; i < 2; i++) {
    if (w.timeDebtDueMs[i] !== t || w.timeDebts[i]! <= 0) continue;
    const rate = s.timeDebtRates[i]!;
    const instalment = Math.min(rate.amount, w.timeDebts[i]!);
    w.timeDebts[i] = w.timeDebts[i]! - instalment;
    w.timeDebtDueMs[i] = t + rate.periodMs;
    charge(w, instalment);
  }
}

/** Why a top-up is refused before anything is credited (alerts 0x8F5B, 0x8F47; domain brief §2.7). */
export type CreditRefusal = 'exceeds-max-credit-threshold' | 'exceeds-max-meter-balance';

/** How a top-up was shared out. */
export interface CreditSplit {
  readonly emergencyCreditRepaid: number;
  readonly debtRecovered: number;
  readonly credited: number;
}

export type Credited =
  | { readonly accepted: true; readonly ledger: Ledger; readonly split: CreditSplit }
  | { readonly accepted: false; readonly refusal: CreditRefusal };

/**
 * Adds a top-up of `amount` at the ledger's instant (advance it first): the limits checked, then the emergency credit
 * used repaid, payment-based debt recovery within the cap, the rest to the balance (the model above).
 */
export function applyCredit(l: Ledger, s: PrepaymentSettings, amount: number): Credited {
  if (s.maxCreditThreshold > 0 && amount > s.maxCreditThreshold)
    return { accepted: false, refusal: 'exceeds-max-credit-threshold' };
  const used = l.emergencyCreditActive ? l.emergencyCreditGranted - l.emergencyCreditBalance : 0;
  const emergencyCreditRepaid = Math.min(amount, Math.max(used, 0));
  let rest = amount - emergencyCreditRepaid;
  const cap = capState(l, s);
  const capLeft = s.debtRecoveryRateCap > 0 ? Math.max(s.debtRecoveryRateCap - cap.recovered, 0) : Infinity;
  const share = Math.min(Math.max(s.debtRecoveryPerPayment, 0), 10_000);
  const debtRecovered = Math.max(Math.min(Math.floor((rest * share) / 10_000), l.paymentDebt, capLeft), 0);
  rest -= debtRecovered;
  const meterBalance = l.meterBalance + rest;
  if (s.maxMeterBalance > 0 && meterBalance > s.maxMeterBalance)
    return { accepted: false, refusal: 'exceeds-max-meter-balance' };
  const repaidInFull = l.emergencyCreditActive && emergencyCreditRepaid >= used;
  const ledger: Ledger = {
    ...l,
    meterBalance,
    emergencyCreditActive: l.emergencyCreditActive && !repaidInFull,
    emergencyCreditBalance: repaidInFull ? 0 : l.emergencyCreditBalance + emergencyCreditRepaid,
    emergencyCreditGranted: repaidInFull ? 0 : l.emergencyCreditGranted,
    paymentDebt: l.paymentDebt - debtRecovered,
    capPeriodStartMs: cap.startMs,
    recoveredInCapPeriod: cap.recovered + debtRecovered,
  };
  return { accepted: true, ledger, split: { emergencyCreditRepaid, debtRecovered, credited: rest } };
}

/** The cap period the ledger's instant falls in (periods aligned to UTC multiples) and what it has recovered. */
function capState(l: Ledger, s: PrepaymentSettings): { startMs: number; recovered: number } {
  if (s.debtRecoveryRateCapPeriodMs <= 0)
    return { startMs: l.capPeriodStartMs, recovered: l.recoveredInCapPeriod };
  const startMs = Math.floor(l.asOfMs / s.debtRecoveryRateCapPeriodMs) * s.debtRecoveryRateCapPeriodMs;
  return { startMs, recovered: startMs === l.capPeriodStartMs ? l.recoveredInCapPeriod : 0 };
}

/** Emergency credit taken (at the meter, from the IHD/PPMID, or SR 2.5): only while on offer; else undefined. */
export function takeEmergencyCredit(l: Ledger, s: PrepaymentSettings): Ledger | undefined {
  if (!emergencyCreditOnOffer(l, s)) return undefined;
  return grantEmergencyCredit(l, s.emergencyCreditLimit);
}

/** Emergency credit of `amount` in use from now (whatever is on offer: the supplier's SR 2.5 grants it). */
export function grantEmergencyCredit(l: Ledger, amount: number): Ledger {
  return {
    ...l,
    emergencyCreditActive: true,
    emergencyCreditBalance: amount,
    emergencyCreditGranted: amount,
  };
}

/** Credit above the disablement threshold: a supply disabled for credit may be restored. */
export function creditRestored(l: Ledger, s: PrepaymentSettings): boolean {
  return !s.prepayment || availableCredit(l) > s.disablementThreshold;
}

/**
 * When the meter must next look at its ledger: the first crossing within `horizonMs`, else the horizon (a meter
 * re-plans then). Runs `advance` on a copy; the ledger itself is not changed.
 */
export function nextCrossingMs(
  l: Ledger,
  s: PrepaymentSettings,
  profile: ConsumptionProfile,
  supplyOn: boolean,
  horizonMs: number,
): number {
  const until = l.asOfMs + horizonMs;
  const run = advance(l, s, profile, supplyOn, until);
  return run.event === undefined ? until : run.ledger.asOfMs;
}
