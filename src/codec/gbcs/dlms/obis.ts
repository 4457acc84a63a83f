// OBIS codes (IEC 62056-6-1): the 6-octet COSEM instance-id, written "A-B:C.D.E.F".
import { DecodeError } from '../../bytes.js';

export const OBIS_LENGTH = 6;

/** "0-0:30.3.0.255" from the 6 octets A..F. */
export function formatObis(b: Uint8Array): string {
  if (b.length !== OBIS_LENGTH)
    throw new RangeError(`OBIS code must be ${OBIS_LENGTH} octets, got ${b.length}`);
  return `${b[0]}-${b[1]}:${b[2]}.${b[3]}.${b[4]}.${b[5]}`;
}

/** The 6 octets of "A-B:C.D.E.F"; throws DecodeError on any other form or a group above 255. */
export function parseObis(text: string): Uint8Array {
  const m = /^(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const out = new Uint8Array(OBIS_LENGTH);
  for (let i = 0; i < OBIS_LENGTH; i++) {
    const v = m ? Number(m[i + 1]) : NaN;
    if (!(v <= 255))
      throw new DecodeError('obis', 0, 'obis', `"${text}" is not an OBIS code A-B:C.D.E.F (0..255 each)`);
    out[i] = v;
  }
  return out;
}
