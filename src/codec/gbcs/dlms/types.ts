// DLMS COSEM payloads of GBCS messages (GBCS 7/8; DLMS Green Book, IEC 62056-5-3 xDLMS APDUs, A-XDR
// IEC 61334-6): the typed values the codec produces and accepts. Names follow the Green Book ASN.1.

/** A-XDR `Data` CHOICE (Green Book `Data ::= CHOICE`): one list, from which names, lookups and printer derive. */
export const DLMS_DATA_TYPES = [
  [0, 'null-data'],
  [1, 'array'],
  [2, 'structure'],
  [3, 'boolean'],
  [4, 'bit-string'],
  [5, 'double-long'],
  [6, 'double-long-unsigned'],
  [9, 'octet-string'],
  [10, 'visible-string'],
  [12, 'utf8-string'],
  [13, 'bcd'],
  [15, 'integer'],
  [16, 'long'],
  [17, 'unsigned'],
  [18, 'long-unsigned'],
  [19, 'compact-array'],
  [20, 'long64'],
  [21, 'long64-unsigned'],
  [22, 'enum'],
  [23, 'float32'],
  [24, 'float64'],
  [25, 'date-time'],
  [26, 'date'],
  [27, 'time'],
  [255, 'dont-care'],
] as const;

export type DlmsDataTypeName = (typeof DLMS_DATA_TYPES)[number][1];

/** What each Data type carries besides its tag. */
export interface DlmsDataContents {
  'null-data': Record<never, never>;
  array: { value: DlmsData[] };
  structure: { value: DlmsData[] };
  boolean: { value: boolean };
  /** `value` holds ceil(bitLength / 8) octets, first bit in the most significant bit of the first octet. */
  'bit-string': { bitLength: number; value: Uint8Array };
  'double-long': { value: number };
  'double-long-unsigned': { value: number };
  /** Strings stay raw octets, so any content round-trips. */
  'octet-string': { value: Uint8Array };
  'visible-string': { value: Uint8Array };
  'utf8-string': { value: Uint8Array };
  /** The raw octet: two BCD digits. */
  bcd: { value: number };
  integer: { value: number };
  long: { value: number };
  unsigned: { value: number };
  'long-unsigned': { value: number };
  /** Every element of `value` has the shape `contentsDescription` describes. */
  'compact-array': { contentsDescription: DlmsTypeDescription; value: DlmsData[] };
  long64: { value: bigint };
  'long64-unsigned': { value: bigint };
  enum: { value: number };
  /** IEEE 754 octets kept raw, so NaN payloads and -0 round-trip. */
  float32: { value: Uint8Array };
  float64: { value: Uint8Array };
  'date-time': { value: Uint8Array };
  date: { value: Uint8Array };
  time: { value: Uint8Array };
  'dont-care': Record<never, never>;
}

export type DlmsDataOf<N extends DlmsDataTypeName> = { type: N } & DlmsDataContents[N];

export type DlmsData = { [N in DlmsDataTypeName]: DlmsDataOf<N> }[DlmsDataTypeName];

/** Green Book `TypeDescription`: the element type of a compact-array. */
export type DlmsTypeDescription =
  | { type: 'array'; numberOfElements: number; typeDescription: DlmsTypeDescription }
  | { type: 'structure'; value: DlmsTypeDescription[] }
  | { type: Exclude<DlmsDataTypeName, 'array' | 'structure' | 'compact-array'> };

/** Selective-Access-Descriptor. */
export interface SelectiveAccessDescriptor {
  accessSelector: number;
  accessParameters: DlmsData;
}

/** access-request-get / -set: a Cosem-Attribute-Descriptor (class-id, instance-id, attribute-id). */
export interface AccessRequestAttribute {
  type: 'get' | 'set';
  classId: number;
  /** OBIS code, 6 octets; see formatObis. */
  instanceId: Uint8Array;
  attributeId: number;
}

/** access-request-action: a Cosem-Method-Descriptor (class-id, instance-id, method-id). */
export interface AccessRequestMethod {
  type: 'action';
  classId: number;
  instanceId: Uint8Array;
  methodId: number;
}

/** access-request-get-with-selection / -set-with-selection: attribute descriptor plus access-selection. */
export interface AccessRequestAttributeWithSelection {
  type: 'get-with-selection' | 'set-with-selection';
  classId: number;
  instanceId: Uint8Array;
  attributeId: number;
  accessSelection: SelectiveAccessDescriptor;
}

/** Access-Request-Specification CHOICE (Green Book: get 1, set 2, action 3, get-with-selection 4, set-with-selection 5). */
export type AccessRequestSpecification =
  AccessRequestAttribute | AccessRequestMethod | AccessRequestAttributeWithSelection;

export const ACCESS_REQUEST_SPECIFICATIONS = [
  [1, 'get'],
  [2, 'set'],
  [3, 'action'],
  [4, 'get-with-selection'],
  [5, 'set-with-selection'],
] as const;

/** Access-Response-Specification CHOICE: get 1 / set 2 carry a Data-Access-Result, action 3 an Action-Result. */
export type AccessResponseSpecification =
  { type: 'get' | 'set'; dataAccessResult: number } | { type: 'action'; actionResult: number };

export const ACCESS_RESPONSE_SPECIFICATIONS = [
  [1, 'get'],
  [2, 'set'],
  [3, 'action'],
] as const;

/** Data-Access-Result ENUMERATED (Green Book). */
export const DATA_ACCESS_RESULTS = [
  [0, 'success'],
  [1, 'hardware-fault'],
  [2, 'temporary-failure'],
  [3, 'read-write-denied'],
  [4, 'object-undefined'],
  [9, 'object-class-inconsistent'],
  [11, 'object-unavailable'],
  [12, 'type-unmatched'],
  [13, 'scope-of-access-violated'],
  [14, 'data-block-unavailable'],
  [15, 'long-get-aborted'],
  [16, 'no-long-get-in-progress'],
  [17, 'long-set-aborted'],
  [18, 'no-long-set-in-progress'],
  [19, 'data-block-number-invalid'],
  [250, 'other-reason'],
] as const;

/** Action-Result ENUMERATED (Green Book). */
export const ACTION_RESULTS = [
  [0, 'success'],
  [1, 'hardware-fault'],
  [2, 'temporary-failure'],
  [3, 'read-write-denied'],
  [4, 'object-undefined'],
  [9, 'object-class-inconsistent'],
  [11, 'object-unavailable'],
  [12, 'type-unmatched'],
  [13, 'scope-of-access-violated'],
  [14, 'data-block-unavailable'],
  [15, 'long-action-aborted'],
  [16, 'no-long-action-in-progress'],
  [250, 'other-reason'],
] as const;

/** xDLMS APDU tags GBCS uses for DLMS payloads. */
export const DLMS_APDUS = [
  [0xd9, 'access-request'],
  [0xda, 'access-response'],
  [0x0f, 'data-notification'],
] as const;

interface DlmsApduHeader {
  /** Long-Invoke-Id-And-Priority, 32 bits. */
  invokeIdAndPriority: number;
  /** The date-time OCTET STRING: 12 octets, or null when empty. */
  dateTime: Uint8Array | null;
}

/** Access-Request: access-request-specification list, then access-request-list-of-data. */
export interface DlmsAccessRequest extends DlmsApduHeader {
  type: 'access-request';
  specifications: AccessRequestSpecification[];
  data: DlmsData[];
}

/** Access-Response: the optional echo of the request specification, access-response-list-of-data, access-response-specification. */
export interface DlmsAccessResponse extends DlmsApduHeader {
  type: 'access-response';
  /** access-request-specification [0] OPTIONAL: null when absent (GBCS responses leave it out). */
  specifications: AccessRequestSpecification[] | null;
  data: DlmsData[];
  responseSpecifications: AccessResponseSpecification[];
}

/** Data-Notification: one Data as notification-body (GBCS alerts). */
export interface DlmsDataNotification extends DlmsApduHeader {
  type: 'data-notification';
  notificationBody: DlmsData;
}

export type DlmsApdu = DlmsAccessRequest | DlmsAccessResponse | DlmsDataNotification;

/** Lookup table from a `[code, name]` list: index = code. */
export function namesByCode<N extends string>(list: readonly (readonly [number, N])[]): (N | undefined)[] {
  const out: (N | undefined)[] = new Array<N | undefined>(256).fill(undefined);
  for (const [code, name] of list) out[code] = name;
  return out;
}

/** Lookup table from a `[code, name]` list: name → code (no prototype, so only listed names hit). */
export function codesByName<N extends string>(list: readonly (readonly [number, N])[]): Record<N, number> {
  const out = Object.create(null) as Record<N, number>;
  for (const [code, name] of list) out[name] = code;
  return out;
}

/** Data tag → type name, and back. */
export const DATA_TYPE_NAMES = namesByCode(DLMS_DATA_TYPES);
export const DATA_TYPE_CODES = codesByName(DLMS_DATA_TYPES);
