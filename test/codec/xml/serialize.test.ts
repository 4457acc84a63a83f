import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml, XmlWriteError } from '../../../src/codec/xml/serialize.js';
import { XmlError, type XmlElement } from '../../../src/codec/xml/types.js';
import { HAVE_VECTORS } from '../../vectors.js';
import { vectorXmlFiles, withoutOffsets } from './support.js';

function element(partial: Partial<XmlElement> & { qname: string }): XmlElement {
  const colon = partial.qname.indexOf(':');
  return {
    kind: 'element',
    prefix: colon < 0 ? null : partial.qname.slice(0, colon),
    localName: colon < 0 ? partial.qname : partial.qname.slice(colon + 1),
    namespace: null,
    namespaces: [],
    attributes: [],
    children: [],
    offset: -1,
    ...partial,
  };
}

describe('serializeXml', () => {
  it('escapes & < > and CR in text, and & < " TAB LF CR in attribute values', () => {
    const doc = parseXml('<a v="&amp;&lt;&gt;&quot;\'&#9;&#10;&#13;">&amp;&lt;&gt;"\'&#13;\n</a>');
    expect(serializeXml(doc)).toBe('<a v="&amp;&lt;>&quot;\'&#9;&#10;&#13;">&amp;&lt;&gt;"\'&#13;\n</a>');
  });

  it('writes empty elements as <a/> and keeps CDATA, comments and processing instructions', () => {
    const doc = parseXml('<a><b></b><![CDATA[<x>]]><!-- c --><?p d?><?q?></a>');
    expect(serializeXml(doc)).toBe('<a><b/><![CDATA[<x>]]><!-- c --><?p d?><?q?></a>');
  });

  it('writes the declaration, prolog and epilog of a document, one per line', () => {
    const doc = parseXml('<?xml version="1.0" encoding="UTF-8" standalone="no"?><!--p--><a/><?e?>');
    expect(serializeXml(doc)).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!--p-->\n<a/>\n<?e?>',
    );
    expect(serializeXml(doc, { declaration: false })).toBe('<!--p-->\n<a/>\n<?e?>');
    expect(serializeXml(parseXml('<a/>'), { declaration: true })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a/>',
    );
    expect(serializeXml(parseXml('<a/>').root)).toBe('<a/>');
  });

  it('keeps namespace declarations and attributes in document order', () => {
    const text =
      '<p:a xmlns:z="urn:z" xmlns:p="urn:p" xmlns="urn:d" z:y="2" b="1" p:a="0"><c xmlns=""/></p:a>';
    expect(serializeXml(parseXml(text))).toBe(text);
  });

  it('declares the namespaces a built tree uses but does not declare', () => {
    const tree = element({
      qname: 'sr:Request',
      namespace: 'urn:sr',
      attributes: [{ qname: 'ds:Id', prefix: 'ds', localName: 'Id', namespace: 'urn:ds', value: '1' }],
      children: [
        element({ qname: 'sr:Header', namespace: 'urn:sr' }),
        element({ qname: 'Body', namespace: 'urn:default' }),
        element({ qname: 'Plain' }),
      ],
    });
    const text = serializeXml(tree);
    expect(text).toBe(
      '<sr:Request xmlns:sr="urn:sr" xmlns:ds="urn:ds" ds:Id="1"><sr:Header/><Body xmlns="urn:default"/><Plain/></sr:Request>',
    );
    const inDefault = element({ qname: 'a', namespace: 'urn:d', children: [element({ qname: 'b' })] });
    expect(serializeXml(inDefault)).toBe('<a xmlns="urn:d"><b xmlns=""/></a>');
  });

  it('writes an element taken from inside a document with the declarations it needs from its ancestors', () => {
    const doc = parseXml('<sr:R xmlns:sr="urn:sr"><sr:Body><sr:X a="1"/></sr:Body></sr:R>');
    const body = doc.root.children[0] as XmlElement;
    expect(serializeXml(body)).toBe('<sr:Body xmlns:sr="urn:sr"><sr:X a="1"/></sr:Body>');
  });

  it.each([
    [
      'a character XML cannot hold',
      element({ qname: 'a', children: [{ kind: 'text', value: 'x\u0000' }] }),
      'xml serialize: /a: text holds U+0000, which XML 1.0 cannot represent',
    ],
    [
      '"--" in a comment',
      element({ qname: 'a', children: [{ kind: 'comment', value: 'a--b' }] }),
      'xml serialize: /a: comment cannot contain "--", end with "-" or hold CR: "a--b"',
    ],
    [
      '"]]>" in CDATA',
      element({ qname: 'a', children: [{ kind: 'text', value: ']]>', cdata: true }] }),
      'xml serialize: /a: CDATA section cannot hold "]]>" or CR: "]]>"',
    ],
    [
      'a PI named xml',
      element({ qname: 'a', children: [{ kind: 'pi', target: 'xml', data: '' }] }),
      'xml serialize: /a: processing instruction target "xml" is not an NCName other than "xml"',
    ],
    [
      'a qname that disagrees with prefix and local name',
      element({ qname: 'a', localName: 'b' }),
      'xml serialize: /a: element qname "a" is not a QName made of prefix null and local name "b"',
    ],
    [
      'a namespaced attribute without prefix',
      element({
        qname: 'a',
        attributes: [{ qname: 'x', prefix: null, localName: 'x', namespace: 'urn:x', value: '' }],
      }),
      'xml serialize: /a: attribute "x" has namespace urn:x but no prefix',
    ],
    [
      'a prefix used with two namespaces on one element',
      element({
        qname: 'p:a',
        namespace: 'urn:1',
        attributes: [{ qname: 'p:x', prefix: 'p', localName: 'x', namespace: 'urn:2', value: '' }],
      }),
      'xml serialize: /p:a: attribute "p:x" needs prefix "p" bound to "urn:2", but it is bound to "urn:1" here',
    ],
  ])('refuses %s', (_what, tree, message) => {
    expect(() => serializeXml(tree)).toThrow(new XmlWriteError(message));
  });

  it('names the path of the element it refuses', () => {
    const tree = element({
      qname: 'a',
      children: [element({ qname: 'b', children: [{ kind: 'text', value: '\u0001' }] })],
    });
    expect(() => serializeXml(tree)).toThrow('xml serialize: /a/b: text holds U+0001');
  });
});

describe('serializeXml: every XML file in the vectors round-trips', () => {
  // [folder, files that parse and round-trip, files refused by parseXml (by name)]
  const EXPECTED: [string, number, string[]][] = [
    ['dccboxed-signing-tool/src/main/resources', 4, ['xmldsig-core-schema.xsd']],
    ['dccboxed-signing-tool/src/test/resources', 15, ['DUIS Schema V5.0-bad.xsd', 'duis-xxe.xml']],
    ['duis-parser/test/resources', 5, []],
    ['duis-sign-wrap/test/data', 5, []],
    ['duis-templates/templates', 223, []],
    ['duis-templates/test/data', 9, []],
  ];

  it.runIf(HAVE_VECTORS)(
    'parse(serialize(parse(x))) equals parse(x), and serialising again changes nothing',
    () => {
      const seen = new Map<string, { ok: number; refused: string[] }>();
      for (const [folder, path] of vectorXmlFiles()) {
        const tally = seen.get(folder) ?? { ok: 0, refused: [] };
        seen.set(folder, tally);
        let doc;
        try {
          doc = parseXml(readFileSync(path));
        } catch (e) {
          if (!(e instanceof XmlError)) throw e;
          tally.refused.push(basename(path));
          continue;
        }
        const text = serializeXml(doc);
        const again = parseXml(text);
        expect(withoutOffsets(again), path).toEqual(withoutOffsets(doc));
        expect(serializeXml(again), path).toBe(text);
        tally.ok++;
      }
      expect([...seen].map(([folder, t]) => [folder, t.ok, t.refused])).toEqual(EXPECTED);
    },
  );

  it.runIf(HAVE_VECTORS)("round-trips the W3C xmldsig schema read with doctype 'skip'", () => {
    const path = vectorXmlFiles().find(([, p]) => p.endsWith('xmldsig-core-schema.xsd'))![1];
    const doc = parseXml(readFileSync(path), undefined, { doctype: 'skip' });
    expect(withoutOffsets(parseXml(serializeXml(doc)))).toEqual(withoutOffsets(doc));
  });
});
