// SQLite group commit (store/kysely-store.ts): a staged transaction is applied at once — the Store reads it — and
// durable only when its group commits; until then another connection (another process) does not see it.
import SqliteDatabase from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { openStore } from '../../src/store/open.js';
import type { RequestRecord, Store } from '../../src/store/store.js';

const USER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');

function request(counter: bigint): RequestRecord {
  return {
    requestId: `r${counter}`,
    user: USER,
    target: ESME,
    counter,
    srv: '4.1.1',
    commandVariant: 1,
    state: 'sent',
    acceptedMs: 1_000,
  };
}

let dir: string;
let store: Store;
/** Another connection to the same file: it sees only what is committed. */
let other: SqliteDatabase.Database;
const committedIds = () =>
  (
    other.prepare('select request_id from requests order by request_id').all() as { request_id: string }[]
  ).map((r) => r.request_id);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smets-twin-group-'));
  store = await openStore(join(dir, 'group.db'));
  other = new SqliteDatabase(join(dir, 'group.db'), { readonly: true });
});
afterEach(async () => {
  other.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite group commit', () => {
  it('a staged transaction is read back at once, and committed (seen by another connection) when durable', async () => {
    const staged = await store.stage(async (tx) => {
      await tx.putRequest(request(1n));
      await tx.setRequestCounter(USER, ESME, 1n);
      return 'value';
    });
    expect(staged.value).toBe('value');
    expect(await store.getRequest('r1')).toEqual(request(1n));
    expect(await store.lastRequestCounter(USER, ESME)).toBe(1n);
    expect(committedIds()).toEqual([]);
    await staged.durable;
    expect(committedIds()).toEqual(['r1']);
  });

  it('transactions staged together share one commit; one that throws is rolled back alone', async () => {
    const [a, failed, b] = await Promise.allSettled([
      store.stage((tx) => tx.putRequest(request(1n))),
      store.stage(async (tx) => {
        await tx.putRequest(request(2n));
        throw new Error('refused');
      }),
      store.stage((tx) => tx.putRequest(request(3n))),
    ]);
    expect(failed).toMatchObject({ status: 'rejected', reason: new Error('refused') });
    if (a.status !== 'fulfilled' || b.status !== 'fulfilled') throw new Error('both should be staged');
    expect(a.value.durable).toBe(b.value.durable);
    expect(committedIds()).toEqual([]);
    await b.value.durable;
    expect(committedIds()).toEqual(['r1', 'r3']);
  });

  it('transaction() resolves only once durable; a write outside one meanwhile lands with the group', async () => {
    const staged = await store.stage((tx) => tx.putRequest(request(1n)));
    await store.putRequest(request(2n));
    expect(committedIds()).toEqual([]);
    await store.transaction((tx) => tx.putRequest(request(3n)));
    expect(committedIds()).toEqual(['r1', 'r2', 'r3']);
    await staged.durable;
  });

  it('close() commits the open group', async () => {
    const staged = await store.stage((tx) => tx.putRequest(request(1n)));
    await store.close();
    await staged.durable;
    expect(committedIds()).toEqual(['r1']);
    store = await openStore(join(dir, 'group.db'));
    expect(await store.getRequest('r1')).toEqual(request(1n));
  });
});
