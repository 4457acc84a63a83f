// The HAN time a ZigBee OTA block transfer costs (issue 7 item 2), simulated from its parameters per block: each block
// is one Image Block Request from the client and one Image Block Response from the server (ZCL OTA 11.13.6), each a
// radio frame whose airtime is (ZCL octets + per-frame overhead) × 8 / radio rate, plus a fixed per-frame cost (CSMA
// backoff, turnaround, MAC acknowledgement); between blocks the client waits the minimum block request delay.
//
//   exchange(d)   = frame(request octets) + frame(response head octets + d)      d: the block's data octets
//   completion(k) = Σ_{i=1..k} exchange(d_i) + (k − 1) × delay                 k: blocks done since the run began
//
// Why runs, not one event per block: a 700 kB image in 64-octet blocks is ~11,000 blocks per device, ~11 million
// kernel events for a 1,000-PPMID campaign. Every block of a run but the last has the same size, so completion(k) has
// a closed form and a run of any length costs O(1): one event at its end, or at its first interruption, where
// blocksDoneBy() says how many blocks the client holds. All times are integer microseconds, so a run's end is the
// exact sum of its blocks' times whichever way it is computed (test/firmware/ota-timing.test.ts proves the closed form
// equal to a block-by-block run of real encoded frames on the kernel).
import { IMAGE_BLOCK_REQUEST_LENGTH, IMAGE_BLOCK_RESPONSE_HEAD_LENGTH } from '../codec/ota/cluster.js';

/** The OTA link between the CHF (server) and a client, as configuration. */
export interface OtaLinkParams {
  /** Image data octets per Image Block Response: the client's Maximum Data Size (1–255; ~50–64 in practice) [A]. */
  readonly blockSize: number;
  /** MinimumBlockPeriod (ZCL OTA attribute 0x0009 / BlockRequestDelay): ms the client waits between blocks [A]. */
  readonly blockRequestDelayMs: number;
  /** PHY bit rate, kbit/s (IEEE 802.15.4 O-QPSK at 2.4 GHz: 250). */
  readonly radioKbps: number;
  /**
   * Octets every frame carries around its ZCL payload [A]: PHY SHR+PHR 6, MAC header 9 + FCS 2, NWK header 8, NWK
   * auxiliary security header 14 + MIC 4, APS header 8, APS security (link key) 5 + MIC 4 = 60.
   */
  readonly frameOverheadOctets: number;
  /**
   * Fixed per-frame cost, µs [A, at 2.4 GHz]: mean CSMA-CA backoff (macMinBE 3: 3.5 × 320 µs) 1,120 + CCA 128 +
   * RX/TX turnaround 192 + MAC acknowledgement (11 octets) 352 = 1,792.
   */
  readonly perFrameFixedUs: number;
}

export const DEFAULT_OTA_LINK: OtaLinkParams = Object.freeze({
  blockSize: 64,
  blockRequestDelayMs: 100,
  radioKbps: 250,
  frameOverheadOctets: 60,
  perFrameFixedUs: 1_792,
});

/** The parameters checked: a bad value is a RangeError naming it (configuration, not a decode). */
export function checkOtaLink(p: OtaLinkParams): OtaLinkParams {
  const bad = (name: string, why: string): never => {
    throw new RangeError(`OTA link: ${name} ${why}`);
  };
  if (!Number.isInteger(p.blockSize) || p.blockSize < 1 || p.blockSize > 255)
    bad('blockSize', 'must be 1–255');
  if (!Number.isFinite(p.blockRequestDelayMs) || p.blockRequestDelayMs < 0)
    bad('blockRequestDelayMs', 'must be ≥ 0');
  if (!Number.isFinite(p.radioKbps) || p.radioKbps <= 0) bad('radioKbps', 'must be > 0');
  if (!Number.isInteger(p.frameOverheadOctets) || p.frameOverheadOctets < 0)
    bad('frameOverheadOctets', 'must be a whole number ≥ 0');
  if (!Number.isInteger(p.perFrameFixedUs) || p.perFrameFixedUs < 0) bad('perFrameFixedUs', 'must be ≥ 0');
  return p;
}

/** Airtime and fixed cost of one frame of `zclOctets`, whole µs (rounded up). */
export function frameUs(p: OtaLinkParams, zclOctets: number): number {
  return Math.ceil(((zclOctets + p.frameOverheadOctets) * 8000) / p.radioKbps) + p.perFrameFixedUs;
}

/** One block's exchange: the request and the response carrying `dataOctets`, µs. */
export function exchangeUs(p: OtaLinkParams, dataOctets: number): number {
  return frameUs(p, IMAGE_BLOCK_REQUEST_LENGTH) + frameUs(p, IMAGE_BLOCK_RESPONSE_HEAD_LENGTH + dataOctets);
}

/** The delay between blocks, µs. */
export function delayUs(p: OtaLinkParams): number {
  return Math.round(p.blockRequestDelayMs * 1000);
}

/** A run of blocks from `fromOffset` to the end of an image of `size` octets. */
export interface BlockRun {
  readonly fromOffset: number;
  readonly size: number;
}

/** Blocks in the run: full ones, then a shorter last one if the remainder is not a whole block. */
export function runShape(
  p: OtaLinkParams,
  run: BlockRun,
): { full: number; lastOctets: number; blocks: number } {
  const left = Math.max(0, run.size - run.fromOffset);
  const full = Math.floor(left / p.blockSize);
  const lastOctets = left - full * p.blockSize;
  return { full, lastOctets, blocks: full + (lastOctets > 0 ? 1 : 0) };
}

/** µs from the run's start until its k-th block is complete (k ≥ 1); 0 for k = 0. */
export function completionUs(p: OtaLinkParams, run: BlockRun, k: number): number {
  if (k <= 0) return 0;
  const { full, lastOctets, blocks } = runShape(p, run);
  if (k > blocks) throw new RangeError(`the run has ${blocks} blocks, not ${k}`);
  const fullUs = exchangeUs(p, p.blockSize);
  const d = delayUs(p);
  if (k <= full) return k * fullUs + (k - 1) * d;
  return full * fullUs + full * d + exchangeUs(p, lastOctets);
}

/** µs the whole run takes. */
export function runUs(p: OtaLinkParams, run: BlockRun): number {
  return completionUs(p, run, runShape(p, run).blocks);
}

/** How many blocks of the run are complete `elapsedUs` after it began (the first interruption stops it there). */
export function blocksDoneBy(p: OtaLinkParams, run: BlockRun, elapsedUs: number): number {
  const { full, blocks } = runShape(p, run);
  if (elapsedUs < 0 || blocks === 0) return 0;
  const fullUs = exchangeUs(p, p.blockSize);
  const d = delayUs(p);
  // completion(k) = k × (fullUs + d) − d ≤ elapsed  ⇔  k ≤ (elapsed + d) / (fullUs + d)
  let k = Math.min(full, Math.floor((elapsedUs + d) / (fullUs + d)));
  if (k === full && blocks > full && completionUs(p, run, blocks) <= elapsedUs) k = blocks;
  return k;
}

/** The image offset the client holds after `k` blocks of the run. */
export function offsetAfter(p: OtaLinkParams, run: BlockRun, k: number): number {
  return Math.min(run.size, run.fromOffset + k * p.blockSize);
}

/**
 * Model ms of an instant `us` µs after `startMs`, rounded up to the whole ms the kernel and the Store keep (one
 * conversion, so every path gives the same number). A block is complete by ms m exactly when its µs time ≤ m × 1000.
 */
export function msAfter(startMs: number, us: number): number {
  return startMs + Math.ceil(us / 1000);
}
