// Bad input never becomes a service request (issue 5): unsigned, wrongly signed, signed by a stranger,
// schema-invalid, replayed, oversized and hostile XML are refused with their HTTP status and reason, and nothing is
// stored (no request record, no counter moved, nothing queued) or sent (the premise receives nothing). Both ways the
// web services run: on the DSP's thread, and on the DUIS front's thread (as `smets-twin serve` runs them), where
// what is refused never reaches the DSP at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import { signDuis } from '../../src/crypto/xmldsig.js';
import { post, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';
import { HAVE_VECTORS } from '../vectors.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');

describe.each([
  { front: false, on: "the DSP's thread" },
  { front: true, on: "the DUIS front's thread" },
])('served on $on', ({ front }) => {
  let h: DccHarness;
  let wanMessages = 0;
  /** Requests the front handed to the DSP's thread. */
  let reachedDsp = 0;
  beforeAll(async () => {
    h = await startDcc({ fleet: 1, front });
    const submitChecked = h.dcc.dsp.submitChecked.bind(h.dcc.dsp);
    h.dcc.dsp.submitChecked = (...args) => {
      reachedDsp++;
      return submitChecked(...args);
    };
    const send = h.dcc.route.send.bind(h.dcc.route);
    h.dcc.route.send = (premise, bytes, now) => {
      wanMessages++;
      return send(premise, bytes, now);
    };
  });
  afterAll(async () => {
    await h.close();
  });

  const read = (counter: bigint): string =>
    signedRequest(h, { user: SUPPLIER, target: ESME, counter, cv: 1, srv: '4.1.1' });
  const requestKey = (counter: bigint) => `90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:${counter}`;

  /** Posts `body` and checks the refusal and that nothing was stored or sent. */
  async function refused(
    body: string | Uint8Array,
    status: number,
    error: RegExp,
    counter?: bigint,
  ): Promise<void> {
    const before = await h.store.lastRequestCounter(SUPPLIER, ESME);
    const queued = (await h.store.dueOutbound(Number.MAX_SAFE_INTEGER, 1_000)).length;
    const sent = wanMessages;
    const asked = reachedDsp;
    const res = await post(h, 'S', body);
    expect(res.status, res.text).toBe(status);
    expect(res.text).toMatch(error);
    await h.dcc.settle();
    expect(await h.store.lastRequestCounter(SUPPLIER, ESME)).toBe(before);
    expect((await h.store.dueOutbound(Number.MAX_SAFE_INTEGER, 1_000)).length).toBe(queued);
    expect(wanMessages).toBe(sent);
    // Through the front, a request refused by its checks never reaches the DSP; a replay is the DSP's to refuse.
    if (front && status !== 409) expect(reachedDsp).toBe(asked);
    if (counter !== undefined) expect(await h.store.getRequest(requestKey(counter))).toBeUndefined();
  }

  describe('requests refused before they are DUIS requests', () => {
    it('unsigned: 401', async () => {
      await refused(read(100n).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), 401, /signature/, 100n);
    });

    it('wrongly signed (the body changed after signing): 401 digest-mismatch', async () => {
      const tampered = read(101n).replace(':101</sr:RequestID>', ':109</sr:RequestID>');
      await refused(tampered, 401, /digest-mismatch/, 109n);
    });

    it('signed with a certificate the DCC does not hold: 401 certificate-not-found', async () => {
      const stranger = new TestPki({
        seed: 'stranger',
        notBefore: new Date(Date.UTC(2025, 0, 1)),
      }).issueOrganisationCertificate({
        eui: SUPPLIER,
        role: 0x87,
        usage: 'DS',
      });
      const resigned = signDuis(read(102n), {
        privateKey: stranger.privateKey,
        issuer: stranger.issuer,
        serialNumber: stranger.serialNumber,
      });
      await refused(resigned, 401, /certificate-not-found/, 102n);
    });

    it.skipIf(!HAVE_VECTORS)(
      'schema-invalid (an element the XSD does not allow): 400 schema-invalid',
      async () => {
        const invalid = read(103n).replace(
          '<sr:ReadInstantaneousImportRegisters/>',
          '<sr:ReadInstantaneousImportRegisters><sr:Extra>1</sr:Extra></sr:ReadInstantaneousImportRegisters>',
        );
        await refused(invalid, 400, /schema-invalid/, 103n);
      },
    );

    it('not DUIS at all (well-formed XML of another grammar): 400', async () => {
      await refused('<hello/>', 400, /schema-invalid|invalid-request/);
    });

    it('replayed (a counter not above the last accepted): 409, the first request untouched', async () => {
      const first = await post(h, 'S', read(200n));
      expect(first.response?.header.responseCode).toBe('I99');
      await h.dcc.advance(60_000);
      const record = await h.store.getRequest(requestKey(200n));
      await refused(read(200n), 409, /replayed/);
      await refused(read(150n), 409, /replayed/);
      expect(await h.store.getRequest(requestKey(200n))).toEqual(record);
    });

    it('oversized (beyond the request limit): 413', async () => {
      const padding = ' '.repeat(h.dcc.config.maxRequestBytes + 1);
      await refused(
        read(300n).replace('<sr:Header>', `<sr:Header>${padding}`),
        413,
        /too large|FST_ERR_CTP_BODY_TOO_LARGE|request-too-large/i,
        300n,
      );
    });

    it('hostile XML: an external entity (XXE) is refused, not fetched: 400 malformed-xml', async () => {
      const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${read(301n)
        .replace(/^<\?xml[^>]*>/, '')
        .replace('<sr:RequestID>', '<sr:RequestID>&x;')}`;
      await refused(xxe, 400, /malformed-xml/, 301n);
    });

    it('hostile XML: entity expansion (billion laughs) is refused: 400 malformed-xml', async () => {
      const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
      await refused(lol, 400, /malformed-xml/);
    });

    it('hostile XML: nesting deeper than the parser allows is refused: 400 malformed-xml', async () => {
      await refused(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`, 400, /malformed-xml/);
    });

    it('bytes that are not UTF-8: 400 malformed-xml', async () => {
      await refused(Uint8Array.of(0x3c, 0x61, 0xff, 0xfe, 0x3e), 400, /malformed-xml/);
    });
  });
});
