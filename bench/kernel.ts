// Measures the virtual-time kernel's schedule + dispatch rate (a script, not a test):
//   npm run bench:kernel
// Prints one JSON line: events per CPU-second for 1,000,000 events, best of several rounds, trace hash included.
import { Kernel } from '../src/sim/kernel.js';

type Tick = { type: 'tick'; entity: number };

const EVENTS = 1_000_000;
const ENTITIES = 10_000;

/** 10,000 entities each re-arming an exponential timer until 1,000,000 events have been dispatched. */
function round(seed: number): { cpuUs: number; hash: string } {
  let left = EVENTS - ENTITIES;
  const kernel = new Kernel<Tick>({
    seed,
    handler: (event, _now, k) => {
      if (left-- > 0) k.schedule(k.random('arrivals').exponential(1_000), event);
    },
  });
  const start = process.cpuUsage();
  for (let entity = 0; entity < ENTITIES; entity++)
    kernel.schedule(kernel.random('arrivals').exponential(1_000), { type: 'tick', entity });
  kernel.run();
  const used = process.cpuUsage(start);
  if (kernel.dispatched !== EVENTS) throw new Error(`dispatched ${kernel.dispatched}, expected ${EVENTS}`);
  return { cpuUs: used.user + used.system, hash: kernel.traceHash() };
}

round(1); // warm-up
let best = Infinity;
let hash = '';
for (let r = 0; r < 5; r++) {
  const result = round(1);
  best = Math.min(best, result.cpuUs);
  hash = result.hash;
}
console.log(
  JSON.stringify({
    name: 'kernel schedule+dispatch',
    events: EVENTS,
    pendingAtOnce: ENTITIES,
    eventsPerSecond: Math.round(EVENTS / (best / 1e6)),
    nsPerEvent: Number(((best * 1000) / EVENTS).toFixed(1)),
    traceHash: hash.slice(0, 16),
  }),
);
