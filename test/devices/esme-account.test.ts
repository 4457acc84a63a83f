// The ESME's prepayment account at its edges (review findings on issue 8): a power cut, a supplier's disablement,
// the clock set by ECS70, and the emergency credit repaid as granted. The meter draws 1 kW at 20p/kWh: 20,000
// (10^-5 £) an hour.
import { describe, expect, it } from 'vitest';
import { ESME_USE_CASES, stepEsme } from '../../src/devices/esme.js';
import { ESME_CODES, type EsmeState } from '../../src/devices/esme-state.js';
import { dlmsDateTimeAt } from '../../src/devices/outbound.js';
import { PREPAYMENT_TIMER } from '../../src/devices/prepayment-account.js';
import type { ActorInput, Effect, Step } from '../../src/devices/types.js';
import { EMPTY_LEDGER } from '../../src/prepayment/ledger.js';
import { fleetEnv, joinedEsme, NOW, send, typed } from '../support/esme-commands.js';

const HOUR = 3_600_000;
const ENV = fleetEnv();

/** A prepayment ESME with `balance` of credit, no thresholds but disablement at 0, drawing 1 kW at 20p/kWh. */
function prepaymentEsme(balance: number, extra: Partial<EsmeState['prepayment']> = {}): EsmeState {
  return joinedEsme({
    prepayment: {
      mode: 'prepayment',
      profile: { kind: 'flat', watts: 1000 },
      tariff: { unitPrice: 20_000, standingChargePerDay: 0 },
      ledger: { ...EMPTY_LEDGER, meterBalance: balance },
      ...extra,
    },
  });
}

const step = (s: EsmeState, input: ActorInput, at: number): Step<EsmeState> => stepEsme(s, input, at, ENV);
const wakeOf = (effects: readonly Effect[]): number | undefined =>
  effects.flatMap((e) => (e.kind === 'timer' && e.timer.name === PREPAYMENT_TIMER ? [e.atMs] : [])).at(-1);
const restore = { type: 'local', action: { kind: 'restore-supply' } } as const;

describe('the ESME account through a power cut', () => {
  it('plans its wake-up again when mains returns, and charges nothing for the hours without power', () => {
    // £1 at 20p an hour: five hours. Power off after one, back after six: the crossing is planned again, an hour on.
    const started = step(prepaymentEsme(100_000), restore, NOW);
    expect(wakeOf(started.effects)).toBe(NOW + 5 * HOUR);
    const off = step(started.state, { type: 'power', on: false }, NOW + HOUR);
    expect(off.state.prepayment.ledger.meterBalance).toBe(80_000);
    // The timer falls due while the meter is off: not heard.
    const missed = step(off.state, { type: 'timer', timer: { name: PREPAYMENT_TIMER } }, NOW + 5 * HOUR);
    expect(missed.state.supply).toBe('enabled');
    const on = step(missed.state, { type: 'power', on: true }, NOW + 6 * HOUR);
    expect(on.state.prepayment.ledger.meterBalance).toBe(80_000);
    expect(wakeOf(on.effects)).toBe(NOW + 10 * HOUR);
    const due = step(on.state, { type: 'timer', timer: { name: PREPAYMENT_TIMER } }, NOW + 10 * HOUR);
    expect(due.state.supply).toBe('disabled');
    expect(due.state.registers.activeWh).toBe(5_000);
  });
});

describe('a supplier’s disablement (SR 7.2)', () => {
  it('is not undone by credit: emergency credit or a top-up never arms a supply the supplier disabled', () => {
    const esme = prepaymentEsme(1_000, {
      tariff: { unitPrice: 20_000, standingChargePerDay: 100_000 },
      emergencyCreditLimit: 500_000,
      emergencyCreditThreshold: 100_000,
    });
    const disabled = send(step(esme, restore, NOW).state, ENV, {
      messageCode: ESME_USE_CASES.ECS43,
      counter: 10n,
      request: typed.ecs43(),
    }).state;
    expect(disabled.supplyLoss.current?.cause).toBe('disabled-remotely');
    // A day of standing charge takes the credit below zero; the consumer then takes emergency credit.
    const taken = step(
      disabled,
      { type: 'local', action: { kind: 'activate-emergency-credit' } },
      NOW + 24 * HOUR,
    );
    expect(taken.state.prepayment.ledger.emergencyCreditActive).toBe(true);
    expect(taken.state.supply).toBe('disabled');
    expect(taken.state.supplyLoss.current?.cause).toBe('disabled-remotely');
    expect(step(taken.state, restore, NOW + 25 * HOUR).state.supply).toBe('disabled');
  });
});

describe('the meter’s clock set by ECS70', () => {
  it('charges nothing for the jump and plans the next crossing on the new clock', () => {
    // The clock is a day slow. £1 lasts five hours whatever the clock says.
    const started = step({ ...prepaymentEsme(100_000), clockOffsetMs: -24 * HOUR }, restore, NOW);
    expect(started.state.prepayment.wakeMs).toBe(NOW + 5 * HOUR);
    const set = send(
      started.state,
      ENV,
      {
        messageCode: ESME_USE_CASES.ECS70,
        counter: 20n,
        request: typed.ecs70({ from: dlmsDateTimeAt(NOW - 25 * HOUR), to: dlmsDateTimeAt(NOW + HOUR) }),
      },
      NOW + HOUR,
    );
    expect(set.state.clockOffsetMs).toBe(0);
    expect(set.state.prepayment.ledger.meterBalance).toBe(80_000);
    expect(set.state.registers.activeWh).toBe(1_000);
    expect(set.state.prepayment.ledger.asOfMs).toBe(NOW + HOUR);
    expect(set.state.prepayment.wakeMs).toBe(NOW + 5 * HOUR);
    expect(set.state.eventLog.map((e) => e.code)).not.toContain(ESME_CODES.creditBelowDisablementThreshold);
  });
});
