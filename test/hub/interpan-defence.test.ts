// The CHF defending its Inter-PAN window (SECMP0037's SSC risk of "an attack within local radio range"): radios out of
// range are never heard; every refused frame is counted by kind; unauthorised attempts raise 0x8F3E and floods of
// malformed frames 0x8F60, each at most once per hour; a PPMID pairing locally gets an ordinary Device Log entry.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/codec/bytes.js';
import type { ActorEnv, Effect, HanFrame } from '../../src/devices/types.js';
import {
  ALERT_UNAUTHORISED_ACCESS,
  ALERT_UNUSUAL_COMMANDS,
  interPanRefusals,
  radioRangeM,
} from '../../src/hub/chf-interpan.js';
import { RADIO_RANGE_M, ZIGBEE_DEVICE_TYPE, type ChfState } from '../../src/hub/chf-state.js';
import {
  env,
  han,
  hanOut,
  HHT,
  INSTALL_CODE,
  MINUTE,
  poweredChf,
  PPMID,
  readWan,
  ROGUE_ISSUER,
  step,
  T0,
  TRUSTED_ISSUER,
  wanOut,
} from '../support/chf-commands.js';
import { eui64 } from '../../src/codec/eui64.js';

const HOUR = 60 * MINUTE;
const WINDOW_TIMER = { type: 'timer', timer: { name: 'interpan-window' } } as const;
const ROGUE = eui64('00DB1234567890EE');

const beaconRequest: HanFrame = { type: 'interpan-beacon-request' };
const rogueCbke: HanFrame = { type: 'interpan-cbke-request', certificateIssuer: ROGUE_ISSUER };
const trustedCbke: HanFrame = { type: 'interpan-cbke-request', certificateIssuer: TRUSTED_ISSUER };
const strayCode: HanFrame = {
  type: 'interpan-install-code',
  installCode: fromHex(INSTALL_CODE[HHT]!),
  deviceType: ZIGBEE_DEVICE_TYPE.PPMID,
};
const malformed: HanFrame = { type: 'interpan-malformed', defect: 'truncated' };

/** The alert codes of the generic alerts among the CHF's WAN effects (MACs checked). */
function alertCodes(effects: readonly Effect[], e: ActorEnv = env): number[] {
  return wanOut(effects).flatMap((bytes) => {
    const { parsed, mac } = readWan(bytes, e);
    expect(mac).toBe('valid');
    const { header, payload } = parsed.message;
    if (header.messageCode !== 0x1001 || payload.kind !== 'dlms' || payload.dlms.type !== 'data-notification')
      return [];
    const body = payload.dlms.notificationBody;
    const first = body.type === 'structure' ? body.value[0] : undefined;
    return first?.type === 'long-unsigned' ? [first.value] : [];
  });
}

/** Feeds frames from `from` at the given times; returns the final state and every effect. */
function feed(state: ChfState, frames: readonly [number, HanFrame][], from = ROGUE) {
  const effects: Effect[] = [];
  for (const [at, frame] of frames) {
    const out = step(state, han(from, frame), at, env);
    state = out.state;
    effects.push(...out.effects);
  }
  return { state, effects };
}

function closedChf(): ChfState {
  return step(poweredChf(env), WINDOW_TIMER, T0 + HOUR, env).state;
}

describe('Inter-PAN while the window is closed', () => {
  it('refuses and counts every kind of frame, answering beacons with "not permitted"', () => {
    const t = T0 + 2 * HOUR;
    const { state, effects } = feed(closedChf(), [
      [t, beaconRequest],
      [t + 1000, rogueCbke],
      [t + 2000, trustedCbke],
      [t + 3000, strayCode],
      [t + 4000, malformed],
    ]);
    expect(interPanRefusals(state)).toEqual({
      beaconWindowClosed: 1,
      cbkeWindowClosed: 2,
      cbkeUnknownIssuer: 0,
      installCodeWindowClosed: 1,
      installCodeWithoutCbke: 0,
      malformed: 1,
    });
    expect(hanOut(effects).map((h) => h.frame)).toEqual([
      { type: 'interpan-beacon', extendedPanId: state.extendedPanId, permitsInterPan: false },
      { type: 'interpan-cbke-response', outcome: 'no-response' },
      { type: 'interpan-cbke-response', outcome: 'no-response' },
      { type: 'interpan-install-code-response', outcome: 'window-closed' },
    ]);
    expect(state.deviceLog).toEqual([]);
    expect(state.cbkePartners).toEqual([]);
  });

  it('raises 0x8F3E for the first unauthorised attempt and at most once an hour after it', () => {
    const t = T0 + 2 * HOUR;
    const frames: [number, HanFrame][] = [];
    for (let i = 0; i < 150; i++) frames.push([t + i * MINUTE, i % 2 === 0 ? rogueCbke : strayCode]);
    const { state, effects } = feed(closedChf(), frames);
    expect(alertCodes(effects)).toEqual([
      ALERT_UNAUTHORISED_ACCESS,
      ALERT_UNAUTHORISED_ACCESS,
      ALERT_UNAUTHORISED_ACCESS,
    ]);
    expect(state.interPanDefence).toMatchObject({
      lastUnauthorisedAlertMs: t + 120 * MINUTE,
      alertsSuppressed: 147,
    });
    expect(state.eventLog.filter((l) => l.code === ALERT_UNAUTHORISED_ACCESS)).toHaveLength(3);
  });

  it('raises no alert for beacon requests, which are discovery, not access', () => {
    const t = T0 + 2 * HOUR;
    const frames: [number, HanFrame][] = Array.from({ length: 50 }, (_, i) => [t + i * 1000, beaconRequest]);
    const { state, effects } = feed(closedChf(), frames);
    expect(interPanRefusals(state).beaconWindowClosed).toBe(50);
    expect(wanOut(effects)).toEqual([]);
  });
});

describe('Inter-PAN while the window is open', () => {
  it('answers beacon requests without counting them, refuses an unknown issuer and an install code without CBKE', () => {
    const { state, effects } = feed(poweredChf(env), [
      [T0 + 1000, beaconRequest],
      [T0 + 2000, rogueCbke],
      [T0 + 3000, strayCode],
    ]);
    expect(hanOut(effects).map((h) => h.frame)).toEqual([
      { type: 'interpan-beacon', extendedPanId: state.extendedPanId, permitsInterPan: true },
      { type: 'interpan-cbke-response', outcome: 'unknown-issuer' },
      { type: 'interpan-install-code-response', outcome: 'no-cbke' },
    ]);
    expect(interPanRefusals(state)).toMatchObject({
      beaconWindowClosed: 0,
      cbkeUnknownIssuer: 1,
      installCodeWithoutCbke: 1,
    });
    expect(alertCodes(effects)).toEqual([ALERT_UNAUTHORISED_ACCESS]);
    expect(state.deviceLog).toEqual([]);
  });

  it('accepts the HHT flow without counting or alerting', () => {
    const { state, effects } = feed(
      poweredChf(env),
      [
        [T0 + 1000, beaconRequest],
        [T0 + 2000, trustedCbke],
        [T0 + 3000, { ...strayCode, deviceType: 255 }],
      ],
      HHT,
    );
    expect(state.interPanDefence).toBeUndefined();
    expect(alertCodes(effects)).toEqual([]);
    expect(state.deviceLog).toMatchObject([{ device: HHT, hht: true, deviceType: 255 }]);
  });

  it('adds a PPMID pairing locally as an ordinary PPMID entry (device type 132, not an HHT entry)', () => {
    const { state } = feed(
      poweredChf(env),
      [
        [T0 + 1000, trustedCbke],
        [T0 + 2000, { ...strayCode, installCode: fromHex(INSTALL_CODE[PPMID]!) }],
      ],
      PPMID,
    );
    expect(state.deviceLog).toHaveLength(1);
    expect(state.deviceLog[0]).toMatchObject({ device: PPMID, deviceType: 132, joined: false });
    expect(state.deviceLog[0]!.hht).toBeUndefined();
  });
});

describe('malformed Inter-PAN frames', () => {
  it('raise 0x8F60 once they exceed the threshold within a period, then not again within the hour', () => {
    const frames: [number, HanFrame][] = Array.from({ length: 30 }, (_, i) => [T0 + i * MINUTE, malformed]);
    const { state, effects } = feed(poweredChf(env), frames);
    expect(interPanRefusals(state).malformed).toBe(30);
    expect(hanOut(effects)).toEqual([]);
    expect(alertCodes(effects)).toEqual([ALERT_UNUSUAL_COMMANDS]);
    // The default threshold is 10 an hour: the 11th frame raised it.
    expect(state.interPanDefence?.lastMalformedAlertMs).toBe(T0 + 10 * MINUTE);
  });

  it('follow a configured threshold and period, and alert again in a later period', () => {
    const chf = poweredChf(env, T0, {
      interPanGuard: { malformedThreshold: 3, malformedPeriodMs: 10 * MINUTE, alertIntervalMs: 30 * MINUTE },
    });
    // Four frames in each of six ten-minute periods: over the threshold in every period, alerts 30 min apart.
    const frames: [number, HanFrame][] = [];
    for (let p = 0; p < 6; p++)
      for (let i = 0; i < 4; i++) frames.push([T0 + p * 10 * MINUTE + i * MINUTE, malformed]);
    const { state, effects } = feed(chf, frames);
    expect(alertCodes(effects)).toEqual([ALERT_UNUSUAL_COMMANDS, ALERT_UNUSUAL_COMMANDS]);
    expect(state.interPanDefence?.lastMalformedAlertMs).toBe(T0 + 30 * MINUTE + 3 * MINUTE);
  });

  it('below the threshold raise nothing', () => {
    const frames: [number, HanFrame][] = Array.from({ length: 10 }, (_, i) => [T0 + i * MINUTE, malformed]);
    expect(alertCodes(feed(poweredChf(env), frames).effects)).toEqual([]);
  });
});

describe('radio range', () => {
  const distant = (distanceM: number, frame: HanFrame): HanFrame => ({ type: 'distant', distanceM, frame });

  it('a single-band hub hears a radio within its range and never one beyond it', () => {
    const chf = closedChf();
    expect(radioRangeM(chf)).toBe(RADIO_RANGE_M.singleBand);
    const near = feed(chf, [[T0 + 2 * HOUR, distant(RADIO_RANGE_M.singleBand, rogueCbke)]]);
    expect(interPanRefusals(near.state).cbkeWindowClosed).toBe(1);
    expect(alertCodes(near.effects)).toEqual([ALERT_UNAUTHORISED_ACCESS]);
    const far = step(chf, han(ROGUE, distant(RADIO_RANGE_M.singleBand + 1, rogueCbke)), T0 + 2 * HOUR, env);
    expect(far).toEqual({ state: chf, effects: [] });
  });

  it('a dual-band hub hears further, and a configured range overrides the band', () => {
    const dual = poweredChf(env, T0, { dualBand: true });
    expect(dual.dualBand).toBe(true);
    expect(radioRangeM(dual)).toBe(RADIO_RANGE_M.dualBand);
    expect(RADIO_RANGE_M.dualBand).toBeGreaterThan(RADIO_RANGE_M.singleBand);
    const heard = step(dual, han(ROGUE, distant(RADIO_RANGE_M.singleBand + 1, beaconRequest)), T0, env);
    expect(hanOut(heard.effects)).toHaveLength(1);
    const short = poweredChf(env, T0, { dualBand: true, radioRangeM: 5 });
    expect(step(short, han(ROGUE, distant(6, beaconRequest)), T0, env).effects).toEqual([]);
  });
});
