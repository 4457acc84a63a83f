// The DUIS front (server/front.ts), as `smets-twin serve` runs the web services: on a thread of their own, which
// checks each request and signs each answer, while the DSP's thread decides. A request goes through it end to end;
// the health route answers from the DSP's thread; a front thread that ends is replaced on the same port; and a
// closed front no longer listens.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { DuisFront } from '../../src/server/front.js';
import { gbcsOf, post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const FRONT_BUILT = existsSync(
  join(import.meta.dirname, '..', '..', 'dist', 'src', 'server', 'front-worker.js'),
);

describe.skipIf(!FRONT_BUILT)('the DUIS front on its own thread', () => {
  let h: DccHarness;
  beforeAll(async () => {
    h = await startDcc({ fleet: 1, front: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a signed read: I99 signed by the DSP at once, then the I0 with the meter’s verified GBCS response', async () => {
    const res = await post(
      h,
      'S',
      signedRequest(h, { user: SUPPLIER, target: ESME, counter: 10n, cv: 1, srv: '4.1.1' }),
    );
    // post() verifies the answer's XML signature against the DSP's certificate.
    expect(res.response?.header.responseCode).toBe('I99');
    expect(await h.store.getRequest(`90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:10`)).toMatchObject({
      state: 'sent',
    });
    await h.dcc.advance(60_000);
    const [i0] = responsesTo(h, 10n);
    expect(i0?.header.responseCode).toBe('I0');
    // gbcsOf() verifies the response's MAC with the DCC's keys.
    expect(gbcsOf(h, i0!).message.header).toMatchObject({
      cra: 2,
      originator: ESME,
      recipient: SUPPLIER,
      originatorCounter: 10n,
    });
  });

  it('orders a User’s requests to one device as they arrived: counters sent back to back are all accepted', async () => {
    const answers = await Promise.all(
      [20n, 21n, 22n, 23n].map((counter) =>
        post(h, 'S', signedRequest(h, { user: SUPPLIER, target: ESME, counter, cv: 1, srv: '4.1.1' })),
      ),
    );
    expect(answers.map((a) => a.response?.header.responseCode)).toEqual(['I99', 'I99', 'I99', 'I99']);
    await h.dcc.advance(60_000);
    expect(await h.store.lastRequestCounter(SUPPLIER, ESME)).toBe(23n);
  });

  it('GET /api/v1/health answers from the DSP’s thread', async () => {
    const res = await fetch(`${h.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', premises: 1, store: 'sqlite' });
  });

  it('a front thread that ends is replaced by one listening on the same port', async () => {
    const before = h.front!.thread;
    await before.terminate();
    let health: Response | undefined;
    for (let i = 0; i < 200 && health === undefined; i++) {
      health = await fetch(`${h.url}/api/v1/health`).catch(() => undefined);
      if (health === undefined) await new Promise((r) => setTimeout(r, 25));
    }
    expect(health?.status).toBe(200);
    expect(h.front!.thread).not.toBe(before);
    const res = await post(
      h,
      'S',
      signedRequest(h, { user: SUPPLIER, target: ESME, counter: 30n, cv: 1, srv: '4.1.1' }),
    );
    expect(res.response?.header.responseCode).toBe('I99');
  });
});

describe.skipIf(!FRONT_BUILT)('a front that cannot listen', () => {
  it('start() rejects with the reason when the port is taken', async () => {
    const h = await startDcc({ fleet: 1, front: true });
    try {
      const port = Number(new URL(h.url).port);
      await expect(DuisFront.start(h.dcc, { port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!FRONT_BUILT)('a closed front', () => {
  it('no longer listens', async () => {
    const h = await startDcc({ fleet: 1, front: true });
    const url = h.url;
    await h.close();
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });
});
