// The DUIS front's thread (front.ts): the web services, each request checked here and, once it passed, handed to the
// DSP's thread; the DSP's answer comes back as a DUIS value and is signed here.
import { parentPort, workerData } from 'node:worker_threads';
import type { Decided, DuisService, SubmitOutcome } from '../dcc/dsp.js';
import { orderKey } from '../dcc/order-key.js';
import { checkRequest, signedResponse, workerCheckOptions } from '../dcc/gateway.js';
import { buildServer, type Health } from './app.js';
import type { DspMessage, FrontMessage, FrontWorkerData } from './front.js';

const data = workerData as FrontWorkerData;
const options = workerCheckOptions(data);
const signer = options.signer;
if (signer === undefined) throw new Error(`no XML signing key for the DSP ${data.dsp}`);

/** Requests with the DSP, by id. */
const waiting = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
let nextId = 0;
/** Messages for the DSP's thread, posted together once per turn of this loop. */
let outbox: FrontMessage[] = [];

function post(m: FrontMessage): void {
  if (outbox.length === 0)
    setImmediate(() => {
      const batch = outbox;
      outbox = [];
      parentPort!.postMessage(batch);
    });
  outbox.push(m);
}

function ask<T>(m: (id: number) => FrontMessage): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: never) => void, reject });
    post(m(id));
  });
}

async function submit(service: DuisService, body: Uint8Array): Promise<SubmitOutcome> {
  const verdict = checkRequest(body, options);
  // Refused before it became a DUIS request: the DSP never sees it.
  if (!verdict.ok)
    return { kind: 'refused', status: verdict.status, error: verdict.error, detail: verdict.detail };
  const decided = await ask<Decided>((id) => ({ kind: 'submit', id, service, key: orderKey(body), verdict }));
  if (decided.kind !== 'response') return decided;
  const { response, ...rest } = decided;
  return { ...rest, xml: signedResponse(response, signer!) };
}

const app = buildServer({
  maxRequestBytes: data.maxRequestBytes,
  submit,
  health: () => ask<Health>((id) => ({ kind: 'health', id })),
});

parentPort!.on('message', (batch: readonly DspMessage[]) => {
  for (const m of batch) {
    if (m.kind === 'close') {
      void app.close().then(() => parentPort!.postMessage([{ kind: 'closed' }]));
      continue;
    }
    const w = waiting.get(m.id);
    if (w === undefined) continue;
    waiting.delete(m.id);
    if (m.kind === 'failed') w.reject(new Error(m.message));
    else w.resolve((m.kind === 'decided' ? m.decided : m.health) as never);
  }
});

app.listen({ port: data.port, host: data.host }).then(
  (address) => {
    const port = app.server.address();
    parentPort!.postMessage([
      { kind: 'listening', address, port: typeof port === 'object' && port !== null ? port.port : data.port },
    ]);
  },
  (e: unknown) => parentPort!.postMessage([{ kind: 'listen-failed', message: (e as Error).message }]),
);
