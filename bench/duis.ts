// Benchmark (not a test): DUIS ingest on one core = parse (safe XML) + schema check (the DUIS XSD, compiled once)
// + XML-signature verification of a signed ~3 KB request; and signing/s. Prints one JSON object.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DuisSchema } from '../src/codec/duis/schema/index.js';
import { parseXml } from '../src/codec/xml/parse.js';
import { serializeXml } from '../src/codec/xml/serialize.js';
import { sharedVectorsDir } from '../src/shared-vectors.js';
import { duisSigner, loadDccBoxedXmlSigningCredentials } from '../src/crypto/xmldsig-credentials.js';
import { signDuis, signDuisText, verifyDuis } from '../src/crypto/xmldsig.js';

const vectors = sharedVectorsDir();
const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
// DBCH04 (6.28 Set CHF Sub GHz Configuration): a 3 KB request template, signed here by its originator.
const template = readFileSync(
  join(vectors, 'duis-templates', 'templates', 'DBCH04_6.28_SUCCESS_REQUEST_DUIS.XML'),
);
const credentials = loadDccBoxedXmlSigningCredentials(join(vectors, 'dccboxed-keystore', 'keystore.json'));
const schema = DuisSchema.load();
const templateDoc = parseXml(template);
const signer = duisSigner(templateDoc, credentials);
const signedText = serializeXml(signDuis(templateDoc, signer));
const signedBytes = new TextEncoder().encode(signedText);
/** The template as the DSP's own messages come to be signed: no placeholder signature, nothing after the last element. */
const unsignedText = signedText.replace(/\s*<ds:Signature[\s\S]*<\/ds:Signature>\s*/, '');

function ingest(): void {
  const doc = parseXml(signedBytes);
  if (!schema.validate(doc).valid) throw new Error('schema check failed in the benchmark');
  if (!verifyDuis(doc, credentials).valid) throw new Error('signature check failed in the benchmark');
}
function sign(): void {
  signDuis(parseXml(template), signer);
}
/** Text in, signed text out, as the gateway signs the DSP's pushes: in canonical form, in one pass (signDuisText). */
function signText(): void {
  signDuisText(unsignedText, signer);
}
/** The same by way of the signed tree written back out (signDuis on text), for comparison. */
function signTreeToText(): void {
  signDuis(unsignedText, signer);
}

/** Operations per CPU-second of this single-threaded process, and per wall-second. */
function measure(run: () => void): { perSecond: number; perWallSecond: number } {
  for (let i = 0; i < 200; i++) run();
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  let n = 0;
  let cpu = 0;
  do {
    for (let i = 0; i < 50; i++) run();
    n += 50;
    const used = process.cpuUsage(cpu0);
    cpu = used.user + used.system;
  } while (cpu < seconds * 1e6);
  const wall = Number(process.hrtime.bigint() - wall0);
  return { perSecond: Math.round((n * 1e6) / cpu), perWallSecond: Math.round((n * 1e9) / wall) };
}

const ingestRate = measure(ingest);
const signRate = measure(sign);
const signTextRate = measure(signText);
const signTreeToTextRate = measure(signTreeToText);
console.log(
  JSON.stringify({
    benchmark: 'duis-ingest-and-sign',
    requestBytes: signedBytes.length,
    ingestRequestsPerSecond: ingestRate.perSecond,
    ingestRequestsPerWallSecond: ingestRate.perWallSecond,
    signsPerSecond: signRate.perSecond,
    signsPerWallSecond: signRate.perWallSecond,
    signTextPerSecond: signTextRate.perSecond,
    signTreeToTextPerSecond: signTreeToTextRate.perSecond,
    ingest:
      'parseXml + DUIS XSD validation + XML-DSig verify (inclusive C14N digest, exclusive C14N SignedInfo, ECDSA P-256)',
    sign: 'parseXml + XML-DSig sign (digest, SignedInfo, ECDSA P-256)',
    signText: 'text in, signed text out in canonical form (signDuisText: parse, one C14N pass, splice)',
    signTreeToText: 'text in, signed text out through the tree (signDuis: parse, C14N, sign, serialize)',
    measure: 'operations per CPU-second of one single-threaded process',
    secondsPerMeasurement: seconds,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: 1,
  }),
);
