// Readable printout of a typed ASN.1 view: one line per element, enumerations by name, alert codes in hex.
import { toHex } from '../../bytes.js';
import {
  ActivateFirmwareResponseCode,
  ActivateImageOutcome,
  ApplyTimeBasedCpvChecks,
  CellUsage,
  CredentialsReplacementMode,
  DeviceTimeStatus,
  DeviceType,
  FirmwareTransferResponseCode,
  IssueSecurityCredentialsResponseCode,
  JoinMethodAndRole,
  JoinResponseCode,
  ProvideDeviceCertificateResponseCode,
  ReadDeviceJoinDetailsResponseCode,
  ReadFirmwareVersionResponseCode,
  RemotePartyRole,
  SeqNumberUsage,
  StatusCode,
  UnjoinResponseCode,
  UpdateDeviceCertificateResponseCode,
  type Enumeration,
} from './enums.js';
import type { Asn1View, Asn1ViewKind } from './views.js';

/** Elements named the same in every view. */
const FIELD_ENUMS: Record<string, Enumeration> = {
  remotePartyRole: RemotePartyRole,
  remotePartyRolesCredentialsRequired: RemotePartyRole,
  deviceType: DeviceType,
  otherDeviceType: DeviceType,
  joinMethodAndRole: JoinMethodAndRole,
  statusCode: StatusCode,
  credentialsReplacementMode: CredentialsReplacementMode,
  cellUsage: CellUsage,
  seqNumberUsage: SeqNumberUsage,
  applyTimeBasedCPVChecks: ApplyTimeBasedCpvChecks,
  deviceTimeStatus: DeviceTimeStatus,
  activateImage: ActivateImageOutcome,
};

/** responseCode means something else in each use case. */
const RESPONSE_CODES: Partial<Record<Asn1ViewKind, Enumeration>> = {
  issueSecurityCredentialsResponse: IssueSecurityCredentialsResponseCode,
  updateDeviceCertificateResponse: UpdateDeviceCertificateResponseCode,
  provideDeviceCertificateResponse: ProvideDeviceCertificateResponseCode,
  joinDeviceResponse: JoinResponseCode,
  unjoinDeviceResponse: UnjoinResponseCode,
  readDeviceJoinDetailsResponse: ReadDeviceJoinDetailsResponseCode,
  activateFirmwareResponse: ActivateFirmwareResponseCode,
  activateFirmwareAlert: ActivateFirmwareResponseCode,
  firmwareTransferAlert: FirmwareTransferResponseCode,
  readPpmidHcalcsFirmwareVersionResponse: ReadFirmwareVersionResponseCode,
};

/** DER blobs (certificates, requests) are shown by size and their first octets. */
const BLOB_PREVIEW = 24;

export function formatAsn1View(view: Asn1View): string[] {
  const { kind, ...fields } = view;
  const lines = [kind];
  formatFields(fields, '  ', kind, lines);
  return lines;
}

function formatFields(record: object, indent: string, kind: Asn1ViewKind, lines: string[]): void {
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    formatValue(name, value, indent, kind, lines);
  }
}

/** `lookup` is the element name that picks the enumeration: an array's items are looked up by the array's name. */
function formatValue(
  name: string,
  value: unknown,
  indent: string,
  kind: Asn1ViewKind,
  lines: string[],
  lookup = name,
): void {
  if (Array.isArray(value)) {
    if (name === 'keyUsage') {
      lines.push(`${indent}${name}: ${value.length === 0 ? '(none)' : value.join(', ')}`);
      return;
    }
    lines.push(`${indent}${name}: ${value.length} item${value.length === 1 ? '' : 's'}`);
    value.forEach((item, i) => formatValue(`[${i}]`, item, indent + '  ', kind, lines, name));
    return;
  }
  if (value instanceof Uint8Array) {
    const hex = toHex(value.subarray(0, BLOB_PREVIEW));
    lines.push(`${indent}${name}: ${value.length > BLOB_PREVIEW ? `(${value.length} bytes) ${hex}…` : hex}`);
    return;
  }
  if (value !== null && typeof value === 'object') {
    lines.push(`${indent}${name}:`);
    formatFields(value, indent + '  ', kind, lines);
    return;
  }
  lines.push(`${indent}${name}: ${scalar(lookup, value, kind)}`);
}

function scalar(name: string, value: unknown, kind: Asn1ViewKind): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (name === 'alertCode') return `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
    const enumeration = name === 'responseCode' ? RESPONSE_CODES[kind] : FIELD_ENUMS[name];
    return enumeration === undefined ? String(value) : enumeration.format(value);
  }
  return String(value);
}
