// Unique Transaction Reference Numbers (GBCS 14: prepayment top-up tokens): PTUT, PPTD, the GBCS 14.8
// Verhoeff check digit, and the 32-bit AES-GCM authenticator from the supplier's prepayment KA key.
//   PTUT (64 bits) = 0000000 ‖ counter bits 41..32 (10) ‖ value class (2) ‖ value (13) ‖ last 4 bytes of the GCM tag
//   PPTD = PTUT + 7394156990786306048 (19 decimal digits);  UTRN = PPTD ‖ check digit (20 digits)
import { DecodeError, EncodeError } from '../codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import { CryptoInputError } from './errors.js';
import { deriveGbcsKey } from './kdf.js';
import { gbcsIv, gmac } from './mac.js';

/** GBCS 14: the offset that makes every PPTD a 19-digit number starting 739…753. */
export const PPTD_OFFSET = 7394156990786306048n;
/** PTUT's top 7 bits are zero, so PTUT < 2^57. */
const PTUT_LIMIT = 1n << 57n;
export const UTRN_DIGITS = 20;
export const UTRN_MAX_VALUE = 8191;
/** Bits 32..41 of the counter travel in the PTUT; bits 0..31 are zero and 42..63 are inferred by the device. */
const COUNTER_BITS_SHIFT = 32n;
const COUNTER_BITS_MASK = 0x3ff;
const COUNTER_WINDOW = 1n << 42n;
/** GBCS 14: the authenticator is a 16-byte GCM tag, of which the PTUT keeps the last 4 bytes. */
const UTRN_TAG_LENGTH = 16;

/** Value class (2 bits): the unit of the 13-bit value. Codes 2 and 3 are not defined. */
export const UTRN_VALUE_CLASSES = [
  { valueClass: 'pence', code: 0 },
  { valueClass: 'pounds', code: 1 },
] as const;
export type UtrnValueClass = (typeof UTRN_VALUE_CLASSES)[number]['valueClass'];

/** What a device reports for each refusal (domain brief §2.7, gbcs-parser alert codes). */
export const UTRN_REFUSAL_ALERTS = {
  'not-authentic': 0x8f63,
  'wrong-device': 0x8f64,
  'duplicate-or-old-counter': 0x8f51,
} as const;

// ---- GBCS 14.8 check digit: a Verhoeff scheme with GBCS's own position start and final table ----

/** Table 14.8a lists F^0..F^7 of this permutation of the digits. */
const VERHOEFF_F = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4] as const;
const VERHOEFF_P: readonly (readonly number[])[] = Array.from({ length: 8 }, (_, i) => {
  const row = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (let k = 0; k < i; k++) for (let d = 0; d < 10; d++) row[d] = VERHOEFF_F[row[d]!]!;
  return row;
});
/** Table 14.8b: multiplication in the dihedral group D5. */
const VERHOEFF_D: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
/** Table 14.8c: maps the accumulated product to the check digit (not the D5 inverse of textbook Verhoeff). */
const VERHOEFF_FINAL = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4] as const;
/** GBCS 14.8: digits are taken most significant first, the first through permutation row 4. */
const VERHOEFF_FIRST_ROW = 4;

/** The GBCS 14.8 check digit of a string of decimal digits (for a UTRN: of the 19-digit PPTD). */
export function gbcsCheckDigit(digits: string): number {
  if (!/^[0-9]+$/.test(digits)) {
    throw new DecodeError(
      'utrn',
      0,
      'check-digit.input',
      `expected one or more decimal digits, got "${digits}"`,
    );
  }
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const row = VERHOEFF_P[(VERHOEFF_FIRST_ROW + i) % 8]!;
    c = VERHOEFF_D[c]![row[digits.charCodeAt(i) - 48]!]!;
  }
  return VERHOEFF_FINAL[c]!;
}

// ---- Generation ----

export interface UtrnRequest {
  /** The supplier whose prepayment KA key authenticates the token. */
  originator: Eui64;
  /** The meter the token is for. */
  device: Eui64;
  /** UTRN counter: a multiple of 2^32 greater than any the device has accepted from this supplier. */
  counter: bigint;
  value: number;
  valueClass: UtrnValueClass;
}

export interface Utrn {
  utrn: string;
  pptd: bigint;
  ptut: bigint;
  counter: bigint;
  value: number;
  valueClass: UtrnValueClass;
}

/**
 * Makes a UTRN. `z` is the shared secret of the supplier's PREPAYMENT KA key and the device's KA key
 * (SharedSecretCache.between(store, { eui: originator, usage: 'KA', prepayment: true }, { eui: device, usage: 'KA' })).
 */
export function generateUtrn(z: Uint8Array, req: UtrnRequest): Utrn {
  if (!Number.isInteger(req.value) || req.value < 0 || req.value > UTRN_MAX_VALUE) {
    throw new EncodeError('utrn', 'value', `${req.value} is not an integer in 0…${UTRN_MAX_VALUE}`);
  }
  const classCode = UTRN_VALUE_CLASSES.find((c) => c.valueClass === req.valueClass)?.code;
  if (classCode === undefined)
    throw new EncodeError('utrn', 'valueClass', `"${String(req.valueClass)}" is not pence or pounds`);
  const { counter } = req;
  if (typeof counter !== 'bigint' || counter < 0n || counter > 0xffffffffffffffffn) {
    throw new EncodeError('utrn', 'counter', `${String(counter)} is not an unsigned 64-bit integer`);
  }
  if ((counter & 0xffffffffn) !== 0n) {
    throw new EncodeError(
      'utrn',
      'counter',
      `0x${counter.toString(16)} has bits 0–31 set; only bits 32–41 travel, so the device could never rebuild it`,
    );
  }
  const counterBits = Number((counter >> COUNTER_BITS_SHIFT) & BigInt(COUNTER_BITS_MASK));
  const high = (counterBits << 15) | (classCode << 13) | req.value;
  const low = authenticator(z, req.originator, req.device, counter, high);
  const ptut = (BigInt(high) << 32n) | BigInt(low);
  const pptd = PPTD_OFFSET + ptut;
  const pptdDigits = pptd.toString();
  return {
    utrn: pptdDigits + String(gbcsCheckDigit(pptdDigits)),
    pptd,
    ptut,
    counter,
    value: req.value,
    valueClass: req.valueClass,
  };
}

/**
 * GBCS 14: GCM tag (16 bytes) under the KDF-type-01 key for (supplier, counter, device), IV = supplier ‖ 00000000,
 * AAD = 11 00 00 00 00 00 ‖ supplier ‖ device ‖ 01 ‖ counter ‖ PTUT high word; the PTUT keeps the last 4 bytes.
 */
function authenticator(
  z: Uint8Array,
  originator: Eui64,
  device: Eui64,
  counter: bigint,
  high: number,
): number {
  const origin = eui64ToBytes(originator);
  const target = eui64ToBytes(device);
  const key = deriveGbcsKey(z, 'command', { originator: origin, counter, recipient: target });
  const aad = new Uint8Array(6 + 8 + 8 + 1 + 8 + 4);
  const view = new DataView(aad.buffer);
  aad[0] = 0x11;
  aad.set(origin, 6);
  aad.set(target, 14);
  aad[22] = 0x01;
  view.setBigUint64(23, counter);
  view.setUint32(31, high);
  const tag = gmac(key, gbcsIv(origin), aad, UTRN_TAG_LENGTH);
  return new DataView(tag.buffer, tag.byteOffset, tag.byteLength).getUint32(UTRN_TAG_LENGTH - 4);
}

// ---- Parsing ----

export interface ParsedUtrn {
  /** The 20 digits, separators removed. */
  utrn: string;
  pptd: bigint;
  ptut: bigint;
  /** Bits 32..41 of the counter. */
  counterBits: number;
  valueClass: UtrnValueClass;
  value: number;
  /** The low 32 bits of PTUT: the truncated GCM tag. */
  authenticator: number;
}

/**
 * Reads a UTRN as typed or printed: 20 digits, optionally grouped with spaces or hyphens.
 * Throws DecodeError (layer "utrn", offset = character index) for anything that is not a well-formed UTRN.
 */
export function parseUtrn(text: string): ParsedUtrn {
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch >= '0' && ch <= '9') {
      if (digits.length === UTRN_DIGITS)
        throw new DecodeError('utrn', i, 'utrn', `more than ${UTRN_DIGITS} digits`);
      digits += ch;
    } else if (ch !== ' ' && ch !== '-') {
      throw new DecodeError('utrn', i, 'utrn', `${JSON.stringify(ch)} is not a digit, space or hyphen`);
    }
  }
  if (digits.length !== UTRN_DIGITS) {
    throw new DecodeError(
      'utrn',
      text.length,
      'utrn',
      `expected ${UTRN_DIGITS} digits, got ${digits.length}`,
    );
  }
  const pptdDigits = digits.slice(0, UTRN_DIGITS - 1);
  const given = digits.charCodeAt(UTRN_DIGITS - 1) - 48;
  const expected = gbcsCheckDigit(pptdDigits);
  if (given !== expected) {
    throw new DecodeError(
      'utrn',
      lastDigitOffset(text),
      'utrn.check-digit',
      `expected ${expected}, got ${given} (GBCS 14.8)`,
    );
  }
  const pptd = BigInt(pptdDigits);
  const ptut = pptd - PPTD_OFFSET;
  if (ptut < 0n || ptut >= PTUT_LIMIT) {
    throw new DecodeError(
      'utrn',
      0,
      'utrn.pptd',
      `${pptd} is outside ${PPTD_OFFSET}…${PPTD_OFFSET + PTUT_LIMIT - 1n}`,
    );
  }
  const high = Number(ptut >> 32n);
  const classCode = (high >> 13) & 3;
  const valueClass = UTRN_VALUE_CLASSES.find((c) => c.code === classCode)?.valueClass;
  if (valueClass === undefined) {
    throw new DecodeError(
      'utrn',
      0,
      'utrn.value-class',
      `code ${classCode} is not defined (0 pence, 1 pounds)`,
    );
  }
  return {
    utrn: digits,
    pptd,
    ptut,
    counterBits: (high >> 15) & COUNTER_BITS_MASK,
    valueClass,
    value: high & UTRN_MAX_VALUE,
    authenticator: Number(ptut & 0xffffffffn),
  };
}

function lastDigitOffset(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (text[i]! >= '0' && text[i]! <= '9') return i;
  return 0;
}

// ---- Verification on the device ----

/**
 * GBCS 14: the smallest counter above `lastAccepted` whose bits 32..41 are `counterBits` and bits 0..31 zero,
 * or undefined when the 64-bit counter space is exhausted.
 */
export function inferUtrnCounter(counterBits: number, lastAccepted: bigint): bigint | undefined {
  const candidate = sameWindowCounter(counterBits, lastAccepted);
  const next = candidate > lastAccepted ? candidate : candidate + COUNTER_WINDOW;
  return next > 0xffffffffffffffffn ? undefined : next;
}

/** The largest counter at or below `lastAccepted` with these bits 32..41: what a replayed or stale token carries. */
function previousUtrnCounter(counterBits: number, lastAccepted: bigint): bigint | undefined {
  const candidate = sameWindowCounter(counterBits, lastAccepted);
  const previous = candidate <= lastAccepted ? candidate : candidate - COUNTER_WINDOW;
  return previous < 0n ? undefined : previous;
}

function sameWindowCounter(counterBits: number, lastAccepted: bigint): bigint {
  return (
    (lastAccepted & ~(COUNTER_WINDOW - 1n)) | (BigInt(counterBits & COUNTER_BITS_MASK) << COUNTER_BITS_SHIFT)
  );
}

export interface UtrnCheck {
  /** The supplier whose prepayment key the device holds. */
  originator: Eui64;
  /** The device the UTRN was entered on. */
  device: Eui64;
  /** The highest UTRN counter this device has accepted from this supplier. */
  lastAcceptedCounter: bigint;
  /** Z of the supplier's prepayment KA key and a device's KA key. */
  sharedSecret: (device: Eui64) => Uint8Array;
  /**
   * Twin-only diagnosis: devices the token may have been meant for (e.g. the premise's other meter). A real
   * meter cannot tell a token for another device from a forged one; the twin, holding every key, can.
   */
  otherDevices?: readonly Eui64[];
}

export type UtrnVerification =
  | { outcome: 'authentic'; counter: bigint; value: number; valueClass: UtrnValueClass; utrn: ParsedUtrn }
  | { outcome: 'not-authentic'; reason: string }
  | { outcome: 'wrong-device'; intendedDevice: Eui64; counter: bigint; reason: string }
  | { outcome: 'duplicate-or-old-counter'; counter: bigint; lastAcceptedCounter: bigint; reason: string };

/** Checks a UTRN as the device would. Never throws for a bad token: every refusal is a typed outcome with a reason. */
export function verifyUtrn(text: string, check: UtrnCheck): UtrnVerification {
  let parsed: ParsedUtrn;
  try {
    parsed = parseUtrn(text);
  } catch (e) {
    if (e instanceof DecodeError) return { outcome: 'not-authentic', reason: e.message };
    throw e;
  }
  const last = check.lastAcceptedCounter;
  if (typeof last !== 'bigint' || last < 0n || last > 0xffffffffffffffffn) {
    throw new CryptoInputError('lastAcceptedCounter', 'an unsigned 64-bit integer', String(last));
  }
  const next = inferUtrnCounter(parsed.counterBits, last);
  const previous = previousUtrnCounter(parsed.counterBits, last);
  const matches = (device: Eui64, counter: bigint | undefined): boolean =>
    counter !== undefined && authenticatorOf(check, device, counter, parsed) === parsed.authenticator;

  if (matches(check.device, next)) {
    return {
      outcome: 'authentic',
      counter: next!,
      value: parsed.value,
      valueClass: parsed.valueClass,
      utrn: parsed,
    };
  }
  if (previous !== undefined && matches(check.device, previous)) {
    return {
      outcome: 'duplicate-or-old-counter',
      counter: previous,
      lastAcceptedCounter: last,
      reason: `counter 0x${previous.toString(16)} is not above the last accepted 0x${last.toString(16)}`,
    };
  }
  for (const other of check.otherDevices ?? []) {
    if (other === check.device) continue;
    const counter = matches(other, next) ? next : matches(other, previous) ? previous : undefined;
    if (counter !== undefined) {
      return {
        outcome: 'wrong-device',
        intendedDevice: other,
        counter,
        reason: `authenticates for ${other}, not ${check.device}`,
      };
    }
  }
  const tried =
    next === undefined ? 'no counter remains above the last accepted' : `counter 0x${next.toString(16)}`;
  return { outcome: 'not-authentic', reason: `authenticator does not verify for ${check.device} (${tried})` };
}

function authenticatorOf(check: UtrnCheck, device: Eui64, counter: bigint, parsed: ParsedUtrn): number {
  const high = Number(parsed.ptut >> 32n);
  return authenticator(check.sharedSecret(device), check.originator, device, counter, high);
}
