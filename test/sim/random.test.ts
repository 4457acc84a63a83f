// Seeded random streams: xoshiro128**, one stream per component name, state as plain data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchedulingError } from '../../src/sim/errors.js';
import { RandomStream, streamFor } from '../../src/sim/random.js';

const draw = (stream: RandomStream, n: number) => Array.from({ length: n }, () => stream.next());

describe('random streams', () => {
  it('matches the xoshiro128** reference output for state [1, 2, 3, 4]', () => {
    expect(draw(RandomStream.fromState([1, 2, 3, 4]), 4)).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('gives the same sequence for the same seed and name, and a different one for another name or seed', () => {
    const a = draw(streamFor(42, 'esme'), 8);
    expect(draw(streamFor(42, 'esme'), 8)).toEqual(a);
    expect(draw(streamFor(42, 'gsme'), 8)).not.toEqual(a);
    expect(draw(streamFor(43, 'esme'), 8)).not.toEqual(a);
  });

  it('resumes exactly from a JSON round-trip of its state', () => {
    const stream = streamFor(7, 'chf');
    draw(stream, 5);
    const copy = RandomStream.fromState(JSON.parse(JSON.stringify(stream.getState())));
    expect(draw(copy, 16)).toEqual(draw(stream, 16));
  });

  it('keeps float in [0, 1), int within its bounds, exponential positive, pick among the items', () => {
    const stream = streamFor(1, 'ranges');
    for (let i = 0; i < 10_000; i++) {
      const f = stream.float();
      expect(f >= 0 && f < 1).toBe(true);
      const n = stream.int(-3, 3);
      expect(n >= -3 && n <= 3 && Number.isInteger(n)).toBe(true);
      expect(stream.exponential(5)).toBeGreaterThanOrEqual(0);
    }
    expect(['a', 'b']).toContain(stream.pick(['a', 'b']));
  });

  it('draws exponential values whose mean approaches the requested mean', () => {
    const stream = streamFor(3, 'arrivals');
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += stream.exponential(250);
    expect(sum / 100_000).toBeCloseTo(250, -1);
  });

  it('covers every value of a small int range', () => {
    const stream = streamFor(5, 'dice');
    const seen = new Set(Array.from({ length: 1000 }, () => stream.int(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a bad seed, an all-zero or malformed state, empty picks and bad bounds with SchedulingError', () => {
    expect(() => streamFor(-1, 'x')).toThrow(SchedulingError);
    expect(() => streamFor(1.5, 'x')).toThrow(SchedulingError);
    expect(() => RandomStream.fromState([0, 0, 0, 0])).toThrow(SchedulingError);
    expect(() => RandomStream.fromState([1, 2, 3, 2 ** 32])).toThrow(SchedulingError);
    const stream = streamFor(1, 'x');
    expect(() => stream.pick([])).toThrow(SchedulingError);
    expect(() => stream.int(3, 2)).toThrow(SchedulingError);
    expect(() => stream.exponential(0)).toThrow(SchedulingError);
  });

  it('keeps every word of the state a uint32 after any number of draws', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string(), fc.integer({ min: 0, max: 200 }), (seed, name, n) => {
        const stream = streamFor(seed, name);
        draw(stream, n);
        for (const word of stream.getState()) expect(word >>> 0).toBe(word);
      }),
    );
  });
});
