// DUIS requests: every template and sample parses and round-trips (build, serialise, re-parse: equal), the built
// layout is the templates' own, and every way a document can fail to be a DUIS request gives an exact DuisError.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../../src/codec/eui64.js';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml } from '../../../src/codec/xml/serialize.js';
import { XmlError } from '../../../src/codec/xml/types.js';
import { DuisError } from '../../../src/codec/duis/common.js';
import {
  buildDuisRequest,
  parseDuisRequest,
  requestSrv,
  type DuisRequest,
} from '../../../src/codec/duis/request.js';
import { parseDuisResponse } from '../../../src/codec/duis/response.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';
import { withoutOffsets } from './support.js';

function roundTrip(req: DuisRequest): DuisRequest {
  return parseDuisRequest(parseXml(serializeXml(buildDuisRequest(req))));
}

const parse = (xml: string): DuisRequest => parseDuisRequest(parseXml(xml));

/** A request as the templates write one, with the parts a test varies. */
function requestXml(p: {
  requestId?: string;
  cv?: string;
  sr?: string;
  srv?: string;
  header?: string;
  body?: string;
  root?: string;
  after?: string;
}): string {
  const header =
    p.header ??
    `<sr:RequestID>${p.requestId ?? '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000'}</sr:RequestID>` +
      `<sr:CommandVariant>${p.cv ?? '1'}</sr:CommandVariant>` +
      `<sr:ServiceReference>${p.sr ?? '4.1'}</sr:ServiceReference>` +
      `<sr:ServiceReferenceVariant>${p.srv ?? '4.1.1'}</sr:ServiceReferenceVariant>`;
  return (
    `<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" ${p.root ?? 'schemaVersion="5.4"'}>` +
    `<sr:Header>${header}</sr:Header>` +
    `<sr:Body>${p.body ?? '<sr:ReadInstantaneousImportRegisters/>'}</sr:Body>${p.after ?? ''}</sr:Request>`
  );
}

function duisError(xml: string): string {
  try {
    parse(xml);
  } catch (e) {
    if (e instanceof DuisError) return e.message;
    throw e;
  }
  throw new Error('parsed');
}

describe.skipIf(!HAVE_VECTORS)('the 223 duis-templates requests', () => {
  const dir = vectorPath('duis-templates', 'templates');
  const files = HAVE_VECTORS ? readdirSync(dir).sort() : [];
  const sources = files.map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')] as const);

  it('all parse, carry their SRV body and a ds:Signature, and round-trip to an equal request', () => {
    expect(files).toHaveLength(223);
    for (const [f, src] of sources) {
      const req = parse(src);
      expect(req.body.element, f).toBe(requestSrv(req).bodyElement);
      expect(req.signature?.localName, f).toBe('Signature');
      expect(withoutOffsets(roundTrip(req)), f).toEqual(withoutOffsets(req));
    }
  });

  it('are written back byte for byte, except the 5 whose comments outside the signature are dropped', () => {
    const commented: string[] = [];
    for (const [f, src] of sources) {
      const out = `${serializeXml(buildDuisRequest(parse(src)))}\n`;
      if (out === src) continue;
      commented.push(f);
      const at = src.indexOf('<ds:Signature');
      expect(out, f).toBe(src.slice(0, at).replace(/\n *<!--[^\n]*-->/g, '') + src.slice(at));
    }
    expect(commented).toEqual([
      'CS03B_8.7.2_SUCCESS_REQUEST_DUIS.XML',
      'CS03CCritical_8.7.1_SUCCESS_REQUEST_DUIS.XML',
      'CS04B_8.8.2_SUCCESS_REQUEST_DUIS.XML',
      'CS07_8.9_SUCCESS_REQUEST_DUIS.XML',
      'GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_REQUEST_DUIS.XML',
    ]);
  });

  it('read the header of a critical Transform request (CS06 11.3, CV 4)', () => {
    const req = parse(sources.find(([f]) => f === 'CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML')![1]);
    expect(req.schemaVersion).toBe('5.4');
    expect(req.header).toEqual({
      requestId: {
        originator: eui64('90B3D51F30010000'),
        target: eui64('00DB1234567890A0'),
        counter: 1000n,
      },
      commandVariant: 4,
      serviceReference: '11.3',
      serviceReferenceVariant: '11.3',
    });
    expect(requestSrv(req).critical).toBe(true);
  });
});

/** Expected outcome per sample: 'request', 'response', or the exact error. */
const SAMPLES: Record<string, Record<string, string>> = {
  'duis-templates/test/data': {
    '12.2_DEVICE_PRE_NOTIFICATION_REQUEST_DUIS.XML': 'request',
    'CS03A2NonCritical_8.7.2_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS52_11.2_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS52_11.2_SUCCESS_RESPONSE_DUIS.XML': 'response',
    'ECS99b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML': 'request',
    'GCS13a_4.1.1_ERROR_REQUEST_DUIS.XML': 'request',
  },
  'duis-parser/test/resources': {
    'CS02aMAC_6.24.1_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML': 'request',
    'GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_REQUEST_DUIS.XML': 'request',
    'acknowledgement-error.xml': 'response',
    'readfw-response.xml': 'response',
  },
  'duis-sign-wrap/test/data': {
    '8.2_READ_INVENTORY_REQUEST_DUIS-invalid.XML':
      'duis: Request/Header: expected sr:RequestID, got sr:ReqxuestID',
    '8.2_READ_INVENTORY_REQUEST_DUIS-unknown-originator.XML': 'request',
    '8.2_READ_INVENTORY_REQUEST_DUIS-unknown-serial.XML': 'request',
    '8.2_READ_INVENTORY_REQUEST_DUIS.XML': 'request',
    'readfw-version-response.xml': 'response',
  },
  'dccboxed-signing-tool/src/test/resources': {
    'ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-invalid.XML':
      'duis: Request/Header/RequestID: expected originator:target:counter (3 parts separated by ":"), got 4 in ' +
      '"90-B3-D5-1F-30-01-00-00:00-07-81-D7-00-00-36-CE::1000"',
    'ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-nonexist-businessid.XML': 'request',
    'ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-signed.XML': 'request',
    'ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML': 'request',
    'ECS50_9.1_SUCCESS_REQUEST_DUIS.XML': 'request',
    'acknowledgement-error.xml': 'response',
    'duis-xxe.xml':
      'xml: line 2, column 1: DTDs are not allowed (found <!DOCTYPE); entity declarations and external subsets are refused',
    null: 'xml: line 1, column 1: document is empty; expected a root element',
    'read-inventory-response-4g.xml': 'response',
    'read-inventory-response-5.4.xml': 'response',
    'readfw-response-badsignature.xml': 'response',
    'readfw-response-invalid.xml':
      'duis: Response/Body/ResponseMessage/ServiceReference: "11.2.11.2" is not the Service Reference of variant 11.2 ' +
      '(expected "11.2")',
    'readfw-response-no-serial.xml': 'response',
    'readfw-response-no-signature.xml': 'response',
    'readfw-response-nonexist-serial.xml': 'response',
    'readfw-response-resigned.xml': 'response',
    'readfw-response.xml': 'response',
  },
  'dccboxed-signing-tool/src/main/resources': {
    'message.xml': 'response',
    'message2.xml': 'response',
  },
};

describe.skipIf(!HAVE_VECTORS)('the DUIS samples beside the templates', () => {
  for (const [folder, expected] of Object.entries(SAMPLES)) {
    it(`${folder}: ${Object.values(expected).filter((v) => v === 'request').length} requests parse and round-trip, the rest as listed`, () => {
      const dir = vectorPath(...folder.split('/'));
      const files = readdirSync(dir).filter((f) => /\.xml$/i.test(f) || f === 'null');
      expect(files.sort()).toEqual(Object.keys(expected).sort());
      for (const f of files) {
        const want = expected[f]!;
        let got: string;
        try {
          const doc = parseXml(readFileSync(`${dir}/${f}`));
          if (doc.root.localName === 'Request') {
            const req = parseDuisRequest(doc);
            expect(withoutOffsets(roundTrip(req)), f).toEqual(withoutOffsets(req));
            got = 'request';
          } else {
            parseDuisResponse(doc);
            got = 'response';
          }
        } catch (e) {
          if (!(e instanceof DuisError || e instanceof XmlError)) throw e;
          got = e.message;
        }
        expect(got, f).toBe(want);
      }
    });
  }
});

describe('RequestID', () => {
  const id = (requestId: string) => parse(requestXml({ requestId })).header.requestId;

  it('reads originator, target and a 64-bit counter, hex in either case, edges collapsed (xs:token)', () => {
    expect(id(' 90-b3-d5-1f-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551615 ')).toEqual({
      originator: eui64('90B3D51F30010000'),
      target: eui64('00DB1234567890A0'),
      counter: 18446744073709551615n,
    });
    expect(id('90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:0').counter).toBe(0n);
  });

  const malformed: [string, string][] = [
    [
      '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0',
      'expected originator:target:counter (3 parts separated by ":"), got 2 in "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0"',
    ],
    [
      '90B3D51F30010000:00-DB-12-34-56-78-90-A0:1',
      'originator "90B3D51F30010000" is not an EUI-64 written XX-XX-XX-XX-XX-XX-XX-XX',
    ],
    [
      '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90:1',
      'target "00-DB-12-34-56-78-90" is not an EUI-64 written XX-XX-XX-XX-XX-XX-XX-XX',
    ],
    [
      '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:01000',
      'counter "01000" is not a decimal 0..18446744073709551615 without leading zeros',
    ],
    [
      '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616',
      'counter "18446744073709551616" is not a decimal 0..18446744073709551615 without leading zeros',
    ],
    [
      '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1',
      'counter "-1" is not a decimal 0..18446744073709551615 without leading zeros',
    ],
    ['', 'expected originator:target:counter (3 parts separated by ":"), got 1 in ""'],
  ];
  for (const [text, reason] of malformed) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(duisError(requestXml({ requestId: text }))).toBe(`duis: Request/Header/RequestID: ${reason}`);
    });
  }
});

describe('what is not a DUIS request', () => {
  const cases: [string, string, string][] = [
    [
      'an unknown SRV',
      requestXml({ srv: '4.1.9' }),
      'duis: Request/Header/ServiceReferenceVariant: unknown Service Reference Variant "4.1.9"',
    ],
    [
      'a Service Reference that is not the variant’s',
      requestXml({ sr: '4.2' }),
      'duis: Request/Header/ServiceReference: "4.2" is not the Service Reference of variant 4.1.1 (expected "4.1")',
    ],
    [
      'the body of another SRV',
      requestXml({ body: '<sr:ReadInventory><sr:UPRN>1</sr:UPRN></sr:ReadInventory>' }),
      'duis: Request/Body: SRV 4.1.1 expects sr:ReadInstantaneousImportRegisters, got sr:ReadInventory (the body of SRV 8.2)',
    ],
    [
      'a body no SRV has',
      requestXml({ body: '<sr:ReadEverything/>' }),
      'duis: Request/Body: sr:ReadEverything is not a DUIS request body (SRV 4.1.1 expects sr:ReadInstantaneousImportRegisters)',
    ],
    [
      'a root in another namespace',
      requestXml({}).replace(
        'xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"',
        'xmlns:sr="urn:other"',
      ),
      'duis: Request: expected namespace http://www.dccinterface.co.uk/ServiceUserGateway, got urn:other',
    ],
    [
      'a response',
      '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"/>',
      'duis: Response: expected sr:Request, got sr:Response',
    ],
    [
      'a header without CommandVariant',
      requestXml({
        header:
          '<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1</sr:RequestID>' +
          '<sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>',
      }),
      'duis: Request/Header: expected sr:CommandVariant, got sr:ServiceReference',
    ],
    [
      'a header without ServiceReferenceVariant',
      requestXml({
        header:
          '<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1</sr:RequestID>' +
          '<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference>',
      }),
      'duis: Request/Header: missing sr:ServiceReferenceVariant',
    ],
    [
      'Command Variant 9',
      requestXml({ cv: '9' }),
      'duis: Request/Header/CommandVariant: Command Variant 9 is internal to DCC Data Systems, not a Service Request',
    ],
    [
      'Command Variant 0',
      requestXml({ cv: '0' }),
      'duis: Request/Header/CommandVariant: expected a Command Variant 1..8, got "0"',
    ],
    ['no schemaVersion', requestXml({ root: '' }), 'duis: Request: missing attribute schemaVersion'],
    [
      'a schemaVersion that is not a decimal',
      requestXml({ root: 'schemaVersion="5.4a"' }),
      'duis: Request: schemaVersion "5.4a" is not an xs:decimal',
    ],
    [
      'two body elements',
      requestXml({ body: '<sr:ReadInstantaneousImportRegisters/><sr:ReadInstantaneousImportRegisters/>' }),
      'duis: Request/Body: unexpected sr:ReadInstantaneousImportRegisters after sr:ReadInstantaneousImportRegisters',
    ],
    ['an empty body', requestXml({ body: '' }), 'duis: Request/Body: empty: expected the SRV body element'],
    [
      'a body element in another namespace',
      requestXml({ body: '<x:ReadInstantaneousImportRegisters xmlns:x="urn:x"/>' }),
      'duis: Request/Body/ReadInstantaneousImportRegisters: expected an element in namespace ' +
        'http://www.dccinterface.co.uk/ServiceUserGateway, got {urn:x}ReadInstantaneousImportRegisters',
    ],
    [
      'text in the body',
      requestXml({ body: 'hello' }),
      'duis: Request/Body: text "hello" where only elements may appear',
    ],
    [
      'mixed content',
      requestXml({
        body: '<sr:ReadInstantaneousImportRegisters>x<sr:Y>1</sr:Y></sr:ReadInstantaneousImportRegisters>',
      }),
      'duis: Request/Body/ReadInstantaneousImportRegisters: mixed content: text "x" beside elements',
    ],
    [
      'something other than a signature after the body',
      requestXml({ after: '<sr:Trailer/>' }),
      'duis: Request: expected ds:Signature, got sr:Trailer',
    ],
    [
      'something after the signature',
      requestXml({ after: '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/><sr:Trailer/>' }),
      'duis: Request: unexpected sr:Trailer after ds:Signature',
    ],
    [
      'an attribute on the root other than schemaVersion',
      requestXml({ root: 'schemaVersion="5.4" version="1"' }),
      'duis: Request: unexpected attribute version (only schemaVersion)',
    ],
  ];
  for (const [what, xml, message] of cases) {
    it(`refuses ${what}`, () => expect(duisError(xml)).toBe(message));
  }

  it('leaves Command Variant rules to the DSP: a non-critical SRV with CV 5 parses (a DSP answers E12)', () => {
    expect(parse(requestXml({ cv: '5' })).header.commandVariant).toBe(5);
  });
});

describe('building requests', () => {
  const req: DuisRequest = {
    schemaVersion: '5.4',
    header: {
      requestId: { originator: eui64('90B3D51F30010000'), target: eui64('00DB1234567890A0'), counter: 1000n },
      commandVariant: 1,
      serviceReference: '4.1',
      serviceReferenceVariant: '4.1.1',
    },
    body: { element: 'ReadInstantaneousImportRegisters', children: [] },
  };

  it('writes the template layout: declaration, sr/ds/xsi on the root, two-space indent', () => {
    expect(serializeXml(buildDuisRequest(req))).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.4">',
        '  <sr:Header>',
        '    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>',
        '    <sr:CommandVariant>1</sr:CommandVariant>',
        '    <sr:ServiceReference>4.1</sr:ServiceReference>',
        '    <sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>',
        '  </sr:Header>',
        '  <sr:Body>',
        '    <sr:ReadInstantaneousImportRegisters/>',
        '  </sr:Body>',
        '</sr:Request>',
      ].join('\n'),
    );
    expect(roundTrip(req)).toEqual(req);
  });

  it('keeps the optional sequencing header fields and a Signed Pre-Command body', () => {
    const signed: DuisRequest = {
      schemaVersion: '5.4',
      header: {
        requestId: {
          originator: eui64('90B3D51F30010000'),
          target: eui64('00DB1234567890A0'),
          counter: 1001n,
        },
        firstInSequence: false,
        precedingRequestId: {
          originator: eui64('90B3D51F30010000'),
          target: eui64('00DB1234567890A0'),
          counter: 1000n,
        },
        commandVariant: 5,
        serviceReference: '7.1',
        serviceReferenceVariant: '7.1',
      },
      body: {
        element: 'SignedPreCommand',
        children: [
          { name: 'ExecutionDateTime', text: '2025-01-01T00:00:00Z' },
          { name: 'GBCSPayload', text: '3wkCAAAAAAAAA+g=' },
        ],
      },
    };
    expect(roundTrip(signed)).toEqual(signed);
  });

  it('keeps body attributes, nested order and text exactly', () => {
    const body = {
      element: 'UpdateDeviceConfigurationALCDescriptions',
      children: [
        {
          name: 'ALCSHCALCSDescription',
          attributes: { index: '2' },
          children: [
            { name: 'B', text: ' spaced  text & <ref> ' },
            { name: 'A', children: [] },
          ],
        },
        { name: 'ALCSHCALCSDescription', attributes: { index: '1' }, text: 'x' },
      ],
    };
    const r: DuisRequest = {
      ...req,
      header: {
        ...req.header,
        commandVariant: 4,
        serviceReference: '6.14',
        serviceReferenceVariant: '6.14.1',
      },
      body,
    };
    expect(roundTrip(r)).toEqual(r);
  });

  it('refuses to build what it would refuse to parse', () => {
    expect(() => buildDuisRequest({ ...req, body: { element: 'ReadInventory', children: [] } })).toThrow(
      'duis: Request/Body: SRV 4.1.1 expects sr:ReadInstantaneousImportRegisters, got sr:ReadInventory (the body of SRV 8.2)',
    );
    expect(() =>
      buildDuisRequest({
        ...req,
        header: { ...req.header, requestId: { ...req.header.requestId, counter: 1n << 64n } },
      }),
    ).toThrow('duis: Request/Header/RequestID: DUIS counter expected 0..2^64-1, got 18446744073709551616');
    expect(() => buildDuisRequest({ ...req, schemaVersion: 'five' })).toThrow(
      'duis: Request: schemaVersion "five" is not an xs:decimal',
    );
  });

  it('declares on the root the prefixes a kept signature inherited from its original root', () => {
    const xml = requestXml({ after: '<ns3:Signature><ns3:SignedInfo/></ns3:Signature>' }).replace(
      '<sr:Request ',
      '<sr:Request xmlns:ns3="http://www.w3.org/2000/09/xmldsig#" ',
    );
    const parsed = parse(xml);
    const out = serializeXml(buildDuisRequest(parsed));
    expect(out).toContain('xmlns:ns3="http://www.w3.org/2000/09/xmldsig#" schemaVersion="5.4">');
    expect(out).toContain('<ns3:Signature><ns3:SignedInfo/></ns3:Signature>');
    expect(withoutOffsets(roundTrip(parsed))).toEqual(withoutOffsets(parsed));
  });
});
