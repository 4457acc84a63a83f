// The Store's SQL as fixed-shape Kysely builders, compiled once per Store and then run with new parameters:
// building and compiling a Kysely query costs tens of µs, more than SQLite takes to run it.
import { CompiledQuery, sql, type Compilable, type Kysely, type RawBuilder } from 'kysely';
import {
  OPEN_REQUEST_STATES,
  PENDING_OUTBOUND,
  type Database,
  type DevicesTable,
  type FirmwareTrackingTable,
  type RequestsTable,
  type UsersTable,
} from './schema.js';
import type { OutboundRowIn, StatusRow } from './rows.js';

/** Stands for the parameter `key` while a shape is compiled. */
class Slot {
  constructor(readonly key: string) {}
}

/**
 * Builds one query shape from named parameters. It must not branch on the parameters' values (it is compiled
 * with placeholders standing in for them), and the parameter object must always have the same keys.
 */
export type Build<P extends object, R> = (db: Kysely<Database>, p: P) => Compilable<R>;

/** Compiled shapes by builder, for one dialect. */
export class Statements {
  private readonly shapes = new Map<Build<never, unknown>, { sql: string; parameters: readonly unknown[] }>();

  constructor(private readonly compiler: Kysely<Database>) {}

  compiled<P extends object, R>(build: Build<P, R>, params: P): CompiledQuery<R> {
    let shape = this.shapes.get(build as Build<never, unknown>);
    if (shape === undefined) {
      const slots = Object.fromEntries(Object.keys(params).map((k) => [k, new Slot(k)])) as P;
      const { sql, parameters } = build(this.compiler, slots).compile();
      shape = { sql, parameters };
      this.shapes.set(build as Build<never, unknown>, shape);
    }
    const values = shape.parameters.map((v) =>
      v instanceof Slot ? (params as Record<string, unknown>)[v.key] : v,
    );
    return CompiledQuery.raw(shape.sql, values) as CompiledQuery<R>;
  }
}

/** `SET col = excluded.col` for every column of `row` except the conflict key: an upsert that replaces the row. */
export function replaceWithExcluded<R extends object>(
  row: R,
  key: readonly (keyof R)[],
): { [K in keyof R]?: RawBuilder<never> } {
  const set: Record<string, RawBuilder<never>> = {};
  for (const column of Object.keys(row)) {
    if (!key.includes(column as keyof R)) set[column] = sql.ref<never>(`excluded.${column}`);
  }
  return set as { [K in keyof R]?: RawBuilder<never> };
}

type NoParams = Record<string, never>;

export const putUser = (db: Kysely<Database>, row: UsersTable) =>
  db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('eui').doUpdateSet(replaceWithExcluded(row, ['eui'])));

export const getUser = (db: Kysely<Database>, p: { eui: string }) =>
  db.selectFrom('users').selectAll().where('eui', '=', p.eui);

export const listUsers = (db: Kysely<Database>, _: NoParams) =>
  db.selectFrom('users').selectAll().orderBy('eui');

export const putDevice = (db: Kysely<Database>, row: DevicesTable) =>
  db
    .insertInto('devices')
    .values(row)
    .onConflict((oc) => oc.column('device_id').doUpdateSet(replaceWithExcluded(row, ['device_id'])));

export const deleteDevice = (db: Kysely<Database>, p: { eui: string }) =>
  db.deleteFrom('devices').where('device_id', '=', p.eui);

export const deleteDeviceHistory = (db: Kysely<Database>, p: { eui: string }) =>
  db.deleteFrom('device_status_history').where('device_id', '=', p.eui);

const devicesWhere =
  (column: 'device_id' | 'import_mpxn' | 'uprn' | 'premise' | 'chf') =>
  (db: Kysely<Database>, p: { value: string | number }) =>
    db
      .selectFrom('devices')
      .selectAll()
      .where(column, '=', p.value as never)
      .orderBy('device_id');

/** findDevices, one shape per query form. */
export const devicesBy = {
  deviceId: devicesWhere('device_id'),
  mpxn: devicesWhere('import_mpxn'),
  uprn: devicesWhere('uprn'),
  premise: devicesWhere('premise'),
  chf: devicesWhere('chf'),
  address: (db: Kysely<Database>, p: { postCode: string; addressIdentifier: string }) =>
    db
      .selectFrom('devices')
      .selectAll()
      .where('post_code', '=', p.postCode)
      .where('address_identifier', '=', p.addressIdentifier)
      .orderBy('device_id'),
};

export const addStatusChange = (db: Kysely<Database>, row: StatusRow) =>
  db.insertInto('device_status_history').values(row);

export const statusHistory = (db: Kysely<Database>, p: { eui: string }) =>
  db
    .selectFrom('device_status_history')
    .select(['device_id', 'at_ms', 'from_status', 'to_status', 'cause'])
    .where('device_id', '=', p.eui)
    .orderBy('id');

const readRequestCounter = (db: Kysely<Database>, p: { user: string; target: string }) =>
  db
    .selectFrom('request_counters')
    .select('counter')
    .where('user_eui', '=', p.user)
    .where('target_eui', '=', p.target);

/** Locked: SELECT … FOR UPDATE (PostgreSQL only). */
export const lastRequestCounter = {
  plain: readRequestCounter,
  locked: (db: Kysely<Database>, p: { user: string; target: string }) =>
    readRequestCounter(db, p).forUpdate(),
};

export const setRequestCounter = (
  db: Kysely<Database>,
  row: { user_eui: string; target_eui: string; counter: string },
) =>
  db
    .insertInto('request_counters')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['user_eui', 'target_eui'])
        .doUpdateSet({ counter: (eb) => eb.ref('excluded.counter') })
        // Only ever raised (zero-padded text compares as the number does).
        .where('request_counters.counter', '<', (eb) => eb.ref('excluded.counter')),
    );

export const putRequest = (db: Kysely<Database>, row: RequestsTable) =>
  db
    .insertInto('requests')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doUpdateSet(replaceWithExcluded(row, ['request_id'])));

export const getRequest = (db: Kysely<Database>, p: { requestId: string }) =>
  db.selectFrom('requests').selectAll().where('request_id', '=', p.requestId);

/** Oldest first: by acceptedMs, then by requestId. */
export const openRequests = (db: Kysely<Database>, _: NoParams) =>
  db
    .selectFrom('requests')
    .selectAll()
    .where(OPEN_REQUEST_STATES) // the partial index's own predicate (schema v3)
    .orderBy('accepted_ms')
    .orderBy('request_id');

export const enqueueOutbound = (db: Kysely<Database>, row: OutboundRowIn) =>
  db.insertInto('outbound').values(row).returning('id');

/** Oldest (lowest id) first. */
export const dueOutbound = (db: Kysely<Database>, p: { nowMs: number; limit: number }) =>
  db
    .selectFrom('outbound')
    .selectAll()
    .where(PENDING_OUTBOUND) // the partial index's own predicate (schema v3)
    .where('next_attempt_ms', '<=', p.nowMs)
    .orderBy('id')
    .limit(p.limit);

export const pendingOutbound = (db: Kysely<Database>, p: { user: string }) =>
  db
    .selectFrom('outbound')
    .selectAll()
    .where('user_eui', '=', p.user)
    .where(PENDING_OUTBOUND) // the partial index's own predicate (schema v3)
    .orderBy('id');

export const getOutbound = (db: Kysely<Database>, p: { id: number }) =>
  db.selectFrom('outbound').selectAll().where('id', '=', p.id);

export const updateOutbound = (
  db: Kysely<Database>,
  p: { id: number; state: string; attempts: number; next_attempt_ms: number; last_error: string | null },
) =>
  db
    .updateTable('outbound')
    .set({
      state: p.state,
      attempts: p.attempts,
      next_attempt_ms: p.next_attempt_ms,
      last_error: p.last_error,
    })
    .where('id', '=', p.id);

/** Not a fixed shape (one row per snapshot): built each time. */
export const putPremises = (db: Kysely<Database>, rows: readonly { id: number; state: Uint8Array }[]) =>
  db
    .insertInto('premises')
    .values(rows)
    .onConflict((oc) => oc.column('id').doUpdateSet({ state: sql.ref<never>('excluded.state') }));

export const putDeviceLogReport = (db: Kysely<Database>, row: { chf: string; report: string }) =>
  db
    .insertInto('device_log_reports')
    .values(row)
    .onConflict((oc) => oc.column('chf').doUpdateSet({ report: (eb) => eb.ref('excluded.report') }));

export const getDeviceLogReport = (db: Kysely<Database>, p: { chf: string }) =>
  db.selectFrom('device_log_reports').select(['chf', 'report']).where('chf', '=', p.chf);

/** One snapshot, the common case (a DSP step changes one premise): compiled once. */
export const putPremise = (db: Kysely<Database>, row: { id: number; state: Uint8Array }) =>
  db
    .insertInto('premises')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ state: sql.ref<never>('excluded.state') }));

export const loadPremises = (db: Kysely<Database>, _: NoParams) =>
  db.selectFrom('premises').select(['id', 'state']).orderBy('id');

const readCounter = (db: Kysely<Database>, p: { name: string }) =>
  db.selectFrom('counters').select('value').where('name', '=', p.name);

/** Locked: SELECT … FOR UPDATE (PostgreSQL only). */
export const getCounter = {
  plain: readCounter,
  locked: (db: Kysely<Database>, p: { name: string }) => readCounter(db, p).forUpdate(),
};

export const setCounter = (db: Kysely<Database>, row: { name: string; value: string }) =>
  db
    .insertInto('counters')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: row.value }));

/** Once per key: an image already held is kept (content-addressed, so the bytes are the same). */
export const putFirmwareImage = (db: Kysely<Database>, row: { sha256: string; bytes: Uint8Array }) =>
  db
    .insertInto('firmware_images')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing());

export const loadFirmwareImages = (db: Kysely<Database>, _: NoParams) =>
  db.selectFrom('firmware_images').select(['sha256', 'bytes']).orderBy('sha256');

/** Not a fixed shape (one row per device): built each time. */
export const putFirmwareTracking = (db: Kysely<Database>, rows: readonly FirmwareTrackingTable[]) =>
  db
    .insertInto('firmware_tracking')
    .values(rows)
    .onConflict((oc) => oc.column('device_id').doUpdateSet(replaceWithExcluded(rows[0]!, ['device_id'])));

/** Not a fixed shape (one parameter per device): built each time. */
export const deleteFirmwareTracking = (db: Kysely<Database>, devices: readonly string[]) =>
  db.deleteFrom('firmware_tracking').where('device_id', 'in', devices);

export const loadFirmwareTracking = (db: Kysely<Database>, _: NoParams) =>
  db.selectFrom('firmware_tracking').selectAll().orderBy('device_id');
