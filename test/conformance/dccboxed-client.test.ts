// A real client, unchanged (issue 5): the request flow of the public DCC Boxed Node-RED nodes
// [O: SmartDCCInnovation/dccboxed-nodered-nodes] against our server, with DCC Boxed's own test keys
// (keystore.json) and the published DUIS templates: sign the template (counter kept), POST it as application/xml
// to the web service its Command Variant names, expect a signed, schema-valid DUIS answer; for a critical
// request, sign the Pre-Command with the User's GBCS key (signGroupingHeader: ECDSA over the APDU after 0xDF,
// 0x40 ‖ r ‖ s appended), re-send it as CV5 under the RequestID the answer echoes, then I99 and the pushed I0.
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBase64, formatDuisId } from '../../src/codec/duis/common.js';
import { buildDuisRequest, parseDuisRequest } from '../../src/codec/duis/request.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import { isZ1GbcsEntry, loadDccBoxedKeyStore } from '../../src/crypto/keystore-folder.js';
import { loadDccBoxedXmlSigningCredentials } from '../../src/crypto/xmldsig-credentials.js';
import { signDuis } from '../../src/crypto/xmldsig.js';
import { gbcsOf, post, responsesTo, serviceFor, startDcc, type DccHarness } from '../support/dcc.js';
import { HAVE_VECTORS, skipReason, vectorPath } from '../vectors.js';

const KEYSTORE = vectorPath('dccboxed-keystore', 'keystore.json');
const TEMPLATES = vectorPath('duis-templates', 'templates');

let h: DccHarness;
beforeAll(async () => {
  if (!HAVE_VECTORS) return;
  h = await startDcc({
    fleet: 1,
    xmlCredentials: loadDccBoxedXmlSigningCredentials(KEYSTORE),
    gbcsKeys: loadDccBoxedKeyStore(KEYSTORE, { include: isZ1GbcsEntry }),
  });
});
afterAll(async () => {
  await h?.close();
});

/** The template as the nodes send it: its counter replaced by a fresh one, signed by its originator. */
function signedTemplate(file: string, counter: bigint): { xml: string; cv: number } {
  const req = parseDuisRequest(parseXml(readFileSync(`${TEMPLATES}/${file}`)));
  const fresh = { ...req, header: { ...req.header, requestId: { ...req.header.requestId, counter } } };
  const doc = buildDuisRequest({ ...fresh, signature: undefined } as typeof fresh);
  const signer = h.dcc.credentials.signer(req.header.requestId.originator)!;
  return { xml: serializeXml(signDuis(doc, signer)), cv: req.header.commandVariant };
}

describe.skipIf(!HAVE_VECTORS)('the DCC Boxed Node-RED request flow against smets-twin', () => {
  it('a non-critical template (ECS52 11.2 Read Firmware Version): I99 on serviceS, then the signed I0', async () => {
    const { xml, cv } = signedTemplate('ECS52_11.2_SUCCESS_REQUEST_DUIS.XML', 1_658_482_675_800n);
    expect(cv).toBe(1);
    const ack = await post(h, serviceFor(1), xml);
    expect(ack.response?.header.responseCode).toBe('I99');
    await h.dcc.advance(60_000);
    const [i0] = responsesTo(h, 1_658_482_675_800n);
    expect(i0?.header.responseCode).toBe('I0');
    expect(gbcsOf(h, i0!).message.header.messageCode).toBe(0x0059); // ECS52
  });

  it('a critical template (ECS43 7.2 Disable Supply): CV4 → PreCommand → signGroupingHeader → CV5 → I99 → I0', async () => {
    const counter = 1_658_482_675_900n;
    const { xml, cv } = signedTemplate('ECS43_7.2_SUCCESS_REQUEST_DUIS.XML', counter);
    expect(cv).toBe(4);
    const transform = await post(h, serviceFor(4), xml);
    expect(transform.response?.header.responseCode).toBe('I0');
    const body = transform.response!.body!;
    if (body.kind !== 'ResponseMessage' || body.payload?.kind !== 'PreCommand')
      throw new Error(transform.text);
    const pre = body.payload.gbcsPayload;
    expect(pre[0]).toBe(0xdf);

    // signGroupingHeader: the originator's DS key from the same keystore; the signature covers bytes 1.. .
    const requestId = transform.response!.header.requestId!;
    const key = h.dcc.protection.keys.privateKey({ eui: requestId.originator, usage: 'DS' })!;
    const signed = Uint8Array.from([
      ...pre,
      0x40,
      ...sign('sha256', pre.subarray(1), { key, dsaEncoding: 'ieee-p1363' }),
    ]);
    const cv5 = buildDuisRequest({
      schemaVersion: '5.4',
      header: {
        requestId,
        commandVariant: 5,
        serviceReference: body.serviceReference,
        serviceReferenceVariant: body.serviceReferenceVariant,
      },
      body: { element: 'SignedPreCommand', children: [{ name: 'GBCSPayload', text: formatBase64(signed) }] },
    });
    const cv5Xml = serializeXml(signDuis(cv5, h.dcc.credentials.signer(requestId.originator)!));
    const ack = await post(h, serviceFor(5), cv5Xml);
    expect(ack.response?.header.responseCode, formatDuisId(requestId)).toBe('I99');
    await h.dcc.advance(60_000);
    const [i0] = responsesTo(h, counter);
    expect(i0?.header.responseCode).toBe('I0');
    const response = gbcsOf(h, i0!);
    expect(response.message.header).toMatchObject({
      cra: 2,
      messageCode: 0x0050,
      originatorCounter: counter,
    });
  });
});

if (!HAVE_VECTORS) console.warn(skipReason());
