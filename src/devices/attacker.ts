// A hostile radio near a Communications Hub (SECMP0037's SSC risk: "an attack within local radio range of a
// Communications Hub, particularly in areas of high population density", wider with dual-band 868 MHz hubs [S]).
// Switched on, it sends Inter-PAN frames to the hub at a configurable rate: beacon requests, CBKE requests with a
// certificate of an issuer the hub does not trust, install codes without CBKE, and malformed frames. Each frame goes
// out `distanceM` metres from the hub (a 'distant' frame): the hub hears it only within its radio range. Which frame
// comes next and the jitter of the interval come from a seeded xoshiro128** stream kept in the state as plain data
// (src/sim/random.ts), so a run repeats from its seed. The attacker counts what it sent and the answers it got.
import type { Eui64 } from '../codec/eui64.js';
import { RandomStream, streamFor, type RandomState, type RunSeed } from '../sim/random.js';
import { initCore, type DeviceCore, type DeviceInit } from './device.js';
import { unchanged, type ActorStep, type HanFrame, type MalformedDefect, type Step } from './types.js';

/** The frames an attacker sends. */
export type AttackFrameKind = 'beaconRequest' | 'cbkeUnknownIssuer' | 'installCodeWithoutCbke' | 'malformed';

export const ATTACK_FRAME_KINDS: readonly AttackFrameKind[] = Object.freeze([
  'beaconRequest',
  'cbkeUnknownIssuer',
  'installCodeWithoutCbke',
  'malformed',
]);

/** Relative weights of each kind in the mix (non-negative; at least one positive). */
export type AttackMix = Readonly<Record<AttackFrameKind, number>>;

export type AttackCounts = Readonly<Record<AttackFrameKind, number>>;

const MALFORMED_DEFECTS: readonly MalformedDefect[] = [
  'truncated',
  'bad-frame-control',
  'bad-length',
  'unknown-command',
];

export interface AttackerState extends DeviceCore {
  readonly kind: 'ATTACKER';
  /** Distance from the hub, metres. */
  readonly distanceM: number;
  /** Mean interval between frames, ms. */
  readonly intervalMs: number;
  /** Each interval is drawn uniformly in intervalMs × [1 − jitter, 1 + jitter]. */
  readonly jitter: number;
  readonly mix: AttackMix;
  /** Issuer named in its CBKE requests: one the hub does not trust. */
  readonly rogueIssuer: Eui64;
  /** Stops sending at this virtual time (UTC ms); null: until switched off. */
  readonly untilMs: number | null;
  /** The seeded stream's state (xoshiro128**, four uint32s). */
  readonly rng: RandomState;
  readonly active: boolean;
  readonly sent: AttackCounts;
  /** Frames the hub answered (beacons, CBKE and install-code refusals). */
  readonly answers: number;
  /**
   * Of those answers, the ones that refuse the frame — a beacon not permitting Inter-PAN, a CBKE that failed, an install
   * code not added —: the frames the hub counted as refused (it refuses malformed frames unanswered, so they are not
   * here). What a SECMP0037 scenario attributes to the attacker when other radios (a posted PPMID) share the hub.
   */
  readonly refusedAnswers: number;
}

export interface AttackerInit extends DeviceInit {
  readonly distanceM: number;
  /** Default 60 s [A]. */
  readonly intervalMs?: number;
  /** Default 0.5. */
  readonly jitter?: number;
  /** Default: all four kinds equally. */
  readonly mix?: Partial<AttackMix>;
  readonly rogueIssuer: Eui64;
  readonly untilMs?: number | null;
  /** The run seed its stream derives from (with its EUI-64). */
  readonly seed: RunSeed;
}

export const DEFAULT_ATTACK_INTERVAL_MS = 60_000;
export const ATTACK_TIMER = 'attack-frame';

const EQUAL_MIX: AttackMix = Object.freeze({
  beaconRequest: 1,
  cbkeUnknownIssuer: 1,
  installCodeWithoutCbke: 1,
  malformed: 1,
});

const NONE_SENT: AttackCounts = Object.freeze({
  beaconRequest: 0,
  cbkeUnknownIssuer: 0,
  installCodeWithoutCbke: 0,
  malformed: 0,
});

export function createAttacker(init: AttackerInit): AttackerState {
  const intervalMs = init.intervalMs ?? DEFAULT_ATTACK_INTERVAL_MS;
  const jitter = init.jitter ?? 0.5;
  const mix: AttackMix = { ...EQUAL_MIX, ...init.mix };
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs))
    throw new RangeError(`intervalMs must be a finite number > 0, got ${intervalMs}`);
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), got ${jitter}`);
  if (!(init.distanceM >= 0)) throw new RangeError(`distanceM must be ≥ 0, got ${init.distanceM}`);
  const weights = ATTACK_FRAME_KINDS.map((k) => mix[k]);
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w)) || !weights.some((w) => w > 0))
    throw new RangeError('mix weights must be finite, non-negative, and not all zero');
  return {
    ...initCore('ATTACKER', init),
    kind: 'ATTACKER',
    distanceM: init.distanceM,
    intervalMs,
    jitter,
    mix,
    rogueIssuer: init.rogueIssuer,
    untilMs: init.untilMs ?? null,
    rng: streamFor(init.seed, `attacker:${init.eui}`).getState(),
    active: false,
    sent: NONE_SENT,
    answers: 0,
    refusedAnswers: 0,
  };
}

/** Frames sent in total. */
export function attackFramesSent(state: AttackerState): number {
  return ATTACK_FRAME_KINDS.reduce((n, k) => n + state.sent[k], 0);
}

export const stepAttacker: ActorStep<AttackerState> = (state, input, now) => {
  switch (input.type) {
    case 'power':
      return input.on ? start(state, now) : stop(state);
    case 'timer':
      return input.timer.name === ATTACK_TIMER ? sendOne(state, now) : unchanged(state);
    case 'han':
      return input.from === state.hub
        ? unchanged({
            ...state,
            answers: state.answers + 1,
            refusedAnswers: state.refusedAnswers + (refuses(input.frame) ? 1 : 0),
          })
        : unchanged(state);
    default:
      return unchanged(state);
  }
};

/** Whether the hub's answer refuses the frame it answers (as the hub counts refusals: src/hub/chf-interpan.ts). */
function refuses(frame: HanFrame): boolean {
  switch (frame.type) {
    case 'interpan-beacon':
      return !frame.permitsInterPan;
    case 'interpan-cbke-response':
      return frame.outcome !== 'success';
    case 'interpan-install-code-response':
      return frame.outcome === 'window-closed' || frame.outcome === 'no-cbke';
    default:
      return false;
  }
}

function start(state: AttackerState, now: number): Step<AttackerState> {
  if (state.active) return unchanged(state);
  const rng = RandomStream.fromState(state.rng);
  const next = now + interval(state, rng);
  return {
    state: { ...state, active: true, rng: rng.getState() },
    effects: [
      { kind: 'timer', atMs: next, timer: { name: ATTACK_TIMER } },
      { kind: 'note', text: `ATTACKER ${state.eui} on, ${state.distanceM} m from ${state.hub}` },
    ],
  };
}

function stop(state: AttackerState): Step<AttackerState> {
  return {
    state: { ...state, active: false },
    effects: [{ kind: 'cancel-timer', name: ATTACK_TIMER }],
  };
}

/** The next interval, ms: uniform in intervalMs × [1 − jitter, 1 + jitter], at least 1 ms. */
function interval(state: AttackerState, rng: RandomStream): number {
  const factor = 1 + state.jitter * (2 * rng.float() - 1);
  return Math.max(1, Math.round(state.intervalMs * factor));
}

function pickKind(state: AttackerState, rng: RandomStream): AttackFrameKind {
  const total = ATTACK_FRAME_KINDS.reduce((n, k) => n + state.mix[k], 0);
  let x = rng.float() * total;
  for (const k of ATTACK_FRAME_KINDS) {
    if (state.mix[k] <= 0) continue;
    if (x < state.mix[k]) return k;
    x -= state.mix[k];
  }
  return ATTACK_FRAME_KINDS.filter((k) => state.mix[k] > 0).at(-1)!;
}

function frameOf(state: AttackerState, kind: AttackFrameKind, rng: RandomStream): HanFrame {
  switch (kind) {
    case 'beaconRequest':
      return { type: 'interpan-beacon-request' };
    case 'cbkeUnknownIssuer':
      return { type: 'interpan-cbke-request', certificateIssuer: state.rogueIssuer };
    case 'installCodeWithoutCbke': {
      const installCode = new Uint8Array(16);
      for (let i = 0; i < 16; i += 4) new DataView(installCode.buffer).setUint32(i, rng.next());
      // Posing as a PPMID (ZigBee device type 132), the device SECMP0037 would let pair locally.
      return { type: 'interpan-install-code', installCode, deviceType: 132 };
    }
    case 'malformed':
      return { type: 'interpan-malformed', defect: rng.pick(MALFORMED_DEFECTS) };
  }
}

/** One frame now, and the timer for the next unless it is past `untilMs` or switched off. */
function sendOne(state: AttackerState, now: number): Step<AttackerState> {
  if (!state.active || (state.untilMs !== null && now > state.untilMs))
    return { state: { ...state, active: false }, effects: [] };
  const rng = RandomStream.fromState(state.rng);
  const kind = pickKind(state, rng);
  const frame = frameOf(state, kind, rng);
  const next = now + interval(state, rng);
  const more = state.untilMs === null || next <= state.untilMs;
  return {
    state: {
      ...state,
      active: more,
      rng: rng.getState(),
      sent: { ...state.sent, [kind]: state.sent[kind] + 1 },
    },
    effects: [
      { kind: 'han', to: state.hub, frame: { type: 'distant', distanceM: state.distanceM, frame } },
      ...(more ? [{ kind: 'timer' as const, atMs: next, timer: { name: ATTACK_TIMER } }] : []),
    ],
  };
}
