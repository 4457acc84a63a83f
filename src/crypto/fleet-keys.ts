// Keys for generated fleets, derived instead of stored (issue 4: "device keys can be derived deterministically from a
// fleet seed and the EUI-64"): d = SHA-256(seed ‖ EUI-64 ‖ usage ‖ attempt), retried in the negligible case that it is
// not a valid P-256 scalar. A million premises then need no key storage at all; keys in use are cached (LRU).
// These are test keys for a twin: anyone with the seed has every private key. Never use them for a real system.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import { CryptoInputError } from './errors.js';
import { p256PrivateKeyFromRaw } from './ecdsa.js';
import type { KeyLookup, KeyStore } from './keystore.js';

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A device's key pairs by use, and when its entry was last put at the young end of the cache. */
interface DeviceKeys {
  stamp: number;
  pairs: Partial<Record<string, KeyPair>>;
}

export class FleetKeyStore implements KeyStore {
  private readonly seed: Uint8Array;
  /** By EUI-64, oldest first: a lookup hashes the EUI-64 it was given, no key string built from it. */
  private readonly cache = new Map<Eui64, DeviceKeys>();
  /** Counts admissions and refreshes, so a hit costs a comparison rather than moving its entry on every use. */
  private clock = 0;
  private derivations = 0;

  /** `seed`: the fleet seed (any bytes or text); `capacity`: devices whose key pairs are kept in memory. */
  constructor(
    seed: Uint8Array | string,
    readonly capacity = 32_768,
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

  /**
   * Least recently used devices leave first, nearly: a device moves to the young end only when more than half the
   * capacity has been admitted or moved since it last did, so a device in steady use is never the oldest, and a
   * hit on a recent one costs no map update.
   */
  private pair(lookup: KeyLookup): KeyPair {
    const use = lookup.prepayment === true ? `${lookup.usage}-prepayment` : lookup.usage;
    const device = this.cache.get(lookup.eui);
    if (device === undefined) {
      const pair = this.derive(lookup, use); // first: a lookup that cannot be derived leaves the cache as it was
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(lookup.eui, { stamp: ++this.clock, pairs: { [use]: pair } });
      return pair;
    }
    if (this.clock - device.stamp > this.capacity / 2) {
      this.cache.delete(lookup.eui);
      this.cache.set(lookup.eui, device);
      device.stamp = ++this.clock;
    }
    return (device.pairs[use] ??= this.derive(lookup, use));
  }

  /** d = SHA-256(seed ‖ EUI-64 ‖ label ‖ attempt); `label` is the use: "KA", "DS", "KA-prepayment", … */
  private derive(lookup: KeyLookup, label: string): KeyPair {
    this.derivations++;
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
