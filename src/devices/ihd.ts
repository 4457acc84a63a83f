// The IHD, a Type 2 device: it joins the SMHAN and reads data over ZigBee only, so it takes no Remote Party
// command (GBCS: Type 2 devices hold no Remote Party credentials) and answers none. Its state is the common one:
// logs, firmware version, clock.
import { handleHanJoining, initCore, type CommandTable, type DeviceCore, type DeviceInit } from './device.js';
import { unchanged, type ActorStep } from './types.js';

export interface IhdState extends DeviceCore {
  readonly kind: 'IHD';
}

/** None: a Type 2 device answers no GBCS command. */
export const IHD_COMMANDS: CommandTable<IhdState> = new Map();

export function createIhd(init: DeviceInit): IhdState {
  return { ...initCore('IHD', init), kind: 'IHD' };
}

export const stepIhd: ActorStep<IhdState> = (state, input, now) => {
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) return joining;
  if (input.type === 'han' && input.frame.type === 'gbcs')
    return unchanged(state, {
      kind: 'note',
      text: `IHD ${state.eui} ignores a GBCS message: Type 2 devices take no Remote Party commands`,
    });
  return unchanged(state);
};
