// The Store port on Kysely: one implementation for SQLite and PostgreSQL (the one dialect difference is `lockRead`).
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Eui64 } from '../codec/eui64.js';
import type { DccUser, SmiDevice, SmiStatusChange } from '../dcc/types.js';
import {
  deviceLogReportFromRow,
  deviceLogReportRow,
  deviceFromRow,
  deviceRow,
  bytesIn,
  bytesOut,
  firmwareTrackingFromRow,
  firmwareTrackingRow,
  int,
  outboundFromRow,
  outboundRow,
  outboundUpdateRow,
  requestFromRow,
  requestRow,
  statusFromRow,
  statusRow,
  text,
  uint64FromText,
  uint64Text,
  userFromRow,
  userRow,
} from './rows.js';
import type { Database, Flavour } from './schema.js';
import * as q from './statements.js';
import type {
  DeviceLogReport,
  DeviceQuery,
  FirmwareImageRecord,
  FirmwareTrackingRecord,
  OutboundNew,
  OutboundRecord,
  OutboundUpdate,
  PremiseSnapshot,
  RequestRecord,
  Staged,
  Store,
  StoreOps,
} from './store.js';

/** Premise snapshots per INSERT: well inside both databases' bound-parameter limits. */
const PREMISE_BATCH = 500;
/** Firmware tracking rows (11 columns) per INSERT, and devices per DELETE: inside the same limits. */
const TRACKING_BATCH = 500;

/** The compiled findDevices query for a DeviceQuery; anything but exactly one of its forms is a RangeError. */
function findDevicesQuery(statements: q.Statements, query: DeviceQuery) {
  const n = Object.keys(query).length;
  if (n === 2 && 'postCode' in query && 'addressIdentifier' in query) {
    return statements.compiled(q.devicesBy.address, {
      postCode: text('query.postCode', query.postCode),
      addressIdentifier: text('query.addressIdentifier', query.addressIdentifier),
    });
  }
  if (n === 1) {
    if ('deviceId' in query)
      return statements.compiled(q.devicesBy.deviceId, { value: text('query.deviceId', query.deviceId) });
    if ('mpxn' in query)
      return statements.compiled(q.devicesBy.mpxn, { value: text('query.mpxn', query.mpxn) });
    if ('uprn' in query)
      return statements.compiled(q.devicesBy.uprn, { value: int('query.uprn', query.uprn) });
    if ('premise' in query)
      return statements.compiled(q.devicesBy.premise, { value: int('query.premise', query.premise) });
    if ('chf' in query) return statements.compiled(q.devicesBy.chf, { value: text('query.chf', query.chf) });
  }
  throw new RangeError(
    `findDevices: the query must be one of deviceId, mpxn, uprn, postCode + addressIdentifier, premise, chf; ` +
      `got {${Object.keys(query).join(', ')}}`,
  );
}

/**
 * Runs a compiled query on the one SQLite connection at once, as Kysely's SQLite driver would (same statement, same
 * result shape), without the driver's per-query connection lock and its promise hops: the Store orders its own
 * sections (`exclusive`), so the lock only cost time (≈ a quarter of the Store's time on the DSP's thread).
 */
export type SqliteRun = <R>(query: CompiledQuery<R>) => QueryResult<R>;

/**
 * The operations on a Kysely instance or on one of its transactions. In a PostgreSQL transaction the counter
 * reads (lastRequestCounter, getCounter) lock the row they read (SELECT … FOR UPDATE), so two concurrent
 * read-check-write transactions on one counter run one after the other (a row not yet written cannot be locked);
 * SQLite transactions are serialised whole by the single connection.
 */
export class KyselyOps implements StoreOps {
  /** Lock counter rows on read: only in a PostgreSQL transaction (SQLite has no FOR UPDATE, nor needs it). */
  private readonly lockRead: 'plain' | 'locked';

  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly flavour: Flavour,
    protected readonly statements: q.Statements,
    private readonly inTransaction: boolean,
    /** SQLite: queries run here, not through Kysely's driver. */
    protected readonly sqliteRun?: SqliteRun,
  ) {
    this.lockRead = inTransaction && flavour === 'postgres' ? 'locked' : 'plain';
  }

  private run<P extends object, R>(build: q.Build<P, R>, params: P): Promise<QueryResult<R>> {
    return this.execute(this.statements.compiled(build, params));
  }

  /** Every query goes through here (the SQLite Store orders it after the transaction in progress). */
  protected execute<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    if (this.sqliteRun === undefined) return this.db.executeQuery(query);
    try {
      return Promise.resolve(this.sqliteRun(query));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  private async first<P extends object, R>(build: q.Build<P, R>, params: P): Promise<R | undefined> {
    return (await this.run(build, params)).rows[0];
  }

  /** Runs `fn` in a transaction unless this already is one. */
  protected atomically<T>(fn: (ops: KyselyOps) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db
      .transaction()
      .execute((trx) => fn(new KyselyOps(trx, this.flavour, this.statements, true)));
  }

  async putUser(user: DccUser): Promise<void> {
    await this.run(q.putUser, userRow(user));
  }

  async getUser(eui: Eui64): Promise<DccUser | undefined> {
    const row = await this.first(q.getUser, { eui });
    return row && userFromRow(row);
  }

  async listUsers(): Promise<DccUser[]> {
    return (await this.run(q.listUsers, {})).rows.map(userFromRow);
  }

  async putDevice(device: SmiDevice): Promise<void> {
    await this.run(q.putDevice, deviceRow(device));
  }

  async deleteDevice(eui: Eui64): Promise<boolean> {
    const result = await this.run(q.deleteDevice, { eui });
    await this.run(q.deleteDeviceHistory, { eui });
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  async getDevice(eui: Eui64): Promise<SmiDevice | undefined> {
    const row = await this.first(q.devicesBy.deviceId, { value: eui });
    return row && deviceFromRow(row);
  }

  /** Ordered by DeviceID. */
  async findDevices(query: DeviceQuery): Promise<SmiDevice[]> {
    return (await this.execute(findDevicesQuery(this.statements, query))).rows.map(deviceFromRow);
  }

  async addStatusChange(change: SmiStatusChange): Promise<void> {
    await this.run(q.addStatusChange, statusRow(change));
  }

  async statusHistory(eui: Eui64): Promise<SmiStatusChange[]> {
    return (await this.run(q.statusHistory, { eui })).rows.map(statusFromRow);
  }

  async lastRequestCounter(user: Eui64, target: Eui64): Promise<bigint | undefined> {
    const row = await this.first(q.lastRequestCounter[this.lockRead], { user, target });
    return row && uint64FromText(row.counter);
  }

  async setRequestCounter(user: Eui64, target: Eui64, counter: bigint): Promise<void> {
    await this.run(q.setRequestCounter, {
      user_eui: text('user', user),
      target_eui: text('target', target),
      counter: uint64Text('counter', counter),
    });
  }

  async putRequest(request: RequestRecord): Promise<void> {
    await this.run(q.putRequest, requestRow(request));
  }

  async getRequest(requestId: string): Promise<RequestRecord | undefined> {
    const row = await this.first(q.getRequest, { requestId });
    return row && requestFromRow(row);
  }

  /** Oldest first: by acceptedMs, then by requestId. */
  async openRequests(): Promise<RequestRecord[]> {
    return (await this.run(q.openRequests, {})).rows.map(requestFromRow);
  }

  async enqueueOutbound(message: OutboundNew): Promise<number> {
    const row = await this.first(q.enqueueOutbound, outboundRow(message));
    return row!.id;
  }

  /** Oldest (lowest id) first. */
  async dueOutbound(nowMs: number, limit: number): Promise<OutboundRecord[]> {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    return (await this.run(q.dueOutbound, { nowMs: int('nowMs', nowMs), limit })).rows.map(outboundFromRow);
  }

  async pendingOutbound(user: Eui64): Promise<OutboundRecord[]> {
    return (await this.run(q.pendingOutbound, { user })).rows.map(outboundFromRow);
  }

  async getOutbound(id: number): Promise<OutboundRecord | undefined> {
    const row = await this.first(q.getOutbound, { id: int('id', id) });
    return row && outboundFromRow(row);
  }

  /** A RangeError if there is no message `id`. */
  async updateOutbound(id: number, update: OutboundUpdate): Promise<void> {
    const result = await this.run(q.updateOutbound, { id: int('id', id), ...outboundUpdateRow(update) });
    if (result.numAffectedRows === 0n) throw new RangeError(`updateOutbound: no outbound message ${id}`);
  }

  async putPremises(snapshots: readonly PremiseSnapshot[]): Promise<void> {
    const rows = snapshots.map((s, i) => ({
      id: int(`snapshots[${i}].id`, s.id),
      state: bytesIn(`snapshots[${i}].state`, s.state)!,
    }));
    if (rows.length === 0) return;
    if (rows.length === 1) {
      await this.run(q.putPremise, rows[0]!);
      return;
    }
    const write = async (ops: KyselyOps) => {
      for (let i = 0; i < rows.length; i += PREMISE_BATCH) {
        await ops.execute(q.putPremises(ops.db, rows.slice(i, i + PREMISE_BATCH)).compile());
      }
    };
    // One statement is atomic by itself; several need a transaction.
    if (rows.length <= PREMISE_BATCH) await write(this);
    else await this.atomically(write);
  }

  async putDeviceLogReport(report: DeviceLogReport): Promise<void> {
    await this.run(q.putDeviceLogReport, deviceLogReportRow(report));
  }

  async getDeviceLogReport(chf: Eui64): Promise<DeviceLogReport | undefined> {
    const row = await this.first(q.getDeviceLogReport, { chf });
    return row && deviceLogReportFromRow(row);
  }

  async loadPremises(): Promise<PremiseSnapshot[]> {
    return (await this.run(q.loadPremises, {})).rows.map((r) => ({ id: r.id, state: bytesOut(r.state) }));
  }

  async putFirmwareImage(image: FirmwareImageRecord): Promise<void> {
    await this.run(q.putFirmwareImage, {
      sha256: text('image.key', image.key),
      bytes: bytesIn('image.bytes', image.bytes)!,
    });
  }

  async loadFirmwareImages(): Promise<FirmwareImageRecord[]> {
    return (await this.run(q.loadFirmwareImages, {})).rows.map((r) => ({
      key: r.sha256,
      bytes: bytesOut(r.bytes),
    }));
  }

  async putFirmwareTracking(records: readonly FirmwareTrackingRecord[]): Promise<void> {
    const rows = records.map(firmwareTrackingRow);
    if (rows.length === 0) return;
    await this.atomically(async (ops) => {
      for (let i = 0; i < rows.length; i += TRACKING_BATCH)
        await ops.execute(q.putFirmwareTracking(ops.db, rows.slice(i, i + TRACKING_BATCH)).compile());
    });
  }

  async deleteFirmwareTracking(devices: readonly Eui64[]): Promise<void> {
    const ids = devices.map((d, i) => text(`devices[${i}]`, d));
    if (ids.length === 0) return;
    await this.atomically(async (ops) => {
      for (let i = 0; i < ids.length; i += TRACKING_BATCH)
        await ops.execute(q.deleteFirmwareTracking(ops.db, ids.slice(i, i + TRACKING_BATCH)).compile());
    });
  }

  async loadFirmwareTracking(): Promise<FirmwareTrackingRecord[]> {
    return (await this.run(q.loadFirmwareTracking, {})).rows.map(firmwareTrackingFromRow);
  }

  async getCounter(name: string): Promise<bigint | undefined> {
    const row = await this.first(q.getCounter[this.lockRead], { name });
    return row && uint64FromText(row.value);
  }

  async setCounter(name: string, value: bigint): Promise<void> {
    await this.run(q.setCounter, { name: text('name', name), value: uint64Text(name, value) });
  }
}

/** A SQLite commit group: the transactions staged since its BEGIN, waiting for its COMMIT. */
interface Group {
  readonly committed: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

/** The Store: its operations outside any transaction, plus transactions and close. */
export class KyselyStore extends KyselyOps implements Store {
  readonly kind: Flavour;
  /**
   * SQLite group commit. A COMMIT costs more than the few rows a DSP step writes (WAL frames for every page the
   * step touched, the WAL index, locks), and service requests arrive many at once: so the transactions staged in
   * one turn of the event loop share one SQLite transaction — each inside its own SAVEPOINT, so one that fails
   * rolls back alone — committed when the loop next reaches its check phase (setImmediate). `stage` resolves
   * when a transaction is applied, `durable` when its group has committed. The group is open on the single
   * connection, so every read meanwhile sees what was staged; `exclusive` runs one transaction (or query, or
   * COMMIT) at a time on it, as Kysely's connection lock did for a transaction.
   */
  private group: Group | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    db: Kysely<Database>,
    flavour: Flavour,
    /** Runs before the connection closes (open.ts: stops the SQLite checkpointer's thread). */
    private readonly beforeClose?: () => Promise<void>,
    sqliteRun?: SqliteRun,
  ) {
    super(db, flavour, new q.Statements(db), false, sqliteRun);
    this.kind = flavour;
  }

  protected override execute<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    if (this.flavour !== 'sqlite') return super.execute(query);
    return this.exclusive(() => super.execute(query));
  }

  protected override atomically<T>(fn: (ops: KyselyOps) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn(tx as KyselyOps));
  }

  /**
   * Inside `fn`, use only `tx`: a call on the Store itself waits for the transaction to end and so never runs (on
   * PostgreSQL it runs on another connection, outside the transaction).
   */
  async transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
    const { value, durable } = await this.stage(fn);
    await durable;
    return value;
  }

  async stage<T>(fn: (tx: StoreOps) => Promise<T>): Promise<Staged<T>> {
    if (this.flavour !== 'sqlite') {
      const value = await this.db
        .transaction()
        .execute((trx) => fn(new KyselyOps(trx, this.flavour, this.statements, true)));
      return { value, durable: Promise.resolve() };
    }
    return this.exclusive(async () => {
      const group = this.group ?? (await this.begin());
      await this.raw('savepoint staged');
      let value: T;
      try {
        value = await fn(new KyselyOps(this.db, this.flavour, this.statements, true, this.sqliteRun));
      } catch (e) {
        await this.raw('rollback to staged');
        await this.raw('release staged');
        throw e;
      }
      await this.raw('release staged');
      return { value, durable: group.committed };
    });
  }

  async close(): Promise<void> {
    if (this.flavour === 'sqlite') await this.exclusive(() => this.commit(this.group));
    await this.beforeClose?.();
    await this.db.destroy();
  }

  /** SQLite: one section at a time on the connection, in the order they were asked for. */
  private exclusive<T>(section: () => Promise<T>): Promise<T> {
    const run = this.lock.then(section);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async raw(sqlText: string): Promise<void> {
    await super.execute(CompiledQuery.raw(sqlText));
  }

  /** Opens a group (inside an exclusive section) and schedules its COMMIT for the loop's next check phase. */
  private async begin(): Promise<Group> {
    // IMMEDIATE: the write lock up front, so a group never fails to upgrade a read to a write halfway.
    await this.raw('begin immediate');
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    committed.catch(() => {}); // a failure is reported to each transaction's caller through `durable`
    const group: Group = { committed, resolve, reject };
    this.group = group;
    setImmediate(() => void this.exclusive(() => this.commit(group)));
    return group;
  }

  /** Commits `group` if it is still the open one (inside an exclusive section). */
  private async commit(group: Group | undefined): Promise<void> {
    if (group === undefined || this.group !== group) return;
    this.group = undefined;
    try {
      await this.raw('commit');
      group.resolve();
    } catch (e) {
      try {
        await this.raw('rollback');
      } catch {
        // No transaction left to roll back: SQLite ended it with the failed COMMIT.
      }
      group.reject(e);
    }
  }
}
