// A DCC User's system in process (the triage-reuse scenario): signed DUIS requests submitted to the DSP as the HTTP
// server would hand them over, and the responses the DSP pushes collected from the Delivery's `post` (DccOptions.post).
// Non-critical device requests go CV1 (I99, then the pushed I0), critical ones CV4 → the User signs the Pre-Command
// with its GBCS key → CV5, non-device ones CV8 (answered at once), as a DCC Boxed client does.
import { sign } from 'node:crypto';
import { formatBase64 } from '../codec/duis/common.js';
import { buildDuisRequest, type DuisRequestBody } from '../codec/duis/request.js';
import { parseDuisResponse, type DuisResponse } from '../codec/duis/response.js';
import type { ResponseCode } from '../codec/duis/response-codes.js';
import { srvInfo, type CommandVariant, type Srv } from '../codec/duis/srv.js';
import type { Eui64 } from '../codec/eui64.js';
import { parseXml } from '../codec/xml/parse.js';
import { serializeXml } from '../codec/xml/serialize.js';
import { signDuis } from '../crypto/xmldsig.js';
import type { Dcc } from '../dcc/dcc.js';
import { SERVICE_OF_CV, type DuisService } from '../dcc/dsp.js';
import type { Post } from '../dcc/http-post.js';

/** Where a client finds the responses the DSP pushed to its Users. */
export interface PushSource {
  /** The pushed responses to `user`'s request with counter `counter`, in order. */
  to(user: Eui64, counter: bigint): readonly DuisResponse[];
}

/** How a signed request reaches the DSP: in process by default; a test may go over HTTP. */
export type Transport = (service: DuisService, xml: string) => Promise<{ status: number; xml?: string }>;

/** Where pushed responses land: a `post` for DccOptions and the responses it received, in order. */
export class PushInbox implements PushSource {
  readonly received: DuisResponse[] = [];
  readonly post: Post = async (_url, xml) => {
    this.received.push(parseDuisResponse(parseXml(xml)));
    return 204;
  };

  /** The pushed responses to `user`'s request with counter `counter`. */
  to(user: Eui64, counter: bigint): DuisResponse[] {
    return this.received.filter(
      (r) => r.header.requestId?.originator === user && r.header.requestId.counter === counter,
    );
  }
}

/** What a request came to: the synchronous answer, and the pushed I0 (or error) once time has run. */
export interface Answered {
  readonly code: ResponseCode | `HTTP ${number}`;
  readonly response?: DuisResponse;
  /** The pushed answer to the request (device requests). */
  readonly pushed?: DuisResponse;
}

export class DuisClient {
  constructor(
    private readonly dcc: Dcc,
    readonly user: Eui64,
    private counter: bigint,
    private readonly inbox: PushSource,
    private readonly transport: Transport = async (service, xml) => {
      const outcome = await dcc.dsp.submit(service, xml);
      return outcome.kind === 'refused' ? { status: outcome.status } : { status: 200, xml: outcome.xml };
    },
  ) {}

  next(): bigint {
    this.counter += 1n;
    return this.counter;
  }

  /** Signs and submits one request; the DSP's synchronous answer. */
  async submit(
    srv: Srv,
    target: Eui64,
    cv: CommandVariant,
    counter: bigint,
    body?: DuisRequestBody,
  ): Promise<Answered> {
    const info = srvInfo(srv)!;
    const doc = buildDuisRequest({
      schemaVersion: '5.4',
      header: {
        requestId: { originator: this.user, target, counter },
        commandVariant: cv,
        serviceReference: info.serviceReference,
        serviceReferenceVariant: info.srv,
      },
      body: body ?? { element: info.bodyElement, children: [] },
    });
    const signer = this.dcc.credentials.signer(this.user);
    if (signer === undefined) throw new RangeError(`no XML signing key for ${this.user}`);
    const outcome = await this.transport(SERVICE_OF_CV[cv], serializeXml(signDuis(doc, signer)));
    if (outcome.xml === undefined) return { code: `HTTP ${outcome.status}` };
    const response = parseDuisResponse(parseXml(outcome.xml));
    return { code: response.header.responseCode, response };
  }

  /** A non-device request (CV8), answered at once. */
  nonDevice(srv: Srv, body: DuisRequestBody): Promise<Answered> {
    return this.submit(srv, this.dcc.config.dsp, 8, this.next(), body);
  }

  /** A non-critical device request (CV1): its acknowledgement, then what is pushed within `waitMs` of model time. */
  async nonCritical(srv: Srv, target: Eui64, body?: DuisRequestBody, waitMs = 60_000): Promise<Answered> {
    const c = this.next();
    const ack = await this.submit(srv, target, 1, c, body);
    if (ack.code !== 'I99') return ack;
    return this.pushed(ack, c, waitMs);
  }

  /** A critical device request: CV4 → Pre-Command signed with the User's DS key → CV5 → I99 → the pushed answer. */
  async critical(srv: Srv, target: Eui64, body?: DuisRequestBody, waitMs = 60_000): Promise<Answered> {
    const c = this.next();
    const transform = await this.submit(srv, target, 4, c, body);
    const payload =
      transform.response?.body?.kind === 'ResponseMessage' ? transform.response.body.payload : null;
    if (payload?.kind !== 'PreCommand') return transform;
    const pre = payload.gbcsPayload;
    const key = this.dcc.protection.keys.privateKey({ eui: this.user, usage: 'DS' });
    if (key === undefined) throw new RangeError(`no GBCS signing key for ${this.user}`);
    const signed = Uint8Array.from([
      ...pre,
      0x40,
      ...sign('sha256', pre.subarray(1), { key, dsaEncoding: 'ieee-p1363' }),
    ]);
    const ack = await this.submit(srv, target, 5, c, {
      element: 'SignedPreCommand',
      children: [{ name: 'GBCSPayload', text: formatBase64(signed) }],
    });
    if (ack.code !== 'I99') return ack;
    return this.pushed(ack, c, waitMs);
  }

  private async pushed(ack: Answered, counter: bigint, waitMs: number): Promise<Answered> {
    await this.dcc.advance(waitMs);
    const answer = this.inbox.to(this.user, counter).at(-1);
    return answer === undefined ? ack : { ...ack, pushed: answer };
  }
}
