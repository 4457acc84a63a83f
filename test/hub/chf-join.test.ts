// SMHAN joining at the CHF: install-code key, wrong proof, join_timeout, Device Log membership and capacity,
// historic link key re-use for the first half of join_timeout, rejoin, and a device driven by handleHanJoining.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { handleHanJoining, initCore, type DeviceCore } from '../../src/devices/device.js';
import type { HanFrame } from '../../src/devices/types.js';
import type { ChfState } from '../../src/hub/chf.js';
import {
  joinKeyProof,
  joinRequestFrame,
  linkKeyFromInstallCode,
  linkKeyHash,
} from '../../src/hub/joining.js';
import {
  ACB,
  ccs01,
  ccs02,
  chfAdded,
  CHF,
  env,
  ESME,
  GSME,
  han,
  hanOut,
  INSTALL_CODE,
  poweredChf,
  readWan,
  step,
  SUPPLIER,
  T0,
  wan,
  wanOut,
} from '../support/chf-commands.js';

const CODE = fromHex(INSTALL_CODE[ESME]!);
const NEW_CODE = 'C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF';

function joinOutcome(effects: ReturnType<typeof step>['effects']): string | undefined {
  const frame = hanOut(effects).find((h) => h.frame.type === 'join-response')?.frame;
  return frame?.type === 'join-response' ? frame.outcome : undefined;
}

function proofFor(code: Uint8Array | string): HanFrame {
  return joinRequestFrame(ESME, typeof code === 'string' ? fromHex(code) : code);
}

describe('joining with the install-code link key', () => {
  it('succeeds with the right install code: entry joined, CS14 carries the link key hash', () => {
    const out = step(chfAdded(env), han(ESME, proofFor(CODE)), T0 + 10_000, env);
    expect(joinOutcome(out.effects)).toBe('success');
    expect(hanOut(out.effects)[0]!.to).toBe(ESME);
    const key = linkKeyFromInstallCode(CODE);
    const entry = out.state.deviceLog[0]!;
    expect(entry).toMatchObject({ joined: true, installCode: null, linkKey: toHex(key), joinWindow: null });
    expect(entry.linkKeyHash).toBe(toHex(linkKeyHash(key)));
    const [alert] = wanOut(out.effects).map((b) => readWan(b, env));
    expect(alert!.mac).toBe('valid');
    expect(alert!.parsed.message.header.messageCode).toBe(0x0018);
    expect(toHex(alert!.parsed.bytes)).toContain(entry.linkKeyHash);
    expect(out.effects).toContainEqual({ kind: 'cancel-timer', name: `join-window:${ESME}` });
  });

  it('refuses a wrong key with bad-key-confirmation and does not join', () => {
    const s = chfAdded(env);
    const out = step(s, han(ESME, proofFor('00'.repeat(16))), T0 + 10_000, env);
    expect(joinOutcome(out.effects)).toBe('bad-key-confirmation');
    expect(out.state.deviceLog[0]!.joined).toBe(false);
    expect(wanOut(out.effects)).toEqual([]);
  });

  it('refuses a proof made for another device with the right key', () => {
    const proof: HanFrame = {
      type: 'join-request',
      keyProof: joinKeyProof(GSME, linkKeyFromInstallCode(CODE)),
    };
    expect(joinOutcome(step(chfAdded(env), han(ESME, proof), T0, env).effects)).toBe('bad-key-confirmation');
  });

  it('refuses joining once join_timeout has elapsed, and the timer closes the window', () => {
    const s = chfAdded(env);
    expect(joinOutcome(step(s, han(ESME, proofFor(CODE)), T0 + 90_000, env).effects)).toBe(
      'joining-disabled',
    );
    const closed = step(
      s,
      { type: 'timer', timer: { name: `join-window:${ESME}`, ref: ESME } },
      T0 + 90_000,
      env,
    );
    expect(closed.state.deviceLog[0]!.joinWindow).toBeNull();
    expect(joinOutcome(step(closed.state, han(ESME, proofFor(CODE)), T0 + 91_000, env).effects)).toBe(
      'joining-disabled',
    );
  });

  it('keeps the window open when a stale timer fires before the window of a later CCS01 ends', () => {
    const s = chfAdded(env);
    const later = step(
      s,
      wan(ccs01(env, { counter: 2n, device: ESME, joinTimeoutSeconds: 600 })),
      T0 + 60_000,
      env,
    );
    const stale = step(
      later.state,
      { type: 'timer', timer: { name: `join-window:${ESME}`, ref: ESME } },
      T0 + 90_000,
      env,
    );
    expect(joinOutcome(step(stale.state, han(ESME, proofFor(CODE)), T0 + 100_000, env).effects)).toBe(
      'success',
    );
  });

  it('answers not-in-device-log to an unknown device, device-log-full when the log is full too', () => {
    expect(joinOutcome(step(poweredChf(env), han(ESME, proofFor(CODE)), T0, env).effects)).toBe(
      'not-in-device-log',
    );
    const full = poweredChf(env, T0, { deviceLogCapacity: 0 });
    expect(joinOutcome(step(full, han(ESME, proofFor(CODE)), T0, env).effects)).toBe('device-log-full');
  });

  it('lets a joined device rejoin with its key, without a new CS14', () => {
    const joined = step(chfAdded(env), han(ESME, proofFor(CODE)), T0, env).state;
    const out = step(joined, han(ESME, proofFor(CODE)), T0 + 3_600_000, env);
    expect(joinOutcome(out.effects)).toBe('success');
    expect(wanOut(out.effects)).toEqual([]);
    expect(joinOutcome(step(joined, han(ESME, proofFor(NEW_CODE)), T0, env).effects)).toBe(
      'bad-key-confirmation',
    );
  });

  it('cannot confirm a device whose key was restored as a hash only (CCS03)', () => {
    const restored: ChfState = {
      ...poweredChf(env),
      deviceLog: [
        { ...chfAdded(env).deviceLog[0]!, joined: true, installCode: null, linkKeyHash: 'AB'.repeat(16) },
      ],
    };
    expect(joinOutcome(step(restored, han(ESME, proofFor(CODE)), T0, env).effects)).toBe(
      'bad-key-confirmation',
    );
  });
});

describe('historic link key re-use (CCS01 on a device in the Historic Device Log)', () => {
  /** ESME joined with CODE, removed, then added again with NEW_CODE and join_timeout 90 s at T0 + 1 min. */
  function readded(): { state: ChfState; at: number } {
    const joined = step(chfAdded(env), han(ESME, proofFor(CODE)), T0, env).state;
    const removed = step(joined, wan(ccs02(env, 2n, ESME)), T0 + 30_000, env).state;
    const at = T0 + 60_000;
    const s = step(
      removed,
      wan(ccs01(env, { counter: 3n, device: ESME, installCode: NEW_CODE })),
      at,
      env,
    ).state;
    return { state: s, at };
  }

  it('opens the window with the historic key for its first half', () => {
    const { state, at } = readded();
    expect(state.deviceLog[0]!.joinWindow).toEqual({ untilMs: at + 90_000, historicUntilMs: at + 45_000 });
  });

  it('accepts the old link key in the first half and reports its hash in CS14', () => {
    const { state, at } = readded();
    const out = step(state, han(ESME, proofFor(CODE)), at + 44_000, env);
    expect(joinOutcome(out.effects)).toBe('success');
    const oldHash = toHex(linkKeyHash(linkKeyFromInstallCode(CODE)));
    expect(out.state.deviceLog[0]!.linkKeyHash).toBe(oldHash);
    expect(toHex(readWan(wanOut(out.effects)[0]!, env).parsed.bytes)).toContain(oldHash);
  });

  it('refuses the new install code in the first half and the old key in the second', () => {
    const { state, at } = readded();
    expect(joinOutcome(step(state, han(ESME, proofFor(NEW_CODE)), at + 10_000, env).effects)).toBe(
      'bad-key-confirmation',
    );
    expect(joinOutcome(step(state, han(ESME, proofFor(CODE)), at + 45_000, env).effects)).toBe(
      'bad-key-confirmation',
    );
  });

  it('falls back to the install code for the second half', () => {
    const { state, at } = readded();
    const out = step(state, han(ESME, proofFor(NEW_CODE)), at + 60_000, env);
    expect(joinOutcome(out.effects)).toBe('success');
    expect(out.state.deviceLog[0]!.linkKey).toBe(toHex(linkKeyFromInstallCode(fromHex(NEW_CODE))));
  });
});

describe('a device using the framework joining (handleHanJoining)', () => {
  it('joins its CHF on power-up once CCS01 has opened the window', () => {
    let device: DeviceCore = initCore('ESME', {
      eui: ESME,
      hub: CHF,
      parties: { acb: ACB, supplier: SUPPLIER },
      installCode: INSTALL_CODE[ESME]!,
    });
    const chf = chfAdded(env);
    const request = handleHanJoining(device, { type: 'power', on: true }, T0 + 5_000)!;
    const sent = hanOut(request.effects)[0]!;
    expect(sent.to).toBe(CHF);
    const answer = step(chf, han(ESME, sent.frame), T0 + 5_000, env);
    const reply = hanOut(answer.effects)[0]!;
    device = handleHanJoining(device, { type: 'han', from: CHF, frame: reply.frame }, T0 + 5_000)!.state;
    expect(device.hanJoined).toBe(true);
    expect(answer.state.deviceLog[0]!.joined).toBe(true);
  });
});

describe('a refused join changes nothing at the CHF', () => {
  it('does not update lastHeardMs for a bad key proof, a closed window or a failed rejoin; a success does', () => {
    const s = chfAdded(env);
    for (const [state, at, proof] of [
      [s, T0 + 10_000, proofFor('00'.repeat(16))],
      [s, T0 + 90_000, proofFor(CODE)],
    ] as const) {
      const out = step(state, han(ESME, proof), at, env);
      expect(joinOutcome(out.effects)).not.toBe('success');
      expect(out.state).toEqual(state);
    }
    const joined = step(s, han(ESME, proofFor(CODE)), T0 + 10_000, env).state;
    expect(joined.deviceLog[0]!.lastHeardMs).toBe(T0 + 10_000);
    const forged = step(joined, han(ESME, proofFor(NEW_CODE)), T0 + 20_000, env);
    expect(joinOutcome(forged.effects)).toBe('bad-key-confirmation');
    expect(forged.state).toEqual(joined);
    const rejoined = step(joined, han(ESME, proofFor(CODE)), T0 + 30_000, env);
    expect(rejoined.state.deviceLog[0]!.lastHeardMs).toBe(T0 + 30_000);
  });
});

describe('CCS02 makes the removed device leave the SMHAN (handleHanJoining)', () => {
  const newDevice = (): DeviceCore =>
    initCore('ESME', {
      eui: ESME,
      hub: CHF,
      parties: { acb: ACB, supplier: SUPPLIER },
      installCode: INSTALL_CODE[ESME]!,
    });

  /** Runs the device's join request through the CHF and its answer back through the device. */
  function joinVia(device: DeviceCore, chf: ChfState, at: number): { device: DeviceCore; chf: ChfState } {
    const request = handleHanJoining(device, { type: 'timer', timer: { name: 'join-retry' } }, at)!;
    const sent = hanOut(request.effects).find((h) => h.frame.type === 'join-request')!;
    const answer = step(chf, han(ESME, sent.frame), at, env);
    const reply = hanOut(answer.effects).find((h) => h.to === ESME)!;
    const next = handleHanJoining(device, { type: 'han', from: CHF, frame: reply.frame }, at)!.state;
    return { device: next, chf: answer.state };
  }

  function removed(): { device: DeviceCore; chf: ChfState; leave: ReturnType<typeof step> } {
    const joined = joinVia(newDevice(), chfAdded(env), T0 + 5_000);
    expect(joined.device.hanJoined).toBe(true);
    const leave = step(joined.chf, wan(ccs02(env, 2n, ESME)), T0 + 60_000, env);
    return { device: joined.device, chf: leave.state, leave };
  }

  it('CCS02 sends the removed device a not-in-device-log join-response, which makes a joined device leave and retry', () => {
    const { device, leave } = removed();
    expect(hanOut(leave.effects)).toContainEqual({
      to: ESME,
      frame: { type: 'join-response', outcome: 'not-in-device-log' },
    });
    const left = handleHanJoining(
      device,
      { type: 'han', from: CHF, frame: { type: 'join-response', outcome: 'not-in-device-log' } },
      T0 + 60_000,
    )!;
    expect(left.state.hanJoined).toBe(false);
    expect(left.effects).toContainEqual({
      kind: 'timer',
      atMs: T0 + 60_000 + 5 * 60_000,
      timer: { name: 'join-retry' },
    });
  });

  it('a not-in-device-log answer from another party, or to a device not joined, does not make it leave', () => {
    const { device } = removed();
    const frame: HanFrame = { type: 'join-response', outcome: 'not-in-device-log' };
    const stranger = handleHanJoining(device, { type: 'han', from: GSME, frame }, T0);
    expect(stranger).toBeUndefined();
    const unjoined = handleHanJoining(newDevice(), { type: 'han', from: CHF, frame }, T0)!;
    expect(unjoined.state.hanJoined).toBe(false);
    expect(unjoined.effects.every((e) => e.kind === 'note')).toBe(true);
  });

  it('after CCS02 then CCS01 again the device rejoins with its historic link key', () => {
    const { device, chf, leave } = removed();
    const reply = hanOut(leave.effects).find((h) => h.to === ESME)!;
    const left = handleHanJoining(device, { type: 'han', from: CHF, frame: reply.frame }, T0 + 60_000)!.state;
    const readded = step(chf, wan(ccs01(env, { counter: 3n, device: ESME })), T0 + 120_000, env).state;
    const again = joinVia(left, readded, T0 + 130_000);
    expect(again.device.hanJoined).toBe(true);
    expect(again.chf.deviceLog[0]).toMatchObject({ device: ESME, joined: true });
    expect(again.chf.deviceLog[0]!.linkKeyHash).toBe(toHex(linkKeyHash(linkKeyFromInstallCode(CODE))));
  });

  it('after CCS02 then CCS01 again the device rejoins with its install code in the second half of the window', () => {
    const { device, chf, leave } = removed();
    const reply = hanOut(leave.effects).find((h) => h.to === ESME)!;
    const left = handleHanJoining(device, { type: 'han', from: CHF, frame: reply.frame }, T0 + 60_000)!.state;
    const readded = step(chf, wan(ccs01(env, { counter: 3n, device: ESME })), T0 + 120_000, env).state;
    // The historic half is over (join_timeout 90 s): the install-code key (the same here) is accepted.
    const again = joinVia(left, readded, T0 + 120_000 + 50_000);
    expect(again.device.hanJoined).toBe(true);
    expect(again.chf.deviceLog[0]).toMatchObject({ device: ESME, joined: true });
  });
});
