// Types the GBCS ASN.1 payloads share (GBCS section 13): roles, counters, alert codes, HAN device log entries.
import { UNIVERSAL } from './der.js';
import {
  derEncoded,
  entityId,
  integer,
  namedBits,
  optional,
  sequence,
  smallInteger,
  type ValueOf,
} from './coder.js';
import { KEY_USAGE_BITS } from './enums.js';

/** An INTEGER naming a code, role or type (DeviceType, RemotePartyRole, response codes …). */
export const code = smallInteger(0, 255);

/** AlertCode: the 16-bit GBCS alert code (e.g. 0x8F66), written as a DER INTEGER (`02 03 00 8F 66`). */
export const alertCode = smallInteger(0, 0xffff);

/** SeqNumber: a 64-bit originator counter (GBCS 4.3.1.6). */
export const seqNumber = integer(0n, 2n ** 64n - 1n);

/** X.509 KeyUsage as the list of set bit names. */
export const keyUsage = namedBits(KEY_USAGE_BITS);

/** An X.509 certificate, kept as its DER bytes. */
export const certificate = derEncoded(
  { cls: 'universal', tag: UNIVERSAL.SEQUENCE, constructed: true },
  'Certificate',
);

/** TrustAnchorCellIdentifier: which of a device's trust anchor cells (role, key usage, cell usage). */
export const trustAnchorCellIdentifier = sequence({
  remotePartyRole: code,
  keyUsage,
  /** CellUsage DEFAULT management: absent on the wire means management. */
  cellUsage: optional(code),
});
export type TrustAnchorCellIdentifier = ValueOf<typeof trustAnchorCellIdentifier>;

/** DeviceLogEntry (CS07, GCS59, GCS62): a HAN device and its type. */
export const deviceLogEntry = sequence({
  deviceId: entityId,
  deviceType: code,
});
export type DeviceLogEntry = ValueOf<typeof deviceLogEntry>;
