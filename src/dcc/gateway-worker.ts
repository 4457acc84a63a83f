// A DUIS gateway worker thread (gateway.ts): checks requests, signs responses, and pushes signed responses and
// alerts to the Users' receivers, with what it was given.
import { parentPort, workerData } from 'node:worker_threads';
import { runJob, workerCheckOptions, type GatewayWorkerData, type Job, type JobResult } from './gateway.js';
import { httpPost } from './http-post.js';

const options = { ...workerCheckOptions(workerData as GatewayWorkerData), post: httpPost() };

/** Results of deliveries, which finish when their receiver answers, go back together once per turn of this loop. */
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

// A batch in (gateway.ts: the jobs of one turn of the DSP's loop). Jobs that finish a request already in flight — its
// I99's signature, its I0's push — go before the checks that start new ones, and each answer goes back as soon as
// it is ready: waiting to answer a whole batch at once held every request in it for the slowest (measured: 650–840
// against 800–960 requests/s in alternating bench:dcc runs).
parentPort!.on('message', (batch: readonly Job[]) => {
  for (const job of batch) if (job.kind !== 'check') answer(runJob(job, options));
  for (const job of batch) if (job.kind === 'check') answer(runJob(job, options));
});

function answer(result: JobResult | Promise<JobResult>): void {
  if (result instanceof Promise) void result.then(answerLater);
  else parentPort!.postMessage([result]);
}
