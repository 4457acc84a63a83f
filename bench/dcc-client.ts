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

const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const xml = Buffer.concat(chunks).toString('utf8');
    const m = /<sr:RequestID>[^<]*:(\d+)<\/sr:RequestID>[\s\S]*<sr:ResponseCode>I0</.exec(xml);
    if (m !== null) {
      const t0 = sentAt.get(m[1]!);
      if (t0 !== undefined && measuring) {
        latencies.push(performance.now() - t0);
        completed++;
      }
      sentAt.delete(m[1]!);
    }
    res.statusCode = 204;
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
port.postMessage({ receiver: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` });
const { url } = await new Promise<{ url: string }>((resolve) => port.once('message', resolve));

let counter = 1_000_000n;
function nextRequest(): { body: string; key: string } {
  counter += 1n;
  const premise = Number(counter % BigInt(premises));
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
  return { body: serializeXml(signDuis(doc, signer)), key: String(counter) };
}

// Signed in advance: signing is the Users' cost, not the DCC's.
const planned = Math.ceil(seconds * 3_000) + 2_000;
const requests = Array.from({ length: planned }, nextRequest);
let next = 0;
let failures = 0;
const failureSamples: string[] = [];

async function client(until: number): Promise<void> {
  while (performance.now() < until && next < requests.length) {
    const r = requests[next++]!;
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
await Promise.all(Array.from({ length: concurrency }, () => client(warmupEnd)));
await new Promise((r) => setTimeout(r, 500));
measuring = true;
const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => client(start + seconds * 1_000)));
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
  p50Ms: pct(0.5),
  p99Ms: pct(0.99),
  maxMs: pct(1),
  seconds: Math.round(elapsed * 10) / 10,
});
