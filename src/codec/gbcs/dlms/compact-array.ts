// compact-array (Green Book Data [19]): contents-description (a TypeDescription) then array-contents, an
// OCTET STRING holding the elements back to back, untagged, each shaped by the description; the number of
// elements is whatever fills the octet string exactly.
import { Writer } from '../../bytes.js';
import { HERE, LAYER, type DlmsDecoder, type DlmsEncoder } from './context.js';
import { DATA_TYPE_CODES, DATA_TYPE_NAMES } from './types.js';
import type { DlmsData, DlmsDataOf, DlmsTypeDescription } from './types.js';
import { SIMPLE_CODERS, hex2, readLength, writeLength } from './values.js';

function decodeTypeDescription(c: DlmsDecoder): DlmsTypeDescription {
  const r = c.r;
  const at = r.offset;
  const tag = r.u8(HERE);
  const name = DATA_TYPE_NAMES[tag];
  if (name === undefined || name === 'compact-array')
    return c.fail(`unknown type-description tag 0x${hex2(tag)} (${tag})`, at);
  if (name === 'array') {
    c.enter(at);
    c.path.push('array', 'numberOfElements');
    const numberOfElements = r.u16(HERE);
    c.path.pop();
    const typeDescription = decodeTypeDescription(c);
    c.path.pop();
    c.depth--;
    return { type: 'array', numberOfElements, typeDescription };
  }
  if (name === 'structure') {
    c.enter(at);
    c.path.push('structure');
    const n = readLength(c);
    const value: DlmsTypeDescription[] = [];
    for (let i = 0; i < n; i++) {
      c.path.push(i);
      value.push(decodeTypeDescription(c));
      c.path.pop();
    }
    c.path.pop();
    c.depth--;
    return { type: 'structure', value };
  }
  return { type: name };
}

function encodeTypeDescription(c: DlmsEncoder, d: DlmsTypeDescription): void {
  const tag = DATA_TYPE_CODES[d.type];
  if (tag === undefined || tag === DATA_TYPE_CODES['compact-array']) {
    return c.fail(`unknown type-description ${String(d.type)}`);
  }
  c.w.u8(tag, HERE);
  if (d.type === 'array') {
    c.enter();
    c.path.push('array', 'numberOfElements');
    c.w.u16(d.numberOfElements, HERE);
    c.path.pop();
    encodeTypeDescription(c, d.typeDescription);
    c.path.pop();
    c.depth--;
  } else if (d.type === 'structure') {
    c.enter();
    c.path.push('structure');
    writeLength(c, d.value.length);
    for (let i = 0; i < d.value.length; i++) {
      c.path.push(i);
      encodeTypeDescription(c, d.value[i]!);
      c.path.pop();
    }
    c.path.pop();
    c.depth--;
  }
}

/**
 * Fewest octets an element of this description takes, or -1 when some array repeats an element type that
 * takes none: such a description would let a few octets expand into unbounded elements, so both directions refuse it.
 */
function minimumSize(d: DlmsTypeDescription): number {
  if (d.type === 'array') {
    const each = minimumSize(d.typeDescription);
    if (each < 0 || (each === 0 && d.numberOfElements > 0)) return -1;
    return each * d.numberOfElements;
  }
  if (d.type === 'structure') {
    let sum = 0;
    for (const member of d.value) {
      const m = minimumSize(member);
      if (m < 0) return -1;
      sum += m;
    }
    return sum;
  }
  return SIMPLE_CODERS[d.type].minSize;
}

const EMPTY_ELEMENT =
  'elements of this type take no octets, so their number cannot be told from array-contents';

function decodeDescribed(c: DlmsDecoder, d: DlmsTypeDescription): DlmsData {
  if (d.type === 'array' || d.type === 'structure') {
    const n = d.type === 'array' ? d.numberOfElements : d.value.length;
    c.path.push(d.type);
    const value: DlmsData[] = [];
    for (let i = 0; i < n; i++) {
      c.path.push(i);
      value.push(decodeDescribed(c, d.type === 'array' ? d.typeDescription : d.value[i]!));
      c.path.pop();
    }
    c.path.pop();
    return { type: d.type, value };
  }
  c.path.push(d.type);
  const v = SIMPLE_CODERS[d.type].decode(c);
  c.path.pop();
  return v;
}

function encodeDescribed(c: DlmsEncoder, d: DlmsTypeDescription, v: DlmsData): void {
  if (v === null || typeof v !== 'object' || v.type !== d.type) {
    return c.fail(
      `contents-description says ${d.type}, got ${v === null || typeof v !== 'object' ? String(v) : v.type}`,
    );
  }
  c.path.push(d.type);
  if (d.type === 'array' || d.type === 'structure') {
    const value = (v as DlmsDataOf<'array'>).value;
    const n = d.type === 'array' ? d.numberOfElements : d.value.length;
    if (value.length !== n) c.fail(`contents-description says ${n} elements, got ${value.length}`);
    for (let i = 0; i < n; i++) {
      c.path.push(i);
      encodeDescribed(c, d.type === 'array' ? d.typeDescription : d.value[i]!, value[i]!);
      c.path.pop();
    }
  } else {
    SIMPLE_CODERS[d.type].encode(c, v);
  }
  c.path.pop();
}

/** The compact-array contents after its tag. */
export function decodeCompactArray(c: DlmsDecoder): DlmsDataOf<'compact-array'> {
  const descriptionAt = c.r.offset;
  c.path.push('contentsDescription');
  const contentsDescription = decodeTypeDescription(c);
  if (minimumSize(contentsDescription) <= 0) c.fail(EMPTY_ELEMENT, descriptionAt);
  c.path.pop();
  c.path.push('arrayContents');
  const n = readLength(c);
  const outer = c.r;
  const contents = outer.sub(n, HERE);
  c.path.pop();
  c.r = contents;
  const value: DlmsData[] = [];
  for (let i = 0; !contents.atEnd; i++) {
    c.path.push(i);
    value.push(decodeDescribed(c, contentsDescription));
    c.path.pop();
  }
  c.r = outer;
  return { type: 'compact-array', contentsDescription, value };
}

export function encodeCompactArray(c: DlmsEncoder, d: DlmsDataOf<'compact-array'>): void {
  c.path.push('contentsDescription');
  encodeTypeDescription(c, d.contentsDescription);
  if (minimumSize(d.contentsDescription) <= 0) c.fail(EMPTY_ELEMENT);
  c.path.pop();
  const outer = c.w;
  const contents = new Writer(LAYER);
  c.w = contents;
  for (let i = 0; i < d.value.length; i++) {
    c.path.push(i);
    encodeDescribed(c, d.contentsDescription, d.value[i]!);
    c.path.pop();
  }
  c.w = outer;
  c.path.push('arrayContents');
  writeLength(c, contents.pos);
  c.path.pop();
  outer.bytes(contents.finish());
}
