// Benchmark (not a test): decode-and-verify GBCS messages/s over the RTDS folder on one core, full verification
// (typed payload decode, MAC with KDF + AES-GCM, ECDSA signature). Prints one JSON object.
// ECDH runs once per key pair (the shared-secret cache is warmed by the first pass), as the real system does.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fromHex } from '../src/codec/bytes.js';
import { sharedVectorsDir } from '../src/shared-vectors.js';
import { eui64 } from '../src/codec/eui64.js';
import { parseGbcs } from '../src/codec/gbcs/frame.js';
import { loadKeyStoreFolder } from '../src/crypto/keystore-folder.js';
import { protectionContext, verifyGbcs } from '../src/crypto/message-protection.js';

const vectors = sharedVectorsDir();
const rtds = join(vectors, 'gbcs-parser', 'test', 'rtds', 'RTDS-4.5.0');
const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);

const messages: Uint8Array[] = [];
for (const folder of readdirSync(rtds).sort()) {
  for (const file of readdirSync(join(rtds, folder)).sort())
    messages.push(fromHex(readFileSync(join(rtds, folder, file), 'utf8')));
}
const ctx = protectionContext(
  loadKeyStoreFolder(join(vectors, 'gbcs-parser', 'test', 'rtds', 'keystore')),
  eui64('90B3D51F30000002'),
);

let macs = 0;
let signatures = 0;
function pass(verify: boolean): void {
  for (const bytes of messages) {
    const parsed = parseGbcs(bytes);
    if (!verify) continue;
    const v = verifyGbcs(parsed, ctx);
    if (v.mac === 'valid') macs++;
    if (v.signature === 'valid') signatures++;
    if (v.mac === 'invalid' || v.signature === 'invalid')
      throw new Error('verification failed during the benchmark');
  }
}

/**
 * Messages per CPU-second of this process (user + system time: one core, as the process is single-threaded, and
 * not inflated by other processes sharing the machine), and per wall-clock second for comparison.
 */
function measure(verify: boolean): {
  messagesPerSecond: number;
  messagesPerWallSecond: number;
  passes: number;
} {
  pass(verify); // warm-up: JIT and, for verify, one ECDH per key pair
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let passes = 0;
  let cpuMicros = 0;
  do {
    pass(verify);
    passes++;
    const used = process.cpuUsage(cpuStart);
    cpuMicros = used.user + used.system;
  } while (cpuMicros < seconds * 1e6);
  const wallNanos = Number(process.hrtime.bigint() - wallStart);
  const n = passes * messages.length;
  return {
    messagesPerSecond: Math.round((n * 1e6) / cpuMicros),
    messagesPerWallSecond: Math.round((n * 1e9) / wallNanos),
    passes,
  };
}

const decodeOnly = measure(false);
macs = 0;
signatures = 0;
const full = measure(true);
const passesVerified = full.passes + 1;
console.log(
  JSON.stringify({
    benchmark: 'gbcs-decode-and-verify',
    messages: messages.length,
    macsVerifiedPerPass: macs / passesVerified,
    signaturesVerifiedPerPass: signatures / passesVerified,
    decodeAndVerifyMessagesPerSecond: full.messagesPerSecond,
    decodeAndVerifyMessagesPerWallSecond: full.messagesPerWallSecond,
    decodeOnlyMessagesPerSecond: decodeOnly.messagesPerSecond,
    measure: 'messages per CPU-second of one single-threaded process',
    secondsPerMeasurement: seconds,
    sharedSecrets: { cached: ctx.secrets.size, ecdhRuns: ctx.secrets.misses },
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: 1,
  }),
);
