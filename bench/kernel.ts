// Measures the virtual-time kernel's schedule + dispatch rate (a script, not a test):
//   npm run bench:kernel
// Prints one JSON line: events per CPU-second for 1,000,000 events, best of several rounds, trace hash included.
import { bestKernelRound, KERNEL_ENTITIES, KERNEL_EVENTS } from './kernel-load.js';

const best = bestKernelRound(5);
console.log(
  JSON.stringify({
    name: 'kernel schedule+dispatch',
    events: KERNEL_EVENTS,
    pendingAtOnce: KERNEL_ENTITIES,
    eventsPerSecond: Math.round(KERNEL_EVENTS / (best.cpuUs / 1e6)),
    nsPerEvent: Number(((best.cpuUs * 1000) / KERNEL_EVENTS).toFixed(1)),
    traceHash: best.hash.slice(0, 16),
  }),
);
