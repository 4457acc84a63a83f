import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXml, XML_NAMESPACE } from '../../../src/codec/xml/parse.js';
import { XmlError, type XmlElement, type XmlLimits } from '../../../src/codec/xml/types.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';

const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SIGNING_TESTS = ['dccboxed-signing-tool', 'src', 'test', 'resources'];

/** The XmlError parseXml throws for `input`; fails the test if it returns or throws anything else. */
function refusal(input: string | Uint8Array, limits?: Partial<XmlLimits>): XmlError {
  try {
    parseXml(input, limits);
  } catch (e) {
    if (e instanceof XmlError) return e;
    throw e;
  }
  throw new Error(`expected an XmlError for ${JSON.stringify(String(input).slice(0, 60))}`);
}

function where(e: XmlError): [number, number, string] {
  return [e.line, e.column, e.reason];
}

function el(node: unknown): XmlElement {
  expect((node as XmlElement).kind).toBe('element');
  return node as XmlElement;
}

describe('parseXml: the tree', () => {
  it('reads a DUIS request into namespace-resolved elements, attributes in document order', () => {
    const doc = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<sr:Request xmlns:sr="${SR}" xmlns:ds="${DS}" schemaVersion="5.4"><sr:Header/></sr:Request>`,
    );
    expect(doc.declaration).toEqual({ version: '1.0', encoding: 'UTF-8' });
    expect(doc.root).toMatchObject({
      kind: 'element',
      qname: 'sr:Request',
      prefix: 'sr',
      localName: 'Request',
      namespace: SR,
      namespaces: [
        { prefix: 'sr', uri: SR },
        { prefix: 'ds', uri: DS },
      ],
      attributes: [
        { qname: 'schemaVersion', prefix: null, localName: 'schemaVersion', namespace: null, value: '5.4' },
      ],
      offset: 39,
    });
    expect(el(doc.root.children[0])).toMatchObject({ qname: 'sr:Header', namespace: SR, children: [] });
  });

  it('keeps whitespace-only text between elements, because signatures cover it', () => {
    const doc = parseXml('<a>\n  <b> </b>\n</a>');
    expect(doc.root.children.map((c) => (c.kind === 'text' ? c.value : c.kind))).toEqual([
      '\n  ',
      'element',
      '\n',
    ]);
    expect(el(doc.root.children[1]).children).toEqual([{ kind: 'text', value: ' ' }]);
  });

  it('records where each element starts, for error messages', () => {
    const doc = parseXml('<a>\n <b/><c></c></a>');
    expect(doc.root.offset).toBe(0);
    expect(
      doc.root.children.filter((c) => c.kind === 'element').map((c) => (c as XmlElement).offset),
    ).toEqual([5, 9]);
  });

  it('reads the XML declaration with encoding and standalone, and keeps prolog and epilog comments and PIs', () => {
    const doc = parseXml(
      '<?xml version=\'1.0\' encoding="utf-8" standalone="no" ?>\n<!-- before --><?app x?>\n<a/>\n<!--after--><?end?>',
    );
    expect(doc.declaration).toEqual({ version: '1.0', encoding: 'utf-8', standalone: 'no' });
    expect(doc.prolog).toEqual([
      { kind: 'comment', value: ' before ' },
      { kind: 'pi', target: 'app', data: 'x' },
    ]);
    expect(doc.epilog).toEqual([
      { kind: 'comment', value: 'after' },
      { kind: 'pi', target: 'end', data: '' },
    ]);
  });

  it('keeps CDATA as a text node marked cdata, next to ordinary text', () => {
    const doc = parseXml('<a>x<![CDATA[<b>&amp;]]>y</a>');
    expect(doc.root.children).toEqual([
      { kind: 'text', value: 'x' },
      { kind: 'text', value: '<b>&amp;', cdata: true },
      { kind: 'text', value: 'y' },
    ]);
  });

  it('expands the five predefined entities and decimal and hex character references, in text and attributes', () => {
    const doc = parseXml(
      `<a v="&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;">&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1f600;</a>`,
    );
    expect(doc.root.attributes[0]!.value).toBe(`<>&'"AB\u{1F600}`);
    expect(doc.root.children).toEqual([{ kind: 'text', value: `<>&'"AB\u{1F600}` }]);
  });

  it('turns CR LF and lone CR into LF in text, comments and PIs, but keeps a CR written as &#13;', () => {
    const doc = parseXml('<a>1\r\n2\r3&#13;\n4<!--c\r\nd--><?p e\rf?></a>');
    expect(doc.root.children).toEqual([
      { kind: 'text', value: '1\n2\n3\r\n4' },
      { kind: 'comment', value: 'c\nd' },
      { kind: 'pi', target: 'p', data: 'e\nf' },
    ]);
  });

  it('normalises TAB, LF and CR in attribute values to spaces, but keeps them when written as references', () => {
    const doc = parseXml('<a v="1\t2\n3\r\n4\r5&#9;&#10;&#13;"/>');
    expect(doc.root.attributes[0]!.value).toBe('1 2 3 4 5\t\n\r');
  });

  it('skips a byte order mark in bytes and in a string', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a/>')]);
    expect(parseXml(bytes).root.qname).toBe('a');
    expect(parseXml('\ufeff<a/>').root.offset).toBe(1);
  });

  it('decodes UTF-8 names and text, supplementary characters included', () => {
    const doc = parseXml(new TextEncoder().encode('<名前 é="ü">\u{10000}𝄞</名前>'));
    expect(doc.root.qname).toBe('名前');
    expect(doc.root.attributes[0]).toMatchObject({ qname: 'é', value: 'ü' });
    expect(doc.root.children).toEqual([{ kind: 'text', value: '\u{10000}𝄞' }]);
  });

  it.runIf(HAVE_VECTORS)(
    'reads a DUIS request from the DCC Boxed signing tests with its signature in place',
    () => {
      const doc = parseXml(
        readFileSync(vectorPath(...SIGNING_TESTS, 'ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-signed.XML')),
      );
      expect(doc.root.qname).toBe('sr:Request');
      const signature = doc.root.children.filter((c) => c.kind === 'element').at(-1) as XmlElement;
      // <ds:Signature xmlns="…xmldsig#">: the default namespace is declared but the element is prefixed.
      expect(signature).toMatchObject({
        qname: 'ds:Signature',
        namespace: DS,
        namespaces: [{ prefix: null, uri: DS }],
      });
      expect(signature.children.find((c) => c.kind === 'comment')).toBeDefined();
    },
  );
});

describe('parseXml: namespaces', () => {
  it('resolves default and prefixed namespaces, innermost declaration first, and undeclares the default with xmlns=""', () => {
    const doc = parseXml('<a xmlns="urn:1" xmlns:p="urn:p"><b xmlns="urn:2"><p:c/><d xmlns=""/></b><e/></a>');
    const b = el(doc.root.children[0]);
    expect(doc.root.namespace).toBe('urn:1');
    expect(b.namespace).toBe('urn:2');
    expect(el(b.children[0])).toMatchObject({ prefix: 'p', namespace: 'urn:p' });
    expect(el(b.children[1])).toMatchObject({ namespace: null, namespaces: [{ prefix: null, uri: '' }] });
    expect(el(doc.root.children[1]).namespace).toBe('urn:1');
  });

  it('binds xml without a declaration and gives unprefixed attributes no namespace, whatever the default', () => {
    const doc = parseXml('<a xmlns="urn:d" xml:lang="en" plain="1"/>');
    expect(doc.root.attributes).toEqual([
      { qname: 'xml:lang', prefix: 'xml', localName: 'lang', namespace: XML_NAMESPACE, value: 'en' },
      { qname: 'plain', prefix: null, localName: 'plain', namespace: null, value: '1' },
    ]);
  });

  it("applies an element's declarations to its own name and attributes, even when written after them", () => {
    const doc = parseXml('<p:a p:x="1" xmlns:p="urn:p"/>');
    expect(doc.root.namespace).toBe('urn:p');
    expect(doc.root.attributes[0]!.namespace).toBe('urn:p');
  });

  it('scopes a declaration to its element: a sibling does not see it', () => {
    expect(where(refusal('<a><b xmlns:p="urn:p"/><p:c/></a>'))).toEqual([
      1,
      25,
      'namespace prefix "p" of element <p:c> is not declared',
    ]);
  });

  it.each([
    [
      'an unbound element prefix',
      '<a>\n  <p:b/>\n</a>',
      2,
      4,
      'namespace prefix "p" of element <p:b> is not declared',
    ],
    [
      'an unbound attribute prefix',
      '<a p:x="1"/>',
      1,
      4,
      'namespace prefix "p" of attribute "p:x" on <a> is not declared',
    ],
    [
      'undeclaring a prefix',
      '<a xmlns:p=""/>',
      1,
      4,
      'namespace prefix "p" cannot be undeclared (xmlns:p=""); Namespaces in XML 1.0 forbids it',
    ],
    [
      'binding xml elsewhere',
      '<a xmlns:xml="urn:x"/>',
      1,
      4,
      'the prefix "xml" must be bound to http://www.w3.org/XML/1998/namespace, got "urn:x"',
    ],
    ['declaring xmlns', '<a xmlns:xmlns="urn:x"/>', 1, 4, 'the prefix "xmlns" must not be declared'],
    [
      'an element prefixed xmlns',
      '<xmlns:a/>',
      1,
      2,
      'element <xmlns:a> must not use the reserved prefix "xmlns"',
    ],
    [
      'another prefix for the xml namespace',
      `<a xmlns:p="${XML_NAMESPACE}"/>`,
      1,
      4,
      `namespace prefix "p" must not be bound to ${XML_NAMESPACE}`,
    ],
    [
      'the xmlns namespace as default',
      '<a xmlns="http://www.w3.org/2000/xmlns/"/>',
      1,
      4,
      'the default namespace must not be http://www.w3.org/2000/xmlns/',
    ],
    [
      'two attributes with one expanded name',
      '<a xmlns:p="urn:x" xmlns:q="urn:x" p:n="1" q:n="2"/>',
      1,
      44,
      'attributes "p:n" and "q:n" on <a> have the same expanded name {urn:x}n',
    ],
    [
      'a name with two colons',
      '<a:b:c/>',
      1,
      5,
      'element name "a:b:c" has more than one colon; expected a QName',
    ],
    [
      'a name with an empty local part',
      '<a: x="1"/>',
      1,
      4,
      'element name "a:" is not a QName: expected a name character after ":", found U+0020',
    ],
    ['a name starting with a colon', '<:a/>', 1, 2, 'expected element name, found ":"'],
  ])('refuses %s', (_what, input, line, column, reason) => {
    expect(where(refusal(input))).toEqual([line, column, reason]);
  });
});

describe('parseXml: well-formedness errors name the place, the expectation and what came', () => {
  it.each([
    [
      'a mismatched end tag',
      '<a>\n  <b></c>\n</a>',
      2,
      6,
      'end tag </c> does not match start tag <b> opened at line 2, column 3',
    ],
    [
      'an unclosed element',
      '<a>\n  <b>text',
      2,
      10,
      'unexpected end of document; <b> opened at line 2, column 3 is not closed',
    ],
    [
      'a second root',
      '<a/><!--c--><b/>',
      1,
      13,
      'a second root element after </a>; a document has exactly one root element',
    ],
    ['text before the root', 'hi<a/>', 1, 1, 'expected "<" of the root element, found "h"'],
    [
      'text after the root',
      '<a/>hi',
      1,
      5,
      'expected only comments or processing instructions after the root element, found "h"',
    ],
    ['an empty document', '', 1, 1, 'document is empty; expected a root element'],
    ['a document of whitespace', '  \n ', 2, 2, 'no root element; expected a start tag'],
    ['a duplicate attribute', '<a x="1" x="2"/>', 1, 10, 'duplicate attribute "x" on <a>'],
    ['"<" in an attribute value', '<a x="1<2"/>', 1, 8, '"<" is not allowed in the value of attribute "x"'],
    ['"]]>" in text', '<a>x]]>y</a>', 1, 5, '"]]>" is not allowed in character data'],
    [
      'an entity other than the predefined five',
      '<a>&nbsp;</a>',
      1,
      4,
      'unknown entity reference "&nbsp;"; only &lt; &gt; &amp; &apos; &quot; and character references are allowed (no DTD)',
    ],
    [
      'a bare ampersand',
      '<a>fish & chips</a>',
      1,
      9,
      '"&" must start a reference such as &amp; or &#38;, found "& chips</a>"',
    ],
    [
      'a reference without ";"',
      '<a>&amp</a>',
      1,
      4,
      '"&" must start a reference such as &amp; or &#38;, found "&amp</a>"',
    ],
    ['a reference to U+0000', '<a>&#0;</a>', 1, 4, 'character reference "&#0;" is not a legal XML character'],
    [
      'a reference to a surrogate',
      '<a>&#xD800;</a>',
      1,
      4,
      'character reference "&#xD800;" is not a legal XML character',
    ],
    [
      'a reference beyond U+10FFFF',
      '<a>&#99999999999;</a>',
      1,
      4,
      'character reference "&#99999999999;" is not a legal XML character',
    ],
    [
      'a reference without digits',
      '<a>&#x;</a>',
      1,
      4,
      'malformed character reference "&#x;"; expected &#digits; or &#xhex;',
    ],
    ['a control character', '<a>\u0001</a>', 1, 4, 'character U+0001 is not allowed in XML'],
    ['a lone surrogate', '<a>\ud800</a>', 1, 4, 'character U+D800 is not allowed in XML'],
    ['U+FFFE', '<a x="\ufffe"/>', 1, 7, 'character U+FFFE is not allowed in XML'],
    [
      'attributes without whitespace between',
      '<a x="1"y="2"/>',
      1,
      9,
      'expected whitespace, ">" or "/>" in start tag <a>, found "y"',
    ],
    ['an unquoted attribute value', '<a x=1/>', 1, 6, 'expected a quoted value for attribute "x", found "1"'],
    [
      'an attribute without "="',
      '<a x "1"/>',
      1,
      6,
      `expected "=" after attribute name "x" in <a>, found '"'`,
    ],
    ['"--" inside a comment', '<a><!-- a -- b --></a>', 1, 11, '"--" is not allowed inside a comment'],
    [
      'an XML declaration after the start',
      '<a><?xml version="1.0"?></a>',
      1,
      4,
      'XML declaration is only allowed at the very start of the document',
    ],
    [
      'an XML declaration after whitespace',
      ' <?xml version="1.0"?><a/>',
      1,
      2,
      'XML declaration is only allowed at the very start of the document',
    ],
    [
      'a declaration without version at the start',
      '<?xml?><a/>',
      1,
      1,
      'XML declaration lacks version; expected <?xml version="1.0"',
    ],
    ['a reserved PI target', '<?XmL x?><a/>', 1, 1, 'processing instruction target "XmL" is reserved'],
    [
      'a PI target with a colon',
      '<?a:b?><a/>',
      1,
      3,
      'processing instruction target "a:b" must not contain a colon',
    ],
    ['CDATA outside the root', '<![CDATA[x]]><a/>', 1, 1, 'CDATA section outside the root element'],
    ['XML 1.1', '<?xml version="1.1"?><a/>', 1, 7, 'XML version "1.1" is not supported; expected "1.0"'],
    [
      'a declaration without version',
      '<?xml encoding="UTF-8"?><a/>',
      1,
      1,
      'XML declaration lacks version; expected version="1.0" first',
    ],
    [
      'declaration parts out of order',
      '<?xml version="1.0" standalone="no" encoding="UTF-8"?><a/>',
      1,
      37,
      'unexpected "encoding" in the XML declaration; expected version, then optional encoding and standalone, in that order',
    ],
    [
      'standalone other than yes or no',
      '<?xml version="1.0" standalone="maybe"?><a/>',
      1,
      21,
      'standalone must be "yes" or "no", got "maybe"',
    ],
    [
      'other markup declarations',
      '<a><!ELEMENT a ANY></a>',
      1,
      4,
      'expected "<!--" or "<![CDATA[" after "<!", found "<!ELEMENT"',
    ],
    ['junk in an end tag', '<a></a x>', 1, 8, 'expected ">" to close end tag </a>, found "x"'],
    ['the end inside a start tag', '<a x="1"', 1, 9, 'unexpected end of document inside start tag <a>'],
    [
      'the end inside an attribute value',
      '<a x="1',
      1,
      6,
      `value of attribute "x" is not closed; expected '"'`,
    ],
    ['an unclosed comment', '<a><!-- x', 1, 4, 'comment is not closed; expected "-->"'],
    ['an unclosed CDATA section', '<a><![CDATA[ x', 1, 4, 'CDATA section is not closed; expected "]]>"'],
    ['an unclosed PI', '<a><?p x', 1, 4, 'processing instruction <?p is not closed; expected "?>"'],
    ['a name starting with a digit', '<1a/>', 1, 2, 'expected element name, found "1"'],
  ])('refuses %s', (_what, input, line, column, reason) => {
    expect(where(refusal(input))).toEqual([line, column, reason]);
  });

  it('counts lines across CR LF, CR and LF, and columns from 1', () => {
    const e = refusal('<a>\r\n<b>\r</c>');
    expect([e.line, e.column, e.offset]).toEqual([3, 1, 9]);
    expect(e.message).toBe(
      'xml: line 3, column 1: end tag </c> does not match start tag <b> opened at line 2, column 1',
    );
  });

  it('accepts whitespace before ">" in an end tag', () => {
    expect(parseXml('<a></a \n>').root.qname).toBe('a');
  });

  it('refuses bytes that are not UTF-8, naming the byte', () => {
    const e = refusal(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]));
    expect(where(e)).toEqual([1, 4, 'invalid UTF-8 at byte 3 (0xc3); expected UTF-8 text']);
  });

  it('refuses bytes declared in another encoding, but takes a string as already decoded', () => {
    const latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><a/>';
    expect(where(refusal(new TextEncoder().encode(latin1)))).toEqual([
      1,
      21,
      'encoding "ISO-8859-1" is not supported; expected UTF-8',
    ]);
    expect(parseXml(latin1).declaration).toEqual({ version: '1.0', encoding: 'ISO-8859-1' });
  });
});

describe('parseXml: safety', () => {
  const DTD_REFUSED =
    'DTDs are not allowed (found <!DOCTYPE); entity declarations and external subsets are refused';

  it.runIf(HAVE_VECTORS)(
    'refuses the DCC Boxed XXE test document (an external entity on /etc/passwd) at its DOCTYPE',
    () => {
      const e = refusal(readFileSync(vectorPath(...SIGNING_TESTS, 'duis-xxe.xml')));
      expect(where(e)).toEqual([2, 1, DTD_REFUSED]);
    },
  );

  it.runIf(HAVE_VECTORS)('refuses the empty DCC Boxed test file `null`', () => {
    expect(where(refusal(readFileSync(vectorPath(...SIGNING_TESTS, 'null'))))).toEqual([
      1,
      1,
      'document is empty; expected a root element',
    ]);
  });

  it.each([
    [
      'billion laughs',
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n' +
        ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n<lolz>&lol3;</lolz>',
    ],
    [
      'an external DTD',
      '<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "http://attacker.example/evil.dtd">\n<a/>',
    ],
    [
      'a public external DTD',
      '<?xml version="1.0"?>\n<!DOCTYPE a PUBLIC "-//X//Y" "file:///etc/passwd">\n<a/>',
    ],
    [
      'parameter entities',
      '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY % p SYSTEM "http://x/"> %p;]>\n<a/>',
    ],
  ])('refuses %s before reading any declaration in it', (_what, input) => {
    expect(where(refusal(input))).toEqual([2, 1, DTD_REFUSED]);
  });

  it('refuses a DOCTYPE inside an element too', () => {
    expect(where(refusal('<a><!DOCTYPE a></a>'))).toEqual([1, 4, DTD_REFUSED]);
  });

  it('treats an entity reference as unknown when no DTD declares it, so nothing is ever fetched', () => {
    expect(refusal('<a>&xxe;</a>').reason).toMatch(/^unknown entity reference "&xxe;"/);
  });

  it.runIf(HAVE_VECTORS)(
    "with doctype 'skip', reads past the W3C xmldsig schema's DOCTYPE without declaring its entities",
    () => {
      const xsd = readFileSync(
        vectorPath('dccboxed-signing-tool', 'src', 'main', 'resources', 'xmldsig-core-schema.xsd'),
      );
      expect(where(refusal(xsd))).toEqual([2, 1, DTD_REFUSED]);
      const doc = parseXml(xsd, undefined, { doctype: 'skip' });
      expect(doc.root).toMatchObject({ localName: 'schema', namespace: 'http://www.w3.org/2001/XMLSchema' });
      const withEntity = '<!DOCTYPE a [<!ENTITY x "]>">]><a>&x;</a>';
      expect(() => parseXml(withEntity, undefined, { doctype: 'skip' })).toThrow(
        /unknown entity reference "&x;"/,
      );
    },
  );

  it('refuses a document longer than maxLength, in characters or in bytes', () => {
    expect(where(refusal('<a>12345</a>', { maxLength: 10 }))).toEqual([
      1,
      11,
      'document is 12 characters; maxLength is 10',
    ]);
    expect(parseXml('<a>123</a>', { maxLength: 10 }).root.qname).toBe('a');
    const bytes = new TextEncoder().encode(`<a>${'x'.repeat(40)}</a>`);
    expect(refusal(bytes, { maxLength: 10 }).reason).toBe(
      'document is 47 bytes; at most 10 characters are allowed (maxLength)',
    );
  });

  it('refuses nesting deeper than maxDepth, and accepts exactly maxDepth', () => {
    const nested = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(() => parseXml(nested(64))).not.toThrow();
    expect(where(refusal(nested(65)))).toEqual([1, 193, 'element <a> is nested 65 deep; maxDepth is 64']);
    expect(where(refusal(nested(3), { maxDepth: 2 }))).toEqual([
      1,
      7,
      'element <a> is nested 3 deep; maxDepth is 2',
    ]);
  });

  it('parses 100,000 nested elements without recursion when the limit allows it', () => {
    const n = 100_000;
    const doc = parseXml('<a>'.repeat(n) + '</a>'.repeat(n), { maxDepth: n });
    let depth = 1;
    for (let e = doc.root; e.children.length > 0; e = e.children[0] as XmlElement) depth++;
    expect(depth).toBe(n);
  });

  it('refuses more attributes than maxAttributes, namespace declarations included', () => {
    const attrs = (n: number) => Array.from({ length: n }, (_, i) => ` a${i}="${i}"`).join('');
    expect(() => parseXml(`<e${attrs(64)}/>`)).not.toThrow();
    expect(where(refusal(`<e${attrs(65)}/>`))).toEqual([
      1,
      560,
      'element <e> has more than 64 attributes (maxAttributes)',
    ]);
    expect(refusal('<e xmlns:p="urn:p" a="1"/>', { maxAttributes: 1 }).reason).toBe(
      'element <e> has more than 1 attributes (maxAttributes)',
    );
  });

  it('finds a duplicate among many attributes (the set-based check)', () => {
    const attrs = Array.from({ length: 40 }, (_, i) => ` a${i}="${i}"`).join('');
    expect(refusal(`<e${attrs} a33="again"/>`).reason).toBe('duplicate attribute "a33" on <e>');
  });

  it('refuses more elements than maxElements', () => {
    expect(where(refusal('<a><b/><b/><b/></a>', { maxElements: 3 }))).toEqual([
      1,
      12,
      'more than 3 elements (maxElements)',
    ]);
    expect(parseXml('<a><b/><b/></a>', { maxElements: 3 }).root.children).toHaveLength(2);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => parseXml('<a/>', { maxDepth: 0 })).toThrow(
      new RangeError('XmlLimits.maxDepth expected a positive integer, got 0'),
    );
    expect(() => parseXml('<a/>', { maxElements: 1.5 })).toThrow(RangeError);
    expect(parseXml('<a/>', { maxDepth: undefined }).root.qname).toBe('a');
  });

  it('reads hostile-but-legal bulk in one pass: 800,000 references, long runs of "]" and "-"', () => {
    const refs = parseXml(`<a b="${'&amp;'.repeat(200_000)}">${'&#x41;&lt;'.repeat(300_000)}</a>`);
    expect(refs.root.attributes[0]!.value).toHaveLength(200_000);
    expect((refs.root.children[0] as { value: string }).value).toHaveLength(600_000);
    expect(parseXml(`<a>${']'.repeat(1_000_000)}</a>`).root.children).toHaveLength(1);
    expect(parseXml(`<a><!--${'- '.repeat(500_000)}--></a>`).root.children).toHaveLength(1);
    expect(refusal(`<a><!--${'-'.repeat(1_000_000)}`).reason).toBe('"--" is not allowed inside a comment');
  });

  it('reads 200,000 sibling elements at the default maxElements', () => {
    const n = 199_999;
    expect(parseXml(`<r>${'<e/>'.repeat(n)}</r>`).root.children).toHaveLength(n);
  });
});
