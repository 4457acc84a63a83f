// Content models (XML Schema Part 1 §3.8–3.9) compiled to a deterministic position automaton (Glushkov), with a
// counter on each element or wildcard position for minOccurs/maxOccurs, so maxOccurs="19056" costs one state,
// not 19056. Groups with finite bounds are unfolded as X^min (X (X …)?)?, which keeps the automaton
// deterministic. Unique Particle Attribution (§3.8.6) is what makes one state per step enough; a model that
// breaks it, or whose counting would need backtracking, is refused at compile time.

import { wildcardAllows, type ElementDecl, type Wildcard } from './model.js';

export type Term = ElementDecl | Wildcard;

/** A particle as written: {min, max} around an element, a wildcard or a sequence/choice group. */
export interface Particle {
  min: number;
  /** Infinity for unbounded. */
  max: number;
  term: Term | ModelGroup;
}

export interface ModelGroup {
  kind: 'sequence' | 'choice';
  particles: Particle[];
}

/**
 * Transitions out of a state: element positions by local name (the namespace is then compared, so a lookup
 * hashes only the short local name), and wildcard positions.
 */
export interface State {
  readonly byLocalName: ReadonlyMap<string, readonly number[]>;
  readonly wildcards: readonly number[];
}

export interface Position {
  readonly term: Term;
  readonly min: number;
  readonly max: number;
  /** The content may end after this position once its count reaches min. */
  readonly final: boolean;
  readonly follow: State;
}

export interface ContentModel {
  readonly start: State;
  readonly positions: readonly Position[];
  /** The empty sequence of children is accepted. */
  readonly nullable: boolean;
}

/** A content model this validator cannot match deterministically: compilation fails. */
export class ContentModelError extends Error {
  override readonly name = 'ContentModelError';
}

/** Step result: the child stays on the current position (count + 1). */
export const STAY = -2;
/** Step result: no position accepts the child. */
export const NO_MATCH = -1;
/** The position before the first child. */
export const START = -1;

const MAX_UNFOLDED_COPIES = 64;

interface Fragment {
  nullable: boolean;
  first: number[];
  last: number[];
}

const EMPTY: Fragment = { nullable: true, first: [], last: [] };

function isGroup(t: Term | ModelGroup): t is ModelGroup {
  return t.kind === 'sequence' || t.kind === 'choice';
}

function termName(t: Term): string {
  return t.displayName;
}

class Builder {
  readonly terms: Term[] = [];
  readonly mins: number[] = [];
  readonly maxs: number[] = [];
  readonly follow: Set<number>[] = [];
  private copies = 0;

  constructor(private readonly where: string) {}

  fail(reason: string): never {
    throw new ContentModelError(`${this.where}: ${reason}`);
  }

  particle(p: Particle): Fragment {
    if (p.max === 0) return EMPTY;
    if (p.min > p.max) this.fail(`minOccurs ${p.min} > maxOccurs ${p.max}`);
    const t = p.term;
    if (!isGroup(t)) {
      const i = this.terms.length;
      this.terms.push(t);
      this.mins.push(p.min);
      this.maxs.push(p.max);
      this.follow.push(new Set());
      return { nullable: p.min === 0, first: [i], last: [i] };
    }
    // A group around one particle where either side is {1,1} is that particle with the other's bounds.
    if (t.particles.length === 1) {
      const only = t.particles[0]!;
      if (p.min === 1 && p.max === 1) return this.particle(only);
      if (only.min === 1 && only.max === 1) return this.particle({ min: p.min, max: p.max, term: only.term });
    }
    return this.repeat(() => this.group(t), p.min, p.max);
  }

  private group(g: ModelGroup): Fragment {
    if (g.kind === 'sequence') {
      let acc = EMPTY;
      for (const p of g.particles) acc = this.concat(acc, this.particle(p));
      return acc;
    }
    if (g.particles.length === 0) return { nullable: false, first: [], last: [] }; // empty choice: nothing matches
    const out: Fragment = { nullable: false, first: [], last: [] };
    for (const p of g.particles) {
      const f = this.particle(p);
      out.nullable ||= f.nullable;
      out.first.push(...f.first);
      out.last.push(...f.last);
    }
    return out;
  }

  private concat(a: Fragment, b: Fragment): Fragment {
    for (const l of a.last) for (const f of b.first) this.follow[l]!.add(f);
    return {
      nullable: a.nullable && b.nullable,
      first: a.nullable ? [...a.first, ...b.first] : a.first,
      last: b.nullable ? [...a.last, ...b.last] : b.last,
    };
  }

  private loop(f: Fragment): Fragment {
    for (const l of f.last) for (const x of f.first) this.follow[l]!.add(x);
    return f;
  }

  private fresh(body: () => Fragment): Fragment {
    if (++this.copies > MAX_UNFOLDED_COPIES)
      this.fail(`more than ${MAX_UNFOLDED_COPIES} unfolded group copies`);
    return body();
  }

  /** X{min,max} as X^min followed by (X (X …)?)? or by a loop on the last copy when unbounded. */
  private repeat(body: () => Fragment, min: number, max: number): Fragment {
    let acc = EMPTY;
    for (let i = 0; i < min; i++) {
      const copy = this.fresh(body);
      acc = this.concat(acc, i === min - 1 && max === Infinity ? this.loop(copy) : copy);
    }
    if (max === Infinity) {
      if (min === 0) acc = this.concat(acc, { ...this.loop(this.fresh(body)), nullable: true });
      return acc;
    }
    return this.concat(acc, this.optionalChain(body, max - min));
  }

  private optionalChain(body: () => Fragment, k: number): Fragment {
    if (k === 0) return EMPTY;
    const head = this.fresh(body);
    const rest = this.optionalChain(body, k - 1);
    return { ...this.concat(head, rest), nullable: true };
  }
}

function termsOverlap(a: Term, b: Term): boolean {
  if (a.kind === 'element' && b.kind === 'element')
    return a.namespace === b.namespace && a.localName === b.localName;
  if (a.kind === 'element') return wildcardAllows(b as Wildcard, a.namespace);
  if (b.kind === 'element') return wildcardAllows(a, b.namespace);
  const [x, y] = [a, b as Wildcard];
  if (x.mode === 'any' || y.mode === 'any') return true;
  if (x.mode === 'list') return [...x.namespaces].some((ns) => wildcardAllows(y, ns));
  if (y.mode === 'list') return [...y.namespaces].some((ns) => wildcardAllows(x, ns));
  return true; // two ##other constraints share every third namespace
}

function buildState(b: Builder, targets: Iterable<number>, where: string): State {
  const byLocalName = new Map<string, number[]>();
  const wildcards: number[] = [];
  const seen: number[] = [];
  for (const i of targets) {
    const t = b.terms[i]!;
    for (const j of seen) {
      if (termsOverlap(t, b.terms[j]!))
        b.fail(`${where}: ${termName(t)} and ${termName(b.terms[j]!)} compete (Unique Particle Attribution)`);
    }
    seen.push(i);
    if (t.kind === 'wildcard') wildcards.push(i);
    else {
      const same = byLocalName.get(t.localName);
      if (same === undefined) byLocalName.set(t.localName, [i]);
      else same.push(i);
    }
  }
  return { byLocalName, wildcards };
}

/** Compiles a content model; `where` names the type for errors (e.g. 'complexType sr:ReadInventory'). */
export function compileContentModel(root: Particle, where: string): ContentModel {
  const b = new Builder(where);
  const top = b.particle(root);
  const lastSet = new Set(top.last);
  const positions: Position[] = b.terms.map((term, i) => {
    const follow = b.follow[i]!;
    const min = b.mins[i]!;
    const max = b.maxs[i]!;
    if (max > 1) {
      for (const j of follow) {
        if (j === i) {
          // Re-entering a counted position from an enclosing loop: greedy counting is exact only when one
          // occurrence may close an iteration (min <= 1) or the count is unbounded.
          if (min > 1 && max !== Infinity)
            b.fail(`${termName(term)}{${min},${max}} repeats inside a loop: counting would be ambiguous`);
        } else if (termsOverlap(term, b.terms[j]!)) {
          b.fail(
            `${termName(term)} may repeat or be followed by ${termName(b.terms[j]!)} (Unique Particle Attribution)`,
          );
        }
      }
    }
    return {
      term,
      min,
      max,
      final: lastSet.has(i),
      follow: buildState(b, follow, `after ${termName(term)}`),
    };
  });
  return { start: buildState(b, top.first, 'at the start'), positions, nullable: top.nullable };
}

/** The position a child in (ns, local) moves to from `state`, or NO_MATCH. */
function lookup(model: ContentModel, state: State, ns: string | null, local: string): number {
  const same = state.byLocalName.get(local);
  if (same !== undefined) {
    for (let k = 0; k < same.length; k++) {
      const i = same[k]!;
      if ((model.positions[i]!.term as ElementDecl).namespace === ns) return i;
    }
  }
  const w = state.wildcards;
  for (let k = 0; k < w.length; k++) {
    const i = w[k]!;
    if (wildcardAllows(model.positions[i]!.term as Wildcard, ns)) return i;
  }
  return NO_MATCH;
}

function matchesTerm(t: Term, ns: string | null, local: string): boolean {
  return t.kind === 'element' ? t.localName === local && t.namespace === ns : wildcardAllows(t, ns);
}

/**
 * One step: from position `pos` (START before the first child) having matched it `count` times, where does a
 * child named (ns, local) go? STAY (same position, count + 1), a new position (count 1), or NO_MATCH.
 */
export function step(
  model: ContentModel,
  pos: number,
  count: number,
  ns: string | null,
  local: string,
): number {
  if (pos === START) return lookup(model, model.start, ns, local);
  const p = model.positions[pos]!;
  if (count < p.max && matchesTerm(p.term, ns, local)) return STAY;
  if (count < p.min) return NO_MATCH;
  return lookup(model, p.follow, ns, local);
}

/** Whether the children may end here. */
export function canEnd(model: ContentModel, pos: number, count: number): boolean {
  if (pos === START) return model.nullable;
  const p = model.positions[pos]!;
  return p.final && count >= p.min;
}

/** Names of what may come next, for messages (slow path). */
export function expectedAt(model: ContentModel, pos: number, count: number): string[] {
  const out: string[] = [];
  const add = (s: State): void => {
    for (const same of s.byLocalName.values())
      for (const i of same) out.push(termName(model.positions[i]!.term));
    for (const i of s.wildcards) out.push(termName(model.positions[i]!.term));
  };
  if (pos === START) {
    add(model.start);
    return out;
  }
  const p = model.positions[pos]!;
  if (count < p.max) out.push(termName(p.term));
  if (count >= p.min) add(p.follow);
  return [...new Set(out)];
}
