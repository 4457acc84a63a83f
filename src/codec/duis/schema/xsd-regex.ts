// XML Schema 1.0 Part 2, Appendix F (Regular Expressions) translated to an anchored JavaScript RegExp with the
// `u` flag. XSD patterns match the whole value, `^` and `$` are ordinary characters, `.` excludes only CR and LF,
// and character classes may be subtracted (`[a-z-[aeiou]]`); each construct gets its JS equivalent below.
// \i, \c and block escapes (\p{IsBasicLatin}) have no JS counterpart and DUIS does not use them: refused.

/** A pattern the translator refuses, with the offending position. */
export class XsdRegexError extends Error {
  override readonly name = 'XsdRegexError';
  constructor(
    readonly pattern: string,
    readonly index: number,
    readonly reason: string,
  ) {
    super(`xsd pattern ${JSON.stringify(pattern)} at ${index}: ${reason}`);
  }
}

/** XSD 1.0 F.1.1 general categories; JS knows all of them as General_Category values. */
const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo',
  'M', 'Mn', 'Mc', 'Me',
  'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po',
  'Z', 'Zs', 'Zl', 'Zp',
  'S', 'Sm', 'Sc', 'Sk', 'So',
  'C', 'Cc', 'Cf', 'Co', 'Cn',
]); // prettier-ignore

/** Characters written as \x in XSD (SingleCharEsc) and what they stand for. */
const SINGLE_ESCAPES: Record<string, number> = {
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  '\\': 0x5c,
  '|': 0x7c,
  '.': 0x2e,
  '?': 0x3f,
  '*': 0x2a,
  '+': 0x2b,
  '(': 0x28,
  ')': 0x29,
  '{': 0x7b,
  '}': 0x7d,
  '-': 0x2d,
  '[': 0x5b,
  ']': 0x5d,
  '^': 0x5e,
};

/**
 * One character class in JS terms: `atoms` go inside `[…]` (ranges, \p{…}); `extra` are whole JS expressions
 * each matching one code point (for \w, negated groups and subtractions), OR-ed with the atoms.
 */
interface ClassParts {
  atoms: string;
  extra: string[];
}

const DOT = '[^\\n\\r]';
const ANY_CHAR = '[\\s\\S]';

function codePoint(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function classToJs(c: ClassParts): string {
  const parts = c.extra.slice();
  if (c.atoms !== '') parts.unshift(`[${c.atoms}]`);
  if (parts.length === 0) return '[]'; // matches nothing, as an empty XSD class would
  return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
}

function negate(c: ClassParts): string {
  if (c.extra.length === 0) return c.atoms === '' ? ANY_CHAR : `[^${c.atoms}]`;
  return `(?:(?!${classToJs(c)})${ANY_CHAR})`;
}

class Translator {
  private i = 0;
  constructor(private readonly src: string) {}

  private fail(reason: string): never {
    throw new XsdRegexError(this.src, this.i, reason);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  translate(): string {
    const out = this.regExp();
    if (this.i < this.src.length) this.fail(`unexpected ${JSON.stringify(this.peek())}`);
    return out;
  }

  private regExp(): string {
    const branches = [this.branch()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.branch());
    }
    return branches.join('|');
  }

  private branch(): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return out;
      out += this.piece();
    }
  }

  private piece(): string {
    const atom = this.atom();
    const c = this.peek();
    if (c === '?' || c === '*' || c === '+') {
      this.i++;
      return atom + c;
    }
    if (c === '{') return atom + this.quantity();
    return atom;
  }

  /** {n}, {n,} or {n,m} (F.1 quantity); m >= n. */
  private quantity(): string {
    const start = this.i;
    const close = this.src.indexOf('}', start);
    if (close < 0) this.fail('unterminated quantifier');
    const body = this.src.slice(start + 1, close);
    const m = /^(\d+)(,(\d*))?$/.exec(body);
    if (m === null) this.fail(`malformed quantifier {${body}}`);
    if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1]))
      this.fail(`quantifier {${body}} has max < min`);
    this.i = close + 1;
    return `{${body}}`;
  }

  private atom(): string {
    const c = this.peek()!;
    switch (c) {
      case '(': {
        this.i++;
        const inner = this.regExp();
        if (this.peek() !== ')') this.fail('unclosed group');
        this.i++;
        return `(?:${inner})`;
      }
      case '[':
        return classToJs(this.classExpr());
      case '.':
        this.i++;
        return DOT;
      case '\\':
        return this.escapeOutsideClass();
      case '?':
      case '*':
      case '+':
      case '{':
      case '}':
      case ']':
        return this.fail(`${JSON.stringify(c)} must be escaped`);
      default: {
        const cp = this.src.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        return codePoint(cp);
      }
    }
  }

  private escapeOutsideClass(): string {
    const esc = this.classEscape();
    return typeof esc === 'number' ? codePoint(esc) : classToJs(esc);
  }

  /** After a backslash: a single character (code point) or a class (multi-char, category or complement). */
  private classEscape(): number | ClassParts {
    this.i++; // backslash
    const c = this.peek();
    if (c === undefined) this.fail('trailing backslash');
    this.i++;
    const single = SINGLE_ESCAPES[c];
    if (single !== undefined) return single;
    switch (c) {
      case 's':
        return { atoms: ' \\t\\n\\r', extra: [] };
      case 'S':
        return { atoms: '', extra: ['[^ \\t\\n\\r]'] };
      case 'd':
        return { atoms: '\\p{Nd}', extra: [] };
      case 'D':
        return { atoms: '\\P{Nd}', extra: [] };
      // F.1.1: \w is everything except punctuation, separators and "other" characters.
      case 'w':
        return { atoms: '', extra: ['[^\\p{P}\\p{Z}\\p{C}]'] };
      case 'W':
        return { atoms: '\\p{P}\\p{Z}\\p{C}', extra: [] };
      case 'p':
      case 'P':
        return this.category(c === 'P');
      case 'i':
      case 'I':
      case 'c':
      case 'C':
        return this.fail(`\\${c} (XML name characters) is not supported`);
      default:
        return this.fail(`unknown escape \\${c}`);
    }
  }

  private category(complement: boolean): ClassParts {
    if (this.peek() !== '{') this.fail('expected { after \\p');
    const close = this.src.indexOf('}', this.i);
    if (close < 0) this.fail('unterminated \\p{');
    const name = this.src.slice(this.i + 1, close);
    if (name.startsWith('Is')) this.fail(`block escape \\p{${name}} is not supported`);
    if (!CATEGORIES.has(name)) this.fail(`unknown category \\p{${name}}`);
    this.i = close + 1;
    return { atoms: `\\${complement ? 'P' : 'p'}{${name}}`, extra: [] };
  }

  /** '[' charGroup ']' where charGroup may be negated and may end in a subtraction '-[' … ']'. */
  private classExpr(): ClassParts {
    this.i++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const group: ClassParts = { atoms: '', extra: [] };
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated character class');
      if (c === ']') {
        if (first) this.fail('empty character class');
        this.i++;
        break;
      }
      if (c === '-' && this.src[this.i + 1] === '[') {
        if (first) this.fail('subtraction without a group to subtract from');
        this.i++;
        const subtrahend = this.classExpr();
        if (this.peek() !== ']') this.fail('a subtraction must end the character class');
        this.i++;
        const base = negated ? negate(group) : classToJs(group);
        return { atoms: '', extra: [`(?:(?!${classToJs(subtrahend)})${base})`] };
      }
      this.classItem(group, first);
      first = false;
    }
    return negated ? { atoms: '', extra: [negate(group)] } : group;
  }

  /** A range, a single character or an escape inside a class; '-' is literal only first or last (F.1 charRange). */
  private classItem(group: ClassParts, first: boolean): void {
    const from = this.classChar(first);
    if (typeof from !== 'number') {
      group.atoms += from.atoms;
      group.extra.push(...from.extra);
      return;
    }
    if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== '[') {
      this.i++;
      const to = this.classChar(false);
      if (typeof to !== 'number') this.fail('a range cannot end in a class escape');
      if (to < from) this.fail('range out of order');
      group.atoms += `${codePoint(from)}-${codePoint(to)}`;
      return;
    }
    group.atoms += codePoint(from);
  }

  private classChar(first: boolean): number | ClassParts {
    const c = this.peek()!;
    if (c === '\\') return this.classEscape();
    if (c === '[') this.fail('"[" must be escaped inside a class');
    if (c === '-' && !first && this.src[this.i + 1] !== ']') this.fail('"-" must be escaped here');
    const cp = this.src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

/** The JS source (unanchored) equivalent to an XSD regular expression. */
export function xsdRegexSource(pattern: string): string {
  return new Translator(pattern).translate();
}

/** An anchored RegExp (`u` flag) that accepts exactly the strings the XSD pattern accepts. */
export function compileXsdPattern(pattern: string): RegExp {
  const source = xsdRegexSource(pattern);
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch (e) {
    throw new XsdRegexError(pattern, 0, `translation ${source} is not a valid JS pattern: ${String(e)}`);
  }
}
