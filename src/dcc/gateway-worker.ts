// A DUIS gateway worker thread (gateway.ts): checks requests and signs responses with what it was given.
import { parentPort, workerData } from 'node:worker_threads';
import { DuisSchema } from '../codec/duis/schema/index.js';
import { XmlSigningCredentials } from '../crypto/xmldsig-credentials.js';
import { signDuis } from '../crypto/xmldsig.js';
import { checkRequest, type GatewayWorkerData, type Job, type JobResult } from './gateway.js';

const data = workerData as GatewayWorkerData;
const credentials = new XmlSigningCredentials();
for (const c of data.credentials) credentials.adopt(c.credential, c.signer);
const signer = credentials.signer(data.dsp);
const schema = data.schemaPath === undefined ? undefined : DuisSchema.load(data.schemaPath);
const options = {
  certificates: credentials,
  ...(schema !== undefined && { schema }),
  maxRequestBytes: data.maxRequestBytes,
};

function run(job: Job): JobResult {
  try {
    if (job.kind === 'check') return { id: job.id, ok: true, value: checkRequest(job.input, options) };
    if (signer === undefined) throw new Error(`no XML signing key for the DSP ${data.dsp}`);
    return { id: job.id, ok: true, value: signDuis(job.xml, signer) };
  } catch (e) {
    return { id: job.id, ok: false, value: (e as Error).message };
  }
}

// A batch in, its results out in one message (gateway.ts: one wake-up of the DSP's thread per batch).
parentPort!.on('message', (batch: readonly Job[]) => parentPort!.postMessage(batch.map(run)));
