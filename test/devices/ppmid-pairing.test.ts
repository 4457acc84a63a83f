// A PPMID posted to the consumer pairs locally over Inter-PAN (SECMP0037), against the real CHF: the HHT's client
// flow with device type 132, an ordinary PPMID entry in the Device Log, and each way it can stop recorded in its
// `pairing`, with retries that succeed once the hub's window is open again.
import { describe, expect, it } from 'vitest';
import type { Eui64 } from '../../src/codec/eui64.js';
import { JOIN_RETRY_TIMER } from '../../src/devices/device.js';
import { INTERPAN_TIMEOUT_TIMER } from '../../src/devices/interpan-client.js';
import {
  DEFAULT_PAIRING_RETRY_MS,
  PAIRING_RETRY_TIMER,
  withLocalPairing,
  type LocalPairingOptions,
} from '../../src/devices/ppmid-pairing.js';
import { createPpmid, stepPpmid, type PpmidState } from '../../src/devices/ppmid.js';
import type { ActorEnv, ActorInput, Effect, HanFrame } from '../../src/devices/types.js';
import { stepChf, type ChfState } from '../../src/hub/chf.js';
import {
  ACB,
  CHF,
  env,
  INSTALL_CODE,
  MINUTE,
  newChf,
  poweredChf,
  PPMID,
  ROGUE_ISSUER,
  SUPPLIER,
  T0,
  TRUSTED_ISSUER,
} from '../support/chf-commands.js';

const HOUR = 60 * MINUTE;

function posted(o: Partial<LocalPairingOptions> = {}): PpmidState {
  const ppmid = createPpmid({
    eui: PPMID,
    hub: CHF,
    parties: { acb: ACB, supplier: SUPPLIER },
    installCode: INSTALL_CODE[PPMID]!,
  });
  return withLocalPairing(ppmid, { certificateIssuer: TRUSTED_ISSUER, ...o });
}

interface World {
  ppmid: PpmidState;
  chf: ChfState;
  /** The PPMID's pending timers by name. */
  timers: Map<string, number>;
  heard: HanFrame['type'][];
}

/** Delivers `input` to the PPMID at `now` and every HAN frame between it and the CHF until both are quiet. */
function run(w: World, input: ActorInput, now: number, e: ActorEnv = env): World {
  const queue: { to: Eui64; input: ActorInput }[] = [{ to: PPMID, input }];
  let { ppmid, chf } = w;
  const timers = new Map(w.timers);
  const heard = [...w.heard];
  while (queue.length > 0) {
    const next = queue.shift()!;
    let effects: readonly Effect[];
    if (next.to === PPMID) {
      const out = stepPpmid(ppmid, next.input, now, e);
      ppmid = out.state;
      effects = out.effects;
      for (const f of effects) {
        if (f.kind === 'timer') timers.set(f.timer.name, f.atMs);
        if (f.kind === 'cancel-timer') timers.delete(f.name);
      }
    } else {
      if (next.input.type === 'han') heard.push(next.input.frame.type);
      const out = stepChf(chf, next.input, now, e);
      chf = out.state;
      effects = out.effects.filter((f) => f.kind !== 'timer');
    }
    const from = next.to;
    for (const f of effects)
      if (f.kind === 'han') queue.push({ to: f.to, input: { type: 'han', from, frame: f.frame } });
  }
  return { ppmid, chf, timers, heard };
}

function world(chf: ChfState, ppmid = posted()): World {
  return { ppmid, chf, timers: new Map(), heard: [] };
}

/** Fires the PPMID's pending timer `name`. */
function fire(w: World, name: string): World {
  const at = w.timers.get(name);
  expect(at).toBeDefined();
  const timers = new Map(w.timers);
  timers.delete(name);
  return run({ ...w, timers }, { type: 'timer', timer: { name } }, at!);
}

const POWER_ON: ActorInput = { type: 'power', on: true };
const closeWindow = (chf: ChfState, at: number): ChfState =>
  stepChf(chf, { type: 'timer', timer: { name: 'interpan-window' } }, at, env).state;

describe('a posted PPMID pairing locally', () => {
  it('switched on within the window: beacon, CBKE, install code, an ordinary PPMID entry, then the SMHAN', () => {
    const w = run(world(poweredChf(env)), POWER_ON, T0 + 5 * MINUTE);
    expect(w.heard).toEqual([
      'interpan-beacon-request',
      'interpan-cbke-request',
      'interpan-install-code',
      'join-request',
    ]);
    expect(w.ppmid.hanJoined).toBe(true);
    expect(w.ppmid.pairing).toMatchObject({
      stage: 'joined',
      failure: null,
      attempts: 1,
      deviceType: 132,
      pairedAtMs: T0 + 5 * MINUTE,
    });
    expect(w.chf.deviceLog).toMatchObject([{ device: PPMID, deviceType: 132, joined: true }]);
    expect(w.chf.deviceLog[0]!.hht).toBeUndefined();
    expect(w.chf.interPanDefence).toBeUndefined();
  });

  it('switched on after the window closed: stops at discovery with window-closed, retries, pairs after a hub power cycle', () => {
    const closed = closeWindow(poweredChf(env), T0 + HOUR);
    let w = run(world(closed), POWER_ON, T0 + 3 * 24 * HOUR);
    expect(w.heard).toEqual(['interpan-beacon-request']);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'discovering', failure: 'window-closed', attempts: 1 });
    expect(w.ppmid.hanJoined).toBe(false);
    expect(w.timers.get(PAIRING_RETRY_TIMER)).toBe(T0 + 3 * 24 * HOUR + DEFAULT_PAIRING_RETRY_MS);
    expect(w.timers.has(INTERPAN_TIMEOUT_TIMER)).toBe(false);

    // Still closed at the retry: it fails again and keeps trying.
    w = fire(w, PAIRING_RETRY_TIMER);
    expect(w.ppmid.pairing).toMatchObject({ failure: 'window-closed', attempts: 2 });

    // The hub is power-cycled: its window reopens, and the next retry pairs.
    const t = w.timers.get(PAIRING_RETRY_TIMER)! - MINUTE;
    const off = stepChf(w.chf, { type: 'power', on: false }, t - MINUTE, env).state;
    w = { ...w, chf: stepChf(off, POWER_ON, t, env).state };
    w = fire(w, PAIRING_RETRY_TIMER);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'joined', failure: null, attempts: 3 });
    expect(w.ppmid.hanJoined).toBe(true);
    expect(w.chf.deviceLog).toMatchObject([{ device: PPMID, deviceType: 132, joined: true }]);
  });

  it('with retries off, tries only when switched on', () => {
    const closed = closeWindow(poweredChf(env), T0 + HOUR);
    let w = run(world(closed, posted({ retryMs: null })), POWER_ON, T0 + 2 * HOUR);
    expect(w.ppmid.pairing).toMatchObject({ failure: 'window-closed', attempts: 1 });
    expect(w.timers.has(PAIRING_RETRY_TIMER)).toBe(false);
    const off = stepChf(w.chf, { type: 'power', on: false }, T0 + 3 * HOUR, env).state;
    w = { ...w, chf: stepChf(off, POWER_ON, T0 + 3 * HOUR, env).state };
    w = run(w, { type: 'power', on: false }, T0 + 3 * HOUR + MINUTE);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'idle', failure: 'window-closed' });
    w = run(w, POWER_ON, T0 + 3 * HOUR + 2 * MINUTE);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'joined', failure: null, attempts: 2 });
  });

  it('with a certificate the hub does not trust, stops at key establishment with unknown-issuer', () => {
    const w = run(world(poweredChf(env), posted({ certificateIssuer: ROGUE_ISSUER })), POWER_ON, T0 + MINUTE);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'key-establishment', failure: 'unknown-issuer' });
    expect(w.chf.deviceLog).toEqual([]);
    expect(w.timers.has(PAIRING_RETRY_TIMER)).toBe(true);
  });

  it('with its hub unpowered, times out with no-response and tries again later', () => {
    let w = run(world(newChf()), POWER_ON, T0);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'discovering', failure: null });
    w = fire(w, INTERPAN_TIMEOUT_TIMER);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'discovering', failure: 'no-response' });
    expect(w.timers.has(PAIRING_RETRY_TIMER)).toBe(true);
    w = { ...w, chf: stepChf(w.chf, POWER_ON, T0 + MINUTE, env).state };
    w = fire(w, PAIRING_RETRY_TIMER);
    expect(w.ppmid.pairing).toMatchObject({ stage: 'joined', attempts: 2 });
  });

  it('once paired, behaves as any PPMID on the SMHAN: power-on starts no Inter-PAN', () => {
    const paired = run(world(poweredChf(env)), POWER_ON, T0 + MINUTE).ppmid;
    const again = stepPpmid(paired, POWER_ON, T0 + 2 * MINUTE, env);
    expect(again.effects.filter((e) => e.kind === 'han')).toEqual([]);
    expect(again.state.pairing).toEqual(paired.pairing);
  });

  it('leaves an ordinary PPMID (whitelisted by CCS01) joining the SMHAN directly', () => {
    const ordinary = createPpmid({
      eui: PPMID,
      hub: CHF,
      parties: { acb: ACB, supplier: SUPPLIER },
      installCode: INSTALL_CODE[PPMID]!,
    });
    const on = stepPpmid(ordinary, POWER_ON, T0, env);
    expect(on.effects).toContainEqual(
      expect.objectContaining({ kind: 'han', frame: expect.objectContaining({ type: 'join-request' }) }),
    );
    expect(on.effects).toContainEqual(
      expect.objectContaining({ kind: 'timer', timer: { name: JOIN_RETRY_TIMER } }),
    );
    expect(on.state.pairing).toBeUndefined();
  });
});
