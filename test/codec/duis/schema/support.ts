// Shared by the DUIS schema tests: the XML vector files (read in place), libxml2's `xmllint --schema` as an
// independent oracle, and deterministic mutations of parsed documents.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseXml } from '../../../../src/codec/xml/parse.js';
import type { XmlAttribute, XmlDocument, XmlElement, XmlNode } from '../../../../src/codec/xml/types.js';
import { vectorPath } from '../../../vectors.js';

/** Folders of DUIS XML in the shared vectors (requests, responses, alerts, signed and unsigned). */
export const XML_VECTOR_DIRS = [
  'duis-templates/templates',
  'duis-parser/test/resources',
  'duis-sign-wrap/test/data',
  'duis-templates/test/data',
  'dccboxed-signing-tool/src/test/resources',
] as const;

export const DUIS_XSD = vectorPath(
  'dccboxed-signing-tool',
  'src',
  'main',
  'resources',
  'DUIS Schema V5.4.xsd',
);

/** Every *.xml / *.XML file under the vector folders, sorted, as paths relative to the vectors folder. */
export function vectorXmlFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(vectorPath(rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.xml$/i.test(entry.name)) out.push(child);
    }
  };
  for (const dir of XML_VECTOR_DIRS) walk(dir);
  return out.sort();
}

export function haveXmllint(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v xmllint'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function xmllintVersion(): string {
  const r = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  return /using libxml version (\d+)/.exec(r.stderr)?.[1] ?? 'unknown';
}

export interface OracleVerdict {
  valid: boolean;
  /** xmllint's error lines for the file, without the file name prefix. */
  messages: string[];
}

/**
 * libxml2 2.9 silently skips an xs:import whose schemaLocation is not a valid URI, and the DUIS XSD imports
 * "MMC Schema V5.4.xsd" (spaces), so `xmllint --schema "DUIS Schema V5.4.xsd"` fails to compile it. The oracle
 * therefore loads the same three files through space-free symlinks and a two-line wrapper that imports the
 * ResponseAndAlert (MMC) and ServiceUserGateway (DUIS) namespaces; DUIS's own import of XML-DSig is unchanged.
 */
function oracleSchema(dir: string): string {
  const resources = dirname(DUIS_XSD);
  symlinkSync(DUIS_XSD, join(dir, 'duis.xsd'));
  symlinkSync(join(resources, 'MMC Schema V5.4.xsd'), join(dir, 'mmc.xsd'));
  symlinkSync(join(resources, 'xmldsig-core-schema.xsd'), join(dir, 'xmldsig-core-schema.xsd'));
  const wrapper = join(dir, 'oracle.xsd');
  writeFileSync(
    wrapper,
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n' +
      '  <xs:import namespace="http://www.dccinterface.co.uk/ResponseAndAlert" schemaLocation="mmc.xsd"/>\n' +
      '  <xs:import namespace="http://www.dccinterface.co.uk/ServiceUserGateway" schemaLocation="duis.xsd"/>\n' +
      '</xs:schema>\n',
  );
  return wrapper;
}

/** Runs xmllint --schema over many documents (batched, one schema load per batch); verdicts by name. */
export function xmllintVerdicts(docs: ReadonlyMap<string, string>): Map<string, OracleVerdict> {
  const dir = mkdtempSync(join(tmpdir(), 'smets-duis-xsd-'));
  try {
    const schema = oracleSchema(dir);
    const docsDir = join(dir, 'docs');
    mkdirSync(docsDir);
    const names = [...docs.keys()];
    const fileOf = new Map<string, string>();
    names.forEach((name, i) => {
      const file = join(docsDir, `d${i}.xml`);
      writeFileSync(file, docs.get(name)!);
      fileOf.set(file, name);
    });
    const out = new Map<string, OracleVerdict>();
    for (const name of names) out.set(name, { valid: false, messages: [] });
    const files = [...fileOf.keys()];
    for (let i = 0; i < files.length; i += 400) {
      const batch = files.slice(i, i + 400);
      const r = spawnSync('xmllint', ['--noout', '--schema', schema, ...batch], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      if (r.error !== undefined) throw r.error;
      for (const line of r.stderr.split('\n')) {
        const m = /^(\S+?\.xml)(:\d+: |\s)(.*)$/.exec(line);
        if (m === null) continue;
        const name = fileOf.get(m[1]!);
        if (name === undefined) continue;
        const v = out.get(name)!;
        if (m[3] === 'validates') v.valid = true;
        else if (m[2] !== ' ') v.messages.push(m[3]!);
        else if (!m[3]!.startsWith('fails to validate')) v.messages.push(m[3]!);
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A small deterministic generator (mulberry32) so the mutants are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clone<T extends XmlNode>(n: T): T {
  return structuredClone(n);
}

/** Every element in document order, with its parent (null for the root). */
function elementsOf(root: XmlElement): { el: XmlElement; parent: XmlElement | null }[] {
  const out: { el: XmlElement; parent: XmlElement | null }[] = [];
  const walk = (el: XmlElement, parent: XmlElement | null): void => {
    out.push({ el, parent });
    for (const c of el.children) if (c.kind === 'element') walk(c, el);
  };
  walk(root, null);
  return out;
}

function isLeaf(el: XmlElement): boolean {
  return el.children.every((c) => c.kind !== 'element');
}

function textOf(el: XmlElement): string {
  return el.children.map((c) => (c.kind === 'text' ? c.value : '')).join('');
}

function newElement(like: XmlElement, localName: string): XmlElement {
  return {
    kind: 'element',
    qname: like.prefix === null ? localName : `${like.prefix}:${localName}`,
    prefix: like.prefix,
    localName,
    namespace: like.namespace,
    namespaces: [],
    attributes: [],
    children: [],
    offset: -1,
  };
}

function attribute(qname: string, namespace: string | null, value: string): XmlAttribute {
  const colon = qname.indexOf(':');
  return {
    qname,
    prefix: colon < 0 ? null : qname.slice(0, colon),
    localName: colon < 0 ? qname : qname.slice(colon + 1),
    namespace,
    value,
  };
}

/** Values that break (or keep) enumerations, patterns, lengths, ranges and lexical forms of typical DUIS types. */
function valueVariants(v: string): string[] {
  const t = v.trim();
  const out = [
    `${t}Z`,
    '',
    `${t}${t}${t}${t}`.padEnd(140, '7'),
    '-1',
    '0',
    '4294967296',
    '99999999999999999999',
    'true',
    ` ${t} `,
    `\n  ${t}\n`,
    t.length > 0 ? `G${t.slice(1)}` : 'G',
    t.toLowerCase(),
    t.slice(0, Math.max(0, t.length - 1)),
    `${t}${t.slice(-1)}`,
    '1.5',
    '12.345678',
    '2021-02-29T00:00:00Z',
    '2020-02-29T24:00:00Z',
    '2021-06-01',
    '23:59:60',
    'AB==',
    'ABC=',
    '0A0B0',
    '+7',
    '007',
    '1e3',
  ];
  if (/^-?\d{1,30}$/.test(t)) {
    // Either side of a range bound: one more, one less, ten times, a digit longer.
    const n = BigInt(t);
    out.push(String(n + 1n), String(n - 1n), String(n * 10n), `1${t}`);
  }
  return out;
}

export interface Mutant {
  /** What was done, e.g. 'delete sr:CommandVariant#3' (element by document-order index). */
  description: string;
  doc: XmlDocument;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

type MutationKind =
  | 'delete'
  | 'duplicate'
  | 'swap'
  | 'rename'
  | 'unknown-element'
  | 'unknown-attribute'
  | 'remove-attribute'
  | 'attribute-value'
  | 'value'
  | 'text'
  | 'xsi-nil'
  | 'namespace';

/** Kinds by weight: value changes are where facets are tested, so they come most often. */
const KINDS: readonly MutationKind[] = [
  'delete',
  'delete',
  'duplicate',
  'duplicate',
  'swap',
  'rename',
  'unknown-element',
  'unknown-attribute',
  'remove-attribute',
  'attribute-value',
  'attribute-value',
  'value',
  'value',
  'value',
  'value',
  'value',
  'value',
  'text',
  'xsi-nil',
  'namespace',
];

/** Namespaces an element may be moved into, with the prefix to write it with (null: none at all). */
const OTHER_NAMESPACES: readonly [string | null, string | null][] = [
  [null, null],
  ['u', 'urn:unknown'],
  ['sr', 'http://www.dccinterface.co.uk/ServiceUserGateway'],
  ['ra', 'http://www.dccinterface.co.uk/ResponseAndAlert'],
  ['ds', 'http://www.w3.org/2000/09/xmldsig#'],
];

function eligible(kind: MutationKind, el: XmlElement, parent: XmlElement | null): boolean {
  switch (kind) {
    case 'delete':
    case 'duplicate':
      return parent !== null;
    case 'swap':
      return parent !== null && parent.children.filter((c) => c.kind === 'element').length > 1;
    case 'remove-attribute':
    case 'attribute-value':
      return el.attributes.length > 0;
    case 'value':
      return isLeaf(el);
    case 'text':
      return !isLeaf(el);
    case 'namespace':
      return !el.namespaces.some((d) => d.prefix === null); // keeps the scope of an existing default namespace
    default:
      return true;
  }
}

/**
 * `count` mutants of `doc`, chosen by `seed`: delete, duplicate, swap with the next sibling, rename, insert an
 * unknown element, add an unknown attribute, remove an attribute, change an attribute or a leaf value, put text
 * into element-only content, add xsi:nil.
 */
export function mutate(doc: XmlDocument, seed: number, count: number): Mutant[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Mutant[] = [];
  for (let n = 0; n < count * 4 && out.length < count; n++) {
    const copy = clone(doc.root);
    const all = elementsOf(copy);
    const kind = pick(KINDS);
    const targets = all.filter(({ el, parent }) => eligible(kind, el, parent));
    if (targets.length === 0) continue;
    const { el, parent } = pick(targets);
    const where = `${el.qname}#${all.findIndex((x) => x.el === el)}`;
    const siblings = parent?.children ?? [];
    const at = siblings.indexOf(el);
    let description: string;
    switch (kind) {
      case 'delete':
        siblings.splice(at, 1);
        description = `delete ${where}`;
        break;
      case 'duplicate':
        siblings.splice(at + 1, 0, clone(el));
        description = `duplicate ${where}`;
        break;
      case 'swap': {
        let next = siblings.findIndex((c, i) => i > at && c.kind === 'element');
        if (next < 0) next = siblings.findIndex((c) => c.kind === 'element');
        [siblings[at], siblings[next]] = [siblings[next]!, siblings[at]!];
        description = `swap ${where} with its next sibling`;
        break;
      }
      case 'rename':
        el.localName += 'X';
        el.qname += 'X';
        description = `rename ${where}`;
        break;
      case 'unknown-element': {
        const extra = newElement(el, 'UnknownElement');
        if (rnd() < 0.5) el.children.unshift(extra);
        else el.children.push(extra);
        description = `unknown child in ${where}`;
        break;
      }
      case 'unknown-attribute':
        el.attributes.push(attribute('unknownAttribute', null, '1'));
        description = `unknown attribute on ${where}`;
        break;
      case 'remove-attribute':
        el.attributes.splice(Math.floor(rnd() * el.attributes.length), 1);
        description = `remove an attribute of ${where}`;
        break;
      case 'attribute-value': {
        const a = pick(el.attributes);
        a.value = pick(valueVariants(a.value));
        description = `attribute ${a.qname}=${JSON.stringify(a.value)} on ${where}`;
        break;
      }
      case 'value': {
        const v = pick(valueVariants(textOf(el)));
        el.children = v === '' ? [] : [{ kind: 'text', value: v }];
        description = `value ${JSON.stringify(v.slice(0, 40))} in ${where}`;
        break;
      }
      case 'text':
        el.children.splice(Math.floor(rnd() * (el.children.length + 1)), 0, { kind: 'text', value: 'text' });
        description = `text in element-only ${where}`;
        break;
      case 'xsi-nil':
        if (!el.namespaces.some((d) => d.prefix === 'xsi')) el.namespaces.push({ prefix: 'xsi', uri: XSI });
        el.attributes.push(attribute('xsi:nil', XSI, 'true'));
        description = `xsi:nil on ${where}`;
        break;
      case 'namespace': {
        const [prefix, uri] = pick(OTHER_NAMESPACES.filter(([, u]) => u !== el.namespace));
        // A fresh prefix so no declaration on the element clashes; none at all for no namespace.
        const p = prefix === null ? null : `${prefix}9`;
        el.prefix = p;
        el.namespace = uri;
        el.qname = p === null ? el.localName : `${p}:${el.localName}`;
        el.namespaces.push(p === null ? { prefix: null, uri: '' } : { prefix: p, uri: uri! });
        description = `move ${where} to namespace ${uri ?? '(none)'}`;
        break;
      }
    }
    out.push({ description, doc: { ...doc, root: copy } });
  }
  return out;
}

/**
 * Where libxml2 (2.9.14, Debian 12) and XML Schema 1.0 part ways, and how to take the difference out of a
 * document so both sides can be compared on the rest. Each is pinned by a test in libxml2-quirks.test.ts.
 *
 * - big-integer: libxml2 keeps decimals in three machine words, so xs:integer / xs:decimal values with more than
 *   24 significant digits are "not a valid value" (libxml2 issue 353). XSD 1.0 §3.2.3 lets a processor set
 *   such a limit only as a documented minimum of 18; ds:X509SerialNumber holds 38–39-digit certificate serial
 *   numbers in every signed DCC Boxed response, so we accept any length. Neutralised: integers cut to 24 digits.
 * - whitespace: libxml2 does not collapse whitespace before checking xs:long/int/short/byte, the unsigned types
 *   and xs:dateTime/date/time, so " 7 " and a dateTime on its own line are refused. XSD 1.0 §4.3.6 fixes
 *   whiteSpace=collapse for them: we accept. Neutralised: such values trimmed.
 * - base64-stray: libxml2 skips characters outside the base64 alphabet (RFC 2045 leniency, commented "Ignore all
 *   stray characters? (yes, currently)" in xmlschemastypes.c), so "2021-06-01" is base64Binary to it. XSD 1.0
 *   §3.2.16 gives the lexical grammar: we refuse. Neutralised: stray characters removed.
 */
export type Libxml2Quirk = 'big-integer' | 'whitespace' | 'base64-stray';

const BIG_INTEGER = /^([+-]?)0*(\d{25,})$/;
const INTEGER_OR_DATE =
  /^(?:[+-]?\d+|-?\d{4,}-\d\d-\d\d(?:T\d\d:\d\d:\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?|\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?)$/;
const OUTER_WS = /^[ \t\n\r]|[ \t\n\r]$/;

function collapse(v: string): string {
  return v.replace(/[ \t\n\r]+/g, ' ').replace(/^ | $/g, '');
}

/** The value with the trigger of `quirk` taken out, or null when it does not trigger it. */
function neutralValue(quirk: Libxml2Quirk, v: string): string | null {
  if (quirk === 'big-integer') {
    const m = BIG_INTEGER.exec(collapse(v));
    return m === null ? null : `${m[1]}${m[2]!.slice(0, 24)}`;
  }
  if (quirk === 'whitespace') {
    return OUTER_WS.test(v) && INTEGER_OR_DATE.test(collapse(v)) ? collapse(v) : null;
  }
  return null;
}

/**
 * A copy of `doc` with the trigger of `quirk` removed from every leaf value and attribute (for base64-stray:
 * from the values at `paths`, the places our validator refused as base64Binary), and whether anything changed.
 */
export function neutralize(
  doc: XmlDocument,
  quirk: Libxml2Quirk,
  paths: ReadonlySet<string> = new Set(),
): { doc: XmlDocument; changed: boolean } {
  const root = clone(doc.root);
  let changed = false;
  const visit = (el: XmlElement, path: string): void => {
    for (const a of el.attributes) {
      const v =
        quirk === 'base64-stray'
          ? paths.has(`${path}/@${a.qname}`)
            ? a.value.replace(/[^A-Za-z0-9+/= \t\n\r]/g, '')
            : null
          : neutralValue(quirk, a.value);
      if (v !== null && v !== a.value) {
        a.value = v;
        changed = true;
      }
    }
    if (isLeaf(el) && el.children.some((c) => c.kind === 'text')) {
      const text = textOf(el);
      const v =
        quirk === 'base64-stray'
          ? paths.has(path)
            ? text.replace(/[^A-Za-z0-9+/= \t\n\r]/g, '')
            : null
          : neutralValue(quirk, text);
      if (v !== null && v !== text) {
        el.children = [{ kind: 'text', value: v }];
        changed = true;
      }
    }
    const counts = new Map<string, number>();
    for (const c of el.children)
      if (c.kind === 'element') counts.set(c.qname, (counts.get(c.qname) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      const n = (seen.get(c.qname) ?? 0) + 1;
      seen.set(c.qname, n);
      visit(c, `${path}/${c.qname}${counts.get(c.qname)! > 1 ? `[${n}]` : ''}`);
    }
  };
  visit(root, `/${root.qname}`);
  return { doc: { ...doc, root }, changed };
}

export const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
export const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** An element built in code: `el('sr:DeviceID', SR, ['00-DB-…'])`; attributes as [qname, value] pairs. */
export function el(
  qname: string,
  namespace: string | null,
  children: (XmlElement | string)[] = [],
  attributes: [string, string][] = [],
): XmlElement {
  const colon = qname.indexOf(':');
  return {
    kind: 'element',
    qname,
    prefix: colon < 0 ? null : qname.slice(0, colon),
    localName: colon < 0 ? qname : qname.slice(colon + 1),
    namespace,
    namespaces: [],
    attributes: attributes.map(([q, v]) => attribute(q, null, v)),
    children: children.map((c) => (typeof c === 'string' ? { kind: 'text', value: c } : c)),
    offset: -1,
  };
}

/** SR 8.2 Read Inventory (CV 8, non-device) for one device, as a tree; ds:Signature is optional in a Request. */
export function readInventoryRequest(deviceId = '00-DB-12-34-56-78-90-A2'): XmlElement {
  const root = el(
    'sr:Request',
    SR,
    [
      el('sr:Header', SR, [
        el('sr:RequestID', SR, ['90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000']),
        el('sr:CommandVariant', SR, ['8']),
        el('sr:ServiceReference', SR, ['8.2']),
        el('sr:ServiceReferenceVariant', SR, ['8.2']),
      ]),
      el('sr:Body', SR, [el('sr:ReadInventory', SR, [el('sr:DeviceID', SR, [deviceId])])]),
    ],
    [['schemaVersion', '5.4']],
  );
  root.namespaces.push({ prefix: 'sr', uri: SR });
  return root;
}

/** The first child element of `parent` named `localName`. */
export function child(parent: XmlElement, localName: string): XmlElement {
  const found = parent.children.find(
    (c): c is XmlElement => c.kind === 'element' && c.localName === localName,
  );
  if (found === undefined) throw new Error(`no ${localName} in ${parent.qname}`);
  return found;
}

const writtenSchemaDirs: string[] = [];

/** Writes small XSD files (our own, for feature tests) to a fresh temp folder; returns the path of the first. */
export function writeSchemas(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'smets-xsd-'));
  writtenSchemaDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, Object.keys(files)[0]!);
}

/** Removes the folders writeSchemas made (call from afterAll). */
export function removeWrittenSchemas(): void {
  for (const dir of writtenSchemaDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A one-file schema with target namespace urn:t (prefix t) and qualified elements around `body`. */
export function tinySchema(body: string): string {
  return writeSchemas({
    'tiny.xsd':
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t"' +
      ` elementFormDefault="qualified">\n${body}\n</xs:schema>\n`,
  });
}

/** xmllint's verdict on one document against one schema file (for small schemas of our own). */
export function xmllintAccepts(schemaPath: string, xml: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'smets-xsd-doc-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', schemaPath, file], { encoding: 'utf8' });
    if (r.error !== undefined) throw r.error;
    return r.stderr.includes(`${file} validates`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The pattern facet of a named simple type, read from the DUIS XSD in place at test time (the XSD is GPL data:
 * its text is never copied into this repository, tests included).
 */
export function duisPattern(typeName: string): string {
  const root = parseXml(readFileSync(DUIS_XSD)).root;
  for (const t of root.children) {
    if (t.kind !== 'element' || t.localName !== 'simpleType') continue;
    if (!t.attributes.some((a) => a.localName === 'name' && a.value === typeName)) continue;
    const found: string[] = [];
    const walk = (e: XmlElement): void => {
      if (e.localName === 'pattern') found.push(e.attributes.find((a) => a.localName === 'value')!.value);
      for (const c of e.children) if (c.kind === 'element') walk(c);
    };
    walk(t);
    if (found.length === 1) return found[0]!;
  }
  throw new Error(`no single pattern for simple type ${typeName} in ${DUIS_XSD}`);
}
