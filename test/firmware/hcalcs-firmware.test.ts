// SR 11.1 and 11.3 to an HCALCS through the DCC (issue 7 item 3): the demo fleet has none, so the premise is given
// one (DccOptions.premiseOf). Over HTTP with signed DUIS: the CSP's CS05 to the CH, ZigBee OTA to the HCALCS (the
// meters' meterOtaStep), its Firmware Distribution Receipt Alert (0x00CF [A]) and N60, then CS06 (critical: CV4 →
// signed → CV5) activates the image and the running version and the inventory change. Every GBCS message verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuisBodyElement } from '../../src/codec/duis/tree.js';
import { eui64Hyphenated } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import type { HcalcsState } from '../../src/devices/hcalcs.js';
import { firmwareUpdateRequest, testOtaImage } from '../../src/firmware/campaign.js';
import { manufacturerImageHash } from '../../src/firmware/images.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { TEST_PARTIES } from '../../src/premise/build.js';
import { premiseEui } from '../../src/premise/identities.js';
import { post, startDcc, type DccHarness } from '../support/dcc.js';
import { DccUser } from '../support/dcc-user.js';

const SUPPLIER = TEST_PARTIES.supplier!;
const HCALCS = premiseEui(FIRST_PREMISE_NUMBER, 'HCALCS');
const CHF = premiseEui(FIRST_PREMISE_NUMBER, 'CHF');
const MINUTE = 60_000;

let h: DccHarness;
beforeAll(async () => {
  h = await startDcc({
    fleet: 1,
    premiseOf: () => ({ spec: { esme: true, hcalcs: true } }),
    ota: DEFAULT_OTA_LINK,
  });
});
afterAll(async () => h.close());

const kids = (e: DuisBodyElement): readonly DuisBodyElement[] => ('children' in e ? e.children : []);
const field = (e: DuisBodyElement, name: string) => {
  const c = kids(e).find((x) => x.name === name);
  return c !== undefined && 'text' in c ? c.text : undefined;
};

function verified(bytes: Uint8Array) {
  const parsed = parseGbcs(bytes);
  const v = verifyGbcs(parsed, h.dcc.protection);
  expect(v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid')).toBe(true);
  return parsed;
}

describe('SR 11.1 and SR 11.3 to an HCALCS through the DCC', () => {
  const image = testOtaImage(30_000, 0x00000200, 0x0004, true);
  const hcalcs = () => h.dcc.runner.actor<HcalcsState>(0, HCALCS);

  it('11.1: I99, the HCALCS takes the image by OTA and raises its receipt alert (0x00CF 0x8F72, the hash); N60', async () => {
    expect(await h.store.getDevice(HCALCS)).toMatchObject({ deviceType: 'HCALCS', status: 'Commissioned' });
    const mark = h.received.length;
    const xml = firmwareUpdateRequest('11.1', h.dcc, SUPPLIER, 9_100_000n, image, [HCALCS], '00000200');
    const res = await post(h, 'D', xml);
    expect(res.response?.header.responseCode).toBe('I99');
    await h.dcc.advance(10 * MINUTE);
    expect(hcalcs().heldImage?.fileVersion).toBe(0x200);
    const pushed = h.received.slice(mark).map((r) => r.response);
    const receipts = pushed.flatMap((r) =>
      r.body?.kind === 'DeviceAlertMessage' && r.body.alertCode === 0x8f72
        ? [verified(r.body.gbcsPayload)]
        : [],
    );
    expect(receipts).toHaveLength(1);
    const receipt = receipts[0]!;
    expect(receipt.message.header.originator).toBe(HCALCS);
    expect(receipt.message.header.messageCode).toBe(0x00cf);
    const p = receipt.message.payload;
    expect(p.kind === 'gbz' && p.gbz.kind === 'alert' && p.gbz.body).toMatchObject({
      kind: 'firmware-hash',
      hash: manufacturerImageHash(image, true),
    });
    const n60 = pushed.flatMap((r) =>
      r.body?.kind === 'DCCAlertMessage' && r.body.dccAlertCode === 'N60' ? [r.body.dccAlert] : [],
    );
    expect(n60.map((e) => [field(e, 'TargetDeviceID'), field(e, 'CommsHubDeviceID')])).toEqual([
      [eui64Hyphenated(HCALCS), eui64Hyphenated(CHF)],
    ]);
    expect(field(n60[0]!, 'CommsHubTransferStatus')).toBe('Success');
    expect(field(n60[0]!, 'UpdateFirmwareRequestID')).toContain(':9100000');
    expect(await h.store.loadFirmwareTracking()).toEqual([]);
  });

  it('11.3: CS06 with the image hash activates it (outcome 0, the new version); the HCALCS and the inventory follow', async () => {
    expect(hcalcs().firmwareVersion).not.toBe(0x200);
    const user = new DccUser(h, SUPPLIER, 200n);
    const hash = Buffer.from(manufacturerImageHash(image, true)).toString('hex').toUpperCase();
    const parsed = await user.critical('11.3', HCALCS, {
      element: 'ActivateFirmware',
      children: [{ name: 'FirmwareHash', text: hash }],
    });
    expect(parsed.message.header.originator).toBe(HCALCS);
    verified(parsed.bytes);
    const view = (parsed.message.payload.kind === 'asn1' ? parsed.message.payload.asn1.view : undefined) as
      { executionOutcome?: { responseCode: number; firmwareVersion: Uint8Array } } | undefined;
    expect(view?.executionOutcome?.responseCode).toBe(0);
    expect(Buffer.from(view!.executionOutcome!.firmwareVersion).toString('hex')).toBe('00000200');
    expect(hcalcs().firmwareVersion).toBe(0x200);
    expect(hcalcs().heldImage).toBeUndefined();
    expect(await h.store.getDevice(HCALCS)).toMatchObject({
      firmwareVersion: '00000200',
      firmwareVersionStatus: 'Active',
    });
  });
});
