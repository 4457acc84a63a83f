// Opens the Store: a postgres:// or postgresql:// URL is PostgreSQL (a pg Pool), anything else a SQLite file
// (':memory:' when no location is given); the schema is migrated before the Store is handed out.
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type CompiledQuery,
  type QueryResult,
  type SqliteDatabase as KyselySqliteDatabase,
} from 'kysely';
import pg from 'pg';
import { startCheckpointer, WRITER_AUTOCHECKPOINT_PAGES, type Checkpointer } from './checkpointer.js';
import { KyselyStore, type SqliteRun } from './kysely-store.js';
import { int } from './rows.js';
import { migrate, type Database, type Flavour } from './schema.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** PostgreSQL: the most connections the pool opens (default 10). */
  readonly poolSize?: number;
  /** SQLite: how long a statement waits for another process's lock before failing, ms (default 5,000). */
  readonly busyTimeoutMs?: number;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** The store location the environment asks for: DATABASE_URL if set, else undefined (SQLite in memory). */
export function storeLocationFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.DATABASE_URL || undefined;
}

export async function openStore(location?: string, options: OpenStoreOptions = {}): Promise<Store> {
  const flavour: Flavour = location !== undefined && POSTGRES_URL.test(location) ? 'postgres' : 'sqlite';
  const { db, checkpointer, run } =
    flavour === 'postgres'
      ? { db: postgres(location!, options), checkpointer: undefined, run: undefined }
      : sqlite(location ?? ':memory:', options);
  try {
    await migrate(db, flavour);
  } catch (e) {
    await checkpointer?.stop();
    await db.destroy();
    throw e;
  }
  return new KyselyStore(
    db,
    flavour,
    checkpointer === undefined ? undefined : () => checkpointer.stop(),
    run,
  );
}

function isMemory(path: string): boolean {
  return path === ':memory:' || path === '' || path.startsWith('file::memory:');
}

function sqlite(
  path: string,
  options: OpenStoreOptions,
): { db: Kysely<Database>; checkpointer: Checkpointer | undefined; run: SqliteRun } {
  const database = new SqliteDatabase(path);
  const busyTimeoutMs = int('busyTimeoutMs', options.busyTimeoutMs ?? 5000);
  try {
    // WAL with synchronous=NORMAL: a commit survives the process being killed (not necessarily a power cut), and
    // costs no fsync; readers never block the writer.
    if (!isMemory(path)) database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // Until the checkpointer's thread runs (checkpointer.ts), and should it fail, this connection checkpoints.
    database.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    database.pragma('cache_size = -65536');
    database.pragma('temp_store = MEMORY');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  } catch (e) {
    database.close();
    throw e;
  }
  const checkpointer = isMemory(path) ? undefined : startCheckpointer(database, path, { busyTimeoutMs });
  const statements = keepingStatements(database);
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) }),
    checkpointer,
    run: (query) => runCompiled(statements, query),
  };
}

/** A compiled query on the connection, with the result Kysely's SQLite driver gives (kysely-store.ts SqliteRun). */
function runCompiled<R>(statements: KyselySqliteDatabase, query: CompiledQuery<R>): QueryResult<R> {
  const statement = statements.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/**
 * Prepared statements kept, by SQL text: Kysely's driver prepares every query anew (~20 µs each). Safe because the
 * Store never streams a query (a statement being iterated could not run again until the iteration ends).
 */
function keepingStatements(database: SqliteDatabase.Database, size = 256): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** int8 (BIGINT, and count(*)) as a number, for this pool only; pg's default is a string. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`a BIGINT value ${value} is beyond Number.MAX_SAFE_INTEGER`);
  return n;
}

const INT8_OID = 20;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

function postgres(url: string, options: OpenStoreOptions): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection the server dropped: the pool discards it and the next query opens another (or fails with
  // its own error); without a listener the event would end the process.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
