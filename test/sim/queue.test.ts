// The event queue: (time, priority, insertion order), cancel by id, growth by doubling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/queue.js';

function drain<T>(queue: EventQueue<T>): T[] {
  const out: T[] = [];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) out.push(next.event);
  return out;
}

describe('event queue', () => {
  it('pops by time, then priority, then insertion order', () => {
    const queue = new EventQueue<string>();
    queue.push(5, 0, 'late');
    queue.push(1, 0, 'first-at-1');
    queue.push(1, -1, 'urgent-at-1');
    queue.push(1, 0, 'second-at-1');
    queue.push(0, 7, 'earliest');
    expect(drain(queue)).toEqual(['earliest', 'urgent-at-1', 'first-at-1', 'second-at-1', 'late']);
  });

  it('skips a cancelled event and reports whether a cancel found a pending one', () => {
    const queue = new EventQueue<string>();
    const a = queue.push(1, 0, 'a');
    queue.push(2, 0, 'b');
    expect(queue.cancel(a)).toBe(true);
    expect(queue.cancel(a)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.peekTime()).toBe(2);
    expect(drain(queue)).toEqual(['b']);
    expect(queue.cancel(12345)).toBe(false);
  });

  it('grows past its initial capacity and compacts many cancelled timers', () => {
    const queue = new EventQueue<number>(16);
    const ids = Array.from({ length: 10_000 }, (_, i) => queue.push(10_000 - i, 0, i));
    for (const id of ids.slice(0, 9_000)) queue.cancel(id);
    expect(queue.size).toBe(1_000);
    const times: number[] = [];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) times.push(next.time);
    expect(times).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
  });

  it('pops any schedule/cancel sequence in non-decreasing order, never losing or duplicating an event', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('push' as const),
        time: fc.integer({ min: 0, max: 50 }),
        priority: fc.integer({ min: -2, max: 2 }),
      }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const queue = new EventQueue<string>(16);
        const pending = new Map<number, { time: number; priority: number; tag: string }>();
        const popped = new Set<string>();
        let pushed = 0;
        const popFirst = () => {
          const next = queue.pop();
          if (next === undefined) return expect(pending.size).toBe(0);
          const expected = [...pending.entries()].sort(
            ([ia, a], [ib, b]) => a.time - b.time || a.priority - b.priority || ia - ib,
          )[0];
          expect(next.id).toBe(expected?.[0]);
          expect(next.event).toBe(expected?.[1].tag);
          expect(popped.has(next.event)).toBe(false);
          popped.add(next.event);
          pending.delete(next.id);
          return next.time;
        };
        for (const o of ops) {
          if (o.kind === 'push') {
            const tag = `e${pushed++}`;
            pending.set(queue.push(o.time, o.priority, tag), { time: o.time, priority: o.priority, tag });
          } else if (o.kind === 'cancel') {
            const ids = [...pending.keys()];
            if (ids.length === 0) continue;
            const id = ids[o.pick % ids.length] as number;
            expect(queue.cancel(id)).toBe(true);
            expect(queue.cancel(id)).toBe(false);
            pending.delete(id);
          } else popFirst();
          expect(queue.size).toBe(pending.size);
        }
        let previous = -Infinity;
        while (pending.size > 0) {
          const time = popFirst() as number;
          expect(time).toBeGreaterThanOrEqual(previous);
          previous = time;
        }
        expect(queue.pop()).toBeUndefined();
      }),
    );
  });
});
