// Small read-only helpers over the tree. Elements carry no parent pointer, so paths and ancestor chains are
// found by a walk from the root: O(size of the document), meant for error messages and one-off lookups.
// A validator that reports many errors should keep its own path stack as it descends instead.

import type { XmlElement } from './types.js';

/** The element children of `el`, in document order (text, comments and PIs skipped). */
export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.kind === 'element') out.push(c);
  return out;
}

/** The first child element with this namespace (null for none) and local name, or undefined. */
export function firstChild(
  el: XmlElement,
  namespace: string | null,
  localName: string,
): XmlElement | undefined {
  for (const c of el.children) {
    if (c.kind === 'element' && c.localName === localName && c.namespace === namespace) return c;
  }
  return undefined;
}

/** The value of an attribute without a namespace (the usual case: schemaVersion, Algorithm, URI), or undefined. */
export function attributeValue(
  el: XmlElement,
  localName: string,
  namespace: string | null = null,
): string | undefined {
  for (const a of el.attributes) {
    if (a.localName === localName && a.namespace === namespace) return a.value;
  }
  return undefined;
}

/** The concatenated text (and CDATA) of `el` and its descendants, as the XPath string-value. */
export function textContent(el: XmlElement): string {
  const only = el.children.length === 1 ? el.children[0]! : undefined;
  if (only?.kind === 'text') return only.value;
  const parts: string[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.kind === 'text') parts.push(c.value);
      else if (c.kind === 'element') walk(c);
    }
  };
  walk(el);
  return parts.join('');
}

/** The elements enclosing `target` inside `root`, outermost (root) first, parent last; [] for the root itself. */
export function ancestorsOf(root: XmlElement, target: XmlElement): XmlElement[] | undefined {
  if (root === target) return [];
  const path: XmlElement[] = [];
  const find = (e: XmlElement): boolean => {
    path.push(e);
    for (const c of e.children) {
      if (c.kind !== 'element') continue;
      if (c === target || find(c)) return true;
    }
    path.pop();
    return false;
  };
  return find(root) ? path : undefined;
}

/**
 * An XPath-like location for messages: `/sr:Request/sr:Body/sr:ReadInventory`, with a 1-based `[n]` where
 * siblings share the qualified name. Undefined if `el` is not inside `root`.
 */
export function elementPath(el: XmlElement, root: XmlElement): string | undefined {
  const chain = ancestorsOf(root, el);
  if (chain === undefined) return undefined;
  chain.push(el);
  let path = '';
  for (let i = 0; i < chain.length; i++) {
    const e = chain[i]!;
    path += '/' + e.qname;
    const parent = chain[i - 1];
    if (parent === undefined) continue;
    let index = 0;
    let count = 0;
    for (const c of parent.children) {
      if (c.kind !== 'element' || c.qname !== e.qname) continue;
      count++;
      if (c === e) index = count;
    }
    if (count > 1) path += `[${index}]`;
  }
  return path;
}
