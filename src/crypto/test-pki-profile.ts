// The SMKI certificate profile as GBCS 12 states it and as the public test certificates show it
// (RTDS 4.5.0 device certificates, DCC Boxed ZAZ1 organisation certificates): OIDs, Remote Party Role names
// and codes, device type names. Values marked [O] were read from those certificates, not from a specification.
import {
  DeviceType as GbcsDeviceType,
  RemotePartyRole as GbcsRemotePartyRole,
} from '../codec/gbcs/asn1/enums.js';

// The Remote Party Roles and device types are the GBCS ASN.1 enumerations (asn1/enums.ts); the PKI names them.

/**
 * A GBCS RemotePartyRole name, carried as the organisation certificate's subject OU in two hex digits.
 * 8 is the load controller of CS02g ([O] DCC Boxed Z1-loadController, 90-B3-D5-1F-30-01-00-08, OU "08").
 */
export type RemotePartyRole = (typeof GbcsRemotePartyRole.entries)[number][1];
export type RemotePartyRoleCode = (typeof GbcsRemotePartyRole.entries)[number][0];

const ROLE_BY_NAME = new Map<string, RemotePartyRoleCode>(
  GbcsRemotePartyRole.entries.map(([code, name]) => [name, code]),
);

export function remotePartyRoleCode(role: RemotePartyRole): RemotePartyRoleCode {
  return ROLE_BY_NAME.get(role)!;
}

/**
 * The GBCS name of a role code, or undefined for codes outside the GBCS list. [O] DCC Boxed also issues
 * OU 87 (0x87, users' DUIS XML signing) and 89 (0x89, the DSP's DUIS XML signing).
 */
export function remotePartyRoleName(code: number): RemotePartyRole | undefined {
  return GbcsRemotePartyRole.nameOf(code);
}

/** A GBCS DeviceType name. Type 2 devices (IHD, CAD) hold no SMKI certificates. */
export type DeviceType = (typeof GbcsDeviceType.entries)[number][1];

export const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  commonName: '2.5.4.3',
  organizationalUnitName: '2.5.4.11',
  x500UniqueIdentifier: '2.5.4.45',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  /** RFC 4108 id-on-hardwareModuleName. */
  hardwareModuleName: '1.3.6.1.5.5.7.8.4',
} as const;

/** [O] certificatePolicies of every ZAZ1 organisation certificate (DCC Boxed, RTDS keystore). */
export const ZAZ1_ORGANISATION_POLICY_OID = '1.2.826.0.1.8641679.1.2.1.4';
/** [O] certificatePolicies of every RTDS 4.5.0 device certificate (issuer CN=E357). */
export const RTDS_DEVICE_POLICY_OID = '1.2.826.0.1.1800000.1.2.1.4';
/** [O] hwType of the hardwareModuleName in every RTDS device certificate, whatever the device type. */
export const RTDS_HW_TYPE_OID = '1.2.826.0.1.8641679.1.2.2.1';

/** RFC 5280 4.2.1.3 keyUsage bits, as the first content octet after the unused-bits octet. */
export const KEY_USAGE_BITS = {
  digitalSignature: 0x80,
  keyAgreement: 0x08,
  keyCertSign: 0x04,
  cRLSign: 0x02,
} as const;

/** GBCS 12: a Device Certificate has no well-defined expiry. */
export const DEVICE_NOT_AFTER = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));
