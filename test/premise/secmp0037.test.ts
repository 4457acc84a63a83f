// SECMP0037 "Pairing Local PPMIDs" in virtual time, on whole premises (PremiseRunner + buildPremise + installPremise):
// a replacement PPMID posted to the consumer pairs over Inter-PAN only while the hub's window is open — 60 minutes
// after power-up today, always when the window is lifted, again after a power cycle of the hub; an attacker within
// radio range of the hub is refused, counted and alerted on (and not heard out of range, where a dual-band hub's
// range is wider); the window's open hours over a week; and the same seed gives the same counts.
import { describe, expect, it } from 'vitest';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { attackFramesSent, type AttackerState } from '../../src/devices/attacker.js';
import type { PpmidState } from '../../src/devices/ppmid.js';
import {
  ALERT_UNAUTHORISED_ACCESS,
  ALERT_UNUSUAL_COMMANDS,
  interPanOpenMs,
  interPanRefusals,
} from '../../src/hub/chf-interpan.js';
import { RADIO_RANGE_M, type ChfState } from '../../src/hub/chf-state.js';
import { DEFAULT_POLICY, policyWith, type Policy } from '../../src/policy.js';
import {
  buildAttacker,
  buildPostedPpmid,
  buildPremise,
  PREMISE_ACTORS,
  TEST_PARTIES,
  type BuiltPremise,
  type PremiseSpec,
} from '../../src/premise/build.js';
import { installPremise } from '../../src/premise/commission.js';
import { PremiseRunner } from '../../src/premise/runner.js';
import { envWith } from '../support/identities.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PREMISE = 0x34567890;
const FLEET = 'secmp0037-test';
const LIFTED = policyWith({ interPanWindowMinutes: null });

interface Site {
  readonly runner: PremiseRunner;
  readonly id: number;
  readonly built: BuiltPremise;
  /** When the hub was first powered (installPremise's first step). */
  readonly poweredAt: number;
  /** What the CHF sent to the WAN, with when. */
  readonly wan: { atMs: number; bytes: Uint8Array }[];
  chf(): ChfState;
}

/** A premise built, installed and run for ten minutes under `policy`. */
function site(policy: Policy, spec: PremiseSpec = { esme: true }, seed = 1): Site {
  const wan: { atMs: number; bytes: Uint8Array }[] = [];
  const runner = new PremiseRunner({
    seed,
    env: envWith(new FleetKeyStore(FLEET), policy),
    actors: PREMISE_ACTORS,
    onWan: (_premise, bytes, atMs) => wan.push({ atMs, bytes }),
  });
  const built = buildPremise(spec, { premise: PREMISE, fleetSeed: FLEET });
  const id = runner.addPremise(built.members);
  const poweredAt = runner.kernel.now;
  installPremise(runner, id, built, { acbCounter: 1_000n, userCounter: 100n, user: TEST_PARTIES.supplier! });
  runner.kernel.run({ until: poweredAt + 10 * MINUTE });
  return { runner, id, built, poweredAt, wan, chf: () => runner.actor<ChfState>(id, built.chf) };
}

function runTo(s: Site, atMs: number): void {
  s.runner.kernel.run({ until: atMs });
}

/** The hub switched off and on again a minute later, at `atMs`. */
function powerCycleHub(s: Site, atMs: number): void {
  runTo(s, atMs);
  s.runner.inject(s.id, s.built.chf, { type: 'power', on: false });
  s.runner.inject(s.id, s.built.chf, { type: 'power', on: true }, MINUTE);
}

/** The posted PPMID arrives and the consumer switches it on at `atMs`. */
function switchOnPostedPpmid(s: Site, atMs: number): PpmidState {
  runTo(s, atMs);
  const ppmid = buildPostedPpmid({ premise: PREMISE, fleetSeed: FLEET });
  s.runner.addMember(s.id, ppmid);
  s.runner.inject(s.id, ppmid.eui, { type: 'power', on: true });
  return ppmid;
}

/** The generic alerts' codes among what the CHF sent to the WAN since `fromMs`. */
function alertsSince(s: Site, fromMs: number): { atMs: number; code: number }[] {
  return s.wan.flatMap(({ atMs, bytes }) => {
    if (atMs < fromMs) return [];
    const { header, payload } = parseGbcs(bytes).message;
    if (header.messageCode !== 0x1001 || payload.kind !== 'dlms' || payload.dlms.type !== 'data-notification')
      return [];
    const body = payload.dlms.notificationBody;
    const first = body.type === 'structure' ? body.value[0] : undefined;
    return first?.type === 'long-unsigned' ? [{ atMs, code: first.value }] : [];
  });
}

describe('SECMP0037: a posted PPMID pairing locally', () => {
  it('switched on three days after the hub powered up, fails under the 60-minute window and pairs under the lifted window; a power cycle of the hub reopens the window', () => {
    // Today's rule: the window closed 60 minutes after power-up; the PPMID finds the hub but may not pair.
    const today = site(DEFAULT_POLICY);
    const ppmid = switchOnPostedPpmid(today, today.poweredAt + 3 * DAY);
    runTo(today, today.poweredAt + 3 * DAY + 2 * HOUR);
    const refused = today.runner.actor<PpmidState>(today.id, ppmid.eui);
    expect(refused.hanJoined).toBe(false);
    expect(refused.pairing).toMatchObject({ stage: 'discovering', failure: 'window-closed' });
    expect(refused.pairing!.attempts).toBeGreaterThan(1);
    expect(today.chf().deviceLog.some((e) => e.device === ppmid.eui)).toBe(false);

    // A power cycle of the hub reopens the window: the PPMID's next attempt pairs within it.
    const cycledAt = today.poweredAt + 3 * DAY + 2 * HOUR;
    powerCycleHub(today, cycledAt);
    runTo(today, cycledAt + HOUR);
    const paired = today.runner.actor<PpmidState>(today.id, ppmid.eui);
    expect(paired.hanJoined).toBe(true);
    expect(paired.pairing).toMatchObject({ stage: 'joined', failure: null });
    expect(paired.pairing!.pairedAtMs).toBeGreaterThan(cycledAt + MINUTE);
    expect(paired.pairing!.pairedAtMs).toBeLessThan(cycledAt + MINUTE + HOUR);
    expect(today.chf().deviceLog).toContainEqual(
      expect.objectContaining({ device: ppmid.eui, deviceType: 132, joined: true }),
    );

    // SECMP0037's rule: no limit; the PPMID pairs at its first attempt, three days on.
    const lifted = site(LIFTED);
    const posted = switchOnPostedPpmid(lifted, lifted.poweredAt + 3 * DAY);
    runTo(lifted, lifted.poweredAt + 3 * DAY + 10 * MINUTE);
    const at = lifted.runner.actor<PpmidState>(lifted.id, posted.eui);
    expect(at.hanJoined).toBe(true);
    expect(at.pairing).toMatchObject({ stage: 'joined', failure: null, attempts: 1 });
    const entry = lifted.chf().deviceLog.find((e) => e.device === posted.eui);
    expect(entry).toMatchObject({ deviceType: 132, joined: true });
    expect(entry?.hht).toBeUndefined();
  });
});

/** An attacker `distanceM` from the hub, switched on at `atMs`, sending every `intervalMs`, until `untilMs`. */
function attack(
  s: Site,
  o: { distanceM: number; atMs: number; untilMs: number; intervalMs: number; seed: number },
): AttackerState {
  runTo(s, o.atMs);
  const attacker = buildAttacker({
    premise: PREMISE,
    fleetSeed: FLEET,
    distanceM: o.distanceM,
    intervalMs: o.intervalMs,
    untilMs: o.untilMs,
    seed: o.seed,
  });
  s.runner.addMember(s.id, attacker);
  s.runner.inject(s.id, attacker.eui, { type: 'power', on: true });
  runTo(s, o.untilMs + MINUTE);
  return s.runner.actor<AttackerState>(s.id, attacker.eui);
}

describe('SECMP0037: an attacker within radio range of the hub', () => {
  it('has every frame refused and counted by kind, and is alerted on at most once an hour per code', () => {
    const s = site(DEFAULT_POLICY);
    const from = s.poweredAt + 2 * HOUR;
    const attacker = attack(s, {
      distanceM: 20,
      atMs: from,
      untilMs: from + 3 * HOUR,
      intervalMs: 30_000,
      seed: 5,
    });
    const sent = attackFramesSent(attacker);
    expect(sent).toBeGreaterThan(250);
    // The window is closed: every frame is refused, by the kind it is.
    expect(interPanRefusals(s.chf())).toEqual({
      beaconWindowClosed: attacker.sent.beaconRequest,
      cbkeWindowClosed: attacker.sent.cbkeUnknownIssuer,
      cbkeUnknownIssuer: 0,
      installCodeWindowClosed: attacker.sent.installCodeWithoutCbke,
      installCodeWithoutCbke: 0,
      malformed: attacker.sent.malformed,
    });
    expect(s.chf().deviceLog.map((e) => e.device)).toEqual([s.built.esme]);
    // The hub answered beacons, CBKE and install codes (refusals), never the malformed frames.
    expect(attacker.answers).toBe(sent - attacker.sent.malformed);

    const alerts = alertsSince(s, from);
    const unauthorised = alerts.filter((a) => a.code === ALERT_UNAUTHORISED_ACCESS);
    const unusual = alerts.filter((a) => a.code === ALERT_UNUSUAL_COMMANDS);
    expect(alerts).toHaveLength(unauthorised.length + unusual.length);
    expect(unauthorised).toHaveLength(3);
    expect(unusual.length).toBeGreaterThanOrEqual(2);
    expect(unusual.length).toBeLessThanOrEqual(3);
    for (const list of [unauthorised, unusual])
      for (let i = 1; i < list.length; i++)
        expect(list[i]!.atMs - list[i - 1]!.atMs).toBeGreaterThanOrEqual(HOUR);
  });

  it('out of a single-band hub is never heard; at the same distance a dual-band hub hears it', () => {
    const distanceM = (RADIO_RANGE_M.singleBand + RADIO_RANGE_M.dualBand) / 2;
    const single = site(DEFAULT_POLICY, { esme: true });
    const from = single.poweredAt + 2 * HOUR;
    const unheard = attack(single, {
      distanceM,
      atMs: from,
      untilMs: from + HOUR,
      intervalMs: 60_000,
      seed: 5,
    });
    expect(attackFramesSent(unheard)).toBeGreaterThan(30);
    expect(unheard.answers).toBe(0);
    expect(single.chf().interPanDefence).toBeUndefined();
    expect(alertsSince(single, from)).toEqual([]);

    const dual = site(DEFAULT_POLICY, { esme: true, dualBand: true });
    const heard = attack(dual, { distanceM, atMs: from, untilMs: from + HOUR, intervalMs: 60_000, seed: 5 });
    expect(heard.sent).toEqual(unheard.sent);
    const refused = Object.values(interPanRefusals(dual.chf())).reduce((a, b) => a + b, 0);
    expect(refused).toBe(attackFramesSent(heard));
    expect(alertsSince(dual, from).map((a) => a.code)).toContain(ALERT_UNAUTHORISED_ACCESS);
  });

  it('gives the same counts for the same seed, and other counts for another', () => {
    const counts = (seed: number) => {
      const s = site(DEFAULT_POLICY, { esme: true }, seed);
      const from = s.poweredAt + 2 * HOUR;
      const a = attack(s, { distanceM: 20, atMs: from, untilMs: from + 2 * HOUR, intervalMs: 20_000, seed });
      return {
        sent: a.sent,
        refused: interPanRefusals(s.chf()),
        alerts: alertsSince(s, from),
        trace: s.runner.kernel.traceHash(),
      };
    };
    const first = counts(9);
    expect(counts(9)).toEqual(first);
    expect(counts(10).sent).not.toEqual(first.sent);
  });
});

describe('SECMP0037: Inter-PAN open hours per hub over a simulated week', () => {
  it('is 1 hour under the 60-minute window (per power-up) and 168 hours with the window lifted', () => {
    const today = site(DEFAULT_POLICY);
    runTo(today, today.poweredAt + 7 * DAY);
    expect(interPanOpenMs(today.chf(), today.runner.kernel.now) / HOUR).toBe(1);

    const lifted = site(LIFTED);
    runTo(lifted, lifted.poweredAt + 7 * DAY);
    expect(interPanOpenMs(lifted.chf(), lifted.runner.kernel.now) / HOUR).toBe(168);

    // A power cycle mid-week opens another hour under today's rule.
    const cycled = site(DEFAULT_POLICY);
    powerCycleHub(cycled, cycled.poweredAt + 3 * DAY);
    runTo(cycled, cycled.poweredAt + 7 * DAY);
    expect(interPanOpenMs(cycled.chf(), cycled.runner.kernel.now) / HOUR).toBe(2);
  });
});
