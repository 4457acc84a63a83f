// DUIS bodies as a generic, order-preserving element tree whose leaves are strings: every SRV's body and every
// DSP response body reads and writes through it, and the typed seed bodies (bodies.ts) sit on top. DUIS content is
// element-only (XSD elementFormDefault="qualified", no mixed content), so whitespace between elements is layout and
// text beside an element is an error.
import { XML_NAMESPACE } from '../xml/parse.js';
import type { XmlAttribute, XmlElement, XmlNamespaceDeclaration, XmlNode } from '../xml/types.js';
import { DS_NAMESPACE, DuisError, RA_NAMESPACE, SR_NAMESPACE, XSI_NAMESPACE, quote } from './common.js';

/** An element with element content (possibly none: `<sr:ReadInstantaneousImportRegisters/>`). */
export interface DuisBranch {
  /** Local name, e.g. 'AddDeviceToCHFWhitelist'. */
  readonly name: string;
  /** Absent for the DUIS namespace (sr); '' for no namespace. */
  readonly namespace?: string;
  /** By qualified name, in document order; unprefixed, or xsi:/xml: prefixed. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children: readonly DuisBodyElement[];
}

/** An element with text content, e.g. `<sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>`. */
export interface DuisLeaf {
  readonly name: string;
  readonly namespace?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  /** As written (references expanded, whitespace kept); never empty (an empty element is a branch). */
  readonly text: string;
}

export type DuisBodyElement = DuisBranch | DuisLeaf;

export function isLeaf(node: DuisBodyElement): node is DuisLeaf {
  return 'text' in node;
}

/**
 * The element children of `el` in order. Whitespace text, comments and processing instructions between them are
 * layout; any other text is refused (DUIS has no mixed content).
 */
export function elementChildren(el: XmlElement, path: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.kind === 'element') out.push(c);
    else if (c.kind === 'text' && !isXmlWhitespace(c.value)) {
      throw new DuisError(path, `text ${quote(c.value)} where only elements may appear`, el.offset);
    }
  }
  return out;
}

/** The text of an element that must have no element children (comments dropped, CDATA as text). */
export function textContent(el: XmlElement, path: string): string {
  let text = '';
  for (const c of el.children) {
    if (c.kind === 'text') text += c.value;
    else if (c.kind === 'element') {
      throw new DuisError(path, `expected text content, got element ${c.qname}`, c.offset);
    }
  }
  return text;
}

/** "sr:RequestID" for DUIS elements, "{uri}Name" otherwise, for messages. */
export function describeElement(el: XmlElement): string {
  if (el.namespace === SR_NAMESPACE) return `sr:${el.localName}`;
  return el.namespace === null ? el.localName : `{${el.namespace}}${el.localName}`;
}

export function isDuisElement(el: XmlElement, localName: string): boolean {
  return el.localName === localName && el.namespace === SR_NAMESPACE;
}

/** Reads one element and its subtree. `path` is the element's own path. */
export function readTree(el: XmlElement, path: string): DuisBodyElement {
  const nodes = el.children;
  let elements = 0;
  let text = '';
  for (let i = 0; i < nodes.length; i++) {
    const c = nodes[i]!;
    if (c.kind === 'element') elements++;
    else if (c.kind === 'text') text = text === '' ? c.value : text + c.value;
  }
  let node: { name: string; namespace?: string; attributes?: Record<string, string> } & (
    { children: DuisBodyElement[] } | { text: string }
  );
  if (elements === 0)
    node = text === '' ? { name: el.localName, children: [] } : { name: el.localName, text };
  else {
    if (text !== '' && !isXmlWhitespace(text)) {
      throw new DuisError(path, `mixed content: text ${quote(text.trim())} beside elements`, el.offset);
    }
    const children: DuisBodyElement[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const c = nodes[i]!;
      if (c.kind === 'element') children.push(readTree(c, `${path}/${c.localName}`));
    }
    node = { name: el.localName, children };
  }
  if (el.namespace !== SR_NAMESPACE) node.namespace = el.namespace ?? '';
  if (el.attributes.length > 0) node.attributes = readAttributes(el, path);
  return node;
}

function isXmlWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Attributes by qualified name, xsi: and xml: prefixes normalised (fromEntries: a name like __proto__ stays data). */
function readAttributes(el: XmlElement, path: string): Record<string, string> {
  const entries: [string, string][] = [];
  for (const a of el.attributes) {
    if (a.prefix === null) entries.push([a.localName, a.value]);
    else if (a.namespace === XSI_NAMESPACE) entries.push([`xsi:${a.localName}`, a.value]);
    else if (a.namespace === XML_NAMESPACE) entries.push([`xml:${a.localName}`, a.value]);
    else {
      throw new DuisError(
        path,
        `attribute ${a.qname} is in namespace ${a.namespace}; DUIS attributes are unqualified`,
        el.offset,
      );
    }
  }
  return Object.fromEntries(entries);
}

// ---- writing -------------------------------------------------------------------------------------------------

const PREFIX_FOR: ReadonlyMap<string, string> = new Map([
  [SR_NAMESPACE, 'sr'],
  [RA_NAMESPACE, 'ra'],
  [DS_NAMESPACE, 'ds'],
]);

/** A built element (offset -1), prefixed as the DUIS templates write it: sr:, ra:, ds:; other namespaces unprefixed. */
export function buildElement(
  localName: string,
  namespace: string | null,
  children: XmlNode[],
  attributes: XmlAttribute[] = [],
  namespaces: XmlNamespaceDeclaration[] = [],
): XmlElement {
  const prefix = namespace === null ? null : (PREFIX_FOR.get(namespace) ?? null);
  return {
    kind: 'element',
    qname: prefix === null ? localName : `${prefix}:${localName}`,
    prefix,
    localName,
    namespace,
    namespaces,
    attributes,
    children,
    offset: -1,
  };
}

/** `<sr:Name>text</sr:Name>`. */
export function buildTextElement(localName: string, text: string): XmlElement {
  return buildElement(localName, SR_NAMESPACE, text === '' ? [] : [{ kind: 'text', value: text }]);
}

function indent(depth: number): string {
  return `\n${'  '.repeat(depth)}`;
}

/** Children laid out as the templates are: each on its own line, two spaces per level; `depth` is the parent's. */
export function indented(children: readonly XmlElement[], depth: number): XmlNode[] {
  if (children.length === 0) return [];
  const out: XmlNode[] = [];
  for (const c of children) out.push({ kind: 'text', value: indent(depth + 1) }, c);
  out.push({ kind: 'text', value: indent(depth) });
  return out;
}

/** Writes a tree node at `depth` (the number of ancestors, for layout). */
export function writeTree(node: DuisBodyElement, depth: number, path: string): XmlElement {
  const namespace =
    node.namespace === undefined ? SR_NAMESPACE : node.namespace === '' ? null : node.namespace;
  const attributes = node.attributes === undefined ? [] : writeAttributes(node.attributes, path);
  if (isLeaf(node)) {
    if (node.text === '')
      throw new DuisError(
        path,
        "a leaf's text cannot be empty: an empty element is a branch with no children",
      );
    return buildElement(node.name, namespace, [{ kind: 'text', value: node.text }], attributes);
  }
  const children = node.children.map((c) => writeTree(c, depth + 1, `${path}/${c.name}`));
  return buildElement(node.name, namespace, indented(children, depth), attributes);
}

function writeAttributes(attributes: Readonly<Record<string, string>>, path: string): XmlAttribute[] {
  const out: XmlAttribute[] = [];
  for (const qname of Object.keys(attributes)) {
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? null : qname.slice(0, colon);
    const namespace =
      prefix === null
        ? null
        : prefix === 'xsi'
          ? XSI_NAMESPACE
          : prefix === 'xml'
            ? XML_NAMESPACE
            : undefined;
    if (namespace === undefined)
      throw new DuisError(path, `attribute ${qname}: only xsi: and xml: prefixes are written`);
    out.push({ qname, prefix, localName: qname.slice(colon + 1), namespace, value: attributes[qname]! });
  }
  return out;
}

/**
 * Prefixes an element's subtree uses without declaring them itself (they were declared on an ancestor), with the
 * namespace each resolves to. A kept element (the ds:Signature) re-parented under a built root needs them there.
 */
export function inheritedNamespaces(el: XmlElement): XmlNamespaceDeclaration[] {
  const found = new Map<string, string>();
  const walk = (e: XmlElement, scope: ReadonlySet<string>): void => {
    let local = scope;
    if (e.namespaces.length > 0) {
      const s = new Set(scope);
      for (const d of e.namespaces) s.add(d.prefix ?? '');
      local = s;
    }
    const need = (prefix: string | null, ns: string | null): void => {
      const key = prefix ?? '';
      if (!local.has(key) && !found.has(key) && key !== 'xml' && !(key === '' && ns === null))
        found.set(key, ns ?? '');
    };
    need(e.prefix, e.namespace);
    for (const a of e.attributes) if (a.prefix !== null) need(a.prefix, a.namespace);
    for (const c of e.children) if (c.kind === 'element') walk(c, local);
  };
  walk(el, new Set());
  return [...found].map(([prefix, uri]) => ({ prefix: prefix === '' ? null : prefix, uri }));
}
