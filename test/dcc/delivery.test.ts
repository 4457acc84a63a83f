// Pushing responses and alerts to a User's receiver (domain brief §3.2): a failed push is retried within 300 s and
// the message held for redelivery up to 2 days, then expired; a receiver that comes back gets what it missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const MINUTE = 60_000;

let h: DccHarness;
beforeAll(async () => {
  h = await startDcc({ fleet: 1 });
});
afterAll(async () => {
  await h.close();
});

async function read(counter: bigint): Promise<void> {
  const ack = await post(
    h,
    'S',
    signedRequest(h, { user: SUPPLIER, target: ESME, counter, cv: 1, srv: '4.1.1' }),
  );
  expect(ack.response?.header.responseCode).toBe('I99');
}

describe('delivery to the receiver', () => {
  it('a push the receiver refuses is retried 300 s later and then delivered', async () => {
    h.receiverStatus = 503;
    await read(8_000n);
    await h.dcc.advance(MINUTE);
    expect(responsesTo(h, 8_000n)).toEqual([]);
    const [pending] = await h.store.pendingOutbound(SUPPLIER);
    expect(pending).toMatchObject({
      requestId: expect.stringContaining(':8000'),
      attempts: 1,
      lastError: 'HTTP 503',
    });
    h.receiverStatus = 204;
    await h.dcc.advance(4 * MINUTE);
    expect(responsesTo(h, 8_000n)).toEqual([]); // not yet: 300 s after the failure
    await h.dcc.advance(MINUTE);
    expect(responsesTo(h, 8_000n).map((r) => r.header.responseCode)).toEqual(['I0']);
    expect(await h.store.getOutbound(pending!.id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a receiver down for more than 2 days: the message is held, retried, then expires', async () => {
    h.receiverStatus = 503;
    await read(8_100n);
    await h.dcc.advance(MINUTE);
    const [held] = await h.store.pendingOutbound(SUPPLIER);
    await h.dcc.advance(24 * 60 * MINUTE);
    expect(await h.store.getOutbound(held!.id)).toMatchObject({ state: 'pending' });
    expect((await h.store.getOutbound(held!.id))!.attempts).toBeGreaterThan(200); // every 300 s for a day
    await h.dcc.advance(25 * 60 * MINUTE);
    expect(await h.store.getOutbound(held!.id)).toMatchObject({ state: 'expired' });
    h.receiverStatus = 204;
    await h.dcc.advance(10 * MINUTE);
    expect(responsesTo(h, 8_100n)).toEqual([]);
  });
});
