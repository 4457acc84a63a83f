// The CHF's Device Log use cases (GBCS CCS01 Add, CCS02 Remove, CCS03 Restore; SR 8.11, 8.12.1): each reads its
// DLMS request, changes the logs, answers in the RTDS response shape and sends CS14 when the Device Log changed.
// A request not of the use case's shape is answered type-unmatched and changes nothing [A].
import { toHex } from '../codec/bytes.js';
import { eui64FromBytes, type Eui64 } from '../codec/eui64.js';
import type { DlmsAccessRequest, DlmsData } from '../codec/gbcs/dlms/index.js';
import { COMMON_CODES, commonCommands } from '../devices/common-commands.js';
import { deviceTime, type CommandHandler, type CommandResult, type CommandTable } from '../devices/device.js';
import type { Effect } from '../devices/types.js';
import { deviceLogChanged } from './chf-alerts.js';
import { addEntry, findEntry, removeEntry, restoreLog, type RestoredEntry } from './chf-device-log.js';
import {
  accessRequestOf,
  addresses,
  allResults,
  ATTRIBUTE,
  dataOf,
  DEVICE_LOG_CLASS,
  DEVICE_LOG_OBIS,
  METHOD,
  RESULT,
} from './chf-dlms.js';
import { joinWindowTimerName, openJoinWindow } from './chf-join.js';
import { readChfObjects } from './chf-reads.js';
import type { ChfState } from './chf-state.js';
import { INSTALL_CODE_LENGTHS } from './joining.js';

/** register_device key_type: 1 = install code, as RTDS and SR 8.11 use [O]; others are refused [A]. */
const KEY_TYPE_INSTALL_CODE = 1;
const LINK_KEY_HASH_LENGTH = 16;

function note(state: ChfState, text: string): Effect {
  return { kind: 'note', text: `CHF ${state.eui} ${text}` };
}

function isItem(request: DlmsAccessRequest, i: number, type: 'action' | 'set', member: number): boolean {
  const s = request.specifications[i];
  if (s === undefined || s.type !== type || !addresses(s, DEVICE_LOG_CLASS, DEVICE_LOG_OBIS)) return false;
  return s.type === 'action' ? s.methodId === member : s.type === 'set' && s.attributeId === member;
}

function euiOf(d: DlmsData | undefined): Eui64 | undefined {
  const s = dataOf(d, 'octet-string');
  return s !== undefined && s.value.length === 8 ? eui64FromBytes(s.value) : undefined;
}

interface AddDevice {
  device: Eui64;
  installCode: Uint8Array;
  deviceType: number;
  joinTimeoutSeconds: number;
  enableJoining: boolean;
}

/** CCS01: register_device {ieee_address, key_type, key, device_type}, join_timeout, enable_disable_joining [O: RTDS]. */
function readAddDevice(request: DlmsAccessRequest): AddDevice | undefined {
  if (
    request.specifications.length !== 3 ||
    !isItem(request, 0, 'action', METHOD.registerDevice) ||
    !isItem(request, 1, 'set', ATTRIBUTE.joinTimeout) ||
    !isItem(request, 2, 'set', ATTRIBUTE.enableJoining)
  )
    return undefined;
  const register = dataOf(request.data[0], 'structure')?.value;
  const timeout = dataOf(request.data[1], 'long-unsigned');
  const enable = dataOf(request.data[2], 'boolean');
  if (register?.length !== 4 || timeout === undefined || enable === undefined) return undefined;
  const device = euiOf(register[0]);
  const keyType = dataOf(register[1], 'enum');
  const key = dataOf(register[2], 'octet-string');
  const deviceType = dataOf(register[3], 'enum');
  if (device === undefined || keyType?.value !== KEY_TYPE_INSTALL_CODE || deviceType === undefined)
    return undefined;
  if (key === undefined || !INSTALL_CODE_LENGTHS.includes(key.value.length)) return undefined;
  return {
    device,
    installCode: key.value,
    deviceType: deviceType.value,
    joinTimeoutSeconds: timeout.value,
    enableJoining: enable.value,
  };
}

/** CCS01 Add Device to CHF Device Log (GBCS CCS01; domain brief §4.1). */
export const addDevice: CommandHandler<ChfState> = (state, command, now, env) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'CCS01 without a DLMS request')] };
  const add = readAddDevice(request);
  if (add === undefined)
    return {
      state,
      payload: allResults(request, RESULT.typeUnmatched),
      effects: [note(state, 'CCS01 not of the register_device shape')],
    };
  const { device } = add;
  const timeoutMs = add.joinTimeoutSeconds * 1000;
  const added = addEntry(state, add);
  if (added.outcome === 'full')
    return {
      state,
      payload: allResults(request, RESULT.otherReason),
      effects: [note(state, `cannot add ${device}: Device Log Full (join failure code 4)`)],
    };
  const ok = allResults(request, RESULT.success);
  if (added.outcome === 'present') {
    const entry = findEntry(state, device)!;
    // GBCS CCS01: the key parameter is discarded and link keys are untouched; a device not yet joined may try again
    // with the install code already held [A].
    const reopen = !entry.joined && entry.installCode !== null && add.enableJoining;
    const opened = reopen ? openJoinWindow(state, device, now, timeoutMs) : { state, effects: [] };
    return {
      state: opened.state,
      payload: ok,
      effects: [note(state, `${device} already in the Device Log: install code ignored`), ...opened.effects],
    };
  }
  const opened = add.enableJoining
    ? openJoinWindow(added.state, device, now, timeoutMs)
    : { state: added.state, effects: [] };
  const cs14 = deviceLogChanged(opened.state, now, env);
  return { state: cs14.state, payload: ok, effects: [...cs14.effects, ...opened.effects] };
};

/**
 * CCS02 Remove Device from CHF Device Log (GBCS CCS02): the link key goes to the historic log first, and the device
 * is told 'not-in-device-log', which makes a joined device leave the SMHAN (src/devices/device.ts handleHanJoining).
 */
export const removeDevice: CommandHandler<ChfState> = (state, command, now, env) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'CCS02 without a DLMS request')] };
  const device =
    request.specifications.length === 1 && isItem(request, 0, 'action', METHOD.unregisterDevice)
      ? euiOf(request.data[0])
      : undefined;
  if (device === undefined)
    return {
      state,
      payload: allResults(request, RESULT.typeUnmatched),
      effects: [note(state, 'CCS02 not of the unregister_device shape')],
    };
  const removal = removeEntry(state, device);
  if (removal.removed === undefined)
    return {
      state,
      payload: allResults(request, RESULT.otherReason),
      effects: [note(state, `cannot remove ${device}: not in the Device Log [A: other-reason]`)],
    };
  const removed: ChfState = {
    ...removal.state,
    mailboxes: removal.state.mailboxes.filter((m) => m.gsme !== device),
    historicLogChangedMs: removal.historicChanged ? deviceTime(state, now) : state.historicLogChangedMs,
  };
  const cs14 = deviceLogChanged(removed, now, env);
  const effects: Effect[] = [
    ...cs14.effects,
    { kind: 'cancel-timer', name: joinWindowTimerName(device) },
    // The removed device is made to leave the SMHAN (a ZigBee leave, modelled as the join refusal it would now get).
    { kind: 'han', to: device, frame: { type: 'join-response', outcome: 'not-in-device-log' } },
    note(
      state,
      `removed ${device}${removal.historicChanged ? '; its link key kept in the historic log' : ''}`,
    ),
  ];
  return { state: cs14.state, payload: allResults(request, RESULT.success), effects };
};

/** CCS03 restore_PAN {extended_PAN_ID, array {ieee_address, hashed_TC_link_key}} [O: RTDS 8.12.1]. */
function readRestore(request: DlmsAccessRequest): { panId: Eui64; entries: RestoredEntry[] } | undefined {
  if (request.specifications.length !== 1 || !isItem(request, 0, 'action', METHOD.restoreLog))
    return undefined;
  const restore = dataOf(request.data[0], 'structure')?.value;
  const panId = euiOf(restore?.[0]);
  const list = dataOf(restore?.[1], 'array')?.value;
  if (restore?.length !== 2 || panId === undefined || list === undefined) return undefined;
  const entries: RestoredEntry[] = [];
  for (const item of list) {
    const pair = dataOf(item, 'structure')?.value;
    const device = euiOf(pair?.[0]);
    const hash = dataOf(pair?.[1], 'octet-string')?.value;
    if (pair?.length !== 2 || device === undefined || hash === undefined) return undefined;
    if (hash.length !== 0 && hash.length !== LINK_KEY_HASH_LENGTH) return undefined;
    if (!entries.some((e) => e.device === device)) entries.push({ device, linkKeyHash: toHex(hash) });
  }
  return { panId, entries };
}

/** CCS03 Restore CHF Device Log (GBCS CCS03, 18.2): the new log, and the network on the restored Extended PAN ID. */
export const restoreDeviceLog: CommandHandler<ChfState> = (
  state,
  command,
  now,
  env,
): CommandResult<ChfState> => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'CCS03 without a DLMS request')] };
  const restore = readRestore(request);
  if (restore === undefined)
    return {
      state,
      payload: allResults(request, RESULT.typeUnmatched),
      effects: [note(state, 'CCS03 not of the restore_PAN shape')],
    };
  if (restore.entries.length > state.deviceLogCapacity)
    return {
      state,
      payload: allResults(request, RESULT.otherReason),
      effects: [
        note(
          state,
          `cannot restore ${restore.entries.length} devices: Device Log Full (join failure code 4)`,
        ),
      ],
    };
  const restored = restoreLog(state, restore.panId, restore.entries);
  const kept = new Set(restored.deviceLog.map((e) => e.device));
  const cancels: Effect[] = state.deviceLog
    .filter((e) => e.joinWindow !== null)
    .map((e) => ({ kind: 'cancel-timer', name: joinWindowTimerName(e.device) }));
  const cs14 = deviceLogChanged(
    { ...restored, mailboxes: restored.mailboxes.filter((m) => kept.has(m.gsme)) },
    now,
    env,
  );
  return {
    state: cs14.state,
    payload: allResults(request, RESULT.success),
    effects: [
      ...cs14.effects,
      ...cancels,
      note(state, `restored ${restore.entries.length} devices on Extended PAN ID ${restore.panId}`),
    ],
  };
};

/** Message codes of the use cases only a CHF serves (GBCS use-case tables; domain brief §2.5). */
export const CHF_USE_CASE_CODES = {
  CCS01: 0x0001,
  CCS02: 0x0002,
  CCS03: 0x0003,
  CCS05CCS04: 0x0004,
  ECS35c: 0x0093,
  ECS35d: 0x0094,
  CCS07: 0x00fe,
  CCS06: 0x010f,
} as const;
/** ECS52 Read ESME/Comms Hub Firmware Version: served by the CHF and by the ESME. */
export const ECS52 = 0x0059;

export const CHF_ONLY_USE_CASES: ReadonlySet<number> = new Set(Object.values(CHF_USE_CASE_CODES));

/** The CHF's command table for receiveCommand (src/devices/device.ts). */
export const CHF_COMMANDS: CommandTable<ChfState> = new Map<number, CommandHandler<ChfState>>([
  [CHF_USE_CASE_CODES.CCS01, addDevice],
  [CHF_USE_CASE_CODES.CCS02, removeDevice],
  [CHF_USE_CASE_CODES.CCS03, restoreDeviceLog],
  [CHF_USE_CASE_CODES.CCS05CCS04, readChfObjects],
  [CHF_USE_CASE_CODES.CCS06, readChfObjects],
  [CHF_USE_CASE_CODES.CCS07, readChfObjects],
  [CHF_USE_CASE_CODES.ECS35c, readChfObjects],
  [CHF_USE_CASE_CODES.ECS35d, readChfObjects],
  [ECS52, readChfObjects],
  // GBCS 11.3: CS06 activates the CH's own image (CS05a, held by chf-ota.ts) as on any device (common-commands.ts).
  [COMMON_CODES.CS06, commonCommands<ChfState>().get(COMMON_CODES.CS06)!],
]);
