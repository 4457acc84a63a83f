// The CHF's DLMS COSEM objects and the shape of its answers (GBCS 7; Blue Book class 104 "ZigBee network control"
// at 0-0:30.3.0.255, its historic twin 0-0:30.3.1.255, as RTDS 4.5.0 addresses them [O]): reading the
// access-request of an accepted command and building the access-response GBCS expects — no request specification
// echo, one data item and one result per request item, the command's invoke-id (RTDS 8.11 / 8.9 responses) [O].
import { bytesEqual } from '../codec/bytes.js';
import type { AccessRequestSpecification, DlmsData } from '../codec/gbcs/dlms/index.js';

export {
  accessRequestOf,
  accessResponse,
  allResults,
  NULL_DATA,
  RESULT,
  type Answer as ItemAnswer,
} from '../devices/dlms-response.js';

export const DEVICE_LOG_CLASS = 104;
export const DEVICE_LOG_OBIS = Uint8Array.of(0, 0, 30, 3, 0, 255);
export const HISTORIC_LOG_OBIS = Uint8Array.of(0, 0, 30, 3, 1, 255);
/** Data object holding the active firmware version (ECS52: class 1, 0-0:0.2.1.255, attribute 2) [O: RTDS 11.2]. */
export const FIRMWARE_VERSION_OBIS = Uint8Array.of(0, 0, 0, 2, 1, 255);
/** Profile generics of the event and security logs (ECS35c / ECS35d: class 7, attribute 2) [O: RTDS 6.13]. */
export const EVENT_LOG_OBIS = Uint8Array.of(0, 0, 99, 98, 0, 255);
export const SECURITY_LOG_OBIS = Uint8Array.of(0, 0, 99, 98, 1, 255);

/** register_device (1), unregister_device (2), read log (4), restore_device_log (5) [O: RTDS CCS01, CCS02, CCS07, CCS03]. */
export const METHOD = { registerDevice: 1, unregisterDevice: 2, readLog: 4, restoreLog: 5 } as const;
/** Attributes: enable_disable_joining (2), join_timeout (3), active_devices (4) [O: RTDS CCS01, CCS05CCS04]. */
export const ATTRIBUTE = { enableJoining: 2, joinTimeout: 3, activeDevices: 4 } as const;

/** Whether a request item addresses `classId` / `obis`. */
export function addresses(spec: AccessRequestSpecification, classId: number, obis: Uint8Array): boolean {
  return spec.classId === classId && bytesEqual(spec.instanceId, obis);
}

/** The value of a data item when it has the given type, else undefined. */
export function dataOf<T extends DlmsData['type']>(
  d: DlmsData | undefined,
  type: T,
): Extract<DlmsData, { type: T }> | undefined {
  return d !== undefined && d.type === type ? (d as Extract<DlmsData, { type: T }>) : undefined;
}
