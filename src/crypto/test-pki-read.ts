// Reading SMKI-like certificates (GBCS 12 on RFC 5759 / RFC 5280): who (EUI-64, from the device's
// hardwareModuleName or the organisation's x500UniqueIdentifier), what for (DS or KA), which Remote Party
// Role, and the issuer + serial that DUIS XML signatures name (X509IssuerSerial). Works on the public
// RTDS and ZAZ1 test certificates and on the ones TestPki issues.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { DecodeError, toHex } from '../codec/bytes.js';
import { eui64FromBytes, type Eui64 } from '../codec/eui64.js';
import { sameTag } from '../codec/gbcs/asn1/coder.js';
import { encodeDer, type DerNode } from '../codec/gbcs/asn1/der.js';
import type { KeyUsage } from './keystore.js';
import {
  TAG,
  X509_LAYER,
  children,
  childrenN,
  contentOf,
  contextTag,
  expectTag,
  fromPem,
  offsetOf,
  readBitString,
  readDer,
  readDirectoryString,
  readInteger,
  readOid,
  readTime,
} from './test-pki-x509.js';
import { KEY_USAGE_BITS, OID, remotePartyRoleName, type RemotePartyRole } from './test-pki-profile.js';

/** A certificate that parses as X.509 but is not an SMKI end-entity certificate GBCS could use. */
export class SmkiCertificateError extends Error {
  override readonly name = 'SmkiCertificateError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`SMKI certificate: ${field}: ${reason}`);
  }
}

export interface SmkiCertificate {
  /** Device certificates name the EUI in subjectAltName; organisation certificates in the subject. */
  kind: 'device' | 'organisation';
  eui: Eui64;
  usage: KeyUsage;
  /** The subject OU as a number (organisation certificates only). */
  roleCode?: number;
  /** The GBCS name of roleCode, when it is one of the GBCS Remote Party Roles. */
  role?: RemotePartyRole;
  /** Decimal, as XML-DSig X509SerialNumber carries it. */
  serialNumber: string;
  /** Uppercase hex of the serial's magnitude. */
  serialHex: string;
  /** RFC 4514 string (last RDN first, no spaces), as XML-DSig X509IssuerName carries it: "CN=Z1,OU=07". */
  issuer: string;
  /** RFC 4514 string of the subject; "" for device certificates (GBCS 12: empty SubjectName). */
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** certificatePolicies identifiers, in order. */
  policies: string[];
  /** hardwareModuleName hwType (device certificates). */
  hwType?: string;
  /** Uppercase hex, 8 octets in SMKI (RFC 5280 4.2.1.2 method 2). */
  subjectKeyId?: string;
  authorityKeyId?: string;
  publicKey: KeyObject;
  /** The certificate as DER. */
  der: Uint8Array;
}

/** Parses a PEM text (or PEM bytes) or DER certificate; throws DecodeError for bad DER, SmkiCertificateError for a non-SMKI profile. */
export function readSmkiCertificate(pemOrDer: string | Uint8Array): SmkiCertificate {
  const der = certificateBytes(pemOrDer);
  const certificate = expectTag(readDer(der, 'certificate'), TAG.sequence, 'certificate');
  const [tbs, signatureAlgorithm] = childrenN(certificate, 3, 3, 'certificate') as [
    DerNode,
    DerNode,
    DerNode,
  ];
  const fields = children(expectTag(tbs, TAG.sequence, 'tbsCertificate'), 'tbsCertificate');
  let i = 0;
  const next = (path: string): DerNode => {
    const n = fields[i++];
    if (!n) throw new DecodeError(X509_LAYER, offsetOf(tbs), `tbsCertificate.${path}`, 'missing');
    return n;
  };

  let version = 0n;
  if (fields[0] && sameTag(fields[0], contextTag(0, true)))
    version = readInteger(childrenN(next('version'), 1, 1, 'version')[0]!, 'version');
  // GBCS 12 via RFC 5759: X.509 v3 with the extensions below.
  if (version !== 2n) throw new SmkiCertificateError('version', `expected X.509 v3, got v${version + 1n}`);
  const serial = readInteger(next('serialNumber'), 'serialNumber');
  checkSignatureAlgorithm(next('signature'), 'tbsCertificate.signature');
  const issuer = rfc4514(next('issuer'), 'issuer');
  const [notBefore, notAfter] = childrenN(next('validity'), 2, 2, 'validity').map((t, k) =>
    readTime(t, `validity[${k}]`),
  ) as [Date, Date];
  const subjectNode = next('subject');
  const subject = rfc4514(subjectNode, 'subject');
  const publicKey = readP256PublicKey(next('subjectPublicKeyInfo'));
  let extensionsNode: DerNode | undefined;
  while (i < fields.length) {
    const n = next('extensions');
    if (sameTag(n, contextTag(3, true))) extensionsNode = childrenN(n, 1, 1, 'extensions')[0];
    // [1] issuerUniqueID and [2] subjectUniqueID are skipped: SMKI does not use them.
  }
  checkSignatureAlgorithm(signatureAlgorithm, 'signatureAlgorithm');

  const extensions = readExtensions(extensionsNode);
  const usage = readUsage(extensions.get(OID.keyUsage));
  const hardware = readHardwareModuleName(extensions.get(OID.subjectAltName));
  const organisation = readOrganisationSubject(subjectNode);

  let kind: SmkiCertificate['kind'];
  let eui: Eui64;
  if (hardware && organisation.eui && hardware.eui !== organisation.eui) {
    throw new SmkiCertificateError(
      'eui',
      `hardwareModuleName names ${hardware.eui} but the subject names ${organisation.eui}`,
    );
  }
  if (hardware) {
    kind = 'device';
    eui = hardware.eui;
  } else if (organisation.eui) {
    kind = 'organisation';
    eui = organisation.eui;
  } else {
    throw new SmkiCertificateError(
      'eui',
      'no EUI-64: neither a subjectAltName hardwareModuleName (device certificate, RFC 4108) nor a subject x500UniqueIdentifier (organisation certificate)',
    );
  }

  const out: SmkiCertificate = {
    kind,
    eui,
    usage,
    serialNumber: serial.toString(10),
    serialHex: (serial < 0n ? -serial : serial).toString(16).toUpperCase().padStart(2, '0'),
    issuer,
    subject,
    notBefore,
    notAfter,
    policies: readPolicies(extensions.get(OID.certificatePolicies)),
    publicKey,
    der: Uint8Array.from(der),
  };
  if (organisation.roleCode !== undefined) {
    out.roleCode = organisation.roleCode;
    const name = remotePartyRoleName(organisation.roleCode);
    if (name !== undefined) out.role = name;
  }
  if (hardware) out.hwType = hardware.hwType;
  const ski = extensions.get(OID.subjectKeyIdentifier);
  if (ski)
    out.subjectKeyId = toHex(
      contentOf(readDer(ski.value, 'subjectKeyIdentifier'), TAG.octetString, 'subjectKeyIdentifier'),
    );
  const aki = extensions.get(OID.authorityKeyIdentifier);
  if (aki) {
    const keyId = children(readDer(aki.value, 'authorityKeyIdentifier'), 'authorityKeyIdentifier').find((n) =>
      sameTag(n, contextTag(0, false)),
    );
    if (keyId) out.authorityKeyId = toHex(contentOf(keyId, contextTag(0, false), 'authorityKeyIdentifier'));
  }
  return out;
}

/** A DER certificate starts with a SEQUENCE identifier octet; anything else is taken for PEM text. */
const SEQUENCE_OCTET = 0x30;

function certificateBytes(input: string | Uint8Array): Uint8Array {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (input.length > 0 && input[0] !== SEQUENCE_OCTET) text = new TextDecoder('latin1').decode(input);
  if (text === undefined) return input as Uint8Array;
  const pem = fromPem(text);
  if (!pem)
    throw new SmkiCertificateError('pem', 'no PEM block found (expected -----BEGIN CERTIFICATE-----)');
  if (pem.label !== 'CERTIFICATE')
    throw new SmkiCertificateError('pem', `expected a CERTIFICATE, got a ${pem.label}`);
  return pem.der;
}

function checkSignatureAlgorithm(node: DerNode, path: string): void {
  const algorithm = readOid(childrenN(node, 1, 2, path)[0]!, path);
  // GBCS 12: P-256 keys with SHA-256 and ECDSA only.
  if (algorithm !== OID.ecdsaWithSha256)
    throw new SmkiCertificateError(
      path,
      `expected ecdsa-with-SHA256 (${OID.ecdsaWithSha256}), got ${algorithm}`,
    );
}

function readP256PublicKey(spki: DerNode): KeyObject {
  const [algorithm, key] = childrenN(spki, 2, 2, 'subjectPublicKeyInfo') as [DerNode, DerNode];
  const [type, curve] = childrenN(algorithm, 1, 2, 'subjectPublicKeyInfo.algorithm');
  const typeOid = readOid(type!, 'subjectPublicKeyInfo.algorithm');
  // GBCS 12: elliptic curve public keys on NIST P-256 only, uncompressed (RFC 5480 2.2).
  if (typeOid !== OID.ecPublicKey)
    throw new SmkiCertificateError(
      'subjectPublicKeyInfo',
      `expected an EC key (${OID.ecPublicKey}), got ${typeOid}`,
    );
  const curveOid =
    curve && sameTag(curve, TAG.oid) ? readOid(curve, 'subjectPublicKeyInfo.namedCurve') : 'no named curve';
  if (curveOid !== OID.prime256v1)
    throw new SmkiCertificateError(
      'subjectPublicKeyInfo',
      `wrong curve: expected P-256 (${OID.prime256v1}), got ${curveOid}`,
    );
  const point = readBitString(key, 'subjectPublicKey');
  if (point.unusedBits !== 0 || point.bytes.length !== 65 || point.bytes[0] !== 0x04) {
    throw new SmkiCertificateError(
      'subjectPublicKeyInfo',
      `expected an uncompressed P-256 point (65 octets from 0x04), got ${point.bytes.length} octets`,
    );
  }
  return createPublicKey({ key: Buffer.from(encodeDer(spki)), format: 'der', type: 'spki' });
}

interface RawExtension {
  critical: boolean;
  value: Uint8Array;
}

function readExtensions(node: DerNode | undefined): Map<string, RawExtension> {
  const out = new Map<string, RawExtension>();
  if (!node) return out;
  for (const [k, ext] of children(expectTag(node, TAG.sequence, 'extensions'), 'extensions').entries()) {
    const parts = childrenN(ext, 2, 3, `extensions[${k}]`);
    const id = readOid(parts[0]!, `extensions[${k}].extnID`);
    const critical =
      parts.length === 3 &&
      sameTag(parts[1]!, TAG.boolean) &&
      contentOf(parts[1]!, TAG.boolean, `extensions[${k}].critical`)[0] !== 0;
    const value = contentOf(parts[parts.length - 1]!, TAG.octetString, `extensions[${k}].extnValue`);
    // RFC 5280 4.2: an extension appears at most once.
    if (out.has(id)) throw new SmkiCertificateError('extensions', `extension ${id} appears twice`);
    out.set(id, { critical, value });
  }
  return out;
}

function readUsage(ext: RawExtension | undefined): KeyUsage {
  // GBCS 12: keyUsage is present and critical; an end-entity key is digitalSignature or keyAgreement, never both.
  if (!ext) throw new SmkiCertificateError('keyUsage', 'missing (GBCS 12 requires a critical keyUsage)');
  const { bytes } = readBitString(readDer(ext.value, 'keyUsage'), 'keyUsage');
  const first = bytes[0] ?? 0;
  if (first & KEY_USAGE_BITS.keyCertSign)
    throw new SmkiCertificateError(
      'keyUsage',
      'keyCertSign is set: a CA certificate, not a device or organisation certificate',
    );
  const ds = (first & KEY_USAGE_BITS.digitalSignature) !== 0;
  const ka = (first & KEY_USAGE_BITS.keyAgreement) !== 0;
  if (ds === ka)
    throw new SmkiCertificateError(
      'keyUsage',
      `expected exactly one of digitalSignature and keyAgreement, got ${ds ? 'both' : 'neither'}`,
    );
  return ds ? 'DS' : 'KA';
}

function readHardwareModuleName(ext: RawExtension | undefined): { eui: Eui64; hwType: string } | undefined {
  if (!ext) return undefined;
  for (const name of children(readDer(ext.value, 'subjectAltName'), 'subjectAltName')) {
    if (!sameTag(name, contextTag(0, true))) continue; // otherName [0]
    const [typeId, value] = childrenN(name, 2, 2, 'subjectAltName.otherName') as [DerNode, DerNode];
    if (readOid(typeId, 'otherName.type-id') !== OID.hardwareModuleName) continue;
    // RFC 4108 5: HardwareModuleName ::= SEQUENCE { hwType OBJECT IDENTIFIER, hwSerialNum OCTET STRING }
    const hmn = childrenN(
      expectTag(value, contextTag(0, true), 'otherName.value'),
      1,
      1,
      'otherName.value',
    )[0]!;
    const [hwType, hwSerialNum] = childrenN(
      expectTag(hmn, TAG.sequence, 'hardwareModuleName'),
      2,
      2,
      'hardwareModuleName',
    ) as [DerNode, DerNode];
    const serial = contentOf(hwSerialNum, TAG.octetString, 'hardwareModuleName.hwSerialNum');
    // GBCS 12: hwSerialNum is the Device's Entity Identifier (EUI-64).
    if (serial.length !== 8)
      throw new SmkiCertificateError(
        'hardwareModuleName',
        `hwSerialNum must be an 8-octet EUI-64, got ${serial.length} octets`,
      );
    return { eui: eui64FromBytes(serial), hwType: readOid(hwType, 'hardwareModuleName.hwType') };
  }
  return undefined;
}

function readOrganisationSubject(subject: DerNode): { eui?: Eui64; roleCode?: number } {
  const out: { eui?: Eui64; roleCode?: number } = {};
  for (const [type, value] of rdnsOf(subject, 'subject').flat()) {
    if (type === OID.x500UniqueIdentifier) {
      // [O] ZAZ1 organisation certificates: x500UniqueIdentifier BIT STRING holding the party's EUI-64.
      const { unusedBits, bytes } = readBitString(value, 'subject.x500UniqueIdentifier');
      if (unusedBits !== 0 || bytes.length !== 8) {
        throw new SmkiCertificateError(
          'subject',
          `x500UniqueIdentifier must hold an 8-octet EUI-64, got ${bytes.length} octets`,
        );
      }
      out.eui = eui64FromBytes(bytes);
    } else if (type === OID.organizationalUnitName) {
      out.roleCode = parseRoleOu(readDirectoryString(value));
    }
  }
  return out;
}

/** GBCS 12: RemotePartyRole in the OU. [O] two hex digits ("7F", "87"); pre-1.4.1 DCC Boxed wrote "137" in decimal. */
function parseRoleOu(text: string | undefined): number {
  if (text !== undefined && /^[0-9A-Fa-f]{2}$/.test(text)) return parseInt(text, 16);
  if (text !== undefined && /^\d{3}$/.test(text) && Number(text) <= 255) return Number(text);
  throw new SmkiCertificateError(
    'subject',
    `organizationalUnitName "${text ?? '(not a string)'}" is not a Remote Party Role code`,
  );
}

function readPolicies(ext: RawExtension | undefined): string[] {
  if (!ext) return [];
  return children(readDer(ext.value, 'certificatePolicies'), 'certificatePolicies').map((info, k) =>
    readOid(
      childrenN(info, 1, 2, `certificatePolicies[${k}]`)[0]!,
      `certificatePolicies[${k}].policyIdentifier`,
    ),
  );
}

// ---------------------------------------------------------------- RFC 4514 names

/** The name's RDNs in encoded order, each a list of (attribute type, value). */
function rdnsOf(name: DerNode, path: string): Array<Array<[string, DerNode]>> {
  return children(expectTag(name, TAG.sequence, path), path).map((rdn, r) =>
    children(expectTag(rdn, TAG.set, `${path}[${r}]`), `${path}[${r}]`).map((atv, a) => {
      const [type, value] = childrenN(atv, 2, 2, `${path}[${r}][${a}]`) as [DerNode, DerNode];
      return [readOid(type, `${path}[${r}][${a}].type`), value];
    }),
  );
}

/** RFC 4514 2.3 short names; every other type is written as a dotted OID with a #hex value (2.4). */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** RFC 4514 2.1: RDNs in reverse order, comma-separated; multi-valued RDNs joined with '+'. */
export function rfc4514(name: DerNode, path = 'name'): string {
  return rdnsOf(name, path)
    .map((rdn) =>
      rdn
        .map(([oid, value]) => {
          const short = SHORT_NAMES[oid];
          const text = short ? readDirectoryString(value) : undefined;
          return `${short ?? oid}=${text === undefined ? `#${toHex(encodeDer(value))}` : escapeRfc4514(text)}`;
        })
        .join('+'),
    )
    .reverse()
    .join(',');
}

function escapeRfc4514(value: string): string {
  // RFC 4514 2.4: escape , + " \ < > ; anywhere, a leading space or #, a trailing space, and NUL.
  let s = value.replace(/[,+"\\<>;]/g, '\\$&').replace(/\0/g, '\\00');
  if (s.startsWith(' ') || s.startsWith('#')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}
