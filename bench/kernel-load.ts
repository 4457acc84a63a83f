// The virtual-time kernel's load for the benchmarks (bench:kernel, bench:sim): 10,000 entities each re-arming an
// exponential timer until 1,000,000 events have been dispatched; schedule + dispatch with trace hashing, no crypto.
import { Kernel } from '../src/sim/kernel.js';

type Tick = { type: 'tick'; entity: number };

export const KERNEL_EVENTS = 1_000_000;
export const KERNEL_ENTITIES = 10_000;

/** One round of the load on a fresh kernel: CPU time used (µs) and the run's trace hash. */
export function kernelRound(seed: number): { cpuUs: number; hash: string } {
  let left = KERNEL_EVENTS - KERNEL_ENTITIES;
  const kernel = new Kernel<Tick>({
    seed,
    handler: (event, _now, k) => {
      if (left-- > 0) k.schedule(k.random('arrivals').exponential(1_000), event);
    },
  });
  const start = process.cpuUsage();
  for (let entity = 0; entity < KERNEL_ENTITIES; entity++)
    kernel.schedule(kernel.random('arrivals').exponential(1_000), { type: 'tick', entity });
  kernel.run();
  const used = process.cpuUsage(start);
  if (kernel.dispatched !== KERNEL_EVENTS)
    throw new Error(`dispatched ${kernel.dispatched}, expected ${KERNEL_EVENTS}`);
  return { cpuUs: used.user + used.system, hash: kernel.traceHash() };
}

/** A warm-up round, then the best of `rounds` timed rounds (seed 1), with the last round's trace hash. */
export function bestKernelRound(rounds: number): { cpuUs: number; hash: string } {
  kernelRound(1);
  let best = Infinity;
  let hash = '';
  for (let r = 0; r < rounds; r++) {
    const result = kernelRound(1);
    best = Math.min(best, result.cpuUs);
    hash = result.hash;
  }
  return { cpuUs: best, hash };
}
