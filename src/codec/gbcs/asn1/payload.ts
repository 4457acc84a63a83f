// The ASN.1 payload of a GBCS message (GBCS section 13): the DER tree as received, and the typed view of its
// use case where there is one. The tree is the wire form, so anything no view covers round-trips unchanged.
import { Reader, Writer } from '../../bytes.js';
import type { Cra } from '../frame.js';
import {
  DER_LAYER,
  encodeDer,
  formatDer,
  isConstructed,
  readDerNode,
  writeDerNode,
  type DerNode,
} from './der.js';
import { asn1ViewKind, buildAsn1, interpretAsn1, type Asn1View } from './views.js';
import { formatAsn1View } from './format.js';

export interface Asn1Context {
  messageCode: number;
  cra: Cra;
}

/**
 * `tree` is one DER value (every RTDS ASN.1 payload is exactly one TLV). `view` is present when the message
 * code and CRA flag have a typed view. When encoding, the view wins: see {@link encodeAsn1Payload}.
 */
export interface Asn1Payload {
  tree: DerNode;
  view?: Asn1View;
}

/**
 * Reads one DER value from r (exactly its bytes; the caller checks nothing follows). Non-minimal length
 * forms, which GBCS devices write (`30 82 00 9F`), are accepted and kept in the tree; all else DER forbids is refused.
 */
export function decodeAsn1Payload(r: Reader, ctx: Asn1Context): Asn1Payload {
  const own: Reader = new Reader(r.buf.subarray(r.pos), DER_LAYER, r.offset);
  const tree = readDerNode(own, '$', { lengths: 'keep' });
  r.pos += own.pos;
  const view = interpretAsn1(ctx.messageCode, ctx.cra, tree);
  return view === undefined ? { tree } : { tree, view };
}

/**
 * Writes the payload. With a view, the bytes come from the view (so an edited view is what travels), with the
 * length-octet widths of `tree` kept wherever the rebuilt tree has the same shape: an unedited view of a
 * received payload gives back its exact bytes. Without a view, the tree is written as it is.
 */
export function encodeAsn1Payload(w: Writer, p: Asn1Payload, ctx: Asn1Context): void {
  let tree = p.tree;
  if (p.view !== undefined) {
    const kind = asn1ViewKind(ctx.messageCode, ctx.cra);
    if (p.view.kind !== kind) {
      const code = `0x${ctx.messageCode.toString(16).padStart(4, '0').toUpperCase()}`;
      w.fail(
        'asn1.view.kind',
        `a ${p.view.kind} view cannot be the payload of message code ${code} with CRA flag ${ctx.cra} (${kind ?? 'no typed view'})`,
      );
    }
    tree = p.tree === undefined ? buildAsn1(p.view) : keepLengthForms(buildAsn1(p.view), p.tree);
  }
  const own = new Writer(DER_LAYER);
  writeDerNode(own, tree);
  w.bytes(own.finish());
}

/** A payload built from a typed value, ready to encode: `asn1Payload({ kind: 'joinDeviceCommand', … })`. */
export function asn1Payload(view: Asn1View): Asn1Payload {
  return { tree: buildAsn1(view), view };
}

/** The view when there is one, else the DER tree. */
export function formatAsn1Payload(p: Asn1Payload): string[] {
  return p.view !== undefined ? formatAsn1View(p.view) : formatDer(p.tree);
}

/** Copies the non-minimal length widths of `from` onto the same-shaped nodes of `to` (where they still fit). */
function keepLengthForms(to: DerNode, from: DerNode): DerNode {
  if (to.cls !== from.cls || to.tag !== from.tag || isConstructed(to) !== isConstructed(from)) return to;
  const out: DerNode = isConstructed(to)
    ? {
        ...to,
        children: to.children.map((c, i) =>
          isConstructed(from) && from.children[i] ? keepLengthForms(c, from.children[i]!) : c,
        ),
      }
    : { ...to };
  if (from.lengthOctets !== undefined) {
    const length = contentLength(out);
    if (length < 2 ** (8 * from.lengthOctets)) out.lengthOctets = from.lengthOctets;
  }
  return out;
}

function contentLength(node: DerNode): number {
  if (!isConstructed(node)) return node.bytes.length;
  let n = 0;
  for (const c of node.children) n += encodeDer(c).length;
  return n;
}
