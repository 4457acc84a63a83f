// Named values of the GBCS ASN.1 module (GBCS section 13; domain brief §2.6). One `as const` list per
// enumeration: the value constants, the name lookup and the printer all come from it.

type Entries = readonly (readonly [number, string])[];

/** `entries` keeps the literal list, so `(typeof DeviceType.entries)[number][1]` is the union of the names. */
export interface Enumeration<E extends Entries = Entries> {
  readonly title: string;
  readonly entries: E;
  /** The ASN.1 name of a value, or undefined for a value the list does not name. */
  nameOf(value: number): E[number][1] | undefined;
  /** "methodB (2)", or "(14)" for an unnamed value. */
  format(value: number): string;
}

type Constants<E extends Entries> = {
  readonly [P in E[number] as P[1]]: P[0];
};

function enumeration<const E extends Entries>(title: string, entries: E): Enumeration<E> & Constants<E> {
  const names = new Map<number, E[number][1]>(entries);
  const constants = Object.fromEntries(entries.map(([v, n]) => [n, v])) as Constants<E>;
  return {
    ...constants,
    title,
    entries,
    nameOf: (value) => names.get(value),
    format: (value) => {
      const name = names.get(value);
      return name === undefined ? `(${value})` : `${name} (${value})`;
    },
  };
}

export const DeviceType = enumeration('DeviceType', [
  [0, 'gsme'],
  [1, 'esme'],
  [2, 'chf'],
  [3, 'gpf'],
  [4, 'hcalcs'],
  [5, 'ppmid'],
  [6, 'type2'],
]);

/** 8 is the load controller role of CS02g (DCC Boxed ZAZ1 `Z1-loadController`, 90-B3-D5-1F-30-01-00-08). */
export const RemotePartyRole = enumeration('RemotePartyRole', [
  [0, 'root'],
  [1, 'recovery'],
  [2, 'supplier'],
  [3, 'networkOperator'],
  [4, 'accessControlBroker'],
  [5, 'transitionalCoS'],
  [6, 'wanProvider'],
  [7, 'issuingAuthority'],
  [8, 'loadController'],
  [127, 'other'],
]);

/**
 * CS02b/CS02g modes; the CS02b message code is 0x0100 + mode (0x0102 supplierBySupplier … 0x0109 anyByContingency).
 * 11 is CS02g (message code 0x0126). 10 is not named by any source at hand.
 */
export const CredentialsReplacementMode = enumeration('CredentialsReplacementMode', [
  [0, 'rootBySupplier'],
  [1, 'rootByWanProvider'],
  [2, 'supplierBySupplier'],
  [3, 'networkOperatorByNetworkOperator'],
  [4, 'accessControlBrokerByACB'],
  [5, 'wanProviderByWanProvider'],
  [6, 'transCoSByTransCoS'],
  [7, 'supplierByTransCoS'],
  [8, 'anyExceptAbnormalRootByRecovery'],
  [9, 'anyByContingency'],
  [11, 'loadControllerBySupplier'],
]);

/** CS02a/CS02b/CS02f status (an RFC 5934 TAMP-style StatusCode ENUMERATED; only the values GBCS tooling names). */
export const StatusCode = enumeration('StatusCode', [
  [0, 'success'],
  [5, 'badCertificate'],
  [10, 'noTrustAnchor'],
  [17, 'insufficientMemory'],
  [25, 'trustAnchorNotFound'],
  [30, 'resourcesBusy'],
  [127, 'other'],
]);

export const CellUsage = enumeration('CellUsage', [
  [0, 'management'],
  [1, 'prePaymentTopUp'],
]);

export const SeqNumberUsage = enumeration('SeqNumberUsage', [[0, 'prePaymentTopUp']]);

export const ApplyTimeBasedCpvChecks = enumeration('ApplyTimeBasedCPVChecks', [
  [0, 'apply'],
  [1, 'disapply'],
]);

/** X.509 KeyUsage bit names (RFC 5280 §4.2.1.3); GBCS uses digitalSignature, keyAgreement and keyCertSign. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageBit = (typeof KEY_USAGE_BITS)[number];

export const IssueSecurityCredentialsResponseCode = enumeration('IssueSecurityCredentialsResponseCode', [
  [1, 'invalidKeyUsage'],
  [2, 'keyPairGenerationFailed'],
  [3, 'crProductionFailed'],
]);

export const UpdateDeviceCertificateResponseCode = enumeration('UpdateDeviceCertificateResponseCode', [
  [0, 'success'],
  [1, 'invalidCertificate'],
  [2, 'wrongDeviceIdentity'],
  [3, 'invalidKeyUsage'],
  [4, 'noCorrespondingKeyPairGenerated'],
  [5, 'wrongPublicKey'],
  [6, 'certificateStorageFailed'],
  [7, 'privateKeyChangeFailed'],
]);

export const ProvideDeviceCertificateResponseCode = enumeration('ProvideDeviceCertificateResponseCode', [
  [1, 'invalidKeyUsage'],
  [2, 'noCertificateHeld'],
  [3, 'certificateRetrievalFailure'],
]);

export const JoinMethodAndRole = enumeration('JoinMethodAndRole', [
  [0, 'methodAInitiator'],
  [1, 'methodAResponder'],
  [2, 'methodB'],
  [3, 'methodC'],
]);

export const JoinResponseCode = enumeration('JoinResponseCode', [
  [0, 'success'],
  [1, 'invalidMessageCodeForJoinMethodAndRole'],
  [2, 'invalidJoinMethodAndRole'],
  [3, 'incompatibleWithExistingEntry'],
  [4, 'deviceLogFull'],
  [5, 'writeFailure'],
  [6, 'keyAgreementNoResources'],
  [7, 'keyAgreementUnknownIssuer'],
  [8, 'keyAgreementUnsupportedSuite'],
  [9, 'keyAgreementBadMessage'],
  [10, 'keyAgreementBadKeyConfirm'],
  [11, 'invalidOrMissingCertificate'],
  [12, 'noPartnerLinkKeyReceived'],
  [13, 'noCbkeResponse'],
]);

export const UnjoinResponseCode = enumeration('UnjoinResponseCode', [
  [0, 'success'],
  [1, 'notInDeviceLog'],
  [2, 'otherFailure'],
]);

export const ReadDeviceJoinDetailsResponseCode = enumeration('ReadDeviceJoinDetailsResponseCode', [
  [0, 'success'],
  [1, 'readFailure'],
]);

export const ActivateFirmwareResponseCode = enumeration('ActivateFirmwareResponseCode', [
  [0, 'success'],
  [1, 'noImageHeld'],
  [2, 'hashMismatch'],
  [3, 'activationFailure'],
]);

export const FirmwareTransferResponseCode = enumeration('FirmwareTransferResponseCode', [
  [0, 'success'],
  [1, 'imageDiscarded'],
  [2, 'hardwareVersionMismatch'],
  [3, 'fileTransferFailure'],
]);

export const ReadFirmwareVersionResponseCode = enumeration('ReadFirmwareVersionResponseCode', [
  [0, 'readSuccess'],
  [1, 'readFailure'],
]);

export const ActivateImageOutcome = enumeration('ActivateImageOutcome', [
  [0, 'success'],
  [1, 'failure'],
]);

export const DeviceTimeStatus = enumeration('DeviceTimeStatus', [
  [0, 'reliable'],
  [1, 'invalid'],
  [2, 'unreliable'],
]);
