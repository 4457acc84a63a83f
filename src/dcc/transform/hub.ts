// The DSP's DUIS → GBCS transforms for the Communications Hub and the HAN (CHF, GPF, PPMID, HCALCS; joins and device logs of every device type): DLMS for the CHF, ASN.1 for the HAN use cases, as RTDS 4.5.0 carries them [O].
import { DuisError } from '../../codec/duis/common.js';
import { updateHanDeviceLog } from '../../codec/duis/bodies.js';
import { eui64ToBytes, type Eui64 } from '../../codec/eui64.js';
import { DeviceType, JoinMethodAndRole } from '../../codec/gbcs/asn1/index.js';
import type { AccessRequestSpecification, DlmsData } from '../../codec/gbcs/dlms/index.js';
import type { GbcsPayload } from '../../codec/gbcs/payload.js';
import { addDeviceCommand, invokeIdFor } from '../../codec/gbcs/use-cases/chf-device-log.js';
import { asn1Response } from '../../devices/common-commands.js';
import {
  ATTRIBUTE,
  DEVICE_LOG_CLASS,
  DEVICE_LOG_OBIS,
  FIRMWARE_VERSION_OBIS,
  HISTORIC_LOG_OBIS,
  METHOD,
} from '../../hub/chf-dlms.js';
import { ZIGBEE_DEVICE_TYPE } from '../../hub/chf-state.js';
import { INSTALL_CODE_LENGTHS } from '../../hub/joining.js';
import type { SmiDevice, SmiDeviceType } from '../types.js';
import { eui, find } from './body.js';
import type { TransformEntry } from './entry.js';
import { activateFirmware, draftFor, executionMsOf, executionOf, originatorCounter } from './gas.js';
import { TransformError, type Transform, type TransformInput } from './types.js';

export type { DspRecords, ReportedDeviceLog } from './types.js';
import type { DspRecords } from './types.js';

function deviceNamed(input: TransformInput, id: Eui64, what: string): SmiDevice {
  const device = input.premiseDevices.find((d) => d.deviceId === id);
  if (device === undefined)
    throw new TransformError('E19', `${what} ${id} is not in the premise's inventory`);
  return device;
}

// ---------------------------------------------------------------------------------------------------------
// DLMS to the CHF

const NULL_DATA: DlmsData = { type: 'null-data' };
const octets = (value: Uint8Array): DlmsData => ({ type: 'octet-string', value });
const logAction = (obis: Uint8Array, methodId: number): AccessRequestSpecification => ({
  type: 'action',
  classId: DEVICE_LOG_CLASS,
  instanceId: obis,
  methodId,
});

/** An access-request, invoke-id 0x20 ‖ the originator counter's low 24 bits, no DLMS date-time (RTDS 8.x) [O]. */
function accessRequest(
  input: TransformInput,
  items: readonly { spec: AccessRequestSpecification; data: DlmsData }[],
): GbcsPayload {
  return {
    kind: 'dlms',
    dlms: {
      type: 'access-request',
      invokeIdAndPriority: invokeIdFor(originatorCounter(input)),
      dateTime: null,
      specifications: items.map((i) => i.spec),
      data: items.map((i) => i.data),
    },
  };
}

/** The ZigBee device type register_device carries, by SMI type (domain brief §2.6; RTDS CCS01: ESME 0) [O]. */
const ZIGBEE_TYPE_OF: Partial<Record<SmiDeviceType, number>> = ZIGBEE_DEVICE_TYPE;

/**
 * 8.11 Update HAN Device Log. Add → CCS01 register_device {DeviceID, key type 1 (install code), InstallCode, ZigBee
 * device type}, join_timeout = JoinTimePeriod, enable joining (RTDS 8.11_CCS01: 90 → long-unsigned 90, install code
 * octets as given) [O]; Remove → CCS02 unregister_device(DeviceID) (RTDS 8.11_CCS02 and template CCS02_8.11) [O]. The
 * SRV table names no GPF use case for 8.11, so the CHF is its only target.
 */
const updateHanDeviceLogTransform: Transform = (input) => {
  const body = updateHanDeviceLog.decode(input.body);
  const execution = executionOf(input.body);
  const path = 'Request/Body/UpdateHANDeviceLog';
  if (body.requestType === 'Remove') {
    const payload = accessRequest(input, [
      {
        spec: logAction(DEVICE_LOG_OBIS, METHOD.unregisterDevice),
        data: octets(eui64ToBytes(body.deviceId)),
      },
    ]);
    return draftFor(input, 'CCS02', payload, executionMsOf(execution));
  }
  const add = body.addDeviceToChfWhitelist;
  if (add === undefined)
    throw new DuisError(`${path}/AddDeviceToCHFWhitelist`, 'required when RequestType is Add');
  if (!INSTALL_CODE_LENGTHS.includes(add.installCode.length))
    throw new DuisError(
      `${path}/AddDeviceToCHFWhitelist/InstallCode`,
      `a ZigBee install code is ${INSTALL_CODE_LENGTHS.join(', ')} octets, got ${add.installCode.length}`,
    );
  const device = deviceNamed(input, body.deviceId, 'DeviceID');
  const zigbeeDeviceType = ZIGBEE_TYPE_OF[device.deviceType];
  if (zigbeeDeviceType === undefined)
    throw new TransformError('E11', `a ${device.deviceType} is never added to a CHF Device Log`);
  // addDeviceCommand builds the whole message; only its payload is the draft's (the pipeline makes the header).
  const { payload } = addDeviceCommand({
    acb: input.user,
    acbCounter: originatorCounter(input),
    chf: input.target.deviceId,
    user: input.user,
    userCounter: input.counter,
    device: body.deviceId,
    installCode: add.installCode,
    zigbeeDeviceType,
    joinTimeoutSeconds: add.joinTimePeriod,
  });
  return draftFor(input, 'CCS01', payload, executionMsOf(execution));
};

/**
 * 8.12.1 Restore HAN Device Log → CCS03 restore_PAN {extended_PAN_ID, array {ieee_address, hashed_TC_link_key}} (RTDS
 * 8.12.1_CCS03) [O]: the old CHF's Device Log as the DSP last recorded it; the body names only OldCHFID. An old CHF
 * with no recorded log is unknown to the DSP: E19 [A].
 */
function restoreHanDeviceLog(records: DspRecords): Transform {
  return (input) => {
    const oldChf = eui(input.body, 'OldCHFID');
    const log = (input.records ?? records).reportedDeviceLog?.(oldChf);
    if (log === undefined)
      throw new TransformError('E19', `no Device Log recorded for the old CHF ${oldChf}`);
    const restore: DlmsData = {
      type: 'structure',
      value: [
        octets(eui64ToBytes(log.extendedPanId)),
        {
          type: 'array',
          value: log.entries.map((e) => ({
            type: 'structure' as const,
            value: [octets(eui64ToBytes(e.device)), octets(e.linkKeyHash)],
          })),
        },
      ],
    };
    return draftFor(
      input,
      'CCS03',
      accessRequest(input, [{ spec: logAction(DEVICE_LOG_OBIS, METHOD.restoreLog), data: restore }]),
    );
  };
}

// ---------------------------------------------------------------------------------------------------------
// 8.9 Read Device Log

/**
 * A CHF: ReadSecurityDetails → CCS07, read_log (method 4) of the Device Log and the Historic Device Log (RTDS
 * 8.9_CCS07, template CCS07_8.9); else CCS05CCS04, get active_devices (attribute 4) (RTDS 8.9_CCS05CCS04, template
 * CCS05CCS04_8.9) [O]. CCS06 (0x010F) has neither template nor RTDS message, so it is not sent. Any other device: CS07,
 * a NULL payload (RTDS 8.9_CS07, template CS07_8.9 to the GSME) [O]; ReadSecurityDetails only concerns the CHF [A].
 */
const readDeviceLog: Transform = (input) => {
  const execution = executionOf(input.body);
  if (input.target.deviceType !== 'CHF')
    return draftFor(
      input,
      'CS07',
      asn1Response({ kind: 'readDeviceJoinDetailsCommand' }),
      executionMsOf(execution),
    );
  const withKeys = find(input.body, 'ReadSecurityDetails') !== undefined;
  const payload = withKeys
    ? accessRequest(input, [
        { spec: logAction(DEVICE_LOG_OBIS, METHOD.readLog), data: NULL_DATA },
        { spec: logAction(HISTORIC_LOG_OBIS, METHOD.readLog), data: NULL_DATA },
      ])
    : accessRequest(input, [
        {
          spec: {
            type: 'get',
            classId: DEVICE_LOG_CLASS,
            instanceId: DEVICE_LOG_OBIS,
            attributeId: ATTRIBUTE.activeDevices,
          },
          data: NULL_DATA,
        },
      ]);
  return draftFor(input, withKeys ? 'CCS07' : 'CCS05CCS04', payload, executionMsOf(execution));
};

// ---------------------------------------------------------------------------------------------------------
// 11.2 Read Firmware Version, 11.3 Activate Firmware

/**
 * The CHF: ECS52 "Read ESME/Comms Hub Firmware Version", get class 1 0-0:0.2.1.255 attribute 2 (RTDS 11.2_ECS52, to
 * the ESME; the SRV table's 11.2 use cases are ECS52, GCS38 and CS08) [O]. PPMID, HCALCS: CS08, a NULL payload (RTDS
 * 11.2_CS08 to …-A4 and …-A5) [O].
 */
const readFirmwareVersion: Transform = (input) => {
  const execution = executionOf(input.body);
  if (input.target.deviceType === 'CHF') {
    const spec: AccessRequestSpecification = {
      type: 'get',
      classId: 1,
      instanceId: FIRMWARE_VERSION_OBIS,
      attributeId: 2,
    };
    return draftFor(
      input,
      'ECS52',
      accessRequest(input, [{ spec, data: NULL_DATA }]),
      executionMsOf(execution),
    );
  }
  return draftFor(
    input,
    'CS08',
    asn1Response({ kind: 'readPpmidHcalcsFirmwareVersionCommand' }),
    executionMsOf(execution),
  );
};

// ---------------------------------------------------------------------------------------------------------
// 8.7 Join, 8.8 Unjoin

/** ASN.1 DeviceType of an SMI device type; IHD and CAD are Type 2 devices (domain brief §2.6) [O]. */
const ASN1_DEVICE_TYPE: Readonly<Record<SmiDeviceType, number>> = {
  GSME: DeviceType.gsme,
  ESME: DeviceType.esme,
  CHF: DeviceType.chf,
  GPF: DeviceType.gpf,
  HCALCS: DeviceType.hcalcs,
  PPMID: DeviceType.ppmid,
  IHD: DeviceType.type2,
  CAD: DeviceType.type2,
};

/** Method B joins a device with a GPF or a Type 2 device (RTDS 8.7.2_CS03B: GSME + GPF; its ERROR: + PPMID) [O]. */
const METHOD_B_PARTNERS: ReadonlySet<SmiDeviceType> = new Set(['GPF', 'IHD', 'CAD']);

interface JoinPlan {
  readonly useCase: 'CS03A1' | 'CS03A2' | 'CS03B' | 'CS03C';
  readonly role: number;
  readonly certificate: boolean;
}

/**
 * Which CS03 a join is, from the SRV, the target's and the other device's types (RTDS 4.5.0 and templates) [O]:
 * 8.7.1 (supplier-signed) ESME + PPMID/HCALCS → CS03A1, Method A initiator (RTDS 8.7.1_CS03A1: ESME + HCALCS);
 * HCALCS + ESME → CS03A2, Method A responder (8.7.1_CS03A2Critical); GSME + PPMID → CS03C, Method C (template
 * CS03CCritical_8.7.1 to the GSME). 8.7.2 (the ACB for a PPMID): PPMID + ESME → CS03A2 (8.7.2_CS03A2NonCritical);
 * PPMID + GSME → CS03C with the GSME's certificate (8.7.2_CS03CNonCritical); a meter or GPF with a GPF or Type 2
 * device → CS03B, Method B (8.7.2_CS03B: GSME + GPF). Any other pairing does not apply: E11 [A].
 */
function joinPlan(critical: boolean, target: SmiDeviceType, other: SmiDeviceType): JoinPlan | undefined {
  const a1 = { useCase: 'CS03A1', role: JoinMethodAndRole.methodAInitiator, certificate: false } as const;
  const a2 = { useCase: 'CS03A2', role: JoinMethodAndRole.methodAResponder, certificate: false } as const;
  const c = { useCase: 'CS03C', role: JoinMethodAndRole.methodC, certificate: true } as const;
  const b = { useCase: 'CS03B', role: JoinMethodAndRole.methodB, certificate: false } as const;
  if (critical) {
    if (target === 'ESME' && (other === 'PPMID' || other === 'HCALCS')) return a1;
    if (target === 'HCALCS' && other === 'ESME') return a2;
    if (target === 'GSME' && other === 'PPMID') return c;
    return undefined;
  }
  if (target === 'PPMID' && other === 'ESME') return a2;
  if (target === 'PPMID' && other === 'GSME') return c;
  if (target === 'GSME' && METHOD_B_PARTNERS.has(other)) return b;
  if ((target === 'ESME' || target === 'GPF') && (other === 'IHD' || other === 'CAD')) return b;
  return undefined;
}

/**
 * 8.7.1 / 8.7.2 Join Service → joinDeviceCommand {joinMethodAndRole, otherDeviceEntityId = OtherDeviceID,
 * otherDeviceType, otherDeviceCertificate for Method C} (RTDS 8.7.x) [O]. The other device must be in the premise's
 * inventory (its type decides the use case): E19 otherwise [A]. Without the DSP's SMKI record of its KA certificate a
 * Method C join goes without one, as RTDS 8.7.2_CS03CNonCritical ERROR does, and the device answers 11 [O].
 */
function joinService(records: DspRecords): Transform {
  return (input) => {
    const otherId = eui(input.body, 'OtherDeviceID');
    const other = deviceNamed(input, otherId, 'OtherDeviceID');
    const plan = joinPlan(input.srv.critical, input.target.deviceType, other.deviceType);
    if (plan === undefined)
      throw new TransformError(
        'E11',
        `SRV ${input.srv.srv} does not join a ${input.target.deviceType} with a ${other.deviceType}`,
      );
    const certificate = plan.certificate ? (input.records ?? records).kaCertificate?.(otherId) : undefined;
    const payload = asn1Response({
      kind: 'joinDeviceCommand',
      joinMethodAndRole: plan.role,
      otherDeviceEntityId: otherId,
      otherDeviceType: ASN1_DEVICE_TYPE[other.deviceType],
      ...(certificate !== undefined && { otherDeviceCertificate: certificate }),
    });
    return draftFor(input, plan.useCase, payload);
  };
}

/**
 * 8.8.1 / 8.8.2 Unjoin Service → unjoinDeviceCommand = OtherDeviceID (RTDS 8.8.2). CS04B undoes a Method B join, CS04AC
 * a Method A or C one; the pair's types tell them apart (RTDS 8.8.2_CS04B: GSME; 8.8.2_CS04ACNonCritical: PPMID) [O].
 * 8.8.1 is CS04AC only (SRV table); 8.8.2 is CS04AC for a PPMID (the ACB signs) and CS04B for a meter or GPF, whose
 * Method A/C unjoins are critical (8.8.1) [A]. The other device may be gone from the inventory (templates unjoin
 * 01-02-03-04-05-06-07-08); when it is known and its pairing contradicts the SRV: E11 [A].
 */
const unjoinService: Transform = (input) => {
  const otherId = eui(input.body, 'OtherDeviceID');
  const target = input.target.deviceType;
  const other = input.premiseDevices.find((d) => d.deviceId === otherId)?.deviceType;
  const methodB = !input.srv.critical && target !== 'PPMID';
  const pairIsMethodB =
    other === undefined ? methodB : METHOD_B_PARTNERS.has(other) || METHOD_B_PARTNERS.has(target);
  if (pairIsMethodB !== methodB)
    throw new TransformError(
      'E11',
      `SRV ${input.srv.srv} does not unjoin a ${target} from a ${other ?? 'device'} (${methodB ? 'Method B' : 'Method A/C'} only)`,
    );
  const payload = asn1Response({ kind: 'unjoinDeviceCommand', otherDeviceEntityId: otherId });
  return draftFor(input, methodB ? 'CS04B' : 'CS04AC', payload);
};

// ---------------------------------------------------------------------------------------------------------
// The registry rows

const entry = (
  srv: string,
  deviceTypes: readonly SmiDeviceType[],
  useCase: string,
  transform: Transform,
): TransformEntry => ({ srv, deviceTypes, useCase, transform });

/** The hub transforms with the DSP's records (SMKI certificates, reported CHF Device Logs). */
export function hubTransforms(records: DspRecords = {}): readonly TransformEntry[] {
  return [
    entry('8.7.1', ['ESME', 'GSME', 'HCALCS'], 'CS03A1/CS03A2/CS03C', joinService(records)),
    entry('8.7.2', ['ESME', 'GSME', 'GPF', 'PPMID'], 'CS03A2/CS03B/CS03C', joinService(records)),
    entry('8.8.1', ['ESME', 'GSME', 'HCALCS'], 'CS04AC', unjoinService),
    entry('8.8.2', ['ESME', 'GSME', 'GPF', 'PPMID'], 'CS04AC/CS04B', unjoinService),
    entry('8.9', ['CHF', 'ESME', 'GSME', 'GPF', 'PPMID', 'HCALCS'], 'CCS05CCS04/CCS07/CS07', readDeviceLog),
    entry('8.11', ['CHF'], 'CCS01/CCS02', updateHanDeviceLogTransform),
    entry('8.12.1', ['CHF'], 'CCS03', restoreHanDeviceLog(records)),
    entry('11.2', ['CHF', 'PPMID', 'HCALCS'], 'ECS52/CS08', readFirmwareVersion),
    entry('11.3', ['CHF', 'HCALCS'], 'CS06', activateFirmware),
  ];
}

/** The hub transforms without DSP records: CS03C goes without a certificate, CCS03 is refused (E19). */
export const HUB_TRANSFORMS: readonly TransformEntry[] = hubTransforms();
