// A transfer cut off by a hub power cycle resumes from the offset the PPMID held (ZCL OTA: the client drives the
// offset; issue 7 item 2), and finishes later than an uninterrupted one by exactly what the model says: the time the
// hub was off, the part of the run that was lost after the last whole block, and the four HAN hops of the resume
// handshake (Image Notify, Query Next Image Request / Response, the next run's first request).
import { describe, expect, it } from 'vitest';
import { runFirmwareCampaign } from '../../src/firmware/campaign.js';
import type { Dcc } from '../../src/dcc/dcc.js';
import { blocksDoneBy, completionUs, delayUs, DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import type { ChfState } from '../../src/hub/chf-state.js';

const HAN_HOP_MS = 50; // the runner's HAN latency per frame [A]

async function run(cycle?: { offAfterMs: number; onAfterMs: number }) {
  let dcc!: Dcc;
  let runStart = 0;
  const during =
    cycle === undefined
      ? []
      : [
          {
            afterMs: cycle.offAfterMs,
            act: (d: Dcc) => {
              runStart = d.runner.actor<ChfState>(0, d.field.chfOf(0)).ota!.transfers[0]!.run!.startMs;
              d.runner.inject(0, d.field.chfOf(0), { type: 'power', on: false });
            },
          },
          {
            afterMs: cycle.onAfterMs,
            act: (d: Dcc) => d.runner.inject(0, d.field.chfOf(0), { type: 'power', on: true }),
          },
        ];
  const result = await runFirmwareCampaign({ premises: 1, imageKb: 100, during, prepare: (d) => (dcc = d) });
  void dcc;
  return { result, runStart };
}

describe('a hub power cycle during an OTA transfer', () => {
  it('the PPMID resumes from its offset and finishes later by the modelled amount', async () => {
    const plain = await run();
    const cut = await run({ offAfterMs: 90_000, onAfterMs: 150_000 });
    const a = plain.result.devices[0]!;
    const b = cut.result.devices[0]!;
    expect(a.activated && b.activated).toBe(true);
    expect(b.interruptions).toBe(1);
    // Model: blocks done at the cut, then the loss.
    const run0 = { fromOffset: 0, size: plain.result.imageOctets };
    const startMs = Date.UTC(2026, 0, 1);
    const cutAt = startMs + 90_000;
    const onAt = startMs + 150_000;
    const k = blocksDoneBy(DEFAULT_OTA_LINK, run0, (cutAt - cut.runStart) * 1000);
    expect(k).toBeGreaterThan(0);
    const lostMs =
      onAt +
      4 * HAN_HOP_MS -
      cut.runStart -
      (completionUs(DEFAULT_OTA_LINK, run0, k) + delayUs(DEFAULT_OTA_LINK)) / 1000;
    const delay = b.transferMs! - a.transferMs!;
    expect(Math.abs(delay - lostMs)).toBeLessThanOrEqual(1); // whole-ms rounding of the two runs' ends
    expect(delay).toBeGreaterThan(60_000);
    console.log(
      `resume: cut at block ${k}; finished ${(delay / 1000).toFixed(3)} s later (model ${(lostMs / 1000).toFixed(3)} s)`,
    );
  });
});
