// The Communications Hub Function as an actor (domain brief §4): the WAN end of the premise, the SMHAN Trust
// Centre keeping the Device Log, the relay of Remote Party messages and the Inter-PAN gate for HHTs. One step
// function dispatches each input to the module that owns the rule:
//   chf-commands.ts / chf-reads.ts  GBCS use cases addressed to the CHF (CCS01–CCS07, ECS52, ECS35c/d)
//   chf-join.ts                     ZigBee install-code joining and the join_timeout windows
//   chf-interpan.ts                 power, the Inter-PAN window, beacon, CBKE, HHT install codes
//   chf-relay.ts                    WAN ↔ HAN routing, GBT reassembly, GSME mailboxes, tap-off copies
// Inputs other than timers are ignored while the hub is unpowered.
import type { Eui64 } from '../codec/eui64.js';
import type { ActorEnv, ActorInput, ActorStep, HanFrame, Step } from '../devices/types.js';
import {
  closeInterPanWindow,
  handleBeaconRequest,
  handleCbke,
  handleInterPanCbke,
  handleInterPanInstallCode,
  handleMalformedInterPan,
  handlePower,
  hears,
  INTERPAN_WINDOW_TIMER,
} from './chf-interpan.js';
import { closeJoinWindow, handleJoinRequest, isJoinWindowTimer } from './chf-join.js';
import { gbcsFromHan, gsmePoll, handleWan, tunnelledFromPpmid } from './chf-relay.js';
import type { ChfState } from './chf-state.js';
import {
  isRunTimer,
  otaFromClient,
  otaPowerDown,
  otaNotifyPolling,
  otaPowerUp,
  receiveDistribution,
  runTimer,
  startBlockRun,
} from './chf-ota.js';

export { CHF_COMMANDS, CHF_ONLY_USE_CASES, CHF_USE_CASE_CODES } from './chf-commands.js';
export { createChf } from './chf-state.js';
export type { ChfDeviceLogEntry, ChfHistoricEntry, ChfInit, ChfState } from './chf-state.js';
export { peekRouting } from './chf-relay.js';

function note(state: ChfState, text: string): Step<ChfState> {
  return { state, effects: [{ kind: 'note', text: `CHF ${state.eui} ${text}` }] };
}

function onHan(state: ChfState, from: Eui64, frame: HanFrame, now: number, env: ActorEnv): Step<ChfState> {
  switch (frame.type) {
    case 'gbcs':
      return gbcsFromHan(state, from, frame.bytes, now, env);
    case 'join-request':
      return handleJoinRequest(state, from, frame.keyProof, now, env);
    case 'gsme-poll': {
      // GBCS 11.1 for a GSME: an unfinished image transfer is notified while the GSME is awake (chf-ota.ts).
      const notified = otaNotifyPolling(state, from);
      const polled = gsmePoll(notified.state, from, now);
      return { state: polled.state, effects: [...notified.effects, ...polled.effects] };
    }
    case 'cbke-request':
      return handleCbke(state, from, frame.issuer);
    case 'interpan-beacon-request':
      return handleBeaconRequest(state, from, now, env);
    case 'interpan-cbke-request':
      return handleInterPanCbke(state, from, frame.certificateIssuer, now, env);
    case 'interpan-install-code':
      return handleInterPanInstallCode(state, from, frame.installCode, frame.deviceType, now, env);
    case 'tunnelled':
      return tunnelledFromPpmid(state, from, frame.bytes, now, env);
    case 'zcl-ota':
      return otaFromClient(state, from, frame.bytes, now, env);
    case 'ota-block-run':
      return startBlockRun(state, from, frame.request, now, env, frame.untilMs);
    case 'interpan-malformed':
      return handleMalformedInterPan(state, from, frame.defect, now, env);
    case 'distant':
      // A radio outside the premise: out of the CH's range it is never heard (no note, no count).
      return hears(state, frame.distanceM)
        ? onHan(state, from, frame.frame, now, env)
        : { state, effects: [] };
    default:
      return note(state, `ignored a ${frame.type} frame from ${from}`);
  }
}

function onTimer(
  state: ChfState,
  input: Extract<ActorInput, { type: 'timer' }>,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const { name, ref } = input.timer;
  if (name === INTERPAN_WINDOW_TIMER) return closeInterPanWindow(state, now);
  if (isJoinWindowTimer(name) && ref !== undefined) return closeJoinWindow(state, ref as Eui64, now);
  if (isRunTimer(name)) return runTimer(state, name, now, env);
  return note(state, `ignored timer ${name}`);
}

/** The CHF's transition function (src/devices/types.ts ActorStep). */
export const stepChf: ActorStep<ChfState> = (state, input, now, env) => {
  switch (input.type) {
    case 'power': {
      // OTA runs stop at power-down; unfinished transfers are notified again at power-up (chf-ota.ts).
      if (input.on === state.powered) return handlePower(state, input.on, now, env);
      const ota = input.on ? undefined : otaPowerDown(state, now, env);
      const powered = handlePower(ota?.state ?? state, input.on, now, env);
      const resumed = input.on ? otaPowerUp(powered.state) : undefined;
      return {
        state: resumed?.state ?? powered.state,
        effects: [...(ota?.effects ?? []), ...powered.effects, ...(resumed?.effects ?? [])],
      };
    }
    case 'csp-firmware':
      return state.powered
        ? receiveDistribution(state, input.distribution, now)
        : note(state, 'unpowered: firmware delivery lost');
    case 'timer':
      return onTimer(state, input, now, env);
    case 'local':
      return note(state, `has no local interface (${input.action.kind} ignored)`);
    case 'tunnel':
      return note(state, 'a PPMID tunnel message cannot reach a CHF directly: ignored');
    case 'wan':
      return state.powered
        ? handleWan(state, input.bytes, now, env)
        : note(state, 'unpowered: WAN message lost');
    case 'han':
      return state.powered
        ? onHan(state, input.from, input.frame, now, env)
        : note(state, `unpowered: ${input.frame.type} from ${input.from} lost`);
  }
};
