// Schema-driven typed values for DUIS elements: any element the DUIS XSD declares (every SRV body among them) is
// bound to plain typed data by walking it with its compiled declaration, and unbound back to an element in the
// content model's order. Leaves take their type from the nearest built-in: xs:boolean → boolean; integer types
// whose range (built-in bounds tightened by the type's facets) fits in ±2^53 → number (int, short, unsignedInt, a
// positiveInteger with maxInclusive 65535, …), the others (an unbounded integer, long, unsignedLong, …) → bigint;
// xs:decimal → string (exact, as written); xs:hexBinary (written back as uppercase hex) and xs:base64Binary →
// Uint8Array; everything else → string, whitespace-normalised per the type. Complex content
// becomes an object keyed by child local name (an array where the particle allows more than one occurrence,
// absent when an optional child is missing), attributes go under '@name', and simple content beside attributes
// under '#value'. Wildcards, mixed content and xsi:type are outside this binding (the SRV bodies use none).
import type { XmlDocument, XmlElement, XmlNode, XmlNamespaceDeclaration } from '../xml/types.js';
import { fromHex, toHex } from '../bytes.js';
import { DuisError, SR_NAMESPACE } from './common.js';
import { NO_MATCH, STAY, START, step, type ContentModel } from './schema/content-model.js';
import type { DuisSchema } from './schema/duis-schema.js';
import type { ComplexType, ElementDecl, TypeDefinition } from './schema/model.js';
import { builtinAncestor, normalizeWhiteSpace, type SimpleType } from './schema/simple-types.js';
import type { CompiledSchema } from './schema/xsd-compile.js';
import { buildElement, indented } from './tree.js';

export type DuisTypedLeaf = boolean | number | bigint | string | Uint8Array;

/** Child local name → value (or array of values), '@attr' → attribute value, '#value' → simple content. */
export interface DuisTypedObject {
  readonly [key: string]: DuisTypedValue | readonly DuisTypedValue[];
}

export type DuisTypedValue = DuisTypedLeaf | DuisTypedObject;

export type { ElementDecl } from './schema/model.js';

/** Key of the simple content of an element that also carries attributes. */
export const VALUE_KEY = '#value';

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const SAFE = 2n ** 53n;

function fail(path: string, reason: string): never {
  throw new DuisError(path, reason);
}

// ---- simple values ----------------------------------------------------------------------------------------

type LeafKind = 'boolean' | 'number' | 'bigint' | 'decimal' | 'hex' | 'base64' | 'string';

function leafKind(t: SimpleType): LeafKind {
  const b = builtinAncestor(t);
  switch (b.primitive) {
    case 'boolean':
      return 'boolean';
    case 'hexBinary':
      return 'hex';
    case 'base64Binary':
      return 'base64';
    case 'decimal': {
      if (b.integer === null) return 'decimal';
      // The type's own range (its bounds accumulate down the derivation), so a positiveInteger restricted to
      // 1..65535 is a number; an unbounded or 64-bit one is a bigint.
      const lo = t.facets.lower;
      const hi = t.facets.upper;
      return lo !== null && hi !== null && within(lo.lexical) && within(hi.lexical) ? 'number' : 'bigint';
    }
    default:
      return 'string';
  }
}

function within(lexical: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(lexical.trim())) return false;
  const n = BigInt(lexical.trim());
  return n >= -SAFE && n <= SAFE;
}

function bindLeaf(t: SimpleType, raw: string, path: string): DuisTypedLeaf {
  const v = normalizeWhiteSpace(raw, t.whiteSpace);
  switch (leafKind(t)) {
    case 'boolean':
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      return fail(path, `not an xs:boolean: ${JSON.stringify(v)}`);
    case 'number':
      return Number(v);
    case 'bigint':
      return BigInt(v);
    case 'hex':
      return fromHex(v);
    case 'base64':
      return new Uint8Array(Buffer.from(v, 'base64'));
    default:
      return v;
  }
}

function unbindLeaf(t: SimpleType, value: unknown, path: string): string {
  const kind = leafKind(t);
  const wrong = (): never =>
    fail(path, `expected a ${kind} value for ${t.displayName}, got ${describe(value)}`);
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 'true' : 'false') : wrong();
    case 'number':
    case 'bigint':
      if (typeof value === 'bigint') return value.toString();
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : wrong();
    case 'hex':
      return value instanceof Uint8Array ? toHex(value) : wrong();
    case 'base64':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : wrong();
    default:
      return typeof value === 'string' ? value : wrong();
  }
}

function describe(v: unknown): string {
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

// ---- content models -----------------------------------------------------------------------------------------

interface Slot {
  readonly decl: ElementDecl;
  /** The particle allows more than one occurrence: always an array. */
  readonly many: boolean;
  /** Rank in the content model (first position of the name), the order unbinding writes. */
  readonly order: number;
}

const slotsByModel = new WeakMap<ContentModel, ReadonlyMap<string, Slot>>();

/** The children a content model names, by local name. */
function slotsOf(model: ContentModel, where: string): ReadonlyMap<string, Slot> {
  let slots = slotsByModel.get(model);
  if (slots !== undefined) return slots;
  const out = new Map<string, Slot>();
  model.positions.forEach((p, i) => {
    if (p.term.kind !== 'element') return; // wildcards: refused when met
    const name = p.term.localName;
    const loops = p.follow.byLocalName.get(name)?.includes(i) === true;
    const prev = out.get(name);
    if (prev !== undefined && prev.decl.type !== p.term.type)
      fail(where, `two particles named ${name} with different types: not bindable by name`);
    out.set(name, {
      decl: prev?.decl ?? p.term,
      many: prev !== undefined || p.max > 1 || loops,
      order: prev?.order ?? i,
    });
  });
  slots = out;
  slotsByModel.set(model, slots);
  return slots;
}

// ---- binding --------------------------------------------------------------------------------------------------

function textOf(el: XmlElement, path: string): string {
  let s = '';
  for (const c of el.children) {
    if (c.kind === 'text') s += c.value;
    else if (c.kind === 'element') fail(path, `unexpected element ${c.qname} in simple content`);
  }
  return s;
}

function bindWith(decl: ElementDecl, el: XmlElement, path: string): DuisTypedValue {
  if (el.localName !== decl.localName || el.namespace !== decl.namespace)
    fail(path, `expected ${decl.displayName}, got ${el.qname}`);
  const type = decl.type;
  let text: string | null = null;
  if (type.kind === 'simple' || type.content.kind === 'simple') {
    text = textOf(el, path);
    if (text === '' && decl.defaultValue !== null) text = decl.defaultValue;
  }
  if (type.kind === 'simple') {
    rejectAttributes(el, null, path);
    return bindLeaf(type, text!, path);
  }
  const out: Record<string, DuisTypedValue | DuisTypedValue[]> = {};
  rejectAttributes(el, type, path);
  for (const a of el.attributes) {
    if (a.namespace === XSI_NAMESPACE) continue;
    const use = type.attributes.find((u) => u.localName === a.localName && u.namespace === a.namespace)!;
    out[`@${a.localName}`] = bindLeaf(use.type, a.value, `${path}/@${a.qname}`);
  }
  const content = type.content;
  if (content.kind === 'simple') {
    const leaf = bindLeaf(content.type, text!, path);
    if (type.attributes.length === 0) return leaf;
    out[VALUE_KEY] = leaf;
    return out;
  }
  if (content.kind === 'empty') return out;
  if (content.mixed) fail(path, `${type.displayName} has mixed content: not bound`);
  bindChildren(type, content.model, el, path, out);
  return out;
}

function rejectAttributes(el: XmlElement, type: ComplexType | null, path: string): void {
  for (const a of el.attributes) {
    if (a.namespace === XSI_NAMESPACE) {
      if (a.localName === 'type') fail(path, 'xsi:type is not supported by the binding');
      continue;
    }
    const known = type?.attributes.some((u) => u.localName === a.localName && u.namespace === a.namespace);
    if (known !== true) fail(path, `attribute ${a.qname} is not declared`);
  }
}

function bindChildren(
  type: ComplexType,
  model: ContentModel,
  el: XmlElement,
  path: string,
  out: Record<string, DuisTypedValue | DuisTypedValue[]>,
): void {
  const slots = slotsOf(model, type.displayName);
  let pos = START;
  let count = 0;
  let lastOrder = -1;
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    const childPath = `${path}/${c.qname}`;
    const next = step(model, pos, count, c.namespace, c.localName);
    if (next === NO_MATCH) fail(childPath, `not allowed here by ${type.displayName}`);
    if (next === STAY) count++;
    else {
      pos = next;
      count = 1;
    }
    const term = model.positions[pos]!.term;
    if (term.kind !== 'element') fail(childPath, 'matched by a wildcard: not bound');
    const slot = slots.get(term.localName)!;
    // Unbinding writes names in content-model order; an element order it could not reproduce is refused.
    if (slot.order < lastOrder) fail(childPath, `${type.displayName}: interleaved repeats are not bound`);
    lastOrder = slot.order;
    const v = bindWith(term, c, childPath);
    if (!slot.many) out[term.localName] = v;
    else ((out[term.localName] ??= []) as DuisTypedValue[]).push(v);
  }
}

/**
 * The declaration of a global element ('Request', 'sr:Request', '{ns}local') or of a descendant reached by a '/'
 * path of names through content models ('Request/Body/UpdateHANDeviceLog'); an unprefixed name that is not global
 * is looked up among sr:Body's children, so an SRV body element may be named alone ('UpdateHANDeviceLog').
 */
export function duisElementDeclaration(schema: DuisSchema, path: string): ElementDecl {
  const c = schema.compiled;
  const names = path.split('/');
  const resolve = (name: string): { ns: string | null; local: string } => {
    const m = /^\{([^}]*)\}(.+)$/.exec(name);
    if (m !== null) return { ns: m[1] === '' ? null : m[1]!, local: m[2]! };
    const colon = name.indexOf(':');
    if (colon < 0) return { ns: SR_NAMESPACE, local: name };
    const prefix = name.slice(0, colon);
    const ns = [...c.prefixes].find(([, p]) => p === prefix)?.[0];
    if (ns === undefined) return fail(path, `unknown prefix ${prefix}`);
    return { ns, local: name.slice(colon + 1) };
  };
  const first = resolve(names[0]!);
  let decl: ElementDecl | undefined = c.elements.get(first.ns)?.get(first.local);
  let rest = names.slice(1);
  if (decl === undefined && first.ns === SR_NAMESPACE) {
    // An SRV body element ('UpdateHANDeviceLog') is declared locally, inside sr:Body.
    decl = c.elements.get(SR_NAMESPACE)?.get('Request');
    rest = ['Body', ...names];
  }
  if (decl === undefined) return fail(path, `no global element ${names[0]!}`);
  for (const name of rest) {
    const { local } = resolve(name);
    const t: TypeDefinition = decl.type;
    const slot: Slot | undefined =
      t.kind === 'complex' && t.content.kind === 'elements'
        ? slotsOf(t.content.model, t.displayName).get(local)
        : undefined;
    if (slot === undefined) return fail(path, `${decl.displayName} has no child ${name}`);
    decl = slot.decl;
  }
  return decl;
}

/**
 * Binds a schema-valid element to typed values. Without `declaration`, the element must be a global element of
 * the schema or a child of sr:Body (an SRV body element).
 */
export function bindDuisElement(
  schema: DuisSchema,
  element: XmlElement,
  declaration?: ElementDecl | string,
): DuisTypedValue {
  let decl: ElementDecl;
  if (typeof declaration === 'object') decl = declaration;
  else if (declaration !== undefined) decl = duisElementDeclaration(schema, declaration);
  else {
    const global = schema.compiled.elements.get(element.namespace)?.get(element.localName);
    decl =
      global ??
      (element.namespace === SR_NAMESPACE
        ? duisElementDeclaration(schema, element.localName)
        : fail(element.qname, 'no declaration'));
  }
  return bindWith(decl, element, element.qname);
}

// ---- unbinding ------------------------------------------------------------------------------------------------

function prefixedName(
  c: CompiledSchema,
  ns: string | null,
  local: string,
): { qname: string; prefix: string | null } {
  const prefix = ns === null ? null : (c.prefixes.get(ns) ?? null);
  return { qname: prefix === null ? local : `${prefix}:${local}`, prefix };
}

function isObject(v: unknown): v is DuisTypedObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function unbindWith(
  c: CompiledSchema,
  decl: ElementDecl,
  value: unknown,
  path: string,
  depth: number,
): XmlElement {
  const type = decl.type;
  const make = (children: XmlNode[], attributes: XmlElement['attributes'] = []): XmlElement => {
    const el = buildElement(decl.localName, decl.namespace, children, attributes);
    const { qname, prefix } = prefixedName(c, decl.namespace, decl.localName);
    return { ...el, qname, prefix };
  };
  const textChildren = (s: string): XmlNode[] => (s === '' ? [] : [{ kind: 'text', value: s }]);
  if (type.kind === 'simple') return make(textChildren(unbindLeaf(type, value, path)));
  const content = type.content;
  if (content.kind === 'simple' && type.attributes.length === 0)
    return make(textChildren(unbindLeaf(content.type, value, path)));
  if (!isObject(value))
    return fail(path, `expected an object for ${type.displayName}, got ${describe(value)}`);
  const attributes: XmlElement['attributes'] = [];
  for (const use of type.attributes) {
    const v = value[`@${use.localName}`];
    if (v === undefined) continue;
    const { qname, prefix } = prefixedName(c, use.namespace, use.localName);
    const text = unbindLeaf(use.type, v, `${path}/@${use.localName}`);
    attributes.push({ qname, prefix, localName: use.localName, namespace: use.namespace, value: text });
  }
  const slots =
    content.kind === 'elements' ? slotsOf(content.model, type.displayName) : new Map<string, Slot>();
  for (const key of Object.keys(value)) {
    const known = key.startsWith('@')
      ? type.attributes.some((u) => `@${u.localName}` === key)
      : key === VALUE_KEY
        ? content.kind === 'simple'
        : slots.has(key);
    if (!known) fail(path, `${type.displayName} has no ${key}`);
  }
  if (content.kind === 'simple')
    return make(textChildren(unbindLeaf(content.type, value[VALUE_KEY], path)), attributes);
  if (content.kind === 'empty') return make([], attributes);
  if (content.mixed) fail(path, `${type.displayName} has mixed content: not unbound`);
  const children: XmlElement[] = [];
  for (const [name, slot] of [...slots].sort((a, b) => a[1].order - b[1].order)) {
    const v = value[name];
    if (v === undefined) continue;
    const childPath = `${path}/${name}`;
    if (slot.many !== Array.isArray(v))
      fail(childPath, slot.many ? 'expected an array (the particle may repeat)' : 'expected a single value');
    const items: readonly unknown[] = Array.isArray(v) ? v : [v];
    for (const item of items) children.push(unbindWith(c, slot.decl, item, childPath, depth + 1));
  }
  return make(indented(children, depth), attributes);
}

export interface UnbindOptions {
  /** Declare the element's namespace prefixes on it, so it stands alone (default false: the enclosing
   * document declares them, as the DUIS templates do on sr:Request). */
  declareNamespaces?: boolean;
  /** Ancestors of the element, for the templates' two-space layout (default 0: none). */
  depth?: number;
}

/** Builds the element for a typed value (the inverse of bindDuisElement), children in content-model order. */
export function unbindDuisElement(
  schema: DuisSchema,
  declarationOrPath: ElementDecl | string,
  value: DuisTypedValue,
  options: UnbindOptions = {},
): XmlElement {
  const c = schema.compiled;
  const decl =
    typeof declarationOrPath === 'string'
      ? duisElementDeclaration(schema, declarationOrPath)
      : declarationOrPath;
  const el = unbindWith(c, decl, value, decl.displayName, options.depth ?? 0);
  if (options.declareNamespaces !== true) return el;
  const used = new Map<string, string>();
  const collect = (e: XmlElement): void => {
    if (e.prefix !== null && e.namespace !== null) used.set(e.prefix, e.namespace);
    for (const a of e.attributes)
      if (a.prefix !== null && a.namespace !== null) used.set(a.prefix, a.namespace);
    for (const k of e.children) if (k.kind === 'element') collect(k);
  };
  collect(el);
  const namespaces: XmlNamespaceDeclaration[] = [...used].map(([prefix, uri]) => ({ prefix, uri }));
  return { ...el, namespaces };
}

// ---- requests ---------------------------------------------------------------------------------------------------

/** The typed body of a DUIS request document: sr:Body's one child, by local name, and its bound value. */
export interface DuisTypedBody {
  readonly element: string;
  readonly value: DuisTypedValue;
}

/** The one element child of sr:Request/sr:Body. */
export function requestBodyElement(doc: XmlDocument): XmlElement {
  const body = doc.root.children.find(
    (n): n is XmlElement => n.kind === 'element' && n.namespace === SR_NAMESPACE && n.localName === 'Body',
  );
  const child = body?.children.find((n): n is XmlElement => n.kind === 'element');
  if (child === undefined) return fail('Request/Body', 'no body element');
  return child;
}

/** Binds the body of a DUIS request document (parse it with parseXml; parseDuisRequest checks the rest). */
export function typedBody(schema: DuisSchema, doc: XmlDocument): DuisTypedBody {
  const el = requestBodyElement(doc);
  return { element: el.localName, value: bindDuisElement(schema, el, `Request/Body/${el.localName}`) };
}
