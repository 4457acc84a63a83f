// Exclusive XML Canonicalization 1.0 (W3C REC-xml-exc-c14n-20020718, RFC 3741) and Canonical XML 1.0
// (REC-xml-c14n-20010315, without comments or with) of an element subtree taken as a document subset.
// DUIS signatures use both: SignedInfo is canonicalised exclusively (its CanonicalizationMethod), while the
// Reference URI="" with only the enveloped-signature transform yields a node-set that XML-DSig 1.0 §4.3.3.2
// converts to octets with inclusive Canonical XML 1.0 — DCC Boxed digests are reproduced that way.

import { escapeTable, escapeWith } from './escape.js';
import { XML_NAMESPACE } from './parse.js';
import type { XmlAttribute, XmlDocument, XmlElement, XmlNode } from './types.js';

export interface C14nOptions {
  /** Keep comments (the #WithComments variants). Default false. */
  withComments?: boolean;
  /** Elements to leave out with their subtree, e.g. ds:Signature for the enveloped-signature transform. */
  omit?: (el: XmlElement) => boolean;
  /**
   * Elements enclosing the subtree, outermost first (see `ancestorsOf` in query.ts): their namespace declarations
   * (and, for inclusive C14N, xml:* attributes) are in scope at the apex. Exclusive C14N needs them only for
   * `inclusiveNamespacePrefixes`: the namespaces an element visibly uses are already resolved on it.
   */
  ancestors?: readonly XmlElement[];
}

export interface ExclusiveC14nOptions extends C14nOptions {
  /**
   * InclusiveNamespaces PrefixList (exc-c14n §3): prefixes handled by the inclusive Canonical XML rules, '#default'
   * for the default namespace. Their in-scope values come from `ancestors` and the subtree's own declarations.
   */
  inclusiveNamespacePrefixes?: readonly string[];
}

/**
 * The exclusive canonical form of an element (as the apex of a document subset) or of a whole document (its
 * root plus the processing instructions, and comments if asked, around it, each on its own line).
 */
export function canonicalizeExclusive(
  node: XmlElement | XmlDocument,
  options?: ExclusiveC14nOptions,
): string {
  return run(new Canonicalizer(options, false), node);
}

/**
 * The (inclusive) Canonical XML 1.0 form: every in-scope namespace is rendered at the apex and wherever it
 * changes, and the apex inherits the xml:* attributes of `ancestors` (C14N 1.0 §2.4).
 */
export function canonicalizeInclusive(node: XmlElement | XmlDocument, options?: C14nOptions): string {
  return run(new Canonicalizer(options, true), node);
}

function run(c: Canonicalizer, node: XmlElement | XmlDocument): string {
  if ('root' in node) {
    for (const n of node.prolog) {
      if (c.misc(n)) c.out.push('\n');
    }
    c.apex(node.root);
    for (const n of node.epilog) {
      const at = c.out.length;
      c.out.push('\n');
      if (!c.misc(n)) c.out.length = at;
    }
  } else {
    c.apex(node);
  }
  return c.out.join('');
}

const UTF8 = new TextEncoder();

/** canonicalizeExclusive as UTF-8 bytes, ready for a digest. */
export function canonicalizeExclusiveBytes(
  node: XmlElement | XmlDocument,
  options?: ExclusiveC14nOptions,
): Uint8Array {
  return UTF8.encode(canonicalizeExclusive(node, options));
}

/** canonicalizeInclusive as UTF-8 bytes, ready for a digest. */
export function canonicalizeInclusiveBytes(
  node: XmlElement | XmlDocument,
  options?: C14nOptions,
): Uint8Array {
  return UTF8.encode(canonicalizeInclusive(node, options));
}

class Canonicalizer {
  readonly out: string[] = [];
  private readonly withComments: boolean;
  private readonly omit: ((el: XmlElement) => boolean) | undefined;
  /** Prefix keys ('' for default) handled inclusively, 'all' for Canonical XML 1.0, or null for none. */
  private readonly inclusive: Set<string> | 'all' | null;
  /** True until the apex element's start tag is written. */
  private atApex = true;
  /** xml:* attributes the apex inherits from its ancestors (inclusive C14N only). */
  private readonly inheritedXmlAttributes: XmlAttribute[] = [];
  /** What the output ancestors have rendered: prefix key to URI; '' maps to '' until a default is rendered. */
  private readonly rendered = new Map<string, string>([['', '']]);
  private readonly renderedUndoKey: string[] = [];
  private readonly renderedUndoUri: (string | undefined)[] = [];
  /** In-scope declarations (tracked only for inclusive prefixes). */
  private readonly inScope = new Map<string, string>();
  private readonly inScopeUndoKey: string[] = [];
  private readonly inScopeUndoUri: (string | undefined)[] = [];

  constructor(options: ExclusiveC14nOptions | undefined, inclusiveAll: boolean) {
    this.withComments = options?.withComments === true;
    this.omit = options?.omit;
    const list = options?.inclusiveNamespacePrefixes ?? [];
    this.inclusive = inclusiveAll
      ? 'all'
      : list.length === 0
        ? null
        : new Set(list.map((p) => (p === '#default' ? '' : p)));
    if (this.inclusive !== null) {
      for (const a of options?.ancestors ?? []) {
        for (const d of a.namespaces) this.inScope.set(d.prefix ?? '', d.uri);
      }
    }
    if (inclusiveAll) {
      const inherited = new Map<string, XmlAttribute>();
      for (const a of options?.ancestors ?? []) {
        for (const attr of a.attributes)
          if (attr.namespace === XML_NAMESPACE) inherited.set(attr.localName, attr);
      }
      this.inheritedXmlAttributes.push(...inherited.values());
    }
  }

  /** The apex element: in inclusive C14N it carries the xml:* attributes of its ancestors it does not override. */
  apex(el: XmlElement): void {
    const inherited = this.inheritedXmlAttributes.filter(
      (a) => !el.attributes.some((own) => own.namespace === XML_NAMESPACE && own.localName === a.localName),
    );
    if (inherited.length === 0) this.element(el);
    else this.element({ ...el, attributes: [...el.attributes, ...inherited] });
  }

  /** A comment or processing instruction outside the root; returns whether anything was written. */
  misc(n: XmlNode): boolean {
    if (n.kind === 'comment' && !this.withComments) return false;
    this.child(n);
    return true;
  }

  private child(n: XmlNode): void {
    switch (n.kind) {
      case 'element':
        this.element(n);
        return;
      case 'text':
        this.out.push(escapeC14nText(n.value));
        return;
      case 'comment':
        if (this.withComments) this.out.push('<!--', n.value, '-->');
        return;
      case 'pi':
        this.out.push('<?', n.target, n.data === '' ? '' : ' ', n.data, '?>');
        return;
    }
  }

  element(el: XmlElement): void {
    if (this.omit?.(el) === true) return;
    const atApex = this.atApex;
    const out = this.out;
    const renderedMark = this.renderedUndoKey.length;
    const inScopeMark = this.inScopeUndoKey.length;
    if (this.inclusive !== null) {
      for (const d of el.namespaces) {
        const key = d.prefix ?? '';
        this.inScopeUndoKey.push(key);
        this.inScopeUndoUri.push(this.inScope.get(key));
        this.inScope.set(key, d.uri);
      }
    }

    // Namespace axis (exc-c14n §3 items 2 and 3): prefixes visibly utilised here whose rendered value differs.
    const nsKeys: string[] = [];
    const nsUris: string[] = [];
    this.consider(el.prefix ?? '', el.namespace ?? '', nsKeys, nsUris);
    for (const a of el.attributes) {
      if (a.prefix !== null) this.consider(a.prefix, a.namespace ?? '', nsKeys, nsUris);
    }
    // Rendering leaves the inclusive prefixes as in scope, so below the apex only new declarations can differ.
    if (this.inclusive !== null && (this.atApex || el.namespaces.length > 0)) {
      const keys = this.inclusive === 'all' ? this.inScope.keys() : this.inclusive;
      if (this.inclusive === 'all' && !this.inScope.has('')) this.queueInclusive('', nsKeys, nsUris);
      for (const key of keys) this.queueInclusive(key, nsKeys, nsUris);
    }

    out.push('<', el.qname);
    if (nsKeys.length > 0) {
      const order = nsKeys.map((_, i) => i);
      if (order.length > 1) order.sort((i, j) => compareCodePoints(nsKeys[i]!, nsKeys[j]!));
      for (const i of order) {
        const key = nsKeys[i]!;
        const uri = nsUris[i]!;
        out.push(key === '' ? ' xmlns="' : ` xmlns:${key}="`, escapeC14nAttribute(uri), '"');
        this.renderedUndoKey.push(key);
        this.renderedUndoUri.push(this.rendered.get(key));
        this.rendered.set(key, uri);
      }
    }

    // Attributes: by namespace URI (none first), then local name (C14N §2.2 document order of attributes).
    const attrs = el.attributes;
    if (attrs.length === 1) {
      const a = attrs[0]!;
      out.push(' ', a.qname, '="', escapeC14nAttribute(a.value), '"');
    } else if (attrs.length > 1) {
      const sorted = attrs
        .slice()
        .sort(
          (a, b) =>
            compareCodePoints(a.namespace ?? '', b.namespace ?? '') ||
            compareCodePoints(a.localName, b.localName),
        );
      for (const a of sorted) out.push(' ', a.qname, '="', escapeC14nAttribute(a.value), '"');
    }
    out.push('>');
    this.atApex = false;
    for (const c of el.children) this.child(c);
    this.atApex = atApex;
    out.push('</', el.qname, '>');

    while (this.renderedUndoKey.length > renderedMark) {
      const key = this.renderedUndoKey.pop()!;
      const previous = this.renderedUndoUri.pop();
      if (previous === undefined) this.rendered.delete(key);
      else this.rendered.set(key, previous);
    }
    while (this.inScopeUndoKey.length > inScopeMark) {
      const key = this.inScopeUndoKey.pop()!;
      const previous = this.inScopeUndoUri.pop();
      if (previous === undefined) this.inScope.delete(key);
      else this.inScope.set(key, previous);
    }
  }

  /** Queues an inclusively handled prefix when its in-scope value differs from what was rendered. */
  private queueInclusive(key: string, keys: string[], uris: string[]): void {
    if (key === 'xml') return;
    const uri = this.inScope.get(key) ?? (key === '' ? '' : undefined);
    if (uri !== undefined && keys.indexOf(key) < 0 && this.rendered.get(key) !== uri) {
      keys.push(key);
      uris.push(uri);
    }
  }

  /** Queues prefix `key` bound to `uri` for rendering if no output ancestor rendered that binding already. */
  private consider(key: string, uri: string, keys: string[], uris: string[]): void {
    // The xml prefix is bound by definition and never declared in canonical form.
    if (key === 'xml' && uri === XML_NAMESPACE) return;
    if (this.rendered.get(key) === uri || keys.indexOf(key) >= 0) return;
    keys.push(key);
    uris.push(uri);
  }
}

/** Orders strings by Unicode code point (UTF-16 code unit order differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above every BMP character; move them past E000-FFFF.
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** C14N §1.1 text nodes: & < > and CR replaced by &amp; &lt; &gt; &#xD;. */
const C14N_TEXT = escapeTable({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' });
export function escapeC14nText(s: string): string {
  return escapeWith(s, C14N_TEXT);
}

/** C14N §1.1 attribute values: & < " TAB LF CR replaced by &amp; &lt; &quot; &#x9; &#xA; &#xD;. */
const C14N_ATTRIBUTE = escapeTable({
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
});
export function escapeC14nAttribute(s: string): string {
  return escapeWith(s, C14N_ATTRIBUTE);
}
