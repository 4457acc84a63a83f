// Seeded random streams: xoshiro128** (Blackman & Vigna), 128 bits of state as four uint32s.
// The kernel owns one run seed; each component draws from its own stream derived from that seed and a name,
// so adding draws in one component never shifts another's sequence, and a failure replays from the seed alone.
import { createHash } from 'node:crypto';
import { SchedulingError } from './errors.js';

/** A run's seed: a non-negative safe integer, printed with every run so that it can be replayed. */
export type RunSeed = number;

/** The whole state of a stream, as plain data: four uint32s, not all zero. */
export type RandomState = readonly [number, number, number, number];

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class RandomStream {
  private constructor(
    private s0: number,
    private s1: number,
    private s2: number,
    private s3: number,
  ) {}

  /** Resumes a stream from `getState()`; refuses anything but four uint32s, not all zero. */
  static fromState(state: RandomState): RandomStream {
    if (!Array.isArray(state) || state.length !== 4)
      throw new SchedulingError('state', 'four uint32 words', state);
    for (const word of state)
      if (!Number.isInteger(word) || word < 0 || word >= TWO_POW_32)
        throw new SchedulingError('state', 'four uint32 words', state);
    if (state.every((word) => word === 0)) throw new SchedulingError('state', 'a non-zero state', state);
    return new RandomStream(state[0], state[1], state[2], state[3]);
  }

  getState(): RandomState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** The next uint32. */
  next(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = (s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11) >>> 0;
    return result;
  }

  /** A float in [0, 1) with 53 random bits (two draws). */
  float(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / TWO_POW_53;
  }

  /** An integer in [lo, hi], both ends included, without modulo bias; the range may span at most 2^32 values. */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo)) throw new SchedulingError('lo', 'a safe integer', lo);
    if (!Number.isSafeInteger(hi) || hi < lo) throw new SchedulingError('hi', `a safe integer ≥ ${lo}`, hi);
    const range = hi - lo + 1;
    if (range > TWO_POW_32) throw new SchedulingError('hi', `at most 2^32 values from ${lo}`, hi);
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    for (;;) {
      const x = this.next();
      if (x < limit) return lo + (x % range);
    }
  }

  /** An exponentially distributed value with the given mean (inter-arrival times of a Poisson process). */
  exponential(mean: number): number {
    if (!(mean > 0) || !Number.isFinite(mean)) throw new SchedulingError('mean', 'a finite number > 0', mean);
    return -mean * Math.log(1 - this.float());
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new SchedulingError('items', 'a non-empty array', 'an empty array');
    return items[this.int(0, items.length - 1)] as T;
  }
}

/** Throws unless `seed` is a run seed (a non-negative safe integer). */
export function expectRunSeed(seed: RunSeed): void {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new SchedulingError('seed', 'a non-negative safe integer', seed);
}

/** The stream for component `name` in the run with `seed`: the first 128 bits of SHA-256 over both. */
export function streamFor(seed: RunSeed, name: string): RandomStream {
  expectRunSeed(seed);
  const digest = createHash('sha256').update(`smets-twin/sim/random\0${seed}\0${name}`, 'utf8').digest();
  const words: [number, number, number, number] = [
    digest.readUInt32BE(0),
    digest.readUInt32BE(4),
    digest.readUInt32BE(8),
    digest.readUInt32BE(12),
  ];
  if (words.every((word) => word === 0)) words[0] = 0x9e3779b9; // xoshiro's one forbidden state
  return RandomStream.fromState(words);
}
