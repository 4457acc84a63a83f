// ZCL OTA 11.13.9.6: a client upgrades UpgradeTime − CurrentTime seconds after it receives the Upgrade End Response
// (UpgradeTime alone when CurrentTime is 0), so a PPMID whose clock is off from the hub's still activates when the hub
// meant it to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtaFrame, zigbeeUtcSeconds } from '../../src/codec/ota/cluster.js';
import { Dcc } from '../../src/dcc/dcc.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import { otaClientStep } from '../../src/devices/ota-client.js';
import type { PpmidState } from '../../src/devices/ppmid.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { premiseEui } from '../../src/premise/identities.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const PPMID = premiseEui(FIRST_PREMISE_NUMBER, 'PPMID');
const HOUR = 3_600_000;
let store: Store;
let dcc: Dcc;
let ppmid: PpmidState;

beforeAll(async () => {
  store = await openStore(':memory:');
  dcc = await Dcc.open({ store, fleet: 1, policy: DEFAULT_POLICY, ota: DEFAULT_OTA_LINK });
  ppmid = dcc.runner.actor<PpmidState>(0, PPMID);
});
afterAll(async () => {
  await dcc.close();
  await store.close();
});

/** The PPMID holding version 0x0300, its clock `offsetMs` from true time, answered by the hub at true time `now`. */
function upgradeEnd(offsetMs: number, currentTime: number, upgradeTime: number) {
  const now = dcc.field.now();
  const state: PpmidState = {
    ...ppmid,
    clockOffsetMs: offsetMs,
    heldImage: { image: 'a'.repeat(64), fileVersion: 0x0300 },
  };
  const bytes = encodeOtaFrame({
    disableDefaultResponse: true,
    sequence: 9,
    command: {
      command: 'upgrade-end-response',
      manufacturerCode: 0x1234,
      imageType: 0x0084,
      fileVersion: 0x0300,
      currentTime,
      upgradeTime,
    },
  });
  const step = otaClientStep(
    state,
    { type: 'han', from: dcc.field.chfOf(0), frame: { type: 'zcl-ota', bytes } },
    now,
    dcc.runner.env,
    (s) => ({ state: s, effects: [] }),
  );
  if (step === undefined) throw new Error('not an OTA input');
  const timer = step.effects.find((e) => e.kind === 'timer');
  return { now, timerAt: timer?.kind === 'timer' ? timer.atMs : undefined };
}

describe('a PPMID told when to upgrade', () => {
  it('upgrades UpgradeTime − CurrentTime after the response, whatever its own clock says', () => {
    const hubNow = zigbeeUtcSeconds(dcc.field.now());
    for (const offsetMs of [0, -HOUR, 3 * HOUR]) {
      const { now, timerAt } = upgradeEnd(offsetMs, hubNow, hubNow + 120);
      expect(timerAt).toBe(now + 120_000);
    }
  });

  it('takes UpgradeTime as the delay itself when CurrentTime is 0', () => {
    const { now, timerAt } = upgradeEnd(-HOUR, 0, 300);
    expect(timerAt).toBe(now + 300_000);
  });
});
