// The ESME's state (SMETS2 electricity meter): plain, compact data for a million premises — the common device part,
// the load switch, the import registers and the prepayment values the commands set. Money is held as integers in
// 1/100000 of the currency unit (milli-pence), the scale the DUIS 2.1 values suggest (EmergencyCreditLimit 300000
// = £3) [A: DUIS money units are not confirmed, domain brief §10].
import type { Eui64 } from '../codec/eui64.js';
import {
  appendLog,
  DEFAULT_LOG_CAPACITIES,
  deviceTime,
  initCore,
  raiseAlert,
  toHub,
  type DeviceCore,
  type DeviceInit,
  type LogCapacities,
} from './device.js';
import { NO_FRIENDLY_CALENDAR } from '../prepayment/calendar.js';
import { EMPTY_LEDGER, NO_TARIFF } from '../prepayment/ledger.js';
import type { EngineState } from './prepayment-account.js';
import { NO_SUPPLY_LOSS, type SupplyLoss } from '../prepayment/supply-loss.js';
import type { CredentialsState } from './security-credentials.js';
import type { OtaClientFields } from './ota-client.js';
import type { ActorEnv, Effect, SupplyState } from './types.js';

export type PaymentMode = 'credit' | 'prepayment';

/**
 * ECS17b's import registers (GBCS ECS17b: active import Wh, reactive import varh; 32-bit unsigned) [O], and the TOU
 * registers ECS17d / ECS17e read (double-long-unsigned each, counts as RTDS 4.1.2_ECS17d / 4.1.3_ECS17e answer) [O].
 * The TOU arrays are optional: absent reads as all zero, so a fleet (and a snapshot taken before they existed) holds
 * nothing until something sets them; nothing accumulates them yet [A].
 */
export interface ImportRegisters {
  readonly activeWh: number;
  readonly reactiveVarh: number;
  /** ECS17d: the TOU import register matrix, TOU_REGISTERS values [O: count], Wh [A]. */
  readonly tou?: readonly number[];
  /** ECS17d on a twin-element ESME: the secondary element's SECOND_ELEMENT_TOU_REGISTERS values; absent: single [A]. */
  readonly secondElementTou?: readonly number[];
  /** ECS17e: the TOU-with-blocks import register matrix, TOU_BLOCK_REGISTERS values [O: count], Wh [A]. */
  readonly touBlocks?: readonly number[];
}

/** Register counts of the ECS17d / ECS17e answers: 48 TOU, 4 second-element TOU (TWIN), 64 TOU-with-blocks [O]. */
export const TOU_REGISTERS = 48;
export const SECOND_ELEMENT_TOU_REGISTERS = 4;
export const TOU_BLOCK_REGISTERS = 64;

/**
 * A time-debt recovery rate as ECS07 sets it and ECS26a reads it (Charge class 113 unit_charge and period, RTDS
 * 4.13_ECS26a): `rate` × 10^`priceScale` currency units every `periodS` seconds. Time-based: no commodity [O].
 */
export interface DebtRecoveryRate {
  readonly rate: number;
  readonly priceScale: number;
  readonly periodS: number;
}

/**
 * What the prepayment commands set (SR 1.6, 2.1, 2.2, 2.3, 2.5; domain brief §7) and ECS26a / ECS82 read back (SR
 * 4.13, 4.18), and the ledger the prepayment engine (src/prepayment/ledger.ts) runs on them. Amounts in milli-pence
 * [A]. The calendar and charge tables are kept as set: one DLMS Data, A-XDR encoded, uppercase hex; the calendar is
 * also kept compiled for the engine.
 */
export interface PrepaymentState extends EngineState {
  readonly mode: PaymentMode;
  // The ledger's meter balance is the token credit's current_credit_amount (ECS82, RTDS 4.18_ECS82) [O]; its
  // emergency credit and debt registers the emergency credit's and the Charges' amounts.
  readonly emergencyCreditLimit: number;
  readonly emergencyCreditThreshold: number;
  readonly lowCreditThreshold: number;
  readonly disablementThreshold: number;
  /** 0: not set, no limit [A]. */
  readonly maxMeterBalance: number;
  /** Largest credit one UTRN may add; 0: not set, no limit [A]. */
  readonly maxCreditThreshold: number;
  readonly debtRecoveryRateCap: number;
  /** The period the cap applies to, seconds (ECS08 sets it, ECS26a reads it as max_provision_period). */
  readonly debtRecoveryRateCapPeriodS: number;
  /** Share of each top-up that recovers the payment debt, 0.01 % (DUIS DebtRecoveryPerPayment). */
  readonly debtRecoveryPerPayment: number;
  /** Recovery rates of time debts 1 and 2 (ECS07 sets them, ECS26a reads them). */
  readonly timeDebt1Recovery: DebtRecoveryRate;
  readonly timeDebt2Recovery: DebtRecoveryRate;
  /** Non-disablement special days (class 11 entries), as ECS08 set them: A-XDR hex. */
  readonly specialDays: string;
  /** Non-disablement schedule (class 10 entries), as ECS08 set it: A-XDR hex. */
  readonly nonDisablementSchedule: string;
  /** Account credit_charge_configuration (class 111 attribute 11), as ECS02 / ECS03 set it: A-XDR hex. */
  readonly creditChargeConfiguration: string;
  /** UTRN counter cache (GBCS 14.3.6): counters of the last accepted UTRNs, ascending, at most UTRN_CACHE_SIZE. */
  readonly utrnCounters: readonly bigint[];
}

export interface EsmeState extends DeviceCore, CredentialsState, OtaClientFields {
  readonly kind: 'ESME';
  /** Mains power to the meter: unpowered, it neither hears the HAN nor acts. */
  readonly powered: boolean;
  readonly supply: SupplyState;
  readonly registers: ImportRegisters;
  readonly prepayment: PrepaymentState;
  /** Time off supply and why (issue 8). */
  readonly supplyLoss: SupplyLoss;
  /**
   * The premise's other meters (e.g. its GSME), twin-only: a real meter cannot tell a UTRN meant for another device
   * from a forged one; holding every key, the twin can, and raises 0x8F64 rather than 0x8F63 [A].
   */
  readonly otherMeters: readonly Eui64[];
}

export { UTRN_CACHE_SIZE } from './utrn-acceptance.js';

/** ESME log capacities: GBCS sizes not in our sources; the framework placeholders [A]. */
export const ESME_LOG_CAPACITIES: LogCapacities = DEFAULT_LOG_CAPACITIES;

/** An empty DLMS array (tag 0x01, no elements), A-XDR hex: a table nothing has set. */
export const EMPTY_DLMS_ARRAY = '0100';

/**
 * A recovery rate nothing has set [A]: rate 0, price scale -5 (money in 10^-5 of the currency unit, as this state holds
 * it; RTDS 4.13_ECS26a reads -5), daily (RTDS 4.13_ECS26a reads 86400 s).
 */
export const NO_DEBT_RECOVERY: DebtRecoveryRate = Object.freeze({ rate: 0, priceScale: -5, periodS: 86_400 });

/** The debt recovery rate cap period before ECS08 sets it: one week, what the 2.1 transform always sends [A]. */
export const DEFAULT_DEBT_RECOVERY_RATE_CAP_PERIOD_S = 604_800;

export const INITIAL_PREPAYMENT: PrepaymentState = Object.freeze({
  mode: 'credit',
  ledger: EMPTY_LEDGER,
  emergencyCreditLimit: 0,
  emergencyCreditThreshold: 0,
  lowCreditThreshold: 0,
  disablementThreshold: 0,
  maxMeterBalance: 0,
  maxCreditThreshold: 0,
  debtRecoveryRateCap: 0,
  debtRecoveryRateCapPeriodS: DEFAULT_DEBT_RECOVERY_RATE_CAP_PERIOD_S,
  debtRecoveryPerPayment: 0,
  timeDebt1Recovery: NO_DEBT_RECOVERY,
  timeDebt2Recovery: NO_DEBT_RECOVERY,
  specialDays: EMPTY_DLMS_ARRAY,
  nonDisablementSchedule: EMPTY_DLMS_ARRAY,
  creditChargeConfiguration: EMPTY_DLMS_ARRAY,
  friendlyCalendar: NO_FRIENDLY_CALENDAR,
  tariff: NO_TARIFF,
  profile: null,
  energyCarry: 0,
  wakeMs: 0,
  utrnCounters: Object.freeze([]) as readonly bigint[],
});

export interface EsmeInit extends DeviceInit {
  readonly powered?: boolean;
  readonly supply?: SupplyState;
  readonly registers?: ImportRegisters;
  readonly prepayment?: Partial<PrepaymentState>;
  readonly otherMeters?: readonly Eui64[];
}

/** A new ESME: powered and supplying, in credit mode, registers at zero unless given, not yet on the SMHAN. */
export function createEsme(init: EsmeInit): EsmeState {
  return {
    ...initCore('ESME', init),
    kind: 'ESME',
    powered: init.powered ?? true,
    supply: init.supply ?? 'enabled',
    registers: init.registers ?? { activeWh: 0, reactiveVarh: 0 },
    prepayment: { ...INITIAL_PREPAYMENT, ...init.prepayment },
    supplyLoss: NO_SUPPLY_LOSS,
    otherMeters: init.otherMeters ?? [],
  };
}

// ---- Event and alert codes the ESME logs or raises (names from gbcs-parser alertCodes, GBCS Table 16) [O] ----

export const ESME_CODES = {
  supplyArmed: 0x8f32,
  lowCredit: 0x810d,
  emergencyCreditAvailable: 0x8119,
  emergencyCreditExhausted: 0x81aa,
  creditBelowDisablementThreshold: 0x8f0f,
  disablementSuspended: 0x8f83,
  eventLogCleared: 0x8f52,
  emergencyCreditActivated: 0x81ab,
  creditAddedLocally: 0x810e,
  clockAdjusted: 0x8145,
  clockNotAdjustedOutsideTolerance: 0x81c6,
  supplyOutageRestored: 0x8f35,
  supplyInterrupted: 0x8f57,
  userInterfaceCommandActioned: 0x8161,
  duplicateUtrn: 0x8f51,
  utrnNotAuthentic: 0x8f63,
  utrnNotForThisDevice: 0x8f64,
  utrnExceedsMaxCreditThreshold: 0x8f5b,
  creditWouldExceedMaxMeterBalance: 0x8f47,
  /**
   * Supply enabled / disabled by ECS42 / ECS43: GBCS event codes for these are not in our sources; twin-private
   * placeholders outside the alert ranges [A].
   */
  supplyEnabled: 0xf042,
  supplyDisabled: 0xf043,
} as const;

/** Appends `code` to the event or security log, at device time, with the ESME's capacities. */
export function logged(
  state: EsmeState,
  log: 'eventLog' | 'securityLog',
  code: number,
  now: number,
): EsmeState {
  const entry = { atMs: deviceTime(state, now), code };
  return { ...state, [log]: appendLog(state[log], entry, ESME_LOG_CAPACITIES[log]) };
}

/**
 * Raises one of the ESME's own alerts (generic alert, DLMS data-notification) towards the CHF. Which of them GBCS
 * makes critical is not in our sources: sent non-critical (MACed) [A].
 */
export function esmeAlert(
  state: EsmeState,
  code: number,
  now: number,
  env: ActorEnv,
): { state: EsmeState; effect: Effect } {
  const alert = raiseAlert(state, code, false, now, env);
  return { state: alert.state, effect: toHub(alert.state, alert.bytes) };
}

export function note(state: EsmeState, text: string): Effect {
  return { kind: 'note', text: `ESME ${state.eui} ${text}` };
}
