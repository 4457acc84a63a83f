// ECDSA P-256/SHA-256 with raw r‖s, and raw key import/export through JWK, checked against the GBCS 18.4 raw keys
// and the PEM keys of the RTDS keystore folder (the same keys in two encodings).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { eui64 } from '../../src/codec/eui64.js';
import {
  p256PrivateKeyFromRaw,
  p256PrivateKeyToRaw,
  p256PublicKeyFromRaw,
  p256PublicKeyToRaw,
  signP256,
  verifyP256,
} from '../../src/crypto/ecdsa.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import { RTDS_KEYSTORE_DIR } from '../vectors.js';
import { HAVE_VECTORS, cryptoVectors } from './support.js';

describe('ECDSA P-256 / SHA-256 with raw r‖s', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = new TextEncoder().encode('ECS17b read import energy registers');

  it('produces 64-byte signatures that verify, and differ each time (random k)', () => {
    const s1 = signP256(privateKey, message);
    const s2 = signP256(privateKey, message);
    expect(s1).toHaveLength(64);
    expect(toHex(s1)).not.toBe(toHex(s2));
    expect(verifyP256(publicKey, message, s1)).toBe(true);
    expect(verifyP256(publicKey, message, s2)).toBe(true);
  });

  it('returns false for an altered message, an altered signature, another key, and r = s = 0', () => {
    const sig = signP256(privateKey, message);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const altered = message.slice();
    altered[0]! ^= 1;
    const bad = sig.slice();
    bad[63]! ^= 1;
    expect(verifyP256(publicKey, altered, sig)).toBe(false);
    expect(verifyP256(publicKey, message, bad)).toBe(false);
    expect(verifyP256(other, message, sig)).toBe(false);
    expect(verifyP256(publicKey, message, new Uint8Array(64))).toBe(false);
  });

  it('throws a typed error for a signature of the wrong size', () => {
    const sig = signP256(privateKey, message);
    expect(() => verifyP256(publicKey, message, sig.subarray(0, 63))).toThrow(
      expect.objectContaining({
        name: 'CryptoInputError',
        field: 'signature',
        message: '"signature" expected 64 bytes, got 63',
      }),
    );
    const long = new Uint8Array(72);
    expect(() => verifyP256(publicKey, message, long)).toThrow('"signature" expected 64 bytes, got 72');
  });
});

describe('raw P-256 keys', () => {
  it('round-trips a generated key pair through raw scalar and X‖Y', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const d = p256PrivateKeyToRaw(privateKey);
    const xy = p256PublicKeyToRaw(publicKey);
    expect(d).toHaveLength(32);
    expect(xy).toHaveLength(64);
    expect(p256PrivateKeyFromRaw(d).equals(privateKey)).toBe(true);
    expect(p256PublicKeyFromRaw(xy).equals(publicKey)).toBe(true);
    expect(toHex(p256PublicKeyToRaw(privateKey))).toBe(toHex(xy));
    expect(p256PublicKeyFromRaw(fromHex('04' + toHex(xy))).equals(publicKey)).toBe(true);
  });

  it('refuses scalars and points that are not P-256 keys', () => {
    expect(() => p256PrivateKeyFromRaw(new Uint8Array(32))).toThrow(
      '"privateKey" expected a scalar in [1, n-1] for P-256, got a value outside that range',
    );
    const n = fromHex('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    expect(() => p256PrivateKeyFromRaw(n)).toThrow(
      '"privateKey" expected a scalar in [1, n-1] for P-256, got a value outside that range',
    );
    expect(() => p256PrivateKeyFromRaw(new Uint8Array(31).fill(1))).toThrow(
      '"privateKey" expected 32 bytes, got 31',
    );
    expect(() => p256PublicKeyFromRaw(new Uint8Array(64).fill(1))).toThrow(
      '"publicKey" expected a point on P-256, got coordinates that are not on the curve',
    );
    expect(() => p256PublicKeyFromRaw(new Uint8Array(63))).toThrow('"publicKey" expected 64 bytes, got 63');
  });
});

describe.skipIf(!HAVE_VECTORS)('GBCS 18.4 raw keys are the RTDS keystore folder’s PEM keys', () => {
  const v = HAVE_VECTORS ? cryptoVectors().gbcs_18_4 : undefined!;
  const store = HAVE_VECTORS ? loadKeyStoreFolder(RTDS_KEYSTORE_DIR) : undefined!;

  it('abababababababab-ka.key holds the GBCS 18.4 ACB KA private key', () => {
    const acb = store.privateKey({ eui: eui64('ABABABABABABABAB'), usage: 'KA' })!;
    expect(toHex(p256PrivateKeyToRaw(acb))).toBe(v.ACB.kaPrivateKey);
    expect(p256PrivateKeyFromRaw(fromHex(v.ACB.kaPrivateKey)).equals(acb)).toBe(true);
  });

  it('fffffffffffffffe-ka.pem holds the GBCS 18.4 DeviceA KA public key', () => {
    const device = store.publicKey({ eui: eui64(v.DeviceA.id), usage: 'KA' })!;
    expect(toHex(p256PublicKeyToRaw(device))).toBe(v.DeviceA.kaPublicKey);
  });
});
