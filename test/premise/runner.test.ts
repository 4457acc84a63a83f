import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { initCore, type DeviceCore } from '../../src/devices/device.js';
import type { ActorStep } from '../../src/devices/types.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { PremiseRunner, type ActorRegistry } from '../../src/premise/runner.js';
import { buildPremise, PREMISE_ACTORS } from '../../src/premise/build.js';
import { ACB, CHF as HUB, envWith, ESME as METER } from '../support/identities.js';

const env = envWith(new FleetKeyStore('runner-test'));

interface Toy extends DeviceCore {
  readonly pings: number;
}

/** A toy hub: answers every ping frame with a beacon, counts them. */
const hub: ActorStep<DeviceCore> = (state, input) => {
  const s = state as Toy;
  if (input.type === 'han' && input.frame.type === 'interpan-beacon-request')
    return {
      state: { ...s, pings: s.pings + 1 } as DeviceCore,
      effects: [
        {
          kind: 'han',
          to: input.from,
          frame: { type: 'interpan-beacon', extendedPanId: HUB, permitsInterPan: true },
        },
      ],
    };
  return { state, effects: [] };
};

/** A toy meter: pings on a timer every minute, five times; re-arming the same timer replaces the pending one. */
const meter: ActorStep<DeviceCore> = (state, input, now) => {
  const s = state as Toy;
  if (input.type === 'power' || (input.type === 'timer' && input.timer.name === 'ping')) {
    if (s.pings >= 5) return { state, effects: [] };
    return {
      state: { ...s, pings: s.pings + 1 } as DeviceCore,
      effects: [
        { kind: 'han', to: HUB, frame: { type: 'interpan-beacon-request' } },
        { kind: 'timer', atMs: now + 60_000, timer: { name: 'ping' } },
        { kind: 'timer', atMs: now + 30_000, timer: { name: 'ping' } }, // replaces the one above
      ],
    };
  }
  if (input.type === 'local')
    return { state, effects: [{ kind: 'han', to: eui64('0000000000000001'), frame: { type: 'gsme-poll' } }] };
  return { state, effects: [] };
};

const actors: ActorRegistry = { CHF: hub, ESME: meter };

function toy(kind: 'CHF' | 'ESME', eui: typeof HUB): Toy {
  return {
    ...initCore(kind, { eui, hub: HUB, parties: { acb: ACB }, installCode: '00'.repeat(16) }),
    pings: 0,
  };
}

function run(seed: number): PremiseRunner {
  const runner = new PremiseRunner({ seed, env, actors, recordNotes: true });
  const p = runner.addPremise([toy('CHF', HUB), toy('ESME', METER)]);
  runner.inject(p, METER, { type: 'power', on: true });
  runner.kernel.run({ until: runner.kernel.now + 3_600_000 });
  return runner;
}

describe('PremiseRunner', () => {
  it('delivers HAN frames after the HAN latency and timers at their time, the latest timer of a name winning', () => {
    const runner = run(1);
    expect(runner.actor<Toy>(0, METER).pings).toBe(5);
    expect(runner.actor<Toy>(0, HUB).pings).toBe(5);
    // power at t0, then pings at +30 s each: 5 pings, 5 ping requests, 5 beacons back, 5 timers (the last no-op)
    expect(runner.kernel.dispatched).toBe(1 + 5 + 5 + 5 - 1 + 1);
  });

  it('gives the same trace hash for the same seed and inputs', () => {
    expect(run(7).kernel.traceHash()).toBe(run(7).kernel.traceHash());
  });

  it('notes a HAN frame to a device that is not at the premise instead of delivering it', () => {
    const runner = new PremiseRunner({ seed: 1, env, actors, recordNotes: true });
    const p = runner.addPremise([toy('CHF', HUB), toy('ESME', METER)]);
    runner.inject(p, METER, { type: 'local', action: { kind: 'restore-supply' } });
    runner.kernel.run();
    expect(runner.notes.map((n) => n.text)).toEqual([expect.stringContaining('not at this premise')]);
  });

  it('refuses a premise with two actors of one EUI-64 or a kind without an actor', () => {
    const runner = new PremiseRunner({ seed: 1, env, actors });
    expect(() => runner.addPremise([toy('CHF', HUB), toy('ESME', HUB)])).toThrow(/two actors/);
    expect(() => runner.addPremise([{ ...toy('CHF', HUB), kind: 'GSME' }])).toThrow(/no actor registered/);
  });
});

describe('snapshots between exchanges', () => {
  it('a premise with a message on its way to an actor is not quiet; its dirty mark waits until it is', () => {
    const r = new PremiseRunner({
      seed: 1,
      env: envWith(new FleetKeyStore('quiet')),
      actors: PREMISE_ACTORS,
    });
    const built = buildPremise({ esme: true }, { premise: 1, fleetSeed: 'quiet' });
    const id = r.addPremise(built.members);
    r.takeDirty();
    r.inject(id, built.chf, { type: 'wan', bytes: Uint8Array.of(0xdd) });
    expect(r.quiet(id)).toBe(false);
    r.inject(id, built.chf, { type: 'power', on: true });
    r.kernel.run();
    expect(r.quiet(id)).toBe(true);
    expect(r.takeDirty((p) => r.quiet(p))).toEqual([id]);
    r.markDirty([id]);
    expect(r.takeDirty()).toEqual([id]);
  });
});

describe('pending timers belong to their premise', () => {
  it("a snapshot holds only its own premise's timers; restoring or removing an actor cancels only theirs", () => {
    const r = new PremiseRunner({ seed: 1, env, actors });
    const a = r.addPremise([toy('CHF', HUB), toy('ESME', METER)]);
    const b = r.addPremise([toy('CHF', HUB), toy('ESME', METER)]);
    r.inject(a, METER, { type: 'power', on: true });
    r.inject(b, METER, { type: 'power', on: true });
    r.kernel.run({ until: r.kernel.now + 1_000 });
    // Each meter has pinged once and re-armed its one 'ping' timer (the second arming replaced the first).
    const pingsOf = (p: number) => (r.premise(p).members[1] as Toy).pings;
    expect([pingsOf(a), pingsOf(b)]).toEqual([1, 1]);
    const snapshotA = r.snapshot(a);

    r.removeMember(b, METER);
    r.kernel.run({ until: r.kernel.now + 600_000 });
    expect(pingsOf(a)).toBe(5); // premise a's timer still fires; b's meter is gone with its timer
    expect(r.premise(b).members).toHaveLength(1);

    r.restore(a, snapshotA); // back to one ping, with its timer re-armed from the snapshot
    expect(pingsOf(a)).toBe(1);
    r.kernel.run({ until: r.kernel.now + 600_000 });
    expect(pingsOf(a)).toBe(5);
  });
});
