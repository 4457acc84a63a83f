// The Users' side of bench/dcc.ts, in a worker thread: signed requests made in advance, a closed loop of
// `concurrency` requests in flight, and the receiver the DCC pushes I0s to; reports throughput and I0 latency.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
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

/** When each request (by counter) was posted, and when its I0 arrived. */
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let measuring = false;
let completed = 0;
let received = 0;
const unmatched: string[] = [];

const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const xml = Buffer.concat(chunks).toString('utf8');
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
    res.statusCode = 204;
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
port.postMessage({ receiver: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` });
const { url } = await new Promise<{ url: string }>((resolve) => port.once('message', resolve));

/** Client `k` serves the premises p with p mod concurrency = k, so one device's requests go in counter order. */
const counters = new Map<number, bigint>();
function nextRequest(premise: number): { body: string; key: string } {
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
  return { body: serializeXml(signDuis(doc, signer)), key: `${premise}/${counter}` };
}

// Signed in advance: signing is the Users' cost, not the DCC's.
const perClient = Math.ceil((seconds * 3_000 + 2_000) / concurrency);
const queues = Array.from({ length: concurrency }, (_, k) => {
  const mine = Array.from({ length: premises }, (_, p) => p).filter((p) => p % concurrency === k);
  return Array.from({ length: perClient }, (_, i) => nextRequest(mine[i % mine.length]!));
});
let failures = 0;
const failureSamples: string[] = [];

async function client(k: number, until: number): Promise<void> {
  const queue = queues[k]!;
  while (performance.now() < until && queue.length > 0) {
    const r = queue.shift()!;
    sentAt.set(r.key, performance.now());
    const res = await fetch(`${url}/api/v1/serviceS`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: r.body,
    });
    const text = await res.text();
    if (res.status !== 200 || !text.includes('<sr:ResponseCode>I99<')) {
      failures++;
      if (failureSamples.length < 3) failureSamples.push(`${res.status} ${text.slice(0, 300)}`);
    }
  }
}

const warmupEnd = performance.now() + 2_000;
await Promise.all(Array.from({ length: concurrency }, (_, k) => client(k, warmupEnd)));
await new Promise((r) => setTimeout(r, 500));
measuring = true;
const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, k) => client(k, start + seconds * 1_000)));
const sendEnd = performance.now();
const deadline = sendEnd + 5_000;
while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const elapsed = (sendEnd - start) / 1_000;
latencies.sort((a, b) => a - b);
const pct = (p: number): number =>
  Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 10) / 10;
receiver.close();
port.postMessage({
  requestsPerSecond: Math.round(completed / elapsed),
  completed,
  failures,
  ...(failureSamples.length > 0 && { failureSamples }),
  unanswered: sentAt.size,
  ...(process.env['BENCH_DEBUG'] !== undefined && { received, unmatched }),
  p50Ms: pct(0.5),
  p99Ms: pct(0.99),
  maxMs: pct(1),
  seconds: Math.round(elapsed * 10) / 10,
});
