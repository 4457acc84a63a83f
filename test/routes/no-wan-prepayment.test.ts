// Issue 6, "Done when" 1: a prepayment premise loses its SM WAN, and a top-up must reach its ESME. Through the DCC
// over HTTP in virtual time, with the CSP WAN model (an outage from one hour after opening), the HHT route and the
// PPMID tunnel (SECMP0038) under each of the policy's rules:
// - over the WAN the top-up is held by the CSP and fails its Target Response Time (E21);
// - as a local command it reaches the meter on an HHT visit within the 18-hour window, and is refused after it;
// - under `ppmidTunnel: 'any'`, and `'subset'` listing CS01a, it reaches the meter through the PPMID;
// - under `'han-only'` (today) the CH refuses it and the User gets E20;
// - on the tunnel the meter applies the same checks as on the WAN: a replayed or tampered command is refused with the
//   same alert.
import { afterEach, describe, expect, it } from 'vitest';
import { eui64, eui64Hyphenated } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import type { DccOptions } from '../../src/dcc/dcc.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import type { HhtState } from '../../src/devices/hht.js';
import { REFUSAL_ALERTS } from '../../src/devices/security.js';
import { policyWith, type Policy } from '../../src/policy.js';
import { scheduleHhtVisit } from '../../src/routes/hht.js';
import { post, responsesTo, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';
import { body, DccUser, joinBody } from '../support/dcc-user.js';
import { toPrepayment } from '../support/duis-bodies.js';
import { utrnFor } from '../support/esme-commands.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const PPMID = eui64('00DB1234567890A4');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const POUND = 100_000;
const OPEN = Date.UTC(2026, 0, 1);
/** The premise's SM WAN is down from 01:00 for three days. */
const OUTAGE = { fromMs: OPEN + HOUR, toMs: OPEN + 73 * HOUR };

let h: DccHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const esme = (): EsmeState => h!.dcc.runner.actor<EsmeState>(0, ESME);
let utrnCounter = 60n;
const topUp = (pounds: number) =>
  body(
    '2.2',
    `<sr:TopUpDevice><sr:UTRN>${utrnFor(h!.dcc.runner.env, { counter: 0x1_0000_0000n * ++utrnCounter, value: pounds })}</sr:UTRN></sr:TopUpDevice>`,
  );

/**
 * A prepayment premise set up while its WAN works: 1.6 to prepayment, a £10 top-up, its PPMID paired with the ESME.
 * `holdLimitMs`: how long the CSP holds a message for a premise it cannot reach (beyond it: unreachable).
 */
async function prepaymentPremise(o: {
  policy?: Policy;
  holdLimitMs: number;
  tunnel?: boolean;
}): Promise<DccUser> {
  const options: Partial<DccOptions> = {
    fleet: 1,
    wan: {
      premiseOutages: { 0: [OUTAGE] },
      holdLimitMs: o.holdLimitMs,
      latency: { kind: 'fixed', ms: 1_000 },
    },
    ...(o.policy !== undefined && { policy: o.policy }),
    ...(o.tunnel === true && { ppmidChannels: { 0: { availability: 1, latencyMs: 2_000 } } }),
  };
  h = await startDcc(options);
  const user = new DccUser(h, SUPPLIER, 100_000n);
  await user.nonCritical('2.2', ESME, topUp(10));
  await user.critical('1.6', ESME, body('1.6', toPrepayment('0')));
  await user.critical('8.7.1', ESME, joinBody('8.7.1', PPMID));
  await user.nonCritical('8.7.2', PPMID, joinBody('8.7.2', ESME));
  expect(esme().prepayment.mode).toBe('prepayment');
  await h.dcc.advance(OUTAGE.fromMs + HOUR - h.dcc.runner.kernel.now);
  return user;
}

/** SR 2.2 over CV1 during the outage: the I99, then what the User finally gets. */
async function remoteTopUp(user: DccUser, pounds: number, wait = 5 * MINUTE): Promise<string[]> {
  const counter = user.next();
  const ack = await post(
    h!,
    'S',
    signedRequest(h!, { user: SUPPLIER, target: ESME, counter, cv: 1, srv: '2.2', body: topUp(pounds) }),
  );
  expect(ack.response?.header.responseCode, ack.text).toBe('I99');
  await h!.dcc.advance(wait);
  return responsesTo(h!, counter).map((r) => r.header.responseCode);
}

describe('a prepayment premise without its SM WAN', () => {
  it('over the WAN: the CSP holds the top-up and the DCC answers E21 when its Target Response Time runs out', async () => {
    // A CSP that holds messages for four days: the outage's three do not make the premise unreachable (E20).
    const user = await prepaymentPremise({ holdLimitMs: 96 * HOUR });
    const before = esme().prepayment.ledger.meterBalance;
    expect(await remoteTopUp(user, 5)).toEqual(['E21']);
    expect(esme().prepayment.ledger.meterBalance).toBe(before);
  });

  it('by HHT: the local command reaches the meter on a visit within 18 hours; one 20 hours old is refused', async () => {
    const user = await prepaymentPremise({ holdLimitMs: 22 * HOUR });
    const visit = async (afterMs: number): Promise<HhtState> => {
      const issuedAtMs = h!.dcc.runner.kernel.now;
      const command = await user.localCommand('2.2', ESME, topUp(5));
      const hht = scheduleHhtVisit(h!.dcc.field, {
        premise: 0,
        premiseNumber: FIRST_PREMISE_NUMBER,
        fleetSeed: 'smets-twin-demo',
        atMs: issuedAtMs + afterMs,
        commands: [{ bytes: command, issuedAtMs }],
      });
      await h!.dcc.advance(afterMs + 5 * MINUTE);
      return h!.dcc.runner.actor<HhtState>(0, hht);
    };
    const before = esme().prepayment.ledger.meterBalance;
    await visit(3 * HOUR);
    expect(esme().prepayment.ledger.meterBalance - before).toBe(5 * POUND);
    const late = await visit(20 * HOUR);
    expect(esme().prepayment.ledger.meterBalance - before).toBe(5 * POUND);
    expect(late.refused.at(-1)?.reason).toBe('expired');
  });

  for (const [rule, policy] of [
    ['any', policyWith({ ppmidTunnel: 'any' })],
    ['subset with CS01a', policyWith({ ppmidTunnel: 'subset', ppmidTunnelUseCases: ['CS01a'] })],
  ] as const)
    it(`through the PPMID tunnel (policy ${rule}): the top-up reaches the meter and its answer comes back (I0)`, async () => {
      // The CSP holds nothing for long: a premise it cannot reach within the hour is unreachable, so the tunnel goes.
      const user = await prepaymentPremise({ policy, holdLimitMs: HOUR, tunnel: true });
      const before = esme().prepayment.ledger.meterBalance;
      expect(await remoteTopUp(user, 5)).toEqual(['I0']);
      expect(esme().prepayment.ledger.meterBalance - before).toBe(5 * POUND);
    });

  it('through the PPMID tunnel under today’s rule (han-only): the CH refuses it, the User gets E20, no credit', async () => {
    const user = await prepaymentPremise({
      policy: policyWith({ ppmidTunnel: 'han-only' }),
      holdLimitMs: HOUR,
      tunnel: true,
    });
    const before = esme().prepayment.ledger.meterBalance;
    expect(await remoteTopUp(user, 5)).toEqual(['E20']);
    expect(esme().prepayment.ledger.meterBalance).toBe(before);
  });

  it('on the tunnel the meter refuses a replayed or tampered command as it does on the WAN', async () => {
    const user = await prepaymentPremise({
      policy: policyWith({ ppmidTunnel: 'any' }),
      holdLimitMs: HOUR,
      tunnel: true,
    });
    expect(await remoteTopUp(user, 5)).toEqual(['I0']);
    const sent = (await h!.store.getRequest(
      `${eui64Hyphenated(SUPPLIER)}:${eui64Hyphenated(ESME)}:${user.next() - 1n}`,
    ))!.command!;
    const tampered = sent.slice();
    tampered[tampered.length - 20]! ^= 0x01;
    const alertsAfter = async (send: (bytes: Uint8Array) => void, bytes: Uint8Array): Promise<number> => {
      const before = esme().securityLog.length;
      send(bytes);
      await h!.dcc.advance(MINUTE);
      expect(esme().securityLog.length).toBe(before + 1);
      return esme().securityLog.at(-1)!.code;
    };
    const viaTunnel = (b: Uint8Array) => h!.dcc.tunnel!.send(0, b, h!.dcc.runner.kernel.now);
    const replayedOnTunnel = await alertsAfter(viaTunnel, sent);
    const tamperedOnTunnel = await alertsAfter(viaTunnel, tampered);
    expect([replayedOnTunnel, tamperedOnTunnel]).toEqual([
      REFUSAL_ALERTS.replayed.code,
      REFUSAL_ALERTS['mac-invalid'].code,
    ]);
    // The same bytes over the WAN once it is back: the same refusals.
    await h!.dcc.advance(OUTAGE.toMs + MINUTE - h!.dcc.runner.kernel.now);
    const viaWan = (b: Uint8Array) => void h!.dcc.route.send(0, b, h!.dcc.runner.kernel.now);
    expect([await alertsAfter(viaWan, sent), await alertsAfter(viaWan, tampered)]).toEqual([
      replayedOnTunnel,
      tamperedOnTunnel,
    ]);
  });
});

describe('every route, checked with the codec and repeated', () => {
  /** WAN set-up, an HHT visit and a tunnelled top-up: every message recorded; the run's trace hash. */
  async function run(): Promise<{ hash: string; legs: Set<string>; checked: number }> {
    const user = await (async () => {
      h = await startDcc({
        fleet: 1,
        recordMessages: true,
        policy: policyWith({ ppmidTunnel: 'any' }),
        wan: { premiseOutages: { 0: [OUTAGE] }, holdLimitMs: HOUR, latency: { kind: 'fixed', ms: 1_000 } },
        ppmidChannels: { 0: { availability: 1, latencyMs: 2_000 } },
      });
      const u = new DccUser(h, SUPPLIER, 100_000n);
      await u.critical('1.6', ESME, body('1.6', toPrepayment('0')));
      await u.critical('8.7.1', ESME, joinBody('8.7.1', PPMID));
      await u.nonCritical('8.7.2', PPMID, joinBody('8.7.2', ESME));
      await h.dcc.advance(OUTAGE.fromMs + HOUR - h.dcc.runner.kernel.now);
      return u;
    })();
    utrnCounter = 500n;
    expect(await remoteTopUp(user, 5)).toEqual(['I0']);
    const issuedAtMs = h!.dcc.runner.kernel.now;
    const command = await user.localCommand('2.2', ESME, topUp(3));
    scheduleHhtVisit(h!.dcc.field, {
      premise: 0,
      premiseNumber: FIRST_PREMISE_NUMBER,
      fleetSeed: 'smets-twin-demo',
      atMs: issuedAtMs + HOUR,
      commands: [{ bytes: command, issuedAtMs }],
    });
    await h!.dcc.advance(HOUR + 5 * MINUTE);
    let checked = 0;
    for (const m of h!.dcc.runner.messages) {
      if (!m.decoded.ok) throw new Error(`${m.leg} ${String(m.from)}→${String(m.to)}: ${m.decoded.reason}`);
      const v = verifyGbcs(parseGbcs(m.bytes), h!.dcc.protection);
      expect(
        v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid'),
        `${m.leg} at ${m.atMs}`,
      ).toBe(true);
      checked++;
    }
    const legs = new Set(h!.dcc.runner.messages.map((m) => m.leg));
    const hash = h!.dcc.runner.kernel.traceHash();
    await h!.close();
    h = undefined;
    return { hash, legs, checked };
  }

  it('WAN, HAN, HHT and tunnel messages all decode and verify, and the same seed gives the same trace', async () => {
    const first = await run();
    expect([...first.legs].sort()).toEqual(['han', 'tunnel-in', 'tunnel-out', 'wan-in', 'wan-out']);
    expect(first.checked).toBeGreaterThan(20);
    const second = await run();
    expect(second.hash).toBe(first.hash);
  });
});
