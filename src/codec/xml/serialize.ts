// Writes the tree back as XML 1.0 that parseXml reads to an equal tree: declarations and attributes in their
// order, CDATA kept, and characters the parser would normalise (CR, TAB and LF in attributes, CR in text)
// written as character references. Trees built by hand get any missing namespace declaration added.

import { firstIllegalChar, isNcName } from './chars.js';
import { escapeTable, escapeWith } from './escape.js';
import { XML_NAMESPACE } from './parse.js';
import type { XmlDocument, XmlElement, XmlNode } from './types.js';

/** A tree that cannot be written as well-formed XML (an illegal name or character, a namespace clash). */
export class XmlWriteError extends Error {
  override readonly name = 'XmlWriteError';
}

export interface SerializeXmlOptions {
  /**
   * Write an XML declaration. Default: for a document, when it has one; for an element, never.
   * `true` without a declaration in the document writes `<?xml version="1.0" encoding="UTF-8"?>`.
   */
  declaration?: boolean;
}

/** Serialises a document or element; parseXml(serializeXml(x)) equals x for any parsed x. */
export function serializeXml(node: XmlDocument | XmlElement, options?: SerializeXmlOptions): string {
  const out: string[] = [];
  const writer = new Writer(out);
  if ('root' in node) {
    const want = options?.declaration ?? node.declaration !== null;
    if (want) out.push(xmlDeclaration(node.declaration ?? { version: '1.0', encoding: 'UTF-8' }));
    for (const n of node.prolog) {
      writer.node(n);
      out.push('\n');
    }
    writer.element(node.root);
    for (const n of node.epilog) {
      out.push('\n');
      writer.node(n);
    }
  } else {
    if (options?.declaration === true) out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
    writer.element(node);
  }
  return out.join('');
}

/** The XML declaration as serializeXml writes it, with its line end. */
export function xmlDeclaration(d: NonNullable<XmlDocument['declaration']>): string {
  let out = `<?xml version="${d.version}"`;
  if (d.encoding !== undefined) out += ` encoding="${d.encoding}"`;
  if (d.standalone !== undefined) out += ` standalone="${d.standalone}"`;
  return out + '?>\n';
}

class Writer {
  /** In-scope bindings of what has been written: prefix ('' for default) to URI ('' for none). */
  private readonly scope = new Map<string, string>([
    ['xml', XML_NAMESPACE],
    ['', ''],
  ]);
  private readonly undoPrefix: string[] = [];
  private readonly undoUri: (string | undefined)[] = [];
  /** Qualified names of the open elements, for error messages. */
  private readonly path: string[] = [];

  constructor(private readonly out: string[]) {}

  private fail(reason: string): never {
    throw new XmlWriteError(`xml serialize: /${this.path.join('/')}: ${reason}`);
  }

  private checkChars(s: string, what: string): void {
    const bad = firstIllegalChar(s, 0, s.length);
    if (bad >= 0) {
      const code = s.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0');
      this.fail(`${what} holds U+${code}, which XML 1.0 cannot represent`);
    }
  }

  node(n: XmlNode): void {
    const out = this.out;
    switch (n.kind) {
      case 'element':
        this.element(n);
        return;
      case 'text':
        if (n.cdata === true) {
          if (n.value.includes(']]>') || n.value.includes('\r')) {
            this.fail(`CDATA section cannot hold "]]>" or CR: ${JSON.stringify(n.value.slice(0, 40))}`);
          }
          this.checkChars(n.value, 'CDATA section');
          out.push('<![CDATA[', n.value, ']]>');
        } else {
          this.checkChars(n.value, 'text');
          out.push(escapeText(n.value));
        }
        return;
      case 'comment':
        if (n.value.includes('--') || n.value.endsWith('-') || n.value.includes('\r')) {
          this.fail(
            `comment cannot contain "--", end with "-" or hold CR: ${JSON.stringify(n.value.slice(0, 40))}`,
          );
        }
        this.checkChars(n.value, 'comment');
        out.push('<!--', n.value, '-->');
        return;
      case 'pi': {
        if (!isNcName(n.target) || n.target.toLowerCase() === 'xml') {
          this.fail(`processing instruction target "${n.target}" is not an NCName other than "xml"`);
        }
        const d = n.data;
        if (d.includes('?>') || d.includes('\r') || /^[ \t\n]/.test(d)) {
          this.fail(
            `processing instruction data cannot contain "?>" or CR, or start with whitespace: ${JSON.stringify(d.slice(0, 40))}`,
          );
        }
        this.checkChars(d, 'processing instruction');
        out.push('<?', n.target, d === '' ? '' : ' ', d, '?>');
        return;
      }
    }
  }

  element(el: XmlElement): void {
    const out = this.out;
    this.path.push(el.qname);
    if (!isQNameOf(el.qname, el.prefix, el.localName)) {
      this.fail(
        `element qname "${el.qname}" is not a QName made of prefix ${JSON.stringify(el.prefix)} and local name "${el.localName}"`,
      );
    }
    const mark = this.undoPrefix.length;
    out.push('<', el.qname);
    const declared: string[] = [];
    for (const d of el.namespaces) {
      const key = d.prefix ?? '';
      if (declared.includes(key)) this.fail(`namespace prefix "${key}" declared twice`);
      declared.push(key);
      if (d.prefix !== null && !isNcName(d.prefix))
        this.fail(`namespace prefix "${d.prefix}" is not an NCName`);
      if (d.prefix !== null && d.uri === '')
        this.fail(`namespace prefix "${d.prefix}" cannot be bound to ""`);
      out.push(d.prefix === null ? ' xmlns="' : ` xmlns:${d.prefix}="`, this.attribute(d.uri), '"');
      this.bind(key, d.uri);
    }
    this.ensureBound(el.prefix, el.namespace, declared, 'element');
    for (const a of el.attributes) {
      if (a.prefix !== null) this.ensureBound(a.prefix, a.namespace, declared, `attribute "${a.qname}"`);
      else if (a.namespace !== null)
        this.fail(`attribute "${a.qname}" has namespace ${a.namespace} but no prefix`);
    }
    for (const a of el.attributes) {
      if (!isQNameOf(a.qname, a.prefix, a.localName) || a.prefix === 'xmlns' || a.qname === 'xmlns') {
        this.fail(
          `attribute qname "${a.qname}" is not a QName made of prefix ${JSON.stringify(a.prefix)} and local name "${a.localName}"`,
        );
      }
      out.push(' ', a.qname, '="', this.attribute(a.value), '"');
    }
    if (el.children.length === 0) {
      out.push('/>');
    } else {
      out.push('>');
      for (const c of el.children) this.node(c);
      out.push('</', el.qname, '>');
    }
    this.popScope(mark);
    this.path.pop();
  }

  private attribute(value: string): string {
    this.checkChars(value, 'attribute value');
    return escapeAttribute(value);
  }

  /** Adds xmlns[:prefix] to the open start tag when the prefix is not already bound to `namespace`. */
  private ensureBound(
    prefix: string | null,
    namespace: string | null,
    declared: string[],
    what: string,
  ): void {
    const key = prefix ?? '';
    const uri = namespace ?? '';
    if (this.scope.get(key) === uri) return;
    if (prefix !== null && uri === '') this.fail(`${what} has prefix "${prefix}" but no namespace`);
    if (prefix === 'xml' || prefix === 'xmlns' || declared.includes(key)) {
      this.fail(
        `${what} needs prefix "${key}" bound to "${uri}", but it is bound to "${this.scope.get(key)}" here`,
      );
    }
    declared.push(key);
    this.out.push(prefix === null ? ' xmlns="' : ` xmlns:${prefix}="`, this.attribute(uri), '"');
    this.bind(key, uri);
  }

  private bind(key: string, uri: string): void {
    this.undoPrefix.push(key);
    this.undoUri.push(this.scope.get(key));
    this.scope.set(key, uri);
  }

  private popScope(mark: number): void {
    while (this.undoPrefix.length > mark) {
      const key = this.undoPrefix.pop()!;
      const previous = this.undoUri.pop();
      if (previous === undefined) this.scope.delete(key);
      else this.scope.set(key, previous);
    }
  }
}

/** Whether `qname` is a QName spelled `prefix:localName` (or `localName` without a prefix). */
function isQNameOf(qname: string, prefix: string | null, localName: string): boolean {
  if (prefix === null) return qname === localName && isNcName(qname);
  const n = prefix.length;
  return (
    qname.length === n + 1 + localName.length &&
    qname.charCodeAt(n) === 0x3a &&
    qname.startsWith(prefix) &&
    qname.endsWith(localName) &&
    isNcName(prefix) &&
    isNcName(localName)
  );
}

/** Text: & < > escaped, CR as a reference (the parser would turn a literal CR into LF). */
const TEXT = escapeTable({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' });
export function escapeText(s: string): string {
  return escapeWith(s, TEXT);
}

/** Attribute value in double quotes: & < " escaped, TAB LF CR as references (the parser would turn them into spaces). */
const ATTRIBUTE = escapeTable({
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
});
export function escapeAttribute(s: string): string {
  return escapeWith(s, ATTRIBUTE);
}
