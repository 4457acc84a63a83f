// A premise walked through installation and commissioning over HTTP with signed DUIS (issue 5), then every
// seed-relevant SRV: each answered I99 (or I0 at once for a transform or a non-device request), then a signed I0
// pushed to the User whose GBCS verifies with the codec and whose effect shows in the device's state. Critical
// SRVs go CV4 → the User signs the Pre-Command with its GBCS key → CV5, as a DCC Boxed client does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import type { DuisResponse } from '../../src/codec/duis/response.js';
import { srvInfo, type Srv } from '../../src/codec/duis/srv.js';
import { messageCodesForUseCase } from '../../src/codec/gbcs/message-codes.js';
import { eui64, eui64Hyphenated, type Eui64 } from '../../src/codec/eui64.js';
import type { ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import { derivedInstallCode } from '../../src/premise/identities.js';
import {
  prepayConfiguration,
  replacementCertificates,
  synchroniseClock,
  toPrepayment,
  UPDATE_DEBT,
  activateFirmware,
  updateCredentials,
} from '../support/duis-bodies.js';
import { utrnFor } from '../support/esme-commands.js';
import { bodyFromXml } from '../support/transform-electricity.js';
import { post, signedRequest, startDcc, type DccHarness } from '../support/dcc.js';
import { DccUser } from '../support/dcc-user.js';

const SUPPLIER = eui64('90B3D51F30010000');
const DSP = eui64('90B3D51F30000002');
const ESME = eui64('00DB1234567890A0');
const CHF = eui64('00DB1234567890A2');
const PPMID = eui64('00DB1234567890A4');
const NEW_CHF = eui64('00DB1234567891A2');
const MINUTE = 60_000;
const SEED = 'smets-twin-demo';

let h: DccHarness;
let supplier: DccUser | undefined;

beforeAll(async () => {
  // Premise 0: its CH powered, its HAN devices in the SMI as Pending, not yet on any Device Log. Premise 1's CHF
  // stands in as the replacement hub for 8.12.1.
  h = await startDcc({
    fleet: 2,
    commissioned: 0,
    fleetSeed: SEED,
    recordNotes: true,
    onNote: (t) => {
      if (process.env['DBG']) console.log(t);
    },
  });
});
afterAll(async () => {
  if (process.env['DBG'])
    for (const n of h.dcc.runner.notes) console.log(new Date(n.atMs).toISOString(), n.actor, n.text);
  await h.close();
});

const esme = (): EsmeState => h.dcc.runner.actor<EsmeState>(0, ESME);
const smiStatus = async (eui: Eui64) => (await h.store.getDevice(eui))?.status;

const user = (): DccUser => (supplier ??= new DccUser(h, SUPPLIER, 20_000n));
const nonCritical = (srv: Srv, target: Eui64, b?: DuisRequestBody): Promise<ParsedGbcs> =>
  user().nonCritical(srv, target, b);
const critical = (srv: Srv, target: Eui64, b?: DuisRequestBody): Promise<ParsedGbcs> =>
  user().critical(srv, target, b);

/** A non-device request (CV8) answered at once. */
async function nonDevice(srv: Srv, body: DuisRequestBody): Promise<DuisResponse> {
  const res = await post(
    h,
    'D',
    signedRequest(h, { user: SUPPLIER, target: DSP, counter: user().next(), cv: 8, srv, body }),
  );
  return res.response!;
}

const body = (srv: Srv, xml: string): DuisRequestBody => bodyFromXml(srv, xml);
const element = (srv: Srv): DuisRequestBody => ({ element: srvInfo(srv)!.bodyElement, children: [] });
const addToDeviceLog = (device: Eui64): DuisRequestBody =>
  body(
    '8.11',
    `<sr:UpdateHANDeviceLog><sr:DeviceID>${eui64Hyphenated(device)}</sr:DeviceID><sr:RequestType>Add</sr:RequestType>` +
      `<sr:AddDeviceToCHFWhitelist><sr:JoinTimePeriod>3600</sr:JoinTimePeriod>` +
      `<sr:InstallCode>${derivedInstallCode(SEED, device)}</sr:InstallCode></sr:AddDeviceToCHFWhitelist></sr:UpdateHANDeviceLog>`,
  );
const codeOf = (useCase: string): number => messageCodesForUseCase(useCase)[0]!.code;
const results = (g: ParsedGbcs): number[] => {
  const p = g.message.payload;
  if (p.kind !== 'dlms' || p.dlms.type !== 'access-response') return [];
  return p.dlms.responseSpecifications.map((s) =>
    s.type === 'action'
      ? s.actionResult
      : s.type === 'set'
        ? s.dataAccessResult
        : s.type === 'get'
          ? s.dataAccessResult
          : 0,
  );
};

describe('installation and commissioning', () => {
  it('8.11: the ESME and the PPMID are added to the CHF Device Log (CCS01) and become Whitelisted', async () => {
    for (const device of [ESME, PPMID]) {
      const response = await nonCritical('8.11', CHF, addToDeviceLog(device));
      expect(response.message.header).toMatchObject({
        cra: 2,
        originator: CHF,
        messageCode: codeOf('CCS01'),
      });
      expect(results(response)).toEqual([0, 0, 0]);
      expect(await smiStatus(device)).toBe('Whitelisted');
    }
    expect(h.dcc.runner.actor<ChfState>(0, CHF).deviceLog.map((e) => e.device)).toEqual([ESME, PPMID]);
  });

  it('the installer powers them; they join the SMHAN: InstalledNotCommissioned, and N24 for each 8.11', async () => {
    h.dcc.runner.inject(0, ESME, { type: 'power', on: true });
    h.dcc.runner.inject(0, PPMID, { type: 'power', on: true });
    await h.dcc.advance(2 * MINUTE);
    expect(await smiStatus(ESME)).toBe('InstalledNotCommissioned');
    expect(await smiStatus(PPMID)).toBe('InstalledNotCommissioned');
    const n24 = h.received.filter((r) => r.response.body?.kind === 'DCCAlertMessage');
    expect(
      n24.map((r) => r.response.body?.kind === 'DCCAlertMessage' && r.response.body.dccAlertCode),
    ).toEqual(['N24', 'N24']);
  });

  it('8.1.1 (ECS70, critical): the ESME clock is set and the meter is Commissioned', async () => {
    const response = await critical(
      '8.1.1',
      ESME,
      body('8.1.1', synchroniseClock('CommissionDeviceSynchroniseClock', h.dcc.field.now())),
    );
    expect(response.message.signature.kind).toBe('present');
    expect(await smiStatus(ESME)).toBe('Commissioned');
  });

  it('8.7.1 and 8.7.2: the ESME and the PPMID join each other (CS03A1, CS03A2); the PPMID is Commissioned', async () => {
    const join = (srv: Srv, element: string, other: Eui64) =>
      body(
        srv,
        `<sr:${element}><sr:OtherDeviceID>${eui64Hyphenated(other)}</sr:OtherDeviceID></sr:${element}>`,
      );
    const atMeter = await critical('8.7.1', ESME, join('8.7.1', 'JoinServiceCritical', PPMID));
    expect(atMeter.message.payload).toMatchObject({ kind: 'asn1', asn1: { view: { responseCode: 0 } } });
    const atPpmid = await nonCritical('8.7.2', PPMID, join('8.7.2', 'JoinServiceNonCritical', ESME));
    expect(atPpmid.message.payload).toMatchObject({ kind: 'asn1', asn1: { view: { responseCode: 0 } } });
    expect(await smiStatus(PPMID)).toBe('Commissioned');
  });
});

describe('the seed-relevant SRVs on the commissioned premise', () => {
  it('4.1.1, 4.1.2 and 4.1.3 read the import, TOU and TOU-with-blocks registers (ECS17b, ECS17d, ECS17e)', async () => {
    for (const [srv, useCase] of [
      ['4.1.1', 'ECS17b'],
      ['4.1.2', 'ECS17d'],
      ['4.1.3', 'ECS17e'],
    ] as const) {
      const r = await nonCritical(srv, ESME, element(srv));
      expect(r.message.header.messageCode).toBe(codeOf(useCase));
      expect(results(r).every((x) => x === 0)).toBe(true);
    }
  });

  it('1.6 switches the ESME to prepayment (ECS03)', async () => {
    await critical('1.6', ESME, body('1.6', toPrepayment()));
    expect(esme().prepayment.mode).toBe('prepayment');
    expect(esme().prepayment.disablementThreshold).toBe(556_677);
  });

  it('2.1 sets the prepayment configuration (ECS08); 4.13 reads it back (ECS26a)', async () => {
    const set = await critical('2.1', ESME, body('2.1', prepayConfiguration()));
    expect(results(set).every((x) => x === 0)).toBe(true);
    expect(esme().prepayment).toMatchObject({
      emergencyCreditLimit: 300_000,
      lowCreditThreshold: 200_000,
      maxMeterBalance: 5_000_000,
    });
    const read = await nonCritical('4.13', ESME, element('4.13'));
    expect(read.message.header.messageCode).toBe(codeOf('ECS26a'));
    expect(results(read).every((x) => x === 0)).toBe(true);
  });

  it('2.2 tops up with a UTRN (CS01a); 4.18 reads the new balance (ECS82)', async () => {
    const before = esme().prepayment.ledger.meterBalance;
    const utrn = utrnFor(h.dcc.runner.env, { counter: 0x1_0000_0000n * 3n, value: 5 });
    await nonCritical(
      '2.2',
      ESME,
      body('2.2', `<sr:TopUpDevice><sr:UTRN>${utrn}</sr:UTRN></sr:TopUpDevice>`),
    );
    expect(esme().prepayment.ledger.meterBalance).toBeGreaterThan(before);
    const read = await nonCritical('4.18', ESME, element('4.18'));
    expect(results(read).every((x) => x === 0)).toBe(true);
  });

  it('2.3 updates the debt registers (ECS07)', async () => {
    const r = await critical('2.3', ESME, body('2.3', UPDATE_DEBT));
    expect(results(r).every((x) => x === 0)).toBe(true);
    expect(esme().prepayment).toMatchObject({ ledger: { timeDebts: [30_000, 15_000], paymentDebt: 50_000 } });
  });

  it('2.5 activates emergency credit (ECS09)', async () => {
    await critical('2.5', ESME, element('2.5'));
    expect(esme().prepayment.ledger.emergencyCreditActive).toBe(true);
  });

  it('6.15.1 replaces the supplier credentials on the ESME (CS02b)', async () => {
    const r = await critical(
      '6.15.1',
      ESME,
      body('6.15.1', updateCredentials({ certificates: replacementCertificates() })),
    );
    expect(r.message.payload.kind).toBe('asn1');
    expect(Object.keys(esme().trustAnchorKeyIds ?? {}).length).toBeGreaterThan(0);
  });

  it('7.2 disables, 7.3 arms, 7.1 enables the supply; 7.4 reads it (ECS43, ECS44, ECS42, ECS45)', async () => {
    await critical('7.2', ESME, element('7.2'));
    expect(esme().supply).toBe('disabled');
    await critical('7.3', ESME, element('7.3'));
    expect(esme().supply).toBe('armed');
    await critical('7.1', ESME, element('7.1'));
    expect(esme().supply).toBe('enabled');
    const read = await nonCritical('7.4', ESME, element('7.4'));
    expect(read.message.header.messageCode).toBe(codeOf('ECS45'));
  });

  it('8.9 reads the CHF Device Log (CCS07) and the ESME join details (CS07)', async () => {
    const chfLog = await nonCritical(
      '8.9',
      CHF,
      body('8.9', '<sr:ReadDeviceLog><sr:ReadSecurityDetails/></sr:ReadDeviceLog>'),
    );
    expect(chfLog.message.header.originator).toBe(CHF);
    const joins = await nonCritical('8.9', ESME, element('8.9'));
    expect(joins.message.payload).toMatchObject({ kind: 'asn1', asn1: { view: { responseCode: 0 } } });
  });

  it('11.2 reads the firmware version (ECS52); 11.3 asks for an activation (CS06) and gets its outcome', async () => {
    const version = await nonCritical('11.2', ESME, element('11.2'));
    expect(version.message.header.messageCode).toBe(codeOf('ECS52'));
    const activation = await critical('11.3', ESME, body('11.3', activateFirmware()));
    expect(activation.message.payload.kind).toBe('asn1');
  });

  it('8.12.1 restores the Device Log the old CHF last reported onto a replacement CHF (CCS03)', async () => {
    const r = await nonCritical(
      '8.12.1',
      NEW_CHF,
      body(
        '8.12.1',
        `<sr:RestoreHANDeviceLog><sr:OldCHFID>${eui64Hyphenated(CHF)}</sr:OldCHFID></sr:RestoreHANDeviceLog>`,
      ),
    );
    expect(r.message.header.originator).toBe(NEW_CHF);
    expect(h.dcc.runner.actor<ChfState>(1, NEW_CHF).deviceLog.map((e) => e.device)).toEqual(
      expect.arrayContaining([ESME, PPMID]),
    );
  });

  it('8.2 reads the inventory, 8.4 updates it, 8.3 decommissions a device (non-device, CV8)', async () => {
    const read = await nonDevice(
      '8.2',
      body('8.2', `<sr:ReadInventory><sr:DeviceID>${eui64Hyphenated(ESME)}</sr:DeviceID></sr:ReadInventory>`),
    );
    expect(read.header.responseCode).toBe('I0');
    const update = await nonDevice(
      '8.4',
      body(
        '8.4',
        `<sr:UpdateInventory><sr:DeviceID>${eui64Hyphenated(ESME)}</sr:DeviceID><sr:UpdateDeviceDetails><sr:DeviceModel>TWIN-2</sr:DeviceModel></sr:UpdateDeviceDetails></sr:UpdateInventory>`,
      ),
    );
    expect(update.header.responseCode).toBe('I99');
    expect((await h.store.getDevice(ESME))?.model).toBe('TWIN-2');
    const decommission = await nonDevice(
      '8.3',
      body(
        '8.3',
        `<sr:DecommissionDevice><sr:DeviceID>${eui64Hyphenated(PPMID)}</sr:DeviceID></sr:DecommissionDevice>`,
      ),
    );
    expect(decommission.header.responseCode).toBe('I99');
    expect(await smiStatus(PPMID)).toBe('Decommissioned');
  });
});
