// What a device does with a firmware image it holds whole (SR 11.1, GBCS 11; SECMP0007 for the HCALCS): the Firmware
// Distribution Receipt Alert, raised by the device itself once the image has arrived — 0x00CE from an ESME (DLMS
// data-notification {0x8F72, date-time, hash}: RTDS NA_FDRA-DLMS) and 0x00CF from a GSME (GBZ alert 0x8F72 with the
// calculated manufacturer image hash: RTDS NA_FDRA-ZigBee) [O]; an HCALCS, a ZigBee device, raises the GBZ form
// 0x00CF too [A: GBCS names 0x00CF "GSME"; the RTDS folder calls it FDRA-ZigBee]. And the hash CS06 checks.
import { manufacturerImageHash } from '../firmware/images.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import {
  alertRecipient,
  deviceTime,
  raiseUseCaseAlert,
  toHub,
  type DeviceCore,
  type HeldImage,
} from './device.js';
import { dlmsDateTimeAt, payloadFamilyOf, zigbeeUtcTime } from './outbound.js';
import type { ActorEnv, Step } from './types.js';

/** Firmware Distribution Receipt Alert message codes (domain brief Appendix B) [O]. */
export const FIRMWARE_RECEIPT_ALERT_DLMS = 0x00ce;
export const FIRMWARE_RECEIPT_ALERT_GBZ = 0x00cf;
/** Alert codes: firmware verification successful / failed (domain brief §2.7; GBZ alert layouts) [O]. */
export const ALERT_FIRMWARE_VERIFIED = 0x8f72;
export const ALERT_FIRMWARE_VERIFICATION_FAILED = 0x8f1c;

/**
 * The hash of a held image as the device calculates it: SHA-256 of the Manufacturer Image (firmware/images.ts, the
 * colleague's [A] kept: 11.1 images carry the manufacturer signature trailer, which is left out). Undefined when the
 * image's bytes are not in the env's store (e.g. after a restart: the store is not persisted).
 */
export function heldImageHash(held: HeldImage, env: ActorEnv): Uint8Array | undefined {
  const bytes = env.firmware?.images.get(held.image);
  return bytes === undefined ? undefined : manufacturerImageHash(bytes, true);
}

/**
 * GBCS 11.1: the receipt alert for the image now held, to the device's alert recipient (the supplier for meters, as
 * RTDS shows). Critical (SME.A.C): signed. An image whose bytes are gone cannot be verified: 0x8F1C with a zero hash
 * [A].
 */
export function firmwareReceiptAlert<S extends DeviceCore>(
  state: S,
  held: HeldImage,
  now: number,
  env: ActorEnv,
): Step<S> {
  const hash = heldImageHash(held, env);
  const alertCode = hash === undefined ? ALERT_FIRMWARE_VERIFICATION_FAILED : ALERT_FIRMWARE_VERIFIED;
  const atMs = deviceTime(state, now);
  const hashOctets = hash ?? new Uint8Array(32);
  const dlms = payloadFamilyOf(state.kind) === 'dlms';
  const payload: GbcsPayload = dlms
    ? {
        kind: 'dlms',
        dlms: {
          type: 'data-notification',
          invokeIdAndPriority: 0x20000000 + Number(state.alertCounter & 0xffffffn),
          dateTime: null,
          notificationBody: {
            type: 'structure',
            value: [
              { type: 'long-unsigned', value: alertCode },
              { type: 'octet-string', value: dlmsDateTimeAt(atMs) },
              { type: 'octet-string', value: hashOctets },
            ],
          },
        },
      }
    : {
        kind: 'gbz',
        gbz: {
          kind: 'alert',
          alertCode,
          timestamp: zigbeeUtcTime(atMs),
          body: { kind: 'firmware-hash', hash: hashOctets },
        },
      };
  const alert = raiseUseCaseAlert(
    state,
    {
      to: alertRecipient(state),
      messageCode: dlms ? FIRMWARE_RECEIPT_ALERT_DLMS : FIRMWARE_RECEIPT_ALERT_GBZ,
      payload,
      critical: true,
    },
    env,
  );
  return {
    state: alert.state,
    effects: [
      toHub(alert.state, alert.bytes),
      {
        kind: 'note',
        text: `${state.kind} ${state.eui}: firmware ${held.fileVersion.toString(16)} received (0x${alertCode.toString(16).toUpperCase()})`,
      },
    ],
  };
}
