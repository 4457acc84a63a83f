// From a transformed command to the bytes on the wire (domain brief §2.2, §3.1): who originates it — the User, or
// the ACB on the User's behalf with its own counter and the User as Supplementary Remote Party —, the Pre-Command a
// critical request returns for signing (CV4), the check that a Signed Pre-Command is the one issued (CV5–7), and the
// ACB MAC every Remote Party command carries.
import { bytesEqual } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { encodeGeneralSigningApdu, parseGbcs, type GbcsMessage } from '../codec/gbcs/frame.js';
import { messageCodeInfo } from '../codec/gbcs/message-codes.js';
import { sealGbcs, verifyGbcs, type ProtectionContext } from '../crypto/message-protection.js';
import { acbOriginates } from '../devices/security.js';
import type { DeviceKind } from '../devices/types.js';
import type { CommandDraft } from './transform/types.js';
import type { SmiDeviceType } from './types.js';

/** The GBCS device kind of an SMI device type (a CAD is an IHD on the HAN) [A]. */
export function deviceKindOf(type: SmiDeviceType): DeviceKind {
  return type === 'CAD' ? 'IHD' : type;
}

export interface Origination {
  readonly originator: Eui64;
  readonly counter: bigint;
  /** Set when the ACB originates: the User and its RequestID counter. */
  readonly supplementary?: { readonly user: Eui64; readonly counter: bigint };
}

/** Whether the ACB originates this draft's command (then it takes the next ACB counter). */
export function originatedByAcb(draft: CommandDraft, kind: DeviceKind, critical: boolean): boolean {
  const info = messageCodeInfo(draft.messageCode);
  if (info === undefined) throw new RangeError(`unknown message code 0x${draft.messageCode.toString(16)}`);
  return acbOriginates(info, kind, critical);
}

/** The command as a typed message: header from the origination, payload from the draft, not yet signed or MACed. */
export function commandMessage(draft: CommandDraft, o: Origination): GbcsMessage {
  return {
    macProtected: false,
    header: {
      cra: 1,
      originatorCounter: o.counter,
      originator: o.originator,
      recipient: draft.recipient,
      dateTime: draft.dateTime,
      messageCode: draft.messageCode,
      ...(o.supplementary !== undefined && {
        supplementaryRemotePartyId: o.supplementary.user,
        supplementaryRemotePartyCounter: o.supplementary.counter,
      }),
    },
    payload: draft.payload,
    signature: { kind: 'absent' },
    mac: null,
  };
}

/** A Pre-Command (CV4): the General-Signing APDU with no signature element, for the User to sign. */
export function preCommandBytes(message: GbcsMessage): Uint8Array {
  return encodeGeneralSigningApdu({ ...message, signature: { kind: 'absent' } });
}

/** The command with the ACB MAC (GBCS 4.3.3.2), ready for a route. */
export function macCommand(message: GbcsMessage, ctx: ProtectionContext): Uint8Array {
  return sealGbcs(message, ctx);
}

export type SignedPreCommandCheck =
  { readonly ok: true; readonly message: GbcsMessage } | { readonly ok: false; readonly reason: string };

/**
 * A Signed Pre-Command (CV5–7) as the User returned it: it must parse, be the very Pre-Command issued (same header
 * and payload bytes) and carry a signature that verifies under the originator's DS key.
 */
export function checkSignedPreCommand(
  signed: Uint8Array,
  issued: Uint8Array,
  ctx: ProtectionContext,
): SignedPreCommandCheck {
  let parsed;
  try {
    parsed = parseGbcs(signed);
  } catch (e) {
    return { ok: false, reason: `not a GBCS message: ${(e as Error).message}` };
  }
  const m = parsed.message;
  if (m.macProtected) return { ok: false, reason: 'a Signed Pre-Command carries no MAC header' };
  if (m.signature.kind !== 'present')
    return { ok: false, reason: 'the Signed Pre-Command carries no signature' };
  const unsigned = preCommandBytes(m);
  if (!bytesEqual(unsigned, issued)) return { ok: false, reason: 'it is not the Pre-Command the DSP issued' };
  const verdict = verifyGbcs(parsed, ctx);
  if (verdict.signature !== 'valid')
    return {
      ok: false,
      reason: `signature ${verdict.signature}${verdict.notes.length > 0 ? `: ${verdict.notes.join('; ')}` : ''}`,
    };
  return { ok: true, message: m };
}
