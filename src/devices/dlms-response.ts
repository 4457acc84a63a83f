// Answering a DLMS access-request as the DLMS devices do (the ESME and the CHF; GBCS 7/8): reading the access-request
// of an accepted command and building the access-response in the shape RTDS 4.5.0 shows — no echo of the request
// specification, one Data and one result per request specification, the invoke-id copied [O].
import type {
  AccessRequestSpecification,
  AccessResponseSpecification,
  DlmsAccessRequest,
  DlmsData,
} from '../codec/gbcs/dlms/index.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import type { Accepted } from './security.js';

/** Data-Access-Result and Action-Result values the devices answer with (Green Book ENUMERATED). */
export const RESULT = {
  success: 0,
  hardwareFault: 1,
  temporaryFailure: 2,
  readWriteDenied: 3,
  objectUndefined: 4,
  typeUnmatched: 12,
  otherReason: 250,
} as const;

export const NULL_DATA: DlmsData = { type: 'null-data' };

/** One answer to a request specification: the Data returned (null-data for sets and actions) and its result. */
export interface Answer {
  readonly data: DlmsData;
  readonly result: number;
}

/** The command's DLMS access-request, or undefined when its payload is anything else. */
export function accessRequestOf(command: Accepted): DlmsAccessRequest | undefined {
  const { payload } = command.parsed.message;
  return payload.kind === 'dlms' && payload.dlms.type === 'access-request' ? payload.dlms : undefined;
}

/** The result item answering a request item: action → action-result, get/set (with selection) → data-access-result. */
export function resultFor(spec: AccessRequestSpecification, result: number): AccessResponseSpecification {
  switch (spec.type) {
    case 'action':
      return { type: 'action', actionResult: result };
    case 'get':
    case 'get-with-selection':
      return { type: 'get', dataAccessResult: result };
    default:
      return { type: 'set', dataAccessResult: result };
  }
}

/** The access-response to `request`, one answer per request specification, in order. */
export function accessResponse(request: DlmsAccessRequest, answers: readonly Answer[]): GbcsPayload {
  return {
    kind: 'dlms',
    dlms: {
      type: 'access-response',
      invokeIdAndPriority: request.invokeIdAndPriority,
      dateTime: null,
      specifications: null,
      data: answers.map((a) => a.data),
      responseSpecifications: request.specifications.map((spec, i) =>
        resultFor(spec, answers[i]?.result ?? RESULT.otherReason),
      ),
    },
  };
}

/** Every specification of `request` answered with `result` and null-data. */
export function allResults(request: DlmsAccessRequest, result: number): GbcsPayload {
  return accessResponse(
    request,
    request.specifications.map(() => ({ data: NULL_DATA, result })),
  );
}
