// SMHAN joining at the CHF, the Trust Centre (ZigBee install-code joining; GBCS CCS01 windows, domain brief §4.1):
// a device in the Device Log may join while its window is open — with its historic TC link key during the first
// half of join_timeout when it has one, with its install-code key otherwise — and a joined device may rejoin with the
// key established. Success records the key and its hash and sends CS14; every refusal is a ZigBee join failure.
import { fromHex, toHex } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import { deviceTime } from '../devices/device.js';
import type { ActorEnv, Effect, JoinOutcome, Step } from '../devices/types.js';
import { deviceLogChanged } from './chf-alerts.js';
import { findEntry, findHistoric, joinWindowFor, updateEntry } from './chf-device-log.js';
import type { ChfState } from './chf-state.js';
import { linkKeyFromInstallCode, linkKeyHash, verifyJoinProof } from './joining.js';

const JOIN_WINDOW_TIMER = 'join-window:';

/** One timer per device closes its window (a later CCS01 for the same device replaces it). */
export function joinWindowTimerName(device: Eui64): string {
  return JOIN_WINDOW_TIMER + device;
}

export function isJoinWindowTimer(name: string): boolean {
  return name.startsWith(JOIN_WINDOW_TIMER);
}

/** Opens joining for `device` (in the log) for `timeoutMs` from now (CCS01 join_timeout, enable_disable_joining). */
export function openJoinWindow(
  state: ChfState,
  device: Eui64,
  now: number,
  timeoutMs: number,
): Step<ChfState> {
  const window = joinWindowFor(state, device, now, timeoutMs);
  return {
    state: updateEntry(state, device, (e) => ({ ...e, joinWindow: window })),
    effects: [
      { kind: 'timer', atMs: window.untilMs, timer: { name: joinWindowTimerName(device), ref: device } },
      {
        kind: 'note',
        text:
          `CHF ${state.eui} opened joining for ${device} for ${timeoutMs / 1000} s` +
          (window.historicUntilMs === null ? '' : ' (historic link key for the first half)'),
      },
    ],
  };
}

/** The timer of `device` fired: its window closes (enable_disable_joining resets after join_timeout). */
export function closeJoinWindow(state: ChfState, device: Eui64, now: number): Step<ChfState> {
  const entry = findEntry(state, device);
  if (entry?.joinWindow == null || entry.joinWindow.untilMs > now) return { state, effects: [] };
  return {
    state: updateEntry(state, device, (e) => ({ ...e, joinWindow: null })),
    effects: [{ kind: 'note', text: `CHF ${state.eui} closed joining for ${device} (join_timeout elapsed)` }],
  };
}

function answer(state: ChfState, to: Eui64, outcome: JoinOutcome, why: string): Step<ChfState> {
  return {
    state,
    effects: [
      { kind: 'han', to, frame: { type: 'join-response', outcome } },
      { kind: 'note', text: `CHF ${state.eui} join of ${to}: ${outcome} (${why})` },
    ],
  };
}

/** The key the window accepts now: the historic key in its first half, else the install-code key. */
function windowKey(
  state: ChfState,
  device: Eui64,
  now: number,
): { key: Uint8Array; historic: boolean } | null {
  const entry = findEntry(state, device);
  const window = entry?.joinWindow;
  if (entry === undefined || window == null || now >= window.untilMs) return null;
  const historic = findHistoric(state, device);
  if (window.historicUntilMs !== null && now < window.historicUntilMs && historic !== undefined)
    return { key: fromHex(historic.linkKey), historic: true };
  return entry.installCode === null
    ? null
    : { key: linkKeyFromInstallCode(fromHex(entry.installCode)), historic: false };
}

/** A 'join-request' from `from` carrying `proof` (src/hub/joining.ts). */
export function handleJoinRequest(
  state: ChfState,
  from: Eui64,
  proof: Uint8Array,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const entry = findEntry(state, from);
  if (entry === undefined)
    return state.deviceLog.length >= state.deviceLogCapacity
      ? answer(
          state,
          from,
          'device-log-full',
          'not in the Device Log, which is full (join failure code 4) [A]',
        )
      : answer(state, from, 'not-in-device-log', 'not in the Device Log');
  // Only a join that succeeds is heard from the device: a refused one (anyone may send it) changes nothing.
  const heard = (): ChfState =>
    updateEntry(state, from, (e) => ({ ...e, lastHeardMs: deviceTime(state, now) }));
  if (entry.joined) {
    // A rejoin: only the key established proves it (a key restored as a hash alone cannot be checked [A]).
    if (entry.linkKey === null || !verifyJoinProof(from, fromHex(entry.linkKey), proof))
      return answer(state, from, 'bad-key-confirmation', 'proof does not match the established link key');
    return answer(heard(), from, 'success', 'rejoined with the established link key');
  }
  const accepted = windowKey(state, from, now);
  if (accepted === null) return answer(state, from, 'joining-disabled', 'no join window open');
  if (!verifyJoinProof(from, accepted.key, proof))
    return answer(
      state,
      from,
      'bad-key-confirmation',
      `proof does not match the ${accepted.historic ? 'historic' : 'install-code'} link key`,
    );
  const joined = updateEntry(heard(), from, (e) => ({
    ...e,
    joined: true,
    installCode: null,
    linkKey: toHex(accepted.key),
    linkKeyHash: toHex(linkKeyHash(accepted.key)),
    joinWindow: null,
  }));
  const cs14 = deviceLogChanged(joined, now, env);
  const effects: Effect[] = [
    ...answer(
      cs14.state,
      from,
      'success',
      accepted.historic ? 'historic link key re-used' : 'install-code link key',
    ).effects,
    { kind: 'cancel-timer', name: joinWindowTimerName(from) },
    ...cs14.effects,
  ];
  return { state: cs14.state, effects };
}
