// Local pairing of a PPMID posted to the consumer (SECMP0037, "Pairing Local PPMIDs"): "Suppliers could then post a
// replacement device to a customer and be able to connect it locally via the PPMID acting as a HHT. The PPMID will
// connect to the Communication Hub via the ZigBee Inter-PAN" [S]. Switched on and not on the SMHAN, the PPMID runs the
// HHT's Inter-PAN client flow (interpan-client.ts) with its own certificate and ZigBee device type 132, so the CHF
// adds it to its Device Log as an ordinary PPMID and it joins the SMHAN. Whether that works depends on the CH's
// Inter-PAN window (policy.interPanWindowMinutes from the hub's last power-up). `pairing` records how far it got, why
// it stopped, and how often it tried: a PPMID that stops short of the Device Log tries again every `retryMs` [A:
// a consumer device keeps looking for its hub; null = only when switched on], so a power cycle of the hub, which
// reopens the window, lets it pair without anyone touching it.
import type { Eui64 } from '../codec/eui64.js';
import { ZIGBEE_DEVICE_TYPE } from '../hub/chf-state.js';
import {
  startInterPan,
  stepInterPanClient,
  type InterPanLens,
  type InterPanProgress,
} from './interpan-client.js';
import type { PpmidState } from './ppmid.js';
import type { ActorInput, Effect, Step } from './types.js';

export interface PpmidPairing extends InterPanProgress {
  /** Discovery attempts so far: each power-on and each retry. */
  readonly attempts: number;
  /** Wait between attempts after one stopped short of the Device Log, ms; null: only at power-on. */
  readonly retryMs: number | null;
  /** When it joined the SMHAN (virtual UTC ms); null before. */
  readonly pairedAtMs: number | null;
}

/** Between a posted PPMID's pairing attempts [A: placeholder, configurable]. */
export const DEFAULT_PAIRING_RETRY_MS = 15 * 60_000;
export const PAIRING_RETRY_TIMER = 'pairing-retry';

export interface LocalPairingOptions {
  /** Issuer of the PPMID's certificate, which the CH must trust for CBKE. */
  readonly certificateIssuer: Eui64;
  /** Default DEFAULT_PAIRING_RETRY_MS; null: try only when switched on. */
  readonly retryMs?: number | null;
}

/** A PPMID that pairs locally over Inter-PAN when switched on (the supplier posted it; no CCS01 whitelisted it). */
export function withLocalPairing(ppmid: PpmidState, o: LocalPairingOptions): PpmidState {
  return {
    ...ppmid,
    pairing: {
      certificateIssuer: o.certificateIssuer,
      deviceType: ZIGBEE_DEVICE_TYPE.PPMID,
      stage: 'idle',
      failure: null,
      attempts: 0,
      retryMs: o.retryMs === undefined ? DEFAULT_PAIRING_RETRY_MS : o.retryMs,
      pairedAtMs: null,
    },
  };
}

/** Only used on a PPMID that has `pairing`. */
const PAIRING: InterPanLens<PpmidState> = {
  get: (state) => state.pairing!,
  set: (state, stage, failure) => ({ ...state, pairing: { ...state.pairing!, stage, failure } }),
};

function note(state: PpmidState, text: string): Effect {
  return { kind: 'note', text: `PPMID ${state.eui}: ${text}` };
}

/**
 * The pairing flow's share of a PPMID's inputs; undefined for a PPMID without `pairing` and for inputs that are not
 * the flow's (they go to the PPMID's ordinary handling, as do all inputs once it is on the SMHAN).
 */
export function stepPpmidPairing(
  state: PpmidState,
  input: ActorInput,
  now: number,
): Step<PpmidState> | undefined {
  const pairing = state.pairing;
  if (pairing === undefined) return undefined;
  if (input.type === 'timer' && input.timer.name === PAIRING_RETRY_TIMER) return retry(state, now);
  if (input.type === 'power' && !state.hanJoined) {
    if (!input.on) {
      const stopped = stepInterPanClient(PAIRING, state, input, now)!;
      return {
        state: stopped.state,
        effects: [...stopped.effects, { kind: 'cancel-timer', name: PAIRING_RETRY_TIMER }],
      };
    }
    return attempt(state, now);
  }
  const step = stepInterPanClient(PAIRING, state, input, now);
  return step === undefined ? undefined : settle(state, step, now);
}

/** Starts discovery (a power-on or a retry), counting the attempt. */
function attempt(state: PpmidState, now: number): Step<PpmidState> {
  const started = startInterPan(PAIRING, state, now);
  const pairing = started.state.pairing!;
  return {
    state: { ...started.state, pairing: { ...pairing, attempts: pairing.attempts + 1 } },
    effects: [
      { kind: 'cancel-timer', name: PAIRING_RETRY_TIMER },
      ...started.effects,
      note(state, `looking for its hub over Inter-PAN (attempt ${pairing.attempts + 1})`),
    ],
  };
}

/** The retry timer: another attempt if the last one stopped short of the Device Log and the PPMID is still on. */
function retry(state: PpmidState, now: number): Step<PpmidState> {
  const pairing = state.pairing!;
  const stoppedShort =
    pairing.failure !== null &&
    pairing.stage !== 'idle' &&
    pairing.stage !== 'joining' &&
    pairing.stage !== 'joined';
  return stoppedShort && !state.hanJoined ? attempt(state, now) : { state, effects: [] };
}

/** After a step of the flow: stamp the pairing when it joins; schedule a retry when Inter-PAN stopped short. */
function settle(before: PpmidState, step: Step<PpmidState>, now: number): Step<PpmidState> {
  const was = before.pairing!;
  const is = step.state.pairing!;
  if (is.stage === 'joined' && was.stage !== 'joined')
    return {
      state: { ...step.state, pairing: { ...is, pairedAtMs: now } },
      effects: [...step.effects, note(before, `paired locally with its hub after ${is.attempts} attempt(s)`)],
    };
  const stoppedShort = was.failure === null && is.failure !== null && is.stage !== 'joining';
  if (!stoppedShort || is.retryMs === null) return step;
  return {
    state: step.state,
    effects: [
      ...step.effects,
      { kind: 'timer', atMs: now + is.retryMs, timer: { name: PAIRING_RETRY_TIMER } },
    ],
  };
}
