// Premise simulation benchmark (a script, not a test):   npm run bench:sim
// Prints one JSON object:
// - kernelEventsPerSecond: the virtual-time kernel alone, schedule + dispatch with trace hashing, no crypto
//   (1,000,000 events, 10,000 pending) — the issue's ≥ 1,000,000 events/s target;
// - premiseEventsPerSecond: the same kernel driving real actors with no crypto on the path: commissioned premises'
//   GSMEs waking every 30 minutes, refreshing the GPF mirror and polling the CHF's empty mailbox, for a virtual week;
// - heapBytesPerPremise: steady-state V8 heap per premise (CH = CHF + GPF, ESME, GSME, PPMID, IHD, commissioned and
//   run for a virtual day and a week), measured as the heap a full GC frees when the states are released — the
//   issue's ≤ 8 KB target; serialisedBytesPerPremise: the same states through v8.serialize.
// Run with --expose-gc (the npm script does) so that heap figures are taken after a full collection.
import { serialize } from 'node:v8';
import { FleetKeyStore } from '../src/crypto/fleet-keys.js';
import { protectionContext } from '../src/crypto/message-protection.js';
import type { DeviceCore } from '../src/devices/device.js';
import { DEFAULT_POLICY } from '../src/policy.js';
import { buildPremise, PREMISE_ACTORS, TEST_PARTIES } from '../src/premise/build.js';
import { installPremise } from '../src/premise/commission.js';
import { PremiseRunner } from '../src/premise/runner.js';
import { bestKernelRound, KERNEL_EVENTS } from './kernel-load.js';

const HOUR = 3_600_000;
const PREMISES = Number(process.env['BENCH_PREMISES'] ?? 2_000);
const gc = (globalThis as { gc?: () => void }).gc;

/** The kernel alone: the same load as bench:kernel, best of three rounds after a warm-up. */
function kernelOnly(): number {
  return Math.round(KERNEL_EVENTS / (bestKernelRound(3).cpuUs / 1e6));
}

/** Commissioned premises, each with a CH, ESME, GSME, PPMID and IHD, run through their first virtual day. */
function commissionedFleet(): { runner: PremiseRunner; setupSeconds: number } {
  const env = {
    protection: protectionContext(new FleetKeyStore('bench-fleet'), TEST_PARTIES.acb),
    policy: DEFAULT_POLICY,
  };
  const runner = new PremiseRunner({ seed: 1, env, actors: PREMISE_ACTORS });
  const start = process.hrtime.bigint();
  for (let p = 0; p < PREMISES; p++) {
    const built = buildPremise(
      { esme: true, gsme: true, ppmid: true, ihd: true },
      { premise: p, fleetSeed: 'bench-fleet' },
    );
    const id = runner.addPremise(built.members);
    installPremise(runner, id, built, {
      acbCounter: 1_000n,
      userCounter: 1_000n,
      user: TEST_PARTIES.supplier!,
    });
  }
  runner.kernel.run({ until: runner.kernel.now + 24 * HOUR });
  for (let p = 0; p < PREMISES; p++)
    for (const m of runner.premise(p).members)
      if (!m.hanJoined) throw new Error(`premise ${p}: ${m.kind} did not join`);
  return { runner, setupSeconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function premiseEvents(runner: PremiseRunner): { events: number; perSecond: number } {
  const before = runner.kernel.dispatched;
  const start = process.cpuUsage();
  runner.kernel.run({ until: runner.kernel.now + 7 * 24 * HOUR });
  const used = process.cpuUsage(start);
  const events = runner.kernel.dispatched - before;
  return { events, perSecond: Math.round(events / ((used.user + used.system) / 1e6)) };
}

/**
 * Heap held by the premises' states themselves: keep only the states, drop the runner (its kernel queue, timers,
 * key and ECDH caches, which are bounded and shared, not per premise), collect, and measure what releasing the
 * states then frees.
 */
function heapPerPremise(states: DeviceCore[][]): { heap: number; serialised: number } {
  const serialised = states.reduce((sum, s) => sum + serialize(s).length, 0) / states.length;
  gc?.();
  gc?.();
  const held = process.memoryUsage().heapUsed;
  const count = states.length;
  states.length = 0;
  gc?.();
  gc?.();
  const heap = (held - process.memoryUsage().heapUsed) / count;
  return { heap: Math.round(heap), serialised: Math.round(serialised) };
}

if (gc === undefined)
  console.error('bench:sim: run with --expose-gc for heap figures after a full collection');
const kernelEventsPerSecond = kernelOnly();
const fleet = commissionedFleet();
const premise = premiseEvents(fleet.runner);
const states = Array.from({ length: PREMISES }, (_, p) => fleet.runner.premise(p).members);
const setupSeconds = fleet.setupSeconds;
(fleet as { runner?: PremiseRunner }).runner = undefined;
const memory = heapPerPremise(states);
console.log(
  JSON.stringify({
    benchmark: 'sim',
    kernelEventsPerSecond,
    premiseEventsPerSecond: premise.perSecond,
    premiseEventsMeasured: premise.events,
    premises: PREMISES,
    devicesPerPremise: 'CHF+GPF+ESME+GSME+PPMID+IHD',
    heapBytesPerPremise: memory.heap,
    serialisedBytesPerPremise: memory.serialised,
    commissioningSeconds: Number(setupSeconds.toFixed(1)),
    targets: { kernelEventsPerSecond: 1_000_000, heapBytesPerPremise: 8_192 },
    node: process.version,
  }),
);
