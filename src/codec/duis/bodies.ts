// Typed request bodies for the seed SRVs, each declared once as a layout (element name, value coder, optional?) that
// both reads a body tree and writes one, in the manner of micro-packed's P.struct: 2.2 Top Up Device, 8.2 Read
// Inventory, 8.11 Update HAN Device Log, 8.13 Return Local Command Response, 8.14.1-8.14.4 Communications Hub Status
// Updates, 11.1 Update Firmware, 11.4 Update PPMID Firmware, 12.1 Request WAN Matrix. Facets (lengths, ranges,
// enumerations, patterns) are DUIS Schema V5.4's for each element; every other SRV keeps the generic tree.
import { eui64Hyphenated, type Eui64 } from '../eui64.js';
import { toHex } from '../bytes.js';
import {
  DuisError,
  collapseEdges,
  formatBase64,
  formatDuisId,
  parseBase64Binary,
  parseBoolean,
  parseBoundedInteger,
  parseDateTime,
  parseDuisId,
  parseHexBinary,
  parseHyphenatedEui,
  quote,
  type DuisId,
} from './common.js';
import type { DuisRequest, DuisRequestBody } from './request.js';
import { srvInfo, type Srv } from './srv.js';
import { isLeaf, type DuisBodyElement } from './tree.js';

// ---- the layout engine -----------------------------------------------------------------------------------------

/** Reads and writes one element of a body: a text value, a sequence of elements, or a choice of one. */
export interface NodeCoder<T> {
  decode(node: DuisBodyElement, path: string): T;
  encode(value: T, name: string, path: string): DuisBodyElement;
}

/** A simple-typed value: its lexical form read strictly and written canonically. */
export function valueCoder<T>(
  decode: (text: string, path: string) => T,
  encode: (v: T) => string,
): NodeCoder<T> {
  return {
    decode(node, path) {
      if (node.attributes !== undefined) throw new DuisError(path, 'unexpected attributes');
      if (isLeaf(node)) return decode(node.text, path);
      if (node.children.length > 0)
        throw new DuisError(path, `expected text, got element sr:${node.children[0]!.name}`);
      return decode('', path);
    },
    encode(v, name) {
      const text = encode(v);
      return text === '' ? { name, children: [] } : { name, text };
    },
  };
}

type Field<T> = {
  [K in keyof T]-?: {
    readonly key: K;
    readonly element: string;
    readonly coder: NodeCoder<Exclude<T[K], undefined>>;
  } & (undefined extends T[K] ? { readonly optional: true } : { readonly optional?: false });
}[keyof T];

/** xs:sequence: the fields' elements in order, the optional ones possibly absent, nothing else. */
export function sequenceCoder<T>(fields: readonly Field<T>[]): NodeCoder<T> {
  return {
    decode(node, path) {
      if (isLeaf(node)) throw new DuisError(path, `expected elements, got text ${quote(node.text)}`);
      if (node.attributes !== undefined) throw new DuisError(path, 'unexpected attributes');
      const kids = node.children;
      const out: Record<string, unknown> = {};
      let i = 0;
      for (const f of fields) {
        const kid = kids[i];
        if (kid !== undefined && kid.name === f.element && kid.namespace === undefined) {
          out[f.key as string] = f.coder.decode(kid, `${path}/${f.element}`);
          i++;
        } else if (f.optional !== true) {
          throw new DuisError(
            path,
            kid === undefined ? `missing sr:${f.element}` : `expected sr:${f.element}, got sr:${kid.name}`,
          );
        }
      }
      if (i < kids.length) throw new DuisError(path, `unexpected sr:${kids[i]!.name}`);
      return out as T;
    },
    encode(v, name, path) {
      const children: DuisBodyElement[] = [];
      for (const f of fields) {
        const x = v[f.key];
        if (x === undefined) {
          if (f.optional !== true)
            throw new DuisError(`${path}/${f.element}`, `missing value for ${String(f.key)}`);
          continue;
        }
        children.push(
          f.coder.encode(x as Exclude<T[typeof f.key], undefined>, f.element, `${path}/${f.element}`),
        );
      }
      return { name, children };
    },
  };
}

/** xs:choice of single elements, read as `{ kind: element name, value }`. */
export type Choice<M> = { [E in keyof M]: { readonly kind: E; readonly value: M[E] } }[keyof M];

export function choiceCoder<M>(alternatives: { readonly [E in keyof M]: NodeCoder<M[E]> }): NodeCoder<
  Choice<M>
> {
  const names = Object.keys(alternatives) as (keyof M & string)[];
  return {
    decode(node, path) {
      if (isLeaf(node)) throw new DuisError(path, `expected one of sr:${names.join(', sr:')}, got text`);
      if (node.attributes !== undefined) throw new DuisError(path, 'unexpected attributes');
      const [kid, extra] = node.children;
      if (kid === undefined) throw new DuisError(path, `missing one of sr:${names.join(', sr:')}`);
      if (extra !== undefined) throw new DuisError(path, `unexpected sr:${extra.name} after sr:${kid.name}`);
      const coder =
        kid.namespace === undefined && Object.hasOwn(alternatives, kid.name)
          ? alternatives[kid.name as keyof M]
          : undefined;
      if (coder === undefined)
        throw new DuisError(path, `expected one of sr:${names.join(', sr:')}, got sr:${kid.name}`);
      return { kind: kid.name, value: coder.decode(kid, `${path}/${kid.name}`) } as Choice<M>;
    },
    encode(v, name, path) {
      const coder = Object.hasOwn(alternatives, v.kind) ? alternatives[v.kind] : undefined;
      if (coder === undefined) throw new DuisError(path, `no alternative ${String(v.kind)}`);
      return {
        name,
        children: [coder.encode(v.value as never, v.kind as string, `${path}/${String(v.kind)}`)],
      };
    },
  };
}

// ---- value coders (XSD simple types) ---------------------------------------------------------------------------

/** sr:EUI. */
export const euiValue = valueCoder<Eui64>((t, p) => parseHyphenatedEui(t, p), eui64Hyphenated);

/** sr:RequestIDType. */
export const requestIdValue = valueCoder<DuisId>(parseDuisId, formatDuisId);

/** xs:dateTime, kept as written. */
export const dateTimeValue = valueCoder<string>(parseDateTime, (v) => v);

export const booleanValue = valueCoder<boolean>(parseBoolean, (v) => (v ? 'true' : 'false'));

/** xs:string with length facets (counted in characters, as XSD counts them). */
export function stringValue(min: number, max: number): NodeCoder<string> {
  return valueCoder(
    (t, p) => {
      const n = [...t].length;
      if (n < min || n > max)
        throw new DuisError(p, `expected ${min}..${max} characters, got ${n} in ${quote(t)}`);
      return t;
    },
    (v) => v,
  );
}

/** An enumeration of xs:string (no whitespace folding: the value must match exactly). */
export function enumValue<const V extends readonly string[]>(values: V): NodeCoder<V[number]> {
  return valueCoder(
    (t, p) => {
      if (!values.includes(t))
        throw new DuisError(p, `${quote(t)} is not one of ${values.map((v) => quote(v)).join(', ')}`);
      return t as V[number];
    },
    (v) => v,
  );
}

export function integerValue(min: number, max: number): NodeCoder<number> {
  return valueCoder(
    (t, p) => parseBoundedInteger(t, p, min, max, 'value'),
    (v) => String(v),
  );
}

export function hexValue(minBytes: number, maxBytes: number): NodeCoder<Uint8Array> {
  return valueCoder((t, p) => parseHexBinary(t, p, minBytes, maxBytes), toHex);
}

export function base64Value(maxBytes = Infinity): NodeCoder<Uint8Array> {
  return valueCoder((t, p) => {
    const b = parseBase64Binary(t, p);
    if (b.length > maxBytes) throw new DuisError(p, `expected at most ${maxBytes} bytes, got ${b.length}`);
    return b;
  }, formatBase64);
}

/** A pattern-restricted xs:string, e.g. the 20-digit UTRN. */
export function patternValue(pattern: RegExp, description: string): NodeCoder<string> {
  return valueCoder(
    (t, p) => {
      if (!pattern.test(t)) throw new DuisError(p, `${quote(t)} is not ${description}`);
      return t;
    },
    (v) => v,
  );
}

/** DeviceIDList: comma-separated sr:EUIs, at least one (XSD minLength 23). */
export const deviceIdListValue = valueCoder<readonly Eui64[]>(
  (t, p) => {
    const ids = t.split(',').map((s, i) => parseHyphenatedEui(s, p, `device ${i + 1}`));
    return ids;
  },
  (v) => v.map(eui64Hyphenated).join(','),
);

/** sr:UPRN: xs:positiveInteger of at most 12 digits. */
export const uprnValue = valueCoder<number>(
  (t, p) => parseBoundedInteger(collapseEdges(t), p, 1, 999_999_999_999, 'UPRN'),
  (v) => String(v),
);

// ---- typed bodies ----------------------------------------------------------------------------------------------

/** A typed view of one SRV's request body. */
export interface BodyCodec<T> {
  readonly srv: Srv;
  /** The sr:Body child this SRV carries (before a Signed Pre-Command replaces it). */
  readonly element: string;
  decode(body: DuisRequestBody): T;
  encode(value: T): DuisRequestBody;
  /** The typed body of a request of this SRV; a DuisError for another SRV or a SignedPreCommand body. */
  read(req: DuisRequest): T;
}

function bodyCodec<T>(srv: Srv, coder: NodeCoder<T>): BodyCodec<T> {
  const element = srvInfo(srv)!.bodyElement;
  const path = `Request/Body/${element}`;
  const decode = (body: DuisRequestBody): T => {
    if (body.element !== element)
      throw new DuisError('Request/Body', `expected sr:${element}, got sr:${body.element}`);
    return coder.decode({ name: element, attributes: body.attributes, children: body.children }, path);
  };
  return {
    srv,
    element,
    decode,
    encode(v) {
      const node = coder.encode(v, element, path);
      return { element, children: isLeaf(node) ? [] : node.children };
    },
    read(req) {
      if (req.header.serviceReferenceVariant !== srv) {
        throw new DuisError(
          'Request/Header/ServiceReferenceVariant',
          `expected SRV ${srv}, got ${req.header.serviceReferenceVariant}`,
        );
      }
      return decode(req.body);
    },
  };
}

// 2.2 Top Up Device: a UTRN (GBCS 14.3; its own cryptography replaces the request signature).
export interface TopUpDeviceBody {
  /** 20 decimal digits. */
  readonly utrn: string;
}
export const topUpDevice = bodyCodec<TopUpDeviceBody>(
  '2.2',
  sequenceCoder<TopUpDeviceBody>([
    { key: 'utrn', element: 'UTRN', coder: patternValue(/^[0-9]{20}$/, 'a 20-digit UTRN') },
  ]),
);

// 8.2 Read Inventory and 12.1 Request WAN Matrix select premises or devices one way out of several.
export interface PropertyFilter {
  /** 6..8 characters. */
  readonly postCode: string;
  /** Up to 30 characters. */
  readonly addressIdentifier: string;
}
const propertyFilter = sequenceCoder<PropertyFilter>([
  { key: 'postCode', element: 'PostCode', coder: stringValue(6, 8) },
  { key: 'addressIdentifier', element: 'AddressIdentifier', coder: stringValue(0, 30) },
]);

export type ReadInventoryBody = Choice<{
  UPRN: number;
  DeviceID: Eui64;
  MPxN: string;
  PropertyFilter: PropertyFilter;
}>;
export const readInventory = bodyCodec<ReadInventoryBody>(
  '8.2',
  choiceCoder({
    UPRN: uprnValue,
    DeviceID: euiValue,
    MPxN: stringValue(1, 13),
    PropertyFilter: propertyFilter,
  }),
);

export type RequestWanMatrixBody = Choice<{ UPRN: number; PartialAddress: PropertyFilter }>;
export const requestWanMatrix = bodyCodec<RequestWanMatrixBody>(
  '12.1',
  choiceCoder({ UPRN: uprnValue, PartialAddress: propertyFilter }),
);

// 8.11 Update HAN Device Log: CCS01 (Add) or CCS02 (Remove) on the CHF's Device Log.
export interface ChfWhitelistEntry {
  /** DUIS JoinTimePeriod, 1..3600 (CCS01 join_timeout; the DLMS attribute counts seconds). */
  readonly joinTimePeriod: number;
  /** ZigBee install code, 6..16 octets (XSD hexBinary facets; SMETS devices use 16). */
  readonly installCode: Uint8Array;
  /** Up to 13 characters. */
  readonly importMpxn?: string;
  /** 13 characters. */
  readonly secondaryImportMpan?: string;
  /** 13 characters. */
  readonly exportMpan?: string;
}
export interface UpdateHanDeviceLogBody {
  readonly executionDateTime?: string;
  readonly deviceId: Eui64;
  readonly requestType: 'Add' | 'Remove';
  /** Present for Add. */
  readonly addDeviceToChfWhitelist?: ChfWhitelistEntry;
}
export const updateHanDeviceLog = bodyCodec<UpdateHanDeviceLogBody>(
  '8.11',
  sequenceCoder<UpdateHanDeviceLogBody>([
    { key: 'executionDateTime', element: 'ExecutionDateTime', coder: dateTimeValue, optional: true },
    { key: 'deviceId', element: 'DeviceID', coder: euiValue },
    { key: 'requestType', element: 'RequestType', coder: enumValue(['Add', 'Remove']) },
    {
      key: 'addDeviceToChfWhitelist',
      element: 'AddDeviceToCHFWhitelist',
      optional: true,
      coder: sequenceCoder<ChfWhitelistEntry>([
        { key: 'joinTimePeriod', element: 'JoinTimePeriod', coder: integerValue(1, 3600) },
        { key: 'installCode', element: 'InstallCode', coder: hexValue(6, 16) },
        { key: 'importMpxn', element: 'ImportMPxN', coder: stringValue(1, 13), optional: true },
        {
          key: 'secondaryImportMpan',
          element: 'SecondaryImportMPAN',
          coder: stringValue(13, 13),
          optional: true,
        },
        { key: 'exportMpan', element: 'ExportMPAN', coder: stringValue(13, 13), optional: true },
      ]),
    },
  ]),
);

// 8.13 Return Local Command Response: the device's GBCS response to a command the User delivered locally (HHT).
export interface ReturnLocalCommandResponseBody {
  readonly originalRequestId?: DuisId;
  /** A whole GBCS message (decodeGbcs). */
  readonly deviceGbcsResponse: Uint8Array;
}
export const returnLocalCommandResponse = bodyCodec<ReturnLocalCommandResponseBody>(
  '8.13',
  sequenceCoder<ReturnLocalCommandResponseBody>([
    { key: 'originalRequestId', element: 'OriginalRequestID', coder: requestIdValue, optional: true },
    { key: 'deviceGbcsResponse', element: 'DeviceGBCSResponse', coder: base64Value() },
  ]),
);

// 8.14.x Communications Hub Status Update (SECMP0010 CH triage).
export const CHF_INSTALL_TYPES = [
  'New CHF Install',
  'Replacement CHF Install',
  'CHF Install - no SM WAN',
] as const;
export const CHF_LOCATIONS = [
  'Outside Premises',
  'Indoors on external wall',
  'Deep indoors',
  'Basement or Cellar',
] as const;
export const PREMISE_TYPES = [
  'Detached / Semi Detached',
  'Terraced',
  'Low Rise Apartment (MDU <= 5 floors)',
  'High Rise Apartment (MDU > 5 floors)',
] as const;
export const CHF_FAULT_RETURN_TYPES = [
  'Fault identified prior to installation',
  'Fault identified post installation',
] as const;
export const CHF_CONNECTION_METHODS = ['Hot-shoe', 'Cradle', 'ESME'] as const;
export const CHF_FAULT_REASONS = [
  'Damaged case',
  'Damaged Connector',
  'Illegal interference or missing seals',
  'Environmental conditions exceeded',
  'SM WAN Fault',
  'SMHAN Interface Fault',
  'LED Fault',
  'Aerial fault',
  'Manufacturing defect',
] as const;
export const CHF_NO_FAULT_RETURN_TYPES = [
  'No Fault Return (general)',
  'No Fault Return (non-dom opt out)',
  'No Fault Return (dual supplier HAN variant replacement)',
  'No Fault Return (SM WAN variant replacement requested by DCC)',
  'Lost or Stolen Hub',
] as const;

const additionalInformation = stringValue(0, 200);
const userRefId = stringValue(0, 25);
const incidentReference = stringValue(0, 15);

/** 8.14.1 (SM WAN) and the start of 8.14.2 (no SM WAN). */
export interface ChfInstallBody {
  readonly deviceId: Eui64;
  readonly chfInstallType: (typeof CHF_INSTALL_TYPES)[number];
  readonly installDateTime?: string;
  readonly userRefId?: string;
  /** 1..13 characters. */
  readonly mpxn: string;
  /** Up to 25 characters. */
  readonly gisData?: string;
  readonly aerialInstall: boolean;
  readonly chfLocation: (typeof CHF_LOCATIONS)[number];
  readonly additionalInformation?: string;
}
export interface ChfInstallNoSmWanBody extends Omit<ChfInstallBody, 'additionalInformation'> {
  readonly premiseType: (typeof PREMISE_TYPES)[number];
  readonly metalObstructionCheck: boolean;
  readonly connectivityObstructionCheck: boolean;
  readonly sharedObstructionCheck: boolean;
  readonly additionalInformation?: string;
}

/** The fields 8.14.1 and 8.14.2 share, in schema order. */
const CHF_INSTALL_FIELDS = [
  { key: 'deviceId', element: 'DeviceID', coder: euiValue },
  { key: 'chfInstallType', element: 'CHFInstallType', coder: enumValue(CHF_INSTALL_TYPES) },
  { key: 'installDateTime', element: 'InstallDateTime', coder: dateTimeValue, optional: true },
  { key: 'userRefId', element: 'UserRefID', coder: userRefId, optional: true },
  { key: 'mpxn', element: 'MPxN', coder: stringValue(1, 13) },
  { key: 'gisData', element: 'GISData', coder: stringValue(0, 25), optional: true },
  { key: 'aerialInstall', element: 'AerialInstall', coder: booleanValue },
  { key: 'chfLocation', element: 'CHFLocation', coder: enumValue(CHF_LOCATIONS) },
] as const;

export const chfInstallSuccessSmWan = bodyCodec<ChfInstallBody>(
  '8.14.1',
  sequenceCoder<ChfInstallBody>([
    ...CHF_INSTALL_FIELDS,
    {
      key: 'additionalInformation',
      element: 'AdditionalInformation',
      coder: additionalInformation,
      optional: true,
    },
  ]),
);

export const chfInstallSuccessNoSmWan = bodyCodec<ChfInstallNoSmWanBody>(
  '8.14.2',
  sequenceCoder<ChfInstallNoSmWanBody>([
    ...CHF_INSTALL_FIELDS,
    { key: 'premiseType', element: 'PremiseType', coder: enumValue(PREMISE_TYPES) },
    { key: 'metalObstructionCheck', element: 'MetalObstructionCheck', coder: booleanValue },
    { key: 'connectivityObstructionCheck', element: 'ConnectivityObstructionCheck', coder: booleanValue },
    { key: 'sharedObstructionCheck', element: 'SharedObstructionCheck', coder: booleanValue },
    {
      key: 'additionalInformation',
      element: 'AdditionalInformation',
      coder: additionalInformation,
      optional: true,
    },
  ]),
);

export interface ChfFaultReturnBody {
  readonly deviceId: Eui64;
  readonly chfFaultReturnType: (typeof CHF_FAULT_RETURN_TYPES)[number];
  readonly userRefDateTime?: string;
  readonly userRefId?: string;
  /** The device the CH was connected to (e.g. the ESME). */
  readonly otherDeviceId: Eui64;
  readonly incidentReference?: string;
  readonly chfConnectionMethod: (typeof CHF_CONNECTION_METHODS)[number];
  readonly chfFaultReason: (typeof CHF_FAULT_REASONS)[number];
  readonly additionalInformation?: string;
}
export const chfFaultReturn = bodyCodec<ChfFaultReturnBody>(
  '8.14.3',
  sequenceCoder<ChfFaultReturnBody>([
    { key: 'deviceId', element: 'DeviceID', coder: euiValue },
    { key: 'chfFaultReturnType', element: 'CHFFaultReturnType', coder: enumValue(CHF_FAULT_RETURN_TYPES) },
    { key: 'userRefDateTime', element: 'UserRefDateTime', coder: dateTimeValue, optional: true },
    { key: 'userRefId', element: 'UserRefID', coder: userRefId, optional: true },
    { key: 'otherDeviceId', element: 'OtherDeviceID', coder: euiValue },
    { key: 'incidentReference', element: 'IncidentReference', coder: incidentReference, optional: true },
    { key: 'chfConnectionMethod', element: 'CHFConnectionMethod', coder: enumValue(CHF_CONNECTION_METHODS) },
    { key: 'chfFaultReason', element: 'CHFFaultReason', coder: enumValue(CHF_FAULT_REASONS) },
    {
      key: 'additionalInformation',
      element: 'AdditionalInformation',
      coder: additionalInformation,
      optional: true,
    },
  ]),
);

export interface ChfNoFaultReturnBody {
  readonly deviceId: Eui64;
  readonly chfNoFaultReturnType: (typeof CHF_NO_FAULT_RETURN_TYPES)[number];
  readonly userRefDateTime?: string;
  readonly userRefId?: string;
  readonly incidentReference?: string;
  readonly additionalInformation?: string;
}
export const chfNoFaultReturn = bodyCodec<ChfNoFaultReturnBody>(
  '8.14.4',
  sequenceCoder<ChfNoFaultReturnBody>([
    { key: 'deviceId', element: 'DeviceID', coder: euiValue },
    {
      key: 'chfNoFaultReturnType',
      element: 'CHFNoFaultReturnType',
      coder: enumValue(CHF_NO_FAULT_RETURN_TYPES),
    },
    { key: 'userRefDateTime', element: 'UserRefDateTime', coder: dateTimeValue, optional: true },
    { key: 'userRefId', element: 'UserRefID', coder: userRefId, optional: true },
    { key: 'incidentReference', element: 'IncidentReference', coder: incidentReference, optional: true },
    {
      key: 'additionalInformation',
      element: 'AdditionalInformation',
      coder: additionalInformation,
      optional: true,
    },
  ]),
);

// 11.1 Update Firmware (ESME, GSME, CH, HCALCS) and 11.4 Update PPMID Firmware (SECMP0007): image, version, devices.
export interface FirmwareUpdateBody {
  /** The firmware image (at most 10,240,000 octets). */
  readonly firmwareImage: Uint8Array;
  /** 1..8 characters. */
  readonly firmwareVersion: string;
  /** At least one device. */
  readonly deviceIdList: readonly Eui64[];
}
const firmwareUpdate = sequenceCoder<FirmwareUpdateBody>([
  { key: 'firmwareImage', element: 'FirmwareImage', coder: base64Value(10_240_000) },
  { key: 'firmwareVersion', element: 'FirmwareVersion', coder: stringValue(1, 8) },
  { key: 'deviceIdList', element: 'DeviceIDList', coder: deviceIdListValue },
]);
export const updateFirmware = bodyCodec<FirmwareUpdateBody>('11.1', firmwareUpdate);
export const updatePpmidFirmware = bodyCodec<FirmwareUpdateBody>('11.4', firmwareUpdate);

/** The typed body codecs, by SRV. */
export const TYPED_BODIES: ReadonlyMap<string, BodyCodec<unknown>> = new Map<string, BodyCodec<unknown>>(
  [
    topUpDevice,
    readInventory,
    updateHanDeviceLog,
    returnLocalCommandResponse,
    chfInstallSuccessSmWan,
    chfInstallSuccessNoSmWan,
    chfFaultReturn,
    chfNoFaultReturn,
    updateFirmware,
    updatePpmidFirmware,
    requestWanMatrix,
  ].map((c) => [c.srv, c as BodyCodec<unknown>]),
);
