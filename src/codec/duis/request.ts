// DUIS Service Requests (DUIS Schema V5.4 complexType Request): a typed header, the body as an order-preserving tree
// checked against the SRV it claims, and the ds:Signature kept as parsed for XML-DSig to verify. Business rules a DSP
// answers with a response code (a Command Variant the SRV does not allow: E12; a role not eligible: E2) are not parse
// errors; structure that is not DUIS (namespace, header, RequestID, SRV, body) is.
import type { XmlDocument, XmlElement, XmlNamespaceDeclaration } from '../xml/types.js';
import {
  DS_NAMESPACE,
  DuisError,
  SR_NAMESPACE,
  XSI_NAMESPACE,
  collapseEdges,
  parseBoolean,
  parseDuisId,
  quote,
  type DuisId,
} from './common.js';
import {
  ElementCursor,
  buildDocument,
  checkRoot,
  checkSrv,
  expectChildren,
  formatId,
  readSchemaVersion,
  readSignature,
} from './document.js';
import {
  SIGNED_PRE_COMMAND,
  srvForBodyElement,
  srvInfo,
  type CommandVariant,
  type Srv,
  type SrvInfo,
} from './srv.js';
import {
  buildElement,
  buildTextElement,
  describeElement,
  elementChildren,
  indented,
  readTree,
  writeTree,
  type DuisBodyElement,
} from './tree.js';

export interface DuisRequestHeader {
  readonly requestId: DuisId;
  /** Optional sequencing of User requests (DUIS 3.x "FirstInSequence"). */
  readonly firstInSequence?: boolean;
  readonly precedingRequestId?: DuisId;
  readonly commandVariant: CommandVariant;
  /** e.g. '4.1'; always the Service Reference of serviceReferenceVariant. */
  readonly serviceReference: string;
  readonly serviceReferenceVariant: Srv;
}

/** The one child of sr:Body: the SRV's element (e.g. 'UpdateHANDeviceLog') or, from CV 5 on, 'SignedPreCommand'. */
export interface DuisRequestBody {
  /** Local name, in the DUIS namespace. */
  readonly element: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children: readonly DuisBodyElement[];
}

export interface DuisRequest {
  /** The schemaVersion attribute as written, e.g. '5.4'. */
  readonly schemaVersion: string;
  readonly header: DuisRequestHeader;
  readonly body: DuisRequestBody;
  /** The enveloped ds:Signature as parsed (placeholder or real); absent when the request is unsigned. */
  readonly signature?: XmlElement;
}

const ROOT = 'Request';
const HEADER = `${ROOT}/Header`;
const BODY = `${ROOT}/Body`;

/** Reads a DUIS request; any departure from the request grammar is a DuisError naming the element. */
export function parseDuisRequest(doc: XmlDocument): DuisRequest {
  const root = doc.root;
  checkRoot(root, ROOT);
  const schemaVersion = readSchemaVersion(root, ROOT);
  const [headerEl, bodyEl, signatureEl, extra] = expectChildren(root, ROOT, ['Header', 'Body']);
  if (extra !== undefined)
    throw new DuisError(ROOT, `unexpected ${describeElement(extra)} after ds:Signature`, extra.offset);
  const header = readHeader(headerEl);
  const body = readBody(bodyEl, header);
  const signature = readSignature(signatureEl, ROOT);
  return signature === undefined
    ? { schemaVersion, header, body }
    : { schemaVersion, header, body, signature };
}

/** Writes a DUIS request as the templates lay it out (sr:, ds: and xsi: declared on the root, two-space indent). */
export function buildDuisRequest(req: DuisRequest): XmlDocument {
  const h = req.header;
  const srv = checkSrv(h.serviceReference, h.serviceReferenceVariant, HEADER);
  checkBodyElement(srv, req.body.element, BODY, -1);
  checkCommandVariant(h.commandVariant, `${HEADER}/CommandVariant`);
  const headerChildren = [buildTextElement('RequestID', formatId(h.requestId, `${HEADER}/RequestID`))];
  if (h.firstInSequence !== undefined) {
    headerChildren.push(buildTextElement('FirstInSequence', h.firstInSequence ? 'true' : 'false'));
  }
  if (h.precedingRequestId !== undefined) {
    headerChildren.push(
      buildTextElement(
        'PrecedingServiceRequestID',
        formatId(h.precedingRequestId, `${HEADER}/PrecedingServiceRequestID`),
      ),
    );
  }
  headerChildren.push(
    buildTextElement('CommandVariant', String(h.commandVariant)),
    buildTextElement('ServiceReference', h.serviceReference),
    buildTextElement('ServiceReferenceVariant', h.serviceReferenceVariant),
  );
  const bodyElement = writeTree(
    { name: req.body.element, attributes: req.body.attributes, children: req.body.children },
    2,
    `${BODY}/${req.body.element}`,
  );
  const children = [
    buildElement('Header', SR_NAMESPACE, indented(headerChildren, 1)),
    buildElement('Body', SR_NAMESPACE, indented([bodyElement], 1)),
  ];
  if (req.signature !== undefined) children.push(req.signature);
  return buildDocument(ROOT, req.schemaVersion, children, req.signature, REQUEST_NAMESPACES);
}

/** The SRV row of a parsed request. */
export function requestSrv(req: DuisRequest): SrvInfo {
  return srvInfo(req.header.serviceReferenceVariant)!;
}

const REQUEST_NAMESPACES: readonly XmlNamespaceDeclaration[] = [
  { prefix: 'ds', uri: DS_NAMESPACE },
  { prefix: 'sr', uri: SR_NAMESPACE },
  { prefix: 'xsi', uri: XSI_NAMESPACE },
];

function readHeader(el: XmlElement): DuisRequestHeader {
  const c = new ElementCursor(el, HEADER);
  const requestId = parseDuisId(c.text('RequestID'), `${HEADER}/RequestID`);
  const first = c.optionalText('FirstInSequence');
  const preceding = c.optionalText('PrecedingServiceRequestID');
  const commandVariant = parseCommandVariant(c.text('CommandVariant'), `${HEADER}/CommandVariant`);
  const serviceReference = collapseEdges(c.text('ServiceReference'));
  const variant = collapseEdges(c.text('ServiceReferenceVariant'));
  c.end();
  const row = checkSrv(serviceReference, variant, HEADER, el.offset);
  return {
    requestId,
    ...(first === undefined ? {} : { firstInSequence: parseBoolean(first, `${HEADER}/FirstInSequence`) }),
    ...(preceding === undefined
      ? {}
      : { precedingRequestId: parseDuisId(preceding, `${HEADER}/PrecedingServiceRequestID`) }),
    commandVariant,
    serviceReference,
    serviceReferenceVariant: row.srv,
  };
}

function parseCommandVariant(text: string, path: string): CommandVariant {
  // xs:positiveInteger: an optional '+' and leading zeros are lexically allowed.
  const m = /^\+?0*([1-9][0-9]*)$/.exec(collapseEdges(text));
  const n = m === null ? NaN : Number(m[1]);
  if (n === 9)
    throw new DuisError(path, 'Command Variant 9 is internal to DCC Data Systems, not a Service Request');
  if (!(n >= 1 && n <= 8)) throw new DuisError(path, `expected a Command Variant 1..8, got ${quote(text)}`);
  return n as CommandVariant;
}

function checkCommandVariant(cv: number, path: string): void {
  if (!Number.isInteger(cv) || cv < 1 || cv > 8)
    throw new DuisError(path, `expected a Command Variant 1..8, got ${cv}`);
}

function checkBodyElement(srv: SrvInfo, element: string, path: string, offset: number): void {
  if (element === srv.bodyElement || element === SIGNED_PRE_COMMAND) return;
  const other = srvForBodyElement(element);
  throw new DuisError(
    path,
    other === undefined
      ? `sr:${element} is not a DUIS request body (SRV ${srv.srv} expects sr:${srv.bodyElement})`
      : `SRV ${srv.srv} expects sr:${srv.bodyElement}, got sr:${element} (the body of SRV ${other.srv})`,
    offset,
  );
}

function readBody(el: XmlElement, header: DuisRequestHeader): DuisRequestBody {
  const kids = elementChildren(el, BODY);
  const first = kids[0];
  if (first === undefined) throw new DuisError(BODY, 'empty: expected the SRV body element', el.offset);
  if (kids.length > 1)
    throw new DuisError(
      BODY,
      `unexpected ${describeElement(kids[1]!)} after ${describeElement(first)}`,
      kids[1]!.offset,
    );
  const path = `${BODY}/${first.localName}`;
  if (first.namespace !== SR_NAMESPACE) {
    throw new DuisError(
      path,
      `expected an element in namespace ${SR_NAMESPACE}, got ${describeElement(first)}`,
      first.offset,
    );
  }
  checkBodyElement(srvInfo(header.serviceReferenceVariant)!, first.localName, BODY, first.offset);
  return readContainer(first, path);
}

/** An element that must have element content (or none); whitespace-only text counts as none. */
function readContainer(el: XmlElement, path: string): DuisRequestBody {
  const tree = readTree(el, path);
  let children: readonly DuisBodyElement[] = [];
  if ('text' in tree) {
    if (!/^[ \t\n\r]*$/.test(tree.text)) {
      throw new DuisError(path, `expected element content, got text ${quote(tree.text)}`, el.offset);
    }
  } else children = tree.children;
  return tree.attributes === undefined
    ? { element: el.localName, children }
    : { element: el.localName, attributes: tree.attributes, children };
}
