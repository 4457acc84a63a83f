// DUIS Service Responses, acknowledgements and alerts (DUIS Schema V5.4 complexType Response): header, then one of
// ResponseMessage (the SRV answered, with a GBCS payload, a Pre-Command, a Local Command, a future-dated device
// alert, a CIN message or a DSP body), DeviceAlertMessage or DCCAlertMessage. GBCS payloads are bytes for decodeGbcs;
// DSP bodies, DCC alert content and SMETS1 responses stay generic trees.
import type { XmlDocument, XmlElement, XmlNamespaceDeclaration } from '../xml/types.js';
import {
  DS_NAMESPACE,
  DuisError,
  RA_NAMESPACE,
  SR_NAMESPACE,
  collapseEdges,
  formatBase64,
  parseBase64Binary,
  parseBoundedInteger,
  parseDateTime,
  parseDuisId,
  parseHexBinary,
  quote,
  type DuisId,
} from './common.js';
import {
  ElementCursor,
  buildDocument,
  checkRoot,
  checkSrv,
  formatId,
  readSchemaVersion,
  readSignature,
} from './document.js';
import { isResponseCode, type ResponseCode } from './response-codes.js';
import type { Srv } from './srv.js';
import {
  buildElement,
  buildTextElement,
  describeElement,
  elementChildren,
  indented,
  readTree,
  textContent,
  writeTree,
  type DuisBodyElement,
} from './tree.js';

export interface DuisResponseHeader {
  /** The request answered; absent on alerts. */
  readonly requestId?: DuisId;
  /** The responder's own ID: `responder:User:counter`. */
  readonly responseId?: DuisId;
  readonly responseCode: ResponseCode;
  /** xs:dateTime as written (UTC in DCC practice). */
  readonly responseDateTime: string;
}

/** The DSP bodies a ResponseMessage may carry, kept as trees. */
export const DSP_PAYLOADS = [
  'DSPInventory',
  'DSPOptIn',
  'DSPSchedulesRead',
  'DSPScheduledMessage',
  'DSPScheduleID',
  'DSPUpdateFirmwareWarning',
  'DSPUpdatePPMIDFirmwareWarning',
  'DSPWANMatrix',
] as const;
export type DspPayloadKind = (typeof DSP_PAYLOADS)[number];

export type ResponsePayload =
  | { readonly kind: 'GBCSPayload'; readonly gbcsPayload: Uint8Array }
  | { readonly kind: 'PreCommand'; readonly gbcsVersion: string; readonly gbcsPayload: Uint8Array }
  | { readonly kind: 'LocalCommand'; readonly gbcsPayload: Uint8Array }
  | {
      readonly kind: 'FutureDatedDeviceAlertMessage';
      /** 0x8F66 (future-dated command executed) or 0x8F67 (failed). */
      readonly alertCode: 0x8f66 | 0x8f67;
      readonly gbcsPayload: Uint8Array;
      readonly instructionNumber: number;
      readonly totalCommandInstructions: number;
    }
  | {
      readonly kind: 'CINMessage';
      readonly gbcsPayload: Uint8Array;
      readonly customerIdentificationNumber: string;
    }
  | { readonly kind: DspPayloadKind; readonly tree: DuisBodyElement };

export interface ResponseMessage {
  readonly kind: 'ResponseMessage';
  readonly serviceReference: string;
  readonly serviceReferenceVariant: Srv;
  /** null: the answer is its response code alone (an acknowledgement, or an error such as E65 on SR 11.2). */
  readonly payload: ResponsePayload | null;
}

export interface ThrottlingFields {
  /** SECMP0062 alert-storm throttling: which throttled run this alert reports, and how many were suppressed. */
  readonly throttledAlertSequenceId?: number;
  readonly throttledAlertCount?: number;
}

export interface DeviceAlertMessage extends ThrottlingFields {
  readonly kind: 'DeviceAlertMessage';
  /** GBCS alert code, e.g. 0x8F20. */
  readonly alertCode: number;
  readonly gbcsPayload: Uint8Array;
}

export interface DccAlertMessage extends ThrottlingFields {
  readonly kind: 'DCCAlertMessage';
  /** e.g. 'N24' (outcome of SR 8.11), 'AD1'. */
  readonly dccAlertCode: string;
  /** The one child of sr:DCCAlert, e.g. UpdateHANDeviceLogResult. */
  readonly dccAlert: DuisBodyElement;
}

/** A SMETS1 response relayed by the DCC: kept as a tree (it carries its own signed ra: document). */
export interface Smets1ResponseMessage {
  readonly kind: 'SMETS1ResponseMessage';
  readonly tree: DuisBodyElement;
}

export type DuisResponseBody = ResponseMessage | DeviceAlertMessage | DccAlertMessage | Smets1ResponseMessage;

export interface DuisResponse {
  readonly schemaVersion: string;
  readonly header: DuisResponseHeader;
  /** null: no sr:Body at all (an acknowledgement; the schema requires a Body, so the XSD check will flag it). */
  readonly body: DuisResponseBody | null;
  readonly signature?: XmlElement;
}

const ROOT = 'Response';
const HEADER = `${ROOT}/Header`;
const BODY = `${ROOT}/Body`;

/** Reads a DUIS response, acknowledgement or alert; any departure from the grammar is a DuisError. */
export function parseDuisResponse(doc: XmlDocument): DuisResponse {
  const root = doc.root;
  checkRoot(root, ROOT);
  const schemaVersion = readSchemaVersion(root, ROOT);
  const kids = elementChildren(root, ROOT);
  let i = 0;
  const headerEl = kids[i++];
  if (headerEl === undefined) throw new DuisError(ROOT, 'missing sr:Header', root.offset);
  if (headerEl.namespace !== SR_NAMESPACE || headerEl.localName !== 'Header') {
    throw new DuisError(ROOT, `expected sr:Header, got ${describeElement(headerEl)}`, headerEl.offset);
  }
  const header = readHeader(headerEl);
  let body: DuisResponseBody | null = null;
  const next = kids[i];
  if (next !== undefined && next.namespace === SR_NAMESPACE && next.localName === 'Body') {
    body = readBody(next);
    i++;
  }
  const signature = readSignature(kids[i], ROOT);
  if (signature !== undefined) i++;
  const extra = kids[i];
  if (extra !== undefined) throw new DuisError(ROOT, `unexpected ${describeElement(extra)}`, extra.offset);
  return signature === undefined
    ? { schemaVersion, header, body }
    : { schemaVersion, header, body, signature };
}

/** Writes a DUIS response with sr:, ds: and ra: declared on the root, as the DCC's responses declare them. */
export function buildDuisResponse(res: DuisResponse): XmlDocument {
  const h = res.header;
  const headerChildren: XmlElement[] = [];
  if (h.requestId !== undefined)
    headerChildren.push(buildTextElement('RequestID', formatId(h.requestId, `${HEADER}/RequestID`)));
  if (h.responseId !== undefined) {
    headerChildren.push(buildTextElement('ResponseID', formatId(h.responseId, `${HEADER}/ResponseID`)));
  }
  if (!isResponseCode(h.responseCode)) {
    throw new DuisError(`${HEADER}/ResponseCode`, `${quote(h.responseCode)} is not a response code`);
  }
  headerChildren.push(
    buildTextElement('ResponseCode', h.responseCode),
    buildTextElement('ResponseDateTime', parseDateTime(h.responseDateTime, `${HEADER}/ResponseDateTime`)),
  );
  const children = [buildElement('Header', SR_NAMESPACE, indented(headerChildren, 1))];
  if (res.body !== null)
    children.push(buildElement('Body', SR_NAMESPACE, indented([writeBody(res.body)], 1)));
  if (res.signature !== undefined) children.push(res.signature);
  return buildDocument(ROOT, res.schemaVersion, children, res.signature, RESPONSE_NAMESPACES);
}

const RESPONSE_NAMESPACES: readonly XmlNamespaceDeclaration[] = [
  { prefix: 'sr', uri: SR_NAMESPACE },
  { prefix: 'ds', uri: DS_NAMESPACE },
  { prefix: 'ra', uri: RA_NAMESPACE },
];

// ---- reading -------------------------------------------------------------------------------------------------

function readHeader(el: XmlElement): DuisResponseHeader {
  const c = new ElementCursor(el, HEADER);
  const requestId = c.optionalText('RequestID');
  const responseId = c.optionalText('ResponseID');
  const code = collapseEdges(c.text('ResponseCode'));
  const dateTime = c.text('ResponseDateTime');
  c.end();
  if (!isResponseCode(code)) {
    throw new DuisError(
      `${HEADER}/ResponseCode`,
      `${quote(code)} is not a response code (I0, I99, E<n>, W<n>)`,
    );
  }
  return {
    ...(requestId === undefined ? {} : { requestId: parseDuisId(requestId, `${HEADER}/RequestID`) }),
    ...(responseId === undefined ? {} : { responseId: parseDuisId(responseId, `${HEADER}/ResponseID`) }),
    responseCode: code,
    responseDateTime: parseDateTime(dateTime, `${HEADER}/ResponseDateTime`),
  };
}

function readBody(el: XmlElement): DuisResponseBody {
  const kids = elementChildren(el, BODY);
  const [first, extra] = kids;
  if (first === undefined) {
    throw new DuisError(
      BODY,
      'empty: expected ResponseMessage, DeviceAlertMessage or DCCAlertMessage',
      el.offset,
    );
  }
  if (extra !== undefined) {
    const what = `unexpected ${describeElement(extra)} after ${describeElement(first)}`;
    throw new DuisError(BODY, what, extra.offset);
  }
  const path = `${BODY}/${first.localName}`;
  if (first.namespace === SR_NAMESPACE) {
    switch (first.localName) {
      case 'ResponseMessage':
        return readResponseMessage(first, path);
      case 'DeviceAlertMessage':
        return readDeviceAlert(first, path);
      case 'DCCAlertMessage':
        return readDccAlert(first, path);
      case 'SMETS1ResponseMessage':
        return { kind: 'SMETS1ResponseMessage', tree: readTree(first, path) };
    }
  }
  throw new DuisError(
    BODY,
    `expected ResponseMessage, DeviceAlertMessage, DCCAlertMessage or SMETS1ResponseMessage, got ${describeElement(first)}`,
    first.offset,
  );
}

function readResponseMessage(el: XmlElement, path: string): ResponseMessage {
  const c = new ElementCursor(el, path);
  const serviceReference = collapseEdges(c.text('ServiceReference'));
  const variant = collapseEdges(c.text('ServiceReferenceVariant'));
  const row = checkSrv(serviceReference, variant, path, el.offset);
  const p = c.next();
  c.end();
  return {
    kind: 'ResponseMessage',
    serviceReference,
    serviceReferenceVariant: row.srv,
    payload: p === undefined ? null : readPayload(p, `${path}/${p.localName}`),
  };
}

function readPayload(el: XmlElement, path: string): ResponsePayload {
  if (el.namespace === SR_NAMESPACE) {
    const name = el.localName;
    if (name === 'GBCSPayload') return { kind: 'GBCSPayload', gbcsPayload: base64Text(el, path) };
    if (name === 'LocalCommand') {
      const c = new ElementCursor(el, path);
      const gbcsPayload = parseBase64Binary(c.text('GBCSPayload'), `${path}/GBCSPayload`);
      c.end();
      return { kind: 'LocalCommand', gbcsPayload };
    }
    if (name === 'PreCommand') {
      const c = new ElementCursor(el, path);
      const gbcsVersion = c.text('GBCSVersion');
      const gbcsPayload = parseBase64Binary(c.text('GBCSPayload'), `${path}/GBCSPayload`);
      c.end();
      return { kind: 'PreCommand', gbcsVersion, gbcsPayload };
    }
    if (name === 'FutureDatedDeviceAlertMessage') {
      const c = new ElementCursor(el, path);
      const code = alertCode(c.text('FutureDatedAlertCode'), `${path}/FutureDatedAlertCode`);
      if (code !== 0x8f66 && code !== 0x8f67) {
        throw new DuisError(
          `${path}/FutureDatedAlertCode`,
          `expected 8F66 or 8F67, got ${code.toString(16).toUpperCase()}`,
        );
      }
      const gbcsPayload = parseBase64Binary(c.text('GBCSPayload'), `${path}/GBCSPayload`);
      const instructionNumber = parseBoundedInteger(
        c.text('InstructionNumber'),
        `${path}/InstructionNumber`,
        0,
        0xffff,
        'InstructionNumber',
      );
      const total = parseBoundedInteger(
        c.text('TotalCommandInstructions'),
        `${path}/TotalCommandInstructions`,
        0,
        0xffff,
        'TotalCommandInstructions',
      );
      c.end();
      return {
        kind: 'FutureDatedDeviceAlertMessage',
        alertCode: code,
        gbcsPayload,
        instructionNumber,
        totalCommandInstructions: total,
      };
    }
    if (name === 'CINMessage') {
      const c = new ElementCursor(el, path);
      const gbcsPayload = parseBase64Binary(c.text('GBCSPayload'), `${path}/GBCSPayload`);
      const cin = c.text('CustomerIdentificationNumber');
      c.end();
      if (!/^[0-9]{4}$/.test(cin)) {
        throw new DuisError(`${path}/CustomerIdentificationNumber`, `${quote(cin)} is not 4 decimal digits`);
      }
      return { kind: 'CINMessage', gbcsPayload, customerIdentificationNumber: cin };
    }
    if ((DSP_PAYLOADS as readonly string[]).includes(name)) {
      return { kind: name as DspPayloadKind, tree: readTree(el, path) };
    }
  }
  throw new DuisError(path, `${describeElement(el)} is not a ResponseMessage payload`, el.offset);
}

function readDeviceAlert(el: XmlElement, path: string): DeviceAlertMessage {
  const c = new ElementCursor(el, path);
  const code = alertCode(c.text('AlertCode'), `${path}/AlertCode`);
  const throttling = readThrottling(c, path);
  const gbcsPayload = parseBase64Binary(c.text('GBCSPayload'), `${path}/GBCSPayload`);
  c.end();
  return { kind: 'DeviceAlertMessage', alertCode: code, ...throttling, gbcsPayload };
}

function readDccAlert(el: XmlElement, path: string): DccAlertMessage {
  const c = new ElementCursor(el, path);
  const code = collapseEdges(c.text('DCCAlertCode'));
  if (!/^(?:AD1|N[0-9]{1,4})$/.test(code)) {
    throw new DuisError(`${path}/DCCAlertCode`, `${quote(code)} is not a DCC alert code (AD1, N<n>)`);
  }
  const throttling = readThrottling(c, path);
  const alertEl = c.required('DCCAlert');
  c.end();
  const alertPath = `${path}/DCCAlert`;
  const [choice, extra] = elementChildren(alertEl, alertPath);
  if (choice === undefined)
    throw new DuisError(alertPath, 'empty: expected the alert element', alertEl.offset);
  if (extra !== undefined)
    throw new DuisError(alertPath, `unexpected ${describeElement(extra)}`, extra.offset);
  return {
    kind: 'DCCAlertMessage',
    dccAlertCode: code,
    ...throttling,
    dccAlert: readTree(choice, `${alertPath}/${choice.localName}`),
  };
}

function readThrottling(c: ElementCursor, path: string): ThrottlingFields {
  const seq = c.optionalText('ThrottledAlertSequenceId');
  const count = c.optionalText('ThrottledAlertCount');
  const u32 = (t: string, name: string): number =>
    parseBoundedInteger(t, `${path}/${name}`, 0, 0xffffffff, name);
  return {
    ...(seq === undefined ? {} : { throttledAlertSequenceId: u32(seq, 'ThrottledAlertSequenceId') }),
    ...(count === undefined ? {} : { throttledAlertCount: u32(count, 'ThrottledAlertCount') }),
  };
}

/** GBCS alert codes are two octets, written in hex (xs:hexBinary). */
function alertCode(text: string, path: string): number {
  const b = parseHexBinary(text, path, 2, 2);
  return (b[0]! << 8) | b[1]!;
}

function base64Text(el: XmlElement, path: string): Uint8Array {
  return parseBase64Binary(textContent(el, path), path);
}

// ---- writing -------------------------------------------------------------------------------------------------

function hex4(code: number, path: string): string {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff)
    throw new DuisError(path, `alert code expected 0..0xFFFF, got ${code}`);
  return code.toString(16).toUpperCase().padStart(4, '0');
}

function text(name: string, value: string): XmlElement {
  return buildTextElement(name, value);
}

function writeBody(body: DuisResponseBody): XmlElement {
  const path = `${BODY}/${body.kind}`;
  switch (body.kind) {
    case 'ResponseMessage': {
      checkSrv(body.serviceReference, body.serviceReferenceVariant, path);
      const kids = [
        text('ServiceReference', body.serviceReference),
        text('ServiceReferenceVariant', body.serviceReferenceVariant),
      ];
      if (body.payload !== null) kids.push(writePayload(body.payload, 3, `${path}/${body.payload.kind}`));
      return buildElement('ResponseMessage', SR_NAMESPACE, indented(kids, 2));
    }
    case 'DeviceAlertMessage': {
      const kids = [
        text('AlertCode', hex4(body.alertCode, `${path}/AlertCode`)),
        ...writeThrottling(body, path),
      ];
      kids.push(text('GBCSPayload', formatBase64(body.gbcsPayload)));
      return buildElement('DeviceAlertMessage', SR_NAMESPACE, indented(kids, 2));
    }
    case 'DCCAlertMessage': {
      if (!/^(?:AD1|N[0-9]{1,4})$/.test(body.dccAlertCode)) {
        throw new DuisError(
          `${path}/DCCAlertCode`,
          `${quote(body.dccAlertCode)} is not a DCC alert code (AD1, N<n>)`,
        );
      }
      const alert = writeTree(body.dccAlert, 4, `${path}/DCCAlert/${body.dccAlert.name}`);
      const kids = [text('DCCAlertCode', body.dccAlertCode), ...writeThrottling(body, path)];
      kids.push(buildElement('DCCAlert', SR_NAMESPACE, indented([alert], 3)));
      return buildElement('DCCAlertMessage', SR_NAMESPACE, indented(kids, 2));
    }
    case 'SMETS1ResponseMessage':
      return writeTree(checkTreeRoot(body.tree, body.kind, path), 2, path);
  }
}

/** A tree kept for a body part must be that part's sr: element. */
function checkTreeRoot(tree: DuisBodyElement, name: string, path: string): DuisBodyElement {
  if (tree.name !== name || tree.namespace !== undefined) {
    throw new DuisError(path, `expected a tree rooted at sr:${name}, got ${tree.name}`);
  }
  return tree;
}

function integer(n: number, max: number, path: string): string {
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new DuisError(path, `expected an integer 0..${max}, got ${n}`);
  return String(n);
}

function writeThrottling(t: ThrottlingFields, path: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const name of ['ThrottledAlertSequenceId', 'ThrottledAlertCount'] as const) {
    const v = name === 'ThrottledAlertSequenceId' ? t.throttledAlertSequenceId : t.throttledAlertCount;
    if (v !== undefined) out.push(text(name, integer(v, 0xffffffff, `${path}/${name}`)));
  }
  return out;
}

function writePayload(p: ResponsePayload, depth: number, path: string): XmlElement {
  const sr = (kids: XmlElement[]): XmlElement => buildElement(p.kind, SR_NAMESPACE, indented(kids, depth));
  switch (p.kind) {
    case 'GBCSPayload':
      return text('GBCSPayload', formatBase64(p.gbcsPayload));
    case 'LocalCommand':
      return sr([text('GBCSPayload', formatBase64(p.gbcsPayload))]);
    case 'PreCommand':
      return sr([text('GBCSVersion', p.gbcsVersion), text('GBCSPayload', formatBase64(p.gbcsPayload))]);
    case 'FutureDatedDeviceAlertMessage':
      return sr([
        text('FutureDatedAlertCode', hex4(p.alertCode, `${path}/FutureDatedAlertCode`)),
        text('GBCSPayload', formatBase64(p.gbcsPayload)),
        text('InstructionNumber', integer(p.instructionNumber, 0xffff, `${path}/InstructionNumber`)),
        text(
          'TotalCommandInstructions',
          integer(p.totalCommandInstructions, 0xffff, `${path}/TotalCommandInstructions`),
        ),
      ]);
    case 'CINMessage':
      if (!/^[0-9]{4}$/.test(p.customerIdentificationNumber)) {
        throw new DuisError(
          `${path}/CustomerIdentificationNumber`,
          `${quote(p.customerIdentificationNumber)} is not 4 decimal digits`,
        );
      }
      return sr([
        text('GBCSPayload', formatBase64(p.gbcsPayload)),
        text('CustomerIdentificationNumber', p.customerIdentificationNumber),
      ]);
    default:
      return writeTree(checkTreeRoot(p.tree, p.kind, path), depth, path);
  }
}
