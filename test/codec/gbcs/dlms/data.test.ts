import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, Reader, fromHex } from '../../../../src/codec/bytes.js';
import { decodeDlmsData, formatDlmsData, type DlmsData } from '../../../../src/codec/gbcs/dlms/index.js';
import { dataFromHex, dataToHex, hex } from './support.js';

const bytes = (h: string) => fromHex(h);

// One hand-written encoding per A-XDR Data type (tag, then contents), with the value it stands for.
const EVERY_TYPE: [string, string, DlmsData][] = [
  ['null-data', '00', { type: 'null-data' }],
  [
    'array',
    '01 02 11 01 11 02',
    {
      type: 'array',
      value: [
        { type: 'unsigned', value: 1 },
        { type: 'unsigned', value: 2 },
      ],
    },
  ],
  [
    'structure',
    '02 02 0F FF 10 8000',
    {
      type: 'structure',
      value: [
        { type: 'integer', value: -1 },
        { type: 'long', value: -32768 },
      ],
    },
  ],
  ['boolean false', '03 00', { type: 'boolean', value: false }],
  ['boolean true (0xFF, as GBCS sends it)', '03 FF', { type: 'boolean', value: true }],
  ['bit-string of 10 bits', '04 0A B3C0', { type: 'bit-string', bitLength: 10, value: bytes('B3C0') }],
  ['empty bit-string', '04 00', { type: 'bit-string', bitLength: 0, value: bytes('') }],
  ['double-long', '05 FFFFFFFE', { type: 'double-long', value: -2 }],
  ['double-long-unsigned', '06 FFFFFFFF', { type: 'double-long-unsigned', value: 0xffffffff }],
  ['octet-string', '09 03 010203', { type: 'octet-string', value: bytes('010203') }],
  [
    'octet-string of 200 octets (long-form length)',
    `09 81C8 ${'AB'.repeat(200)}`,
    { type: 'octet-string', value: bytes('AB'.repeat(200)) },
  ],
  ['visible-string', '0A 03 414243', { type: 'visible-string', value: bytes('414243') }],
  ['utf8-string', '0C 02 C3A9', { type: 'utf8-string', value: bytes('C3A9') }],
  ['bcd', '0D 42', { type: 'bcd', value: 0x42 }],
  ['integer', '0F 80', { type: 'integer', value: -128 }],
  ['long', '10 FFFF', { type: 'long', value: -1 }],
  ['unsigned', '11 FF', { type: 'unsigned', value: 255 }],
  ['long-unsigned', '12 8F66', { type: 'long-unsigned', value: 0x8f66 }],
  ['long64', '14 8000000000000000', { type: 'long64', value: -(2n ** 63n) }],
  ['long64-unsigned', '15 FFFFFFFFFFFFFFFF', { type: 'long64-unsigned', value: 2n ** 64n - 1n }],
  ['enum', '16 02', { type: 'enum', value: 2 }],
  ['float32', '17 3FC00000', { type: 'float32', value: bytes('3FC00000') }],
  ['float64', '18 BFF0000000000000', { type: 'float64', value: bytes('BFF0000000000000') }],
  [
    'date-time',
    '19 07E8010F010A1E0000800000',
    { type: 'date-time', value: bytes('07E8010F010A1E0000800000') },
  ],
  ['date', '1A 07E8010F01', { type: 'date', value: bytes('07E8010F01') }],
  ['time', '1B 0A1E00FF', { type: 'time', value: bytes('0A1E00FF') }],
  ['dont-care', 'FF', { type: 'dont-care' }],
  [
    'compact-array of structure{unsigned, long-unsigned}',
    '13 02 02 11 12 06 010002 030004',
    {
      type: 'compact-array',
      contentsDescription: { type: 'structure', value: [{ type: 'unsigned' }, { type: 'long-unsigned' }] },
      value: [
        {
          type: 'structure',
          value: [
            { type: 'unsigned', value: 1 },
            { type: 'long-unsigned', value: 2 },
          ],
        },
        {
          type: 'structure',
          value: [
            { type: 'unsigned', value: 3 },
            { type: 'long-unsigned', value: 4 },
          ],
        },
      ],
    },
  ],
];

describe('DLMS A-XDR Data', () => {
  it.each(EVERY_TYPE)('decodes and re-encodes %s', (_name, spaced, value) => {
    expect(dataFromHex(hex(spaced))).toEqual(value);
    expect(dataToHex(value)).toBe(hex(spaced));
  });

  it('covers every Data type of the Green Book list', () => {
    const covered = new Set(EVERY_TYPE.map(([, , v]) => v.type));
    expect(covered.size).toBe(25);
  });

  it('reads a structure holding a nested array of structures', () => {
    const spaced = '02 02  09 02 ABCD  01 02  02 02 11 01 03 FF  02 02 11 02 03 00';
    const d = dataFromHex(hex(spaced));
    expect(d).toEqual({
      type: 'structure',
      value: [
        { type: 'octet-string', value: bytes('ABCD') },
        {
          type: 'array',
          value: [
            {
              type: 'structure',
              value: [
                { type: 'unsigned', value: 1 },
                { type: 'boolean', value: true },
              ],
            },
            {
              type: 'structure',
              value: [
                { type: 'unsigned', value: 2 },
                { type: 'boolean', value: false },
              ],
            },
          ],
        },
      ],
    });
    expect(dataToHex(d)).toBe(hex(spaced));
    expect(formatDlmsData(d)).toEqual([
      'structure (2)',
      '  [0] octet-string ABCD',
      '  [1] array (2)',
      '    [0] structure (2)',
      '      [0] unsigned 1',
      '      [1] boolean true',
      '    [1] structure (2)',
      '      [0] unsigned 2',
      '      [1] boolean false',
    ]);
  });

  it('keeps the raw octets of a NaN float, so its payload survives a round trip', () => {
    const d = dataFromHex('177FC00001');
    expect(d).toEqual({ type: 'float32', value: bytes('7FC00001') });
    expect(dataToHex(d)).toBe('177FC00001');
    expect(dataToHex(dataFromHex('18FFF8000000000123'))).toBe('18FFF8000000000123');
  });

  it('packs compact-array elements with variable-length members back to back, untagged', () => {
    // structure{double-long-unsigned, long-unsigned, octet-string}, two elements, the second with an empty octet-string
    const spaced = '13 02 03 06 12 09  10  00000001 8F66 02 AAAA  00000002 8F67 00';
    const d = dataFromHex(hex(spaced));
    expect(d.type === 'compact-array' && d.value).toEqual([
      {
        type: 'structure',
        value: [
          { type: 'double-long-unsigned', value: 1 },
          { type: 'long-unsigned', value: 0x8f66 },
          { type: 'octet-string', value: bytes('AAAA') },
        ],
      },
      {
        type: 'structure',
        value: [
          { type: 'double-long-unsigned', value: 2 },
          { type: 'long-unsigned', value: 0x8f67 },
          { type: 'octet-string', value: bytes('') },
        ],
      },
    ]);
    expect(dataToHex(d)).toBe(hex(spaced));
  });

  it('reads a compact-array whose element type is a fixed-size array', () => {
    const spaced = '13 01 0003 11  06 010203 040506';
    const d = dataFromHex(hex(spaced));
    expect(d).toEqual({
      type: 'compact-array',
      contentsDescription: { type: 'array', numberOfElements: 3, typeDescription: { type: 'unsigned' } },
      value: [
        { type: 'array', value: [1, 2, 3].map((value) => ({ type: 'unsigned', value })) },
        { type: 'array', value: [4, 5, 6].map((value) => ({ type: 'unsigned', value })) },
      ],
    });
    expect(formatDlmsData(d)[0]).toBe('compact-array (2) of array[3] of unsigned');
    expect(dataToHex(d)).toBe(hex(spaced));
  });
});

describe('DLMS A-XDR Data: refusals', () => {
  const refuse = (spaced: string) => () => dataFromHex(hex(spaced));

  it('names the unknown tag', () => {
    expect(refuse('07 00')).toThrow(new DecodeError('dlms', 0, 'data', 'unknown Data tag 0x07 (7)'));
    expect(refuse('02 02 11 01 1C')).toThrow('dlms: data.structure[1] at byte 4: unknown Data tag 0x1C (28)');
  });

  it('refuses a truncated octet-string, bit-string and fixed-size value with the octets needed and left', () => {
    expect(refuse('09 0C AABBCC')).toThrow(
      'dlms: data.octet-string at byte 2: truncated: needs 12 bytes, 3 left',
    );
    expect(refuse('04 11 FFFF')).toThrow('dlms: data.bit-string at byte 2: truncated: needs 3 bytes, 2 left');
    expect(refuse('19 07E8010F')).toThrow(
      'dlms: data.date-time at byte 1: truncated: needs 12 bytes, 4 left',
    );
    expect(refuse('12 8F')).toThrow('dlms: data.long-unsigned at byte 1: truncated: needs 2 bytes, 1 left');
  });

  it('refuses an array that announces more elements than follow', () => {
    expect(refuse('01 03 11 01 11 02')).toThrow(
      'dlms: data.array[2] at byte 6: truncated: needs 1 byte, 0 left',
    );
  });

  it('refuses a missing or non-minimal length', () => {
    expect(refuse('09')).toThrow('dlms: data.octet-string.length at byte 1: truncated: needs 1 byte, 0 left');
    expect(refuse('09 81 05 0102030405')).toThrow(
      'dlms: data.octet-string.length at byte 1: non-minimal length encoding (1 octets for 5)',
    );
    expect(refuse('01 80')).toThrow(
      'dlms: data.array.length at byte 1: indefinite length (0x80) is not allowed',
    );
  });

  it('refuses a boolean other than 0x00 or 0xFF, which could not re-encode to the same octet', () => {
    expect(refuse('03 01')).toThrow('dlms: data.boolean at byte 1: boolean must be 0x00 or 0xFF, got 0x01');
  });

  it('refuses nesting deeper than 48 levels instead of exhausting the stack', () => {
    expect(dataFromHex('0101'.repeat(47) + '00')).toBeDefined();
    expect(refuse('0101'.repeat(49) + '00')).toThrow(
      'dlms: data' + '.array[0]'.repeat(48) + '.array at byte 96: nesting deeper than 48 levels',
    );
  });

  it('refuses a compact-array whose type-description is unknown or describes elements of no size', () => {
    expect(refuse('13 13 00')).toThrow(
      'dlms: data.compact-array.contentsDescription at byte 1: unknown type-description tag 0x13 (19)',
    );
    expect(refuse('13 00 00')).toThrow(
      'dlms: data.compact-array.contentsDescription at byte 1: elements of this type take no octets, so their number cannot be told from array-contents',
    );
    expect(refuse('13 02 02 11 01 FFFF 00 01')).toThrow(
      'dlms: data.compact-array.contentsDescription at byte 1: elements of this type take no octets',
    );
  });

  it('refuses compact-array contents that do not end on an element boundary', () => {
    expect(refuse('13 12 03 0001 02')).toThrow(
      'dlms: data.compact-array[1].long-unsigned at byte 5: truncated: needs 2 bytes, 1 left',
    );
    expect(refuse('13 12 04 0001')).toThrow(
      'dlms: data.compact-array.arrayContents at byte 3: truncated: needs 4 bytes, 2 left',
    );
  });

  it('only ever throws DecodeError, with the absolute offset of the reader base', () => {
    const r = new Reader(fromHex('090CAABBCC'), 'gbcs.payload', 100);
    expect(() => decodeDlmsData(r)).toThrow(
      'dlms: data.octet-string at byte 102: truncated: needs 12 bytes, 3 left',
    );
  });
});

describe('DLMS A-XDR Data: encoding refusals', () => {
  it('refuses values out of range for their type, naming the field', () => {
    expect(() => dataToHex({ type: 'long-unsigned', value: 70000 })).toThrow(
      new EncodeError('dlms', 'data.long-unsigned', '70000 is not an unsigned 16-bit integer'),
    );
    expect(() => dataToHex({ type: 'structure', value: [{ type: 'integer', value: 128 }] })).toThrow(
      'dlms: cannot encode data.structure[0].integer: 128 is not a signed 8-bit integer',
    );
  });

  it('refuses octets of the wrong length for fixed-size types and bit-strings', () => {
    expect(() => dataToHex({ type: 'date-time', value: new Uint8Array(11) })).toThrow(
      'dlms: cannot encode data.date-time: expected 12 bytes, got 11',
    );
    expect(() => dataToHex({ type: 'bit-string', bitLength: 9, value: new Uint8Array(1) })).toThrow(
      'dlms: cannot encode data.bit-string: 9 bits need 2 octets, got 1',
    );
  });

  it('refuses an unknown type and compact-array elements that do not match the description', () => {
    expect(() => dataToHex({ type: 'float128' } as unknown as DlmsData)).toThrow(
      'dlms: cannot encode data: unknown Data type float128',
    );
    const described = { type: 'compact-array', contentsDescription: { type: 'unsigned' } } as const;
    expect(() =>
      dataToHex({
        ...described,
        value: [
          { type: 'unsigned', value: 1 },
          { type: 'long-unsigned', value: 1 },
        ],
      }),
    ).toThrow(
      'dlms: cannot encode data.compact-array[1]: contents-description says unsigned, got long-unsigned',
    );
    expect(() =>
      dataToHex({
        type: 'compact-array',
        contentsDescription: { type: 'array', numberOfElements: 2, typeDescription: { type: 'unsigned' } },
        value: [{ type: 'array', value: [{ type: 'unsigned', value: 1 }] }],
      }),
    ).toThrow('dlms: cannot encode data.compact-array[0].array: contents-description says 2 elements, got 1');
  });
});
