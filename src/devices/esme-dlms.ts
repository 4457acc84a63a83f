// The DLMS COSEM side of the ESME's commands (GBCS 7/8): the objects each use case addresses, reading an
// access-request, and answering it with an access-response in the shape RTDS 4.5.0 shows: no echo of the request
// specification, one Data and one result per request specification, the invoke-id copied [O].
import type { AccessRequestSpecification, DlmsAccessRequest, DlmsData } from '../codec/gbcs/dlms/index.js';
import { NULL_DATA, RESULT, type Answer } from './dlms-response.js';

export {
  accessRequestOf,
  accessResponse,
  allResults as refuseAll,
  NULL_DATA,
  RESULT,
  type Answer,
} from './dlms-response.js';

/** A COSEM attribute or method: interface class, OBIS instance (6 octets) and attribute or method index. */
export interface CosemTarget {
  readonly classId: number;
  readonly obis: readonly number[];
  readonly index: number;
}

// ---- The objects, by use case. [O]: seen in that use case's RTDS 4.5.0 command; [A]: no RTDS folder, assumed. ----

/** Disconnect Script Table (class 9), execute (method 1): ECS42/ECS44 [O]. */
export const DISCONNECT_SCRIPTS: CosemTarget = { classId: 9, obis: [0, 0, 10, 0, 106, 255], index: 1 };
/** Script identifiers: 51 enable supply (ECS42) and 54 arm (ECS44) [O]; 52 disable (ECS43) [A: no RTDS folder]. */
export const SCRIPT = { enable: 51, disable: 52, arm: 54 } as const;
/** Disconnect Control (class 70) control_state (attribute 3): ECS45 [A: Blue Book object; no RTDS folder]. */
export const DISCONNECT_CONTROL_STATE: CosemTarget = { classId: 70, obis: [0, 0, 96, 3, 10, 255], index: 3 };
/** Blue Book control_state: 0 disconnected, 1 connected, 2 ready for reconnection (armed) [A]. */
export const CONTROL_STATE = { disabled: 0, enabled: 1, armed: 2 } as const;

/** Data Protection (class 30) get_protected_attributes (method 1): ECS17b [O]. */
export const DATA_PROTECTION: CosemTarget = { classId: 30, obis: [0, 0, 43, 2, 8, 255], index: 1 };
/** The Data Protection objects of the TOU register reads: ECS17d (RTDS 4.1.2_ECS17d), ECS17e (4.1.3_ECS17e) [O]. */
export const DATA_PROTECTION_TOU: CosemTarget = { classId: 30, obis: [0, 0, 43, 2, 9, 255], index: 1 };
export const DATA_PROTECTION_TOU_BLOCKS: CosemTarget = {
  classId: 30,
  obis: [0, 0, 43, 2, 10, 255],
  index: 1,
};
/** Active firmware identifier (class 1, attribute 2): ECS52 [O]. */
export const FIRMWARE_IDENTIFIER: CosemTarget = { classId: 1, obis: [0, 0, 0, 2, 1, 255], index: 2 };
/** Event Log (profile generic, class 7) reset (method 1): ECS15a [O]. */
export const EVENT_LOG_RESET: CosemTarget = { classId: 7, obis: [0, 0, 99, 98, 0, 255], index: 1 };

/** The Clock (class 8) as ECS70 addresses it [O]. */
const CLOCK_OBIS = [0, 0, 1, 0, 0, 255];
export const CLOCK = {
  timeSource: { classId: 8, obis: CLOCK_OBIS, index: 9 },
  presetAdjustingTime: { classId: 8, obis: CLOCK_OBIS, index: 5 },
  adjustToPresetTime: { classId: 8, obis: CLOCK_OBIS, index: 4 },
  time: { classId: 8, obis: CLOCK_OBIS, index: 2 },
  status: { classId: 8, obis: CLOCK_OBIS, index: 4 },
} as const satisfies Record<string, CosemTarget>;

/** Token Gateway (class 115) enter (method 1), the UTRN as a 20-octet string: CS01a [O]. */
export const TOKEN_GATEWAY: CosemTarget = { classId: 115, obis: [0, 0, 19, 40, 0, 255], index: 1 };
/** Emergency credit (class 112) invoke_credit (method 3): ECS09 [O]. */
export const EMERGENCY_CREDIT_INVOKE: CosemTarget = { classId: 112, obis: [0, 0, 19, 10, 1, 255], index: 3 };

// ---- Reading a request ----

function sameObis(instanceId: Uint8Array, obis: readonly number[]): boolean {
  return instanceId.length === obis.length && obis.every((b, i) => instanceId[i] === b);
}

/** Whether `spec` addresses `target`: a get or set of its attribute, or an action on its method. */
export function addresses(
  spec: AccessRequestSpecification,
  kind: 'get' | 'set' | 'action',
  target: CosemTarget,
): boolean {
  if (spec.classId !== target.classId || !sameObis(spec.instanceId, target.obis)) return false;
  if (kind === 'action') return spec.type === 'action' && spec.methodId === target.index;
  return spec.type === kind && spec.attributeId === target.index;
}

/** A key for an attribute ("class/obis/attribute"), for tables of settable objects. */
export function attributeKey(
  classId: number,
  obis: readonly number[] | Uint8Array,
  attributeId: number,
): string {
  return `${classId}/${Array.from(obis).join('.')}/${attributeId}`;
}

// ---- Typed values ----

/** The numeric value of an integer Data, or undefined for any other type. */
export function integerOf(d: DlmsData | undefined): number | undefined {
  switch (d?.type) {
    case 'double-long':
    case 'double-long-unsigned':
    case 'long':
    case 'long-unsigned':
    case 'integer':
    case 'unsigned':
    case 'enum':
      return d.value;
    default:
      return undefined;
  }
}

/** The octets of an octet-string or visible-string Data, or undefined. */
export function octetsOf(d: DlmsData | undefined): Uint8Array | undefined {
  return d?.type === 'octet-string' || d?.type === 'visible-string' ? d.value : undefined;
}

// ---- Answering ----

export const OK: Answer = { data: NULL_DATA, result: RESULT.success };

export function failed(result: number): Answer {
  return { data: NULL_DATA, result };
}

/** Whether the request is exactly one action on `target` carrying one Data. */
export function isSingleAction(request: DlmsAccessRequest, target: CosemTarget): boolean {
  return (
    request.specifications.length === 1 &&
    request.data.length === 1 &&
    addresses(request.specifications[0]!, 'action', target)
  );
}
