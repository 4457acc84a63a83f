// Key stores for the public test PKI (ARCHITECTURE principle 5): an in-memory store, a loader for the RTDS keystore
// folder (<eui>[-pp]-{ds,ka}.{pem,key}) and one for DCC Boxed's keystore.json (see its schema.json).
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeError } from '../codec/bytes.js';
import { eui64, type Eui64 } from '../codec/eui64.js';
import { CryptoInputError } from './errors.js';
import { assertP256, describeLookup } from './ecdh.js';
import type { KeyLookup, KeyStore, KeyUsage } from './keystore.js';

export interface KeyMaterial {
  publicKey?: KeyObject;
  privateKey?: KeyObject;
  /** The certificate the public key came from, when there is one (DUIS signing needs issuer and serial). */
  certificate?: X509Certificate;
}

interface Slot {
  publicKey: KeyObject;
  privateKey?: KeyObject;
  certificate?: X509Certificate;
}

/** A KeyStore filled programmatically. One key pair per (EUI, usage, prepayment); keys are checked to be P-256. */
export class MemoryKeyStore implements KeyStore {
  /** Every slot by its full key, in insertion order (size, lookups()). */
  private readonly slots = new Map<string, Slot>();
  /**
   * The same slots by kind ("KA", "DS", "KA/pp"), then EUI: the lookups on the verify path (several per message)
   * hash the EUI string the message already carries instead of building and hashing "<eui>/<usage>" each time.
   */
  private readonly byKind = new Map<string, Map<Eui64, Slot>>();

  /**
   * Adds or completes a slot. A private key alone also provides its public key; a public key and a private key
   * for one slot must belong together, and a second, different key for a filled half is refused.
   */
  set(lookup: KeyLookup, material: KeyMaterial): this {
    if (lookup.prepayment === true && lookup.usage !== 'KA') {
      throw new CryptoInputError(
        'lookup',
        'prepayment only with usage KA (GBCS 4.3: the prepayment key is a key-agreement key)',
        `usage ${lookup.usage}`,
      );
    }
    const where = describeLookup(lookup);
    const { privateKey, certificate } = material;
    if (privateKey !== undefined) assertP256(privateKey, 'private', `${where} private key`);
    let publicKey = material.publicKey ?? certificate?.publicKey;
    if (
      material.publicKey !== undefined &&
      certificate !== undefined &&
      !material.publicKey.equals(certificate.publicKey)
    ) {
      throw new CryptoInputError(
        `${where} public key`,
        'the key of the given certificate',
        'a different key',
      );
    }
    if (publicKey !== undefined) assertP256(publicKey, 'public', `${where} public key`);
    const derived = privateKey === undefined ? undefined : createPublicKey(privateKey);
    if (publicKey !== undefined && derived !== undefined && !publicKey.equals(derived)) {
      throw new CryptoInputError(
        `${where} private key`,
        'the private half of the public key',
        'an unrelated key',
      );
    }
    publicKey ??= derived;

    const key = slotKey(lookup);
    const existing = this.slots.get(key);
    if (existing === undefined) {
      if (publicKey === undefined) {
        throw new CryptoInputError(
          `${where} key material`,
          'a public key, certificate or private key',
          'none',
        );
      }
      const slot: Slot = {
        publicKey,
        ...(privateKey && { privateKey }),
        ...(certificate && { certificate }),
      };
      this.slots.set(key, slot);
      const kind = slotKind(lookup);
      let ofKind = this.byKind.get(kind);
      if (ofKind === undefined) this.byKind.set(kind, (ofKind = new Map()));
      ofKind.set(lookup.eui, slot);
      return this;
    }
    if (publicKey !== undefined && !existing.publicKey.equals(publicKey)) {
      throw new CryptoInputError(`${where} key`, 'the key already stored for this slot', 'a different key');
    }
    if (privateKey !== undefined) existing.privateKey ??= privateKey;
    if (certificate !== undefined) existing.certificate ??= certificate;
    return this;
  }

  publicKey(lookup: KeyLookup): KeyObject | undefined {
    return this.slot(lookup)?.publicKey;
  }

  privateKey(lookup: KeyLookup): KeyObject | undefined {
    return this.slot(lookup)?.privateKey;
  }

  certificate(lookup: KeyLookup): X509Certificate | undefined {
    return this.slot(lookup)?.certificate;
  }

  private slot(lookup: KeyLookup): Slot | undefined {
    return this.byKind.get(slotKind(lookup))?.get(lookup.eui);
  }

  /** Number of filled slots. */
  get size(): number {
    return this.slots.size;
  }

  /** Every filled slot, in insertion order. */
  *lookups(): IterableIterator<KeyLookup> {
    for (const key of this.slots.keys()) {
      const [eui, usage, pp] = key.split('/') as [Eui64, KeyUsage, string | undefined];
      yield pp === 'pp' ? { eui, usage, prepayment: true } : { eui, usage };
    }
  }
}

function slotKey(l: KeyLookup): string {
  return `${l.eui}/${l.usage}${l.prepayment === true ? '/pp' : ''}`;
}

/** slotKey without the EUI; a plain usage (no string built) unless prepayment. */
function slotKind(l: KeyLookup): string {
  return l.prepayment === true ? `${l.usage}/pp` : l.usage;
}

// ---- RTDS keystore folder ----

/** `<eui>[-pp]-{ds,ka}.{pem,key}`: .pem = X.509 certificate or SPKI public key, .key = PKCS#8 private key. */
const FOLDER_FILE = /^([0-9a-fA-F]{16})(-pp)?-(ds|ka)\.(pem|key)$/;

/**
 * Loads every key file of a folder in the RTDS keystore layout into `into` (a new store by default).
 * Other extensions are ignored; a .pem or .key whose name or contents do not fit throws DecodeError naming the file.
 */
export function loadKeyStoreFolder(dir: string, into: MemoryKeyStore = new MemoryKeyStore()): MemoryKeyStore {
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.pem') && !file.endsWith('.key')) continue;
    const m = FOLDER_FILE.exec(file);
    if (m === null)
      throw new DecodeError('keystore-folder', 0, file, 'name is not <eui>[-pp]-{ds,ka}.{pem,key}');
    const lookup: KeyLookup = {
      eui: eui64(m[1]!),
      usage: m[3] === 'ds' ? 'DS' : 'KA',
      ...(m[2] !== undefined && { prepayment: true }),
    };
    const contents = readFileSync(join(dir, file));
    into.set(
      lookup,
      m[4] === 'key'
        ? { privateKey: readPkcs8PrivateKey(contents, file) }
        : readPublicPem(contents.toString('latin1'), file),
    );
  }
  return into;
}

function readPublicPem(text: string, source: string): KeyMaterial {
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) return { certificate: new X509Certificate(text) };
    return { publicKey: createPublicKey({ key: text, format: 'pem' }) };
  } catch (e) {
    throw new DecodeError(
      'keystore',
      0,
      source,
      `not a PEM certificate or public key (${(e as Error).message})`,
    );
  }
}

/** A PKCS#8 private key, PEM or DER; DecodeError naming `source` otherwise. */
export function readPkcs8PrivateKey(contents: Uint8Array | string, source: string): KeyObject {
  const buf = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents);
  const pem = buf.includes('-----BEGIN');
  try {
    return pem
      ? createPrivateKey({ key: buf, format: 'pem' })
      : createPrivateKey({ key: buf, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new DecodeError('keystore', 0, source, `not a PKCS#8 private key (${(e as Error).message})`);
  }
}

// ---- DCC Boxed keystore.json ----

/** One entry of keystore.json: eui → keyUsage → serial → entry (dccboxed-keystore schema.json). */
export interface DccBoxedEntry {
  eui: Eui64;
  usage: KeyUsage;
  /** Certificate serial number, decimal. */
  serial: string;
  certificate: string;
  privateKey?: string;
  /** Remote Party Role when the entry is a remote party's (2 supplier, 4 ACB, …); 0x87 and 0x89 mark XML-signing entries. */
  role?: number;
  name?: string;
  /** The schema has no prepayment field: DCC Boxed names those entries "…PP-ka". */
  prepayment: boolean;
}

/**
 * The default filter: entries of GBCS remote parties, whose Remote Party Role is below 0x80 (domain brief §2.6
 * lists 0–7 and 127; the file also holds 8, a load controller). Role-less entries and the DUIS XML-signing
 * credentials (roles 0x87, 0x89) stay out.
 */
export function isGbcsRemotePartyEntry(entry: DccBoxedEntry): boolean {
  return entry.role !== undefined && entry.role >= 0 && entry.role < 0x80;
}

export interface DccBoxedLoadOptions {
  into?: MemoryKeyStore;
  /**
   * Which entries to load (default isGbcsRemotePartyEntry). The file holds several credential generations
   * (names "Z1-…", "Z1b-…") for one slot; when two chosen entries fill one slot the load fails, so narrow it here,
   * e.g. `(e) => isGbcsRemotePartyEntry(e) && !e.name?.startsWith('Z1b-')` for the keys RTDS 4.5.0 was made with.
   */
  include?: (entry: DccBoxedEntry) => boolean;
}

/** Every entry of a parsed keystore.json, checked against the file's schema (throws DecodeError with the JSON path). */
export function readDccBoxedEntries(json: unknown): DccBoxedEntry[] {
  const fail = (path: string, reason: string): never => {
    throw new DecodeError('dccboxed-keystore', 0, path, reason);
  };
  const entries: DccBoxedEntry[] = [];
  if (!isRecord(json)) fail('$', 'expected an object keyed by EUI');
  for (const [euiText, usages] of Object.entries(json as Record<string, unknown>)) {
    if (!/^[0-9a-f]{16}$/.test(euiText)) fail(`$.${euiText}`, 'expected 16 lowercase hex digits');
    if (!isRecord(usages)) fail(`$.${euiText}`, 'expected an object keyed by key usage');
    for (const [usageName, serials] of Object.entries(usages as Record<string, unknown>)) {
      const path = `$.${euiText}.${usageName}`;
      const usage: KeyUsage =
        usageName === 'keyAgreement'
          ? 'KA'
          : usageName === 'digitalSignature'
            ? 'DS'
            : fail(path, 'expected keyAgreement or digitalSignature');
      if (!isRecord(serials)) fail(path, 'expected an object keyed by serial number');
      for (const [serial, raw] of Object.entries(serials as Record<string, unknown>)) {
        const at = `${path}.${serial}`;
        if (!/^[0-9]+$/.test(serial)) fail(at, 'serial number must be decimal digits');
        if (!isRecord(raw)) fail(at, 'expected an object');
        const e = raw as Record<string, unknown>;
        for (const k of Object.keys(e))
          if (!['certificate', 'privateKey', 'role', 'name'].includes(k))
            fail(`${at}.${k}`, 'not allowed by the schema');
        if (typeof e['certificate'] !== 'string') fail(`${at}.certificate`, 'expected a PEM string');
        if (e['privateKey'] !== undefined && typeof e['privateKey'] !== 'string')
          fail(`${at}.privateKey`, 'expected a PEM string');
        if (e['role'] !== undefined && typeof e['role'] !== 'number') fail(`${at}.role`, 'expected a number');
        if (e['name'] !== undefined && typeof e['name'] !== 'string') fail(`${at}.name`, 'expected a string');
        const name = e['name'] as string | undefined;
        entries.push({
          eui: eui64(euiText),
          usage,
          serial,
          certificate: e['certificate'] as string,
          ...(e['privateKey'] !== undefined && { privateKey: e['privateKey'] as string }),
          ...(e['role'] !== undefined && { role: e['role'] as number }),
          ...(name !== undefined && { name }),
          prepayment: usage === 'KA' && name !== undefined && /PP-ka$/.test(name),
        });
      }
    }
  }
  return entries;
}

/**
 * DCC Boxed's keystore.json holds two generations of some organisation keys ("Z1-…", "Z1b-…"); this keeps the first,
 * the keys RTDS 4.5.0 was made with (one per slot, so the load cannot be ambiguous).
 */
export function isZ1GbcsEntry(entry: DccBoxedEntry): boolean {
  return isGbcsRemotePartyEntry(entry) && entry.name?.startsWith('Z1b-') !== true;
}

/** Loads DCC Boxed's keystore.json (a path, or the parsed JSON) into a MemoryKeyStore. */
export function loadDccBoxedKeyStore(
  source: string | unknown,
  options: DccBoxedLoadOptions = {},
): MemoryKeyStore {
  const json: unknown = typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : source;
  const into = options.into ?? new MemoryKeyStore();
  const include = options.include ?? isGbcsRemotePartyEntry;
  const chosen = new Map<string, DccBoxedEntry>();
  for (const entry of readDccBoxedEntries(json)) {
    if (!include(entry)) continue;
    const lookup: KeyLookup = {
      eui: entry.eui,
      usage: entry.usage,
      ...(entry.prepayment && { prepayment: true }),
    };
    const slot = slotKey(lookup);
    const other = chosen.get(slot);
    if (other !== undefined) {
      throw new DecodeError(
        'dccboxed-keystore',
        0,
        describeLookup(lookup),
        `both "${other.name ?? other.serial}" and "${entry.name ?? entry.serial}" fill this slot; narrow options.include`,
      );
    }
    chosen.set(slot, entry);
    const where = `${entry.eui}.${entry.usage}.${entry.serial}`;
    into.set(lookup, {
      ...readPublicPem(entry.certificate, where),
      ...(entry.privateKey !== undefined && { privateKey: readPkcs8PrivateKey(entry.privateKey, where) }),
    });
  }
  return into;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
