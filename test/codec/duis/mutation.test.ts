// Mutated DUIS documents (templates and samples, read in place, then cut, spliced and garbled) either parse, and then
// round-trip and read through their typed body, or fail with DuisError or XmlError: never anything else.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml } from '../../../src/codec/xml/serialize.js';
import { XmlError } from '../../../src/codec/xml/types.js';
import { TYPED_BODIES } from '../../../src/codec/duis/bodies.js';
import { DuisError } from '../../../src/codec/duis/common.js';
import { buildDuisRequest, parseDuisRequest } from '../../../src/codec/duis/request.js';
import { buildDuisResponse, parseDuisResponse } from '../../../src/codec/duis/response.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';
import { withoutOffsets } from './support.js';

const FOLDERS = [
  ['duis-templates', 'templates'],
  ['duis-templates', 'test', 'data'],
  ['duis-parser', 'test', 'resources'],
  ['duis-sign-wrap', 'test', 'data'],
  ['dccboxed-signing-tool', 'src', 'test', 'resources'],
];

function corpus(): string[] {
  const out: string[] = [];
  for (const parts of FOLDERS) {
    const dir = vectorPath(...parts);
    for (const f of readdirSync(dir)) {
      // Small documents only: a mutation of a 26 kB tariff template costs as much as fifty of the rest.
      if (/\.xml$/i.test(f)) out.push(readFileSync(`${dir}/${f}`, 'utf8'));
    }
  }
  return out.filter((s) => s.length < 6000);
}

const SNIPPETS = [
  '<',
  '>',
  '/',
  ':',
  '-',
  '=',
  '"',
  '&',
  ' ',
  '\n',
  'A',
  '0',
  '9',
  ',',
  '&amp;',
  '&#13;',
  '<![CDATA[x]]>',
  'sr:',
  'ds:',
  '</sr:Body>',
  '<sr:Body>',
  '<sr:X/>',
  'xmlns:sr="urn:x"',
  '<!--c-->',
  '18446744073709551616',
  '8F66',
];

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...SNIPPETS) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
);

function apply(doc: string, edits: readonly Edit[]): string {
  let s = doc;
  for (const e of edits) {
    const at = e.at % (s.length + 1);
    if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.length);
    else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
    else s = s.slice(0, at) + s.slice(at, at + e.length) + s.slice(at);
  }
  return s;
}

/** Parses as DUIS; when that succeeds, the value must round-trip and its typed body must read or refuse cleanly. */
function exercise(text: string): 'parsed' | 'refused' {
  try {
    const doc = parseXml(text);
    if (doc.root.localName === 'Response') {
      const res = parseDuisResponse(doc);
      const back = parseDuisResponse(parseXml(serializeXml(buildDuisResponse(res))));
      expect(withoutOffsets(back)).toEqual(withoutOffsets(res));
    } else {
      const req = parseDuisRequest(doc);
      const back = parseDuisRequest(parseXml(serializeXml(buildDuisRequest(req))));
      expect(withoutOffsets(back)).toEqual(withoutOffsets(req));
      const codec = TYPED_BODIES.get(req.header.serviceReferenceVariant);
      if (codec !== undefined && req.body.element === codec.element) {
        try {
          const typed = codec.read(req);
          expect(withoutOffsets(codec.decode(codec.encode(typed)))).toEqual(withoutOffsets(typed));
        } catch (e) {
          if (!(e instanceof DuisError)) throw e;
        }
      }
    }
    return 'parsed';
  } catch (e) {
    if (e instanceof DuisError || e instanceof XmlError) return 'refused';
    throw e;
  }
}

describe.skipIf(!HAVE_VECTORS)('mutated DUIS documents', () => {
  const docs = HAVE_VECTORS ? corpus() : [];

  it('start from 240 documents under 6,000 characters, all of them DUIS or refused as listed', () => {
    expect(docs).toHaveLength(240);
    const outcomes = docs.map(exercise);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(4);
  });

  it('either parse (and then round-trip and read their typed body) or throw DuisError / XmlError', () => {
    let parsed = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (pick, edits) => {
        if (exercise(apply(docs[pick % docs.length]!, edits)) === 'parsed') parsed++;
      }),
      { numRuns: 10_000 },
    );
    // Some mutations only touch whitespace or the signature: the property must have seen both outcomes.
    expect(parsed).toBeGreaterThan(0);
  });
});
