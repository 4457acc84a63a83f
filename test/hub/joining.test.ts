// ZigBee install-code joining primitives: AES-MMO, HMAC-MMO, the install-code CRC, the link key and the join proof.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import {
  aesMmoHash,
  hmacMmo,
  installCodeCrc,
  installCodeWithCrc,
  joinKeyProof,
  joinRequestFrame,
  linkKeyFromInstallCode,
  linkKeyHash,
  verifyJoinProof,
} from '../../src/hub/joining.js';
import { ESME, GSME } from '../support/identities.js';

describe('AES-MMO (ZigBee specification Annex B / C test vectors)', () => {
  it('hashes the one-octet message C0 to AE3A102A28D43EE0D4A09E22788B206C', () => {
    expect(toHex(aesMmoHash(Uint8Array.of(0xc0)))).toBe('AE3A102A28D43EE0D4A09E22788B206C');
  });

  it('keys HMAC-MMO: key 40..4F over C0 gives 4512807BF94CB3400F0E2C25FB76E999', () => {
    const key = fromHex('404142434445464748494A4B4C4D4E4F');
    expect(toHex(hmacMmo(key, Uint8Array.of(0xc0)))).toBe('4512807BF94CB3400F0E2C25FB76E999');
  });

  it('pads a message of exactly one block with a second block (1 bit, zeros, 16-bit length)', () => {
    const a = aesMmoHash(new Uint8Array(16));
    const b = aesMmoHash(new Uint8Array(17));
    expect(a).toHaveLength(16);
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('uses the long (32-bit length) padding for messages of 2^16 bits or more, still 16 octets', () => {
    expect(aesMmoHash(new Uint8Array(8192))).toHaveLength(16);
    expect(toHex(aesMmoHash(new Uint8Array(8192)))).not.toBe(toHex(aesMmoHash(new Uint8Array(8191))));
  });

  it('refuses an HMAC-MMO key that is not 16 octets', () => {
    expect(() => hmacMmo(new Uint8Array(15), new Uint8Array(1))).toThrow(RangeError);
  });
});

describe('install code → Trust Centre link key (ZigBee 3.0 example)', () => {
  const code = fromHex('83FED3407A939723A5C639B26916D505');

  it('computes the CRC C3B5 (CRC-16/X-25, least significant octet first)', () => {
    expect(installCodeCrc(code)).toBe(0xb5c3);
    expect(toHex(installCodeWithCrc(code))).toBe('83FED3407A939723A5C639B26916D505C3B5');
  });

  it('derives the link key 66B6900981E1EE3CA4206B6B861C02BB by AES-MMO of code ‖ CRC', () => {
    expect(toHex(linkKeyFromInstallCode(code))).toBe('66B6900981E1EE3CA4206B6B861C02BB');
  });

  it('reports the link key hash as 16 octets that differ from the key', () => {
    const key = linkKeyFromInstallCode(code);
    expect(linkKeyHash(key)).toHaveLength(16);
    expect(toHex(linkKeyHash(key))).not.toBe(toHex(key));
  });
});

describe('join proof', () => {
  const code = fromHex('83FED3407A939723A5C639B26916D505');
  const key = linkKeyFromInstallCode(code);

  it('is HMAC-MMO of the link key over 0x03 ‖ the device EUI-64', () => {
    const expected = hmacMmo(key, fromHex('03' + ESME));
    expect(toHex(joinKeyProof(ESME, key))).toBe(toHex(expected));
  });

  it('verifies for the right device and key only', () => {
    const proof = joinKeyProof(ESME, key);
    expect(verifyJoinProof(ESME, key, proof)).toBe(true);
    expect(verifyJoinProof(GSME, key, proof)).toBe(false);
    expect(verifyJoinProof(ESME, linkKeyFromInstallCode(new Uint8Array(16)), proof)).toBe(false);
    expect(verifyJoinProof(ESME, key, proof.subarray(0, 15))).toBe(false);
  });

  it('joinRequestFrame carries the proof of the install-code key and does not leak the install code', () => {
    const frame = joinRequestFrame(ESME, code);
    expect(frame.type).toBe('join-request');
    if (frame.type !== 'join-request') return;
    expect(toHex(frame.keyProof)).toBe(toHex(joinKeyProof(ESME, key)));
    expect(toHex(frame.keyProof)).not.toContain(toHex(code));
  });
});
