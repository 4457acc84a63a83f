// The virtual-time kernel: time and order, cancel, run windows, seeded streams and the determinism trace hash.
import { describe, expect, it } from 'vitest';
import { KernelStateError, SchedulingError } from '../../src/sim/errors.js';
import { Kernel } from '../../src/sim/kernel.js';

type Arrival = { type: 'arrival'; entity: number };

/** 1,000 entities, each arriving again after an exponential gap drawn from its own stream. */
function arrivalsTraceHash(seed: number): { hash: string; dispatched: number } {
  const kernel = new Kernel<Arrival>({
    seed,
    handler: (event, _now, k) => k.schedule(k.random(`entity-${event.entity}`).exponential(60_000), event),
    describe: (event) => ({ label: event.type, detail: String(event.entity) }),
  });
  for (let entity = 0; entity < 1_000; entity++)
    kernel.schedule(kernel.random(`entity-${entity}`).exponential(60_000), { type: 'arrival', entity });
  kernel.run({ until: 3_600_000 });
  return { hash: kernel.traceHash(), dispatched: kernel.dispatched };
}

function recorder() {
  const seen: [string, number][] = [];
  const kernel = new Kernel<string>({ seed: 1, handler: (event, now) => void seen.push([event, now]) });
  return { kernel, seen };
}

describe('virtual-time kernel', () => {
  it('runs events in time order, and equal times in schedule order', () => {
    const { kernel, seen } = recorder();
    kernel.schedule(30, 'c');
    kernel.schedule(10, 'a1');
    kernel.schedule(10, 'a2');
    kernel.at(20, 'b');
    kernel.schedule(10, 'a3');
    kernel.run();
    expect(seen).toEqual([
      ['a1', 10],
      ['a2', 10],
      ['a3', 10],
      ['b', 20],
      ['c', 30],
    ]);
    expect(kernel.now).toBe(30);
  });

  it('runs a lower priority number first among equal times', () => {
    const { kernel, seen } = recorder();
    kernel.schedule(5, 'normal');
    kernel.schedule(5, 'urgent', -1);
    kernel.run();
    expect(seen.map(([event]) => event)).toEqual(['urgent', 'normal']);
  });

  it('lets a handler schedule follow-ups relative to the event time', () => {
    const times: number[] = [];
    const kernel = new Kernel<number>({
      seed: 1,
      handler: (left, now, k) => {
        times.push(now);
        if (left > 0) k.schedule(100, left - 1);
      },
    });
    kernel.schedule(50, 3);
    kernel.run();
    expect(times).toEqual([50, 150, 250, 350]);
  });

  it('never dispatches a cancelled event', () => {
    const { kernel, seen } = recorder();
    const timeout = kernel.schedule(60_000, 'timeout');
    kernel.schedule(10, 'reply');
    expect(kernel.cancel(timeout)).toBe(true);
    expect(kernel.cancel(timeout)).toBe(false);
    expect(kernel.pending).toBe(1);
    kernel.run();
    expect(seen).toEqual([['reply', 10]]);
  });

  it('stops run(until) at that time with now = until, including events at exactly until', () => {
    const { kernel, seen } = recorder();
    kernel.schedule(10, 'before');
    kernel.schedule(60, 'at-until');
    kernel.schedule(61, 'after');
    expect(kernel.run({ until: 60 })).toEqual({ dispatched: 2, stoppedBy: 'until' });
    expect(kernel.now).toBe(60);
    expect(seen.map(([event]) => event)).toEqual(['before', 'at-until']);
    expect(kernel.run({ until: 1_000 })).toEqual({ dispatched: 1, stoppedBy: 'until' });
    expect(kernel.now).toBe(1_000);
  });

  it('stops after maxEvents, and reports an empty queue', () => {
    const { kernel } = recorder();
    for (let i = 1; i <= 5; i++) kernel.schedule(i, `e${i}`);
    expect(kernel.run({ maxEvents: 2 })).toEqual({ dispatched: 2, stoppedBy: 'maxEvents' });
    expect(kernel.now).toBe(2);
    expect(kernel.step()).toBe(true);
    expect(kernel.run()).toEqual({ dispatched: 2, stoppedBy: 'empty' });
    expect(kernel.step()).toBe(false);
  });

  it('refuses the past, NaN, infinite or negative delays and non-integer priorities with SchedulingError', () => {
    const { kernel } = recorder();
    kernel.run({ until: 100 });
    expect(() => kernel.schedule(-1, 'x')).toThrow(SchedulingError);
    expect(() => kernel.schedule(Number.NaN, 'x')).toThrow(SchedulingError);
    expect(() => kernel.schedule(Infinity, 'x')).toThrow(SchedulingError);
    expect(() => kernel.at(99, 'x')).toThrow('"timeMs" expected a finite time ≥ now (100), got 99');
    expect(() => kernel.schedule(1, 'x', 0.5)).toThrow(SchedulingError);
    expect(() => kernel.run({ until: 50 })).toThrow(SchedulingError);
    expect(() => new Kernel({ seed: -1, handler: () => undefined })).toThrow(SchedulingError);
    expect(kernel.pending).toBe(0);
  });

  it('refuses step() and run() from inside a handler', () => {
    const kernel = new Kernel<string>({ seed: 1, handler: (_event, _now, k) => void k.run() });
    kernel.schedule(1, 'nested');
    expect(() => kernel.run()).toThrow(KernelStateError);
  });

  it('gives the same trace hash for the same seed, and a different one for another seed', () => {
    const first = arrivalsTraceHash(20260101);
    const again = arrivalsTraceHash(20260101);
    const other = arrivalsTraceHash(20260102);
    expect(first.dispatched).toBeGreaterThan(50_000);
    expect(again.hash).toBe(first.hash);
    expect(other.hash).not.toBe(first.hash);
  });

  it('changes the trace hash when only the order of two equal-time events changes', () => {
    const hashOf = (order: string[]) => {
      const { kernel } = recorder();
      for (const event of order) kernel.schedule(5, event);
      kernel.run();
      return kernel.traceHash();
    };
    expect(hashOf(['a', 'b'])).toBe(hashOf(['a', 'b']));
    expect(hashOf(['a', 'b'])).not.toBe(hashOf(['b', 'a']));
  });

  it('without a trace, dispatches the same events in the same order, never describes one, and refuses traceHash', () => {
    const traced = recorder();
    const seen: [string, number][] = [];
    let described = 0;
    const untraced = new Kernel<string>({
      seed: 1,
      trace: false,
      handler: (event, now) => void seen.push([event, now]),
      describe: (event) => {
        described++;
        return { label: event };
      },
    });
    for (const k of [traced.kernel, untraced]) {
      k.schedule(20, 'b');
      k.schedule(10, 'a');
      k.schedule(20, 'c');
      k.run();
    }
    expect(seen).toEqual(traced.seen);
    expect(untraced.dispatched).toBe(3);
    expect(described).toBe(0);
    expect(() => untraced.traceHash()).toThrow(KernelStateError);
    expect(() => untraced.traceRecords()).toThrow(KernelStateError);
  });

  it('keeps the latest trace records when asked, oldest first', () => {
    const kernel = new Kernel<{ type: string }>({ seed: 9, handler: () => undefined, keepRecords: 2 });
    kernel.schedule(1, { type: 'join' });
    kernel.schedule(2, { type: 'read' });
    kernel.schedule(3, { type: 'alert' });
    kernel.run();
    expect(kernel.traceRecords()).toEqual([
      { time: 2, seq: 1, label: 'read' },
      { time: 3, seq: 2, label: 'alert' },
    ]);
  });

  it('hands each component its own reproducible stream from the run seed', () => {
    const a = new Kernel<string>({ seed: 77, handler: () => undefined });
    const b = new Kernel<string>({ seed: 77, handler: () => undefined });
    expect(a.random('esme').next()).toBe(b.random('esme').next());
    expect(a.random('esme')).toBe(a.random('esme'));
    expect(a.random('esme').getState()).not.toEqual(a.random('gsme').getState());
  });
});
