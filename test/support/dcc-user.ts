// A User's system talking to the DCC under test (test/support/dcc.ts) as a DCC Boxed client does: non-critical
// requests as CV1 (I99, then the pushed I0), critical ones as CV4 → the User signs the Pre-Command with its GBCS key
// → CV5 under the same RequestID, and local commands as CV2 (the I0 carries the LocalCommand for an HHT).
import { sign } from 'node:crypto';
import { expect } from 'vitest';
import { formatBase64 } from '../../src/codec/duis/common.js';
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import { srvInfo, type Srv } from '../../src/codec/duis/srv.js';
import { eui64Hyphenated, type Eui64 } from '../../src/codec/eui64.js';
import type { ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { bodyFromXml } from './duis-bodies.js';
import { gbcsOf, post, responsesTo, signedRequest, type DccHarness } from './dcc.js';

const MINUTE = 60_000;

export const body = (srv: Srv, xml: string): DuisRequestBody => bodyFromXml(srv, xml);
export const element = (srv: Srv): DuisRequestBody => ({ element: srvInfo(srv)!.bodyElement, children: [] });

/** 8.7.1 (JoinServiceCritical) or 8.7.2 (JoinServiceNonCritical): join the target with `other`. */
export const joinBody = (srv: '8.7.1' | '8.7.2', other: Eui64): DuisRequestBody => {
  const e = srv === '8.7.1' ? 'JoinServiceCritical' : 'JoinServiceNonCritical';
  return body(srv, `<sr:${e}><sr:OtherDeviceID>${eui64Hyphenated(other)}</sr:OtherDeviceID></sr:${e}>`);
};

export class DccUser {
  constructor(
    private readonly h: DccHarness,
    readonly user: Eui64,
    private counter: bigint,
  ) {}

  /** A non-critical device request (CV1): I99, then (after `wait` of model time) the pushed I0 whose GBCS verifies. */
  async nonCritical(srv: Srv, target: Eui64, b?: DuisRequestBody, wait = MINUTE): Promise<ParsedGbcs> {
    const c = this.next();
    const ack = await post(
      this.h,
      'S',
      signedRequest(this.h, { user: this.user, target, counter: c, cv: 1, srv, ...(b && { body: b }) }),
    );
    expect(ack.response?.header.responseCode, ack.text).toBe('I99');
    return this.answered(c, wait);
  }

  /** A critical device request: CV4 → Pre-Command → signed by the User → CV5 → I99 → the pushed I0. */
  async critical(srv: Srv, target: Eui64, b?: DuisRequestBody, wait = MINUTE): Promise<ParsedGbcs> {
    const c = this.next();
    const transform = await post(
      this.h,
      'T',
      signedRequest(this.h, { user: this.user, target, counter: c, cv: 4, srv, ...(b && { body: b }) }),
    );
    const payload =
      transform.response?.body?.kind === 'ResponseMessage' ? transform.response.body.payload : null;
    if (payload?.kind !== 'PreCommand') throw new Error(`SRV ${srv}: no Pre-Command: ${transform.text}`);
    const pre = payload.gbcsPayload;
    const key = this.h.dcc.protection.keys.privateKey({ eui: this.user, usage: 'DS' })!;
    const signed = Uint8Array.from([
      ...pre,
      0x40,
      ...sign('sha256', pre.subarray(1), { key, dsaEncoding: 'ieee-p1363' }),
    ]);
    const signedBody = {
      element: 'SignedPreCommand',
      children: [{ name: 'GBCSPayload', text: formatBase64(signed) }],
    };
    const ack = await post(
      this.h,
      'S',
      signedRequest(this.h, { user: this.user, target, counter: c, cv: 5, srv, body: signedBody }),
    );
    expect(ack.response?.header.responseCode, ack.text).toBe('I99');
    return this.answered(c, wait);
  }

  /** A non-critical request as a local command (CV2): the GBCS command an HHT is to carry, answered at once. */
  async localCommand(srv: Srv, target: Eui64, b?: DuisRequestBody): Promise<Uint8Array> {
    const c = this.next();
    const res = await post(
      this.h,
      'D',
      signedRequest(this.h, { user: this.user, target, counter: c, cv: 2, srv, ...(b && { body: b }) }),
    );
    const payload = res.response?.body?.kind === 'ResponseMessage' ? res.response.body.payload : null;
    if (payload?.kind !== 'LocalCommand') throw new Error(`SRV ${srv}: no LocalCommand: ${res.text}`);
    return payload.gbcsPayload;
  }

  private async answered(c: bigint, wait: number): Promise<ParsedGbcs> {
    await this.h.dcc.advance(wait);
    const answers = responsesTo(this.h, c);
    expect(answers.map((r) => r.header.responseCode)).toEqual(['I0']);
    return gbcsOf(this.h, answers[0]!);
  }

  /** The User's next RequestID counter (one sequence for every target, so each target's counters rise). */
  next(): bigint {
    this.counter += 1n;
    return this.counter;
  }
}
