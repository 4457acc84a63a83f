// SMI rules: the status transition table, the DSP's SMI status check per SRV group, and the 8.2 DSPInventory tree
// (checked against the DCC Boxed read-inventory samples and the DUIS 5.4 XSD, both read in place).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuisError } from '../../src/codec/duis/common.js';
import { buildDuisResponse, parseDuisResponse } from '../../src/codec/duis/response.js';
import { DuisSchema } from '../../src/codec/duis/schema/index.js';
import { srvInfo, type SrvInfo } from '../../src/codec/duis/srv.js';
import { isLeaf, type DuisBodyElement } from '../../src/codec/duis/tree.js';
import { eui64 } from '../../src/codec/eui64.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import {
  INVENTORY_DEVICE_FIELDS,
  SMI_EVENTS,
  SMI_STATUS_RULES,
  SMI_TRANSITIONS,
  applySmiEvent,
  checkSmiStatus,
  dateCommissionedMs,
  formatDuisDate,
  inventoryDevice,
  inventoryRecord,
  smiTransition,
  type NewSmiDevice,
  type SmiEvent,
  type SmiTransition,
} from '../../src/dcc/inventory.js';
import {
  SMI_DEVICE_TYPES,
  SMI_STATUSES,
  type SmiDevice,
  type SmiDeviceType,
  type SmiStatus,
  type SmiStatusChange,
} from '../../src/dcc/types.js';
import { HAVE_VECTORS, vectorPath } from '../vectors.js';

const USER = eui64('90B3D51F30010000');
const DSP = eui64('90B3D51F30000002');
const ESME = eui64('00DB1234567890A0');
const CHF = eui64('00DB1234567890A2');

function details(deviceId: string, deviceType: SmiDeviceType): NewSmiDevice {
  return {
    deviceId: eui64(deviceId),
    deviceType,
    manufacturer: '106C',
    model: '433100AC',
    smetsChtsVersion: 'SMETS2 V4.2',
    firmwareVersion: '9001',
    firmwareVersionStatus: 'Active',
    cplStatus: 'Active',
    gbcsVersion: '4.2',
  };
}

function device(
  deviceId: string,
  deviceType: SmiDeviceType,
  status: SmiStatus,
  extra: Partial<SmiDevice> = {},
) {
  return { ...details(deviceId, deviceType), status, ...extra } satisfies SmiDevice;
}

/** Applies events in order, failing the test on a refusal; returns the device and the history written. */
function run(start: SmiDevice | NewSmiDevice, events: readonly SmiEvent[]) {
  let d: SmiDevice | NewSmiDevice = start;
  const history: SmiStatusChange[] = [];
  events.forEach((e, i) => {
    const r = applySmiEvent(d, e, 1000 * i, `step ${i}`);
    if (!r.ok) throw new Error(`${e}: ${r.code} ${r.reason}`);
    d = r.device;
    if (r.change !== null) history.push(r.change);
  });
  return { device: d as SmiDevice, history };
}

const srv = (s: string): SrvInfo => srvInfo(s)!;

describe('SMI status transitions', () => {
  it('a pre-notified meter enters the SMI as Pending, with a history entry from nothing', () => {
    const r = applySmiEvent(details('00DB1234567890A0', 'ESME'), 'preNotified', 5, '12.2');
    expect(r).toEqual({
      ok: true,
      device: { ...details('00DB1234567890A0', 'ESME'), status: 'Pending' },
      change: { deviceId: ESME, atMs: 5, from: null, to: 'Pending', cause: '12.2' },
    });
  });

  it('a device added to the CHF Device Log becomes Whitelisted', () => {
    const r = applySmiEvent(device('00DB1234567890A0', 'ESME', 'Pending'), 'addedToDeviceLog', 7, '8.11');
    expect(r.ok && r.device.status).toBe('Whitelisted');
    expect(r.ok && r.change).toEqual({
      deviceId: ESME,
      atMs: 7,
      from: 'Pending',
      to: 'Whitelisted',
      cause: '8.11',
    });
  });

  it('adding a device already on the log succeeds and changes nothing, as CCS01 does', () => {
    for (const status of ['Whitelisted', 'InstalledNotCommissioned', 'Commissioned'] as const) {
      const r = applySmiEvent(device('00DB1234567890A0', 'ESME', status), 'addedToDeviceLog', 7, '8.11');
      expect(r).toMatchObject({ ok: true, change: null, device: { status } });
    }
  });

  it('a whitelisted device that joins the HAN becomes InstalledNotCommissioned', () => {
    expect(smiTransition('Whitelisted', 'joinedHan', 'GSME')).toEqual({
      ok: true,
      from: 'Whitelisted',
      to: 'InstalledNotCommissioned',
      changed: true,
    });
  });

  it('an ESME goes Pending → Whitelisted → InstalledNotCommissioned → Commissioned through an installation', () => {
    const { device: d, history } = run(details('00DB1234567890A0', 'ESME'), [
      'preNotified',
      'addedToDeviceLog',
      'joinedHan',
      'commissioned',
    ]);
    expect(d.status).toBe('Commissioned');
    expect(history.map((h) => [h.from, h.to])).toEqual([
      [null, 'Pending'],
      ['Pending', 'Whitelisted'],
      ['Whitelisted', 'InstalledNotCommissioned'],
      ['InstalledNotCommissioned', 'Commissioned'],
    ]);
  });

  it('a CH reported installed (8.14.1) is Commissioned straight from Pending', () => {
    expect(smiTransition('Pending', 'commissioned', 'CHF')).toMatchObject({ ok: true, to: 'Commissioned' });
    expect(smiTransition('Pending', 'commissioned', 'GPF')).toMatchObject({ ok: true, to: 'Commissioned' });
  });

  it('a PPMID joined to a meter is Commissioned; a meter cannot be commissioned while Pending', () => {
    expect(smiTransition('InstalledNotCommissioned', 'commissioned', 'PPMID')).toMatchObject({
      ok: true,
      to: 'Commissioned',
    });
    expect(smiTransition('Pending', 'commissioned', 'ESME')).toMatchObject({ ok: false, code: 'E5' });
  });

  it('removing a device from the CHF Device Log before commissioning returns it to Pending', () => {
    expect(smiTransition('Whitelisted', 'removedFromDeviceLog', 'ESME')).toMatchObject({ to: 'Pending' });
    expect(smiTransition('InstalledNotCommissioned', 'removedFromDeviceLog', 'PPMID')).toMatchObject({
      to: 'Pending',
    });
    expect(smiTransition('Commissioned', 'removedFromDeviceLog', 'ESME')).toMatchObject({
      ok: true,
      to: 'Commissioned',
      changed: false,
    });
  });

  it('a Pending device cannot join the HAN: the refusal is a typed E5, not an exception', () => {
    const r = applySmiEvent(device('00DB1234567890A0', 'ESME', 'Pending'), 'joinedHan', 0, 'CS14');
    expect(r).toEqual({
      ok: false,
      code: 'E5',
      reason: "'joinedHan' is not allowed for a ESME whose SMI status is Pending",
    });
  });

  it('an event for a device the SMI does not hold is refused with E19', () => {
    expect(smiTransition(null, 'addedToDeviceLog', 'ESME')).toMatchObject({ ok: false, code: 'E19' });
  });

  it('decommissioning works from installed statuses and is refused where it makes no sense', () => {
    for (const from of ['Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Suspended'] as const)
      expect(smiTransition(from, 'decommissioned', 'ESME')).toMatchObject({ ok: true, to: 'Decommissioned' });
    for (const from of ['Pending', 'Decommissioned', 'Withdrawn', 'Recovery', 'NotApplicable'] as const)
      expect(smiTransition(from, 'decommissioned', 'ESME')).toMatchObject({ ok: false, code: 'E5' });
  });

  it('a CH can be withdrawn; DCC recovery goes Recovery → Recovered, which commissioning accepts again', () => {
    expect(run(device('00DB1234567890A2', 'CHF', 'Commissioned'), ['withdrawn']).device.status).toBe(
      'Withdrawn',
    );
    const { device: d } = run(device('00DB1234567890A0', 'ESME', 'Commissioned'), [
      'suspended',
      'recovery',
      'recovered',
      'commissioned',
    ]);
    expect(d.status).toBe('Commissioned');
  });

  it('an IHD or CAD is a Type 2 Device: NotApplicable from the start, untouched by installation events', () => {
    const { device: d, history } = run(details('00DB1234567890B0', 'IHD'), [
      'preNotified',
      'addedToDeviceLog',
      'joinedHan',
      'commissioned',
      'removedFromDeviceLog',
    ]);
    expect(d.status).toBe('NotApplicable');
    expect(history).toHaveLength(1);
    expect(smiTransition(null, 'notApplicable', 'ESME')).toMatchObject({ ok: false, code: 'E19' });
  });

  it('the table is data: a replacement table changes the rules', () => {
    const lenient: SmiTransition[] = [
      {
        event: 'joinedHan',
        deviceTypes: ['ESME'],
        from: ['Pending'],
        to: 'InstalledNotCommissioned',
        note: 'test',
      },
      ...SMI_TRANSITIONS,
    ];
    expect(smiTransition('Pending', 'joinedHan', 'ESME', lenient)).toMatchObject({
      ok: true,
      to: 'InstalledNotCommissioned',
    });
    expect(smiTransition('Pending', 'joinedHan', 'ESME')).toMatchObject({ ok: false });
  });

  it('every row is tagged [A], names known events and statuses, and no two rows claim the same case', () => {
    const seen = new Set<string>();
    for (const row of SMI_TRANSITIONS) {
      expect(row.note.startsWith('[A]')).toBe(true);
      expect(SMI_EVENTS).toContain(row.event);
      if (row.to !== 'unchanged') expect(SMI_STATUSES).toContain(row.to);
      for (const t of row.deviceTypes)
        for (const f of row.from) {
          if (f !== null) expect(SMI_STATUSES).toContain(f);
          const key = `${row.event}/${t}/${f}`;
          expect(seen.has(key), key).toBe(false);
          seen.add(key);
        }
    }
  });

  it('every SMI status is reachable from outside the SMI through the table', () => {
    const reached = new Set<SmiStatus | null>([null]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of SMI_DEVICE_TYPES)
        for (const from of [...reached])
          for (const e of SMI_EVENTS) {
            const r = smiTransition(from, e, t);
            if (r.ok && !reached.has(r.to)) {
              reached.add(r.to);
              grew = true;
            }
          }
    }
    expect([...reached].filter((s) => s !== null).sort()).toEqual([...SMI_STATUSES].sort());
  });

  it('property: any sequence of events leaves a device in one of the ten statuses, its history ending there', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SMI_DEVICE_TYPES),
        fc.array(fc.constantFrom(...SMI_EVENTS), { maxLength: 40 }),
        (type, events) => {
          let d: SmiDevice | NewSmiDevice = details('00DB123456789001', type);
          const history: SmiStatusChange[] = [];
          for (const [i, e] of events.entries()) {
            const r = applySmiEvent(d, e, i, 'prop');
            if (!r.ok) {
              expect(['E5', 'E19']).toContain(r.code);
              expect(r.code === 'E19').toBe(d.status === undefined);
              continue;
            }
            if (r.change !== null) {
              expect(r.change.from).toBe(d.status ?? null);
              history.push(r.change);
            } else expect(r.device.status).toBe(d.status);
            d = r.device;
          }
          if (d.status === undefined) expect(history).toEqual([]);
          else {
            expect(SMI_STATUSES).toContain(d.status);
            expect(history.at(-1)?.to).toBe(d.status);
            history.forEach((h, i) => expect(h.from).toBe(i === 0 ? null : history[i - 1]!.to));
          }
        },
      ),
    );
  });
});

describe('the DSP SMI status check', () => {
  const commissioned = device('00DB1234567890A0', 'ESME', 'Commissioned');

  it('a read to a decommissioned meter is refused with E5', () => {
    const r = checkSmiStatus(srv('4.1.1'), { ...commissioned, status: 'Decommissioned' }, 'IS');
    expect(r).toEqual({
      code: 'E5',
      reason:
        'SRV 4.1.1 Read Instantaneous Import Registers may not be sent to a ESME whose SMI status is Decommissioned',
    });
  });

  it('a request to a device the SMI does not hold is refused with E19', () => {
    expect(checkSmiStatus(srv('4.1.1'), undefined)).toMatchObject({ code: 'E19' });
  });

  it('a commissioned (or recovered) device accepts every device SRV', () => {
    for (const s of ['4.1.1', '7.2', '8.1.1', '8.11', '11.2'])
      expect(checkSmiStatus(srv(s), commissioned, 'IS'), s).toBeNull();
    expect(checkSmiStatus(srv('4.1.1'), { ...commissioned, status: 'Recovered' }, 'ED')).toBeNull();
  });

  it('installation SRVs reach a Whitelisted or InstalledNotCommissioned device; reads and other commands do not', () => {
    for (const status of ['Whitelisted', 'InstalledNotCommissioned'] as const) {
      const d = { ...commissioned, status };
      for (const s of ['8.1.1', '8.7.1', '8.7.2', '8.9', '8.11', '11.2', '6.15.1', '6.15.2'])
        expect(checkSmiStatus(srv(s), d, 'IS'), `${s} ${status}`).toBeNull();
      for (const s of ['4.1.1', '1.6', '7.2', '6.20.1'])
        expect(checkSmiStatus(srv(s), d, 'IS'), `${s} ${status}`).toMatchObject({ code: 'E5' });
    }
  });

  it('before commissioning, installation SRVs are the supplier’s: an Other User is refused with E5', () => {
    const chf = device('00DB1234567890A2', 'CHF', 'InstalledNotCommissioned');
    expect(checkSmiStatus(srv('8.11'), chf, 'GS')).toBeNull();
    expect(checkSmiStatus(srv('8.11'), chf, 'OU')).toMatchObject({ code: 'E5' });
    expect(checkSmiStatus(srv('8.11'), { ...chf, status: 'Commissioned' }, 'OU')).toBeNull();
  });

  it('Pending, Suspended, Withdrawn, Recovery and NotApplicable devices refuse every device SR', () => {
    for (const status of ['Pending', 'Suspended', 'Withdrawn', 'Recovery', 'NotApplicable'] as const)
      for (const s of ['8.1.1', '8.11', '4.1.1'])
        expect(checkSmiStatus(srv(s), { ...commissioned, status }, 'IS'), `${s} ${status}`).toMatchObject({
          code: 'E5',
        });
  });

  it('non-device SRVs are left to their services', () => {
    expect(checkSmiStatus(srv('8.3'), { ...commissioned, status: 'Decommissioned' })).toBeNull();
    expect(checkSmiStatus(srv('12.2'), undefined)).toBeNull();
  });

  it('the rules are data: every SRV they list is a device SRV', () => {
    for (const r of SMI_STATUS_RULES)
      if (r.srvs !== 'other') for (const s of r.srvs) expect(srv(s).nonDevice, s).toBe(false);
  });
});

const FULL_ESME = device('00DB1234567890A0', 'ESME', 'Commissioned', {
  importMpxn: '1234567890123',
  esmeVariant: 'A',
  uprn: 123456789012,
  postCode: 'AB12 3CD',
  addressIdentifier: '12 Acacia Avenue',
  cspRegion: 'North',
  premise: 1,
  chf: CHF,
});

const names = (tree: DuisBodyElement): string[] => (isLeaf(tree) ? [] : tree.children.map((c) => c.name));
const textOf = (tree: DuisBodyElement, name: string): string | undefined => {
  const c = isLeaf(tree) ? undefined : tree.children.find((k) => k.name === name);
  return c === undefined ? undefined : isLeaf(c) ? c.text : '';
};

describe('the 8.2 DSPInventory tree', () => {
  it('writes every field the SMI holds, in the XSD order', () => {
    const tree = inventoryDevice(FULL_ESME, Date.UTC(2025, 11, 28, 16, 51));
    expect(tree).toEqual({
      name: 'Device',
      children: [
        { name: 'DeviceID', text: '00-DB-12-34-56-78-90-A0' },
        { name: 'DeviceType', text: 'ESME' },
        { name: 'DeviceStatus', text: 'Commissioned' },
        { name: 'DeviceManufacturer', text: '106C' },
        { name: 'DeviceModel', text: '433100AC' },
        { name: 'SMETSCHTSVersion', text: 'SMETS2 V4.2' },
        { name: 'DeviceFirmwareVersion', text: '9001' },
        { name: 'DeviceFirmwareVersionStatus', text: 'Active' },
        { name: 'CPLStatus', text: 'Active' },
        { name: 'DateCommissioned', text: '2025-12-28Z' },
        { name: 'ImportMPxN', text: '1234567890123' },
        { name: 'ESMEVariant', text: 'A' },
        { name: 'UPRN', text: '123456789012' },
        {
          name: 'PropertyFilter',
          children: [
            { name: 'PostCode', text: 'AB12 3CD' },
            { name: 'AddressIdentifier', text: '12 Acacia Avenue' },
          ],
        },
        { name: 'CSPRegion', text: 'North' },
        { name: 'DeviceGBCSVersion', text: '4.2' },
      ],
    });
  });

  it('a Type 2 Device (NotApplicable) has no DeviceStatus, and unknown optional fields are left out', () => {
    const cad = device('BC6E76FE007CB4F3', 'CAD', 'NotApplicable', {
      smetsChtsVersion: '',
      firmwareVersion: '',
      gbcsVersion: '',
    });
    expect(names(inventoryDevice(cad))).toEqual([
      'DeviceID',
      'DeviceType',
      'DeviceManufacturer',
      'DeviceModel',
      'DeviceFirmwareVersionStatus',
      'CPLStatus',
    ]);
  });

  it('an empty manufacturer or model is written as an empty element (both are required)', () => {
    const t = inventoryDevice({ ...FULL_ESME, manufacturer: '', model: '' });
    expect(isLeaf(t) ? [] : t.children.slice(3, 5)).toEqual([
      { name: 'DeviceManufacturer', children: [] },
      { name: 'DeviceModel', children: [] },
    ]);
  });

  it('a value the XSD would refuse is a DuisError naming the field', () => {
    expect(() => inventoryDevice({ ...FULL_ESME, cspRegion: 'Mars' })).toThrow(DuisError);
    expect(() => inventoryDevice({ ...FULL_ESME, firmwareVersion: '123456789' })).toThrow(
      /DeviceFirmwareVersion: expected 1..8 characters, got 9/,
    );
    expect(() => inventoryRecord([])).toThrow(/expected 1..17 devices, got 0/);
  });

  it('never builds more sr:Device than the 17 the XSD allows', () => {
    const many = Array.from({ length: 18 }, (_, i) => ({
      device: device(`00DB1234567891${i.toString(16).padStart(2, '0')}`, 'ESME', 'Commissioned'),
    }));
    expect(() => inventoryRecord(many)).toThrow(/expected 1..17 devices, got 18/);
  });

  it('DateCommissioned is the last commissioning in the history, as an xs:date with a Z zone', () => {
    const h = (to: SmiStatus, atMs: number): SmiStatusChange => ({
      deviceId: ESME,
      atMs,
      from: null,
      to,
      cause: 'x',
    });
    expect(
      dateCommissionedMs([h('Pending', 1), h('Commissioned', 2), h('Suspended', 3), h('Commissioned', 4)]),
    ).toBe(4);
    expect(dateCommissionedMs([h('Pending', 1)])).toBeUndefined();
    expect(formatDuisDate(Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('2024-02-29Z');
  });
});

const SAMPLES = ['read-inventory-response-5.4.xml', 'read-inventory-response-4g.xml'];
const sampleDevices = (file: string): DuisBodyElement[] => {
  const res = parseDuisResponse(
    parseXml(readFileSync(vectorPath('dccboxed-signing-tool', 'src', 'test', 'resources', file))),
  );
  if (res.body?.kind !== 'ResponseMessage' || res.body.payload?.kind !== 'DSPInventory')
    throw new Error(file);
  const tree = res.body.payload.tree;
  return isLeaf(tree) ? [] : [...tree.children];
};

/** A sample sr:Device read back into an SMI record. */
function fromSample(t: DuisBodyElement): { device: SmiDevice; commissionedMs?: number } {
  const get = (n: string) => textOf(t, n);
  const pf = isLeaf(t) ? undefined : t.children.find((c) => c.name === 'PropertyFilter');
  const date = get('DateCommissioned');
  const d: SmiDevice = {
    deviceId: eui64(get('DeviceID')!),
    deviceType: get('DeviceType') as SmiDeviceType,
    status: (get('DeviceStatus') ?? 'NotApplicable') as SmiStatus,
    manufacturer: get('DeviceManufacturer')!,
    model: get('DeviceModel')!,
    smetsChtsVersion: get('SMETSCHTSVersion') ?? '',
    firmwareVersion: get('DeviceFirmwareVersion') ?? '',
    firmwareVersionStatus: get('DeviceFirmwareVersionStatus') ?? '',
    cplStatus: get('CPLStatus') ?? '',
    gbcsVersion: get('DeviceGBCSVersion') ?? '',
    ...(get('ImportMPxN') === undefined ? {} : { importMpxn: get('ImportMPxN') }),
    ...(get('ESMEVariant') === undefined ? {} : { esmeVariant: get('ESMEVariant') }),
    ...(get('UPRN') === undefined ? {} : { uprn: Number(get('UPRN')) }),
    ...(pf === undefined
      ? {}
      : { postCode: textOf(pf, 'PostCode'), addressIdentifier: textOf(pf, 'AddressIdentifier') }),
    ...(get('CSPRegion') === undefined ? {} : { cspRegion: get('CSPRegion') }),
    ...(get('HANVariant') === undefined ? {} : { hanVariant: get('HANVariant') }),
  };
  return date === undefined
    ? { device: d }
    : { device: d, commissionedMs: Date.parse(date.replace(/Z$/, 'T00:00:00Z')) };
}

describe.skipIf(!HAVE_VECTORS)('the DSPInventory tree against DCC Boxed and the DUIS XSD', () => {
  const schema = HAVE_VECTORS
    ? DuisSchema.load(vectorPath('dccboxed-signing-tool', 'src', 'main', 'resources', 'DUIS Schema V5.4.xsd'))
    : (undefined as never);

  it('the sample responses name their fields as INVENTORY_DEVICE_FIELDS does, in that order', () => {
    for (const file of SAMPLES)
      for (const d of sampleDevices(file)) {
        const order = names(d).map((n) => INVENTORY_DEVICE_FIELDS.indexOf(n as never));
        expect(order.every((i) => i >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
      }
  });

  it('re-creates every sample sr:Device from its SMI record (Connectivity aside, which the SMI does not hold)', () => {
    for (const file of SAMPLES)
      for (const t of sampleDevices(file)) {
        const { device: d, commissionedMs } = fromSample(t);
        const expected = isLeaf(t)
          ? t
          : { ...t, children: t.children.filter((c) => c.name !== 'Connectivity') };
        expect(inventoryDevice(d, commissionedMs), `${file} ${textOf(t, 'DeviceID')}`).toEqual(expected);
      }
  });

  it('the DSPInventory response validates against the DUIS XSD', () => {
    const devices = [
      { device: FULL_ESME, commissionedMs: Date.UTC(2025, 0, 2) },
      {
        device: device('00DB1234567890A2', 'CHF', 'Commissioned', {
          hanVariant: 'Single Band',
          cspRegion: '4G Central',
        }),
      },
      { device: device('00DB1234567890A3', 'GPF', 'InstalledNotCommissioned') },
      { device: device('00DB1234567890A4', 'GSME', 'Whitelisted', { importMpxn: '1234567890' }) },
      {
        device: device('00DB1234567890B0', 'IHD', 'NotApplicable', {
          firmwareVersion: '',
          smetsChtsVersion: '',
        }),
      },
      { device: { ...device('00DB1234567890B1', 'PPMID', 'Pending'), manufacturer: '', model: '' } },
    ];
    const doc = inventoryResponse(inventoryRecord(devices));
    expect(schema.validate(doc)).toEqual({ valid: true });
    expect(schema.validate(parseXml(serializeXml(doc)))).toEqual({ valid: true });
  });

  it('the XSD check is not vacuous: it refuses NotApplicable as a DeviceStatus, which is why none is written', () => {
    const tree = inventoryRecord([{ device: FULL_ESME }]);
    const kids = isLeaf(tree) ? [] : tree.children;
    const d = kids[0]!;
    const bad = {
      ...tree,
      children: [
        {
          ...d,
          children: (isLeaf(d) ? [] : d.children).map((c) =>
            c.name === 'DeviceStatus' ? { name: 'DeviceStatus', text: 'NotApplicable' } : c,
          ),
        },
      ],
    };
    const r = schema.validate(inventoryResponse(bad));
    expect(r.valid).toBe(false);
    expect(!r.valid && r.errors.map((e) => e.path)).toEqual([
      '/sr:Response/sr:Body/sr:ResponseMessage/sr:DSPInventory/sr:Device/sr:DeviceStatus',
    ]);
  });
});

/** A whole sr:Response answering 8.2 with `tree` as its DSPInventory. */
function inventoryResponse(tree: DuisBodyElement) {
  return buildDuisResponse({
    schemaVersion: '5.4',
    header: {
      requestId: { originator: USER, target: DSP, counter: 1000n },
      responseCode: 'I0',
      responseDateTime: '2025-01-02T03:04:05.678Z',
    },
    body: {
      kind: 'ResponseMessage',
      serviceReference: '8.2',
      serviceReferenceVariant: '8.2',
      payload: { kind: 'DSPInventory', tree },
    },
  });
}
