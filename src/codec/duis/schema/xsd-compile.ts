// Compiles XML Schema 1.0 documents (Part 1 §3, §4.2.3 import) into the components of model.ts: the subset the
// DUIS schema, its MMC import and the W3C XML-DSig schema use. Everything else — include, redefine, groups,
// attribute groups, xs:all, list, union, substitution groups, nillable, fixed values, identity constraints,
// complexContent restriction, attribute wildcards, block/final — makes compilation fail with the file and the
// construct named, so a schema the validator cannot honour never validates anything.

import { XML_NAMESPACE } from '../../xml/parse.js';
import type { XmlElement } from '../../xml/types.js';
import { ContentModelError, compileContentModel, type ModelGroup, type Particle } from './content-model.js';
import type {
  AttributeUse,
  ComplexType,
  ContentType,
  ElementDecl,
  TypeDefinition,
  Wildcard,
} from './model.js';
import {
  FacetError,
  XSD_NAMESPACE,
  builtinSimpleType,
  restrictSimpleType,
  type FacetSpec,
  type SimpleType,
} from './simple-types.js';
import {
  XsdCompileError,
  readSchemaDocument,
  resolveSchemaLocation,
  type SchemaDocument,
} from './xsd-load.js';
import { XsdRegexError } from './xsd-regex.js';

export { XsdCompileError } from './xsd-load.js';

/** The compiled schema set: global element declarations by namespace and local name, and named types. */
export interface CompiledSchema {
  /** The entry file and every file it imported, in load order. */
  readonly files: readonly string[];
  readonly elements: ReadonlyMap<string | null, ReadonlyMap<string, ElementDecl>>;
  readonly types: ReadonlyMap<string | null, ReadonlyMap<string, TypeDefinition>>;
  /** Namespace → the prefix the schema documents use for it (for paths and messages). */
  readonly prefixes: ReadonlyMap<string, string>;
}

/** Attributes allowed on each XSD element; anything else is refused (foreign-namespace attributes are ignored). */
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  schema: ['targetNamespace', 'elementFormDefault', 'attributeFormDefault', 'version', 'id'],
  import: ['namespace', 'schemaLocation', 'id'],
  element: ['name', 'type', 'ref', 'minOccurs', 'maxOccurs', 'default', 'form', 'id'],
  complexType: ['name', 'abstract', 'mixed', 'id'],
  simpleType: ['name', 'id'],
  simpleContent: ['id'],
  complexContent: ['mixed', 'id'],
  extension: ['base', 'id'],
  restriction: ['base', 'id'],
  sequence: ['minOccurs', 'maxOccurs', 'id'],
  choice: ['minOccurs', 'maxOccurs', 'id'],
  any: ['namespace', 'processContents', 'minOccurs', 'maxOccurs', 'id'],
  attribute: ['name', 'type', 'use', 'default', 'form', 'id'],
  annotation: ['id'],
};

const FACET_NAMES = new Set([
  'pattern',
  'enumeration',
  'length',
  'minLength',
  'maxLength',
  'minInclusive',
  'maxInclusive',
  'minExclusive',
  'maxExclusive',
  'totalDigits',
  'fractionDigits',
  'whiteSpace',
]);

interface Doc {
  readonly path: string;
  readonly root: XmlElement;
  readonly targetNamespace: string | null;
  readonly elementQualified: boolean;
  readonly attributeQualified: boolean;
}

/** An XSD element with the chain of its ancestors, for QName resolution and error locations. */
interface Node {
  readonly el: XmlElement;
  readonly parent: Node | null;
  readonly doc: Doc;
}

function child(el: XmlElement, parent: Node): Node {
  return { el, parent, doc: parent.doc };
}

function xsdChildren(node: Node): Node[] {
  const out: Node[] = [];
  for (const c of node.el.children) {
    if (c.kind === 'element') {
      if (c.namespace !== XSD_NAMESPACE) fail(node, `<${c.qname}> is not an XML Schema element`);
      if (c.localName !== 'annotation') out.push(child(c, node));
    } else if (c.kind === 'text' && c.value.trim() !== '') {
      fail(node, `text ${JSON.stringify(c.value.trim().slice(0, 30))} inside <${node.el.qname}>`);
    }
  }
  return out;
}

function describe(node: Node): string {
  const name = attr(node, 'name') ?? attr(node, 'ref');
  return `<xs:${node.el.localName}${name === undefined ? '' : ` ${name}`}>`;
}

function fail(node: Node, reason: string): never {
  const parts: string[] = [];
  for (let n: Node | null = node; n !== null; n = n.parent) parts.unshift(describe(n));
  throw new XsdCompileError(`${node.doc.path}: ${parts.slice(1).join(' ')}: ${reason}`);
}

function attr(node: Node, name: string): string | undefined {
  for (const a of node.el.attributes) if (a.namespace === null && a.localName === name) return a.value;
  return undefined;
}

function checkAttributes(node: Node): void {
  const allowed = ALLOWED_ATTRIBUTES[node.el.localName];
  if (allowed === undefined) fail(node, `xs:${node.el.localName} is not supported`);
  for (const a of node.el.attributes) {
    if (a.namespace !== null) continue; // §3.2.2 etc.: attributes from other namespaces are annotations
    if (!allowed.includes(a.localName)) fail(node, `attribute ${a.localName}="${a.value}" is not supported`);
  }
}

function resolvePrefix(node: Node, prefix: string | null): string | null | undefined {
  if (prefix === 'xml') return XML_NAMESPACE;
  for (let n: Node | null = node; n !== null; n = n.parent) {
    for (const d of n.el.namespaces) if (d.prefix === prefix) return d.uri === '' ? null : d.uri;
  }
  return prefix === null ? null : undefined;
}

function resolveQName(node: Node, value: string): { namespace: string | null; localName: string } {
  const v = value.trim();
  const colon = v.indexOf(':');
  const prefix = colon < 0 ? null : v.slice(0, colon);
  const localName = colon < 0 ? v : v.slice(colon + 1);
  const namespace = resolvePrefix(node, prefix);
  if (namespace === undefined) fail(node, `prefix ${prefix} of ${v} is not declared`);
  return { namespace, localName };
}

function occurs(node: Node, name: 'minOccurs' | 'maxOccurs'): number {
  const v = attr(node, name)?.trim();
  if (v === undefined) return 1;
  if (name === 'maxOccurs' && v === 'unbounded') return Infinity;
  if (!/^\d+$/.test(v)) fail(node, `${name}="${v}" is not a non-negative integer`);
  return Number(v);
}

function symbolKey(namespace: string | null, localName: string): string {
  return `{${namespace ?? ''}}${localName}`;
}

class Compiler {
  private readonly docs: Doc[] = [];
  private readonly loadedNamespaces = new Map<string | null, string>();
  private readonly elementNodes = new Map<string, Node>();
  private readonly typeNodes = new Map<string, Node>();
  private readonly elements = new Map<string, ElementDecl>();
  private readonly types = new Map<string, TypeDefinition>();
  private readonly inProgress = new Set<string>();
  private readonly complexFilled = new Set<ComplexType>();
  private readonly complexInProgress = new Set<ComplexType>();
  private readonly complexTypes: ComplexType[] = [];
  private readonly shellNodes = new Map<ComplexType, Node>();
  private readonly pendingElements: { decl: ElementDecl; node: Node }[] = [];
  readonly prefixes = new Map<string, string>([[XSD_NAMESPACE, 'xs']]);
  /** Particles as written per complex type, so extensions can append to their base. */
  private readonly particles = new Map<ComplexType, Particle | null>();

  load(path: string, expectedNamespace: string | null | undefined, from: Node | null): void {
    let doc: SchemaDocument;
    try {
      doc = readSchemaDocument(path);
    } catch (e) {
      if (from !== null && e instanceof XsdCompileError) fail(from, e.message);
      throw e;
    }
    const root = doc.root;
    if (root.namespace !== XSD_NAMESPACE || root.localName !== 'schema')
      throw new XsdCompileError(`${path}: the root element is <${root.qname}>, not xs:schema`);
    const shell: Doc = {
      path,
      root,
      targetNamespace: null,
      elementQualified: false,
      attributeQualified: false,
    };
    const rootNode: Node = { el: root, parent: null, doc: shell };
    checkAttributes(rootNode);
    const form = (name: string): boolean => {
      const v = attr(rootNode, name) ?? 'unqualified';
      if (v !== 'qualified' && v !== 'unqualified') fail(rootNode, `${name}="${v}"`);
      return v === 'qualified';
    };
    const d: Doc = {
      path,
      root,
      targetNamespace: attr(rootNode, 'targetNamespace') ?? null,
      elementQualified: form('elementFormDefault'),
      attributeQualified: form('attributeFormDefault'),
    };
    if (expectedNamespace !== undefined && d.targetNamespace !== expectedNamespace) {
      fail(from!, `imported ${path} has targetNamespace ${d.targetNamespace}, not ${expectedNamespace}`);
    }
    this.loadedNamespaces.set(d.targetNamespace, path);
    this.docs.push(d);
    for (const decl of root.namespaces) {
      if (decl.prefix !== null && decl.uri !== '' && !this.prefixes.has(decl.uri))
        this.prefixes.set(decl.uri, decl.prefix);
    }
    const node: Node = { el: root, parent: null, doc: d };
    for (const c of xsdChildren(node)) this.topLevel(c);
  }

  private topLevel(node: Node): void {
    checkAttributes(node);
    const name = attr(node, 'name');
    switch (node.el.localName) {
      case 'import': {
        const ns = attr(node, 'namespace') ?? null;
        const location = attr(node, 'schemaLocation');
        if (this.loadedNamespaces.has(ns)) return; // §4.2.3: one schema per namespace, first wins
        if (location === undefined) fail(node, 'an import without schemaLocation cannot be loaded');
        this.load(resolveSchemaLocation(node.doc.path, location), ns, node);
        return;
      }
      case 'element':
      case 'complexType':
      case 'simpleType': {
        if (name === undefined) fail(node, 'a top-level declaration needs a name');
        const key = symbolKey(node.doc.targetNamespace, name);
        const table = node.el.localName === 'element' ? this.elementNodes : this.typeNodes;
        if (table.has(key)) fail(node, `${name} is declared twice`);
        table.set(key, node);
        return;
      }
      default:
        fail(node, `top-level xs:${node.el.localName} is not supported`);
    }
  }

  private display(namespace: string | null, localName: string): string {
    const prefix = namespace === null ? undefined : this.prefixes.get(namespace);
    return prefix === undefined ? localName : `${prefix}:${localName}`;
  }

  compile(): CompiledSchema {
    for (const [key, node] of this.elementNodes) this.elements.set(key, this.newElement(node, true));
    for (const [key, node] of this.typeNodes) this.namedType(key, node);
    // Resolving an element's type may create anonymous complex types; filling a complex type creates local
    // elements. Work through both lists until neither grows.
    let e = 0;
    let c = 0;
    while (e < this.pendingElements.length || c < this.complexTypes.length) {
      for (; e < this.pendingElements.length; e++) {
        const { decl, node } = this.pendingElements[e]!;
        decl.type = this.elementType(node, decl.displayName);
      }
      for (; c < this.complexTypes.length; c++) this.fillComplex(this.complexTypes[c]!);
    }
    const elements = new Map<string | null, Map<string, ElementDecl>>();
    for (const decl of this.elements.values()) {
      let m = elements.get(decl.namespace);
      if (m === undefined) elements.set(decl.namespace, (m = new Map()));
      m.set(decl.localName, decl);
    }
    const types = new Map<string | null, Map<string, TypeDefinition>>();
    for (const t of this.types.values()) {
      let m = types.get(t.namespace);
      if (m === undefined) types.set(t.namespace, (m = new Map()));
      m.set(t.localName!, t);
    }
    return { files: this.docs.map((d) => d.path), elements, types, prefixes: this.prefixes };
  }

  /** An element declaration whose type is resolved later (placeholder until then). */
  private newElement(node: Node, global: boolean): ElementDecl {
    checkAttributes(node);
    const name = attr(node, 'name');
    if (name === undefined) fail(node, 'an element needs a name or a ref');
    if (global && (attr(node, 'minOccurs') !== undefined || attr(node, 'maxOccurs') !== undefined))
      fail(node, 'minOccurs/maxOccurs on a top-level element');
    const form = attr(node, 'form');
    const qualified = global || (form === undefined ? node.doc.elementQualified : form === 'qualified');
    const namespace = qualified ? node.doc.targetNamespace : null;
    const decl: ElementDecl = {
      kind: 'element',
      namespace,
      localName: name,
      displayName: this.display(namespace, name),
      type: PLACEHOLDER,
      defaultValue: attr(node, 'default') ?? null,
    };
    this.pendingElements.push({ decl, node });
    return decl;
  }

  private elementType(node: Node, owner: string): TypeDefinition {
    const typeName = attr(node, 'type');
    const inline = xsdChildren(node);
    if (typeName !== undefined) {
      if (inline.length > 0) fail(node, 'both a type attribute and an inline type');
      return this.typeByQName(node, typeName);
    }
    if (inline.length !== 1) fail(node, 'an element without a type (xs:anyType) is not supported');
    const t = inline[0]!;
    checkAttributes(t);
    if (attr(t, 'name') !== undefined) fail(t, 'a local type cannot have a name');
    if (t.el.localName === 'simpleType') return this.simpleType(t, null, owner);
    if (t.el.localName === 'complexType') return this.complexShell(t, null, owner);
    return fail(t, `xs:${t.el.localName} inside an element is not supported`);
  }

  private typeByQName(node: Node, value: string): TypeDefinition {
    const { namespace, localName } = resolveQName(node, value);
    if (namespace === XSD_NAMESPACE) {
      const b = builtinSimpleType(localName);
      if (b === undefined) fail(node, `built-in type xs:${localName} is not supported`);
      return b;
    }
    const key = symbolKey(namespace, localName);
    const found = this.typeNodes.get(key);
    if (found === undefined) fail(node, `type ${value} is not declared`);
    return this.namedType(key, found);
  }

  private namedType(key: string, node: Node): TypeDefinition {
    const done = this.types.get(key);
    if (done !== undefined) return done;
    checkAttributes(node);
    const name = { namespace: node.doc.targetNamespace, localName: attr(node, 'name')! };
    if (node.el.localName === 'complexType') {
      const shell = this.complexShell(node, name);
      this.types.set(key, shell);
      return shell;
    }
    if (this.inProgress.has(key)) fail(node, 'the simple type derives from itself');
    this.inProgress.add(key);
    const t = this.simpleType(node, name);
    this.inProgress.delete(key);
    this.types.set(key, t);
    return t;
  }

  private simpleType(
    node: Node,
    name: { namespace: string | null; localName: string } | null,
    owner = 'a restriction',
  ): SimpleType {
    const kids = xsdChildren(node);
    if (kids.length !== 1 || kids[0]!.el.localName !== 'restriction')
      fail(
        node,
        `only xs:restriction is supported in a simple type (found ${kids.map((k) => k.el.localName).join(', ') || 'nothing'})`,
      );
    const r = kids[0]!;
    checkAttributes(r);
    const baseName = attr(r, 'base');
    const rest = xsdChildren(r);
    let base: SimpleType;
    let facetNodes = rest;
    if (baseName !== undefined) base = this.simpleBase(r, baseName);
    else {
      const inner = rest[0];
      if (inner === undefined || inner.el.localName !== 'simpleType') fail(r, 'a restriction needs a base');
      base = this.simpleType(inner, null, owner);
      facetNodes = rest.slice(1);
    }
    const facets = facetNodes.map((f) => this.facet(f));
    const displayName =
      name === null ? `anonymous type of ${owner}` : this.display(name.namespace, name.localName);
    try {
      return restrictSimpleType(base, facets, {
        displayName,
        namespace: name?.namespace ?? null,
        localName: name?.localName ?? null,
      });
    } catch (e) {
      if (e instanceof FacetError || e instanceof XsdRegexError) fail(r, e.message);
      throw e;
    }
  }

  private simpleBase(node: Node, qname: string): SimpleType {
    const t = this.typeByQName(node, qname);
    if (t.kind !== 'simple') fail(node, `${qname} is a complex type, not a simple one`);
    return t;
  }

  private facet(node: Node): FacetSpec {
    const name = node.el.localName;
    if (!FACET_NAMES.has(name)) fail(node, `xs:${name} is not a supported facet`);
    for (const a of node.el.attributes) {
      if (a.namespace === null && a.localName !== 'value' && a.localName !== 'id' && a.localName !== 'fixed')
        fail(node, `attribute ${a.localName} on a facet`);
    }
    const value = attr(node, 'value');
    if (value === undefined) fail(node, 'a facet needs a value');
    if (xsdChildren(node).length > 0) fail(node, 'a facet has no content');
    return { name, value };
  }

  /** A complex type whose content is filled in by fillComplex (types may refer to each other in any order). */
  private complexShell(
    node: Node,
    name: { namespace: string | null; localName: string } | null,
    owner = '',
  ): ComplexType {
    checkAttributes(node);
    const abstract = attr(node, 'abstract');
    const t: ComplexType = {
      kind: 'complex',
      displayName:
        name === null ? `anonymous type of ${owner}` : this.display(name.namespace, name.localName),
      namespace: name?.namespace ?? null,
      localName: name?.localName ?? null,
      abstract: abstract === 'true' || abstract === '1',
      base: null,
      derivation: null,
      attributes: [],
      requiredAttributes: 0,
      content: { kind: 'empty' },
    };
    this.shellNodes.set(t, node);
    this.complexTypes.push(t);
    return t;
  }

  /** §3.4.2 complex type definition: content type and attribute uses, after the base's. */
  private fillComplex(t: ComplexType): void {
    if (this.complexFilled.has(t)) return;
    const node = this.shellNodes.get(t)!;
    if (this.complexInProgress.has(t)) fail(node, 'the complex type derives from itself');
    this.complexInProgress.add(t);
    const kids = xsdChildren(node);
    const first = kids[0];
    let mixed = attr(node, 'mixed') === 'true';
    let particle: Particle | null = null;
    let attributes: AttributeUse[] = [];
    if (first !== undefined && first.el.localName === 'simpleContent') {
      if (kids.length > 1) fail(kids[1]!, 'nothing may follow xs:simpleContent');
      this.simpleContent(t, first);
    } else if (first !== undefined && first.el.localName === 'complexContent') {
      if (kids.length > 1) fail(kids[1]!, 'nothing may follow xs:complexContent');
      checkAttributes(first);
      if (attr(first, 'mixed') !== undefined) mixed = attr(first, 'mixed') === 'true';
      const der = xsdChildren(first);
      if (der.length !== 1 || der[0]!.el.localName !== 'extension')
        fail(first, 'only xs:extension is supported in xs:complexContent');
      const ext = der[0]!;
      checkAttributes(ext);
      const base = this.typeByQName(ext, attr(ext, 'base') ?? fail(ext, 'an extension needs a base'));
      if (base.kind !== 'complex') fail(ext, 'complexContent extends a complex type');
      this.fillComplex(base);
      if (base.content.kind === 'simple')
        fail(ext, 'complexContent cannot extend a type with simple content');
      const own = this.particleAndAttributes(ext);
      const baseParticle = this.particles.get(base) ?? null;
      particle =
        baseParticle === null
          ? own.particle
          : own.particle === null
            ? baseParticle
            : { min: 1, max: 1, term: { kind: 'sequence', particles: [baseParticle, own.particle] } };
      if (base.content.kind === 'elements' && base.content.mixed !== mixed)
        fail(ext, 'an extension must keep the base type mixed or element-only');
      attributes = [...base.attributes, ...own.attributes];
      t.base = base;
      t.derivation = 'extension';
      this.setElementContent(t, node, particle, mixed, attributes);
    } else {
      const own = this.particleAndAttributes(node, kids);
      this.setElementContent(t, node, own.particle, mixed, own.attributes);
    }
    this.complexFilled.add(t);
    this.complexInProgress.delete(t);
  }

  private setElementContent(
    t: ComplexType,
    node: Node,
    particle: Particle | null,
    mixed: boolean,
    attributes: AttributeUse[],
  ): void {
    const effective = particle !== null && !emptyParticle(particle) ? particle : null;
    this.particles.set(t, effective);
    let content: ContentType;
    if (effective === null && !mixed) content = { kind: 'empty' };
    else {
      try {
        const root = effective ?? { min: 1, max: 1, term: { kind: 'sequence', particles: [] } };
        content = {
          kind: 'elements',
          mixed,
          model: compileContentModel(root, `complexType ${t.displayName}`),
        };
      } catch (e) {
        if (e instanceof ContentModelError) fail(node, e.message);
        throw e;
      }
    }
    t.content = content;
    this.setAttributes(t, node, attributes);
  }

  private setAttributes(t: ComplexType, node: Node, attributes: AttributeUse[]): void {
    const seen = new Set<string>();
    for (const a of attributes) {
      const key = symbolKey(a.namespace, a.localName);
      if (seen.has(key)) fail(node, `attribute ${a.localName} is declared twice`);
      seen.add(key);
    }
    t.attributes = attributes;
    t.requiredAttributes = attributes.filter((a) => a.required).length;
  }

  private simpleContent(t: ComplexType, node: Node): void {
    checkAttributes(node);
    const der = xsdChildren(node);
    if (der.length !== 1 || der[0]!.el.localName !== 'extension')
      fail(node, 'only xs:extension is supported in xs:simpleContent');
    const ext = der[0]!;
    checkAttributes(ext);
    const baseName = attr(ext, 'base') ?? fail(ext, 'an extension needs a base');
    const base = this.typeByQName(ext, baseName);
    let simple: SimpleType;
    let inherited: readonly AttributeUse[] = [];
    if (base.kind === 'simple') simple = base;
    else {
      this.fillComplex(base);
      if (base.content.kind !== 'simple') fail(ext, `${baseName} does not have simple content`);
      simple = base.content.type;
      inherited = base.attributes;
    }
    const own = this.particleAndAttributes(ext);
    if (own.particle !== null) fail(ext, 'a simpleContent extension cannot add elements');
    t.base = base;
    t.derivation = 'extension';
    t.content = { kind: 'simple', type: simple };
    this.particles.set(t, null);
    this.setAttributes(t, node, [...inherited, ...own.attributes]);
  }

  /** The optional model group and the attributes that follow it (§3.4.2 XML representation). */
  private particleAndAttributes(
    node: Node,
    kids: Node[] = xsdChildren(node),
  ): { particle: Particle | null; attributes: AttributeUse[] } {
    let particle: Particle | null = null;
    const attributes: AttributeUse[] = [];
    for (const k of kids) {
      const kind = k.el.localName;
      if (kind === 'sequence' || kind === 'choice') {
        if (particle !== null || attributes.length > 0) fail(k, 'one model group, before the attributes');
        particle = this.groupParticle(k);
      } else if (kind === 'attribute') {
        attributes.push(this.attributeUse(k));
      } else {
        fail(k, `xs:${kind} is not supported here`);
      }
    }
    return { particle, attributes };
  }

  private groupParticle(node: Node): Particle {
    checkAttributes(node);
    const group: ModelGroup = { kind: node.el.localName as 'sequence' | 'choice', particles: [] };
    for (const k of xsdChildren(node)) {
      switch (k.el.localName) {
        case 'sequence':
        case 'choice':
          group.particles.push(this.groupParticle(k));
          break;
        case 'element':
          group.particles.push(this.elementParticle(k));
          break;
        case 'any':
          group.particles.push(this.wildcardParticle(k));
          break;
        default:
          fail(k, `xs:${k.el.localName} is not supported in a model group`);
      }
    }
    return { min: occurs(node, 'minOccurs'), max: occurs(node, 'maxOccurs'), term: group };
  }

  private elementParticle(node: Node): Particle {
    checkAttributes(node);
    const ref = attr(node, 'ref');
    const min = occurs(node, 'minOccurs');
    const max = occurs(node, 'maxOccurs');
    if (ref !== undefined) {
      for (const a of ['name', 'type', 'default', 'form'])
        if (attr(node, a) !== undefined) fail(node, `ref and ${a} together`);
      if (xsdChildren(node).length > 0) fail(node, 'an element reference has no content');
      const { namespace, localName } = resolveQName(node, ref);
      const decl = this.elements.get(symbolKey(namespace, localName));
      if (decl === undefined) fail(node, `element ${ref} is not declared`);
      return { min, max, term: decl };
    }
    return { min, max, term: this.newElement(node, false) };
  }

  private wildcardParticle(node: Node): Particle {
    checkAttributes(node);
    if (xsdChildren(node).length > 0) fail(node, 'xs:any has no content');
    const spec = (attr(node, 'namespace') ?? '##any').trim();
    const pc = attr(node, 'processContents') ?? 'strict';
    if (pc !== 'strict' && pc !== 'lax' && pc !== 'skip') fail(node, `processContents="${pc}"`);
    const tns = node.doc.targetNamespace;
    let w: Wildcard;
    if (spec === '##any') w = wildcard('any', null, [], pc, spec);
    else if (spec === '##other') w = wildcard('not', tns, [], pc, spec);
    else {
      const list = spec
        .split(/[\t\n\r ]+/)
        .map((t) => (t === '##targetNamespace' ? tns : t === '##local' ? null : t));
      if (list.some((t) => t !== null && t.startsWith('##'))) fail(node, `namespace="${spec}"`);
      w = wildcard('list', null, list, pc, spec);
    }
    return { min: occurs(node, 'minOccurs'), max: occurs(node, 'maxOccurs'), term: w };
  }

  private attributeUse(node: Node): AttributeUse {
    checkAttributes(node);
    const name = attr(node, 'name');
    if (name === undefined) fail(node, 'an attribute needs a name (ref is not supported)');
    const use = attr(node, 'use') ?? 'optional';
    if (use !== 'optional' && use !== 'required') fail(node, `use="${use}" is not supported`);
    const typeName = attr(node, 'type');
    const inline = xsdChildren(node);
    let type: SimpleType;
    if (typeName !== undefined) {
      if (inline.length > 0) fail(node, 'both a type attribute and an inline type');
      type = this.simpleBase(node, typeName);
    } else if (inline.length === 0) type = builtinSimpleType('anySimpleType')!;
    else if (inline.length === 1 && inline[0]!.el.localName === 'simpleType') {
      checkAttributes(inline[0]!);
      type = this.simpleType(inline[0]!, null, `attribute ${name}`);
    } else fail(node, 'an attribute type must be a simple type');
    const form = attr(node, 'form');
    const qualified = form === undefined ? node.doc.attributeQualified : form === 'qualified';
    return {
      namespace: qualified ? node.doc.targetNamespace : null,
      localName: name,
      type,
      required: use === 'required',
    };
  }
}

function wildcard(
  mode: Wildcard['mode'],
  excluded: string | null,
  namespaces: (string | null)[],
  processContents: Wildcard['processContents'],
  spec: string,
): Wildcard {
  return {
    kind: 'wildcard',
    mode,
    excluded,
    namespaces: new Set(namespaces),
    processContents,
    displayName: `any element from ${spec}`,
  };
}

/** §3.4.2: a group with nothing in it (or never occurring) gives empty content. */
function emptyParticle(p: Particle): boolean {
  if (p.max === 0) return true;
  const t = p.term;
  if (t.kind !== 'sequence' && t.kind !== 'choice') return false;
  if (t.kind === 'choice' && t.particles.length === 0) return p.min === 0;
  return t.particles.every(emptyParticle);
}

/** Stands in for an element's type until the schema is linked; never seen by the validator. */
const PLACEHOLDER: ComplexType = {
  kind: 'complex',
  displayName: '(unresolved)',
  namespace: null,
  localName: null,
  abstract: true,
  base: null,
  derivation: null,
  attributes: [],
  requiredAttributes: 0,
  content: { kind: 'empty' },
};

/** Compiles the schema at `path` and every schema it imports. Throws XsdCompileError naming file and construct. */
export function compileXsd(path: string): CompiledSchema {
  const c = new Compiler();
  c.load(path, undefined, null);
  return c.compile();
}
