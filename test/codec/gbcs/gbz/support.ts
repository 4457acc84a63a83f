// Helpers and hand-written payloads for the GBZ tests: decode/encode hex at a content offset, as the payload dispatcher does.
import { Reader, Writer, fromHex, toHex } from '../../../../src/codec/bytes.js';
import type { Cra } from '../../../../src/codec/gbcs/frame.js';
import { decodeGbz, encodeGbz, type GbzPayload } from '../../../../src/codec/gbcs/gbz/index.js';

/** Where the content sits in a made-up enclosing message, so error offsets are visibly absolute. */
export const BASE = 100;

export function decodeBytes(bytes: Uint8Array, cra: Cra = 1, base = BASE): GbzPayload {
  const r: Reader = new Reader(bytes, 'gbcs.payload', base);
  const gbz = decodeGbz(r, { messageCode: 0x0000, cra });
  r.finish('content');
  return gbz;
}

export function decodeHex(hex: string, cra: Cra = 1): GbzPayload {
  return decodeBytes(fromHex(hex), cra);
}

export function encodeToHex(gbz: GbzPayload, cra: Cra = 1): string {
  const w = new Writer('gbcs.payload');
  encodeGbz(w, gbz, { messageCode: 0x0000, cra });
  return toHex(w.finish());
}

/** Hex without the spaces used to lay the fields out. */
export function clean(hex: string): string {
  return hex.replace(/\s+/g, '').toUpperCase();
}

/** One component's hex with its command length computed: control, cluster id, then the body. */
export function componentHex(control: number, clusterId: number, body: string): string {
  const b = clean(body);
  const hex4 = (v: number) => v.toString(16).padStart(4, '0').toUpperCase();
  return `${control.toString(16).padStart(2, '0').toUpperCase()}${hex4(clusterId)}${hex4(b.length / 2)}${b}`;
}

/** A command or response payload made of the given component hex strings. */
export function gbzHex(...components: string[]): string {
  return `0109${components.length.toString(16).padStart(2, '0').toUpperCase()}${components.join('')}`;
}

// Payloads written by hand from the GBCS 7.2 layout; spaces separate the fields.
// Profile ID, component count | control, cluster, command length | ZCL frame control, sequence, command | payload
export const READ_METERING = '0109 01 | 01 0702 0007 | 00 05 00 | 0000 1400'.replace(/\|/g, '');
// The response: 0x0000 SUCCESS uint48 1234567, 0x0014 UNSUPPORTED_ATTRIBUTE.
export const READ_METERING_RESPONSE =
  '0109 01 | 01 0702 0010 | 08 05 01 | 0000 00 25 87D612000000 | 1400 86'.replace(/\|/g, '');
// Set Low Credit Warning Level from 2022-06-01T00:00:00Z: control 0x11 = last + From Date Time present.
export const FUTURE_DATED_COMMAND = '0109 01 | 11 0705 000B | 2A296880 | 01 07 09 | 404B4C00'.replace(
  /\|/g,
  '',
);
// An encrypted Publish Snapshot: additional header 00 02, clear ZCL header, ciphered length 21:
// security control 0x31, invocation counter 0, 4 bytes ciphertext, 12-byte tag.
export const ENCRYPTED_RESPONSE =
  '0109 01 | 03 0702 001C | 00 02 | 19 04 06 | 0015 | 31 00000000 | DEADBEEF | 000102030405060708090A0B'.replace(
    /\|/g,
    '',
  );
// Two components: Default Responses from Price and Calendar.
export const TWO_DEFAULT_RESPONSES =
  '0109 02 | 00 0700 0005 | 00 01 0B | 02 00 | 01 0707 0005 | 00 02 0B | 00 81'.replace(/\|/g, '');
// A bare alert: Supply Outage Restored (0x8F35) at 2022-06-01T00:00:00Z, no components.
export const BARE_ALERT = '0109 00 8F35 2A296880';

/** Every hand-written payload with its CRA flag: seeds for the property tests. */
export const HAND_WRITTEN: readonly { hex: string; cra: Cra }[] = [
  { hex: READ_METERING, cra: 1 },
  { hex: READ_METERING_RESPONSE, cra: 2 },
  { hex: FUTURE_DATED_COMMAND, cra: 1 },
  { hex: ENCRYPTED_RESPONSE, cra: 2 },
  { hex: TWO_DEFAULT_RESPONSES, cra: 2 },
  { hex: BARE_ALERT, cra: 3 },
  { hex: '0109 01 8F67 2A296880 0E 0070 00000000000004D2 0705 01 03', cra: 3 },
  { hex: '0109 01 81A0 2A296880 0008', cra: 3 },
];
