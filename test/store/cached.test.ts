// The cache in front of the Store never answers with what the database does not hold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import type { SmiDevice } from '../../src/dcc/types.js';
import { CachedStore } from '../../src/store/cached.js';
import { openStore } from '../../src/store/open.js';
import type { RequestRecord, Store } from '../../src/store/store.js';

const ESME = eui64('00DB1234567890A0');
const USER = eui64('90B3D51F30010000');
const device: SmiDevice = {
  deviceId: ESME,
  deviceType: 'ESME',
  status: 'Commissioned',
  premise: 3,
  manufacturer: 'm',
  model: 'a',
  smetsChtsVersion: 'v',
  firmwareVersion: '1',
  firmwareVersionStatus: 'Active',
  cplStatus: 'Active',
  gbcsVersion: '4.0',
};

let raw: Store;
let store: CachedStore;
beforeEach(async () => {
  raw = await openStore(':memory:');
  store = new CachedStore(raw);
  await store.putDevice(device);
  await store.putUser({ eui: USER, roles: ['IS'], status: 'active' });
});
afterEach(async () => {
  await store.close();
});

describe('CachedStore', () => {
  it('a write through the cache is seen by the next read, device and premise list alike', async () => {
    expect((await store.getDevice(ESME))?.model).toBe('a');
    expect((await store.findDevices({ premise: 3 })).map((d) => d.model)).toEqual(['a']);
    await store.putDevice({ ...device, model: 'b' });
    expect((await store.getDevice(ESME))?.model).toBe('b');
    expect((await store.findDevices({ premise: 3 })).map((d) => d.model)).toEqual(['b']);
  });

  it('a committed transaction is seen after it; a rolled-back one leaves the cache as the database is', async () => {
    await store.getUser(USER);
    await store.transaction(async (tx) => {
      await tx.putUser({ eui: USER, roles: ['IS'], status: 'suspended' });
    });
    expect((await store.getUser(USER))?.status).toBe('suspended');
    await expect(
      store.transaction(async (tx) => {
        await tx.putUser({ eui: USER, roles: ['IS'], status: 'active' });
        await tx.setRequestCounter(USER, ESME, 9n);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect((await store.getUser(USER))?.status).toBe('suspended');
    expect(await store.lastRequestCounter(USER, ESME)).toBeUndefined();
    expect(await raw.lastRequestCounter(USER, ESME)).toBeUndefined();
  });

  it('a counter it wrote is answered without reading it back, until a failed commit takes it back', async () => {
    let reads = 0;
    const read = raw.lastRequestCounter.bind(raw);
    raw.lastRequestCounter = async (user, target) => {
      reads++;
      return read(user, target);
    };
    await store.transaction(async (tx) => tx.setRequestCounter(USER, ESME, 5n));
    expect(await store.lastRequestCounter(USER, ESME)).toBe(5n);
    await store.setRequestCounter(USER, ESME, 6n);
    expect(await store.lastRequestCounter(USER, ESME)).toBe(6n);
    expect(reads).toBe(0);
    // A group whose commit fails: the counter it staged is forgotten, and read again from the database.
    const failing = new CachedStore({
      ...raw,
      stage: async (fn) => {
        const staged = await raw.stage(fn);
        return { value: staged.value, durable: staged.durable.then(() => Promise.reject(new Error('disk'))) };
      },
    } as Store);
    const { durable } = await failing.stage(async (tx) => tx.setRequestCounter(USER, ESME, 7n));
    expect(await failing.lastRequestCounter(USER, ESME)).toBe(7n); // staged: the database answers 7 as well
    await expect(durable).rejects.toThrow('disk');
    const before = reads;
    await failing.lastRequestCounter(USER, ESME);
    expect(reads).toBe(before + 1);
  });

  it('a request record it wrote is answered without a query, exactly as the database answers it', async () => {
    let reads = 0;
    const read = raw.getRequest.bind(raw);
    raw.getRequest = async (id) => {
      reads++;
      return read(id);
    };
    const rec: RequestRecord = {
      requestId: 'r1',
      user: USER,
      target: ESME,
      counter: 1n,
      srv: '4.1.1',
      commandVariant: 1,
      state: 'sent',
      premise: 3,
      command: Uint8Array.of(0xdd, 1, 2),
      acceptedMs: 1_000,
      deadlineMs: 31_000,
    };
    await store.transaction(async (tx) => tx.putRequest(rec));
    const cached = await store.getRequest('r1');
    expect(reads).toBe(0);
    expect(cached).toStrictEqual(await read('r1'));
    await store.putRequest({ ...rec, state: 'completed', response: Uint8Array.of(7) });
    expect((await store.getRequest('r1'))?.state).toBe('completed');
    expect(reads).toBe(0);
    await expect(
      store.transaction(async (tx) => {
        await tx.putRequest({ ...rec, state: 'failed' });
        expect((await tx.getRequest('r1'))?.state).toBe('failed'); // the transaction sees its own write
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect((await store.getRequest('r1'))?.state).toBe('completed');
  });

  it('a deleted device is gone from the cache and from its premise list', async () => {
    await store.findDevices({ premise: 3 });
    expect(await store.deleteDevice(ESME)).toBe(true);
    expect(await store.getDevice(ESME)).toBeUndefined();
    expect(await store.findDevices({ premise: 3 })).toEqual([]);
  });
});
