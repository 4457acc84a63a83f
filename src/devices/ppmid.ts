// The PPMID (prepayment meter interface device): joins the SMHAN, takes Remote Party commands from the ACB only
// (domain brief §2.2), pairs with the meters by CS03A2/CS03C, reports its firmware by CS08 and its activations by
// the CS09 alert. The consumer at its keypad tops up, takes emergency credit and restores supply on the meters it is
// paired with: to the ESME as ZSE commands (PECS01–03), to the GSME as HAN-only GBCS commands (PCS01, PCS02) through
// the CHF's mailbox (domain brief §7).
import { clearEventLog, CS11_CLEAR_EVENT_LOG } from './clear-event-log.js';
import {
  asn1Response,
  commonCommands,
  CS08_READ_FIRMWARE_VERSION,
  firmwareVersionOctets,
  generalizedTimeAt,
  pickCommands,
  readPpmidHcalcsFirmwareVersion,
} from './common-commands.js';
import {
  alertRecipient,
  appendLog,
  DEFAULT_LOG_CAPACITIES,
  deviceTime,
  handleHanJoining,
  initCore,
  JOIN_DEVICE_TYPE,
  raiseUseCaseAlert,
  receiveOnSmhan,
  type CommandTable,
  type DeviceCore,
  type DeviceInit,
  type JoinEntry,
} from './device.js';
import { DecodeError } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { parseGbcs } from '../codec/gbcs/frame.js';
import { peekRouting } from '../hub/routing.js';
import { buildPpmidGsmeCommand, PPMID_GSME_CODES } from './gsme-ppmid.js';
import { stepPpmidPairing, type PpmidPairing } from './ppmid-pairing.js';
import { tunnelStep } from './ppmid-tunnel.js';
import { otaClientStep, type HeldImage, type OtaClientFields } from './ota-client.js';
import { toHub, without } from './device.js';
import {
  unchanged,
  type ActorEnv,
  type ActorStep,
  type Effect,
  type LocalAction,
  type PpmidCommand,
  type Step,
} from './types.js';

export interface PpmidState extends DeviceCore, OtaClientFields {
  readonly kind: 'PPMID';
  /** What the last meter answered to a consumer's request, as the PPMID shows it; null before any. */
  readonly lastOutcome: PpmidOutcome | null;
  /** Originator counter of the next HAN-only command to a GSME (PCS01, PCS02): strictly increasing. */
  readonly hanCounter: bigint;
  /** A PPMID posted to the consumer that pairs locally over Inter-PAN (SECMP0037, ppmid-pairing.ts); else absent. */
  readonly pairing?: PpmidPairing;
}

export interface PpmidOutcome {
  readonly meter: Eui64;
  readonly command: PpmidCommand['kind'];
  readonly accepted: boolean;
  readonly reason: string;
}

/** RTDS 4.5.0 sends a PPMID CS03A2 (Method A responder), CS03C, CS04AC and CS08 [O]; CS07 per SR 8.9 [A]. */
export const PPMID_COMMANDS: CommandTable<PpmidState> = new Map([
  ...pickCommands(commonCommands<PpmidState>(), ['CS03A2', 'CS03C', 'CS04AC', 'CS07']),
  [CS08_READ_FIRMWARE_VERSION, readPpmidHcalcsFirmwareVersion],
  [CS11_CLEAR_EVENT_LOG, clearEventLog<PpmidState>()],
]);

/** CS09 PPMID Firmware Activation Alert (RTDS NA_CS09: 0x012B, alert code 0x8F8B, signed, to the ACB) [O]. */
export const CS09_FIRMWARE_ACTIVATION_ALERT = 0x012b;
export const ALERT_PPMID_FIRMWARE_ACTIVATED = 0x8f8b;

/**
 * What the PPMID logs when the consumer asks for a top-up or emergency credit: codes borrowed from the meters' alerts
 * (0x810E credit added locally, 0x81AB emergency credit activated) [A: PPMID event codes not in our sources].
 */
export const PPMID_LOCAL_EVENTS: Readonly<Partial<Record<LocalAction['kind'], number>>> = {
  'keypad-utrn': 0x810e,
  'activate-emergency-credit': 0x81ab,
};

export function createPpmid(init: DeviceInit): PpmidState {
  return { ...initCore('PPMID', init), kind: 'PPMID', lastOutcome: null, hanCounter: 1n };
}

export const stepPpmid: ActorStep<PpmidState> = (state, input, now, env) => {
  const paired = stepPpmidPairing(state, input, now);
  if (paired !== undefined) return paired;
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) return joining;
  if (input.type === 'han' && input.frame.type === 'ppmid-command-response') {
    const f = input.frame;
    const lastOutcome = { meter: input.from, command: f.command, accepted: f.accepted, reason: f.reason };
    return unchanged(
      { ...state, lastOutcome },
      note(state, `${input.from} answered ${f.command}: ${f.reason}`),
    );
  }
  if (input.type === 'han' && input.frame.type === 'gbcs') {
    const answer = gsmeAnswer(state, input.frame.bytes);
    if (answer !== undefined) return answer;
  }
  const ota = otaClientStep(state, input, now, env, (s, held, at) => activateHeldImage(s, held, at, env));
  if (ota !== undefined) return ota;
  if (input.type === 'local' && input.action.kind === 'firmware-choice') {
    const refuse = input.action.refuse;
    return unchanged(
      { ...state, refusesFirmware: refuse },
      note(state, `consumer ${refuse ? 'refuses' : 'accepts'} firmware updates`),
    );
  }
  const tunnelled = tunnelStep(state, input);
  if (tunnelled !== undefined) return tunnelled;
  const received = receiveOnSmhan(state, input, now, env, PPMID_COMMANDS);
  if (received !== undefined) return received;
  if (input.type === 'local') return localAction(state, input.action, now, env);
  return unchanged(state);
};

function note(state: PpmidState, text: string): Effect {
  return { kind: 'note', text: `PPMID ${state.eui}: ${text}` };
}

/** The meter a consumer's request is for: the one named, else the first paired ESME, else the first paired GSME. */
function targetOf(state: PpmidState, meter: Eui64 | undefined): JoinEntry | undefined {
  const meters = state.joins.filter(
    (j) => j.deviceType === JOIN_DEVICE_TYPE.ESME || j.deviceType === JOIN_DEVICE_TYPE.GSME,
  );
  if (meter !== undefined) return meters.find((j) => j.device === meter);
  return meters.find((j) => j.deviceType === JOIN_DEVICE_TYPE.ESME) ?? meters[0];
}

/** What the consumer asks at the PPMID, as the command a meter receives. */
function commandOf(action: LocalAction): PpmidCommand | undefined {
  switch (action.kind) {
    case 'keypad-utrn':
      return { kind: 'top-up', utrn: action.utrn };
    case 'activate-emergency-credit':
      return { kind: 'activate-emergency-credit' };
    case 'restore-supply':
      return { kind: 'enable-supply' };
    case 'carry-local-command':
    case 'firmware-choice':
      return undefined;
  }
}

/**
 * A GSME's response to the PCS01 / PCS02 this PPMID sent (relayed by the CHF): what the PPMID shows — the Consumer
 * Top Up Response's result (0x00 accepted) or the Default Response's status (0x00 success). Undefined: not one.
 */
function gsmeAnswer(state: PpmidState, bytes: Uint8Array): Step<PpmidState> | undefined {
  const routing = peekRouting(bytes);
  const code = routing?.messageCode;
  if (routing?.cra !== 2 || routing.recipient !== state.eui) return undefined;
  if (code !== PPMID_GSME_CODES.PCS01 && code !== PPMID_GSME_CODES.PCS02) return undefined;
  const command = code === PPMID_GSME_CODES.PCS01 ? 'top-up' : 'activate-emergency-credit';
  let accepted = false;
  try {
    const payload = parseGbcs(bytes).message.payload;
    const first =
      payload.kind === 'gbz' && payload.gbz.kind === 'components' ? payload.gbz.components[0] : undefined;
    const zcl = first !== undefined && !first.encrypted ? first.payload : undefined;
    accepted =
      zcl?.kind === 'default-response' ? zcl.status === 0 : zcl?.kind === 'raw' ? zcl.bytes[0] === 0 : false;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  const reason = accepted ? 'accepted' : 'refused';
  const lastOutcome = { meter: routing.originator, command, accepted, reason } as const;
  return unchanged(
    { ...state, lastOutcome },
    note(state, `${routing.originator} answered ${command}: ${reason}`),
  );
}

function localAction(state: PpmidState, action: LocalAction, now: number, env: ActorEnv): Step<PpmidState> {
  const command = commandOf(action);
  const target = targetOf(state, 'meter' in action ? action.meter : undefined);
  if (command === undefined || target === undefined || !state.hanJoined)
    return unchanged(state, note(state, `${action.kind}: no paired meter to send it to`));
  const code = PPMID_LOCAL_EVENTS[action.kind];
  const logged =
    code === undefined
      ? state
      : {
          ...state,
          eventLog: appendLog(
            state.eventLog,
            { atMs: deviceTime(state, now), code },
            DEFAULT_LOG_CAPACITIES.eventLog,
          ),
        };
  if (target.deviceType === JOIN_DEVICE_TYPE.ESME)
    return unchanged(
      logged,
      { kind: 'han', to: target.device, frame: { type: 'ppmid-command', command } },
      note(state, `${command.kind} sent to the ESME ${target.device} (PECS)`),
    );
  // The GSME: PCS01 / PCS02, HAN-only GBCS through the CHF's mailbox; its valve opens only at the meter (SMETS2).
  if (command.kind === 'enable-supply')
    return unchanged(state, note(state, 'a GSME valve is opened at the meter, not from the PPMID'));
  const bytes = buildPpmidGsmeCommand(
    { ppmid: state.eui, gsme: target.device, counter: state.hanCounter, ...command },
    now,
    env,
  );
  return unchanged(
    { ...logged, hanCounter: state.hanCounter + 1n },
    { kind: 'han', to: state.hub, frame: { type: 'gbcs', bytes } },
    note(state, `${command.kind} sent to the GSME ${target.device} (PCS)`),
  );
}

export interface FirmwareActivation {
  /** The version now running (the new one on success, the old one on failure). */
  readonly firmwareVersion: number;
  readonly success: boolean;
}

/**
 * The CS09 alert a PPMID raises when it activates an image (SECMP0007; RTDS NA_CS09) [O]: critical, so signed by
 * the PPMID and sent without a MAC header, to the ACB. Returns the state with its alert counter advanced.
 */
export function ppmidFirmwareActivationAlert(
  state: PpmidState,
  activation: FirmwareActivation,
  now: number,
  env: ActorEnv,
): { state: PpmidState; bytes: Uint8Array } {
  return raiseUseCaseAlert(
    state,
    {
      to: alertRecipient(state),
      messageCode: CS09_FIRMWARE_ACTIVATION_ALERT,
      payload: asn1Response({
        kind: 'ppmidFirmwareActivationAlert',
        alertCode: ALERT_PPMID_FIRMWARE_ACTIVATED,
        executionDateTime: generalizedTimeAt(deviceTime(state, now)),
        firmwareVersion: firmwareVersionOctets(activation.firmwareVersion),
        activateImage: activation.success ? 0 : 1,
      }),
      critical: true,
    },
    env,
  );
}

/**
 * SECMP0007: the PPMID activates the image the CH transferred, at the CH's upgrade time, and tells the DCC by CS09
 * (0x8F8B) with the version now running: the new one, or the old one when the image cannot be activated (it is no
 * longer held: activateImage 1, failure).
 */
function activateHeldImage(state: PpmidState, held: HeldImage, now: number, env: ActorEnv): Step<PpmidState> {
  const success = env.firmware?.images.get(held.image) !== undefined;
  const firmwareVersion = success ? held.fileVersion : state.firmwareVersion;
  const activated: PpmidState = {
    ...without(state, 'heldImage'),
    firmwareVersion,
    ...(state.otaDownload !== undefined && { otaDownload: { ...state.otaDownload, activatedMs: now } }),
  };
  const alert = ppmidFirmwareActivationAlert(activated, { firmwareVersion, success }, now, env);
  return {
    state: alert.state,
    effects: [
      toHub(alert.state, alert.bytes),
      note(
        state,
        success ? `firmware ${firmwareVersion.toString(16)} activated (CS09)` : 'activation failed (CS09)',
      ),
    ],
  };
}
