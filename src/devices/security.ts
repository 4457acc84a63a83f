// The checks a device runs on every inbound GBCS command before acting on it (GBCS 4.3 and the use-case tables;
// domain brief §2.2–2.3): addressed to me, a known originator, MAC with the right key pair (the ACB's for Remote
// Party commands), the originator's signature on critical commands, a counter above the last accepted one for
// replay-protected use cases, and an originator whose role may issue this command. A refusal names the alert the
// device raises and changes nothing else. HAN-only commands (PCS01, PCS02: PPMID → GSME, GBCS message type
// SME.C.PPMID-GSME) come from a device, not a Remote Party: from a PPMID the GSME has joined with, MACed with the two
// devices' keys.
import { DecodeError } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { SRVS, type UserRole } from '../codec/duis/srv.js';
import { parseGbcs, type ParsedGbcs } from '../codec/gbcs/frame.js';
import { messageCodeInfo, type MessageCodeInfo } from '../codec/gbcs/message-codes.js';
import { verifyGbcs } from '../crypto/message-protection.js';
import type { ActorEnv, DeviceKind } from './types.js';

/** GBCS Remote Party Roles a device holds credentials for (GBCS 4.2; ASN.1 RemotePartyRole). */
export type RemotePartyRoleName = 'supplier' | 'networkOperator' | 'acb' | 'wanProvider' | 'transitionalCoS';

/** The Remote Parties whose certificates a device holds (its Device Security Credentials), by role. */
export interface RemoteParties {
  readonly acb: Eui64;
  readonly supplier?: Eui64;
  readonly networkOperator?: Eui64;
  readonly wanProvider?: Eui64;
  readonly transitionalCoS?: Eui64;
}

export interface SecurityState {
  readonly parties: RemoteParties;
  /**
   * Highest Originator Counter accepted per originator for replay-protected use cases (GBCS 4.3.1.6), and per PPMID
   * for the HAN-only commands it sends a GSME.
   */
  readonly counters: Readonly<Record<string, bigint>>;
}

/** Who originated an accepted command: a Remote Party by its role, or the joined PPMID of a HAN-only command. */
export type OriginatorRole = RemotePartyRoleName | 'ppmid';

export type RefusalReason =
  | 'malformed'
  | 'not-a-command'
  | 'not-for-me'
  | 'unknown-originator'
  | 'mac-invalid'
  | 'signature-invalid'
  | 'no-authority'
  | 'replayed';

/**
 * The alert each refusal raises. GBCS names the alerts (domain brief §2.7); which check raises which is not in our
 * sources except 0x8F30, which RTDS carries as a critical alert [O]; the rest are [A] and kept in this one table.
 */
export const REFUSAL_ALERTS: Readonly<
  Record<RefusalReason, { readonly code: number; readonly critical: boolean }>
> = {
  malformed: { code: 0x8f1e, critical: true }, // Integrity check of content or format of command failed [A]
  'not-a-command': { code: 0x8f1e, critical: true }, // [A]
  'not-for-me': { code: 0x8f3e, critical: true }, // Unauthorised communication access attempted [A]
  'unknown-originator': { code: 0x8f30, critical: true }, // Source does not have authority for command [A]
  'mac-invalid': { code: 0x8f1e, critical: true }, // Integrity check of command failed [A]
  'signature-invalid': { code: 0x8f3d, critical: true }, // Trusted source authentication failure [A]
  'no-authority': { code: 0x8f30, critical: true }, // Source does not have authority for command [O: RTDS GCA-ZigBee]
  replayed: { code: 0x8f53, critical: true }, // Failed authentication or authorisation not covered by other codes [A]
};

export interface Refusal {
  readonly reason: RefusalReason;
  readonly alertCode: number;
  readonly detail: string;
  /** Present when the bytes parsed: the refused command, for the trace. */
  readonly parsed?: ParsedGbcs;
}

export interface Accepted {
  readonly parsed: ParsedGbcs;
  readonly info: MessageCodeInfo;
  readonly role: OriginatorRole;
  /** The security state with this command's counter recorded; apply it only if the command is acted on. */
  readonly security: SecurityState;
}

export type InboundVerdict =
  { readonly ok: true; readonly accepted: Accepted } | { readonly ok: false; readonly refusal: Refusal };

export interface Recipient {
  readonly eui: Eui64;
  readonly kind: DeviceKind;
  readonly security: SecurityState;
  /** The devices this one has joined with (CS03x; device.ts JoinEntry): who may send it a HAN-only command. */
  readonly joins?: readonly { readonly device: Eui64; readonly deviceType: number }[];
}

/** ASN.1 DeviceType of a PPMID in a join entry (domain brief §2.6; device.ts JOIN_DEVICE_TYPE.PPMID) [O]. */
const PPMID_DEVICE_TYPE = 5;
/** The GBCS message type of the HAN-only commands a PPMID sends a GSME (GBCS use-case table) [O]. */
const PPMID_TO_GSME = 'SME.C.PPMID-GSME';

export function roleOf(parties: RemoteParties, eui: Eui64): RemotePartyRoleName | undefined {
  if (eui === parties.acb) return 'acb';
  if (eui === parties.supplier) return 'supplier';
  if (eui === parties.networkOperator) return 'networkOperator';
  if (eui === parties.wanProvider) return 'wanProvider';
  if (eui === parties.transitionalCoS) return 'transitionalCoS';
  return undefined;
}

const GBCS_ROLE_OF_USER: Readonly<Record<UserRole, RemotePartyRoleName | undefined>> = {
  IS: 'supplier',
  ES: 'supplier',
  GS: 'supplier',
  ED: 'networkOperator',
  GT: 'networkOperator',
  RSA: undefined,
  OU: undefined,
};

/** Use cases whose commands the ACB itself originates to meters and the GPF, on a User's behalf [O: RTDS 4.5.0]. */
const ACB_ORIGINATED_USE_CASES = new Set([
  'ECS21b',
  'ECS21c',
  'ECS50',
  'CS03B',
  'CS07',
  'GCS31',
  'CS02a',
  'CS02b',
]);

/**
 * Kinds whose Remote Party commands come from the ACB alone: CHF, PPMID, HCALCS (domain brief §2.2) [O], and IHD and
 * HHT likewise [A]. One exception, in mayOriginate: the supplier originates an HCALCS's critical commands.
 */
const ACB_ONLY_KINDS: ReadonlySet<DeviceKind> = new Set(['CHF', 'PPMID', 'HCALCS', 'IHD', 'HHT']);

const rolesByUseCase = new Map<string, Set<RemotePartyRoleName>>();
for (const srv of SRVS) {
  for (const useCase of srv.useCases) {
    let roles = rolesByUseCase.get(useCase);
    if (roles === undefined) rolesByUseCase.set(useCase, (roles = new Set()));
    for (const user of srv.eligibleRoles) {
      const role = GBCS_ROLE_OF_USER[user];
      if (role !== undefined) roles.add(role);
    }
  }
}

/**
 * GBCS 11.3 to the CH's own image (CS05a, SR 11.1 → CS06): the supplier originates and signs it, as for the meters
 * and the HCALCS [A: no RTDS CS06 to a CHF; DUIS 11.3 is for IS/GS only, and a critical command is its User's].
 */
function supplierActivatesChf(info: MessageCodeInfo, kind: DeviceKind): boolean {
  return kind === 'CHF' && info.useCase === 'CS06';
}

/**
 * Does the ACB originate `info`'s command to a device of `kind` on a User's behalf (its own counter, the User as
 * Supplementary Remote Party — domain brief §2.2)? The converse of the first two rules of mayOriginate.
 */
export function acbOriginates(info: MessageCodeInfo, kind: DeviceKind, critical: boolean): boolean {
  if (kind === 'HCALCS' && critical) return false; // RTDS 8.7.1_CS03A2Critical: the supplier signs [O]
  if (supplierActivatesChf(info, kind)) return false;
  if (ACB_ONLY_KINDS.has(kind)) return true;
  const useCase = info.useCase ?? '';
  return ACB_ORIGINATED_USE_CASES.has(useCase) && !useCase.startsWith('CS02');
}

/**
 * May `role` originate `info`'s command to a device of `kind`? The supplier for an HCALCS's critical commands; the
 * ACB alone for every other command to a CHF, PPMID, HCALCS, IHD or HHT (ACB_ONLY_KINDS), and for the use cases it
 * originates to other devices; otherwise the GBCS role of a DUIS user role eligible for an SRV that produces the
 * use case (supplier for IS/ES/GS, network operator for ED/GT); a supplier for codes no SRV produces.
 */
export function mayOriginate(role: RemotePartyRoleName, info: MessageCodeInfo, kind: DeviceKind): boolean {
  // The supplier originates and signs an HCALCS's critical commands (RTDS 8.7.1_CS03A2Critical, to A5: the HCALCS) [O].
  if (kind === 'HCALCS' && role === 'supplier' && info.critical === true) return true;
  if (supplierActivatesChf(info, kind)) return role === 'supplier';
  if (ACB_ONLY_KINDS.has(kind)) return role === 'acb';
  const useCase = info.useCase ?? '';
  if (role === 'acb')
    return ACB_ORIGINATED_USE_CASES.has(useCase.replace(/^(CS02[a-g]).*$/, (m) => m.slice(0, 5)));
  const roles = rolesByUseCase.get(useCase);
  return roles === undefined ? role === 'supplier' : roles.has(role);
}

function refuse(reason: RefusalReason, detail: string, parsed?: ParsedGbcs): InboundVerdict {
  const refusal: Refusal = {
    reason,
    alertCode: REFUSAL_ALERTS[reason].code,
    detail,
    ...(parsed && { parsed }),
  };
  return { ok: false, refusal };
}

/** Runs every check GBCS requires of a device receiving a Remote Party command, in the order a device runs them. */
export function checkInboundCommand(bytes: Uint8Array, self: Recipient, env: ActorEnv): InboundVerdict {
  let parsed: ParsedGbcs;
  try {
    parsed = parseGbcs(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return refuse('malformed', e.message);
    throw e;
  }
  const { header } = parsed.message;
  const info = messageCodeInfo(header.messageCode);
  if (header.cra !== 1 || info === undefined || !info.flows.includes('command'))
    return refuse('not-a-command', `CRA ${header.cra}, message code 0x${hex4(header.messageCode)}`, parsed);
  if (header.recipient !== self.eui)
    return refuse('not-for-me', `addressed to ${header.recipient}, not ${self.eui}`, parsed);
  if (info.remoteParty === false) return checkHanOnlyCommand(parsed, info, self, env);
  const role = roleOf(self.security.parties, header.originator);
  if (role === undefined)
    return refuse(
      'unknown-originator',
      `${header.originator} is none of this device's Remote Parties`,
      parsed,
    );
  if (parsed.message.mac === null && info.remoteParty)
    return refuse('mac-invalid', 'a Remote Party command without a MAC', parsed);
  const critical =
    info.critical === true || (info.critical === 'variant' && parsed.message.signature.kind === 'present');
  if (critical && parsed.message.signature.kind !== 'present')
    return refuse('signature-invalid', 'a critical command without its originator signature', parsed);
  const verification = verifyGbcs(parsed, env.protection);
  if (parsed.message.mac !== null && verification.mac !== 'valid')
    return refuse('mac-invalid', `MAC ${verification.mac}${notes(verification.notes)}`, parsed);
  if (critical && verification.signature !== 'valid')
    return refuse(
      'signature-invalid',
      `signature ${verification.signature}${notes(verification.notes)}`,
      parsed,
    );
  if (!mayOriginate(role, info, self.kind))
    return refuse(
      'no-authority',
      `${role} may not send ${info.useCase ?? info.name} to a ${self.kind}`,
      parsed,
    );
  let security = self.security;
  if (info.replayProtected === true) {
    const last = security.counters[header.originator];
    if (last !== undefined && header.originatorCounter <= last)
      return refuse('replayed', `counter ${header.originatorCounter} ≤ last accepted ${last}`, parsed);
    security = {
      ...security,
      counters: { ...security.counters, [header.originator]: header.originatorCounter },
    };
  }
  return { ok: true, accepted: { parsed, info, role, security } };
}

/**
 * A HAN-only command (GBCS: PCS01 and PCS02, message type SME.C.PPMID-GSME): its originator must be a PPMID in the
 * recipient's joins (the CS03 join a GSME makes with its PPMID), else it is refused as from an unknown originator;
 * it must carry a valid MAC made with the two devices' KA keys (GBCS 4.3.3; macParties); only a GSME acts on it. The
 * use-case table leaves these commands' replay protection open: a counter strictly above the last accepted from
 * that PPMID is required anyway, so that a top-up or an emergency credit request cannot be replayed, and recorded
 * with the Remote Parties' [A].
 */
function checkHanOnlyCommand(
  parsed: ParsedGbcs,
  info: MessageCodeInfo,
  self: Recipient,
  env: ActorEnv,
): InboundVerdict {
  const { header } = parsed.message;
  const joined = (self.joins ?? []).some(
    (j) => j.device === header.originator && j.deviceType === PPMID_DEVICE_TYPE,
  );
  if (!joined)
    return refuse(
      'unknown-originator',
      `${header.originator} is no PPMID this device has joined with (${info.useCase ?? info.name})`,
      parsed,
    );
  if (parsed.message.mac === null) return refuse('mac-invalid', 'a HAN-only command without a MAC', parsed);
  const verification = verifyGbcs(parsed, env.protection);
  if (verification.mac !== 'valid')
    return refuse('mac-invalid', `MAC ${verification.mac}${notes(verification.notes)}`, parsed);
  if (info.messageType !== PPMID_TO_GSME || self.kind !== 'GSME')
    return refuse(
      'no-authority',
      `a PPMID may not send ${info.useCase ?? info.name} to a ${self.kind}`,
      parsed,
    );
  const last = self.security.counters[header.originator];
  if (last !== undefined && header.originatorCounter <= last)
    return refuse('replayed', `counter ${header.originatorCounter} ≤ last accepted ${last}`, parsed);
  const security = {
    ...self.security,
    counters: { ...self.security.counters, [header.originator]: header.originatorCounter },
  };
  return { ok: true, accepted: { parsed, info, role: 'ppmid', security } };
}

function notes(list: readonly string[]): string {
  return list.length === 0 ? '' : ` (${list.join('; ')})`;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
