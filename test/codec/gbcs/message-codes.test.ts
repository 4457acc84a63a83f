// The GBCS message-code table: complete against the published code list, self-consistent, and in agreement with every
// RTDS 4.5.0 message (code known, CRA flag allowed, content of the kind the code names, signature exactly when critical).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/codec/bytes.js';
import {
  MESSAGE_CODES,
  criticalityOf,
  formatMessageCode,
  isMessageCode,
  messageCodeInfo,
  messageCodesForUseCase,
  payloadKindFor,
} from '../../../src/codec/gbcs/message-codes.js';
import type { MessageCode, PayloadKind } from '../../../src/codec/gbcs/message-codes.js';
import { HAVE_VECTORS, RTDS_DIR } from '../../vectors.js';

// The 224 codes of SmartDCCInnovation/gbcs-parser `messageCodes` (docs/domain-brief Appendix B), as numbers only.
const APPENDIX_B = [
  0x0001, 0x0002, 0x0003, 0x0007, 0x0008, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0012,
  0x0013, 0x0014, 0x0015, 0x0018, 0x0019, 0x001a, 0x001b, 0x001c, 0x001d, 0x001e, 0x001f, 0x0020, 0x0021,
  0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e,
  0x002f, 0x0030, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d,
  0x003e, 0x003f, 0x0040, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, 0x0048, 0x0049, 0x004a, 0x004b,
  0x004c, 0x004d, 0x004e, 0x004f, 0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0058, 0x0059, 0x005a,
  0x005e, 0x005f, 0x0060, 0x0061, 0x0062, 0x0067, 0x0068, 0x0069, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f,
  0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007b, 0x007c, 0x007d,
  0x007e, 0x007f, 0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087, 0x0088, 0x0089, 0x008b,
  0x008c, 0x008d, 0x0090, 0x0092, 0x0093, 0x0094, 0x0096, 0x0097, 0x009b, 0x009d, 0x009e, 0x009f, 0x00a0,
  0x00a1, 0x00a2, 0x00a3, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x00af, 0x00b0, 0x00b2, 0x00b3, 0x00b4, 0x00b5,
  0x00b6, 0x00b7, 0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc, 0x00bd, 0x00be, 0x00bf, 0x00c0, 0x00c1, 0x00c2,
  0x00c3, 0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c9, 0x00ca, 0x00cb, 0x00cc, 0x00cd, 0x00ce, 0x00cf, 0x00d1,
  0x00d2, 0x00d3, 0x00d4, 0x00d5, 0x00d7, 0x00d8, 0x00d9, 0x00da, 0x00db, 0x00de, 0x00ea, 0x00eb, 0x00ec,
  0x00ed, 0x00ee, 0x00ef, 0x00f0, 0x00f1, 0x00f2, 0x00f9, 0x00fa, 0x00fb, 0x00fc, 0x00fd, 0x00fe, 0x0100,
  0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108, 0x0109, 0x010a, 0x010b, 0x010c, 0x010d,
  0x010e, 0x010f, 0x0110, 0x0111, 0x0112, 0x0113, 0x0114, 0x0115, 0x0116, 0x0117, 0x0118, 0x0119, 0x0128,
  0x0129, 0x1000, 0x1001,
] as const;

// Codes outside Appendix B, with the use case each belongs to (null: an alert GBCS names without one).
const ADDITIONAL: readonly (readonly [number, string | null])[] = [
  [0x0004, 'CCS05CCS04'], // RTDS 8.9_CCS05CCS04
  [0x011a, 'ECS46d'],
  [0x011b, 'CS02f'], // RTDS NA_CS02fSignature
  [0x011c, 'ECS61d'],
  [0x011d, 'ECS61e'],
  [0x011e, 'ECS47a'],
  [0x011f, 'ECS47e'],
  [0x0121, 'ECS101'],
  [0x0122, 'ECS102'],
  [0x0123, 'ECS200'],
  [0x0124, null], // the 8F66/8F67 alerts of RTDS 6.15.1_CS02gLoadControllerBySupplier
  [0x0126, 'CS02g'],
  [0x012a, 'GCS60a'],
  [0x012b, 'CS09'],
];

describe('message-code table: completeness', () => {
  it('lists the 224 Appendix-B codes and 14 more: exactly 238 rows', () => {
    expect(APPENDIX_B).toHaveLength(224);
    expect(MESSAGE_CODES).toHaveLength(224 + ADDITIONAL.length);
    expect(MESSAGE_CODES).toHaveLength(238);
  });

  it('holds every Appendix-B code', () => {
    const missing = APPENDIX_B.filter((c) => messageCodeInfo(c) === undefined).map(hex);
    expect(missing).toEqual([]);
  });

  it.each(ADDITIONAL.map(([code, useCase]) => [hex(code), code, useCase] as const))(
    'holds %s as %s',
    (_, code, useCase) => {
      expect(messageCodeInfo(code)?.useCase).toBe(useCase);
    },
  );

  it('lists each code once, in ascending order, all 16-bit', () => {
    const codes = MESSAGE_CODES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort((a, b) => a - b)).toEqual(codes);
    for (const c of codes) expect(c >= 0 && c <= 0xffff && Number.isInteger(c)).toBe(true);
  });
});

describe('message-code table: columns agree with each other', () => {
  it('derives critical from the message type', () => {
    const disagree = MESSAGE_CODES.filter((r) => r.critical !== criticalityOf(r.messageType)).map((r) =>
      hex(r.code),
    );
    expect(disagree).toEqual([]);
  });

  it('gives alert message types the alert flow only, and command types a command and response', () => {
    for (const r of MESSAGE_CODES) {
      if (r.messageType.startsWith('SME.A.')) expect(r.flows, hex(r.code)).toEqual(['alert']);
      else if (r.flows.length > 0) expect(r.flows.slice(0, 2), hex(r.code)).toEqual(['command', 'response']);
    }
    expect(messageCodeInfo(0x0129)?.flows).toEqual(['command', 'response', 'alert']); // CS08
  });

  it('marks exactly the PPMID-GSME and ZSE-specified use cases HAN-only', () => {
    for (const r of MESSAGE_CODES) {
      const han = r.messageType === 'SME.C.PPMID-GSME' || r.messageType === 'ZSE specified';
      expect(r.remoteParty, hex(r.code)).toBe(!han);
    }
  });

  it('gives ZSE-specified codes (ESME log entries only) no payload and no flow', () => {
    const zse = MESSAGE_CODES.filter((r) => r.messageType === 'ZSE specified').map((r) => r.code);
    expect(zse).toEqual([0x0116, 0x0117, 0x0118, 0x0119]);
    for (const c of zse) {
      expect(messageCodeInfo(c)?.payload).toEqual([]);
      expect(messageCodeInfo(c)?.flows).toEqual([]);
    }
    for (const r of MESSAGE_CODES)
      if (r.flows.length > 0) expect(r.payload.length, hex(r.code)).toBeGreaterThan(0);
  });

  it('leaves replay protection N/A (null) for alerts and HAN-only messages', () => {
    for (const r of MESSAGE_CODES) {
      if (r.flows.length === 0 || r.messageType.startsWith('SME.A.'))
        expect(r.replayProtected, hex(r.code)).toBeNull();
    }
  });

  it('protects every critical command against replay', () => {
    for (const r of MESSAGE_CODES) {
      if (r.messageType === 'SME.C.C') expect(r.replayProtected, hex(r.code)).toBe(true);
    }
  });

  it('keeps the GBCS-table exceptions: Clear Event Log is an update without replay protection', () => {
    for (const c of [0x0015, 0x0024, 0x00c1]) {
      expect(messageCodeInfo(c)?.replayProtected).toBe(false);
      expect(messageCodeInfo(c)?.flagsFrom).toBe('gbcs-table');
    }
    expect(messageCodeInfo(0x0001)?.replayProtected).toBe(true); // CCS01, SME.C.NC yet protected
  });

  it('makes future-datable exactly the use cases a device holds for later', () => {
    const fd = MESSAGE_CODES.filter((r) => r.futureDatable === true).map((r) => r.code);
    expect(fd.map(hex)).toEqual(
      [
        0x0012, 0x0019, 0x001a, 0x001b, 0x001f, 0x0043, 0x0054, 0x006b, 0x006c, 0x006d, 0x006f, 0x00a2,
        0x00a3, 0x00b7, 0x00c7, 0x00de, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107,
        0x0108, 0x0109, 0x011a, 0x0126,
      ].map(hex),
    );
  });

  it('gives the generic alerts both device formats and every other code one', () => {
    for (const r of MESSAGE_CODES) {
      const generic = r.code === 0x1000 || r.code === 0x1001;
      if (generic) expect(r.payload).toEqual(['dlms', 'gbz']);
      else expect(r.payload.length, hex(r.code)).toBeLessThanOrEqual(1);
    }
  });

  it('names use cases by GBCS id and never repeats the id in the name', () => {
    for (const r of MESSAGE_CODES) {
      if (r.useCase !== null) {
        expect(r.useCase).toMatch(/^(CCS|CS|ECS|GCS|PCS|PECS|HECS|DBCH)\d+[A-Za-z0-9]*$/);
        expect(r.name.startsWith(r.useCase)).toBe(false);
      }
      expect(r.name.trim()).toBe(r.name);
      expect(r.name.length).toBeGreaterThan(0);
    }
  });
});

describe('lookups', () => {
  it('finds a code in O(1) and types it', () => {
    const info = messageCodeInfo(0x0027);
    expect(info).toMatchObject({
      useCase: 'ECS17b',
      messageType: 'SME.C.NC',
      critical: false,
      payload: ['dlms'],
    });
    const code: MessageCode = 0x0027;
    expect(isMessageCode(code)).toBe(true);
    // @ts-expect-error 0x1234 is not a GBCS message code
    const notACode: MessageCode = 0x1234;
    expect(isMessageCode(notACode)).toBe(false);
  });

  it.each([0x0000, 0x1234, 0x8f66, 0xffff, -1, 0x10000, 1.5, Number.NaN])(
    'returns undefined for %d',
    (code) => {
      expect(messageCodeInfo(code)).toBeUndefined();
      expect(isMessageCode(code)).toBe(false);
    },
  );

  it('finds codes by use case', () => {
    expect(messageCodesForUseCase('CS02b').map((r) => r.code)).toEqual([
      0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108, 0x0109,
    ]);
    expect(messageCodesForUseCase('ECS17b').map((r) => r.code)).toEqual([0x0027]);
    expect(messageCodesForUseCase('CCS01')[0]?.serviceReferences).toEqual(['8.11']);
    expect(messageCodesForUseCase('ECS999')).toEqual([]);
  });
});

describe('formatMessageCode', () => {
  it.each([
    [0x0027, '0x0027 ECS17b Read ESME Energy Registers (Import Energy)'],
    [0x0001, '0x0001 CCS01 Add Device to CHF device log'],
    [0x0102, '0x0102 CS02b Update Security Credentials (supplierBySupplier)'],
    [0x00ca, '0x00CA Futured Dated Firmware Activation Alert'],
    [0x1001, '0x1001 Generic Non Critical Alert'],
    [0x1234, '0x1234 (unknown)'],
    [0x0000, '0x0000 (unknown)'],
  ])('prints %d as "%s"', (code, text) => {
    expect(formatMessageCode(code)).toBe(text);
  });

  it('rejects a number that is no 16-bit code', () => {
    for (const bad of [-1, 0x10000, 1.5, Number.NaN]) {
      expect(() => formatMessageCode(bad)).toThrow(RangeError);
    }
  });
});

describe('payloadKindFor', () => {
  it('takes the kind from the code, not from the bytes', () => {
    expect(payloadKindFor(0x0027, Uint8Array.of(0xd9))).toBe('dlms');
    expect(payloadKindFor(0x0027, Uint8Array.of(0x30))).toBe('dlms'); // the DLMS codec rejects it, not this table
    expect(payloadKindFor(0x006b, Uint8Array.of(0x01, 0x09))).toBe('gbz');
    expect(payloadKindFor(0x0129, Uint8Array.of(0x30))).toBe('asn1');
  });

  it('settles the generic alerts by the alerting device format', () => {
    expect(payloadKindFor(0x1000, Uint8Array.of(0x0f, 0x00))).toBe('dlms');
    expect(payloadKindFor(0x1001, Uint8Array.of(0x01, 0x09))).toBe('gbz');
    expect(() => payloadKindFor(0x1001, Uint8Array.of(0x30), 7)).toThrow(
      /gbcs\.payload: content at byte 7: 0x1001 Generic Non Critical Alert expects dlms or gbz, got first byte 0x30/,
    );
    expect(() => payloadKindFor(0x1001, new Uint8Array(0), 7)).toThrow(/got no content/);
  });

  it('leaves unknown codes and codes without a GBCS payload to the raw codec', () => {
    expect(payloadKindFor(0x1234, Uint8Array.of(0xd9), 40)).toBeUndefined();
    expect(payloadKindFor(0x0116, Uint8Array.of(0x01))).toBeUndefined();
  });
});

// --- RTDS agreement -------------------------------------------------------------------------------------------------

/** What this test needs of a GBCS message (layout: domain brief §2.1); the frame codec is tested on its own. */
interface Split {
  cra: 1 | 2 | 3;
  code: number;
  content: Uint8Array;
  contentStart: number;
  /** true: 64-byte signature; false: empty signature element; null: no element (a Pre-Command). */
  signed: boolean | null;
}

function splitMessage(b: Uint8Array): Split {
  let i = 0;
  let end = b.length;
  const len = (): number => {
    const first = b[i++]!;
    if (first < 0x80) return first;
    let n = 0;
    for (let k = first & 0x7f; k > 0; k--) n = n * 256 + b[i++]!;
    return n;
  };
  if (b[0] === 0xdd) {
    i = 7;
    len();
    i += 5; // security header
    end -= 12; // MAC
  }
  if (b[i++] !== 0xdf) throw new Error('not a General-Signing APDU');
  i++; // transaction-id length
  const cra = b[i++]! as 1 | 2 | 3;
  i += 8 + 9 + 9; // originator counter, system titles
  i += b[i] === 0 ? 1 : 13; // date-time
  const otherInfoLength = len();
  const code = (b[i]! << 8) | b[i + 1]!;
  i += otherInfoLength;
  const contentLength = len();
  const contentStart = i;
  const content = b.subarray(i, i + contentLength);
  i += contentLength;
  const signed = i >= end ? null : b[i] === 0x40;
  return { cra, code, content, contentStart, signed };
}

/** What each codec's content starts with: DLMS access-request / access-response / data-notification, GBZ profile 0x0109, DER tags. */
function contentFits(kind: PayloadKind, cra: 1 | 2 | 3, c: Uint8Array): boolean {
  switch (kind) {
    case 'dlms':
      return c[0] === ({ 1: 0xd9, 2: 0xda, 3: 0x0f } as const)[cra];
    case 'gbz':
      return c[0] === 0x01 && c[1] === 0x09;
    case 'asn1':
      return c[0] === 0x30 || c[0] === 0x02 || c[0] === 0x04 || c[0] === 0x05;
  }
}

function rtdsMessages(): { name: string; split: Split }[] {
  const out: { name: string; split: Split }[] = [];
  for (const folder of readdirSync(RTDS_DIR).sort()) {
    for (const file of readdirSync(join(RTDS_DIR, folder)).sort()) {
      const bytes = fromHex(readFileSync(join(RTDS_DIR, folder, file), 'utf8'));
      out.push({ name: `${folder}/${file}`, split: splitMessage(bytes) });
    }
  }
  return out;
}

describe.skipIf(!HAVE_VECTORS)('message-code table against RTDS 4.5.0 (read in place)', () => {
  const messages = HAVE_VECTORS ? rtdsMessages() : [];

  it('finds files to check', () => {
    expect(messages.length).toBeGreaterThan(0);
  });

  it('knows every code, lists its CRA flag, and names the kind its content starts with', () => {
    const failures: string[] = [];
    for (const { name, split } of messages) {
      const { cra, code, content, contentStart } = split;
      try {
        const kind = payloadKindFor(code, content, contentStart);
        const flow = ({ 1: 'command', 2: 'response', 3: 'alert' } as const)[cra];
        if (kind === undefined) failures.push(`${name}: ${formatMessageCode(code)} has no payload kind`);
        else if (!messageCodeInfo(code)!.flows.includes(flow))
          failures.push(`${name}: ${formatMessageCode(code)} never a ${flow}`);
        else if (!contentFits(kind, cra, content))
          failures.push(
            `${name}: ${formatMessageCode(code)} is ${kind}, content starts 0x${content[0]?.toString(16)}`,
          );
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('finds a signature exactly on critical commands and alerts, and on responses to them', () => {
    const failures: string[] = [];
    for (const { name, split } of messages) {
      const info = messageCodeInfo(split.code);
      if (info === undefined || split.signed === null || info.critical === 'variant') continue; // Pre-Commands carry no element
      // CS02b responses are signed whatever the command: RTDS 8.5_CS02bACBByACB answers an unsigned command signed.
      const expected = split.cra === 2 && info.useCase === 'CS02b' ? true : info.critical;
      if (split.signed !== expected)
        failures.push(
          `${name}: signed=${split.signed}, ${formatMessageCode(split.code)} critical=${info.critical}`,
        );
    }
    expect(failures).toEqual([]);
  });
});

function hex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
