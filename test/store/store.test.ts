// The Store port's behaviour, one suite run on SQLite in memory, on a SQLite file and on PostgreSQL (skipped with a
// printed reason when no PostgreSQL server can be started; SMETS_NO_POSTGRES=1 forces that).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect, type Compilable } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { SMI_DEVICE_TYPES, SMI_STATUSES, type DccUser, type SmiDevice } from '../../src/dcc/types.js';
import {
  openStore,
  storeLocationFromEnv,
  type FirmwareTrackingRecord,
  type OutboundNew,
  type RequestRecord,
  type Store,
  type StoreOps,
} from '../../src/store/index.js';
import { DATA_TABLES, SCHEMA_VERSION, type Database } from '../../src/store/schema.js';
import * as q from '../../src/store/statements.js';
import { startPostgres } from '../support/postgres.js';

const UINT64_MAX = 2n ** 64n - 1n;
const SUPPLIER = eui64('90B3D51F30010000');
const NETWORK = eui64('90B3D51F30020000');
const CHF_A = eui64('00DB123456780001');
const CHF_B = eui64('00DB123456780002');
const ESME_A = eui64('00DB1234567800A1');
const ESME_B = eui64('00DB1234567800B1');
const IHD_A = eui64('00DB1234567800A3');

interface Backend {
  readonly name: string;
  readonly kind: Store['kind'];
  /** Why the backend cannot run here. */
  readonly skip?: string;
  /** Whether a closed store's data is there when it is opened again. */
  readonly persistent: boolean;
  /** The location of an empty store. */
  fresh(): Promise<string | undefined>;
  /** The location `fresh` gave last, not emptied. */
  again(): string | undefined;
}

const memory: Backend = {
  name: 'SQLite in memory',
  kind: 'sqlite',
  persistent: false,
  fresh: async () => undefined,
  again: () => undefined,
};

const fileDir = mkdtempSync(join(tmpdir(), 'smets-store-'));
let fileCount = 0;
const file: Backend = {
  name: 'SQLite file',
  kind: 'sqlite',
  persistent: true,
  fresh: async () => join(fileDir, `store-${++fileCount}.db`),
  again: () => join(fileDir, `store-${fileCount}.db`),
};
afterAll(() => rmSync(fileDir, { recursive: true, force: true }));

const server = await startPostgres();
if ('skip' in server) console.warn(`PostgreSQL store tests skipped: ${server.skip}`);
const admin = 'url' in server ? new pg.Client({ connectionString: server.url }) : undefined;
const postgres: Backend = {
  name: 'PostgreSQL',
  kind: 'postgres',
  persistent: true,
  ...('skip' in server && { skip: server.skip }),
  fresh: async () => {
    await admin!.query(DATA_TABLES.map((t) => `DELETE FROM ${t};`).join(' '));
    return 'url' in server ? server.url : undefined;
  },
  again: () => ('url' in server ? server.url : undefined),
};
if (admin && 'url' in server) {
  beforeAll(async () => {
    await admin.connect();
    await (await openStore(server.url)).close(); // creates the tables the DELETEs of `fresh` empty
  });
  afterAll(async () => {
    await admin.end();
    await server.stop();
  });
}

function device(overrides: Partial<SmiDevice> & Pick<SmiDevice, 'deviceId'>): SmiDevice {
  return {
    deviceType: 'ESME',
    status: 'Commissioned',
    manufacturer: '1234',
    model: 'MODEL-1',
    smetsChtsVersion: 'V4.0',
    firmwareVersion: '00000001',
    firmwareVersionStatus: 'Active',
    cplStatus: 'Active',
    gbcsVersion: '4.0',
    ...overrides,
  };
}

function request(overrides: Partial<RequestRecord> & Pick<RequestRecord, 'requestId'>): RequestRecord {
  return {
    user: SUPPLIER,
    target: ESME_A,
    counter: 1n,
    srv: '4.1.1',
    commandVariant: 1,
    state: 'accepted',
    acceptedMs: 1_000,
    ...overrides,
  };
}

function message(overrides: Partial<OutboundNew> = {}): OutboundNew {
  return {
    user: SUPPLIER,
    kind: 'response',
    xml: '<sr:Response/>',
    createdMs: 1_000,
    nextAttemptMs: 1_000,
    expiresMs: 1_000 + 2 * 86_400_000,
    ...overrides,
  };
}

// Property arbitraries: every optional field present or absent, well-formed Unicode without U+0000.
const arbEui = fc.stringMatching(/^[0-9A-F]{16}$/).map((s) => s as Eui64);
const arbText = fc.string({ unit: 'binary', maxLength: 24 }).filter((s) => !s.includes('\0'));
const arbMs = fc.maxSafeInteger();
const arbUint64 = fc.bigInt({ min: 0n, max: UINT64_MAX });
const arbBytes = fc.uint8Array({ maxLength: 300 });

const arbDevice: fc.Arbitrary<SmiDevice> = fc.record(
  {
    deviceId: arbEui,
    deviceType: fc.constantFrom(...SMI_DEVICE_TYPES),
    status: fc.constantFrom(...SMI_STATUSES),
    premise: arbMs,
    chf: arbEui,
    gpf: arbEui,
    associatedMeter: arbEui,
    manufacturer: arbText,
    model: arbText,
    smetsChtsVersion: arbText,
    firmwareVersion: arbText,
    firmwareVersionStatus: arbText,
    cplStatus: arbText,
    gbcsVersion: arbText,
    importMpxn: arbText,
    secondaryImportMpan: arbText,
    exportMpan: arbText,
    esmeVariant: arbText,
    hanVariant: arbText,
    uprn: fc.maxSafeNat(),
    postCode: arbText,
    addressIdentifier: arbText,
    cspRegion: arbText,
    supplier: arbEui,
    networkOperator: arbEui,
  },
  {
    requiredKeys: [
      'deviceId',
      'deviceType',
      'status',
      'manufacturer',
      'model',
      'smetsChtsVersion',
      'firmwareVersion',
      'firmwareVersionStatus',
      'cplStatus',
      'gbcsVersion',
    ],
  },
);

const arbRequest: fc.Arbitrary<RequestRecord> = fc.record(
  {
    requestId: arbText,
    user: arbEui,
    target: arbEui,
    counter: arbUint64,
    srv: arbText,
    commandVariant: fc.integer({ min: 0, max: 8 }),
    state: fc.constantFrom('accepted', 'sent', 'completed', 'failed'),
    premise: arbMs,
    command: arbBytes,
    gbcsOriginator: arbEui,
    gbcsCounter: arbUint64,
    acceptedMs: arbMs,
    deadlineMs: arbMs,
    executionMs: arbMs,
    responseCode: arbText,
    response: arbBytes,
  },
  {
    requiredKeys: ['requestId', 'user', 'target', 'counter', 'srv', 'commandVariant', 'state', 'acceptedMs'],
  },
);

/** Everything a store holds, for "nothing changed" checks. */
async function contents(store: Store) {
  return {
    users: await store.listUsers(),
    devices: await store.findDevices({ premise: 7 }),
    history: await store.statusHistory(ESME_A),
    counter: await store.lastRequestCounter(SUPPLIER, ESME_A),
    requests: await store.openRequests(),
    outbound: await store.pendingOutbound(SUPPLIER),
    premises: await store.loadPremises(),
    acb: await store.getCounter('acb'),
  };
}

function storeSuite(backend: Backend): void {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await backend.fresh());
  });
  afterEach(async () => {
    await store.close();
  });

  it(`openStore gives a ${backend.kind} store`, () => {
    expect(store.kind).toBe(backend.kind);
  });

  describe('users', () => {
    it('a user round-trips; absent optional fields stay absent', async () => {
      const full: DccUser = {
        eui: SUPPLIER,
        roles: ['IS', 'ES'],
        status: 'active',
        receiverUrl: 'https://supplier.example/duis',
        name: 'Supplier A',
      };
      const bare: DccUser = { eui: NETWORK, roles: ['ED'], status: 'suspended' };
      await store.putUser(full);
      await store.putUser(bare);
      expect(await store.getUser(SUPPLIER)).toEqual(full);
      const got = await store.getUser(NETWORK);
      expect(got).toEqual(bare);
      expect(Object.keys(got!).sort()).toEqual(['eui', 'roles', 'status']);
      expect(await store.getUser(eui64('0000000000000000'))).toBeUndefined();
    });

    it('putUser replaces the user; listUsers orders by EUI', async () => {
      await store.putUser({ eui: SUPPLIER, roles: ['IS'], status: 'active', name: 'old' });
      await store.putUser({ eui: NETWORK, roles: ['ED'], status: 'active' });
      await store.putUser({ eui: SUPPLIER, roles: ['IS', 'GS'], status: 'suspended' });
      expect(await store.listUsers()).toEqual([
        { eui: SUPPLIER, roles: ['IS', 'GS'], status: 'suspended' },
        { eui: NETWORK, roles: ['ED'], status: 'active' },
      ]);
    });
  });

  describe('the Smart Metering Inventory', () => {
    const meterA = device({
      deviceId: ESME_A,
      premise: 7,
      chf: CHF_A,
      importMpxn: '1200000000001',
      secondaryImportMpan: '1200000000011',
      exportMpan: '1200000000021',
      uprn: 100023336956,
      postCode: 'SW1A 1AA',
      addressIdentifier: '10',
      supplier: SUPPLIER,
      networkOperator: NETWORK,
      esmeVariant: 'A',
      hanVariant: 'SE',
      cspRegion: 'South',
    });
    const ihdA = device({
      deviceId: IHD_A,
      deviceType: 'IHD',
      premise: 7,
      chf: CHF_A,
      associatedMeter: ESME_A,
      uprn: 100023336956,
      postCode: 'SW1A 1AA',
      addressIdentifier: '10',
    });
    const chfA = device({ deviceId: CHF_A, deviceType: 'CHF', premise: 7 });
    const meterB = device({
      deviceId: ESME_B,
      premise: 8,
      chf: CHF_B,
      importMpxn: '1200000000002',
      uprn: 100023336957,
      postCode: 'SW1A 1AA',
      addressIdentifier: '12',
    });

    it('a device with every field round-trips; one with only the required fields has no optional keys', async () => {
      const bare = device({ deviceId: ESME_B, status: 'Pending' });
      await store.putDevice(meterA);
      await store.putDevice(bare);
      expect(await store.getDevice(ESME_A)).toEqual(meterA);
      const got = await store.getDevice(ESME_B);
      expect(got).toEqual(bare);
      expect(Object.values(got!)).not.toContain(undefined);
      expect(await store.getDevice(CHF_B)).toBeUndefined();
    });

    it('putDevice replaces the whole record: a field left out becomes absent', async () => {
      await store.putDevice(meterA);
      const { supplier: _, ...withoutSupplier } = meterA;
      const changed = { ...withoutSupplier, status: 'Suspended' as const, firmwareVersion: '00000002' };
      await store.putDevice(changed);
      expect(await store.getDevice(ESME_A)).toEqual(changed);
    });

    it("findDevices by MPxN returns only that premise's meter", async () => {
      for (const d of [meterA, ihdA, chfA, meterB]) await store.putDevice(d);
      expect(await store.findDevices({ mpxn: '1200000000001' })).toEqual([meterA]);
      expect(await store.findDevices({ mpxn: '1200000000003' })).toEqual([]);
    });

    it('findDevices by DeviceID, UPRN, postcode + address, premise and CHF, ordered by DeviceID', async () => {
      for (const d of [meterB, ihdA, meterA, chfA]) await store.putDevice(d);
      expect(await store.findDevices({ deviceId: IHD_A })).toEqual([ihdA]);
      expect(await store.findDevices({ uprn: 100023336956 })).toEqual([meterA, ihdA]);
      expect(await store.findDevices({ postCode: 'SW1A 1AA', addressIdentifier: '12' })).toEqual([meterB]);
      expect(await store.findDevices({ postCode: 'SW1A 1AA', addressIdentifier: '10' })).toEqual([
        meterA,
        ihdA,
      ]);
      expect(await store.findDevices({ premise: 7 })).toEqual([chfA, meterA, ihdA]);
      expect(await store.findDevices({ chf: CHF_A })).toEqual([meterA, ihdA]);
    });

    it('findDevices refuses a query that is not exactly one of its forms', async () => {
      await expect(store.findDevices({} as never)).rejects.toThrow(RangeError);
      await expect(store.findDevices({ mpxn: '1', premise: 7 } as never)).rejects.toThrow(RangeError);
      await expect(store.findDevices({ postCode: 'SW1A 1AA' } as never)).rejects.toThrow(/postCode/);
    });

    it('deleteDevice removes the record and its status history, and says whether there was one', async () => {
      await store.putDevice(meterA);
      await store.putDevice(meterB);
      await store.addStatusChange({ deviceId: ESME_A, atMs: 1, from: null, to: 'Pending', cause: 'fleet' });
      await store.addStatusChange({ deviceId: ESME_B, atMs: 1, from: null, to: 'Pending', cause: 'fleet' });
      expect(await store.deleteDevice(ESME_A)).toBe(true);
      expect(await store.getDevice(ESME_A)).toBeUndefined();
      expect(await store.statusHistory(ESME_A)).toEqual([]);
      expect(await store.statusHistory(ESME_B)).toHaveLength(1);
      expect(await store.deleteDevice(ESME_A)).toBe(false);
    });

    it("a device's status history is its own changes, oldest first", async () => {
      await store.addStatusChange({
        deviceId: ESME_A,
        atMs: 5,
        from: null,
        to: 'Whitelisted',
        cause: 'fleet',
      });
      await store.addStatusChange({ deviceId: ESME_B, atMs: 6, from: null, to: 'Pending', cause: 'fleet' });
      await store.addStatusChange({
        deviceId: ESME_A,
        atMs: 9,
        from: 'Whitelisted',
        to: 'Commissioned',
        cause: '8.11',
      });
      // Same time: insertion order decides.
      await store.addStatusChange({
        deviceId: ESME_A,
        atMs: 9,
        from: 'Commissioned',
        to: 'Suspended',
        cause: 'join',
      });
      expect(await store.statusHistory(ESME_A)).toEqual([
        { deviceId: ESME_A, atMs: 5, from: null, to: 'Whitelisted', cause: 'fleet' },
        { deviceId: ESME_A, atMs: 9, from: 'Whitelisted', to: 'Commissioned', cause: '8.11' },
        { deviceId: ESME_A, atMs: 9, from: 'Commissioned', to: 'Suspended', cause: 'join' },
      ]);
      expect(await store.statusHistory(CHF_A)).toEqual([]);
    });

    it('any SmiDevice round-trips through putDevice and getDevice (property)', async () => {
      await fc.assert(
        fc.asyncProperty(arbDevice, async (d) => {
          await store.putDevice(d);
          expect(await store.getDevice(d.deviceId)).toEqual(d);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('RequestID anti-replay counters', () => {
    it('a request counter of 2^64-1 round-trips exactly', async () => {
      await store.setRequestCounter(SUPPLIER, ESME_A, UINT64_MAX - 1n);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(UINT64_MAX - 1n);
      await store.setRequestCounter(SUPPLIER, ESME_A, UINT64_MAX);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(UINT64_MAX);
    });

    it('counters are per (user, target); setRequestCounter raises them and never lowers them', async () => {
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBeUndefined();
      await store.setRequestCounter(SUPPLIER, ESME_A, 10n);
      await store.setRequestCounter(SUPPLIER, ESME_B, 20n);
      await store.setRequestCounter(NETWORK, ESME_A, 0n);
      await store.setRequestCounter(SUPPLIER, ESME_A, 11n);
      await store.setRequestCounter(SUPPLIER, ESME_A, 9n);
      await store.setRequestCounter(SUPPLIER, ESME_A, 11n);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(11n);
      await store.setRequestCounter(SUPPLIER, ESME_A, 100n);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(100n);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_B)).toBe(20n);
      expect(await store.lastRequestCounter(NETWORK, ESME_A)).toBe(0n);
      expect(await store.lastRequestCounter(NETWORK, ESME_B)).toBeUndefined();
    });

    it('a counter above 2^64-1 or below 0 is a RangeError naming the field, and writes nothing', async () => {
      await store.setRequestCounter(SUPPLIER, ESME_A, 5n);
      await expect(store.setRequestCounter(SUPPLIER, ESME_A, UINT64_MAX + 1n)).rejects.toThrow(
        new RangeError('counter must be a bigint in 0..2^64-1, got 18446744073709551616'),
      );
      await expect(store.setRequestCounter(SUPPLIER, ESME_A, -1n)).rejects.toThrow(RangeError);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(5n);
      await expect(store.putRequest(request({ requestId: 'r', gbcsCounter: -1n }))).rejects.toThrow(
        /request\.gbcsCounter/,
      );
      await expect(store.setCounter('acb', 2n ** 64n)).rejects.toThrow(/acb/);
      expect(await store.getRequest('r')).toBeUndefined();
      expect(await store.getCounter('acb')).toBeUndefined();
    });

    it('a virtual time that is not a safe integer is a RangeError naming the field', async () => {
      await expect(store.putRequest(request({ requestId: 'r', acceptedMs: 1.5 }))).rejects.toThrow(
        /request\.acceptedMs/,
      );
      await expect(store.enqueueOutbound(message({ nextAttemptMs: 2 ** 53 }))).rejects.toThrow(
        /message\.nextAttemptMs/,
      );
      expect(await store.getRequest('r')).toBeUndefined();
    });
  });

  describe('service requests', () => {
    it('a request round-trips, its bytes as a plain Uint8Array and its uint64s exact', async () => {
      const r = request({
        requestId: '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-00-A1:18446744073709551615',
        counter: UINT64_MAX,
        state: 'completed',
        premise: 7,
        command: new Uint8Array([0xdd, 0x00, 0x00, 0xff]),
        gbcsOriginator: SUPPLIER,
        gbcsCounter: UINT64_MAX - 7n,
        deadlineMs: 31_000,
        executionMs: 86_400_000,
        responseCode: 'I0',
        response: new Uint8Array([]),
      });
      await store.putRequest(r);
      const got = await store.getRequest(r.requestId);
      expect(got).toEqual(r);
      expect(Object.getPrototypeOf(got!.command)).toBe(Uint8Array.prototype);
      expect(await store.getRequest('nope')).toBeUndefined();
    });

    it('putRequest replaces by requestId: a completed request drops its deadline when it is left out', async () => {
      const sent = request({
        requestId: 'r1',
        state: 'sent',
        deadlineMs: 31_000,
        command: new Uint8Array([1]),
      });
      await store.putRequest(sent);
      const { deadlineMs: _, ...rest } = sent;
      const done = {
        ...rest,
        state: 'completed' as const,
        responseCode: 'I0',
        response: new Uint8Array([2, 3]),
      };
      await store.putRequest(done);
      expect(await store.getRequest('r1')).toEqual(done);
    });

    it('openRequests lists accepted and sent requests, not completed ones, oldest first', async () => {
      await store.putRequest(request({ requestId: 'late', state: 'accepted', acceptedMs: 3_000 }));
      await store.putRequest(request({ requestId: 'done', state: 'completed', acceptedMs: 500 }));
      await store.putRequest(request({ requestId: 'early', state: 'sent', acceptedMs: 1_000 }));
      await store.putRequest(request({ requestId: 'failed', state: 'failed', acceptedMs: 2_000 }));
      await store.putRequest(request({ requestId: 'middle', state: 'accepted', acceptedMs: 2_000 }));
      expect((await store.openRequests()).map((r) => r.requestId)).toEqual(['early', 'middle', 'late']);
    });

    it('any RequestRecord round-trips through putRequest and getRequest (property)', async () => {
      await fc.assert(
        fc.asyncProperty(arbRequest, async (r) => {
          await store.putRequest(r);
          expect(await store.getRequest(r.requestId)).toEqual(r);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('the outbox', () => {
    it('enqueueOutbound returns increasing ids; a new message is pending with no attempts', async () => {
      const a = await store.enqueueOutbound(message({ requestId: 'r1' }));
      const b = await store.enqueueOutbound(message());
      expect(b).toBeGreaterThan(a);
      expect(await store.getOutbound(a)).toEqual({
        ...message({ requestId: 'r1' }),
        id: a,
        attempts: 0,
        state: 'pending',
      });
      expect(await store.getOutbound(b)).toEqual({ ...message(), id: b, attempts: 0, state: 'pending' });
      expect(await store.getOutbound(b + 1000)).toBeUndefined();
    });

    it('dueOutbound returns only pending messages whose time has come, oldest first', async () => {
      const first = await store.enqueueOutbound(message({ nextAttemptMs: 2_000 }));
      const future = await store.enqueueOutbound(message({ nextAttemptMs: 5_001 }));
      const second = await store.enqueueOutbound(message({ nextAttemptMs: 5_000, kind: 'device-alert' }));
      const delivered = await store.enqueueOutbound(message({ nextAttemptMs: 1_000 }));
      const third = await store.enqueueOutbound(
        message({ nextAttemptMs: 0, user: NETWORK, kind: 'dcc-alert' }),
      );
      await store.updateOutbound(delivered, { state: 'delivered', attempts: 1, nextAttemptMs: 1_000 });
      expect((await store.dueOutbound(5_000, 10)).map((m) => m.id)).toEqual([first, second, third]);
      expect((await store.dueOutbound(5_000, 2)).map((m) => m.id)).toEqual([first, second]);
      expect((await store.dueOutbound(10_000, 10)).map((m) => m.id)).toEqual([first, future, second, third]);
      expect(await store.dueOutbound(0, 0)).toEqual([]);
      await expect(store.dueOutbound(0, -1)).rejects.toThrow(RangeError);
    });

    it("pendingOutbound lists one user's pending messages, oldest first", async () => {
      const a = await store.enqueueOutbound(message({ nextAttemptMs: 9_000 }));
      await store.enqueueOutbound(message({ user: NETWORK }));
      const expired = await store.enqueueOutbound(message());
      const b = await store.enqueueOutbound(message({ nextAttemptMs: 1 }));
      await store.updateOutbound(expired, { state: 'expired', attempts: 9, nextAttemptMs: 0 });
      expect((await store.pendingOutbound(SUPPLIER)).map((m) => m.id)).toEqual([a, b]);
      expect(await store.pendingOutbound(eui64('0000000000000000'))).toEqual([]);
    });

    it('updateOutbound records an attempt and its error; a later update without an error clears it', async () => {
      const id = await store.enqueueOutbound(message());
      await store.updateOutbound(id, {
        state: 'pending',
        attempts: 1,
        nextAttemptMs: 61_000,
        lastError: 'HTTP 503',
      });
      expect(await store.getOutbound(id)).toEqual({
        ...message(),
        id,
        state: 'pending',
        attempts: 1,
        nextAttemptMs: 61_000,
        lastError: 'HTTP 503',
      });
      await store.updateOutbound(id, { state: 'delivered', attempts: 2, nextAttemptMs: 61_000 });
      expect(await store.getOutbound(id)).toEqual({
        ...message(),
        id,
        state: 'delivered',
        attempts: 2,
        nextAttemptMs: 61_000,
      });
      expect(await store.dueOutbound(1e9, 10)).toEqual([]);
    });

    it('updateOutbound of an unknown id is a RangeError', async () => {
      await expect(
        store.updateOutbound(42, { state: 'delivered', attempts: 1, nextAttemptMs: 0 }),
      ).rejects.toThrow(new RangeError('updateOutbound: no outbound message 42'));
    });
  });

  describe('premises and counters', () => {
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

    it('premise snapshots replace by id; loadPremises lists them by id', async () => {
      await store.putPremises([
        { id: 3, state: bytes('{"v":1}') },
        { id: 1, state: bytes('{"v":1}') },
      ]);
      await store.putPremises([{ id: 3, state: bytes('{"v":2}') }]);
      await store.putPremises([{ id: 2, state: Uint8Array.of(0, 255, 0) }]);
      await store.putPremises([]);
      expect(await store.loadPremises()).toEqual([
        { id: 1, state: bytes('{"v":1}') },
        { id: 2, state: Uint8Array.of(0, 255, 0) },
        { id: 3, state: bytes('{"v":2}') },
      ]);
    });

    it('putPremises takes more snapshots than one statement holds; a bad one is refused before any is written', async () => {
      const many = Array.from({ length: 1_201 }, (_, i) => ({ id: i, state: bytes(`{"n":${i}}`) }));
      await store.putPremises(many);
      expect(await store.loadPremises()).toEqual(many);
      const bad = [
        ...many.map((s) => ({ ...s, state: bytes('changed') })),
        { id: 1.5, state: new Uint8Array(0) },
      ];
      await expect(store.putPremises(bad)).rejects.toThrow(/snapshots\[1201\]\.id/);
      expect(await store.loadPremises()).toEqual(many);
    });

    it("a CHF's Device Log report round-trips and a later one replaces it", async () => {
      const report = {
        chf: CHF_A,
        extendedPanId: eui64('1122334455667788'),
        entries: [
          { device: ESME_A, linkKeyHash: Uint8Array.of(1, 2, 3, 0xff) },
          { device: IHD_A, linkKeyHash: new Uint8Array(0) },
        ],
        atMs: 1_700_000_000_000,
      };
      expect(await store.getDeviceLogReport(CHF_A)).toBeUndefined();
      await store.putDeviceLogReport(report);
      expect(await store.getDeviceLogReport(CHF_A)).toEqual(report);
      await store.putDeviceLogReport({ ...report, entries: [], atMs: 1_700_000_000_001 });
      expect(await store.getDeviceLogReport(CHF_A)).toEqual({
        ...report,
        entries: [],
        atMs: 1_700_000_000_001,
      });
    });

    it('named counters round-trip up to 2^64-1 and overwrite', async () => {
      expect(await store.getCounter('acb')).toBeUndefined();
      await store.setCounter('acb', UINT64_MAX);
      await store.setCounter('other', 0n);
      expect(await store.getCounter('acb')).toBe(UINT64_MAX);
      await store.setCounter('acb', 9n);
      expect(await store.getCounter('acb')).toBe(9n);
      expect(await store.getCounter('other')).toBe(0n);
    });
  });

  describe('firmware images and distributions', () => {
    const tracking = (
      overrides: Partial<FirmwareTrackingRecord> & Pick<FirmwareTrackingRecord, 'device'>,
    ): FirmwareTrackingRecord => ({
      requestId: '90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000',
      user: SUPPLIER,
      srv: '11.4',
      firmwareVersion: '00000200',
      state: 'tracked',
      premise: 7,
      chf: CHF_A,
      deadlineMs: 1_767_484_800_000,
      distribution: {
        requestId: '90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000',
        image: 'ab'.repeat(32),
        size: 700_000,
        manufacturerCode: 0x1234,
        imageType: 0x0003,
        fileVersion: 0x200,
        targets: [overrides.device, ESME_B],
        activation: 'on-transfer',
      },
      ...overrides,
    });

    it('an image is stored once per key: a second put of the key keeps the first bytes', async () => {
      const big = new Uint8Array(750_000).map((_, i) => (i * 7) & 0xff);
      await store.putFirmwareImage({ key: 'bb', bytes: Uint8Array.of(1, 2, 3) });
      await store.putFirmwareImage({ key: 'aa', bytes: big });
      await store.putFirmwareImage({ key: 'bb', bytes: Uint8Array.of(9) });
      const [aa, bb, ...more] = await store.loadFirmwareImages();
      expect(more).toEqual([]);
      expect(aa!.key).toBe('aa');
      expect(Buffer.from(aa!.bytes).equals(big)).toBe(true); // (toEqual walks 750,000 octets one by one)
      expect(bb).toEqual({ key: 'bb', bytes: Uint8Array.of(1, 2, 3) });
    });

    it('tracking records round-trip with their distribution, replace by device and are deleted by device', async () => {
      const a = tracking({ device: ESME_A });
      const b = tracking({ device: IHD_A, srv: '11.1', state: 'undelivered', reason: 'no coverage' });
      await store.putFirmwareTracking([b, a]);
      expect(await store.loadFirmwareTracking()).toEqual([a, b]);
      const expired = { ...a, state: 'expired' as const, reason: 'deadline' };
      await store.putFirmwareTracking([expired]);
      expect(await store.loadFirmwareTracking()).toEqual([expired, b]);
      await store.deleteFirmwareTracking([IHD_A, CHF_B]);
      await store.deleteFirmwareTracking([]);
      expect(await store.loadFirmwareTracking()).toEqual([expired]);
    });

    it('more tracking records than one statement holds are written and deleted whole; a bad one writes none', async () => {
      const many = Array.from({ length: 1_201 }, (_, i) =>
        tracking({ device: eui64(`00DB12345679${i.toString(16).padStart(4, '0').toUpperCase()}`) }),
      );
      await store.putFirmwareTracking(many);
      expect(await store.loadFirmwareTracking()).toEqual(many);
      await expect(
        store.putFirmwareTracking([
          ...many.map((r) => ({ ...r, state: 'expired' as const })),
          { ...many[0]!, premise: 0.5 },
        ]),
      ).rejects.toThrow(/tracking\.premise/);
      expect(await store.loadFirmwareTracking()).toEqual(many);
      await store.deleteFirmwareTracking(many.map((r) => r.device));
      expect(await store.loadFirmwareTracking()).toEqual([]);
    });

    it('an image and tracking written in a transaction that throws leave nothing behind', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.putFirmwareImage({ key: 'cc', bytes: Uint8Array.of(1) });
          await tx.putFirmwareTracking([tracking({ device: ESME_A })]);
          throw new Error('abandoned');
        }),
      ).rejects.toThrow('abandoned');
      expect(await store.loadFirmwareImages()).toEqual([]);
      expect(await store.loadFirmwareTracking()).toEqual([]);
    });
  });

  describe('transactions', () => {
    async function writeEverything(tx: StoreOps): Promise<number> {
      await tx.putUser({ eui: SUPPLIER, roles: ['IS'], status: 'active' });
      await tx.putDevice(device({ deviceId: ESME_A, premise: 7 }));
      await tx.addStatusChange({ deviceId: ESME_A, atMs: 1, from: null, to: 'Commissioned', cause: 'fleet' });
      await tx.setRequestCounter(SUPPLIER, ESME_A, 3n);
      await tx.putRequest(request({ requestId: 'r1' }));
      await tx.putPremises([{ id: 7, state: Uint8Array.of(1) }]);
      await tx.setCounter('acb', 4n);
      return tx.enqueueOutbound(message());
    }

    it("a transaction's writes land together; it sees its own writes and returns fn's value", async () => {
      const id = await store.transaction(async (tx) => {
        const id = await writeEverything(tx);
        expect(await tx.getRequest('r1')).toEqual(request({ requestId: 'r1' }));
        expect(await tx.lastRequestCounter(SUPPLIER, ESME_A)).toBe(3n);
        return id;
      });
      const after = await contents(store);
      expect(after.users).toHaveLength(1);
      expect(after.devices).toHaveLength(1);
      expect(after.history).toHaveLength(1);
      expect(after.counter).toBe(3n);
      expect(after.requests).toHaveLength(1);
      expect(after.outbound.map((m) => m.id)).toEqual([id]);
      expect(after.premises).toHaveLength(1);
      expect(after.acb).toBe(4n);
    });

    it('a transaction that throws leaves nothing behind', async () => {
      await store.setCounter('acb', 1n);
      const before = await contents(store);
      const failure = new Error('DSP check failed');
      await expect(
        store.transaction(async (tx) => {
          await writeEverything(tx);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await contents(store)).toEqual(before);
      // The store is usable afterwards.
      await store.transaction(writeEverything);
      expect(await store.getCounter('acb')).toBe(4n);
    });

    it('a bad value in a transaction rolls back the writes before it', async () => {
      const before = await contents(store);
      await expect(
        store.transaction(async (tx) => {
          await writeEverything(tx);
          await tx.setRequestCounter(SUPPLIER, ESME_B, -5n);
        }),
      ).rejects.toThrow(RangeError);
      expect(await contents(store)).toEqual(before);
    });

    it('concurrent read-increment-write transactions on one counter lose no increment', async () => {
      await store.setCounter('acb', 100n);
      await store.setRequestCounter(SUPPLIER, ESME_A, 100n);
      await Promise.all(
        Array.from({ length: 10 }, () =>
          store.transaction(async (tx) => {
            const acb = (await tx.getCounter('acb'))!;
            const last = (await tx.lastRequestCounter(SUPPLIER, ESME_A))!;
            await tx.setCounter('acb', acb + 1n);
            await tx.setRequestCounter(SUPPLIER, ESME_A, last + 1n);
          }),
        ),
      );
      expect(await store.getCounter('acb')).toBe(110n);
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(110n);
    });
  });

  if (backend.persistent)
    it(`a ${backend.name} store keeps its data across close and reopen`, async () => {
      const id = await store.transaction(writeAll);
      await store.close();
      store = await openStore(backend.again());
      expect(await store.getRequest('r1')).toEqual(request({ requestId: 'r1', counter: UINT64_MAX }));
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(UINT64_MAX);
      expect(await store.getOutbound(id)).toMatchObject({ state: 'pending' });
      expect(await store.getDevice(ESME_A)).toEqual(device({ deviceId: ESME_A }));
      expect(await store.loadFirmwareImages()).toEqual([{ key: 'dd', bytes: Uint8Array.of(4, 5) }]);
    });
}

async function writeAll(tx: StoreOps): Promise<number> {
  await tx.putDevice(device({ deviceId: ESME_A }));
  await tx.setRequestCounter(SUPPLIER, ESME_A, UINT64_MAX);
  await tx.putRequest(request({ requestId: 'r1', counter: UINT64_MAX }));
  await tx.putFirmwareImage({ key: 'dd', bytes: Uint8Array.of(4, 5) });
  return tx.enqueueOutbound(message());
}

for (const backend of [memory, file, postgres]) {
  if (backend.skip === undefined) describe(backend.name, () => storeSuite(backend));
  else describe.skip(`${backend.name} (skipped: ${backend.skip})`, () => storeSuite(backend));
}

describe('SQLite file specifics', () => {
  it('a SQLite file store keeps a committed transaction when its process is killed before closing', async () => {
    const path = join(fileDir, 'killed.db');
    const script = join(fileDir, 'killed.mts');
    const open = new URL('../../src/store/open.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(open)};
const store = await openStore(${JSON.stringify(path)});
await store.transaction(async (tx) => {
  await tx.setRequestCounter('90B3D51F30010000', '00DB1234567800A1', 18446744073709551615n);
  await tx.putRequest({ requestId: 'r1', user: '90B3D51F30010000', target: '00DB1234567800A1', counter: 18446744073709551615n,
    srv: '4.1.1', commandVariant: 1, state: 'accepted', acceptedMs: 1000 });
});
process.kill(process.pid, 'SIGKILL');
`,
    );
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(existsSync(`${path}-wal`)).toBe(true); // killed: no checkpoint on close
    const store = await openStore(path);
    try {
      expect(await store.lastRequestCounter(SUPPLIER, ESME_A)).toBe(UINT64_MAX);
      expect((await store.openRequests()).map((r) => r.requestId)).toEqual(['r1']);
    } finally {
      await store.close();
    }
  });

  it('finds open requests and pending pushes through partial indexes, never by reading the history', async () => {
    const path = join(fileDir, 'plans.db');
    await (await openStore(path)).close();
    const raw = new SqliteDatabase(path);
    try {
      const compiler = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
      const plan = (query: Compilable<unknown>, ...params: unknown[]): string => {
        const { sql } = query.compile();
        return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join('; ');
      };
      expect(plan(q.openRequests(compiler, {}))).toBe('SCAN requests USING INDEX requests_open');
      expect(plan(q.dueOutbound(compiler, { nowMs: 0, limit: 1 }), 0, 1)).toBe(
        'SCAN outbound USING INDEX outbound_pending',
      );
      expect(plan(q.pendingOutbound(compiler, { user: SUPPLIER }), SUPPLIER)).toBe(
        'SEARCH outbound USING INDEX outbound_pending_user (user_eui=?)',
      );
      const partial = raw
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%where state%' ORDER BY name",
        )
        .all();
      expect(partial).toEqual([
        { name: 'outbound_pending' },
        { name: 'outbound_pending_user' },
        { name: 'requests_open' },
      ]);
    } finally {
      raw.close();
    }
  });

  it('a version-2 database is upgraded in place: its open requests and pending pushes are found as before', async () => {
    const path = join(fileDir, 'version-2.db');
    const before = await openStore(path);
    await before.putRequest(request({ requestId: 'open', acceptedMs: 2_000 }));
    await before.putRequest(request({ requestId: 'done', acceptedMs: 1_000, state: 'completed' }));
    const pending = await before.enqueueOutbound(message());
    const delivered = await before.enqueueOutbound(message());
    await before.updateOutbound(delivered, { state: 'delivered', attempts: 1, nextAttemptMs: 1_000 });
    await before.close();
    // Back to version 2's indexes (by state, holding every row), as a database written by the last release.
    const raw = new SqliteDatabase(path);
    raw.exec(`DROP INDEX requests_open; DROP INDEX outbound_pending; DROP INDEX outbound_pending_user;
      CREATE INDEX requests_state ON requests (state, accepted_ms);
      CREATE INDEX outbound_due ON outbound (state, next_attempt_ms);
      CREATE INDEX outbound_user ON outbound (user_eui, state);
      UPDATE schema_version SET version = 2;`);
    raw.close();
    const after = await openStore(path);
    try {
      expect((await after.openRequests()).map((r) => r.requestId)).toEqual(['open']);
      expect((await after.dueOutbound(5_000, 10)).map((m) => m.id)).toEqual([pending]);
      expect((await after.pendingOutbound(SUPPLIER)).map((m) => m.id)).toEqual([pending]);
      expect(await after.getRequest('done')).toMatchObject({ state: 'completed' });
    } finally {
      await after.close();
    }
    const upgraded = new SqliteDatabase(path, { readonly: true });
    try {
      expect(upgraded.prepare('SELECT version FROM schema_version').get()).toEqual({
        version: SCHEMA_VERSION,
      });
      expect(
        upgraded
          .prepare("SELECT name FROM sqlite_master WHERE name IN ('requests_state', 'outbound_due')")
          .all(),
      ).toEqual([]);
    } finally {
      upgraded.close();
    }
  });

  it('a database written by a newer schema version is refused', async () => {
    const path = join(fileDir, 'newer.db');
    await (await openStore(path)).close();
    const raw = new SqliteDatabase(path);
    raw.prepare('UPDATE schema_version SET version = 99').run();
    raw.close();
    await expect(openStore(path)).rejects.toThrow(/schema version 99/);
  });
});

describe('storeLocationFromEnv', () => {
  it('is DATABASE_URL when set, else undefined (SQLite in memory)', () => {
    expect(storeLocationFromEnv({ DATABASE_URL: 'postgres://u@h/db' })).toBe('postgres://u@h/db');
    expect(storeLocationFromEnv({ DATABASE_URL: '/var/lib/smets/store.db' })).toBe('/var/lib/smets/store.db');
    expect(storeLocationFromEnv({ DATABASE_URL: '' })).toBeUndefined();
    expect(storeLocationFromEnv({})).toBeUndefined();
  });
});
