// Static–static ECDH on P-256 (NIST SP 800-56A §6.3.2 C(0e, 2s, ECC CDH); GBCS 4.3.3.3), with Z cached per key pair.
// Both keys are long-lived certificate keys, so Z for a pair never changes: derive it once, then every
// message costs only the KDF hash and AES-GCM (ARCHITECTURE principle 6).
import { diffieHellman, type KeyObject } from 'node:crypto';
import type { KeyLookup, KeyStore } from './keystore.js';
import { CryptoInputError, MissingKeyError } from './errors.js';

/** Length of a P-256 shared secret Z (the x-coordinate of the shared point). */
export const P256_SHARED_SECRET_LENGTH = 32;

/** Throws unless `key` is an EC key on P-256 of the given type. */
export function assertP256(key: KeyObject, type: 'private' | 'public', field: string): void {
  const curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  if (curve !== 'prime256v1') {
    const got =
      key.asymmetricKeyType === 'ec'
        ? `EC ${curve ?? 'unknown curve'}`
        : `${key.asymmetricKeyType ?? key.type}`;
    throw new CryptoInputError(field, `a P-256 (prime256v1) EC key`, got);
  }
  if (key.type !== type) throw new CryptoInputError(field, `a ${type} key`, `a ${key.type} key`);
}

/** Z = x-coordinate of d_A·Q_B (SP 800-56A §5.7.1.2), 32 bytes. No caching: prefer SharedSecretCache. */
export function ecdhP256(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  assertP256(privateKey, 'private', 'privateKey');
  assertP256(publicKey, 'public', 'publicKey');
  return diffieHellman({ privateKey, publicKey });
}

/**
 * Shared secrets by key pair, least recently used evicted beyond `capacity`.
 * Keyed by KeyObject identity: a re-imported key is a new entry (a miss, never a wrong hit), and a key
 * replaced after a credential update (CS02b) can never be served a stale secret. Owned by the caller.
 * The returned Z is shared with the cache: read it, never write to it.
 */
export class SharedSecretCache {
  private readonly ids = new WeakMap<KeyObject, number>();
  private nextId = 1;
  /** The entry key of each (private, public) pair, built once: a hit then hashes no new string. */
  private readonly pairKeys = new WeakMap<KeyObject, WeakMap<KeyObject, string>>();
  private readonly secrets = new Map<string, CachedSecret>();
  /** Stamps each use, so a hit costs one write instead of moving its entry to the end of the map. */
  private clock = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(readonly capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new CryptoInputError('capacity', 'a positive integer', String(capacity));
  }

  /** Z between a private key and the other party's public key. */
  secret(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
    const id = this.pairKey(privateKey, publicKey);
    const cached = this.secrets.get(id);
    if (cached !== undefined) {
      this.hitCount++;
      cached.lastUse = ++this.clock;
      return cached.z;
    }
    this.missCount++;
    const z = ecdhP256(privateKey, publicKey);
    if (this.secrets.size >= this.capacity) this.evictLeastRecentlyUsed();
    this.secrets.set(id, { z, lastUse: ++this.clock });
    return z;
  }

  /**
   * Z between two parties in a key store, from whichever side's private key the store holds
   * (ECDH is symmetric: d_A·Q_B = d_B·Q_A). The twin plays both ends, so either may be local.
   */
  between(store: KeyStore, a: KeyLookup, b: KeyLookup): Uint8Array {
    const z = this.betweenIfHeld(store, a, b);
    if (z === undefined) throw new MissingKeyError(missingPair(a, b));
    return z;
  }

  /**
   * between, with undefined where it would throw MissingKeyError (whose `wanted` is then missingPair(a, b)):
   * verification meets unknown pairs as a matter of course, and an Error's stack trace costs more than the check.
   */
  betweenIfHeld(store: KeyStore, a: KeyLookup, b: KeyLookup): Uint8Array | undefined {
    const privateA = store.privateKey(a);
    const publicB = privateA === undefined ? undefined : store.publicKey(b);
    if (privateA !== undefined && publicB !== undefined) return this.secret(privateA, publicB);
    const privateB = store.privateKey(b);
    const publicA = privateB === undefined ? undefined : store.publicKey(a);
    if (privateB !== undefined && publicA !== undefined) return this.secret(privateB, publicA);
    return undefined;
  }

  get size(): number {
    return this.secrets.size;
  }
  /** Lookups served from the cache. */
  get hits(): number {
    return this.hitCount;
  }
  /** Lookups that ran ECDH. */
  get misses(): number {
    return this.missCount;
  }

  clear(): void {
    this.secrets.clear();
  }

  /** A scan, not an ordered structure: it runs only on a miss, beside an ECDH that costs far more. */
  private evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [id, entry] of this.secrets) {
      if (entry.lastUse < oldestUse) {
        oldest = id;
        oldestUse = entry.lastUse;
      }
    }
    if (oldest !== undefined) this.secrets.delete(oldest);
  }

  private pairKey(privateKey: KeyObject, publicKey: KeyObject): string {
    let ofPrivate = this.pairKeys.get(privateKey);
    if (ofPrivate === undefined) this.pairKeys.set(privateKey, (ofPrivate = new WeakMap()));
    let id = ofPrivate.get(publicKey);
    if (id === undefined) {
      id = `${this.idOf(privateKey)}:${this.idOf(publicKey)}`;
      ofPrivate.set(publicKey, id);
    }
    return id;
  }

  private idOf(key: KeyObject): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(key, id);
    }
    return id;
  }
}

interface CachedSecret {
  readonly z: Uint8Array;
  /** The cache's clock at the latest lookup of this pair. */
  lastUse: number;
}

/** What SharedSecretCache.between reports missing (MissingKeyError.wanted) for a pair it cannot serve. */
export function missingPair(a: KeyLookup, b: KeyLookup): string {
  return `key pair for ${describeLookup(a)} × ${describeLookup(b)} (needs one side's private key and the other's public key)`;
}

/** "90B3D51F30010000 KA (prepayment)" — for error messages. */
export function describeLookup(l: KeyLookup): string {
  return `${l.eui} ${l.usage}${l.prepayment === true ? ' (prepayment)' : ''}`;
}
