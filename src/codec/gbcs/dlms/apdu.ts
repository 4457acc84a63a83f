// The three xDLMS APDUs GBCS carries as DLMS payloads (GBCS 7.2/8; Green Book, IEC 62056-5-3):
//   Access-Request    0xD9  long-invoke-id-and-priority, date-time, access-request-body
//                           (List-Of-Access-Request-Specification, access-request-list-of-data)
//   Access-Response   0xDA  long-invoke-id-and-priority, date-time, access-response-body
//                           (access-request-specification OPTIONAL, access-response-list-of-data,
//                            List-Of-Access-Response-Specification)
//   Data-Notification 0x0F  long-invoke-id-and-priority, date-time, notification-body (Data)
// date-time is an OCTET STRING: GBCS sends it empty or as a 12-octet COSEM date-time, nothing else.
import type { Reader, Writer } from '../../bytes.js';
import { DlmsDecoder, DlmsEncoder, HERE } from './context.js';
import { decodeData, encodeData } from './data.js';
import { OBIS_LENGTH } from './obis.js';
import {
  ACCESS_REQUEST_SPECIFICATIONS,
  ACCESS_RESPONSE_SPECIFICATIONS,
  DLMS_APDUS,
  codesByName,
  namesByCode,
  type AccessRequestSpecification,
  type AccessResponseSpecification,
  type DlmsApdu,
} from './types.js';
import { hex2, readLength, writeLength } from './values.js';

/** The COSEM date-time is 12 octets (frame.ts has the same constant; importing it here would close an import cycle). */
const DATE_TIME_LENGTH = 12;

const APDU_NAMES = namesByCode(DLMS_APDUS);
const APDU_CODES = codesByName(DLMS_APDUS);
const REQUEST_NAMES = namesByCode(ACCESS_REQUEST_SPECIFICATIONS);
const REQUEST_CODES = codesByName(ACCESS_REQUEST_SPECIFICATIONS);
const RESPONSE_NAMES = namesByCode(ACCESS_RESPONSE_SPECIFICATIONS);
const RESPONSE_CODES = codesByName(ACCESS_RESPONSE_SPECIFICATIONS);

/** Decodes one DLMS APDU from the reader, leaving it just after the APDU (the caller checks for trailing bytes). */
export function decodeDlmsApdu(r: Reader): DlmsApdu {
  return DlmsDecoder.run(r, decodeApdu);
}

export function encodeDlmsApdu(w: Writer, apdu: DlmsApdu): void {
  DlmsEncoder.run(w, (c) => encodeApdu(c, apdu));
}

function decodeApdu(c: DlmsDecoder): DlmsApdu {
  const r = c.r;
  const at = r.offset;
  c.path.push('tag');
  const tag = r.u8(HERE);
  const type = APDU_NAMES[tag];
  if (type === undefined) {
    return c.fail(
      `unknown DLMS APDU tag 0x${hex2(tag)} (expected D9 access-request, DA access-response or 0F data-notification)`,
      at,
    );
  }
  c.path.pop();
  c.path.push('invokeIdAndPriority');
  const invokeIdAndPriority = r.u32(HERE);
  c.path.pop();
  c.path.push('dateTime');
  const dateTime = decodeDateTime(c);
  c.path.pop();
  switch (type) {
    case 'access-request': {
      const specifications = decodeList(c, 'specifications', decodeRequestSpecification);
      const data = decodeList(c, 'data', decodeData);
      return { type, invokeIdAndPriority, dateTime, specifications, data };
    }
    case 'access-response': {
      c.path.push('specifications');
      const flagAt = r.offset;
      const present = r.u8(HERE);
      if (present > 1) c.fail(`OPTIONAL presence flag must be 0x00 or 0x01, got 0x${hex2(present)}`, flagAt);
      c.path.pop();
      const specifications =
        present === 1 ? decodeList(c, 'specifications', decodeRequestSpecification) : null;
      const data = decodeList(c, 'data', decodeData);
      const responseSpecifications = decodeList(c, 'responseSpecifications', decodeResponseSpecification);
      return { type, invokeIdAndPriority, dateTime, specifications, data, responseSpecifications };
    }
    case 'data-notification': {
      c.path.push('notificationBody');
      const notificationBody = decodeData(c);
      c.path.pop();
      return { type, invokeIdAndPriority, dateTime, notificationBody };
    }
  }
}

function encodeApdu(c: DlmsEncoder, apdu: DlmsApdu): void {
  const tag = apdu !== null && typeof apdu === 'object' ? APDU_CODES[apdu.type] : undefined;
  if (tag === undefined)
    return c.fail(`unknown DLMS APDU type ${String((apdu as { type?: unknown } | null)?.type)}`);
  const w = c.w;
  w.u8(tag, HERE);
  c.path.push('invokeIdAndPriority');
  w.u32(apdu.invokeIdAndPriority, HERE);
  c.path.pop();
  c.path.push('dateTime');
  encodeDateTime(c, apdu.dateTime);
  c.path.pop();
  switch (apdu.type) {
    case 'access-request':
      encodeList(c, 'specifications', apdu.specifications, encodeRequestSpecification);
      encodeList(c, 'data', apdu.data, encodeData);
      return;
    case 'access-response':
      if (apdu.specifications == null) {
        w.u8(0, HERE);
      } else {
        w.u8(1, HERE);
        encodeList(c, 'specifications', apdu.specifications, encodeRequestSpecification);
      }
      encodeList(c, 'data', apdu.data, encodeData);
      encodeList(c, 'responseSpecifications', apdu.responseSpecifications, encodeResponseSpecification);
      return;
    case 'data-notification':
      c.path.push('notificationBody');
      encodeData(c, apdu.notificationBody);
      c.path.pop();
      return;
  }
}

function decodeDateTime(c: DlmsDecoder): Uint8Array | null {
  const at = c.r.offset;
  const n = readLength(c);
  if (n === 0) return null;
  if (n !== DATE_TIME_LENGTH) c.fail(`must be empty or ${DATE_TIME_LENGTH} octets, got length ${n}`, at);
  return c.r.bytes(DATE_TIME_LENGTH, HERE);
}

function encodeDateTime(c: DlmsEncoder, dateTime: Uint8Array | null): void {
  if (dateTime == null) {
    c.w.u8(0, HERE);
    return;
  }
  writeLength(c, DATE_TIME_LENGTH);
  c.w.fixed(dateTime, DATE_TIME_LENGTH, HERE);
}

/** SEQUENCE OF: an A-XDR quantity, then the items. */
function decodeList<T>(c: DlmsDecoder, field: string, item: (c: DlmsDecoder) => T): T[] {
  c.path.push(field);
  const n = readLength(c);
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    c.path.push(i);
    out.push(item(c));
    c.path.pop();
  }
  c.path.pop();
  return out;
}

function encodeList<T>(
  c: DlmsEncoder,
  field: string,
  items: readonly T[],
  item: (c: DlmsEncoder, v: T) => void,
): void {
  c.path.push(field);
  if (!Array.isArray(items)) c.fail(`must be an array, got ${typeof items}`);
  writeLength(c, items.length);
  for (let i = 0; i < items.length; i++) {
    c.path.push(i);
    item(c, items[i]!);
    c.path.pop();
  }
  c.path.pop();
}

function decodeRequestSpecification(c: DlmsDecoder): AccessRequestSpecification {
  const r = c.r;
  const at = r.offset;
  const choice = r.u8(HERE);
  const type = REQUEST_NAMES[choice];
  if (type === undefined) return c.fail(`unknown access-request-specification choice ${choice}`, at);
  c.path.push('classId');
  const classId = r.u16(HERE);
  c.path.pop();
  c.path.push('instanceId');
  const instanceId = r.bytes(OBIS_LENGTH, HERE);
  c.path.pop();
  if (type === 'action') {
    c.path.push('methodId');
    const methodId = r.i8(HERE);
    c.path.pop();
    return { type, classId, instanceId, methodId };
  }
  c.path.push('attributeId');
  const attributeId = r.i8(HERE);
  c.path.pop();
  if (type === 'get' || type === 'set') return { type, classId, instanceId, attributeId };
  c.path.push('accessSelection', 'accessSelector');
  const accessSelector = r.u8(HERE);
  c.path.pop();
  c.path.push('accessParameters');
  const accessParameters = decodeData(c);
  c.path.pop();
  c.path.pop();
  return { type, classId, instanceId, attributeId, accessSelection: { accessSelector, accessParameters } };
}

function encodeRequestSpecification(c: DlmsEncoder, s: AccessRequestSpecification): void {
  const code = s !== null && typeof s === 'object' ? REQUEST_CODES[s.type] : undefined;
  if (code === undefined)
    return c.fail(`unknown access-request-specification ${String((s as { type?: unknown } | null)?.type)}`);
  const w = c.w;
  w.u8(code, HERE);
  c.path.push('classId');
  w.u16(s.classId, HERE);
  c.path.pop();
  c.path.push('instanceId');
  w.fixed(s.instanceId, OBIS_LENGTH, HERE);
  c.path.pop();
  if (s.type === 'action') {
    c.path.push('methodId');
    w.i8(s.methodId, HERE);
    c.path.pop();
    return;
  }
  c.path.push('attributeId');
  w.i8(s.attributeId, HERE);
  c.path.pop();
  if (s.type === 'get-with-selection' || s.type === 'set-with-selection') {
    c.path.push('accessSelection', 'accessSelector');
    w.u8(s.accessSelection.accessSelector, HERE);
    c.path.pop();
    c.path.push('accessParameters');
    encodeData(c, s.accessSelection.accessParameters);
    c.path.pop();
    c.path.pop();
  }
}

function decodeResponseSpecification(c: DlmsDecoder): AccessResponseSpecification {
  const r = c.r;
  const at = r.offset;
  const choice = r.u8(HERE);
  const type = RESPONSE_NAMES[choice];
  if (type === undefined) return c.fail(`unknown access-response-specification choice ${choice}`, at);
  if (type === 'action') {
    c.path.push('actionResult');
    const actionResult = r.u8(HERE);
    c.path.pop();
    return { type, actionResult };
  }
  c.path.push('dataAccessResult');
  const dataAccessResult = r.u8(HERE);
  c.path.pop();
  return { type, dataAccessResult };
}

function encodeResponseSpecification(c: DlmsEncoder, s: AccessResponseSpecification): void {
  const code = s !== null && typeof s === 'object' ? RESPONSE_CODES[s.type] : undefined;
  if (code === undefined)
    return c.fail(`unknown access-response-specification ${String((s as { type?: unknown } | null)?.type)}`);
  c.w.u8(code, HERE);
  if (s.type === 'action') {
    c.path.push('actionResult');
    c.w.u8(s.actionResult, HERE);
  } else {
    c.path.push('dataAccessResult');
    c.w.u8(s.dataAccessResult, HERE);
  }
  c.path.pop();
}
