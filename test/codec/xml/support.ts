// Shared by the XML tests: the vector XML files (read in place) and tree comparison without source offsets.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { XmlDocument, XmlElement, XmlNode } from '../../../src/codec/xml/types.js';
import { HAVE_VECTORS, VECTORS_DIR } from '../../vectors.js';

/** Every .xml and .xsd file under the vectors directory, as [folder relative to it, absolute path], sorted. */
export function vectorXmlFiles(): [string, string][] {
  if (!HAVE_VECTORS) return [];
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(xml|xsd)$/i.test(entry.name)) out.push([relative(VECTORS_DIR, dir), path]);
    }
  };
  walk(VECTORS_DIR);
  return out.sort((a, b) => (a[1] < b[1] ? -1 : 1));
}

/** A copy of the tree with every element offset set to -1, so trees parsed from different text compare equal. */
export function withoutOffsets<T extends XmlDocument | XmlElement>(node: T): T {
  const element = (e: XmlElement): XmlElement => ({ ...e, offset: -1, children: e.children.map(child) });
  const child = (n: XmlNode): XmlNode => (n.kind === 'element' ? element(n) : n);
  if ('root' in node) return { ...node, root: element(node.root) };
  return element(node) as T;
}
