// SR 11.4 Update PPMID Firmware as a campaign (issue 7 "Done when"): a 700 kB image to 1,000 PPMIDs over HTTP with
// signed DUIS; per-device transfer and activation times and the total; every CCS08 and CS09 alert pushed to each
// supplier linked to the PPMID (premise 0's GSME has another supplier); every GBCS message the run produced on the WAN
// and the HAN (runner.messages) parsed and verified with the codec, each once; the inventory's firmware version; an
// 800 kB image refused. No wall-clock bound: speed is the benchmarks' business (the wall time is printed only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import {
  campaignImage,
  runFirmwareCampaign,
  updatePpmidFirmwareRequest,
  type CampaignResult,
} from '../../src/firmware/campaign.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { TEST_PARTIES } from '../../src/premise/build.js';
import { post, startDcc, type DccHarness, type Received } from '../support/dcc.js';

const PREMISES = 1000;
const SUPPLIER = TEST_PARTIES.supplier!;
const GAS_SUPPLIER = eui64('90B3D51F30020000');
const GSME_0 = eui64('00DB1234567890A1');
const PPMID_0 = eui64('00DB1234567890A4');

let h: DccHarness;
let result: CampaignResult;
let wallMs = 0;

beforeAll(async () => {
  h = await startDcc({
    fleet: PREMISES,
    fleetSeed: 'smets-twin-demo',
    ota: DEFAULT_OTA_LINK,
    recordMessages: true,
  });
  // A shared PPMID (SECMP0007): premise 0's gas meter has another registered supplier, itself a DCC User.
  await h.store.transaction(async (tx) => {
    await tx.putUser({
      eui: GAS_SUPPLIER,
      roles: ['GS'],
      status: 'active',
      receiverUrl: `${(await tx.getUser(SUPPLIER))!.receiverUrl!}${GAS_PATH_SUFFIX}`,
    });
    await tx.putDevice({ ...(await tx.getDevice(GSME_0))!, supplier: GAS_SUPPLIER });
  });
  const t0 = performance.now();
  result = await runFirmwareCampaign({
    dcc: h.dcc,
    premises: PREMISES,
    imageKb: 700,
    submit: async (xml) => ({ code: (await post(h, 'D', xml)).response!.header.responseCode }),
    pushes: () => h.received.map((r) => r.xml),
  });
  wallMs = performance.now() - t0;
}, 600_000); // a guard against a hang only, not a speed bound
afterAll(async () => h.close());

/** The gas supplier's receiver: the harness's, on a path of its own, so that each push says which User it went to. */
const GAS_PATH_SUFFIX = '/gas-supplier';

/** Who a push went to, from the receiver path it was POSTed to. */
const userOf = (r: Received): Eui64 => (r.path.endsWith(GAS_PATH_SUFFIX) ? GAS_SUPPLIER : SUPPLIER);

/** The device alerts with `code` pushed to the Users (to `to` only, when given). */
const alerts = (code: number, to?: Eui64) =>
  h.received.filter(
    (r) =>
      r.response.body?.kind === 'DeviceAlertMessage' &&
      r.response.body.alertCode === code &&
      (to === undefined || userOf(r) === to),
  );

/** The device a pushed alert's GBCS message is about: CS09's originator (the PPMID), CCS08's entity (its PPMID). */
function subjectOf(r: Received): Eui64 | undefined {
  if (r.response.body?.kind !== 'DeviceAlertMessage') return undefined;
  const message = parseGbcs(r.response.body.gbcsPayload).message;
  if (message.header.messageCode !== 0x0128) return message.header.originator;
  const p = message.payload;
  return p.kind === 'asn1' ? (p.asn1.view as { entityId?: Eui64 }).entityId : undefined;
}

describe('a 700 kB image to 1,000 PPMIDs by SR 11.4', () => {
  it('is accepted (I99) in one request and every PPMID runs the new version, with its times reported', () => {
    expect(result.responseCodes).toEqual(['I99']);
    expect(result.devices).toHaveLength(PREMISES);
    expect(result.devices.every((d) => d.activated && d.transferMs !== null && d.activationMs !== null)).toBe(
      true,
    );
    expect(result.activationFailures).toBe(0);
    const minutes = result.devices.map((d) => d.transferMs! / 60_000);
    // Every hub serves its own PPMID, so each transfer takes the model's time for 700 kB (plus the handshakes).
    expect(Math.min(...minutes)).toBeGreaterThan(18);
    expect(Math.max(...minutes)).toBeLessThan(30);
    console.log(
      `campaign: ${(result.campaignMs! / 3_600_000).toFixed(3)} h; transfer ${minutes[0]!.toFixed(2)} min per PPMID; ` +
        `activation ${result.devices[0]!.activationMs} ms; ${result.events} events; wall ${(wallMs / 1000).toFixed(1)} s`,
    );
  });

  it('each PPMID raised CS09 0x8F8B and its CH CCS08 0x8F8A; each supplier got its own', () => {
    const ppmids = new Set(result.devices.map((d) => d.ppmid));
    for (const code of [0x8f8a, 0x8f8b]) {
      // The supplier: one of each alert about every PPMID.
      const toSupplier = alerts(code, SUPPLIER).map(subjectOf);
      expect(toSupplier).toHaveLength(PREMISES);
      expect(new Set(toSupplier)).toEqual(ppmids);
      // The gas supplier (linked to premise 0's PPMID through its GSME): premise 0's alert, and no other.
      expect(alerts(code, GAS_SUPPLIER).map(subjectOf)).toEqual([PPMID_0]);
      expect(alerts(code)).toHaveLength(PREMISES + 1);
    }
    expect(alerts(0x8f89)).toHaveLength(0);
  });

  it('every GBCS message of the run, on the WAN and the HAN, parses and verifies with the codec (each once)', () => {
    const messages = h.dcc.runner.messages;
    const distinct = new Map<string, Uint8Array>();
    for (const m of messages) distinct.set(Buffer.from(m.bytes).toString('base64'), m.bytes);
    const codes = new Map<number, number>();
    let failures = 0;
    for (const bytes of distinct.values()) {
      const parsed = parseGbcs(bytes);
      const v = verifyGbcs(parsed, h.dcc.protection);
      if (!(v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid'))) failures++;
      const code = parsed.message.header.messageCode;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(failures).toBe(0);
    // The alerts of the campaign: a CCS08 from each CH and a CS09 from each PPMID, each carried on the HAN and the WAN.
    expect(codes.get(0x0128)).toBe(PREMISES);
    expect(codes.get(0x012b)).toBe(PREMISES);
    expect(messages.some((m) => m.leg === 'han') && messages.some((m) => m.leg === 'wan-out')).toBe(true);
    console.log(
      `campaign: ${messages.length} GBCS messages recorded, ${distinct.size} distinct, all verified`,
    );
  });

  it('the inventory shows the new running version for every PPMID', async () => {
    const d = await h.store.getDevice(PPMID_0);
    expect(d).toMatchObject({ firmwareVersion: '00000200', firmwareVersionStatus: 'Active' });
    const last = await h.store.getDevice(result.devices.at(-1)!.ppmid);
    expect(last?.firmwareVersion).toBe('00000200');
  });

  it('an 800 kB image is refused (E110401) and nothing is sent', async () => {
    const before = h.received.length;
    const xml = updatePpmidFirmwareRequest(h.dcc, SUPPLIER, 5_000_000n, campaignImage(800_000, 0x300), [
      PPMID_0,
    ]);
    const res = await post(h, 'D', xml);
    expect(res.response?.header.responseCode).toBe('E110401');
    await h.dcc.advance(3_600_000);
    expect(h.received.length).toBe(before);
  });
});
