import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, fromHex, toHex } from '../../../../src/codec/bytes.js';
import {
  decodeDer,
  encodeDer,
  formatDer,
  MAX_DEPTH,
  type DerNode,
} from '../../../../src/codec/gbcs/asn1/der.js';

/** The DecodeError message decodeDer throws for the hex, or '' if it decodes. */
function decodeError(hex: string, options: Parameters<typeof decodeDer>[1] = {}): string {
  try {
    decodeDer(fromHex(hex), options);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
}

function roundTrip(hex: string, options: Parameters<typeof decodeDer>[1] = {}): DerNode {
  const node = decodeDer(fromHex(hex), options);
  expect(toHex(encodeDer(node))).toBe(hex);
  return node;
}

describe('DER TLV tree', () => {
  it('reads a constructed SEQUENCE as children and a primitive INTEGER as content octets', () => {
    expect(roundTrip('3006020101040100')).toEqual({
      cls: 'universal',
      tag: 16,
      children: [
        { cls: 'universal', tag: 2, bytes: fromHex('01') },
        { cls: 'universal', tag: 4, bytes: fromHex('00') },
      ],
    });
  });

  it('reads context, application and private classes with the constructed bit deciding children or bytes', () => {
    expect(roundTrip('A203810100')).toEqual({
      cls: 'context',
      tag: 2,
      children: [{ cls: 'context', tag: 1, bytes: fromHex('00') }],
    });
    expect(roundTrip('4100')).toEqual({ cls: 'application', tag: 1, bytes: new Uint8Array(0) });
    expect(roundTrip('E000')).toEqual({ cls: 'private', tag: 0, children: [] });
  });

  it('reads and writes high tag numbers in base-128 octets', () => {
    expect(roundTrip('9F1F0101')).toEqual({ cls: 'context', tag: 31, bytes: fromHex('01') });
    expect(roundTrip('BF814800')).toEqual({ cls: 'context', tag: 200, children: [] });
    expect(toHex(encodeDer({ cls: 'application', tag: 0x3fff, bytes: new Uint8Array(0) }))).toBe('5FFF7F00');
  });

  it('refuses a high tag number with a leading 0x80 octet', () => {
    expect(decodeError('9F801F0100')).toBe(
      'gbcs.asn1: $ at byte 0: tlv.decode(tag): tag number not minimally encoded (leading 0x80)',
    );
  });

  it('refuses the high-tag-number form for a number below 31', () => {
    expect(decodeError('9F1E00')).toBe(
      'gbcs.asn1: $ at byte 0: tlv.decode(tag): tag number 30 must use the one-octet form',
    );
  });

  it('writes long lengths in the fewest octets', () => {
    expect(roundTrip('0481C8' + '00'.repeat(200))).toMatchObject({ tag: 4, bytes: new Uint8Array(200) });
    expect(toHex(encodeDer({ cls: 'universal', tag: 4, bytes: new Uint8Array(300) })).slice(0, 8)).toBe(
      '0482012C',
    );
    expect(toHex(encodeDer({ cls: 'universal', tag: 4, bytes: new Uint8Array(0x10000) })).slice(0, 10)).toBe(
      '0483010000',
    );
  });

  it('refuses a non-minimal length', () => {
    expect(decodeError('0481050000000000')).toBe(
      'gbcs.asn1: $.length at byte 1: tlv.decode(length): not minimal (1 octet for 5)',
    );
    expect(decodeError('30820003020101')).toBe(
      'gbcs.asn1: $.length at byte 1: tlv.decode(length): not minimal (2 octets for 3)',
    );
  });

  it('keeps a non-minimal length, as GBCS devices write it, when asked to, and writes it back the same', () => {
    const node = roundTrip('30820003020101', { lengths: 'keep' });
    expect(node).toMatchObject({ lengthOctets: 2, children: [{ tag: 2 }] });
    expect(toHex(encodeDer({ cls: 'universal', tag: 4, bytes: fromHex('AB'), lengthOctets: 1 }))).toBe(
      '048101AB',
    );
  });

  it('refuses an indefinite length and a length of more than 4 octets', () => {
    expect(decodeError('30800000')).toBe(
      'gbcs.asn1: $.length at byte 1: tlv.decode(length): indefinite length (0x80) is not allowed in DER',
    );
    expect(decodeError('04850000000001')).toBe(
      'gbcs.asn1: $.length at byte 1: tlv.decode(length): 5 length octets (at most 4)',
    );
  });

  it('refuses a value shorter than its length', () => {
    expect(decodeError('04050102')).toBe('gbcs.asn1: $.value at byte 2: truncated: needs 5 bytes, 2 left');
    expect(decodeError('3005020101')).toBe('gbcs.asn1: $.value at byte 2: truncated: needs 5 bytes, 3 left');
    expect(decodeError('30')).toBe('gbcs.asn1: $.length at byte 1: truncated: needs 1 byte, 0 left');
  });

  it('refuses a truncated element inside a SEQUENCE, naming it by position', () => {
    expect(decodeError('30050201010403')).toBe(
      'gbcs.asn1: $.1.value at byte 7: truncated: needs 3 bytes, 0 left',
    );
  });

  it('refuses bytes after the value', () => {
    expect(decodeError('050000')).toBe('gbcs.asn1: $ at byte 2: 1 unexpected byte(s) left over: 00');
  });

  it('refuses a non-minimal INTEGER', () => {
    expect(decodeError('02020005')).toBe(
      "gbcs.asn1: $ at byte 2: integer.decode: not minimal two's complement (leading 0x00 0x05)",
    );
    expect(decodeError('0202FF80')).toBe(
      "gbcs.asn1: $ at byte 2: integer.decode: not minimal two's complement (leading 0xFF 0x80)",
    );
    expect(decodeError('0200')).toBe('gbcs.asn1: $ at byte 2: integer.decode: no content octets');
  });

  it('refuses encodings of universal types that DER forbids', () => {
    expect(decodeError('2403040100')).toBe(
      'gbcs.asn1: $ at byte 0: tlv.decode(tag): OCTET STRING must be primitive in DER',
    );
    expect(decodeError('1000')).toBe('gbcs.asn1: $ at byte 0: tlv.decode(tag): SEQUENCE must be constructed');
    expect(decodeError('010101')).toBe('gbcs.asn1: $ at byte 2: boolean.decode: DER TRUE is 0xFF, got 0x01');
    expect(decodeError('050100')).toBe(
      'gbcs.asn1: $ at byte 2: null.decode: expected no content octets, got 1',
    );
    expect(decodeError('030203FF')).toBe(
      'gbcs.asn1: $ at byte 2: bitString.decode: unused bits must be zero in DER',
    );
    expect(decodeError('0000')).toBe(
      'gbcs.asn1: $ at byte 0: tlv.decode(tag): universal tag 0 is reserved for end-of-contents, which DER never uses',
    );
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels instead of recursing without bound`, () => {
    let hex = '0500';
    for (let i = 0; i < MAX_DEPTH; i++) hex = `A0${(hex.length / 2).toString(16).padStart(2, '0')}${hex}`;
    expect(decodeError(hex)).toBe(
      `gbcs.asn1: ${'$' + '.0'.repeat(MAX_DEPTH)} at byte ${2 * MAX_DEPTH}: tlv.decode(nesting): deeper than ${MAX_DEPTH} levels`,
    );
  });

  it('refuses to write a tree DER cannot express', () => {
    const bad = (node: DerNode) => {
      try {
        encodeDer(node);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(EncodeError);
        return (e as Error).message;
      }
    };
    expect(bad({ cls: 'universal', tag: 2, bytes: fromHex('0001') })).toBe(
      "gbcs.asn1: cannot encode $: integer.decode: not minimal two's complement (leading 0x00 0x01)",
    );
    expect(bad({ cls: 'universal', tag: 4, children: [] })).toBe(
      'gbcs.asn1: cannot encode $: tlv.encode(tag): OCTET STRING must be primitive in DER',
    );
    expect(
      bad({
        cls: 'universal',
        tag: 16,
        children: [{ cls: 'context', tag: 0, bytes: new Uint8Array(300), lengthOctets: 1 }],
      }),
    ).toBe('gbcs.asn1: cannot encode $.0.length: tlv.encode(length): 300 does not fit in 1 length octet(s)');
  });

  it('prints a tree one TLV per line', () => {
    expect(formatDer(decodeDer(fromHex('30100203008F660406A1B2C3D4E5F6060100')))).toEqual([
      'SEQUENCE {',
      '  INTEGER 36710',
      "  OCTET STRING 'A1B2C3D4E5F6'H",
      '  OBJECT IDENTIFIER 0.0',
      '}',
    ]);
  });
});
