// The DSP's DUIS answers (domain brief §3.2): the acknowledgement I99, the I0 that carries a device's GBCS response,
// a PreCommand or a DSP body, E-codes with their meaning, and device and DCC alerts — each a DUIS Response, signed by
// the DSP's XML key on its way out (gateway.ts), as DCC Boxed sends them. ResponseID swaps the RequestID's parties and keeps its counter [O].
import { formatDuisId, type DuisId } from '../codec/duis/common.js';
import {
  buildDuisResponse,
  type DuisResponse,
  type DuisResponseBody,
  type ResponsePayload,
} from '../codec/duis/response.js';
import type { ResponseCode } from '../codec/duis/response-codes.js';
import type { Srv } from '../codec/duis/srv.js';
import type { DuisBodyElement } from '../codec/duis/tree.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import { serializeXml } from '../codec/xml/serialize.js';

export const RESPONSE_SCHEMA_VERSION = '5.4';

/** xs:dateTime in UTC with milliseconds, as DCC Boxed writes ResponseDateTime [O: readfw-response.xml]. */
export function responseDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

export interface AnswerTo {
  readonly requestId: DuisId;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: Srv;
}

/** An answer to a request: code, and the payload if any (null: the code alone, as I99 and most E-codes). */
export function answer(
  to: AnswerTo,
  code: ResponseCode,
  nowMs: number,
  payload: ResponsePayload | null = null,
  responder?: Eui64,
): DuisResponse {
  const r = to.requestId;
  return {
    schemaVersion: RESPONSE_SCHEMA_VERSION,
    header: {
      requestId: r,
      ...(responder !== undefined && {
        responseId: { originator: responder, target: r.originator, counter: r.counter },
      }),
      responseCode: code,
      responseDateTime: responseDateTime(nowMs),
    },
    body: {
      kind: 'ResponseMessage',
      serviceReference: to.serviceReference,
      serviceReferenceVariant: to.serviceReferenceVariant,
      payload,
    },
  };
}

/** A device alert forwarded to a User (DeviceAlertMessage: the alert code and the alert's GBCS bytes). */
export function deviceAlert(alertCode: number, gbcs: Uint8Array, nowMs: number): DuisResponse {
  return alertResponse({ kind: 'DeviceAlertMessage', alertCode, gbcsPayload: gbcs }, nowMs);
}

/** A DCC alert (DCCAlertMessage), e.g. N24 with its DCCAlert body. */
export function dccAlert(code: string, alert: DuisBodyElement, nowMs: number): DuisResponse {
  return alertResponse({ kind: 'DCCAlertMessage', dccAlertCode: code, dccAlert: alert }, nowMs);
}

/**
 * DCC alert N24 (UpdateHANDeviceLogResult): the device an SR 8.11 added to a CHF Device Log has joined the SMHAN
 * [O: DCCAlert in DUIS Schema V5.4; when N24 is sent is not in our sources — on the CS14 that shows the join, A].
 */
export function updateHanDeviceLogResult(request: DuisId, nowMs: number): DuisResponse {
  return dccAlert(
    'N24',
    {
      name: 'UpdateHANDeviceLogResult',
      children: [{ name: 'UpdateHANDeviceLogServiceRequestID', text: formatDuisId(request) }],
    },
    nowMs,
  );
}

function alertResponse(body: DuisResponseBody, nowMs: number): DuisResponse {
  return {
    schemaVersion: RESPONSE_SCHEMA_VERSION,
    header: { responseCode: 'I0', responseDateTime: responseDateTime(nowMs) },
    body,
  };
}

/** The response as XML text, not yet signed: the gateway signs it on its way out (gateway.ts). */
export function responseXml(response: DuisResponse): string {
  return serializeXml(buildDuisResponse(response));
}

/**
 * DCC alert N60 / N61 (SECMP0007: a firmware update delivered / not delivered to the device) [C: SECAS news], with
 * the DUIS V5.4 CSPFirmwareDeliveryStatus body (Success / Failure) [A: which DCCAlert choice N60/N61 carry is not in
 * our sources; this is the one naming the request, the CH, the device, the version and the transfer status].
 */
export function firmwareDeliveryStatus(
  code: 'N60' | 'N61',
  request: DuisId,
  chf: Eui64,
  device: Eui64,
  plan: { readonly distributions: readonly { distribution: { fileVersion: number } }[] } | string,
  nowMs: number,
): DuisResponse {
  const version =
    typeof plan === 'string'
      ? plan
      : (plan.distributions[0]?.distribution.fileVersion ?? 0).toString(16).toUpperCase().padStart(8, '0');
  return dccAlert(
    code,
    {
      name: 'CSPFirmwareDeliveryStatus',
      children: [
        { name: 'UpdateFirmwareRequestID', text: formatDuisId(request) },
        { name: 'CommsHubDeviceID', text: eui64Hyphenated(chf) },
        { name: 'TargetDeviceID', text: eui64Hyphenated(device) },
        { name: 'FirmwareVersion', text: version.slice(0, 8) },
        { name: 'TimeStamp', text: responseDateTime(nowMs) },
        { name: 'CommsHubTransferStatus', text: code === 'N60' ? 'Success' : 'Failure' },
      ],
    },
    nowMs,
  );
}
