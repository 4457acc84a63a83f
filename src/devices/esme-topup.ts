// Prepayment top-up on the ESME (GBCS 14; domain brief §7): CS01a over the WAN (SR 2.2) and the keypad. The UTRN
// is checked against the supplier's prepayment key and the UTRN counter cache (GBCS 14.3.6; utrn-acceptance.ts,
// shared with the GSME): a counter in the cache, or not above its lowest, is a duplicate (0x8F51); a token that
// does not authenticate is 0x8F63, one meant for another of the premise's meters 0x8F64; a credit above the
// Maximum Credit Threshold 0x8F5B, one that would take the balance above the Maximum Meter Balance 0x8F47.
// Accepted, the prepayment engine shares it out (emergency credit repaid, debt recovered, the rest to the balance;
// src/prepayment/ledger.ts applyCredit). A UTRN arrives by CS01a (SR 2.2 over the WAN, or the same command as a
// local command carried by an HHT), on the keypad, or from the PPMID (PECS01).
import type { UtrnValueClass } from '../crypto/utrn.js';
import { applyCredit, type CreditRefusal, type Ledger } from '../prepayment/ledger.js';
import { esmeSettings } from './esme-account.js';
import { deviceTime, type CommandHandler } from './device.js';
import {
  accessRequestOf,
  accessResponse,
  failed,
  isSingleAction,
  octetsOf,
  OK,
  refuseAll,
  RESULT,
  TOKEN_GATEWAY,
} from './esme-dlms.js';
import { esmeAlert, ESME_CODES, logged, note, type EsmeState } from './esme-state.js';
import { dlmsDateTimeAt } from './outbound.js';
import type { ActorEnv, Effect, Step } from './types.js';
import { cacheUtrnCounter, checkUtrn } from './utrn-acceptance.js';

/** Milli-pence per unit of each UTRN value class (pence, pounds) [A: money unit, see esme-state.ts]. */
const MILLI_PENCE: Readonly<Record<UtrnValueClass, number>> = { pence: 1_000, pounds: 100_000 };

export type TopUpOutcome =
  | { readonly accepted: true; readonly credit: number; readonly counter: bigint; readonly ledger: Ledger }
  | { readonly accepted: false; readonly alertCode: number; readonly reason: string };

/** Where a UTRN came from: a CS01a command (WAN or HHT), the meter's keypad, or the PPMID (PECS01). */
export type TopUpSource = 'remote' | 'keypad' | 'ppmid';

const CREDIT_REFUSAL_ALERTS: Readonly<Record<CreditRefusal, number>> = {
  'exceeds-max-credit-threshold': ESME_CODES.utrnExceedsMaxCreditThreshold,
  'exceeds-max-meter-balance': ESME_CODES.creditWouldExceedMaxMeterBalance,
};

/** Where each refusal is logged: authentication failures in the security log, the rest in the event log [A]. */
function refusalLog(alertCode: number): 'eventLog' | 'securityLog' {
  return alertCode === ESME_CODES.utrnNotAuthentic || alertCode === ESME_CODES.utrnNotForThisDevice
    ? 'securityLog'
    : 'eventLog';
}

/** Checks a UTRN as the ESME does; never throws for a bad token. */
export function checkTopUp(state: EsmeState, utrn: string, env: ActorEnv): TopUpOutcome {
  const supplier = state.security.parties.supplier;
  if (supplier === undefined)
    return {
      accepted: false,
      alertCode: ESME_CODES.utrnNotAuthentic,
      reason: 'no supplier prepayment key held',
    };
  const verdict = checkUtrn(
    utrn,
    {
      supplier,
      device: state.eui,
      cache: state.prepayment.utrnCounters,
      otherDevices: state.otherMeters,
    },
    env,
  );
  switch (verdict.outcome) {
    case 'not-authentic':
      return { accepted: false, alertCode: ESME_CODES.utrnNotAuthentic, reason: verdict.reason };
    case 'wrong-device':
      return { accepted: false, alertCode: ESME_CODES.utrnNotForThisDevice, reason: verdict.reason };
    case 'duplicate-or-old-counter':
      return { accepted: false, alertCode: ESME_CODES.duplicateUtrn, reason: verdict.reason };
    case 'accepted':
      break;
  }
  const credit = verdict.value * MILLI_PENCE[verdict.valueClass];
  const applied = applyCredit(state.prepayment.ledger, esmeSettings(state.prepayment), credit);
  if (!applied.accepted)
    return {
      accepted: false,
      alertCode: CREDIT_REFUSAL_ALERTS[applied.refusal],
      reason: `credit ${credit}: ${applied.refusal}`,
    };
  return { accepted: true, credit, counter: verdict.counter, ledger: applied.ledger };
}

/** Applies a top-up: credit and cache on acceptance; on refusal the log entry and the alert. */
export function applyTopUp(
  state: EsmeState,
  utrn: string,
  source: TopUpSource,
  now: number,
  env: ActorEnv,
): { state: EsmeState; outcome: TopUpOutcome; effects: Effect[] } {
  const outcome = checkTopUp(state, utrn, env);
  if (outcome.accepted) {
    const p = state.prepayment;
    const prepayment = {
      ...p,
      ledger: outcome.ledger,
      utrnCounters: cacheUtrnCounter(p.utrnCounters, outcome.counter),
    };
    let next: EsmeState = { ...state, prepayment };
    if (source !== 'remote') next = logged(next, 'eventLog', ESME_CODES.creditAddedLocally, now);
    return {
      state: next,
      outcome,
      effects: [note(state, `top-up of ${outcome.credit} accepted (${source})`)],
    };
  }
  const alert = esmeAlert(
    logged(state, refusalLog(outcome.alertCode), outcome.alertCode, now),
    outcome.alertCode,
    now,
    env,
  );
  return {
    state: alert.state,
    outcome,
    effects: [note(state, `top-up refused (${source}): ${outcome.reason}`), alert.effect],
  };
}

/**
 * CS01a: enter the UTRN at the Token Gateway; null-data and the action result, with the ESME's date-time (RTDS
 * 2.2_CS01a) [O]. A refused token is answered other-reason [A: RTDS's ERROR example answers hardware-fault].
 */
export const topUp: CommandHandler<EsmeState> = (state, command, now, env) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  const token = octetsOf(request.data[0]);
  if (!isSingleAction(request, TOKEN_GATEWAY) || token === undefined)
    return { state, payload: refuseAll(request, RESULT.objectUndefined) };
  const applied = applyTopUp(state, new TextDecoder().decode(token), 'remote', now, env);
  return {
    state: applied.state,
    payload: accessResponse(request, [applied.outcome.accepted ? OK : failed(RESULT.otherReason)]),
    effects: applied.effects,
    responseDateTime: dlmsDateTimeAt(deviceTime(state, now)),
  };
};

/** A UTRN typed on the ESME's keypad, or sent by the PPMID (PECS01). */
export function localTopUp(
  state: EsmeState,
  utrn: string,
  source: 'keypad' | 'ppmid',
  now: number,
  env: ActorEnv,
): Step<EsmeState> {
  const applied = applyTopUp(state, utrn, source, now, env);
  return { state: applied.state, effects: applied.effects };
}
