// The ESME's prepayment accounting (issue 8; prepayment-account.ts runs it): its settings as the engine reads them,
// its load switch as the supply, the import register, the alerts of each crossing, and arming once credit is back.
// The switch is then closed by SR 7.1 (ECS42), the consumer's button on an armed switch, or the PPMID (PECS03)
// (domain brief §7).
import type { LedgerEvent, PrepaymentSettings } from '../prepayment/ledger.js';
import { disabledForCredit, type MeterAccounting } from './prepayment-account.js';
import { esmeAlert, ESME_CODES, logged, note, type EsmeState, type PrepaymentState } from './esme-state.js';
import type { Effect } from './types.js';

/** Money per unit of the ESME's DebtRecoveryRateCap (long-unsigned): pence [A: DUIS money units unconfirmed]. */
export const ESME_RATE_CAP_UNIT = 1_000;

/** The engine's view of the ESME's configuration. */
export function esmeSettings(p: PrepaymentState): PrepaymentSettings {
  // DUIS offers hourly or daily recovery; a shorter period set by a command would only cost time [A: at least an hour].
  const rate = (r: PrepaymentState['timeDebt1Recovery']) => ({
    amount: Math.max(Math.round(r.rate * 10 ** (r.priceScale + 5)), 0),
    periodMs: Math.max(r.periodS, 3_600) * 1000,
  });
  return {
    prepayment: p.mode === 'prepayment',
    tariff: p.tariff,
    emergencyCreditLimit: p.emergencyCreditLimit,
    emergencyCreditThreshold: p.emergencyCreditThreshold,
    lowCreditThreshold: p.lowCreditThreshold,
    disablementThreshold: p.disablementThreshold,
    maxMeterBalance: p.maxMeterBalance,
    maxCreditThreshold: p.maxCreditThreshold,
    debtRecoveryPerPayment: Math.min(Math.max(p.debtRecoveryPerPayment, 0), 10_000),
    debtRecoveryRateCap: p.debtRecoveryRateCap * ESME_RATE_CAP_UNIT,
    debtRecoveryRateCapPeriodMs: p.debtRecoveryRateCapPeriodS * 1000,
    timeDebtRates: [rate(p.timeDebt1Recovery), rate(p.timeDebt2Recovery)],
    calendar: p.friendlyCalendar,
  };
}

/** What each crossing raises (domain brief §2.7) [O: codes]. */
const CROSSING_ALERTS: Readonly<Record<LedgerEvent, number>> = {
  'low-credit': ESME_CODES.lowCredit,
  'emergency-credit-available': ESME_CODES.emergencyCreditAvailable,
  'emergency-credit-exhausted': ESME_CODES.emergencyCreditExhausted,
  disable: ESME_CODES.creditBelowDisablementThreshold,
  'disablement-suspended': ESME_CODES.disablementSuspended,
};

export const ESME_ACCOUNTING: MeterAccounting<EsmeState> = {
  settings: (state) => esmeSettings(state.prepayment),
  supplyOn: (state) => state.supply === 'enabled',
  armed: (state) => state.supply === 'armed',
  unitsPerWh: 1,
  addToRegister: (state, wh) => ({
    ...state,
    registers: { ...state.registers, activeWh: (state.registers.activeWh + wh) >>> 0 },
  }),
  onCrossing: (state, event, at, env) => {
    const code = CROSSING_ALERTS[event];
    let next = logged(state, 'eventLog', code, at);
    const effects: Effect[] = [note(state, `prepayment: ${event}`)];
    if (event === 'disable') {
      next = logged({ ...next, supply: 'disabled' }, 'eventLog', ESME_CODES.supplyDisabled, at);
      next = disabledForCredit(next, at);
    }
    const alert = esmeAlert(next, code, at, env);
    return { state: alert.state, effects: [...effects, alert.effect] };
  },
  // SMETS2: credit back above the disablement threshold arms the switch for the consumer (0x8F32) [A: when raised].
  onCreditRestored: (state, now, env) => {
    const armed = logged({ ...state, supply: 'armed' }, 'eventLog', ESME_CODES.supplyArmed, now);
    const alert = esmeAlert(armed, ESME_CODES.supplyArmed, now, env);
    return { state: alert.state, effects: [note(state, 'credit restored: supply armed'), alert.effect] };
  },
};
