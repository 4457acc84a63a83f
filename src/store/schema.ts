// The Store's tables as Kysely sees them, and the migrations that build them (one schema_version row says which ran).
import { sql, type ColumnDefinitionBuilder, type Generated, type Kysely } from 'kysely';

/** The two SQL dialects the Store runs on; the DDL differs only in `columnTypes` and `autoId`. */
export type Flavour = 'sqlite' | 'postgres';

/**
 * Column conventions, the same on both databases: uint64 values (bigint in TypeScript) are 20-digit zero-padded
 * decimal TEXT, so they round-trip exactly and compare in SQL; virtual ms, premise ids and UPRNs are BIGINT, read
 * back as numbers; bytes are BLOB / BYTEA; an absent optional field is NULL.
 */
export interface UsersTable {
  eui: string;
  /** JSON array of UserRole. */
  roles: string;
  status: string;
  receiver_url: string | null;
  name: string | null;
}

export interface DevicesTable {
  device_id: string;
  device_type: string;
  status: string;
  premise: number | null;
  chf: string | null;
  gpf: string | null;
  associated_meter: string | null;
  manufacturer: string;
  model: string;
  smets_chts_version: string;
  firmware_version: string;
  firmware_version_status: string;
  cpl_status: string;
  gbcs_version: string;
  import_mpxn: string | null;
  secondary_import_mpan: string | null;
  export_mpan: string | null;
  esme_variant: string | null;
  han_variant: string | null;
  uprn: number | null;
  post_code: string | null;
  address_identifier: string | null;
  csp_region: string | null;
  supplier: string | null;
  network_operator: string | null;
}

export interface DeviceStatusHistoryTable {
  id: Generated<number>;
  device_id: string;
  at_ms: number;
  from_status: string | null;
  to_status: string;
  cause: string;
}

export interface RequestCountersTable {
  user_eui: string;
  target_eui: string;
  counter: string;
}

export interface RequestsTable {
  request_id: string;
  user_eui: string;
  target_eui: string;
  counter: string;
  srv: string;
  command_variant: number;
  state: string;
  premise: number | null;
  command: Uint8Array | null;
  gbcs_originator: string | null;
  gbcs_counter: string | null;
  accepted_ms: number;
  deadline_ms: number | null;
  execution_ms: number | null;
  response_code: string | null;
  response: Uint8Array | null;
}

export interface OutboundTable {
  id: Generated<number>;
  user_eui: string;
  kind: string;
  xml: string;
  request_id: string | null;
  created_ms: number;
  next_attempt_ms: number;
  expires_ms: number;
  attempts: number;
  state: string;
  last_error: string | null;
}

/** A CHF's last reported Device Log, as JSON (EUI-64s and hex link-key hashes). */
export interface DeviceLogReportsTable {
  chf: string;
  report: string;
}

export interface PremisesTable {
  id: number;
  state: Uint8Array;
}

export interface CountersTable {
  name: string;
  value: string;
}

/** Firmware images once per SHA-256 (version 2). */
export interface FirmwareImagesTable {
  sha256: string;
  bytes: Uint8Array;
}

/** The DSP's firmware distributions per device (version 2); the premise's CS05 as JSON. */
export interface FirmwareTrackingTable {
  device_id: string;
  request_id: string;
  user_eui: string;
  srv: string;
  firmware_version: string;
  state: string;
  premise: number;
  chf: string;
  deadline_ms: number;
  distribution: string;
  reason: string | null;
}

export interface SchemaVersionTable {
  version: number;
}

export interface Database {
  users: UsersTable;
  devices: DevicesTable;
  device_status_history: DeviceStatusHistoryTable;
  request_counters: RequestCountersTable;
  requests: RequestsTable;
  outbound: OutboundTable;
  premises: PremisesTable;
  device_log_reports: DeviceLogReportsTable;
  counters: CountersTable;
  firmware_images: FirmwareImagesTable;
  firmware_tracking: FirmwareTrackingTable;
  schema_version: SchemaVersionTable;
}

/** Every data table (not schema_version), e.g. for a test that empties the store. */
export const DATA_TABLES = [
  'users',
  'devices',
  'device_status_history',
  'request_counters',
  'requests',
  'outbound',
  'premises',
  'device_log_reports',
  'counters',
  'firmware_images',
  'firmware_tracking',
] as const satisfies readonly (keyof Database)[];

const columnTypes = {
  sqlite: { bytes: 'blob' },
  postgres: { bytes: 'bytea' },
} as const;

/** An increasing, never reused integer key: SQLite's rowid with AUTOINCREMENT, PostgreSQL's identity. */
function autoId(db: Kysely<Database>, flavour: Flavour, table: string) {
  return flavour === 'sqlite'
    ? db.schema
        .createTable(table)
        .addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
    : db.schema
        .createTable(table)
        .addColumn('id', 'bigint', (c: ColumnDefinitionBuilder) =>
          c.primaryKey().generatedByDefaultAsIdentity(),
        );
}

type Migration = (db: Kysely<Database>, flavour: Flavour) => Promise<void>;

/** Version 1: every table of the Store port. */
const v1: Migration = async (db, flavour) => {
  const bytes = columnTypes[flavour].bytes;
  const nn = (c: ColumnDefinitionBuilder) => c.notNull();

  await db.schema
    .createTable('users')
    .addColumn('eui', 'text', (c) => c.primaryKey())
    .addColumn('roles', 'text', nn)
    .addColumn('status', 'text', nn)
    .addColumn('receiver_url', 'text')
    .addColumn('name', 'text')
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('device_type', 'text', nn)
    .addColumn('status', 'text', nn)
    .addColumn('premise', 'bigint')
    .addColumn('chf', 'text')
    .addColumn('gpf', 'text')
    .addColumn('associated_meter', 'text')
    .addColumn('manufacturer', 'text', nn)
    .addColumn('model', 'text', nn)
    .addColumn('smets_chts_version', 'text', nn)
    .addColumn('firmware_version', 'text', nn)
    .addColumn('firmware_version_status', 'text', nn)
    .addColumn('cpl_status', 'text', nn)
    .addColumn('gbcs_version', 'text', nn)
    .addColumn('import_mpxn', 'text')
    .addColumn('secondary_import_mpan', 'text')
    .addColumn('export_mpan', 'text')
    .addColumn('esme_variant', 'text')
    .addColumn('han_variant', 'text')
    .addColumn('uprn', 'bigint')
    .addColumn('post_code', 'text')
    .addColumn('address_identifier', 'text')
    .addColumn('csp_region', 'text')
    .addColumn('supplier', 'text')
    .addColumn('network_operator', 'text')
    .execute();
  await db.schema.createIndex('devices_import_mpxn').on('devices').column('import_mpxn').execute();
  await db.schema.createIndex('devices_uprn').on('devices').column('uprn').execute();
  await db.schema
    .createIndex('devices_address')
    .on('devices')
    .columns(['post_code', 'address_identifier'])
    .execute();
  await db.schema.createIndex('devices_premise').on('devices').column('premise').execute();
  await db.schema.createIndex('devices_chf').on('devices').column('chf').execute();

  await autoId(db, flavour, 'device_status_history')
    .addColumn('device_id', 'text', nn)
    .addColumn('at_ms', 'bigint', nn)
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', nn)
    .addColumn('cause', 'text', nn)
    .execute();
  await db.schema
    .createIndex('device_status_history_device')
    .on('device_status_history')
    .columns(['device_id', 'id'])
    .execute();

  await db.schema
    .createTable('request_counters')
    .addColumn('user_eui', 'text', nn)
    .addColumn('target_eui', 'text', nn)
    .addColumn('counter', 'text', nn)
    .addPrimaryKeyConstraint('request_counters_pk', ['user_eui', 'target_eui'])
    .execute();

  await db.schema
    .createTable('requests')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('user_eui', 'text', nn)
    .addColumn('target_eui', 'text', nn)
    .addColumn('counter', 'text', nn)
    .addColumn('srv', 'text', nn)
    .addColumn('command_variant', 'integer', nn)
    .addColumn('state', 'text', nn)
    .addColumn('premise', 'bigint')
    .addColumn('command', bytes)
    .addColumn('gbcs_originator', 'text')
    .addColumn('gbcs_counter', 'text')
    .addColumn('accepted_ms', 'bigint', nn)
    .addColumn('deadline_ms', 'bigint')
    .addColumn('execution_ms', 'bigint')
    .addColumn('response_code', 'text')
    .addColumn('response', bytes)
    .execute();
  // (state, accepted_ms): finds the open requests and gives them oldest first without a sort.
  await db.schema.createIndex('requests_state').on('requests').columns(['state', 'accepted_ms']).execute();

  await autoId(db, flavour, 'outbound')
    .addColumn('user_eui', 'text', nn)
    .addColumn('kind', 'text', nn)
    .addColumn('xml', 'text', nn)
    .addColumn('request_id', 'text')
    .addColumn('created_ms', 'bigint', nn)
    .addColumn('next_attempt_ms', 'bigint', nn)
    .addColumn('expires_ms', 'bigint', nn)
    .addColumn('attempts', 'integer', nn)
    .addColumn('state', 'text', nn)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbound_due').on('outbound').columns(['state', 'next_attempt_ms']).execute();
  await db.schema.createIndex('outbound_user').on('outbound').columns(['user_eui', 'state']).execute();

  await db.schema
    .createTable('premises')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('state', bytes, nn)
    .execute();

  await db.schema
    .createTable('device_log_reports')
    .addColumn('chf', 'text', (c) => c.primaryKey())
    .addColumn('report', 'text', nn)
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', nn)
    .execute();
};

/** Version 2: firmware images and the DSP's firmware distributions (issue 7: durable like every acknowledged request). */
const v2: Migration = async (db, flavour) => {
  const nn = (c: ColumnDefinitionBuilder) => c.notNull();
  await db.schema
    .createTable('firmware_images')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('bytes', columnTypes[flavour].bytes, nn)
    .execute();
  await db.schema
    .createTable('firmware_tracking')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', nn)
    .addColumn('user_eui', 'text', nn)
    .addColumn('srv', 'text', nn)
    .addColumn('firmware_version', 'text', nn)
    .addColumn('state', 'text', nn)
    .addColumn('premise', 'bigint', nn)
    .addColumn('chf', 'text', nn)
    .addColumn('deadline_ms', 'bigint', nn)
    .addColumn('distribution', 'text', nn)
    .addColumn('reason', 'text')
    .execute();
};

/** What the version-3 indexes hold: the requests still open, and the pushes still pending (statements.ts). */
export const OPEN_REQUEST_STATES = sql<boolean>`state in ('accepted', 'sent')`;
export const PENDING_OUTBOUND = sql<boolean>`state = 'pending'`;

/**
 * Version 3: the indexes that find work still to do (open requests after a restart, pushes due or held for a User)
 * hold only that work. Indexed by state, every completed request and delivered push stayed in them for ever, so they
 * grew with the history (two entries a request) while the work they serve stays the size of what is in flight.
 * Partial indexes (SQLite 3.8, PostgreSQL) keep them that size; a query uses one only when its WHERE repeats the
 * index's predicate, as a literal (statements.ts; store.test.ts pins the SQLite plans).
 */
const v3: Migration = async (db) => {
  for (const name of ['requests_state', 'outbound_due', 'outbound_user'])
    await db.schema.dropIndex(name).execute();
  // Oldest first without a sort (openRequests).
  await db.schema
    .createIndex('requests_open')
    .on('requests')
    .columns(['accepted_ms', 'request_id'])
    .where(OPEN_REQUEST_STATES)
    .execute();
  // Oldest first (dueOutbound): read in id order, the due time checked from the index.
  await db.schema
    .createIndex('outbound_pending')
    .on('outbound')
    .columns(['id', 'next_attempt_ms'])
    .where(PENDING_OUTBOUND)
    .execute();
  await db.schema
    .createIndex('outbound_pending_user')
    .on('outbound')
    .columns(['user_eui', 'id'])
    .where(PENDING_OUTBOUND)
    .execute();
};

/** Append only: migration i takes the schema from version i to i + 1. */
const MIGRATIONS: readonly Migration[] = [v1, v2, v3];

/** The schema version this program writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Any constant: the PostgreSQL advisory lock that keeps two processes from migrating at once. */
const MIGRATION_LOCK = 0x536d6574;

/** Brings the database to SCHEMA_VERSION in one transaction; refuses a database written by a newer program. */
export async function migrate(db: Kysely<Database>, flavour: Flavour): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (flavour === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
    await tx.schema
      .createTable('schema_version')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    const row = await tx.selectFrom('schema_version').select('version').executeTakeFirst();
    const from = row?.version ?? 0;
    if (from > SCHEMA_VERSION)
      throw new Error(`the database has schema version ${from}; this program knows up to ${SCHEMA_VERSION}`);
    for (let v = from; v < SCHEMA_VERSION; v++) await MIGRATIONS[v]!(tx, flavour);
    if (row === undefined)
      await tx.insertInto('schema_version').values({ version: SCHEMA_VERSION }).execute();
    else if (from !== SCHEMA_VERSION)
      await tx.updateTable('schema_version').set({ version: SCHEMA_VERSION }).execute();
  });
}
