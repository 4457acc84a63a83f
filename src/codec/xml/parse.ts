// XML 1.0 (Fifth Edition) with Namespaces in XML 1.0 (Third Edition): a single forward pass over the text,
// no regular expressions on input, no DTD (so no entity expansion, no external fetches), bounded by XmlLimits.
// Whitespace-only text between elements is kept: XML-DSig digests cover it.

import {
  ASCII_NAME,
  describeChar,
  isHighSurrogate,
  isLowSurrogate,
  isNameHighSurrogate,
  isNonAsciiNameChar,
  isNonAsciiNameStart,
  isXmlCodePoint,
  firstIllegalChar,
} from './chars.js';
import {
  DEFAULT_XML_LIMITS,
  XmlError,
  type XmlAttribute,
  type XmlComment,
  type XmlDocument,
  type XmlElement,
  type XmlLimits,
  type XmlNamespaceDeclaration,
  type XmlNode,
  type XmlProcessingInstruction,
} from './types.js';

/** The namespace bound to the prefix xml (Namespaces in XML 1.0 §3). */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
/** The namespace of xmlns attributes; it may not be declared (Namespaces in XML 1.0 §3). */
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;
const COLON = 0x3a;
const HASH = 0x23;
const SEMI = 0x3b;
const RSQB = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** ASCII characters that need no attention in text or attribute values: printable, not & < > " '. */
const PLAIN = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let c = 0x20; c < 0x7f; c++) t[c] = 1;
  t[0x7f] = 1;
  for (const c of [AMP, LT, GT, QUOT, APOS]) t[c] = 0;
  return t;
})();

/** Merges partial limits over the defaults; each must be a positive integer. */
export function resolveXmlLimits(limits?: Partial<XmlLimits>): XmlLimits {
  if (limits === undefined) return DEFAULT_XML_LIMITS;
  const out: XmlLimits = { ...DEFAULT_XML_LIMITS };
  for (const key of ['maxLength', 'maxDepth', 'maxAttributes', 'maxElements'] as const) {
    const v = limits[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new RangeError(`XmlLimits.${key} expected a positive integer, got ${v}`);
    }
    out[key] = v;
  }
  return out;
}

/** Line and column (1-based, columns in UTF-16 code units) of an offset; CR LF, CR and LF each end a line. */
export function lineAndColumn(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, src.length);
  for (let i = 0; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === LF || (c === CR && src.charCodeAt(i + 1) !== LF)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function errorAt(src: string, offset: number, reason: string): XmlError {
  const { line, column } = lineAndColumn(src, offset);
  return new XmlError(offset, line, column, reason);
}

/** Index of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function decodeUtf8(bytes: Uint8Array, limits: XmlLimits): string {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so more bytes than this cannot fit maxLength.
  if (bytes.length > 3 * limits.maxLength) {
    throw new XmlError(
      0,
      1,
      1,
      `document is ${bytes.length} bytes; at most ${limits.maxLength} characters are allowed (maxLength)`,
    );
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const prefix = UTF8.decode(bytes.subarray(0, Math.max(at, 0)));
    const { line, column } = lineAndColumn(prefix, prefix.length);
    throw new XmlError(
      prefix.length,
      line,
      column,
      `invalid UTF-8 at byte ${at} (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}); expected UTF-8 text`,
    );
  }
}

export interface XmlParseOptions {
  /**
   * 'refuse' (the default, and the only choice for anything received): a DOCTYPE is an XmlError.
   * 'skip': read past a DOCTYPE without interpreting it — no entity declared, no default attribute applied,
   * nothing fetched — for trusted local files that carry one (the W3C xmldsig-core-schema.xsd).
   */
  doctype?: 'refuse' | 'skip';
}

/**
 * Parses an XML 1.0 document (UTF-8 bytes or a string; a leading BOM is skipped) into a namespace-resolved tree.
 * Refuses any DTD, any entity reference other than the five predefined ones, and documents over `limits`;
 * every refusal is an XmlError carrying offset, line and column.
 */
export function parseXml(
  input: string | Uint8Array,
  limits?: Partial<XmlLimits>,
  options?: XmlParseOptions,
): XmlDocument {
  const lim = resolveXmlLimits(limits);
  const fromBytes = typeof input !== 'string';
  const text = fromBytes ? decodeUtf8(input, lim) : input;
  if (text.length > lim.maxLength) {
    throw errorAt(
      text,
      lim.maxLength,
      `document is ${text.length} characters; maxLength is ${lim.maxLength}`,
    );
  }
  return new Parser(text, lim, fromBytes, options?.doctype === 'skip').document();
}

class Parser {
  private pos: number;
  private readonly len: number;
  private elementCount = 0;
  /** Colon index within the last name read by readName, or -1. */
  private nameColon = -1;
  /** Where the last reference read by readReference ended. */
  private refEnd = 0;
  /** In-scope bindings: prefix ('' for the default namespace) to URI ('' when undeclared). */
  private readonly scope = new Map<string, string>([['xml', XML_NAMESPACE]]);
  private readonly undoPrefix: string[] = [];
  private readonly undoUri: (string | undefined)[] = [];
  /** One-entry lookup cache, cleared whenever a binding is made or undone (DUIS uses one prefix throughout). */
  private cachedPrefix: string | null = null;
  private cachedUri: string | undefined = undefined;
  /** Qualified names and offsets of the attributes of the start tag being read. */
  private readonly tagNames: string[] = [];
  private readonly tagOffsets: number[] = [];
  private selfClosing = false;
  /** 1 after a BOM, else 0. */
  private readonly documentStart: number;

  constructor(
    private readonly src: string,
    private readonly limits: XmlLimits,
    private readonly fromBytes: boolean,
    private readonly skipDoctype: boolean,
  ) {
    this.len = src.length;
    this.pos = this.documentStart = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  private fail(offset: number, reason: string): never {
    throw errorAt(this.src, offset, reason);
  }

  private found(at: number): string {
    return at >= this.len ? 'the end of the document' : describeChar(this.src.charCodeAt(at));
  }

  document(): XmlDocument {
    const src = this.src;
    let declaration: XmlDocument['declaration'] = null;
    if (src.startsWith('<?xml', this.pos) && isSpace(src.charCodeAt(this.pos + 5))) {
      declaration = this.declaration();
    }
    const prolog: (XmlComment | XmlProcessingInstruction)[] = [];
    let root: XmlElement | null = null;
    let doctypeSeen = false;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.len) {
        this.fail(
          this.pos,
          this.pos === 0
            ? 'document is empty; expected a root element'
            : 'no root element; expected a start tag',
        );
      }
      if (src.charCodeAt(this.pos) !== LT) {
        this.fail(this.pos, `expected "<" of the root element, found ${this.found(this.pos)}`);
      }
      const next = src.charCodeAt(this.pos + 1);
      if (next === QUESTION) prolog.push(this.processingInstruction());
      else if (next === BANG) {
        if (this.skipDoctype && !doctypeSeen && src.startsWith('<!DOCTYPE', this.pos)) {
          doctypeSeen = true;
          this.passDoctype();
        } else prolog.push(this.markupDeclOrComment(false));
      } else {
        root = this.rootElement();
        break;
      }
    }
    const epilog: (XmlComment | XmlProcessingInstruction)[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.len) break;
      if (src.charCodeAt(this.pos) !== LT) {
        this.fail(
          this.pos,
          `expected only comments or processing instructions after the root element, found ${this.found(this.pos)}`,
        );
      }
      const next = src.charCodeAt(this.pos + 1);
      if (next === QUESTION) epilog.push(this.processingInstruction());
      else if (next === BANG) epilog.push(this.markupDeclOrComment(false));
      else
        this.fail(
          this.pos,
          `a second root element after </${root.qname}>; a document has exactly one root element`,
        );
    }
    return { declaration, prolog, root, epilog };
  }

  // XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>' (XML 1.0 §2.8)
  private declaration(): NonNullable<XmlDocument['declaration']> {
    const src = this.src;
    const start = this.pos;
    this.pos += 5;
    const seen: { name: string; value: string; at: number }[] = [];
    for (;;) {
      const spaced = this.skipSpace();
      if (src.startsWith('?>', this.pos)) {
        this.pos += 2;
        break;
      }
      if (this.pos >= this.len) this.fail(this.pos, 'XML declaration not closed; expected "?>"');
      if (!spaced) {
        this.fail(this.pos, `expected whitespace in the XML declaration, found ${this.found(this.pos)}`);
      }
      const at = this.pos;
      let i = at;
      while (i < this.len && (src.charCodeAt(i) | 0x20) >= 0x61 && (src.charCodeAt(i) | 0x20) <= 0x7a) i++;
      const name = src.slice(at, i);
      this.pos = i;
      this.skipSpace();
      if (src.charCodeAt(this.pos) !== EQUALS) {
        this.fail(
          this.pos,
          `expected "=" after "${name}" in the XML declaration, found ${this.found(this.pos)}`,
        );
      }
      this.pos++;
      this.skipSpace();
      const q = src.charCodeAt(this.pos);
      if (q !== QUOT && q !== APOS) {
        this.fail(
          this.pos,
          `expected a quoted value for "${name}" in the XML declaration, found ${this.found(this.pos)}`,
        );
      }
      const end = src.indexOf(q === QUOT ? '"' : "'", this.pos + 1);
      if (end < 0) this.fail(this.pos, `value of "${name}" in the XML declaration is not closed`);
      seen.push({ name, value: src.slice(this.pos + 1, end), at });
      this.pos = end + 1;
    }
    const order = ['version', 'encoding', 'standalone'];
    let k = 0;
    const out: NonNullable<XmlDocument['declaration']> = { version: '' };
    for (const p of seen) {
      while (k < order.length && order[k] !== p.name) k++;
      if (k === order.length) {
        this.fail(
          p.at,
          `unexpected "${p.name}" in the XML declaration; expected version, then optional encoding and standalone, in that order`,
        );
      }
      k++;
      if (p.name === 'version') {
        if (p.value !== '1.0') this.fail(p.at, `XML version "${p.value}" is not supported; expected "1.0"`);
        out.version = p.value;
      } else if (p.name === 'encoding') {
        if (!isEncName(p.value)) this.fail(p.at, `encoding name "${p.value}" is not an EncName`);
        if (this.fromBytes && p.value.toUpperCase() !== 'UTF-8') {
          this.fail(p.at, `encoding "${p.value}" is not supported; expected UTF-8`);
        }
        out.encoding = p.value;
      } else {
        if (p.value !== 'yes' && p.value !== 'no') {
          this.fail(p.at, `standalone must be "yes" or "no", got "${p.value}"`);
        }
        out.standalone = p.value;
      }
    }
    if (seen[0]?.name !== 'version') {
      this.fail(start, 'XML declaration lacks version; expected version="1.0" first');
    }
    return out;
  }

  /** Skips S; returns whether any was skipped. */
  private skipSpace(): boolean {
    const src = this.src;
    const start = this.pos;
    let i = start;
    while (i < this.len && isSpace(src.charCodeAt(i))) i++;
    this.pos = i;
    return i > start;
  }

  /**
   * Reads a Name at pos that must also be a QName (at most one colon, not first or last); sets nameColon.
   * `what` names the thing for errors ("element name", "attribute name").
   */
  private readName(what: string): string {
    const src = this.src;
    const len = this.len;
    const start = this.pos;
    let i = start;
    let colon = -1;
    let wantStart = true;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c < 128) {
        const cls = ASCII_NAME[c]!;
        if (wantStart ? (cls & 1) !== 0 : (cls & 2) !== 0) {
          wantStart = false;
          i++;
          continue;
        }
        if (c === COLON && !wantStart) {
          if (colon >= 0) {
            this.fail(i, `${what} "${this.nameAt(start)}" has more than one colon; expected a QName`);
          }
          colon = i - start;
          wantStart = true;
          i++;
          continue;
        }
        break;
      }
      if (isHighSurrogate(c)) {
        if (isNameHighSurrogate(c) && isLowSurrogate(src.charCodeAt(i + 1))) {
          wantStart = false;
          i += 2;
          continue;
        }
        break;
      }
      if (wantStart ? isNonAsciiNameStart(c) : isNonAsciiNameChar(c)) {
        wantStart = false;
        i++;
        continue;
      }
      break;
    }
    if (i === start) this.fail(start, `expected ${what}, found ${this.found(start)}`);
    if (wantStart) {
      // a colon was last, or was followed by a character that cannot start a local name
      this.fail(
        i,
        `${what} "${this.nameAt(start)}" is not a QName: expected a name character after ":", found ${this.found(i)}`,
      );
    }
    this.nameColon = colon;
    this.pos = i;
    return src.slice(start, i);
  }

  /** The name-like run starting at `start`, for error messages only. */
  private nameAt(start: number): string {
    const src = this.src;
    let i = start;
    while (i < this.len && i - start < 80) {
      const c = src.charCodeAt(i);
      if (isSpace(c) || c === GT || c === SLASH || c === EQUALS || c === LT || c === QUOT || c === APOS) {
        break;
      }
      i++;
    }
    return src.slice(start, i);
  }

  /** At '<?': a processing instruction (the declaration is only allowed at the very start). */
  private processingInstruction(): XmlProcessingInstruction {
    const src = this.src;
    const start = this.pos;
    this.pos += 2;
    const target = this.readName('processing instruction target');
    if (this.nameColon >= 0) {
      this.fail(start + 2, `processing instruction target "${target}" must not contain a colon`);
    }
    if (target.toLowerCase() === 'xml') {
      this.fail(
        start,
        target === 'xml' && start === this.documentStart
          ? 'XML declaration lacks version; expected <?xml version="1.0"'
          : target === 'xml'
            ? 'XML declaration is only allowed at the very start of the document'
            : `processing instruction target "${target}" is reserved`,
      );
    }
    let data = '';
    if (src.startsWith('?>', this.pos)) {
      this.pos += 2;
    } else {
      if (!this.skipSpace()) {
        this.fail(
          this.pos,
          `expected whitespace or "?>" after processing instruction target "${target}", found ${this.found(this.pos)}`,
        );
      }
      const end = src.indexOf('?>', this.pos);
      if (end < 0) this.fail(start, `processing instruction <?${target} is not closed; expected "?>"`);
      data = this.checkedRun(this.pos, end);
      this.pos = end + 2;
    }
    return { kind: 'pi', target, data };
  }

  /** The text of src[from, to) after checking its characters, with line ends normalised (XML 1.0 §2.11). */
  private checkedRun(from: number, to: number): string {
    const bad = firstIllegalChar(this.src, from, to);
    if (bad >= 0) this.fail(bad, `character ${describeChar(this.src.charCodeAt(bad))} is not allowed in XML`);
    const s = this.src.slice(from, to);
    return s.indexOf('\r') < 0 ? s : normaliseLineEnds(s);
  }

  /** At '<!DOCTYPE' (when skipping is asked for): moves past it, literals, comments and PIs included. */
  private passDoctype(): void {
    const src = this.src;
    const start = this.pos;
    this.pos += 9;
    if (!this.skipSpace()) {
      this.fail(this.pos, `expected whitespace after <!DOCTYPE, found ${this.found(this.pos)}`);
    }
    this.readName('document type name');
    let inSubset = false;
    let i = this.pos;
    for (;;) {
      if (i >= this.len) this.fail(start, 'DOCTYPE is not closed; expected ">"');
      const c = src.charCodeAt(i);
      let close = '';
      if (c === QUOT) close = '"';
      else if (c === APOS) close = "'";
      else if (src.startsWith('<!--', i)) close = '-->';
      else if (src.startsWith('<?', i)) close = '?>';
      if (close !== '') {
        const end = src.indexOf(close, i + 1);
        if (end < 0) {
          this.fail(
            i,
            `unterminated ${close === '-->' ? 'comment' : close === '?>' ? 'processing instruction' : 'literal'} in DOCTYPE`,
          );
        }
        i = end + close.length;
        continue;
      }
      if (c === 0x5b) inSubset = true;
      else if (c === RSQB) inSubset = false;
      else if (c === GT && !inSubset) break;
      i++;
    }
    this.pos = i + 1;
  }

  /** At '<!': a comment, or (inside an element) a CDATA section; a DOCTYPE is refused. */
  private markupDeclOrComment(inContent: false): XmlComment;
  private markupDeclOrComment(inContent: true): XmlComment | XmlNode;
  private markupDeclOrComment(inContent: boolean): XmlComment | XmlNode {
    const src = this.src;
    const start = this.pos;
    if (src.startsWith('<!--', start)) {
      const end = src.indexOf('--', start + 4);
      if (end < 0) this.fail(start, 'comment is not closed; expected "-->"');
      if (src.charCodeAt(end + 2) !== GT) this.fail(end, '"--" is not allowed inside a comment');
      const value = this.checkedRun(start + 4, end);
      this.pos = end + 3;
      return { kind: 'comment', value };
    }
    if (src.startsWith('<!DOCTYPE', start)) {
      this.fail(
        start,
        'DTDs are not allowed (found <!DOCTYPE); entity declarations and external subsets are refused',
      );
    }
    if (src.startsWith('<![CDATA[', start)) {
      if (!inContent) this.fail(start, 'CDATA section outside the root element');
      const end = src.indexOf(']]>', start + 9);
      if (end < 0) this.fail(start, 'CDATA section is not closed; expected "]]>"');
      const value = this.checkedRun(start + 9, end);
      this.pos = end + 3;
      return { kind: 'text', value, cdata: true };
    }
    return this.fail(
      start,
      `expected "<!--"${inContent ? ' or "<![CDATA["' : ''} after "<!", found "${src.slice(start, start + 9)}"`,
    );
  }

  /** Reads the root element and everything inside it, iteratively (depth is bounded by limits, not the stack). */
  private rootElement(): XmlElement {
    const src = this.src;
    const stack: XmlElement[] = [];
    const marks: number[] = [];
    marks.push(this.undoPrefix.length);
    const root = this.startTag(1);
    if (this.selfClosing) {
      this.popScope(marks.pop()!);
      return root;
    }
    stack.push(root);
    let el = root;
    for (;;) {
      if (src.charCodeAt(this.pos) !== LT) this.charData(el);
      if (this.pos >= this.len) {
        const { line, column } = lineAndColumn(src, el.offset);
        this.fail(
          this.pos,
          `unexpected end of document; <${el.qname}> opened at line ${line}, column ${column} is not closed`,
        );
      }
      const next = src.charCodeAt(this.pos + 1);
      if (next === SLASH) {
        this.endTag(el);
        this.popScope(marks.pop()!);
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent === undefined) return root;
        el = parent;
      } else if (next === BANG) {
        el.children.push(this.markupDeclOrComment(true));
      } else if (next === QUESTION) {
        el.children.push(this.processingInstruction());
      } else {
        marks.push(this.undoPrefix.length);
        const child = this.startTag(stack.length + 1);
        el.children.push(child);
        if (this.selfClosing) this.popScope(marks.pop()!);
        else {
          stack.push(child);
          el = child;
        }
      }
    }
  }

  private popScope(mark: number): void {
    const prefixes = this.undoPrefix;
    if (prefixes.length > mark) this.cachedPrefix = null;
    while (prefixes.length > mark) {
      const prefix = prefixes.pop()!;
      const previous = this.undoUri.pop();
      if (previous === undefined) this.scope.delete(prefix);
      else this.scope.set(prefix, previous);
    }
  }

  /** At '</': the end tag of `el`. */
  private endTag(el: XmlElement): void {
    const src = this.src;
    const start = this.pos;
    const q = el.qname;
    const after = start + 2 + q.length;
    if (
      this.sameRun(el.offset + 1, start + 2, q.length) &&
      (src.charCodeAt(after) === GT || isSpace(src.charCodeAt(after)))
    ) {
      this.pos = after;
    } else {
      this.pos = start + 2;
      const name = this.readName('element name in end tag');
      const { line, column } = lineAndColumn(src, el.offset);
      this.fail(
        start,
        `end tag </${name}> does not match start tag <${q}> opened at line ${line}, column ${column}`,
      );
    }
    this.skipSpace();
    if (src.charCodeAt(this.pos) !== GT) {
      this.fail(this.pos, `expected ">" to close end tag </${q}>, found ${this.found(this.pos)}`);
    }
    this.pos++;
  }

  /** Whether src[a, a+n) equals src[b, b+n): an end tag against its start tag's name, without slicing. */
  private sameRun(a: number, b: number, n: number): boolean {
    const src = this.src;
    if (b + n > this.len) return false;
    for (let k = 0; k < n; k++) {
      if (src.charCodeAt(a + k) !== src.charCodeAt(b + k)) return false;
    }
    return true;
  }

  /** The URI bound to a prefix ('' for the default), or undefined; remembers the last answer until scope changes. */
  private lookup(prefix: string): string | undefined {
    if (prefix === this.cachedPrefix) return this.cachedUri;
    const uri = this.scope.get(prefix);
    this.cachedPrefix = prefix;
    this.cachedUri = uri;
    return uri;
  }

  /** At '<' of a start tag at nesting `depth`: reads it, declares its namespaces, resolves names; sets selfClosing. */
  private startTag(depth: number): XmlElement {
    const src = this.src;
    const limits = this.limits;
    const lt = this.pos;
    if (++this.elementCount > limits.maxElements) {
      this.fail(lt, `more than ${limits.maxElements} elements (maxElements)`);
    }
    this.pos++;
    const qname = this.readName('element name');
    const colon = this.nameColon;
    if (depth > limits.maxDepth) {
      this.fail(lt, `element <${qname}> is nested ${depth} deep; maxDepth is ${limits.maxDepth}`);
    }
    const namespaces: XmlNamespaceDeclaration[] = [];
    const attributes: XmlAttribute[] = [];
    const names = this.tagNames;
    const offsets = this.tagOffsets;
    let count = 0;
    // Pairwise checks for the usual handful of attributes; a set beyond that keeps the cost linear.
    let seen: Set<string> | null = null;
    for (;;) {
      const spaced = this.skipSpace();
      const c = src.charCodeAt(this.pos);
      if (c === GT) {
        this.pos++;
        this.selfClosing = false;
        break;
      }
      if (c === SLASH) {
        if (src.charCodeAt(this.pos + 1) !== GT) {
          this.fail(this.pos + 1, `expected ">" after "/" in <${qname}>, found ${this.found(this.pos + 1)}`);
        }
        this.pos += 2;
        this.selfClosing = true;
        break;
      }
      if (this.pos >= this.len) this.fail(this.pos, `unexpected end of document inside start tag <${qname}>`);
      if (!spaced) {
        this.fail(
          this.pos,
          `expected whitespace, ">" or "/>" in start tag <${qname}>, found ${this.found(this.pos)}`,
        );
      }
      const at = this.pos;
      const aq = this.readName('attribute name');
      const acolon = this.nameColon;
      if (count >= limits.maxAttributes) {
        this.fail(at, `element <${qname}> has more than ${limits.maxAttributes} attributes (maxAttributes)`);
      }
      if (seen === null) {
        for (let k = 0; k < count; k++) {
          if (names[k] === aq) this.fail(at, `duplicate attribute "${aq}" on <${qname}>`);
        }
        if (count === 15) seen = new Set(names.slice(0, count));
      } else if (seen.has(aq)) {
        this.fail(at, `duplicate attribute "${aq}" on <${qname}>`);
      }
      seen?.add(aq);
      names[count] = aq;
      offsets[count] = at;
      count++;
      this.skipSpace();
      if (src.charCodeAt(this.pos) !== EQUALS) {
        this.fail(
          this.pos,
          `expected "=" after attribute name "${aq}" in <${qname}>, found ${this.found(this.pos)}`,
        );
      }
      this.pos++;
      this.skipSpace();
      const value = this.attValue(aq);
      if (acolon < 0) {
        if (aq === 'xmlns') namespaces.push(this.declare(null, value, at));
        else attributes.push({ qname: aq, prefix: null, localName: aq, namespace: null, value });
      } else {
        const prefix = aq.slice(0, acolon);
        const localName = aq.slice(acolon + 1);
        if (prefix === 'xmlns') namespaces.push(this.declare(localName, value, at));
        else attributes.push({ qname: aq, prefix, localName, namespace: null, value });
      }
    }
    // Bindings made on this element apply to its own name and attributes, whatever their order (Namespaces §6.1).
    for (const d of namespaces) this.bind(d);
    let prefix: string | null = null;
    let localName = qname;
    let namespace: string | null;
    if (colon < 0) {
      namespace = this.lookup('') || null;
    } else {
      prefix = qname.slice(0, colon);
      localName = qname.slice(colon + 1);
      if (prefix === 'xmlns') {
        this.fail(lt + 1, `element <${qname}> must not use the reserved prefix "xmlns"`);
      }
      const uri = this.lookup(prefix);
      if (uri === undefined || uri === '') {
        this.fail(lt + 1, `namespace prefix "${prefix}" of element <${qname}> is not declared`);
      }
      namespace = uri;
    }
    if (attributes.length > 0) this.resolveAttributes(qname, attributes);
    return {
      kind: 'element',
      qname,
      prefix,
      localName,
      namespace,
      namespaces,
      attributes,
      children: [],
      offset: lt,
    };
  }

  private resolveAttributes(qname: string, attributes: XmlAttribute[]): void {
    const offsetOf = (a: XmlAttribute): number => this.tagOffsets[this.tagNames.indexOf(a.qname)]!;
    let qualified = 0;
    for (const a of attributes) {
      if (a.prefix === null) continue;
      const uri = this.lookup(a.prefix);
      if (uri === undefined || uri === '') {
        this.fail(
          offsetOf(a),
          `namespace prefix "${a.prefix}" of attribute "${a.qname}" on <${qname}> is not declared`,
        );
      }
      a.namespace = uri;
      qualified++;
    }
    if (qualified < 2) return;
    // Namespaces §6.3: no two attributes with the same expanded name.
    const byExpandedName = new Map<string, XmlAttribute>();
    for (const b of attributes) {
      if (b.namespace === null) continue;
      const key = `${b.localName}\u0000${b.namespace}`;
      const a = byExpandedName.get(key);
      if (a !== undefined) {
        this.fail(
          offsetOf(b),
          `attributes "${a.qname}" and "${b.qname}" on <${qname}> have the same expanded name {${b.namespace}}${b.localName}`,
        );
      }
      byExpandedName.set(key, b);
    }
  }

  /** Checks a namespace declaration against Namespaces in XML 1.0 §3 (reserved prefixes and names). */
  private declare(prefix: string | null, uri: string, at: number): XmlNamespaceDeclaration {
    if (prefix === null) {
      if (uri === XML_NAMESPACE || uri === XMLNS_NAMESPACE) {
        this.fail(at, `the default namespace must not be ${uri}`);
      }
    } else if (prefix === 'xmlns') {
      this.fail(at, 'the prefix "xmlns" must not be declared');
    } else if (prefix === 'xml') {
      if (uri !== XML_NAMESPACE) {
        this.fail(at, `the prefix "xml" must be bound to ${XML_NAMESPACE}, got "${uri}"`);
      }
    } else if (uri === '') {
      this.fail(
        at,
        `namespace prefix "${prefix}" cannot be undeclared (xmlns:${prefix}=""); Namespaces in XML 1.0 forbids it`,
      );
    } else if (uri === XML_NAMESPACE || uri === XMLNS_NAMESPACE) {
      this.fail(at, `namespace prefix "${prefix}" must not be bound to ${uri}`);
    }
    return { prefix, uri };
  }

  private bind(d: XmlNamespaceDeclaration): void {
    this.cachedPrefix = null;
    const key = d.prefix ?? '';
    this.undoPrefix.push(key);
    this.undoUri.push(this.scope.get(key));
    this.scope.set(key, d.uri);
  }

  /** At the opening quote: an attribute value, references expanded and whitespace normalised (XML 1.0 §3.3.3). */
  private attValue(attr: string): string {
    const src = this.src;
    const len = this.len;
    const open = this.pos;
    const quote = src.charCodeAt(open);
    if (quote !== QUOT && quote !== APOS) {
      this.fail(open, `expected a quoted value for attribute "${attr}", found ${this.found(open)}`);
    }
    const otherQuote = quote === QUOT ? APOS : QUOT;
    let i = open + 1;
    let segStart = i;
    let out: string[] | null = null;
    for (;;) {
      if (i >= len) {
        this.fail(open, `value of attribute "${attr}" is not closed; expected ${describeChar(quote)}`);
      }
      const c = src.charCodeAt(i);
      if (c === quote) break;
      if (c < 128 ? PLAIN[c] === 1 || c === GT || c === otherQuote : c < 0xd800) {
        i++;
        continue;
      }
      if (c === LT) this.fail(i, `"<" is not allowed in the value of attribute "${attr}"`);
      if (c === AMP) {
        (out ??= []).push(src.slice(segStart, i), this.readReference(i));
        i = segStart = this.refEnd;
        continue;
      }
      if (c === TAB || c === LF || c === CR) {
        (out ??= []).push(src.slice(segStart, i), ' ');
        i += c === CR && src.charCodeAt(i + 1) === LF ? 2 : 1;
        segStart = i;
        continue;
      }
      i = this.checkChar(i, c);
    }
    this.pos = i + 1;
    if (out === null) return src.slice(open + 1, i);
    out.push(src.slice(segStart, i));
    return out.join('');
  }

  /** Checks the character at i (a code unit outside the plain BMP fast path); returns the index after it. */
  private checkChar(i: number, c: number): number {
    if (c === TAB || c === LF || c === CR) return i + 1;
    if (c >= 0x20 && c < 0xd800) return i + 1;
    if (c >= 0xe000 && c <= 0xfffd) return i + 1;
    if (isHighSurrogate(c) && isLowSurrogate(this.src.charCodeAt(i + 1))) return i + 2;
    return this.fail(i, `character ${describeChar(c)} is not allowed in XML`);
  }

  /** At '&': expands a character reference or one of the five predefined entities; sets refEnd. */
  private readReference(at: number): string {
    const src = this.src;
    let i = at + 1;
    if (src.charCodeAt(i) === HASH) {
      i++;
      const hex = src.charCodeAt(i) === 0x78; // x
      if (hex) i++;
      const digitsStart = i;
      let cp = 0;
      for (;;) {
        const c = src.charCodeAt(i);
        let d: number;
        if (c >= 0x30 && c <= 0x39) d = c - 0x30;
        else if (hex && c >= 0x61 && c <= 0x66) d = c - 0x57;
        else if (hex && c >= 0x41 && c <= 0x46) d = c - 0x37;
        else break;
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10ffff) cp = 0x110000; // saturate: still refused below, never overflows
        i++;
      }
      if (i === digitsStart || src.charCodeAt(i) !== SEMI) {
        this.fail(
          at,
          `malformed character reference "${src.slice(at, Math.min(i + 1, this.len))}"; expected &#digits; or &#xhex;`,
        );
      }
      if (!isXmlCodePoint(cp)) {
        this.fail(at, `character reference "${src.slice(at, i + 1)}" is not a legal XML character`);
      }
      this.refEnd = i + 1;
      return String.fromCodePoint(cp);
    }
    const nameStart = i;
    while (i < this.len && i - nameStart < 64) {
      const c = src.charCodeAt(i);
      if (c < 128 ? (ASCII_NAME[c]! & 2) !== 0 || c === COLON : c !== 0xfffe && c !== 0xffff) i++;
      else break;
    }
    const name = src.slice(nameStart, i);
    if (name.length === 0 || src.charCodeAt(i) !== SEMI) {
      this.fail(
        at,
        `"&" must start a reference such as &amp; or &#38;, found "${src.slice(at, Math.min(at + 12, this.len))}"`,
      );
    }
    this.refEnd = i + 1;
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'apos':
        return "'";
      case 'quot':
        return '"';
    }
    return this.fail(
      at,
      `unknown entity reference "&${name};"; only &lt; &gt; &amp; &apos; &quot; and character references are allowed (no DTD)`,
    );
  }

  /** Character data up to the next '<' (or the end): one text node, references expanded, line ends normalised. */
  private charData(el: XmlElement): void {
    const src = this.src;
    const len = this.len;
    const start = this.pos;
    let i = start;
    let segStart = start;
    let segCr = false;
    let out: string[] | null = null;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c < 128 ? PLAIN[c] === 1 || c === QUOT || c === APOS : c < 0xd800) {
        i++;
        continue;
      }
      if (c === LT) break;
      if (c === GT) {
        if (i - segStart >= 2 && src.charCodeAt(i - 1) === RSQB && src.charCodeAt(i - 2) === RSQB) {
          this.fail(i - 2, '"]]>" is not allowed in character data');
        }
        i++;
        continue;
      }
      if (c === AMP) {
        out ??= [];
        const seg = src.slice(segStart, i);
        out.push(segCr ? normaliseLineEnds(seg) : seg, this.readReference(i));
        i = segStart = this.refEnd;
        segCr = false;
        continue;
      }
      if (c === CR) segCr = true;
      i = this.checkChar(i, c);
    }
    this.pos = i;
    if (i === start) return;
    let value: string;
    if (out === null) {
      value = src.slice(start, i);
      if (segCr) value = normaliseLineEnds(value);
    } else {
      const seg = src.slice(segStart, i);
      out.push(segCr ? normaliseLineEnds(seg) : seg);
      value = out.join('');
    }
    el.children.push({ kind: 'text', value });
  }
}

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

function normaliseLineEnds(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')* (XML 1.0 §4.3.3). */
function isEncName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    if (i === 0 ? !letter : !(letter || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === 0x2d)) {
      return false;
    }
  }
  return true;
}
