// The sleepy GSME's radio cycle (domain brief §4.4; GBCS TransferData framing): asleep except at wake-ups every
// `wakeIntervalMs` (typically 30 minutes, SECMP0015). At a wake-up it refreshes the GPF's mirror and polls its CHF
// (0x01); the CHF answers with one queued message and the count remaining (0x02 ‖ n ‖ message) or an empty mailbox
// (0x02 ‖ 0x00). The GSME polls again while messages remain and goes back to sleep on an empty mailbox, or when the
// CHF stays silent for `awakeWindowMs`.
import type { Eui64 } from '../codec/eui64.js';
import { mirrorOf, type GsmeState } from './gsme-state.js';
import type { Effect, Step } from './types.js';

export const WAKE_TIMER = 'gsme-wake';
export const SLEEP_TIMER = 'gsme-sleep';
/** Typical GSME wake interval: 30 minutes (SECMP0015 consultation) [C]. */
export const DEFAULT_WAKE_INTERVAL_MS = 30 * 60_000;
/** How long an awake GSME waits for its CHF before sleeping again [A: placeholder, configurable]. */
export const DEFAULT_AWAKE_WINDOW_MS = 30_000;

/** A wake phase from the EUI-64 (FNV-1a), so a fleet spreads its wake-ups over the interval; deterministic. */
export function wakePhaseOf(eui: Eui64, intervalMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < eui.length; i++) {
    h ^= eui.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % intervalMs;
}

/** The first wake-up strictly after `now` on the GSME's grid (times ≡ phase mod interval). */
export function nextWakeAfter(state: Pick<GsmeState, 'wakeIntervalMs' | 'wakePhaseMs'>, now: number): number {
  const { wakeIntervalMs: interval, wakePhaseMs: phase } = state;
  return phase + (Math.floor((now - phase) / interval) + 1) * interval;
}

export function wakeTimer(state: GsmeState, now: number): Effect {
  return { kind: 'timer', atMs: nextWakeAfter(state, now), timer: { name: WAKE_TIMER } };
}

function poll(state: GsmeState, now: number): Effect[] {
  return [
    { kind: 'han', to: state.hub, frame: { type: 'gsme-poll' } },
    { kind: 'timer', atMs: now + state.awakeWindowMs, timer: { name: SLEEP_TIMER } },
  ];
}

function mirrorUpdate(state: GsmeState, now: number): Effect {
  return { kind: 'han', to: state.gpf, frame: { type: 'mirror-update', mirror: mirrorOf(state, now) } };
}

/** Wake-up: radio on, the GPF's mirror refreshed, then the first poll. A GSME not on the SMHAN sleeps on. */
export function wakeUp(state: GsmeState, now: number): Step<GsmeState> {
  if (!state.hanJoined)
    return {
      state,
      effects: [
        { kind: 'note', text: `GSME ${state.eui} woke but is not on the SMHAN` },
        wakeTimer(state, now),
      ],
    };
  return {
    state: { ...state, awake: true, mirrorStale: false },
    effects: [mirrorUpdate(state, now), ...poll(state, now)],
  };
}

/** Asks the CHF for the next queued message (the mailbox had more). */
export function pollAgain(state: GsmeState, now: number): Effect[] {
  return poll(state, now);
}

/**
 * Back to sleep: radio off, the next wake-up on the grid. When a command or local action changed what the mirror
 * shows during the session, the GPF is told before the radio goes off [A: keeps GPF reads current].
 */
export function goToSleep(state: GsmeState, now: number, why: string): Step<GsmeState> {
  const effects: Effect[] = [];
  if (state.mirrorStale) effects.push(mirrorUpdate(state, now));
  effects.push({ kind: 'cancel-timer', name: SLEEP_TIMER }, wakeTimer(state, now), {
    kind: 'note',
    text: `GSME ${state.eui} sleeps (${why})`,
  });
  const { otaAwakeUntilMs: _, ...rest } = state;
  void _;
  return { state: { ...rest, awake: false, mirrorStale: false }, effects };
}
