// HAN pairing between devices (GBCS 13.7): CS03 joins, CS04 unjoins, CS07 read of the device's join details,
// and GCS62, the GPF's backup of its Device Log to the DCC.
import {
  entityId,
  generalizedTime,
  named,
  nullPayload,
  optional,
  sequence,
  sequenceOf,
  type ValueOf,
} from './coder.js';
import { alertCode, certificate, code, deviceLogEntry } from './common.js';

/** CS03A1 (0x000D), CS03A2 (0x00AB), CS03B (0x000E), CS03C (0x00AF). */
export const joinDeviceCommand = sequence({
  joinMethodAndRole: code,
  otherDeviceEntityId: entityId,
  otherDeviceType: code,
  /** The other device's certificate where the method needs it (Method C; Method A between GSME and PPMID). */
  otherDeviceCertificate: optional(certificate),
});

export const joinDeviceResponse = named('responseCode', code);

/** CS04AC (0x000F), CS04B (0x0010): the payload is the bare Entity Identifier. */
export const unjoinDeviceCommand = named('otherDeviceEntityId', entityId);
export const unjoinDeviceResponse = named('responseCode', code);

/** CS07 (0x0013). */
export const readDeviceJoinDetailsCommand = nullPayload;

export const readDeviceJoinDetailsResponse = sequence({
  responseCode: code,
  deviceLogEntries: optional(sequenceOf(deviceLogEntry)),
});

/** GCS62 (0x00B2), alert code 0x8071. */
export const gpfDeviceLogBackupAlert = sequence({
  alertCode,
  backupDateTime: generalizedTime,
  deviceLogEntries: sequenceOf(deviceLogEntry),
});

export type JoinDeviceCommand = ValueOf<typeof joinDeviceCommand>;
export type ReadDeviceJoinDetailsResponse = ValueOf<typeof readDeviceJoinDetailsResponse>;
export type GpfDeviceLogBackupAlert = ValueOf<typeof gpfDeviceLogBackupAlert>;
