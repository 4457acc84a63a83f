// A-XDR `Data` (Green Book Data ::= CHOICE): a one-octet tag, then the contents of that type. array and
// structure carry an A-XDR quantity and that many Data; compact-array and the simple types have their own modules.
import type { Reader, Writer } from '../../bytes.js';
import { DlmsDecoder, DlmsEncoder, HERE } from './context.js';
import { decodeCompactArray, encodeCompactArray } from './compact-array.js';
import { DATA_TYPE_CODES, DATA_TYPE_NAMES, type DlmsData } from './types.js';
import { SIMPLE_CODERS, hex2, readLength, writeLength, type AnyValueCoder } from './values.js';

export function decodeData(c: DlmsDecoder): DlmsData {
  const at = c.r.offset;
  const tag = c.r.u8(HERE);
  const name = DATA_TYPE_NAMES[tag];
  if (name === undefined) return c.fail(`unknown Data tag 0x${hex2(tag)} (${tag})`, at);
  c.path.push(name);
  let d: DlmsData;
  if (name === 'array' || name === 'structure') {
    c.enter(at);
    const n = readLength(c);
    const value: DlmsData[] = [];
    for (let i = 0; i < n; i++) {
      c.path.push(i);
      value.push(decodeData(c));
      c.path.pop();
    }
    c.depth--;
    d = { type: name, value };
  } else if (name === 'compact-array') {
    d = decodeCompactArray(c);
  } else {
    d = SIMPLE_CODER_BY_TAG[tag]!.decode(c);
  }
  c.path.pop();
  return d;
}

/** SIMPLE_CODERS by Data tag: an array index per value instead of a lookup by (hyphenated) type name. */
const SIMPLE_CODER_BY_TAG: readonly (AnyValueCoder | undefined)[] = DATA_TYPE_NAMES.map((name) =>
  name === undefined || name === 'array' || name === 'structure' || name === 'compact-array'
    ? undefined
    : SIMPLE_CODERS[name],
);

export function encodeData(c: DlmsEncoder, d: DlmsData): void {
  const name = d !== null && typeof d === 'object' ? d.type : undefined;
  const tag = typeof name === 'string' ? DATA_TYPE_CODES[name] : undefined;
  if (tag === undefined) return c.fail(`unknown Data type ${String(name)}`);
  c.w.u8(tag, HERE);
  c.path.push(d.type);
  if (d.type === 'array' || d.type === 'structure') {
    c.enter();
    if (!Array.isArray(d.value)) c.fail(`value must be an array of Data, got ${typeof d.value}`);
    writeLength(c, d.value.length);
    for (let i = 0; i < d.value.length; i++) {
      c.path.push(i);
      encodeData(c, d.value[i]!);
      c.path.pop();
    }
    c.depth--;
  } else if (d.type === 'compact-array') {
    encodeCompactArray(c, d);
  } else {
    SIMPLE_CODERS[d.type].encode(c, d);
  }
  c.path.pop();
}

/** Decodes one Data; errors name the path from `field` (e.g. "data[0].octet-string"). */
export function decodeDlmsData(r: Reader, field = 'data'): DlmsData {
  return DlmsDecoder.run(r, (c) => {
    c.path.push(field);
    return decodeData(c);
  });
}

export function encodeDlmsData(w: Writer, d: DlmsData, field = 'data'): void {
  DlmsEncoder.run(w, (c) => {
    c.path.push(field);
    encodeData(c, d);
  });
}
