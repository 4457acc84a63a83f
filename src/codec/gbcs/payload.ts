// The payload of a GBCS message: DLMS COSEM, ZigBee GBZ or ASN.1 (DER), chosen by the message code
// (GBCS use-case tables, via the message-code table), never guessed from the bytes. Codes the table does not
// know, and codes without a GBCS payload, keep their content as raw bytes.
import { Reader, Writer } from '../bytes.js';
import { decodeAsn1Payload, encodeAsn1Payload, type Asn1Payload } from './asn1/index.js';
import { decodeDlmsApdu, encodeDlmsApdu, type DlmsApdu } from './dlms/index.js';
import type { Cra } from './frame.js';
import { decodeGbz, encodeGbz, type GbzPayload } from './gbz/index.js';
import { payloadKindFor } from './message-codes.js';

export interface PayloadContext {
  messageCode: number;
  cra: Cra;
}

export type GbcsPayload =
  | { kind: 'dlms'; dlms: DlmsApdu }
  | { kind: 'gbz'; gbz: GbzPayload }
  | { kind: 'asn1'; asn1: Asn1Payload }
  /** Content of a code GBCS does not define, or that the caller keeps opaque. */
  | { kind: 'raw'; bytes: Uint8Array };

/** Decodes the content of a message; `base` is the content's offset in the whole message, for error offsets. */
export function decodePayload(content: Uint8Array, base: number, ctx: PayloadContext): GbcsPayload {
  const kind = payloadKindFor(ctx.messageCode, content, base);
  if (kind === undefined) return { kind: 'raw', bytes: content.slice() };
  const r: Reader = new Reader(content, kind, base);
  let payload: GbcsPayload;
  switch (kind) {
    case 'dlms':
      payload = { kind, dlms: decodeDlmsApdu(r) };
      break;
    case 'gbz':
      payload = { kind, gbz: decodeGbz(r, ctx) };
      break;
    case 'asn1':
      payload = { kind, asn1: decodeAsn1Payload(r, ctx) };
      break;
  }
  r.finish(kind);
  return payload;
}

export function encodePayload(p: GbcsPayload, ctx: PayloadContext): Uint8Array {
  switch (p.kind) {
    case 'dlms': {
      const w = new Writer('dlms');
      encodeDlmsApdu(w, p.dlms);
      return w.finish();
    }
    case 'gbz': {
      const w = new Writer('gbz');
      encodeGbz(w, p.gbz, ctx);
      return w.finish();
    }
    case 'asn1': {
      const w = new Writer('asn1');
      encodeAsn1Payload(w, p.asn1, ctx);
      return w.finish();
    }
    case 'raw':
      return p.bytes.slice();
    default:
      return new Writer('gbcs.payload').fail(
        'payload',
        `unknown payload kind ${String((p as { kind: unknown }).kind)}`,
      );
  }
}
