// A DCC under test for triage (issue 7 item 4): the HTTP harness (test/support/dcc.ts) with the QA environment's Users
// able to sign, and DUIS clients (src/triage/duis-client.ts) whose requests go over HTTP and whose pushed answers are
// the receiver's. Every GBCS payload the DCC pushes can be checked with gbcsIn (parseGbcs + verifyGbcs).
import { expect } from 'vitest';
import type { DuisResponse } from '../../src/codec/duis/response.js';
import type { Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { DEFAULT_DSP_CONFIG } from '../../src/dcc/config.js';
import { testCredentials } from '../../src/dcc/dcc.js';
import { policyWith, type Policy } from '../../src/policy.js';
import { DuisClient, type PushSource } from '../../src/triage/duis-client.js';
import { QA_USERS, registerQaUsers } from '../../src/triage/qa.js';
import { post, startDcc, type DccHarness, type HarnessOptions } from './dcc.js';

export const SEED = 'smets-twin-demo';
export const RESET_POLICY: Policy = policyWith({ triage: 'reset' });

/** The harness with the QA Users registered (pushes to the same receiver) and signing. */
export async function startTriageDcc(o: HarnessOptions = {}): Promise<DccHarness> {
  const h = await startDcc({
    fleet: 1,
    commissioned: 1,
    fleetSeed: SEED,
    policy: RESET_POLICY,
    xmlCredentials: testCredentials(
      SEED,
      DEFAULT_DSP_CONFIG.dsp,
      QA_USERS.map((u) => u.eui),
    ),
    ...o,
  });
  const demo = (await h.store.listUsers())[0]!;
  await registerQaUsers(h.dcc, demo.receiverUrl);
  return h;
}

/** The pushes the harness's receiver got, as a client's PushSource. */
export function receiverOf(h: DccHarness): PushSource {
  return {
    to: (user, counter) =>
      h.received
        .map((r) => r.response)
        .filter((r) => r.header.requestId?.originator === user && r.header.requestId.counter === counter),
  };
}

/** A DUIS client for `user` whose requests go over HTTP (signed, the answers' signatures and XSD checked). */
export function httpClient(h: DccHarness, user: Eui64, counter: bigint): DuisClient {
  return new DuisClient(h.dcc, user, counter, receiverOf(h), async (service, xml) => {
    const r = await post(h, service, xml);
    return r.status === 200 ? { status: 200, xml: r.text } : { status: r.status };
  });
}

/** The GBCS message a pushed response or alert carries, decoded and verified with the codec and the DCC's keys. */
export function gbcsIn(h: DccHarness, r: DuisResponse): ParsedGbcs {
  const body = r.body;
  const bytes =
    body?.kind === 'ResponseMessage' && body.payload?.kind === 'GBCSPayload'
      ? body.payload.gbcsPayload
      : body?.kind === 'DeviceAlertMessage'
        ? body.gbcsPayload
        : undefined;
  if (bytes === undefined) throw new Error(`no GBCS payload in ${JSON.stringify(body)}`);
  const parsed = parseGbcs(bytes);
  const v = verifyGbcs(parsed, h.dcc.protection);
  expect(
    v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid'),
    `mac ${v.mac} sig ${v.signature}`,
  ).toBe(true);
  return parsed;
}

/** Every GBCS payload pushed so far decodes and verifies. */
export function expectEveryPushedGbcsVerifies(h: DccHarness): number {
  let n = 0;
  for (const { response } of h.received) {
    const body = response.body;
    const carries =
      (body?.kind === 'ResponseMessage' && body.payload?.kind === 'GBCSPayload') ||
      body?.kind === 'DeviceAlertMessage';
    if (!carries) continue;
    gbcsIn(h, response);
    n++;
  }
  return n;
}
