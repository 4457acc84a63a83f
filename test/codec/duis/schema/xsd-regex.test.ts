// XSD regular expressions (XML Schema 1.0 Part 2, Appendix F) as JavaScript RegExps: whole-value matching, the
// XSD meaning of '.', '^', '$', \d \s \w and categories, character-class subtraction, and loud refusals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XsdRegexError, compileXsdPattern } from '../../../../src/codec/duis/schema/xsd-regex.js';
import { HAVE_VECTORS } from '../../../vectors.js';
import { duisPattern } from './support.js';

function matches(pattern: string, value: string): boolean {
  return compileXsdPattern(pattern).test(value);
}

const IDS = '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:';

describe('XSD patterns as JS RegExps', () => {
  it('matches the whole value, as a pattern facet does (F: "implicitly anchored")', () => {
    expect(matches('[0-9]{4}', '2024')).toBe(true);
    expect(matches('[0-9]{4}', '20245')).toBe(false);
    expect(matches('a|b', 'ab')).toBe(false);
  });

  it('treats ^ and $ as ordinary characters', () => {
    expect(matches('a^b$', 'a^b$')).toBe(true);
    expect(matches('^a', 'a')).toBe(false);
  });

  it('lets . match anything but line feed and carriage return', () => {
    expect(matches('a.c', 'a\u{1F600}c')).toBe(true);
    expect(matches('a.c', 'a\nc')).toBe(false);
    expect(matches('a.c', 'a\rc')).toBe(false);
  });

  it('gives \\s, \\d and \\w their XSD meanings', () => {
    expect(matches('\\s', '\u00a0')).toBe(false); // only space, tab, LF, CR
    expect(matches('\\d', '\u0663')).toBe(true); // ARABIC-INDIC DIGIT THREE is Nd
    expect(matches('\\w', '_')).toBe(false); // _ is punctuation (Pc)
    expect(matches('\\w', 'é')).toBe(true);
    expect(matches('[\\w-[a-z]]+', 'ABC')).toBe(true);
    expect(matches('[^\\w]', '.')).toBe(true);
  });

  it('supports Unicode category escapes and their complements', () => {
    expect(matches('\\p{Lu}+', 'ABC')).toBe(true);
    expect(matches('\\P{L}', 'a')).toBe(false);
    expect(matches('[\\p{N}\\p{Zs}]+', '1 2')).toBe(true);
  });

  it('subtracts one character class from another', () => {
    expect(matches('[a-z-[aeiou]]+', 'bcd')).toBe(true);
    expect(matches('[a-z-[aeiou]]+', 'bad')).toBe(false);
    expect(matches('[^0-9-[x]]', 'x')).toBe(false);
    expect(matches('[^0-9-[x]]', 'y')).toBe(true);
  });

  it("reads '-' literally at either end of a class, and ranges between escapes", () => {
    expect(matches('[-a]+', '-a-')).toBe(true);
    expect(matches('[a-]+', '-a')).toBe(true);
    expect(matches('[ -~]+', 'hello world~')).toBe(true);
    expect(matches('[\\--/]+', '-./')).toBe(true);
  });

  it('agrees with a direct check of printable ASCII for the DUIS pattern [ -~]+', () => {
    const printable = compileXsdPattern('[ -~]+');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (s) => {
        const expected = s.length > 0 && [...s].every((c) => c >= ' ' && c <= '~');
        expect(printable.test(s)).toBe(expected);
      }),
    );
  });

  it('refuses what XSD patterns cannot say, or what JS cannot express, naming the place', () => {
    expect(() => compileXsdPattern('\\i\\c*')).toThrow(
      new XsdRegexError('\\i\\c*', 2, '\\i (XML name characters) is not supported'),
    );
    expect(() => compileXsdPattern('\\p{IsBasicLatin}')).toThrow(
      /block escape \\p\{IsBasicLatin\} is not supported/,
    );
    expect(() => compileXsdPattern('a{2')).toThrow(/unterminated quantifier/);
    expect(() => compileXsdPattern('a{3,2}')).toThrow(/max < min/);
    expect(() => compileXsdPattern('}')).toThrow(/must be escaped/);
    expect(() => compileXsdPattern('\\1')).toThrow(/unknown escape \\1/);
    expect(() => compileXsdPattern('[z-a]')).toThrow(/range out of order/);
    expect(() => compileXsdPattern('[a-[b]x]')).toThrow(/a subtraction must end the character class/);
    expect(() => compileXsdPattern('(a')).toThrow(/unclosed group/);
    expect(() => compileXsdPattern('\\p{Xx}')).toThrow(/unknown category/);
  });
});

describe.skipIf(!HAVE_VECTORS)('the DUIS RequestIDType pattern (read from the XSD in place)', () => {
  it('accepts the originator counter up to 2^64 - 1 and no further, without leading zeros', () => {
    const requestId = compileXsdPattern(duisPattern('RequestIDType'));
    expect(requestId.test(`${IDS}18446744073709551615`)).toBe(true);
    expect(requestId.test(`${IDS}18446744073709551616`)).toBe(false);
    expect(requestId.test(`${IDS}01`)).toBe(false);
  });

  it('agrees with BigInt on every counter it is asked about', () => {
    const requestId = compileXsdPattern(duisPattern('RequestIDType'));
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 66n }), (n) => {
        expect(requestId.test(`${IDS}${n}`)).toBe(n < 2n ** 64n);
      }),
    );
  });
});
