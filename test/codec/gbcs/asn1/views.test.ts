import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, Reader, Writer, fromHex, toHex } from '../../../../src/codec/bytes.js';
import { eui64 } from '../../../../src/codec/eui64.js';
import {
  ASN1_USE_CASES,
  ASN1_VIEW_CODERS,
  CredentialsReplacementMode,
  DeviceType,
  JoinMethodAndRole,
  RemotePartyRole,
  asn1Payload,
  asn1ViewKind,
  buildAsn1,
  decodeAsn1Payload,
  encodeAsn1Payload,
  encodeDer,
  formatAsn1Payload,
  interpretAsn1,
  type Asn1Context,
  type Asn1Payload,
  type Asn1View,
} from '../../../../src/codec/gbcs/asn1/index.js';

// Entity identifiers of the domain brief's example premises; every value below is made up for these tests.
const GSME = eui64('00-DB-12-34-56-78-90-A1');
const PPMID = eui64('00-DB-12-34-56-78-90-A4');
/** Not a real certificate: the codec keeps any SEQUENCE as the certificate's DER, X.509 is read elsewhere. */
const FAKE_CERTIFICATE = fromHex('300A020101300506032B6570');

const CS03B: Asn1Context = { messageCode: 0x000e, cra: 1 };

function decode(hex: string, ctx: Asn1Context, base = 0): Asn1Payload {
  const r: Reader = new Reader(fromHex(hex), 'gbcs.payload', base);
  const p = decodeAsn1Payload(r, ctx);
  r.finish('payload');
  return p;
}

function encode(p: Asn1Payload, ctx: Asn1Context): string {
  const w = new Writer('gbcs.payload');
  encodeAsn1Payload(w, p, ctx);
  return toHex(w.finish());
}

function decodeError(hex: string, ctx: Asn1Context, base = 0): string {
  try {
    decode(hex, ctx, base);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
}

describe('GBCS ASN.1 typed views', () => {
  it('builds a CS03B join command from a typed value and reads it back as method B with the other device EUI', () => {
    const view: Asn1View = {
      kind: 'joinDeviceCommand',
      joinMethodAndRole: JoinMethodAndRole.methodB,
      otherDeviceEntityId: GSME,
      otherDeviceType: DeviceType.gsme,
    };
    const hex = encode(asn1Payload(view), CS03B);
    expect(hex).toBe('3010' + '020102' + '040800DB1234567890A1' + '020100');
    expect(decode(hex, CS03B).view).toEqual(view);
  });

  it('carries the other device certificate in a CS03C join command as its DER bytes', () => {
    const ctx: Asn1Context = { messageCode: 0x00af, cra: 1 };
    const view: Asn1View = {
      kind: 'joinDeviceCommand',
      joinMethodAndRole: JoinMethodAndRole.methodC,
      otherDeviceEntityId: PPMID,
      otherDeviceType: DeviceType.ppmid,
      otherDeviceCertificate: FAKE_CERTIFICATE,
    };
    const hex = encode(asn1Payload(view), ctx);
    expect(hex).toBe('301C' + '020103' + '040800DB1234567890A4' + '020105' + toHex(FAKE_CERTIFICATE));
    expect(decode(hex, ctx).view).toEqual(view);
  });

  it('reads bare INTEGER, OCTET STRING and NULL payloads as one-element views', () => {
    expect(decode('02010B', { messageCode: 0x00af, cra: 2 }).view).toEqual({
      kind: 'joinDeviceResponse',
      responseCode: 11,
    });
    expect(decode('040800DB1234567890A1', { messageCode: 0x0010, cra: 1 }).view).toEqual({
      kind: 'unjoinDeviceCommand',
      otherDeviceEntityId: GSME,
    });
    expect(decode('0500', { messageCode: 0x0013, cra: 1 }).view).toEqual({
      kind: 'readDeviceJoinDetailsCommand',
    });
    expect(decode('0500', { messageCode: 0x0012, cra: 2 }).view).toEqual({
      kind: 'activateFirmwareResponse',
      commandAccepted: null,
    });
  });

  it('builds a future-dated CS06 activation with its 64-bit originator counter', () => {
    const ctx: Asn1Context = { messageCode: 0x0012, cra: 1 };
    const hash = Uint8Array.from({ length: 32 }, (_, i) => i);
    const view: Asn1View = {
      kind: 'activateFirmwareCommand',
      manufacturerImageHash: hash,
      originatorCounter: 2n ** 63n,
      executionDateTime: '20300115090000Z',
    };
    const hex = encode(asn1Payload(view), ctx);
    expect(hex).toBe(
      '303E' +
        '0420' +
        toHex(hash) +
        '0209008000000000000000' +
        '180F' +
        toHex(new TextEncoder().encode('20300115090000Z')),
    );
    expect(decode(hex, ctx).view).toEqual(view);
  });

  it('builds a CS02b supplier-by-supplier update with implicit context tags in the authorising control', () => {
    const ctx: Asn1Context = { messageCode: 0x0102, cra: 1 };
    const cell = { remotePartyRole: RemotePartyRole.supplier, keyUsage: ['digitalSignature' as const] };
    const view: Asn1View = {
      kind: 'updateSecurityCredentialsCommand',
      authorisingRemotePartyControl: {
        credentialsReplacementMode: CredentialsReplacementMode.supplierBySupplier,
        authorisingRemotePartyTACellIdentifier: cell,
        authorisingRemotePartySeqNumber: 1000n,
        newRemotePartyFloorSeqNumber: 0n,
        newRemotePartySpecialistFloorSeqNumbers: [{ seqNumberUsage: 0, seqNumber: 0n }],
      },
      replacements: [{ replacingCertificate: FAKE_CERTIFICATE, targetTrustAnchorCell: cell }],
      certificationPathCertificates: [FAKE_CERTIFICATE],
    };
    const hex = encode(asn1Payload(view), ctx);
    const control =
      '301D' + '020102' + 'A207020102' + '03020780' + '830203E8' + '840100' + 'A508' + '3006020100020100';
    expect(hex.slice(4, 4 + control.length)).toBe(control);
    expect(decode(hex, ctx).view).toEqual(view);
  });

  it('reads an execution outcome with DEFAULT cellUsage kept as absent or present, exactly as sent', () => {
    const ctx: Asn1Context = { messageCode: 0x0102, cra: 2 };
    const view: Asn1View = {
      kind: 'updateSecurityCredentialsResponse',
      commandAccepted: null,
      executionOutcome: {
        authorisingRemotePartySeqNumber: 1000n,
        credentialsReplacementMode: 2,
        remotePartySeqNumberChanges: [{ remotePartyRole: 2, floorSeqNumber: 0n }],
        replacementOutcomes: [
          {
            affectedTrustAnchorCell: { remotePartyRole: 2, keyUsage: ['keyAgreement'], cellUsage: 1 },
            statusCode: 0,
            existingSubjectUniqueID: eui64('90B3D51F30010000'),
            existingSubjectKeyIdentifier: fromHex('0102030405060708'),
            replacingSubjectUniqueID: eui64('90B3D51F30010000'),
            replacingSubjectKeyIdentifier: fromHex('0807060504030201'),
          },
        ],
      },
    };
    const p = decode(encode(asn1Payload(view), ctx), ctx);
    expect(p.view).toEqual(view);
  });

  it('reports a malformed element of a known use case with its path and absolute offset', () => {
    // The other device's entity identifier is 7 octets; the payload sits at byte 100 of its message.
    expect(decodeError('300F020102040700DB1234567890020100', CS03B, 100)).toBe(
      'gbcs.asn1: joinDeviceCommand.otherDeviceEntityId at byte 107: octetString.decode: expected 8 octets, got 7',
    );
    expect(decodeError('3006020102020100', CS03B, 100)).toBe(
      'gbcs.asn1: joinDeviceCommand.otherDeviceEntityId at byte 105: expected OCTET STRING (SIZE(8)), got INTEGER',
    );
    expect(decodeError('0500', CS03B)).toBe(
      'gbcs.asn1: joinDeviceCommand at byte 0: expected SEQUENCE, got NULL',
    );
  });

  it('leaves a payload whose code has no typed view as a DER tree', () => {
    const p = decode('3003020107', { messageCode: 0x0001, cra: 1 });
    expect(p).toEqual({
      tree: { cls: 'universal', tag: 16, children: [{ cls: 'universal', tag: 2, bytes: fromHex('07') }] },
    });
    expect(encode(p, { messageCode: 0x0001, cra: 1 })).toBe('3003020107');
    expect(formatAsn1Payload(p)).toEqual(['SEQUENCE {', '  INTEGER 7', '}']);
  });

  it('reads exactly one DER value and leaves what follows to the caller', () => {
    const r: Reader = new Reader(fromHex('020100FF'), 'gbcs.payload', 40);
    decodeAsn1Payload(r, { messageCode: 0x000d, cra: 2 });
    expect(r.pos).toBe(3);
    expect(() => r.finish('payload')).toThrow(
      'gbcs.payload: payload at byte 43: 1 unexpected byte(s) left over: FF',
    );
  });

  it('encodes from the view when the caller edits it', () => {
    const p = decode('3010020102040800DB1234567890A1020100', CS03B);
    const edited: Asn1Payload = {
      ...p,
      view: {
        ...(p.view as Extract<Asn1View, { kind: 'joinDeviceCommand' }>),
        otherDeviceType: DeviceType.esme,
      },
    };
    expect(encode(edited, CS03B)).toBe('3010020102040800DB1234567890A1020101');
  });

  it('keeps a sender’s non-minimal length form when re-encoding from an unedited or edited view', () => {
    const ctx: Asn1Context = { messageCode: 0x0013, cra: 2 };
    const p = decode('30820003020101', ctx);
    expect(p.tree.lengthOctets).toBe(2);
    expect(encode(p, ctx)).toBe('30820003020101');
    const edited: Asn1Payload = {
      ...p,
      view: {
        kind: 'readDeviceJoinDetailsResponse',
        responseCode: 0,
        deviceLogEntries: [{ deviceId: GSME, deviceType: 0 }],
      },
    };
    expect(encode(edited, ctx)).toBe('30820014020100300F300D040800DB1234567890A1020100');
    expect(toHex(encodeDer(buildAsn1(edited.view!)))).toBe('3014020100300F300D040800DB1234567890A1020100');
  });

  it('refuses to encode a view of another use case than the message code and CRA flag', () => {
    const p = asn1Payload({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(() => encode(p, { messageCode: 0x0013, cra: 2 })).toThrow(
      new EncodeError(
        'gbcs.payload',
        'asn1.view.kind',
        'a joinDeviceResponse view cannot be the payload of message code 0x0013 with CRA flag 2 (readDeviceJoinDetailsResponse)',
      ),
    );
  });

  it('refuses to build a view with a value out of range, a missing element or a field its type lacks', () => {
    expect(() => buildAsn1({ kind: 'joinDeviceResponse', responseCode: 256 })).toThrow(
      'gbcs.asn1: cannot encode joinDeviceResponse.responseCode: 256 is outside (0..255)',
    );
    expect(() =>
      buildAsn1({ kind: 'setTimeCommand', validityIntervalStart: '20300115090000Z' } as never),
    ).toThrow('gbcs.asn1: cannot encode setTimeCommand.validityIntervalEnd: missing (GeneralizedTime)');
    expect(() =>
      buildAsn1({ kind: 'unjoinDeviceCommand', otherDeviceEntityId: GSME, reason: 1 } as never),
    ).toThrow(
      'gbcs.asn1: cannot encode unjoinDeviceCommand.reason: not a field here (expected otherDeviceEntityId)',
    );
    expect(() =>
      buildAsn1({ kind: 'unjoinDeviceCommand', otherDeviceEntityId: 'not-an-eui' } as never),
    ).toThrow(
      'gbcs.asn1: cannot encode unjoinDeviceCommand.otherDeviceEntityId: "not-an-eui" is not an EUI-64 (16 hex digits)',
    );
    expect(() => buildAsn1({ kind: 'nope' } as never)).toThrow(
      'gbcs.asn1: cannot encode view.kind: unknown ASN.1 view "nope"',
    );
  });

  it('prints a typed view with enumerations by name and alert codes in hex', () => {
    const join = asn1Payload({
      kind: 'joinDeviceCommand',
      joinMethodAndRole: 2,
      otherDeviceEntityId: GSME,
      otherDeviceType: 0,
    });
    expect(formatAsn1Payload(join)).toEqual([
      'joinDeviceCommand',
      '  joinMethodAndRole: methodB (2)',
      '  otherDeviceEntityId: 00DB1234567890A1',
      '  otherDeviceType: gsme (0)',
    ]);
    const alert = asn1Payload({
      kind: 'gpfDeviceLogBackupAlert',
      alertCode: 0x8071,
      backupDateTime: '20300101000000Z',
      deviceLogEntries: [{ deviceId: PPMID, deviceType: DeviceType.ppmid }],
    });
    expect(formatAsn1Payload(alert)).toEqual([
      'gpfDeviceLogBackupAlert',
      '  alertCode: 0x8071',
      '  backupDateTime: 20300101000000Z',
      '  deviceLogEntries: 1 item',
      '    [0]:',
      '      deviceId: 00DB1234567890A4',
      '      deviceType: ppmid (5)',
    ]);
    expect(formatAsn1Payload(asn1Payload({ kind: 'joinDeviceResponse', responseCode: 4 }))).toEqual([
      'joinDeviceResponse',
      '  responseCode: deviceLogFull (4)',
    ]);
  });

  it('gives every command, response and alert of the use-case table a view that exists', () => {
    for (const row of ASN1_USE_CASES) {
      for (const code of row.codes) {
        for (const cra of [1, 2, 3] as const) {
          const kind = asn1ViewKind(code, cra);
          if (kind !== undefined) expect(ASN1_VIEW_CODERS).toHaveProperty(kind);
        }
      }
    }
    expect(asn1ViewKind(0x0102, 3)).toBeUndefined();
    expect(interpretAsn1(0x0102, 3, { cls: 'universal', tag: 5, bytes: new Uint8Array(0) })).toBeUndefined();
  });
});
