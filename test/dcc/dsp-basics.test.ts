// The DSP over HTTP: a non-critical read goes I99 → device → signed I0 pushed to the receiver; the gateway refuses
// what never becomes a DUIS request; business refusals come back as signed E-codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { decodeGbcs } from '../../src/codec/gbcs/frame.js';
import { gbcsOf, post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';

const SUPPLIER = eui64('90B3D51F30010000');
const NETWORK_OPERATOR = eui64('90B3D51F30020000');
const ESME = eui64('00DB1234567890A0');
const DSP = eui64('90B3D51F30000002');

let h: DccHarness;
beforeAll(async () => {
  h = await startDcc({ fleet: 2 });
});
afterAll(async () => {
  await h.close();
});

describe('a non-critical read over the WAN (SR 4.1.1, CV1)', () => {
  it('is acknowledged with I99, then the ESME response arrives as a signed I0 whose GBCS verifies', async () => {
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 5_000n, cv: 1, srv: '4.1.1' });
    const ack = await post(h, 'S', xml);
    expect(ack.status).toBe(200);
    expect(ack.response?.header.responseCode).toBe('I99');
    await h.dcc.advance(60_000);
    const [i0] = responsesTo(h, 5_000n);
    expect(i0?.header.responseCode).toBe('I0');
    expect(i0?.header.responseId).toEqual({ originator: ESME, target: SUPPLIER, counter: 5_000n });
    const gbcs = gbcsOf(h, i0!);
    expect(gbcs.message.header).toMatchObject({
      cra: 2,
      originator: ESME,
      recipient: SUPPLIER,
      originatorCounter: 5_000n,
    });
    const command = decodeGbcs(
      (await h.store.getRequest(`90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:5000`))!.command!,
    );
    expect(command.header.messageCode).toBe(gbcs.message.header.messageCode);
  });

  it('refuses the same RequestID again (replay) with HTTP 409 and stores nothing', async () => {
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 5_000n, cv: 1, srv: '4.1.1' });
    const again = await post(h, 'S', xml);
    expect(again.status).toBe(409);
    expect(JSON.parse(again.text)).toMatchObject({ error: 'replayed' });
  });
});

describe('correlation', () => {
  it('two meters read with the same RequestID counter each get their own answer', async () => {
    const other = eui64('00DB1234567891A0');
    for (const target of [ESME, other]) {
      const ack = await post(
        h,
        'S',
        signedRequest(h, { user: SUPPLIER, target, counter: 9_000n, cv: 1, srv: '4.1.1' }),
      );
      expect(ack.response?.header.responseCode).toBe('I99');
    }
    await h.dcc.advance(60_000);
    const answers = responsesTo(h, 9_000n);
    expect(answers.map((r) => r.header.requestId?.target).sort()).toEqual([ESME, other].sort());
    expect(answers.map((r) => r.header.responseCode)).toEqual(['I0', 'I0']);
    for (const r of answers) expect(gbcsOf(h, r).message.header.originator).toBe(r.header.requestId?.target);
  });
});

describe('refusals', () => {
  it('E19: a device the inventory does not hold', async () => {
    const xml = signedRequest(h, {
      user: SUPPLIER,
      target: eui64('00DB1234567890FF'),
      counter: 5_100n,
      cv: 1,
      srv: '4.1.1',
    });
    expect((await post(h, 'S', xml)).response?.header.responseCode).toBe('E19');
  });

  it('E2: a network operator may not read prepayment configuration (4.13)', async () => {
    const xml = signedRequest(h, {
      user: NETWORK_OPERATOR,
      target: ESME,
      counter: 5_200n,
      cv: 1,
      srv: '4.13',
    });
    expect((await post(h, 'S', xml)).response?.header.responseCode).toBe('E2');
  });

  it('E13: a Send Command variant posted to the Transform service', async () => {
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 5_300n, cv: 1, srv: '4.1.1' });
    expect((await post(h, 'T', xml)).response?.header.responseCode).toBe('E13');
  });

  it('E12: a Command Variant the SRV does not allow (CV4 for a non-critical read)', async () => {
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 5_400n, cv: 4, srv: '4.1.1' });
    expect((await post(h, 'T', xml)).response?.header.responseCode).toBe('E12');
  });

  it('an unsigned request is refused with HTTP 401', async () => {
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 5_500n, cv: 1, srv: '4.1.1' });
    const unsigned = xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const res = await post(h, 'S', unsigned);
    expect(res.status).toBe(401);
  });

  it('a request not sent as XML is refused with HTTP 415', async () => {
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 5_600n, cv: 1, srv: '4.1.1' });
    expect((await post(h, 'S', xml, 'application/json')).status).toBe(415);
  });

  it('non-device 8.2 Read Inventory answers I0 with the DSPInventory', async () => {
    const xml = signedRequest(h, {
      user: SUPPLIER,
      target: DSP,
      counter: 5_700n,
      cv: 8,
      srv: '8.2',
      body: { element: 'ReadInventory', children: [{ name: 'DeviceID', text: '00-DB-12-34-56-78-90-A0' }] },
    });
    const res = await post(h, 'D', xml);
    expect(res.response?.header.responseCode).toBe('I0');
    expect(res.text).toContain('<sr:DeviceStatus>Commissioned</sr:DeviceStatus>');
  });
});

describe('requests enter the pipeline in arrival order', () => {
  it('twenty reads posted at once, counters rising, all accepted though two worker threads check them', async () => {
    const w = await startDcc({ fleet: 1, gatewayThreads: 2 });
    try {
      const bodies = Array.from({ length: 20 }, (_, i) =>
        signedRequest(w, { user: SUPPLIER, target: ESME, counter: 100n + BigInt(i), cv: 1, srv: '4.1.1' }),
      );
      const answers = await Promise.all(bodies.map((b) => post(w, 'S', b)));
      expect(answers.map((a) => a.response?.header.responseCode)).toEqual(bodies.map(() => 'I99'));
    } finally {
      await w.close();
    }
  });
});
