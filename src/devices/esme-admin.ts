// ESME housekeeping use cases: ECS52 read firmware version (SR 11.2), ECS15a clear event log (SR 3.3), ECS70 set
// clock (SR 6.11, and SR 8.1.1 Commission Device, which sends the same command) — objects and response shapes as
// RTDS 4.5.0 carries them [O].
import type { DlmsAccessRequest, DlmsData } from '../codec/gbcs/dlms/index.js';
import { pendingActivationTimer } from './common-commands.js';
import { deviceTime, type CommandHandler } from './device.js';
import {
  accessRequestOf,
  accessResponse,
  addresses,
  CLOCK,
  EVENT_LOG_RESET,
  failed,
  FIRMWARE_IDENTIFIER,
  isSingleAction,
  octetsOf,
  OK,
  refuseAll,
  RESULT,
} from './esme-dlms.js';
import { ESME_CODES, logged, note, type EsmeState } from './esme-state.js';
import { dlmsDateTimeAt, utcMsOfDlmsDateTime } from './outbound.js';
import { pendingCredentialsTimer } from './security-credentials.js';

/** ECS52: the running firmware version as a 4-octet string (RTDS 11.2_ECS52: 0123ABCD) [O]. */
export const readFirmwareVersion: CommandHandler<EsmeState> = (state, command) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  const answers = request.specifications.map((spec) =>
    addresses(spec, 'get', FIRMWARE_IDENTIFIER)
      ? {
          data: { type: 'octet-string', value: versionOctets(state.firmwareVersion) } as DlmsData,
          result: RESULT.success,
        }
      : failed(RESULT.objectUndefined),
  );
  return { state, payload: accessResponse(request, answers) };
};

function versionOctets(version: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, version >>> 0);
  return out;
}

/** ECS15a: reset the event log; the clearing itself goes to the security log (0x8F52 Event Log Cleared) [A: which log]. */
export const clearEventLog: CommandHandler<EsmeState> = (state, command, now) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  if (!isSingleAction(request, EVENT_LOG_RESET))
    return { state, payload: refuseAll(request, RESULT.objectUndefined) };
  const cleared = logged({ ...state, eventLog: [] }, 'securityLog', ESME_CODES.eventLogCleared, now);
  return {
    state: cleared,
    payload: accessResponse(request, [OK]),
    effects: [note(state, 'event log cleared (ECS15a)')],
  };
};

/** The five steps of ECS70 in RTDS order: set time source, preset adjusting time, adjust, read time and status [O]. */
const SET_CLOCK_STEPS = [
  ['set', CLOCK.timeSource],
  ['action', CLOCK.presetAdjustingTime],
  ['action', CLOCK.adjustToPresetTime],
  ['get', CLOCK.time],
  ['get', CLOCK.status],
] as const;

function isSetClock(request: DlmsAccessRequest): boolean {
  return (
    request.specifications.length === SET_CLOCK_STEPS.length &&
    request.data.length === SET_CLOCK_STEPS.length &&
    SET_CLOCK_STEPS.every(([kind, target], i) => addresses(request.specifications[i]!, kind, target))
  );
}

/** A DLMS date-time whose year is not specified (0xFFFF) names no instant. */
function instantOf(d: DlmsData | undefined): number | undefined {
  const b = octetsOf(d);
  if (b === undefined || b.length !== 12 || (b[0] === 0xff && b[1] === 0xff)) return undefined;
  return utcMsOfDlmsDateTime(b);
}

/**
 * ECS70 set clock. preset_adjusting_time carries {preset time, validity start, validity end}; RTDS leaves the preset
 * time unspecified and opens a window around the instant of sending [O]. The ESME sets its clock to the preset time,
 * or to network time (the CHF's, our virtual UTC) when none is given, if network time is within the window; else it
 * logs 0x81C6 Clock not adjusted and answers the adjust step with other-reason [A]. A clock that moved re-arms the
 * timers of a pending CS06 activation and a pending CS02b update, which were set from the old clock.
 */
export const setClock: CommandHandler<EsmeState> = (state, command, now) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  if (!isSetClock(request)) return { state, payload: refuseAll(request, RESULT.objectUndefined) };
  const preset = request.data[1];
  const [presetTime, validFrom, validTo] = preset?.type === 'structure' ? preset.value : [];
  const from = instantOf(validFrom);
  const to = instantOf(validTo);
  const inWindow = (from === undefined || now >= from) && (to === undefined || now <= to);
  let next: EsmeState;
  let adjust = OK;
  if (inWindow) {
    const target = instantOf(presetTime) ?? now;
    next = logged({ ...state, clockOffsetMs: target - now }, 'eventLog', ESME_CODES.clockAdjusted, now);
  } else {
    next = logged(state, 'eventLog', ESME_CODES.clockNotAdjustedOutsideTolerance, now);
    adjust = failed(RESULT.otherReason);
  }
  const time: DlmsData = { type: 'octet-string', value: dlmsDateTimeAt(deviceTime(next, now)) };
  const status: DlmsData = { type: 'unsigned', value: 0 };
  return {
    state: next,
    payload: accessResponse(request, [
      OK,
      OK,
      adjust,
      { data: time, result: RESULT.success },
      { data: status, result: RESULT.success },
    ]),
    effects: [
      note(
        state,
        inWindow ? `clock set, offset ${next.clockOffsetMs} ms` : 'clock not adjusted: outside window',
      ),
      // Timers armed from the old clock offset fall due by the new one.
      ...(next.clockOffsetMs === state.clockOffsetMs
        ? []
        : [...pendingActivationTimer(next), ...pendingCredentialsTimer(next)]),
    ],
  };
};
