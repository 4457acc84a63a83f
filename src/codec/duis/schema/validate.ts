// Schema-validity assessment (XML Schema Part 1 §3.3.4, §3.4.4) of a parsed document against a compiled schema:
// one pass over the tree, each content model stepped as a deterministic automaton, every simple value checked
// against precompiled facets. Errors carry the element path as written ('/sr:Request/sr:Header/sr:RequestID'),
// the rule broken and a message; collection stops at maxErrors.

import type { XmlAttribute, XmlDocument, XmlElement } from '../../xml/types.js';
import { NO_MATCH, STAY, START, canEnd, expectedAt, step } from './content-model.js';
import type { ComplexType, ElementDecl, TypeDefinition, Wildcard } from './model.js';
import {
  XSD_NAMESPACE,
  builtinSimpleType,
  checkSimpleValue,
  normalizeWhiteSpace,
  type SimpleType,
} from './simple-types.js';
import type { CompiledSchema } from './xsd-compile.js';

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export interface SchemaError {
  /** Element path with prefixes as written; '[n]' (1-based) where siblings share the name; '/@a' for attributes. */
  path: string;
  /** The rule broken: a facet with its value ('pattern [0-9]{4}', 'maxLength 15'), 'type xs:int', or one of
   * 'unexpected element', 'missing element', 'text not allowed', 'element not allowed', 'attribute not allowed',
   * 'required attribute', 'no declaration', 'abstract type', 'xsi:type', 'xsi:nil', 'duplicate ID'. */
  rule: string;
  message: string;
}

export type SchemaValidation = { valid: true } | { valid: false; errors: SchemaError[] };

export interface ValidateOptions {
  /** Stop after this many errors (default 50); 1 gives first-error behaviour. */
  maxErrors?: number;
}

const VALID: SchemaValidation = Object.freeze({ valid: true });

function isXmlWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function expandedName(ns: string | null, local: string): string {
  return ns === null ? local : `{${ns}}${local}`;
}

/** One validation: the ancestor stack for paths (as codec/xml elementPath writes them), the errors, the IDs seen. */
class Run {
  readonly errors: SchemaError[] = [];
  readonly stack: XmlElement[] = [];
  private ids: Set<string> | null = null;

  constructor(
    private readonly schema: CompiledSchema,
    private readonly maxErrors: number,
  ) {}

  get full(): boolean {
    return this.errors.length >= this.maxErrors;
  }

  private path(): string {
    let out = '';
    for (let i = 0; i < this.stack.length; i++) {
      const el = this.stack[i]!;
      out += `/${el.qname}`;
      const parent = this.stack[i - 1];
      if (parent === undefined) continue;
      let n = 0;
      let index = 0;
      for (const c of parent.children) {
        if (c.kind !== 'element' || c.qname !== el.qname) continue;
        n++;
        if (c === el) index = n;
      }
      if (n > 1) out += `[${index}]`;
    }
    return out;
  }

  error(rule: string, message: string, attribute?: XmlAttribute): void {
    if (this.full) return;
    const path = attribute === undefined ? this.path() : `${this.path()}/@${attribute.qname}`;
    this.errors.push({ path, rule, message });
  }

  globalElement(ns: string | null, local: string): ElementDecl | undefined {
    return this.schema.elements.get(ns)?.get(local);
  }

  root(el: XmlElement): void {
    const decl = this.globalElement(el.namespace, el.localName);
    if (decl !== undefined) {
      this.element(el, decl.type, decl.defaultValue);
      return;
    }
    this.stack.push(el);
    this.error(
      'no declaration',
      `no global element declaration for ${expandedName(el.namespace, el.localName)}`,
    );
    this.stack.pop();
  }

  /** §3.3.4 element locally valid: xsi attributes, then the (possibly overridden) type's attributes and content. */
  element(el: XmlElement, declared: TypeDefinition, defaultValue: string | null): void {
    this.stack.push(el);
    let type = declared;
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (a.namespace === XSI_NAMESPACE && a.localName === 'type') {
        const t = this.xsiType(a, declared);
        if (t === null) {
          this.stack.pop();
          return;
        }
        type = t;
      }
    }
    if (type.kind === 'complex') {
      if (type.abstract) {
        this.error(
          'abstract type',
          `${type.displayName} is abstract; an xsi:type naming a concrete type is required`,
        );
      } else {
        this.complexAttributes(el, type);
        this.complexContent(el, type, defaultValue);
      }
    } else {
      this.simpleAttributes(el);
      this.simpleContent(el, type, defaultValue);
    }
    this.stack.pop();
  }

  /** xsi:type (§3.3.4 clause 4): a type validly derived from the declared one; null after reporting. */
  private xsiType(a: XmlAttribute, declared: TypeDefinition): TypeDefinition | null {
    const t = this.typeNamedBy(a);
    if (t === null) return null;
    for (let cur: TypeDefinition | null = t; cur !== null; cur = cur.base) {
      if (cur === declared) return t;
    }
    this.error(
      'xsi:type',
      `${t.displayName} is not derived from the declared type ${declared.displayName}`,
      a,
    );
    return null;
  }

  /** The type an xsi:type attribute names, its prefix resolved in the element's scope; null after reporting. */
  private typeNamedBy(a: XmlAttribute): TypeDefinition | null {
    const v = normalizeWhiteSpace(a.value, 'collapse');
    const colon = v.indexOf(':');
    const prefix = colon < 0 ? null : v.slice(0, colon);
    const local = colon < 0 ? v : v.slice(colon + 1);
    let ns: string | null | undefined = prefix === null ? null : undefined;
    outer: for (let i = this.stack.length - 1; i >= 0; i--) {
      for (const d of this.stack[i]!.namespaces) {
        if (d.prefix === prefix) {
          ns = d.uri === '' ? null : d.uri;
          break outer;
        }
      }
    }
    const t: TypeDefinition | undefined =
      ns === undefined
        ? undefined
        : ns === XSD_NAMESPACE
          ? builtinSimpleType(local)
          : this.schema.types.get(ns)?.get(local);
    if (t !== undefined) return t;
    this.error('xsi:type', `xsi:type ${JSON.stringify(a.value)} does not name a type of the schema`, a);
    return null;
  }

  /** xsi attributes every element may carry (§3.2.7); true when `a` is one of them and has been dealt with. */
  private xsiAttribute(a: XmlAttribute): boolean {
    if (a.namespace !== XSI_NAMESPACE) return false;
    switch (a.localName) {
      case 'type':
      case 'schemaLocation':
      case 'noNamespaceSchemaLocation':
        return true;
      case 'nil':
        // No DUIS or XML-DSig declaration is nillable (the compiler refuses nillable).
        this.error('xsi:nil', 'the element is not nillable', a);
        return true;
      default:
        this.error(
          'attribute not allowed',
          `${expandedName(a.namespace, a.localName)} is not an xsi attribute`,
          a,
        );
        return true;
    }
  }

  private simpleAttributes(el: XmlElement): void {
    for (const a of el.attributes) {
      if (this.xsiAttribute(a)) continue;
      this.error(
        'attribute not allowed',
        `attribute ${expandedName(a.namespace, a.localName)} is not allowed`,
        a,
      );
    }
  }

  private complexAttributes(el: XmlElement, type: ComplexType): void {
    const uses = type.attributes;
    let required = 0;
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (this.xsiAttribute(a)) continue;
      let found = false;
      for (let k = 0; k < uses.length; k++) {
        const u = uses[k]!;
        if (u.localName !== a.localName || u.namespace !== a.namespace) continue;
        found = true;
        if (u.required) required++;
        const failure = checkSimpleValue(u.type, a.value);
        if (failure !== null) this.error(failure.rule, failure.message, a);
        else if (u.type.isId) this.id(u.type, a.value, a);
        break;
      }
      if (!found) {
        this.error(
          'attribute not allowed',
          `attribute ${expandedName(a.namespace, a.localName)} is not allowed`,
          a,
        );
      }
    }
    if (required < type.requiredAttributes) {
      for (const u of uses) {
        if (!u.required) continue;
        if (!attrs.some((a) => a.localName === u.localName && a.namespace === u.namespace))
          this.error('required attribute', `attribute ${expandedName(u.namespace, u.localName)} is required`);
      }
    }
  }

  private id(type: SimpleType, raw: string, a?: XmlAttribute): void {
    const v = normalizeWhiteSpace(raw, type.whiteSpace);
    this.ids ??= new Set();
    if (this.ids.has(v))
      this.error('duplicate ID', `ID ${JSON.stringify(v)} is already used in the document`, a);
    else this.ids.add(v);
  }

  /** Character children of an element with simple content; element children are errors. */
  private simpleContent(el: XmlElement, type: SimpleType, defaultValue: string | null): void {
    let text = '';
    let hasText = false;
    const kids = el.children;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (c.kind === 'text') {
        if (c.value === '') continue;
        text = hasText ? text + c.value : c.value;
        hasText = true;
      } else if (c.kind === 'element') {
        this.stack.push(c);
        this.error('element not allowed', `${el.qname} holds a ${type.displayName} value, not elements`);
        this.stack.pop();
        return;
      }
    }
    // §3.3.4 clause 5.1: an element with no character or element children takes the default.
    const value = !hasText && defaultValue !== null ? defaultValue : text;
    const failure = checkSimpleValue(type, value);
    if (failure !== null) this.error(failure.rule, failure.message);
    else if (type.isId) this.id(type, value);
  }

  private complexContent(el: XmlElement, type: ComplexType, defaultValue: string | null): void {
    const content = type.content;
    if (content.kind === 'simple') {
      this.simpleContent(el, content.type, defaultValue);
      return;
    }
    const kids = el.children;
    if (content.kind === 'empty') {
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        if ((c.kind === 'text' && c.value !== '') || c.kind === 'element') {
          // §3.4.4 clause 2.1: empty content admits no character children, whitespace included.
          this.error(
            c.kind === 'text' ? 'text not allowed' : 'element not allowed',
            `${el.qname} must be empty (${type.displayName}); whitespace counts`,
          );
          return;
        }
      }
      return;
    }
    const model = content.model;
    const mixed = content.mixed;
    let pos = START;
    let count = 0;
    let textReported = false;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (c.kind === 'text') {
        if (!mixed && !textReported && !isXmlWhitespace(c.value)) {
          textReported = true;
          this.error(
            'text not allowed',
            `${el.qname} holds only elements; text ${JSON.stringify(c.value.trim().slice(0, 40))} is not allowed`,
          );
        }
        continue;
      }
      if (c.kind !== 'element') continue;
      const next = step(model, pos, count, c.namespace, c.localName);
      if (next === NO_MATCH) {
        const expected = expectedAt(model, pos, count);
        this.stack.push(c);
        this.error(
          'unexpected element',
          `${c.qname} is not expected here; ${expected.length === 0 ? 'no more elements are allowed' : `expected ${expected.join(' | ')}`}`,
        );
        this.stack.pop();
        return;
      }
      if (next === STAY) count++;
      else {
        pos = next;
        count = 1;
      }
      const term = model.positions[pos]!.term;
      if (term.kind === 'element') this.element(c, term.type, term.defaultValue);
      else this.wildcardChild(c, term);
      if (this.full) return;
    }
    if (!canEnd(model, pos, count)) {
      this.error(
        'missing element',
        `content ends too early; expected ${expectedAt(model, pos, count).join(' | ')}`,
      );
    }
  }

  /** §3.10.4 / §3.3.4 clause 2: strict needs a global declaration, lax uses one if present, skip ignores. */
  private wildcardChild(el: XmlElement, w: Wildcard): void {
    if (w.processContents === 'skip') return;
    if (w.processContents === 'lax') {
      this.laxElement(el);
      return;
    }
    const decl = this.globalElement(el.namespace, el.localName);
    if (decl !== undefined) {
      this.element(el, decl.type, decl.defaultValue);
      return;
    }
    this.stack.push(el);
    this.error(
      'no declaration',
      `${el.qname} has no global declaration, which the strict wildcard (${w.displayName}) demands`,
    );
    this.stack.pop();
  }

  /**
   * Lax assessment (§3.3.4 clause 2, §3.10.4): by the global declaration if there is one, else by the type an
   * xsi:type names, else the element is skipped and its children are assessed laxly in turn.
   */
  private laxElement(el: XmlElement): void {
    const decl = this.globalElement(el.namespace, el.localName);
    if (decl !== undefined) {
      this.element(el, decl.type, decl.defaultValue);
      return;
    }
    for (const a of el.attributes) {
      if (a.namespace !== XSI_NAMESPACE || a.localName !== 'type') continue;
      this.stack.push(el);
      const t = this.typeNamedBy(a);
      this.stack.pop();
      if (t !== null) this.element(el, t, null);
      return;
    }
    this.stack.push(el);
    for (const c of el.children) {
      if (c.kind === 'element') this.laxElement(c);
      if (this.full) break;
    }
    this.stack.pop();
  }
}

/** Validates `doc` (a document or its root element) against `schema`. Deterministic: same input, same errors. */
export function validateAgainst(
  schema: CompiledSchema,
  doc: XmlDocument | XmlElement,
  options: ValidateOptions = {},
): SchemaValidation {
  const maxErrors = options.maxErrors ?? 50;
  if (!Number.isSafeInteger(maxErrors) || maxErrors < 1)
    throw new RangeError(`maxErrors expected a positive integer, got ${maxErrors}`);
  const root = 'kind' in doc ? doc : doc.root;
  const run = new Run(schema, maxErrors);
  run.root(root);
  return run.errors.length === 0 ? VALID : { valid: false, errors: run.errors };
}
