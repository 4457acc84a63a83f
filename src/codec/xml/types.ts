// The XML tree smets-twin works on (DUIS requests, responses, alerts; XML-DSig). Plain data, namespace-resolved,
// with source offsets for error messages. Produced by parseXml (safe: no DTD, no entities beyond the five
// predefined and character references, bounded size and depth) and written back by serializeXml.

/** A parse or safety failure: where (offset in characters, line, column) and why. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`xml: line ${line}, column ${column}: ${reason}`);
  }
}

export interface XmlNamespaceDeclaration {
  /** null for the default namespace (xmlns="…"). */
  prefix: string | null;
  uri: string;
}

export interface XmlAttribute {
  /** As written, e.g. "schemaVersion" or "xml:lang". */
  qname: string;
  prefix: string | null;
  localName: string;
  /** Resolved namespace URI; unprefixed attributes have none (null). */
  namespace: string | null;
  /** Normalised value, references expanded. */
  value: string;
}

export interface XmlElement {
  kind: 'element';
  /** As written, e.g. "sr:Request". */
  qname: string;
  prefix: string | null;
  localName: string;
  /** Resolved namespace URI, or null. */
  namespace: string | null;
  /** xmlns / xmlns:p declarations made on this element, in document order. */
  namespaces: XmlNamespaceDeclaration[];
  /** Other attributes, in document order. */
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Offset of '<' in the source, for errors (-1 for built elements). */
  offset: number;
}

export interface XmlText {
  kind: 'text';
  /** Character data with references expanded; CDATA sections are text too (cdata: true keeps the form). */
  value: string;
  cdata?: boolean;
}

export interface XmlComment {
  kind: 'comment';
  value: string;
}

export interface XmlProcessingInstruction {
  kind: 'pi';
  target: string;
  data: string;
}

export type XmlNode = XmlElement | XmlText | XmlComment | XmlProcessingInstruction;

export interface XmlDocument {
  /** The XML declaration's version/encoding/standalone, when present. */
  declaration: { version: string; encoding?: string; standalone?: string } | null;
  /** Comments and processing instructions before and after the root element. */
  prolog: (XmlComment | XmlProcessingInstruction)[];
  root: XmlElement;
  epilog: (XmlComment | XmlProcessingInstruction)[];
}

/** Bounds that keep a hostile document from costing more than a legitimate one. */
export interface XmlLimits {
  /** Characters in the whole document (default 4 MiB: a DUIS 11.1/11.4 request carries a base64 firmware image). */
  maxLength: number;
  /** Element nesting (default 64). */
  maxDepth: number;
  /** Attributes on one element (default 64). */
  maxAttributes: number;
  /** Elements in the whole document (default 200,000). */
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxLength: 4 * 1024 * 1024,
  maxDepth: 64,
  maxAttributes: 64,
  maxElements: 200_000,
};
