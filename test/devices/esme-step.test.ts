// The ESME as an actor: creation, SMHAN joining, mains power, the consumer at the meter, compactness, and the
// property that no bytes from the HAN can do more than add to the security log.
import { serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOIN_RETRY_TIMER } from '../../src/devices/device.js';
import { createEsme, ESME_CODES, ESME_USE_CASES, stepEsme, type EsmeState } from '../../src/devices/esme.js';
import type { ActorInput } from '../../src/devices/types.js';
import {
  ACB,
  CHF,
  deliver,
  ESME,
  fleetEnv,
  INSTALL_CODE,
  joinedEsme,
  NOW,
  sealCommand,
  send,
  SUPPLIER,
  typed,
  utrnFor,
  withoutSecurityEffects,
} from '../support/esme-commands.js';
import { EMPTY_LEDGER } from '../../src/prepayment/ledger.js';

const env = fleetEnv();
const step = (state: EsmeState, input: ActorInput, now = NOW) => stepEsme(state, input, now, env);
const gbcs = (bytes: Uint8Array): ActorInput => ({ type: 'han', from: CHF, frame: { type: 'gbcs', bytes } });

describe('ESME creation and joining', () => {
  const fresh = createEsme({
    eui: ESME,
    hub: CHF,
    parties: { acb: ACB, supplier: SUPPLIER },
    installCode: INSTALL_CODE,
  });

  it('starts powered, supplying, in credit mode, registers at zero, off the SMHAN', () => {
    expect(fresh).toMatchObject({
      kind: 'ESME',
      powered: true,
      supply: 'enabled',
      hanJoined: false,
      registers: { activeWh: 0, reactiveVarh: 0 },
      prepayment: { mode: 'credit', ledger: { ...EMPTY_LEDGER, meterBalance: 0 }, utrnCounters: [] },
    });
  });

  it('asks its CHF to join on power-up and becomes joined on a successful join response', () => {
    const asked = step(fresh, { type: 'power', on: true });
    expect(asked.effects.map((e) => e.kind)).toEqual(['han', 'timer']);
    expect(asked.effects[0]).toMatchObject({ kind: 'han', to: CHF, frame: { type: 'join-request' } });
    const joined = step(asked.state, {
      type: 'han',
      from: CHF,
      frame: { type: 'join-response', outcome: 'success' },
    });
    expect(joined.state.hanJoined).toBe(true);
    expect(joined.effects).toEqual([{ kind: 'cancel-timer', name: JOIN_RETRY_TIMER }]);
  });

  it('does not hear GBCS frames before it has joined', () => {
    const bytes = sealCommand(env, {
      messageCode: ESME_USE_CASES.ECS52,
      counter: 1n,
      request: typed.ecs52(),
    });
    const heard = step(fresh, gbcs(bytes));
    expect(heard.state).toBe(fresh);
    expect(heard.effects.every((e) => e.kind === 'note')).toBe(true);
  });
});

describe('ESME mains power', () => {
  it('goes quiet without power and logs the interruption and the restoration', () => {
    const off = step(joinedEsme(), { type: 'power', on: false });
    expect(off.state.powered).toBe(false);
    const bytes = sealCommand(env, {
      messageCode: ESME_USE_CASES.ECS52,
      counter: 1n,
      request: typed.ecs52(),
    });
    expect(step(off.state, gbcs(bytes))).toEqual({ state: off.state, effects: [] });
    expect(step(off.state, { type: 'local', action: { kind: 'restore-supply' } }).state).toBe(off.state);
    const on = step(off.state, { type: 'power', on: true }, NOW + 60_000);
    expect(on.state.powered).toBe(true);
    expect(on.state.eventLog).toEqual([
      { atMs: NOW, code: ESME_CODES.supplyInterrupted },
      { atMs: NOW + 60_000, code: ESME_CODES.supplyOutageRestored },
    ]);
    expect(on.effects).toEqual([]);
  });
});

describe('ESME consumer actions', () => {
  it('closes an armed load switch at the consumer’s button, logging 0x8161', () => {
    const pressed = step(joinedEsme({ supply: 'armed' }), {
      type: 'local',
      action: { kind: 'restore-supply' },
    });
    expect(pressed.state.supply).toBe('enabled');
    expect(pressed.state.eventLog).toEqual([{ atMs: NOW, code: ESME_CODES.userInterfaceCommandActioned }]);
  });

  it('does nothing at the button when the supply is disabled, not armed', () => {
    const before = joinedEsme({ supply: 'disabled' });
    expect(step(before, { type: 'local', action: { kind: 'restore-supply' } }).state).toBe(before);
  });

  it('goes disabled → armed → enabled through ECS43, ECS44 and the button', () => {
    const disabled = send(joinedEsme(), env, {
      messageCode: ESME_USE_CASES.ECS43,
      counter: 1n,
      request: typed.ecs43(),
    });
    const armed = send(disabled.state, env, {
      messageCode: ESME_USE_CASES.ECS44,
      counter: 2n,
      request: typed.ecs44(),
    });
    const restored = step(armed.state, { type: 'local', action: { kind: 'restore-supply' } });
    expect([disabled.state.supply, armed.state.supply, restored.state.supply]).toEqual([
      'disabled',
      'armed',
      'enabled',
    ]);
  });

  it('activates emergency credit at the consumer’s request only while it is on offer', () => {
    const refused = step(joinedEsme(), { type: 'local', action: { kind: 'activate-emergency-credit' } });
    expect(refused.state.prepayment.ledger.emergencyCreditActive).toBe(false);
    const onOffer = joinedEsme({
      prepayment: { mode: 'prepayment', emergencyCreditLimit: 500_000, emergencyCreditThreshold: 100_000 },
    });
    const taken = step(onOffer, { type: 'local', action: { kind: 'activate-emergency-credit' } });
    expect(taken.state.prepayment.ledger).toMatchObject({
      emergencyCreditActive: true,
      emergencyCreditBalance: 500_000,
    });
    expect(taken.state.eventLog.map((e) => e.code)).toContain(ESME_CODES.emergencyCreditActivated);
  });
});

describe('ESME state', () => {
  /** A meter after a typical life: prepayment set up, five top-ups, switch cycled, clock set. */
  function busyEsme(): EsmeState {
    let s = joinedEsme();
    let counter = 1n;
    const run = (messageCode: number, request: Parameters<typeof sealCommand>[1]['request']) => {
      s = send(s, env, { messageCode, counter: counter++, request }).state;
    };
    run(ESME_USE_CASES.ECS03, typed.ecs03(556_677));
    run(
      ESME_USE_CASES.ECS08,
      typed.ecs08({
        maxMeterBalance: 5e6,
        maxCreditThreshold: 1e6,
        debtRecoveryRateCap: 30,
        lowCreditThreshold: 2e5,
        emergencyCreditLimit: 3e5,
        emergencyCreditThreshold: 1e5,
      }),
    );
    run(
      ESME_USE_CASES.ECS07,
      typed.ecs07({
        timeDebt1: 30_000,
        timeDebt2: 15_000,
        paymentDebt: 50_000,
        debtRecoveryPerPayment: 1000,
      }),
    );
    for (let k = 1n; k <= 5n; k++) {
      counter = k << 32n;
      run(ESME_USE_CASES.CS01a, typed.cs01a(utrnFor(env, { counter: k << 32n, value: 5 })));
    }
    counter++;
    run(ESME_USE_CASES.ECS43, typed.ecs43());
    run(ESME_USE_CASES.ECS44, typed.ecs44());
    return s;
  }

  it('is plain data: structuredClone gives an equal state', () => {
    const s = busyEsme();
    expect(structuredClone(s)).toEqual(s);
  });

  it('stays compact: at most 2 KB serialised (prepayment ledger and supply-loss account included), fresh and after a busy life', () => {
    expect(serialize(joinedEsme()).length).toBeLessThanOrEqual(2048);
    const busy = busyEsme();
    expect(busy.prepayment.utrnCounters).toHaveLength(5);
    expect(serialize(busy).length).toBeLessThanOrEqual(2048);
  });

  it('never throws on random bytes from the HAN and changes nothing but the security log and alert counter', () => {
    const before = joinedEsme();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const after = deliver(before, bytes, env).state;
        expect(withoutSecurityEffects(after)).toEqual(withoutSecurityEffects(before));
      }),
      { numRuns: 300 },
    );
  });

  it('never acts on a genuine command with any byte changed', () => {
    const before = joinedEsme({ supply: 'disabled' });
    const genuine = sealCommand(env, {
      messageCode: ESME_USE_CASES.ECS42,
      counter: 5n,
      request: typed.ecs42(),
    });
    fc.assert(
      fc.property(fc.nat({ max: genuine.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bytes = genuine.slice();
        bytes[at]! ^= flip;
        const after = deliver(before, bytes, env).state;
        expect(withoutSecurityEffects(after)).toEqual(withoutSecurityEffects(before));
        expect(after.securityLog).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });
});
