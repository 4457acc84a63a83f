// ZigBee SMHAN joining as the CHF (Trust Centre) sees it: the install code and its CRC, the Matyas-Meyer-Oseas
// AES-MMO hash that turns it into the Trust Centre link key (ZigBee specification 05-3474 Annex B; ZigBee SE /
// ZigBee 3.0 install codes), the keyed hash HMAC-MMO (same annex), and the proof a joining device sends that it
// holds the link key. Pure functions over node:crypto AES-128-ECB; no ZigBee library.
import { createCipheriv, timingSafeEqual } from 'node:crypto';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import type { HanFrame } from '../devices/types.js';

/** AES block size, octets: the hash length of AES-MMO. */
export const AES_MMO_BLOCK = 16;
/** Install code lengths ZigBee allows, without the 2-octet CRC (ZigBee 3.0 / SE install codes). */
export const INSTALL_CODE_LENGTHS: readonly number[] = [6, 8, 12, 16];
/** First octet of the APS Verify-Key hash input (ZigBee R21 APS Verify-Key: HMAC of the link key over 0x03). */
const VERIFY_KEY_INPUT = 0x03;

function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

/**
 * Matyas-Meyer-Oseas hash over AES-128 (ZigBee spec Annex B): H0 = 0; Hj = E(Hj-1, Mj) ⊕ Mj, after padding with a 1 bit,
 * zeros and the bit length (16 bits for messages under 2^16 bits, else 32 bits followed by 16 zero bits).
 */
export function aesMmoHash(message: Uint8Array): Uint8Array {
  const bits = message.length * 8;
  const short = bits < 0x10000;
  const tail = short ? 2 : 6;
  let padded = message.length + 1 + tail;
  padded += (AES_MMO_BLOCK - (padded % AES_MMO_BLOCK)) % AES_MMO_BLOCK;
  const m = new Uint8Array(padded);
  m.set(message);
  m[message.length] = 0x80;
  if (short) {
    m[padded - 2] = bits >>> 8;
    m[padded - 1] = bits & 0xff;
  } else {
    new DataView(m.buffer).setUint32(padded - 6, bits);
  }
  let h: Uint8Array = new Uint8Array(AES_MMO_BLOCK);
  for (let i = 0; i < padded; i += AES_MMO_BLOCK) {
    const block = m.subarray(i, i + AES_MMO_BLOCK);
    const e = aesEncryptBlock(h, block);
    for (let j = 0; j < AES_MMO_BLOCK; j++) e[j]! ^= block[j]!;
    h = e;
  }
  return h;
}

/** Keyed hash for message authentication (ZigBee spec Annex B): HMAC over AES-MMO, block = key length = 16 octets. */
export function hmacMmo(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length !== AES_MMO_BLOCK) throw new RangeError(`HMAC-MMO key must be 16 octets, got ${key.length}`);
  const inner = new Uint8Array(AES_MMO_BLOCK + message.length);
  const outer = new Uint8Array(2 * AES_MMO_BLOCK);
  for (let i = 0; i < AES_MMO_BLOCK; i++) {
    inner[i] = key[i]! ^ 0x36;
    outer[i] = key[i]! ^ 0x5c;
  }
  inner.set(message, AES_MMO_BLOCK);
  outer.set(aesMmoHash(inner), AES_MMO_BLOCK);
  return aesMmoHash(outer);
}

/** CRC-16/X-25 (CCITT polynomial, reflected, init and xor-out 0xFFFF) that ZigBee appends to an install code. */
export function installCodeCrc(code: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of code) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return (crc ^ 0xffff) & 0xffff;
}

/** The install code as ZigBee hashes it: the code followed by its CRC, least significant octet first. */
export function installCodeWithCrc(code: Uint8Array): Uint8Array {
  const crc = installCodeCrc(code);
  const out = new Uint8Array(code.length + 2);
  out.set(code);
  out[code.length] = crc & 0xff;
  out[code.length + 1] = crc >>> 8;
  return out;
}

/**
 * The Trust Centre link key a device joins with: AES-MMO of install code ‖ CRC (ZigBee 3.0 / SE). GBCS carries
 * 16-octet install codes without the CRC (CCS01 register_device, SR 8.11 InstallCode) [O: RTDS]; the CRC is added.
 */
export function linkKeyFromInstallCode(code: Uint8Array): Uint8Array {
  return aesMmoHash(installCodeWithCrc(code));
}

/**
 * The hashed TC link key the CHF reports in CS14 and CCS07. GBCS names the field but our sources do not give the
 * hash function (RTDS carries placeholder values); AES-MMO of the key, 16 octets like the RTDS field [A].
 */
export function linkKeyHash(linkKey: Uint8Array): Uint8Array {
  return aesMmoHash(linkKey);
}

/**
 * A joining device's proof that it holds `linkKey`: HMAC-MMO(linkKey, 0x03 ‖ device EUI-64). Modelled on the ZigBee
 * R21 APS Verify-Key hash (HMAC-MMO of the link key over 0x03); the EUI-64 is appended so that a proof heard on
 * the air is bound to the one device [A].
 */
export function joinKeyProof(device: Eui64, linkKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(9);
  input[0] = VERIFY_KEY_INPUT;
  input.set(eui64ToBytes(device), 1);
  return hmacMmo(linkKey, input);
}

/** Whether `proof` shows that `device` holds `linkKey` (compared in constant time). */
export function verifyJoinProof(device: Eui64, linkKey: Uint8Array, proof: Uint8Array): boolean {
  const expected = joinKeyProof(device, linkKey);
  return proof.length === expected.length && timingSafeEqual(proof, expected);
}

/** The join request a device sends, proving the link key derived from its install code. */
export function joinRequestFrame(device: Eui64, installCode: Uint8Array): HanFrame {
  return { type: 'join-request', keyProof: joinKeyProof(device, linkKeyFromInstallCode(installCode)) };
}
