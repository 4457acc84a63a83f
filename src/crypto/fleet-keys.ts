// Keys for generated fleets, derived instead of stored (issue 4: "device keys can be derived deterministically from a
// fleet seed and the EUI-64"): d = SHA-256(seed ‖ EUI-64 ‖ usage ‖ attempt), retried in the negligible case that it is
// not a valid P-256 scalar. A million premises then need no key storage at all; keys in use are cached (LRU).
// These are test keys for a twin: anyone with the seed has every private key. Never use them for a real system.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { eui64ToBytes } from '../codec/eui64.js';
import { CryptoInputError } from './errors.js';
import { p256PrivateKeyFromRaw } from './ecdsa.js';
import type { KeyLookup, KeyStore } from './keystore.js';

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export class FleetKeyStore implements KeyStore {
  private readonly seed: Uint8Array;
  private readonly cache = new Map<string, KeyPair>();
  private derivations = 0;

  /** `seed`: the fleet seed (any bytes or text); `capacity`: key pairs kept in memory. */
  constructor(
    seed: Uint8Array | string,
    readonly capacity = 65_536,
  ) {
    this.seed = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed.slice();
    if (this.seed.length === 0) throw new CryptoInputError('seed', 'a non-empty fleet seed', 'empty');
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new CryptoInputError('capacity', 'a positive integer', String(capacity));
  }

  publicKey(lookup: KeyLookup): KeyObject {
    return this.pair(lookup).publicKey;
  }

  privateKey(lookup: KeyLookup): KeyObject {
    return this.pair(lookup).privateKey;
  }

  /** Key pairs derived so far (cache misses): each costs one scalar multiplication. */
  get derived(): number {
    return this.derivations;
  }

  private pair(lookup: KeyLookup): KeyPair {
    const id = `${lookup.eui}/${lookup.usage}${lookup.prepayment === true ? '/prepayment' : ''}`;
    const hit = this.cache.get(id);
    if (hit !== undefined) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const pair = this.derive(lookup);
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, pair);
    return pair;
  }

  private derive(lookup: KeyLookup): KeyPair {
    this.derivations++;
    const label = `${lookup.usage}${lookup.prepayment === true ? '-prepayment' : ''}`;
    for (let attempt = 0; ; attempt++) {
      const d = createHash('sha256')
        .update(this.seed)
        .update(eui64ToBytes(lookup.eui))
        .update(label)
        .update(Uint8Array.of(attempt))
        .digest();
      try {
        const privateKey = p256PrivateKeyFromRaw(d);
        return { privateKey, publicKey: createPublicKey(privateKey) };
      } catch (e) {
        if (!(e instanceof CryptoInputError) || attempt > 8) throw e; // d ≥ n has probability ~2^-32
      }
    }
  }
}
