// XSD 1.0 simple types (Part 2): lexical spaces of the built-ins DUIS uses, whitespace normalisation, and the
// facets — checked value by value, with the rule each refusal names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal, parseDecimal } from '../../../../src/codec/duis/schema/decimal.js';
import {
  FacetError,
  builtinSimpleType,
  checkSimpleValue,
  restrictSimpleType,
  type FacetSpec,
  type SimpleType,
} from '../../../../src/codec/duis/schema/simple-types.js';

function xs(name: string): SimpleType {
  const t = builtinSimpleType(name);
  if (t === undefined) throw new Error(`no xs:${name}`);
  return t;
}

function restrict(base: string | SimpleType, ...facets: [string, string][]): SimpleType {
  const specs: FacetSpec[] = facets.map(([name, value]) => ({ name, value }));
  return restrictSimpleType(typeof base === 'string' ? xs(base) : base, specs, {
    displayName: 't:test',
    namespace: 'urn:t',
    localName: 'test',
  });
}

/** The rule broken, or 'ok'. */
function verdict(t: SimpleType, value: string): string {
  return checkSimpleValue(t, value)?.rule ?? 'ok';
}

describe('integers and decimals (§3.2.3, §3.3.13–25)', () => {
  it('keeps each built-in integer type inside its range', () => {
    expect(verdict(xs('int'), '2147483647')).toBe('ok');
    expect(verdict(xs('int'), '2147483648')).toBe('type xs:int');
    expect(verdict(xs('short'), '-32769')).toBe('type xs:short');
    expect(verdict(xs('unsignedLong'), '18446744073709551615')).toBe('ok');
    expect(verdict(xs('unsignedLong'), '18446744073709551616')).toBe('type xs:unsignedLong');
    expect(verdict(xs('positiveInteger'), '0')).toBe('type xs:positiveInteger');
  });

  it('allows a sign on the signed types only, and -0 wherever zero is allowed', () => {
    expect(verdict(xs('int'), '+7')).toBe('ok');
    expect(verdict(xs('unsignedInt'), '+7')).toBe('type xs:unsignedInt');
    expect(verdict(xs('unsignedInt'), '-0')).toBe('type xs:unsignedInt');
    expect(verdict(xs('nonNegativeInteger'), '-0')).toBe('ok');
    expect(verdict(xs('positiveInteger'), '+1')).toBe('ok');
  });

  it('accepts integers of any length (no 24-digit limit, unlike libxml2)', () => {
    expect(verdict(xs('integer'), '117636141832862931915946451229571981153')).toBe('ok');
  });

  it('collapses whitespace around every non-string type (XSD 1.0 §4.3.6: whiteSpace is fixed to collapse)', () => {
    expect(verdict(xs('int'), ' 7 ')).toBe('ok');
    expect(verdict(xs('dateTime'), '\n  2022-07-22T09:37:56.134Z\n')).toBe('ok');
    expect(verdict(xs('int'), '7 7')).toBe('type xs:int');
  });

  it('counts totalDigits and fractionDigits in the value space: trailing zeros do not count', () => {
    const money = restrict('decimal', ['totalDigits', '4'], ['fractionDigits', '2']);
    expect(verdict(money, '100.00')).toBe('ok');
    expect(verdict(money, '0001.5000')).toBe('ok');
    expect(verdict(money, '123.45')).toBe('totalDigits 4');
    expect(verdict(money, '1.001')).toBe('fractionDigits 2');
    // §4.3.11: i × 10^-n with n <= totalDigits, so 0.0001 needs four digits.
    expect(verdict(restrict('decimal', ['totalDigits', '3']), '0.0001')).toBe('totalDigits 3');
  });

  it('checks range facets exactly, inclusive and exclusive', () => {
    const t = restrict('decimal', ['minExclusive', '-1.5'], ['maxInclusive', '281474976710655']);
    expect(verdict(t, '-1.5')).toBe('minExclusive -1.5');
    expect(verdict(t, '-1.49999999999999999999')).toBe('ok');
    expect(verdict(t, '281474976710655')).toBe('ok');
    expect(verdict(t, '281474976710655.0000001')).toBe('maxInclusive 281474976710655');
  });

  it('compares decimals as BigInt does (equal negatives compare 0, not -0)', () => {
    expect(
      Object.is(compareDecimal(parseDecimal('-70', true, false)!, parseDecimal('-70', true, false)!), 0),
    ).toBe(true);
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), (a, b) => {
        const x = parseDecimal(a.toString(), true, false)!;
        const y = parseDecimal(b.toString(), true, false)!;
        expect(compareDecimal(x, y)).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('compares enumerations of numbers by value', () => {
    const cv = restrict('positiveInteger', ['enumeration', '1'], ['enumeration', '8']);
    expect(verdict(cv, '08')).toBe('ok');
    expect(verdict(cv, '+8')).toBe('ok');
    expect(verdict(cv, '9')).toBe('enumeration');
  });
});

describe('dates and times (§3.2.7–9)', () => {
  it('knows month lengths and Gregorian leap years', () => {
    expect(verdict(xs('dateTime'), '2020-02-29T00:00:00Z')).toBe('ok');
    expect(verdict(xs('dateTime'), '2000-02-29T00:00:00Z')).toBe('ok');
    expect(verdict(xs('dateTime'), '1900-02-29T00:00:00Z')).toBe('type xs:dateTime');
    expect(verdict(xs('date'), '2021-04-31')).toBe('type xs:date');
  });

  it('allows 24:00:00 as the end of a day and nothing later', () => {
    expect(verdict(xs('dateTime'), '2020-01-01T24:00:00')).toBe('ok');
    expect(verdict(xs('time'), '24:00:00.000')).toBe('ok');
    expect(verdict(xs('time'), '24:00:01')).toBe('type xs:time');
    expect(verdict(xs('time'), '23:59:60')).toBe('type xs:time');
  });

  it('bounds timezones at ±14:00 and refuses year 0000', () => {
    expect(verdict(xs('dateTime'), '2020-01-01T00:00:00+14:00')).toBe('ok');
    expect(verdict(xs('dateTime'), '2020-01-01T00:00:00+14:01')).toBe('type xs:dateTime');
    expect(verdict(xs('dateTime'), '0000-01-01T00:00:00')).toBe('type xs:dateTime');
    expect(verdict(xs('dateTime'), '-0001-01-01T00:00:00')).toBe('ok');
    expect(verdict(xs('dateTime'), '02020-01-01T00:00:00')).toBe('type xs:dateTime');
  });
});

describe('binary, boolean, URI and string types', () => {
  it('reads base64Binary by the XSD grammar: padding bits zero, whitespace anywhere, no stray characters', () => {
    expect(verdict(xs('base64Binary'), 'AA==')).toBe('ok');
    expect(verdict(xs('base64Binary'), 'AB==')).toBe('type xs:base64Binary');
    expect(verdict(xs('base64Binary'), 'c/FhdYZfTY4U\r\nxVi72EWN4A==')).toBe('ok');
    expect(verdict(xs('base64Binary'), 'AA= =')).toBe('ok');
    expect(verdict(xs('base64Binary'), '2021-06-01')).toBe('type xs:base64Binary');
  });

  it('measures binary lengths in octets', () => {
    expect(verdict(restrict('hexBinary', ['length', '2']), '0A0b')).toBe('ok');
    expect(verdict(restrict('hexBinary', ['length', '2']), '0A0b0C')).toBe('length 2');
    expect(verdict(restrict('base64Binary', ['maxLength', '2']), 'AAA=')).toBe('ok');
    expect(verdict(restrict('base64Binary', ['maxLength', '2']), 'AAAA')).toBe('maxLength 2');
  });

  it('measures string lengths in characters, not UTF-16 code units', () => {
    const two = restrict('string', ['maxLength', '2']);
    expect(verdict(two, '\u{1F600}\u{1F600}')).toBe('ok');
    expect(verdict(two, '\u{1F600}\u{1F600}\u{1F600}')).toBe('maxLength 2');
  });

  it('keeps string whitespace for patterns and enumerations, and collapses token whitespace', () => {
    const printable = restrict('string', ['pattern', '[ -~]+']);
    expect(verdict(printable, 'abc\t')).toBe('pattern [ -~]+');
    expect(verdict(restrict('string', ['enumeration', 'A B']), ' A B')).toBe('enumeration');
    expect(verdict(restrict('token', ['enumeration', 'A B']), ' A   B ')).toBe('ok');
  });

  it('ANDs patterns across derivation steps and ORs them within one', () => {
    const digits = restrict('string', ['pattern', '[0-9]+'], ['pattern', 'x']);
    expect(verdict(digits, 'x')).toBe('ok');
    const four = restrict(digits, ['pattern', '....']);
    expect(verdict(four, '1234')).toBe('ok');
    expect(verdict(four, 'x')).toBe('pattern ....');
  });

  it('accepts 1, 0, true and false as booleans', () => {
    for (const v of ['true', 'false', '1', '0', ' true ']) expect(verdict(xs('boolean'), v)).toBe('ok');
    expect(verdict(xs('boolean'), 'TRUE')).toBe('type xs:boolean');
  });

  it('takes anyURI as a URI reference once XLink-escaped characters are escaped', () => {
    expect(verdict(xs('anyURI'), 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256')).toBe('ok');
    expect(verdict(xs('anyURI'), 'a b')).toBe('ok');
    expect(verdict(xs('anyURI'), '')).toBe('ok');
    expect(verdict(xs('anyURI'), '%zz')).toBe('type xs:anyURI');
    expect(verdict(xs('anyURI'), 'a#b#c')).toBe('type xs:anyURI');
    expect(verdict(xs('anyURI'), 'http://x:abc/')).toBe('type xs:anyURI');
  });

  it('takes xs:ID values as NCNames', () => {
    expect(verdict(xs('ID'), ' sig-1 ')).toBe('ok');
    expect(verdict(xs('ID'), '1sig')).toBe('type xs:ID');
  });
});

describe('facets that do not fit their base type are refused when the schema is compiled', () => {
  it('names the facet and the base', () => {
    expect(() => restrict('string', ['minInclusive', '1'])).toThrow(
      new FacetError('minInclusive on xs:string is not supported (decimal types only)'),
    );
    expect(() => restrict('decimal', ['length', '3'])).toThrow(
      new FacetError('length does not apply to xs:decimal'),
    );
    expect(() => restrict('int', ['enumeration', 'x'])).toThrow(
      new FacetError('enumeration "x" is not a value of xs:int'),
    );
    expect(() => restrict('string', ['assertion', 'x'])).toThrow(
      new FacetError('facet xs:assertion is not supported'),
    );
    expect(() => restrict('token', ['whiteSpace', 'preserve'])).toThrow(/cannot restrict collapse/);
    expect(() => restrict('boolean', ['enumeration', 'true'])).toThrow(
      /enumeration on xs:boolean is not supported/,
    );
  });
});
