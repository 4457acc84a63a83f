// Every DLMS payload of the RTDS 4.5.0 messages, read in place from the shared vectors (never copied).
import { describe, expect, it } from 'vitest';
import { Reader, Writer, toHex } from '../../../../src/codec/bytes.js';
import {
  decodeDlmsApdu,
  encodeDlmsApdu,
  formatDlmsApdu,
  type DlmsApdu,
} from '../../../../src/codec/gbcs/dlms/index.js';
import { rtdsContents, type RtdsContent } from '../../../support/rtds.js';
import { HAVE_VECTORS } from '../../../vectors.js';

/** First octet of a DLMS payload: access-request, access-response, data-notification (the rest of RTDS is ZigBee or DER). */
const DLMS_TAGS = new Set([0xd9, 0xda, 0x0f]);
// The shared RTDS subset: 963 messages, 551 with a DLMS payload. The held-back quarter adds to both.
const SHARED_MESSAGES = 963;
const SHARED_DLMS_PAYLOADS = 551;
const APDU_FOR_CRA = { 1: 'access-request', 2: 'access-response', 3: 'data-notification' } as const;

function decode(c: RtdsContent): DlmsApdu {
  const r: Reader = new Reader(c.content, 'gbcs.payload', c.contentStart);
  const apdu = decodeDlmsApdu(r);
  r.finish('payload');
  return apdu;
}

function encode(apdu: DlmsApdu): Uint8Array {
  const w = new Writer('gbcs.payload');
  encodeDlmsApdu(w, apdu);
  return w.finish();
}

/** Where a re-encoding departs from the original: the first differing printed field, else the first differing octet. */
function firstDifference(original: Uint8Array, apdu: DlmsApdu, encoded: Uint8Array): string {
  try {
    const a = formatDlmsApdu(apdu);
    const b = formatDlmsApdu(decodeDlmsApdu(new Reader(encoded, 'reencoded')));
    const i = a.findIndex((line, k) => line !== b[k]);
    if (i >= 0) return `field "${a[i]!.trim()}" re-encodes as "${(b[i] ?? '(missing)').trim()}"`;
  } catch (e) {
    return `re-encoding does not decode: ${(e as Error).message}`;
  }
  let k = 0;
  while (k < original.length && original[k] === encoded[k]) k++;
  return `octet ${k}: ${toHex(original.subarray(k, k + 8))} became ${toHex(encoded.subarray(k, k + 8))}`;
}

describe.skipIf(!HAVE_VECTORS)('DLMS payloads of RTDS 4.5.0', () => {
  const all = HAVE_VECTORS ? rtdsContents() : [];
  const dlms = all.filter((c) => DLMS_TAGS.has(c.content[0]!));

  it('finds every DLMS payload: 551 of the 963 shared messages, more when the held-back quarter is present', () => {
    expect(dlms.length).toBeGreaterThanOrEqual(SHARED_DLMS_PAYLOADS);
    if (all.length === SHARED_MESSAGES) expect(dlms.length).toBe(SHARED_DLMS_PAYLOADS);
  });

  it('round-trips every RTDS DLMS payload byte-exactly', () => {
    const failures: string[] = [];
    let roundTripped = 0;
    for (const c of dlms) {
      try {
        const apdu = decode(c);
        const encoded = encode(apdu);
        if (toHex(encoded) === toHex(c.content)) roundTripped++;
        else failures.push(`${c.name}: ${firstDifference(c.content, apdu, encoded)}`);
      } catch (e) {
        failures.push(`${c.name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(roundTripped).toBe(dlms.length);
  });

  it('finds access-requests in commands, access-responses in responses and data-notifications in alerts', () => {
    const mismatched = dlms.filter((c) => decode(c).type !== APDU_FOR_CRA[c.cra]).map((c) => c.name);
    expect(mismatched).toEqual([]);
  });

  it('prints every payload, starting with its APDU type', () => {
    let printed = 0;
    for (const c of dlms) {
      const apdu = decode(c);
      const lines = formatDlmsApdu(apdu);
      expect(lines[0]).toBe(apdu.type);
      printed++;
    }
    expect(printed).toBe(dlms.length);
  });

  it('prints the CHF device-log register command of CCS01 as action 104 on 0-0:30.3.0.255', () => {
    const ccs01 = dlms.find((c) => c.name === '8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX');
    expect(ccs01).toBeDefined();
    const lines = formatDlmsApdu(decode(ccs01!));
    expect(lines).toContain('    [0] action 104 0-0:30.3.0.255 method 1');
    expect(lines).toContain('    [2] boolean true');
  });
});
