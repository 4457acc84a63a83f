// The CHF Device Log use cases as typed builders: CCS01 Add Device (SR 8.11), its response, and the CS14 alert
// the CHF sends when its Device Log changes (GBCS use-case tables; DLMS class 104 "ZigBee network control",
// instance 0-0:30.3.0.255 as RTDS 4.5.0 carries it). Built from values, never from copied bytes.
import { eui64FromBytes, eui64ToBytes, type Eui64 } from '../../eui64.js';
import type { DlmsData } from '../dlms/index.js';
import type { GbcsMessage } from '../frame.js';

/** DLMS instance of the CHF's device log object (class 104). */
const DEVICE_LOG_CLASS = 104;
const DEVICE_LOG_OBIS = Uint8Array.of(0, 0, 30, 3, 0, 255);
export const CCS01 = 0x0001;
export const CS14 = 0x0018;
/** Alert code of CS14: CHF Device Log changed. */
export const ALERT_CHF_DEVICE_LOG_CHANGED = 0x8f12;

/** DLMS invoke-id-and-priority as GBCS sets it: 0x20 ‖ the low 24 bits of the originator counter. */
export function invokeIdFor(counter: bigint): number {
  return 0x20000000 + Number(counter & 0xffffffn);
}

/** A 12-octet DLMS date-time (UTC, day of week and clock status not specified, deviation 0x8000 = not specified). */
export function dlmsDateTime(t: {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}): Uint8Array {
  return Uint8Array.of(
    t.year >> 8,
    t.year & 0xff,
    t.month,
    t.day,
    0xff,
    t.hour ?? 0,
    t.minute ?? 0,
    t.second ?? 0,
    0,
    0x80,
    0x00,
    0xff,
  );
}

export interface AddDeviceCommand {
  acb: Eui64;
  /** The ACB's own counter: the ACB originates commands to the CHF (domain brief §2.2). */
  acbCounter: bigint;
  chf: Eui64;
  /** The User on whose behalf the ACB acts (supplementary remote party) and the User's DUIS counter. */
  user: Eui64;
  userCounter: bigint;
  device: Eui64;
  /** 1 = install-code derived link key, as RTDS uses. */
  keyType?: number;
  /** The 16-octet install code (SR 8.11 InstallCode). */
  installCode: Uint8Array;
  /** ZigBee device type enumeration of the register_device argument, as RTDS carries it (0 for an ESME). */
  zigbeeDeviceType?: number;
  /** DeviceLog(CHF).joiningTimePeriod, seconds (SR 8.11 JoinTimePeriod). */
  joinTimeoutSeconds: number;
}

/** CCS01: register_device, then set join_timeout and enable joining. */
export function addDeviceCommand(c: AddDeviceCommand): GbcsMessage {
  const register: DlmsData = {
    type: 'structure',
    value: [
      { type: 'octet-string', value: eui64ToBytes(c.device) },
      { type: 'enum', value: c.keyType ?? 1 },
      { type: 'octet-string', value: c.installCode },
      { type: 'enum', value: c.zigbeeDeviceType ?? 0 },
    ],
  };
  return {
    macProtected: true,
    header: {
      cra: 1,
      originatorCounter: c.acbCounter,
      originator: c.acb,
      recipient: c.chf,
      dateTime: null,
      messageCode: CCS01,
      supplementaryRemotePartyId: c.user,
      supplementaryRemotePartyCounter: c.userCounter,
    },
    payload: {
      kind: 'dlms',
      dlms: {
        type: 'access-request',
        invokeIdAndPriority: invokeIdFor(c.acbCounter),
        dateTime: null,
        specifications: [
          { type: 'action', classId: DEVICE_LOG_CLASS, instanceId: DEVICE_LOG_OBIS, methodId: 1 },
          { type: 'set', classId: DEVICE_LOG_CLASS, instanceId: DEVICE_LOG_OBIS, attributeId: 3 },
          { type: 'set', classId: DEVICE_LOG_CLASS, instanceId: DEVICE_LOG_OBIS, attributeId: 2 },
        ],
        data: [
          register,
          { type: 'long-unsigned', value: c.joinTimeoutSeconds },
          { type: 'boolean', value: true },
        ],
      },
    },
    signature: { kind: 'empty' },
    mac: null,
  };
}

/** The CHF's response: same counter, originator and recipient swapped, supplementary fields copied; one result per step. */
export function addDeviceResponse(
  command: GbcsMessage,
  results: [number, number, number] = [0, 0, 0],
): GbcsMessage {
  const h = command.header;
  return {
    macProtected: true,
    header: { ...h, cra: 2, originator: h.recipient, recipient: h.originator },
    payload: {
      kind: 'dlms',
      dlms: {
        type: 'access-response',
        invokeIdAndPriority: invokeIdFor(h.originatorCounter),
        dateTime: null,
        specifications: null,
        data: [{ type: 'null-data' }, { type: 'null-data' }, { type: 'null-data' }],
        responseSpecifications: [
          { type: 'action', actionResult: results[0] },
          { type: 'set', dataAccessResult: results[1] },
          { type: 'set', dataAccessResult: results[2] },
        ],
      },
    },
    signature: { kind: 'empty' },
    mac: null,
  };
}

export interface DeviceLogEntry {
  device: Eui64;
  /** Hash of the TC link key; empty until the device has joined (GBCS CCS01). */
  linkKeyHash: Uint8Array;
}

export interface DeviceLogChangedAlert {
  chf: Eui64;
  acb: Eui64;
  /** The CHF's own alert counter. */
  counter: bigint;
  /** When the alert was raised and when the log changed (12-octet DLMS date-times). */
  alertTime: Uint8Array;
  logTime: Uint8Array;
  /** The CHF's extended PAN id. */
  extendedPanId: Uint8Array;
  entries: DeviceLogEntry[];
}

/** CS14 (0x8F12): the CHF reports its Device Log after a change. */
export function deviceLogChangedAlert(a: DeviceLogChangedAlert): GbcsMessage {
  return {
    macProtected: true,
    header: {
      cra: 3,
      originatorCounter: a.counter,
      originator: a.chf,
      recipient: a.acb,
      dateTime: null,
      messageCode: CS14,
    },
    payload: {
      kind: 'dlms',
      dlms: {
        type: 'data-notification',
        invokeIdAndPriority: invokeIdFor(a.counter),
        dateTime: null,
        notificationBody: {
          type: 'structure',
          value: [
            { type: 'long-unsigned', value: ALERT_CHF_DEVICE_LOG_CHANGED },
            { type: 'octet-string', value: a.alertTime },
            {
              type: 'structure',
              value: [
                { type: 'octet-string', value: a.logTime },
                { type: 'octet-string', value: a.extendedPanId },
                {
                  type: 'array',
                  value: a.entries.map((e) => ({
                    type: 'structure' as const,
                    value: [
                      { type: 'octet-string' as const, value: eui64ToBytes(e.device) },
                      { type: 'octet-string' as const, value: e.linkKeyHash },
                    ],
                  })),
                },
              ],
            },
          ],
        },
      },
    },
    signature: { kind: 'empty' },
    mac: null,
  };
}

/** The device a CCS01 (register_device) or CCS02 (unregister_device) command names: its first octet-string of 8 octets. */
export function deviceNamedBy(command: GbcsMessage): Eui64 | undefined {
  const p = command.payload;
  if (p.kind !== 'dlms' || p.dlms.type !== 'access-request') return undefined;
  const first = p.dlms.data[0];
  const octets =
    first?.type === 'structure' ? first.value[0] : first?.type === 'octet-string' ? first : undefined;
  return octets?.type === 'octet-string' && octets.value.length === 8
    ? eui64FromBytes(octets.value)
    : undefined;
}

/** A CS14 Device Log Changed alert (0x8F12) read back: the CHF's extended PAN id and its Device Log. */
export interface ReportedChfDeviceLog {
  readonly extendedPanId: Eui64;
  readonly entries: DeviceLogEntry[];
}

/** The Device Log a CS14 alert reports, or undefined if `alert` is not one. */
export function readDeviceLogChangedAlert(alert: GbcsMessage): ReportedChfDeviceLog | undefined {
  const p = alert.payload;
  if (p.kind !== 'dlms' || p.dlms.type !== 'data-notification') return undefined;
  const body = p.dlms.notificationBody;
  if (body.type !== 'structure') return undefined;
  const [code, , log] = body.value;
  if (code?.type !== 'long-unsigned' || code.value !== ALERT_CHF_DEVICE_LOG_CHANGED) return undefined;
  if (log?.type !== 'structure') return undefined;
  const pan = log.value[1];
  if (pan?.type !== 'octet-string' || pan.value.length !== 8) return undefined;
  const list = log.value[2];
  if (list?.type !== 'array') return undefined;
  const entries: DeviceLogEntry[] = [];
  for (const e of list.value) {
    if (e.type !== 'structure') return undefined;
    const [id, hash] = e.value;
    if (id?.type !== 'octet-string' || id.value.length !== 8 || hash?.type !== 'octet-string')
      return undefined;
    entries.push({ device: eui64FromBytes(id.value), linkKeyHash: hash.value });
  }
  return { extendedPanId: eui64FromBytes(pan.value), entries };
}
