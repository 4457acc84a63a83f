// A meter's prepayment account in time (issue 8), the same for the ESME and the GSME: before each input the meter
// brings its ledger up to the moment (consumption, standing charge, instalments; src/prepayment/ledger.ts) and acts
// on every crossing on the way — alerts, disablement, the non-disablement period's 0x8F83 —; after the input it
// restores what credit allows, keeps its supply-loss account and plans its next wake-up. What differs between the
// meters (their settings, supply, registers and alerts) comes in a MeterAccounting of each.
import type { FriendlyCalendar } from '../prepayment/calendar.js';
import type { ConsumptionProfile } from '../prepayment/consumption.js';
import {
  advance,
  creditRestored,
  nextCrossingMs,
  type Ledger,
  type LedgerEvent,
  type PrepaymentSettings,
  type Tariff,
} from '../prepayment/ledger.js';
import { supplyLossAt, type SupplyLoss, type SupplyLossCause } from '../prepayment/supply-loss.js';
import { deviceTime, type DeviceCore } from './device.js';
import type { ActorEnv, Effect, Step } from './types.js';

/** The engine's part of a meter's prepayment state (both meters hold these fields). */
export interface EngineState {
  readonly ledger: Ledger;
  /** The non-disablement calendar as the engine reads it, compiled from what the commands set. */
  readonly friendlyCalendar: FriendlyCalendar;
  /** The price the engine charges: no command modelled sets it (SR 1.1 tariffs), so configuration [A]. */
  readonly tariff: Tariff;
  /** The premise's demand on this meter; null: none (registers and balance move only by commands). */
  readonly profile: ConsumptionProfile | null;
  /** Fraction of a register unit delivered but not yet counted. */
  readonly energyCarry: number;
  /** When the engine next needs the meter (UTC ms of model time), as last planned; 0: not planned. */
  readonly wakeMs: number;
}

export interface AccountedMeter extends DeviceCore {
  readonly prepayment: EngineState & { readonly mode: 'credit' | 'prepayment' };
  readonly supplyLoss: SupplyLoss;
}

/** What differs between meters. */
export interface MeterAccounting<S extends AccountedMeter> {
  readonly settings: (state: S) => PrepaymentSettings;
  readonly supplyOn: (state: S) => boolean;
  /** Register units (Wh, litres) per Wh delivered. */
  readonly unitsPerWh: number;
  /** The state with `units` more on its consumption register. */
  readonly addToRegister: (state: S, units: number) => S;
  /** Acts on a crossing at `at` (model time): log, alert, and for 'disable' the supply off. */
  readonly onCrossing: (state: S, event: LedgerEvent, at: number, env: ActorEnv) => Step<S>;
  /** The supply is armed: the consumer can restore it. */
  readonly armed: (state: S) => boolean;
  /** Credit is back on a supply off for lack of it: what the meter does by itself (the ESME arms). */
  readonly onCreditRestored: (state: S, now: number, env: ActorEnv) => Step<S>;
}

/** How far ahead a meter looks for its next crossing; with none, it wakes then and looks again [A]. */
export const PREPAYMENT_HORIZON_MS = 2 * 86_400_000;
export const PREPAYMENT_TIMER = 'prepayment';
const NO_DEMAND: ConsumptionProfile = Object.freeze({ kind: 'flat', watts: 0 });

/** Whether the engine has anything to run: a prepayment meter, or a meter with a demand to count. */
function engineRuns(p: AccountedMeter['prepayment']): boolean {
  return p.mode === 'prepayment' || p.profile !== null;
}

function withEngine<S extends AccountedMeter>(state: S, engine: Partial<EngineState>): S {
  return { ...state, prepayment: { ...state.prepayment, ...engine } };
}

/** Brings the ledger to `now`, acting on each crossing on the way. */
export function settleAccount<S extends AccountedMeter>(
  m: MeterAccounting<S>,
  state: S,
  now: number,
  env: ActorEnv,
): Step<S> {
  const p = state.prepayment;
  if (!engineRuns(p)) return { state, effects: [] };
  const settings = m.settings(state);
  const until = deviceTime(state, now);
  // A ledger never run starts now: nothing is charged for the time before the engine ran.
  let next = p.ledger.asOfMs === 0 ? withEngine(state, { ledger: { ...p.ledger, asOfMs: until } }) : state;
  const effects: Effect[] = [];
  for (let guard = 0; guard < 64; guard++) {
    const e = next.prepayment;
    const run = advance(e.ledger, settings, e.profile ?? NO_DEMAND, m.supplyOn(next), until);
    next = delivered(m, next, run.ledger, run.energyWh);
    if (run.event === undefined) return { state: next, effects };
    const acted = m.onCrossing(next, run.event, run.ledger.asOfMs - state.clockOffsetMs, env);
    next = acted.state;
    effects.push(...acted.effects);
  }
  return { state: next, effects: [...effects, note(state, 'prepayment: too many crossings at once')] };
}

function delivered<S extends AccountedMeter>(
  m: MeterAccounting<S>,
  state: S,
  ledger: Ledger,
  energyWh: number,
): S {
  const e = state.prepayment;
  if (energyWh === 0 && ledger === e.ledger) return state;
  const total = e.energyCarry + energyWh * m.unitsPerWh;
  const whole = Math.floor(total);
  return withEngine(whole === 0 ? state : m.addToRegister(state, whole), {
    ledger,
    energyCarry: total - whole,
  });
}

/**
 * After an input: what credit restores, the supply-loss account following the supply, and the wake-up planned again
 * when the ledger or the supply changed.
 */
export function reviewAccount<S extends AccountedMeter>(
  m: MeterAccounting<S>,
  before: S,
  state: S,
  now: number,
  env: ActorEnv,
): Step<S> {
  const runs = engineRuns(state.prepayment);
  if (!runs && m.supplyOn(state) === m.supplyOn(before)) return { state, effects: [] };
  const clockMoved = state.clockOffsetMs - before.clockOffsetMs;
  // Anything the input changed in the account, the supply or the meter's clock may move the next crossing.
  const changed =
    state.prepayment !== before.prepayment || m.supplyOn(state) !== m.supplyOn(before) || clockMoved !== 0;
  let next = state;
  const ledger = state.prepayment.ledger;
  // The engine starts with this input (SR 1.6 to prepayment, a demand given): from now, not from its last run.
  if (runs && !engineRuns(before.prepayment))
    next = withEngine(state, { ledger: { ...ledger, asOfMs: deviceTime(state, now) } });
  // ECS70 / GCS28 set the clock: the ledger runs on the meter's clock, which jumped; nothing was consumed in the jump.
  else if (clockMoved !== 0 && ledger.asOfMs !== 0)
    next = withEngine(state, { ledger: { ...ledger, asOfMs: ledger.asOfMs + clockMoved } });
  const settings = m.settings(next);
  const restored = creditRestored(next.prepayment.ledger, settings);
  const effects: Effect[] = [];
  if (!m.supplyOn(next) && restored && next.supplyLoss.current?.cause === 'no-credit') {
    const back = m.onCreditRestored(next, now, env);
    next = back.state;
    effects.push(...back.effects);
  }
  next = { ...next, supplyLoss: supplyLossAt(next.supplyLoss, now, lossCause(m, next, restored)) };
  // Only a prepayment meter has crossings to wake for; a credit meter's demand is counted when it is next stepped.
  const e = next.prepayment;
  if (runs && settings.prepayment && (changed || e.wakeMs === 0)) {
    const device = nextCrossingMs(
      e.ledger,
      settings,
      e.profile ?? NO_DEMAND,
      m.supplyOn(next),
      PREPAYMENT_HORIZON_MS,
    );
    const wakeMs = Math.max(device - next.clockOffsetMs, now);
    if (wakeMs !== e.wakeMs) {
      next = withEngine(next, { wakeMs });
      effects.push({ kind: 'timer', atMs: wakeMs, timer: { name: PREPAYMENT_TIMER } });
    }
  }
  return { state: next, effects };
}

/** The prepayment wake-up: settling has done its work; the review plans the next one. */
export function prepaymentWoken<S extends AccountedMeter>(state: S): S {
  return withEngine(state, { wakeMs: 0 });
}

/**
 * Why the supply is off now, or null when it is on. A supplier's disablement stays the cause, whatever credit does,
 * until the supplier enables or arms (so credit restored never re-arms a supply the supplier turned off).
 */
function lossCause<S extends AccountedMeter>(
  m: MeterAccounting<S>,
  state: S,
  restored: boolean,
): SupplyLossCause | null {
  if (m.supplyOn(state)) return null;
  if (state.supplyLoss.current?.cause === 'disabled-remotely' && !m.armed(state)) return 'disabled-remotely';
  if (!restored) return 'no-credit';
  return 'awaiting-restore';
}

/**
 * The meter lost mains power: its account is brought to the moment, and it plans nothing while off (a timer due then
 * is not heard).
 */
export function pauseAccount<S extends AccountedMeter>(
  m: MeterAccounting<S>,
  state: S,
  now: number,
  env: ActorEnv,
): Step<S> {
  const settled = settleAccount(m, state, now, env);
  return { state: withEngine(settled.state, { wakeMs: 0 }), effects: settled.effects };
}

/**
 * Mains power is back: nothing was delivered or charged while the meter was off [A: it cannot meter without power],
 * so its account resumes from now, and its next wake-up is planned.
 */
export function resumeAccount<S extends AccountedMeter>(
  m: MeterAccounting<S>,
  state: S,
  now: number,
  env: ActorEnv,
): Step<S> {
  const ledger = state.prepayment.ledger;
  const resumed =
    ledger.asOfMs === 0
      ? state
      : withEngine(state, { ledger: { ...ledger, asOfMs: deviceTime(state, now) }, wakeMs: 0 });
  return reviewAccount(m, resumed, resumed, now, env);
}

/** The supplier disabled the supply (SR 7.2): time off counts as disabled remotely while credit lasts. */
export function disabledRemotely<S extends AccountedMeter>(state: S, now: number): S {
  return { ...state, supplyLoss: supplyLossAt(state.supplyLoss, now, 'disabled-remotely') };
}

/** The supply went off for lack of credit (a 'disable' crossing). */
export function disabledForCredit<S extends AccountedMeter>(state: S, at: number): S {
  return { ...state, supplyLoss: supplyLossAt(state.supplyLoss, at, 'no-credit') };
}

function note(state: DeviceCore, text: string): Effect {
  return { kind: 'note', text: `${state.kind} ${state.eui} ${text}` };
}
