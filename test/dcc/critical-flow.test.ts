// A critical request the way the public DCC Boxed Node-RED nodes make it [O: dccboxed-nodered-nodes]: CV4 to the
// Transform service returns a Pre-Command; the User signs it with its GBCS DS key (ECDSA P-256 over the
// General-Signing APDU after its 0xDF tag, 64-octet r‖s appended after a 0x40 length); the Signed Pre-Command goes
// back as CV5 under the same RequestID to Send Command; I99, then the device's signed response as I0.
import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBase64 } from '../../src/codec/duis/common.js';
import { eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import { post, responsesTo, signedRequest, gbcsOf, startDcc, type DccHarness } from '../support/dcc.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');

let h: DccHarness;
beforeAll(async () => {
  h = await startDcc({ fleet: 1 });
});
afterAll(async () => {
  await h.close();
});

/** What the nodes' signGroupingHeader does: sign bytes 1.. of the Pre-Command, append 0x40 ‖ r ‖ s. */
function signPreCommand(pre: Uint8Array): Uint8Array {
  const key = h.dcc.protection.keys.privateKey({ eui: SUPPLIER, usage: 'DS' })!;
  const signature = sign('sha256', pre.subarray(1), { key, dsaEncoding: 'ieee-p1363' });
  return Uint8Array.from([...pre, 0x40, ...signature]);
}

function preCommandOf(r: Awaited<ReturnType<typeof post>>): Uint8Array {
  const body = r.response?.body;
  if (body?.kind !== 'ResponseMessage' || body.payload?.kind !== 'PreCommand')
    throw new Error(`expected a PreCommand, got ${r.text}`);
  return body.payload.gbcsPayload;
}

describe('SR 7.2 Disable Supply through CV4 → sign → CV5', () => {
  it('disables the ESME supply and answers I99 then a signed I0 with the ECS43 response', async () => {
    const counter = 6_000n;
    const transform = await post(
      h,
      'T',
      signedRequest(h, { user: SUPPLIER, target: ESME, counter, cv: 4, srv: '7.2' }),
    );
    expect(transform.response?.header.responseCode).toBe('I0');
    const pre = preCommandOf(transform);
    const parsed = parseGbcs(pre).message;
    expect(parsed.signature.kind).toBe('absent');
    expect(parsed.header).toMatchObject({
      originator: SUPPLIER,
      recipient: ESME,
      originatorCounter: counter,
    });

    const signed = signPreCommand(pre);
    const cv5 = signedRequest(h, {
      user: SUPPLIER,
      target: ESME,
      counter,
      cv: 5,
      srv: '7.2',
      body: { element: 'SignedPreCommand', children: [{ name: 'GBCSPayload', text: formatBase64(signed) }] },
    });
    const ack = await post(h, 'S', cv5);
    expect(ack.response?.header.responseCode).toBe('I99');
    await h.dcc.advance(60_000);
    const [i0] = responsesTo(h, counter);
    expect(i0?.header.responseCode).toBe('I0');
    const response = gbcsOf(h, i0!);
    expect(response.message.signature.kind).toBe('present'); // a critical command's response is signed
    const esme = h.dcc.runner.actor<EsmeState>(0, ESME);
    expect(esme.supply).toBe('disabled');
  });

  it('refuses a Signed Pre-Command that is not the one issued (a byte of the payload changed)', async () => {
    const counter = 6_100n;
    const pre = preCommandOf(
      await post(h, 'T', signedRequest(h, { user: SUPPLIER, target: ESME, counter, cv: 4, srv: '7.2' })),
    );
    const tampered = pre.slice();
    tampered[tampered.length - 1]! ^= 0x01;
    const cv5 = signedRequest(h, {
      user: SUPPLIER,
      target: ESME,
      counter,
      cv: 5,
      srv: '7.2',
      body: {
        element: 'SignedPreCommand',
        children: [{ name: 'GBCSPayload', text: formatBase64(signPreCommand(tampered)) }],
      },
    });
    const res = await post(h, 'S', cv5);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'signed-pre-command-invalid' });
  });

  it('refuses a CV5 when a later request to the device was accepted since its Pre-Command (HTTP 409)', async () => {
    const pre = preCommandOf(
      await post(
        h,
        'T',
        signedRequest(h, { user: SUPPLIER, target: ESME, counter: 6_300n, cv: 4, srv: '7.2' }),
      ),
    );
    const read = await post(
      h,
      'S',
      signedRequest(h, { user: SUPPLIER, target: ESME, counter: 6_301n, cv: 1, srv: '4.1.1' }),
    );
    expect(read.response?.header.responseCode).toBe('I99');
    const cv5 = signedRequest(h, {
      user: SUPPLIER,
      target: ESME,
      counter: 6_300n,
      cv: 5,
      srv: '7.2',
      body: {
        element: 'SignedPreCommand',
        children: [{ name: 'GBCSPayload', text: formatBase64(signPreCommand(pre)) }],
      },
    });
    const res = await post(h, 'S', cv5);
    expect(res.status).toBe(409);
    expect(await h.store.lastRequestCounter(SUPPLIER, ESME)).toBe(6_301n);
    await h.dcc.advance(60_000);
  });

  it('refuses CV5 for a RequestID no Pre-Command was issued for (E12)', async () => {
    const cv5 = signedRequest(h, {
      user: SUPPLIER,
      target: ESME,
      counter: 6_200n,
      cv: 5,
      srv: '7.2',
      body: {
        element: 'SignedPreCommand',
        children: [{ name: 'GBCSPayload', text: formatBase64(Uint8Array.of(0xdf)) }],
      },
    });
    expect((await post(h, 'S', cv5)).response?.header.responseCode).toBe('E12');
  });
});
