// Who may triage what (SECMP0010/0013; policy.triage, policy.triageRoles): every refusal is typed and writes nothing,
// the devices in hand stay untouched; the reset keeps the device's identity and counters and nothing else.
import { describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { parsePolicy } from '../../src/policy-file.js';
import type { DccUser, SmiDevice, SmiStatus } from '../../src/dcc/types.js';
import { planChfInstallSuccess } from '../../src/dcc/ch-status.js';
import { createEsme } from '../../src/devices/esme-state.js';
import { createGsme } from '../../src/devices/gsme.js';
import { createIhd } from '../../src/devices/ihd.js';
import { createChf } from '../../src/hub/chf-state.js';
import { createGpf } from '../../src/hub/gpf.js';
import { DEFAULT_POLICY, policyWith } from '../../src/policy.js';
import { installedState, resetToManufactured, TriageResetError } from '../../src/triage/reset.js';
import { installSuccessBody } from '../../src/triage/flows.js';
import { planTriage, type TriageRequest } from '../../src/triage/service.js';
import { MemoryStore } from '../support/memory-store.js';

const ACB = eui64('90B3D51F30000002');
const SUPPLIER = eui64('90B3D51F30010000');
const OTHER_SUPPLIER = eui64('90B3D51F30011000');
const AGENT = eui64('90B3D51F30050000');
const OU = eui64('90B3D51F30060000');
/** A User that is a supplier and a Registered Supplier Agent. */
const SUPPLIER_AND_AGENT = eui64('90B3D51F30012000');
const ESME = eui64('00DB1234567890A0');
const CHF = eui64('00DB1234567890A2');
const GPF = eui64('00DB1234567890A3');
const PARTIES = { acb: ACB, supplier: SUPPLIER, networkOperator: eui64('90B3D51F30020000') };
const RESET = policyWith({ triage: 'reset' });

const user = (eui: Eui64, roles: DccUser['roles'], status: DccUser['status'] = 'active'): DccUser => ({
  eui,
  roles,
  status,
});
const record = (deviceId: Eui64, deviceType: SmiDevice['deviceType'], status: SmiStatus): SmiDevice => ({
  deviceId,
  deviceType,
  status,
  premise: 0,
  chf: CHF,
  importMpxn: '1900000000001',
  supplier: SUPPLIER,
  manufacturer: 'smets-twin',
  model: 'TWIN',
  smetsChtsVersion: 'SMETS2 V5.0',
  firmwareVersion: '00000001',
  firmwareVersionStatus: 'Active',
  cplStatus: 'Active',
  gbcsVersion: '4.0',
});

async function storeWith(devices: SmiDevice[], cause = '8.3'): Promise<MemoryStore> {
  const s = new MemoryStore();
  for (const u of [
    user(SUPPLIER, ['IS', 'GS']),
    user(OTHER_SUPPLIER, ['IS']),
    user(AGENT, ['RSA']),
    user(OU, ['OU']),
    user(SUPPLIER_AND_AGENT, ['IS', 'RSA']),
  ])
    await s.putUser(u);
  for (const d of devices) {
    await s.putDevice(d);
    await s.addStatusChange({ deviceId: d.deviceId, atMs: 0, from: 'Commissioned', to: d.status, cause });
  }
  s.writes.length = 0;
  return s;
}

const esme = () =>
  ({
    ...createEsme({ eui: ESME, hub: CHF, parties: PARTIES, installCode: '00'.repeat(16) }),
    registers: { activeWh: 1234, reactiveVarh: 5 },
    eventLog: [{ atMs: 1, code: 0x8f35 }],
    joins: [{ device: eui64('00DB1234567890A4'), deviceType: 5 }],
    alertCounter: 77n,
    security: { parties: PARTIES, counters: { [ACB]: 500n, [SUPPLIER]: 9n } },
  }) as const;

/** A CH in hand: its CHF, then its GPF. */
const ch = () => [
  createChf({
    eui: CHF,
    hub: CHF,
    parties: PARTIES,
    installCode: '22'.repeat(16),
    gpf: GPF,
    trustedCertificateIssuer: ACB,
  }),
  createGpf({ eui: GPF, hub: CHF, parties: PARTIES, installCode: '33'.repeat(16) }),
];

const ask = (o: Partial<TriageRequest> = {}): TriageRequest => ({
  user: SUPPLIER,
  deviceId: ESME,
  faultFound: false,
  ...o,
});

describe('policy', () => {
  it('today (triage none) refuses every triage; the default eligible roles are the seed’s: IS, GS, RSA', async () => {
    expect(DEFAULT_POLICY.triage).toBe('none');
    expect(DEFAULT_POLICY.triageRoles).toEqual(['IS', 'GS', 'RSA']);
    const s = await storeWith([record(ESME, 'ESME', 'Decommissioned')]);
    const r = await planTriage(s, ask(), [esme()], 1, { acb: ACB });
    expect(r).toMatchObject({ ok: false, code: 'triage-not-allowed' });
    expect(s.writes).toEqual([]);
  });

  it('a policy file sets triage and triageRoles, refusing unknown roles by path', () => {
    expect(parsePolicy({ triage: 'reset', triageRoles: ['RSA'] })).toMatchObject({
      triage: 'reset',
      triageRoles: ['RSA'],
    });
    expect(() => parsePolicy({ triage: 'maybe', triageRoles: ['XX'] })).toThrow(
      /triage: expected one of.*triageRoles\[0\]/,
    );
  });
});

describe('refusals are typed and write nothing', () => {
  it.each([
    ['not-a-user', ask({ user: eui64('90B3D51F3009FFFF') }), 'Decommissioned'],
    ['role-not-eligible', ask({ user: OU }), 'Decommissioned'],
    ['not-registered', ask({ user: OTHER_SUPPLIER }), 'Decommissioned'],
    ['not-returned', ask(), 'Commissioned'],
    ['not-in-smi', ask({ deviceId: eui64('00DB12FFFFFFFFA0') }), 'Decommissioned'],
    ['fault-found', ask({ faultFound: true }), 'Decommissioned'],
  ] as const)('%s', async (code, request, status) => {
    const s = await storeWith([record(ESME, 'ESME', status)]);
    const r = await planTriage(s, request, [esme()], 1, { policy: RESET, acb: ACB });
    expect(r).toMatchObject({ ok: false, code });
    expect(s.writes).toEqual([]);
  });

  it('a lost or stolen hub is not put back into service; an IHD has nothing to reset', async () => {
    const s = await storeWith([record(CHF, 'CHF', 'Withdrawn')], '8.14.4 Lost or Stolen Hub');
    const r = await planTriage(s, ask({ deviceId: CHF }), [], 1, { policy: RESET, acb: ACB });
    expect(r).toMatchObject({ ok: false, code: 'lost-or-stolen' });
    const ihd = createIhd({
      eui: eui64('00DB1234567890A6'),
      hub: CHF,
      parties: PARTIES,
      installCode: '00'.repeat(16),
    });
    expect(() => resetToManufactured(ihd, ACB)).toThrow(TriageResetError);
  });

  it('a CH is triaged with its GPF in hand, or refused as the wrong device', async () => {
    const s = await storeWith(
      [record(CHF, 'CHF', 'Withdrawn'), record(GPF, 'GPF', 'Withdrawn')],
      '8.14.3 LED Fault',
    );
    const wrong = await planTriage(s, ask({ deviceId: CHF }), [esme()], 1, { policy: RESET, acb: ACB });
    expect(wrong).toMatchObject({ ok: false, code: 'wrong-device' });
    const onlyChf = await planTriage(s, ask({ deviceId: CHF }), [ch()[0]!], 1, { policy: RESET, acb: ACB });
    expect(onlyChf).toMatchObject({ ok: false, code: 'wrong-device' });
    expect(s.writes).toEqual([]);
    const r = await planTriage(s, ask({ deviceId: CHF }), ch(), 1, { policy: RESET, acb: ACB });
    if (!r.ok) throw new Error(r.reason);
    expect(r.returned).toBe('fault');
    expect(r.records.map((d) => [d.deviceType, d.deviceId, d.status])).toEqual([
      ['CHF', CHF, 'Pending'],
      ['GPF', GPF, 'Pending'],
    ]);
    expect(r.devices.map((d) => [d.kind, d.eui])).toEqual([
      ['CHF', CHF],
      ['GPF', GPF],
    ]);
  });
});

describe('an accepted triage', () => {
  it('a Registered Supplier Agent resets another supplier’s meter: Pending, consumer and premise data gone', async () => {
    const s = await storeWith([record(ESME, 'ESME', 'Decommissioned')]);
    const r = await planTriage(s, ask({ user: AGENT }), [esme()], 1, { policy: RESET, acb: ACB });
    if (!r.ok) throw new Error(r.reason);
    expect(s.writes).toEqual([]);
    await r.apply(s);
    const after = (await s.getDevice(ESME))!;
    expect(after.status).toBe('Pending');
    expect([after.premise, after.chf, after.importMpxn, after.supplier]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(r.devices[0]).toEqual({
      kind: 'ESME',
      eui: ESME,
      installCode: '00'.repeat(16),
      firmwareVersion: esme().firmwareVersion,
      alertCounter: 77n,
      acbCounter: 500n,
      parties: { acb: ACB },
    });
  });

  it('a User that is a supplier and an RSA triages another supplier’s meter as the RSA', async () => {
    const s = await storeWith([record(ESME, 'ESME', 'Decommissioned')]);
    const r = await planTriage(s, ask({ user: SUPPLIER_AND_AGENT }), [esme()], 1, {
      policy: RESET,
      acb: ACB,
    });
    expect(r).toMatchObject({ ok: true });
    // Its supplier role alone is not enough where the policy does not let RSAs triage.
    const suppliersOnly = policyWith({ triage: 'reset', triageRoles: ['IS', 'GS'] });
    const refused = await planTriage(s, ask({ user: SUPPLIER_AND_AGENT }), [esme()], 1, {
      policy: suppliersOnly,
      acb: ACB,
    });
    expect(refused).toMatchObject({ ok: false, code: 'not-registered' });
  });

  it('a reset CH keeps its GPF linked to its CHF: an ordinary 8.14.1 then commissions both', async () => {
    const s = await storeWith([
      record(CHF, 'CHF', 'Withdrawn'),
      { ...record(GPF, 'GPF', 'Withdrawn'), gpf: ESME },
    ]);
    const r = await planTriage(s, ask({ deviceId: CHF }), ch(), 1, { policy: RESET, acb: ACB });
    if (!r.ok) throw new Error(r.reason);
    await r.apply(s);
    const gpf = (await s.getDevice(GPF))!;
    expect([gpf.chf, gpf.gpf, gpf.premise, gpf.supplier]).toEqual([CHF, undefined, undefined, undefined]);
    expect((await s.getDevice(CHF))!.premise).toBeUndefined();
    const install = await planChfInstallSuccess(
      { body: installSuccessBody(CHF, '1900000000009', 2), user: user(OTHER_SUPPLIER, ['IS']) },
      s,
      2,
    );
    if (!install.ok) throw new Error(install.reason);
    await install.apply(s);
    expect([(await s.getDevice(CHF))!.status, (await s.getDevice(GPF))!.status]).toEqual([
      'Commissioned',
      'Commissioned',
    ]);
  });

  it('a reset GSME is a new GSME: no consumption, no logs, the ACB counter kept, the supplier’s forgotten', () => {
    const gsme = {
      ...createGsme({
        eui: eui64('00DB1234567890A1'),
        hub: CHF,
        gpf: GPF,
        parties: PARTIES,
        installCode: '11'.repeat(16),
        consumption: 999,
      }),
      security: { parties: PARTIES, counters: { [ACB]: 3n, [SUPPLIER]: 4n } },
    };
    const bench = installedState(resetToManufactured(gsme, ACB));
    expect(bench).toMatchObject({ kind: 'GSME', consumption: 0, eventLog: [], joins: [] });
    expect(bench.security).toEqual({ parties: { acb: ACB }, counters: { [ACB]: 3n } });
  });
});
