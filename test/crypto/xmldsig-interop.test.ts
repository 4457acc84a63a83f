// Independent check: xml-crypto (node-saml, with an ecdsa-sha256 algorithm added on node:crypto, raw r‖s) verifies
// what signDuis produces and DCC Boxed's signed documents, and what xml-crypto signs verifies with verifyDuis.
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type BinaryLike,
  type KeyLike,
} from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import { eui64 } from '../../src/codec/eui64.js';
import { pkcs8Pem, TestPki } from '../../src/crypto/test-pki.js';
import { DCC_BOXED_DSP_EUI, XmlSigningCredentials } from '../../src/crypto/xmldsig-credentials.js';
import { XMLDSIG_ALGORITHMS, signDuis, signDuisText, verifyDuis } from '../../src/crypto/xmldsig.js';
import { HAVE_VECTORS } from './support.js';
import { VALID_FIXTURES, duisTemplates, readVector, signingToolCredentials } from './xmldsig-support.js';

const SUPPLIER = eui64('90B3D51F30010000');

/** XML-DSig 1.1 ECDSA: SignatureValue is base64 of r‖s (IEEE P1363), not DER. */
class EcdsaSha256 {
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string {
    const data = typeof signedInfo === 'string' ? Buffer.from(signedInfo, 'utf8') : signedInfo;
    const key = createPrivateKey(privateKey as string);
    return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    const publicKey = createPublicKey(key as string);
    const value = Buffer.from(signatureValue, 'base64');
    return verify(
      'sha256',
      Buffer.from(material, 'utf8'),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      value,
    );
  }
  getAlgorithmName(): string {
    return XMLDSIG_ALGORITHMS.ecdsaSha256;
  }
}

function withEcdsa(sig: SignedXml): SignedXml {
  sig.SignatureAlgorithms[XMLDSIG_ALGORITHMS.ecdsaSha256] =
    EcdsaSha256 as unknown as new () => SignatureAlgorithm;
  return sig;
}

/** xml-crypto's verdict on a document, given the signer's certificate (PEM). */
function xmlCryptoVerifies(xml: string, certificatePem: string): boolean {
  const verifier = withEcdsa(new SignedXml({ publicCert: certificatePem }));
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signatures = verifier.findSignatures(doc);
  expect(signatures.length).toBe(1);
  verifier.loadSignature(signatures[0]!);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false; // xml-crypto throws when SignatureValue does not verify
  }
}

interface XmlCryptoSigning {
  transforms: string[];
  /** InclusiveNamespaces PrefixList for SignedInfo's CanonicalizationMethod. */
  signedInfoPrefixes?: string[];
}

/** A document signed by xml-crypto: enveloped, URI="", ecdsa-sha256, KeyInfo = X509IssuerSerial. */
function xmlCryptoSign(
  xml: string,
  signer: { privateKeyPem: string; issuer: string; serialNumber: string },
  { transforms, signedInfoPrefixes }: XmlCryptoSigning,
): string {
  const sig = withEcdsa(
    new SignedXml({
      privateKey: signer.privateKeyPem,
      signatureAlgorithm: XMLDSIG_ALGORITHMS.ecdsaSha256,
      canonicalizationAlgorithm: XMLDSIG_ALGORITHMS.exclusiveC14n,
      ...(signedInfoPrefixes !== undefined && { inclusiveNamespacesPrefixList: signedInfoPrefixes }),
      getKeyInfoContent: (args) => {
        const p = args?.prefix ? `${args.prefix}:` : '';
        return (
          `<${p}X509Data><${p}X509IssuerSerial><${p}X509IssuerName>${signer.issuer}</${p}X509IssuerName>` +
          `<${p}X509SerialNumber>${signer.serialNumber}</${p}X509SerialNumber></${p}X509IssuerSerial></${p}X509Data>`
        );
      },
    }),
  );
  sig.addReference({ xpath: '/*', transforms, digestAlgorithm: XMLDSIG_ALGORITHMS.sha256, isEmptyUri: true });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}

const pki = new TestPki({ seed: 'xmldsig-interop', notBefore: new Date(Date.UTC(2024, 0, 1)) });
const user = pki.issueOrganisationCertificate({ eui: SUPPLIER, role: 0x87, usage: 'DS' });
const dsp = pki.issueOrganisationCertificate({ eui: DCC_BOXED_DSP_EUI, role: 0x89, usage: 'DS' });
const testPkiCredentials = new XmlSigningCredentials();
testPkiCredentials.add(user.certificate, { privateKey: user.privateKey, signer: true });
testPkiCredentials.add(dsp.certificate, { privateKey: dsp.privateKey, signer: true });

const REQUEST = [
  '<?xml version="1.0" encoding="UTF-8"?>\n',
  '<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"',
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.4">\n',
  '  <sr:Header>\n    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>\n',
  '    <sr:CommandVariant>1</sr:CommandVariant>\n    <sr:ServiceReference>4.1</sr:ServiceReference>\n',
  '    <sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>\n  </sr:Header>\n',
  '  <sr:Body>\n    <sr:ReadInstantaneousImportRegisters/>\n  </sr:Body>\n</sr:Request>\n',
].join('');

describe('xml-crypto verifies documents signed here', () => {
  it('a request signed with a TestPki XML-signing key (role 0x87)', () => {
    const signed = signDuis(REQUEST, user);
    expect(xmlCryptoVerifies(signed, user.certificatePem)).toBe(true);
  });

  it('and refuses it once the body or the signature changes', () => {
    const signed = signDuis(REQUEST, user);
    expect(xmlCryptoVerifies(signed.replace('4.1.1', '4.1.2'), user.certificatePem)).toBe(false);
    expect(xmlCryptoVerifies(signed, dsp.certificatePem)).toBe(false);
  });

  it('a document signed in canonical form by signDuisText, whitespace and all', () => {
    const signed = signDuisText(REQUEST, user);
    expect(signed.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<sr:Request ')).toBe(true);
    expect(xmlCryptoVerifies(signed, user.certificatePem)).toBe(true);
    expect(xmlCryptoVerifies(signed.replace('4.1.1', '4.1.2'), user.certificatePem)).toBe(false);
  });

  it.skipIf(!HAVE_VECTORS)(
    'all 203 request templates the ZAZ1 supplier originates, signed with its XML key',
    () => {
      const credentials = signingToolCredentials();
      const signer = credentials.signer(SUPPLIER)!;
      const pem = readVector('dccboxed-signing-tool/src/main/resources/xml-sign-90B3D51F30010000-ds.pem');
      const templates = duisTemplates().filter((t) =>
        t.xml.includes('<sr:RequestID>90-B3-D5-1F-30-01-00-00:'),
      );
      expect(templates.length).toBe(203);
      for (const { name, xml } of templates) {
        expect(xmlCryptoVerifies(signDuis(xml, signer), pem), name).toBe(true);
        expect(xmlCryptoVerifies(signDuisText(xml, signer), pem), `${name} (signDuisText)`).toBe(true);
      }
    },
  );
});

describe.skipIf(!HAVE_VECTORS)('xml-crypto agrees on the documents DCC Boxed signed', () => {
  const certificates = HAVE_VECTORS ? signingToolCredentials() : undefined!;

  it.each(VALID_FIXTURES)('$file', ({ file, serial }) => {
    const source = [...certificates].find((c) => c.serialNumber === serial)!.source!;
    const pem = readVector(`dccboxed-signing-tool/src/main/resources/${source}`);
    expect(new X509Certificate(pem).serialNumber).toBe(
      BigInt(serial).toString(16).toUpperCase().padStart(32, '0'),
    );
    expect(xmlCryptoVerifies(readVector(file), pem)).toBe(true);
  });
});

describe('verifyDuis verifies documents xml-crypto signed', () => {
  const signer = {
    privateKeyPem: pkcs8Pem(user.privateKey),
    issuer: user.issuer,
    serialNumber: user.serialNumber,
  };
  const cases: { name: string; signing: XmlCryptoSigning }[] = [
    {
      name: 'transforms enveloped-signature + exc-c14n',
      signing: { transforms: [XMLDSIG_ALGORITHMS.envelopedSignature, XMLDSIG_ALGORITHMS.exclusiveC14n] },
    },
    {
      name: 'transforms enveloped-signature + c14n',
      signing: { transforms: [XMLDSIG_ALGORITHMS.envelopedSignature, XMLDSIG_ALGORITHMS.canonicalXml10] },
    },
    {
      name: 'the enveloped-signature transform alone, as DCC Boxed writes it',
      signing: { transforms: [XMLDSIG_ALGORITHMS.envelopedSignature] },
    },
    {
      name: 'SignedInfo canonicalised with an InclusiveNamespaces PrefixList',
      signing: {
        transforms: [XMLDSIG_ALGORITHMS.envelopedSignature, XMLDSIG_ALGORITHMS.exclusiveC14n],
        signedInfoPrefixes: ['sr', 'xsi'],
      },
    },
  ];

  it.each(cases)('$name', ({ signing }) => {
    const signed = xmlCryptoSign(REQUEST, signer, signing);
    expect(signed).toContain('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">');
    expect(verifyDuis(signed, testPkiCredentials, { expectedSigner: SUPPLIER })).toMatchObject({
      valid: true,
      signer: { serial: user.serialNumber, eui: SUPPLIER, roleCode: 0x87 },
    });
    expect(verifyDuis(signed.replace('4.1.1', '4.1.2'), testPkiCredentials)).toMatchObject({
      valid: false,
      reason: 'digest-mismatch',
    });
  });

  it('and xml-crypto verifies its own signature there too (the check is not one-sided)', () => {
    const signed = xmlCryptoSign(REQUEST, signer, cases[0]!.signing);
    expect(xmlCryptoVerifies(signed, user.certificatePem)).toBe(true);
  });
});
