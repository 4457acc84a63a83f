// CS02 security credential use cases (GBCS 13.2–13.6, 13.9, 13.10): trust anchor cells, their replacement,
// device key pairs and certificates. Element names follow the GBCS ASN.1 module; structure checked against RTDS.
import { UNIVERSAL } from './der.js';
import {
  choice,
  derEncoded,
  entityId,
  enumerated,
  generalizedTime,
  implicit,
  named,
  nullValue,
  octetString,
  optional,
  sequence,
  sequenceOf,
  type ValueOf,
} from './coder.js';
import { alertCode, certificate, code, keyUsage, seqNumber, trustAnchorCellIdentifier } from './common.js';

const statusCode = enumerated(0, 255);

// CS02a (0x0008) and CS02f (0x011B) Provide Security Credential Details ------------------------------------

export const provideSecurityCredentialDetailsCommand = sequence({
  authorisingRemotePartyTACellIdentifier: trustAnchorCellIdentifier,
  remotePartyRolesCredentialsRequired: sequenceOf(code),
});

const trustAnchorCellContents = sequence({
  keyUsage,
  cellUsage: optional(code),
  subjectUniqueID: entityId,
  subjectKeyIdentifier: octetString(),
});

const remotePartyDetails = sequence({
  remotePartyRole: code,
  statusCode,
  /** Absent, with trustAnchorCellDetails, when statusCode is not success. */
  currentSeqNumber: optional(seqNumber),
  trustAnchorCellDetails: optional(sequenceOf(trustAnchorCellContents)),
});

export const provideSecurityCredentialDetailsResponse = named(
  'remotePartyDetails',
  sequenceOf(remotePartyDetails),
);

// CS02b (0x0100–0x0109) and CS02g (0x0126) Update Security Credentials ----------------------------------------

const specialistSeqNumber = sequence({
  seqNumberUsage: code,
  seqNumber,
});

const remotePartySeqNumberChange = sequence({
  remotePartyRole: code,
  floorSeqNumber: seqNumber,
  specialistFloorSeqNumbers: optional(sequenceOf(specialistSeqNumber)),
});

/** Context tags [0]–[6] are IMPLICIT (`80`, `81`, `A2`, `83`, `84`, `A5`, `A6` on the wire). */
const authorisingRemotePartyControl = sequence({
  credentialsReplacementMode: code,
  plaintextSymmetricKey: optional(implicit(0, octetString())),
  applyTimeBasedCPVChecks: optional(implicit(1, code)),
  authorisingRemotePartyTACellIdentifier: optional(implicit(2, trustAnchorCellIdentifier)),
  authorisingRemotePartySeqNumber: implicit(3, seqNumber),
  newRemotePartyFloorSeqNumber: optional(implicit(4, seqNumber)),
  newRemotePartySpecialistFloorSeqNumbers: optional(implicit(5, sequenceOf(specialistSeqNumber))),
  otherRemotePartySeqNumberChanges: optional(implicit(6, sequenceOf(remotePartySeqNumberChange))),
});

const trustAnchorReplacement = sequence({
  replacingCertificate: certificate,
  targetTrustAnchorCell: trustAnchorCellIdentifier,
});

export const updateSecurityCredentialsCommand = sequence({
  authorisingRemotePartyControl,
  replacements: sequenceOf(trustAnchorReplacement),
  certificationPathCertificates: sequenceOf(certificate),
  /** Future-dated execution; "99991231235959Z" cancels a pending one. */
  executionDateTime: optional(generalizedTime),
});

const replacementOutcome = sequence({
  affectedTrustAnchorCell: trustAnchorCellIdentifier,
  statusCode,
  existingSubjectUniqueID: entityId,
  existingSubjectKeyIdentifier: octetString(),
  replacingSubjectUniqueID: entityId,
  replacingSubjectKeyIdentifier: octetString(),
});

const updateSecurityCredentialsExecutionOutcome = sequence({
  authorisingRemotePartySeqNumber: seqNumber,
  credentialsReplacementMode: code,
  remotePartySeqNumberChanges: sequenceOf(remotePartySeqNumberChange),
  replacementOutcomes: sequenceOf(replacementOutcome),
});

/** A future-dated or cancelled command is answered with commandAccepted alone; the outcome follows in an alert. */
export const updateSecurityCredentialsResponse = sequence({
  commandAccepted: nullValue,
  executionOutcome: optional(updateSecurityCredentialsExecutionOutcome),
});

/** 0x00CB (CS02b) and 0x0124 (CS02g): outcome of a future-dated update, alert code 0x8F66 / 0x8F67. */
export const updateSecurityCredentialsAlert = sequence({
  alertCode,
  executionDateTime: generalizedTime,
  executionOutcome: updateSecurityCredentialsExecutionOutcome,
});

// CS02c (0x000A) Issue Security Credentials ----------------------------------------------------------------------

export const issueSecurityCredentialsCommand = sequence({ keyUsage });

/** Success carries a PKCS #10 CertificationRequest (DER bytes); failure a bare INTEGER response code. */
export const issueSecurityCredentialsResponse = choice({
  certificationRequest: derEncoded(
    { cls: 'universal', tag: UNIVERSAL.SEQUENCE, constructed: true },
    'CertificationRequest',
  ),
  responseCode: code,
});

// CS02d (0x000B) Update Device Certificate on Device ------------------------------------------------------------

export const updateDeviceCertificateCommand = named('certificate', certificate);
export const updateDeviceCertificateResponse = named('responseCode', code);

// CS02e (0x000C) Provide Device Certificate from Device ---------------------------------------------------------

export const provideDeviceCertificateCommand = sequence({ keyUsage });

export const provideDeviceCertificateResponse = choice({
  certificate,
  responseCode: code,
});

export type ProvideSecurityCredentialDetailsCommand = ValueOf<typeof provideSecurityCredentialDetailsCommand>;
export type ProvideSecurityCredentialDetailsResponse = ValueOf<
  typeof provideSecurityCredentialDetailsResponse
>;
export type UpdateSecurityCredentialsCommand = ValueOf<typeof updateSecurityCredentialsCommand>;
export type UpdateSecurityCredentialsResponse = ValueOf<typeof updateSecurityCredentialsResponse>;
export type UpdateSecurityCredentialsAlert = ValueOf<typeof updateSecurityCredentialsAlert>;
export type UpdateSecurityCredentialsExecutionOutcome = ValueOf<
  typeof updateSecurityCredentialsExecutionOutcome
>;
