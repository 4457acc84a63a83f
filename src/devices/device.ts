// What every HAN device and hub function has in common, and the one path an inbound GBCS command takes through a
// device: the security checks (security.ts), then the handler for its message code, then the response sealed as
// GBCS requires (outbound.ts). A refusal raises its alert, records it in the security log and changes nothing else.
import { fromHex } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { joinRequestFrame } from '../hub/joining.js';
import type { GbcsMessage } from '../codec/gbcs/frame.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import { alertMessage, genericAlert, sealAlert, sealResponse } from './outbound.js';
import {
  checkInboundCommand,
  REFUSAL_ALERTS,
  type Accepted,
  type RemoteParties,
  type SecurityState,
} from './security.js';
import {
  unchanged,
  type ActorEnv,
  type ActorInput,
  type DeviceKind,
  type Effect,
  type Step,
} from './types.js';

/** One log entry: when (device clock, UTC ms) and what (an event or alert code, GBCS 4.3.1.10 tables). */
export interface LogEntry {
  readonly atMs: number;
  readonly code: number;
}

/** Log capacities; GBCS/SMETS sizes are not in our sources, so configurable with placeholder defaults [A]. */
export interface LogCapacities {
  readonly eventLog: number;
  readonly securityLog: number;
}
export const DEFAULT_LOG_CAPACITIES: LogCapacities = Object.freeze({ eventLog: 100, securityLog: 100 });

/** An entry of a device's own device log: another device it has joined with (CS03x), as CS07 reads it. */
export interface JoinEntry {
  readonly device: Eui64;
  /** ASN.1 DeviceType of the other device (domain brief §2.6). */
  readonly deviceType: number;
}

/** ASN.1 DeviceType values a JoinEntry records (domain brief §2.6) [O]. */
export const JOIN_DEVICE_TYPE = { GSME: 0, ESME: 1, CHF: 2, GPF: 3, HCALCS: 4, PPMID: 5, TYPE2: 6 } as const;

export interface DeviceCore {
  readonly kind: DeviceKind;
  readonly eui: Eui64;
  /** The CHF this device reaches the WAN through (for the CHF and GPF: their own CHF). */
  readonly hub: Eui64;
  readonly security: SecurityState;
  /** Originator counter of the device's next alert; strictly increasing. */
  readonly alertCounter: bigint;
  /** Running firmware version (32-bit, as ZigBee OTA and GBCS report it). */
  readonly firmwareVersion: number;
  /** Device clock minus virtual UTC, ms: set by ECS70/GCS28, drifts only when a scenario says so. */
  readonly clockOffsetMs: number;
  readonly eventLog: readonly LogEntry[];
  readonly securityLog: readonly LogEntry[];
  /** Devices this one has joined with (CS03x adds, CS04x removes). */
  readonly joins: readonly JoinEntry[];
  /** The device's ZigBee install code (hex, 16 octets), from which its Trust Centre link key is derived. */
  readonly installCode: string;
  /** Joined to the SMHAN (the CHF's network): only then can it exchange messages. */
  readonly hanJoined: boolean;
  /**
   * A future-dated CS06 activation waiting for its time: its timer's ref (`originator:counter:executionDateTime:hash`,
   * common-commands.ts), so the timer can be re-armed when the clock is set. Absent when none waits.
   */
  readonly pendingActivation?: string;
  /** A firmware image held whole, waiting for activation (ZigBee OTA, ota-client.ts); CS06 checks and activates it. */
  readonly heldImage?: HeldImage;
}

/** An image a device holds whole, waiting to be activated (by CS06, or at the CH's upgrade time). */
export interface HeldImage {
  /** The image store key (SHA-256 of the OTA file, firmware/images.ts). */
  readonly image: string;
  readonly fileVersion: number;
}

/** What a handler returns: the new state and the response payload (null: no response), plus any further effects. */
export interface CommandResult<S> {
  readonly state: S;
  readonly payload: GbcsPayload | null;
  readonly effects?: readonly Effect[];
  /** The response's grouping-header date-time (12-octet DLMS date-time), for use cases whose responses carry one. */
  readonly responseDateTime?: Uint8Array;
}

/** Acts on one accepted command. Never sees a command that failed a check. */
export type CommandHandler<S extends DeviceCore> = (
  state: S,
  command: Accepted,
  now: number,
  env: ActorEnv,
) => CommandResult<S>;

export type CommandTable<S extends DeviceCore> = ReadonlyMap<number, CommandHandler<S>>;

/** The device's own clock, UTC ms. */
export function deviceTime(state: DeviceCore, now: number): number {
  return now + state.clockOffsetMs;
}

/** Appends to a bounded log, dropping the oldest entry when full (GBCS logs are circular). */
export function appendLog(log: readonly LogEntry[], entry: LogEntry, capacity: number): readonly LogEntry[] {
  return log.length < capacity ? [...log, entry] : [...log.slice(log.length - capacity + 1), entry];
}

/** Where a device's alerts go: the ACB for devices the ACB commands, else the supplier (RTDS 4.5.0 alerts) [O]. */
export function alertRecipient(state: DeviceCore): Eui64 {
  const { parties } = state.security;
  return state.kind === 'CHF' ||
    state.kind === 'GPF' ||
    state.kind === 'PPMID' ||
    state.kind === 'HCALCS' ||
    state.kind === 'IHD'
    ? parties.acb
    : (parties.supplier ?? parties.acb);
}

/** Sends bytes towards the WAN: a HAN device through its CHF. */
export function toHub(state: DeviceCore, bytes: Uint8Array): Effect {
  return { kind: 'han', to: state.hub, frame: { type: 'gbcs', bytes } };
}

/** Raises a generic alert: advances the alert counter and returns the sealed bytes with the new state. */
export function raiseAlert<S extends DeviceCore>(
  state: S,
  alertCode: number,
  critical: boolean,
  now: number,
  env: ActorEnv,
): { state: S; bytes: Uint8Array } {
  const message = genericAlert({
    from: state.eui,
    kind: state.kind,
    to: alertRecipient(state),
    counter: state.alertCounter,
    alertCode,
    critical,
    atMs: deviceTime(state, now),
  });
  return sendAlert(state, message, critical, env);
}

/** A use case's own alert (its message code and payload, e.g. CS09 or the CS06 0x00CA alert) to `to`. */
export interface UseCaseAlert {
  readonly to: Eui64;
  readonly messageCode: number;
  readonly payload: GbcsPayload;
  readonly critical: boolean;
}

/** Raises a use case's own alert at the device's alert counter: advances it, returns the sealed bytes. */
export function raiseUseCaseAlert<S extends DeviceCore>(
  state: S,
  alert: UseCaseAlert,
  env: ActorEnv,
): { state: S; bytes: Uint8Array } {
  const message = alertMessage({ ...alert, from: state.eui, counter: state.alertCounter });
  return sendAlert(state, message, alert.critical, env);
}

/** The sealed alert with the state whose alert counter has moved past it. */
function sendAlert<S extends DeviceCore>(
  state: S,
  message: GbcsMessage,
  critical: boolean,
  env: ActorEnv,
): { state: S; bytes: Uint8Array } {
  return {
    state: { ...state, alertCounter: state.alertCounter + 1n },
    bytes: sealAlert(message, critical, env),
  };
}

export interface ReceiveOptions {
  readonly capacities?: LogCapacities;
  /** How the device sends: through the CHF by default; the CHF itself sends to the WAN. */
  readonly send?: (bytes: Uint8Array) => Effect;
}

/**
 * The path of one inbound GBCS command through a device: check, act, respond. Refused commands produce the
 * security alert and a security-log entry and nothing else; codes without a handler are noted and not answered.
 */
export function receiveCommand<S extends DeviceCore>(
  state: S,
  bytes: Uint8Array,
  now: number,
  env: ActorEnv,
  table: CommandTable<S>,
  options: ReceiveOptions = {},
): Step<S> {
  const send = options.send ?? ((b: Uint8Array) => toHub(state, b));
  const capacities = options.capacities ?? DEFAULT_LOG_CAPACITIES;
  const verdict = checkInboundCommand(bytes, state, env);
  if (!verdict.ok) {
    const { refusal } = verdict;
    const logged = {
      ...state,
      securityLog: appendLog(
        state.securityLog,
        { atMs: deviceTime(state, now), code: refusal.alertCode },
        capacities.securityLog,
      ),
    };
    const alert = raiseAlert(logged, refusal.alertCode, REFUSAL_ALERTS[refusal.reason].critical, now, env);
    return {
      state: alert.state,
      effects: [
        {
          kind: 'note',
          text: `${state.kind} ${state.eui} refused a command (${refusal.reason}): ${refusal.detail}`,
        },
        send(alert.bytes),
      ],
    };
  }
  const { accepted } = verdict;
  const handler = table.get(accepted.parsed.message.header.messageCode);
  if (handler === undefined)
    return {
      state,
      effects: [
        {
          kind: 'note',
          text: `${state.kind} ${state.eui} does not support ${accepted.info.useCase ?? accepted.info.name}`,
        },
      ],
    };
  const result = handler({ ...state, security: accepted.security }, accepted, now, env);
  const effects: Effect[] = [];
  if (result.payload !== null)
    effects.push(send(sealResponse(accepted.parsed.message, result.payload, env, result.responseDateTime)));
  if (result.effects !== undefined) effects.push(...result.effects);
  return { state: result.state, effects };
}

/**
 * A GBCS frame from the SMHAN: received as a command by a device on it, noted and dropped by one that has not
 * joined. Undefined for any other input.
 */
export function receiveOnSmhan<S extends DeviceCore>(
  state: S,
  input: ActorInput,
  now: number,
  env: ActorEnv,
  table: CommandTable<S>,
): Step<S> | undefined {
  if (input.type !== 'han' || input.frame.type !== 'gbcs') return undefined;
  if (!state.hanJoined)
    return unchanged(state, { kind: 'note', text: `${state.kind} ${state.eui} is not on the SMHAN` });
  return receiveCommand(state, input.frame.bytes, now, env, table);
}

/** What every device is built from; the premise builder supplies it. */
export interface DeviceInit {
  readonly eui: Eui64;
  readonly hub: Eui64;
  readonly parties: RemoteParties;
  readonly firmwareVersion?: number;
  readonly clockOffsetMs?: number;
  /** 16-octet install code, hex. */
  readonly installCode: string;
}

/** The common part of a new device's state: empty logs, no joins, counters at their start. */
/** `state` without its optional property `key` (removed, not set undefined: states compare and serialise plainly). */
export function without<S extends object, K extends keyof S>(state: S, key: K): S {
  if (state[key] === undefined) return state;
  const next = { ...state };
  delete next[key];
  return next;
}

export function initCore(kind: DeviceKind, init: DeviceInit): DeviceCore {
  return {
    kind,
    eui: init.eui,
    hub: init.hub,
    security: { parties: init.parties, counters: {} },
    alertCounter: 1n,
    firmwareVersion: init.firmwareVersion ?? 0x0000_0100,
    clockOffsetMs: init.clockOffsetMs ?? 0,
    eventLog: [],
    securityLog: [],
    joins: [],
    installCode: init.installCode,
    hanJoined: false,
  };
}

/** Interval between a device's attempts to join the SMHAN while it is not joined [A: placeholder, configurable]. */
export const DEFAULT_JOIN_RETRY_MS = 5 * 60_000;
export const JOIN_RETRY_TIMER = 'join-retry';

/**
 * The SMHAN joining every device does: on power-up (or its retry timer) a device not yet joined asks its CHF to
 * join, proving the install-code link key; success marks it joined, any refusal retries later. A joined device
 * that its CHF tells 'not-in-device-log' (sent when CCS02 removes it: a ZigBee leave, modelled) leaves the SMHAN
 * and retries joining on its timer, so a later CCS01 lets it rejoin. Returns undefined for inputs that are not
 * about joining, so the device handles them itself.
 */
export function handleHanJoining<S extends DeviceCore>(
  state: S,
  input: ActorInput,
  now: number,
  retryMs = DEFAULT_JOIN_RETRY_MS,
): Step<S> | undefined {
  const attempt = (): Step<S> => ({
    state,
    effects: [
      { kind: 'han', to: state.hub, frame: joinRequestFrame(state.eui, fromHex(state.installCode)) },
      { kind: 'timer', atMs: now + retryMs, timer: { name: JOIN_RETRY_TIMER } },
    ],
  });
  if (input.type === 'power') return input.on && !state.hanJoined ? attempt() : undefined;
  if (input.type === 'timer' && input.timer.name === JOIN_RETRY_TIMER)
    return state.hanJoined ? { state, effects: [] } : attempt();
  if (input.type === 'han' && input.frame.type === 'join-response' && input.from === state.hub) {
    if (input.frame.outcome === 'not-in-device-log' && state.hanJoined)
      return {
        state: { ...state, hanJoined: false },
        effects: [
          { kind: 'timer', atMs: now + retryMs, timer: { name: JOIN_RETRY_TIMER } },
          { kind: 'note', text: `${state.kind} ${state.eui} removed from the SMHAN by its CHF: will rejoin` },
        ],
      };
    if (input.frame.outcome !== 'success')
      return {
        state,
        effects: [{ kind: 'note', text: `${state.kind} ${state.eui} join refused: ${input.frame.outcome}` }],
      };
    return {
      state: { ...state, hanJoined: true },
      effects: [{ kind: 'cancel-timer', name: JOIN_RETRY_TIMER }],
    };
  }
  return undefined;
}
