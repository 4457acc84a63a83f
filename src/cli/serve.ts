// `smets-twin serve`: the DCC's DUIS service on the DCC Boxed paths, with a demo fleet behind it, on the embedded
// SQLite store (or PostgreSQL when --db / DATABASE_URL is a postgres:// URL). Runs until SIGINT/SIGTERM.
import { existsSync, statSync } from 'node:fs';
import { defaultDuisXsdPath } from '../codec/duis/schema/index.js';
import { DEFAULT_DSP_CONFIG } from '../dcc/config.js';
import { DEMO_HOUSEHOLD } from '../dcc/fleet.js';
import { Dcc, testCredentials } from '../dcc/dcc.js';
import { defaultGatewayThreads } from '../dcc/gateway.js';
import {
  isZ1GbcsEntry,
  loadDccBoxedKeyStore,
  loadKeyStoreFolder,
  MemoryKeyStore,
} from '../crypto/keystore-folder.js';
import type { KeyStore } from '../crypto/keystore.js';
import { LayeredKeyStore } from '../crypto/layered-keys.js';
import {
  XmlSigningCredentials,
  loadDccBoxedXmlSigningCredentials,
  loadSigningToolFolder,
} from '../crypto/xmldsig-credentials.js';
import { DuisFront } from '../server/front.js';
import { dccBoxedKeystorePath } from '../shared-vectors.js';
import { systemWallClock } from '../sim/clock.js';
import { openStore, storeLocationFromEnv } from '../store/open.js';
import type { Io } from './io.js';
import { loadPolicyFile, PolicyError } from '../policy-file.js';
import type { Policy } from '../policy.js';

export interface ServeOptions extends KeyOptions {
  port: string;
  host: string;
  fleet: string;
  receiver?: string;
  db?: string;
  wanLatency: string;
  policy?: string;
}

export const DEFAULT_DB = 'smets-twin.db';

/** Key material from --keys: keystore.json files and signing-tool or RTDS key folders. */
function loadKeys(paths: readonly string[]): { xml: XmlSigningCredentials; gbcs: KeyStore } {
  const xml = new XmlSigningCredentials();
  const gbcs: KeyStore[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      loadSigningToolFolder(path, { into: xml });
      gbcs.push(loadKeyStoreFolder(path, new MemoryKeyStore()));
    } else {
      loadDccBoxedXmlSigningCredentials(path, { into: xml });
      gbcs.push(loadDccBoxedKeyStore(path, { include: isZ1GbcsEntry }));
    }
  }
  return { xml, gbcs: new LayeredKeyStore(gbcs) };
}

export interface KeyOptions {
  keys?: string[];
  testPki?: boolean;
  seed: string;
}

/**
 * The key material `serve` and `receiver` use: --keys if given; else DCC Boxed's keystore.json from the shared
 * vectors when present (so the published templates sign and verify as in DCC Boxed); else the twin's test PKI,
 * seeded by --seed (the same seed gives the same keys on both sides).
 */
export function resolveKeys(io: Io, o: KeyOptions): { xml: XmlSigningCredentials; gbcs?: KeyStore } {
  let paths = o.keys ?? [];
  if (paths.length === 0 && o.testPki !== true && existsSync(dccBoxedKeystorePath())) {
    paths = [dccBoxedKeystorePath()];
    io.out(`keys: DCC Boxed test keystore ${paths[0]} (--test-pki to use the twin's own test PKI instead)`);
  }
  if (paths.length > 0) return loadKeys(paths);
  io.out(`keys: the twin's own test PKI, seed "${o.seed}"`);
  return { xml: testCredentials(o.seed, DEFAULT_DSP_CONFIG.dsp) };
}

export async function serve(io: Io, o: ServeOptions): Promise<number> {
  const port = Number(o.port);
  const fleet = Number(o.fleet);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.err(`--port expected 0..65535, got "${o.port}"`);
    return 2;
  }
  if (!Number.isInteger(fleet) || fleet < 1 || fleet > 1_000_000) {
    io.err(`--fleet expected 1..1000000 premises, got "${o.fleet}"`);
    return 2;
  }
  let policy: Policy | undefined;
  try {
    if (o.policy !== undefined) policy = loadPolicyFile(o.policy);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    io.err(e.message);
    return 2;
  }
  const wanLatencyMs = Number(o.wanLatency);
  if (!(wanLatencyMs >= 0) || wanLatencyMs > 86_400_000) {
    io.err(`--wan-latency expected 0..86400000 ms, got "${o.wanLatency}"`);
    return 2;
  }
  const keys = resolveKeys(io, o);

  const xsd = defaultDuisXsdPath();
  const schemaPath = existsSync(xsd) ? xsd : undefined;
  if (schemaPath === undefined)
    io.out(
      `schema: DUIS XSD not found at ${xsd}; requests are checked against the DUIS request grammar only`,
    );

  const location = o.db ?? storeLocationFromEnv() ?? DEFAULT_DB;
  const store = await openStore(location);
  // The one place the server reads the wall clock: model time starts now and then follows it.
  const startMs = Math.floor(systemWallClock.now());
  const dcc = await Dcc.open({
    trace: false, // real time: nothing to reproduce
    store,
    fleet,
    fleetSeed: o.seed,
    household: DEMO_HOUSEHOLD,
    startMs,
    wanLatencyMs,
    ...(policy !== undefined && { policy }),
    ...(o.receiver !== undefined && { receiverUrl: o.receiver }),
    ...(keys !== undefined && { xmlCredentials: keys.xml, gbcsKeys: keys.gbcs }),
    ...(schemaPath !== undefined && { schemaPath }),
    gatewayThreads: defaultGatewayThreads(),
    onNote: (text) => io.out(`dcc: ${text}`),
  });
  dcc.startRealTime();
  // The web services on a thread of their own, which checks requests and signs answers (server/front.ts).
  const front = await DuisFront.start(dcc, { port, host: o.host, onNote: (text) => io.out(`dcc: ${text}`) });
  const address = front.address;
  io.out(
    `smets-twin DCC listening on ${address} (store: ${store.kind} ${location}; ${dcc.runner.premiseCount} premises)`,
  );
  io.out('POST signed DUIS to /api/v1/serviceS (CV 1, 5), /api/v1/serviceT (CV 4), /api/v1/serviceD (CV 8).');
  io.out('Next, in other terminals:');
  io.out(
    `  node dist/src/cli/main.js receiver --port 8099   # prints what the DCC pushes${o.receiver === undefined ? ' (start serve with --receiver http://127.0.0.1:8099/)' : ''}`,
  );
  io.out(
    '  node dist/src/cli/main.js duis sign ../shared/vectors/duis-templates/templates/ECS52_11.2_SUCCESS_REQUEST_DUIS.XML -o /tmp/read.xml',
  );
  io.out(
    `  curl -s -H 'content-type: application/xml' --data-binary @/tmp/read.xml ${address}/api/v1/serviceS`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('stopping: finishing in-flight work');
  await front.close();
  await dcc.close();
  await store.close();
  return 0;
}
