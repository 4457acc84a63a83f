// The CHF Device Log and Historic Device Log as pure operations (GBCS CCS01, CCS02, CCS03; domain brief §4.1):
// add (already present → unchanged; full → refused as Device Log Full, join failure code 4), remove (the
// established link key goes to the historic log unless the device is an HHT), restore (CH replacement).
import { fromHex, toHex } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import type { DeviceLogEntry } from '../codec/gbcs/use-cases/chf-device-log.js';
import { linkKeyHash } from './joining.js';
import {
  HISTORIC_LOG_CAPACITY,
  type ChfDeviceLogEntry,
  type ChfHistoricEntry,
  type ChfState,
  type JoinWindow,
} from './chf-state.js';

export function findEntry(state: ChfState, device: Eui64): ChfDeviceLogEntry | undefined {
  return state.deviceLog.find((e) => e.device === device);
}

export function findHistoric(state: ChfState, device: Eui64): ChfHistoricEntry | undefined {
  return state.historicLog.find((e) => e.device === device);
}

/** Replaces the entry of `device` (which must be present) by `update(entry)`. */
export function updateEntry(
  state: ChfState,
  device: Eui64,
  update: (e: ChfDeviceLogEntry) => ChfDeviceLogEntry,
): ChfState {
  return { ...state, deviceLog: state.deviceLog.map((e) => (e.device === device ? update(e) : e)) };
}

export interface NewEntry {
  readonly device: Eui64;
  readonly deviceType: number;
  readonly installCode: Uint8Array;
  readonly hht?: boolean;
}

export type AddOutcome = 'added' | 'present' | 'full';

/** Adds a device not yet joined; an entry already present is left as it is (GBCS CCS01: key parameter discarded). */
export function addEntry(state: ChfState, add: NewEntry): { state: ChfState; outcome: AddOutcome } {
  if (findEntry(state, add.device) !== undefined) return { state, outcome: 'present' };
  if (state.deviceLog.length >= state.deviceLogCapacity) return { state, outcome: 'full' };
  const entry: ChfDeviceLogEntry = {
    device: add.device,
    deviceType: add.deviceType,
    installCode: toHex(add.installCode),
    linkKey: null,
    linkKeyHash: '',
    joined: false,
    ...(add.hht === true && { hht: true as const }),
    joinWindow: null,
    lastHeardMs: null,
  };
  return { state: { ...state, deviceLog: [...state.deviceLog, entry] }, outcome: 'added' };
}

/**
 * The join window CCS01 opens at `now` for `timeoutMs`: a device in the historic log may use its old link key for
 * the first half, then the install code for the rest (GBCS CCS01, current text) [C].
 */
export function joinWindowFor(state: ChfState, device: Eui64, now: number, timeoutMs: number): JoinWindow {
  const historic = findHistoric(state, device) !== undefined;
  return { untilMs: now + timeoutMs, historicUntilMs: historic ? now + Math.floor(timeoutMs / 2) : null };
}

/**
 * Removes `device`; an established link key goes to the historic log first (updating a record already there, else
 * overwriting the oldest when 15 are held), except for an HHT (GBCS CCS02). `historicChanged` says whether it moved.
 */
export function removeEntry(
  state: ChfState,
  device: Eui64,
): { state: ChfState; removed: ChfDeviceLogEntry | undefined; historicChanged: boolean } {
  const removed = findEntry(state, device);
  if (removed === undefined) return { state, removed, historicChanged: false };
  const deviceLog = state.deviceLog.filter((e) => e.device !== device);
  if (removed.linkKey === null || removed.hht === true)
    return { state: { ...state, deviceLog }, removed, historicChanged: false };
  // The hash CCS07 reports is computed once, here, and kept with the key.
  const record: ChfHistoricEntry = {
    device,
    linkKey: removed.linkKey,
    linkKeyHash: toHex(linkKeyHash(fromHex(removed.linkKey))),
  };
  const others = state.historicLog.filter((e) => e.device !== device);
  const historicLog = [...others.slice(Math.max(0, others.length - HISTORIC_LOG_CAPACITY + 1)), record];
  return { state: { ...state, deviceLog, historicLog }, removed, historicChanged: true };
}

export interface RestoredEntry {
  readonly device: Eui64;
  /** Hash of the TC link key, hex; '' for a device that had not joined. */
  readonly linkKeyHash: string;
}

/**
 * Replaces the Device Log by a backup (GBCS CCS03, CH replacement). The backup carries only hashes: a device whose
 * key hash is restored counts as joined (it believes it is), and its key is not held [A: GBCS re-establishes keys by
 * CBKE, not modelled]; a device without one must be removed and added again to join. Device types are kept from a
 * matching present entry, else unknown.
 */
export function restoreLog(
  state: ChfState,
  extendedPanId: Eui64,
  entries: readonly RestoredEntry[],
): ChfState {
  const deviceLog = entries.map((r): ChfDeviceLogEntry => {
    const before = findEntry(state, r.device);
    return {
      device: r.device,
      deviceType: before?.deviceType ?? null,
      installCode: null,
      linkKey: before !== undefined && before.linkKeyHash === r.linkKeyHash ? before.linkKey : null,
      linkKeyHash: r.linkKeyHash,
      joined: r.linkKeyHash !== '',
      ...(before?.hht === true && { hht: true as const }),
      joinWindow: null,
      lastHeardMs: before?.lastHeardMs ?? null,
    };
  });
  return { ...state, extendedPanId, deviceLog };
}

/** The Device Log as CS14 and CCS07 carry it: device and hashed link key (empty until established). */
export function deviceLogReport(state: ChfState): DeviceLogEntry[] {
  return state.deviceLog.map((e) => ({ device: e.device, linkKeyHash: fromHex(e.linkKeyHash) }));
}

/** The Historic Device Log as CCS07 carries it. */
export function historicLogReport(state: ChfState): DeviceLogEntry[] {
  return state.historicLog.map((e) => ({ device: e.device, linkKeyHash: fromHex(e.linkKeyHash) }));
}
