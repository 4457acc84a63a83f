// The payload of a GBCS message: DLMS COSEM, ZigBee GBZ or ASN.1 (DER), chosen by the message code
// (GBCS use-case tables), never guessed from the bytes. Codes the table does not know stay raw bytes.
import { Reader, Writer } from '../bytes.js';
import type { Cra } from './frame.js';

export interface PayloadContext {
  messageCode: number;
  cra: Cra;
}

export type GbcsPayload = { kind: 'raw'; bytes: Uint8Array };

/** Decodes the content of a message; `base` is the content's offset in the whole message, for error offsets. */
export function decodePayload(content: Uint8Array, base: number, _ctx: PayloadContext): GbcsPayload {
  const r = new Reader(content, 'gbcs.payload', base);
  return { kind: 'raw', bytes: r.rest() };
}

export function encodePayload(p: GbcsPayload, _ctx: PayloadContext): Uint8Array {
  const w = new Writer('gbcs.payload', p.bytes.length);
  switch (p.kind) {
    case 'raw':
      return w.bytes(p.bytes).finish();
    default:
      return w.fail('payload', `unknown payload kind ${String((p as { kind: unknown }).kind)}`);
  }
}
