// DUIS XML signatures: DCC Boxed's signed documents verify (read in place), its tampered ones are refused for the
// reason their names give, and documents signed here have DCC Boxed's shape and verify.
import { generateKeyPairSync, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { canonicalizeExclusive, canonicalizeInclusive } from '../../src/codec/xml/c14n.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import type { XmlDocument, XmlElement } from '../../src/codec/xml/types.js';
import { CryptoInputError, MissingKeyError } from '../../src/crypto/errors.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import {
  DCC_BOXED_DSP_EUI,
  XmlSigningCredentials,
  duisSigner,
  duisSignerEui,
  loadDccBoxedXmlSigningCredentials,
  normalizeIssuerName,
} from '../../src/crypto/xmldsig-credentials.js';
import {
  XML_SIGNATURE_FAILURES,
  XMLDSIG_NAMESPACE,
  signDuis,
  signDuisText,
  verifyDuis,
  type DuisSignatureVerdict,
} from '../../src/crypto/xmldsig.js';
import { HAVE_VECTORS } from './support.js';
import {
  DCC_BOXED_KEYSTORE,
  DSP_SERIALS,
  REFUSED_FIXTURES,
  VALID_FIXTURES,
  duisTemplates,
  readVector,
  signingToolCredentials,
} from './xmldsig-support.js';

const SUPPLIER = eui64('90B3D51F30010000');
const NETWORK_OPERATOR = eui64('90B3D51F30020000');

function reasonOf(v: DuisSignatureVerdict): string {
  return v.valid ? 'valid' : v.reason;
}

function signatureOf(doc: XmlDocument): XmlElement {
  const sig = doc.root.children.find(
    (c): c is XmlElement =>
      c.kind === 'element' && c.namespace === XMLDSIG_NAMESPACE && c.localName === 'Signature',
  );
  if (sig === undefined) throw new Error('no ds:Signature child');
  return sig;
}

/** The ds:Signature text with the four per-signature values blanked, to compare shapes. */
function signatureShape(xml: string): string {
  const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0] ?? '';
  return sig.replace(
    /<(ds:(?:DigestValue|SignatureValue|X509IssuerName|X509SerialNumber))>[^<]*</g,
    '<$1>…<',
  );
}

describe.skipIf(!HAVE_VECTORS)('documents DCC Boxed signed', () => {
  const credentials = HAVE_VECTORS ? signingToolCredentials() : undefined!;

  it('lists seven valid signed fixtures', () => {
    expect(VALID_FIXTURES.length).toBe(7);
  });

  it.each(VALID_FIXTURES)('$file verifies, signed by the DSP (serial $serial)', ({ file, serial }) => {
    const verdict = verifyDuis(readVector(file), credentials, { expectedSigner: DCC_BOXED_DSP_EUI });
    expect(verdict).toMatchObject({
      valid: true,
      signer: { issuer: 'CN=Z1,OU=07', serial, eui: DCC_BOXED_DSP_EUI },
    });
  });

  it('digests the Reference with inclusive Canonical XML 1.0, not exclusive (XML-DSig 1.1 §4.4.3.2)', () => {
    // Only the enveloped-signature transform: the node-set left over is canonicalised inclusively, so the root
    // keeps its unused xmlns:ns3 and xmlns:ra declarations in the digested octets.
    const doc = parseXml(readVector(VALID_FIXTURES[0]!.file));
    const signature = signatureOf(doc);
    const omit = (el: XmlElement) => el === signature;
    const digestValue = /<ds:DigestValue>([^<]*)</.exec(serializeXml(signature))![1];
    const inclusive = canonicalizeInclusive(doc, { omit });
    const exclusive = canonicalizeExclusive(doc, { omit });
    expect(inclusive.slice(0, 40)).toBe('<sr:Response xmlns:ns3="http://www.w3.or');
    expect(hash('sha256', inclusive, 'base64')).toBe(digestValue);
    expect(hash('sha256', exclusive, 'base64')).not.toBe(digestValue);
  });

  it('carries SignatureValue as raw r‖s: 64 bytes, wrapped after 76 characters with an escaped CR', () => {
    for (const { file } of VALID_FIXTURES) {
      const value = /<ds:SignatureValue>([^<]*)</.exec(readVector(file))![1]!;
      expect(value).toMatch(/^[A-Za-z0-9+/]{76}&#13;\s?[A-Za-z0-9+/=]{12}$/);
      expect(Buffer.from(value.replace(/&#13;|\s/g, ''), 'base64').length).toBe(64);
    }
  });

  it('lists nine refused fixtures', () => {
    expect(REFUSED_FIXTURES.length).toBe(9);
  });

  it.each(REFUSED_FIXTURES)('$file is refused: $reason ($why)', ({ file, reason }) => {
    expect(reasonOf(verifyDuis(readVector(file), credentials))).toBe(reason);
  });

  it('finds the refusals the same from text, bytes and a parsed tree', () => {
    for (const { file, reason } of REFUSED_FIXTURES.filter((f) => f.reason !== 'malformed-xml')) {
      const xml = readVector(file);
      expect(reasonOf(verifyDuis(Buffer.from(xml, 'utf8'), credentials))).toBe(reason);
      expect(reasonOf(verifyDuis(parseXml(xml), credentials))).toBe(reason);
    }
  });

  it('needs the certificate the KeyInfo names: keystore.json holds only the current DSP certificate', () => {
    const keystore = loadDccBoxedXmlSigningCredentials(DCC_BOXED_KEYSTORE);
    const verdicts = VALID_FIXTURES.map(({ file }) => reasonOf(verifyDuis(readVector(file), keystore)));
    expect(verdicts).toEqual([
      'certificate-not-found',
      'certificate-not-found',
      'valid',
      'certificate-not-found',
      'certificate-not-found',
      'certificate-not-found',
      'certificate-not-found',
    ]);
  });

  it('reports the certificate KeyInfo names: KeyInfo is not signed, so a certificate of the same key verifies too', () => {
    const file = VALID_FIXTURES[1]!.file;
    const renamed = readVector(file).replace(DSP_SERIALS.z1DspXmlSign, DSP_SERIALS.current);
    expect(verifyDuis(renamed, credentials)).toMatchObject({
      valid: true,
      signer: { serial: DSP_SERIALS.current },
    });
  });

  it('refuses a valid signature from another party than the one expected', () => {
    const verdict = verifyDuis(readVector(VALID_FIXTURES[0]!.file), credentials, {
      expectedSigner: SUPPLIER,
    });
    expect(verdict).toEqual({
      valid: false,
      reason: 'unexpected-signer',
      detail: `signed by 90B3D51F30000002 (serial ${DSP_SERIALS.pre141}), expected 90B3D51F30010000`,
    });
  });
});

describe.skipIf(!HAVE_VECTORS)('signing DUIS requests with the signing tool keys', () => {
  const credentials = HAVE_VECTORS ? signingToolCredentials() : undefined!;
  const templates = HAVE_VECTORS ? duisTemplates() : [];

  it('signs in DCC Boxed shape: same elements, attributes, prefix and declarations as its signed responses', () => {
    const signed = signDuis(templates[0]!.xml, credentials.signer(SUPPLIER)!);
    expect(signatureShape(signed)).toBe(signatureShape(readVector(VALID_FIXTURES[2]!.file)));
    expect(signatureShape(signed)).toMatch(
      /^<ds:Signature xmlns:ds="http:\/\/www.w3.org\/2000\/09\/xmldsig#"><ds:SignedInfo>/,
    );
  });

  it('replaces the templates’ placeholder signature where it stands and keeps the whitespace around it', () => {
    const template = templates.find((t) => t.name === 'CS08_11.2_SUCCESS_REQUEST_DUIS.XML')!;
    const signed = signDuis(template.xml, credentials.signer(SUPPLIER)!);
    const before = template.xml.slice(0, template.xml.indexOf('<ds:Signature'));
    // The parser keeps no whitespace after the root element, so the template's final newline is not written back.
    const after = template.xml
      .slice(template.xml.indexOf('</ds:Signature>') + '</ds:Signature>'.length)
      .trimEnd();
    expect(signed.startsWith(before)).toBe(true);
    expect(signed.endsWith(after)).toBe(true);
    expect(signed.match(/<ds:Signature[ >]/g)?.length).toBe(1);
    expect(signed).toContain('<ds:X509IssuerName>CN=Z1,OU=07</ds:X509IssuerName>');
    expect(signed).toContain(
      '<ds:X509SerialNumber>27572613927499351639968579586655397031</ds:X509SerialNumber>',
    );
  });

  it('signs all 223 templates as their business originator; 221 verify, 2 originators hold no XML key', () => {
    const missing: string[] = [];
    let verified = 0;
    for (const { name, xml } of templates) {
      const doc = parseXml(xml);
      expect(reasonOf(verifyDuis(doc, credentials)), name).toBe('malformed-signature'); // the placeholder
      let signer;
      try {
        signer = duisSigner(doc, credentials);
      } catch (e) {
        expect(e).toBeInstanceOf(MissingKeyError);
        missing.push(`${name}: ${duisSignerEui(doc)}`);
        continue;
      }
      const verdict = verifyDuis(serializeXml(signDuis(doc, signer)), credentials, {
        expectedSigner: duisSignerEui(doc),
      });
      expect(verdict, name).toMatchObject({
        valid: true,
        signer: { eui: signer.eui, serial: signer.serialNumber },
      });
      verified++;
    }
    expect(templates.length).toBe(223);
    expect(verified).toBe(221);
    expect(missing).toEqual([
      'ECS47e_7.16_APC_INPUT_SUCCESS_REQUEST_DUIS.XML: 90B3D51F30010008',
      'GCS16b_4.14_URP_SUCCESS_REQUEST_DUIS.XML: 90B3D51F30030000',
    ]);
  });

  it('verifies a signed tree without a round trip through text', () => {
    const doc = parseXml(templates[0]!.xml);
    expect(reasonOf(verifyDuis(signDuis(doc, credentials.signer(SUPPLIER)!), credentials))).toBe('valid');
  });

  it('re-signing replaces the signature: the document keeps one, by the new signer', () => {
    const once = signDuis(templates[0]!.xml, credentials.signer(SUPPLIER)!);
    const twice = signDuis(once, credentials.signer(NETWORK_OPERATOR)!);
    expect(twice.match(/<ds:Signature[ >]/g)?.length).toBe(1);
    expect(verifyDuis(twice, credentials)).toMatchObject({ valid: true, signer: { eui: NETWORK_OPERATOR } });
  });

  it('inserts the signature right after the last element when there is no placeholder', () => {
    const unsigned = readVector(
      'dccboxed-signing-tool/src/test/resources/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML',
    );
    const signed = signDuis(unsigned, credentials.signer(SUPPLIER)!);
    expect(signed).toMatch(/<\/sr:Body><ds:Signature xmlns:ds=[^\n]*<\/ds:Signature>\n<\/sr:Request>$/);
    expect(reasonOf(verifyDuis(signed, credentials))).toBe('valid');
  });

  it('refuses to sign a document with a ds:Signature other than a last-child placeholder', () => {
    const nested = templates[0]!.xml.replace(
      '</sr:Body>',
      '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></sr:Body>',
    );
    expect(() => signDuis(nested, credentials.signer(SUPPLIER)!)).toThrow(CryptoInputError);
    expect(() =>
      signDuis(templates[0]!.xml, { ...credentials.signer(SUPPLIER)!, serialNumber: '0x1F' }),
    ).toThrow('"signer.serialNumber" expected a decimal integer, got "0x1F"');
  });
});

describe.skipIf(!HAVE_VECTORS)('refusals of altered signatures', () => {
  const credentials = HAVE_VECTORS ? signingToolCredentials() : undefined!;
  const signed = HAVE_VECTORS ? signDuis(duisTemplates()[0]!.xml, credentials.signer(SUPPLIER)!) : '';
  const verdict = (edit: (xml: string) => string) => verifyDuis(edit(signed), credentials);
  const sigStart = () => signed.indexOf('<ds:Signature');
  const sigText = () => signed.slice(sigStart(), signed.indexOf('</ds:Signature>') + 15);

  const cases: { name: string; edit: (xml: string) => string; reason: string; detail?: RegExp }[] = [
    { name: 'nothing changed', edit: (x) => x, reason: 'valid' },
    {
      name: 'the body changed',
      edit: (x) => x.replace('<sr:CommandVariant>', '<sr:CommandVariant>1'),
      reason: 'digest-mismatch',
    },
    {
      name: 'whitespace added between header elements (it is signed content)',
      edit: (x) => x.replace('<sr:Header>', '<sr:Header> '),
      reason: 'digest-mismatch',
    },
    {
      name: 'an unused namespace declared on the root (inclusive C14N digests it)',
      edit: (x) => x.replace('<sr:Request ', '<sr:Request xmlns:x="urn:x" '),
      reason: 'digest-mismatch',
    },
    {
      name: 'a comment before the root, whitespace and a comment inside ds:Signature outside SignedInfo',
      edit: (x) =>
        x
          .replace('<sr:Request ', '<!-- c -->\n<sr:Request ')
          .replace('</ds:SignatureValue>', '</ds:SignatureValue>\n  <!-- key -->\n  '),
      reason: 'valid',
    },
    {
      name: 'whitespace after the signature (it is signed content of the root)',
      edit: (x) => x.replace('</ds:Signature>', '</ds:Signature>\n\t '),
      reason: 'digest-mismatch',
    },
    {
      name: 'the issuer written with a space, as the templates write it',
      edit: (x) => x.replace('CN=Z1,OU=07', 'CN=Z1, OU=07'),
      reason: 'valid',
    },
    {
      name: 'the serial of another certificate of the same party, with another key',
      edit: (x) =>
        x.replace('27572613927499351639968579586655397031', '105986833131214866166891566273223584671'),
      reason: 'signature-invalid',
    },
    {
      name: 'the serial of no certificate',
      edit: (x) =>
        x.replace('27572613927499351639968579586655397031', '27572613927499351639968579586655397032'),
      reason: 'certificate-not-found',
    },
    {
      name: 'a serial that is not a number',
      edit: (x) => x.replace('27572613927499351639968579586655397031', '0x14'),
      reason: 'malformed-signature',
    },
    {
      name: 'X509IssuerSerial without X509SerialNumber',
      edit: (x) => x.replace(/<ds:X509SerialNumber>.*<\/ds:X509SerialNumber>/, ''),
      reason: 'missing-issuer-serial',
    },
    {
      name: 'KeyInfo holding only a KeyName',
      edit: (x) =>
        x.replace(/<ds:KeyInfo>.*<\/ds:KeyInfo>/, '<ds:KeyInfo><ds:KeyName>z</ds:KeyName></ds:KeyInfo>'),
      reason: 'missing-issuer-serial',
    },
    {
      name: 'the signature moved before the body',
      edit: (x) => x.replace(sigText(), '').replace('<sr:Body>', `${sigText()}<sr:Body>`),
      reason: 'signature-not-last-child',
      detail: /followed by <sr:Body>/,
    },
    {
      name: 'a comment after the signature',
      edit: (x) => x.replace('</ds:Signature>', '</ds:Signature><!-- after -->'),
      reason: 'signature-not-last-child',
    },
    {
      name: 'the signature moved into the body',
      edit: (x) => x.replace(sigText(), '').replace('</sr:Body>', `${sigText()}</sr:Body>`),
      reason: 'signature-not-last-child',
      detail: /not a child of the root/,
    },
    {
      name: 'a second signature',
      edit: (x) => x.replace('</sr:Body>', `${sigText()}</sr:Body>`),
      reason: 'multiple-signatures',
    },
    {
      name: 'inclusive C14N for SignedInfo',
      edit: (x) =>
        x.replace(
          'CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"',
          'CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"',
        ),
      reason: 'unsupported-algorithm',
    },
    {
      name: 'rsa-sha256',
      edit: (x) => x.replace('xmldsig-more#ecdsa-sha256', 'xmldsig-more#rsa-sha256'),
      reason: 'unsupported-algorithm',
    },
    {
      name: 'a SHA-1 digest',
      edit: (x) =>
        x.replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2000/09/xmldsig#sha1'),
      reason: 'unsupported-algorithm',
    },
    {
      name: 'an XPath transform in place of enveloped-signature',
      edit: (x) =>
        x.replace(
          'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
          'http://www.w3.org/TR/1999/REC-xpath-19991116',
        ),
      reason: 'unsupported-transform',
    },
    {
      name: 'no Transforms (the digest would cover the signature)',
      edit: (x) => x.replace(/<ds:Transforms>.*<\/ds:Transforms>/, ''),
      reason: 'unsupported-transform',
    },
    {
      name: 'exc-c14n before enveloped-signature',
      edit: (x) =>
        x.replace(
          '<ds:Transforms>',
          '<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
        ),
      reason: 'unsupported-transform',
    },
    {
      name: 'a Reference to an element by Id',
      edit: (x) => x.replace('<ds:Reference URI="">', '<ds:Reference URI="#body">'),
      reason: 'reference-uri-not-empty',
    },
    {
      name: 'a Reference without URI',
      edit: (x) => x.replace('<ds:Reference URI="">', '<ds:Reference>'),
      reason: 'reference-uri-not-empty',
    },
    {
      name: 'two References',
      edit: (x) => x.replace(/(<ds:Reference URI="">.*<\/ds:Reference>)/, '$1$1'),
      reason: 'not-one-reference',
    },
    {
      name: 'a DER-encoded SignatureValue',
      edit: (x) =>
        x.replace(/<ds:SignatureValue>[^<]*</, () => {
          const rs = Buffer.from(/<ds:SignatureValue>([^<]*)</.exec(signed)![1]!, 'base64');
          const int = (b: Buffer) =>
            b[0]! & 0x80
              ? Buffer.concat([Buffer.of(0x02, b.length + 1, 0), b])
              : Buffer.concat([Buffer.of(0x02, b.length), b]);
          const body = Buffer.concat([int(rs.subarray(0, 32)), int(rs.subarray(32))]);
          return `<ds:SignatureValue>${Buffer.concat([Buffer.of(0x30, body.length), body]).toString('base64')}<`;
        }),
      reason: 'malformed-signature',
      detail: /of DER; ecdsa-sha256 on P-256 is r‖s, 64 bytes/,
    },
    {
      name: 'a SignatureValue that is not base64',
      edit: (x) => x.replace('<ds:SignatureValue>', '<ds:SignatureValue>*'),
      reason: 'malformed-signature',
    },
    {
      name: 'a flipped bit in SignatureValue',
      edit: (x) =>
        x.replace(/<ds:SignatureValue>([^<]*)</, (_, v: string) => {
          const b = Buffer.from(v, 'base64');
          b[40]! ^= 1;
          return `<ds:SignatureValue>${b.toString('base64')}<`;
        }),
      reason: 'signature-invalid',
    },
    {
      name: 'a new DigestValue for a changed body (SignedInfo no longer matches its signature)',
      edit: (x) => {
        const changed = x.replace('<sr:CommandVariant>', '<sr:CommandVariant>1');
        const doc = parseXml(changed);
        const sig = signatureOf(doc);
        const digest = hash('sha256', canonicalizeInclusive(doc, { omit: (e) => e === sig }), 'base64');
        return changed.replace(/<ds:DigestValue>[^<]*</, `<ds:DigestValue>${digest}<`);
      },
      reason: 'signature-invalid',
    },
    {
      name: 'text inside SignedInfo',
      edit: (x) => x.replace('<ds:SignedInfo>', '<ds:SignedInfo>x'),
      reason: 'malformed-signature',
    },
    {
      name: 'SignatureValue before SignedInfo',
      edit: (x) => {
        const sv = /<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/.exec(x)![0];
        return x.replace(sv, '').replace('<ds:SignedInfo>', `${sv}<ds:SignedInfo>`);
      },
      reason: 'malformed-signature',
    },
    { name: 'a truncated document', edit: (x) => x.slice(0, -10), reason: 'malformed-xml' },
  ];

  it.each(cases)('$name: $reason', ({ edit, reason, detail }) => {
    const v = verdict(edit);
    expect(reasonOf(v)).toBe(reason);
    if (detail !== undefined && !v.valid) expect(v.detail).toMatch(detail);
  });

  it('names a reason from the one list for every refusal', () => {
    const known = new Set<string>(XML_SIGNATURE_FAILURES.map((f) => f.reason));
    const seen = new Set(cases.map((c) => c.reason).filter((r) => r !== 'valid'));
    for (const r of seen) expect(known.has(r)).toBe(true);
    // Every reason is reached by a case here, by a fixture or in the credentials tests.
    const elsewhere = ['no-signature', 'unexpected-signer'];
    expect([...known].filter((r) => !seen.has(r) && !elsewhere.includes(r))).toEqual([]);
  });
});

describe('signing with a TestPki-issued XML-signing credential (role 0x87)', () => {
  const pki = new TestPki({ seed: 'xmldsig', notBefore: new Date(Date.UTC(2024, 0, 1)) });
  const user = pki.issueOrganisationCertificate({ eui: SUPPLIER, role: 0x87, usage: 'DS' });
  const dsp = pki.issueOrganisationCertificate({ eui: DCC_BOXED_DSP_EUI, role: 0x89, usage: 'DS' });
  const credentials = new XmlSigningCredentials();
  credentials.add(user.certificate, { privateKey: user.privateKey, signer: true, source: 'TestPki user' });
  credentials.add(dsp.certificatePem, { privateKey: dsp.privateKey, signer: true, source: 'TestPki DSP' });
  const request = [
    '<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">',
    '<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>',
    '<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference>',
    '<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:Header>',
    '<sr:Body><sr:ReadInstantaneousImportRegisters/></sr:Body></sr:Request>',
  ].join('');
  const response = [
    '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"><sr:Header>',
    '<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>',
    '<sr:ResponseCode>I99</sr:ResponseCode><sr:ResponseDateTime>2024-01-01T00:00:00Z</sr:ResponseDateTime>',
    '</sr:Header></sr:Response>',
  ].join('');

  it('picks the originator for a request and the DSP for a response', () => {
    expect(duisSignerEui(parseXml(request))).toBe(SUPPLIER);
    expect(duisSignerEui(parseXml(response))).toBe(DCC_BOXED_DSP_EUI);
    expect(duisSigner(parseXml(response), credentials).serialNumber).toBe(dsp.serialNumber);
  });

  it('signs a request that verifies with the user certificate, and a response with the DSP one', () => {
    const signedRequest = signDuis(request, duisSigner(parseXml(request), credentials));
    expect(verifyDuis(signedRequest, credentials, { expectedSigner: SUPPLIER })).toMatchObject({
      valid: true,
      signer: { issuer: 'CN=TWIN-OCA,OU=07', serial: user.serialNumber, eui: SUPPLIER, roleCode: 0x87 },
    });
    const signedResponse = signDuis(response, duisSigner(parseXml(response), credentials));
    expect(verifyDuis(signedResponse, credentials)).toMatchObject({
      valid: true,
      signer: { serial: dsp.serialNumber, eui: DCC_BOXED_DSP_EUI, roleCode: 0x89 },
    });
  });

  it('takes a TestCredential as the signer directly', () => {
    expect(reasonOf(verifyDuis(signDuis(request, user), credentials))).toBe('valid');
  });

  it('refuses a document signed by a certificate it does not hold', () => {
    const stranger = new TestPki({ seed: 'other', notBefore: new Date(Date.UTC(2024, 0, 1)) });
    const other = stranger.issueOrganisationCertificate({
      eui: SUPPLIER,
      role: 0x87,
      usage: 'DS',
      generation: 1,
    });
    const verdict = verifyDuis(signDuis(request, other), credentials);
    expect(verdict).toEqual({
      valid: false,
      reason: 'certificate-not-found',
      detail: `no certificate held for X509IssuerName "CN=TWIN-OCA,OU=07" and X509SerialNumber ${other.serialNumber}`,
    });
  });

  it('refuses an unsigned document, naming its root', () => {
    expect(verifyDuis(request, credentials)).toEqual({
      valid: false,
      reason: 'no-signature',
      detail: 'sr:Request holds no ds:Signature',
    });
  });

  describe('signDuisText: the signed document written in canonical form, in one pass', () => {
    const digestOf = (xml: string): string => /<ds:DigestValue>([^<]*)</.exec(xml)![1]!;
    const pretty = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment -->\n${response.replace('<sr:Header>', '\n  <sr:Header b="2" a="1">')}`;

    it('signs what signDuis signs: the same DigestValue, and the signature verifies', () => {
      for (const doc of [request, response, pretty]) {
        const text = signDuisText(doc, dsp);
        expect(digestOf(text)).toBe(digestOf(signDuis(doc, dsp)));
        expect(reasonOf(verifyDuis(text, credentials))).toBe('valid');
        expect(reasonOf(verifyDuis(signDuisText(parseXml(doc), dsp), credentials))).toBe('valid');
      }
    });

    it('writes the canonical form of the document with ds:Signature before the root end tag, after its declaration', () => {
      const text = signDuisText(request, user);
      const signature = /<ds:Signature [\s\S]*<\/ds:Signature>/.exec(text)![0];
      expect(text.endsWith(`${signature}</sr:Request>`)).toBe(true);
      expect(text.replace(signature, '')).toBe(canonicalizeInclusive(parseXml(request)));
      expect(
        signDuisText(pretty, dsp).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<sr:Response'),
      ).toBe(true);
      expect(signDuisText(pretty, dsp)).not.toContain('a comment'); // C14N without comments
      expect(signDuisText(pretty, dsp)).toContain('<sr:Header a="1" b="2">'); // attributes in canonical order
    });

    it('signs as signDuis does where the signature cannot go last: whitespace after the last element', () => {
      const trailing = response.replace('</sr:Header></sr:Response>', '</sr:Header>\n  \n</sr:Response>');
      const text = signDuisText(trailing, dsp);
      expect(text).toMatch(/<\/ds:Signature>\n {2}\n<\/sr:Response>$/);
      expect(reasonOf(verifyDuis(text, credentials))).toBe('valid');
    });

    it('refuses what signDuis refuses: a ds:Signature other than a last-child placeholder', () => {
      const signed = signDuis(response, dsp);
      const twice = signed.replace(
        '<sr:Header>',
        `<sr:Header>${/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0]}`,
      );
      expect(() => signDuisText(twice, dsp)).toThrow(CryptoInputError);
    });
  });
});

describe('XmlSigningCredentials', () => {
  const pki = new TestPki({ seed: 'xmldsig-credentials', notBefore: new Date(Date.UTC(2024, 0, 1)) });
  const a = pki.issueOrganisationCertificate({ eui: SUPPLIER, role: 0x87, usage: 'DS' });
  const b = pki.issueOrganisationCertificate({ eui: SUPPLIER, role: 0x87, usage: 'DS', generation: 1 });

  it('indexes by issuer and serial, as KeyInfo writes them, and by EUI', () => {
    const store = new XmlSigningCredentials();
    store.add(a.certificatePem);
    store.add(b.certificate, { privateKey: b.privateKey, signer: true });
    expect(store.size).toBe(2);
    expect(store.byIssuerSerial('cn=twin-oca, ou=07', `000${a.serialNumber}`)?.serialNumber).toBe(
      a.serialNumber,
    );
    expect(store.byIssuerSerial('CN=TWIN-OCA,OU=08', a.serialNumber)).toBeUndefined();
    expect(store.byIssuerSerial('not a name', a.serialNumber)).toBeUndefined();
    expect(store.forEui(SUPPLIER).map((c) => c.serialNumber)).toEqual([a.serialNumber, b.serialNumber]);
    expect(store.signer(SUPPLIER)?.serialNumber).toBe(b.serialNumber);
  });

  it('completes a certificate with its private key, and refuses an unrelated key or a second signer', () => {
    const store = new XmlSigningCredentials();
    store.add(a.certificate);
    expect(() => store.add(a.certificate, { privateKey: b.privateKey, source: 'a.pem' })).toThrow(
      '"a.pem private key" expected the private half of the certificate key, got an unrelated key',
    );
    expect(() => store.add(a.certificate, { signer: true, source: 'a.pem' })).toThrow(
      '"a.pem" expected a private key for a signing credential, got a certificate only',
    );
    store.add(a.certificate, { privateKey: a.privateKey, signer: true });
    expect(store.signer(SUPPLIER)?.privateKey).toBe(a.privateKey);
    expect(() =>
      store.add(b.certificate, { privateKey: b.privateKey, signer: true, source: 'b.pem' }),
    ).toThrow(/"b.pem" expected one signing credential for 90B3D51F30010000, got a second one/);
    expect(() =>
      store.add(a.certificate, { privateKey: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey }),
    ).toThrow(CryptoInputError);
  });

  it('normalises RFC 4514 issuer names the way KeyInfo and certificates differ', () => {
    expect(normalizeIssuerName('CN=U1, OU=07')).toBe(normalizeIssuerName('cn=u1,OU=07'));
    expect(normalizeIssuerName('CN=a\\,b,OU=07')).toBe('CN=a\\,b,OU=07');
    expect(normalizeIssuerName('CN=x+OU=1,O=y')).toBe(normalizeIssuerName('OU=1+CN=x , O=y'));
    expect(normalizeIssuerName('CN')).toBeUndefined();
    expect(normalizeIssuerName('=x')).toBeUndefined();
  });

  it.skipIf(!HAVE_VECTORS)('loads the signing tool folder: 19 certificates, XML signers for 4 EUIs', () => {
    const store = signingToolCredentials();
    expect(store.size).toBe(19);
    expect([...store].filter((c) => c.privateKey !== undefined).length).toBe(19);
    const signers = ['90B3D51F30000002', '00DB123456780004', '90B3D51F30010000', '90B3D51F30020000'].map(
      (e) => store.signer(eui64(e)),
    );
    expect(signers.map((s) => [s?.source, s?.roleCode])).toEqual([
      ['dsp-xml-sign-90B3D51F30000002-ds.pem', 0x89],
      ['xml-sign-00DB123456780004-ds.pem', 0x87],
      ['xml-sign-90B3D51F30010000-ds.pem', 0x87],
      ['xml-sign-90B3D51F30020000-ds.pem', 0x87],
    ]);
    expect(signers[0]?.serialNumber).toBe(DSP_SERIALS.current);
    expect(store.signer(eui64('90B3D51F30000007'))).toBeUndefined(); // Z1-wanProvider-ds: GBCS key, not XML
  });

  it.skipIf(!HAVE_VECTORS)(
    'loads the XML-signing entries of keystore.json: roles 0x87 and 0x89, each a signer',
    () => {
      const store = loadDccBoxedXmlSigningCredentials(DCC_BOXED_KEYSTORE);
      expect([...store].map((c) => [c.eui, c.roleCode])).toEqual([
        ['00DB123456780004', 0x87],
        ['90B3D51F30000002', 0x89],
        ['90B3D51F30010000', 0x87],
        ['90B3D51F30020000', 0x87],
      ]);
      for (const c of store) expect(store.signer(c.eui)).toBe(c);
      // The same credentials as the signing tool's xml-sign files: both loaders fill one store without conflict.
      const both = loadDccBoxedXmlSigningCredentials(DCC_BOXED_KEYSTORE, { into: signingToolCredentials() });
      expect(both.size).toBe(19);
      const all = loadDccBoxedXmlSigningCredentials(DCC_BOXED_KEYSTORE, { include: (e) => e.usage === 'DS' });
      expect(all.size).toBeGreaterThan(4);
      expect(all.signer(eui64('90B3D51F30000007'))).toBeUndefined();
    },
  );
});
