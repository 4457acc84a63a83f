// XSD 1.0 simple types (XML Schema Part 2): the built-ins DUIS and XML-DSig use, restriction with the facets they
// use, and one check per value. Whitespace is normalised per §4.3.6 before anything else; lexical form, then
// length, pattern, enumeration, range and digits follow. A facet or built-in outside this set is refused when
// the schema is compiled, never skipped.

import { isNcName } from '../../xml/chars.js';
import { canonicalDecimal, compareDecimal, parseDecimal, totalDigitsOf, type Decimal } from './decimal.js';
import {
  base64Octets,
  checkAnyUri,
  checkBoolean,
  checkDate,
  checkDateTime,
  checkHexBinary,
  checkTime,
} from './lexical.js';
import { compileXsdPattern } from './xsd-regex.js';

export const XSD_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

export type WhiteSpace = 'preserve' | 'replace' | 'collapse';

/** Primitive datatypes (§3.2) this validator knows the lexical space of. */
export type Primitive =
  | 'anySimpleType'
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'dateTime'
  | 'date'
  | 'time'
  | 'hexBinary'
  | 'base64Binary'
  | 'anyURI';

interface BuiltinRow {
  name: string;
  base: string | null;
  primitive: Primitive;
  whiteSpace: WhiteSpace;
  /** Integer subtypes: no fraction; `unsigned` forbids any sign (§3.3.21–25 lexical representations). */
  integer?: 'signed' | 'unsigned';
  min?: string;
  max?: string;
  /** NCName lexical space (ID). */
  ncname?: boolean;
}

/** The built-in simple types supported, each once (§3.3 for the derived ones and their ranges). */
const BUILTIN_ROWS: readonly BuiltinRow[] = [
  { name: 'anySimpleType', base: null, primitive: 'anySimpleType', whiteSpace: 'preserve' },
  { name: 'string', base: 'anySimpleType', primitive: 'string', whiteSpace: 'preserve' },
  { name: 'normalizedString', base: 'string', primitive: 'string', whiteSpace: 'replace' },
  { name: 'token', base: 'normalizedString', primitive: 'string', whiteSpace: 'collapse' },
  { name: 'NCName', base: 'token', primitive: 'string', whiteSpace: 'collapse', ncname: true },
  { name: 'ID', base: 'NCName', primitive: 'string', whiteSpace: 'collapse', ncname: true },
  { name: 'boolean', base: 'anySimpleType', primitive: 'boolean', whiteSpace: 'collapse' },
  { name: 'decimal', base: 'anySimpleType', primitive: 'decimal', whiteSpace: 'collapse' },
  { name: 'integer', base: 'decimal', primitive: 'decimal', whiteSpace: 'collapse', integer: 'signed' },
  {
    name: 'nonPositiveInteger',
    base: 'integer',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    max: '0',
  },
  {
    name: 'negativeInteger',
    base: 'nonPositiveInteger',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    max: '-1',
  },
  {
    name: 'long',
    base: 'integer',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    min: '-9223372036854775808',
    max: '9223372036854775807',
  },
  {
    name: 'int',
    base: 'long',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    min: '-2147483648',
    max: '2147483647',
  },
  {
    name: 'short',
    base: 'int',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    min: '-32768',
    max: '32767',
  },
  {
    name: 'byte',
    base: 'short',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    min: '-128',
    max: '127',
  },
  {
    name: 'nonNegativeInteger',
    base: 'integer',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    min: '0',
  },
  {
    name: 'unsignedLong',
    base: 'nonNegativeInteger',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'unsigned',
    min: '0',
    max: '18446744073709551615',
  },
  {
    name: 'unsignedInt',
    base: 'unsignedLong',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'unsigned',
    min: '0',
    max: '4294967295',
  },
  {
    name: 'unsignedShort',
    base: 'unsignedInt',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'unsigned',
    min: '0',
    max: '65535',
  },
  {
    name: 'unsignedByte',
    base: 'unsignedShort',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'unsigned',
    min: '0',
    max: '255',
  },
  {
    name: 'positiveInteger',
    base: 'nonNegativeInteger',
    primitive: 'decimal',
    whiteSpace: 'collapse',
    integer: 'signed',
    min: '1',
  },
  { name: 'dateTime', base: 'anySimpleType', primitive: 'dateTime', whiteSpace: 'collapse' },
  { name: 'date', base: 'anySimpleType', primitive: 'date', whiteSpace: 'collapse' },
  { name: 'time', base: 'anySimpleType', primitive: 'time', whiteSpace: 'collapse' },
  { name: 'hexBinary', base: 'anySimpleType', primitive: 'hexBinary', whiteSpace: 'collapse' },
  { name: 'base64Binary', base: 'anySimpleType', primitive: 'base64Binary', whiteSpace: 'collapse' },
  { name: 'anyURI', base: 'anySimpleType', primitive: 'anyURI', whiteSpace: 'collapse' },
];

export interface Bound {
  value: Decimal;
  inclusive: boolean;
  /** As written in the schema, for messages. */
  lexical: string;
  /** The rule to report: 'maxInclusive 3', or 'type xs:int' for a built-in's own range. */
  rule: string;
}

/** Patterns of one derivation step: a value must match one of them (§4.3.4.3); steps are AND-ed. */
export interface PatternStep {
  sources: readonly string[];
  regexes: readonly RegExp[];
}

export interface Facets {
  patterns: readonly PatternStep[];
  /** Keys of the value space (see enumerationKey) and the literals for messages; the most derived step wins. */
  enumeration: { keys: ReadonlySet<string>; literals: readonly string[] } | null;
  length: number | null;
  minLength: number | null;
  maxLength: number | null;
  lower: Bound | null;
  upper: Bound | null;
  totalDigits: number | null;
  fractionDigits: number | null;
}

export interface SimpleType {
  readonly kind: 'simple';
  /** For messages: 'xs:int', 'sr:EUI', or 'anonymous restriction of xs:string'. */
  readonly displayName: string;
  readonly namespace: string | null;
  readonly localName: string | null;
  readonly base: SimpleType | null;
  readonly primitive: Primitive;
  readonly whiteSpace: WhiteSpace;
  readonly integer: 'signed' | 'unsigned' | null;
  readonly ncname: boolean;
  /** Derived from xs:ID: values must be unique in the document (§3.3.8). */
  readonly isId: boolean;
  /** The rule a lexical failure reports: 'type xs:int' (the nearest built-in). */
  readonly typeRule: string;
  readonly facets: Facets;
}

const NO_FACETS: Facets = {
  patterns: [],
  enumeration: null,
  length: null,
  minLength: null,
  maxLength: null,
  lower: null,
  upper: null,
  totalDigits: null,
  fractionDigits: null,
};

function buildBuiltins(): ReadonlyMap<string, SimpleType> {
  const out = new Map<string, SimpleType>();
  for (const row of BUILTIN_ROWS) {
    const base = row.base === null ? null : out.get(row.base)!;
    const rule = `type xs:${row.name}`;
    const bound = (lexical: string | undefined, inherited: Bound | null): Bound | null =>
      lexical === undefined
        ? inherited
        : { value: parseDecimal(lexical, true, false)!, inclusive: true, lexical, rule };
    const facets: Facets = {
      ...(base?.facets ?? NO_FACETS),
      lower: bound(row.min, base?.facets.lower ?? null),
      upper: bound(row.max, base?.facets.upper ?? null),
    };
    out.set(row.name, {
      kind: 'simple',
      displayName: `xs:${row.name}`,
      namespace: XSD_NAMESPACE,
      localName: row.name,
      base,
      primitive: row.primitive,
      whiteSpace: row.whiteSpace,
      integer: row.integer ?? null,
      ncname: row.ncname === true,
      isId: row.name === 'ID',
      typeRule: rule,
      facets,
    });
  }
  return out;
}

const BUILTINS = buildBuiltins();

/** The built-in simple type xs:<localName>, or undefined when this validator does not support it. */
export function builtinSimpleType(localName: string): SimpleType | undefined {
  return BUILTINS.get(localName);
}

/** The value's failure: the rule broken (e.g. 'pattern [0-9]{4}', 'maxLength 15', 'type xs:int') and why. */
export interface ValueFailure {
  rule: string;
  message: string;
}

/** A facet as written in a restriction. */
export interface FacetSpec {
  name: string;
  value: string;
}

/** A facet this validator cannot honour, or one that does not apply to the base type: compilation fails. */
export class FacetError extends Error {
  override readonly name = 'FacetError';
}

const XML_WS = /[\t\n\r]/g;
const XML_WS_RUN = /[\t\n\r ]+/g;
const NEEDS_COLLAPSE = /^[\t\n\r ]|[\t\n\r ]$|[\t\n\r]| {2}/;
const NEEDS_REPLACE = /[\t\n\r]/;

/** §4.3.6: replace turns tab, LF and CR into spaces; collapse also squeezes runs and trims. */
export function normalizeWhiteSpace(v: string, ws: WhiteSpace): string {
  if (ws === 'preserve') return v;
  if (ws === 'replace') return NEEDS_REPLACE.test(v) ? v.replace(XML_WS, ' ') : v;
  if (!NEEDS_COLLAPSE.test(v)) return v;
  let s = v.replace(XML_WS_RUN, ' ');
  if (s.charCodeAt(0) === 0x20) s = s.slice(1);
  if (s.charCodeAt(s.length - 1) === 0x20) s = s.slice(0, -1);
  return s;
}

function quote(v: string): string {
  return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
}

function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** Lexical check of the primitive (and integer / NCName subtypes); the parsed decimal when numeric. */
function lexicalFailure(t: SimpleType, v: string): string | null {
  switch (t.primitive) {
    case 'anySimpleType':
    case 'string':
      return t.ncname && !isNcName(v) ? 'not an NCName' : null;
    case 'boolean':
      return checkBoolean(v);
    case 'decimal':
      return null; // parsed by the caller, which needs the value
    case 'dateTime':
      return checkDateTime(v);
    case 'date':
      return checkDate(v);
    case 'time':
      return checkTime(v);
    case 'hexBinary':
      return checkHexBinary(v);
    case 'base64Binary':
      return base64Octets(v) < 0 ? 'not base64 (§3.2.16)' : null; // (checkSimpleValue reads base64 itself)
    case 'anyURI':
      return checkAnyUri(v);
  }
}

/** Length in the unit of §4.3.1: characters, or octets for the binary types. */
function lengthOf(t: SimpleType, v: string): number {
  if (t.primitive === 'hexBinary') return v.length / 2;
  if (t.primitive === 'base64Binary') return base64Octets(v);
  return codePointLength(v);
}

/** The value-space key enumerations compare by (§4.3.5: enumeration constrains the value space). */
function enumerationKey(t: SimpleType, v: string, d: Decimal | null): string {
  switch (t.primitive) {
    case 'decimal':
      return canonicalDecimal(d!);
    case 'boolean':
      return v === '1' || v === 'true' ? 'true' : 'false';
    case 'hexBinary':
      return v.toUpperCase();
    case 'base64Binary':
      return v.replace(/ /g, '');
    default:
      return v;
  }
}

/** Checks a value of simple type t as it appears in the document (before whitespace normalisation). */
export function checkSimpleValue(t: SimpleType, raw: string): ValueFailure | null {
  const f = t.facets;
  // base64Binary is read as written (its grammar admits whitespace anywhere); long images skip a copy.
  const binary64 = t.primitive === 'base64Binary';
  const v =
    binary64 && f.patterns.length === 0 && f.enumeration === null
      ? raw
      : normalizeWhiteSpace(raw, t.whiteSpace);
  let d: Decimal | null = null;
  let octets = -1;
  if (t.primitive === 'decimal') {
    d = parseDecimal(v, t.integer !== null, t.integer === 'unsigned');
    if (d === null) {
      const what = t.integer === 'unsigned' ? 'unsigned integer' : t.integer ? 'integer' : 'decimal';
      return { rule: t.typeRule, message: `${quote(v)} is not a valid ${what}` };
    }
  } else if (binary64) {
    octets = base64Octets(v);
    if (octets < 0) return { rule: t.typeRule, message: `${quote(v)} is not a valid base64Binary (§3.2.16)` };
  } else {
    const why = lexicalFailure(t, v);
    if (why !== null)
      return { rule: t.typeRule, message: `${quote(v)} is not a valid ${t.typeRule.slice(5)}: ${why}` };
  }
  if (f.length !== null || f.minLength !== null || f.maxLength !== null) {
    const n = binary64 ? octets : lengthOf(t, v);
    if (f.length !== null && n !== f.length)
      return { rule: `length ${f.length}`, message: `value has length ${n}; exactly ${f.length} required` };
    if (f.minLength !== null && n < f.minLength)
      return {
        rule: `minLength ${f.minLength}`,
        message: `value has length ${n}; at least ${f.minLength} required`,
      };
    if (f.maxLength !== null && n > f.maxLength)
      return {
        rule: `maxLength ${f.maxLength}`,
        message: `value has length ${n}; at most ${f.maxLength} allowed`,
      };
  }
  for (const step of f.patterns) {
    let ok = false;
    for (const re of step.regexes) if (re.test(v)) ok = true;
    if (!ok) {
      const rule = `pattern ${step.sources.join('|')}`;
      return { rule, message: `${quote(v)} does not match the pattern` };
    }
  }
  if (f.enumeration !== null && !f.enumeration.keys.has(enumerationKey(t, v, d))) {
    const shown = f.enumeration.literals.slice(0, 12).map(quote).join(', ');
    const more = f.enumeration.literals.length > 12 ? `, … (${f.enumeration.literals.length} values)` : '';
    return { rule: 'enumeration', message: `${quote(v)} is not one of ${shown}${more}` };
  }
  if (d !== null) return numericFailure(f, d, v);
  return null;
}

function numericFailure(f: Facets, d: Decimal, v: string): ValueFailure | null {
  if (f.lower !== null) {
    const c = compareDecimal(d, f.lower.value);
    if (c < 0 || (c === 0 && !f.lower.inclusive))
      return { rule: f.lower.rule, message: `${quote(v)} is below the minimum ${f.lower.lexical}` };
  }
  if (f.upper !== null) {
    const c = compareDecimal(d, f.upper.value);
    if (c > 0 || (c === 0 && !f.upper.inclusive))
      return { rule: f.upper.rule, message: `${quote(v)} is above the maximum ${f.upper.lexical}` };
  }
  if (f.totalDigits !== null && totalDigitsOf(d) > f.totalDigits)
    return {
      rule: `totalDigits ${f.totalDigits}`,
      message: `${quote(v)} has more than ${f.totalDigits} digits`,
    };
  if (f.fractionDigits !== null && d.frac.length > f.fractionDigits)
    return {
      rule: `fractionDigits ${f.fractionDigits}`,
      message: `${quote(v)} has more than ${f.fractionDigits} fraction digits`,
    };
  return null;
}

/** The nearest built-in type on the derivation chain (for 'type xs:…' rules). */
export function builtinAncestor(t: SimpleType): SimpleType {
  let cur: SimpleType = t;
  while (cur.namespace !== XSD_NAMESPACE && cur.base !== null) cur = cur.base;
  return cur;
}

const LENGTH_PRIMITIVES: ReadonlySet<Primitive> = new Set(['string', 'hexBinary', 'base64Binary', 'anyURI']);
const ENUM_PRIMITIVES: ReadonlySet<Primitive> = new Set([
  'string',
  'decimal',
  'hexBinary',
  'base64Binary',
  'anyURI',
]);
const WS_ORDER: Record<WhiteSpace, number> = { preserve: 0, replace: 1, collapse: 2 };

function nonNegativeInt(f: FacetSpec): number {
  if (!/^\d+$/.test(f.value)) throw new FacetError(`${f.name}="${f.value}" is not a non-negative integer`);
  return Number(f.value);
}

/** The value of a bound facet, in the base type's lexical space (§4.3.7–10). */
function boundValue(base: SimpleType, f: FacetSpec): Decimal {
  const failure = checkSimpleValue(builtinAncestor(base), f.value);
  const d = parseDecimal(
    normalizeWhiteSpace(f.value, 'collapse'),
    base.integer !== null,
    base.integer === 'unsigned',
  );
  if (failure !== null || d === null)
    throw new FacetError(`${f.name}="${f.value}" is not a value of ${base.displayName}`);
  return d;
}

function tighter(a: Bound | null, b: Bound, lower: boolean): Bound {
  if (a === null) return b;
  const c = compareDecimal(a.value, b.value);
  if (c === 0) return a.inclusive ? b : a;
  return (lower ? c < 0 : c > 0) ? b : a;
}

function smaller(a: number | null, b: number): number {
  return a === null ? b : Math.min(a, b);
}

/**
 * A restriction of `base` by `facets` (§4.1.2.1 derivation by restriction). Facets accumulate: lengths and
 * bounds keep the tightest, patterns AND across steps, the latest enumeration replaces earlier ones.
 */
export function restrictSimpleType(
  base: SimpleType,
  facets: readonly FacetSpec[],
  name: { displayName: string; namespace: string | null; localName: string | null },
): SimpleType {
  const f: Facets = { ...base.facets };
  let whiteSpace = base.whiteSpace;
  const patterns: string[] = [];
  const enumeration: string[] = [];
  for (const spec of facets) {
    switch (spec.name) {
      case 'pattern':
        patterns.push(spec.value);
        break;
      case 'enumeration':
        if (!ENUM_PRIMITIVES.has(base.primitive))
          throw new FacetError(`enumeration on ${base.displayName} is not supported`);
        enumeration.push(spec.value);
        break;
      case 'length':
      case 'minLength':
      case 'maxLength': {
        if (!LENGTH_PRIMITIVES.has(base.primitive))
          throw new FacetError(`${spec.name} does not apply to ${base.displayName}`);
        const n = nonNegativeInt(spec);
        if (spec.name === 'length') f.length = n;
        else if (spec.name === 'minLength') f.minLength = f.minLength === null ? n : Math.max(f.minLength, n);
        else f.maxLength = smaller(f.maxLength, n);
        break;
      }
      case 'minInclusive':
      case 'minExclusive':
      case 'maxInclusive':
      case 'maxExclusive': {
        if (base.primitive !== 'decimal')
          throw new FacetError(`${spec.name} on ${base.displayName} is not supported (decimal types only)`);
        const bound: Bound = {
          value: boundValue(base, spec),
          inclusive: spec.name.endsWith('Inclusive'),
          lexical: spec.value,
          rule: `${spec.name} ${spec.value}`,
        };
        if (spec.name.startsWith('min')) f.lower = tighter(f.lower, bound, true);
        else f.upper = tighter(f.upper, bound, false);
        break;
      }
      case 'totalDigits':
      case 'fractionDigits': {
        if (base.primitive !== 'decimal')
          throw new FacetError(`${spec.name} does not apply to ${base.displayName}`);
        const n = nonNegativeInt(spec);
        if (spec.name === 'totalDigits') f.totalDigits = smaller(f.totalDigits, n);
        else f.fractionDigits = smaller(f.fractionDigits, n);
        break;
      }
      case 'whiteSpace': {
        const ws = spec.value as WhiteSpace;
        if (!(ws in WS_ORDER) || WS_ORDER[ws] < WS_ORDER[whiteSpace])
          throw new FacetError(`whiteSpace="${spec.value}" cannot restrict ${whiteSpace} (§4.3.6)`);
        whiteSpace = ws;
        break;
      }
      default:
        throw new FacetError(`facet xs:${spec.name} is not supported`);
    }
  }
  if (patterns.length > 0) {
    f.patterns = [...f.patterns, { sources: patterns, regexes: patterns.map(compileXsdPattern) }];
  }
  const derived: SimpleType = {
    kind: 'simple',
    ...name,
    base,
    primitive: base.primitive,
    whiteSpace,
    integer: base.integer,
    ncname: base.ncname,
    isId: base.isId,
    typeRule: base.typeRule,
    facets: f,
  };
  if (enumeration.length > 0) {
    const keys = new Set<string>();
    for (const literal of enumeration) {
      // An enumeration literal must itself be a value of the base type (§4.3.5.4).
      const failure = checkSimpleValue(base, literal);
      if (failure !== null)
        throw new FacetError(`enumeration "${literal}" is not a value of ${base.displayName}`);
      const v = normalizeWhiteSpace(literal, whiteSpace);
      const d = base.primitive === 'decimal' ? parseDecimal(v, base.integer !== null, false) : null;
      keys.add(enumerationKey(derived, v, d));
    }
    f.enumeration = { keys, literals: enumeration };
  }
  return derived;
}
