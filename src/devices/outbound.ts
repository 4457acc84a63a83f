// Responses and alerts as a device builds and protects them (GBCS 4.3; domain brief §2.2): a response carries its
// command's counter with originator and recipient swapped and the supplementary fields copied; a response to a
// critical command, and a critical alert, is signed by the device and travels without a MAC header (as RTDS
// 4.5.0 shows); everything else is MACed with the device's and the recipient's KA keys.
import type { Eui64 } from '../codec/eui64.js';
import { encodeGbcs, type GbcsMessage, type GroupingHeader } from '../codec/gbcs/frame.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import { sealGbcs, signGbcs } from '../crypto/message-protection.js';
import { MissingKeyError } from '../crypto/errors.js';
import type { ActorEnv, DeviceKind } from './types.js';

/** Message codes of the generic alerts (GBCS 4.3.1.10). */
export const GENERIC_CRITICAL_ALERT = 0x1000;
export const GENERIC_NON_CRITICAL_ALERT = 0x1001;

/** Milliseconds from the Unix epoch to 2000-01-01T00:00:00Z, the ZigBee UTCTime epoch. */
const ZIGBEE_EPOCH_MS = 946_684_800_000;

/** The payload family a device speaks: DLMS COSEM for the ESME and the CHF, ZigBee GBZ for the rest (GBCS 7). */
export function payloadFamilyOf(kind: DeviceKind): 'dlms' | 'gbz' {
  return kind === 'ESME' || kind === 'CHF' ? 'dlms' : 'gbz';
}

/** A 12-octet DLMS date-time for a UTC instant (deviation 0x8000 not specified, clock status 0xFF as RTDS). */
export function dlmsDateTimeAt(utcMs: number): Uint8Array {
  const d = new Date(utcMs);
  const year = d.getUTCFullYear();
  return Uint8Array.of(
    year >> 8,
    year & 0xff,
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    0xff,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    0,
    0x80,
    0x00,
    0xff,
  );
}

/** Reads a DLMS date-time back to UTC ms; unspecified fields (0xFF) read as zero. */
export function utcMsOfDlmsDateTime(b: Uint8Array): number {
  const year = (b[0]! << 8) | b[1]!;
  const field = (v: number, fallback: number): number => (v === 0xff ? fallback : v);
  return Date.UTC(
    year,
    field(b[2]!, 1) - 1,
    field(b[3]!, 1),
    field(b[5]!, 0),
    field(b[6]!, 0),
    field(b[7]!, 0),
  );
}

/** ZigBee UTCTime: seconds since 2000-01-01T00:00:00Z. */
export function zigbeeUtcTime(utcMs: number): number {
  return Math.max(0, Math.floor((utcMs - ZIGBEE_EPOCH_MS) / 1000));
}

export function utcMsOfZigbeeTime(seconds: number): number {
  return ZIGBEE_EPOCH_MS + seconds * 1000;
}

/** The grouping header of the response to `command`: same counter, parties swapped, supplementary fields kept. */
export function responseHeader(command: GroupingHeader): GroupingHeader {
  return { ...command, cra: 2, originator: command.recipient, recipient: command.originator, dateTime: null };
}

/** Whether a command was critical as received: its originator signed it. */
export function wasSigned(command: GbcsMessage): boolean {
  return command.signature.kind === 'present';
}

/**
 * Protects and encodes a device's own message: signed by `signer` (no MAC header) when `critical`, else MACed.
 * Throws MissingKeyError when the key store lacks the device's keys: a premise without keys cannot speak.
 */
export function sealDeviceMessage(
  message: GbcsMessage,
  critical: boolean,
  signer: Eui64,
  env: ActorEnv,
): Uint8Array {
  if (critical) {
    const key = env.protection.keys.privateKey({ eui: signer, usage: 'DS' });
    if (key === undefined) throw new MissingKeyError(`DS private key of ${signer}`);
    return encodeGbcs({ ...signGbcs(message, key), macProtected: false, mac: null });
  }
  return sealGbcs({ ...message, signature: { kind: 'empty' } }, env.protection);
}

/** The device's response to `command`, protected as GBCS requires: signed if the command was critical, else MACed. */
export function sealResponse(
  command: GbcsMessage,
  payload: GbcsPayload,
  env: ActorEnv,
  dateTime: Uint8Array | null = null,
): Uint8Array {
  const header = { ...responseHeader(command.header), dateTime };
  const message: GbcsMessage = {
    macProtected: true,
    header,
    payload,
    signature: { kind: 'empty' },
    mac: null,
  };
  return sealDeviceMessage(message, wasSigned(command), header.originator, env);
}

/** An alert (CRA 3) as its device builds it, before sealing. */
export interface AlertMessageSpec {
  readonly from: Eui64;
  readonly to: Eui64;
  /** The device's alert counter for this alert. */
  readonly counter: bigint;
  readonly messageCode: number;
  readonly payload: GbcsPayload;
  /** Critical alerts are signed and travel without a MAC header; the others are MACed. */
  readonly critical: boolean;
}

export function alertMessage(a: AlertMessageSpec): GbcsMessage {
  return {
    macProtected: !a.critical,
    header: {
      cra: 3,
      originatorCounter: a.counter,
      originator: a.from,
      recipient: a.to,
      dateTime: null,
      messageCode: a.messageCode,
    },
    payload: a.payload,
    signature: { kind: 'empty' },
    mac: null,
  };
}

export interface AlertSpec {
  readonly from: Eui64;
  readonly kind: DeviceKind;
  readonly to: Eui64;
  /** The device's next alert counter; the caller advances its own. */
  readonly counter: bigint;
  readonly alertCode: number;
  readonly critical: boolean;
  /** Device clock, UTC ms. */
  readonly atMs: number;
}

/**
 * A generic alert (0x1000 critical / 0x1001 non-critical): a DLMS data-notification {alert code, date-time} from
 * an ESME or CHF, a GBZ alert with no components from the others (RTDS GCA-ZigBee, GNCA-ZigBee) [O].
 */
export function genericAlert(a: AlertSpec): GbcsMessage {
  const payload: GbcsPayload =
    payloadFamilyOf(a.kind) === 'dlms'
      ? {
          kind: 'dlms',
          dlms: {
            type: 'data-notification',
            invokeIdAndPriority: 0x20000000 + Number(a.counter & 0xffffffn),
            dateTime: null,
            notificationBody: {
              type: 'structure',
              value: [
                { type: 'long-unsigned', value: a.alertCode },
                { type: 'octet-string', value: dlmsDateTimeAt(a.atMs) },
              ],
            },
          },
        }
      : {
          kind: 'gbz',
          gbz: {
            kind: 'alert',
            alertCode: a.alertCode,
            timestamp: zigbeeUtcTime(a.atMs),
            body: { kind: 'components', components: [] },
          },
        };
  return alertMessage({
    from: a.from,
    to: a.to,
    counter: a.counter,
    messageCode: a.critical ? GENERIC_CRITICAL_ALERT : GENERIC_NON_CRITICAL_ALERT,
    payload,
    critical: a.critical,
  });
}

export function sealAlert(message: GbcsMessage, critical: boolean, env: ActorEnv): Uint8Array {
  return sealDeviceMessage(message, critical, message.header.originator, env);
}
