// A refused step leaves everything where it was: addQaPremise checks every SMI record and its index before it adds
// anything to the runner or the SMI; a return the DCC refuses (8.3, 8.11 Remove without its I0, 8.14.3 / 8.14.4)
// leaves the device at its premise and says so. In process (Dcc.open), in virtual time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Eui64 } from '../../src/codec/eui64.js';
import { DEFAULT_DSP_CONFIG } from '../../src/dcc/config.js';
import { Dcc, testCredentials } from '../../src/dcc/dcc.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import { TEST_PARTIES } from '../../src/premise/build.js';
import { premiseEui } from '../../src/premise/identities.js';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/open.js';
import { DuisClient, PushInbox } from '../../src/triage/duis-client.js';
import { decommissionBody, returnCh, returnMeter } from '../../src/triage/flows.js';
import {
  addQaPremise,
  QA_SUPPLIER,
  QA_USERS,
  qaPremiseNumber,
  registerQaUsers,
} from '../../src/triage/qa.js';
import { resetToManufactured } from '../../src/triage/reset.js';

const SEED = 'refusals-change-nothing';
const at = (premise: number, kind: 'CHF' | 'GPF' | 'ESME') =>
  premiseEui(FIRST_PREMISE_NUMBER + premise, kind);

let store: Store;
let dcc: Dcc;
let supplier: DuisClient;
let qaSupplier: DuisClient;

beforeAll(async () => {
  const inbox = new PushInbox();
  store = await openStore(':memory:');
  dcc = await Dcc.open({
    store,
    fleet: 3,
    commissioned: 3,
    fleetSeed: SEED,
    startMs: Date.UTC(2026, 0, 1),
    receiverUrl: 'http://receiver.invalid/duis',
    post: inbox.post,
    xmlCredentials: testCredentials(
      SEED,
      DEFAULT_DSP_CONFIG.dsp,
      QA_USERS.map((u) => u.eui),
    ),
  });
  await registerQaUsers(dcc, 'http://receiver.invalid/duis');
  supplier = new DuisClient(dcc, TEST_PARTIES.supplier!, 1_000_000n, inbox);
  qaSupplier = new DuisClient(dcc, QA_SUPPLIER, 1_000_000n, inbox);
});
afterAll(async () => {
  await dcc?.close();
  await store?.close();
});

const members = (premise: number): Eui64[] => dcc.runner.premise(premise).members.map((m) => m.eui);
const status = async (eui: Eui64) => (await store.getDevice(eui))?.status;

describe('addQaPremise is all or nothing', () => {
  it('refuses a meter still Commissioned before adding a premise or any SMI record', async () => {
    const meter = resetToManufactured(dcc.runner.actor(0, at(0, 'ESME')), dcc.config.acb);
    const premises = dcc.runner.premiseCount;
    const esme = await store.getDevice(meter.eui);
    await expect(addQaPremise(dcc, { index: 0, fleetSeed: SEED, meter })).rejects.toThrow(/is Commissioned/);
    expect(dcc.runner.premiseCount).toBe(premises);
    expect(await store.getDevice(premiseEui(qaPremiseNumber(0), 'CHF'))).toBeUndefined();
    expect(await store.getDevice(meter.eui)).toEqual(esme);
  });

  it('refuses a QA index already in use: no second premise with the same devices', async () => {
    const qa = await addQaPremise(dcc, { index: 1, fleetSeed: SEED });
    const premises = dcc.runner.premiseCount;
    const chf = await store.getDevice(qa.chf);
    await expect(addQaPremise(dcc, { index: 1, fleetSeed: SEED })).rejects.toThrow(/QA premise 1 is in use/);
    expect(dcc.runner.premiseCount).toBe(premises);
    expect(await store.getDevice(qa.chf)).toEqual(chf);
  });
});

describe('a refused return leaves the device at its premise', () => {
  it('8.3 refused (E5: already Decommissioned): no 8.11, the meter stays at its premise', async () => {
    expect((await supplier.nonDevice('8.3', decommissionBody(at(0, 'ESME')))).code).toBe('I99');
    const r = await returnMeter(dcc, supplier, 0, at(0, 'CHF'), at(0, 'ESME'));
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.code)).toEqual(['E5']);
    expect(members(0)).toContain(at(0, 'ESME'));
  });

  it('8.11 Remove with no I0 (the CH unpowered): the meter stays on its premise', async () => {
    dcc.runner.inject(1, at(1, 'CHF'), { type: 'power', on: false });
    const r = await returnMeter(dcc, supplier, 1, at(1, 'CHF'), at(1, 'ESME'));
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.code)).toEqual(['I99', 'I99']);
    expect(r.steps[1]!.pushed?.header.responseCode).not.toBe('I0');
    expect(members(1)).toContain(at(1, 'ESME'));
  });

  it('8.14.4 refused (not the registered supplier): the CHF and GPF stay Commissioned at their premise', async () => {
    const r = await returnCh(
      dcc,
      qaSupplier,
      2,
      { chf: at(2, 'CHF'), gpf: at(2, 'GPF') },
      false,
      at(2, 'ESME'),
    );
    expect(r).toMatchObject({ ok: false, step: { code: 'E4' } });
    expect(members(2)).toEqual(expect.arrayContaining([at(2, 'CHF'), at(2, 'GPF')]));
    expect([await status(at(2, 'CHF')), await status(at(2, 'GPF'))]).toEqual([
      'Commissioned',
      'Commissioned',
    ]);
  });
});
