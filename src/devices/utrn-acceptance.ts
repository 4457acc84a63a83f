// UTRN acceptance shared by the ESME and the GSME (GBCS 14; domain brief §7): the token is checked against the
// supplier's prepayment key (src/crypto/utrn.ts) and the meter's UTRN counter cache (GBCS 14.3.6). A counter in
// the cache, or not above its lowest, is a duplicate; so a UTRN issued earlier but entered later than another is
// still accepted while its counter is above the cache's lowest and not in it.
import type { Eui64 } from '../codec/eui64.js';
import { verifyUtrn, type UtrnValueClass } from '../crypto/utrn.js';
import type { ActorEnv } from './types.js';

/** GBCS 14.1 keeps a UTRN counter cache; its size is not in our sources (a ZigBee SE stack keeps 100) [A]. */
export const UTRN_CACHE_SIZE = 5;

/** What the meter checks a UTRN with: its supplier, itself, its counter cache and (twin-only) its peers. */
export interface UtrnCheckOf {
  readonly supplier: Eui64;
  readonly device: Eui64;
  /** Counters of the last accepted UTRNs, ascending, at most UTRN_CACHE_SIZE. */
  readonly cache: readonly bigint[];
  /** Twin-only: the premise's other meters, so a token made for one of them is told apart from a forgery. */
  readonly otherDevices: readonly Eui64[];
}

export type UtrnAcceptance =
  | {
      readonly outcome: 'accepted';
      readonly counter: bigint;
      readonly value: number;
      readonly valueClass: UtrnValueClass;
    }
  | {
      readonly outcome: 'not-authentic' | 'wrong-device' | 'duplicate-or-old-counter';
      readonly reason: string;
    };

/** Checks a UTRN's authenticity and counter against the cache; never throws for a bad token. */
export function checkUtrn(utrn: string, check: UtrnCheckOf, env: ActorEnv): UtrnAcceptance {
  const { supplier, cache } = check;
  const { keys, secrets } = env.protection;
  const verdict = verifyUtrn(utrn, {
    originator: supplier,
    device: check.device,
    lastAcceptedCounter: cache[0] ?? 0n,
    sharedSecret: (device) =>
      secrets.between(keys, { eui: supplier, usage: 'KA', prepayment: true }, { eui: device, usage: 'KA' }),
    otherDevices: check.otherDevices,
  });
  if (verdict.outcome !== 'authentic') return { outcome: verdict.outcome, reason: verdict.reason };
  if (cache.includes(verdict.counter))
    return { outcome: 'duplicate-or-old-counter', reason: `counter ${verdict.counter} already used` };
  return {
    outcome: 'accepted',
    counter: verdict.counter,
    value: verdict.value,
    valueClass: verdict.valueClass,
  };
}

/** The cache with `counter` added, ascending, the lowest dropped beyond UTRN_CACHE_SIZE. */
export function cacheUtrnCounter(cache: readonly bigint[], counter: bigint): readonly bigint[] {
  const next = [...cache, counter].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return next.length > UTRN_CACHE_SIZE ? next.slice(next.length - UTRN_CACHE_SIZE) : next;
}
