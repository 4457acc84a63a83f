import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeExclusive, canonicalizeInclusive } from '../../../src/codec/xml/c14n.js';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml } from '../../../src/codec/xml/serialize.js';
import {
  XmlError,
  type XmlAttribute,
  type XmlElement,
  type XmlNamespaceDeclaration,
  type XmlNode,
} from '../../../src/codec/xml/types.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';
import { withoutOffsets } from './support.js';

/** parseXml either returns a document or throws an XmlError placed inside the input; nothing else. */
function parsesOrRefuses(input: string | Uint8Array): void {
  try {
    parseXml(input);
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(input.length);
  }
}

const MARKUP = [
  '<',
  '>',
  '/>',
  '</',
  '&',
  ';',
  '"',
  "'",
  '=',
  ' ',
  '\n',
  '\r',
  '\t',
  'a',
  'b',
  'p:',
  ':',
  'xmlns',
  'xmlns:p',
  'xml:',
  '&#',
  '&#x',
  '41',
  'amp',
  'lt',
  'gt',
  'quot',
  '<!--',
  '-->',
  '--',
  '<?',
  '?>',
  '<?xml',
  'version="1.0"',
  '<![CDATA[',
  ']]>',
  ']',
  '<!DOCTYPE',
  '<!ENTITY',
  'SYSTEM',
  '\u0000',
  '\u0001',
  '\ud800',
  '\udc00',
  '\ufffe',
  'é',
  '\u{1F600}',
  '\ufeff',
  '"urn:x"',
];

describe('parseXml on arbitrary input returns a document or throws XmlError, never anything else', () => {
  it('any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), parsesOrRefuses), { numRuns: 2000 });
  });

  it('strings made of XML markup fragments', () => {
    const markup = fc.array(fc.constantFrom(...MARKUP), { maxLength: 80 }).map((parts) => parts.join(''));
    fc.assert(fc.property(markup, parsesOrRefuses), { numRuns: 5000 });
  });

  it('any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), parsesOrRefuses), { numRuns: 2000 });
  });
});

const SAMPLE_DUIS =
  '<?xml version="1.0" encoding="UTF-8"?>\n<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" ' +
  'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" schemaVersion="5.4">\n  <sr:Header>\n    <sr:RequestID>90-B3:1</sr:RequestID>\n' +
  '  </sr:Header>\n  <sr:Body><sr:ReadInventory/></sr:Body>\n  <ds:Signature><ds:SignedInfo>' +
  '<ds:Reference URI=""><ds:DigestValue>ZGVmYXVsdA==</ds:DigestValue></ds:Reference></ds:SignedInfo>' +
  '<!-- c --><![CDATA[x]]>&amp;&#13;</ds:Signature>\n</sr:Request>';

function seedDocuments(): string[] {
  const docs = [SAMPLE_DUIS];
  if (HAVE_VECTORS) {
    const dir = ['dccboxed-signing-tool', 'src', 'test', 'resources'];
    docs.push(readFileSync(vectorPath(...dir, 'readfw-response.xml'), 'utf8'));
    docs.push(readFileSync(vectorPath(...dir, 'duis-xxe.xml'), 'utf8'));
    docs.push(
      readFileSync(vectorPath('duis-templates', 'templates', 'ECS17b_4.1.1_REQUEST_DUIS.XML'), 'utf8'),
    );
  }
  return docs;
}

type Edit = { at: number; remove: number; insert: string };

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.remove);
  }
  return out;
}

describe('parseXml on mutated DUIS documents', () => {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 12 }),
    insert: fc.oneof(
      fc.constantFrom(...MARKUP),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constant(''),
    ),
  });

  it('returns or throws XmlError; what it returns survives serialise and parse unchanged', () => {
    const docs = seedDocuments();
    fc.assert(
      fc.property(
        fc.nat({ max: docs.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const text = applyEdits(docs[which]!, edits);
          let doc;
          try {
            doc = parseXml(text);
          } catch (e) {
            if (e instanceof XmlError) return;
            throw e;
          }
          expect(withoutOffsets(parseXml(serializeXml(doc)))).toEqual(withoutOffsets(doc));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

// Generated trees: names, prefixes and texts drawn to exercise escaping, namespaces and non-ASCII.
const NAMES = ['a', 'b', 'Request', 'x-y', 'z.1', '_u', 'é', '名前', 'A\u{10000}'];
const PREFIXES = ['p', 'q', 'ds', 'sr'];
const URIS = ['urn:a', 'urn:b', 'http://www.w3.org/2000/09/xmldsig#', 'urn:x?a=1&b="2"<>\t\n'];
const CHARS = [
  'a',
  'Z',
  ' ',
  '\n',
  '\t',
  '\r',
  '&',
  '<',
  '>',
  '"',
  "'",
  ']',
  '-',
  '?',
  'é',
  '\u{1F600}',
  '\ufffd',
  '\u0085',
];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }).map((cs) => cs.join(''));

type RawElement = {
  name: string;
  prefix: string | null;
  decls: [string | null, string][];
  attrs: { name: string; prefix: string | null; value: string }[];
  children: RawChild[];
};
type RawChild =
  | { t: 'text'; value: string; cdata: boolean }
  | { t: 'comment'; value: string }
  | { t: 'pi'; target: string; data: string }
  | { t: 'element'; element: RawElement };

const { element: rawElement } = fc.letrec<{ element: RawElement; child: RawChild }>((tie) => ({
  element: fc.record({
    name: fc.constantFrom(...NAMES),
    prefix: fc.option(fc.constantFrom(...PREFIXES), { nil: null }),
    decls: fc.array(
      fc.tuple(fc.option(fc.constantFrom(...PREFIXES), { nil: null }), fc.constantFrom(...URIS, '')),
      {
        maxLength: 2,
      },
    ),
    attrs: fc.array(
      fc.record({
        name: fc.constantFrom(...NAMES),
        prefix: fc.option(fc.constantFrom(...PREFIXES, 'xml'), { nil: null }),
        value: text,
      }),
      { maxLength: 3 },
    ),
    children: fc.array(tie('child'), { maxLength: 4 }),
  }),
  child: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'tree' },
    fc.record({ t: fc.constant('text' as const), value: text, cdata: fc.boolean() }),
    fc.record({ t: fc.constant('comment' as const), value: text }),
    fc.record({ t: fc.constant('pi' as const), target: fc.constantFrom('p', 'app', 'x-y'), data: text }),
    fc.record({ t: fc.constant('element' as const), element: tie('element') as fc.Arbitrary<RawElement> }),
  ),
}));

/** A CDATA section's text cannot hold "]]>"; one pass of replace can make a new one ("]]]>>" → "]]]>"), so repeat. */
function withoutCdataEnd(value: string): string {
  let v = value;
  while (v.includes(']]>')) v = v.replace(/]]>/g, ']]');
  return v;
}

/** Turns a raw draw into a tree parseXml could produce: prefixes bound, names unique, texts merged. */
function build(raw: RawElement, scope: ReadonlyMap<string, string>): XmlElement {
  const inScope = new Map(scope);
  const namespaces: XmlNamespaceDeclaration[] = [];
  const declare = (prefix: string | null, uri: string): void => {
    if (namespaces.some((d) => d.prefix === prefix) || (prefix !== null && uri === '')) return;
    namespaces.push({ prefix, uri });
    inScope.set(prefix ?? '', uri);
  };
  for (const [prefix, uri] of raw.decls) declare(prefix, uri);
  if (raw.prefix !== null && !inScope.get(raw.prefix)) declare(raw.prefix, URIS[0]!);
  const attributes: XmlAttribute[] = [];
  for (const a of raw.attrs) {
    if (a.prefix !== null && a.prefix !== 'xml' && !inScope.get(a.prefix)) declare(a.prefix, URIS[1]!);
    const namespace =
      a.prefix === null
        ? null
        : a.prefix === 'xml'
          ? 'http://www.w3.org/XML/1998/namespace'
          : inScope.get(a.prefix)!;
    const qname = a.prefix === null ? a.name : `${a.prefix}:${a.name}`;
    const clash = attributes.some(
      (b) => b.qname === qname || (namespace !== null && b.namespace === namespace && b.localName === a.name),
    );
    // A prefix declared after an earlier attribute used it would rebind that attribute: skip such draws.
    if (clash || (a.prefix !== null && a.prefix !== 'xml' && inScope.get(a.prefix) !== namespace)) continue;
    attributes.push({ qname, prefix: a.prefix, localName: a.name, namespace, value: a.value });
  }
  for (const a of attributes) {
    if (a.prefix !== null && a.prefix !== 'xml') a.namespace = inScope.get(a.prefix)!;
  }
  const children: XmlNode[] = [];
  for (const c of raw.children) {
    const last = children[children.length - 1];
    switch (c.t) {
      case 'text':
        if (c.cdata)
          children.push({
            kind: 'text',
            value: withoutCdataEnd(c.value.replace(/\r/g, '')),
            cdata: true,
          });
        else if (c.value === '') continue;
        else if (last?.kind === 'text' && last.cdata !== true) last.value += c.value;
        else children.push({ kind: 'text', value: c.value });
        break;
      case 'comment':
        children.push({ kind: 'comment', value: c.value.replace(/[-\r]/g, '') });
        break;
      case 'pi':
        children.push({
          kind: 'pi',
          target: c.target,
          data: c.data.replace(/[?\r]/g, '').replace(/^[ \t\n]+/, ''),
        });
        break;
      case 'element':
        children.push(build(c.element, inScope));
        break;
    }
  }
  const qname = raw.prefix === null ? raw.name : `${raw.prefix}:${raw.name}`;
  const namespace = raw.prefix === null ? inScope.get('') || null : inScope.get(raw.prefix)!;
  return {
    kind: 'element',
    qname,
    prefix: raw.prefix,
    localName: raw.name,
    namespace,
    namespaces,
    attributes,
    children,
    offset: -1,
  };
}

const tree = rawElement.map((raw) => build(raw, new Map()));

describe('generated trees', () => {
  it('parse(serialize(tree)) equals the tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(withoutOffsets(parseXml(serializeXml(t)).root)).toEqual(t);
      }),
      { numRuns: 1000 },
    );
  });

  it('canonicalise the same before and after a serialise-parse trip, and canonical output is a fixed point', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (t, withComments) => {
        const reparsed = parseXml(serializeXml(t)).root;
        for (const c14n of [canonicalizeExclusive, canonicalizeInclusive]) {
          const once = c14n(t, { withComments });
          expect(c14n(reparsed, { withComments })).toBe(once);
          expect(c14n(parseXml(once).root, { withComments })).toBe(once);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
