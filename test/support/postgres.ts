// A throwaway PostgreSQL database for tests: a fresh database in SMETS_TEST_DATABASE_URL / DATABASE_URL when set,
// else a private server (initdb + pg_ctl in a temp dir, socket only, as an unprivileged user when run as root);
// or the reason there is none (SMETS_NO_POSTGRES=1 forces that), for the tests to skip with.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** A postgresql:// URL of a database no one else uses. */
  readonly url: string;
  /** Drops the database, or stops the server and removes its files. */
  stop(): Promise<void>;
}

export type TestPostgresOrSkip = TestPostgres | { readonly skip: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export async function startPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgresOrSkip> {
  if (env.SMETS_NO_POSTGRES) return { skip: 'SMETS_NO_POSTGRES is set' };
  const given = [env.SMETS_TEST_DATABASE_URL, env.DATABASE_URL].find((u) => u && POSTGRES_URL.test(u));
  if (given) return freshDatabase(given, async () => {});
  const bin = findBinaries(env);
  if (bin === undefined)
    return { skip: 'no initdb/pg_ctl/postgres on PATH or under /usr/lib/postgresql/*/bin' };
  return startServer(bin);
}

/** A new database in the server at `adminUrl`; `stop` drops it, then calls `after`. */
async function freshDatabase(adminUrl: string, after: () => Promise<void>): Promise<TestPostgresOrSkip> {
  const name = `smets_test_${process.pid}_${process.hrtime.bigint().toString(36)}`;
  try {
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  } catch (e) {
    await after();
    return { skip: `cannot create a test database in ${redact(adminUrl)}: ${(e as Error).message}` };
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      try {
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await after();
      }
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

const TOOLS = ['initdb', 'pg_ctl', 'postgres'];

/** A directory holding initdb, pg_ctl and postgres: from PATH, else the newest /usr/lib/postgresql/<v>/bin. */
function findBinaries(env: NodeJS.ProcessEnv): string | undefined {
  const complete = (dir: string) => TOOLS.every((t) => existsSync(join(dir, t)));
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb');
    if (dir && existsSync(initdb)) {
      const real = dirname(realpathSync(initdb));
      if (complete(real)) return real;
    }
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => complete(join(root, v, 'bin')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: then run its tools as `postgres` (or `nobody`) through runuser. */
async function unprivilegedUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number((await run('id', ['-u', name])).stdout.trim());
      const gid = Number((await run('id', ['-g', name])).stdout.trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root and there is neither a postgres nor a nobody user to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error()),
      );
    });
  });
}

async function startServer(bin: string): Promise<TestPostgresOrSkip> {
  const dir = mkdtempSync(join(tmpdir(), 'smets-pg-'));
  const data = join(dir, 'data');
  let started = false;
  let user: Awaited<ReturnType<typeof unprivilegedUser>>;
  const tool = (name: string, args: string[]) =>
    user === undefined
      ? run(join(bin, name), args, { cwd: dir })
      : run('runuser', ['-u', user.name, '--', join(bin, name), ...args], { cwd: dir });
  const stop = async () => {
    try {
      if (started) await tool('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    user = await unprivilegedUser();
    if (user !== undefined) chownSync(dir, user.uid, user.gid);
    const port = await freePort();
    await tool('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // Socket only, in the private temp dir; durability off: the data is thrown away.
    const settings = `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await tool('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), '-o', settings]);
    started = true;
    return await freshDatabase(`postgresql://postgres@localhost:${port}/postgres?host=${dir}`, stop);
  } catch (e) {
    const err = e as Error & { stderr?: string };
    await stop().catch(() => {});
    const detail = (err.stderr || err.message).trim().split('\n').slice(-3).join(' / ');
    return { skip: `could not start PostgreSQL from ${bin}: ${detail}` };
  }
}
