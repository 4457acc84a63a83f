// A DUIS gateway worker thread (gateway.ts): checks requests, signs responses, and pushes signed responses and
// alerts to the Users' receivers, with what it was given.
import { parentPort, workerData } from 'node:worker_threads';
import { DuisSchema } from '../codec/duis/schema/index.js';
import { XmlSigningCredentials } from '../crypto/xmldsig-credentials.js';
import { runJob, type GatewayWorkerData, type Job, type JobResult } from './gateway.js';
import { httpPost } from './http-post.js';

const data = workerData as GatewayWorkerData;
const credentials = new XmlSigningCredentials();
for (const c of data.credentials) credentials.adopt(c.credential, c.signer);
const schema = data.schemaPath === undefined ? undefined : DuisSchema.load(data.schemaPath);
const options = {
  certificates: credentials,
  ...(schema !== undefined && { schema }),
  maxRequestBytes: data.maxRequestBytes,
  signer: credentials.signer(data.dsp),
  dsp: data.dsp,
  post: httpPost(),
};

/** Results of deliveries, which finish later than their batch, go back together once per turn of this loop. */
let answered: JobResult[] = [];
function answerLater(result: JobResult): void {
  if (answered.length === 0)
    setImmediate(() => {
      const results = answered;
      answered = [];
      parentPort!.postMessage(results);
    });
  answered.push(result);
}

// A batch in, its results out in one message (gateway.ts: one wake-up of the DSP's thread per batch); a delivery
// answers when its receiver has.
parentPort!.on('message', (batch: readonly Job[]) => {
  const results: JobResult[] = [];
  for (const job of batch) {
    const result = runJob(job, options);
    if (result instanceof Promise) void result.then(answerLater);
    else results.push(result);
  }
  if (results.length > 0) parentPort!.postMessage(results);
});
