// The key store port (ARCHITECTURE principle 5: keys are injected).
// Sync by design: lookups sit on the hot path of every MAC and signature check; a store backed by a
// database or HSM preloads or caches what a premise needs.
import type { KeyObject } from 'node:crypto';
import type { Eui64 } from '../codec/eui64.js';

/** GBCS 4.3: Digital Signing and Key Agreement keys are separate; suppliers hold a further prepayment KA key for UTRNs. */
export type KeyUsage = 'KA' | 'DS';

export interface KeyLookup {
  eui: Eui64;
  usage: KeyUsage;
  /** The supplier's prepayment key-agreement key (UTRN generation, GBCS 14.8). */
  prepayment?: boolean;
}

export interface KeyStore {
  /** The P-256 public key, or undefined when the store does not know it. */
  publicKey(lookup: KeyLookup): KeyObject | undefined;
  /** The P-256 private key, or undefined when the store does not hold it. */
  privateKey(lookup: KeyLookup): KeyObject | undefined;
}
