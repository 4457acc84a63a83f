// `smets-twin duis …`: sign, verify, validate, show and check DUIS XML.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DuisError } from '../codec/duis/common.js';
import { buildDuisDocument, parseDuisDocument, sameDuis } from '../codec/duis/duis.js';
import { DuisSchema, type SchemaError } from '../codec/duis/schema/index.js';
import { parseXml } from '../codec/xml/parse.js';
import { serializeXml } from '../codec/xml/serialize.js';
import { XmlError, type XmlDocument } from '../codec/xml/types.js';
import {
  duisSigner,
  loadDccBoxedXmlSigningCredentials,
  loadSigningToolFolder,
  type XmlSigningCredentials,
} from '../crypto/xmldsig-credentials.js';
import { signDuis, verifyDuis } from '../crypto/xmldsig.js';
import { wallClockMillis } from './clock.js';
import { filesUnder } from './files.js';
import type { Io } from './io.js';
import { stringifyJson } from './json.js';

/** DCC Boxed's keystore.json, or a folder laid out like the signing tool's resources. */
export function loadXmlCredentials(path: string): XmlSigningCredentials {
  return statSync(path).isDirectory() ? loadSigningToolFolder(path) : loadDccBoxedXmlSigningCredentials(path);
}

function readDocument(file: string): XmlDocument {
  return parseXml(readFileSync(file));
}

/**
 * Sets the RequestID counter to the wall-clock milliseconds, as the DCC Boxed signing tool does unless told to keep
 * the counter: each signed request then carries a counter greater than the last (DUIS anti-replay).
 */
function freshenCounter(doc: XmlDocument, counter: bigint): void {
  const header = doc.root.children.find((c) => c.kind === 'element' && c.localName === 'Header');
  if (header?.kind !== 'element') return;
  const id = header.children.find((c) => c.kind === 'element' && c.localName === 'RequestID');
  if (id?.kind !== 'element') return;
  const text = id.children.map((c) => (c.kind === 'text' ? c.value : '')).join('');
  const parts = text.split(':');
  if (parts.length !== 3)
    throw new DuisError(
      'Request/Header/RequestID',
      `expected originator:target:counter, got "${text}"`,
      id.offset,
    );
  id.children = [{ kind: 'text', value: `${parts[0]}:${parts[1]}:${counter}` }];
}

export function duisSign(
  io: Io,
  file: string,
  opts: { keys: string; preserveCounter?: boolean; output?: string },
): number {
  const doc = readDocument(file);
  if (!opts.preserveCounter && doc.root.localName === 'Request') freshenCounter(doc, wallClockMillis());
  const signed = signDuis(doc, duisSigner(doc, loadXmlCredentials(opts.keys)));
  const text = serializeXml(signed);
  if (opts.output !== undefined) writeFileSync(opts.output, text);
  else io.out(text);
  return 0;
}

export function duisVerify(io: Io, file: string, opts: { keys: string; json?: boolean }): number {
  const verdict = verifyDuis(readFileSync(file), loadXmlCredentials(opts.keys));
  if (opts.json) io.out(stringifyJson(verdict.valid ? { valid: true, signer: verdict.signer } : verdict));
  else if (verdict.valid)
    io.out(
      `valid: signed by ${verdict.signer.eui} (${verdict.signer.issuer}, serial ${verdict.signer.serial})`,
    );
  else io.out(`invalid: ${verdict.reason}${verdict.detail ? ` (${verdict.detail})` : ''}`);
  return verdict.valid ? 0 : 1;
}

export function duisValidate(io: Io, file: string, opts: { json?: boolean }): number {
  const result = DuisSchema.load().validate(readDocument(file));
  if (opts.json) io.out(JSON.stringify(result));
  else if (result.valid) io.out('valid against the DUIS schema');
  else io.out(formatSchemaErrors(result.errors).join('\n'));
  return result.valid ? 0 : 1;
}

export function duisShow(io: Io, file: string): number {
  const d = parseDuisDocument(readDocument(file));
  io.out(
    stringifyJson(
      d.kind === 'request'
        ? { request: { ...d.request, signature: d.request.signature ? 'present' : undefined } }
        : { response: { ...d.response, signature: d.response.signature ? 'present' : undefined } },
      2,
    ),
  );
  return 0;
}

export interface DuisCheckSummary {
  files: number;
  parsed: number;
  schemaValid: number;
  roundTrip: number;
  errors: { file: string; error: string }[];
}

/** Parses, schema-checks and round-trips (typed value → XML → equal typed value, still schema-valid) every XML file. */
export function checkDuisFolder(dir: string, schema: DuisSchema): DuisCheckSummary {
  const s: DuisCheckSummary = { files: 0, parsed: 0, schemaValid: 0, roundTrip: 0, errors: [] };
  for (const path of filesUnder(dir, (name) => name.toLowerCase().endsWith('.xml'))) {
    s.files++;
    const file = relative(dir, path);
    try {
      const xml = readDocument(path);
      const typed = parseDuisDocument(xml);
      s.parsed++;
      const valid = schema.validate(xml);
      if (valid.valid) s.schemaValid++;
      else s.errors.push({ file, error: `schema: ${formatSchemaErrors(valid.errors).join('; ')}` });
      const rebuilt = parseXml(serializeXml(buildDuisDocument(typed)));
      if (!sameDuis(typed, parseDuisDocument(rebuilt)))
        s.errors.push({ file, error: 'the rebuilt document reads back differently' });
      else if (valid.valid && !schema.validate(rebuilt).valid)
        s.errors.push({ file, error: 'the rebuilt document is not schema-valid' });
      else s.roundTrip++;
    } catch (e) {
      if (!(e instanceof XmlError) && !(e instanceof DuisError)) throw e;
      s.errors.push({ file, error: e.message });
    }
  }
  return s;
}

/** One line per broken rule: `<path>: <rule>: <message>` (at most 5, then a count). */
export function formatSchemaErrors(errors: readonly SchemaError[]): string[] {
  const lines = errors.slice(0, 5).map((e) => `${e.path}: ${e.rule}: ${e.message}`);
  if (errors.length > 5) lines.push(`… and ${errors.length - 5} more`);
  return lines;
}

export function duisCheck(io: Io, dir: string, opts: { json?: boolean }): number {
  const s = checkDuisFolder(dir, DuisSchema.load());
  if (opts.json) io.out(JSON.stringify(s));
  else {
    io.out(`${s.files} files: ${s.parsed} parsed, ${s.schemaValid} schema-valid, ${s.roundTrip} round-trip`);
    for (const e of s.errors) io.out(`error: ${e.file}: ${e.error}`);
  }
  return s.errors.length > 0 || s.parsed < s.files || s.schemaValid < s.files || s.roundTrip < s.files
    ? 1
    : 0;
}
