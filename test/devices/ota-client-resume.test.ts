// The OTA client resumes only what it left unfinished (ZCL OTA 11.13.6: the client drives the offset): a download cut
// off or aborted, of the same image — manufacturer, image type, version and size. A finished download, or another
// image that happens to share the version and size, starts from offset 0; a held image is never named by an empty key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtaFrame, encodeOtaFrame, OTA_STATUS } from '../../src/codec/ota/cluster.js';
import { Dcc } from '../../src/dcc/dcc.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import { otaClientStep, type OtaDownload } from '../../src/devices/ota-client.js';
import type { PpmidState } from '../../src/devices/ppmid.js';
import type { Effect } from '../../src/devices/types.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { premiseEui } from '../../src/premise/identities.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const PPMID = premiseEui(FIRST_PREMISE_NUMBER, 'PPMID');
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

const NEW_VERSION = 0x0300;
const offer = (imageType: number, fileVersion = NEW_VERSION, imageSize = 20_000) =>
  encodeOtaFrame({
    disableDefaultResponse: true,
    sequence: 7,
    command: {
      command: 'query-next-image-response',
      status: OTA_STATUS.success,
      manufacturerCode: 0x1234,
      imageType,
      fileVersion,
      imageSize,
    },
  });

function answer(state: PpmidState, bytes: Uint8Array) {
  const chf = dcc.field.chfOf(0);
  const step = otaClientStep(
    state,
    { type: 'han', from: chf, frame: { type: 'zcl-ota', bytes } },
    dcc.field.now(),
    dcc.runner.env,
    (s) => ({ state: s, effects: [] }),
  );
  if (step === undefined) throw new Error('not an OTA input');
  return step;
}

/** The offset of the block run the client started, or undefined when it started none. */
function runOffset(effects: readonly Effect[]): number | undefined {
  for (const e of effects)
    if (e.kind === 'han' && e.frame.type === 'ota-block-run') {
      const c = decodeOtaFrame(e.frame.request).command;
      if (c.command === 'image-block-request') return c.fileOffset;
    }
  return undefined;
}

const prior = (over: Partial<OtaDownload>): OtaDownload => ({
  manufacturerCode: 0x1234,
  imageType: 0x0084,
  fileVersion: NEW_VERSION,
  server: dcc.field.chfOf(0),
  size: 20_000,
  offset: 8_000,
  status: 'downloading',
  runs: 1,
  image: 'image-a',
  ...over,
});

describe('an OTA client offered an image', () => {
  it('resumes a download cut off, of the same image, from the offset it holds', () => {
    const step = answer({ ...ppmid, otaDownload: prior({}) }, offer(0x0084));
    expect(runOffset(step.effects)).toBe(8_000);
  });

  it('resumes an aborted download of the same image', () => {
    const step = answer({ ...ppmid, otaDownload: prior({ status: 'aborted' }) }, offer(0x0084));
    expect(runOffset(step.effects)).toBe(8_000);
  });

  it('starts from 0 an image of another type with the same version and size (not the download it holds)', () => {
    const step = answer({ ...ppmid, otaDownload: prior({}) }, offer(0x0085));
    expect(runOffset(step.effects)).toBe(0);
    expect(step.state.otaDownload).toMatchObject({ imageType: 0x0085, offset: 0, runs: 1 });
  });

  it('starts from 0 when the download it holds finished: it does not "transfer" nothing and end at once', () => {
    const done = prior({ status: 'downloaded', offset: 20_000, completedMs: 1 });
    const step = answer({ ...ppmid, otaDownload: done }, offer(0x0084));
    expect(runOffset(step.effects)).toBe(0);
    expect(step.effects.some((e) => e.kind === 'han' && e.frame.type === 'zcl-ota')).toBe(false);
  });

  it('answers the version it already runs with Upgrade End Request ABORT, downloading nothing', () => {
    const step = answer(ppmid, offer(0x0084, ppmid.firmwareVersion));
    expect(runOffset(step.effects)).toBeUndefined();
    const sent = step.effects.find((e) => e.kind === 'han' && e.frame.type === 'zcl-ota');
    if (sent?.kind !== 'han' || sent.frame.type !== 'zcl-ota') throw new Error('no frame sent');
    expect(decodeOtaFrame(sent.frame.bytes).command).toMatchObject({
      command: 'upgrade-end-request',
      status: OTA_STATUS.abort,
      fileVersion: ppmid.firmwareVersion,
    });
    expect(step.state.heldImage).toBe(ppmid.heldImage);
  });
});
