// Prepayment engine benchmark (a script, not a test):   npm run bench:prepayment
// Prints one JSON object:
// - ledgerMeterYearsPerSecond: the ledger alone (src/prepayment/ledger.ts) — 1,000 prepayment meters with seeded
//   domestic demand, each run through a virtual year as a meter does (advance to the next crossing, act, go on), a
//   £20 top-up whenever one is disabled; CPU time on one core;
// - meterDaysPerSecond / kernelEventsPerMeterDay: prepayment ESMEs as actors on the virtual-time kernel (each input
//   settles the account, one timer per crossing), 30 virtual days, credit running out and the supply disabled;
// - crossingsPerMeterYear: how often a meter wakes for its account in the first measure.
import { FleetKeyStore } from '../src/crypto/fleet-keys.js';
import { protectionContext } from '../src/crypto/message-protection.js';
import { createEsme } from '../src/devices/esme-state.js';
import { DEFAULT_POLICY } from '../src/policy.js';
import { NO_FRIENDLY_CALENDAR } from '../src/prepayment/calendar.js';
import type { ConsumptionProfile } from '../src/prepayment/consumption.js';
import {
  advance,
  applyCredit,
  EMPTY_LEDGER,
  type Ledger,
  type PrepaymentSettings,
} from '../src/prepayment/ledger.js';
import { PREMISE_ACTORS, TEST_PARTIES } from '../src/premise/build.js';
import { premiseEui } from '../src/premise/identities.js';
import { PremiseRunner } from '../src/premise/runner.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const METERS = Number(process.env['BENCH_METERS'] ?? 1_000);
const POUND = 100_000;

const SETTINGS: PrepaymentSettings = {
  prepayment: true,
  tariff: { unitPrice: 24_500, standingChargePerDay: 60_000 },
  emergencyCreditLimit: 10 * POUND,
  emergencyCreditThreshold: 2 * POUND,
  lowCreditThreshold: 3 * POUND,
  disablementThreshold: 0,
  maxMeterBalance: 0,
  maxCreditThreshold: 0,
  debtRecoveryPerPayment: 1_000,
  debtRecoveryRateCap: 10 * POUND,
  debtRecoveryRateCapPeriodMs: 7 * DAY,
  timeDebtRates: [
    { amount: POUND, periodMs: DAY },
    { amount: 0, periodMs: DAY },
  ],
  calendar: NO_FRIENDLY_CALENDAR,
};

const profile = (seed: number): ConsumptionProfile => ({
  kind: 'domestic',
  fuel: 'electricity',
  annualKwh: 2_700,
  seed,
});

function ledgerYears(): { perSecond: number; crossingsPerMeterYear: number } {
  let crossings = 0;
  const start = process.cpuUsage();
  for (let m = 0; m < METERS; m++) {
    const demand = profile(m * 2_654_435_761);
    let l: Ledger = { ...EMPTY_LEDGER, asOfMs: START, meterBalance: 20 * POUND, timeDebts: [50 * POUND, 0] };
    let on = true;
    const end = START + 365 * DAY;
    while (l.asOfMs < end) {
      const run = advance(l, SETTINGS, demand, on, end);
      l = run.ledger;
      if (run.event === undefined) break;
      crossings++;
      if (run.event === 'disable') {
        on = false;
        // The consumer tops up £20 an hour later; supply back on.
        l = advance(l, SETTINGS, demand, on, l.asOfMs + 3_600_000).ledger;
        const credited = applyCredit(l, SETTINGS, 20 * POUND);
        if (credited.accepted) l = credited.ledger;
        on = true;
      }
    }
  }
  const cpu = process.cpuUsage(start);
  return {
    perSecond: Math.round(METERS / ((cpu.user + cpu.system) / 1e6)),
    crossingsPerMeterYear: Math.round(crossings / METERS),
  };
}

function metersOnTheKernel(): { meterDaysPerSecond: number; eventsPerMeterDay: number } {
  const env = {
    protection: protectionContext(new FleetKeyStore('bench-prepayment'), TEST_PARTIES.acb),
    policy: DEFAULT_POLICY,
  };
  const runner = new PremiseRunner({ seed: 1, env, actors: PREMISE_ACTORS, startMs: START });
  const ESMES = Math.min(METERS, 1_000);
  for (let p = 0; p < ESMES; p++) {
    const eui = premiseEui(p, 'ESME');
    const esme = createEsme({
      eui,
      hub: premiseEui(p, 'CHF'),
      parties: TEST_PARTIES,
      installCode: '00'.repeat(16),
      prepayment: {
        mode: 'prepayment',
        tariff: SETTINGS.tariff,
        profile: profile(p),
        lowCreditThreshold: SETTINGS.lowCreditThreshold,
        emergencyCreditLimit: SETTINGS.emergencyCreditLimit,
        emergencyCreditThreshold: SETTINGS.emergencyCreditThreshold,
        ledger: { ...EMPTY_LEDGER, meterBalance: 25 * POUND },
      },
    });
    const id = runner.addPremise([esme]);
    // A first input starts the account (its wake-ups follow from there).
    runner.inject(id, eui, { type: 'local', action: { kind: 'restore-supply' } });
  }
  const days = 30;
  const before = runner.kernel.dispatched;
  const start = process.cpuUsage();
  runner.kernel.run({ until: START + days * DAY });
  const cpu = process.cpuUsage(start);
  const events = runner.kernel.dispatched - before;
  return {
    meterDaysPerSecond: Math.round((ESMES * days) / ((cpu.user + cpu.system) / 1e6)),
    eventsPerMeterDay: Number((events / (ESMES * days)).toFixed(2)),
  };
}

const ledger = ledgerYears();
const kernel = metersOnTheKernel();
console.log(
  JSON.stringify({
    benchmark: 'prepayment',
    meters: METERS,
    ledgerMeterYearsPerSecond: ledger.perSecond,
    crossingsPerMeterYear: ledger.crossingsPerMeterYear,
    meterDaysPerSecond: kernel.meterDaysPerSecond,
    kernelEventsPerMeterDay: kernel.eventsPerMeterDay,
    node: process.version,
  }),
);
