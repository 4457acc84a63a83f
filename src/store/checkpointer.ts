// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
// threshold, on the thread that commits — the DSP's: under load that was a 4 MB copy every fraction of a second
// (≈ 10 % of that thread), or a 64 MB one of 65 ms every few seconds. Here a worker thread with a connection of its
// own checkpoints instead (checkpoint-worker.ts), and the writer's connection never does; should the worker fail,
// the writer's automatic checkpoint comes back, so the WAL never grows without bound.
import type SqliteDatabase from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';

/** SQLite's own default threshold, in pages, for the writer when no checkpointer runs. */
export const WRITER_AUTOCHECKPOINT_PAGES = 1000;

export interface Checkpointer {
  /** Stops the worker and closes its connection (before the writer's, so the writer's close is the last). */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `path` every `everyMs` from a worker thread once it has opened the file, and turns the
 * writer's automatic checkpoint off meanwhile.
 */
export function startCheckpointer(
  writer: SqliteDatabase.Database,
  path: string,
  o: { everyMs?: number; busyTimeoutMs: number },
): Checkpointer {
  const worker = new Worker(workerScript('store/checkpoint-worker.js', import.meta.url), {
    workerData: { path, everyMs: o.everyMs ?? 200, busyTimeoutMs: o.busyTimeoutMs },
  });
  worker.unref();
  let state: 'starting' | 'running' | 'gone' = 'starting';
  let onStopped: (() => void) | undefined;
  const writerCheckpoints = (on: boolean): void => {
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${on ? WRITER_AUTOCHECKPOINT_PAGES : 0}`);
  };
  worker.on('message', (m: string) => {
    if (m === 'started' && state === 'starting') {
      state = 'running';
      writerCheckpoints(false);
    } else if (m === 'stopped') onStopped?.();
  });
  const gone = (): void => {
    if (state === 'running') writerCheckpoints(true);
    state = 'gone';
    onStopped?.();
  };
  worker.on('error', gone);
  worker.on('exit', gone);
  return {
    async stop() {
      if (state !== 'gone')
        await new Promise<void>((resolve) => {
          onStopped = resolve;
          worker.postMessage('stop');
        });
      writerCheckpoints(true);
      await worker.terminate();
    },
  };
}
