// The SMI's non-device services (CV 8) over an in-memory Store fake: 8.2 Read Inventory, 8.3 Decommission Device,
// 8.4 Update Inventory; the duis-templates requests and the DUIS 5.4 XSD are read in place from the shared vectors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DuisError } from '../../src/codec/duis/common.js';
import { parseDuisRequest } from '../../src/codec/duis/request.js';
import { buildDuisResponse } from '../../src/codec/duis/response.js';
import { DuisSchema } from '../../src/codec/duis/schema/index.js';
import { isLeaf, type DuisBodyElement } from '../../src/codec/duis/tree.js';
import { eui64 } from '../../src/codec/eui64.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { SMI_TRANSITIONS } from '../../src/dcc/inventory.js';
import {
  NON_DEVICE_PLANNERS,
  NON_DEVICE_SERVICES,
  decodeUpdateInventory,
  decommissionDevice,
  planDecommissionDevice,
  readInventory,
  updateInventory,
  type NonDeviceInput,
  type NonDeviceResult,
} from '../../src/dcc/non-device.js';
import type { SmiDevice, SmiDeviceType, SmiStatus, SmiStatusChange } from '../../src/dcc/types.js';
import { MemoryStore } from '../support/memory-store.js';
import { HAVE_VECTORS, vectorPath } from '../vectors.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const CHF = eui64('00DB1234567890A2');
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A4');

function device(id: string, deviceType: SmiDeviceType, status: SmiStatus, extra: Partial<SmiDevice> = {}) {
  return {
    deviceId: eui64(id),
    deviceType,
    status,
    manufacturer: '106C',
    model: '433100AC',
    smetsChtsVersion: 'SMETS2 V4.2',
    firmwareVersion: '9001',
    firmwareVersionStatus: 'Active',
    cplStatus: 'Active',
    gbcsVersion: '4.2',
    ...extra,
  } satisfies SmiDevice;
}

const ADDRESS = { uprn: 123456789012, postCode: 'AB12 3CD', addressIdentifier: '12 Acacia Avenue' };

/** One premise (1) with a CH, both meters, a PPMID and a CAD; the CAD carries no address; plus a second premise. */
function premise(): SmiDevice[] {
  return [
    device('00DB1234567890A2', 'CHF', 'Commissioned', {
      premise: 1,
      ...ADDRESS,
      cspRegion: '4G Central',
      hanVariant: 'Single Band',
    }),
    device('00DB1234567890A3', 'GPF', 'Commissioned', { premise: 1, chf: CHF, ...ADDRESS }),
    device('00DB1234567890A0', 'ESME', 'Commissioned', {
      premise: 1,
      chf: CHF,
      importMpxn: '1234567890123',
      esmeVariant: 'A',
      cspRegion: 'North',
      ...ADDRESS,
    }),
    device('00DB1234567890A4', 'GSME', 'InstalledNotCommissioned', {
      premise: 1,
      chf: CHF,
      importMpxn: '1234567890',
      ...ADDRESS,
    }),
    device('00DB1234567890B1', 'PPMID', 'Whitelisted', { premise: 1, chf: CHF, ...ADDRESS }),
    device('BC6E76FE007CB4F3', 'CAD', 'NotApplicable', {
      premise: 1,
      firmwareVersion: '',
      smetsChtsVersion: '',
    }),
    device('00DB1234567890C0', 'ESME', 'Commissioned', {
      premise: 2,
      importMpxn: '9999999999999',
      uprn: 5,
      postCode: 'ZZ9 9ZZ',
      addressIdentifier: '1',
    }),
  ];
}

const ESME_COMMISSIONED: SmiStatusChange = {
  deviceId: ESME,
  atMs: Date.UTC(2024, 6, 14, 9),
  from: 'InstalledNotCommissioned',
  to: 'Commissioned',
  cause: '8.1.1',
};

const body = (element: string, ...children: DuisBodyElement[]): NonDeviceInput => ({
  body: { element, children },
});
const leaf = (name: string, text: string): DuisBodyElement => ({ name, text });

function ok(r: NonDeviceResult): Extract<NonDeviceResult, { ok: true }> {
  if (!r.ok) throw new Error(`${r.responseCode}: ${r.reason}`);
  return r;
}

function inventoryOf(r: NonDeviceResult): DuisBodyElement[] {
  const res = ok(r);
  if (res.payload?.kind !== 'DSPInventory' || isLeaf(res.payload.tree)) throw new Error('no DSPInventory');
  return [...res.payload.tree.children];
}
const idsOf = (devices: readonly DuisBodyElement[]): string[] =>
  devices.map((d) => (isLeaf(d) ? '' : (d.children[0] as { text: string }).text));

const template = (name: string): NonDeviceInput => ({
  body: parseDuisRequest(parseXml(readFileSync(vectorPath('duis-templates', 'templates', name)))).body,
});

describe('8.2 Read Inventory', () => {
  it('Read Inventory by MPxN returns the meter with every response field', async () => {
    const store = new MemoryStore(premise(), [ESME_COMMISSIONED]);
    const r = await readInventory(body('ReadInventory', leaf('MPxN', '1234567890123')), store, NOW);
    expect(ok(r).responseCode).toBe('I0');
    expect(inventoryOf(r)).toEqual([
      {
        name: 'Device',
        children: [
          leaf('DeviceID', '00-DB-12-34-56-78-90-A0'),
          leaf('DeviceType', 'ESME'),
          leaf('DeviceStatus', 'Commissioned'),
          leaf('DeviceManufacturer', '106C'),
          leaf('DeviceModel', '433100AC'),
          leaf('SMETSCHTSVersion', 'SMETS2 V4.2'),
          leaf('DeviceFirmwareVersion', '9001'),
          leaf('DeviceFirmwareVersionStatus', 'Active'),
          leaf('CPLStatus', 'Active'),
          leaf('DateCommissioned', '2024-07-14Z'),
          leaf('ImportMPxN', '1234567890123'),
          leaf('ESMEVariant', 'A'),
          leaf('UPRN', '123456789012'),
          {
            name: 'PropertyFilter',
            children: [leaf('PostCode', 'AB12 3CD'), leaf('AddressIdentifier', '12 Acacia Avenue')],
          },
          leaf('CSPRegion', 'North'),
          leaf('DeviceGBCSVersion', '4.2'),
        ],
      },
    ]);
    expect(store.writes).toEqual([]);
  });

  it('Read Inventory by DeviceID returns that device alone', async () => {
    const store = new MemoryStore(premise());
    const r = await readInventory(
      body('ReadInventory', leaf('DeviceID', '00-DB-12-34-56-78-90-A4')),
      store,
      NOW,
    );
    expect(idsOf(inventoryOf(r))).toEqual(['00-DB-12-34-56-78-90-A4']);
  });

  it('Read Inventory by UPRN returns every device of the premise, the CAD without an address included', async () => {
    const store = new MemoryStore(premise());
    const r = await readInventory(body('ReadInventory', leaf('UPRN', '123456789012')), store, NOW);
    expect(idsOf(inventoryOf(r))).toEqual([
      '00-DB-12-34-56-78-90-A0',
      '00-DB-12-34-56-78-90-A2',
      '00-DB-12-34-56-78-90-A3',
      '00-DB-12-34-56-78-90-A4',
      '00-DB-12-34-56-78-90-B1',
      'BC-6E-76-FE-00-7C-B4-F3',
    ]);
  });

  it('Read Inventory by PropertyFilter finds the premise by post code and address identifier', async () => {
    const store = new MemoryStore(premise());
    const q = body('ReadInventory', {
      name: 'PropertyFilter',
      children: [leaf('PostCode', 'ZZ9 9ZZ'), leaf('AddressIdentifier', '1')],
    });
    expect(idsOf(inventoryOf(await readInventory(q, store, NOW)))).toEqual(['00-DB-12-34-56-78-90-C0']);
  });

  it('Read Inventory that matches nothing is refused with E19', async () => {
    const store = new MemoryStore(premise());
    for (const q of [leaf('MPxN', '42'), leaf('DeviceID', '00-00-00-00-00-00-00-01'), leaf('UPRN', '77')])
      expect(await readInventory(body('ReadInventory', q), store, NOW)).toMatchObject({
        ok: false,
        responseCode: 'E19',
      });
  });

  it('Read Inventory reads a decommissioned device too, with its status', async () => {
    const store = new MemoryStore([
      device('00DB1234567890A0', 'ESME', 'Decommissioned', { importMpxn: '1' }),
    ]);
    const [d] = inventoryOf(await readInventory(body('ReadInventory', leaf('MPxN', '1')), store, NOW));
    expect(d !== undefined && !isLeaf(d) && d.children[2]).toEqual(leaf('DeviceStatus', 'Decommissioned'));
  });

  it('a premise of more than 17 devices answers with the first 17 by DeviceID', async () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      device(`00DB1234567891${i.toString(16).padStart(2, '0')}`, 'PPMID', 'Pending', { premise: 9, uprn: 9 }),
    );
    const store = new MemoryStore(many);
    const got = inventoryOf(await readInventory(body('ReadInventory', leaf('UPRN', '9')), store, NOW));
    expect(got).toHaveLength(17);
    expect(idsOf(got).at(-1)).toBe('00-DB-12-34-56-78-91-10');
  });

  it('a body that is not the 8.2 grammar throws a DuisError naming the path', async () => {
    const store = new MemoryStore(premise());
    await expect(readInventory(body('ReadInventory'), store, NOW)).rejects.toThrow(DuisError);
    await expect(readInventory(body('ReadInventory', leaf('UPRN', '0')), store, NOW)).rejects.toThrow(
      /ReadInventory\/UPRN/,
    );
  });
});

describe.skipIf(!HAVE_VECTORS)('8.2 against the DUIS XSD and the duis-sign-wrap request', () => {
  const schema = HAVE_VECTORS
    ? DuisSchema.load(vectorPath('dccboxed-signing-tool', 'src', 'main', 'resources', 'DUIS Schema V5.4.xsd'))
    : (undefined as never);

  it('the DSPInventory response for a whole premise validates against the DUIS XSD', async () => {
    const store = new MemoryStore(premise(), [ESME_COMMISSIONED]);
    const r = ok(await readInventory(body('ReadInventory', leaf('UPRN', '123456789012')), store, NOW));
    const doc = buildDuisResponse({
      schemaVersion: '5.4',
      header: {
        requestId: { originator: eui64('90B3D51F30010000'), target: eui64('90B3D51F30000002'), counter: 1n },
        responseCode: r.responseCode,
        responseDateTime: new Date(NOW).toISOString(),
      },
      body: {
        kind: 'ResponseMessage',
        serviceReference: '8.2',
        serviceReferenceVariant: '8.2',
        payload: r.payload,
      },
    });
    expect(schema.validate(doc)).toEqual({ valid: true });
  });

  it('the duis-sign-wrap 8.2 request (by DeviceID) reads the CHF it names', async () => {
    const req = parseDuisRequest(
      parseXml(
        readFileSync(vectorPath('duis-sign-wrap', 'test', 'data', '8.2_READ_INVENTORY_REQUEST_DUIS.XML')),
      ),
    );
    const store = new MemoryStore(premise());
    expect(idsOf(inventoryOf(await readInventory({ body: req.body }, store, NOW)))).toEqual([
      '00-DB-12-34-56-78-90-A2',
    ]);
  });
});

describe('8.3 Decommission Device', () => {
  const decommission = (id: string): NonDeviceInput =>
    body('DecommissionDevice', leaf('DeviceID', id.match(/../g)!.join('-')));

  it('a commissioned meter becomes Decommissioned, with an 8.3 entry in its history', async () => {
    const store = new MemoryStore(premise());
    const r = await decommissionDevice(decommission('00DB1234567890A0'), store, NOW);
    expect(r).toEqual({ ok: true, responseCode: 'I99', payload: null });
    expect((await store.getDevice(ESME))?.status).toBe('Decommissioned');
    expect(await store.statusHistory(ESME)).toEqual([
      { deviceId: ESME, atMs: NOW, from: 'Commissioned', to: 'Decommissioned', cause: '8.3' },
    ]);
  });

  it('decommissioning a Pending device is refused with E5 and writes nothing', async () => {
    const store = new MemoryStore([device('00DB1234567890A0', 'ESME', 'Pending')]);
    expect(await decommissionDevice(decommission('00DB1234567890A0'), store, NOW)).toEqual({
      ok: false,
      responseCode: 'E5',
      reason: "8.3: 'decommissioned' is not allowed for a ESME whose SMI status is Pending",
    });
    expect(store.writes).toEqual([]);
  });

  it('decommissioning twice is refused the second time', async () => {
    const store = new MemoryStore(premise());
    ok(await decommissionDevice(decommission('00DB1234567890A0'), store, NOW));
    expect(await decommissionDevice(decommission('00DB1234567890A0'), store, NOW + 1)).toMatchObject({
      ok: false,
      responseCode: 'E5',
    });
    expect(store.writes).toEqual(['putDevice:00DB1234567890A0', 'addStatusChange:00DB1234567890A0']);
  });

  it('is refused with E4 for a supplier the SMI does not register for the device, and writes nothing', async () => {
    const registered = eui64('90B3D51F30010000');
    const other = eui64('90B3D51F30010001');
    const store = new MemoryStore([
      device('00DB1234567890A0', 'ESME', 'Commissioned', { supplier: registered }),
    ]);
    const as = (eui: typeof registered): NonDeviceInput => ({
      ...decommission('00DB1234567890A0'),
      user: { eui, roles: ['IS'], status: 'active' },
    });
    expect(await decommissionDevice(as(other), store, NOW)).toMatchObject({ ok: false, responseCode: 'E4' });
    expect(store.writes).toEqual([]);
    expect(await decommissionDevice(as(registered), store, NOW)).toMatchObject({
      ok: true,
      responseCode: 'I99',
    });
  });

  it('decommissioning a device the SMI does not hold is refused with E19', async () => {
    const store = new MemoryStore(premise());
    expect(await decommissionDevice(decommission('00DB123456789999'), store, NOW)).toMatchObject({
      ok: false,
      responseCode: 'E19',
    });
  });

  it('a planner only reads: the pipeline applies its writes (here, into a second store)', async () => {
    const store = new MemoryStore(premise());
    const plan = await planDecommissionDevice(decommission('00DB1234567890A0'), store, NOW);
    expect(store.writes).toEqual([]);
    if (!plan.ok) throw new Error(plan.reason);
    const tx = new MemoryStore();
    await plan.apply(tx);
    expect(tx.writes).toEqual(['putDevice:00DB1234567890A0', 'addStatusChange:00DB1234567890A0']);
  });

  it('a replacement transition table is honoured', async () => {
    const store = new MemoryStore([device('00DB1234567890A0', 'ESME', 'Pending')]);
    const transitions = [
      {
        event: 'decommissioned',
        deviceTypes: ['ESME'],
        from: ['Pending'],
        to: 'Decommissioned',
        note: '[A] t',
      },
      ...SMI_TRANSITIONS,
    ] as const;
    ok(await decommissionDevice(decommission('00DB1234567890A0'), store, NOW, { transitions }));
    expect((await store.getDevice(ESME))?.status).toBe('Decommissioned');
  });

  it.skipIf(!HAVE_VECTORS)('the duis-templates 8.3 request decommissions the device it names', async () => {
    const store = new MemoryStore(premise());
    ok(await decommissionDevice(template('8.3_DECOMMISSION_DEVICE_REQUEST_DUIS.XML'), store, NOW));
    expect((await store.getDevice(ESME))?.status).toBe('Decommissioned');
  });
});

describe('8.4 Update Inventory', () => {
  const update = (id: string, change: DuisBodyElement): NonDeviceInput =>
    body('UpdateInventory', leaf('DeviceID', id.match(/../g)!.join('-')), change);

  it('UpdateDeviceStatusExceptCH Pending returns an InstalledNotCommissioned meter to Pending', async () => {
    const store = new MemoryStore(premise());
    const r = await updateInventory(
      update('00DB1234567890A4', leaf('UpdateDeviceStatusExceptCH', 'Pending')),
      store,
      NOW,
    );
    expect(r).toEqual({ ok: true, responseCode: 'I99', payload: null });
    expect(await store.statusHistory(GSME)).toEqual([
      { deviceId: GSME, atMs: NOW, from: 'InstalledNotCommissioned', to: 'Pending', cause: '8.4' },
    ]);
  });

  it('UpdateDeviceStatusExceptCH InstalledNotCommissioned records a whitelisted PPMID as installed', async () => {
    const store = new MemoryStore(premise());
    ok(
      await updateInventory(
        update('00DB1234567890B1', leaf('UpdateDeviceStatusExceptCH', 'InstalledNotCommissioned')),
        store,
        NOW,
      ),
    );
    expect((await store.getDevice(eui64('00DB1234567890B1')))?.status).toBe('InstalledNotCommissioned');
  });

  it('UpdateDeviceStatusExceptCH to a CHF and UpdateDeviceStatusCH to a meter are refused with E11', async () => {
    const store = new MemoryStore(premise());
    expect(
      await updateInventory(
        update('00DB1234567890A2', leaf('UpdateDeviceStatusExceptCH', 'Pending')),
        store,
        NOW,
      ),
    ).toMatchObject({ ok: false, responseCode: 'E11' });
    expect(
      await updateInventory(
        update('00DB1234567890A0', leaf('UpdateDeviceStatusCH', 'Withdrawn')),
        store,
        NOW,
      ),
    ).toMatchObject({ ok: false, responseCode: 'E11' });
    expect(store.writes).toEqual([]);
  });

  it('UpdateDeviceStatusCH withdraws a CH, and commissions one installed without SM WAN', async () => {
    const store = new MemoryStore([
      device('00DB1234567890A2', 'CHF', 'Commissioned'),
      device('00DB1234567890A3', 'GPF', 'InstalledNotCommissioned'),
    ]);
    ok(
      await updateInventory(
        update('00DB1234567890A2', leaf('UpdateDeviceStatusCH', 'Withdrawn')),
        store,
        NOW,
      ),
    );
    ok(
      await updateInventory(
        update('00DB1234567890A3', leaf('UpdateDeviceStatusCH', 'Commissioned')),
        store,
        NOW,
      ),
    );
    expect(store.history.map((h) => [h.deviceId, h.from, h.to, h.cause])).toEqual([
      [CHF, 'Commissioned', 'Withdrawn', '8.4'],
      [eui64('00DB1234567890A3'), 'InstalledNotCommissioned', 'Commissioned', '8.4'],
    ]);
  });

  it('a status change the table refuses is E5 and writes nothing', async () => {
    const store = new MemoryStore(premise());
    expect(
      await updateInventory(
        update('00DB1234567890A0', leaf('UpdateDeviceStatusExceptCH', 'Pending')),
        store,
        NOW,
      ),
    ).toMatchObject({ ok: false, responseCode: 'E5' });
    expect(store.writes).toEqual([]);
  });

  it('setting the status a device already has changes nothing and records nothing', async () => {
    const store = new MemoryStore(premise());
    const r = await updateInventory(
      update('00DB1234567890A4', leaf('UpdateDeviceStatusExceptCH', 'InstalledNotCommissioned')),
      store,
      NOW,
    );
    expect(ok(r).responseCode).toBe('I99');
    expect(store.writes).toEqual([]);
  });

  it('UpdateDeviceDetails replaces only the fields it carries', async () => {
    const store = new MemoryStore(premise());
    const change = {
      name: 'UpdateDeviceDetails',
      children: [
        leaf('DeviceModel', 'NEW-MODEL'),
        leaf('FirmwareVersion', '0A0B'),
        leaf('ESMEVariant', 'ADE'),
      ],
    };
    ok(await updateInventory(update('00DB1234567890A0', change), store, NOW));
    expect(await store.getDevice(ESME)).toEqual({
      ...premise()[2],
      model: 'NEW-MODEL',
      firmwareVersion: '0A0B',
      esmeVariant: 'ADE',
    });
    expect(store.history).toEqual([]);
  });

  it('UpdateDeviceDetails: ESMEVariant for a GSME is E11; a decommissioned device’s details are frozen (E5)', async () => {
    const store = new MemoryStore([...premise(), device('00DB1234567890D0', 'ESME', 'Decommissioned')]);
    const variant = { name: 'UpdateDeviceDetails', children: [leaf('ESMEVariant', 'A')] };
    expect(await updateInventory(update('00DB1234567890A4', variant), store, NOW)).toMatchObject({
      responseCode: 'E11',
    });
    expect(await updateInventory(update('00DB1234567890D0', variant), store, NOW)).toMatchObject({
      responseCode: 'E5',
    });
    expect(store.writes).toEqual([]);
  });

  it('UpdateMPxN ImportMPxN sets a meter’s MPxN, which Read Inventory then finds', async () => {
    const store = new MemoryStore(premise());
    const change = { name: 'UpdateMPxN', children: [leaf('ImportMPxN', '2000000000001')] };
    ok(await updateInventory(update('00DB1234567890A0', change), store, NOW));
    const found = inventoryOf(
      await readInventory(body('ReadInventory', leaf('MPxN', '2000000000001')), store, NOW),
    );
    expect(idsOf(found)).toEqual(['00-DB-12-34-56-78-90-A0']);
    expect(await updateInventory(update('00DB1234567890A2', change), store, NOW)).toMatchObject({
      responseCode: 'E11',
    });
  });

  it('UpdateMPxN ExportMPAN on an ESME records it, and Read Inventory then shows it', async () => {
    const store = new MemoryStore(premise());
    const change = { name: 'UpdateMPxN', children: [leaf('ExportMPAN', '2000000000009')] };
    expect(await updateInventory(update('00DB1234567890A0', change), store, NOW)).toMatchObject({
      responseCode: 'I99',
    });
    expect((await store.getDevice(eui64('00DB1234567890A0')))?.exportMpan).toBe('2000000000009');
    const found = await readInventory(
      body('ReadInventory', leaf('DeviceID', '00-DB-12-34-56-78-90-A0')),
      store,
      NOW,
    );
    expect(JSON.stringify(found)).toContain('2000000000009');
  });

  it('DeleteDevice removes a Pending record; a commissioned device is refused with E5', async () => {
    const store = new MemoryStore([...premise(), device('00DB1234567890E0', 'HCALCS', 'Pending')]);
    const del = { name: 'DeleteDevice', children: [] };
    expect(await updateInventory(update('00DB1234567890E0', del), store, NOW)).toMatchObject({
      responseCode: 'I99',
    });
    expect(await store.getDevice(eui64('00DB1234567890E0'))).toBeUndefined();
    expect(await updateInventory(update('00DB1234567890A0', del), store, NOW)).toMatchObject({
      responseCode: 'E5',
    });
  });

  it('an unknown device is refused with E19', async () => {
    const store = new MemoryStore(premise());
    expect(
      await updateInventory(
        update('00DB123456789999', leaf('UpdateDeviceStatusCH', 'Withdrawn')),
        store,
        NOW,
      ),
    ).toMatchObject({ responseCode: 'E19' });
  });

  it('reads the 8.4 grammar strictly: one change after the DeviceID, values within the XSD facets', () => {
    expect(
      decodeUpdateInventory(update('00DB1234567890A0', { name: 'DeleteDevice', children: [] }).body),
    ).toEqual({
      deviceId: ESME,
      update: { kind: 'DeleteDevice', value: {} },
    });
    expect(() =>
      decodeUpdateInventory(body('UpdateInventory', leaf('DeviceID', '00-DB-12-34-56-78-90-A0')).body),
    ).toThrow(DuisError);
    expect(() =>
      decodeUpdateInventory(update('00DB1234567890A0', leaf('UpdateDeviceStatusCH', 'Pending')).body),
    ).toThrow(/UpdateDeviceStatusCH/);
    expect(() =>
      decodeUpdateInventory(
        update('00DB1234567890A0', { name: 'UpdateMPxN', children: [leaf('ExportMPAN', '123')] }).body,
      ),
    ).toThrow(/ExportMPAN/);
    expect(() =>
      decodeUpdateInventory(body('DecommissionDevice', leaf('DeviceID', '00-DB-12-34-56-78-90-A0')).body),
    ).toThrow(/expected sr:UpdateInventory/);
  });

  it.skipIf(!HAVE_VECTORS)(
    'the duis-templates 8.4 request (DeleteDevice) reads as the XSD grammar says',
    () => {
      expect(decodeUpdateInventory(template('8.4_UPDATE_INVENTORY_REQUEST_DUIS.XML').body)).toEqual({
        deviceId: ESME,
        update: { kind: 'DeleteDevice', value: {} },
      });
    },
  );
});

describe('the service tables', () => {
  it('serve 8.2, 8.3 and 8.4, each with its planner', () => {
    expect([...NON_DEVICE_SERVICES.keys()]).toEqual(['8.2', '8.3', '8.4']);
    expect([...NON_DEVICE_PLANNERS.keys()]).toEqual(['8.2', '8.3', '8.4']);
  });
});
