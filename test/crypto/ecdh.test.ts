// Static–static ECDH and the per-key-pair shared-secret cache.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/codec/bytes.js';
import { eui64 } from '../../src/codec/eui64.js';
import { SharedSecretCache, ecdhP256 } from '../../src/crypto/ecdh.js';
import { MemoryKeyStore } from '../../src/crypto/keystore-folder.js';

const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('ECDH on P-256', () => {
  it('gives both parties the same 32-byte Z', () => {
    const a = pair();
    const b = pair();
    const z = ecdhP256(a.privateKey, b.publicKey);
    expect(z).toHaveLength(32);
    expect(toHex(ecdhP256(b.privateKey, a.publicKey))).toBe(toHex(z));
  });

  it('refuses a key on another curve, and a public key where a private key belongs', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const a = pair();
    expect(() => ecdhP256(p384.privateKey, a.publicKey)).toThrow(
      '"privateKey" expected a P-256 (prime256v1) EC key, got EC secp384r1',
    );
    expect(() => ecdhP256(a.publicKey, a.publicKey)).toThrow(
      '"privateKey" expected a private key, got a public key',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => ecdhP256(a.privateKey, rsa.publicKey)).toThrow(
      '"publicKey" expected a P-256 (prime256v1) EC key, got rsa',
    );
  });
});

describe('SharedSecretCache', () => {
  it('runs ECDH once per key pair and serves later lookups from the cache', () => {
    const cache = new SharedSecretCache();
    const a = pair();
    const b = pair();
    const first = cache.secret(a.privateKey, b.publicKey);
    for (let i = 0; i < 100; i++) expect(cache.secret(a.privateKey, b.publicKey)).toBe(first);
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(100);
  });

  it('keeps at most `capacity` pairs, evicting the least recently used', () => {
    const cache = new SharedSecretCache(2);
    const local = pair().privateKey;
    const [p1, p2, p3] = [pair().publicKey, pair().publicKey, pair().publicKey];
    cache.secret(local, p1);
    cache.secret(local, p2);
    cache.secret(local, p1); // p1 is now the most recent
    cache.secret(local, p3); // evicts p2
    expect(cache.size).toBe(2);
    expect(cache.misses).toBe(3);
    cache.secret(local, p1);
    expect(cache.misses).toBe(3);
    cache.secret(local, p2);
    expect(cache.misses).toBe(4);
  });

  it('keeps separate instances separate (no shared global state)', () => {
    const a = pair();
    const b = pair();
    const one = new SharedSecretCache();
    const two = new SharedSecretCache();
    one.secret(a.privateKey, b.publicKey);
    two.secret(a.privateKey, b.publicKey);
    expect([one.misses, two.misses]).toEqual([1, 1]);
  });

  it('finds Z in a key store from whichever side holds the private key', () => {
    const supplier = pair();
    const meter = pair();
    const store = new MemoryKeyStore()
      .set({ eui: eui64('90B3D51F30010000'), usage: 'KA' }, { privateKey: supplier.privateKey })
      .set({ eui: eui64('00DB1234567890A0'), usage: 'KA' }, { publicKey: meter.publicKey });
    const cache = new SharedSecretCache();
    const s = { eui: eui64('90B3D51F30010000'), usage: 'KA' as const };
    const m = { eui: eui64('00DB1234567890A0'), usage: 'KA' as const };
    const expected = toHex(ecdhP256(meter.privateKey, supplier.publicKey));
    expect(toHex(cache.between(store, s, m))).toBe(expected);
    expect(toHex(cache.between(store, m, s))).toBe(expected);
    expect(() => cache.between(store, m, { eui: eui64('00DB1234567890A1'), usage: 'KA' })).toThrow(
      expect.objectContaining({
        name: 'MissingKeyError',
        message:
          "key store holds no key pair for 00DB1234567890A0 KA × 00DB1234567890A1 KA (needs one side's private key and the other's public key)",
      }),
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new SharedSecretCache(0)).toThrow('"capacity" expected a positive integer, got 0');
  });
});
