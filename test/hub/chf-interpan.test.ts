// Power and Inter-PAN at the CHF: the window after power-up (60 minutes by default, policy null: no limit), power
// cycling, beacons, Inter-PAN CBKE against the trusted issuer, and the HHT's install code and join.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/codec/bytes.js';
import type { ActorEnv, HanFrame } from '../../src/devices/types.js';
import { stepChf, type ChfState } from '../../src/hub/chf.js';
import { policyWith } from '../../src/policy.js';
import {
  ccs01,
  han,
  hanOut,
  HHT,
  INSTALL_CODE,
  MINUTE,
  newChf,
  notes,
  poweredChf,
  readWan,
  ROGUE_ISSUER,
  step,
  T0,
  testEnv,
  TRUSTED_ISSUER,
  wan,
  wanOut,
  ESME,
  env,
  joinRequest,
} from '../support/chf-commands.js';

const WINDOW_TIMER = { type: 'timer', timer: { name: 'interpan-window' } } as const;

function reply(state: ChfState, frame: HanFrame, now: number, e: ActorEnv = env): HanFrame | undefined {
  return hanOut(step(state, han(HHT, frame), now, e).effects)[0]?.frame;
}

function beacon(state: ChfState, now: number): boolean | undefined {
  const f = reply(state, { type: 'interpan-beacon-request' }, now);
  return f?.type === 'interpan-beacon' ? f.permitsInterPan : undefined;
}

describe('the Inter-PAN window', () => {
  it('opens at power-up for 60 minutes and closes when its timer fires', () => {
    const up = stepChf(newChf(), { type: 'power', on: true }, T0, env);
    expect(up.state.interPanOpen).toBe(true);
    expect(up.effects).toContainEqual({
      kind: 'timer',
      atMs: T0 + 60 * MINUTE,
      timer: { name: 'interpan-window' },
    });
    expect(beacon(up.state, T0 + 59 * MINUTE)).toBe(true);
    const closed = step(up.state, WINDOW_TIMER, T0 + 60 * MINUTE, env).state;
    expect(closed.interPanOpen).toBe(false);
    expect(beacon(closed, T0 + 61 * MINUTE)).toBe(false);
  });

  it('beacons the Extended PAN ID, the GPF EUI by default', () => {
    const f = reply(poweredChf(env), { type: 'interpan-beacon-request' }, T0);
    expect(f).toEqual({ type: 'interpan-beacon', extendedPanId: poweredChf(env).gpf, permitsInterPan: true });
  });

  it('re-opens on a power cycle, with a new 60-minute timer', () => {
    const closed = step(poweredChf(env), WINDOW_TIMER, T0 + 60 * MINUTE, env).state;
    const off = step(closed, { type: 'power', on: false }, T0 + 2 * 60 * MINUTE, env);
    expect(off.state.powered).toBe(false);
    expect(off.effects).toContainEqual({ kind: 'cancel-timer', name: 'interpan-window' });
    const on = step(off.state, { type: 'power', on: true }, T0 + 3 * 60 * MINUTE, env);
    expect(on.state.interPanOpen).toBe(true);
    expect(on.effects).toContainEqual({
      kind: 'timer',
      atMs: T0 + 4 * 60 * MINUTE,
      timer: { name: 'interpan-window' },
    });
  });

  it('follows policy.interPanWindowMinutes, and never closes when it is null', () => {
    const thirty = testEnv(policyWith({ interPanWindowMinutes: 30 }));
    expect(stepChf(newChf(), { type: 'power', on: true }, T0, thirty).effects).toContainEqual({
      kind: 'timer',
      atMs: T0 + 30 * MINUTE,
      timer: { name: 'interpan-window' },
    });
    const unlimited = testEnv(policyWith({ interPanWindowMinutes: null }));
    const up = stepChf(newChf(), { type: 'power', on: true }, T0, unlimited);
    expect(up.effects.filter((e) => e.kind === 'timer')).toEqual([]);
    expect(up.effects).toContainEqual({ kind: 'cancel-timer', name: 'interpan-window' });
    expect(beacon(up.state, T0 + 1000 * 60 * MINUTE)).toBe(true);
  });

  it('ignores WAN and HAN traffic while unpowered', () => {
    const out = stepChf(newChf(), wan(ccs01(env, { counter: 1n, device: ESME })), T0, env);
    expect(out.state).toEqual(newChf());
    expect(wanOut(out.effects)).toEqual([]);
    expect(notes(out.effects).join()).toContain('unpowered');
    expect(hanOut(stepChf(newChf(), han(HHT, { type: 'interpan-beacon-request' }), T0, env).effects)).toEqual(
      [],
    );
  });
});

describe('Inter-PAN CBKE and the HHT install code', () => {
  const cbke = (issuer = TRUSTED_ISSUER): HanFrame => ({
    type: 'interpan-cbke-request',
    certificateIssuer: issuer,
  });
  const code: HanFrame = {
    type: 'interpan-install-code',
    installCode: fromHex(INSTALL_CODE[HHT]!),
    deviceType: 255,
  };
  const withCbke = (): ChfState => step(poweredChf(env), han(HHT, cbke()), T0 + MINUTE, env).state;

  it('refuses CBKE with a certificate of an unknown issuer, and then the install code', () => {
    const s = poweredChf(env);
    expect(reply(s, cbke(ROGUE_ISSUER), T0)).toEqual({
      type: 'interpan-cbke-response',
      outcome: 'unknown-issuer',
    });
    const after = step(s, han(HHT, cbke(ROGUE_ISSUER)), T0, env).state;
    expect(after.cbkePartners).toEqual([]);
    expect(reply(after, code, T0)).toEqual({ type: 'interpan-install-code-response', outcome: 'no-cbke' });
  });

  it('does not answer CBKE once the window has closed', () => {
    const closed = step(poweredChf(env), WINDOW_TIMER, T0 + 60 * MINUTE, env).state;
    expect(reply(closed, cbke(), T0 + 61 * MINUTE)).toEqual({
      type: 'interpan-cbke-response',
      outcome: 'no-response',
    });
  });

  it('refuses the install code after the window closes, even after a successful CBKE', () => {
    const closed = step(withCbke(), WINDOW_TIMER, T0 + 60 * MINUTE, env).state;
    expect(reply(closed, code, T0 + 61 * MINUTE)).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'window-closed',
    });
  });

  it('refuses the install code with device-log-full when the Device Log is full', () => {
    const full = step(poweredChf(env, T0, { deviceLogCapacity: 0 }), han(HHT, cbke()), T0, env).state;
    expect(reply(full, code, T0)).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'device-log-full',
    });
  });

  it('adds the HHT after CBKE (CS14), after which it joins the SMHAN with its install code', () => {
    const added = step(withCbke(), han(HHT, code), T0 + 2 * MINUTE, env);
    expect(hanOut(added.effects)[0]!.frame).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'added',
    });
    expect(added.state.deviceLog).toMatchObject([{ device: HHT, hht: true, deviceType: 255, joined: false }]);
    const cs14 = readWan(wanOut(added.effects)[0]!, env);
    expect([cs14.mac, cs14.parsed.message.header.messageCode]).toEqual(['valid', 0x0018]);
    const join = step(added.state, han(HHT, joinRequest(HHT)), T0 + 3 * MINUTE, env);
    expect(hanOut(join.effects)[0]!.frame).toEqual({ type: 'join-response', outcome: 'success' });
    expect(join.state.deviceLog[0]!.joined).toBe(true);
  });

  it('forgets CBKE partners at power-down', () => {
    const off = step(withCbke(), { type: 'power', on: false }, T0 + 2 * MINUTE, env).state;
    const on = step(off, { type: 'power', on: true }, T0 + 3 * MINUTE, env).state;
    expect(reply(on, code, T0 + 4 * MINUTE)).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'no-cbke',
    });
  });
});

describe('an HHT re-sending its install code, and power-on while powered', () => {
  const cbke: HanFrame = { type: 'interpan-cbke-request', certificateIssuer: TRUSTED_ISSUER };
  const code: HanFrame = {
    type: 'interpan-install-code',
    installCode: fromHex(INSTALL_CODE[HHT]!),
    deviceType: 255,
  };

  it('reopens the join window of an HHT that has not joined when it re-sends its install code after the window closed', () => {
    const partner = step(poweredChf(env), han(HHT, cbke), T0 + MINUTE, env).state;
    const added = step(partner, han(HHT, code), T0 + 2 * MINUTE, env).state;
    const until = added.deviceLog[0]!.joinWindow!.untilMs;
    const closed = step(
      added,
      { type: 'timer', timer: { name: `join-window:${HHT}`, ref: HHT } },
      until,
      env,
    ).state;
    expect(closed.deviceLog[0]!.joinWindow).toBeNull();
    const refused = step(closed, han(HHT, joinRequest(HHT)), until + MINUTE, env);
    expect(hanOut(refused.effects)[0]!.frame).toEqual({ type: 'join-response', outcome: 'joining-disabled' });

    const again = step(closed, han(HHT, code), until + 2 * MINUTE, env);
    expect(hanOut(again.effects)[0]!.frame).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'added',
    });
    expect(again.state.deviceLog[0]!.joinWindow).toEqual({
      untilMs: until + 2 * MINUTE + closed.interPanJoinTimeoutSeconds * 1000,
      historicUntilMs: null,
    });
    expect(again.effects).toContainEqual({
      kind: 'timer',
      atMs: until + 2 * MINUTE + closed.interPanJoinTimeoutSeconds * 1000,
      timer: { name: `join-window:${HHT}`, ref: HHT },
    });
    expect(wanOut(again.effects)).toEqual([]);
    const join = step(again.state, han(HHT, joinRequest(HHT)), until + 3 * MINUTE, env);
    expect(hanOut(join.effects)[0]!.frame).toEqual({ type: 'join-response', outcome: 'success' });
    expect(join.state.deviceLog[0]!.joined).toBe(true);
  });

  it('opens no window for an HHT already joined that re-sends its install code', () => {
    const partner = step(poweredChf(env), han(HHT, cbke), T0 + MINUTE, env).state;
    const added = step(partner, han(HHT, code), T0 + 2 * MINUTE, env).state;
    const joined = step(added, han(HHT, joinRequest(HHT)), T0 + 3 * MINUTE, env).state;
    const again = step(joined, han(HHT, code), T0 + 4 * MINUTE, env);
    expect(hanOut(again.effects)[0]!.frame).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'added',
    });
    expect(again.state).toEqual(joined);
    expect(again.effects.some((e) => e.kind === 'timer')).toBe(false);
  });

  it('ignores power-on while already powered: CBKE partners kept, the Inter-PAN window not restarted', () => {
    const partner = step(poweredChf(env), han(HHT, cbke), T0 + MINUTE, env).state;
    const again = step(partner, { type: 'power', on: true }, T0 + 30 * MINUTE, env);
    expect(again.state).toEqual(partner);
    expect(again.effects.every((e) => e.kind === 'note')).toBe(true);
    expect(reply(again.state, code, T0 + 31 * MINUTE)).toEqual({
      type: 'interpan-install-code-response',
      outcome: 'added',
    });
    // The window still closes 60 minutes after the first power-up.
    const closed = step(again.state, WINDOW_TIMER, T0 + 60 * MINUTE, env).state;
    expect(beacon(closed, T0 + 61 * MINUTE)).toBe(false);
  });
});
