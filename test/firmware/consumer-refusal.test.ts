// SECMP0007's open question, as policy: when firmwareConsumerRefusal is 'allowed', a PPMID whose consumer refuses
// aborts the transfer; the CH reports CCS08 0x8F89 (image discarded) and the inventory records the failed transfer.
// Under today's policy the same choice is not honoured.
import { describe, expect, it } from 'vitest';
import { Dcc } from '../../src/dcc/dcc.js';
import type { PpmidState } from '../../src/devices/ppmid.js';
import { runFirmwareCampaign } from '../../src/firmware/campaign.js';
import { policyWith } from '../../src/policy.js';
import { openStore } from '../../src/store/open.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import type { Eui64 } from '../../src/codec/eui64.js';

async function campaign(refusal: 'allowed' | 'not-offered') {
  const store = await openStore(':memory:');
  const pushes: string[] = [];
  const dcc = await Dcc.open({
    store,
    fleet: 2,
    policy: policyWith({ firmwareConsumerRefusal: refusal }),
    recordMessages: true,
    receiverUrl: 'http://receiver.invalid/duis',
    post: (_url, xml) => {
      pushes.push(xml);
      return Promise.resolve(200);
    },
  });
  const result = await runFirmwareCampaign({
    dcc,
    pushes: () => pushes,
    premises: 2,
    imageKb: 20,
    prepare: (d) =>
      d.runner.inject(0, '00DB1234567890A4' as never, {
        type: 'local',
        action: { kind: 'firmware-choice', refuse: true },
      }),
  });
  const ppmid = dcc.runner.actor<PpmidState>(0, result.devices[0]!.ppmid);
  const chf = dcc.runner.actor<ChfState>(0, dcc.field.chfOf(0));
  const inventory = await store.getDevice(result.devices[0]!.ppmid);
  const otherInventory = await store.getDevice(result.devices[1]!.ppmid);
  // Each CCS08 the CHs sent over the WAN, decoded: its alert code, the device it names and its response code.
  const ccs08 = dcc.runner.messages.flatMap((m) => {
    if (m.leg !== 'wan-out' || !m.decoded.ok || m.decoded.message.header.messageCode !== 0x0128) return [];
    const p = m.decoded.message.payload;
    const view = (p.kind === 'asn1' ? p.asn1.view : {}) as {
      alertCode?: number;
      entityId?: Eui64;
      responseCode?: number;
    };
    return [{ alertCode: view.alertCode, entityId: view.entityId, responseCode: view.responseCode }];
  });
  await dcc.close();
  await store.close();
  return { result, ppmid, chf, inventory, otherInventory, ccs08 };
}

describe('a consumer refusing a PPMID firmware update', () => {
  it('aborts the transfer when the policy allows refusal: CCS08 0x8F89, the inventory keeps the old version, the other PPMID updated', async () => {
    const r = await campaign('allowed');
    expect(r.ppmid.otaDownload?.status).toBe('refused');
    expect(r.ppmid.firmwareVersion).not.toBe(r.result.fileVersion);
    expect(r.chf.ota?.transfers[0]?.status).toBe('failed');
    // DeviceFirmwareVersionStatus is the version's CPL status (DUIS enum): a failed transfer leaves the record as it was.
    const newVersion = r.result.fileVersion.toString(16).padStart(8, '0').toUpperCase();
    expect(r.inventory?.firmwareVersion).not.toBe(newVersion);
    // …while the DSP did record the other PPMID's CS09: the inventory moved for it (not a DSP that did nothing).
    expect(r.otherInventory).toMatchObject({ firmwareVersion: newVersion, firmwareVersionStatus: 'Active' });
    // Premise 0's CH: transfer failure, image discarded (1); premise 1's: success (0).
    expect(r.ccs08).toEqual(
      expect.arrayContaining([
        { alertCode: 0x8f89, entityId: r.result.devices[0]!.ppmid, responseCode: 1 },
        { alertCode: 0x8f8a, entityId: r.result.devices[1]!.ppmid, responseCode: 0 },
      ]),
    );
    expect(r.ccs08).toHaveLength(2);
    expect(r.result.devices[1]!.activated).toBe(true);
  });

  it("is not honoured under today's policy", async () => {
    const r = await campaign('not-offered');
    expect(r.result.devices.every((d) => d.activated)).toBe(true);
  });
});
