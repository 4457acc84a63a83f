// The installer's hand-held terminal, client side of the Inter-PAN flow (domain brief §4.3; interpan-client.ts, which
// a posted PPMID shares): at power-on it asks its CH for a beacon, runs Inter-PAN CBKE with its certificate issuer,
// sends its install code, and once the CHF has added it to the Device Log joins the SMHAN like any device. Where it
// stops, `stage` says how far it got and `failure` why. It carries local commands (the DCC's LocalCommand for
// CV2/3/6/7): given one, it delivers it once on the SMHAN, and collects what comes back (the CHF routes a device's
// response to the HHT that brought the command) for the User to return with SR 8.13.
import type { Eui64 } from '../codec/eui64.js';
import { initCore, type DeviceCore, type DeviceInit } from './device.js';
import { MAX_REFUSED, sortCarried, type CarriedCommand, type RefusedCommand } from './hht-carry.js';
import {
  interPanJoinResponse,
  stepInterPanClient,
  type InterPanFailure,
  type InterPanLens,
  type InterPanProgress,
  type InterPanStage,
} from './interpan-client.js';
import {
  unchanged,
  type ActorEnv,
  type ActorStep,
  type Effect,
  type HanFrame,
  type JoinOutcome,
  type Step,
} from './types.js';

/** How far the HHT got: discovery (beacon), Inter-PAN key establishment, install code, SMHAN join. */
export type HhtStage = InterPanStage;

/** Why it stopped: the CHF's answer to the install code, the Inter-PAN CBKE outcome, or the SMHAN join refusal. */
export type HhtFailure = InterPanFailure;

/** The Inter-PAN client's fields (interpan-client.ts) sit at the top of the HHT's state. */
export interface HhtState extends DeviceCore, InterPanProgress {
  readonly kind: 'HHT';
  /** Local commands given to it and not yet delivered (it is not on the SMHAN yet). */
  readonly carried: readonly CarriedCommand[];
  /** Responses and alerts the HAN sent back to it, oldest first, the last MAX_COLLECTED. */
  readonly collected: readonly Uint8Array[];
  /** Commands it would not deliver, and why (hht-carry.ts), the last MAX_REFUSED. */
  readonly refused: readonly RefusedCommand[];
}

/** Local commands an HHT holds until it is on the SMHAN; the oldest is dropped beyond this [A]. */
export const MAX_CARRIED = 64;

/** Messages an HHT keeps for the User to collect [A]. */
export const MAX_COLLECTED = 64;

export interface HhtInit extends DeviceInit {
  readonly certificateIssuer: Eui64;
  /**
   * ZigBee device type sent with the install code (CCS01 values: 0 ESME, 1 GSME, 13 HCALCS, 128 IHD, 130 CAD,
   * 132 PPMID, domain brief §2.6); an HHT's own value is not in our sources [A], so the premise chooses it.
   */
  readonly deviceType: number;
}

export { INTERPAN_RESPONSE_MS, INTERPAN_TIMEOUT_TIMER } from './interpan-client.js';

/** The HHT keeps the Inter-PAN client's fields at the top of its state. */
const HHT_INTERPAN: InterPanLens<HhtState> = {
  get: (state) => state,
  set: (state, stage, failure) => ({ ...state, stage, failure }),
};

export function createHht(init: HhtInit): HhtState {
  return {
    ...initCore('HHT', init),
    kind: 'HHT',
    certificateIssuer: init.certificateIssuer,
    deviceType: init.deviceType,
    stage: 'idle',
    failure: null,
    carried: [],
    collected: [],
    refused: [],
  };
}

export const stepHht: ActorStep<HhtState> = (state, input, now, env) => {
  switch (input.type) {
    case 'power':
    case 'timer':
      return stepInterPanClient(HHT_INTERPAN, state, input, now) ?? unchanged(state);
    case 'han':
      if (input.from !== state.hub) return unchanged(state);
      if (input.frame.type === 'join-response') return joinResponse(state, input.frame.outcome, now, env);
      if (input.frame.type === 'gbcs') return collect(state, input.frame.bytes);
      return stepInterPanClient(HHT_INTERPAN, state, input, now) ?? unchanged(state);
    case 'local':
      return input.action.kind === 'carry-local-command'
        ? carry(state, { bytes: input.action.bytes, issuedAtMs: input.action.issuedAtMs }, now, env)
        : unchanged(state, {
            kind: 'note',
            text: `HHT ${state.eui}: ${input.action.kind} means nothing here`,
          });
    default:
      return unchanged(state);
  }
};

/** A local command handed to the HHT: delivered now if it is on the SMHAN, else when it gets there. */
function carry(state: HhtState, command: CarriedCommand, now: number, env: ActorEnv): Step<HhtState> {
  if (state.stage === 'joined' && state.hanJoined)
    return deliverCarried({ ...state, carried: [command] }, now, env);
  return unchanged(
    { ...state, carried: [...state.carried, command].slice(-MAX_CARRIED) },
    {
      kind: 'note',
      text: `HHT ${state.eui} holds a local command until it is on the SMHAN`,
    },
  );
}

/** On the SMHAN: what it carries goes now, except what the policy refuses (hht-carry.ts). */
function deliverCarried(state: HhtState, now: number, env: ActorEnv): Step<HhtState> {
  const { deliver, refused } = sortCarried(state.carried, now, env.policy);
  const effects: Effect[] = deliver.map((c): Effect => toHub(state, { type: 'gbcs', bytes: c.bytes }));
  for (const r of refused)
    effects.push({ kind: 'note', text: `HHT ${state.eui} refused to deliver a local command: ${r.reason}` });
  if (deliver.length > 0)
    effects.push({ kind: 'note', text: `HHT ${state.eui} delivered ${deliver.length} local command(s)` });
  return {
    state: { ...state, carried: [], refused: [...state.refused, ...refused].slice(-MAX_REFUSED) },
    effects,
  };
}

function collect(state: HhtState, bytes: Uint8Array): Step<HhtState> {
  return unchanged(
    { ...state, collected: [...state.collected, bytes].slice(-MAX_COLLECTED) },
    { kind: 'note', text: `HHT ${state.eui} collected a message from the HAN` },
  );
}

function toHub(state: HhtState, frame: HanFrame): Effect {
  return { kind: 'han', to: state.hub, frame };
}

/** The SMHAN join answer (interpan-client.ts); once joined, what it carries goes. */
function joinResponse(state: HhtState, outcome: JoinOutcome, now: number, env: ActorEnv): Step<HhtState> {
  const step = interPanJoinResponse(HHT_INTERPAN, state, outcome, now);
  if (state.stage === 'joined' || step.state.stage !== 'joined') return step;
  const delivered = deliverCarried(step.state, now, env);
  return { state: delivered.state, effects: [...step.effects, ...delivered.effects] };
}
