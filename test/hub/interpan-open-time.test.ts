// How long a CHF's Inter-PAN window has been open: the policy's minutes per power-up, added over power cycles, and
// from power-up on when the window is lifted (SECMP0037).
import { describe, expect, it } from 'vitest';
import type { ActorEnv } from '../../src/devices/types.js';
import { interPanOpenMs } from '../../src/hub/chf-interpan.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import { policyWith } from '../../src/policy.js';
import { env, MINUTE, newChf, step, T0, testEnv } from '../support/chf-commands.js';

const HOUR = 60 * MINUTE;
const WINDOW_TIMER = { type: 'timer', timer: { name: 'interpan-window' } } as const;
const lifted = testEnv(policyWith({ interPanWindowMinutes: null }));

function power(state: ChfState, on: boolean, at: number, e: ActorEnv = env): ChfState {
  return step(state, { type: 'power', on }, at, e).state;
}

describe('Inter-PAN open time', () => {
  it('is zero before the first power-up', () => {
    expect(interPanOpenMs(newChf(), T0 + HOUR)).toBe(0);
  });

  it('grows while the window is open and stops when its timer closes it', () => {
    const up = power(newChf(), true, T0);
    expect(interPanOpenMs(up, T0 + 20 * MINUTE)).toBe(20 * MINUTE);
    const closed = step(up, WINDOW_TIMER, T0 + HOUR, env).state;
    expect(closed.interPanOpenSinceMs).toBeUndefined();
    expect(interPanOpenMs(closed, T0 + 10 * HOUR)).toBe(HOUR);
  });

  it('adds each power-up window, and a power-down closes the window early', () => {
    let s = power(newChf(), true, T0);
    s = step(s, WINDOW_TIMER, T0 + HOUR, env).state;
    s = power(s, false, T0 + 5 * HOUR);
    s = power(s, true, T0 + 6 * HOUR);
    s = power(s, false, T0 + 6 * HOUR + 15 * MINUTE);
    expect(interPanOpenMs(s, T0 + 24 * HOUR)).toBe(HOUR + 15 * MINUTE);
  });

  it('runs from power-up when the window is lifted, and a power-on while powered does not restart it', () => {
    const up = power(newChf(), true, T0, lifted);
    const again = power(up, true, T0 + HOUR, lifted);
    expect(interPanOpenMs(again, T0 + 168 * HOUR)).toBe(168 * HOUR);
  });
});
