// A DCC under test, over real HTTP: the fastify server on an ephemeral port, a User's receiver on another (a plain
// node:http server that records what the DSP pushes), and helpers that build and sign DUIS requests as a User's
// system would. The field runs in virtual time: a test calls `advance()` to let commands reach devices.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDuisResponse, type DuisResponse } from '../../src/codec/duis/response.js';
import { buildDuisRequest, type DuisRequestBody } from '../../src/codec/duis/request.js';
import { DuisSchema, defaultDuisXsdPath } from '../../src/codec/duis/schema/index.js';
import { srvInfo, type CommandVariant, type Srv } from '../../src/codec/duis/srv.js';
import type { Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { signDuis, verifyDuis } from '../../src/crypto/xmldsig.js';
import { Dcc, type DccOptions } from '../../src/dcc/dcc.js';
import type { DuisService } from '../../src/dcc/dsp.js';
import { buildServer, dccEndpoint } from '../../src/server/app.js';
import { DuisFront } from '../../src/server/front.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { HAVE_VECTORS } from '../vectors.js';

export interface Received {
  readonly xml: string;
  readonly response: DuisResponse;
  /** The path it was POSTed to: which User's receiver, when Users are given paths of their own. */
  readonly path: string;
}

export interface DccHarness {
  readonly dcc: Dcc;
  readonly store: Store;
  readonly url: string;
  /** What the DSP pushed to the Users' receiver, in order. */
  readonly received: Received[];
  /** The front's thread, when the harness serves through it. */
  readonly front: DuisFront | undefined;
  /** Make the receiver answer with this status (default 204), e.g. 503 to test redelivery. */
  receiverStatus: number;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<DccOptions, 'store' | 'receiverUrl'>> {
  readonly store?: Store;
  /** Serve through the DUIS front's thread (server/front.ts), as `smets-twin serve` does; default: on this thread. */
  readonly front?: boolean;
}

export async function startDcc(o: HarnessOptions = {}): Promise<DccHarness> {
  const store = o.store ?? (await openStore(':memory:'));
  const received: Received[] = [];
  const harness = { receiverStatus: 204 } as { receiverStatus: number };
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const xml = Buffer.concat(chunks).toString('utf8');
      if (harness.receiverStatus < 300)
        received.push({ xml, response: checkedResponse(xml), path: req.url ?? '' });
      res.statusCode = harness.receiverStatus;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/smartdcc/duis`;
  // Requests are validated against the DUIS XSD where the vectors provide it.
  const { front: useFront, ...dccOptions } = o;
  const dcc = await Dcc.open({
    ...dccOptions,
    store,
    receiverUrl,
    ...(HAVE_VECTORS && { schemaPath: defaultDuisXsdPath() }),
  });
  const front = useFront === true ? await DuisFront.start(dcc, { port: 0, host: '127.0.0.1' }) : undefined;
  const app = front === undefined ? buildServer(dccEndpoint(dcc)) : undefined;
  const url = front?.address ?? (await app!.listen({ port: 0, host: '127.0.0.1' }));
  return Object.assign(harness, {
    dcc,
    store: dcc.store,
    url,
    received,
    front,
    async close() {
      await app?.close();
      await front?.close();
      await dcc.close();
      await new Promise<void>((r) => receiver.close(() => r()));
      if (o.store === undefined) await store.close();
    },
  });
}

export interface RequestSpec {
  readonly user: Eui64;
  readonly target: Eui64;
  readonly counter: bigint;
  readonly cv: CommandVariant;
  readonly srv: Srv;
  /** The sr:Body child; default: the SRV's element with no children. */
  readonly body?: DuisRequestBody;
}

/** A DUIS request as the User's system writes it, signed with the User's XML key. */
export function signedRequest(h: DccHarness, r: RequestSpec): string {
  const info = srvInfo(r.srv)!;
  const doc = buildDuisRequest({
    schemaVersion: '5.4',
    header: {
      requestId: { originator: r.user, target: r.target, counter: r.counter },
      commandVariant: r.cv,
      serviceReference: info.serviceReference,
      serviceReferenceVariant: info.srv,
    },
    body: r.body ?? { element: info.bodyElement, children: [] },
  });
  const signer = h.dcc.credentials.signer(r.user);
  if (signer === undefined) throw new Error(`no XML signing key for ${r.user}`);
  return serializeXml(signDuis(doc, signer));
}

export interface Posted {
  readonly status: number;
  readonly text: string;
  /** The DUIS response, when the answer was one (HTTP 200). */
  readonly response?: DuisResponse;
}

const PATHS: Record<DuisService, string> = {
  S: '/api/v1/serviceS',
  T: '/api/v1/serviceT',
  D: '/api/v1/serviceD',
};

export async function post(
  h: DccHarness,
  service: DuisService,
  body: string | Uint8Array,
  contentType = 'application/xml',
): Promise<Posted> {
  const res = await fetch(`${h.url}${PATHS[service]}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, text };
  if (res.headers.get('content-type')?.startsWith('application/xml') !== true)
    throw new Error(`a DUIS answer must be application/xml, got ${res.headers.get('content-type')}`);
  const verdict = verifyDuis(text, h.dcc.credentials, { expectedSigner: h.dcc.config.dsp });
  if (!verdict.valid)
    throw new Error(`the DSP's answer is not validly signed: ${verdict.reason} ${verdict.detail}`);
  return { status: res.status, text, response: checkedResponse(text) };
}

/** A DUIS response parsed, and valid against the DUIS XSD where the vectors provide it. */
export function checkedResponse(xml: string): DuisResponse {
  const doc = parseXml(xml);
  if (HAVE_VECTORS) {
    const v = DuisSchema.load().validate(doc);
    if (!v.valid)
      throw new Error(`the DSP's answer is not valid DUIS: ${JSON.stringify(v.errors.slice(0, 3))}\n${xml}`);
  }
  return parseDuisResponse(doc);
}

/** The service a Command Variant is sent to. */
export function serviceFor(cv: CommandVariant): DuisService {
  return cv === 4 ? 'T' : cv === 2 || cv === 6 || cv === 8 ? 'D' : 'S';
}

/** The GBCS message a pushed I0 carries, checked with the codec and the DCC's keys. */
export function gbcsOf(h: DccHarness, r: DuisResponse): ParsedGbcs {
  const body = r.body;
  if (body?.kind !== 'ResponseMessage' || body.payload?.kind !== 'GBCSPayload')
    throw new Error(`expected a ResponseMessage with a GBCSPayload, got ${JSON.stringify(body)}`);
  const parsed = parseGbcs(body.payload.gbcsPayload);
  const v = verifyGbcs(parsed, h.dcc.protection);
  if (!(v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid')))
    throw new Error(`GBCS response does not verify: mac ${v.mac}, signature ${v.signature}`);
  return parsed;
}

/** Pushed responses to one request (by RequestID counter). */
export function responsesTo(h: DccHarness, counter: bigint): DuisResponse[] {
  return h.received.map((r) => r.response).filter((r) => r.header.requestId?.counter === counter);
}
