// EUI-64 identifiers of parties and devices (GBCS 4.3.1: Entity Identifier, 8 octets).
import { DecodeError, toHex, type Reader } from './bytes.js';

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
  return toHex(b) as Eui64;
}

/** An 8-octet Entity Identifier read from r: eui64FromBytes(r.bytes(8, path)) without the copy. */
export function readEui64(r: Reader, path: string): Eui64 {
  return r.hex(8, path) as Eui64;
}

export function eui64ToBytes(id: Eui64): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** DUIS form: "90-B3-D5-1F-30-00-00-02". */
export function eui64Hyphenated(id: Eui64): string {
  return id.match(/../g)!.join('-');
}
