// The PPMID (prepayment meter interface device): joins the SMHAN, takes Remote Party commands from the ACB only
// (domain brief §2.2), pairs with the meters by CS03A2/CS03C, reports its firmware by CS08 and its activations by
// the CS09 alert. Prepayment at the keypad is only logged until prepayment is modelled.
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
  raiseUseCaseAlert,
  receiveOnSmhan,
  type CommandTable,
  type DeviceCore,
  type DeviceInit,
} from './device.js';
import { unchanged, type ActorEnv, type ActorStep, type LocalAction, type Step } from './types.js';

export interface PpmidState extends DeviceCore {
  readonly kind: 'PPMID';
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
 * What the PPMID logs for a local action until prepayment is modelled: codes borrowed from the meters' alerts
 * (0x810E credit added locally, 0x81AB emergency credit activated) [A: placeholders].
 */
export const PPMID_LOCAL_EVENTS: Readonly<Partial<Record<LocalAction['kind'], number>>> = {
  'keypad-utrn': 0x810e,
  'activate-emergency-credit': 0x81ab,
};

export function createPpmid(init: DeviceInit): PpmidState {
  return { ...initCore('PPMID', init), kind: 'PPMID' };
}

export const stepPpmid: ActorStep<PpmidState> = (state, input, now, env) => {
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) return joining;
  const received = receiveOnSmhan(state, input, now, env, PPMID_COMMANDS);
  if (received !== undefined) return received;
  if (input.type === 'local') return localAction(state, input.action, now);
  return unchanged(state);
};

function localAction(state: PpmidState, action: LocalAction, now: number): Step<PpmidState> {
  const code = PPMID_LOCAL_EVENTS[action.kind];
  if (code === undefined)
    return unchanged(state, { kind: 'note', text: `PPMID ${state.eui}: ${action.kind} is not modelled yet` });
  return {
    state: {
      ...state,
      eventLog: appendLog(
        state.eventLog,
        { atMs: deviceTime(state, now), code },
        DEFAULT_LOG_CAPACITIES.eventLog,
      ),
    },
    effects: [{ kind: 'note', text: `PPMID ${state.eui}: ${action.kind} logged` }],
  };
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
