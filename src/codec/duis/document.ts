// The frame DUIS requests and responses share (DUIS Schema V5.4 Request/Response): the sr: root with its
// schemaVersion, the fixed-order children, the Service Reference check and the enveloped ds:Signature kept as parsed.
// Internal to codec/duis: request.ts and response.ts build on it.
import type { XmlAttribute, XmlDocument, XmlElement, XmlNamespaceDeclaration } from '../xml/types.js';
import {
  DS_NAMESPACE,
  DuisError,
  SR_NAMESPACE,
  XSI_NAMESPACE,
  formatDuisId,
  parseDecimal,
  quote,
  type DuisId,
} from './common.js';
import { srvInfo, type SrvInfo } from './srv.js';
import {
  buildElement,
  describeElement,
  elementChildren,
  indented,
  inheritedNamespaces,
  isDuisElement,
  textContent,
} from './tree.js';

/** The root is sr:`name` in the DUIS namespace. */
export function checkRoot(root: XmlElement, name: string): void {
  if (root.namespace !== SR_NAMESPACE) {
    throw new DuisError(
      root.localName,
      `expected namespace ${SR_NAMESPACE}, got ${root.namespace === null ? 'none' : root.namespace}`,
      root.offset,
    );
  }
  if (root.localName !== name)
    throw new DuisError(root.localName, `expected sr:${name}, got sr:${root.localName}`, root.offset);
}

/** The required schemaVersion (xs:decimal); xsi: attributes are allowed beside it, nothing else. */
export function readSchemaVersion(root: XmlElement, path: string): string {
  let version: XmlAttribute | undefined;
  for (const a of root.attributes) {
    if (a.namespace === null && a.localName === 'schemaVersion') version = a;
    else if (a.namespace !== XSI_NAMESPACE) {
      throw new DuisError(path, `unexpected attribute ${a.qname} (only schemaVersion)`, root.offset);
    }
  }
  if (version === undefined) throw new DuisError(path, 'missing attribute schemaVersion', root.offset);
  return parseDecimal(version.value, path, 'schemaVersion');
}

/**
 * The root's element children: the required sr: elements in order, then an optional ds:Signature, then whatever
 * follows (for the caller to refuse).
 */
export function expectChildren(
  root: XmlElement,
  path: string,
  names: readonly string[],
): [XmlElement, XmlElement, XmlElement | undefined, XmlElement | undefined] {
  const kids = elementChildren(root, path);
  const found: XmlElement[] = [];
  for (let i = 0; i < names.length; i++) {
    const el = kids[i];
    if (el === undefined) throw new DuisError(path, `missing sr:${names[i]}`, root.offset);
    if (!isDuisElement(el, names[i]!))
      throw new DuisError(path, `expected sr:${names[i]}, got ${describeElement(el)}`, el.offset);
    found.push(el);
  }
  return [found[0]!, found[1]!, kids[names.length], kids[names.length + 1]];
}

export function readSignature(el: XmlElement | undefined, path: string): XmlElement | undefined {
  if (el === undefined) return undefined;
  if (el.namespace !== DS_NAMESPACE || el.localName !== 'Signature') {
    throw new DuisError(path, `expected ds:Signature, got ${describeElement(el)}`, el.offset);
  }
  return el;
}

/** Service Reference and Variant agree and the variant is one DUIS defines. */
export function checkSrv(serviceReference: string, variant: string, path: string, offset = -1): SrvInfo {
  const row = srvInfo(variant);
  if (row === undefined) {
    throw new DuisError(
      `${path}/ServiceReferenceVariant`,
      `unknown Service Reference Variant ${quote(variant)}`,
      offset,
    );
  }
  if (row.serviceReference !== serviceReference) {
    throw new DuisError(
      `${path}/ServiceReference`,
      `${quote(serviceReference)} is not the Service Reference of variant ${row.srv} (expected "${row.serviceReference}")`,
      offset,
    );
  }
  return row;
}

/** Sequential reader over an element's element children, for fixed XSD sequences. */
export class ElementCursor {
  private readonly kids: XmlElement[];
  private i = 0;
  constructor(
    private readonly parent: XmlElement,
    readonly path: string,
  ) {
    this.kids = elementChildren(parent, path);
  }
  /** The next child, which must be sr:`name`. */
  required(name: string): XmlElement {
    const el = this.kids[this.i];
    if (el === undefined) throw new DuisError(this.path, `missing sr:${name}`, this.parent.offset);
    if (!isDuisElement(el, name))
      throw new DuisError(this.path, `expected sr:${name}, got ${describeElement(el)}`, el.offset);
    this.i++;
    return el;
  }
  /** The next child if it is sr:`name`. */
  optional(name: string): XmlElement | undefined {
    const el = this.kids[this.i];
    if (el === undefined || !isDuisElement(el, name)) return undefined;
    this.i++;
    return el;
  }
  /** The next child, whatever it is. */
  next(): XmlElement | undefined {
    return this.kids[this.i++];
  }
  /** Nothing may follow. */
  end(): void {
    const el = this.kids[this.i];
    if (el !== undefined) throw new DuisError(this.path, `unexpected ${describeElement(el)}`, el.offset);
  }
  /** The text of the next child, which must be sr:`name`. */
  text(name: string): string {
    const el = this.required(name);
    return textContent(el, `${this.path}/${name}`);
  }
  optionalText(name: string): string | undefined {
    const el = this.optional(name);
    return el === undefined ? undefined : textContent(el, `${this.path}/${name}`);
  }
}

/** The sr: root (`Request` or `Response`) over its children, with the XML declaration the DUIS samples carry. */
export function buildDocument(
  rootName: string,
  schemaVersion: string,
  children: XmlElement[],
  signature: XmlElement | undefined,
  declarations: readonly XmlNamespaceDeclaration[],
): XmlDocument {
  const namespaces = [...declarations];
  if (signature !== undefined) {
    // A kept signature may lean on prefixes its original root declared; declare them here, unless the prefix is taken.
    for (const d of inheritedNamespaces(signature)) {
      if (!namespaces.some((n) => n.prefix === d.prefix)) namespaces.push(d);
    }
  }
  const version: XmlAttribute = {
    qname: 'schemaVersion',
    prefix: null,
    localName: 'schemaVersion',
    namespace: null,
    value: parseDecimal(schemaVersion, rootName, 'schemaVersion'),
  };
  const root = buildElement(rootName, SR_NAMESPACE, indented(children, 0), [version], namespaces);
  return { declaration: { version: '1.0', encoding: 'UTF-8' }, prolog: [], root, epilog: [] };
}

/** formatDuisId, its range error reported against the element. */
export function formatId(id: DuisId, path: string): string {
  try {
    return formatDuisId(id);
  } catch (e) {
    throw new DuisError(path, (e as Error).message);
  }
}
