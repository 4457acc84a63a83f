// Reads a schema document and the documents it imports (XML Schema Part 1 §4.2.3 <import>), parsing each with the
// project's parseXml. The W3C xmldsig-core-schema.xsd carries a DTD internal subset; parseXml can read past it
// (doctype: 'skip') without applying it, which is only equivalent when the subset declares entities the document
// never uses (parseXml refuses any reference to them) and attribute defaults the elements already carry. That
// claim is checked, not assumed: any other subset fails compilation.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseXml } from '../../xml/parse.js';
import type { XmlElement } from '../../xml/types.js';

/** A schema that cannot be read, parsed or compiled; names the file and the construct. */
export class XsdCompileError extends Error {
  override readonly name = 'XsdCompileError';
}

export interface SchemaDocument {
  readonly path: string;
  readonly root: XmlElement;
}

interface AttlistDefault {
  element: string;
  attribute: string;
  value: string;
}

/** The internal subset of `<!DOCTYPE … [ … ]>` starting at `start`, honouring quotes, comments and brackets. */
function doctypeSubset(text: string, start: number, path: string): string {
  let i = start + '<!DOCTYPE'.length;
  let subsetStart = -1;
  let subsetEnd = -1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) break;
      i = close + 1;
    } else if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0) break;
      i = close + 3;
    } else if (c === '[' && subsetStart < 0) {
      subsetStart = i + 1;
      i++;
    } else if (c === ']' && subsetStart >= 0 && subsetEnd < 0) {
      subsetEnd = i;
      i++;
    } else if (c === '>' && (subsetStart < 0 || subsetEnd >= 0)) {
      return subsetStart < 0 ? '' : text.slice(subsetStart, subsetEnd);
    } else i++;
  }
  throw new XsdCompileError(`${path}: unterminated <!DOCTYPE`);
}

/**
 * Checks an internal subset holds only comments, parameter-entity references, <!ENTITY> declarations and
 * <!ATTLIST> declarations of CDATA attributes; returns the ATTLIST defaults, which the document must already carry.
 */
function subsetDefaults(subset: string, path: string): AttlistDefault[] {
  const defaults: AttlistDefault[] = [];
  const decl =
    /\s+|%[A-Za-z_][\w.-]*;|<!--[\s\S]*?-->|<!ENTITY\s[^>]*>|<!ATTLIST\s+([^\s>]+)((?:\s+[^\s>]+\s+CDATA\s+(?:#REQUIRED|#IMPLIED|(?:#FIXED\s+)?(?:"[^"]*"|'[^']*')))*)\s*>/y;
  let i = 0;
  while (i < subset.length) {
    decl.lastIndex = i;
    const m = decl.exec(subset);
    if (m === null) {
      throw new XsdCompileError(
        `${path}: the DTD internal subset holds ${JSON.stringify(subset.slice(i, i + 40))}; only unused entities and CDATA attribute lists are tolerated`,
      );
    }
    if (m[1] !== undefined) {
      const attr = /([^\s>]+)\s+CDATA\s+(?:#REQUIRED|#IMPLIED|(?:#FIXED\s+)?(?:"([^"]*)"|'([^']*)'))/g;
      for (const a of (m[2] ?? '').matchAll(attr)) {
        const value = a[2] ?? a[3];
        if (value !== undefined) defaults.push({ element: m[1], attribute: a[1]!, value });
      }
    }
    i = decl.lastIndex;
  }
  return defaults;
}

function carries(el: XmlElement, attribute: string, value: string): boolean {
  if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) {
    const prefix = attribute === 'xmlns' ? null : attribute.slice(6);
    return el.namespaces.some((d) => d.prefix === prefix && d.uri === value);
  }
  return el.attributes.some((a) => a.qname === attribute && a.value === value);
}

function checkDefaultsPresent(root: XmlElement, defaults: AttlistDefault[], path: string): void {
  const visit = (el: XmlElement): void => {
    for (const d of defaults) {
      if (el.qname === d.element && !carries(el, d.attribute, d.value)) {
        throw new XsdCompileError(
          `${path}: the DTD gives <${d.element}> a default ${d.attribute}="${d.value}" the element does not carry`,
        );
      }
    }
    for (const c of el.children) if (c.kind === 'element') visit(c);
  };
  visit(root);
}

/** Reads and parses one schema document (see the module comment for DTDs). */
export function readSchemaDocument(path: string): SchemaDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new XsdCompileError(`cannot read XSD ${path}: ${(e as Error).message}`);
  }
  const start = text.indexOf('<!DOCTYPE');
  let defaults: AttlistDefault[] = [];
  if (start >= 0 && start < text.search(/<[A-Za-z_]/)) {
    defaults = subsetDefaults(doctypeSubset(text, start, path), path);
  }
  let root: XmlElement;
  try {
    root = parseXml(text, undefined, { doctype: 'skip' }).root;
  } catch (e) {
    throw new XsdCompileError(`${path}: ${(e as Error).message}`);
  }
  checkDefaultsPresent(root, defaults, path);
  return { path, root };
}

/** The file an <import schemaLocation> names, relative to the importing document; %-escapes decoded. */
export function resolveSchemaLocation(fromPath: string, location: string): string {
  let decoded = location;
  try {
    decoded = decodeURIComponent(location);
  } catch {
    // keep it as written: a literal '%' in a file name
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(decoded) && !decoded.startsWith('file:')) {
    throw new XsdCompileError(
      `${fromPath}: schemaLocation ${location} is not a local file; only files are read`,
    );
  }
  return resolve(dirname(fromPath), decoded.replace(/^file:(\/\/)?/, ''));
}
