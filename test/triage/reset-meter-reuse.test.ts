// A returned meter, triaged and reset (SECMP0013), installed at a QA premise and removed again, all through the DCC
// over HTTP with signed DUIS. Pins issue 7's "done when": after triage the reset meter answers no read with consumer
// data, accepts no command under its old credentials (refused with the unknown-originator alert), and joins a QA
// premise with its install code, then answers the QA premise's parties. Every GBCS message pushed decodes and verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import type { ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { messageCodesForUseCase } from '../../src/codec/gbcs/message-codes.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { DEMO_HOUSEHOLD } from '../../src/dcc/fleet.js';
import type { DeviceCore } from '../../src/devices/device.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import { INITIAL_PREPAYMENT } from '../../src/devices/esme-state.js';
import { REFUSAL_ALERTS } from '../../src/devices/security.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import type { DuisClient } from '../../src/triage/duis-client.js';
import { installAtQa, removeFromQa, returnMeter } from '../../src/triage/flows.js';
import { addQaPremise, isDummyMpxn, isQaDevice, QA_SUPPLIER, type QaPremise } from '../../src/triage/qa.js';
import { installedState, type ManufacturedDevice } from '../../src/triage/reset.js';
import { triage } from '../../src/triage/service.js';
import type { DccHarness } from '../support/dcc.js';
import { envWith } from '../support/identities.js';
import { sealCommand, typed } from '../support/esme-commands.js';
import { protectedPlaintext } from '../support/transform-electricity.js';
import {
  expectEveryPushedGbcsVerifies,
  gbcsIn,
  httpClient,
  RESET_POLICY,
  SEED,
  startTriageDcc,
} from '../support/triage.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const CHF = eui64('00DB1234567890A2');
const DAY = 86_400_000;

let h: DccHarness;
let supplier: DuisClient;
let qaSupplier: DuisClient;
let before: EsmeState;
let reset: ManufacturedDevice;
let qa: QaPremise;

/** Every number an ECS17b answer carries, its encrypted registers decrypted with the recipient's key (GBCS 7.2.x). */
function numbersIn(g: ParsedGbcs): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (
        typeof o['type'] === 'string' &&
        /long|integer|unsigned/.test(o['type']) &&
        typeof o['value'] === 'number'
      )
        out.push(o['value']);
      else Object.values(o).forEach(walk);
    }
  };
  const p = g.message.payload;
  if (p.kind !== 'dlms' || p.dlms.type !== 'access-response') return out;
  const head = g.message.header;
  walk(
    protectedPlaintext(envWith(new FleetKeyStore(SEED)), p.dlms.data[0], {
      user: head.recipient,
      counter: head.originatorCounter,
      esme: head.originator,
    }),
  );
  return out;
}

beforeAll(async () => {
  h = await startTriageDcc({ household: DEMO_HOUSEHOLD });
  supplier = httpClient(h, SUPPLIER, 50_000n);
  qaSupplier = httpClient(h, QA_SUPPLIER, 60_000n);
  await h.dcc.advance(DAY);
});
afterAll(async () => {
  await h?.close();
});

describe('a meter in service, then returned', () => {
  it('in service the ESME reads consumption (4.1.1 ECS17b) under its supplier', async () => {
    const read = await supplier.nonCritical('4.1.1', ESME);
    const g = gbcsIn(h, read.pushed!);
    expect(g.message.header.messageCode).toBe(messageCodesForUseCase('ECS17b')[0]!.code);
    expect(Math.max(...numbersIn(g))).toBeGreaterThan(0);
    before = h.dcc.runner.actor<EsmeState>(0, ESME);
    expect(before.registers.activeWh).toBeGreaterThan(0);
  });

  it('8.3 decommissions it and 8.11 Remove takes it off the CHF Device Log; it leaves the premise', async () => {
    const back = await returnMeter(h.dcc, supplier, 0, CHF, ESME);
    const steps = back.steps;
    expect(steps.map((s) => s.code)).toEqual(['I99', 'I99']);
    if (!back.ok) throw new Error('return refused');
    expect(steps[1]!.pushed?.header.responseCode).toBe('I0');
    expect((await h.store.getDevice(ESME))?.status).toBe('Decommissioned');
    expect(h.dcc.runner.premise(0).members.some((m) => m.eui === ESME)).toBe(false);
    expect(h.dcc.runner.actor<ChfState>(0, CHF).deviceLog.some((e) => e.device === ESME)).toBe(false);
    before = back.state as EsmeState;
  });
});

describe('triage and reset', () => {
  it('the supplier triages it: SMI Pending with no premise, MPxN, address or registered parties', async () => {
    const r = await triage(
      h.store,
      { user: SUPPLIER, deviceId: ESME, faultFound: false },
      [before],
      h.dcc.field.now(),
      {
        policy: RESET_POLICY,
        acb: h.dcc.config.acb,
      },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.returned).toBe('decommissioned');
    reset = r.devices[0]!;
    const smi = (await h.store.getDevice(ESME))!;
    expect(smi.status).toBe('Pending');
    for (const k of [
      'premise',
      'chf',
      'importMpxn',
      'uprn',
      'postCode',
      'addressIdentifier',
      'supplier',
      'networkOperator',
    ])
      expect(smi[k as keyof typeof smi], k).toBeUndefined();
    expect((await h.store.statusHistory(ESME)).at(-1)).toMatchObject({
      from: 'Decommissioned',
      to: 'Pending',
    });
  });

  it('the reset meter holds no consumer data, no logs, no joins, only the manufacturer’s trust anchors', () => {
    const bench = installedState(reset) as EsmeState;
    expect(bench.registers).toEqual({ activeWh: 0, reactiveVarh: 0 });
    expect(bench.prepayment).toEqual(INITIAL_PREPAYMENT);
    expect([bench.eventLog, bench.securityLog, bench.joins]).toEqual([[], [], []]);
    expect(bench.security.parties).toEqual({ acb: h.dcc.config.acb });
    expect(bench.installCode).toBe(before.installCode);
    expect(bench.alertCounter).toBe(before.alertCounter);
    expect(bench.hanJoined).toBe(false);
  });
});

describe('the QA premise', () => {
  it('is in the SMI with dummy MPxNs and QA marks', async () => {
    qa = await addQaPremise(h.dcc, { index: 0, fleetSeed: SEED, meter: reset });
    const esme = (await h.store.getDevice(ESME))!;
    expect(isQaDevice(esme)).toBe(true);
    expect(isDummyMpxn(esme.importMpxn!)).toBe(true);
    expect(esme).toMatchObject({ status: 'Pending', premise: qa.id, chf: qa.chf, supplier: QA_SUPPLIER });
    expect(isQaDevice((await h.store.getDevice(qa.chf))!)).toBe(true);
  });

  it('8.14.1, 8.11 with its install code, the join, 8.1.1: the reset meter is commissioned and reads zero', async () => {
    const result = await installAtQa(h.dcc, qaSupplier, qa);
    expect(result.steps.map((s) => s.code)).toEqual(['I99', 'I99', 'I99', 'I99', 'I99']);
    expect(result.joined).toBe(true);
    expect(result.ok).toBe(true);
    expect((await h.store.getDevice(ESME))?.status).toBe('Commissioned');
    expect((await h.store.getDevice(qa.chf))?.status).toBe('Commissioned');
    const read = gbcsIn(h, result.steps[3]!.pushed!);
    expect(read.message.header.originator).toBe(ESME);
    const values = numbersIn(read);
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((n) => n === 0)).toBe(true);
    const esme = h.dcc.runner.actor<EsmeState>(qa.id, ESME);
    expect(esme.security.parties.supplier).toBe(QA_SUPPLIER);
  });

  it('its old supplier is refused: E4 at the DSP, and at the meter its command raises the unknown-originator alert', async () => {
    const viaDcc = await supplier.nonCritical('4.1.1', ESME);
    expect(viaDcc.code).toBe('E4');
    // The old supplier's head-end seals a read itself and it reaches the meter (e.g. an HHT carried it).
    const keys = new FleetKeyStore(SEED);
    const command = sealCommand(envWith(keys), {
      messageCode: messageCodesForUseCase('ECS52')[0]!.code,
      counter: 90_000n,
      request: typed.ecs52(),
      originator: SUPPLIER,
      recipient: ESME,
    });
    const alertsBefore = h.received.length;
    const esmeBefore = h.dcc.runner.actor<DeviceCore>(qa.id, ESME);
    h.dcc.runner.inject(qa.id, ESME, { type: 'han', from: qa.chf, frame: { type: 'gbcs', bytes: command } });
    await h.dcc.advance(60_000);
    const esmeAfter = h.dcc.runner.actor<DeviceCore>(qa.id, ESME);
    const code = REFUSAL_ALERTS['unknown-originator'].code;
    expect(esmeAfter.securityLog.at(-1)?.code).toBe(code);
    expect(esmeAfter.securityLog.length).toBe(esmeBefore.securityLog.length + 1);
    const alerts = h.received.slice(alertsBefore).map((r) => r.response);
    const alert = alerts.find((r) => r.body?.kind === 'DeviceAlertMessage');
    expect(alert?.body).toMatchObject({ kind: 'DeviceAlertMessage', alertCode: code });
    expect(gbcsIn(h, alert!).message.header.originator).toBe(ESME);
  });

  it('is removed again: 8.3 and 8.11 Remove; the meter leaves the QA premise', async () => {
    const { ok, steps } = await removeFromQa(h.dcc, qaSupplier, qa);
    expect(steps.map((s) => s.code)).toEqual(['I99', 'I99']);
    expect(ok).toBe(true);
    expect(steps[1]!.pushed?.header.responseCode).toBe('I0');
    expect((await h.store.getDevice(ESME))?.status).toBe('Decommissioned');
    expect(h.dcc.runner.premise(qa.id).members.some((m) => m.eui === ESME)).toBe(false);
  });

  it('every GBCS message pushed in this walk decodes and verifies', () => {
    expect(expectEveryPushedGbcsVerifies(h)).toBeGreaterThan(8);
  });
});
