// Prepayment top-up on the GSME (GBCS 14; domain brief §7): a UTRN arrives remotely by CS01b (ZSE Consumer Top Up)
// or is typed on the keypad. The meter checks it with the supplier's prepayment key and its UTRN counter cache
// (utrn-acceptance.ts, shared with the ESME), refuses duplicates (0x8F51), forgeries (0x8F63), tokens for another
// device (0x8F64) and credit beyond its limits (0x8F5B, 0x8F47), and otherwise the prepayment engine shares the value
// out (emergency credit repaid, payment debt recovered, the rest to the balance; src/prepayment/ledger.ts
// applyCredit). A UTRN also comes from the PPMID (PCS01, gsme-ppmid.ts), answered as CS01b is.
import { applyCredit, type CreditRefusal } from '../prepayment/ledger.js';
import { deviceTime, raiseAlert, toHub, type CommandHandler } from './device.js';
import { gsmeSettings } from './gsme-account.js';
import type { GsmeState } from './gsme-state.js';
import {
  answerEach,
  CLUSTER,
  clusterResponseTo,
  gbzComponents,
  rawFields,
  responseDateTime,
  soleClusterCommand,
  ZCL_STATUS,
  ZclBuilder,
} from './zcl.js';
import { UTRN_REFUSAL_ALERTS } from '../crypto/utrn.js';
import type { ActorEnv, Effect, Step } from './types.js';
import { cacheUtrnCounter, checkUtrn } from './utrn-acceptance.js';

const CONSUMER_TOP_UP = 0x04;
const CONSUMER_TOP_UP_RESPONSE = 0x03;

/** ZSE Consumer Top Up Response Result Type (ZSE D.7.2.4.4); RTDS shows 0x00 and 0x01 [O], the rest [A]. */
export const TOP_UP_RESULT = {
  accepted: 0x00,
  rejectedInvalid: 0x01,
  rejectedDuplicate: 0x02,
  rejectedMaxCredit: 0x04,
  rejectedTooLarge: 0x06,
} as const;

/** UTRN value in GBP × 10^-5: pence × 1000, pounds × 100000 (RTDS: 1250 pence → 1250000) [O]. */
const UNITS_PER = { pence: 1_000, pounds: 100_000 } as const;

/** Alerts beyond the UTRN refusals (domain brief §2.7): credit added locally, max credit threshold / balance. */
export const ALERT_CREDIT_ADDED_LOCALLY = 0x810e;
export const ALERT_UTRN_EXCEEDS_MAX_CREDIT = 0x8f5b;
export const ALERT_UTRN_EXCEEDS_MAX_BALANCE = 0x8f47;

/** Each credit refusal of the engine as a result type and its alert (domain brief §2.7) [O: codes; A: result types]. */
const CREDIT_REFUSALS: Readonly<Record<CreditRefusal, { readonly result: number; readonly alert: number }>> =
  {
    'exceeds-max-credit-threshold': {
      result: TOP_UP_RESULT.rejectedTooLarge,
      alert: ALERT_UTRN_EXCEEDS_MAX_CREDIT,
    },
    'exceeds-max-meter-balance': {
      result: TOP_UP_RESULT.rejectedMaxCredit,
      alert: ALERT_UTRN_EXCEEDS_MAX_BALANCE,
    },
  };

/** What a top-up attempt did: the result type, the value credited and the alert to raise, if any. */
export interface TopUpOutcome {
  readonly state: GsmeState;
  readonly result: number;
  /** Credited value (GBP × 10^-5); -1 when refused (RTDS ERROR: 0xFFFFFFFF) [O]. */
  readonly value: number;
  readonly alert?: number;
  readonly reason: string;
}

/** Checks a UTRN as the GSME would and applies it; pure apart from the returned state. */
export function applyUtrn(state: GsmeState, utrn: string, env: ActorEnv): TopUpOutcome {
  const supplier = state.security.parties.supplier;
  const refused = (result: number, alert: number, reason: string): TopUpOutcome => ({
    state,
    result,
    value: -1,
    alert,
    reason,
  });
  if (supplier === undefined)
    return refused(
      TOP_UP_RESULT.rejectedInvalid,
      UTRN_REFUSAL_ALERTS['not-authentic'],
      'no supplier credentials',
    );
  const p = state.prepayment;
  const verdict = checkUtrn(
    utrn,
    { supplier, device: state.eui, cache: p.utrnCounters, otherDevices: state.utrnPeers },
    env,
  );
  switch (verdict.outcome) {
    case 'not-authentic':
      return refused(TOP_UP_RESULT.rejectedInvalid, UTRN_REFUSAL_ALERTS['not-authentic'], verdict.reason);
    case 'wrong-device':
      return refused(TOP_UP_RESULT.rejectedInvalid, UTRN_REFUSAL_ALERTS['wrong-device'], verdict.reason);
    case 'duplicate-or-old-counter':
      return refused(
        TOP_UP_RESULT.rejectedDuplicate,
        UTRN_REFUSAL_ALERTS['duplicate-or-old-counter'],
        verdict.reason,
      );
    case 'accepted': {
      const value = verdict.value * UNITS_PER[verdict.valueClass];
      const credited = applyCredit(p.ledger, gsmeSettings(p), value);
      if (!credited.accepted) {
        const { result, alert } = CREDIT_REFUSALS[credited.refusal];
        return refused(result, alert, `${value}: ${credited.refusal}`);
      }
      const { emergencyCreditRepaid, debtRecovered } = credited.split;
      return {
        state: {
          ...state,
          mirrorStale: true,
          prepayment: {
            ...p,
            ledger: credited.ledger,
            utrnCounters: cacheUtrnCounter(p.utrnCounters, verdict.counter),
          },
        },
        result: TOP_UP_RESULT.accepted,
        value,
        reason: `credited ${value} (emergency credit repaid ${emergencyCreditRepaid}, debt recovered ${debtRecovered})`,
      };
    }
  }
}

/** Raises the outcome's alert (non-critical [A]) and notes the attempt. */
function reportOutcome(
  outcome: TopUpOutcome,
  how: string,
  now: number,
  env: ActorEnv,
  alertOnSuccess?: number,
): { state: GsmeState; effects: Effect[] } {
  const code = outcome.alert ?? alertOnSuccess;
  const note: Effect = {
    kind: 'note',
    text: `GSME ${outcome.state.eui}: ${how} top-up ${outcome.result === TOP_UP_RESULT.accepted ? 'accepted' : 'refused'} (${outcome.reason})`,
  };
  if (code === undefined) return { state: outcome.state, effects: [note] };
  const alert = raiseAlert(outcome.state, code, false, now, env);
  return { state: alert.state, effects: [note, toHub(alert.state, alert.bytes)] };
}

/**
 * Consumer Top Up {Originating Device (enum8), TopUp Code (octstr, the 20 UTRN digits)}, answered by Consumer Top
 * Up Response {Result Type, Top Up Value (int32), Source of Top Up, Credit Remaining (int32): the meter balance}
 * with a date-time in the header (RTDS 2.2_CS01b SUCCESS; ERROR carries 0xFFFFFFFF for both amounts) [O]. From the
 * DCC (CS01b, 'remote') or the PPMID (PCS01, 'ppmid': a local top-up, alert 0x810E as at the keypad [A]).
 */
export function consumerTopUp(source: 'remote' | 'ppmid'): CommandHandler<GsmeState> {
  return (state, command, now, env) => {
    const c = soleClusterCommand(command, CLUSTER.prepayment, CONSUMER_TOP_UP);
    if (c === undefined) return { state, payload: answerEach(command, ZCL_STATUS.unsupportedClusterCommand) };
    const f = rawFields(c);
    const length = f?.u8(1);
    const code = length === undefined ? undefined : f?.slice(2, length);
    if (f === undefined || code === undefined)
      return { state, payload: answerEach(command, ZCL_STATUS.malformedCommand) };
    const outcome = applyUtrn(state, new TextDecoder().decode(code), env);
    const onSuccess = source === 'ppmid' ? ALERT_CREDIT_ADDED_LOCALLY : undefined;
    const reported = reportOutcome(outcome, source === 'ppmid' ? 'PPMID' : 'remote', now, env, onSuccess);
    const accepted = outcome.result === TOP_UP_RESULT.accepted;
    const response = new ZclBuilder()
      .u8(outcome.result)
      .i32(outcome.value)
      .u8(f.u8(0)!)
      .i32(
        accepted
          ? Math.min(Math.max(outcome.state.prepayment.ledger.meterBalance, -(2 ** 31)), 2 ** 31 - 1)
          : -1,
      )
      .finish();
    const payload = gbzComponents([clusterResponseTo(c, CONSUMER_TOP_UP_RESPONSE, response)]);
    return {
      state: reported.state,
      payload,
      responseDateTime: responseDateTime(deviceTime(state, now)),
      effects: reported.effects,
    };
  };
}

/** CS01b: a UTRN from the DCC (SR 2.2). */
export const applyTopUp: CommandHandler<GsmeState> = consumerTopUp('remote');

/** A UTRN typed on the GSME's keypad: checked the same way; success raises 0x810E credit added locally [A]. */
export function keypadTopUp(state: GsmeState, utrn: string, now: number, env: ActorEnv): Step<GsmeState> {
  const outcome = applyUtrn(state, utrn, env);
  return reportOutcome(outcome, 'keypad', now, env, ALERT_CREDIT_ADDED_LOCALLY);
}
