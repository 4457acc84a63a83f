// EUI-64 identifiers of parties and devices (GBCS 4.3.1: Entity Identifier, 8 octets).
import { DecodeError, type Reader } from './bytes.js';

/** 16 uppercase hex digits, no separators, e.g. "90B3D51F30000002". */
export type Eui64 = string & { readonly __brand: 'Eui64' };

/** Accepts "90-B3-D5-1F-30-00-00-02", "90:b3:…", "90b3d51f30000002"; throws DecodeError otherwise. */
export function eui64(text: string): Eui64 {
  const clean = text.replace(/[-:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{16}$/.test(clean))
    throw new DecodeError('eui64', 0, 'eui64', `"${text}" is not an EUI-64 (16 hex digits)`);
  return clean as Eui64;
}

export function eui64FromBytes(b: Uint8Array): Eui64 {
  if (b.length !== 8) throw new DecodeError('eui64', 0, 'eui64', `expected 8 bytes, got ${b.length}`);
  return eui64At(b, 0);
}

/** An 8-octet Entity Identifier read from r: eui64FromBytes(r.bytes(8, path)) without the copy. */
export function readEui64(r: Reader, path: string): Eui64 {
  return eui64At(r.buf, r.skip(8, path));
}

/**
 * toHex of the 8 octets at b[at], built as one flat string: appending 2-digit pieces leaves a rope, which every
 * Map lookup keyed by the EUI (key stores, device registries) must first flatten; this is about half the cost.
 */
function eui64At(b: Uint8Array, at: number): Eui64 {
  const hi = (i: number): number => HIGH_DIGIT[b[at + i]!]!;
  const lo = (i: number): number => LOW_DIGIT[b[at + i]!]!;
  // prettier-ignore
  return String.fromCharCode(
    hi(0), lo(0), hi(1), lo(1), hi(2), lo(2), hi(3), lo(3),
    hi(4), lo(4), hi(5), lo(5), hi(6), lo(6), hi(7), lo(7),
  ) as Eui64;
}

/** Char codes of the uppercase hex digits of each octet's high and low nibble. */
const HEX_DIGITS = '0123456789ABCDEF';
const HIGH_DIGIT = Uint8Array.from({ length: 256 }, (_, v) => HEX_DIGITS.charCodeAt(v >> 4));
const LOW_DIGIT = Uint8Array.from({ length: 256 }, (_, v) => HEX_DIGITS.charCodeAt(v & 15));

export function eui64ToBytes(id: Eui64): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** DUIS form: "90-B3-D5-1F-30-00-00-02". */
export function eui64Hyphenated(id: Eui64): string {
  return id.match(/../g)!.join('-');
}
