// Decimal values of arbitrary precision for XSD 1.0 Part 2 §3.2.3 (decimal) and its integer subtypes: enough to
// compare against range facets and to count digits for totalDigits / fractionDigits. No floating point anywhere.

/** A decimal in canonical parts: integer digits without leading zeros, fraction digits without trailing zeros. */
export interface Decimal {
  negative: boolean;
  /** '' for a zero integer part. */
  int: string;
  /** '' for no fractional part. */
  frac: string;
}

const ZERO = 0x30;
const NINE = 0x39;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/**
 * Parses the decimal lexical form `[+-]? (digits ('.' digits?)? | '.' digits)`; with `integer`, no '.' at all and
 * with `unsigned`, no sign. Returns null when the text is not of that form. Zero is never negative.
 */
export function parseDecimal(s: string, integer: boolean, unsigned: boolean): Decimal | null {
  const n = s.length;
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 0x2b || first === 0x2d) {
    if (unsigned) return null;
    negative = first === 0x2d;
    i = 1;
  }
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && s.charCodeAt(i) === 0x2e) {
    if (integer) return null;
    fracStart = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (i !== n || (intEnd === intStart && fracEnd === fracStart)) return null;
  let a = intStart;
  while (a < intEnd && s.charCodeAt(a) === ZERO) a++;
  let b = fracEnd;
  while (b > fracStart && s.charCodeAt(b - 1) === ZERO) b--;
  const int = a === intEnd ? '' : s.slice(a, intEnd);
  const frac = b === fracStart ? '' : s.slice(fracStart, b);
  return { negative: negative && (int !== '' || frac !== ''), int, frac };
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  const n = Math.max(a.frac.length, b.frac.length);
  for (let i = 0; i < n; i++) {
    const x = i < a.frac.length ? a.frac.charCodeAt(i) : ZERO;
    const y = i < b.frac.length ? b.frac.charCodeAt(i) : ZERO;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const m = compareMagnitude(a, b);
  // Equal negatives give 0, not -0 (callers compare with ===, and -0 leaks into test equality).
  return a.negative && m !== 0 ? -m : m;
}

/**
 * Digits for totalDigits (XSD 1.0 Part 2 §4.3.11: value = i × 10^-n with |i| < 10^totalDigits and
 * n <= totalDigits): the significant integer digits plus every fraction digit up to the last non-zero one.
 */
export function totalDigitsOf(d: Decimal): number {
  return d.int.length + d.frac.length;
}

/** The canonical lexical form (XSD 1.0 Part 2 §3.2.3.2, without the mandatory ".0"): a key for enumerations. */
export function canonicalDecimal(d: Decimal): string {
  const body = (d.int === '' ? '0' : d.int) + (d.frac === '' ? '' : `.${d.frac}`);
  return d.negative ? `-${body}` : body;
}
