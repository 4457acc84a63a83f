// The attacker actor on its own: switched on, it sends Inter-PAN frames to its hub at its configured rate and mix,
// each as a radio `distanceM` metres away; the mix and the jitter come from a seeded stream held in its state, so the
// same seed gives the same frames.
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import {
  ATTACK_TIMER,
  attackFramesSent,
  createAttacker,
  stepAttacker,
  type AttackerInit,
  type AttackerState,
} from '../../src/devices/attacker.js';
import type { Effect, HanFrame } from '../../src/devices/types.js';
import { envWith } from '../support/identities.js';

const ENV = envWith();
const HUB = eui64('00DB1234567890A2');
const ME = eui64('00DB1234567890A8');
const ROGUE_ISSUER = eui64('90B3D51F3000BAD0');
const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

function attacker(changes: Partial<AttackerInit> = {}): AttackerState {
  return createAttacker({
    eui: ME,
    hub: HUB,
    parties: { acb: eui64('90B3D51F30000002') },
    installCode: '00112233445566778899AABBCCDDEEFF',
    distanceM: 25,
    rogueIssuer: ROGUE_ISSUER,
    seed: 7,
    ...changes,
  });
}

interface Sent {
  readonly atMs: number;
  readonly frame: HanFrame;
}

/** Switches the attacker on at T0 and fires its timers up to `untilMs`; returns what it sent and its last state. */
function drive(state: AttackerState, untilMs: number): { state: AttackerState; sent: Sent[] } {
  const sent: Sent[] = [];
  let pending: number | undefined;
  const apply = (effects: readonly Effect[], now: number) => {
    pending = undefined;
    for (const e of effects) {
      if (e.kind === 'han') {
        expect(e.to).toBe(HUB);
        sent.push({ atMs: now, frame: e.frame });
      }
      if (e.kind === 'timer' && e.timer.name === ATTACK_TIMER) pending = e.atMs;
    }
  };
  let step = stepAttacker(state, { type: 'power', on: true }, T0, ENV);
  state = step.state;
  apply(step.effects, T0);
  while (pending !== undefined && pending <= untilMs) {
    const at = pending;
    step = stepAttacker(state, { type: 'timer', timer: { name: ATTACK_TIMER } }, at, ENV);
    state = step.state;
    apply(step.effects, at);
  }
  return { state, sent };
}

describe('the attacker', () => {
  it('is idle until switched on, and its state is plain data', () => {
    const a = attacker();
    expect(a).toMatchObject({ kind: 'ATTACKER', active: false, answers: 0, distanceM: 25 });
    expect(attackFramesSent(a)).toBe(0);
    expect(structuredClone(a)).toEqual(a);
  });

  it('sends at its configured rate, each interval within its jitter', () => {
    const { state, sent } = drive(attacker({ intervalMs: 30_000, jitter: 0.2 }), T0 + 60 * MINUTE);
    expect(sent.length).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(150);
    expect(attackFramesSent(state)).toBe(sent.length);
    const gaps = sent.slice(1).map((s, i) => s.atMs - sent[i]!.atMs);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(24_000);
      expect(gap).toBeLessThanOrEqual(36_000);
    }
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('sends every frame as a radio at its distance, in the mix it is given', () => {
    const { state, sent } = drive(attacker(), T0 + 6 * 60 * MINUTE);
    for (const s of sent) expect(s.frame).toMatchObject({ type: 'distant', distanceM: 25 });
    const inner = sent.map((s) => (s.frame.type === 'distant' ? s.frame.frame : s.frame));
    const byType = (t: HanFrame['type']) => inner.filter((f) => f.type === t).length;
    expect(byType('interpan-beacon-request')).toBe(state.sent.beaconRequest);
    expect(byType('interpan-cbke-request')).toBe(state.sent.cbkeUnknownIssuer);
    expect(byType('interpan-install-code')).toBe(state.sent.installCodeWithoutCbke);
    expect(byType('interpan-malformed')).toBe(state.sent.malformed);
    // An equal mix over ~360 frames: every kind is well represented.
    for (const n of Object.values(state.sent)) expect(n).toBeGreaterThan(50);
    for (const f of inner)
      if (f.type === 'interpan-cbke-request') expect(f.certificateIssuer).toBe(ROGUE_ISSUER);

    const onlyMalformed = drive(
      attacker({
        jitter: 0,
        mix: { beaconRequest: 0, cbkeUnknownIssuer: 0, installCodeWithoutCbke: 0, malformed: 1 },
      }),
      T0 + 60 * MINUTE,
    );
    expect(onlyMalformed.state.sent).toMatchObject({ beaconRequest: 0, cbkeUnknownIssuer: 0, malformed: 60 });
  });

  it('repeats its frames and their times for the same seed, and differs for another', () => {
    const a = drive(attacker({ seed: 11 }), T0 + 2 * 60 * MINUTE);
    const b = drive(attacker({ seed: 11 }), T0 + 2 * 60 * MINUTE);
    const c = drive(attacker({ seed: 12 }), T0 + 2 * 60 * MINUTE);
    expect(b).toEqual(a);
    expect(c.sent.map((s) => s.atMs)).not.toEqual(a.sent.map((s) => s.atMs));
  });

  it('stops at untilMs, and when switched off', () => {
    const { state, sent } = drive(attacker({ untilMs: T0 + 10 * MINUTE }), T0 + 60 * MINUTE);
    expect(sent.every((s) => s.atMs <= T0 + 10 * MINUTE)).toBe(true);
    expect(state.active).toBe(false);
    const on = stepAttacker(attacker(), { type: 'power', on: true }, T0, ENV).state;
    const off = stepAttacker(on, { type: 'power', on: false }, T0 + 1, ENV);
    expect(off.effects).toContainEqual({ kind: 'cancel-timer', name: ATTACK_TIMER });
    const late = stepAttacker(off.state, { type: 'timer', timer: { name: ATTACK_TIMER } }, T0 + MINUTE, ENV);
    expect(late.effects).toEqual([]);
  });

  it("counts its hub's answers and ignores other parties", () => {
    const a = attacker();
    const answer: HanFrame = { type: 'interpan-cbke-response', outcome: 'unknown-issuer' };
    const once = stepAttacker(a, { type: 'han', from: HUB, frame: answer }, T0, ENV).state;
    expect(once.answers).toBe(1);
    const other = stepAttacker(once, { type: 'han', from: ME, frame: answer }, T0, ENV).state;
    expect(other).toBe(once);
  });

  it('refuses a configuration it cannot run', () => {
    expect(() => attacker({ intervalMs: 0 })).toThrow(RangeError);
    expect(() => attacker({ jitter: 1 })).toThrow(RangeError);
    expect(() => attacker({ distanceM: -1 })).toThrow(RangeError);
    expect(() =>
      attacker({ mix: { beaconRequest: 0, cbkeUnknownIssuer: 0, installCodeWithoutCbke: 0, malformed: 0 } }),
    ).toThrow(RangeError);
  });
});
