// The installer's hand-held terminal, client side of the Inter-PAN flow (domain brief §4.3): at power-on it asks its
// CH for a beacon, runs Inter-PAN CBKE with its certificate issuer, sends its install code, and once the CHF has
// added it to the Device Log joins the SMHAN like any device. Where it stops, `stage` says how far it got and
// `failure` why. It carries local commands (the DCC's LocalCommand for CV2/3/6/7): given one, it delivers it once on
// the SMHAN, and collects what comes back (the CHF routes a device's response to the HHT that brought the command)
// for the User to return with SR 8.13.
import type { Eui64 } from '../codec/eui64.js';
import { fromHex } from '../codec/bytes.js';
import { handleHanJoining, initCore, JOIN_RETRY_TIMER, type DeviceCore, type DeviceInit } from './device.js';
import {
  unchanged,
  type ActorStep,
  type CbkeOutcome,
  type Effect,
  type HanFrame,
  type InterPanAddOutcome,
  type JoinOutcome,
  type Step,
} from './types.js';

/** How far the HHT got: discovery (beacon), Inter-PAN key establishment, install code, SMHAN join. */
export type HhtStage = 'idle' | 'discovering' | 'key-establishment' | 'adding' | 'joining' | 'joined';

/** Why it stopped: the CHF's answer to the install code, the Inter-PAN CBKE outcome, or the SMHAN join refusal. */
export type HhtFailure =
  Exclude<InterPanAddOutcome, 'added'> | Exclude<CbkeOutcome, 'success'> | Exclude<JoinOutcome, 'success'>;

export interface HhtState extends DeviceCore {
  readonly kind: 'HHT';
  /** Issuer of the HHT's certificate, which the CH must know for CBKE. */
  readonly certificateIssuer: Eui64;
  /** ZigBee device type it announces with its install code. */
  readonly deviceType: number;
  readonly stage: HhtStage;
  /** Why the last attempt stopped; null while it runs or once it has succeeded. */
  readonly failure: HhtFailure | null;
  /** Local commands given to it and not yet delivered (it is not on the SMHAN yet). */
  readonly carried: readonly Uint8Array[];
  /** Responses and alerts the HAN sent back to it, oldest first, the last MAX_COLLECTED. */
  readonly collected: readonly Uint8Array[];
}

/** Messages an HHT keeps for the User to collect [A]. */
export const MAX_COLLECTED = 64;

export interface HhtInit extends DeviceInit {
  readonly certificateIssuer: Eui64;
  /**
   * ZigBee device type sent with the install code (CCS01 values: 0 ESME, 1 GSME, 13 HCALCS, 128 IHD, 130 CAD,
   * 132 PPMID, domain brief §2.6); an HHT's own value is not in our sources [A], so the premise chooses it.
   */
  readonly deviceType: number;
}

/** How long the HHT waits for each Inter-PAN answer before giving up with 'no-response' [A: placeholder]. */
export const INTERPAN_RESPONSE_MS = 10_000;
export const INTERPAN_TIMEOUT_TIMER = 'interpan-timeout';

export function createHht(init: HhtInit): HhtState {
  return {
    ...initCore('HHT', init),
    kind: 'HHT',
    certificateIssuer: init.certificateIssuer,
    deviceType: init.deviceType,
    stage: 'idle',
    failure: null,
    carried: [],
    collected: [],
  };
}

export const stepHht: ActorStep<HhtState> = (state, input, now) => {
  switch (input.type) {
    case 'power':
      return input.on ? powerOn(state, now) : powerOff(state);
    case 'timer':
      if (input.timer.name === INTERPAN_TIMEOUT_TIMER) return timedOut(state);
      if (input.timer.name === JOIN_RETRY_TIMER && state.stage === 'joining')
        return handleHanJoining(state, input, now) ?? unchanged(state);
      return unchanged(state);
    case 'han':
      if (input.from !== state.hub) return unchanged(state);
      if (input.frame.type === 'join-response') return joinResponse(state, input.frame.outcome, now);
      if (input.frame.type === 'gbcs') return collect(state, input.frame.bytes);
      return interPan(state, input.frame, now);
    case 'local':
      return input.action.kind === 'carry-local-command'
        ? carry(state, input.action.bytes)
        : unchanged(state, {
            kind: 'note',
            text: `HHT ${state.eui}: ${input.action.kind} means nothing here`,
          });
    default:
      return unchanged(state);
  }
};

/** A local command handed to the HHT: delivered now if it is on the SMHAN, else when it gets there. */
function carry(state: HhtState, bytes: Uint8Array): Step<HhtState> {
  if (state.stage === 'joined' && state.hanJoined)
    return unchanged(state, toHub(state, { type: 'gbcs', bytes }), {
      kind: 'note',
      text: `HHT ${state.eui} delivered a local command`,
    });
  return unchanged(
    { ...state, carried: [...state.carried, bytes] },
    {
      kind: 'note',
      text: `HHT ${state.eui} holds a local command until it is on the SMHAN`,
    },
  );
}

function collect(state: HhtState, bytes: Uint8Array): Step<HhtState> {
  return unchanged(
    { ...state, collected: [...state.collected, bytes].slice(-MAX_COLLECTED) },
    { kind: 'note', text: `HHT ${state.eui} collected a message from the HAN` },
  );
}

function toHub(state: HhtState, frame: HanFrame): Effect {
  return { kind: 'han', to: state.hub, frame };
}

function awaitAnswer(now: number): Effect {
  return { kind: 'timer', atMs: now + INTERPAN_RESPONSE_MS, timer: { name: INTERPAN_TIMEOUT_TIMER } };
}

/** Power-on near a CH starts discovery (domain brief §4.3); an HHT already on the SMHAN stays there. */
function powerOn(state: HhtState, now: number): Step<HhtState> {
  if (state.hanJoined) return unchanged(state);
  return {
    state: { ...state, stage: 'discovering', failure: null },
    effects: [toHub(state, { type: 'interpan-beacon-request' }), awaitAnswer(now)],
  };
}

function powerOff(state: HhtState): Step<HhtState> {
  if (state.hanJoined) return unchanged(state);
  return {
    state: { ...state, stage: 'idle' },
    effects: [
      { kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER },
      { kind: 'cancel-timer', name: JOIN_RETRY_TIMER },
    ],
  };
}

function fail(state: HhtState, failure: HhtFailure): Step<HhtState> {
  return {
    state: { ...state, failure },
    effects: [
      { kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER },
      { kind: 'note', text: `HHT ${state.eui} stopped at ${state.stage}: ${failure}` },
    ],
  };
}

function timedOut(state: HhtState): Step<HhtState> {
  const waiting =
    state.stage === 'discovering' || state.stage === 'key-establishment' || state.stage === 'adding';
  return waiting && state.failure === null ? fail(state, 'no-response') : unchanged(state);
}

/** Each Inter-PAN answer moves the flow one step, only in the stage that expects it and while nothing has failed. */
function interPan(state: HhtState, frame: HanFrame, now: number): Step<HhtState> {
  if (state.failure !== null) return unchanged(state);
  if (frame.type === 'interpan-beacon' && state.stage === 'discovering') {
    // The CH answers Inter-PAN only within its window after power-on (GBCS v1 annex: 60 minutes) [C].
    if (!frame.permitsInterPan) return fail(state, 'window-closed');
    return {
      state: { ...state, stage: 'key-establishment' },
      effects: [
        toHub(state, { type: 'interpan-cbke-request', certificateIssuer: state.certificateIssuer }),
        awaitAnswer(now),
      ],
    };
  }
  if (frame.type === 'interpan-cbke-response' && state.stage === 'key-establishment') {
    // No link on CBKE failure (domain brief §4.3).
    if (frame.outcome !== 'success') return fail(state, frame.outcome);
    return {
      state: { ...state, stage: 'adding' },
      effects: [
        toHub(state, {
          type: 'interpan-install-code',
          installCode: fromHex(state.installCode),
          deviceType: state.deviceType,
        }),
        awaitAnswer(now),
      ],
    };
  }
  if (frame.type === 'interpan-install-code-response' && state.stage === 'adding') {
    if (frame.outcome !== 'added') return fail(state, frame.outcome);
    // Added to the CHF Device Log: join the SMHAN as any device does.
    const joining = { ...state, stage: 'joining' as const };
    const attempt = handleHanJoining(joining, { type: 'power', on: true }, now);
    return {
      state: joining,
      effects: [{ kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER }, ...(attempt?.effects ?? [])],
    };
  }
  return unchanged(state);
}

function joinResponse(state: HhtState, outcome: JoinOutcome, now: number): Step<HhtState> {
  // Removed from the Device Log (CCS02) once joined: it leaves the SMHAN and goes back to joining.
  const removed = state.stage === 'joined' && state.hanJoined && outcome === 'not-in-device-log';
  if (state.stage !== 'joining' && !removed) return unchanged(state);
  const step = handleHanJoining(
    state,
    { type: 'han', from: state.hub, frame: { type: 'join-response', outcome } },
    now,
  );
  if (step === undefined) return unchanged(state);
  // A refused join is retried by handleHanJoining's timer; the refusal is kept until a join succeeds.
  if (outcome !== 'success')
    return { state: { ...step.state, stage: 'joining', failure: outcome }, effects: step.effects };
  // On the SMHAN: what it carries goes now.
  const deliveries = state.carried.map((bytes): Effect => toHub(state, { type: 'gbcs', bytes }));
  return {
    state: { ...step.state, stage: 'joined', failure: null, carried: [] },
    effects: [...step.effects, ...deliveries],
  };
}
