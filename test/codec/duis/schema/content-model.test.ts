// Content models as deterministic automata with counters: every model the compiler accepts must accept exactly
// the sequences the particle describes, checked against a set-of-positions reference on random models and words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ContentModelError,
  NO_MATCH,
  STAY,
  START,
  canEnd,
  compileContentModel,
  step,
  type ContentModel,
  type Particle,
} from '../../../../src/codec/duis/schema/content-model.js';
import type { ElementDecl } from '../../../../src/codec/duis/schema/model.js';
import { builtinSimpleType } from '../../../../src/codec/duis/schema/simple-types.js';

const NS = 'urn:t';
const DECLS = new Map(
  ['a', 'b', 'c'].map((n): [string, ElementDecl] => [
    n,
    {
      kind: 'element',
      namespace: NS,
      localName: n,
      displayName: n,
      type: builtinSimpleType('string')!,
      defaultValue: null,
    },
  ]),
);

function leaf(name: string, min = 1, max = 1): Particle {
  return { min, max, term: DECLS.get(name)! };
}
function seq(particles: Particle[], min = 1, max = 1): Particle {
  return { min, max, term: { kind: 'sequence', particles } };
}
function choice(particles: Particle[], min = 1, max = 1): Particle {
  return { min, max, term: { kind: 'choice', particles } };
}

/** Runs the automaton over a word of element names ('abca' is a, b, c, a). */
function accepts(model: ContentModel, word: string): boolean {
  let pos = START;
  let count = 0;
  for (const name of word) {
    const next = step(model, pos, count, NS, name);
    if (next === NO_MATCH) return false;
    if (next === STAY) count++;
    else {
      pos = next;
      count = 1;
    }
  }
  return canEnd(model, pos, count);
}

function quantifier(p: Particle): string {
  return `{${p.min},${p.max === Infinity ? '' : p.max}}`;
}

/**
 * Reference semantics of a particle: the word positions where a match of it starting at `from` can end.
 * Sets of positions, memoised per particle and start, so nested repetitions stay polynomial.
 */
function endsFrom(
  p: Particle,
  word: string,
  from: number,
  memo: Map<Particle, Map<number, Set<number>>>,
): Set<number> {
  let byStart = memo.get(p);
  if (byStart === undefined) memo.set(p, (byStart = new Map()));
  const known = byStart.get(from);
  if (known !== undefined) return known;
  const t = p.term;
  const onceFrom = (i: number): Set<number> => {
    if (t.kind === 'element') return new Set(word[i] === t.localName ? [i + 1] : []);
    if (t.kind === 'wildcard') throw new Error('no wildcards here');
    if (t.kind === 'choice') return new Set(t.particles.flatMap((q) => [...endsFrom(q, word, i, memo)]));
    let at = new Set([i]);
    for (const q of t.particles) at = new Set([...at].flatMap((j) => [...endsFrom(q, word, j, memo)]));
    return at;
  };
  const out = new Set<number>(p.min === 0 ? [from] : []);
  let current = new Set([from]);
  // Beyond min + length + 1 iterations some iteration matched nothing and can be dropped: no new ends appear.
  const last = Math.min(p.max, p.min + word.length + 1);
  for (let k = 1; k <= last && current.size > 0; k++) {
    current = new Set([...current].flatMap((i) => [...onceFrom(i)]));
    if (k >= p.min) for (const i of current) out.add(i);
  }
  byStart.set(from, out);
  return out;
}

function referenceAccepts(p: Particle, word: string): boolean {
  return endsFrom(p, word, 0, new Map()).has(word.length);
}

/** The same particle as a regular expression over one letter per element (to generate matching words). */
function toRegex(p: Particle): string {
  const t = p.term;
  if (t.kind === 'element') return `(?:${t.localName})${quantifier(p)}`;
  if (t.kind === 'wildcard') throw new Error('no wildcards here');
  const parts = t.particles.map(toRegex);
  const body = t.kind === 'sequence' ? parts.join('') : parts.length === 0 ? '(?!)' : parts.join('|');
  return `(?:${body})${quantifier(p)}`;
}

describe('content models compiled to automata', () => {
  it('counts a single position up to a large maxOccurs', () => {
    const model = compileContentModel(seq([leaf('a', 0, 19056), leaf('b')]), 'log');
    expect(model.positions).toHaveLength(2);
    expect(accepts(model, `${'a'.repeat(19056)}b`)).toBe(true);
    expect(accepts(model, `${'a'.repeat(19057)}b`)).toBe(false);
  });

  it('unfolds a group with bounds, like the five AddToBoostButton entries of SR 6.20', () => {
    const fiveTimes = compileContentModel(seq([leaf('a', 0), seq([leaf('b')], 5, 5)]), 'boost');
    expect(accepts(fiveTimes, 'abbbbb')).toBe(true);
    expect(accepts(fiveTimes, 'bbbb')).toBe(false);
    const pairs = compileContentModel(seq([leaf('a'), leaf('b', 0)], 2, 3), 'pairs');
    expect(['aa', 'abab', 'aba', 'ababab', 'aaa'].map((w) => accepts(pairs, w))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['a', 'abababa', 'bb'].map((w) => accepts(pairs, w))).toEqual([false, false, false]);
  });

  it('treats empty groups as the empty sequence, and an empty choice as matching nothing', () => {
    const empty = compileContentModel(seq([seq([]), leaf('a', 0)]), 'x');
    expect([accepts(empty, ''), accepts(empty, 'a'), accepts(empty, 'b')]).toEqual([true, true, false]);
    const none = compileContentModel(choice([]), 'x');
    expect([accepts(none, ''), accepts(none, 'a')]).toEqual([false, false]);
  });

  it('refuses models that break Unique Particle Attribution', () => {
    expect(() => compileContentModel(seq([leaf('a', 0), leaf('a')]), 'x')).toThrow(ContentModelError);
    expect(() =>
      compileContentModel(choice([seq([leaf('a'), leaf('b')]), seq([leaf('a'), leaf('c')])]), 'x'),
    ).toThrow(/x: at the start: a and a compete/);
    expect(() => compileContentModel(seq([leaf('a', 1, 3), leaf('a')]), 'x')).toThrow(
      /a may repeat or be followed by a/,
    );
  });

  it('refuses counting that greedy matching would get wrong, and keeps the counting it gets right', () => {
    expect(() => compileContentModel(seq([leaf('a', 2, 3)], 0, Infinity), 'x')).toThrow(
      /counting would be ambiguous/,
    );
    const loose = compileContentModel(seq([leaf('a', 1, 2), leaf('b', 0)], 0, Infinity), 'x');
    expect(accepts(loose, 'aaaba')).toBe(true);
  });

  it('accepts exactly the words the particle describes, whenever it compiles', () => {
    const occurs = fc.constantFrom<[number, number]>(
      [1, 1],
      [0, 1],
      [0, Infinity],
      [1, Infinity],
      [0, 2],
      [2, 3],
      [1, 3],
      [2, Infinity],
    );
    const { particle } = fc.letrec<{ particle: Particle }>((tie) => ({
      particle: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.tuple(fc.constantFrom('a', 'b', 'c'), occurs).map(([n, [min, max]]) => leaf(n, min, max)),
        fc
          .tuple(
            fc.constantFrom('sequence', 'choice'),
            fc.array(tie('particle'), { minLength: 1, maxLength: 3 }),
            occurs,
          )
          .map(([kind, particles, [min, max]]) =>
            kind === 'sequence' ? seq(particles, min, max) : choice(particles, min, max),
          ),
      ),
    }));
    // Words drawn from the expression itself (to be accepted) and from all of {a,b,c}^0..8 (mostly refused).
    const modelAndWords = particle.chain((p) => {
      const matching = fc.stringMatching(new RegExp(`^(${toRegex(p).replaceAll('(?:', '(')})$`), {
        size: 'xsmall',
      });
      const anyWord = fc.stringMatching(/^[abc]{0,8}$/);
      return fc.tuple(
        fc.constant(p),
        fc.array(fc.oneof(matching, anyWord), { minLength: 10, maxLength: 10 }),
      );
    });
    let compiled = 0;
    fc.assert(
      fc.property(modelAndWords, ([p, words]) => {
        let model: ContentModel;
        try {
          model = compileContentModel(p, 'random');
        } catch (e) {
          if (e instanceof ContentModelError) return;
          throw e;
        }
        compiled++;
        for (const w of words)
          expect(accepts(model, w), `${toRegex(p)} on "${w}"`).toBe(referenceAccepts(p, w));
      }),
      { numRuns: 400 },
    );
    expect(compiled).toBeGreaterThan(100);
  });
});
