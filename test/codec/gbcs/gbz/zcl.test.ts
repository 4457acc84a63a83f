import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../../../../src/codec/bytes.js';
import {
  formatGbz,
  type GbzComponent,
  type GbzPayload,
  type ZclPayload,
} from '../../../../src/codec/gbcs/gbz/index.js';
import { componentHex, decodeHex, encodeToHex, gbzHex } from './support.js';

// ZCL global commands built by hand from ZCL 07-5123 2.5: attribute ids and values little-endian.
function frame(
  frameControl: string,
  commandId: string,
  payload: string,
  cra: 1 | 2 = 1,
): { hex: string; payload: ZclPayload } {
  const hex = gbzHex(componentHex(0x01, 0x0702, `${frameControl} 01 ${commandId} ${payload}`));
  const gbz = decodeHex(hex, cra);
  expect(encodeToHex(gbz, cra)).toBe(hex);
  const c = (gbz as Extract<GbzPayload, { kind: 'components' }>).components[0] as Extract<
    GbzComponent,
    { encrypted: false }
  >;
  return { hex, payload: c.payload };
}

const WRITE_ATTRIBUTES = [
  '0100 10 01', // bool true
  '0200 2A 000080', // int24 -8388608
  '0300 26 01020304050607', // uint56
  '0400 2F FFFFFFFFFFFFFFFF', // int64 -1
  '0500 41 03 414243', // octstr "ABC"
  '0600 42 FF', // string, invalid
  '0700 43 0200 AABB', // octstr16
  '0800 48 21 0200 3412 7856', // array of uint16
  '0900 4C 0200 20 07 42 01 5A', // struct {uint8 7, string "Z"}
  '0A00 E2 8068292A', // UTC 2022-06-01
  '0B00 F0 0123456789ABCDEF', // EUI64
  '0C00 F1 000102030405060708090A0B0C0D0E0F', // key128
  '0D00 39 0000803F', // single 1.0
  '0E00 48 21 FFFF', // array, invalid
  '0F00 00', // nodata
  '1000 29 FEFF', // int16 -2
].join(' ');

describe('ZCL global commands in GBZ components', () => {
  it('reads every ZCL data type of a Write Attributes command and writes it back', () => {
    const { payload } = frame('00', '02', WRITE_ATTRIBUTES);
    expect(payload.kind).toBe('write-attributes');
    const values =
      payload.kind === 'write-attributes' ? payload.records.map((r) => [r.attributeId, r.value]) : [];
    expect(values).toEqual([
      [0x0001, { kind: 'number', type: 0x10, value: 1 }],
      [0x0002, { kind: 'number', type: 0x2a, value: -8388608 }],
      [0x0003, { kind: 'bigint', type: 0x26, value: 0x07060504030201n }],
      [0x0004, { kind: 'bigint', type: 0x2f, value: -1n }],
      [0x0005, { kind: 'string', type: 0x41, value: Uint8Array.from([0x41, 0x42, 0x43]) }],
      [0x0006, { kind: 'string', type: 0x42, value: null }],
      [0x0007, { kind: 'string', type: 0x43, value: Uint8Array.from([0xaa, 0xbb]) }],
      [
        0x0008,
        {
          kind: 'array',
          type: 0x48,
          elementType: 0x21,
          elements: [
            { kind: 'number', type: 0x21, value: 0x1234 },
            { kind: 'number', type: 0x21, value: 0x5678 },
          ],
        },
      ],
      [
        0x0009,
        {
          kind: 'struct',
          type: 0x4c,
          elements: [
            { kind: 'number', type: 0x20, value: 7 },
            { kind: 'string', type: 0x42, value: Uint8Array.from([0x5a]) },
          ],
        },
      ],
      [0x000a, { kind: 'number', type: 0xe2, value: 0x2a296880 }],
      [0x000b, { kind: 'bigint', type: 0xf0, value: 0xefcdab8967452301n }],
      [0x000c, { kind: 'octets', type: 0xf1, value: Uint8Array.from({ length: 16 }, (_, i) => i) }],
      [0x000d, { kind: 'number', type: 0x39, value: 0x3f800000 }],
      [0x000e, { kind: 'array', type: 0x48, elementType: 0x21, elements: null }],
      [0x000f, { kind: 'none', type: 0x00 }],
      [0x0010, { kind: 'number', type: 0x29, value: -2 }],
    ]);
  });

  it('prints values by type: booleans, signed numbers, quoted strings, UTC times, floats', () => {
    const lines = formatGbz(decodeHex(frame('00', '02', WRITE_ATTRIBUTES).hex));
    expect(lines.slice(3)).toEqual([
      '    attribute 0x0001 = bool true',
      '    attribute 0x0002 = int24 -8388608',
      '    attribute 0x0003 = uint56 1976943448883713',
      '    attribute 0x0004 = int64 -1',
      '    attribute 0x0005 = octstr 0x414243',
      '    attribute 0x0006 = string invalid',
      '    attribute 0x0007 = octstr16 0xAABB',
      '    attribute 0x0008 = array [4660, 22136] of uint16',
      '    attribute 0x0009 = struct {uint8 7, string "Z"}',
      '    attribute 0x000A = UTC 2022-06-01T00:00:00Z (0x2A296880)',
      '    attribute 0x000B = EUI64 0xEFCDAB8967452301',
      '    attribute 0x000C = key128 000102030405060708090A0B0C0D0E0F',
      '    attribute 0x000D = single 1',
      '    attribute 0x000E = array invalid',
      '    attribute 0x000F = nodata -',
      '    attribute 0x0010 = int16 -2',
    ]);
  });

  it('reads Configure Reporting records, with a reportable change only for analog types', () => {
    const { payload } = frame(
      '00',
      '06',
      '00 0000 25 0100 1000 0A0000000000  00 1400 18 0100 1000  01 0000 3C00',
    );
    expect(payload).toEqual({
      kind: 'configure-reporting',
      records: [
        {
          direction: 'reported',
          attributeId: 0x0000,
          dataType: 0x25,
          minimumInterval: 1,
          maximumInterval: 16,
          reportableChange: { kind: 'number', type: 0x25, value: 10 },
        },
        {
          direction: 'reported',
          attributeId: 0x0014,
          dataType: 0x18,
          minimumInterval: 1,
          maximumInterval: 16,
          reportableChange: null,
        },
        { direction: 'received', attributeId: 0x0000, timeout: 60 },
      ],
    });
  });

  it('reads the lone SUCCESS form and the failure records of write and configure responses', () => {
    expect(frame('08', '04', '00', 2).payload).toEqual({
      kind: 'write-attributes-response',
      records: [{ status: 0, attributeId: null }],
    });
    expect(frame('08', '04', '88 0100', 2).payload).toEqual({
      kind: 'write-attributes-response',
      records: [{ status: 0x88, attributeId: 0x0001 }],
    });
    expect(frame('08', '07', '00', 2).payload).toEqual({
      kind: 'configure-reporting-response',
      records: [{ status: 0, direction: null, attributeId: null }],
    });
    expect(frame('08', '07', '8C 00 0000', 2).payload).toEqual({
      kind: 'configure-reporting-response',
      records: [{ status: 0x8c, direction: 'reported', attributeId: 0x0000 }],
    });
  });

  it('reads Read Reporting Configuration selectors and Report Attributes records', () => {
    expect(frame('00', '08', '00 0000 01 1400').payload).toEqual({
      kind: 'read-reporting-configuration',
      records: [
        { direction: 'reported', attributeId: 0x0000 },
        { direction: 'received', attributeId: 0x0014 },
      ],
    });
    expect(frame('08', '0A', '0000 25 010000000000', 2).payload).toEqual({
      kind: 'report-attributes',
      records: [{ attributeId: 0x0000, value: { kind: 'number', type: 0x25, value: 1 } }],
    });
  });

  it('keeps global commands it does not decode as raw bytes', () => {
    expect(frame('00', '0C', '0000 10').payload).toEqual({
      kind: 'raw',
      bytes: Uint8Array.from([0, 0, 0x10]),
    });
  });

  it('refuses a lone status that is not SUCCESS and a reporting direction other than 0 or 1', () => {
    expect(() => decodeHex(gbzHex(componentHex(0x01, 0x0702, '08 01 04 86')), 2)).toThrow(
      'gbz: components[0].zcl.payload.records[0].status at byte 111: a status record without attribute must be SUCCESS (0x00), got 0x86',
    );
    expect(() => decodeHex(gbzHex(componentHex(0x01, 0x0702, '00 01 06 02 0000 3C00')))).toThrow(
      'gbz: components[0].zcl.payload.records[0].direction at byte 111: expected 0x00 (reported) or 0x01 (received), got 0x02',
    );
  });

  it('bounds the nesting of arrays so hostile input cannot exhaust the stack', () => {
    const nested = (levels: number) => `48${'48 0100'.repeat(levels - 1)}20 0000`.replace(/\s/g, '');
    frame('00', '02', `0100 ${nested(8)}`);
    const hex = gbzHex(componentHex(0x01, 0x0702, `00 01 02 0100 ${nested(9)}`));
    expect(() => decodeHex(hex)).toThrow(DecodeError);
    expect(() => decodeHex(hex)).toThrow(
      'gbz: components[0].zcl.payload.records[0].value[0][0][0][0][0][0][0][0] at byte 138: nesting deeper than 8 levels',
    );
  });

  it('refuses an array count that the remaining bytes cannot hold', () => {
    expect(() => decodeHex(gbzHex(componentHex(0x01, 0x0702, '00 01 02 0100 48 23 1000 01000000')))).toThrow(
      'gbz: components[0].zcl.payload.records[0].value.elements at byte 117: truncated: needs 64 bytes, 4 left',
    );
  });

  it('refuses to encode a value that does not fit its type', () => {
    const gbz = decodeHex(frame('00', '02', '0100 28 FF').hex) as Extract<GbzPayload, { kind: 'components' }>;
    const c = gbz.components[0] as Extract<GbzComponent, { encrypted: false }>;
    const withValue = (value: unknown): GbzPayload => ({
      kind: 'components',
      components: [
        { ...c, payload: { kind: 'write-attributes', records: [{ attributeId: 1, value: value as never }] } },
      ],
    });
    const error = (value: unknown) => {
      try {
        encodeToHex(withValue(value));
      } catch (e) {
        expect(e).toBeInstanceOf(EncodeError);
        return (e as Error).message;
      }
      return 'encoded';
    };
    expect(error({ kind: 'number', type: 0x28, value: 128 })).toBe(
      'gbz: cannot encode components[0].zcl.payload.records[0].value: 128 is not a signed 8-bit integer',
    );
    expect(error({ kind: 'number', type: 0x27, value: 1 })).toBe(
      "gbz: cannot encode components[0].zcl.payload.records[0].value: a uint64 value must be of kind 'bigint', got 'number'",
    );
    expect(error({ kind: 'string', type: 0x41, value: new Uint8Array(255) })).toBe(
      'gbz: cannot encode components[0].zcl.payload.records[0].value: 255 bytes do not fit a octstr (at most 254)',
    );
    expect(error({ kind: 'number', type: 0x05, value: 1 })).toBe(
      'gbz: cannot encode components[0].zcl.payload.records[0].value.type: unknown ZCL data type 5',
    );
  });
});
