// Each DUIS E-code the DSP answers with, provoked over HTTP (issue 5): E1–E5, E11–E13, E19 synchronously; E20, E21
// and E30 asynchronously, pushed to the User's receiver after the I99.
import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBase64 } from '../../src/codec/duis/common.js';
import { eui64 } from '../../src/codec/eui64.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import { buildDuisRequest } from '../../src/codec/duis/request.js';
import { signDuis } from '../../src/crypto/xmldsig.js';
import { post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';

const SUPPLIER = eui64('90B3D51F30010000');
const NETWORK_OPERATOR = eui64('90B3D51F30020000');
const DSP = eui64('90B3D51F30000002');
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A1');
const CHF = eui64('00DB1234567890A2');
const ESME_UNCOVERED = eui64('00DB1234567891A0');
const ESME_PENDING = eui64('00DB1234567892A0');
const MINUTE = 60_000;

let h: DccHarness;
let counter = 10_000n;
const next = (): bigint => (counter += 1n);

beforeAll(async () => {
  // Premise 0 commissioned and covered; premise 1 commissioned but out of WAN coverage; premise 2 not installed.
  h = await startDcc({ fleet: 3, commissioned: 2, uncovered: [1] });
});
afterAll(async () => {
  await h.close();
});

const code = async (service: 'S' | 'T' | 'D', xml: string): Promise<string | undefined> =>
  (await post(h, service, xml)).response?.header.responseCode;

describe('synchronous refusals', () => {
  it('E1: the RequestID names a User other than the one who signed', async () => {
    const doc = buildDuisRequest({
      schemaVersion: '5.4',
      header: {
        requestId: { originator: NETWORK_OPERATOR, target: ESME, counter: next() },
        commandVariant: 1,
        serviceReference: '4.1',
        serviceReferenceVariant: '4.1.1',
      },
      body: { element: 'ReadInstantaneousImportRegisters', children: [] },
    });
    const xml = serializeXml(signDuis(doc, h.dcc.credentials.signer(SUPPLIER)!));
    expect(await code('S', xml)).toBe('E1');
  });

  it('E2: a role the SRV does not allow (a network operator disabling supply)', async () => {
    expect(
      await code(
        'T',
        signedRequest(h, { user: NETWORK_OPERATOR, target: ESME, counter: next(), cv: 4, srv: '7.2' }),
      ),
    ).toBe('E2');
  });

  it('E3: a suspended User', async () => {
    const user = (await h.store.getUser(NETWORK_OPERATOR))!;
    await h.store.putUser({ ...user, status: 'suspended' });
    try {
      expect(
        await code(
          'S',
          signedRequest(h, { user: NETWORK_OPERATOR, target: ESME, counter: next(), cv: 1, srv: '4.1.1' }),
        ),
      ).toBe('E3');
    } finally {
      await h.store.putUser(user);
    }
  });

  it('E4: an eligible role not registered for the device (the network operator reading a gas meter)', async () => {
    expect(
      await code(
        'S',
        signedRequest(h, { user: NETWORK_OPERATOR, target: GSME, counter: next(), cv: 1, srv: '4.1.1' }),
      ),
    ).toBe('E4');
  });

  it('E5: a meter whose SMI status does not allow the SRV (not yet installed)', async () => {
    expect(
      await code(
        'S',
        signedRequest(h, { user: SUPPLIER, target: ESME_PENDING, counter: next(), cv: 1, srv: '4.1.1' }),
      ),
    ).toBe('E5');
  });

  it('E11: an SRV that does not apply to the device type (a register read sent to the CHF)', async () => {
    expect(
      await code(
        'S',
        signedRequest(h, { user: SUPPLIER, target: CHF, counter: next(), cv: 1, srv: '4.1.1' }),
      ),
    ).toBe('E11');
  });

  it('E12: a Command Variant the SRV does not allow', async () => {
    expect(
      await code(
        'S',
        signedRequest(h, {
          user: SUPPLIER,
          target: ESME,
          counter: next(),
          cv: 5,
          srv: '4.1.1',
          body: { element: 'SignedPreCommand', children: [{ name: 'GBCSPayload', text: 'AA==' }] },
        }),
      ),
    ).toBe('E12');
  });

  it('E13: a request on the wrong web service (a non-device request to Send Command)', async () => {
    const body = {
      element: 'ReadInventory',
      children: [{ name: 'DeviceID', text: '00-DB-12-34-56-78-90-A0' }],
    };
    expect(
      await code(
        'S',
        signedRequest(h, { user: SUPPLIER, target: DSP, counter: next(), cv: 8, srv: '8.2', body }),
      ),
    ).toBe('E13');
  });

  it('E19: a device the SMI does not hold', async () => {
    expect(
      await code(
        'S',
        signedRequest(h, {
          user: SUPPLIER,
          target: eui64('00DB12345678FFA0'),
          counter: next(),
          cv: 1,
          srv: '4.1.1',
        }),
      ),
    ).toBe('E19');
  });
});

describe('asynchronous failures, pushed after the I99', () => {
  it('E20: the premise has no SM WAN coverage', async () => {
    const c = next();
    expect(
      await code(
        'S',
        signedRequest(h, { user: SUPPLIER, target: ESME_UNCOVERED, counter: c, cv: 1, srv: '4.1.1' }),
      ),
    ).toBe('I99');
    await h.dcc.advance(1_000);
    expect(responsesTo(h, c).map((r) => r.header.responseCode)).toEqual(['E20']);
  });

  it('E21: the meter does not answer within the Target Response Time (it has lost power)', async () => {
    h.dcc.runner.inject(0, ESME, { type: 'power', on: false });
    await h.dcc.advance(1_000);
    const c = next();
    expect(
      await code('S', signedRequest(h, { user: SUPPLIER, target: ESME, counter: c, cv: 1, srv: '4.1.1' })),
    ).toBe('I99');
    await h.dcc.advance(29_000);
    expect(responsesTo(h, c)).toEqual([]);
    await h.dcc.advance(2_000);
    expect(responsesTo(h, c).map((r) => r.header.responseCode)).toEqual(['E21']);
    h.dcc.runner.inject(0, ESME, { type: 'power', on: true });
    await h.dcc.advance(5 * MINUTE);
  });

  it('E30: a future-dated firmware activation answered at once, whose execution alert never comes', async () => {
    const c = next();
    const execution = new Date(h.dcc.field.now() + 60 * MINUTE).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = {
      element: 'ActivateFirmware',
      children: [
        { name: 'ExecutionDateTime', text: execution },
        { name: 'FirmwareHash', text: 'AA758690730934FF0685AA758690730934FF0685657788990011223344556677' },
      ],
    };
    const transform = await post(
      h,
      'T',
      signedRequest(h, { user: SUPPLIER, target: ESME, counter: c, cv: 4, srv: '11.3', body }),
    );
    const pre =
      transform.response?.body?.kind === 'ResponseMessage' &&
      transform.response.body.payload?.kind === 'PreCommand'
        ? transform.response.body.payload.gbcsPayload
        : undefined;
    expect(pre, transform.text).toBeDefined();
    const key = h.dcc.protection.keys.privateKey({ eui: SUPPLIER, usage: 'DS' })!;
    const signed = Uint8Array.from([
      ...pre!,
      0x40,
      ...sign('sha256', pre!.subarray(1), { key, dsaEncoding: 'ieee-p1363' }),
    ]);
    const cv5 = signedRequest(h, {
      user: SUPPLIER,
      target: ESME,
      counter: c,
      cv: 5,
      srv: '11.3',
      body: { element: 'SignedPreCommand', children: [{ name: 'GBCSPayload', text: formatBase64(signed) }] },
    });
    expect(await code('S', cv5)).toBe('I99');
    await h.dcc.advance(MINUTE);
    expect(responsesTo(h, c).map((r) => r.header.responseCode)).toEqual(['I0']);
    h.dcc.runner.inject(0, ESME, { type: 'power', on: false }); // off before the execution time: no 0x8F66/0x8F67
    await h.dcc.advance(62 * MINUTE);
    expect(responsesTo(h, c).map((r) => r.header.responseCode)).toEqual(['I0', 'E30']);
  });
});
