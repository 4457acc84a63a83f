// GBCS message signatures (GBCS 7.2.7 Grouping Header; domain brief §2.3): ECDSA P-256/SHA-256 over the
// General-Signing APDU without its 0xDF tag, from the transaction-id through the end of the content,
// appended as 40 ‖ r‖s. Operates on byte spans so the frame codec can hand over exactly what travelled.
import type { KeyObject } from 'node:crypto';
import { DecodeError } from '../codec/bytes.js';
import { parseGbcs, type GbcsWireSpans } from '../codec/gbcs/frame.js';
import { P256_SIGNATURE_LENGTH, signP256, verifyP256 } from './ecdsa.js';

/** The bytes a GBCS signature covers, as a view into the message: apduStart+1 (after 0xDF) .. contentEnd. */
export function signedSpan(
  message: Uint8Array,
  spans: Pick<GbcsWireSpans, 'apduStart' | 'contentEnd'>,
): Uint8Array {
  if (spans.apduStart < 0 || spans.contentEnd > message.length || spans.apduStart + 1 > spans.contentEnd) {
    throw new DecodeError(
      'gbcs.signature',
      spans.apduStart,
      'spans',
      `apduStart ${spans.apduStart} and contentEnd ${spans.contentEnd} do not lie within ${message.length} bytes`,
    );
  }
  return message.subarray(spans.apduStart + 1, spans.contentEnd);
}

/** Signs a signed span (see signedSpan): 64-byte r‖s. */
export function signGbcsSpan(dsPrivateKey: KeyObject, span: Uint8Array): Uint8Array {
  return signP256(dsPrivateKey, span);
}

/** True iff `signature` is the originator's signature over the span. A wrong signature is `false`; a wrong size throws. */
export function verifyGbcsSpan(dsPublicKey: KeyObject, span: Uint8Array, signature: Uint8Array): boolean {
  return verifyP256(dsPublicKey, span, signature);
}

/**
 * Signs a Pre-Command (the DSP's Transform output: a bare General-Signing APDU with the signature
 * element absent, or empty as 0x00) and returns the signed APDU: Pre-Command through content ‖ 40 ‖ r‖s.
 */
export function signPreCommand(preCommand: Uint8Array, dsPrivateKey: KeyObject): Uint8Array {
  const { message, spans } = parseGbcs(preCommand);
  if (message.macProtected) {
    throw new DecodeError(
      'gbcs.signature',
      0,
      'pre-command',
      'starts with a MAC header (0xDD); a Pre-Command is a bare General-Signing APDU (0xDF)',
    );
  }
  if (message.signature.kind === 'present') {
    throw new DecodeError('gbcs.signature', spans.contentEnd, 'pre-command.signature', 'is already signed');
  }
  const signature = signP256(dsPrivateKey, signedSpan(preCommand, spans));
  const out = new Uint8Array(spans.contentEnd + 1 + P256_SIGNATURE_LENGTH);
  out.set(preCommand.subarray(0, spans.contentEnd), 0);
  out[spans.contentEnd] = P256_SIGNATURE_LENGTH;
  out.set(signature, spans.contentEnd + 1);
  return out;
}
