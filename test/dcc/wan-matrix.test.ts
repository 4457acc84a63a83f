// The CSP WAN model through the DCC (issue 6): a read to a premise during an outage is held by the CSP; the User gets
// its I99, then E21 when the Target Response Time passes first (the device's late answer is dropped), or its I0 after
// the outage when the deadline allows; an outage beyond the CSP's hold limit and a premise without coverage are E20.
// SR 12.1 Request WAN Matrix is answered at once from the SMI and the model, valid against the DUIS XSD.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import { parseDuisRequest } from '../../src/codec/duis/request.js';
import type { DuisResponse } from '../../src/codec/duis/response.js';
import { isLeaf, type DuisBodyElement } from '../../src/codec/duis/tree.js';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { DEFAULT_SERVICE_LEVELS } from '../../src/dcc/config.js';
import { CSP_ROUND_TRIP_TARGETS } from '../../src/routes/wan-model.js';
import { post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';
import { HAVE_VECTORS, vectorPath } from '../vectors.js';

const SUPPLIER = eui64('90B3D51F30010000');
const DSP = eui64('90B3D51F30000002');
const ESME = eui64('00DB1234567890A0');
const ESME_UNCOVERED = eui64('00DB1234567891A0');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** When a new demo fleet's DCC opens (DccOptions.startMs's default). */
const OPEN = Date.UTC(2026, 0, 1);

let counter = 50_000n;
const next = (): bigint => (counter += 1n);

async function read(h: DccHarness, target: Eui64): Promise<bigint> {
  const c = next();
  const ack = await post(
    h,
    'S',
    signedRequest(h, { user: SUPPLIER, target, counter: c, cv: 1, srv: '4.1.1' }),
  );
  expect(ack.response?.header.responseCode, ack.text).toBe('I99');
  return c;
}

const codes = (h: DccHarness, c: bigint): string[] => responsesTo(h, c).map((r) => r.header.responseCode);

/** Advances the DCC's model time to `atMs`. */
async function until(h: DccHarness, atMs: number): Promise<void> {
  await h.dcc.advance(atMs - h.dcc.field.now());
}

describe('a read through an outage, with the default Target Response Time', () => {
  let h: DccHarness;
  const outage = { fromMs: OPEN + 10 * MINUTE, toMs: OPEN + 40 * MINUTE };
  const beyondHold = { fromMs: OPEN + 2 * HOUR, toMs: OPEN + 25 * HOUR };

  beforeAll(async () => {
    h = await startDcc({
      fleet: 2,
      uncovered: [],
      wan: { coverage: { 1: 'none' }, premiseOutages: { 0: [outage, beyondHold] } },
    });
    expect(h.dcc.field.now()).toBe(OPEN);
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a read at once while the premise is connected', async () => {
    const c = await read(h, ESME);
    await h.dcc.advance(MINUTE);
    expect(codes(h, c)).toEqual(['I0']);
  });

  it('gives E21 when the Target Response Time passes during the outage; the answer after it is dropped', async () => {
    await until(h, outage.fromMs + MINUTE);
    const sent = h.dcc.field.now();
    const c = await read(h, ESME);
    await h.dcc.advance(DEFAULT_SERVICE_LEVELS.onDemandMs - 1_000);
    expect(codes(h, c)).toEqual([]);
    await h.dcc.advance(2_000);
    expect(codes(h, c)).toEqual(['E21']);
    const before = h.dcc.route.state().up[0]?.sent ?? 0;
    await until(h, outage.toMs + 5 * MINUTE);
    // The CSP delivered the command after the outage and the meter answered, too late: the User has its E21 only.
    const up = h.dcc.route.state().up[0]!;
    expect(up.sent).toBeGreaterThan(before);
    expect(up.lastAtMs).toBeGreaterThanOrEqual(outage.toMs);
    expect(codes(h, c)).toEqual(['E21']);
    expect(h.dcc.route.state().down[0]!.lastAtMs - sent).toBeGreaterThan(outage.toMs - sent);
  });

  it('gives E20 at once when the outage outlasts the CSP hold limit (22 h)', async () => {
    await until(h, beyondHold.fromMs + MINUTE);
    const c = await read(h, ESME);
    await h.dcc.advance(1_000);
    expect(codes(h, c)).toEqual(['E20']);
  });

  it("gives E20 for a premise whose coverage is 'none'", async () => {
    const c = await read(h, ESME_UNCOVERED);
    await h.dcc.advance(1_000);
    expect(codes(h, c)).toEqual(['E20']);
  });
});

describe('a read through an outage, with a Target Response Time longer than the outage', () => {
  let h: DccHarness;
  const outage = { fromMs: OPEN + 10 * MINUTE, toMs: OPEN + 70 * MINUTE };

  beforeAll(async () => {
    h = await startDcc({
      fleet: 1,
      wan: { premiseOutages: { 0: [outage] } },
      config: { serviceLevels: { ...DEFAULT_SERVICE_LEVELS, onDemandMs: 3 * HOUR } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('gets its I99, then its I0 only after the outage, within RTT2', async () => {
    await until(h, outage.fromMs + 5 * MINUTE);
    const sent = h.dcc.field.now();
    const c = await read(h, ESME);
    await until(h, outage.toMs - 1);
    expect(codes(h, c)).toEqual([]);
    await until(h, outage.toMs + 2 * MINUTE);
    const [answer] = responsesTo(h, c);
    expect(answer?.header.responseCode).toBe('I0');
    const answeredMs = Date.parse(answer!.header.responseDateTime);
    expect(answeredMs).toBeGreaterThan(outage.toMs);
    expect(answeredMs - sent).toBeLessThanOrEqual(CSP_ROUND_TRIP_TARGETS.rtt2Ms);
    expect(codes(h, c)).toEqual(['I0']);
  });
});

describe('SR 12.1 Request WAN Matrix', () => {
  let h: DccHarness;

  beforeAll(async () => {
    // Premise 0 well covered, 1 without coverage, 2 intermittent (UPRNs 100000000 + premise, post code SW1A1AA).
    h = await startDcc({ fleet: 3, commissioned: 1, wan: { coverage: { 1: 'none', 2: 'intermittent' } } });
  });
  afterAll(async () => {
    await h.close();
  });

  async function matrix(children: DuisBodyElement[]): Promise<DuisResponse> {
    const body: DuisRequestBody = { element: 'RequestWANMatrix', children };
    const res = await post(
      h,
      'D',
      signedRequest(h, { user: SUPPLIER, target: DSP, counter: next(), cv: 8, srv: '12.1', body }),
    );
    expect(res.response, res.text).toBeDefined();
    return res.response!;
  }

  /** The DSPWANMatrix's echoed request and its responses, as name → text maps. */
  function read(r: DuisResponse): { request: DuisBodyElement; responses: Record<string, string>[] } {
    expect(r.header.responseCode).toBe('I0');
    const payload = r.body?.kind === 'ResponseMessage' ? r.body.payload : null;
    if (payload?.kind !== 'DSPWANMatrix')
      throw new Error(`expected a DSPWANMatrix, got ${JSON.stringify(payload)}`);
    if (isLeaf(payload.tree)) throw new Error('DSPWANMatrix has no children');
    const [request, ...responses] = payload.tree.children;
    expect(request?.name).toBe('Request');
    return {
      request: request!,
      responses: responses.map((e) => {
        expect(e.name).toBe('DSPWANMatrixResponse');
        if (isLeaf(e)) throw new Error('DSPWANMatrixResponse is a leaf');
        return Object.fromEntries(e.children.map((c) => [c.name, isLeaf(c) ? c.text : '']));
      }),
    };
  }

  const uprn = (premise: number): DuisBodyElement[] => [
    { name: 'UPRN', text: String(100_000_000 + premise) },
  ];

  it('answers a covered premise: its region, coverage, technology and high likelihood', async () => {
    const { request, responses } = read(await matrix(uprn(0)));
    expect(request).toEqual({ name: 'Request', children: [{ name: 'UPRN', text: '100000000' }] });
    expect(responses).toEqual([
      {
        CSPRegion: 'Central',
        CSPRegionResponseCode: 'I0',
        CoverageAvailability: 'true',
        WANTechnology: 'Cellular',
        ConnectivityLikelihood: 'High',
      },
    ]);
  });

  it('answers a premise without coverage: no coverage, low likelihood, and why', async () => {
    const { responses } = read(await matrix(uprn(1)));
    expect(responses).toEqual([
      {
        CSPRegion: 'Central',
        CSPRegionResponseCode: 'I0',
        CoverageAvailability: 'false',
        WANTechnology: 'Cellular',
        ConnectivityLikelihood: 'Low',
        AdditionalInformation: 'No SM WAN coverage at this premise',
      },
    ]);
  });

  it('answers an intermittent premise with medium likelihood', async () => {
    const { responses } = read(await matrix(uprn(2)));
    expect(responses.map((r) => [r['CoverageAvailability'], r['ConnectivityLikelihood']])).toEqual([
      ['true', 'Medium'],
    ]);
  });

  it('finds a premise by post code (spaced or not) and address identifier', async () => {
    const partial = (postCode: string): DuisBodyElement[] => [
      {
        name: 'PartialAddress',
        children: [
          { name: 'PostCode', text: postCode },
          { name: 'AddressIdentifier', text: '2 Twin Street' },
        ],
      },
    ];
    for (const postCode of ['SW1A 1AA', 'sw1a1aa']) {
      const { request, responses } = read(await matrix(partial(postCode)));
      expect(request).toEqual({ name: 'Request', children: partial(postCode) });
      expect(responses.map((r) => r['CoverageAvailability'])).toEqual(['false']); // premise 1
    }
  });

  it('refuses an address the SMI does not hold (E19), as the published 12.1 template asks', async () => {
    const template = vectorPath(
      'duis-templates',
      'templates',
      '12.1_REQUEST_WAN_MATRIX_ADDRESS_REQUEST_DUIS.XML',
    );
    const children: DuisBodyElement[] = HAVE_VECTORS
      ? [...parseDuisRequest(parseXml(readFileSync(template))).body.children]
      : [{ name: 'UPRN', text: '999999999' }];
    const r = await matrix(children);
    expect(r.header.responseCode).toBe('E19');
  });
});
