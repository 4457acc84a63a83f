// A campaign ends for the suppliers when the last CS09 reaches them, not when the last PPMID activates: at an
// intermittent premise the PPMID's CS09 waits in the CSP for the premise's next connection window. The campaign
// settles on the CS09s the DSP pushes to the suppliers and reports both figures: campaignMs (request → last CS09 at a
// supplier) and lastActivationMs (request → last activation at a PPMID). A 700 kB image takes longer on the HAN than
// a connection window lasts, so the CS09 of a PPMID that took it in a window is held for the next one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dcc } from '../../src/dcc/dcc.js';
import { runFirmwareCampaign, type CampaignResult } from '../../src/firmware/campaign.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const N = 12;
const WAN = { coverageShares: { none: 0, intermittent: 1 }, holdLimitMs: 22 * 3_600_000 };
let store: Store;
let dcc: Dcc;
let result: CampaignResult;
const pushes: string[] = [];

beforeAll(async () => {
  store = await openStore(':memory:');
  dcc = await Dcc.open({
    store,
    fleet: N,
    fleetSeed: 'rev',
    policy: DEFAULT_POLICY,
    ota: DEFAULT_OTA_LINK,
    wan: WAN,
    startMs: Date.parse('2026-01-05T09:00:00Z'),
    receiverUrl: 'http://receiver.invalid/duis',
    post: (_url, xml) => {
      pushes.push(xml);
      return Promise.resolve(200);
    },
  });
  result = await runFirmwareCampaign({ dcc, premises: N, imageKb: 700, wan: WAN, pushes: () => pushes });
}, 120_000);
afterAll(async () => {
  await dcc.close();
  await store.close();
});

describe('a campaign to PPMIDs at intermittent premises', () => {
  it('returns only once every activated PPMID’s CS09 has reached the DSP (its inventory shows the new version)', async () => {
    expect(result.devices.every((d) => d.activated)).toBe(true);
    for (const d of result.devices)
      expect((await store.getDevice(d.ppmid))?.firmwareVersion, `premise ${d.premise}`).toBe('00000200');
  });

  it('reports the last CS09 at a supplier as the campaign, later than the last activation at a PPMID', () => {
    const heard = result.devices.map((d) => d.cs09AtSupplierMs);
    expect(heard.every((ms) => ms !== null)).toBe(true);
    expect(result.campaignMs).toBe(Math.max(...heard.map((ms) => ms!)));
    const activatedAt = result.devices.map((d) => d.imageAtChMs! + d.transferMs! + d.activationMs!);
    expect(result.lastActivationMs).toBe(Math.max(...activatedAt));
    expect(result.campaignMs!).toBeGreaterThanOrEqual(result.lastActivationMs!);
    // Some CS09s waited for their premise's next connection window: hours, not the WAN's latency.
    const held = result.devices.filter((d, i) => d.cs09AtSupplierMs! - activatedAt[i]! > 10 * 60_000);
    expect(held.length).toBeGreaterThan(0);
  });
});
