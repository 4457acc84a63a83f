// CS02b Update Security Credentials (GBCS 13.3; SR 6.15.1, 6.21): a Remote Party replaces trust anchors a device
// holds for it. Each replacement names a trust anchor cell (role, DS or KA, management or prepayment top-up) and the
// certificate to put there; the certification path carries the CA that issued it. Immediate: replaced now and the
// response carries the execution outcome; future-dated: "command accepted" now and, at the execution time, the
// 0x00CB alert with 0x8F66 (all replaced) or 0x8F67 (some not); the cancellation date drops a pending update
// (RTDS 6.15.1_CS02bSupplierBySupplier) [O].
//
// The twin's trust follows its key store by EUI (security.ts): replacing a role's certificate with one naming another
// EUI makes that EUI the role's party; the key identifiers of what was installed are kept per cell, so later outcomes
// report them as existing. Signatures keep being checked with the key store's key for the party's EUI [A].
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { fromHex, toHex } from '../codec/bytes.js';
import { eui64, type Eui64 } from '../codec/eui64.js';
import {
  asn1Payload,
  CellUsage,
  CredentialsReplacementMode,
  encodeDer,
  isConstructed,
  RemotePartyRole,
  StatusCode,
  type Asn1View,
  type Asn1ViewOf,
  type DerNode,
  type TrustAnchorCellIdentifier,
} from '../codec/gbcs/asn1/index.js';
import { messageCodesForUseCase } from '../codec/gbcs/message-codes.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import type { KeyUsage } from '../crypto/keystore.js';
import { readSmkiCertificate } from '../crypto/test-pki-read.js';
import { CANCEL_EXECUTION, commandView, msOfGeneralizedTime } from './common-commands.js';
import {
  appendLog,
  DEFAULT_LOG_CAPACITIES,
  deviceTime,
  raiseAlert,
  raiseUseCaseAlert,
  toHub,
  without,
  type CommandHandler,
  type CommandResult,
  type CommandTable,
  type DeviceCore,
  type LogCapacities,
} from './device.js';
import { dlmsDateTimeAt } from './outbound.js';
import { REFUSAL_ALERTS, type Accepted, type RemotePartyRoleName } from './security.js';
import type { ActorEnv, ActorInput, Effect, Step } from './types.js';

type ExecutionOutcome = NonNullable<Asn1ViewOf<'updateSecurityCredentialsResponse'>['executionOutcome']>;
type SeqNumberChange = ExecutionOutcome['remotePartySeqNumberChanges'][number];

/** A replacement as checked on receipt: the cell as the command names it, its status, the new subject on success. */
export interface PlannedReplacement {
  readonly cell: TrustAnchorCellIdentifier;
  readonly status: number;
  /** The replacing certificate's subject unique ID and key identifier (uppercase hex), when status is success. */
  readonly subject?: { readonly eui: Eui64; readonly keyId: string };
}

/** A CS02b checked and ready to execute (now, or at its execution time): plain data. */
export interface CredentialsUpdate {
  /** Who sent it: a future-dated update's alert goes back to them (RTDS 6.15.1 8F66, to the supplier) [O]. */
  readonly originator: Eui64;
  readonly authorisingRemotePartySeqNumber: bigint;
  readonly credentialsReplacementMode: number;
  readonly remotePartySeqNumberChanges: readonly SeqNumberChange[];
  readonly replacements: readonly PlannedReplacement[];
}

export interface PendingCredentials extends CredentialsUpdate {
  /** GeneralizedTime, as the command carried it. */
  readonly executionDateTime: string;
}

/** What a device keeps for CS02b; both optional, so any DeviceCore state can take the handlers. */
export interface CredentialsState {
  /**
   * Key identifiers (uppercase hex) of the trust anchors CS02b installed, by cell ('supplier/DS', 'supplier/KA',
   * 'supplier/KA/top-up'). A cell not listed holds the key its party's EUI has in the key store.
   */
  readonly trustAnchorKeyIds?: Readonly<Record<string, string>>;
  /** A future-dated CS02b waiting for its execution time (a later one replaces it [A], as CS06). */
  readonly pendingCredentials?: PendingCredentials;
}

type CredentialsDevice = DeviceCore & CredentialsState;

/** The CS02b message codes: 0x0100 + the replacement mode (message-codes.ts) [O]. */
export const CS02B_CODES: readonly number[] = messageCodesForUseCase('CS02b').map((row) => row.code);
const CS02B_BASE = 0x0100;
/** Future Dated Update Security Credentials Alert (RTDS 6.15.1 8F66 / 8F67: 0x00CB, signed) [O]. */
export const FUTURE_DATED_CREDENTIALS_ALERT = 0x00cb;
const ALERT_ACTIONED = 0x8f66;
const ALERT_NOT_ACTIONED = 0x8f67;
/** The subject reported for a cell the device does not hold: all-zero EUI, empty key identifier [A]. */
const NO_SUBJECT = { eui: eui64('0000000000000000'), keyId: '' };
/** The timer a future-dated CS02b waits on. */
export const CREDENTIALS_TIMER = 'update-security-credentials';

/** The parties a device holds, by ASN.1 RemotePartyRole (domain brief §2.6). */
const PARTY_OF_ROLE: ReadonlyMap<number, RemotePartyRoleName> = new Map([
  [RemotePartyRole.supplier, 'supplier'],
  [RemotePartyRole.networkOperator, 'networkOperator'],
  [RemotePartyRole.accessControlBroker, 'acb'],
  [RemotePartyRole.transitionalCoS, 'transitionalCoS'],
  [RemotePartyRole.wanProvider, 'wanProvider'],
]);

/**
 * Which party authorises each mode and whose cells it replaces (GBCS mode names). Root, Recovery and contingency
 * modes are refused: the twin holds no Root or Recovery trust anchors [A].
 */
const MODES: ReadonlyMap<number, { readonly authoriser: RemotePartyRoleName; readonly replaced: number }> =
  new Map([
    [
      CredentialsReplacementMode.supplierBySupplier,
      { authoriser: 'supplier', replaced: RemotePartyRole.supplier },
    ],
    [
      CredentialsReplacementMode.networkOperatorByNetworkOperator,
      { authoriser: 'networkOperator', replaced: RemotePartyRole.networkOperator },
    ],
    [
      CredentialsReplacementMode.accessControlBrokerByACB,
      { authoriser: 'acb', replaced: RemotePartyRole.accessControlBroker },
    ],
    [
      CredentialsReplacementMode.wanProviderByWanProvider,
      { authoriser: 'wanProvider', replaced: RemotePartyRole.wanProvider },
    ],
    [
      CredentialsReplacementMode.transCoSByTransCoS,
      { authoriser: 'transitionalCoS', replaced: RemotePartyRole.transitionalCoS },
    ],
    [
      CredentialsReplacementMode.supplierByTransCoS,
      { authoriser: 'transitionalCoS', replaced: RemotePartyRole.supplier },
    ],
  ]);

// ---------------------------------------------------------------------------------------------------------
// Cells and key identifiers

interface Cell {
  readonly party: RemotePartyRoleName;
  readonly usage: KeyUsage;
  readonly topUp: boolean;
}

/** The cell a TrustAnchorCellIdentifier names, if the device has one like it: DS or KA, top-up only a supplier's KA. */
function cellOf(id: TrustAnchorCellIdentifier): Cell | undefined {
  const party = PARTY_OF_ROLE.get(id.remotePartyRole);
  const [bit, ...more] = id.keyUsage;
  const usage = bit === 'digitalSignature' ? 'DS' : bit === 'keyAgreement' ? 'KA' : undefined;
  const topUp = id.cellUsage === CellUsage.prePaymentTopUp;
  if (party === undefined || usage === undefined || more.length > 0) return undefined;
  if (id.cellUsage !== undefined && id.cellUsage !== CellUsage.management && !topUp) return undefined;
  if (topUp && (party !== 'supplier' || usage !== 'KA')) return undefined; // GBCS 14.8: the supplier's prepayment KA
  return { party, usage, topUp };
}

const cellKey = (c: Cell): string => `${c.party}/${c.usage}${c.topUp ? '/top-up' : ''}`;

/**
 * The key identifier of a P-256 public key as SMKI certificates carry it (RFC 5280 4.2.1.2 method 2: 0100 ‖ the low
 * 60 bits of SHA-1 of the key) [O: gives RTDS 6.15.1's existing identifiers from the RTDS supplier keys].
 */
export function keyIdOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const point = spki.subarray(spki.length - 65);
  const id = createHash('sha1').update(point).digest().subarray(12);
  id[0] = 0x40 | (id[0]! & 0x0f);
  return toHex(id);
}

/** What a cell holds now: its party's EUI and the installed key identifier, or the key store's key's [A: none → empty]. */
function existingOf(
  state: CredentialsDevice,
  cell: Cell,
  env: ActorEnv,
): { eui: Eui64; keyId: string } | undefined {
  const eui = state.security.parties[cell.party];
  if (eui === undefined) return undefined;
  const installed = state.trustAnchorKeyIds?.[cellKey(cell)];
  if (installed !== undefined) return { eui, keyId: installed };
  const key = env.protection.keys.publicKey({
    eui,
    usage: cell.usage,
    ...(cell.topUp && { prepayment: true }),
  });
  return { eui, keyId: key === undefined ? '' : keyIdOf(key) };
}

// ---------------------------------------------------------------------------------------------------------
// Checking a command

/** Whether a CA of the certification path signed `certificate` (its issuer's signature verifies). */
function issuedByPath(certificate: Uint8Array, path: readonly Uint8Array[]): boolean {
  const subject = new X509Certificate(certificate);
  return path.some((ca) => {
    try {
      return subject.verify(new X509Certificate(ca).publicKey);
    } catch {
      return false;
    }
  });
}

/**
 * One replacement's status (GBCS StatusCode): a cell the device does not hold or the mode does not replace →
 * trustAnchorNotFound [A]; a certificate that is no SMKI organisation certificate of that role and key usage →
 * badCertificate [A]; one no CA of the certification path issued → noTrustAnchor [O: RTDS 6.15.1 IMMEDIATE_ERROR,
 * a KA certificate from CA Z2 with a Z1 path]. Time-based certification path checks are not applied [A: RTDS
 * FUTURE_DATED_SUCCESS succeeds with certificates of 2016–2026 at device time 2015 and execution 2030].
 */
function checkReplacement(
  state: CredentialsDevice,
  replaced: number,
  r: Asn1ViewOf<'updateSecurityCredentialsCommand'>['replacements'][number],
  path: readonly Uint8Array[],
): PlannedReplacement {
  const cell = cellOf(r.targetTrustAnchorCell);
  const planned = (status: number): PlannedReplacement => ({ cell: r.targetTrustAnchorCell, status });
  if (cell === undefined || r.targetTrustAnchorCell.remotePartyRole !== replaced)
    return planned(StatusCode.trustAnchorNotFound);
  if (state.security.parties[cell.party] === undefined) return planned(StatusCode.trustAnchorNotFound);
  let subject: { eui: Eui64; keyId: string };
  try {
    const c = readSmkiCertificate(r.replacingCertificate);
    if (c.kind !== 'organisation' || c.roleCode !== replaced || c.usage !== cell.usage)
      return planned(StatusCode.badCertificate);
    subject = { eui: c.eui, keyId: c.subjectKeyId ?? keyIdOf(c.publicKey) };
    if (!issuedByPath(r.replacingCertificate, path)) return planned(StatusCode.noTrustAnchor);
  } catch {
    return planned(StatusCode.badCertificate);
  }
  return { cell: r.targetTrustAnchorCell, status: StatusCode.success, subject };
}

type Checked =
  { readonly ok: true; readonly update: CredentialsUpdate } | { readonly ok: false; readonly why: string };

/**
 * The authority checks CS02b adds to security.ts's: the message code's mode is the payload's, a mode the twin models,
 * authorised by the originator's role (and by its DS cell when named) [A: GBCS mode names]; then each replacement.
 */
function checkUpdate(
  state: CredentialsDevice,
  command: Accepted,
  view: Asn1ViewOf<'updateSecurityCredentialsCommand'>,
): Checked {
  const control = view.authorisingRemotePartyControl;
  const mode = MODES.get(control.credentialsReplacementMode);
  const { messageCode, originator } = command.parsed.message.header;
  const modeName = CredentialsReplacementMode.format(control.credentialsReplacementMode);
  if (messageCode !== CS02B_BASE + control.credentialsReplacementMode)
    return { ok: false, why: `mode ${modeName} under message code 0x${messageCode.toString(16)}` };
  if (mode === undefined) return { ok: false, why: `mode ${modeName} is not modelled` };
  if (command.role !== mode.authoriser) return { ok: false, why: `${command.role} may not use ${modeName}` };
  const authorising = control.authorisingRemotePartyTACellIdentifier;
  if (authorising !== undefined && PARTY_OF_ROLE.get(authorising.remotePartyRole) !== mode.authoriser)
    return { ok: false, why: `authorising cell of role ${authorising.remotePartyRole}` };
  const replacedParty = PARTY_OF_ROLE.get(mode.replaced)!;
  const replacedEui = state.security.parties[replacedParty];
  // RTDS 6.15.1: the outcome echoes the floors the command sets; counters are kept [A: no rule in our sources].
  const change: SeqNumberChange = {
    remotePartyRole: mode.replaced,
    floorSeqNumber:
      control.newRemotePartyFloorSeqNumber ??
      (replacedEui === undefined ? undefined : state.security.counters[replacedEui]) ??
      0n,
    ...(control.newRemotePartySpecialistFloorSeqNumbers !== undefined && {
      specialistFloorSeqNumbers: control.newRemotePartySpecialistFloorSeqNumbers,
    }),
  };
  return {
    ok: true,
    update: {
      originator,
      authorisingRemotePartySeqNumber: control.authorisingRemotePartySeqNumber,
      credentialsReplacementMode: control.credentialsReplacementMode,
      remotePartySeqNumberChanges: [change, ...(control.otherRemotePartySeqNumberChanges ?? [])],
      replacements: view.replacements.map((r) =>
        checkReplacement(state, mode.replaced, r, view.certificationPathCertificates),
      ),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Executing

/**
 * Replaces the cells whose check succeeded and reports every cell as RTDS does: existing and replacing subject, the
 * replacing one equal to the existing where the cell was not replaced [O: RTDS IMMEDIATE_ERROR]. A role whose DS
 * (else KA) management cell now names another EUI takes it as its party; its other cells then read from the key
 * store for that EUI [A: the twin keeps one EUI per role].
 */
export function executeUpdate<S extends CredentialsDevice>(
  state: S,
  update: CredentialsUpdate,
  env: ActorEnv,
): { state: S; outcome: ExecutionOutcome; allReplaced: boolean } {
  const keyIds: Record<string, string> = { ...state.trustAnchorKeyIds };
  const newEui = new Map<RemotePartyRoleName, Eui64>();
  const replacedCells = new Set<string>();
  const replacementOutcomes = update.replacements.map((r) => {
    const cell = cellOf(r.cell);
    const existing = (cell && existingOf(state, cell, env)) ?? NO_SUBJECT;
    const done = cell !== undefined && r.status === StatusCode.success && r.subject !== undefined;
    const replacing = done ? r.subject! : existing;
    if (done) {
      keyIds[cellKey(cell)] = replacing.keyId;
      replacedCells.add(cellKey(cell));
      if (!cell.topUp && (cell.usage === 'DS' || !newEui.has(cell.party)))
        newEui.set(cell.party, replacing.eui);
    }
    return {
      affectedTrustAnchorCell: r.cell,
      statusCode: done ? StatusCode.success : r.status,
      existingSubjectUniqueID: existing.eui,
      existingSubjectKeyIdentifier: fromHex(existing.keyId),
      replacingSubjectUniqueID: replacing.eui,
      replacingSubjectKeyIdentifier: fromHex(replacing.keyId),
    };
  });
  let parties = state.security.parties;
  for (const [party, eui] of newEui) {
    if (parties[party] === eui) continue;
    parties = { ...parties, [party]: eui };
    for (const key of Object.keys(keyIds))
      if (key.startsWith(`${party}/`) && !replacedCells.has(key)) delete keyIds[key];
  }
  return {
    state: { ...state, security: { ...state.security, parties }, trustAnchorKeyIds: keyIds },
    outcome: {
      authorisingRemotePartySeqNumber: update.authorisingRemotePartySeqNumber,
      credentialsReplacementMode: update.credentialsReplacementMode,
      remotePartySeqNumberChanges: [...update.remotePartySeqNumberChanges],
      replacementOutcomes,
    },
    allReplaced: replacementOutcomes.every((o) => o.statusCode === StatusCode.success),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The handler and its timer

/** A node with every length of 128 octets or more written on two octets, as the device writes it. */
function deviceLengths(node: DerNode): DerNode {
  const out: DerNode = isConstructed(node)
    ? { ...node, children: node.children.map(deviceLengths) }
    : { ...node };
  const length = isConstructed(out)
    ? out.children.reduce((n, c) => n + encodeDer(c).length, 0)
    : out.bytes.length;
  if (length >= 0x80 && length <= 0xffff) out.lengthOctets = 2;
  return out;
}

/** A response or alert payload as the ESME writes it: RTDS 6.15.1 has `30 82 00 CA` where DER has `30 81 CA` [O]. */
function asn1Response(view: Asn1View): GbcsPayload {
  const payload = asn1Payload(view);
  return { kind: 'asn1', asn1: { ...payload, tree: deviceLengths(payload.tree) } };
}

function note(state: DeviceCore, text: string): Effect {
  return { kind: 'note', text: `${state.kind} ${state.eui} ${text}` };
}

/** The state without a pending update. */
function withoutPending<S extends CredentialsState>(state: S): S {
  return without(state, 'pendingCredentials');
}

/** The timer of the pending update, due when the device clock reaches its execution time (none if none waits). */
export function pendingCredentialsTimer(state: CredentialsDevice): Effect[] {
  const pending = state.pendingCredentials;
  if (pending === undefined) return [];
  const atMs = msOfGeneralizedTime(pending.executionDateTime) - state.clockOffsetMs;
  return [{ kind: 'timer', atMs, timer: { name: CREDENTIALS_TIMER } }];
}

/** A CS02b the device will not act on: as security.ts refuses a source without authority (0x8F30, critical) [A]. */
function refuse<S extends CredentialsDevice>(
  state: S,
  why: string,
  now: number,
  env: ActorEnv,
  capacities: LogCapacities,
): CommandResult<S> {
  const { code, critical } = REFUSAL_ALERTS['no-authority'];
  const entry = { atMs: deviceTime(state, now), code };
  const logged = { ...state, securityLog: appendLog(state.securityLog, entry, capacities.securityLog) };
  const alert = raiseAlert(logged, code, critical, now, env);
  return {
    state: alert.state,
    payload: null,
    effects: [note(state, `refused CS02b: ${why}`), toHub(state, alert.bytes)],
  };
}

function updateSecurityCredentials<S extends CredentialsDevice>(
  state: S,
  command: Accepted,
  now: number,
  env: ActorEnv,
  capacities: LogCapacities,
): CommandResult<S> {
  const view = commandView(command, 'updateSecurityCredentialsCommand');
  if (view === undefined)
    return { state, payload: null, effects: [note(state, 'CS02b without its typed payload')] };
  const checked = checkUpdate(state, command, view);
  if (!checked.ok) return refuse(state, checked.why, now, env, capacities);
  const at = view.executionDateTime;
  const responseDateTime = dlmsDateTimeAt(deviceTime(state, now)); // RTDS 6.15.1 responses carry one [O]
  const accepted = asn1Response({ kind: 'updateSecurityCredentialsResponse', commandAccepted: null });
  if (at === CANCEL_EXECUTION)
    return {
      state: withoutPending(state),
      payload: accepted,
      responseDateTime,
      effects: [{ kind: 'cancel-timer', name: CREDENTIALS_TIMER }, note(state, 'pending CS02b cancelled')],
    };
  if (at !== undefined && msOfGeneralizedTime(at) > deviceTime(state, now)) {
    const pending: S = { ...state, pendingCredentials: { ...checked.update, executionDateTime: at } };
    return { state: pending, payload: accepted, responseDateTime, effects: pendingCredentialsTimer(pending) };
  }
  // Immediate, or a date already passed [A]: executed now, the outcome in the response.
  const executed = executeUpdate(state, checked.update, env);
  return {
    state: executed.state,
    payload: asn1Response({
      kind: 'updateSecurityCredentialsResponse',
      commandAccepted: null,
      executionOutcome: executed.outcome,
    }),
    responseDateTime,
    effects: [note(state, `credentials updated (CS02b ${modeNote(checked.update, executed.allReplaced)})`)],
  };
}

function modeNote(update: CredentialsUpdate, allReplaced: boolean): string {
  const mode = CredentialsReplacementMode.nameOf(update.credentialsReplacementMode) ?? '?';
  return `${mode}, ${allReplaced ? 'all cells replaced' : 'some cells not replaced'}`;
}

/** The CS02b handlers, one per message code, for a device's command table. */
export function credentialsCommands<S extends CredentialsDevice>(
  options: { readonly capacities?: LogCapacities } = {},
): CommandTable<S> {
  const capacities = options.capacities ?? DEFAULT_LOG_CAPACITIES;
  const handler: CommandHandler<S> = (state, command, now, env) =>
    updateSecurityCredentials(state, command, now, env, capacities);
  return new Map(CS02B_CODES.map((code) => [code, handler] as const));
}

/**
 * The future-dated update falling due: executed, then the 0x00CB alert to its originator, signed (RTDS 6.15.1 8F66 /
 * 8F67, SME.A.C) [O]. Undefined for other inputs.
 */
export function handleCredentialsTimer<S extends CredentialsDevice>(
  state: S,
  input: ActorInput,
  now: number,
  env: ActorEnv,
  send: (bytes: Uint8Array) => Effect = (b) => toHub(state, b),
): Step<S> | undefined {
  if (input.type !== 'timer' || input.timer.name !== CREDENTIALS_TIMER) return undefined;
  const pending = state.pendingCredentials;
  if (pending === undefined)
    return { state, effects: [note(state, 'credentials timer with nothing pending')] };
  // Armed from an older clock offset: wait for the device clock [A].
  if (msOfGeneralizedTime(pending.executionDateTime) > deviceTime(state, now))
    return { state, effects: pendingCredentialsTimer(state) };
  const executed = executeUpdate(withoutPending(state), pending, env);
  const alertCode = executed.allReplaced ? ALERT_ACTIONED : ALERT_NOT_ACTIONED;
  const alert = raiseUseCaseAlert(
    executed.state,
    {
      to: pending.originator,
      messageCode: FUTURE_DATED_CREDENTIALS_ALERT,
      payload: asn1Response({
        kind: 'updateSecurityCredentialsAlert',
        alertCode,
        executionDateTime: pending.executionDateTime,
        executionOutcome: executed.outcome,
      }),
      critical: true,
    },
    env,
  );
  return {
    state: alert.state,
    effects: [
      note(state, `future-dated CS02b executed (0x${alertCode.toString(16).toUpperCase()})`),
      send(alert.bytes),
    ],
  };
}
