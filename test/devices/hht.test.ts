// The HHT against a tiny hand-written CHF responder (the real CHF is written elsewhere): beacon, Inter-PAN CBKE,
// install code, then the SMHAN join; and each way it can stop, recorded in its state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/codec/bytes.js';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { JOIN_RETRY_TIMER } from '../../src/devices/device.js';
import { linkKeyFromInstallCode, verifyJoinProof } from '../../src/hub/joining.js';
import {
  createHht,
  INTERPAN_RESPONSE_MS,
  INTERPAN_TIMEOUT_TIMER,
  stepHht,
  type HhtState,
} from '../../src/devices/hht.js';
import type { ActorInput, Effect, HanFrame, InterPanAddOutcome } from '../../src/devices/types.js';
import { ENV, hanDeviceInit, HHT, HUB, INSTALL_CODE, NOW, plain } from '../support/han-commands.js';

const ISSUER = eui64('90B3D51F30000007');

function hht(): HhtState {
  return createHht({ ...hanDeviceInit(HHT), certificateIssuer: ISSUER, deviceType: 0x7f });
}

/** What the stub CHF knows and allows; it records the install codes it was given. */
interface ChfStub {
  windowOpen: boolean;
  issuers: Eui64[];
  addOutcome: InterPanAddOutcome;
  joinOutcomes: ('success' | 'device-log-full')[];
  installCodes: Map<Eui64, Uint8Array>;
  heard: HanFrame['type'][];
}

function chf(changes: Partial<ChfStub> = {}): ChfStub {
  return {
    windowOpen: true,
    issuers: [ISSUER],
    addOutcome: 'added',
    joinOutcomes: [],
    installCodes: new Map(),
    heard: [],
    ...changes,
  };
}

/** The CHF's side of each exchange (domain brief §4.3), answering only what the HHT sent. */
function respond(stub: ChfStub, from: Eui64, frame: HanFrame): HanFrame | undefined {
  stub.heard.push(frame.type);
  switch (frame.type) {
    case 'interpan-beacon-request':
      return { type: 'interpan-beacon', extendedPanId: HUB, permitsInterPan: stub.windowOpen };
    case 'interpan-cbke-request':
      return {
        type: 'interpan-cbke-response',
        outcome: stub.issuers.includes(frame.certificateIssuer) ? 'success' : 'unknown-issuer',
      };
    case 'interpan-install-code':
      if (stub.addOutcome === 'added') stub.installCodes.set(from, frame.installCode);
      return { type: 'interpan-install-code-response', outcome: stub.addOutcome };
    case 'join-request': {
      const known = stub.installCodes.get(from);
      const outcome =
        known === undefined || !verifyJoinProof(from, linkKeyFromInstallCode(known), frame.keyProof)
          ? 'not-in-device-log'
          : (stub.joinOutcomes.shift() ?? 'success');
      return { type: 'join-response', outcome };
    }
    default:
      return undefined;
  }
}

/** Runs the HHT against the stub until neither has anything to say; returns its state and every effect. */
function run(state: HhtState, input: ActorInput, stub: ChfStub, now = NOW) {
  const effects: Effect[] = [];
  const queue: ActorInput[] = [input];
  while (queue.length > 0) {
    const step = stepHht(state, queue.shift()!, now, ENV);
    state = step.state;
    effects.push(...step.effects);
    for (const e of step.effects) {
      if (e.kind !== 'han' || e.to !== HUB) continue;
      const answer = respond(stub, HHT, e.frame);
      if (answer !== undefined) queue.push({ type: 'han', from: HUB, frame: answer });
    }
  }
  return { state, effects };
}

const POWER_ON: ActorInput = { type: 'power', on: true };

describe('HHT Inter-PAN joining', () => {
  it('starts idle and compact, with nothing carried', () => {
    const state = hht();
    expect(state).toMatchObject({ kind: 'HHT', stage: 'idle', failure: null, hanJoined: false });
    expect(plain(state).length).toBeLessThan(1024);
  });

  it('with the window open: beacon, CBKE, install code, added, then joins the SMHAN', () => {
    const stub = chf();
    const { state } = run(hht(), POWER_ON, stub);
    expect(stub.heard).toEqual([
      'interpan-beacon-request',
      'interpan-cbke-request',
      'interpan-install-code',
      'join-request',
    ]);
    expect(stub.installCodes.get(HHT)).toEqual(fromHex(INSTALL_CODE));
    expect(state).toMatchObject({ stage: 'joined', failure: null, hanJoined: true });
  });

  it('a beacon without permitsInterPan ends the attempt with window-closed, before any CBKE', () => {
    const stub = chf({ windowOpen: false });
    const { state, effects } = run(hht(), POWER_ON, stub);
    expect(stub.heard).toEqual(['interpan-beacon-request']);
    expect(state).toMatchObject({ stage: 'discovering', failure: 'window-closed', hanJoined: false });
    expect(effects).toContainEqual({ kind: 'cancel-timer', name: INTERPAN_TIMEOUT_TIMER });
  });

  it('a certificate issuer the CH does not know ends it with unknown-issuer, no install code sent', () => {
    const stub = chf({ issuers: [] });
    const { state } = run(hht(), POWER_ON, stub);
    expect(stub.heard).toEqual(['interpan-beacon-request', 'interpan-cbke-request']);
    expect(state).toMatchObject({ stage: 'key-establishment', failure: 'unknown-issuer' });
  });

  it('a full CHF Device Log ends it with device-log-full', () => {
    const { state } = run(hht(), POWER_ON, chf({ addOutcome: 'device-log-full' }));
    expect(state).toMatchObject({ stage: 'adding', failure: 'device-log-full', hanJoined: false });
  });

  it('a CH that never answers ends it with no-response when its timer falls due', () => {
    const on = stepHht(hht(), POWER_ON, NOW, ENV);
    const timer = on.effects.find((e) => e.kind === 'timer');
    expect(timer).toEqual({
      kind: 'timer',
      atMs: NOW + INTERPAN_RESPONSE_MS,
      timer: { name: INTERPAN_TIMEOUT_TIMER },
    });
    const late = stepHht(
      on.state,
      { type: 'timer', timer: { name: INTERPAN_TIMEOUT_TIMER } },
      NOW + INTERPAN_RESPONSE_MS,
      ENV,
    );
    expect(late.state).toMatchObject({ stage: 'discovering', failure: 'no-response' });
  });

  it('power-cycling after window-closed tries again and succeeds once the window is open', () => {
    const stub = chf({ windowOpen: false });
    const failed = run(hht(), POWER_ON, stub).state;
    stub.windowOpen = true;
    const off = run(failed, { type: 'power', on: false }, stub).state;
    expect(off.stage).toBe('idle');
    const { state } = run(off, POWER_ON, stub, NOW + 60_000);
    expect(state).toMatchObject({ stage: 'joined', failure: null, hanJoined: true });
  });

  it('an SMHAN join refusal is recorded and retried; the retry that succeeds clears it', () => {
    const stub = chf({ joinOutcomes: ['device-log-full'] });
    const refused = run(hht(), POWER_ON, stub);
    expect(refused.state).toMatchObject({ stage: 'joining', failure: 'device-log-full', hanJoined: false });
    expect(refused.effects).toContainEqual(
      expect.objectContaining({ kind: 'timer', timer: { name: JOIN_RETRY_TIMER } }),
    );
    const { state } = run(
      refused.state,
      { type: 'timer', timer: { name: JOIN_RETRY_TIMER } },
      stub,
      NOW + 300_000,
    );
    expect(state).toMatchObject({ stage: 'joined', failure: null, hanJoined: true });
  });

  it('ignores Inter-PAN answers from another party and answers out of turn', () => {
    const on = stepHht(hht(), POWER_ON, NOW, ENV).state;
    const stranger = stepHht(
      on,
      {
        type: 'han',
        from: eui64('00DB1234567890FF'),
        frame: { type: 'interpan-beacon', extendedPanId: HUB, permitsInterPan: true },
      },
      NOW,
      ENV,
    );
    expect(stranger.state).toBe(on);
    const outOfTurn = stepHht(
      on,
      { type: 'han', from: HUB, frame: { type: 'interpan-install-code-response', outcome: 'added' } },
      NOW,
      ENV,
    );
    expect(outOfTurn.state).toBe(on);
  });

  it('an HHT already on the SMHAN stays there at power-on', () => {
    const joined = run(hht(), POWER_ON, chf()).state;
    const again = stepHht(joined, POWER_ON, NOW, ENV);
    expect(again.state).toBe(joined);
    expect(again.effects).toEqual([]);
  });

  it('an HHT removed from the Device Log once joined leaves the SMHAN and goes back to joining', () => {
    const stub = chf();
    const joined = run(hht(), POWER_ON, stub).state;
    const removed = stepHht(
      joined,
      { type: 'han', from: HUB, frame: { type: 'join-response', outcome: 'not-in-device-log' } },
      NOW,
      ENV,
    );
    expect(removed.state).toMatchObject({ stage: 'joining', failure: 'not-in-device-log', hanJoined: false });
    expect(removed.effects).toContainEqual(
      expect.objectContaining({ kind: 'timer', timer: { name: JOIN_RETRY_TIMER } }),
    );
    const { state } = run(
      removed.state,
      { type: 'timer', timer: { name: JOIN_RETRY_TIMER } },
      stub,
      NOW + 300_000,
    );
    expect(state).toMatchObject({ stage: 'joined', failure: null, hanJoined: true });
  });

  it('random frames from the hub never throw', () => {
    const frame = fc.oneof(
      fc.record({
        type: fc.constant('interpan-beacon' as const),
        extendedPanId: fc.constant(HUB),
        permitsInterPan: fc.boolean(),
      }),
      fc.record({
        type: fc.constant('interpan-cbke-response' as const),
        outcome: fc.constantFrom('success', 'unknown-issuer', 'bad-key-confirmation', 'no-response' as const),
      }),
      fc.record({
        type: fc.constant('interpan-install-code-response' as const),
        outcome: fc.constantFrom('added', 'window-closed', 'no-cbke', 'device-log-full' as const),
      }),
      fc.record({ type: fc.constant('gbcs' as const), bytes: fc.uint8Array({ maxLength: 100 }) }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), (frames) => {
        let state = stepHht(hht(), POWER_ON, NOW, ENV).state;
        for (const f of frames)
          state = stepHht(state, { type: 'han', from: HUB, frame: f as HanFrame }, NOW, ENV).state;
        expect(['idle', 'discovering', 'key-establishment', 'adding', 'joining', 'joined']).toContain(
          state.stage,
        );
      }),
    );
  });
});
