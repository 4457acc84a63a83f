// ZCL OTA 11.13.6 / 11.13.8 at the CH: a client's Image Block Request names the most octets it takes a block
// (maxDataSize); the server may send fewer, never more, and the client asks for the offset after what it got. A client
// asking for smaller blocks than the link's is served blocks of its size, timed as such; a request for 0 octets,
// which nothing could answer, is aborted — never left unanswered (the client would wait forever).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtaFrame, encodeOtaFrame, OTA_STATUS } from '../../src/codec/ota/cluster.js';
import { Dcc } from '../../src/dcc/dcc.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import type { Effect } from '../../src/devices/types.js';
import { campaignImage } from '../../src/firmware/campaign.js';
import { DEFAULT_OTA_LINK, msAfter, runFor, runShape, runUs } from '../../src/firmware/ota-timing.js';
import { receiveDistribution, runTimer, startBlockRun } from '../../src/hub/chf-ota.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { premiseEui } from '../../src/premise/identities.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const PPMID = premiseEui(FIRST_PREMISE_NUMBER, 'PPMID');
const FILE_VERSION = 0x200;
let store: Store;
let dcc: Dcc;
let chf: ChfState;
let size = 0;

beforeAll(async () => {
  store = await openStore(':memory:');
  dcc = await Dcc.open({ store, fleet: 1, policy: DEFAULT_POLICY, ota: DEFAULT_OTA_LINK });
  const bytes = campaignImage(3_000, FILE_VERSION);
  size = bytes.length;
  const image = dcc.firmware.images.put(bytes);
  const at = dcc.runner.actor<ChfState>(0, dcc.field.chfOf(0));
  chf = receiveDistribution(
    at,
    {
      requestId: 'test-request',
      image,
      size,
      manufacturerCode: 0x1234,
      imageType: 0x0084,
      fileVersion: FILE_VERSION,
      targets: [PPMID],
      activation: 'on-transfer',
    },
    dcc.field.now(),
  ).state;
});
afterAll(async () => {
  await dcc.close();
  await store.close();
});

function blockRequest(fileOffset: number, maxDataSize: number): Uint8Array {
  return encodeOtaFrame({
    disableDefaultResponse: false,
    sequence: 1,
    command: {
      command: 'image-block-request',
      manufacturerCode: 0x1234,
      imageType: 0x0084,
      fileVersion: FILE_VERSION,
      fileOffset,
      maxDataSize,
    },
  });
}

const timerOf = (effects: readonly Effect[]) => effects.find((e) => e.kind === 'timer');

describe('the CH serving Image Block Requests of any maximum data size', () => {
  it('serves a client asking for 32-octet blocks (link: 64) blocks of 32, timed as 32-octet blocks, to the end', () => {
    expect(DEFAULT_OTA_LINK.blockSize).toBe(64);
    const now = dcc.field.now();
    const env = dcc.runner.env;
    const started = startBlockRun(chf, PPMID, blockRequest(0, 32), now, env);
    const timer = timerOf(started.effects);
    const small = { ...env.firmware!.ota, blockSize: 32 };
    const run = runFor(small, PPMID, 0, size);
    // The run lasts what blocks of 32 take on this link: twice as many exchanges as blocks of 64.
    expect(timer).toMatchObject({ kind: 'timer', atMs: msAfter(now, runUs(small, run)) });
    const endMs = (timer as { atMs: number }).atMs;
    const ended = runTimer(started.state, `ota-run:${PPMID}`, endMs, env);
    const end = ended.effects.find((e) => e.kind === 'han');
    expect(end).toMatchObject({ frame: { type: 'ota-run-end', complete: true, offset: size } });
    const frame = (end as { frame: { blocks: number; lastResponse: Uint8Array } }).frame;
    expect(frame.blocks).toBe(runShape(small, run).blocks);
    const last = decodeOtaFrame(frame.lastResponse).command;
    if (last.command !== 'image-block-response' || !('data' in last)) throw new Error('not a block');
    // The last block: from a multiple of 32 to the end, never more than the client asked for.
    expect(last.fileOffset % 32).toBe(0);
    expect(last.data.length).toBeLessThanOrEqual(32);
    expect(last.fileOffset + last.data.length).toBe(size);
  });

  it('serves a client asking for more than the link carries the link blocks (fewer octets than asked: allowed)', () => {
    const now = dcc.field.now();
    const env = dcc.runner.env;
    const started = startBlockRun(chf, PPMID, blockRequest(0, 200), now, env);
    const run = runFor(env.firmware!.ota, PPMID, 0, size);
    expect(timerOf(started.effects)).toMatchObject({ atMs: msAfter(now, runUs(env.firmware!.ota, run)) });
  });

  it('answers a request for 0 octets with ABORT', () => {
    const started = startBlockRun(chf, PPMID, blockRequest(0, 0), dcc.field.now(), dcc.runner.env);
    const han = started.effects.find((e) => e.kind === 'han');
    expect(han).toBeDefined();
    const bytes = (han as { frame: { bytes: Uint8Array } }).frame.bytes;
    expect(decodeOtaFrame(bytes).command).toMatchObject({
      command: 'image-block-response',
      status: OTA_STATUS.abort,
    });
    expect(timerOf(started.effects)).toBeUndefined();
  });
});
