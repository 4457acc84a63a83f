// Prepayment settings on the GSME and their timing (GBCS use cases GCS02/03/05, domain brief §7): a change applies
// now, waits for its future date (then the 0x00CD alert 0x8F66 reports it, RTDS 1.6_GCS02 / 2.1_GCS05 8F66), or
// cancels a waiting one (implementation time 0xFFFFFFFF / 0xFFFFFFFE, RTDS CANCELLATION). What is recorded the
// prepayment engine runs on (gsme-account.ts); the friendly credit calendar is compiled for it whenever the calendar
// or its special days change.
import type { GbcsMessage } from '../codec/gbcs/frame.js';
import { gasCalendar } from '../prepayment/calendar.js';
import { deviceTime, toHub } from './device.js';
import {
  type GsmePrepayment,
  type GsmeState,
  type PendingChange,
  type PrepaymentChange,
} from './gsme-state.js';
import { ZIGBEE_TIME_CANCEL, ZIGBEE_TIME_NOW } from './zcl.js';
import { alertMessage, sealAlert, utcMsOfZigbeeTime, zigbeeUtcTime } from './outbound.js';
import type { ActorEnv, Effect, Step } from './types.js';

/** The timer a future-dated prepayment change waits on. */
export const FUTURE_DATED_TIMER = 'gsme-future-dated';
/** Future Dated Execution Of Instruction Alert (GBZ), message code 0x00CD; alert 0x8F66 actioned [O: RTDS]. */
export const FUTURE_DATED_ALERT = 0x00cd;
export const ALERT_FUTURE_DATED_ACTIONED = 0x8f66;
/** Changes a GSME holds for later; beyond this the oldest is dropped [A: capacity not in our sources]. */
export const MAX_PENDING = 8;
/** The frame control the 0x8F66 alert reports: 0x01, even for Calendar commands sent 0x09 [O: RTDS 2.1_GCS05]. */
const REPORTED_FRAME_CONTROL = 0x01;

/** The prepayment state with `change` applied; a new calendar or special days are compiled for the engine. */
export function applyChange(p: GsmePrepayment, change: PrepaymentChange): GsmePrepayment {
  const next = recorded(p, change);
  return next.calendar === p.calendar ? next : { ...next, friendlyCalendar: gasCalendar(next.calendar) };
}

function recorded(p: GsmePrepayment, change: PrepaymentChange): GsmePrepayment {
  switch (change.kind) {
    case 'payment-mode':
      return { ...p, mode: change.mode, paymentControl: change.paymentControl, cutOff: change.cutOff };
    case 'emergency-credit':
      return { ...p, emergencyCreditLimit: change.limit, emergencyCreditThreshold: change.threshold };
    case 'debt-cap':
      return { ...p, overallDebtCap: change.cap };
    case 'low-credit':
      return { ...p, lowCreditWarning: change.level };
    case 'max-credit':
      return { ...p, maxCreditLimit: change.limit, maxCreditPerTopUp: change.perTopUp };
    case 'calendar': {
      // A published calendar replaces the profiles of the one before; its special days come by their own change [A].
      const { providerId, issuerEventId, days, weeks, seasons } = change;
      return {
        ...p,
        nonDisablementCalendar: change.calendarId,
        calendar: { ...p.calendar, providerId, issuerEventId, days, weeks, seasons },
      };
    }
    case 'special-days':
      return { ...p, specialDays: change.count, calendar: { ...p.calendar, specialDays: change.entries } };
  }
}

/** When a change takes effect: its ZigBee UTCTime (0: now; ≥ 0xFFFFFFFE: cancel a waiting one) against the clock. */
export type Timing =
  { readonly kind: 'now' } | { readonly kind: 'cancel' } | { readonly kind: 'at'; readonly atMs: number };

export function timingOf(zigbeeTime: number, state: GsmeState, now: number): Timing {
  if (zigbeeTime >= ZIGBEE_TIME_CANCEL) return { kind: 'cancel' };
  if (zigbeeTime === ZIGBEE_TIME_NOW) return { kind: 'now' };
  const atMs = utcMsOfZigbeeTime(zigbeeTime);
  return atMs <= deviceTime(state, now) ? { kind: 'now' } : { kind: 'at', atMs };
}

/** What a command asks of one setting: when, and the record its 0x8F66 alert would carry. */
export interface ChangeRequest {
  readonly change: PrepaymentChange;
  readonly timing: Timing;
  readonly pending: Omit<PendingChange, 'atMs' | 'change'>;
}

/**
 * Applies, schedules or cancels each request in order; returns the prepayment state and the timer to (re)arm. A
 * newer future-dated change of a setting replaces the one waiting for it [A: one pending instance per setting].
 */
export function requestChanges(
  state: GsmeState,
  requests: readonly ChangeRequest[],
): { state: GsmeState; effects: Effect[] } {
  let p = state.prepayment;
  for (const r of requests) {
    const { timing, change } = r;
    if (timing.kind === 'now') p = applyChange(p, change);
    else if (timing.kind === 'cancel')
      p = { ...p, pending: p.pending.filter((x) => x.change.kind !== change.kind) };
    else {
      const kept = p.pending.filter((x) => x.change.kind !== change.kind);
      const pending = [...kept, { ...r.pending, atMs: timing.atMs, change }];
      p = { ...p, pending: pending.slice(Math.max(0, pending.length - MAX_PENDING)) };
    }
  }
  const next = { ...state, prepayment: p };
  return { state: next, effects: armFutureDated(next) };
}

/** The timer for the earliest waiting change (virtual time), or its cancellation when none waits. */
export function armFutureDated(state: GsmeState): Effect[] {
  const { pending } = state.prepayment;
  if (pending.length === 0) return [{ kind: 'cancel-timer', name: FUTURE_DATED_TIMER }];
  const first = Math.min(...pending.map((x) => x.atMs));
  return [{ kind: 'timer', atMs: first - state.clockOffsetMs, timer: { name: FUTURE_DATED_TIMER } }];
}

/**
 * The future-dated timer: every waiting change now due is applied and reported by its own signed 0x00CD alert
 * (0x8F66) to the command's originator, stamped with the execution time (RTDS 8F66 alerts) [O].
 */
export function applyDueChanges(state: GsmeState, now: number, env: ActorEnv): Step<GsmeState> {
  const clock = deviceTime(state, now);
  const due = state.prepayment.pending.filter((x) => x.atMs <= clock).sort((a, b) => a.atMs - b.atMs);
  let p: GsmePrepayment = {
    ...state.prepayment,
    pending: state.prepayment.pending.filter((x) => x.atMs > clock),
  };
  let alertCounter = state.alertCounter;
  const effects: Effect[] = [];
  for (const x of due) {
    p = applyChange(p, x.change);
    effects.push(
      { kind: 'note', text: `GSME ${state.eui}: future-dated ${x.change.kind} actioned (0x8F66)` },
      toHub(state, sealAlert(futureDatedAlert(state, x, alertCounter), true, env)),
    );
    alertCounter++;
  }
  const next: GsmeState = {
    ...state,
    prepayment: p,
    alertCounter,
    mirrorStale: state.mirrorStale || due.length > 0,
  };
  return { state: next, effects: [...effects, ...armFutureDated(next)] };
}

function futureDatedAlert(state: GsmeState, x: PendingChange, counter: bigint): GbcsMessage {
  return alertMessage({
    from: state.eui,
    to: x.originator,
    counter,
    messageCode: FUTURE_DATED_ALERT,
    payload: {
      kind: 'gbz',
      gbz: {
        kind: 'alert',
        alertCode: ALERT_FUTURE_DATED_ACTIONED,
        timestamp: zigbeeUtcTime(x.atMs),
        body: {
          kind: 'future-dated-outcome',
          messageCode: x.messageCode,
          originatorCounter: x.counter,
          clusterId: x.clusterId,
          frameControl: REPORTED_FRAME_CONTROL,
          commandId: x.commandId,
        },
      },
    },
    critical: true,
  });
}
