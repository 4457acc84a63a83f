// The ASN.1 payloads of RTDS 4.5.0, read in place from the shared vectors (never copied): every one decodes,
// reads as the typed view of its use case and comes back byte for byte.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Reader, Writer, bytesEqual, toHex } from '../../../../src/codec/bytes.js';
import {
  ASN1_MESSAGE_CODES,
  ActivateFirmwareResponseCode,
  DeviceTimeStatus,
  DeviceType,
  JoinMethodAndRole,
  RemotePartyRole,
  StatusCode,
  asn1UseCase,
  buildAsn1,
  decodeAsn1Payload,
  decodeDer,
  encodeAsn1Payload,
  encodeDer,
  isConstructed,
  type Asn1Payload,
  type Asn1View,
  type Asn1ViewOf,
  type Asn1ViewKind,
  type DerNode,
} from '../../../../src/codec/gbcs/asn1/index.js';
import { rtdsContents, type RtdsContent } from '../../../support/rtds.js';
import { HAVE_VECTORS, RTDS_KEYSTORE_DIR } from '../../../vectors.js';

interface Decoded extends RtdsContent {
  payload: Asn1Payload;
}

function decodeRtds(c: RtdsContent): Decoded {
  const r: Reader = new Reader(c.content, 'gbcs.payload', c.contentStart);
  const payload = decodeAsn1Payload(r, { messageCode: c.messageCode, cra: c.cra });
  r.finish('payload');
  return { ...c, payload };
}

function encodeRtds(d: Decoded, payload: Asn1Payload = d.payload): Uint8Array {
  const w = new Writer('gbcs.payload');
  encodeAsn1Payload(w, payload, { messageCode: d.messageCode, cra: d.cra });
  return w.finish();
}

/** Where two encodings first differ, for a failure message a person can act on. */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `first difference at content byte ${i}: ${toHex(a.subarray(i, i + 8))} vs ${toHex(b.subarray(i, i + 8))}`;
}

function withoutLengthForms(node: DerNode): DerNode {
  return isConstructed(node)
    ? { cls: node.cls, tag: node.tag, children: node.children.map(withoutLengthForms) }
    : { cls: node.cls, tag: node.tag, bytes: node.bytes };
}

function hasLengthForm(node: DerNode): boolean {
  return node.lengthOctets !== undefined || (isConstructed(node) && node.children.some(hasLengthForm));
}

function view<K extends Asn1ViewKind>(d: Decoded | undefined, kind: K): Asn1ViewOf<K> {
  expect(d?.payload.view?.kind).toBe(kind);
  return d!.payload.view as Asn1ViewOf<K>;
}

function certificatesOf(v: Asn1View): Uint8Array[] {
  switch (v.kind) {
    case 'joinDeviceCommand':
      return v.otherDeviceCertificate === undefined ? [] : [v.otherDeviceCertificate];
    case 'updateDeviceCertificateCommand':
      return [v.certificate];
    case 'provideDeviceCertificateResponse':
      return 'certificate' in v ? [v.certificate] : [];
    case 'updateSecurityCredentialsCommand':
      return [...v.replacements.map((r) => r.replacingCertificate), ...v.certificationPathCertificates];
    default:
      return [];
  }
}

const ASN1_FIRST_OCTETS = new Set([0x30, 0x02, 0x04, 0x05]);

describe.skipIf(!HAVE_VECTORS)('RTDS 4.5.0 ASN.1 payloads', () => {
  const contents = rtdsContents();
  const asn1 = contents.filter((c) => ASN1_MESSAGE_CODES.has(c.messageCode));
  const decoded = asn1.map(decodeRtds);
  const named = (fragment: string) => decoded.find((d) => d.name.includes(fragment));

  it('picks out 139 ASN.1 payloads by message code: exactly those whose content starts 0x30, 0x02, 0x04 or 0x05', () => {
    expect(asn1).toHaveLength(139);
    expect(contents.filter((c) => ASN1_FIRST_OCTETS.has(c.content[0]!)).map((c) => c.name)).toEqual(
      asn1.map((c) => c.name),
    );
  });

  it('round-trips every RTDS ASN.1 payload byte-exactly', () => {
    let same = 0;
    for (const d of decoded) {
      const tree = encodeRtds(d, { tree: d.payload.tree });
      const viaView = encodeRtds(d);
      expect(bytesEqual(tree, d.content), `${d.name} (tree): ${firstDifference(tree, d.content)}`).toBe(true);
      expect(bytesEqual(viaView, d.content), `${d.name} (view): ${firstDifference(viaView, d.content)}`).toBe(
        true,
      );
      same++;
    }
    expect(same).toBe(139);
  });

  it('reads every RTDS ASN.1 payload as the typed view of its use case', () => {
    const counts: Record<string, number> = {};
    for (const d of decoded) {
      const key = `${asn1UseCase(d.messageCode)!.useCase} ${d.payload.view!.kind}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(counts).toEqual({
      'CCS08 firmwareTransferAlert': 1,
      'CS02a provideSecurityCredentialDetailsCommand': 4,
      'CS02a provideSecurityCredentialDetailsResponse': 4,
      'CS02b updateSecurityCredentialsAlert': 3,
      'CS02b updateSecurityCredentialsCommand': 20,
      'CS02b updateSecurityCredentialsResponse': 16,
      'CS02c issueSecurityCredentialsCommand': 4,
      'CS02c issueSecurityCredentialsResponse': 2,
      'CS02e provideDeviceCertificateCommand': 4,
      'CS02e provideDeviceCertificateResponse': 2,
      'CS02f provideSecurityCredentialDetailsCommand': 2,
      'CS02f provideSecurityCredentialDetailsResponse': 2,
      'CS02g updateSecurityCredentialsAlert': 2,
      'CS02g updateSecurityCredentialsCommand': 10,
      'CS02g updateSecurityCredentialsResponse': 5,
      'CS03A1 joinDeviceCommand': 4,
      'CS03A1 joinDeviceResponse': 2,
      'CS03A2 joinDeviceCommand': 3,
      'CS03A2 joinDeviceResponse': 2,
      'CS03B joinDeviceCommand': 2,
      'CS03B joinDeviceResponse': 2,
      'CS03C joinDeviceCommand': 2,
      'CS03C joinDeviceResponse': 2,
      'CS04AC unjoinDeviceCommand': 2,
      'CS04AC unjoinDeviceResponse': 2,
      'CS04B unjoinDeviceCommand': 1,
      'CS04B unjoinDeviceResponse': 1,
      'CS06 activateFirmwareAlert': 2,
      'CS06 activateFirmwareCommand': 10,
      'CS06 activateFirmwareResponse': 5,
      'CS07 readDeviceJoinDetailsCommand': 2,
      'CS07 readDeviceJoinDetailsResponse': 2,
      'CS08 readPpmidHcalcsFirmwareVersionCommand': 2,
      'CS08 readPpmidHcalcsFirmwareVersionResponse': 2,
      'CS09 ppmidFirmwareActivationAlert': 1,
      'GCS28 setTimeCommand': 4,
      'GCS28 setTimeResponse': 2,
      'GCS62 gpfDeviceLogBackupAlert': 1,
    });
  });

  it('rebuilds every typed view to the received bytes, in minimal DER except the 15 device messages with 0x82 lengths', () => {
    const nonMinimal: string[] = [];
    for (const d of decoded) {
      const minimal = encodeDer(buildAsn1(d.payload.view!));
      if (bytesEqual(minimal, d.content)) continue;
      // Only the length octets may differ: the rebuilt tree is the received one with DER lengths.
      expect(hasLengthForm(d.payload.tree), d.name).toBe(true);
      expect(decodeDer(minimal)).toEqual(withoutLengthForms(d.payload.tree));
      nonMinimal.push(d.name);
    }
    expect(nonMinimal).toHaveLength(15);
    expect(nonMinimal.every((n) => /_(RESPONSE|ALERT)_GBCS\.HEX$/.test(n))).toBe(true);
  });

  it('reads the CS03B join command as method B with the other device EUI', () => {
    expect(view(named('CS03B_8.7.2_SUCCESS_COMMAND'), 'joinDeviceCommand')).toEqual({
      kind: 'joinDeviceCommand',
      joinMethodAndRole: JoinMethodAndRole.methodB,
      otherDeviceEntityId: '00DB12345678909C',
      otherDeviceType: DeviceType.gpf,
    });
    expect(view(named('CS03B_8.7.2_ERROR_RESPONSE'), 'joinDeviceResponse').responseCode).toBe(2);
  });

  it('reads the CS03C join command with the other device certificate the RTDS key store holds', () => {
    const command = view(named('CS03CNonCritical_8.7.2_SUCCESS_COMMAND'), 'joinDeviceCommand');
    expect(command.joinMethodAndRole).toBe(JoinMethodAndRole.methodC);
    const expected = new X509Certificate(readFileSync(join(RTDS_KEYSTORE_DIR, '00db1234567890a1-ka.pem')));
    expect(Buffer.from(command.otherDeviceCertificate!).equals(expected.raw)).toBe(true);
  });

  it('reads the CS02e response as the device’s digital signing certificate', () => {
    const response = view(named('CS02e_6.24.2_SUCCESS_RESPONSE'), 'provideDeviceCertificateResponse');
    const expected = new X509Certificate(readFileSync(join(RTDS_KEYSTORE_DIR, '00db1234567890a0-ds.pem')));
    expect('certificate' in response && Buffer.from(response.certificate).equals(expected.raw)).toBe(true);
    expect(view(named('CS02e_6.24.2_ERROR_RESPONSE'), 'provideDeviceCertificateResponse')).toEqual({
      kind: 'provideDeviceCertificateResponse',
      responseCode: 3,
    });
  });

  it('carries 103 certificates in the RTDS ASN.1 payloads, each one a readable X.509 certificate', () => {
    const certificates = decoded.flatMap((d) => certificatesOf(d.payload.view!));
    expect(certificates).toHaveLength(103);
    for (const c of certificates) expect(() => new X509Certificate(c)).not.toThrow();
  });

  it('reads a CS02b supplier-by-supplier update: its authorising control, three replacements and a future date', () => {
    const command = view(
      named('CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_COMMAND'),
      'updateSecurityCredentialsCommand',
    );
    expect(command.authorisingRemotePartyControl).toEqual({
      credentialsReplacementMode: 2,
      authorisingRemotePartyTACellIdentifier: {
        remotePartyRole: RemotePartyRole.supplier,
        keyUsage: ['digitalSignature'],
      },
      authorisingRemotePartySeqNumber: 1001n,
      newRemotePartyFloorSeqNumber: 0n,
      newRemotePartySpecialistFloorSeqNumbers: [{ seqNumberUsage: 0, seqNumber: 0n }],
    });
    expect(command.replacements.map((r) => r.targetTrustAnchorCell)).toEqual([
      { remotePartyRole: 2, keyUsage: ['digitalSignature'] },
      { remotePartyRole: 2, keyUsage: ['keyAgreement'] },
      { remotePartyRole: 2, keyUsage: ['keyAgreement'], cellUsage: 1 },
    ]);
    expect(command.executionDateTime).toBe('20300115000000Z');
  });

  it('reads the CS02g load controller update and its future-dated alert with role 8 and mode 11', () => {
    const command = view(
      named('CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS_COMMAND'),
      'updateSecurityCredentialsCommand',
    );
    expect(command.authorisingRemotePartyControl.credentialsReplacementMode).toBe(11);
    expect(command.authorisingRemotePartyControl.otherRemotePartySeqNumberChanges).toEqual([
      { remotePartyRole: RemotePartyRole.loadController, floorSeqNumber: 0n },
    ]);
    const alert = view(
      named('CS02gLoadControllerBySupplier_6.15.1_8F67_FUTURE_DATED_ERROR_ALERT'),
      'updateSecurityCredentialsAlert',
    );
    expect(alert.alertCode).toBe(0x8f67);
    expect(alert.executionOutcome.replacementOutcomes.map((o) => o.statusCode)).toEqual([
      StatusCode.noTrustAnchor,
      StatusCode.noTrustAnchor,
    ]);
  });

  it('reads a CS02a response with the trust anchor cells of each requested role', () => {
    const response = view(
      named('CS02aMAC_6.24.1_SUCCESS_RESPONSE'),
      'provideSecurityCredentialDetailsResponse',
    );
    expect(
      response.remotePartyDetails.map((r) => [
        r.remotePartyRole,
        r.statusCode,
        r.currentSeqNumber,
        r.trustAnchorCellDetails?.length,
      ]),
    ).toEqual([
      [RemotePartyRole.supplier, StatusCode.success, 0n, 3],
      [RemotePartyRole.networkOperator, StatusCode.success, 1n, 2],
    ]);
    const failed = view(named('CS02aMAC_6.24.1_ERROR_RESPONSE'), 'provideSecurityCredentialDetailsResponse');
    expect(failed.remotePartyDetails[1]).toEqual({
      remotePartyRole: RemotePartyRole.networkOperator,
      statusCode: StatusCode.trustAnchorNotFound,
    });
  });

  it('reads CS06: an immediate outcome, a future-dated acceptance and the alert that reports it', () => {
    expect(view(named('CS06_11.3_IMMEDIATE_SUCCESS_RESPONSE'), 'activateFirmwareResponse')).toEqual({
      kind: 'activateFirmwareResponse',
      executionOutcome: {
        responseCode: ActivateFirmwareResponseCode.success,
        firmwareVersion: Uint8Array.from([0x01, 0x23, 0xab, 0xce]),
      },
    });
    expect(view(named('CS06_11.3_FUTURE_DATED_SUCCESS_RESPONSE'), 'activateFirmwareResponse')).toEqual({
      kind: 'activateFirmwareResponse',
      commandAccepted: null,
    });
    const alert = view(named('CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT'), 'activateFirmwareAlert');
    expect([
      alert.alertCode,
      alert.executionDateTime,
      alert.originatorCounter,
      alert.executionOutcome.responseCode,
    ]).toEqual([0x8f66, '20300115090000Z', 1001n, 0]);
    expect(
      view(named('CS06_11.3_CANCELLATION_SUCCESS_COMMAND'), 'activateFirmwareCommand').executionDateTime,
    ).toBe('99991231235959Z');
  });

  it('reads the CS07 join details and the GCS62 backup as device log entries', () => {
    const details = view(named('CS07_8.9_SUCCESS_RESPONSE'), 'readDeviceJoinDetailsResponse');
    expect(details.deviceLogEntries?.map((e) => e.deviceType)).toEqual([
      DeviceType.gpf,
      DeviceType.gpf,
      DeviceType.ppmid,
    ]);
    expect(view(named('CS07_8.9_ERROR_RESPONSE'), 'readDeviceJoinDetailsResponse')).toEqual({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 1,
    });
    const backup = view(named('GCS62_NA_8071_ALERT'), 'gpfDeviceLogBackupAlert');
    expect([backup.alertCode, backup.deviceLogEntries.length]).toEqual([0x8071, 6]);
  });

  it('reads GCS28, CCS08, CS08 and CS09', () => {
    expect(view(named('GCS28_6.11_ERROR_RESPONSE'), 'setTimeResponse').deviceTimeStatus).toBe(
      DeviceTimeStatus.unreliable,
    );
    expect(view(named('CCS08_NA_NA_ALERT'), 'firmwareTransferAlert')).toMatchObject({
      alertCode: 0x8f8a,
      entityId: '00DB1234567890A4',
      responseCode: 0,
    });
    expect(
      view(named('CS08_11.2_ERROR_RESPONSE'), 'readPpmidHcalcsFirmwareVersionResponse').responseCode,
    ).toBe(1);
    expect(view(named('CS09_NA_8F8B_ALERT'), 'ppmidFirmwareActivationAlert')).toMatchObject({
      alertCode: 0x8f8b,
      activateImage: 0,
    });
  });
});
