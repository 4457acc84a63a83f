// Which typed view reads the ASN.1 payload of which message: chosen by message code and CRA flag (GBCS
// use-case tables), never guessed from the bytes. A code or CRA flag the table does not list has no view
// and stays a DER tree.
import { EncodeError } from '../../bytes.js';
import type { Cra } from '../frame.js';
import { DER_LAYER, type DerNode } from './der.js';
import type { Coder, ValueOf } from './coder.js';
import { setTimeCommand, setTimeResponse } from './clock.js';
import {
  activateFirmwareAlert,
  activateFirmwareCommand,
  activateFirmwareResponse,
  firmwareTransferAlert,
  ppmidFirmwareActivationAlert,
  readPpmidHcalcsFirmwareVersionCommand,
  readPpmidHcalcsFirmwareVersionResponse,
} from './firmware.js';
import {
  gpfDeviceLogBackupAlert,
  joinDeviceCommand,
  joinDeviceResponse,
  readDeviceJoinDetailsCommand,
  readDeviceJoinDetailsResponse,
  unjoinDeviceCommand,
  unjoinDeviceResponse,
} from './han.js';
import {
  issueSecurityCredentialsCommand,
  issueSecurityCredentialsResponse,
  provideDeviceCertificateCommand,
  provideDeviceCertificateResponse,
  provideSecurityCredentialDetailsCommand,
  provideSecurityCredentialDetailsResponse,
  updateDeviceCertificateCommand,
  updateDeviceCertificateResponse,
  updateSecurityCredentialsAlert,
  updateSecurityCredentialsCommand,
  updateSecurityCredentialsResponse,
} from './security-credentials.js';

/** Every typed view, by the name of its ASN.1 type. */
export const ASN1_VIEW_CODERS = {
  provideSecurityCredentialDetailsCommand,
  provideSecurityCredentialDetailsResponse,
  updateSecurityCredentialsCommand,
  updateSecurityCredentialsResponse,
  updateSecurityCredentialsAlert,
  issueSecurityCredentialsCommand,
  issueSecurityCredentialsResponse,
  updateDeviceCertificateCommand,
  updateDeviceCertificateResponse,
  provideDeviceCertificateCommand,
  provideDeviceCertificateResponse,
  joinDeviceCommand,
  joinDeviceResponse,
  unjoinDeviceCommand,
  unjoinDeviceResponse,
  readDeviceJoinDetailsCommand,
  readDeviceJoinDetailsResponse,
  gpfDeviceLogBackupAlert,
  activateFirmwareCommand,
  activateFirmwareResponse,
  activateFirmwareAlert,
  firmwareTransferAlert,
  readPpmidHcalcsFirmwareVersionCommand,
  readPpmidHcalcsFirmwareVersionResponse,
  ppmidFirmwareActivationAlert,
  setTimeCommand,
  setTimeResponse,
} as const satisfies Record<string, Coder<object>>;

export type Asn1ViewKind = keyof typeof ASN1_VIEW_CODERS;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** A typed ASN.1 payload: `kind` names the ASN.1 type, the other fields are its elements. */
export type Asn1View = {
  [K in Asn1ViewKind]: Simplify<{ kind: K } & ValueOf<(typeof ASN1_VIEW_CODERS)[K]>>;
}[Asn1ViewKind];
export type Asn1ViewOf<K extends Asn1ViewKind> = Extract<Asn1View, { kind: K }>;

interface UseCaseRow {
  useCase: string;
  title: string;
  codes: readonly number[];
  command?: Asn1ViewKind;
  response?: Asn1ViewKind;
  alert?: Asn1ViewKind;
}

const CS02B_CODES = [0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108, 0x0109] as const;

/** The ASN.1 use cases (GBCS section 13 and 11): message codes and the view of each CRA flag. */
export const ASN1_USE_CASES = [
  {
    useCase: 'CS02a',
    title: 'Provide Security Credentials Details',
    codes: [0x0008],
    command: 'provideSecurityCredentialDetailsCommand',
    response: 'provideSecurityCredentialDetailsResponse',
  },
  {
    useCase: 'CS02b',
    title: 'Update Security Credentials',
    codes: CS02B_CODES,
    command: 'updateSecurityCredentialsCommand',
    response: 'updateSecurityCredentialsResponse',
  },
  {
    useCase: 'CS02b',
    title: 'Future Dated Update Security Credentials Alert',
    codes: [0x00cb],
    alert: 'updateSecurityCredentialsAlert',
  },
  {
    useCase: 'CS02c',
    title: 'Issue Security Credentials',
    codes: [0x000a],
    command: 'issueSecurityCredentialsCommand',
    response: 'issueSecurityCredentialsResponse',
  },
  {
    useCase: 'CS02d',
    title: 'Update Device Certificates on Device',
    codes: [0x000b],
    command: 'updateDeviceCertificateCommand',
    response: 'updateDeviceCertificateResponse',
  },
  {
    useCase: 'CS02e',
    title: 'Provide Device Certificates from Device',
    codes: [0x000c],
    command: 'provideDeviceCertificateCommand',
    response: 'provideDeviceCertificateResponse',
  },
  {
    useCase: 'CS02f',
    title: 'Provide Security Credential Details (ESME and SAPC)',
    codes: [0x011b],
    command: 'provideSecurityCredentialDetailsCommand',
    response: 'provideSecurityCredentialDetailsResponse',
  },
  {
    useCase: 'CS02g',
    title: 'Update Load Controller Security Credentials',
    codes: [0x0126],
    command: 'updateSecurityCredentialsCommand',
    response: 'updateSecurityCredentialsResponse',
  },
  {
    useCase: 'CS02g',
    title: 'Future Dated Update Load Controller Security Credentials Alert',
    codes: [0x0124],
    alert: 'updateSecurityCredentialsAlert',
  },
  {
    useCase: 'CS03A1',
    title: 'Method A Join (Meter)',
    codes: [0x000d],
    command: 'joinDeviceCommand',
    response: 'joinDeviceResponse',
  },
  {
    useCase: 'CS03A2',
    title: 'Method A Join (non Meter)',
    codes: [0x00ab],
    command: 'joinDeviceCommand',
    response: 'joinDeviceResponse',
  },
  {
    useCase: 'CS03B',
    title: 'Method B Join',
    codes: [0x000e],
    command: 'joinDeviceCommand',
    response: 'joinDeviceResponse',
  },
  {
    useCase: 'CS03C',
    title: 'Method C Join',
    codes: [0x00af],
    command: 'joinDeviceCommand',
    response: 'joinDeviceResponse',
  },
  {
    useCase: 'CS04AC',
    title: 'Method A or C Unjoin',
    codes: [0x000f],
    command: 'unjoinDeviceCommand',
    response: 'unjoinDeviceResponse',
  },
  {
    useCase: 'CS04B',
    title: 'Method B Unjoin',
    codes: [0x0010],
    command: 'unjoinDeviceCommand',
    response: 'unjoinDeviceResponse',
  },
  {
    useCase: 'CS06',
    title: 'Activate Firmware',
    codes: [0x0012],
    command: 'activateFirmwareCommand',
    response: 'activateFirmwareResponse',
  },
  {
    useCase: 'CS06',
    title: 'Future Dated Firmware Activation Alert',
    codes: [0x00ca],
    alert: 'activateFirmwareAlert',
  },
  {
    useCase: 'CS07',
    title: 'Read Device Join Details',
    codes: [0x0013],
    command: 'readDeviceJoinDetailsCommand',
    response: 'readDeviceJoinDetailsResponse',
  },
  { useCase: 'CCS08', title: 'Firmware Transfer Alert', codes: [0x0128], alert: 'firmwareTransferAlert' },
  {
    useCase: 'CS08',
    title: 'Read PPMID/HCALCS Firmware Version',
    codes: [0x0129],
    command: 'readPpmidHcalcsFirmwareVersionCommand',
    response: 'readPpmidHcalcsFirmwareVersionResponse',
    alert: 'ppmidFirmwareActivationAlert',
  },
  {
    useCase: 'CS09',
    title: 'PPMID Firmware Activation Alert',
    codes: [0x012b],
    alert: 'ppmidFirmwareActivationAlert',
  },
  {
    useCase: 'GCS28',
    title: 'Set Clock on GSME',
    codes: [0x007f],
    command: 'setTimeCommand',
    response: 'setTimeResponse',
  },
  { useCase: 'GCS62', title: 'Backup GPF Device Log', codes: [0x00b2], alert: 'gpfDeviceLogBackupAlert' },
] as const satisfies readonly UseCaseRow[];

export type Asn1UseCase = (typeof ASN1_USE_CASES)[number];

const CRA_FIELD = { 1: 'command', 2: 'response', 3: 'alert' } as const;
const BY_CODE = new Map<number, UseCaseRow>();
for (const row of ASN1_USE_CASES as readonly UseCaseRow[]) for (const c of row.codes) BY_CODE.set(c, row);

/** Message codes whose payload is ASN.1. */
export const ASN1_MESSAGE_CODES: ReadonlySet<number> = new Set(BY_CODE.keys());

export function asn1UseCase(messageCode: number): UseCaseRow | undefined {
  return BY_CODE.get(messageCode);
}

/** The view that reads a message's payload, or undefined when the code or CRA flag has none. */
export function asn1ViewKind(messageCode: number, cra: Cra): Asn1ViewKind | undefined {
  return BY_CODE.get(messageCode)?.[CRA_FIELD[cra]];
}

/**
 * Reads a DER tree as the typed view of the message's use case. Undefined when the code/CRA has no view;
 * a tree that breaks the use case's grammar throws DecodeError naming the element and its byte offset.
 */
export function interpretAsn1(messageCode: number, cra: Cra, tree: DerNode): Asn1View | undefined {
  const kind = asn1ViewKind(messageCode, cra);
  if (kind === undefined) return undefined;
  const value = (ASN1_VIEW_CODERS[kind] as Coder<object>).read(tree, kind);
  return { kind, ...value } as Asn1View;
}

/** The DER tree of a typed view (minimal DER lengths). */
export function buildAsn1(view: Asn1View): DerNode {
  if (view === null || typeof view !== 'object')
    throw new EncodeError(DER_LAYER, 'view', `expected a typed ASN.1 view, got ${String(view)}`);
  const { kind, ...value } = view;
  const coder = (ASN1_VIEW_CODERS as Record<string, Coder<object>>)[kind];
  if (coder === undefined)
    throw new EncodeError(DER_LAYER, 'view.kind', `unknown ASN.1 view "${String(kind)}"`);
  return coder.build(value, kind);
}
