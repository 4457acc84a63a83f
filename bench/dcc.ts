// Benchmark (not a test): the DCC end to end over HTTP (issue 5 target: ≥ 1,000 SR/s, p99 ≤ 50 ms on 2 cores).
// The server (DSP + field + push delivery, SQLite file store) runs on the main thread against the wall clock; a
// worker thread plays the Users' systems: it signs non-critical reads (SR 4.1.1, CV1) in advance, posts them with
// `concurrency` in flight, and runs the receiver the I0s are pushed to. WAN latency 0. Latency: from posting the
// request to the I0 arriving at the receiver. Prints one JSON object.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { defaultDuisXsdPath } from '../src/codec/duis/schema/index.js';
import { Dcc } from '../src/dcc/dcc.js';
import { defaultGatewayThreads } from '../src/dcc/gateway.js';
import { buildServer, dccEndpoint } from '../src/server/app.js';
import { DuisFront } from '../src/server/front.js';
import { openStore } from '../src/store/open.js';
import { systemWallClock } from '../src/sim/clock.js';

const premises = Number(process.env['BENCH_PREMISES'] ?? 200);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
/** As `smets-twin serve` runs it: defaultGatewayThreads() (two on this machine). */
const gatewayThreads = Number(process.env['BENCH_GATEWAY_THREADS'] ?? defaultGatewayThreads());
/** ZigBee hop time: 0 measures the DCC alone; the twin's default is 50 ms a hop [A]. */
const hanLatencyMs = Number(process.env['BENCH_HAN_LATENCY_MS'] ?? 0);
const seed = 'bench-dcc';

/**
 * This machine's speed at the moment, for reading the figures: P-256 ECDSA verifications per CPU-second on one
 * thread (node:crypto, as the gateway does them), measured for `ms` before and after the run. The machines here
 * drift by a fifth or more within the hour.
 */
function ecdsaVerifiesPerSecond(ms = 1000): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(300, 7);
  const signature = sign('sha256', data, privateKey);
  let n = 0;
  const start = process.cpuUsage();
  let usedUs = 0;
  while (usedUs < ms * 1000) {
    for (let i = 0; i < 50; i++) verify('sha256', data, publicKey, signature);
    n += 50;
    const used = process.cpuUsage(start);
    usedUs = used.user + used.system;
  }
  return Math.round(n / (usedUs / 1e6));
}
const referenceBefore = ecdsaVerifiesPerSecond();

const dir = mkdtempSync(join(tmpdir(), 'smets-twin-bench-dcc-'));
/** BENCH_STORE: a postgres:// URL, ':memory:', or (default) a SQLite file. */
const location = process.env['BENCH_STORE'] ?? join(dir, 'dcc.db');
const store = await openStore(location);
const worker = new Worker(new URL('./dcc-client.js', import.meta.url), {
  workerData: { seed, premises, seconds, concurrency },
});
const receiverUrl = await new Promise<string>((resolve) =>
  worker.once('message', (m: { receiver: string }) => resolve(m.receiver)),
);
const dcc = await Dcc.open({
  trace: false, // as the live server (cli/serve.ts)
  store,
  fleet: premises,
  fleetSeed: seed,
  receiverUrl,
  startMs: Math.floor(systemWallClock.now()),
  schemaPath: defaultDuisXsdPath(),
  gatewayThreads,
  hanLatencyMs,
  ...(process.env['BENCH_DEBUG'] !== undefined && { onNote: (t: string) => console.error(t) }),
});
dcc.startRealTime();
/** BENCH_FRONT=0: the web services on the DSP's thread (the layout before server/front.ts), for comparison. */
const useFront = process.env['BENCH_FRONT'] !== '0';
const app = useFront ? undefined : buildServer(dccEndpoint(dcc));
const front = useFront ? await DuisFront.start(dcc, { port: 0, host: '127.0.0.1' }) : undefined;
const url = app !== undefined ? await app.listen({ port: 0, host: '127.0.0.1' }) : front!.address;
worker.postMessage({ url });
/** The DSP thread's event-loop utilisation over the measured window (busy, or ready to run but waiting for a core). */
let eluStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;
let mainEventLoopUtilization: number | undefined;
/** The same for the DUIS front's thread. */
let frontEluStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;
let frontEventLoopUtilization: number | undefined;
const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
  worker.on('message', (m: Record<string, unknown>) => {
    if (m['window'] === 'start') {
      eluStart = performance.eventLoopUtilization();
      frontEluStart = front?.thread.performance.eventLoopUtilization();
    } else if (m['window'] === 'end') {
      mainEventLoopUtilization =
        Math.round(performance.eventLoopUtilization(eluStart).utilization * 100) / 100;
      if (front !== undefined)
        frontEventLoopUtilization =
          Math.round(front.thread.performance.eventLoopUtilization(frontEluStart).utilization * 100) / 100;
    } else resolve(m);
  });
  worker.once('error', reject);
});
await app?.close();
await front?.close();
await dcc.close();
await store.close();
await worker.terminate();
rmSync(dir, { recursive: true, force: true });
const referenceAfter = ecdsaVerifiesPerSecond();

console.log(
  JSON.stringify({
    benchmark: 'dcc',
    ...result,
    mainEventLoopUtilization,
    ...(frontEventLoopUtilization !== undefined && { frontEventLoopUtilization }),
    premises,
    concurrency,
    store: location.startsWith('postgres')
      ? 'postgres'
      : location === ':memory:'
        ? 'sqlite-memory'
        : 'sqlite-file',
    wanLatencyMs: 0,
    hanLatencyMs,
    gatewayThreads,
    /** Where the web services ran: the DUIS front's thread (as `serve`), or the DSP's (BENCH_FRONT=0). */
    webServices: useFront ? 'front-thread' : 'dsp-thread',
    cpu: cpus()[0]?.model,
    ecdsaVerifiesPerSecond: { before: referenceBefore, after: referenceAfter },
    node: process.version,
  }),
);
