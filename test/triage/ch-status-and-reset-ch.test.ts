// SR 8.14.x Communications Hub Status Updates over HTTP with signed DUIS (CV8, I99) and their SMI changes, then a
// no-fault-returned CH triaged and reset (SECMP0010) and built into a QA premise, where a new QA meter joins it by its
// install code and the CHF answers with a Device Log that holds nothing of its old premise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { returnOf } from '../../src/dcc/ch-status.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import type { DuisClient } from '../../src/triage/duis-client.js';
import { installAtQa, installSuccessBody, returnBody } from '../../src/triage/flows.js';
import { addQaPremise, QA_SUPPLIER } from '../../src/triage/qa.js';
import { triage } from '../../src/triage/service.js';
import type { DccHarness } from '../support/dcc.js';
import {
  expectEveryPushedGbcsVerifies,
  gbcsIn,
  httpClient,
  RESET_POLICY,
  SEED,
  startTriageDcc,
} from '../support/triage.js';

const SUPPLIER = eui64('90B3D51F30010000');
const NETWORK_OPERATOR = eui64('90B3D51F30020000');
const ESME = eui64('00DB1234567890A0');
// Premise 0 is commissioned; premise 1 (…91…) has its devices Pending.
const CHF0 = eui64('00DB1234567890A2');
const GPF0 = eui64('00DB1234567890A3');
const CHF1 = eui64('00DB1234567891A2');
const GPF1 = eui64('00DB1234567891A3');

let h: DccHarness;
let supplier: DuisClient;
let qaSupplier: DuisClient;
const status = async (eui: Eui64) => (await h.store.getDevice(eui))?.status;

beforeAll(async () => {
  h = await startTriageDcc({ fleet: 2, commissioned: 1 });
  supplier = httpClient(h, SUPPLIER, 70_000n);
  qaSupplier = httpClient(h, QA_SUPPLIER, 80_000n);
  // Premise 1's CH as a hub that is not yet installed.
  await h.store.transaction(async (tx) => {
    for (const eui of [CHF1, GPF1]) await tx.putDevice({ ...(await tx.getDevice(eui))!, status: 'Pending' });
  });
});
afterAll(async () => {
  await h?.close();
});

describe('SR 8.14.x over the DCC', () => {
  it('8.14.2 install with no SM WAN: CHF and GPF InstalledNotCommissioned (I99)', async () => {
    const r = await supplier.nonDevice('8.14.2', {
      element: 'CHFInstallSuccessNoSMWAN',
      children: [
        ...installSuccessBody(CHF1, '1900000000001', h.dcc.field.now()).children,
        { name: 'PremiseType', text: 'Terraced' },
        { name: 'MetalObstructionCheck', text: 'false' },
        { name: 'ConnectivityObstructionCheck', text: 'true' },
        { name: 'SharedObstructionCheck', text: 'false' },
      ],
    });
    expect(r.code).toBe('I99');
    expect([await status(CHF1), await status(GPF1)]).toEqual([
      'InstalledNotCommissioned',
      'InstalledNotCommissioned',
    ]);
  });

  it('8.14.1 install success: CHF and GPF Commissioned, history naming 8.14.1', async () => {
    const r = await supplier.nonDevice(
      '8.14.1',
      installSuccessBody(CHF1, '1900000000001', h.dcc.field.now()),
    );
    expect(r.code).toBe('I99');
    expect([await status(CHF1), await status(GPF1)]).toEqual(['Commissioned', 'Commissioned']);
    expect((await h.store.statusHistory(CHF1)).at(-1)).toMatchObject({ to: 'Commissioned', cause: '8.14.1' });
  });

  it('refusals change nothing: E11 for a meter, E19 for an unknown hub, E2 for a network operator', async () => {
    expect((await supplier.nonDevice('8.14.4', returnBody(ESME, false, ESME))).code).toBe('E11');
    const unknown = eui64('00DB12FFFFFFFFA2');
    expect((await supplier.nonDevice('8.14.4', returnBody(unknown, false, ESME))).code).toBe('E19');
    const no = httpClient(h, NETWORK_OPERATOR, 1_000n);
    expect((await no.nonDevice('8.14.3', returnBody(CHF1, true, ESME))).code).toBe('E2');
    expect(await status(CHF1)).toBe('Commissioned');
  });

  it('8.14.3 fault return: Withdrawn, the fault reason kept; a second return is E5', async () => {
    const r = await supplier.nonDevice('8.14.3', returnBody(CHF1, true, ESME));
    expect(r.code).toBe('I99');
    expect([await status(CHF1), await status(GPF1)]).toEqual(['Withdrawn', 'Withdrawn']);
    expect(returnOf((await h.store.statusHistory(CHF1)).at(-1)!)).toEqual({
      kind: 'fault',
      reason: 'SM WAN Fault',
    });
    expect((await supplier.nonDevice('8.14.4', returnBody(CHF1, false, ESME))).code).toBe('E5');
  });

  it('8.14.4 no-fault return of premise 0’s commissioned CH: Withdrawn; E4 for a QA supplier not registered', async () => {
    expect((await qaSupplier.nonDevice('8.14.4', returnBody(CHF0, false, ESME))).code).toBe('E4');
    const r = await supplier.nonDevice('8.14.4', returnBody(CHF0, false, ESME));
    expect(r.code).toBe('I99');
    expect([await status(CHF0), await status(GPF0)]).toEqual(['Withdrawn', 'Withdrawn']);
    expect(returnOf((await h.store.statusHistory(CHF0)).at(-1)!)).toMatchObject({ kind: 'no-fault' });
  });
});

describe('the returned CH, triaged, reset and reused at a QA premise', () => {
  it('is reset with its GPF; a QA meter joins it by install code and its Device Log holds only that meter', async () => {
    const before = h.dcc.runner.actor<ChfState>(0, CHF0);
    expect(before.deviceLog.length).toBeGreaterThan(1);
    const inHand = [h.dcc.runner.removeMember(0, CHF0), h.dcc.runner.removeMember(0, GPF0)];
    const r = await triage(
      h.store,
      { user: SUPPLIER, deviceId: CHF0, faultFound: false },
      inHand,
      h.dcc.field.now(),
      {
        policy: RESET_POLICY,
        acb: h.dcc.config.acb,
      },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.records.map((d) => [d.deviceType, d.status])).toEqual([
      ['CHF', 'Pending'],
      ['GPF', 'Pending'],
    ]);
    const qa = await addQaPremise(h.dcc, {
      index: 1,
      fleetSeed: SEED,
      ch: { chf: r.devices[0]!, gpf: r.devices[1]! },
    });
    const chf = h.dcc.runner.actor<ChfState>(qa.id, CHF0);
    expect(chf.deviceLog).toEqual([]);
    expect(chf.alertCounter).toBe(before.alertCounter);
    const result = await installAtQa(h.dcc, qaSupplier, qa);
    expect(result.steps.map((s) => s.code)).toEqual(['I99', 'I99', 'I99', 'I99', 'I99']);
    expect(result.ok).toBe(true);
    expect([await status(CHF0), await status(GPF0), await status(qa.meter)]).toEqual([
      'Commissioned',
      'Commissioned',
      'Commissioned',
    ]);
    const log = gbcsIn(h, result.steps[4]!.pushed!);
    expect(log.message.header.originator).toBe(CHF0);
    expect(h.dcc.runner.actor<ChfState>(qa.id, CHF0).deviceLog.map((e) => e.device)).toEqual([qa.meter]);
  });

  it('every GBCS message pushed decodes and verifies', () => {
    expect(expectEveryPushedGbcsVerifies(h)).toBeGreaterThan(3);
  });
});
