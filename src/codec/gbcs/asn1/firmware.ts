// Firmware activation and HAN firmware transfer (GBCS 11): CS06 and its future-dated alert, CCS08, CS08, CS09.
import {
  choice,
  entityId,
  generalizedTime,
  nullPayload,
  nullValue,
  octetString,
  optional,
  sequence,
  type ValueOf,
} from './coder.js';
import { alertCode, code, seqNumber } from './common.js';

/** CS06 (0x0012). */
export const activateFirmwareCommand = sequence({
  manufacturerImageHash: octetString(),
  originatorCounter: seqNumber,
  /** Future-dated activation; "99991231235959Z" cancels a pending one. */
  executionDateTime: optional(generalizedTime),
});

const activateFirmwareExecutionOutcome = sequence({
  responseCode: code,
  firmwareVersion: octetString(),
});

/** commandAccepted (NULL) for a future-dated or cancelling command; else the outcome. */
export const activateFirmwareResponse = choice({
  commandAccepted: nullValue,
  executionOutcome: activateFirmwareExecutionOutcome,
});

/** 0x00CA: outcome of a future-dated CS06, alert code 0x8F66 / 0x8F67. */
export const activateFirmwareAlert = sequence({
  alertCode,
  executionDateTime: generalizedTime,
  originatorCounter: seqNumber,
  executionOutcome: activateFirmwareExecutionOutcome,
});

/** CCS08 (0x0128): the CH reports the transfer of an image to a HAN device (0x8F8A success, 0x8F89 failure). */
export const firmwareTransferAlert = sequence({
  alertCode,
  executionDateTime: generalizedTime,
  entityId,
  firmwareVersion: octetString(),
  responseCode: code,
});

/** CS08 (0x0129). */
export const readPpmidHcalcsFirmwareVersionCommand = nullPayload;

export const readPpmidHcalcsFirmwareVersionResponse = sequence({
  firmwareVersion: octetString(),
  responseCode: code,
});

/** CS09 (0x012B; gbcs-parser also reads it under 0x0129 as an alert): alert code 0x8F8B. */
export const ppmidFirmwareActivationAlert = sequence({
  alertCode,
  executionDateTime: generalizedTime,
  firmwareVersion: octetString(),
  activateImage: code,
});

export type ActivateFirmwareCommand = ValueOf<typeof activateFirmwareCommand>;
export type ActivateFirmwareResponse = ValueOf<typeof activateFirmwareResponse>;
export type ActivateFirmwareAlert = ValueOf<typeof activateFirmwareAlert>;
