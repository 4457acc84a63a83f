// The Users' side of bench/dcc.ts, in a worker thread: signed requests made in advance, a closed loop of
// `concurrency` requests in flight, and the receiver the DCC pushes I0s to; reports throughput and I0 latency.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { LeanHttpConnection, leanHttpReceiver } from './lean-http.js';
import { buildDuisRequest } from '../src/codec/duis/request.js';
import { serializeXml } from '../src/codec/xml/serialize.js';
import { signDuis } from '../src/crypto/xmldsig.js';
import { DEFAULT_DSP_CONFIG } from '../src/dcc/config.js';
import { testCredentials } from '../src/dcc/dcc.js';
import { FIRST_PREMISE_NUMBER } from '../src/dcc/fleet.js';
import { TEST_PARTIES } from '../src/premise/build.js';
import { premiseEui } from '../src/premise/identities.js';

const { seed, premises, seconds, concurrency } = workerData as {
  seed: string;
  premises: number;
  seconds: number;
  concurrency: number;
};
const port = parentPort!;
const supplier = TEST_PARTIES.supplier!;
const credentials = testCredentials(seed, DEFAULT_DSP_CONFIG.dsp);
const signer = credentials.signer(supplier)!;

/**
 * CPU time of each thread of this process in ms (Linux /proc; empty elsewhere): utime + stime, in clock ticks of
 * 10 ms. Tells the DSP's thread from this client's and from the rest (gateway workers, V8's compiler and GC helpers).
 */
function threadCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) * 10);
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}
const clientTid = (() => {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return -1;
  }
})();

/** When each request (by counter) was posted, and when its I0 arrived. */
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let measuring = false;
let completed = 0;
let received = 0;
const unmatched: string[] = [];

const receiver = leanHttpReceiver((xml) => {
  const m =
    /<sr:RequestID>[^<]*-([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})-A0:(\d+)<\/sr:RequestID>[\s\S]*<sr:ResponseCode>I0</.exec(
      xml,
    );
  if (m !== null) {
    const premise = parseInt(`${m[1]}${m[2]}${m[3]}${m[4]}`, 16) - FIRST_PREMISE_NUMBER;
    const key = `${premise}/${m[5]}`;
    const t0 = sentAt.get(key);
    if (t0 !== undefined && measuring) {
      latencies.push(performance.now() - t0);
      completed++;
    }
    sentAt.delete(key);
  }
  received++;
  if (m === null && unmatched.length < 2) unmatched.push(xml.slice(0, 600));
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
port.postMessage({ receiver: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` });
const { url } = await new Promise<{ url: string }>((resolve) => port.once('message', resolve));

/** Client `k` serves the premises p with p mod concurrency = k, so one device's requests go in counter order. */
const counters = new Map<number, bigint>();
function nextRequest(premise: number): { body: Buffer; key: string } {
  const counter = (counters.get(premise) ?? 1_000_000n) + 1n;
  counters.set(premise, counter);
  const esme = premiseEui(FIRST_PREMISE_NUMBER + premise, 'ESME');
  const doc = buildDuisRequest({
    schemaVersion: '5.4',
    header: {
      requestId: { originator: supplier, target: esme, counter },
      commandVariant: 1,
      serviceReference: '4.1',
      serviceReferenceVariant: '4.1.1',
    },
    body: { element: 'ReadInstantaneousImportRegisters', children: [] },
  });
  return { body: Buffer.from(serializeXml(signDuis(doc, signer))), key: `${premise}/${counter}` };
}

/** Warm-up before measuring: the JIT settles (the DSP's code paths are many), and the store holds some history. */
const warmupSeconds = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 15);
// Signed in advance: signing is the Users' cost, not the DCC's.
const perClient = Math.ceil(((seconds + warmupSeconds) * 3_000) / concurrency);
const queues = Array.from({ length: concurrency }, (_, k) => {
  const mine = Array.from({ length: premises }, (_, p) => p).filter((p) => p % concurrency === k);
  return Array.from({ length: perClient }, (_, i) => nextRequest(mine[i % mine.length]!));
});
let failures = 0;
const failureSamples: string[] = [];

/** One keep-alive connection per client loop: what a User's system would hold open to the DCC. */
const target = new URL('/api/v1/serviceS', url);
const connections = await Promise.all(
  Array.from({ length: concurrency }, () => LeanHttpConnection.open(target)),
);

async function client(k: number, until: number): Promise<void> {
  const queue = queues[k]!;
  while (performance.now() < until && queue.length > 0) {
    const r = queue.shift()!;
    sentAt.set(r.key, performance.now());
    const { status, text } = await connections[k]!.post(target.pathname, r.body);
    if (status !== 200 || !text.includes('<sr:ResponseCode>I99<')) {
      failures++;
      if (failureSamples.length < 3) failureSamples.push(`${status} ${text.slice(0, 300)}`);
    }
  }
}

const warmupEnd = performance.now() + warmupSeconds * 1_000;
await Promise.all(Array.from({ length: concurrency }, (_, k) => client(k, warmupEnd)));
await new Promise((r) => setTimeout(r, 500));
measuring = true;
const start = performance.now();
port.postMessage({ window: 'start' });
const cpuStart = process.cpuUsage();
const threadsStart = threadCpuMs();
await Promise.all(Array.from({ length: concurrency }, (_, k) => client(k, start + seconds * 1_000)));
const sendEnd = performance.now();
const cpu = process.cpuUsage(cpuStart);
port.postMessage({ window: 'end' });
const threadsEnd = threadCpuMs();
const deadline = sendEnd + 5_000;
while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const elapsed = (sendEnd - start) / 1_000;
latencies.sort((a, b) => a - b);
const pct = (p: number): number =>
  Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 10) / 10;
function perThread(): Record<string, number> {
  const per = (ms: number) => Math.round((ms / Math.max(1, completed)) * 100) / 100;
  const used = [...threadsEnd].map(([tid, ms]) => [tid, ms - (threadsStart.get(tid) ?? 0)] as const);
  const out: Record<string, number> = {};
  let other = 0;
  for (const [tid, ms] of used.sort((a, b) => b[1] - a[1])) {
    if (tid === process.pid) out['main'] = per(ms);
    else if (tid === clientTid) out['client'] = per(ms);
    else if (ms >= 0.05 * completed) out[`thread${tid}`] = per(ms);
    else other += ms;
  }
  out['others'] = per(other);
  return out;
}
receiver.close();
for (const c of connections) c.close();
port.postMessage({
  requestsPerSecond: Math.round(completed / elapsed),
  completed,
  failures,
  ...(failureSamples.length > 0 && { failureSamples }),
  unanswered: sentAt.size,
  ...(process.env['BENCH_DEBUG'] !== undefined && { received, unmatched }),
  /** CPU time of the whole process (DCC, gateway workers, this client and receiver, V8's helpers) per completed request. */
  cpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1_000 / Math.max(1, completed)) * 100) / 100,
  /** The same by thread: the DSP's (main), this client's, and the others, largest first. */
  threadCpuMsPerRequest: perThread(),
  p50Ms: pct(0.5),
  p99Ms: pct(0.99),
  maxMs: pct(1),
  seconds: Math.round(elapsed * 10) / 10,
});
