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
//
// A lossy link [A]: an Image Block Response may be lost; the client, having heard nothing for the response timeout,
// asks for the same block again. A lost attempt costs frame(request octets) + timeout, so
//
//   completion(k) = Σ_{i=1..k} exchange(d_i) + (k − 1) × delay + (frame(request) + timeout) × Σ_{i=1..k} lost_i
//
// where lost_i is the number of attempts at block i that went unanswered. Each premise's link loses a share q of
// responses, q drawn once per client from the loss seed, uniformly in [0, 2 × blockLossShare]; whether attempt a at
// the block at offset o is lost is a function of (seed, client, o, a) only (blockLost), so a run resumed after an
// interruption meets the same losses, and the batched run and a block-by-block transfer agree exactly. The losses are
// drawn per chunk of LOSS_CHUNK_BLOCKS blocks as geometric gaps (a Bernoulli(q) trial per block, in distribution), so a
// run costs O(chunks + losses), never O(blocks).
import { createHash } from 'node:crypto';
import { IMAGE_BLOCK_REQUEST_LENGTH, IMAGE_BLOCK_RESPONSE_HEAD_LENGTH } from '../codec/ota/cluster.js';
import { streamFor, type RunSeed } from '../sim/random.js';

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
  /**
   * Mean share of Image Block Responses lost on a premise's HAN (0–0.25; default 0: loss-free) [A]. Each client's
   * own share is drawn uniformly in [0, 2 × this] from `lossSeed`.
   */
  readonly blockLossShare?: number;
  /** ms a client waits for an Image Block Response before it asks for the block again (default 5,000) [A]. */
  readonly blockResponseTimeoutMs?: number;
  /** Seed of the loss draws (the DCC passes one derived from the fleet seed: otaLossSeed); default 0. */
  readonly lossSeed?: RunSeed;
}

/** [A] The client's Image Block Response timeout when not configured: 5 s (not in our sources). */
export const DEFAULT_BLOCK_RESPONSE_TIMEOUT_MS = 5_000;
/** [A] Largest mean loss share: with the uniform spread, no premise loses more than half its responses. */
export const MAX_BLOCK_LOSS_SHARE = 0.25;
/** Blocks per chunk of loss draws (one seeded stream each). */
export const LOSS_CHUNK_BLOCKS = 1024;

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
  const loss = p.blockLossShare ?? 0;
  if (!Number.isFinite(loss) || loss < 0 || loss > MAX_BLOCK_LOSS_SHARE)
    bad('blockLossShare', `must be 0–${MAX_BLOCK_LOSS_SHARE}`);
  const timeout = p.blockResponseTimeoutMs ?? DEFAULT_BLOCK_RESPONSE_TIMEOUT_MS;
  if (!Number.isInteger(timeout) || timeout < 0) bad('blockResponseTimeoutMs', 'must be a whole number ≥ 0');
  if (p.lossSeed !== undefined && (!Number.isSafeInteger(p.lossSeed) || p.lossSeed < 0))
    bad('lossSeed', 'must be a non-negative safe integer');
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

/** A block of a run whose first `attempts` requests went unanswered; `index` counts from the run's first block (0). */
export interface LostBlock {
  readonly index: number;
  readonly attempts: number;
}

/** A run of blocks from `fromOffset` to the end of an image of `size` octets, and its lost attempts (by index). */
export interface BlockRun {
  readonly fromOffset: number;
  readonly size: number;
  /** Sorted by index; absent or empty: a loss-free run. */
  readonly lost?: readonly LostBlock[];
}

/** A run seed for the loss draws from a text seed (the fleet seed): the first 48 bits of SHA-256. */
export function otaLossSeed(text: string): RunSeed {
  return createHash('sha256').update(`smets-twin/ota-loss\0${text}`, 'utf8').digest().readUIntBE(0, 6);
}

/** The share of responses `client`'s link loses: uniform in [0, 2 × blockLossShare], from the loss seed [A]. */
export function clientLossShare(p: OtaLinkParams, client: string): number {
  const mean = p.blockLossShare ?? 0;
  if (mean === 0) return 0;
  return streamFor(p.lossSeed ?? 0, `ota-loss/${client}`).float() * 2 * mean;
}

/** The image block an offset falls in. */
function blockIndexOf(p: OtaLinkParams, offset: number): number {
  return Math.floor(offset / p.blockSize);
}

/**
 * The lost blocks of chunk `chunk` for a client losing share `q`: image block numbers with the attempts lost at each.
 * Gaps between losses are geometric (P(gap ≥ g) = (1 − q)^g); a lost block's further lost attempts too (P ≥ g = q^g).
 */
function chunkLosses(p: OtaLinkParams, client: string, q: number, chunk: number): LostBlock[] {
  const out: LostBlock[] = [];
  if (q <= 0) return out;
  const s = streamFor(p.lossSeed ?? 0, `ota-loss/${client}/${chunk}`);
  const end = (chunk + 1) * LOSS_CHUNK_BLOCKS;
  // log1p keeps a tiny q's logarithm non-zero (a gap of +Infinity ends the chunk, never NaN).
  const lnMiss = Math.log1p(-q);
  const lnLoss = Math.log(q);
  for (let b = chunk * LOSS_CHUNK_BLOCKS - 1; ;) {
    b += 1 + Math.floor(Math.log1p(-s.float()) / lnMiss);
    if (!(b < end)) return out;
    out.push({ index: b, attempts: 1 + Math.floor(Math.log1p(-s.float()) / lnLoss) });
  }
}

/** How many attempts at the block at `offset` a client's link loses before one is answered (0: none). */
export function lostAttemptsAt(p: OtaLinkParams, client: string, offset: number): number {
  const b = blockIndexOf(p, offset);
  const q = clientLossShare(p, client);
  return (
    chunkLosses(p, client, q, Math.floor(b / LOSS_CHUNK_BLOCKS)).find((l) => l.index === b)?.attempts ?? 0
  );
}

/** Whether attempt `attempt` (1, 2, …) at the block at `offset` goes unanswered: a function of (seed, client, offset, attempt). */
export function blockLost(p: OtaLinkParams, client: string, offset: number, attempt: number): boolean {
  return attempt <= lostAttemptsAt(p, client, offset);
}

/** The run from `fromOffset` to the end of an image of `size` octets on `client`'s link, with its losses. */
export function runFor(p: OtaLinkParams, client: string, fromOffset: number, size: number): BlockRun {
  const q = clientLossShare(p, client);
  if (q === 0) return { fromOffset, size };
  const { blocks } = runShape(p, { fromOffset, size });
  const first = blockIndexOf(p, fromOffset);
  const lost: LostBlock[] = [];
  for (let c = Math.floor(first / LOSS_CHUNK_BLOCKS); c * LOSS_CHUNK_BLOCKS < first + blocks; c++)
    for (const l of chunkLosses(p, client, q, c))
      if (l.index >= first && l.index < first + blocks)
        lost.push({ index: l.index - first, attempts: l.attempts });
  return { fromOffset, size, lost };
}

/** The cost of one unanswered attempt: the request's frame and the client's timeout, µs. */
export function lostAttemptUs(p: OtaLinkParams): number {
  return (
    frameUs(p, IMAGE_BLOCK_REQUEST_LENGTH) +
    (p.blockResponseTimeoutMs ?? DEFAULT_BLOCK_RESPONSE_TIMEOUT_MS) * 1000
  );
}

/** Unanswered attempts in the run's first `k` blocks. */
export function lostAttemptsIn(run: BlockRun, k: number): number {
  let n = 0;
  for (const l of run.lost ?? []) {
    if (l.index >= k) break;
    n += l.attempts;
  }
  return n;
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

/** µs from the run's start until its k-th block is complete (k ≥ 1), its lost attempts included; 0 for k = 0. */
export function completionUs(p: OtaLinkParams, run: BlockRun, k: number): number {
  if (k <= 0) return 0;
  const lost = lostAttemptsIn(run, k);
  return losslessUs(p, run, k) + (lost === 0 ? 0 : lost * lostAttemptUs(p));
}

/** completion(k) of a loss-free link. */
function losslessUs(p: OtaLinkParams, run: BlockRun, k: number): number {
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

/**
 * How many blocks of the run are complete `elapsedUs` after it began (the first interruption stops it there): between
 * lost blocks the loss-free closed form, shifted by the lost attempts before; O(losses).
 */
export function blocksDoneBy(p: OtaLinkParams, run: BlockRun, elapsedUs: number): number {
  const lost = run.lost ?? [];
  if (lost.length === 0) return losslessDoneBy(p, run, elapsedUs);
  const penalty = lostAttemptUs(p);
  // Blocks after the previous lost one up to this one's predecessor complete at lossless(k) + shift.
  let shift = 0;
  let done = 0;
  for (const l of lost) {
    const k = Math.max(done, losslessDoneBy(p, run, elapsedUs - shift));
    if (k < l.index + 1) return k;
    done = l.index;
    shift += l.attempts * penalty;
  }
  return Math.max(done, losslessDoneBy(p, run, elapsedUs - shift));
}

function losslessDoneBy(p: OtaLinkParams, run: BlockRun, elapsedUs: number): number {
  const { full, blocks } = runShape(p, run);
  if (elapsedUs < 0 || blocks === 0) return 0;
  const fullUs = exchangeUs(p, p.blockSize);
  const d = delayUs(p);
  // completion(k) = k × (fullUs + d) − d ≤ elapsed  ⇔  k ≤ (elapsed + d) / (fullUs + d)
  let k = Math.min(full, Math.floor((elapsedUs + d) / (fullUs + d)));
  if (k === full && blocks > full && losslessUs(p, run, blocks) <= elapsedUs) k = blocks;
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
