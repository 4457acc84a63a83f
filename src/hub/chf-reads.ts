// The CHF's read use cases, answered item by item as a DLMS server (GBCS 7): CCS07 Read CHF Device Logs (both
// logs), CCS05CCS04 / CCS06 Read CHF Device Log (active devices), ECS52 Read Comms Hub Firmware Version, ECS35c /
// ECS35d Read CHF Event / Security Log. Shapes as RTDS 4.5.0 shows them [O], except CCS06's: RTDS has no CCS06
// message, so its response, answered by the same item readers as CCS05CCS04, is [A]. An item the CHF does not
// hold is answered object-undefined.
import { eui64ToBytes } from '../codec/eui64.js';
import type { AccessRequestSpecification, DlmsData, DlmsTypeDescription } from '../codec/gbcs/dlms/index.js';
import type { CommandHandler, LogEntry } from '../devices/device.js';
import { zigbeeUtcTime } from '../devices/outbound.js';
import { dlmsDateTimeOrUnspecified } from './chf-alerts.js';
import { deviceLogReport, historicLogReport } from './chf-device-log.js';
import {
  accessRequestOf,
  accessResponse,
  addresses,
  ATTRIBUTE,
  dataOf,
  DEVICE_LOG_CLASS,
  DEVICE_LOG_OBIS,
  EVENT_LOG_OBIS,
  FIRMWARE_VERSION_OBIS,
  HISTORIC_LOG_OBIS,
  METHOD,
  NULL_DATA,
  RESULT,
  SECURITY_LOG_OBIS,
  type ItemAnswer,
} from './chf-dlms.js';
import type { ChfDeviceLogEntry, ChfState } from './chf-state.js';
import type { DeviceLogEntry } from '../codec/gbcs/use-cases/chf-device-log.js';

const DATA_CLASS = 1;
const PROFILE_GENERIC_CLASS = 7;

function octets(value: Uint8Array): DlmsData {
  return { type: 'octet-string', value };
}

/** {time of last change, Extended PAN ID, array {ieee_address, hashed_TC_link_key}} [O: RTDS CCS07, CS14]. */
function logStructure(state: ChfState, changedMs: number | null, entries: DeviceLogEntry[]): DlmsData {
  return {
    type: 'structure',
    value: [
      octets(dlmsDateTimeOrUnspecified(changedMs)),
      octets(eui64ToBytes(state.extendedPanId)),
      {
        type: 'array',
        value: entries.map((e) => ({
          type: 'structure',
          value: [octets(eui64ToBytes(e.device)), octets(e.linkKeyHash)],
        })),
      },
    ],
  };
}

/**
 * One active_devices element (class 104 attribute 4), fourteen fields as RTDS CCS05CCS04 carries them [O]: address,
 * status, RSSI max/average/min, LQI max/average/min, last communication, hops, failures, successes, application
 * and stack versions. The twin has no radio: link figures are fixed placeholders [A].
 */
function activeDevice(e: ChfDeviceLogEntry): DlmsData {
  const int = (value: number): DlmsData => ({ type: 'integer', value });
  const u8 = (value: number): DlmsData => ({ type: 'unsigned', value });
  return {
    type: 'structure',
    value: [
      octets(eui64ToBytes(e.device)),
      { type: 'bit-string', bitLength: 8, value: Uint8Array.of(e.joined ? 0xc0 : 0x00) },
      int(-40),
      int(-55),
      int(-70),
      u8(255),
      u8(200),
      u8(150),
      octets(dlmsDateTimeOrUnspecified(e.lastHeardMs)),
      u8(1),
      u8(0),
      u8(0),
      u8(1),
      u8(2),
    ],
  };
}

const EVENT_ROW: DlmsTypeDescription = {
  type: 'structure',
  value: [{ type: 'double-long-unsigned' }, { type: 'long-unsigned' }, { type: 'octet-string' }],
};
const SECURITY_ROW: DlmsTypeDescription = {
  type: 'structure',
  value: [{ type: 'double-long-unsigned' }, { type: 'long-unsigned' }],
};

/** Entries within the selective-access range {restricting object, from, to, columns} (ZigBee UTC seconds) [O]. */
function inRange(spec: AccessRequestSpecification, log: readonly LogEntry[]): LogEntry[] {
  if (spec.type !== 'get-with-selection') return [...log];
  const params = dataOf(spec.accessSelection.accessParameters, 'structure')?.value;
  const from = dataOf(params?.[1], 'double-long-unsigned')?.value ?? 0;
  const to = dataOf(params?.[2], 'double-long-unsigned')?.value ?? 0xffffffff;
  return log.filter((e) => {
    const t = zigbeeUtcTime(e.atMs);
    return t >= from && t <= to;
  });
}

/** ECS35c: {time, event code, message code (empty: not recorded)}; ECS35d: {time, event code} [O: RTDS 6.13]. */
function logRows(spec: AccessRequestSpecification, log: readonly LogEntry[], security: boolean): DlmsData {
  return {
    type: 'compact-array',
    contentsDescription: security ? SECURITY_ROW : EVENT_ROW,
    value: inRange(spec, log).map((e) => ({
      type: 'structure',
      value: [
        { type: 'double-long-unsigned', value: zigbeeUtcTime(e.atMs) },
        { type: 'long-unsigned', value: e.code },
        ...(security ? [] : [octets(new Uint8Array(0))]),
      ],
    })),
  };
}

function answerItem(state: ChfState, spec: AccessRequestSpecification): ItemAnswer {
  const ok = (data: DlmsData): ItemAnswer => ({ data, result: RESULT.success });
  if (spec.type === 'action' && spec.methodId === METHOD.readLog) {
    if (addresses(spec, DEVICE_LOG_CLASS, DEVICE_LOG_OBIS))
      return ok(logStructure(state, state.deviceLogChangedMs, deviceLogReport(state)));
    if (addresses(spec, DEVICE_LOG_CLASS, HISTORIC_LOG_OBIS))
      return ok(logStructure(state, state.historicLogChangedMs, historicLogReport(state)));
  }
  if (spec.type === 'get') {
    if (spec.attributeId === ATTRIBUTE.activeDevices && addresses(spec, DEVICE_LOG_CLASS, DEVICE_LOG_OBIS))
      return ok({ type: 'array', value: state.deviceLog.map(activeDevice) });
    if (spec.attributeId === 2 && addresses(spec, DATA_CLASS, FIRMWARE_VERSION_OBIS)) {
      const v = state.firmwareVersion >>> 0;
      return ok(octets(Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)));
    }
  }
  if ((spec.type === 'get' || spec.type === 'get-with-selection') && spec.attributeId === 2) {
    if (addresses(spec, PROFILE_GENERIC_CLASS, EVENT_LOG_OBIS))
      return ok(logRows(spec, state.eventLog, false));
    if (addresses(spec, PROFILE_GENERIC_CLASS, SECURITY_LOG_OBIS))
      return ok(logRows(spec, state.securityLog, true));
  }
  return { data: NULL_DATA, result: RESULT.objectUndefined };
}

/** Answers every item of a read; reads change nothing. */
export const readChfObjects: CommandHandler<ChfState> = (state, command) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return {
      state,
      payload: null,
      effects: [{ kind: 'note', text: `CHF ${state.eui} read without a DLMS request` }],
    };
  return {
    state,
    payload: accessResponse(
      request,
      request.specifications.map((s) => answerItem(state, s)),
    ),
  };
};
