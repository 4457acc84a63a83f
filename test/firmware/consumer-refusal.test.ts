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

async function campaign(refusal: 'allowed' | 'not-offered') {
  const store = await openStore(':memory:');
  const dcc = await Dcc.open({
    store,
    fleet: 2,
    policy: policyWith({ firmwareConsumerRefusal: refusal }),
    recordMessages: true,
  });
  const result = await runFirmwareCampaign({
    dcc,
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
  const ccs08 = dcc.runner.messages.filter(
    (m) => m.leg === 'wan-out' && m.decoded.ok && m.decoded.message.header.messageCode === 0x0128,
  );
  await dcc.close();
  await store.close();
  return { result, ppmid, chf, inventory, ccs08 };
}

describe('a consumer refusing a PPMID firmware update', () => {
  it('aborts the transfer when the policy allows refusal: CCS08 0x8F89, the inventory keeps the old version, the other PPMID updated', async () => {
    const r = await campaign('allowed');
    expect(r.ppmid.otaDownload?.status).toBe('refused');
    expect(r.ppmid.firmwareVersion).not.toBe(r.result.fileVersion);
    expect(r.chf.ota?.transfers[0]?.status).toBe('failed');
    // DeviceFirmwareVersionStatus is the version's CPL status (DUIS enum): a failed transfer leaves the record as it was.
    expect(r.inventory?.firmwareVersion).not.toBe(r.result.fileVersion.toString(16).padStart(8, '0'));
    expect(r.ccs08.length).toBe(2); // premise 0: 0x8F89; premise 1: 0x8F8A
    expect(r.result.devices[1]!.activated).toBe(true);
  });

  it("is not honoured under today's policy", async () => {
    const r = await campaign('not-offered');
    expect(r.result.devices.every((d) => d.activated)).toBe(true);
  });
});
