// SR 11.1 Update Firmware, 11.3 Activate Firmware and 11.2 Read Firmware Version end to end (issue 7 item 3), over
// HTTP with signed DUIS: the CSP's CS05 to the CH, ZigBee OTA to the ESME and to the sleepy GSME (at its wake-ups),
// the device's Firmware Distribution Receipt Alert (0x00CE / 0x00CF, GBCS 11.1) and DCC alert N60, N61 for an
// unreachable premise, CS06's outcomes (0 success, 1 no image held, 2 hash mismatch) immediate and future-dated
// (0x00CA 0x8F66), the CH's own image (CS05a), the image size limit, and the DSP warning bodies of 11.1 and 11.4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuisResponse } from '../../src/codec/duis/response.js';
import type { DuisBodyElement } from '../../src/codec/duis/tree.js';
import { eui64, eui64Hyphenated, type Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import type { GsmeState } from '../../src/devices/gsme-state.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import { campaignImage, firmwareUpdateRequest, testOtaImage } from '../../src/firmware/campaign.js';
import { manufacturerImageHash } from '../../src/firmware/images.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { TEST_PARTIES } from '../../src/premise/build.js';
import { post, startDcc, type DccHarness } from '../support/dcc.js';
import { DccUser } from '../support/dcc-user.js';

const SUPPLIER = TEST_PARTIES.supplier!;
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A1');
const CHF = eui64('00DB1234567890A2');
const PPMID = eui64('00DB1234567890A4');
const ESME_UNCOVERED = eui64('00DB1234567891A0');
const UNKNOWN = eui64('00DB1234567899FF');
const MINUTE = 60_000;

let h: DccHarness;
let user: DccUser;
let counter = 9_000_000n;

beforeAll(async () => {
  h = await startDcc({ fleet: 2, uncovered: [1], ota: DEFAULT_OTA_LINK });
  user = new DccUser(h, SUPPLIER, 100n);
});
afterAll(async () => h.close());

const hashHex = (image: Uint8Array) =>
  Buffer.from(manufacturerImageHash(image, true)).toString('hex').toUpperCase();
const esme = () => h.dcc.runner.actor<EsmeState>(0, ESME);
const gsme = () => h.dcc.runner.actor<GsmeState>(0, GSME);
const since = (n: number) => h.received.slice(n).map((r) => r.response);

async function update(
  image: Uint8Array,
  devices: readonly Eui64[],
  version: string,
  srv: '11.1' | '11.4' = '11.1',
) {
  counter += 1n;
  const res = await post(
    h,
    'D',
    firmwareUpdateRequest(srv, h.dcc, SUPPLIER, counter, image, devices, version),
  );
  return { res: res.response!, counter };
}

function activateBody(hash: string, at?: number) {
  return {
    element: 'ActivateFirmware',
    children: [
      ...(at === undefined
        ? []
        : [{ name: 'ExecutionDateTime', text: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') }]),
      { name: 'FirmwareHash', text: hash },
    ],
  };
}

function dccAlerts(rs: DuisResponse[], code: string): DuisBodyElement[] {
  return rs.flatMap((r) =>
    r.body?.kind === 'DCCAlertMessage' && r.body.dccAlertCode === code ? [r.body.dccAlert] : [],
  );
}

const kids = (e: DuisBodyElement): readonly DuisBodyElement[] => ('children' in e ? e.children : []);
const textOf = (e: DuisBodyElement | undefined) => (e !== undefined && 'text' in e ? e.text : undefined);
const field = (e: DuisBodyElement, name: string) => textOf(kids(e).find((c) => c.name === name));

function verified(bytes: Uint8Array): ParsedGbcs {
  const parsed = parseGbcs(bytes);
  const v = verifyGbcs(parsed, h.dcc.protection);
  expect(v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid')).toBe(true);
  return parsed;
}

function receiptAlerts(rs: DuisResponse[], from: Eui64): ParsedGbcs[] {
  return rs.flatMap((r) => {
    if (r.body?.kind !== 'DeviceAlertMessage' || r.body.alertCode !== 0x8f72) return [];
    const parsed = verified(r.body.gbcsPayload);
    return parsed.message.header.originator === from ? [parsed] : [];
  });
}

function outcome(parsed: ParsedGbcs): { responseCode: number; firmwareVersion: string } | undefined {
  const p = parsed.message.payload;
  const view = (p.kind === 'asn1' ? p.asn1.view : undefined) as
    { executionOutcome?: { responseCode: number; firmwareVersion: Uint8Array } } | undefined;
  const o = view?.executionOutcome;
  return o === undefined
    ? undefined
    : {
        responseCode: o.responseCode,
        firmwareVersion: Buffer.from(o.firmwareVersion).toString('hex').toUpperCase(),
      };
}

describe('SR 11.1 to an ESME, then SR 11.3 and 11.2', () => {
  const image = testOtaImage(20_000, 0x00000200, 0x0000, true);

  it('is acknowledged I99; the ESME receives the image, raises 0x00CE 0x8F72 with its hash, and the DSP sends N60', async () => {
    const mark = h.received.length;
    const { res, counter: c } = await update(image, [ESME], '00000200');
    expect(res.header.responseCode).toBe('I99');
    await h.dcc.advance(10 * MINUTE);
    expect(esme().heldImage?.fileVersion).toBe(0x200);
    const [receipt, ...more] = receiptAlerts(since(mark), ESME);
    expect(more).toEqual([]);
    expect(receipt!.message.header.messageCode).toBe(0x00ce);
    const p = receipt!.message.payload;
    if (p.kind !== 'dlms' || p.dlms.type !== 'data-notification') throw new Error('not a DLMS notification');
    const body = p.dlms.notificationBody;
    if (body.type !== 'structure') throw new Error('not a structure');
    const hash = body.value[2];
    expect(hash?.type === 'octet-string' && Buffer.from(hash.value).toString('hex').toUpperCase()).toBe(
      hashHex(image),
    );
    const [n60, ...others] = dccAlerts(since(mark), 'N60');
    expect(others).toEqual([]);
    expect(field(n60!, 'TargetDeviceID')).toBe(eui64Hyphenated(ESME));
    expect(field(n60!, 'CommsHubDeviceID')).toBe(eui64Hyphenated(CHF));
    expect(field(n60!, 'CommsHubTransferStatus')).toBe('Success');
    expect(field(n60!, 'UpdateFirmwareRequestID')).toContain(`:${c}`);
  });

  it('CS06 with the wrong hash answers 2 (hash mismatch) and keeps the running version', async () => {
    const parsed = await user.critical('11.3', ESME, activateBody('00'.repeat(32)));
    expect(outcome(parsed)).toEqual({ responseCode: 2, firmwareVersion: '00000100' });
    expect(esme().firmwareVersion).toBe(0x100);
  });

  it('a future-dated CS06 with the right hash activates at its time: 0x00CA 0x8F66, outcome 0, the inventory follows', async () => {
    const at = h.dcc.field.now() + 60 * MINUTE;
    const c = user.next() + 1n;
    const accepted = await user.critical('11.3', ESME, activateBody(hashHex(image), at));
    expect(accepted.message.payload.kind).toBe('asn1');
    expect(esme().firmwareVersion).toBe(0x100);
    const mark = h.received.length;
    await h.dcc.advance(61 * MINUTE);
    const alert = since(mark).find(
      (r) => r.header.requestId?.counter === c && r.body?.kind === 'ResponseMessage',
    );
    const payload = alert?.body?.kind === 'ResponseMessage' ? alert.body.payload : null;
    if (payload?.kind !== 'FutureDatedDeviceAlertMessage') throw new Error('no future-dated alert');
    expect(payload.alertCode).toBe(0x8f66);
    const parsed = verified(payload.gbcsPayload);
    expect(parsed.message.header.messageCode).toBe(0x00ca);
    expect(outcome(parsed)).toEqual({ responseCode: 0, firmwareVersion: '00000200' });
    expect(esme().firmwareVersion).toBe(0x200);
    expect(esme().heldImage).toBeUndefined();
    expect(await h.store.getDevice(ESME)).toMatchObject({
      firmwareVersion: '00000200',
      firmwareVersionStatus: 'Active',
    });
  });

  it('a second image activated at once (outcome 0); CS06 again finds no image (outcome 1); ECS52 reads the version', async () => {
    const next = testOtaImage(20_000, 0x00000300, 0x0000, true);
    expect((await update(next, [ESME], '00000300')).res.header.responseCode).toBe('I99');
    await h.dcc.advance(10 * MINUTE);
    const done = await user.critical('11.3', ESME, activateBody(hashHex(next)));
    expect(outcome(done)).toEqual({ responseCode: 0, firmwareVersion: '00000300' });
    const again = await user.critical('11.3', ESME, activateBody(hashHex(next)));
    expect(outcome(again)).toEqual({ responseCode: 1, firmwareVersion: '00000300' });
    const read = await user.nonCritical('11.2', ESME);
    const p = read.message.payload;
    expect(p.kind === 'dlms' && p.dlms.type === 'access-response' && p.dlms.data[0]).toMatchObject({
      type: 'octet-string',
      value: Uint8Array.of(0, 0, 3, 0),
    });
    expect((await h.store.getDevice(ESME))?.firmwareVersion).toBe('00000300');
  });
});

describe('SR 11.1 to a GSME: the image fetched over its wake-ups', () => {
  const image = testOtaImage(400_000, 0x00000200, 0x0001, true);

  it('completes over several wake-ups, raises 0x00CF, gives N60; CS06 activates and GCS38 reads the new version', async () => {
    const mark = h.received.length;
    expect((await update(image, [GSME], '00000200')).res.header.responseCode).toBe('I99');
    for (let i = 0; i < 12 && gsme().heldImage === undefined; i++) await h.dcc.advance(30 * MINUTE);
    const d = gsme().otaDownload!;
    expect(d.status).toBe('downloaded');
    expect(d.runs).toBeGreaterThan(1); // one block run per wake-up
    const transfer = h.dcc.runner.actor<ChfState>(0, CHF).ota!.transfers.find((t) => t.client === GSME)!;
    expect(transfer.interruptions).toBe(0); // runs ended by sleep, not power cuts
    await h.dcc.advance(MINUTE);
    const [receipt] = receiptAlerts(since(mark), GSME);
    expect(receipt!.message.header.messageCode).toBe(0x00cf);
    const p = receipt!.message.payload;
    expect(p.kind === 'gbz' && p.gbz.kind === 'alert' && p.gbz.body).toMatchObject({ kind: 'firmware-hash' });
    expect(dccAlerts(since(mark), 'N60').map((e) => field(e, 'TargetDeviceID'))).toEqual([
      eui64Hyphenated(GSME),
    ]);
    const done = await user.critical('11.3', GSME, activateBody(hashHex(image)), 31 * MINUTE);
    expect(outcome(done)).toEqual({ responseCode: 0, firmwareVersion: '00000200' });
    expect(gsme().firmwareVersion).toBe(0x200);
    await user.nonCritical('11.2', GSME, undefined, 31 * MINUTE);
    expect((await h.store.getDevice(GSME))?.firmwareVersion).toBe('00000200');
  });
});

describe("SR 11.1 with the CH's own image (CS05a)", () => {
  it('N60 when it reaches the CH; CS06 activates it; ECS52 reads it', async () => {
    const image = testOtaImage(20_000, 0x00000200, 0x0002, true);
    const mark = h.received.length;
    expect((await update(image, [CHF], '00000200')).res.header.responseCode).toBe('I99');
    await h.dcc.advance(MINUTE);
    expect(dccAlerts(since(mark), 'N60').map((e) => field(e, 'TargetDeviceID'))).toEqual([
      eui64Hyphenated(CHF),
    ]);
    const done = await user.critical('11.3', CHF, activateBody(hashHex(image)));
    expect(outcome(done)).toEqual({ responseCode: 0, firmwareVersion: '00000200' });
    await user.nonCritical('11.2', CHF);
    expect((await h.store.getDevice(CHF))?.firmwareVersion).toBe('00000200');
  });
});

describe('SR 11.1 refusals, failures and warnings', () => {
  it('an unreachable premise gives N61 (Failure) for its device at once', async () => {
    const mark = h.received.length;
    const image = testOtaImage(20_000, 0x00000400, 0x0000, true);
    expect((await update(image, [ESME_UNCOVERED], '00000400')).res.header.responseCode).toBe('I99');
    await h.dcc.advance(MINUTE);
    const [n61, ...more] = dccAlerts(since(mark), 'N61');
    expect(more).toEqual([]);
    expect(field(n61!, 'TargetDeviceID')).toBe(eui64Hyphenated(ESME_UNCOVERED));
    expect(field(n61!, 'CommsHubTransferStatus')).toBe('Failure');
  });

  it('an image over the policy limit (750 kB) is refused E110101 and nothing is sent', async () => {
    const mark = h.received.length;
    const { res } = await update(testOtaImage(800_000, 0x500, 0x0000, true), [ESME], '00000500');
    expect(res.header.responseCode).toBe('E110101');
    await h.dcc.advance(10 * MINUTE);
    expect(h.received.length).toBe(mark);
  });

  it('11.1 lists excluded devices in DSPUpdateFirmwareWarning (W110101)', async () => {
    const { res } = await update(
      testOtaImage(20_000, 0x600, 0x0000, true),
      [ESME, UNKNOWN, PPMID],
      '00000600',
    );
    expect(res.header.responseCode).toBe('W110101');
    const payload = res.body?.kind === 'ResponseMessage' ? res.body.payload : null;
    if (payload === null || !('tree' in payload)) throw new Error('no warning body');
    expect(payload.kind).toBe('DSPUpdateFirmwareWarning');
    expect(kids(payload.tree).map((c) => [c.name, textOf(c)])).toEqual([
      ['InvalidDeviceIDList', eui64Hyphenated(UNKNOWN)],
      ['NotApplicableFirmwareDeviceIDList', eui64Hyphenated(PPMID)],
    ]);
    await h.dcc.advance(10 * MINUTE);
  });

  it('11.4 lists excluded devices in DSPUpdatePPMIDFirmwareWarning (W110401)', async () => {
    const { res } = await update(campaignImage(20_000, 0x700), [PPMID, ESME, UNKNOWN], '00000700', '11.4');
    expect(res.header.responseCode).toBe('W110401');
    const payload = res.body?.kind === 'ResponseMessage' ? res.body.payload : null;
    if (payload === null || !('tree' in payload)) throw new Error('no warning body');
    expect(payload.kind).toBe('DSPUpdatePPMIDFirmwareWarning');
    expect(kids(payload.tree).map((c) => [c.name, textOf(c)])).toEqual([
      ['InvalidDeviceIDList', eui64Hyphenated(UNKNOWN)],
      ['NotApplicableFirmwareDeviceIDList', eui64Hyphenated(ESME)],
    ]);
    await h.dcc.advance(30 * MINUTE);
  });
});
