// A seeded SMKI-like test PKI (ARCHITECTURE principle 5): a Root CA, an Organisation CA and a Device CA
// issue organisation and device certificates shaped like the public ZAZ1 and RTDS ones (GBCS 12,
// RFC 5759 / RFC 5280, RFC 4108 hardwareModuleName), for generated fleets.
//
// Determinism: every private key is derived from the seed and the identity (HMAC-SHA256, rejection
// sampling into [1, n-1]), and so is every serial number; validity dates come from the caller (virtual
// time), never from the wall clock. ECDSA signatures use OpenSSL's random nonce, so certificate bytes
// differ between runs in the signature only: same seed → same keys, serials, names and TBS bytes.
import {
  X509Certificate,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EncodeError } from '../codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import { encodeDer, type DerNode } from '../codec/gbcs/asn1/der.js';
import { RemotePartyRole as GbcsRemotePartyRole } from '../codec/gbcs/asn1/enums.js';
import type { KeyLookup, KeyUsage } from './keystore.js';
import {
  bitString,
  booleanTrue,
  contextConstructed,
  contextPrimitive,
  integer,
  octetString,
  oid,
  printableString,
  sequence,
  setOf1,
  time,
  toPem,
  utf8String,
} from './test-pki-x509.js';
import {
  DEVICE_NOT_AFTER,
  KEY_USAGE_BITS,
  OID,
  RTDS_DEVICE_POLICY_OID,
  RTDS_HW_TYPE_OID,
  ZAZ1_ORGANISATION_POLICY_OID,
  remotePartyRoleCode,
  remotePartyRoleName,
  type DeviceType,
  type RemotePartyRole,
} from './test-pki-profile.js';
import { rfc4514 } from './test-pki-read.js';

export * from './test-pki-profile.js';
export { readSmkiCertificate, SmkiCertificateError, type SmkiCertificate } from './test-pki-read.js';

export interface TestPkiOptions {
  /** Any non-empty bytes or text; the same seed gives the same keys. */
  seed: Uint8Array | string;
  /** Virtual time the PKI is set up: notBefore of the CA certificates and the default notBefore of issued ones. */
  notBefore: Date;
  /** notAfter of the CA certificates; default 9999-12-31T23:59:59Z. */
  caNotAfter?: Date;
  /** Common names of the CAs; defaults TWIN-ROOT, TWIN-OCA, TWIN-DCA (distinct from ZAZ1's Z1 and RTDS's E357). */
  names?: { root?: string; organisationCa?: string; deviceCa?: string };
  /** Defaults: the OIDs the public test certificates carry (see test-pki-profile.ts). */
  organisationPolicyOid?: string;
  devicePolicyOid?: string;
  hwTypeOid?: string;
}

export interface OrganisationCertificateRequest {
  eui: Eui64;
  /** A GBCS Remote Party Role, or a raw OU code (0–255) for DCC Boxed's extra roles such as 0x87 XML signing. */
  role: RemotePartyRole | number;
  usage: KeyUsage;
  /** The supplier's prepayment key-agreement key (UTRNs, GBCS 14.8). */
  prepayment?: boolean;
  /** Optional subject CN, as ZAZ1 supplier DS certificates carry ("GITTESTSUPPLIER"). */
  commonName?: string;
  /** Default: the PKI's notBefore. */
  notBefore?: Date;
  /** Default: ten years after notBefore less one second, like ZAZ1 (2015-10-30 → 2025-10-29T23:59:59Z). */
  notAfter?: Date;
  /** 0 for an identity's first key pair; a replacement credential takes the next number. */
  generation?: number;
}

export interface DeviceCertificateRequest {
  eui: Eui64;
  /** Not written into the certificate: RTDS device certificates carry one hwType for every device type. */
  deviceType: DeviceType;
  usage: KeyUsage;
  /** Default: the PKI's notBefore. notAfter is always 9999-12-31T23:59:59Z (GBCS 12). */
  notBefore?: Date;
  generation?: number;
}

/** An issued end-entity certificate with its key pair. */
export interface TestCredential {
  kind: 'organisation' | 'device';
  eui: Eui64;
  usage: KeyUsage;
  prepayment: boolean;
  roleCode?: number;
  role?: RemotePartyRole;
  deviceType?: DeviceType;
  /** DER. */
  certificate: Uint8Array;
  certificatePem: string;
  /** Decimal, as XML-DSig X509SerialNumber carries it. */
  serialNumber: string;
  /** RFC 4514, as XML-DSig X509IssuerName carries it. */
  issuer: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export interface TestCaCertificate {
  /** RFC 4514 subject, e.g. "CN=TWIN-OCA,OU=07". */
  name: string;
  certificate: Uint8Array;
  certificatePem: string;
  publicKey: KeyObject;
}

interface CaMaterial extends TestCaCertificate {
  nameNode: DerNode;
  keyId: Uint8Array;
  privateKey: KeyObject;
}

interface DerivedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  spki: DerNode;
  keyId: Uint8Array;
}

const DOMAIN = 'smets-twin/test-pki/v1';

export class TestPki {
  readonly root: TestCaCertificate;
  readonly organisationCa: TestCaCertificate;
  readonly deviceCa: TestCaCertificate;
  readonly notBefore: Date;
  readonly #seed: Uint8Array;
  readonly #organisationCa: CaMaterial;
  readonly #deviceCa: CaMaterial;
  readonly #organisationPolicy: DerNode;
  readonly #devicePolicy: DerNode;
  readonly #hwType: DerNode;

  constructor(options: TestPkiOptions) {
    const seed =
      typeof options.seed === 'string'
        ? new TextEncoder().encode(options.seed)
        : Uint8Array.from(options.seed);
    if (seed.length === 0) throw new EncodeError('test-pki', 'seed', 'must not be empty');
    this.#seed = seed;
    this.notBefore = wholeSeconds(options.notBefore, 'notBefore');
    const caNotAfter = wholeSeconds(options.caNotAfter ?? DEVICE_NOT_AFTER, 'caNotAfter');
    this.#organisationPolicy = oid(options.organisationPolicyOid ?? ZAZ1_ORGANISATION_POLICY_OID);
    this.#devicePolicy = oid(options.devicePolicyOid ?? RTDS_DEVICE_POLICY_OID);
    this.#hwType = oid(options.hwTypeOid ?? RTDS_HW_TYPE_OID);
    const names = { root: 'TWIN-ROOT', organisationCa: 'TWIN-OCA', deviceCa: 'TWIN-DCA', ...options.names };

    // [O] ZAZ1 issuer "OU=07, CN=Z1" (PrintableString): a CA's OU is its Remote Party Role; RTDS device issuer is "CN=E357".
    const rootName = caName(names.root, remotePartyRoleCode('root'));
    const rootKeys = this.#derive(['ca', 'root']);
    const root = this.#ca(
      rootName,
      rootKeys,
      undefined,
      [this.#organisationPolicy, this.#devicePolicy],
      caNotAfter,
    );
    this.#organisationCa = this.#ca(
      caName(names.organisationCa, remotePartyRoleCode('issuingAuthority')),
      this.#derive(['ca', 'organisation']),
      root,
      [this.#organisationPolicy],
      caNotAfter,
    );
    this.#deviceCa = this.#ca(
      caName(names.deviceCa),
      this.#derive(['ca', 'device']),
      root,
      [this.#devicePolicy],
      caNotAfter,
    );
    this.root = publicPart(root);
    this.organisationCa = publicPart(this.#organisationCa);
    this.deviceCa = publicPart(this.#deviceCa);
  }

  /** The CA certificates, root first: what a relying party (or a chain builder) needs. */
  caCertificates(): TestCaCertificate[] {
    return [this.root, this.organisationCa, this.deviceCa];
  }

  issueOrganisationCertificate(req: OrganisationCertificateRequest): TestCredential {
    const roleCode = typeof req.role === 'number' ? req.role : remotePartyRoleCode(req.role);
    if (!Number.isInteger(roleCode) || roleCode < 0 || roleCode > 0xff) {
      throw new EncodeError(
        'test-pki',
        'role',
        `${String(req.role)} is neither a GBCS Remote Party Role (${GbcsRemotePartyRole.entries.map(([, name]) => name).join(', ')}) nor a code 0–255`,
      );
    }
    const prepayment = req.prepayment ?? false;
    // GBCS 14.8: only a supplier holds the extra prepayment key, and it is a key-agreement key.
    if (prepayment && (req.usage !== 'KA' || roleCode !== remotePartyRoleCode('supplier'))) {
      throw new EncodeError(
        'test-pki',
        'prepayment',
        `a prepayment key is a supplier's KA key, not ${remotePartyRoleName(roleCode) ?? roleCode} ${req.usage}`,
      );
    }
    const generation = checkGeneration(req.generation);
    const notBefore = wholeSeconds(req.notBefore ?? this.notBefore, 'notBefore');
    const notAfter = wholeSeconds(req.notAfter ?? tenYearsLessOneSecond(notBefore), 'notAfter');
    const label = [
      'organisation',
      req.eui,
      String(roleCode),
      req.usage,
      prepayment ? 'pp' : '',
      String(generation),
    ];
    const keys = this.#derive(label);
    // [O] ZAZ1 subject: [CN (UTF8String)], OU = role as two uppercase hex digits (UTF8String), x500UniqueIdentifier = EUI-64.
    const subject = sequence(
      ...(req.commonName !== undefined ? [rdn(OID.commonName, utf8String(req.commonName))] : []),
      rdn(OID.organizationalUnitName, utf8String(roleCode.toString(16).toUpperCase().padStart(2, '0'))),
      rdn(OID.x500UniqueIdentifier, bitString(eui64ToBytes(req.eui))),
    );
    const certificate = this.#sign(this.#organisationCa, {
      serial: this.#serial(label, notBefore),
      notBefore,
      notAfter,
      subject,
      spki: keys.spki,
      // [O] ZAZ1 extension order: keyUsage, subjectKeyIdentifier, certificatePolicies, authorityKeyIdentifier.
      extensions: [
        keyUsageExtension(req.usage),
        extension(OID.subjectKeyIdentifier, false, octetString(keys.keyId)),
        extension(OID.certificatePolicies, true, sequence(sequence(this.#organisationPolicy))),
        authorityKeyIdExtension(this.#organisationCa.keyId),
      ],
    });
    const out = this.#credential(
      'organisation',
      req.eui,
      req.usage,
      prepayment,
      certificate,
      keys,
      this.#organisationCa,
    );
    out.roleCode = roleCode;
    const name = remotePartyRoleName(roleCode);
    if (name !== undefined) out.role = name;
    return out;
  }

  issueDeviceCertificate(req: DeviceCertificateRequest): TestCredential {
    if (req.deviceType === 'type2')
      throw new EncodeError('test-pki', 'deviceType', 'Type 2 devices (IHD, CAD) hold no SMKI certificates');
    const generation = checkGeneration(req.generation);
    const notBefore = wholeSeconds(req.notBefore ?? this.notBefore, 'notBefore');
    const label = ['device', req.eui, req.usage, String(generation)];
    const keys = this.#derive(label);
    // RFC 4108 5: HardwareModuleName ::= SEQUENCE { hwType OID, hwSerialNum OCTET STRING }, in otherName [0].
    const hardwareModuleName = contextConstructed(
      0,
      oid(OID.hardwareModuleName),
      contextConstructed(0, sequence(this.#hwType, octetString(eui64ToBytes(req.eui)))),
    );
    const certificate = this.#sign(this.#deviceCa, {
      serial: this.#serial(label, notBefore),
      notBefore,
      // GBCS 12: Device Certificates have notAfter 99991231235959Z and an empty subject.
      notAfter: DEVICE_NOT_AFTER,
      subject: sequence(),
      spki: keys.spki,
      // [O] RTDS extension order: keyUsage, subjectKeyIdentifier, subjectAltName, certificatePolicies, authorityKeyIdentifier.
      extensions: [
        keyUsageExtension(req.usage),
        extension(OID.subjectKeyIdentifier, false, octetString(keys.keyId)),
        // GBCS 12: a single otherName hardwareModuleName; critical because the subject is empty (RFC 5280 4.2.1.6).
        extension(OID.subjectAltName, true, sequence(hardwareModuleName)),
        extension(OID.certificatePolicies, true, sequence(sequence(this.#devicePolicy))),
        authorityKeyIdExtension(this.#deviceCa.keyId),
      ],
    });
    const out = this.#credential('device', req.eui, req.usage, false, certificate, keys, this.#deviceCa);
    out.deviceType = req.deviceType;
    return out;
  }

  #credential(
    kind: TestCredential['kind'],
    eui: Eui64,
    usage: KeyUsage,
    prepayment: boolean,
    certificate: { der: Uint8Array; serial: bigint },
    keys: DerivedKeyPair,
    ca: CaMaterial,
  ): TestCredential {
    return {
      kind,
      eui,
      usage,
      prepayment,
      certificate: certificate.der,
      certificatePem: toPem('CERTIFICATE', certificate.der),
      serialNumber: certificate.serial.toString(10),
      issuer: ca.name,
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
    };
  }

  /** A CA certificate: self-signed when there is no issuer (the root). */
  #ca(
    nameNode: DerNode,
    keys: DerivedKeyPair,
    issuer: CaMaterial | undefined,
    policies: DerNode[],
    notAfter: Date,
  ): CaMaterial {
    const name = rfc4514(nameNode);
    const { der } = this.#sign(issuer ?? { nameNode, privateKey: keys.privateKey }, {
      serial: this.#serial(['ca', name], this.notBefore),
      notBefore: this.notBefore,
      notAfter,
      subject: nameNode,
      spki: keys.spki,
      extensions: [
        extension(
          OID.keyUsage,
          true,
          bitString(Uint8Array.of(KEY_USAGE_BITS.keyCertSign | KEY_USAGE_BITS.cRLSign), 1),
        ),
        extension(OID.subjectKeyIdentifier, false, octetString(keys.keyId)),
        // RFC 5280 4.2.1.9: issuing CAs sign end-entity certificates only (pathLenConstraint 0).
        extension(
          OID.basicConstraints,
          true,
          issuer ? sequence(booleanTrue(), integer(0n)) : sequence(booleanTrue()),
        ),
        extension(OID.certificatePolicies, true, sequence(...policies.map((p) => sequence(p)))),
        // GBCS 12: every certificate but the self-signed root carries an authorityKeyIdentifier.
        ...(issuer ? [authorityKeyIdExtension(issuer.keyId)] : []),
      ],
    });
    return {
      name,
      nameNode,
      keyId: keys.keyId,
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
      certificate: der,
      certificatePem: toPem('CERTIFICATE', der),
    };
  }

  #sign(
    ca: Pick<CaMaterial, 'nameNode' | 'privateKey'>,
    t: {
      serial: bigint;
      notBefore: Date;
      notAfter: Date;
      subject: DerNode;
      spki: DerNode;
      extensions: DerNode[];
    },
  ): { der: Uint8Array; serial: bigint } {
    if (t.notAfter.getTime() <= t.notBefore.getTime()) {
      throw new EncodeError(
        'test-pki',
        'validity',
        `notAfter ${t.notAfter.toISOString()} is not after notBefore ${t.notBefore.toISOString()}`,
      );
    }
    const algorithm = sequence(oid(OID.ecdsaWithSha256));
    const tbs = sequence(
      contextConstructed(0, integer(2n)), // v3
      integer(t.serial),
      algorithm,
      ca.nameNode,
      sequence(time(t.notBefore), time(t.notAfter)),
      t.subject,
      t.spki,
      contextConstructed(3, sequence(...t.extensions)),
    );
    // GBCS 12: ECDSA with SHA-256 on P-256; node returns the DER Ecdsa-Sig-Value X.509 wants.
    const signature = sign('sha256', encodeDer(tbs), ca.privateKey);
    const der = encodeDer(sequence(tbs, algorithm, bitString(new Uint8Array(signature))));
    return { der, serial: t.serial };
  }

  /** 16 octets, first in 0x10–0x7F so the INTEGER is positive and always 16 octets ([O] RTDS and ZAZ1 serials). */
  #serial(label: string[], notBefore: Date): bigint {
    const h = createHmac('sha256', this.#seed)
      .update(`${DOMAIN}\0serial\0${label.join('\0')}\0${notBefore.toISOString()}`)
      .digest();
    const serial = new Uint8Array(h.subarray(0, 16));
    serial[0] = 0x10 + (serial[0]! % 0x70);
    return BigInt(`0x${Buffer.from(serial).toString('hex')}`);
  }

  #derive(label: string[]): DerivedKeyPair {
    return deriveP256KeyPair(this.#seed, `${DOMAIN}\0key\0${label.join('\0')}`);
  }
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const SPKI_P256_PREFIX = sequence(oid(OID.ecPublicKey), oid(OID.prime256v1));

/** d = HMAC-SHA256(seed, label ‖ counter), the first counter giving 0 < d < n (a miss has probability ~2^-32). */
function deriveP256KeyPair(seed: Uint8Array, label: string): DerivedKeyPair {
  for (let counter = 0; counter < 256; counter++) {
    const d = createHmac('sha256', seed).update(label).update(Uint8Array.of(counter)).digest();
    const v = BigInt(`0x${d.toString('hex')}`);
    if (v === 0n || v >= P256_N) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // uncompressed 04 ‖ x ‖ y
    const privateKey = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: d.toString('base64url'),
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const spki = sequence(SPKI_P256_PREFIX, bitString(point));
    return { privateKey, publicKey: createPublicKey(privateKey), spki, keyId: keyIdentifier(point) };
  }
  throw new EncodeError('test-pki', 'key', `no valid P-256 scalar for ${label}`);
}

/** GBCS 12 / RFC 5280 4.2.1.2 method (2): 0100 then the low 60 bits of SHA-1 of the public key bits: 8 octets. */
function keyIdentifier(point: Uint8Array): Uint8Array {
  const id = new Uint8Array(createHash('sha1').update(point).digest().subarray(12));
  id[0] = 0x40 | (id[0]! & 0x0f);
  return id;
}

/** extnValue is an OCTET STRING holding the DER of the extension's value. */
function extension(id: string, critical: boolean, value: DerNode): DerNode {
  const extnValue = octetString(encodeDer(value));
  return critical ? sequence(oid(id), booleanTrue(), extnValue) : sequence(oid(id), extnValue);
}

function keyUsageExtension(usage: KeyUsage): DerNode {
  // GBCS 12: keyUsage critical, exactly one of digitalSignature (03 02 07 80) and keyAgreement (03 02 03 08).
  const bits =
    usage === 'DS'
      ? bitString(Uint8Array.of(KEY_USAGE_BITS.digitalSignature), 7)
      : bitString(Uint8Array.of(KEY_USAGE_BITS.keyAgreement), 3);
  return extension(OID.keyUsage, true, bits);
}

function authorityKeyIdExtension(keyId: Uint8Array): DerNode {
  // GBCS 12: authorityKeyIdentifier as [0] KeyIdentifier only, non-critical.
  return extension(OID.authorityKeyIdentifier, false, sequence(contextPrimitive(0, keyId)));
}

function rdn(type: string, value: DerNode): DerNode {
  return setOf1(sequence(oid(type), value));
}

function caName(commonName: string, roleCode?: number): DerNode {
  return sequence(
    ...(roleCode !== undefined
      ? [
          rdn(
            OID.organizationalUnitName,
            printableString(roleCode.toString(16).toUpperCase().padStart(2, '0')),
          ),
        ]
      : []),
    rdn(OID.commonName, printableString(commonName)),
  );
}

function publicPart(ca: CaMaterial): TestCaCertificate {
  return {
    name: ca.name,
    certificate: ca.certificate,
    certificatePem: ca.certificatePem,
    publicKey: ca.publicKey,
  };
}

/** X.509 times carry whole seconds; a sub-second virtual time is truncated. */
function wholeSeconds(date: Date, path: string): Date {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new EncodeError('test-pki', path, 'not a valid Date');
  return new Date(Math.floor(ms / 1000) * 1000);
}

function tenYearsLessOneSecond(from: Date): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + 10);
  return new Date(d.getTime() - 1000);
}

function checkGeneration(generation: number | undefined): number {
  const g = generation ?? 0;
  if (!Number.isSafeInteger(g) || g < 0)
    throw new EncodeError('test-pki', 'generation', `${g} is not a non-negative integer`);
  return g;
}

// ---------------------------------------------------------------- handing keys over

/**
 * Anything that takes key material by lookup. MemoryKeyStore.set (keystore-folder.ts) has this shape, so a
 * store can be passed as it is; this module does not import it.
 */
export interface KeySink {
  set(
    lookup: KeyLookup,
    material: { publicKey?: KeyObject; privateKey?: KeyObject; certificate?: X509Certificate },
  ): unknown;
}

/** Adds each credential's public key, certificate and, unless told otherwise, private key. */
export function addToKeySink(
  sink: KeySink,
  credentials: Iterable<TestCredential>,
  options: { privateKeys?: boolean } = {},
): void {
  const withPrivate = options.privateKeys ?? true;
  for (const c of credentials) {
    sink.set(
      { eui: c.eui, usage: c.usage, ...(c.prepayment ? { prepayment: true } : {}) },
      {
        publicKey: c.publicKey,
        certificate: new X509Certificate(c.certificate),
        ...(withPrivate ? { privateKey: c.privateKey } : {}),
      },
    );
  }
}

// ---------------------------------------------------------------- RTDS keystore folder

export interface KeystoreFolderEntry {
  eui: Eui64;
  usage: KeyUsage;
  prepayment?: boolean;
  /** DER. */
  certificate: Uint8Array;
  privateKey?: KeyObject;
}

/** "<eui lowercase>[-pp]-{ds,ka}", the file stem the RTDS keystore folder uses. */
export function keystoreFileStem(eui: Eui64, usage: KeyUsage, prepayment = false): string {
  return `${eui.toLowerCase()}${prepayment ? '-pp' : ''}-${usage.toLowerCase()}`;
}

export function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Writes entries in the RTDS keystore layout: `<stem>.pem` certificate and, when a private key is given
 * (and privateKeys is not false), `<stem>.key` PKCS#8 PEM. Creates the folder; replaces files of the same
 * name; refuses two entries for one file. Returns the file names written, sorted.
 */
export async function writeKeystoreFolder(
  dir: string,
  entries: Iterable<KeystoreFolderEntry>,
  options: { privateKeys?: boolean } = {},
): Promise<string[]> {
  const files = new Map<string, string>();
  for (const e of entries) {
    const stem = keystoreFileStem(e.eui, e.usage, e.prepayment ?? false);
    if (files.has(`${stem}.pem`))
      throw new EncodeError('test-pki', 'keystore folder', `two entries for ${stem}`);
    files.set(`${stem}.pem`, toPem('CERTIFICATE', e.certificate));
    if (e.privateKey && (options.privateKeys ?? true)) files.set(`${stem}.key`, pkcs8Pem(e.privateKey));
  }
  await mkdir(dir, { recursive: true });
  const names = [...files.keys()].sort();
  await Promise.all(names.map((name) => writeFile(join(dir, name), files.get(name)!)));
  return names;
}
