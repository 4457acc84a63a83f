// The client side of Inter-PAN joining (domain brief §4.3), shared by the installer's HHT and by a PPMID posted to
// the consumer that pairs locally (SECMP0037: "the PPMID acting as a HHT"). At power-on, not on the SMHAN, the
// device asks its CH for a beacon, runs Inter-PAN CBKE with its certificate issuer, sends its install code, and once
// the CHF has added it to the Device Log joins the SMHAN like any device. `stage` says how far it got and `failure`
// why it stopped. Each device keeps these fields where it likes (the HHT at the top of its state, a PPMID under
// `pairing`): a lens reads and writes them, so one flow serves both.
import type { Eui64 } from '../codec/eui64.js';
import { fromHex } from '../codec/bytes.js';
import { handleHanJoining, JOIN_RETRY_TIMER, type DeviceCore } from './device.js';
import {
  unchanged,
  type ActorInput,
  type CbkeOutcome,
  type Effect,
  type HanFrame,
  type InterPanAddOutcome,
  type JoinOutcome,
  type Step,
} from './types.js';

/** How far the flow got: discovery (beacon), Inter-PAN key establishment, install code, SMHAN join. */
export type InterPanStage = 'idle' | 'discovering' | 'key-establishment' | 'adding' | 'joining' | 'joined';

/** Why it stopped: the CHF's answer to the install code, the Inter-PAN CBKE outcome, or the SMHAN join refusal. */
export type InterPanFailure =
  Exclude<InterPanAddOutcome, 'added'> | Exclude<CbkeOutcome, 'success'> | Exclude<JoinOutcome, 'success'>;

/** What the flow needs of the device and records in it. */
export interface InterPanProgress {
  /** Issuer of the device's certificate, which the CH must know for CBKE. */
  readonly certificateIssuer: Eui64;
  /** ZigBee device type it announces with its install code. */
  readonly deviceType: number;
  readonly stage: InterPanStage;
  /** Why the last attempt stopped; null while it runs or once it has succeeded. */
  readonly failure: InterPanFailure | null;
}

/** Where a device keeps its InterPanProgress: read it, and write back a new stage and failure. */
export interface InterPanLens<S extends DeviceCore> {
  readonly get: (state: S) => InterPanProgress;
  readonly set: (state: S, stage: InterPanStage, failure: InterPanFailure | null) => S;
}

/** How long the device waits for each Inter-PAN answer before giving up with 'no-response' [A: placeholder]. */
export const INTERPAN_RESPONSE_MS = 10_000;
export const INTERPAN_TIMEOUT_TIMER = 'interpan-timeout';

/** The Inter-PAN answers a CH sends a client. */
export function isInterPanAnswer(frame: HanFrame): boolean {
  return (
    frame.type === 'interpan-beacon' ||
    frame.type === 'interpan-cbke-response' ||
    frame.type === 'interpan-install-code-response'
  );
}

/**
 * One input to the flow: power, its timers (the answer timeout; SMHAN join retries while joining), the CH's
 * Inter-PAN answers and join responses. Undefined for any other input (and for power to a device already on the
 * SMHAN, which stays there), so the device handles it itself.
 */
export function stepInterPanClient<S extends DeviceCore>(
  lens: InterPanLens<S>,
  state: S,
  input: ActorInput,
  now: number,
): Step<S> | undefined {
  switch (input.type) {
    case 'power':
      if (state.hanJoined) return undefined;
      return input.on ? startInterPan(lens, state, now) : stopInterPan(lens, state);
    case 'timer':
      if (input.timer.name === INTERPAN_TIMEOUT_TIMER) return timedOut(lens, state);
      if (input.timer.name === JOIN_RETRY_TIMER && lens.get(state).stage === 'joining')
        return handleHanJoining(state, input, now) ?? unchanged(state);
      return undefined;
    case 'han':
      if (input.from !== state.hub) return undefined;
      if (input.frame.type === 'join-response')
        return interPanJoinResponse(lens, state, input.frame.outcome, now);
      if (isInterPanAnswer(input.frame)) return interPanAnswer(lens, state, input.frame, now);
      return undefined;
    default:
      return undefined;
  }
}

function toHub(state: DeviceCore, frame: HanFrame): Effect {
  return { kind: 'han', to: state.hub, frame };
}

function awaitAnswer(now: number): Effect {
  return { kind: 'timer', atMs: now + INTERPAN_RESPONSE_MS, timer: { name: INTERPAN_TIMEOUT_TIMER } };
}

/** Power-on near a CH (or a retry) starts discovery (domain brief §4.3). */
export function startInterPan<S extends DeviceCore>(lens: InterPanLens<S>, state: S, now: number): Step<S> {
  return {
    state: lens.set(state, 'discovering', null),
    effects: [toHub(state, { type: 'interpan-beacon-request' }), awaitAnswer(now)],
  };
}

function stopInterPan<S extends DeviceCore>(lens: InterPanLens<S>, state: S): Step<S> {
  return {
    state: lens.set(state, 'idle', lens.get(state).failure),
    effects: [
      { kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER },
      { kind: 'cancel-timer', name: JOIN_RETRY_TIMER },
    ],
  };
}

function fail<S extends DeviceCore>(lens: InterPanLens<S>, state: S, failure: InterPanFailure): Step<S> {
  const { stage } = lens.get(state);
  return {
    state: lens.set(state, stage, failure),
    effects: [
      { kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER },
      { kind: 'note', text: `${state.kind} ${state.eui} stopped at ${stage}: ${failure}` },
    ],
  };
}

function timedOut<S extends DeviceCore>(lens: InterPanLens<S>, state: S): Step<S> {
  const { stage, failure } = lens.get(state);
  const waiting = stage === 'discovering' || stage === 'key-establishment' || stage === 'adding';
  return waiting && failure === null ? fail(lens, state, 'no-response') : unchanged(state);
}

/** Each Inter-PAN answer moves the flow one step, only in the stage that expects it and while nothing has failed. */
function interPanAnswer<S extends DeviceCore>(
  lens: InterPanLens<S>,
  state: S,
  frame: HanFrame,
  now: number,
): Step<S> {
  const progress = lens.get(state);
  if (progress.failure !== null) return unchanged(state);
  if (frame.type === 'interpan-beacon' && progress.stage === 'discovering') {
    // The CH answers Inter-PAN only within its window after power-on (GBCS v1 annex: 60 minutes) [C].
    if (!frame.permitsInterPan) return fail(lens, state, 'window-closed');
    return {
      state: lens.set(state, 'key-establishment', null),
      effects: [
        toHub(state, { type: 'interpan-cbke-request', certificateIssuer: progress.certificateIssuer }),
        awaitAnswer(now),
      ],
    };
  }
  if (frame.type === 'interpan-cbke-response' && progress.stage === 'key-establishment') {
    // No link on CBKE failure (domain brief §4.3).
    if (frame.outcome !== 'success') return fail(lens, state, frame.outcome);
    return {
      state: lens.set(state, 'adding', null),
      effects: [
        toHub(state, {
          type: 'interpan-install-code',
          installCode: fromHex(state.installCode),
          deviceType: progress.deviceType,
        }),
        awaitAnswer(now),
      ],
    };
  }
  if (frame.type === 'interpan-install-code-response' && progress.stage === 'adding') {
    if (frame.outcome !== 'added') return fail(lens, state, frame.outcome);
    // Added to the CHF Device Log: join the SMHAN as any device does.
    const joining = lens.set(state, 'joining', null);
    const attempt = handleHanJoining(joining, { type: 'power', on: true }, now);
    return {
      state: joining,
      effects: [{ kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER }, ...(attempt?.effects ?? [])],
    };
  }
  return unchanged(state);
}

/**
 * The CHF's answer to an SMHAN join request: joined (stage 'joined'), or refused (kept as the failure; joining is
 * retried on handleHanJoining's timer). A device removed from the Device Log (CCS02) once joined leaves the SMHAN
 * and goes back to joining. Answers out of turn change nothing.
 */
export function interPanJoinResponse<S extends DeviceCore>(
  lens: InterPanLens<S>,
  state: S,
  outcome: JoinOutcome,
  now: number,
): Step<S> {
  const { stage } = lens.get(state);
  const removed = stage === 'joined' && state.hanJoined && outcome === 'not-in-device-log';
  if (stage !== 'joining' && !removed) return unchanged(state);
  const step = handleHanJoining(
    state,
    { type: 'han', from: state.hub, frame: { type: 'join-response', outcome } },
    now,
  );
  if (step === undefined) return unchanged(state);
  if (outcome !== 'success')
    return { state: lens.set(step.state, 'joining', outcome), effects: step.effects };
  return { state: lens.set(step.state, 'joined', null), effects: step.effects };
}
