// GBCS message authentication and payload encryption with AES-128-GCM (NIST SP 800-38D; GBCS 4.3.3.4, 6.2.3):
// the MAC is the 12-byte GCM tag over empty plaintext with AAD = 11 00 00 00 00 00 ‖ General-Signing APDU.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecodeError } from '../codec/bytes.js';
import { AuthenticationError, CryptoInputError, expectBytes } from './errors.js';
import { GBCS_KEY_LENGTH, deriveFromApdu, deriveGbcsKey, deriveWithType, type KdfParties } from './kdf.js';

export const GBCS_MAC_LENGTH = 12;
export const GCM_IV_LENGTH = 12;
export const GENERAL_SIGNING_TAG = 0xdf;
/** GBCS 6.2.3: security control 0x11 and a zero invocation counter lead the AAD (6 octets, checked on GBCS 18.4). */
const MAC_AAD_PREFIX: Readonly<Uint8Array> = new Uint8Array([0x11, 0, 0, 0, 0, 0]);
/** Encrypted data items: their security control byte 0x31 is the whole AAD (domain brief §2.3; reproduced on RTDS ECS17b). */
const ENCRYPTION_AAD: Readonly<Uint8Array> = new Uint8Array([0x31]);
/** Bytes of the General-Signing APDU that the MAC key depends on: DF 09 CRA counter(8) 08 originator(8) 08 recipient(8). */
const TRANSACTION_HEADER_LENGTH = 29;

// ---- AES-GCM primitives (SP 800-38D) ----

/** Encrypts and appends a `tagLength`-byte tag. AAD may be given in parts, hashed in order without concatenation. */
export function aesGcmSeal(
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array | readonly Uint8Array[],
  plaintext: Uint8Array,
  tagLength = GBCS_MAC_LENGTH,
): Uint8Array {
  expectBytes(key, GBCS_KEY_LENGTH, 'key');
  expectBytes(iv, GCM_IV_LENGTH, 'iv');
  const cipher = createCipheriv('aes-128-gcm', key, iv, { authTagLength: tagLength });
  if (aad instanceof Uint8Array) cipher.setAAD(aad);
  else for (const part of aad) cipher.setAAD(part);
  const head = plaintext.length === 0 ? undefined : cipher.update(plaintext);
  cipher.final();
  const tag = cipher.getAuthTag();
  if (head === undefined) return tag;
  const out = new Uint8Array(head.length + tag.length);
  out.set(head, 0);
  out.set(tag, head.length);
  return out;
}

/** Checks the trailing tag and decrypts; throws AuthenticationError on a mismatch, never returns unauthenticated bytes. */
export function aesGcmOpen(
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array | readonly Uint8Array[],
  sealed: Uint8Array,
  tagLength = GBCS_MAC_LENGTH,
  field = 'ciphertext',
): Uint8Array {
  expectBytes(key, GBCS_KEY_LENGTH, 'key');
  expectBytes(iv, GCM_IV_LENGTH, 'iv');
  if (sealed.length < tagLength)
    throw new CryptoInputError(field, `at least ${tagLength} bytes (the tag)`, String(sealed.length));
  const decipher = createDecipheriv('aes-128-gcm', key, iv, { authTagLength: tagLength });
  if (aad instanceof Uint8Array) decipher.setAAD(aad);
  else for (const part of aad) decipher.setAAD(part);
  decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - tagLength));
  try {
    decipher.final();
  } catch {
    throw new AuthenticationError(
      field,
      'AES-GCM tag mismatch (wrong key, or altered IV, AAD, ciphertext or tag)',
    );
  }
  return plaintext;
}

/** GCM over empty plaintext: the tag alone authenticates the AAD. */
export function gmac(
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array | readonly Uint8Array[],
  tagLength = GBCS_MAC_LENGTH,
): Uint8Array {
  return aesGcmSeal(key, iv, aad, EMPTY, tagLength);
}
const EMPTY = new Uint8Array(0);

/** GBCS 4.3.3.4: IV = originator system title ‖ 00000000 (the invocation counter is always zero; the key is per message). */
export function gbcsIv(originator: Uint8Array): Uint8Array {
  expectBytes(originator, 8, 'originator');
  const iv = new Uint8Array(GCM_IV_LENGTH);
  iv.set(originator, 0);
  return iv;
}

// ---- MAC over a General-Signing APDU ----

/** The message instance named by an APDU's transaction-id and system titles (views into the APDU, not copies). */
export interface ApduTransaction {
  /** CRA flag, which is also the KDF type byte: 1 command, 2 response, 3 alert. */
  cra: 1 | 2 | 3;
  counter: Uint8Array;
  originator: Uint8Array;
  recipient: Uint8Array;
}

/** Reads the fixed-layout start of a General-Signing APDU (GBCS Grouping Header); throws DecodeError when it is not one. */
export function readApduTransaction(apdu: Uint8Array): ApduTransaction {
  const cra = checkApduTransaction(apdu);
  return {
    cra,
    counter: apdu.subarray(3, 11),
    originator: apdu.subarray(12, 20),
    recipient: apdu.subarray(21, 29),
  };
}

/** readApduTransaction's checks alone, returning the CRA flag (the verify path reads the rest in place). */
function checkApduTransaction(apdu: Uint8Array): 1 | 2 | 3 {
  if (apdu.length < TRANSACTION_HEADER_LENGTH) {
    throw new DecodeError(
      'gbcs.mac',
      apdu.length,
      'apdu',
      `truncated: needs ${TRANSACTION_HEADER_LENGTH} bytes of grouping header, ${apdu.length} given`,
    );
  }
  expectByte(apdu, 0, GENERAL_SIGNING_TAG, 'apdu.tag');
  expectByte(apdu, 1, 9, 'apdu.transaction-id.length');
  const cra = apdu[2]!;
  if (cra !== 1 && cra !== 2 && cra !== 3)
    throw new DecodeError('gbcs.mac', 2, 'apdu.cra-flag', `expected 1, 2 or 3, got ${cra}`);
  expectByte(apdu, 11, 8, 'apdu.originator.length');
  expectByte(apdu, 20, 8, 'apdu.recipient.length');
  return cra;
}

function expectByte(b: Uint8Array, at: number, want: number, path: string): void {
  const got = b[at]!;
  if (got !== want)
    throw new DecodeError('gbcs.mac', at, path, `expected 0x${hex2(want)}, got 0x${hex2(got)}`);
}
function hex2(v: number): string {
  return v.toString(16).toUpperCase().padStart(2, '0');
}

/** The per-message MAC key (GBCS 4.3.3.3): KDF type = the APDU's CRA flag. */
export function gbcsMacKey(z: Uint8Array, apdu: Uint8Array): Uint8Array {
  const t = readApduTransaction(apdu);
  return deriveWithType(z, t.cra, t);
}

/**
 * The 12-byte MAC of a General-Signing APDU (from 0xDF through the end of the signature element,
 * exactly as it travels), given the shared secret Z of the pair (see GBCS_KDF_USES for who pairs with whom).
 */
export function computeGbcsMac(z: Uint8Array, apdu: Uint8Array): Uint8Array {
  const t = readApduTransaction(apdu);
  const key = deriveWithType(z, t.cra, t);
  return gmac(key, gbcsIv(t.originator), [MAC_AAD_PREFIX, apdu], GBCS_MAC_LENGTH);
}

/** True iff `mac` is the APDU's MAC under Z. A wrong tag is `false`; a malformed APDU or a MAC of the wrong size throws. */
export function verifyGbcsMac(z: Uint8Array, apdu: Uint8Array, mac: Uint8Array): boolean {
  expectBytes(mac, GBCS_MAC_LENGTH, 'mac');
  checkApduTransaction(apdu);
  const key = deriveFromApdu(z, apdu);
  // Checked as GCM decryption of empty ciphertext under the received tag: OpenSSL compares the tag in constant
  // time inside final(), which saves fetching the computed tag and a second comparison on every message (~0.7 µs
  // of ~3.5 µs). Only a mismatch throws, so the exception cost falls on forged or corrupted messages alone.
  const decipher = createDecipheriv('aes-128-gcm', key, macIvOf(apdu), {
    authTagLength: GBCS_MAC_LENGTH,
  });
  decipher.setAAD(MAC_AAD_PREFIX);
  decipher.setAAD(apdu);
  decipher.setAuthTag(mac);
  try {
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

/**
 * gbcsIv of the APDU's originator, written into one IV reused by every MAC check: createDecipheriv copies the IV
 * before it returns and keeps no reference, and this saves a view and an array per message. Octets 8..11 (the
 * invocation counter) are never written, so they stay zero.
 */
function macIvOf(apdu: Uint8Array): Uint8Array {
  for (let i = 0; i < 8; i++) macIv[i] = apdu[12 + i]!;
  return macIv;
}
const macIv = new Uint8Array(GCM_IV_LENGTH);

// ---- Encrypted data items (GBCS KDF type 04) ----

/** Encrypts a sensitive data item: ciphertext ‖ 12-byte tag. `parties` per GBCS_KDF_USES 'encryption'. */
export function encryptGbcsPayload(z: Uint8Array, parties: KdfParties, plaintext: Uint8Array): Uint8Array {
  const key = deriveGbcsKey(z, 'encryption', parties);
  return aesGcmSeal(key, gbcsIv(parties.originator), ENCRYPTION_AAD, plaintext, GBCS_MAC_LENGTH);
}

/** Decrypts ciphertext ‖ 12-byte tag; throws AuthenticationError when the tag does not verify. */
export function decryptGbcsPayload(z: Uint8Array, parties: KdfParties, sealed: Uint8Array): Uint8Array {
  const key = deriveGbcsKey(z, 'encryption', parties);
  return aesGcmOpen(key, gbcsIv(parties.originator), ENCRYPTION_AAD, sealed, GBCS_MAC_LENGTH);
}
