// Keys derived for generated fleets: the same seed and EUI-64 give the same keys, each use its own, and the cache of
// derived pairs keeps the devices in use.
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { p256PublicKeyToRaw } from '../../src/crypto/ecdsa.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { toHex } from '../../src/codec/bytes.js';

const device = (n: number) => eui64(`00DB123456789${n.toString(16).toUpperCase().padStart(3, '0')}`);
const raw = (store: FleetKeyStore, n: number, usage: 'KA' | 'DS' = 'KA', prepayment = false) =>
  toHex(p256PublicKeyToRaw(store.publicKey({ eui: device(n), usage, prepayment })));

describe('FleetKeyStore', () => {
  it('derives the same keys from the same seed, other keys from another seed', () => {
    const a = new FleetKeyStore('fleet-a');
    expect(raw(new FleetKeyStore('fleet-a'), 1)).toBe(raw(a, 1));
    expect(raw(new FleetKeyStore('fleet-b'), 1)).not.toBe(raw(a, 1));
  });

  it('gives each use of a device its own key pair, the prepayment key apart, and the private key its public half', () => {
    const store = new FleetKeyStore('fleet-a');
    const keys = new Set([
      raw(store, 1, 'KA'),
      raw(store, 1, 'DS'),
      raw(store, 1, 'KA', true),
      raw(store, 2),
    ]);
    expect(keys.size).toBe(4);
    const privateKey = store.privateKey({ eui: device(1), usage: 'DS' });
    expect(toHex(p256PublicKeyToRaw(privateKey))).toBe(raw(store, 1, 'DS'));
  });

  it('derives a pair once while its device stays cached', () => {
    const store = new FleetKeyStore('fleet-a', 8);
    for (let round = 0; round < 3; round++) for (let n = 0; n < 8; n++) raw(store, n);
    expect(store.derived).toBe(8);
  });

  it('keeps a device in use and lets the least recently used one go when full', () => {
    const store = new FleetKeyStore('fleet-a', 4);
    for (let n = 0; n < 4; n++) raw(store, n); // 0..3 cached, 0 the oldest
    raw(store, 0); // in use again: more than half the capacity admitted since, so it moves to the young end
    raw(store, 4); // full: device 1 leaves, not device 0
    expect(store.derived).toBe(5);
    raw(store, 0);
    expect(store.derived).toBe(5);
    raw(store, 1);
    expect(store.derived).toBe(6);
  });

  it('never holds more devices than its capacity', () => {
    const store = new FleetKeyStore('fleet-a', 3);
    for (let n = 0; n < 10; n++) raw(store, n);
    for (let n = 7; n < 10; n++) raw(store, n); // the last three are still cached
    expect(store.derived).toBe(10);
    raw(store, 0);
    expect(store.derived).toBe(11);
  });
});
