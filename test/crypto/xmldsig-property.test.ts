// Properties of DUIS signature verification: whatever is done to a signed document, verifyDuis answers with a
// verdict (it never throws), and it answers "valid" only when the signed content and SignedInfo are unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { canonicalizeExclusive, canonicalizeInclusive } from '../../src/codec/xml/c14n.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { XmlWriteError, serializeXml } from '../../src/codec/xml/serialize.js';
import type { XmlDocument, XmlElement, XmlNode } from '../../src/codec/xml/types.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import { XmlSigningCredentials } from '../../src/crypto/xmldsig-credentials.js';
import { XMLDSIG_NAMESPACE, signDuis, signDuisText, verifyDuis } from '../../src/crypto/xmldsig.js';
import { HAVE_VECTORS } from './support.js';
import { duisTemplates, signingToolCredentials } from './xmldsig-support.js';

const SUPPLIER = eui64('90B3D51F30010000');

function isSignature(n: XmlNode): boolean {
  return n.kind === 'element' && n.namespace === XMLDSIG_NAMESPACE && n.localName === 'Signature';
}

function signatureOf(doc: XmlDocument): XmlElement {
  return doc.root.children.find(isSignature) as XmlElement;
}

/** What a valid signature vouches for: the canonical content without the signature, and the canonical SignedInfo. */
function vouchedFor(doc: XmlDocument): { content: string; signedInfo: string } {
  const signature = signatureOf(doc);
  const signedInfo = signature.children.find((c): c is XmlElement => c.kind === 'element')!;
  return {
    content: canonicalizeInclusive(doc, { omit: (el) => el === signature }),
    signedInfo: canonicalizeExclusive(signedInfo),
  };
}

function elementsOf(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  out.push(el);
  for (const c of el.children) if (c.kind === 'element') elementsOf(c, out);
  return out;
}

describe.skipIf(!HAVE_VECTORS)('verifyDuis on mutated signed documents', () => {
  const credentials = HAVE_VECTORS ? signingToolCredentials() : undefined!;
  const template = HAVE_VECTORS
    ? duisTemplates().find((t) => t.name.startsWith('ECS17b_4.1.1'))!
    : undefined!;
  const signed = HAVE_VECTORS ? signDuis(template.xml, credentials.signer(SUPPLIER)!) : '';
  const baseline = HAVE_VECTORS ? vouchedFor(parseXml(signed)) : undefined!;

  it('starts from a document that verifies', () => {
    expect(verifyDuis(signed, credentials).valid).toBe(true);
  });

  it('never throws for edited text, and is valid only when what the signature vouches for is unchanged', () => {
    const alphabet = [...new Set(signed)].concat([
      '&',
      '\r',
      '\u00e9',
      '\uFFFF',
      ']]>',
      '<!--',
      '&#13;',
      '<?x?>',
    ]);
    // 'alnum' swaps a letter or digit of character data for another: the document stays well-formed.
    const alnum = [...signed.matchAll(/>([^<]+)</g)].flatMap((m) =>
      [...m[1]!.matchAll(/[A-Za-z0-9]/g)].map((c) => m.index + 1 + c.index),
    );
    const edit = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('alnum', 'alnum', 'alnum', 'replace', 'delete', 'insert', 'duplicate'),
      piece: fc.constantFrom(...alphabet),
      length: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = signed;
        for (const { at, op, piece, length } of edits) {
          const i = at % (text.length + 1);
          if (op === 'alnum') {
            const j = alnum[at % alnum.length]!;
            const c = text[j] === 'A' ? 'B' : 'A';
            text =
              text.slice(0, j) +
              (piece.length === 1 && /[A-Za-z0-9]/.test(piece) && piece !== text[j] ? piece : c) +
              text.slice(j + 1);
          } else if (op === 'replace') text = text.slice(0, i) + piece + text.slice(i + 1);
          else if (op === 'delete') text = text.slice(0, i) + text.slice(i + length);
          else if (op === 'insert') text = text.slice(0, i) + piece + text.slice(i);
          else text = text.slice(0, i) + text.slice(i, i + length) + text.slice(i);
        }
        const verdict = verifyDuis(text, credentials);
        // Edits inside tags, in KeyInfo whitespace or the XML declaration may leave what is signed unchanged.
        if (verdict.valid) expect(vouchedFor(parseXml(text))).toEqual(baseline);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a change to the signed content, SignedInfo, SignatureValue or KeyInfo', () => {
    type Mutation = (doc: XmlDocument, pick: number, salt: string) => void;
    const contentElements = (doc: XmlDocument) =>
      elementsOf(doc.root).filter((e) => !isSignature(e) && !elementsOf(signatureOf(doc)).includes(e));
    const signatureElements = (doc: XmlDocument) => elementsOf(signatureOf(doc)).slice(1);
    const mutations: Record<string, Mutation> = {
      'content text': (doc, pick, salt) => {
        const texts = contentElements(doc).flatMap((e) => e.children.filter((c) => c.kind === 'text'));
        const t = texts[pick % texts.length]!;
        const i = pick % (t.value.length + 1);
        t.value = t.value.slice(0, i) + salt + t.value.slice(i);
      },
      'content attribute': (doc, pick, salt) => {
        const el = contentElements(doc)[pick % contentElements(doc).length]!;
        const a = el.attributes[pick % Math.max(1, el.attributes.length)];
        if (a !== undefined && pick % 2 === 0) a.value += salt;
        else
          el.attributes.push({
            qname: 'added',
            prefix: null,
            localName: 'added',
            namespace: null,
            value: salt,
          });
      },
      'content element renamed': (doc, pick, salt) => {
        const el = contentElements(doc)[pick % contentElements(doc).length]!;
        el.localName += salt.replace(/[^A-Za-z]/g, '') || 'X';
        el.qname = el.prefix === null ? el.localName : `${el.prefix}:${el.localName}`;
      },
      'content element removed': (doc, pick) => {
        const parents = contentElements(doc).filter((e) =>
          e.children.some((c) => c.kind === 'element' && !isSignature(c)),
        );
        const parent = parents[pick % parents.length]!;
        const kids = parent.children.filter((c) => c.kind === 'element' && !isSignature(c));
        parent.children.splice(parent.children.indexOf(kids[pick % kids.length]!), 1);
      },
      'signature element value': (doc, pick, salt) => {
        const leaves = signatureElements(doc).filter((e) => e.children.some((c) => c.kind === 'text'));
        const leaf = leaves[pick % leaves.length]!;
        const t = leaf.children.find((c) => c.kind === 'text')!;
        if (leaf.localName === 'SignatureValue' || leaf.localName === 'DigestValue') {
          const bytes = Buffer.from(t.value, 'base64');
          bytes[pick % bytes.length]! ^= 1 << (pick % 8);
          t.value = bytes.toString('base64');
        } else if (leaf.localName === 'X509SerialNumber') {
          t.value = (BigInt(t.value) + BigInt(1 + (pick % 1000))).toString();
        } else t.value = `${salt}${t.value}`;
      },
      'signature algorithm': (doc, pick, salt) => {
        const withAlgorithm = signatureElements(doc).filter((e) =>
          e.attributes.some((a) => a.localName === 'Algorithm'),
        );
        const a = withAlgorithm[pick % withAlgorithm.length]!.attributes.find(
          (x) => x.localName === 'Algorithm',
        )!;
        a.value = `${a.value}${salt}`;
      },
      'signature element dropped': (doc, pick) => {
        const parents = [signatureOf(doc), ...signatureElements(doc)].filter((e) =>
          e.children.some((c) => c.kind === 'element'),
        );
        const parent = parents[pick % parents.length]!;
        const kids = parent.children.filter((c) => c.kind === 'element');
        parent.children.splice(parent.children.indexOf(kids[pick % kids.length]!), 1);
      },
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(mutations)),
        fc.nat(),
        // Printable, not starting with a space: a leading space in X509IssuerName is insignificant.
        fc.string({ minLength: 1, maxLength: 4 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*$/.test(s)),
        (kind, pick, salt) => {
          const doc = structuredClone(parseXml(signed));
          mutations[kind]!(doc, pick, salt);
          const tree = verifyDuis(doc, credentials);
          expect(tree.valid, `${kind} ${pick} ${JSON.stringify(salt)}`).toBe(false);
          let text: string | undefined;
          try {
            text = serializeXml(doc);
          } catch (e) {
            if (!(e instanceof XmlWriteError)) throw e;
          }
          if (text !== undefined) expect(verifyDuis(text, credentials).valid).toBe(false);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(verifyDuis(bytes, credentials).valid).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('signDuisText on generated documents', () => {
  const pki = new TestPki({ seed: 'xmldsig-property', notBefore: new Date(Date.UTC(2024, 0, 1)) });
  const user = pki.issueOrganisationCertificate({ eui: SUPPLIER, role: 0x87, usage: 'DS' });
  const credentials = new XmlSigningCredentials();
  credentials.add(user.certificate, { privateKey: user.privateKey, signer: true });

  /** Every character as a reference where it is special: the canonical form then differs most from the text. */
  const ref = (s: string): string => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
  const value = fc.string({
    unit: fc.constantFrom('a', 'é', '<', '>', '&', '"', "'", '\r', '\n', '\t', ' ', '€'),
  });
  const child = fc.record({ a: value, b: value, text: value, empty: fc.boolean() });
  const docs = fc.record({
    rootAttr: value,
    children: fc.array(child, { maxLength: 4 }),
    space: fc.boolean(),
  });

  it('writes a document that verifies, digests what signDuis digests, and keeps the content', () => {
    fc.assert(
      fc.property(docs, ({ rootAttr, children, space }) => {
        const inner = children
          .map((c) =>
            c.empty
              ? `<sr:E b="${ref(c.b)}" a="${ref(c.a)}"/>`
              : `<sr:E b="${ref(c.b)}" a="${ref(c.a)}">${ref(c.text)}<sr:F/></sr:E>`,
          )
          .join(space ? '\n  ' : '');
        const xml = `<?xml version="1.0"?>\n<sr:Request xmlns:sr="urn:sr" xmlns:x="urn:x" x:r="${ref(rootAttr)}">${inner}<sr:Last/></sr:Request>`;
        const text = signDuisText(xml, user);
        expect(verifyDuis(text, credentials).valid).toBe(true);
        const digest = (s: string) => /<ds:DigestValue>([^<]*)</.exec(s)![1];
        expect(digest(text)).toBe(digest(signDuis(xml, user)));
        expect(vouchedFor(parseXml(text)).content).toBe(canonicalizeInclusive(parseXml(xml)));
      }),
      { numRuns: 150 },
    );
  });
});
