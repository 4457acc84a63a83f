// The scenario kinds' shared helpers: a percentile of no values is no value (a kind leaves such a metric out), not 0.
import { describe, expect, it } from 'vitest';
import { percentile } from '../../../src/scenario/kinds/common.js';

describe('percentile (nearest rank)', () => {
  it('is undefined for an empty list, never 0', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([], 95)).toBeUndefined();
  });

  it('is the nearest-rank value of a non-empty list', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
