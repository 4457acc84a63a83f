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
import type { ActorEnv, Effect, SupplyState } from './types.js';

export type PaymentMode = 'credit' | 'prepayment';

/** ECS17b's import registers (GBCS ECS17b: active import Wh, reactive import varh; 32-bit unsigned) [O]. */
export interface ImportRegisters {
  readonly activeWh: number;
  readonly reactiveVarh: number;
}

/**
 * What the prepayment commands set (SR 1.6, 2.1, 2.2, 2.3, 2.5; domain brief §7). Accept, record and respond: the
 * prepayment engine (consumption, debt recovery, disablement) comes later. Amounts in milli-pence [A].
 */
export interface PrepaymentState {
  readonly mode: PaymentMode;
  readonly balance: number;
  readonly emergencyCreditActive: boolean;
  readonly emergencyCreditLimit: number;
  readonly emergencyCreditThreshold: number;
  readonly lowCreditThreshold: number;
  readonly disablementThreshold: number;
  /** 0: not set, no limit [A]. */
  readonly maxMeterBalance: number;
  /** Largest credit one UTRN may add; 0: not set, no limit [A]. */
  readonly maxCreditThreshold: number;
  readonly debtRecoveryRateCap: number;
  readonly timeDebt1: number;
  readonly timeDebt2: number;
  readonly paymentDebt: number;
  readonly debtRecoveryPerPayment: number;
  /** UTRN counter cache (GBCS 14.3.6): counters of the last accepted UTRNs, ascending, at most UTRN_CACHE_SIZE. */
  readonly utrnCounters: readonly bigint[];
}

export interface EsmeState extends DeviceCore {
  readonly kind: 'ESME';
  /** Mains power to the meter: unpowered, it neither hears the HAN nor acts. */
  readonly powered: boolean;
  readonly supply: SupplyState;
  readonly registers: ImportRegisters;
  readonly prepayment: PrepaymentState;
  /**
   * The premise's other meters (e.g. its GSME), twin-only: a real meter cannot tell a UTRN meant for another device
   * from a forged one; holding every key, the twin can, and raises 0x8F64 rather than 0x8F63 [A].
   */
  readonly otherMeters: readonly Eui64[];
}

export { UTRN_CACHE_SIZE } from './utrn-acceptance.js';

/** ESME log capacities: GBCS sizes not in our sources; the framework placeholders [A]. */
export const ESME_LOG_CAPACITIES: LogCapacities = DEFAULT_LOG_CAPACITIES;

export const INITIAL_PREPAYMENT: PrepaymentState = Object.freeze({
  mode: 'credit',
  balance: 0,
  emergencyCreditActive: false,
  emergencyCreditLimit: 0,
  emergencyCreditThreshold: 0,
  lowCreditThreshold: 0,
  disablementThreshold: 0,
  maxMeterBalance: 0,
  maxCreditThreshold: 0,
  debtRecoveryRateCap: 0,
  timeDebt1: 0,
  timeDebt2: 0,
  paymentDebt: 0,
  debtRecoveryPerPayment: 0,
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
    otherMeters: init.otherMeters ?? [],
  };
}

// ---- Event and alert codes the ESME logs or raises (names from gbcs-parser alertCodes, GBCS Table 16) [O] ----

export const ESME_CODES = {
  supplyArmed: 0x8f32,
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
