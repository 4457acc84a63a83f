// NIST SP 800-56A single-step KDF (§5.8.2.1, SHA-256, one block) as GBCS 4.3.3.3 applies it:
//   key = first 16 bytes of SHA-256( 00000001 ‖ Z ‖ OtherInfo )
//   OtherInfo = AlgorithmID(60 85 74 06 08 03 00) ‖ originator system title ‖ 09 ‖ type ‖ counter(8) ‖ recipient system title
// The middle part is the 9-byte transaction-id with its length: for MACs the type byte is the CRA flag.
import { hash } from 'node:crypto';
import { CryptoInputError, expectBytes } from './errors.js';
import { P256_SHARED_SECRET_LENGTH } from './ecdh.js';

/** GBCS 4.3.3.3: AlgorithmID = the DLMS UA identifier aes-gcm-128, OID 2.16.756.5.8.3.0, content octets only. */
export const GBCS_KDF_ALGORITHM_ID: readonly number[] = [0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00];
export const GBCS_KEY_LENGTH = 16;
const OTHER_INFO_LENGTH = 7 + 8 + 1 + 1 + 8 + 8;

/** Which parties' KA keys enter ECDH for each use (GBCS 4.3.3.3 and the use-case tables). */
export const GBCS_KDF_USES = [
  // Remote Party commands are MACed by the ACB (DCC) even when a supplier originates and signs them;
  // HAN-only commands (PPMID → GSME) use the two devices' keys.
  { use: 'command', type: 0x01, keyPair: 'ACB KA × recipient device KA' },
  { use: 'response', type: 0x02, keyPair: 'responding device KA × recipient KA' },
  { use: 'alert', type: 0x03, keyPair: 'alerting device KA × recipient KA' },
  // With a Supplementary Remote Party, its ID and the Supplementary Originator Counter replace
  // recipient and counter (domain brief §2.3; reproduced on RTDS ECS21b URP response).
  { use: 'encryption', type: 0x04, keyPair: 'device KA × remote party (supplementary remote party) KA' },
] as const;

export type KdfUse = (typeof GBCS_KDF_USES)[number]['use'];
const TYPE_BY_USE: Record<KdfUse, number> = Object.fromEntries(
  GBCS_KDF_USES.map((r) => [r.use, r.type]),
) as Record<KdfUse, number>;

/** The message instance a key is derived for. */
export interface KdfParties {
  /** Originator system title (8 bytes). */
  originator: Uint8Array;
  /** Originator counter: 8 bytes big-endian, or a bigint. */
  counter: Uint8Array | bigint;
  /** Recipient system title (8 bytes). */
  recipient: Uint8Array;
}

/** OtherInfo for one use and message instance (33 bytes). */
export function gbcsOtherInfo(use: KdfUse, parties: KdfParties): Uint8Array {
  const out = new Uint8Array(OTHER_INFO_LENGTH);
  writeOtherInfo(out, 0, TYPE_BY_USE[use], parties);
  return out;
}

/** The 16-byte AES key for one use and message instance, from the pair's shared secret Z. */
export function deriveGbcsKey(z: Uint8Array, use: KdfUse, parties: KdfParties): Uint8Array {
  const type = TYPE_BY_USE[use];
  if (type === undefined)
    throw new CryptoInputError('use', GBCS_KDF_USES.map((r) => r.use).join(' | '), String(use));
  return deriveWithType(z, type, parties);
}

/**
 * The same derivation keyed by the raw type byte, for callers holding the transaction-id bytes
 * (the MAC path reads CRA flag and counter straight from the APDU).
 */
export function deriveWithType(z: Uint8Array, type: number, parties: KdfParties): Uint8Array {
  expectBytes(z, P256_SHARED_SECRET_LENGTH, 'z');
  // counter ‖ Z ‖ OtherInfo in one buffer: one hash update, no intermediate copies. Every byte after the
  // constant block counter is rewritten on each call, so a stale value can never reach the hash.
  const input = kdfInput;
  input.set(z, 4);
  writeOtherInfo(input, 4 + P256_SHARED_SECRET_LENGTH, type, parties);
  // One-shot hash (Node ≥ 20.12): no Hash object per message.
  return (hash('sha256', input, 'buffer') as Buffer).subarray(0, GBCS_KEY_LENGTH);
}

/**
 * deriveWithType for the MAC of a General-Signing APDU whose fixed-layout start was checked (mac.ts
 * readApduTransaction): type, counter and both system titles are copied straight from the APDU, because
 * OtherInfo's "09 ‖ type ‖ counter" is the APDU's transaction-id as it travels (APDU octets 1..10).
 * Same key as deriveWithType(z, cra, readApduTransaction(apdu)), without the views and the parties object.
 * The key is a scratch buffer that the next call overwrites: hand it to node:crypto at once, never keep it.
 */
export function deriveFromApdu(z: Uint8Array, apdu: Uint8Array): Uint8Array {
  expectBytes(z, P256_SHARED_SECRET_LENGTH, 'z');
  const input = kdfInput;
  input.set(z, 4);
  const at = 4 + P256_SHARED_SECRET_LENGTH;
  input.set(ALGORITHM_ID_BYTES, at);
  // Byte loops, not subarray + set: three short copies cost less than three view allocations.
  for (let i = 0; i < 8; i++) input[at + 7 + i] = apdu[12 + i]!; // originator system title
  for (let i = 0; i < 10; i++) input[at + 15 + i] = apdu[1 + i]!; // 09 ‖ CRA flag ‖ counter
  for (let i = 0; i < 8; i++) input[at + 25 + i] = apdu[21 + i]!; // recipient system title
  // The digest as a 'binary' (latin1) string, one char per octet and lossless, copied into scratch: a 'buffer'
  // digest is a new off-heap ArrayBuffer per message, about 1 µs more (1.5 vs 0.45 µs for hash and key together).
  const key = apduMacKey;
  key.write(hash('sha256', input, 'binary'), 0, GBCS_KEY_LENGTH, 'latin1');
  return key;
}
/** deriveFromApdu's result, reused as kdfInput is: createDecipheriv copies the key before it returns. */
const apduMacKey = Buffer.alloc(GBCS_KEY_LENGTH);

/** GBCS_KDF_ALGORITHM_ID as bytes: TypedArray#set copies from a typed array faster than from a JS array. */
const ALGORITHM_ID_BYTES: Readonly<Uint8Array> = Uint8Array.from(GBCS_KDF_ALGORITHM_ID);

/**
 * The KDF input, reused by every derivation (one per MAC on the verify path): hash() reads it synchronously and
 * keeps no reference, and a fresh 69-byte array would be an off-heap allocation (over V8's 64-byte on-heap limit),
 * about 0.3 µs plus GC work per message.
 */
const kdfInput = new Uint8Array(4 + P256_SHARED_SECRET_LENGTH + OTHER_INFO_LENGTH);
kdfInput[3] = 1; // SP 800-56A §5.8.2.1: 32-bit big-endian block counter, starting at 1; one block suffices

function writeOtherInfo(out: Uint8Array, at: number, type: number, p: KdfParties): void {
  expectBytes(p.originator, 8, 'originator');
  expectBytes(p.recipient, 8, 'recipient');
  out.set(GBCS_KDF_ALGORITHM_ID, at);
  out.set(p.originator, at + 7);
  out[at + 15] = 9; // the transaction-id's own length byte: CRA flag or type (1) + counter (8)
  out[at + 16] = type;
  writeCounter(out, at + 17, p.counter);
  out.set(p.recipient, at + 25);
}

function writeCounter(out: Uint8Array, at: number, counter: Uint8Array | bigint): void {
  if (typeof counter === 'bigint') {
    if (counter < 0n || counter > 0xffffffffffffffffn)
      throw new CryptoInputError('counter', 'an unsigned 64-bit integer', String(counter));
    for (let i = 7; i >= 0; i--) {
      out[at + i] = Number(counter & 0xffn);
      counter >>= 8n;
    }
    return;
  }
  expectBytes(counter, 8, 'counter');
  out.set(counter, at);
}
