// Who signs DUIS XML and with what: SMKI organisation certificates (and private keys where held) indexed by the
// (X509IssuerName, X509SerialNumber) pair a ds:KeyInfo names, and by EUI-64. Loaders for DCC Boxed's keystore.json
// (the XML-signing entries: Remote Party Role 0x87 for Users, 0x89 for the DSP) and for the signing tool's
// resources folder (<name>.pem certificates beside <name>.key DER PKCS#8 keys).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeError } from '../codec/bytes.js';
import { eui64, type Eui64 } from '../codec/eui64.js';
import type { XmlDocument, XmlElement } from '../codec/xml/types.js';
import { assertP256 } from './ecdh.js';
import { CryptoInputError, MissingKeyError } from './errors.js';
import { readDccBoxedEntries, readPkcs8PrivateKey, type DccBoxedEntry } from './keystore-folder.js';
import { readSmkiCertificate } from './test-pki-read.js';

/** [O] DCC Boxed keystore.json and signing-tool certificates: OU 87 signs a User's DUIS XML, OU 89 the DSP's. */
export const XML_SIGNING_ROLES = [
  { code: 0x87, name: 'userXmlSigning' },
  { code: 0x89, name: 'dspXmlSigning' },
] as const;

/** [O] The DSP's EUI in DCC Boxed: RequestIDs of non-device requests target it, and it signs every response. */
export const DCC_BOXED_DSP_EUI = eui64('90B3D51F30000002');

const SERVICE_USER_GATEWAY = 'http://www.dccinterface.co.uk/ServiceUserGateway';

export interface XmlSigningCredential {
  eui: Eui64;
  /** RFC 4514, as the certificate has it and as ds:X509IssuerName carries it: "CN=Z1,OU=07". */
  issuer: string;
  /** Decimal, as ds:X509SerialNumber carries it. */
  serialNumber: string;
  /** The subject OU (Remote Party Role code). */
  roleCode?: number;
  publicKey: KeyObject;
  privateKey?: KeyObject;
  /** Where it was loaded from (file or keystore.json entry), for messages. */
  source?: string;
}

/** What signDuis needs: the key and the two KeyInfo values. XmlSigningCredential and TestPki's TestCredential fit. */
export interface XmlSigner {
  privateKey: KeyObject;
  issuer: string;
  serialNumber: string;
}

/** What verifyDuis needs: the certificate a KeyInfo names, or undefined. */
export interface XmlSigningCertificateLookup {
  byIssuerSerial(issuer: string, serialNumber: string): XmlSigningCredential | undefined;
}

export interface AddCredentialOptions {
  privateKey?: KeyObject;
  source?: string;
  /** Makes this the credential signer(eui) returns; needs a private key, and one per EUI. */
  signer?: boolean;
}

/** An in-memory set of XML-signing credentials. Filled by the loaders below or by add(). */
export class XmlSigningCredentials implements XmlSigningCertificateLookup {
  readonly #byIssuerSerial = new Map<string, XmlSigningCredential>();
  readonly #byEui = new Map<Eui64, XmlSigningCredential[]>();
  readonly #signers = new Map<Eui64, XmlSigningCredential & XmlSigner>();

  /**
   * Adds a certificate (PEM or DER, read as an SMKI organisation or device certificate). A second add of the same
   * issuer and serial completes the first (private key, signer mark); a different key under them is refused.
   */
  add(certificate: string | Uint8Array, options: AddCredentialOptions = {}): XmlSigningCredential {
    const where = options.source ?? 'certificate';
    const cert = readSmkiCertificate(certificate);
    const { privateKey } = options;
    if (privateKey !== undefined) {
      assertP256(privateKey, 'private', `${where} private key`);
      if (!createPublicKey(privateKey).equals(cert.publicKey))
        throw new CryptoInputError(
          `${where} private key`,
          'the private half of the certificate key',
          'an unrelated key',
        );
    }
    const key = issuerSerialKey(cert.issuer, cert.serialNumber);
    let credential = this.#byIssuerSerial.get(key);
    if (credential === undefined) {
      credential = {
        eui: cert.eui,
        issuer: cert.issuer,
        serialNumber: cert.serialNumber,
        ...(cert.roleCode !== undefined && { roleCode: cert.roleCode }),
        publicKey: cert.publicKey,
        ...(privateKey !== undefined && { privateKey }),
        ...(options.source !== undefined && { source: options.source }),
      };
      this.#byIssuerSerial.set(key, credential);
      const list = this.#byEui.get(cert.eui);
      if (list === undefined) this.#byEui.set(cert.eui, [credential]);
      else list.push(credential);
    } else {
      if (!credential.publicKey.equals(cert.publicKey))
        throw new CryptoInputError(
          `${where}`,
          `the key already held for ${cert.issuer} serial ${cert.serialNumber}`,
          'a different key',
        );
      if (privateKey !== undefined) credential.privateKey ??= privateKey;
    }
    if (options.signer === true) this.#markSigner(credential, where);
    return credential;
  }

  /**
   * Takes a credential another set holds (e.g. handed to a worker thread: its KeyObjects travel by postMessage),
   * as `add` would have made it from its certificate.
   */
  adopt(credential: XmlSigningCredential, signer = false): void {
    const key = issuerSerialKey(credential.issuer, credential.serialNumber);
    if (this.#byIssuerSerial.has(key))
      throw new CryptoInputError('credential', 'a new issuer and serial', key);
    this.#byIssuerSerial.set(key, credential);
    const list = this.#byEui.get(credential.eui);
    if (list === undefined) this.#byEui.set(credential.eui, [credential]);
    else list.push(credential);
    if (signer) this.#markSigner(credential, credential.source ?? 'adopted credential');
  }

  /** Whether `credential` is the one its party signs with. */
  isSigner(credential: XmlSigningCredential): boolean {
    return this.#signers.get(credential.eui) === credential;
  }

  byIssuerSerial(issuer: string, serialNumber: string): XmlSigningCredential | undefined {
    const key = issuerSerialKeyOrUndefined(issuer, serialNumber);
    return key === undefined ? undefined : this.#byIssuerSerial.get(key);
  }

  /** Every credential of one party, in the order added. */
  forEui(eui: Eui64): readonly XmlSigningCredential[] {
    return this.#byEui.get(eui) ?? [];
  }

  /** The credential that party signs DUIS XML with, when held. */
  signer(eui: Eui64): (XmlSigningCredential & XmlSigner) | undefined {
    return this.#signers.get(eui);
  }

  get size(): number {
    return this.#byIssuerSerial.size;
  }

  [Symbol.iterator](): IterableIterator<XmlSigningCredential> {
    return this.#byIssuerSerial.values();
  }

  #markSigner(credential: XmlSigningCredential, where: string): void {
    if (credential.privateKey === undefined)
      throw new CryptoInputError(`${where}`, 'a private key for a signing credential', 'a certificate only');
    const existing = this.#signers.get(credential.eui);
    if (existing !== undefined && existing !== credential)
      throw new CryptoInputError(
        `${where}`,
        `one signing credential for ${credential.eui}`,
        `a second one (serial ${credential.serialNumber}; already ${existing.serialNumber} from ${existing.source ?? 'add'})`,
      );
    this.#signers.set(credential.eui, credential as XmlSigningCredential & XmlSigner);
  }
}

// ---------------------------------------------------------------- loaders

/** The default keystore.json filter: DUIS XML-signing entries (roles 0x87 and 0x89). */
export function isXmlSigningEntry(entry: DccBoxedEntry): boolean {
  return entry.usage === 'DS' && XML_SIGNING_ROLES.some((r) => r.code === entry.role);
}

export interface DccBoxedXmlLoadOptions {
  into?: XmlSigningCredentials;
  /** Which entries to load (default isXmlSigningEntry). Entries outside it that are loaded verify only, never sign. */
  include?: (entry: DccBoxedEntry) => boolean;
}

/**
 * Loads DCC Boxed's keystore.json (a path, or the parsed JSON). XML-signing entries with a private key become their
 * EUI's signer; the entry's serial must be the certificate's.
 */
export function loadDccBoxedXmlSigningCredentials(
  source: string | unknown,
  options: DccBoxedXmlLoadOptions = {},
): XmlSigningCredentials {
  const json: unknown = typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : source;
  const into = options.into ?? new XmlSigningCredentials();
  const include = options.include ?? isXmlSigningEntry;
  for (const entry of readDccBoxedEntries(json)) {
    if (!include(entry) || entry.usage !== 'DS') continue;
    const where = `keystore.json ${entry.name ?? `${entry.eui}.${entry.serial}`}`;
    const privateKey =
      entry.privateKey === undefined ? undefined : readPkcs8PrivateKey(Buffer.from(entry.privateKey), where);
    const credential = into.add(entry.certificate, {
      ...(privateKey !== undefined && { privateKey }),
      source: where,
      signer: privateKey !== undefined && isXmlSigningEntry(entry),
    });
    if (credential.serialNumber !== entry.serial)
      throw new DecodeError(
        'dccboxed-keystore',
        0,
        where,
        `entry is filed under serial ${entry.serial} but its certificate has ${credential.serialNumber}`,
      );
  }
  return into;
}

/** [O] Signing-tool file names of the current XML-signing credentials; others (Z1-…, …-pre-1.4.1) only verify. */
const SIGNING_TOOL_SIGNER = /^(?:dsp-)?xml-sign-([0-9A-Fa-f]{16})-ds$/;
/** A private key beside <stem>.pem: DER PKCS#8 first (what the tool reads), then the PEM and .der copies. */
const KEY_SUFFIXES = ['.key', '.key.der', '.key.pem'];

/**
 * Loads a folder laid out like the DCC Boxed signing tool's resources: every <stem>.pem holding a certificate, with
 * its private key from <stem>.key (DER PKCS#8) when present. xml-sign-<EUI>-ds and dsp-xml-sign-<EUI>-ds become the
 * signers of their EUI. Other files are ignored.
 */
export function loadSigningToolFolder(
  dir: string,
  options: { into?: XmlSigningCredentials } = {},
): XmlSigningCredentials {
  const into = options.into ?? new XmlSigningCredentials();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.pem') || file.endsWith('.key.pem')) continue;
    const text = readFileSync(join(dir, file), 'latin1');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) continue;
    const stem = file.slice(0, -'.pem'.length);
    const keyFile = KEY_SUFFIXES.map((s) => `${stem}${s}`).find((k) => existsSync(join(dir, k)));
    const privateKey =
      keyFile === undefined ? undefined : readPkcs8PrivateKey(readFileSync(join(dir, keyFile)), keyFile);
    const signerEui = SIGNING_TOOL_SIGNER.exec(stem)?.[1];
    const credential = into.add(text, {
      ...(privateKey !== undefined && { privateKey }),
      source: file,
      signer: signerEui !== undefined && privateKey !== undefined,
    });
    if (signerEui !== undefined && eui64(signerEui) !== credential.eui)
      throw new DecodeError(
        'signing-tool-folder',
        0,
        file,
        `file name says ${signerEui}, certificate says ${credential.eui}`,
      );
  }
  return into;
}

// ---------------------------------------------------------------- who signs a DUIS document

/**
 * The party that signs a DUIS document: for a Request the Business Originator, the first field of its RequestID
 * ("90-B3-D5-1F-30-01-00-00:…:counter"); for a Response (responses, acknowledgements, alerts) the DSP.
 * Throws DecodeError when the document is neither or the RequestID is not an EUI-64 triple.
 */
export function duisSignerEui(doc: XmlDocument, options: { dspEui?: Eui64 } = {}): Eui64 {
  const { root } = doc;
  if (root.namespace === SERVICE_USER_GATEWAY && root.localName === 'Response')
    return options.dspEui ?? DCC_BOXED_DSP_EUI;
  if (root.namespace !== SERVICE_USER_GATEWAY || root.localName !== 'Request')
    throw new DecodeError('duis', 0, root.qname, 'expected sr:Request or sr:Response');
  const header = childElement(root, 'Header');
  const requestId = header === undefined ? undefined : childElement(header, 'RequestID');
  const text = requestId?.children
    .map((c) => (c.kind === 'text' ? c.value : ''))
    .join('')
    .trim();
  const parts = text?.split(':');
  if (parts?.length !== 3)
    throw new DecodeError(
      'duis',
      0,
      'Header/RequestID',
      `expected originator:target:counter, got "${text ?? ''}"`,
    );
  return eui64(parts[0]!);
}

/** The signer of `doc` from `credentials` (see duisSignerEui); throws MissingKeyError when it is not held. */
export function duisSigner(
  doc: XmlDocument,
  credentials: XmlSigningCredentials,
  options: { dspEui?: Eui64 } = {},
): XmlSigningCredential & XmlSigner {
  const eui = duisSignerEui(doc, options);
  const signer = credentials.signer(eui);
  if (signer === undefined) throw new MissingKeyError(`DUIS XML-signing credential for ${eui}`);
  return signer;
}

function childElement(parent: XmlElement, localName: string): XmlElement | undefined {
  for (const c of parent.children)
    if (c.kind === 'element' && c.namespace === SERVICE_USER_GATEWAY && c.localName === localName) return c;
  return undefined;
}

// ---------------------------------------------------------------- issuer + serial keys

/**
 * RFC 4514 names compared as DCC Boxed and the templates write them ("CN=Z1,OU=07", "CN=U1, OU=07"): attribute types
 * case-insensitive, spaces around separators ignored, values case-insensitive (caseIgnoreMatch for CN and OU).
 */
export function normalizeIssuerName(name: string): string | undefined {
  const rdns: string[] = [];
  let current = '';
  const atvs: string[] = [];
  const flushAtv = (): boolean => {
    const eq = current.indexOf('=');
    if (eq <= 0) return false;
    const type = current.slice(0, eq).trim().toUpperCase();
    const value = trimUnescaped(current.slice(eq + 1));
    if (type === '' || !/^[A-Z][A-Z0-9-]*$|^\d+(\.\d+)*$/.test(type)) return false;
    atvs.push(`${type}=${value.toLowerCase()}`);
    current = '';
    return true;
  };
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '\\') {
      if (i + 1 >= name.length) return undefined;
      current += ch + name[++i]!;
    } else if (ch === ',' || ch === '+') {
      if (!flushAtv()) return undefined;
      if (ch === ',') rdns.push(atvs.splice(0).sort().join('+'));
    } else current += ch;
  }
  if (!flushAtv()) return undefined;
  rdns.push(atvs.splice(0).sort().join('+'));
  return rdns.join(',');
}

function trimUnescaped(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === ' ') start++;
  // A trailing space preceded by a backslash is part of the value (RFC 4514 2.4).
  while (end > start && value[end - 1] === ' ' && value[end - 2] !== '\\') end--;
  return value.slice(start, end);
}

/** xsd:integer as X509SerialNumber carries it, without sign or leading zeros; undefined when not a decimal integer. */
export function normalizeSerialNumber(serial: string): string | undefined {
  const s = serial.trim();
  return /^\d{1,100}$/.test(s) ? BigInt(s).toString(10) : undefined;
}

function issuerSerialKeyOrUndefined(issuer: string, serial: string): string | undefined {
  const name = normalizeIssuerName(issuer);
  const number = normalizeSerialNumber(serial);
  return name === undefined || number === undefined ? undefined : `${number}|${name}`;
}

function issuerSerialKey(issuer: string, serial: string): string {
  const key = issuerSerialKeyOrUndefined(issuer, serial);
  if (key === undefined)
    throw new CryptoInputError('certificate', 'an RFC 4514 issuer and a serial', `"${issuer}" / ${serial}`);
  return key;
}
