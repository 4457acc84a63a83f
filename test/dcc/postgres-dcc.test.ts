// The DCC on PostgreSQL: the same service request, answered the same way, when DATABASE_URL names PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { openStore } from '../../src/store/open.js';
import { gbcsOf, post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';
import { startPostgres, type TestPostgresOrSkip } from '../support/postgres.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');

let pg: TestPostgresOrSkip;
let h: DccHarness | undefined;
beforeAll(async () => {
  pg = await startPostgres();
  if ('skip' in pg) {
    console.warn(`DCC on PostgreSQL skipped: ${pg.skip}`);
    return;
  }
  h = await startDcc({ fleet: 1, store: await openStore(pg.url) });
}, 60_000);
afterAll(async () => {
  if (h !== undefined) {
    await h.close();
    await h.store.close();
  }
  if (pg !== undefined && !('skip' in pg)) await pg.stop();
});

describe('the DCC on PostgreSQL', () => {
  it('a read is acknowledged, answered by the ESME and pushed as a signed I0; a replay is refused', async (ctx) => {
    if (h === undefined) return ctx.skip();
    const xml = signedRequest(h, { user: SUPPLIER, target: ESME, counter: 42n, cv: 1, srv: '4.1.1' });
    expect((await post(h, 'S', xml)).response?.header.responseCode).toBe('I99');
    await h.dcc.advance(60_000);
    const [i0] = responsesTo(h, 42n);
    expect(i0?.header.responseCode).toBe('I0');
    expect(gbcsOf(h, i0!).message.header.originator).toBe(ESME);
    expect((await post(h, 'S', xml)).status).toBe(409);
  });
});
