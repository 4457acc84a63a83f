// WAL checkpoints run on their own thread (store/checkpointer.ts): the writer's connection, the DSP's, never copies the
// WAL into the database while the checkpointer runs, and checkpoints again by itself when it stops or fails.
import SqliteDatabase from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer, WRITER_AUTOCHECKPOINT_PAGES } from '../../src/store/checkpointer.js';
import { openStore } from '../../src/store/open.js';

// A worker thread loads JavaScript: the built dist/ (npm test builds first).
const WORKER_BUILT = existsSync(
  join(import.meta.dirname, '..', '..', 'dist', 'src', 'store', 'checkpoint-worker.js'),
);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smets-twin-checkpoint-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writer(path: string): SqliteDatabase.Database {
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
  db.exec('create table t (id integer primary key, v blob)');
  return db;
}

/** The writer's automatic checkpoint threshold, in pages (0: off). */
function autocheckpoint(db: SqliteDatabase.Database): number {
  return db.pragma('wal_autocheckpoint', { simple: true }) as number;
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!WORKER_BUILT)('the WAL checkpointer', () => {
  it("copies the WAL into the database from its own thread while the writer's own checkpoint is off", async () => {
    const path = join(dir, 'a.db');
    const db = writer(path);
    const cp = startCheckpointer(db, path, { everyMs: 20, busyTimeoutMs: 1_000 });
    try {
      await until(() => autocheckpoint(db) === 0);
      const before = statSync(path).size;
      const insert = db.prepare('insert into t (v) values (?)');
      for (let i = 0; i < 200; i++) insert.run(Buffer.alloc(4_000, i));
      // 800 kB went to the WAL; only a checkpoint moves it into the database file, and the writer makes none.
      await until(() => statSync(path).size > before + 500_000);
    } finally {
      await cp.stop();
    }
    expect(autocheckpoint(db)).toBe(WRITER_AUTOCHECKPOINT_PAGES);
    db.close();
  });

  it('leaves the writer checkpointing when its thread cannot open the database', async () => {
    const path = join(dir, 'b.db');
    const db = writer(path);
    const cp = startCheckpointer(db, join(dir, 'no-such-dir', 'b.db'), { everyMs: 20, busyTimeoutMs: 100 });
    await new Promise((r) => setTimeout(r, 300));
    expect(autocheckpoint(db)).toBe(WRITER_AUTOCHECKPOINT_PAGES);
    await cp.stop(); // stopping a checkpointer that already failed ends at once
    db.close();
  });

  it('a file Store closes last, so nothing is left in a WAL file after it', async () => {
    const path = join(dir, 'c.db');
    const store = await openStore(path);
    await store.putUser({ eui: '90B3D51F30010000' as never, roles: ['IS'], status: 'active' });
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = await openStore(path);
    expect((await again.getUser('90B3D51F30010000' as never))?.status).toBe('active');
    await again.close();
  });
});
