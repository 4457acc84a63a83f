// Which keys protect which GBCS message, and checking or applying that protection on whole messages
// (GBCS 4.3.3 MACs, 4.3.4 signatures; domain brief §2.3). Verification runs on the bytes as received,
// through the spans the frame codec records, never on a re-encoding.
import type { KeyObject } from 'node:crypto';
import type { Eui64 } from '../codec/eui64.js';
import {
  encodeGeneralSigningApdu,
  encodeMacFrame,
  type GbcsMessage,
  type GroupingHeader,
  type ParsedGbcs,
} from '../codec/gbcs/frame.js';
import { messageCodeInfo } from '../codec/gbcs/message-codes.js';
import { SharedSecretCache, missingPair } from './ecdh.js';
import { MissingKeyError } from './errors.js';
import type { KeyLookup, KeyStore } from './keystore.js';
import { computeGbcsMac, verifyGbcsMac } from './mac.js';
import { signGbcsSpan, verifyGbcsSpan } from './signing.js';

/** valid / invalid: checked; unknown: the keys to check it are not in the store; none: the message carries no such protection. */
export type CheckOutcome = 'valid' | 'invalid' | 'unknown' | 'none';

export interface GbcsVerification {
  mac: CheckOutcome;
  signature: CheckOutcome;
  /** Why a check came out unknown (which key was missing). */
  notes: string[];
}

/** What checking and applying protection needs; the caller owns the cache (no global state). */
export interface ProtectionContext {
  keys: KeyStore;
  /** The Access Control Broker: the MAC party of every Remote Party command (GBCS 4.3.3.2). */
  acb: Eui64;
  secrets: SharedSecretCache;
}

export function protectionContext(
  keys: KeyStore,
  acb: Eui64,
  secrets = new SharedSecretCache(),
): ProtectionContext {
  return { keys, acb, secrets };
}

/**
 * The two parties whose KA keys make the MAC key. A Remote Party command is MACed by the ACB and the
 * recipient, even when a supplier originates and signs it; a HAN-only command (PPMID → GSME) by the two
 * devices; a response or alert by its originator (the device) and its recipient.
 */
export function macParties(header: GroupingHeader, acb: Eui64): [Eui64, Eui64] {
  if (header.cra === 1 && messageCodeInfo(header.messageCode)?.remoteParty !== false)
    return [acb, header.recipient];
  return [header.originator, header.recipient];
}

/** The party whose DS key signs: the originator (a supplier for critical commands, the device for critical responses and alerts). */
export function signingParty(header: GroupingHeader): Eui64 {
  return header.originator;
}

/** Checks the MAC and the signature of a parsed message against the key store. Never throws for a bad MAC or signature. */
export function verifyGbcs(parsed: ParsedGbcs, ctx: ProtectionContext): GbcsVerification {
  const { message, bytes, spans } = parsed;
  const notes: string[] = [];
  let mac: CheckOutcome = 'none';
  if (message.mac !== null) {
    const [a, b] = macParties(message.header, ctx.acb);
    const z = sharedSecret(ctx, a, b, notes);
    mac =
      z === undefined
        ? 'unknown'
        : verifyGbcsMac(z, bytes.subarray(spans.apduStart, spans.apduEnd), message.mac)
          ? 'valid'
          : 'invalid';
  }
  let signature: CheckOutcome = 'none';
  if (message.signature.kind === 'present') {
    const signer = signingParty(message.header);
    const key = ctx.keys.publicKey({ eui: signer, usage: 'DS' });
    if (key === undefined) {
      notes.push(`no DS public key for ${signer}`);
      signature = 'unknown';
    } else {
      const span = bytes.subarray(spans.apduStart + 1, spans.contentEnd);
      signature = verifyGbcsSpan(key, span, message.signature.value) ? 'valid' : 'invalid';
    }
  }
  return { mac, signature, notes };
}

function sharedSecret(ctx: ProtectionContext, a: Eui64, b: Eui64, notes: string[]): Uint8Array | undefined {
  const lookupA: KeyLookup = { eui: a, usage: 'KA' };
  const lookupB: KeyLookup = { eui: b, usage: 'KA' };
  const z = ctx.secrets.betweenIfHeld(ctx.keys, lookupA, lookupB);
  // The message between's MissingKeyError would carry, without building an error and its stack trace.
  if (z === undefined) notes.push(MissingKeyError.messageFor(missingPair(lookupA, lookupB)));
  return z;
}

/**
 * Signs a message as its originator: the signature covers the General-Signing APDU without 0xDF, through
 * the end of the content (GBCS 4.3.4). Returns the message with its signature element present.
 */
export function signGbcs(message: GbcsMessage, dsPrivateKey: KeyObject): GbcsMessage {
  const unsigned = encodeGeneralSigningApdu({ ...message, signature: { kind: 'absent' } });
  const value = signGbcsSpan(dsPrivateKey, unsigned.subarray(1));
  return { ...message, signature: { kind: 'present', value } };
}

/**
 * Wraps a message in the MAC header and computes its MAC with the key pair GBCS prescribes for it.
 * Throws MissingKeyError when the store lacks the keys.
 */
export function macGbcs(message: GbcsMessage, ctx: ProtectionContext): GbcsMessage {
  const { signature, mac } = macProtected(message, ctx);
  return { ...message, signature, macProtected: true, mac };
}

/**
 * What MAC protection makes of a message (GBCS 4.3.3): its APDU, an absent signature element written as an empty
 * one, and the MAC over that APDU with the key pair GBCS prescribes.
 */
function macProtected(
  message: GbcsMessage,
  ctx: ProtectionContext,
): { signature: GbcsMessage['signature']; apdu: Uint8Array; mac: Uint8Array } {
  const signature = message.signature.kind === 'absent' ? EMPTY_SIGNATURE : message.signature;
  const apdu = encodeGeneralSigningApdu({ header: message.header, payload: message.payload, signature });
  const [a, b] = macParties(message.header, ctx.acb);
  const z = ctx.secrets.between(ctx.keys, { eui: a, usage: 'KA' }, { eui: b, usage: 'KA' });
  return { signature, apdu, mac: computeGbcsMac(z, apdu) };
}

const EMPTY_SIGNATURE = { kind: 'empty' } as const;

/**
 * Signs (when a DS key is given) and MACs a message built from typed values, returning its bytes: the bytes of
 * encodeGbcs(macGbcs(…)), with the APDU encoded once and wrapped in the MAC header (what a sender puts on the wire).
 * Throws MissingKeyError when the store lacks the keys.
 */
export function sealGbcs(message: GbcsMessage, ctx: ProtectionContext, dsPrivateKey?: KeyObject): Uint8Array {
  const signed = dsPrivateKey === undefined ? message : signGbcs(message, dsPrivateKey);
  const { apdu, mac } = macProtected(signed, ctx);
  return encodeMacFrame(apdu, mac);
}
