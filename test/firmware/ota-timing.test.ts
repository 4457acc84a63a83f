// The HAN time of an OTA transfer (issue 7 item 2): the batched run (one event per run, closed form) gives exactly the
// times of a block-by-block transfer on the kernel, where every block is a real Image Block Request and Response
// encoded, decoded and timed from its own length; a run cut off at any instant leaves the client the same offset. On a
// lossy link the reference asks blockLost(seed, client, offset, attempt) at every request and waits the timeout after
// each unanswered one; the batched run (runFor: the run's losses listed once) must agree to the millisecond.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtaFrame, encodeOtaFrame } from '../../src/codec/ota/cluster.js';
import { campaignImage } from '../../src/firmware/campaign.js';
import {
  blockLost,
  blocksDoneBy,
  checkOtaLink,
  clientLossShare,
  completionUs,
  DEFAULT_OTA_LINK,
  delayUs,
  frameUs,
  lostAttemptsIn,
  msAfter,
  offsetAfter,
  otaLossSeed,
  runFor,
  runShape,
  runUs,
  type OtaLinkParams,
} from '../../src/firmware/ota-timing.js';
import { Kernel } from '../../src/sim/kernel.js';

const id = { manufacturerCode: 0x1234, imageType: 0x0084, fileVersion: 0x200 };

/**
 * Block by block on the kernel: the client requests at each event, the server answers with the image's bytes; each
 * block's time is the airtime of the two frames as encoded, then the delay. Returns each block's completion (ms) and
 * the offset held at `cutMs` (the server going silent then).
 */
function blockByBlock(
  p: OtaLinkParams,
  image: Uint8Array,
  fromOffset: number,
  startMs: number,
  cutMs = Infinity,
  client = CLIENT,
) {
  const completions: number[] = [];
  let held = fromOffset;
  let elapsedUs = 0;
  let lost = 0;
  const kernel: Kernel<{ offset: number; attempt: number }> = new Kernel<{ offset: number; attempt: number }>(
    {
      seed: 1,
      startMs,
      describe: () => ({ label: 'block' }),
      handler: (e) => {
        const request = encodeOtaFrame({
          disableDefaultResponse: false,
          sequence: 0,
          command: { command: 'image-block-request', ...id, fileOffset: e.offset, maxDataSize: p.blockSize },
        });
        const asked = decodeOtaFrame(request).command;
        if (asked.command !== 'image-block-request') throw new Error('not a block request');
        if (blockLost(p, client, asked.fileOffset, e.attempt)) {
          // No response: the client hears nothing for the timeout, then asks for the same block again.
          elapsedUs += frameUs(p, request.length) + (p.blockResponseTimeoutMs ?? 5_000) * 1000;
          if (msAfter(startMs, elapsedUs) <= cutMs) lost++;
          kernel.at(msAfter(startMs, elapsedUs), { offset: e.offset, attempt: e.attempt + 1 });
          return;
        }
        const data = image.subarray(
          asked.fileOffset,
          Math.min(image.length, asked.fileOffset + asked.maxDataSize),
        );
        const response = encodeOtaFrame({
          disableDefaultResponse: true,
          sequence: 0,
          command: { command: 'image-block-response', status: 0, ...id, fileOffset: asked.fileOffset, data },
        });
        const got = decodeOtaFrame(response).command;
        if (got.command !== 'image-block-response' || !('data' in got)) throw new Error('not a block');
        elapsedUs += frameUs(p, request.length) + frameUs(p, response.length);
        const doneAt = msAfter(startMs, elapsedUs);
        if (doneAt > cutMs) return;
        completions.push(doneAt);
        held = got.fileOffset + got.data.length;
        if (held < image.length) {
          elapsedUs += delayUs(p);
          kernel.at(msAfter(startMs, elapsedUs), { offset: held, attempt: 1 });
        }
      },
    },
  );
  kernel.at(startMs, { offset: fromOffset, attempt: 1 });
  kernel.run({});
  return { completions, held, lost };
}

const CLIENT = '00DB1234567890A4';
/** A lossy link: 10 % of responses lost on average, 2 s timeout, seeded from a text seed. */
const LOSSY: OtaLinkParams = {
  ...DEFAULT_OTA_LINK,
  blockLossShare: 0.1,
  blockResponseTimeoutMs: 2_000,
  lossSeed: otaLossSeed('ota-timing-test'),
};

describe('OTA transfer timing', () => {
  it('a run computed at once ends exactly when the block-by-block transfer does (small image, real frames)', () => {
    const image = campaignImage(3_000, 0x200);
    const start = Date.UTC(2026, 0, 1);
    for (const p of [
      DEFAULT_OTA_LINK,
      { ...DEFAULT_OTA_LINK, blockSize: 50, blockRequestDelayMs: 0 },
      { ...DEFAULT_OTA_LINK, radioKbps: 100, blockRequestDelayMs: 1_000 },
    ]) {
      const { completions } = blockByBlock(p, image, 0, start);
      const run = { fromOffset: 0, size: image.length };
      expect(completions.length).toBe(runShape(p, run).blocks);
      completions.forEach((t, i) => expect(msAfter(start, completionUs(p, run, i + 1))).toBe(t));
      expect(msAfter(start, runUs(p, run))).toBe(completions.at(-1));
    }
  });

  it('property: for any link, image, start offset and cut, the batched run holds the offset block-by-block holds', () => {
    const image = campaignImage(2_000, 0x200);
    const start = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom(20, 40, 100, 250),
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        (blockSize, delay, kbps, firstBlock, cutShare) => {
          const p = checkOtaLink({
            ...DEFAULT_OTA_LINK,
            blockSize,
            blockRequestDelayMs: delay,
            radioKbps: kbps,
          });
          const fromOffset = Math.min(image.length, firstBlock * blockSize);
          const run = { fromOffset, size: image.length };
          const total = runUs(p, run);
          const cutUs = Math.floor((total * cutShare) / 1000) * 1000; // the kernel's whole ms
          const cutMs = msAfter(start, cutUs);
          const exact = blockByBlock(p, image, fromOffset, start, cutMs);
          const k = blocksDoneBy(p, run, cutUs);
          expect(offsetAfter(p, run, k)).toBe(exact.held);
          if (cutShare >= 1) expect(exact.held).toBe(image.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a lossy link: the batched run ends exactly when the block-by-block transfer with its timeouts does', () => {
    const image = campaignImage(20_000, 0x200);
    const start = Date.UTC(2026, 0, 1);
    let anyLoss = false;
    for (const client of [CLIENT, '00DB1234567890B4', '00DB1234567890C4', '00DB1234567890D4']) {
      for (const p of [
        LOSSY,
        { ...LOSSY, blockSize: 50, blockRequestDelayMs: 0, blockResponseTimeoutMs: 700 },
      ]) {
        const { completions, lost } = blockByBlock(p, image, 0, start, Infinity, client);
        const run = runFor(p, client, 0, image.length);
        expect(completions.length).toBe(runShape(p, run).blocks);
        completions.forEach((t, i) => expect(msAfter(start, completionUs(p, run, i + 1))).toBe(t));
        expect(msAfter(start, runUs(p, run))).toBe(completions.at(-1));
        expect(lostAttemptsIn(run, completions.length)).toBe(lost);
        if (lost > 0) anyLoss = true;
      }
    }
    expect(anyLoss).toBe(true);
  });

  it('property: on a lossy link, for any start offset and cut, the batched run holds the offset block-by-block holds', () => {
    const image = campaignImage(6_000, 0x200);
    const start = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 255 }),
        fc.double({ min: 0, max: 0.25, noNaN: true }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (blockSize, share, timeout, firstBlock, cutShare, seed) => {
          const p = checkOtaLink({
            ...DEFAULT_OTA_LINK,
            blockSize,
            blockLossShare: share,
            blockResponseTimeoutMs: timeout,
            lossSeed: seed,
          });
          const fromOffset = Math.min(image.length, firstBlock * blockSize);
          const run = runFor(p, CLIENT, fromOffset, image.length);
          const total = runUs(p, run);
          const cutUs = Math.floor((total * cutShare) / 1000) * 1000;
          const exact = blockByBlock(p, image, fromOffset, start, msAfter(start, cutUs));
          const k = blocksDoneBy(p, run, cutUs);
          expect(offsetAfter(p, run, k)).toBe(exact.held);
          if (cutShare >= 1) expect(exact.held).toBe(image.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("each client's loss share is drawn around the mean: uniform in [0, 2 × mean], deterministic for the seed", () => {
    const shares = Array.from({ length: 2_000 }, (_, i) => clientLossShare(LOSSY, `client-${i}`));
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    expect(mean).toBeGreaterThan(0.095);
    expect(mean).toBeLessThan(0.105);
    expect(Math.max(...shares)).toBeLessThanOrEqual(0.2);
    expect(clientLossShare(LOSSY, 'client-7')).toBe(shares[7]);
    expect(clientLossShare(DEFAULT_OTA_LINK, 'client-7')).toBe(0);
    // A resumed run meets the same losses: the losses of blocks past the resume point are the same.
    const whole = runFor(LOSSY, CLIENT, 0, 200_000);
    const resumed = runFor(LOSSY, CLIENT, 64 * 1000, 200_000);
    expect(resumed.lost).toEqual(
      whole.lost!.filter((l) => l.index >= 1000).map((l) => ({ ...l, index: l.index - 1000 })),
    );
  });

  it('a 700 kB image in 64-octet blocks: ~11,000 blocks, minutes of HAN time at the default link', () => {
    const run = { fromOffset: 0, size: 700_000 };
    expect(runShape(DEFAULT_OTA_LINK, run).blocks).toBe(10_938);
    const minutes = runUs(DEFAULT_OTA_LINK, run) / 60e6;
    expect(minutes).toBeGreaterThan(18);
    expect(minutes).toBeLessThan(30);
  });

  it('bad link parameters are refused by name', () => {
    expect(() => checkOtaLink({ ...DEFAULT_OTA_LINK, blockSize: 0 })).toThrow(/blockSize/);
    expect(() => checkOtaLink({ ...DEFAULT_OTA_LINK, radioKbps: 0 })).toThrow(/radioKbps/);
    expect(() => checkOtaLink({ ...DEFAULT_OTA_LINK, blockLossShare: 0.3 })).toThrow(/blockLossShare/);
    expect(() => checkOtaLink({ ...DEFAULT_OTA_LINK, blockResponseTimeoutMs: -1 })).toThrow(
      /blockResponseTimeoutMs/,
    );
  });
});
