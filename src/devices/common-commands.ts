// The Remote Party commands every HAN device answers alike (GBCS 13.7 HAN pairing, 11 firmware): CS03A1/A2/B/C
// join, CS04AC/CS04B unjoin, CS07 read device join details, CS06 activate firmware. Each handler is generic over
// DeviceCore and answers in the ASN.1 shape of the RTDS 4.5.0 responses. CS11 (clear event log) is not here: its
// payload is GBZ (message-codes.ts), so each device family answers it itself.
import type { Eui64 } from '../codec/eui64.js';
import {
  asn1Payload,
  DeviceType,
  JoinMethodAndRole,
  type Asn1View,
  type Asn1ViewKind,
  type Asn1ViewOf,
} from '../codec/gbcs/asn1/index.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import {
  appendLog,
  DEFAULT_LOG_CAPACITIES,
  deviceTime,
  raiseUseCaseAlert,
  toHub,
  without,
  type CommandHandler,
  type CommandResult,
  type CommandTable,
  type DeviceCore,
  type JoinEntry,
  type LogCapacities,
} from './device.js';
import { heldImageHash } from './firmware-receipt.js';
import type { Accepted } from './security.js';
import type { ActorEnv, ActorInput, Effect, Step } from './types.js';

/** Message codes of the common use cases (GBCS use-case tables; domain brief §2.5). */
export const COMMON_CODES = {
  CS03A1: 0x000d,
  CS03A2: 0x00ab,
  CS03B: 0x000e,
  CS03C: 0x00af,
  CS04AC: 0x000f,
  CS04B: 0x0010,
  CS06: 0x0012,
  CS07: 0x0013,
} as const;
export type CommonUseCase = keyof typeof COMMON_CODES;

/** Future Dated Firmware Activation Alert (GBCS 11, RTDS 11.3_CS06 8F66/8F67) [O]. */
export const FUTURE_DATED_FIRMWARE_ALERT = 0x00ca;
/** Future-dated command (not) successfully actioned (domain brief §2.7). */
export const ALERT_FUTURE_DATED_ACTIONED = 0x8f66;
export const ALERT_FUTURE_DATED_NOT_ACTIONED = 0x8f67;
/** Events a device logs for joins and unjoins (domain brief §2.7); logging them, not alerting, is [A]. */
export const EVENT_JOIN_FAILED = 0x8f48;
export const EVENT_JOIN_SUCCEEDED = 0x8f49;
export const EVENT_UNJOIN_FAILED = 0x8f4a;
export const EVENT_UNJOIN_SUCCEEDED = 0x8f4b;

/** GBCS's cancellation date for a pending future-dated activation (RTDS CS06 CANCELLATION) [O]. */
export const CANCEL_EXECUTION = '99991231235959Z';
/** The timer a future-dated CS06 waits on (a later CS06 replaces it [A]); ref: `originator:counter:executionDateTime:hash`. */
export const FIRMWARE_ACTIVATION_TIMER = 'activate-firmware';

/** Entries a device's own device log holds: not in our sources, a placeholder [A]. */
export const DEFAULT_JOIN_CAPACITY = 5;

export interface CommonCommandOptions {
  /** Capacity of the device log CS03 fills; a join beyond it answers 4, Device Log full. */
  readonly joinCapacity?: number;
  readonly capacities?: LogCapacities;
}

/** The common handlers by message code; a device keeps the ones its kind supports (see pickCommands). */
export function commonCommands<S extends DeviceCore>(options: CommonCommandOptions = {}): CommandTable<S> {
  const joinCapacity = options.joinCapacity ?? DEFAULT_JOIN_CAPACITY;
  const eventLog = (options.capacities ?? DEFAULT_LOG_CAPACITIES).eventLog;
  const join: CommandHandler<S> = (state, command, now) =>
    joinDevice(state, command, now, joinCapacity, eventLog);
  const unjoin: CommandHandler<S> = (state, command, now) => unjoinDevice(state, command, now, eventLog);
  return new Map<number, CommandHandler<S>>([
    [COMMON_CODES.CS03A1, join],
    [COMMON_CODES.CS03A2, join],
    [COMMON_CODES.CS03B, join],
    [COMMON_CODES.CS03C, join],
    [COMMON_CODES.CS04AC, unjoin],
    [COMMON_CODES.CS04B, unjoin],
    [COMMON_CODES.CS06, activateFirmware],
    [COMMON_CODES.CS07, readJoinDetails],
  ]);
}

/** The part of a table for the given use cases. */
export function pickCommands<S extends DeviceCore>(
  table: CommandTable<S>,
  useCases: readonly CommonUseCase[],
): Map<number, CommandHandler<S>> {
  const out = new Map<number, CommandHandler<S>>();
  for (const useCase of useCases) {
    const handler = table.get(COMMON_CODES[useCase]);
    if (handler !== undefined) out.set(COMMON_CODES[useCase], handler);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers shared with the device actors

/** The typed ASN.1 view of an accepted command, when it is of that kind. */
export function commandView<K extends Asn1ViewKind>(command: Accepted, kind: K): Asn1ViewOf<K> | undefined {
  const { payload } = command.parsed.message;
  return payload.kind === 'asn1' && payload.asn1.view?.kind === kind
    ? (payload.asn1.view as Asn1ViewOf<K>)
    : undefined;
}

/** A response or alert payload from a typed ASN.1 view. */
export function asn1Response(view: Asn1View): GbcsPayload {
  return { kind: 'asn1', asn1: asn1Payload(view) };
}

/** The 32-bit firmware version as the 4 octets GBCS reports it (RTDS CS06, CS08: `0123ABCE`) [O]. */
export function firmwareVersionOctets(version: number): Uint8Array {
  return Uint8Array.of(version >>> 24, (version >>> 16) & 0xff, (version >>> 8) & 0xff, version & 0xff);
}

/** A DER GeneralizedTime ("20300115090000Z") as UTC ms; fractions of a second are dropped. */
export function msOfGeneralizedTime(text: string): number {
  const n = (from: number, to: number) => Number(text.slice(from, to));
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14));
}

/** UTC ms as a DER GeneralizedTime, whole seconds. */
export function generalizedTimeAt(utcMs: number): string {
  return `${new Date(utcMs).toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`;
}

function noView<S extends DeviceCore>(state: S, command: Accepted): CommandResult<S> {
  const what = command.info.useCase ?? command.info.name;
  return {
    state,
    payload: null,
    effects: [{ kind: 'note', text: `${state.kind} ${state.eui}: ${what} has no typed payload` }],
  };
}

function logEvent<S extends DeviceCore>(state: S, code: number, now: number, capacity: number): S {
  return { ...state, eventLog: appendLog(state.eventLog, { atMs: deviceTime(state, now), code }, capacity) };
}

// ---------------------------------------------------------------------------------------------------------
// CS03 join

/** The join method and role each CS03 code carries (GBCS 13.7: A1 meter initiates, A2 non-meter responds) [A]. */
const ROLE_OF_CODE: ReadonlyMap<number, number> = new Map([
  [COMMON_CODES.CS03A1, JoinMethodAndRole.methodAInitiator],
  [COMMON_CODES.CS03A2, JoinMethodAndRole.methodAResponder],
  [COMMON_CODES.CS03B, JoinMethodAndRole.methodB],
  [COMMON_CODES.CS03C, JoinMethodAndRole.methodC],
]);

/** Method B joins a meter with its GPF or a Type 2 device; a GSME asked to join a PPMID by B answers 2 [O: RTDS CS03B ERROR]. */
const METHOD_B_PARTNERS: ReadonlySet<number> = new Set([DeviceType.gpf, DeviceType.type2]);

/** Method C carries the other device's certificate [O: RTDS CS03C ERROR → 11]; so does Method A between GSME and PPMID [A: domain brief §4.2]. */
function needsCertificate(self: DeviceCore, role: number, otherType: number): boolean {
  if (role === JoinMethodAndRole.methodC) return true;
  if (role !== JoinMethodAndRole.methodAInitiator && role !== JoinMethodAndRole.methodAResponder)
    return false;
  return (
    (self.kind === 'GSME' && otherType === DeviceType.ppmid) ||
    (self.kind === 'PPMID' && otherType === DeviceType.gsme)
  );
}

/** The CS03 response code (domain brief §2.6) for a join request against the device's current joins. */
export function joinResponseCode(
  state: DeviceCore,
  messageCode: number,
  join: Asn1ViewOf<'joinDeviceCommand'>,
  capacity: number,
): number {
  const { joinMethodAndRole: role, otherDeviceType: type } = join;
  if (JoinMethodAndRole.nameOf(role) === undefined || DeviceType.nameOf(type) === undefined) return 2;
  if (ROLE_OF_CODE.get(messageCode) !== role) return 1;
  if (role === JoinMethodAndRole.methodB && !METHOD_B_PARTNERS.has(type)) return 2;
  if (needsCertificate(state, role, type) && join.otherDeviceCertificate === undefined) return 11;
  const existing = state.joins.find((j) => j.device === join.otherDeviceEntityId);
  // Same device, other type: incompatible [O: RTDS CS03A1 ERROR]; same device and type: already joined, success [A].
  if (existing !== undefined) return existing.deviceType === type ? 0 : 3;
  return state.joins.length >= capacity ? 4 : 0;
}

function joinDevice<S extends DeviceCore>(
  state: S,
  command: Accepted,
  now: number,
  capacity: number,
  eventLog: number,
): CommandResult<S> {
  const join = commandView(command, 'joinDeviceCommand');
  if (join === undefined) return noView(state, command);
  const responseCode = joinResponseCode(state, command.parsed.message.header.messageCode, join, capacity);
  const already = state.joins.some((j) => j.device === join.otherDeviceEntityId);
  const entry: JoinEntry = { device: join.otherDeviceEntityId, deviceType: join.otherDeviceType };
  const joined = responseCode === 0 && !already ? { ...state, joins: [...state.joins, entry] } : state;
  return {
    state: logEvent(joined, responseCode === 0 ? EVENT_JOIN_SUCCEEDED : EVENT_JOIN_FAILED, now, eventLog),
    payload: asn1Response({ kind: 'joinDeviceResponse', responseCode }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// CS04 unjoin

/**
 * CS04AC removes a Method A or C join, CS04B a Method B join. The method need not be stored: Method B joins are
 * exactly those with a GPF or a Type 2 device (METHOD_B_PARTNERS), so the partner's type tells. A join of the other
 * method is answered as not in the device log (1) and kept [A].
 */
function unjoinDevice<S extends DeviceCore>(
  state: S,
  command: Accepted,
  now: number,
  eventLog: number,
): CommandResult<S> {
  const unjoin = commandView(command, 'unjoinDeviceCommand');
  if (unjoin === undefined) return noView(state, command);
  const methodB = command.parsed.message.header.messageCode === COMMON_CODES.CS04B;
  const joins = state.joins.filter(
    (j) => j.device !== unjoin.otherDeviceEntityId || METHOD_B_PARTNERS.has(j.deviceType) !== methodB,
  );
  const found = joins.length < state.joins.length;
  const next = found ? { ...state, joins } : state;
  return {
    state: logEvent(next, found ? EVENT_UNJOIN_SUCCEEDED : EVENT_UNJOIN_FAILED, now, eventLog),
    payload: asn1Response({ kind: 'unjoinDeviceResponse', responseCode: found ? 0 : 1 }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// CS07 read device join details

function readJoinDetails<S extends DeviceCore>(state: S): CommandResult<S> {
  return {
    state,
    payload: asn1Response({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: state.joins.map((j) => ({ deviceId: j.device, deviceType: j.deviceType })),
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// CS06 activate firmware

/** CS06 ExecutionOutcome response codes (domain brief §2.6) [O]. */
export const ACTIVATION_OUTCOME = {
  success: 0,
  noImageHeld: 1,
  hashMismatch: 2,
  activationFailure: 3,
} as const;
/** Event: change in executing firmware version (domain brief §2.7); logged, not alerted [A]. */
export const EVENT_FIRMWARE_VERSION_CHANGED = 0x8f43;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/**
 * GBCS 11.3: activation of the held image against the command's manufacturerImageHash: none held → 1; the image's
 * bytes gone from the store (not persisted over a restart) → 3 [A]; hash ≠ SHA-256 of its Manufacturer Image → 2;
 * else 0 and the image runs (it is no longer held [A]). The outcome carries the version running afterwards.
 */
export function activateHeld<S extends DeviceCore>(
  state: S,
  hashHex: string | undefined,
  now: number,
  env: ActorEnv,
): { state: S; responseCode: number; firmwareVersion: Uint8Array } {
  const held = state.heldImage;
  const failed = (responseCode: number) => ({
    state,
    responseCode,
    firmwareVersion: firmwareVersionOctets(state.firmwareVersion),
  });
  if (held === undefined) return failed(ACTIVATION_OUTCOME.noImageHeld);
  const hash = heldImageHash(held, env);
  if (hash === undefined) return failed(ACTIVATION_OUTCOME.activationFailure);
  if (hashHex === undefined || hex(hash) !== hashHex.toUpperCase())
    return failed(ACTIVATION_OUTCOME.hashMismatch);
  const running = without(state, 'heldImage') as S & { otaDownload?: { activatedMs?: number } };
  const download = running.otaDownload;
  const activated = {
    ...running,
    firmwareVersion: held.fileVersion,
    ...(download !== undefined && { otaDownload: { ...download, activatedMs: now } }),
    eventLog: appendLog(
      state.eventLog,
      { atMs: deviceTime(state, now), code: EVENT_FIRMWARE_VERSION_CHANGED },
      DEFAULT_LOG_CAPACITIES.eventLog,
    ),
  } as S;
  return {
    state: activated,
    responseCode: ACTIVATION_OUTCOME.success,
    firmwareVersion: firmwareVersionOctets(held.fileVersion),
  };
}

/**
 * CS06 (GBCS 11.3): immediate → the outcome of activateHeld (RTDS IMMEDIATE SUCCESS 0 / ERROR 1, with the version
 * running) [O]; future-dated → "command accepted" now and, at the execution time, the 0x00CA alert with 0x8F66 (success)
 * or 0x8F67 and its outcome (RTDS 8F66 / 8F67) [O]; the cancellation date → "command accepted" and the pending
 * activation dropped [O]; a date already passed runs now [A]. The hash is checked at execution, against the image
 * held then [A].
 */
function activateFirmware<S extends DeviceCore>(
  state: S,
  command: Accepted,
  now: number,
  env: ActorEnv,
): CommandResult<S> {
  const activate = commandView(command, 'activateFirmwareCommand');
  if (activate === undefined) return noView(state, command);
  const at = activate.executionDateTime;
  if (at === CANCEL_EXECUTION)
    return {
      state: withoutPendingActivation(state),
      payload: asn1Response({ kind: 'activateFirmwareResponse', commandAccepted: null }),
      effects: [{ kind: 'cancel-timer', name: FIRMWARE_ACTIVATION_TIMER }],
    };
  const hashHex = hex(activate.manufacturerImageHash);
  if (at === undefined || msOfGeneralizedTime(at) <= deviceTime(state, now)) {
    const outcome = activateHeld(state, hashHex, now, env);
    return {
      state: outcome.state,
      payload: asn1Response({
        kind: 'activateFirmwareResponse',
        executionOutcome: { responseCode: outcome.responseCode, firmwareVersion: outcome.firmwareVersion },
      }),
    };
  }
  const { header } = command.parsed.message;
  const pending = {
    ...state,
    pendingActivation: `${header.originator}:${activate.originatorCounter}:${at}:${hashHex}`,
  };
  return {
    state: pending,
    payload: asn1Response({ kind: 'activateFirmwareResponse', commandAccepted: null }),
    effects: pendingActivationTimer(pending),
  };
}

/** The state without a pending activation. */
function withoutPendingActivation<S extends DeviceCore>(state: S): S {
  return without(state, 'pendingActivation');
}

/**
 * The timer of the pending activation, due when the device clock reaches its execution time (none if none waits).
 * Armed as virtual time from the clock offset, so re-armed with it after the clock is set (ECS70, GCS28).
 */
export function pendingActivationTimer(state: DeviceCore): Effect[] {
  const ref = state.pendingActivation;
  const at = ref?.split(':')[2];
  if (ref === undefined || at === undefined || !/^\d{14}Z$/.test(at)) return [];
  return [
    {
      kind: 'timer',
      atMs: msOfGeneralizedTime(at) - state.clockOffsetMs,
      timer: { name: FIRMWARE_ACTIVATION_TIMER, ref },
    },
  ];
}

/**
 * The timers the common commands set: a future-dated CS06 falling due raises its 0x00CA alert to the command's
 * originator (RTDS 11.3 8F67, signed: SME.A.C) [O]. Undefined for other inputs.
 */
export function handleCommonTimer<S extends DeviceCore>(
  state: S,
  input: ActorInput,
  now: number,
  env: ActorEnv,
  send: (bytes: Uint8Array) => Effect = (b) => toHub(state, b),
): Step<S> | undefined {
  if (input.type !== 'timer' || input.timer.name !== FIRMWARE_ACTIVATION_TIMER) return undefined;
  const [originator, counter, executionDateTime, hashHex] = (input.timer.ref ?? '').split(':');
  if (
    originator === undefined ||
    !/^[0-9A-F]{16}$/.test(originator) ||
    counter === undefined ||
    !/^\d+$/.test(counter) ||
    executionDateTime === undefined ||
    !/^\d{14}Z$/.test(executionDateTime)
  )
    return {
      state,
      effects: [{ kind: 'note', text: `${state.kind} ${state.eui}: activation timer without its command` }],
    };
  const outcome = activateHeld(withoutPendingActivation(state), hashHex, now, env);
  const ok = outcome.responseCode === ACTIVATION_OUTCOME.success;
  const alertCode = ok ? ALERT_FUTURE_DATED_ACTIONED : ALERT_FUTURE_DATED_NOT_ACTIONED;
  const alert = raiseUseCaseAlert(
    outcome.state,
    {
      to: originator as Eui64,
      messageCode: FUTURE_DATED_FIRMWARE_ALERT,
      payload: asn1Response({
        kind: 'activateFirmwareAlert',
        alertCode,
        executionDateTime,
        originatorCounter: BigInt(counter),
        executionOutcome: { responseCode: outcome.responseCode, firmwareVersion: outcome.firmwareVersion },
      }),
      critical: true,
    },
    env,
  );
  return {
    state: alert.state,
    effects: [
      {
        kind: 'note',
        text: `${state.kind} ${state.eui}: future-dated firmware activation, outcome ${outcome.responseCode} (0x${alertCode.toString(16).toUpperCase()})`,
      },
      send(alert.bytes),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// CS08 read PPMID/HCALCS firmware version (not in commonCommands: meters read theirs by ECS52/GCS38)

export const CS08_READ_FIRMWARE_VERSION = 0x0129;

/** CS08 (GBCS 11.2): the running version and 0, read success (RTDS 11.2_CS08 SUCCESS) [O]. */
export function readPpmidHcalcsFirmwareVersion<S extends DeviceCore>(state: S): CommandResult<S> {
  return {
    state,
    payload: asn1Response({
      kind: 'readPpmidHcalcsFirmwareVersionResponse',
      firmwareVersion: firmwareVersionOctets(state.firmwareVersion),
      responseCode: 0,
    }),
  };
}
