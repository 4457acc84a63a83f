// DUIS XML-signature inputs, read in place from the shared vectors (GPL data: named, never copied).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSigningToolFolder, type XmlSigningCredentials } from '../../src/crypto/xmldsig-credentials.js';
import type { XmlSignatureFailure } from '../../src/crypto/xmldsig.js';
import { vectorPath } from '../vectors.js';

export const SIGNING_TOOL_RESOURCES = vectorPath('dccboxed-signing-tool', 'src', 'main', 'resources');
export const SIGNING_TOOL_TESTS = vectorPath('dccboxed-signing-tool', 'src', 'test', 'resources');
export const DCC_BOXED_KEYSTORE = vectorPath('dccboxed-keystore', 'keystore.json');
export const DUIS_TEMPLATES = vectorPath('duis-templates', 'templates');

/** Serial numbers of the DSP certificates in the signing tool's resources [O: readSmkiCertificate of each .pem]. */
export const DSP_SERIALS = {
  /** dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1.pem (OU "137"). */
  pre141: '50669612984035780968362471400449834504',
  /** dsp-xml-sign-90B3D51F30000002-ds.pem, also in keystore.json. */
  current: '167048897159233642262001557408276884033',
  /** Z1-accessControlBroker-dSPXmlSign.pem: the same key as `current`, another certificate. */
  z1DspXmlSign: '20315062944123339095836004026371736578',
  /** Z1-accessControlBroker-ds.pem: the ACB's GBCS signing certificate (role 04), which signed message.xml. */
  acbDs: '117636141832862931915946451229571981153',
} as const;

export interface SignedFixture {
  /** Path under the vectors folder. */
  file: string;
  serial: string;
}

/** Documents DCC Boxed signed [O]; each must verify. */
export const VALID_FIXTURES: SignedFixture[] = [
  { file: 'dccboxed-signing-tool/src/test/resources/readfw-response.xml', serial: DSP_SERIALS.pre141 },
  {
    file: 'dccboxed-signing-tool/src/test/resources/readfw-response-resigned.xml',
    serial: DSP_SERIALS.z1DspXmlSign,
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/read-inventory-response-4g.xml',
    serial: DSP_SERIALS.current,
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/read-inventory-response-5.4.xml',
    serial: DSP_SERIALS.z1DspXmlSign,
  },
  { file: 'dccboxed-signing-tool/src/main/resources/message.xml', serial: DSP_SERIALS.acbDs },
  { file: 'duis-parser/test/resources/readfw-response.xml', serial: DSP_SERIALS.pre141 },
  { file: 'duis-sign-wrap/test/data/readfw-version-response.xml', serial: DSP_SERIALS.pre141 },
];

/** Documents the signing tool's own tests expect to fail, and why (named after the file) [O]. */
export const REFUSED_FIXTURES: { file: string; reason: XmlSignatureFailure; why: string }[] = [
  {
    file: 'dccboxed-signing-tool/src/test/resources/readfw-response-badsignature.xml',
    reason: 'signature-invalid',
    why: 'one base64 character of SignatureValue changed',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/readfw-response-invalid.xml',
    reason: 'digest-mismatch',
    why: 'ServiceReference changed to 11.2.11.2 after signing',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/readfw-response-nonexist-serial.xml',
    reason: 'certificate-not-found',
    why: 'X509SerialNumber names no certificate',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/readfw-response-no-serial.xml',
    reason: 'missing-issuer-serial',
    why: 'KeyInfo removed',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/readfw-response-no-signature.xml',
    reason: 'no-signature',
    why: 'ds:Signature removed',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/acknowledgement-error.xml',
    reason: 'no-signature',
    why: 'an unsigned E65 acknowledgement',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/duis-xxe.xml',
    reason: 'malformed-xml',
    why: 'a DOCTYPE with an external entity (XXE)',
  },
  {
    file: 'dccboxed-signing-tool/src/test/resources/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-signed.XML',
    reason: 'malformed-signature',
    why: 'the template placeholder: DigestValue is base64 of "default" (7 bytes)',
  },
  {
    file: 'dccboxed-signing-tool/src/main/resources/message2.xml',
    reason: 'no-signature',
    why: 'message.xml before signing',
  },
];

export function readVector(file: string): string {
  return readFileSync(vectorPath(file), 'utf8');
}

/** The signing tool's certificates and keys: 19 certificates, XML signers for four EUIs. */
export function signingToolCredentials(): XmlSigningCredentials {
  return loadSigningToolFolder(SIGNING_TOOL_RESOURCES);
}

/** Every DUIS request template, by file name. */
export function duisTemplates(): { name: string; xml: string }[] {
  return readdirSync(DUIS_TEMPLATES)
    .filter((f) => f.endsWith('.XML'))
    .sort()
    .map((name) => ({ name, xml: readFileSync(join(DUIS_TEMPLATES, name), 'utf8') }));
}
