// Every GBCS message a premise exchanges, kept with its decoded form (issue 4: "a trace recorder that keeps every
// message with its decoded form"), and the fingerprint the trace hash uses: the signed span of the message (the
// General-Signing APDU without 0xDF through the end of the content). Signatures and MACs are left out of the
// fingerprint because ECDSA signing draws a fresh nonce inside OpenSSL, as a real device does; everything the
// devices decided is in the span.
import { createHash } from 'node:crypto';
import { DecodeError, toHex } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { parseGbcs, scanGbcs, type GbcsMessage } from '../codec/gbcs/frame.js';
import { isGbtBlock } from '../codec/gbcs/gbt.js';

export type MessageLeg = 'wan-in' | 'wan-out' | 'han' | 'tunnel-in' | 'tunnel-out';

export interface LoggedMessage {
  readonly atMs: number;
  readonly premise: number;
  readonly leg: MessageLeg;
  /** HAN sender and receiver; for WAN legs, the CHF at the premise's end. */
  readonly from: Eui64 | 'wan' | 'tunnel';
  readonly to: Eui64 | 'wan' | 'tunnel';
  readonly bytes: Uint8Array;
  /** The decoded message, or why it did not decode (a GBT block, or a malformed or tampered message). */
  readonly decoded:
    { readonly ok: true; readonly message: GbcsMessage } | { readonly ok: false; readonly reason: string };
}

export function decodeForLog(bytes: Uint8Array): LoggedMessage['decoded'] {
  if (isGbtBlock(bytes)) return { ok: false, reason: 'GBT block' };
  try {
    return { ok: true, message: parseGbcs(bytes).message };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * What the trace hash records of a message: its signed span when it parses; for a GBT block only its length (a
 * block may carry signature bytes); otherwise all of its bytes. Long spans are recorded as their SHA-256.
 */
export function messageFingerprint(bytes: Uint8Array): string {
  if (isGbtBlock(bytes)) return `gbt:${bytes.length}`;
  let span = bytes;
  try {
    const { spans } = scanGbcs(bytes); // the frame only: the payload's grammar is the receiver's business
    span = bytes.subarray(spans.apduStart + 1, spans.contentEnd);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  return span.length <= 64 ? toHex(span) : createHash('sha256').update(span).digest('hex');
}
