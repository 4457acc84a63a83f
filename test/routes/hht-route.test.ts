// The HHT route (issue 6 item 3), through the DCC over HTTP in virtual time: SR 2.2 as a local command (CV2) is
// carried by an installer's HHT on a scheduled visit (the CH power-cycled so its Inter-PAN window is open), reaches
// the ESME within the policy's validity window and is refused after it; the response the HHT collected goes back
// with SR 8.13 and completes the original request (I0 pushed). Local firmware is refused while the policy bans it:
// the DSP gives no local command (E17) and an HHT will not deliver one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { formatBase64, formatDuisId } from '../../src/codec/duis/common.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { messageCodesForUseCase } from '../../src/codec/gbcs/message-codes.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import { sortCarried } from '../../src/devices/hht-carry.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import type { HhtState } from '../../src/devices/hht.js';
import { DEFAULT_POLICY, policyWith } from '../../src/policy.js';
import { collectedByHht, scheduleHhtVisit } from '../../src/routes/hht.js';
import { post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';
import { body, DccUser } from '../support/dcc-user.js';
import { utrnFor } from '../support/esme-commands.js';

const SUPPLIER = eui64('90B3D51F30010000');
const DSP = eui64('90B3D51F30000002');
const ESME = eui64('00DB1234567890A0');
const HOUR = 3_600_000;
const MINUTE = 60_000;
const POUND = 100_000;
const SEED = 'smets-twin-demo';

let h: DccHarness;
let supplier: DccUser;
let utrnCounter = 40n;
const balance = (): number => h.dcc.runner.actor<EsmeState>(0, ESME).prepayment.ledger.meterBalance;
const topUp = (pounds: number) =>
  body(
    '2.2',
    `<sr:TopUpDevice><sr:UTRN>${utrnFor(h.dcc.runner.env, { counter: 0x1_0000_0000n * ++utrnCounter, value: pounds })}</sr:UTRN></sr:TopUpDevice>`,
  );
const visit = (atMs: number, commands: { bytes: Uint8Array; issuedAtMs: number }[]) =>
  scheduleHhtVisit(h.dcc.field, {
    premise: 0,
    premiseNumber: FIRST_PREMISE_NUMBER,
    fleetSeed: SEED,
    atMs,
    commands,
  });

beforeAll(async () => {
  h = await startDcc({ fleet: 1 });
  supplier = new DccUser(h, SUPPLIER, 80_000n);
});
afterAll(async () => h.close());

describe('a local top-up carried by an HHT', () => {
  let requestCounter: bigint;
  let issuedAtMs: number;

  it('reaches the ESME on a visit two hours later (within 18 hours), and the HHT collects its response', async () => {
    issuedAtMs = h.dcc.runner.kernel.now;
    const command = await supplier.localCommand('2.2', ESME, topUp(5));
    requestCounter = 80_001n;
    const before = balance();
    visit(issuedAtMs + 2 * HOUR, [{ bytes: command, issuedAtMs }]);
    await h.dcc.advance(2 * HOUR + 5 * MINUTE);
    expect(balance() - before).toBe(5 * POUND);
    const collected = collectedByHht(h.dcc.field, 0);
    expect(collected).toHaveLength(1);
    expect(parseGbcs(collected[0]!).message.header).toMatchObject({ cra: 2, originator: ESME });
  });

  it('SR 8.13 returns the collected response: I99, then the original request’s I0 carries the ESME’s response', async () => {
    const response = collectedByHht(h.dcc.field, 0)[0]!;
    const original = formatDuisId({ originator: SUPPLIER, target: ESME, counter: requestCounter });
    const returned = body(
      '8.13',
      `<sr:ReturnLocalCommandResponse><sr:OriginalRequestID>${original}</sr:OriginalRequestID>` +
        `<sr:DeviceGBCSResponse>${formatBase64(response)}</sr:DeviceGBCSResponse></sr:ReturnLocalCommandResponse>`,
    );
    const ack = await post(
      h,
      'D',
      signedRequest(h, {
        user: SUPPLIER,
        target: DSP,
        counter: supplier.next(),
        cv: 8,
        srv: '8.13',
        body: returned,
      }),
    );
    expect(ack.response?.header.responseCode, ack.text).toBe('I99');
    await h.dcc.advance(MINUTE);
    const answers = responsesTo(h, requestCounter);
    expect(answers.map((r) => r.header.responseCode)).toContain('I0');
    // The same response again is refused: the local command has its response already.
    const again = await post(
      h,
      'D',
      signedRequest(h, {
        user: SUPPLIER,
        target: DSP,
        counter: supplier.next(),
        cv: 8,
        srv: '8.13',
        body: returned,
      }),
    );
    expect(again.status).toBe(409);
  });

  it('is refused by the HHT once older than the validity window: a visit 20 hours after issue delivers nothing', async () => {
    const issued = h.dcc.runner.kernel.now;
    const command = await supplier.localCommand('2.2', ESME, topUp(7));
    const before = balance();
    const hht = visit(issued + 20 * HOUR, [{ bytes: command, issuedAtMs: issued }]);
    await h.dcc.advance(20 * HOUR + 5 * MINUTE);
    expect(balance()).toBe(before);
    expect(h.dcc.runner.actor<HhtState>(0, hht).refused.at(-1)).toMatchObject({ reason: 'expired' });
  });
});

describe('local firmware under the policy', () => {
  const cs06 = messageCodesForUseCase('CS06')[0]!.code;

  it('the DSP gives no local command for firmware activation while banned (E17)', async () => {
    const signed = {
      element: 'SignedPreCommand',
      children: [{ name: 'GBCSPayload', text: formatBase64(new Uint8Array(8)) }],
    };
    const res = await post(
      h,
      'D',
      signedRequest(h, {
        user: SUPPLIER,
        target: ESME,
        counter: supplier.next(),
        cv: 6,
        srv: '11.3',
        body: signed,
      }),
    );
    expect(res.response?.header.responseCode, res.text).toBe('E17');
  });

  it('an HHT refuses to deliver a firmware command while banned, and delivers it when the policy allows', () => {
    // A CS06 command's headers are all the HHT reads: an RTDS-shaped frame header with the CS06 message code.
    const command = {
      bytes: Uint8Array.from([
        0xdf,
        0x09,
        0x01,
        ...new Array<number>(8).fill(0),
        8,
        ...new Array<number>(8).fill(0x11),
        8,
        ...new Array<number>(8).fill(0x22),
        0x00,
        0x02,
        cs06 >> 8,
        cs06 & 0xff,
      ]),
      issuedAtMs: 0,
    };
    expect(sortCarried([command], HOUR, DEFAULT_POLICY).refused).toEqual([
      { messageCode: cs06, issuedAtMs: 0, reason: 'firmware-banned' },
    ]);
    expect(
      sortCarried([command], HOUR, policyWith({ localFirmwareUpgrade: 'allowed' })).deliver,
    ).toHaveLength(1);
  });
});
