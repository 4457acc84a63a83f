// The WAL checkpointer's thread (checkpointer.ts): its own connection to the SQLite file, a PASSIVE checkpoint every
// `everyMs` — it copies what no reader still needs from the WAL into the database, never waiting for the writer.
import SqliteDatabase from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { path, everyMs, busyTimeoutMs } = workerData as {
  path: string;
  everyMs: number;
  busyTimeoutMs: number;
};
const db = new SqliteDatabase(path);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.run(), everyMs);

parentPort!.on('message', (m: string) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.postMessage('stopped');
  parentPort!.close();
});
parentPort!.postMessage('started');
