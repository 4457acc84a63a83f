// The GSME, the battery gas meter (domain brief §4.4): a sleepy device that takes its commands only from its CHF's
// mailbox at wake-ups, keeps the GPF's mirror of it current, closes and arms its valve, keeps its clock, and runs its
// prepayment account (issue 8): before every input — asleep too: the meter's processor runs, only its radio sleeps —
// the account is brought up to the moment (prepayment-account.ts with gsme-account.ts), after it reviewed. Every
// command goes through receiveCommand (checks → handler → sealed response); the response leaves while the GSME is
// still awake, so the User sees it after the next wake-up. The PPMID's HAN-only commands (PCS01, PCS02) arrive the
// same way (gsme-ppmid.ts).
import { clearEventLog, CS11_CLEAR_EVENT_LOG } from './clear-event-log.js';
import type { Eui64 } from '../codec/eui64.js';
import {
  asn1Response,
  commandView,
  commonCommands,
  FIRMWARE_ACTIVATION_TIMER,
  generalizedTimeAt,
  handleCommonTimer,
  msOfGeneralizedTime,
  pendingActivationTimer,
} from './common-commands.js';
import {
  deviceTime,
  handleHanJoining,
  initCore,
  receiveCommand,
  type CommandHandler,
  type CommandTable,
  type DeviceInit,
} from './device.js';
import { gasCalendar } from '../prepayment/calendar.js';
import { NO_SUPPLY_LOSS } from '../prepayment/supply-loss.js';
import { GSME_ACCOUNTING } from './gsme-account.js';
import {
  activateEmergencyCredit,
  changePaymentMode,
  grantEmergencyCredit,
  manageDebt,
  updatePrepaymentConfiguration,
} from './gsme-prepayment-commands.js';
import { GSME_PPMID_COMMANDS } from './gsme-ppmid.js';
import { applyDueChanges, armFutureDated, FUTURE_DATED_TIMER } from './gsme-prepayment.js';
import { readPrepaymentConfiguration } from './gsme-prepayment-reads.js';
import { answerRead, GAS_READS, type ReadRule } from './gsme-reads.js';
import {
  DEFAULT_BATTERY_DAYS,
  INITIAL_PREPAYMENT,
  mirrorOf as gsmeMirror,
  TOU_REGISTERS,
  type GsmePrepayment,
  type GsmeState,
} from './gsme-state.js';
import { armValve, closeValve, restoreSupply } from './gsme-supply.js';
import { applyTopUp, keypadTopUp } from './gsme-topup.js';
import {
  DEFAULT_AWAKE_WINDOW_MS,
  DEFAULT_WAKE_INTERVAL_MS,
  goToSleep,
  pollAgain,
  SLEEP_TIMER,
  WAKE_TIMER,
  wakePhaseOf,
  wakeTimer,
  wakeUp,
} from './gsme-wake.js';
import { meterOtaStep } from './ota-client.js';
import { PREPAYMENT_TIMER, prepaymentWoken, reviewAccount, settleAccount } from './prepayment-account.js';
import { responseDateTime } from './zcl.js';
import {
  unchanged,
  type ActorEnv,
  type ActorInput,
  type ActorStep,
  type HanFrame,
  type Step,
  type ValveState,
} from './types.js';

export type { GsmeState, GsmePrepayment } from './gsme-state.js';
export { buildPpmidGsmeCommand, PPMID_GSME_CODES, type PpmidGsmeRequest } from './gsme-ppmid.js';
export {
  DEFAULT_WAKE_INTERVAL_MS,
  nextWakeAfter,
  SLEEP_TIMER,
  WAKE_TIMER,
  wakePhaseOf,
} from './gsme-wake.js';

/** GBCS message codes of the GSME use cases handled here (domain brief §2.5, Appendix B). */
export const GSME_CODES = {
  GCS02: 0x006c,
  GCS03: 0x006d,
  GCS04: 0x006e,
  GCS05: 0x006f,
  GCS06: 0x0070,
  GCS13a: 0x0074,
  GCS21b: 0x00b5,
  GCS28: 0x007f,
  GCS32: 0x0081,
  GCS33: 0x0082,
  GCS38: 0x0084,
  GCS39: 0x0085,
  CS01b: 0x0097,
} as const;

/** DLMS clock status of a GSME's own read responses: 0x00, its clock taken as good [A; RTDS shows 0x02 on one]. */
const GSME_READ_CLOCK_STATUS = 0x00;

/** ASN.1 DeviceTimeStatus of the GCS28 response (GBCS 9.1; RTDS 6.11 SUCCESS 0, ERROR 2) [O]. */
const TIME_RELIABLE = 0;
const TIME_UNRELIABLE = 2;

/**
 * GCS28 Set Clock: the GSME takes the CHF's time (the virtual UTC: the CH clock is the reference [A]) when it falls
 * inside the command's validity interval and answers {deviceTime, reliable}; outside it keeps its clock and
 * answers unreliable (RTDS 6.11_GCS28 SUCCESS / ERROR) [O]. A clock that moved re-arms the timers set from the old
 * one: the future-dated prepayment changes and a pending CS06 activation.
 */
const setClock: CommandHandler<GsmeState> = (state, command, now) => {
  const set = commandView(command, 'setTimeCommand');
  if (set === undefined)
    return {
      state,
      payload: null,
      effects: [{ kind: 'note', text: `GSME ${state.eui}: GCS28 without its payload` }],
    };
  const inside =
    msOfGeneralizedTime(set.validityIntervalStart) <= now &&
    now <= msOfGeneralizedTime(set.validityIntervalEnd);
  const next = inside ? { ...state, clockOffsetMs: 0 } : state;
  // Timers armed from the old clock offset (future-dated prepayment changes, a CS06 activation) fall due by the new.
  const rearmed =
    next.clockOffsetMs === state.clockOffsetMs
      ? []
      : [
          ...(next.prepayment.pending.length > 0 ? armFutureDated(next) : []),
          ...pendingActivationTimer(next),
        ];
  return {
    state: next,
    payload: asn1Response({
      kind: 'setTimeResponse',
      deviceTime: generalizedTimeAt(deviceTime(next, now)),
      deviceTimeStatus: inside ? TIME_RELIABLE : TIME_UNRELIABLE,
    }),
    effects: rearmed,
  };
};

/** A gas read answered from the GSME's own registers; a date-time in the header where RTDS shows one [O]. */
function readFromSelf(rule: ReadRule): CommandHandler<GsmeState> {
  return (state, command, now, env) => {
    const payload = answerRead(command, rule, gsmeMirror(state, now), state.eui, env);
    if (payload === undefined)
      return {
        state,
        payload: null,
        effects: [{ kind: 'note', text: `GSME ${state.eui}: ${rule.useCase} without components` }],
      };
    if (!rule.dateTime) return { state, payload };
    const dt = responseDateTime(deviceTime(state, now), GSME_READ_CLOCK_STATUS);
    return { state, payload, responseDateTime: dt };
  };
}

/** Every command the GSME answers: the common HAN use cases, its own, the PPMID's (PCS01, PCS02), the gas reads. */
export const GSME_COMMANDS: CommandTable<GsmeState> = new Map<number, CommandHandler<GsmeState>>([
  ...commonCommands<GsmeState>(),
  [GSME_CODES.GCS28, setClock],
  [CS11_CLEAR_EVENT_LOG, clearEventLog<GsmeState>()],
  [GSME_CODES.GCS32, closeValve],
  [GSME_CODES.GCS39, armValve],
  [GSME_CODES.CS01b, applyTopUp],
  [GSME_CODES.GCS02, changePaymentMode('credit')],
  [GSME_CODES.GCS03, changePaymentMode('prepayment')],
  [GSME_CODES.GCS04, manageDebt],
  [GSME_CODES.GCS05, updatePrepaymentConfiguration],
  [GSME_CODES.GCS06, activateEmergencyCredit],
  // RTDS 4.5.0 4.13_GCS21b: the prepayment configuration and friendly credit calendar, read back.
  [GSME_CODES.GCS21b, readPrepaymentConfiguration],
  ...GSME_PPMID_COMMANDS,
  // GCS13a, GCS13c, GCS14, GCS33, GCS38, GCS60, GCS21j: from its own registers (gsme-reads.ts).
  ...[...GAS_READS].map(([code, rule]): [number, CommandHandler<GsmeState>] => [code, readFromSelf(rule)]),
]);

export interface GsmeInit extends DeviceInit {
  /** The GPF (in the same Communications Hub) that mirrors this meter. */
  readonly gpf: Eui64;
  /** Default 30 minutes. */
  readonly wakeIntervalMs?: number;
  /** Offset of the wake grid in [0, interval); default derived from the EUI-64. */
  readonly wakePhaseMs?: number;
  readonly awakeWindowMs?: number;
  readonly valve?: ValveState;
  readonly consumption?: number;
  readonly tiers?: readonly number[];
  readonly batteryDays?: number;
  /** The prepayment configuration and ledger; a calendar given without its compiled form is compiled. */
  readonly prepayment?: Partial<GsmePrepayment>;
  /** Twin-only: the premise's other meters, for the 0x8F64 diagnosis of a UTRN made for one of them. */
  readonly utrnPeers?: readonly Eui64[];
}

export function createGsme(init: GsmeInit): GsmeState {
  const interval = init.wakeIntervalMs ?? DEFAULT_WAKE_INTERVAL_MS;
  if (!Number.isInteger(interval) || interval <= 0)
    throw new RangeError(`wakeIntervalMs must be a positive integer, got ${interval}`);
  const phase = init.wakePhaseMs ?? wakePhaseOf(init.eui, interval);
  if (!Number.isInteger(phase) || phase < 0 || phase >= interval)
    throw new RangeError(`wakePhaseMs must be an integer in [0, ${interval}), got ${phase}`);
  return {
    ...initCore('GSME', init),
    kind: 'GSME',
    gpf: init.gpf,
    wakeIntervalMs: interval,
    wakePhaseMs: phase,
    awakeWindowMs: init.awakeWindowMs ?? DEFAULT_AWAKE_WINDOW_MS,
    awake: false,
    mirrorStale: false,
    valve: init.valve ?? 'open',
    consumption: init.consumption ?? 0,
    tiers: init.tiers ?? new Array<number>(TOU_REGISTERS).fill(0),
    batteryDays: init.batteryDays ?? DEFAULT_BATTERY_DAYS,
    prepayment: initialPrepayment(init.prepayment),
    supplyLoss: NO_SUPPLY_LOSS,
    utrnPeers: init.utrnPeers ?? [],
  };
}

function initialPrepayment(init: Partial<GsmePrepayment> = {}): GsmePrepayment {
  const p = { ...INITIAL_PREPAYMENT, ...init };
  return init.calendar !== undefined && init.friendlyCalendar === undefined
    ? { ...p, friendlyCalendar: gasCalendar(init.calendar) }
    : p;
}

/**
 * One input: the prepayment account settled to `now` first (crossings on the way acted on), then the input, then the
 * account reviewed (credit restored, the supply-loss account, the next prepayment wake-up) — as the ESME does.
 */
export const stepGsme: ActorStep<GsmeState> = (state, input, now, env) => {
  const settled = settleAccount(GSME_ACCOUNTING, state, now, env);
  const step = onInput(settled.state, input, now, env);
  const reviewed = reviewAccount(GSME_ACCOUNTING, settled.state, step.state, now, env);
  if (settled.effects.length === 0 && reviewed.effects.length === 0 && reviewed.state === step.state)
    return step;
  return { state: reviewed.state, effects: [...settled.effects, ...step.effects, ...reviewed.effects] };
};

/** Everything a GSME does with an input, its prepayment account already brought up to `now`. */
function onInput(state: GsmeState, input: ActorInput, now: number, env: ActorEnv): Step<GsmeState> {
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) {
    // Once on the SMHAN, the wake cycle starts.
    if (!state.hanJoined && joining.state.hanJoined)
      return { state: joining.state, effects: [...joining.effects, wakeTimer(joining.state, now)] };
    return joining;
  }
  switch (input.type) {
    case 'timer':
      return onTimer(state, input, now, env);
    case 'han':
      return onHan(state, input.from, input.frame, now, env);
    case 'local':
      return onLocal(state, input.action, now, env);
    default:
      return unchanged(state);
  }
}

function onTimer(
  state: GsmeState,
  input: Extract<ActorInput, { type: 'timer' }>,
  now: number,
  env: ActorEnv,
): Step<GsmeState> {
  switch (input.timer.name) {
    case WAKE_TIMER:
      if (state.awake)
        return unchanged(
          state,
          { kind: 'note', text: `GSME ${state.eui}: still awake at its next wake-up` },
          wakeTimer(state, now),
        );
      return wakeUp(state, now);
    case SLEEP_TIMER:
      return state.awake ? goToSleep(state, now, 'no answer from the CHF') : unchanged(state);
    case FUTURE_DATED_TIMER:
      return applyDueChanges(state, now, env);
    case FIRMWARE_ACTIVATION_TIMER:
      return handleCommonTimer(state, input, now, env) ?? unchanged(state);
    case PREPAYMENT_TIMER:
      // The prepayment wake-up of the meter's processor (the radio stays off): settling has done its work.
      return unchanged(prepaymentWoken(state));
    default:
      return unchanged(state);
  }
}

/** Awake time a wake-up gives a firmware transfer when the GSME does not say [A: not in our sources]. */
export const DEFAULT_OTA_SESSION_MS = 5 * 60_000;

/**
 * GBCS 11.1 to a GSME (domain brief §4.4, §4.5): the GSME takes its image by ZigBee OTA from its CH, only while awake.
 * An Image Notify heard at a wake-up (the CH sends it ahead of the mailbox's answer) opens an OTA session of
 * `otaSessionMs`: the GSME stays awake for it, and its block run stops when the session ends; it then sleeps and
 * resumes from the offset it holds at a later wake-up. With the whole image it raises 0x00CF (firmware-receipt.ts).
 */
function onOta(
  state: GsmeState,
  from: Eui64,
  frame: Extract<HanFrame, { type: 'zcl-ota' | 'ota-run-end' }>,
  now: number,
  env: ActorEnv,
): Step<GsmeState> {
  if (!state.awake)
    return unchanged(state, {
      kind: 'note',
      text: `GSME ${state.eui} is asleep: ${frame.type} from ${from} not received (radio off)`,
    });
  if (from !== state.hub) return unchanged(state);
  const until = state.otaAwakeUntilMs ?? now + (state.otaSessionMs ?? DEFAULT_OTA_SESSION_MS);
  const session: GsmeState = { ...state, otaAwakeUntilMs: until };
  const step = meterOtaStep(session, { type: 'han', from, frame }, now, env, until) ?? unchanged(session);
  if (frame.type === 'ota-run-end') {
    const downloaded = step.state.otaDownload?.status === 'downloaded';
    if (!downloaded) {
      const asleep = goToSleep(step.state, now, 'firmware transfer paused until a later wake-up');
      return { state: asleep.state, effects: [...step.effects, ...asleep.effects] };
    }
    // The whole image: awake a little longer for the CH's Upgrade End Response.
    return {
      state: step.state,
      effects: [
        ...step.effects,
        { kind: 'timer', atMs: now + state.awakeWindowMs, timer: { name: SLEEP_TIMER } },
      ],
    };
  }
  // Awake until the session's end (and the window after it, for the run's end to arrive).
  return {
    state: step.state,
    effects: [
      ...step.effects,
      { kind: 'timer', atMs: until + state.awakeWindowMs, timer: { name: SLEEP_TIMER } },
    ],
  };
}

/** The GSME stays awake while a firmware session is open (onOta), whatever the mailbox says. */
function sleepUnlessOta(state: GsmeState, now: number, why: string): Step<GsmeState> {
  if (state.otaAwakeUntilMs !== undefined && state.otaAwakeUntilMs > now)
    return unchanged(state, { kind: 'note', text: `GSME ${state.eui} stays awake for firmware (${why})` });
  return goToSleep(state, now, why);
}

function onHan(state: GsmeState, from: Eui64, frame: HanFrame, now: number, env: ActorEnv): Step<GsmeState> {
  if (frame.type === 'zcl-ota' || frame.type === 'ota-run-end') return onOta(state, from, frame, now, env);
  if (frame.type !== 'gsme-mailbox' && frame.type !== 'gbcs') return unchanged(state);
  if (!state.awake)
    return unchanged(state, {
      kind: 'note',
      text: `GSME ${state.eui} is asleep: ${frame.type} from ${from} not received (radio off)`,
    });
  if (from !== state.hub)
    return unchanged(state, {
      kind: 'note',
      text: `GSME ${state.eui}: ${frame.type} from ${from}, not its CHF, ignored`,
    });
  if (frame.type === 'gbcs')
    return unchanged(state, {
      kind: 'note',
      text: `GSME ${state.eui}: a GBCS message outside the mailbox ignored (GBCS TransferData 0x02 only)`,
    });
  if (frame.bytes === null) return sleepUnlessOta(state, now, 'mailbox empty');
  const answered = receiveCommand(state, frame.bytes, now, env, GSME_COMMANDS);
  // A CS06 that changed the running firmware: the GPF's mirror (GCS38) learns it before the GSME sleeps.
  const received =
    answered.state.firmwareVersion === state.firmwareVersion
      ? answered
      : { ...answered, state: { ...answered.state, mirrorStale: true } };
  if (frame.remaining > 0)
    return { state: received.state, effects: [...received.effects, ...pollAgain(received.state, now)] };
  const asleep = sleepUnlessOta(received.state, now, 'mailbox emptied');
  return { state: asleep.state, effects: [...received.effects, ...asleep.effects] };
}

function onLocal(
  state: GsmeState,
  action: Extract<ActorInput, { type: 'local' }>['action'],
  now: number,
  env: ActorEnv,
): Step<GsmeState> {
  switch (action.kind) {
    case 'firmware-choice':
      return unchanged(state, {
        kind: 'note',
        text: `GSME ${state.eui}: firmware choice is a PPMID setting`,
      });
    case 'carry-local-command':
      return unchanged(state, {
        kind: 'note',
        text: `GSME ${state.eui}: a local command handed to it is ignored`,
      });
    case 'restore-supply':
      return restoreSupply(state);
    case 'keypad-utrn':
      return keypadTopUp(state, action.utrn, now, env);
    case 'activate-emergency-credit': {
      const taken = grantEmergencyCredit(state, now, 'consumer');
      return taken === undefined
        ? unchanged(state, { kind: 'note', text: `GSME ${state.eui}: no emergency credit on offer` })
        : {
            state: taken,
            effects: [{ kind: 'note', text: `GSME ${state.eui}: emergency credit taken at the meter` }],
          };
    }
  }
}
