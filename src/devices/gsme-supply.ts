// The GSME's valve (GBCS GCS32 close, GCS39 arm; SMETS2): the supplier can close the valve or arm it, never open
// it — only the consumer opens an armed valve, at the meter (domain brief §7). A valve the supplier closes counts as
// disabled remotely in the supply-loss account (SR 7.2); one the prepayment engine closes, as no credit
// (gsme-account.ts).
import type { CommandHandler } from './device.js';
import { supplyStatusOf } from './gsme-reads.js';
import type { GsmeState } from './gsme-state.js';
import { disabledRemotely } from './prepayment-account.js';
import {
  answerEach,
  CLUSTER,
  clusterResponseTo,
  gbzComponents,
  rawFields,
  soleClusterCommand,
  SUPPLY_STATUS,
  ZCL_STATUS,
  ZclBuilder,
} from './zcl.js';
import { unchanged, type Step, type ValveState } from './types.js';

const CHANGE_SUPPLY = 0x0b;
const SUPPLY_STATUS_RESPONSE = 0x0c;
/** Offset of Proposed Supply Status in Change Supply {Provider ID, Issuer Event ID, Request and Implementation Date/Time, …}. */
const PROPOSED_STATUS_AT = 16;

/**
 * Change Supply (Metering 0x0B) proposing `proposed`, answered by Supply Status Response {Provider ID, Issuer Event
 * ID (both copied), Implementation Date/Time 0, Supply Status} (RTDS 7.2_GCS32, 7.3_GCS39) [O]. A proposal other
 * than the use case's is refused INVALID_VALUE [A].
 */
function changeSupply(
  proposed: number,
  act: (valve: ValveState) => ValveState,
  changed: (state: GsmeState, now: number) => GsmeState = (s) => s,
): CommandHandler<GsmeState> {
  return (state, command, now) => {
    const c = soleClusterCommand(command, CLUSTER.metering, CHANGE_SUPPLY);
    if (c === undefined) return { state, payload: answerEach(command, ZCL_STATUS.unsupportedClusterCommand) };
    const f = rawFields(c);
    const status = f?.u8(PROPOSED_STATUS_AT);
    if (f === undefined || status === undefined)
      return { state, payload: answerEach(command, ZCL_STATUS.malformedCommand) };
    if (status !== proposed) return { state, payload: answerEach(command, ZCL_STATUS.invalidValue) };
    const valve = act(state.valve);
    const response = new ZclBuilder().u32(f.u32(0)!).u32(f.u32(4)!).u32(0).u8(supplyStatusOf(valve)).finish();
    return {
      state: valve === state.valve ? state : changed({ ...state, valve, mirrorStale: true }, now),
      payload: gbzComponents([clusterResponseTo(c, SUPPLY_STATUS_RESPONSE, response)]),
    };
  };
}

/** GCS32: the valve closes, whatever it was; time off counts as disabled remotely while credit lasts. */
export const closeValve = changeSupply(SUPPLY_STATUS.off, () => 'closed', disabledRemotely);

/** GCS39: a closed valve becomes armed; an open one stays open and says so [A]. */
export const armValve = changeSupply(SUPPLY_STATUS.armed, (valve) => (valve === 'closed' ? 'armed' : valve));

/** The consumer opens an armed valve (SMETS2: only the consumer restores gas supply). */
export function restoreSupply(state: GsmeState): Step<GsmeState> {
  if (state.valve !== 'armed')
    return unchanged(state, {
      kind: 'note',
      text: `GSME ${state.eui}: restore-supply ignored, the valve is ${state.valve}, not armed`,
    });
  return {
    state: { ...state, valve: 'open', mirrorStale: true },
    effects: [{ kind: 'note', text: `GSME ${state.eui}: the consumer opened the armed valve` }],
  };
}
