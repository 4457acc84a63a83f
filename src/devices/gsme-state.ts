// The GSME's state: the common device core, its sleep cycle, the valve, the registers, the prepayment configuration
// the commands set and the ledger the prepayment engine runs on it (issue 8; src/prepayment/ledger.ts, driven by
// prepayment-account.ts with gsme-account.ts), and its supply-loss account. Plain data, a couple of kilobytes at
// most, so a million premises fit in memory.
import type { Eui64 } from '../codec/eui64.js';
import { NO_FRIENDLY_CALENDAR } from '../prepayment/calendar.js';
import { EMPTY_LEDGER, NO_TARIFF, type Ledger } from '../prepayment/ledger.js';
import type { SupplyLoss } from '../prepayment/supply-loss.js';
import { deviceTime, type DeviceCore } from './device.js';
import type { EngineState } from './prepayment-account.js';
import type { OtaClientFields } from './ota-client.js';
import type { GasMirror, ValveState } from './types.js';

export type PaymentMode = 'credit' | 'prepayment';

/** Debt recovery of one debt register as GCS04 sets it: [method, frequency, amount, balance percentage] (ZSE). */
export type DebtRecovery = readonly [method: number, frequency: number, amount: number, percentage: number];

/** A prepayment setting GCS02/03/05 change, applied at once or when its future date comes. */
export type PrepaymentChange =
  | {
      readonly kind: 'payment-mode';
      readonly mode: PaymentMode;
      readonly paymentControl: number;
      readonly cutOff: number;
    }
  | { readonly kind: 'emergency-credit'; readonly limit: number; readonly threshold: number }
  | { readonly kind: 'debt-cap'; readonly cap: number }
  | { readonly kind: 'low-credit'; readonly level: number }
  | { readonly kind: 'max-credit'; readonly limit: number; readonly perTopUp: number }
  | ({ readonly kind: 'calendar'; readonly calendarId: number } & CalendarProfiles)
  | { readonly kind: 'special-days'; readonly count: number; readonly entries: readonly CalendarDate[] };

/** One switch of a friendly credit day profile: minutes after midnight, and Friendly Credit Enable (ZSE D.9). */
export type FriendlyCreditSwitch = readonly [minute: number, enable: number];

/** A Publish Day Profile of the friendly credit calendar: Day ID and its switches in order (RTDS 2.1_GCS05) [O]. */
export interface CalendarDay {
  readonly id: number;
  readonly entries: readonly FriendlyCreditSwitch[];
}

/** A Publish Week Profile: Week ID and the Day IDs of Monday .. Sunday (RTDS 2.1_GCS05) [O]. */
export interface CalendarWeek {
  readonly id: number;
  readonly days: readonly number[];
}

/**
 * A season or special day entry: a ZCL Date {year − 1900, month, day of month, day of week}, 0xFF where not
 * specified, and the Week ID (seasons) or Day ID (special days) it refers to (RTDS 2.1_GCS05) [O].
 */
export interface CalendarDate {
  readonly date: readonly number[];
  readonly ref: number;
}

/** What a GCS05 Publish Calendar brings with it: its issuer and its day, week and season profiles. */
export interface CalendarProfiles {
  readonly providerId: number;
  readonly issuerEventId: number;
  readonly days: readonly CalendarDay[];
  readonly weeks: readonly CalendarWeek[];
  readonly seasons: readonly CalendarDate[];
}

/** The friendly credit calendar in force, as GCS21b reads it back (RTDS 4.13_GCS21b) [O]. */
export interface GasCalendar extends CalendarProfiles {
  readonly specialDays: readonly CalendarDate[];
}

/** A future-dated change waiting for its time, with what its 0x8F66 alert reports (GBCS 7.2 alert layout). */
export interface PendingChange {
  /** Device clock, UTC ms. */
  readonly atMs: number;
  readonly change: PrepaymentChange;
  readonly messageCode: number;
  readonly originator: Eui64;
  readonly counter: bigint;
  readonly clusterId: number;
  readonly commandId: number;
}

/**
 * Money in GBP × 10^-5 (RTDS: Price Trailing Digit 0x50) [O]. The balances live in the engine's `ledger`: ZSE Credit
 * Remaining is its meter balance, Emergency Credit Remaining its emergency credit while active (else 0), Debt
 * Registers 1 and 2 its time debts and Debt Register 3 its payment debt (the 2.3 transform sends register 3 with the
 * payment percentage, time debts 1 and 2 with a rate and a frequency) [O: RTDS 2.3_GCS04].
 */
export interface GsmePrepayment extends EngineState {
  readonly mode: PaymentMode;
  /** Payment Control Configuration (map16) as the last GCS02/03 set it; 0x0C94 is RTDS's credit mode [O]. */
  readonly paymentControl: number;
  /** Disablement threshold (GCS03 Cut Off Value). */
  readonly cutOff: number;
  /** Credit-mode meter balance (Metering BillToDateDelivered). */
  readonly billToDate: number;
  readonly emergencyCreditLimit: number;
  readonly emergencyCreditThreshold: number;
  readonly lowCreditWarning: number;
  /** Maximum meter balance (0: none) and maximum credit per top-up (0: none). */
  readonly maxCreditLimit: number;
  readonly maxCreditPerTopUp: number;
  readonly overallDebtCap: number;
  /** Recovery settings of debt registers 1–3 as GCS04 set them (the balances are in the ledger). */
  readonly debtRecovery: readonly DebtRecovery[];
  /** Issuer Calendar ID of the non-disablement (friendly credit) calendar; 0: none. */
  readonly nonDisablementCalendar: number;
  /** Special days count the last Publish Special Days declared. */
  readonly specialDays: number;
  /** The non-disablement calendar's profiles and special days (GCS05 publishes them, GCS21b reads them). */
  readonly calendar: GasCalendar;
  /** UTRN counter cache (GBCS 14.3.6): counters of the last accepted UTRNs, ascending, at most UTRN_CACHE_SIZE. */
  readonly utrnCounters: readonly bigint[];
  readonly pending: readonly PendingChange[];
}

export interface GsmeState extends DeviceCore, OtaClientFields {
  /**
   * While the GSME fetches firmware (GBCS 11.1 via its CH, ZigBee OTA): the end of the awake time it gives the transfer
   * at this wake-up; it then sleeps and resumes at a later one. Absent otherwise.
   */
  readonly otaAwakeUntilMs?: number;
  /** Awake time a wake-up may give a firmware transfer, ms [A: not in our sources; configurable]. */
  readonly otaSessionMs?: number;
  readonly kind: 'GSME';
  /** The GPF that mirrors this meter. */
  readonly gpf: Eui64;
  readonly wakeIntervalMs: number;
  /** Wake-ups fall at times ≡ phase (mod interval), so a fleet does not wake in lockstep. */
  readonly wakePhaseMs: number;
  readonly awakeWindowMs: number;
  /** Radio on: between a wake-up and the empty mailbox (or the awake window's end). */
  readonly awake: boolean;
  /** Something the mirror shows changed since the last mirror update. */
  readonly mirrorStale: boolean;
  readonly valve: ValveState;
  /** Consumption register, volume unit × 1000; tiers are the time-of-use registers. */
  readonly consumption: number;
  readonly tiers: readonly number[];
  readonly batteryDays: number;
  readonly prepayment: GsmePrepayment;
  /** Time off supply and why (issue 8). */
  readonly supplyLoss: SupplyLoss;
  /**
   * Twin-only: the premise's other meters, so that a UTRN made for one of them is reported as "not for this
   * device" (0x8F64) rather than "not authentic" (0x8F63) — a real meter cannot tell the two apart.
   */
  readonly utrnPeers: readonly Eui64[];
}

/** Payment Control Configuration of a credit-mode GSME (RTDS GCS02 proposes 0x0C94) [O]. */
export const CREDIT_PAYMENT_CONTROL = 0x0c94;
/** The same with "disconnection enabled" and "prepayment enabled" set (RTDS GCS21j reads 0x0C97) [O]. */
export const PREPAYMENT_PAYMENT_CONTROL = 0x0c97;
/** Time-of-use registers a GSME holds (Metering tiers 1–4) [O]. */
export const TOU_REGISTERS = 4;
/** Remaining battery life a new GSME reports, days (RTDS GCS33: 100) [A: placeholder]. */
export const DEFAULT_BATTERY_DAYS = 100;

/** No friendly credit calendar published yet. */
export const EMPTY_CALENDAR: GasCalendar = Object.freeze({
  providerId: 0,
  issuerEventId: 0,
  days: Object.freeze([]),
  weeks: Object.freeze([]),
  seasons: Object.freeze([]),
  specialDays: Object.freeze([]),
});

export const INITIAL_PREPAYMENT: GsmePrepayment = Object.freeze({
  mode: 'credit',
  paymentControl: CREDIT_PAYMENT_CONTROL,
  cutOff: 0,
  billToDate: 0,
  emergencyCreditLimit: 0,
  emergencyCreditThreshold: 0,
  lowCreditWarning: 0,
  maxCreditLimit: 0,
  maxCreditPerTopUp: 0,
  overallDebtCap: 0,
  debtRecovery: Object.freeze([]),
  nonDisablementCalendar: 0,
  specialDays: 0,
  calendar: EMPTY_CALENDAR,
  utrnCounters: Object.freeze([]) as readonly bigint[],
  pending: Object.freeze([]),
  ledger: EMPTY_LEDGER,
  friendlyCalendar: NO_FRIENDLY_CALENDAR,
  tariff: NO_TARIFF,
  profile: null,
  energyCarry: 0,
  wakeMs: 0,
});

/** What the GSME tells its GPF at a wake-up (domain brief §4.4; SECMP0015 timestamp). */
export function mirrorOf(state: GsmeState, now: number): GasMirror {
  const p = state.prepayment;
  return {
    gsmeTimeMs: deviceTime(state, now),
    firmwareVersion: state.firmwareVersion,
    valve: state.valve,
    consumption: state.consumption,
    registers: {
      tiers: state.tiers,
      billToDate: p.billToDate,
      paymentControl: p.paymentControl,
      creditRemaining: p.ledger.meterBalance,
      emergencyCreditRemaining: emergencyCreditRemaining(p.ledger),
      accumulatedDebt: accumulatedDebt(p.ledger),
      debts: debtRegisters(p.ledger),
      batteryDays: state.batteryDays,
    },
  };
}

/** ZSE Emergency Credit Remaining: what is left of the emergency credit in use, 0 when none is [A]. */
export function emergencyCreditRemaining(l: Ledger): number {
  return l.emergencyCreditActive ? l.emergencyCreditBalance : 0;
}

/** ZSE Debt Registers 1–3: the two time debts and the payment debt. */
export function debtRegisters(l: Ledger): readonly [number, number, number] {
  return [l.timeDebts[0], l.timeDebts[1], l.paymentDebt];
}

/** Accumulated Debt as the sum of the three debt registers [A: ZSE leaves the relation to the meter]. */
export function accumulatedDebt(l: Ledger): number {
  return l.timeDebts[0] + l.timeDebts[1] + l.paymentDebt;
}
