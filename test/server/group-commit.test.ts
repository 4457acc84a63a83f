// Group commit's ordering rule (dsp.ts commit, store/kysely-store.ts): the service requests arriving together are
// stored in one SQLite transaction, and no answer leaves the DCC — not the I99 of any request of the group, not the
// I0 pushed later — before the records it acknowledges are committed, i.e. visible to another connection.
import SqliteDatabase from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuisResponse, type DuisResponse } from '../../src/codec/duis/response.js';
import { responseXml } from '../../src/dcc/responses.js';
import { eui64, eui64Hyphenated } from '../../src/codec/eui64.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESMES = [eui64('00DB1234567890A0'), eui64('00DB1234567891A0'), eui64('00DB1234567892A0')];

let dir: string;
let store: Store;
let h: DccHarness;
let other: SqliteDatabase.Database;
/** What each answer found committed when the DSP signed it (the last step before it leaves). */
const seen: { code: string; requestId: string; state: string | undefined; pushQueued: boolean }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smets-twin-group-dcc-'));
  store = await openStore(join(dir, 'dcc.db'));
  h = await startDcc({ fleet: 3, store });
  other = new SqliteDatabase(join(dir, 'dcc.db'), { readonly: true });
  const state = other.prepare('select state from requests where request_id = ?').pluck();
  const pushes = other.prepare('select count(*) from outbound where request_id = ?').pluck();
  const gateway = h.dcc.gateway;
  const sign = gateway.sign.bind(gateway);
  const deliver = gateway.deliver.bind(gateway);
  const signResponse = gateway.signResponse.bind(gateway);
  const observe = (xml: string): void => {
    const r = parseDuisResponse(parseXml(xml));
    const id = r.header.requestId;
    if (id !== undefined) {
      const requestId = `${eui64Hyphenated(id.originator)}:${eui64Hyphenated(id.target)}:${id.counter}`;
      seen.push({
        code: r.header.responseCode,
        requestId,
        state: state.get(requestId) as string | undefined,
        pushQueued: (pushes.get(requestId) as number) > 0,
      });
    }
  };
  // The I99 is rendered and signed for the HTTP answer (gateway.signResponse); an I0 is signed as it is pushed
  // (gateway.deliver).
  gateway.sign = (xml: string) => {
    observe(xml);
    return sign(xml);
  };
  gateway.signResponse = (response: DuisResponse) => {
    observe(responseXml(response));
    return signResponse(response);
  };
  gateway.deliver = (url: string, xml: string) => {
    observe(xml);
    return deliver(url, xml);
  };
});
afterAll(async () => {
  other.close();
  await h.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('requests posted together are each acknowledged only once their record is committed, and so are their I0s', async () => {
    const counters = [7_001n, 7_002n, 7_003n, 7_004n, 7_005n, 7_006n];
    const acks = await Promise.all(
      counters.map((counter, i) =>
        post(
          h,
          'S',
          signedRequest(h, { user: SUPPLIER, target: ESMES[i % 3]!, counter, cv: 1, srv: '4.1.1' }),
        ),
      ),
    );
    expect(acks.map((a) => a.response?.header.responseCode)).toEqual(counters.map(() => 'I99'));
    await h.dcc.advance(60_000);
    for (const c of counters) expect(responsesTo(h, c).map((r) => r.header.responseCode)).toEqual(['I0']);

    const i99s = seen.filter((s) => s.code === 'I99');
    const i0s = seen.filter((s) => s.code === 'I0');
    expect(i99s).toHaveLength(counters.length);
    expect(i0s).toHaveLength(counters.length);
    // Signed for the I99: the record already committed (sent on the WAN, or already answered).
    for (const s of i99s) expect(['sent', 'completed']).toContain(s.state);
    // Signed for the push: the request completed and its I0 in the outbox, committed.
    for (const s of i0s) expect(s).toMatchObject({ state: 'completed', pushQueued: true });
  });
});
