import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, fromHex, toHex } from '../../../../src/codec/bytes.js';
import {
  bitString,
  boolean,
  choice,
  enumerated,
  explicit,
  generalizedTime,
  implicit,
  integer,
  namedBits,
  nullValue,
  objectIdentifier,
  octetString,
  optional,
  sequence,
  sequenceOf,
  smallInteger,
  utcTime,
  type Coder,
} from '../../../../src/codec/gbcs/asn1/coder.js';
import { decodeDer, encodeDer } from '../../../../src/codec/gbcs/asn1/der.js';

function read<T>(coder: Coder<T>, hex: string): T {
  return coder.read(decodeDer(fromHex(hex)), 'v');
}

function write<T>(coder: Coder<T>, value: T): string {
  return toHex(encodeDer(coder.build(value, 'v')));
}

function readError(coder: Coder<unknown>, hex: string): string {
  try {
    read(coder, hex);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
}

function writeError<T>(coder: Coder<T>, value: T): string {
  try {
    write(coder, value);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(EncodeError);
    return (e as Error).message;
  }
}

describe('typed DER readers and builders', () => {
  it('reads INTEGER as a bigint in minimal two’s complement, both ways', () => {
    const cases: [string, bigint][] = [
      ['020100', 0n],
      ['02017F', 127n],
      ['02020080', 128n],
      ['0203008F66', 0x8f66n],
      ['0201FF', -1n],
      ['020180', -128n],
      ['0202FF7F', -129n],
      ['0209010000000000000000', 2n ** 64n],
    ];
    for (const [hex, value] of cases) {
      expect(read(integer(), hex)).toBe(value);
      expect(write(integer(), value)).toBe(hex);
    }
  });

  it('bounds INTEGERs that must fit a number or a 64-bit counter', () => {
    expect(read(smallInteger(0, 0xffff), '0203008F66')).toBe(0x8f66);
    expect(readError(smallInteger(0, 255), '02020100')).toBe(
      'gbcs.asn1: v at byte 2: integer.decode: 256 is outside (0..255)',
    );
    expect(readError(integer(0n, 2n ** 64n - 1n), '0209010000000000000000')).toBe(
      'gbcs.asn1: v at byte 2: integer.decode: 18446744073709551616 is outside (0..18446744073709551615)',
    );
    expect(writeError(smallInteger(0, 255), -1)).toBe('gbcs.asn1: cannot encode v: -1 is outside (0..255)');
    expect(writeError(smallInteger(0, 255), 1.5)).toBe(
      'gbcs.asn1: cannot encode v: INTEGER value must be an integer, got 1.5',
    );
  });

  it('tells INTEGER and ENUMERATED apart', () => {
    expect(read(enumerated(0, 255), '0A0119')).toBe(25);
    expect(write(enumerated(0, 255), 127)).toBe('0A017F');
    expect(readError(enumerated(0, 255), '020119')).toBe(
      'gbcs.asn1: v at byte 0: expected ENUMERATED, got INTEGER',
    );
  });

  it('reads BOOLEAN and NULL', () => {
    expect(read(boolean, '0101FF')).toBe(true);
    expect(write(boolean, false)).toBe('010100');
    expect(read(nullValue, '0500')).toBeNull();
    expect(write(nullValue, null)).toBe('0500');
  });

  it('reads OCTET STRING, checking a fixed size', () => {
    expect(toHex(read(octetString(), '0403010203'))).toBe('010203');
    expect(readError(octetString(8), '0403010203')).toBe(
      'gbcs.asn1: v at byte 2: octetString.decode: expected 8 octets, got 3',
    );
    expect(writeError(octetString(8), fromHex('01'))).toBe(
      'gbcs.asn1: cannot encode v: expected 8 octets, got 1',
    );
  });

  it('reads BIT STRING with its unused bits, and named bits as the set names', () => {
    expect(read(bitString, '03020780')).toEqual({ unusedBits: 7, bytes: fromHex('80') });
    const keyUsage = namedBits([
      'digitalSignature',
      'nonRepudiation',
      'keyEncipherment',
      'dataEncipherment',
      'keyAgreement',
      'keyCertSign',
    ]);
    expect(read(keyUsage, '03020780')).toEqual(['digitalSignature']);
    expect(read(keyUsage, '03020308')).toEqual(['keyAgreement']);
    expect(write(keyUsage, ['keyCertSign'])).toBe('03020204');
    expect(write(keyUsage, ['keyAgreement', 'digitalSignature'])).toBe('03020388');
    expect(write(keyUsage, [])).toBe('030100');
  });

  it('refuses a named bit list that keeps trailing zero bits, since DER drops them', () => {
    const keyUsage = namedBits(['digitalSignature', 'nonRepudiation']);
    expect(readError(keyUsage, '03020680')).toBe(
      'gbcs.asn1: v at byte 2: namedBits.decode: DER drops trailing zero bits of a named bit list',
    );
    expect(readError(keyUsage, '03020520')).toBe(
      'gbcs.asn1: v at byte 2: namedBits.decode: bit 2 has no name in BIT STRING { digitalSignature, nonRepudiation }',
    );
  });

  it('reads OBJECT IDENTIFIER in dotted form', () => {
    expect(read(objectIdentifier, '06082A8648CE3D030107')).toBe('1.2.840.10045.3.1.7');
    expect(write(objectIdentifier, '1.2.840.10045.4.3.2')).toBe('06082A8648CE3D040302');
    expect(write(objectIdentifier, '2.999.1')).toBe('0603883701');
    expect(readError(objectIdentifier, '0603808101')).toBe(
      'gbcs.asn1: $ at byte 2: oid.decode: subidentifier not minimally encoded (leading 0x80)',
    );
  });

  it('reads GeneralizedTime and UTCTime as their DER strings', () => {
    expect(read(generalizedTime, '180F39393939313233313233353935395A')).toBe('99991231235959Z');
    expect(write(generalizedTime, '20300115090000Z')).toBe('180F32303330303131353039303030305A');
    expect(read(utcTime, '170D3136303131303030303030305A')).toBe('160110000000Z');
    expect(readError(generalizedTime, '180E3230333030313135303930303030')).toBe(
      'gbcs.asn1: v at byte 2: GeneralizedTime.decode: "20300115090000" is not a DER GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z)',
    );
    expect(writeError(generalizedTime, '20300115090000+0100')).toBe(
      'gbcs.asn1: cannot encode v: GeneralizedTime.decode: "20300115090000+0100" is not a DER GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z)',
    );
    expect(writeError(generalizedTime, '20301315090000Z')).toBe(
      'gbcs.asn1: cannot encode v: GeneralizedTime.decode: "20301315090000Z" has a field out of range',
    );
  });

  it('reads a SEQUENCE element by element, skipping absent OPTIONAL ones by tag', () => {
    const s = sequence({ a: smallInteger(0, 255), b: optional(octetString()), c: optional(nullValue) });
    expect(read(s, '3003020101')).toEqual({ a: 1 });
    expect(read(s, '30050201010500')).toEqual({ a: 1, c: null });
    expect(write(s, { a: 1, b: fromHex('AA') })).toBe('30060201010401AA');
  });

  it('names the missing, unexpected or mistyped SEQUENCE element with its offset', () => {
    const s = sequence({ a: smallInteger(0, 255), b: octetString() });
    expect(readError(s, '3003020101')).toBe(
      'gbcs.asn1: v.b at byte 0: sequence.decode: missing b (OCTET STRING) after 1 element(s)',
    );
    expect(readError(s, '30080201010401AA0500')).toBe(
      'gbcs.asn1: v at byte 8: sequence.decode: unexpected NULL after the last element',
    );
    expect(readError(s, '30050201010500')).toBe('gbcs.asn1: v.b at byte 5: expected OCTET STRING, got NULL');
    expect(writeError(s, { a: 1 } as never)).toBe('gbcs.asn1: cannot encode v.b: missing (OCTET STRING)');
    expect(writeError(s, { a: 1, b: fromHex('AA'), z: 2 } as never)).toBe(
      'gbcs.asn1: cannot encode v.z: not a field here (expected a, b)',
    );
  });

  it('reads SEQUENCE OF as an array', () => {
    expect(read(sequenceOf(smallInteger(0, 255)), '3006020104020103')).toEqual([4, 3]);
    expect(write(sequenceOf(smallInteger(0, 255)), [])).toBe('3000');
  });

  it('reads IMPLICIT context tags with the content rules of the underlying type', () => {
    const counter = implicit(3, integer());
    expect(read(counter, '830203EA')).toBe(1002n);
    expect(write(counter, 1002n)).toBe('830203EA');
    expect(readError(counter, '83020001')).toBe(
      "gbcs.asn1: v at byte 2: integer.decode: not minimal two's complement (leading 0x00 0x01)",
    );
    expect(readError(counter, '0201FF')).toBe('gbcs.asn1: v at byte 0: expected [3] INTEGER, got INTEGER');
    expect(read(implicit(2, sequence({ r: smallInteger(0, 255) })), 'A203020102')).toEqual({ r: 2 });
  });

  it('reads EXPLICIT context tags as a wrapper around one element', () => {
    const wrapped = explicit(0, smallInteger(0, 255));
    expect(read(wrapped, 'A003020105')).toBe(5);
    expect(write(wrapped, 5)).toBe('A003020105');
    expect(readError(wrapped, 'A000')).toBe(
      'gbcs.asn1: v at byte 0: [0] EXPLICIT INTEGER must hold exactly one element, got 0',
    );
  });

  it('reads a CHOICE as the one alternative whose tag matches', () => {
    const c = choice({ commandAccepted: nullValue, responseCode: smallInteger(0, 255) });
    expect(read(c, '0500')).toEqual({ commandAccepted: null });
    expect(read(c, '020103')).toEqual({ responseCode: 3 });
    expect(readError(c, '0400')).toBe('gbcs.asn1: v at byte 0: expected NULL or INTEGER, got OCTET STRING');
    expect(writeError(c, { commandAccepted: null, responseCode: 3 } as never)).toBe(
      'gbcs.asn1: cannot encode v: a CHOICE needs exactly one of commandAccepted, responseCode, got 2',
    );
  });
});
