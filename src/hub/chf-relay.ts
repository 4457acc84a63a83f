// The CHF as relay of Remote Party messages (GBCS 5; domain brief §4.4): WAN messages, reassembled from GBT blocks
// first, go to the CHF itself, the GPF, or a joined device of the Device Log — the GSME's into its mailbox until it
// polls (TransferData framing), tap-off commands copied to the GPF; messages from the HAN go to the WAN, segmented
// when longer than one GBT block, or to another HAN party when addressed to one (HAN-only messages, PPMID → GSME).
import { DecodeError } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { decodeGbtBlock, GbtReassembly, isGbtBlock, type GbtBlock } from '../codec/gbcs/gbt.js';
import { deviceTime, receiveCommand } from '../devices/device.js';
import type { ActorEnv, Effect, Step } from '../devices/types.js';
import {
  ALERT_DELIVERY_FAILURE,
  ALERT_GSME_COMMAND_NOT_RETRIEVED,
  chfAlert,
  segmentWanEffects,
  toWan,
} from './chf-alerts.js';
import { CHF_COMMANDS, CHF_ONLY_USE_CASES } from './chf-commands.js';
import { findEntry, updateEntry } from './chf-device-log.js';
import { isTapOffMessage } from './gpf-tap-off.js';
import { peekRouting, type Routing } from './routing.js';
import { messageCodeInfo } from '../codec/gbcs/message-codes.js';
import type { Policy } from '../policy.js';
import {
  GSME_MAILBOX_CAPACITY,
  MAX_LOCAL_ROUTES,
  MAX_PENDING_GBT,
  ZIGBEE_DEVICE_TYPE,
  type ChfDeviceLogEntry,
  type LocalRoute,
  type ChfState,
  type PendingGbt,
} from './chf-state.js';

export { peekRouting, type Routing } from './routing.js';

function note(state: ChfState, text: string): Effect {
  return { kind: 'note', text: `CHF ${state.eui} ${text}` };
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A command for the CHF itself: checks, handler, sealed response to the WAN (src/devices/device.ts) — or, for a
 * command an HHT or a tunnelling PPMID brought (`via`), back to that device on the HAN.
 */
export function commandForChf(
  state: ChfState,
  bytes: Uint8Array,
  now: number,
  env: ActorEnv,
  via?: Eui64,
): Step<ChfState> {
  if (via !== undefined)
    return receiveCommand(state, bytes, now, env, CHF_COMMANDS, {
      send: (b) => ({ kind: 'han', to: via, frame: { type: 'gbcs', bytes: b } }),
    });
  const step = receiveCommand(state, bytes, now, env, CHF_COMMANDS, {
    send: (b) => ({ kind: 'wan', bytes: b }),
  });
  return { state: step.state, effects: segmentWanEffects(step.effects) };
}

function isGsme(entry: ChfDeviceLogEntry): boolean {
  return entry.deviceType === ZIGBEE_DEVICE_TYPE.GSME;
}

/** Queues a message for a GSME's next poll; a full mailbox drops its oldest message (alert 0x819D) [A]. */
function enqueueForGsme(
  state: ChfState,
  gsme: Eui64,
  bytes: Uint8Array,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const box = state.mailboxes.find((m) => m.gsme === gsme);
  const queued = [...(box?.messages ?? []), bytes];
  const overflow = queued.length > GSME_MAILBOX_CAPACITY;
  const messages = overflow ? queued.slice(1) : queued;
  const mailboxes = [...state.mailboxes.filter((m) => m.gsme !== gsme), { gsme, messages }];
  const queuedState: ChfState = { ...state, mailboxes };
  const effects: Effect[] = [note(state, `queued a message for GSME ${gsme} (${messages.length} waiting)`)];
  if (!overflow) return { state: queuedState, effects };
  const alert = chfAlert(
    queuedState,
    ALERT_GSME_COMMAND_NOT_RETRIEVED,
    `CHF ${state.eui} dropped the oldest message for GSME ${gsme}: mailbox full`,
    now,
    env,
  );
  return { state: alert.state, effects: [...effects, ...alert.effects] };
}

/** Delivers to a HAN party: the GPF or a joined device (the GSME through its mailbox, tap-off copied to the GPF). */
function deliverOnHan(
  state: ChfState,
  to: Eui64,
  bytes: Uint8Array,
  routing: Routing,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const entry = findEntry(state, to);
  if (entry === undefined || !isGsme(entry))
    return { state, effects: [{ kind: 'han', to, frame: { type: 'gbcs', bytes } }] };
  const queued = enqueueForGsme(state, to, bytes, now, env);
  if (routing.cra !== 1 || !isTapOffMessage(routing.messageCode)) return queued;
  return {
    state: queued.state,
    effects: [
      ...queued.effects,
      { kind: 'han', to: state.gpf, frame: { type: 'gbcs', bytes } },
      note(state, `tap-off copy of 0x${hex4(routing.messageCode)} to the GPF ${state.gpf}`),
    ],
  };
}

/** A whole message from the WAN. */
export function routeFromWan(state: ChfState, bytes: Uint8Array, now: number, env: ActorEnv): Step<ChfState> {
  const routing = peekRouting(bytes);
  // Unreadable headers, or addressed to the CHF: the CHF's own checks answer it (a malformed command raises its alert).
  if (routing === undefined || routing.recipient === state.eui) return commandForChf(state, bytes, now, env);
  const to = routing.recipient;
  if (to === state.gpf || findEntry(state, to)?.joined === true)
    return deliverOnHan(state, to, bytes, routing, now, env);
  // A CHF use case addressed elsewhere reaches the CHF's checks, which refuse it as not for this CHF [A].
  if (routing.cra === 1 && CHF_ONLY_USE_CASES.has(routing.messageCode))
    return commandForChf(state, bytes, now, env);
  const why = findEntry(state, to) === undefined ? 'not in the CHF Device Log' : 'not joined to the SMHAN';
  return chfAlert(
    state,
    ALERT_DELIVERY_FAILURE,
    `CHF ${state.eui} dropped 0x${hex4(routing.messageCode)} for ${to}: ${why}`,
    now,
    env,
  );
}

/**
 * Whether the CH accepts a command tunnelled from a PPMID (SECMP0038), under the policy's rule: 'han-only' (today)
 * accepts none — the only PPMID-originated GBCS is PCS01/PCS02, sent on the HAN, not tunnelled —; 'subset' the use
 * cases listed; 'any' every command. Undefined: accepted; else the reason.
 */
export function tunnelRefusal(routing: Routing | undefined, policy: Policy): string | undefined {
  if (routing === undefined) return 'unreadable headers';
  if (routing.cra !== 1) return 'not a command';
  if (policy.ppmidTunnel === 'any') return undefined;
  const useCase = messageCodeInfo(routing.messageCode)?.useCase ?? undefined;
  if (
    policy.ppmidTunnel === 'subset' &&
    useCase !== undefined &&
    policy.ppmidTunnelUseCases.includes(useCase)
  )
    return undefined;
  return `${useCase ?? `0x${hex4(routing.messageCode)}`} not accepted from a PPMID tunnel (policy ${policy.ppmidTunnel})`;
}

/**
 * A command a paired PPMID received over its alternative channel and tunnels to the CH (SECMP0038): refused under
 * the policy's rule (the PPMID is told, and tells the DCC), else routed as if it came from the WAN — the target
 * device runs every check it runs on a WAN command — with its response sent back to the PPMID.
 */
export function tunnelledFromPpmid(
  state: ChfState,
  from: Eui64,
  bytes: Uint8Array,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const entry = findEntry(state, from);
  if (entry?.joined !== true || entry.deviceType !== ZIGBEE_DEVICE_TYPE.PPMID)
    return { state, effects: [note(state, `dropped a tunnelled message from ${from}: not a joined PPMID`)] };
  const routing = peekRouting(bytes);
  const refusal = tunnelRefusal(routing, env.policy);
  if (refusal !== undefined)
    return {
      state,
      effects: [
        { kind: 'han', to: from, frame: { type: 'tunnel-refused', bytes, reason: refusal } },
        note(state, `refused a command tunnelled by the PPMID ${from}: ${refusal}`),
      ],
    };
  // A command for the CHF itself is answered back to the PPMID, as its other answers are.
  if (routing!.recipient === state.eui) return commandForChf(state, bytes, now, env, from);
  const routed = routeFromWan(rememberLocal(state, from, routing!), bytes, now, env);
  return {
    state: routed.state,
    effects: [note(state, `a command tunnelled by the PPMID ${from}`), ...routed.effects],
  };
}

function sameTransaction(a: GbtBlock, b: GbtBlock): boolean {
  return (
    a.cra === b.cra &&
    a.originatorCounter === b.originatorCounter &&
    a.originator === b.originator &&
    a.recipient === b.recipient &&
    a.messageCode === b.messageCode
  );
}

/**
 * One GBT block from the WAN (GBCS 5.3). The blocks received so far are kept as plain data and re-played into a
 * GbtReassembly for each new block (GbtReassembly is a class, not serialisable); the whole message is then routed.
 */
export function gbtFromWan(state: ChfState, bytes: Uint8Array, now: number, env: ActorEnv): Step<ChfState> {
  let block: GbtBlock;
  try {
    block = decodeGbtBlock(bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { state, effects: [note(state, `dropped a malformed GBT block: ${e.message}`)] };
  }
  const index = state.pendingGbt.findIndex(
    (p) => p.blocks[0] !== undefined && sameTransaction(p.blocks[0], block),
  );
  const pending = index === -1 ? undefined : state.pendingGbt[index];
  const reassembly = new GbtReassembly({
    cra: block.cra,
    originatorCounter: block.originatorCounter,
    originator: block.originator,
    recipient: block.recipient,
    messageCode: block.messageCode,
  });
  for (const b of pending?.blocks ?? []) reassembly.add(b);
  const outcome = reassembly.add(block);
  const others = state.pendingGbt.filter((_, i) => i !== index);
  switch (outcome.status) {
    case 'complete':
      return routeFromWan({ ...state, pendingGbt: others }, outcome.message, now, env);
    case 'accepted': {
      const updated: PendingGbt = { blocks: [...(pending?.blocks ?? []), block] };
      const pendingGbt = [...others, updated].slice(-MAX_PENDING_GBT);
      return {
        state: { ...state, pendingGbt },
        effects: [note(state, `GBT block ${block.blockNumber} of 0x${hex4(block.messageCode)} held`)],
      };
    }
    case 'duplicate':
      return { state, effects: [note(state, `duplicate GBT block ${outcome.blockNumber} ignored`)] };
    case 'rejected':
      return {
        state,
        effects: [note(state, `GBT block ${outcome.blockNumber} rejected: ${outcome.reason}`)],
      };
  }
}

/** 'wan' input: a GBT block or a whole message. */
export function handleWan(state: ChfState, bytes: Uint8Array, now: number, env: ActorEnv): Step<ChfState> {
  return isGbtBlock(bytes) ? gbtFromWan(state, bytes, now, env) : routeFromWan(state, bytes, now, env);
}

/** Records that `device` (in the log) was heard now. */
function heard(state: ChfState, device: Eui64, now: number): ChfState {
  return findEntry(state, device) === undefined
    ? state
    : updateEntry(state, device, (e) => ({ ...e, lastHeardMs: deviceTime(state, now) }));
}

/** A GBCS message (or GBT block) from the GPF or a joined device: to its HAN recipient if it has one, else the WAN. */
export function gbcsFromHan(
  state: ChfState,
  from: Eui64,
  bytes: Uint8Array,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  if (from !== state.gpf && findEntry(state, from)?.joined !== true)
    return { state, effects: [note(state, `dropped a message from ${from}: not a joined device`)] };
  const routing = peekRouting(bytes);
  const s = heard(state, from, now);
  if (routing === undefined)
    return { state: s, effects: [note(state, `dropped an unreadable message from ${from}`)] };
  const to = routing.recipient;
  const fromHht = findEntry(state, from)?.hht === true && routing.cra === 1;
  // A local command for the CHF itself (e.g. CCS01 by CV2): answered to the HHT that brought it.
  if (fromHht && to === state.eui) return commandForChf(s, bytes, now, env, from);
  if (to !== from && to !== state.eui && (to === state.gpf || findEntry(state, to)?.joined === true)) {
    const routed = fromHht ? rememberLocal(s, from, routing) : s;
    return deliverOnHan(routed, to, bytes, routing, now, env);
  }
  const local = routing.cra === 2 ? localRouteOf(s, from, routing) : undefined;
  if (local !== undefined)
    return {
      state: { ...s, localRoutes: (s.localRoutes ?? []).filter((r) => r !== local) },
      effects: [
        { kind: 'han', to: local.hht, frame: { type: 'gbcs', bytes } },
        note(state, `response from ${from} to the HHT ${local.hht} that brought the command`),
      ],
    };
  return { state: s, effects: isGbtBlock(bytes) ? [{ kind: 'wan', bytes }] : toWan(bytes) };
}

/** A command an HHT (or a tunnelling PPMID) brought: its response goes back to it, not to the WAN (issue 6). */
function rememberLocal(state: ChfState, hht: Eui64, routing: Routing): ChfState {
  const route: LocalRoute = {
    hht,
    device: routing.recipient,
    originator: routing.originator,
    counter: routing.originatorCounter,
  };
  return { ...state, localRoutes: [...(state.localRoutes ?? []), route].slice(-MAX_LOCAL_ROUTES) };
}

/** The local route a device's response answers: from that device, same counter, parties swapped (GBCS correlation). */
function localRouteOf(state: ChfState, from: Eui64, routing: Routing): LocalRoute | undefined {
  return state.localRoutes?.find(
    (r) =>
      r.device === from &&
      r.device === routing.originator &&
      r.originator === routing.recipient &&
      r.counter === routing.originatorCounter,
  );
}

/** A GSME's poll (TransferData 0x01): the oldest queued message and how many remain, or nothing (0x02 ‖ 0x00). */
export function gsmePoll(state: ChfState, from: Eui64, now: number): Step<ChfState> {
  if (findEntry(state, from)?.joined !== true)
    return { state, effects: [note(state, `ignored a poll from ${from}: not a joined device`)] };
  const s = heard(state, from, now);
  const box = s.mailboxes.find((m) => m.gsme === from);
  const [first, ...rest] = box?.messages ?? [];
  if (first === undefined)
    return {
      state: s,
      effects: [{ kind: 'han', to: from, frame: { type: 'gsme-mailbox', remaining: 0, bytes: null } }],
    };
  const mailboxes = s.mailboxes.flatMap((m) =>
    m.gsme !== from ? [m] : rest.length === 0 ? [] : [{ gsme: from, messages: rest }],
  );
  return {
    state: { ...s, mailboxes },
    effects: [
      { kind: 'han', to: from, frame: { type: 'gsme-mailbox', remaining: rest.length, bytes: first } },
    ],
  };
}
