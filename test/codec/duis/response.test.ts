// DUIS responses, acknowledgements and alerts: the DCC Boxed samples (read in place) parse and round-trip, GBCS
// payloads come out as bytes decodeGbcs reads, alerts built around RTDS 4.5.0 alert messages round-trip, and the
// response-code table is the schema's enumeration.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/codec/bytes.js';
import { eui64 } from '../../../src/codec/eui64.js';
import { CRA, decodeGbcs } from '../../../src/codec/gbcs/frame.js';
import { messageCodesForUseCase } from '../../../src/codec/gbcs/message-codes.js';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml } from '../../../src/codec/xml/serialize.js';
import { DuisError } from '../../../src/codec/duis/common.js';
import {
  RESPONSE_CODES,
  formatResponseCode,
  responseCodeInfo,
  responseCodeKind,
} from '../../../src/codec/duis/response-codes.js';
import { buildDuisResponse, parseDuisResponse, type DuisResponse } from '../../../src/codec/duis/response.js';
import { isLeaf } from '../../../src/codec/duis/tree.js';
import { HAVE_VECTORS, RTDS_DIR, vectorPath } from '../../vectors.js';
import { withoutOffsets } from './support.js';

const roundTrip = (res: DuisResponse): DuisResponse =>
  parseDuisResponse(parseXml(serializeXml(buildDuisResponse(res))));

const sample = (...parts: string[]): DuisResponse =>
  parseDuisResponse(parseXml(readFileSync(vectorPath(...parts))));
const rtds = (path: string): Uint8Array => fromHex(readFileSync(join(RTDS_DIR, path), 'utf8'));
const codesOf = (useCase: string): number[] => messageCodesForUseCase(useCase).map((c) => c.code);

function error(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DuisError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

const USER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const CHF = eui64('00DB1234567890A2');

describe.skipIf(!HAVE_VECTORS)('DCC Boxed responses', () => {
  it('message.xml: an I0 ECS52 firmware-version response whose GBCSPayload decodeGbcs reads', () => {
    const res = sample('dccboxed-signing-tool', 'src', 'main', 'resources', 'message.xml');
    expect(res.schemaVersion).toBe('5.1');
    expect(res.header).toEqual({
      requestId: { originator: USER, target: eui64('000781D7000036CE'), counter: 1655397248260n },
      responseId: { originator: eui64('000781D7000036CE'), target: USER, counter: 1655397248260n },
      responseCode: 'I0',
      responseDateTime: '2022-06-16T16:34:15.844Z',
    });
    const body = res.body!;
    if (body.kind !== 'ResponseMessage' || body.payload?.kind !== 'GBCSPayload') throw new Error(body.kind);
    expect(body.serviceReferenceVariant).toBe('11.2');
    const m = decodeGbcs(body.payload.gbcsPayload);
    expect(m.header).toMatchObject({
      cra: CRA.response,
      originator: eui64('000781D7000036CE'),
      recipient: USER,
    });
    expect(codesOf('ECS52')).toContain(m.header.messageCode);
    expect(res.signature?.localName).toBe('Signature');
    expect(withoutOffsets(roundTrip(res))).toEqual(withoutOffsets(res));
  });

  it('read-inventory-response-5.4.xml: a DSPInventory of three devices, kept as a tree in document order', () => {
    const res = sample(
      'dccboxed-signing-tool',
      'src',
      'test',
      'resources',
      'read-inventory-response-5.4.xml',
    );
    const body = res.body!;
    if (body.kind !== 'ResponseMessage' || body.payload?.kind !== 'DSPInventory')
      throw new Error('not an inventory');
    const tree = body.payload.tree;
    if (isLeaf(tree)) throw new Error('leaf');
    expect(tree.children.map((d) => d.name)).toEqual(['Device', 'Device', 'Device']);
    const first = tree.children[0]!;
    if (isLeaf(first)) throw new Error('leaf');
    expect(first.children.slice(0, 3)).toEqual([
      { name: 'DeviceID', text: '88-73-84-90-6A-10-02-DB' },
      { name: 'DeviceType', text: 'CHF' },
      { name: 'DeviceStatus', text: 'Commissioned' },
    ]);
    expect(withoutOffsets(roundTrip(res))).toEqual(withoutOffsets(res));
  });

  it('acknowledgement-error.xml: E65 on SR 11.2, a ResponseMessage without payload', () => {
    const res = sample('duis-parser', 'test', 'resources', 'acknowledgement-error.xml');
    expect(res.header.responseCode).toBe('E65');
    expect(res.header.responseId).toBeUndefined();
    expect(res.body).toEqual({
      kind: 'ResponseMessage',
      serviceReference: '11.2',
      serviceReferenceVariant: '11.2',
      payload: null,
    });
    expect(formatResponseCode('E65')).toBe('E65 (meaning unknown)');
    expect(roundTrip(res)).toEqual(res);
  });
});

describe.skipIf(!HAVE_VECTORS)('alerts and payloads built around RTDS 4.5.0 messages', () => {
  it('a Device Alert 8F12 carrying the CS14 CHF Device Log alert, with throttling fields', () => {
    const alert = rtds('NA_CS14/CS14_NA_8F12_ALERT_GBCS.HEX');
    const res: DuisResponse = {
      schemaVersion: '5.4',
      header: {
        responseId: { originator: CHF, target: USER, counter: 4000n },
        responseCode: 'I0',
        responseDateTime: '2015-01-01T00:00:00Z',
      },
      body: {
        kind: 'DeviceAlertMessage',
        alertCode: 0x8f12,
        throttledAlertSequenceId: 3,
        throttledAlertCount: 12,
        gbcsPayload: alert,
      },
    };
    const xml = serializeXml(buildDuisResponse(res));
    expect(xml).toContain(
      [
        '  <sr:Body>',
        '    <sr:DeviceAlertMessage>',
        '      <sr:AlertCode>8F12</sr:AlertCode>',
        '      <sr:ThrottledAlertSequenceId>3</sr:ThrottledAlertSequenceId>',
        '      <sr:ThrottledAlertCount>12</sr:ThrottledAlertCount>',
      ].join('\n'),
    );
    const back = parseDuisResponse(parseXml(xml));
    expect(back).toEqual(res);
    if (back.body?.kind !== 'DeviceAlertMessage') throw new Error('not an alert');
    const m = decodeGbcs(back.body.gbcsPayload);
    expect(m.header.cra).toBe(CRA.alert);
    expect(codesOf('CS14')).toContain(m.header.messageCode);
  });

  it('a future-dated device alert 8F66 (CS06 executed) answering SR 11.3', () => {
    const res: DuisResponse = {
      schemaVersion: '5.4',
      header: {
        requestId: { originator: USER, target: ESME, counter: 1001n },
        responseCode: 'I0',
        responseDateTime: '2015-01-01T00:00:00Z',
      },
      body: {
        kind: 'ResponseMessage',
        serviceReference: '11.3',
        serviceReferenceVariant: '11.3',
        payload: {
          kind: 'FutureDatedDeviceAlertMessage',
          alertCode: 0x8f66,
          gbcsPayload: rtds('11.3_CS06/CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT_GBCS.HEX'),
          instructionNumber: 1,
          totalCommandInstructions: 1,
        },
      },
    };
    expect(roundTrip(res)).toEqual(res);
  });

  it('a Pre-Command (CV 4 answer), a Local Command and a CIN message', () => {
    const header = {
      requestId: { originator: USER, target: ESME, counter: 1000n },
      responseCode: 'I0',
      responseDateTime: '2015-01-01T00:00:00.000Z',
    } as const;
    const pre: DuisResponse = {
      schemaVersion: '5.4',
      header,
      body: {
        kind: 'ResponseMessage',
        serviceReference: '11.3',
        serviceReferenceVariant: '11.3',
        payload: {
          kind: 'PreCommand',
          gbcsVersion: '4.0',
          gbcsPayload: rtds('11.3_CS06/CS06_11.3_IMMEDIATE_SUCCESS_PRECOMMAND_GBCS.HEX'),
        },
      },
    };
    expect(roundTrip(pre)).toEqual(pre);
    const local: DuisResponse = {
      ...pre,
      body: {
        kind: 'ResponseMessage',
        serviceReference: '2.2',
        serviceReferenceVariant: '2.2',
        payload: { kind: 'LocalCommand', gbcsPayload: Uint8Array.of(0xdd, 0) },
      },
    };
    expect(roundTrip(local)).toEqual(local);
    const cin: DuisResponse = {
      ...pre,
      body: {
        kind: 'ResponseMessage',
        serviceReference: '9.1',
        serviceReferenceVariant: '9.1',
        payload: {
          kind: 'CINMessage',
          gbcsPayload: rtds('9.1_ECS50/ECS50_9.1_SUCCESS_RESPONSE_GBCS.HEX'),
          customerIdentificationNumber: '0420',
        },
      },
    };
    expect(roundTrip(cin)).toEqual(cin);
  });
});

describe('DCC alerts, acknowledgements and refusals', () => {
  const header = { responseCode: 'I0', responseDateTime: '2025-06-01T10:00:00Z' } as const;

  it('a DCC Alert N24 carrying the 8.11 outcome as a tree', () => {
    const res: DuisResponse = {
      schemaVersion: '5.4',
      header,
      body: {
        kind: 'DCCAlertMessage',
        dccAlertCode: 'N24',
        dccAlert: {
          name: 'UpdateHANDeviceLogResult',
          children: [
            {
              name: 'UpdateHANDeviceLogServiceRequestID',
              text: '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1002',
            },
          ],
        },
      },
    };
    const xml = serializeXml(buildDuisResponse(res));
    expect(xml).toContain(
      [
        '    <sr:DCCAlertMessage>',
        '      <sr:DCCAlertCode>N24</sr:DCCAlertCode>',
        '      <sr:DCCAlert>',
        '        <sr:UpdateHANDeviceLogResult>',
        '          <sr:UpdateHANDeviceLogServiceRequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1002</sr:UpdateHANDeviceLogServiceRequestID>',
      ].join('\n'),
    );
    expect(parseDuisResponse(parseXml(xml))).toEqual(res);
  });

  it('an I99 acknowledgement with no body at all', () => {
    const ack: DuisResponse = {
      schemaVersion: '5.4',
      header: {
        requestId: { originator: USER, target: ESME, counter: 1n },
        responseCode: 'I99',
        responseDateTime: '2025-06-01T10:00:00Z',
      },
      body: null,
    };
    expect(roundTrip(ack)).toEqual(ack);
  });

  const response = (headerXml: string, bodyXml: string): string =>
    '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">' +
    `<sr:Header>${headerXml}</sr:Header><sr:Body>${bodyXml}</sr:Body></sr:Response>`;
  const okHeader =
    '<sr:ResponseCode>I0</sr:ResponseCode><sr:ResponseDateTime>2025-06-01T10:00:00Z</sr:ResponseDateTime>';
  const parse = (xml: string) => parseDuisResponse(parseXml(xml));
  const cases: [string, string, string][] = [
    [
      'a response code of another form',
      response(
        '<sr:ResponseCode>X1</sr:ResponseCode><sr:ResponseDateTime>2025-06-01T10:00:00Z</sr:ResponseDateTime>',
        '',
      ),
      'duis: Response/Header/ResponseCode: "X1" is not a response code (I0, I99, E<n>, W<n>)',
    ],
    [
      'a date-time that is not xs:dateTime',
      response(
        '<sr:ResponseCode>I0</sr:ResponseCode><sr:ResponseDateTime>yesterday</sr:ResponseDateTime>',
        '',
      ),
      'duis: Response/Header/ResponseDateTime: "yesterday" is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][Z|±hh:mm])',
    ],
    [
      'a header without ResponseCode',
      response('<sr:ResponseDateTime>2025-06-01T10:00:00Z</sr:ResponseDateTime>', ''),
      'duis: Response/Header: expected sr:ResponseCode, got sr:ResponseDateTime',
    ],
    [
      'an empty body',
      response(okHeader, ''),
      'duis: Response/Body: empty: expected ResponseMessage, DeviceAlertMessage or DCCAlertMessage',
    ],
    [
      'a future-dated alert code other than 8F66/8F67',
      response(
        okHeader,
        '<sr:ResponseMessage><sr:ServiceReference>11.3</sr:ServiceReference><sr:ServiceReferenceVariant>11.3</sr:ServiceReferenceVariant>' +
          '<sr:FutureDatedDeviceAlertMessage><sr:FutureDatedAlertCode>8F20</sr:FutureDatedAlertCode><sr:GBCSPayload></sr:GBCSPayload>' +
          '<sr:InstructionNumber>1</sr:InstructionNumber><sr:TotalCommandInstructions>1</sr:TotalCommandInstructions>' +
          '</sr:FutureDatedDeviceAlertMessage></sr:ResponseMessage>',
      ),
      'duis: Response/Body/ResponseMessage/FutureDatedDeviceAlertMessage/FutureDatedAlertCode: expected 8F66 or 8F67, got 8F20',
    ],
    [
      'a device alert code of three bytes',
      response(
        okHeader,
        '<sr:DeviceAlertMessage><sr:AlertCode>8F2001</sr:AlertCode><sr:GBCSPayload>AA==</sr:GBCSPayload></sr:DeviceAlertMessage>',
      ),
      'duis: Response/Body/DeviceAlertMessage/AlertCode: expected 2 bytes of hex, got 3',
    ],
    [
      'a DCC alert code of another form',
      response(
        okHeader,
        '<sr:DCCAlertMessage><sr:DCCAlertCode>Q1</sr:DCCAlertCode><sr:DCCAlert><sr:X/></sr:DCCAlert></sr:DCCAlertMessage>',
      ),
      'duis: Response/Body/DCCAlertMessage/DCCAlertCode: "Q1" is not a DCC alert code (AD1, N<n>)',
    ],
    [
      'a payload DUIS does not define',
      response(
        okHeader,
        '<sr:ResponseMessage><sr:ServiceReference>8.2</sr:ServiceReference><sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>' +
          '<sr:DSPEverything/></sr:ResponseMessage>',
      ),
      'duis: Response/Body/ResponseMessage/DSPEverything: sr:DSPEverything is not a ResponseMessage payload',
    ],
    [
      'an unknown SRV',
      response(
        okHeader,
        '<sr:ResponseMessage><sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.7</sr:ServiceReferenceVariant></sr:ResponseMessage>',
      ),
      'duis: Response/Body/ResponseMessage/ServiceReferenceVariant: unknown Service Reference Variant "4.1.7"',
    ],
    [
      'a GBCS payload that is not base64',
      response(
        okHeader,
        '<sr:ResponseMessage><sr:ServiceReference>11.2</sr:ServiceReference><sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant>' +
          '<sr:GBCSPayload>3Q*A</sr:GBCSPayload></sr:ResponseMessage>',
      ),
      'duis: Response/Body/ResponseMessage/GBCSPayload: "3Q*A" is not xs:base64Binary (length 4 after whitespace)',
    ],
    [
      'a request',
      '<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"/>',
      'duis: Request: expected sr:Response, got sr:Request',
    ],
  ];
  for (const [what, xml, message] of cases) {
    it(`refuses ${what}`, () => expect(error(() => parse(xml))).toBe(message));
  }
});

describe('the response-code table', () => {
  it('holds I0, I99 and the E codes of the domain brief with their meanings, and marks the rest unknown', () => {
    const described = RESPONSE_CODES.filter((r) => r.meaning !== null).map((r) => r.code);
    expect(described).toEqual([
      'I0',
      'I99',
      'E1',
      'E2',
      'E3',
      'E4',
      'E5',
      'E11',
      'E12',
      'E13',
      'E17',
      'E19',
      'E20',
      'E21',
      'E30',
    ]);
    expect(responseCodeInfo('E12')?.meaning).toBe(
      'Failed validation: Command Variant not applicable to the request',
    );
    expect(formatResponseCode('E19')).toBe(
      'E19 Failed authorisation: Device does not exist (invalid Device ID)',
    );
    expect(formatResponseCode('E9999')).toBe('E9999 (not in DUIS Schema V5.4)');
    expect([
      responseCodeKind('I0'),
      responseCodeKind('I99'),
      responseCodeKind('E20'),
      responseCodeKind('W081401'),
    ]).toEqual(['success', 'acknowledgement', 'error', 'warning']);
  });

  it.skipIf(!HAVE_VECTORS)(
    'lists exactly the ResponseCode enumeration of DUIS Schema V5.4, in its order',
    () => {
      const xsd = readFileSync(
        vectorPath('dccboxed-signing-tool', 'src', 'main', 'resources', 'DUIS Schema V5.4.xsd'),
        'utf8',
      );
      const start = xsd.indexOf('<xs:simpleType name="ResponseCode">');
      const block = xsd.slice(start, xsd.indexOf('</xs:simpleType>', start));
      const codes = [...block.matchAll(/<xs:enumeration value="([^"]+)"\/>/g)].map((m) => m[1]);
      expect(codes).toHaveLength(194);
      expect(RESPONSE_CODES.map((r) => r.code)).toEqual(codes);
    },
  );
});
