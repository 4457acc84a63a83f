// The HCALCS (HAN-connected auxiliary load control switch): joins the SMHAN, pairs with its ESME by CS03A2, reports
// its firmware by CS08, takes images by ZigBee OTA and activates them by CS06 (SECMP0007: SR 11.1 + 11.3, as
// ESME/GSME). Non-critical
// commands come from the ACB, critical ones from the supplier (security.ts) [O]. Its switch is driven by the ESME
// over the HAN, which is not modelled yet: the state holds it.
import { clearEventLog, CS11_CLEAR_EVENT_LOG } from './clear-event-log.js';
import {
  commonCommands,
  CS08_READ_FIRMWARE_VERSION,
  handleCommonTimer,
  pickCommands,
  readPpmidHcalcsFirmwareVersion,
} from './common-commands.js';
import {
  handleHanJoining,
  initCore,
  receiveOnSmhan,
  type CommandTable,
  type DeviceCore,
  type DeviceInit,
} from './device.js';
import { meterOtaStep, type OtaClientFields } from './ota-client.js';
import { unchanged, type ActorStep } from './types.js';

/** The auxiliary load: switched on (load supplied) or off. */
export type LoadSwitchState = 'on' | 'off';

export interface HcalcsState extends DeviceCore, OtaClientFields {
  readonly kind: 'HCALCS';
  readonly loadSwitch: LoadSwitchState;
}

/** RTDS 4.5.0 sends an HCALCS CS03A2 (critical, supplier) and CS08 [O]; CS04AC, CS07 per SR 8.8/8.9, CS06 per SECMP0007 [A]. */
export const HCALCS_COMMANDS: CommandTable<HcalcsState> = new Map([
  ...pickCommands(commonCommands<HcalcsState>(), ['CS03A2', 'CS04AC', 'CS07', 'CS06']),
  [CS08_READ_FIRMWARE_VERSION, readPpmidHcalcsFirmwareVersion],
  [CS11_CLEAR_EVENT_LOG, clearEventLog<HcalcsState>()],
]);

/** The switch a new HCALCS starts with [A]. */
export const DEFAULT_LOAD_SWITCH: LoadSwitchState = 'off';

export function createHcalcs(init: DeviceInit & { readonly loadSwitch?: LoadSwitchState }): HcalcsState {
  return { ...initCore('HCALCS', init), kind: 'HCALCS', loadSwitch: init.loadSwitch ?? DEFAULT_LOAD_SWITCH };
}

export const stepHcalcs: ActorStep<HcalcsState> = (state, input, now, env) => {
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) return joining;
  const timer = handleCommonTimer(state, input, now, env);
  if (timer !== undefined) return timer;
  // SECMP0007: the HCALCS takes its image as the meters do (GBCS 11.1 by ZigBee OTA, receipt alert, then CS06).
  if (state.hanJoined) {
    const ota = meterOtaStep(state, input, now, env);
    if (ota !== undefined) return ota;
  }
  return receiveOnSmhan(state, input, now, env, HCALCS_COMMANDS) ?? unchanged(state);
};
