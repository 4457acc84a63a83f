// Hex-in, hex-out wrappers around the DLMS codec for the tests in this folder.
import { Reader, Writer, fromHex, toHex } from '../../../../src/codec/bytes.js';
import {
  decodeDlmsApdu,
  decodeDlmsData,
  encodeDlmsApdu,
  encodeDlmsData,
  type DlmsApdu,
  type DlmsData,
} from '../../../../src/codec/gbcs/dlms/index.js';

/** Decodes a whole APDU the way payload.ts does: `base` is where the content sits in the message, then finish(). */
export function apduFromHex(hex: string, base = 0): DlmsApdu {
  const r: Reader = new Reader(fromHex(hex), 'gbcs.payload', base);
  const apdu = decodeDlmsApdu(r);
  r.finish('payload');
  return apdu;
}

export function apduToHex(apdu: DlmsApdu): string {
  const w = new Writer('gbcs.payload');
  encodeDlmsApdu(w, apdu);
  return toHex(w.finish());
}

export function dataFromHex(hex: string): DlmsData {
  const r: Reader = new Reader(fromHex(hex), 'gbcs.payload');
  const d = decodeDlmsData(r);
  r.finish('data');
  return d;
}

export function dataToHex(d: DlmsData): string {
  const w = new Writer('gbcs.payload');
  encodeDlmsData(w, d);
  return toHex(w.finish());
}

/** Strips spaces used in the tests to show field boundaries. */
export function hex(spaced: string): string {
  return spaced.replace(/\s+/g, '').toUpperCase();
}
