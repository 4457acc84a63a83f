// Reading a DUIS request body (an element tree, src/codec/duis/tree.ts) in a transform: leaves by slash-separated
// path of local names, typed; each failure is a DuisError naming the path (the DSP refuses the request with it).
import { DuisError, parseDateTime, parseHyphenatedEui } from '../../codec/duis/common.js';
import type { DuisRequestBody } from '../../codec/duis/request.js';
import { isLeaf, type DuisBodyElement } from '../../codec/duis/tree.js';
import type { Eui64 } from '../../codec/eui64.js';

type Node = DuisBodyElement | DuisRequestBody;

function childrenOf(node: Node): readonly DuisBodyElement[] {
  return 'element' in node ? node.children : isLeaf(node) ? [] : node.children;
}

function nameOf(node: Node): string {
  return 'element' in node ? node.element : node.name;
}

/** The element at `path` (local names joined by '/', relative to `node`), or undefined. */
export function find(node: Node, path: string): DuisBodyElement | undefined {
  let current: Node = node;
  for (const step of path.split('/')) {
    const next: DuisBodyElement | undefined = childrenOf(current).find((c) => c.name === step);
    if (next === undefined) return undefined;
    current = next;
  }
  return current as DuisBodyElement;
}

/** Every child of `node` named `name`, in document order. */
export function all(node: Node, name: string): DuisBodyElement[] {
  return childrenOf(node).filter((c) => c.name === name);
}

/** The element at `path`; a DuisError naming it when absent. */
export function required(node: Node, path: string): DuisBodyElement {
  const found = find(node, path);
  if (found === undefined) throw new DuisError(`${nameOf(node)}/${path}`, 'required element missing');
  return found;
}

/** The text of the leaf at `path`, trimmed; undefined when absent. */
export function optionalText(node: Node, path: string): string | undefined {
  const found = find(node, path);
  if (found === undefined) return undefined;
  if (!isLeaf(found)) throw new DuisError(`${nameOf(node)}/${path}`, 'expected text, found elements');
  return found.text.trim();
}

export function text(node: Node, path: string): string {
  const t = optionalText(node, path);
  if (t === undefined) throw new DuisError(`${nameOf(node)}/${path}`, 'required element missing');
  return t;
}

/** An xs:integer leaf within [min, max]. */
export function integer(node: Node, path: string, min = -Infinity, max = Infinity): number {
  const t = text(node, path);
  if (!/^[+-]?\d+$/.test(t)) throw new DuisError(`${nameOf(node)}/${path}`, `"${t}" is not an integer`);
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new DuisError(`${nameOf(node)}/${path}`, `${t} is outside ${min}..${max}`);
  return n;
}

export function optionalInteger(
  node: Node,
  path: string,
  min = -Infinity,
  max = Infinity,
): number | undefined {
  return find(node, path) === undefined ? undefined : integer(node, path, min, max);
}

/** An xs:decimal leaf as a number (DUIS money and thresholds). */
export function decimal(node: Node, path: string): number {
  const t = text(node, path);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t))
    throw new DuisError(`${nameOf(node)}/${path}`, `"${t}" is not a decimal`);
  return Number(t);
}

export function bool(node: Node, path: string): boolean {
  const t = text(node, path);
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new DuisError(`${nameOf(node)}/${path}`, `"${t}" is not a boolean`);
}

/** A hyphenated EUI-64 leaf (`00-DB-12-…`). */
export function eui(node: Node, path: string): Eui64 {
  return parseHyphenatedEui(text(node, path), `${nameOf(node)}/${path}`);
}

/** An xs:dateTime leaf as UTC ms (DUIS date-times are UTC, 'Z' or no zone). */
export function dateTimeMs(node: Node, path: string): number {
  const where = `${nameOf(node)}/${path}`;
  const t = parseDateTime(text(node, path), where);
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(t) ? t : `${t}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw new DuisError(where, `"${t}" is not a date-time`);
  return ms;
}

export function optionalDateTimeMs(node: Node, path: string): number | undefined {
  return find(node, path) === undefined ? undefined : dateTimeMs(node, path);
}
