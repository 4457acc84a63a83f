// The other clock: the same Kernel driven against wall time, with an injected clock and with real timers.
import { describe, expect, it } from 'vitest';
import { type WallClock, WallClockDriver, systemWallClock } from '../../src/sim/clock.js';
import { RealtimeLagError } from '../../src/sim/errors.js';
import { Kernel } from '../../src/sim/kernel.js';

/** A wall clock that moves only when a test advances it, firing due timers in order. */
class ManualClock implements WallClock {
  private time = 1_000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  /** Moves time forward by `ms`, firing each timer at its moment. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
  /** Moves time without firing timers: the process was busy. */
  stall(ms: number): void {
    this.time += ms;
  }
}

function wallSeen() {
  const seen: [string, number][] = [];
  const kernel = new Kernel<string>({ seed: 1, handler: (event, now) => void seen.push([event, now]) });
  return { kernel, seen };
}

describe('wall-clock driver', () => {
  it('dispatches each event only once its wall-clock moment has come', async () => {
    const clock = new ManualClock();
    const { kernel, seen } = wallSeen();
    kernel.schedule(100, 'a');
    kernel.schedule(250, 'b');
    const driver = new WallClockDriver(kernel, { clock, stopWhenIdle: true });
    const done = driver.start();
    clock.advance(99);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([['a', 100]]);
    clock.advance(150);
    await expect(done).resolves.toEqual({ reason: 'idle', dispatched: 2 });
    expect(seen).toEqual([
      ['a', 100],
      ['b', 250],
    ]);
  });

  it('runs virtual time faster than the wall by the speed factor', async () => {
    const clock = new ManualClock();
    const { kernel, seen } = wallSeen();
    kernel.schedule(60_000, 'minute');
    const done = new WallClockDriver(kernel, { clock, speed: 60, stopWhenIdle: true }).start();
    clock.advance(999);
    expect(seen).toEqual([]);
    clock.advance(1);
    await done;
    expect(seen).toEqual([['minute', 60_000]]);
  });

  it('schedules posted input at the virtual time of wall-now and wakes an idle driver', () => {
    const clock = new ManualClock();
    const { kernel, seen } = wallSeen();
    const driver = new WallClockDriver(kernel, { clock });
    void driver.start();
    clock.advance(40);
    driver.post('request');
    clock.advance(0);
    expect(seen).toEqual([['request', 40]]);
    driver.stop();
    expect(driver.running).toBe(false);
  });

  it('stops on stop(), leaving later events pending in the kernel', async () => {
    const clock = new ManualClock();
    const { kernel, seen } = wallSeen();
    kernel.schedule(10, 'a');
    kernel.schedule(20, 'b');
    const driver = new WallClockDriver(kernel, { clock });
    const done = driver.start();
    clock.advance(10);
    driver.stop();
    clock.advance(100);
    await expect(done).resolves.toEqual({ reason: 'stopped', dispatched: 1 });
    expect(seen).toEqual([['a', 10]]);
    expect(kernel.pending).toBe(1);
  });

  it('raises RealtimeLagError in strict mode when the model falls behind', async () => {
    const clock = new ManualClock();
    const { kernel } = wallSeen();
    kernel.schedule(10, 'a');
    const done = new WallClockDriver(kernel, { clock, strict: true, toleranceMs: 5 }).start();
    clock.stall(30);
    clock.advance(0);
    await expect(done).rejects.toThrow(RealtimeLagError);
  });

  it('tolerates the same lag outside strict mode', async () => {
    const clock = new ManualClock();
    const { kernel, seen } = wallSeen();
    kernel.schedule(10, 'a');
    const done = new WallClockDriver(kernel, { clock, stopWhenIdle: true }).start();
    clock.stall(30);
    clock.advance(0);
    await done;
    expect(seen).toEqual([['a', 10]]);
  });

  it('rejects start() with the error a handler throws', async () => {
    const clock = new ManualClock();
    const kernel = new Kernel<string>({
      seed: 1,
      handler: () => {
        throw new Error('device fault');
      },
    });
    kernel.schedule(1, 'a');
    const done = new WallClockDriver(kernel, { clock }).start();
    clock.advance(1);
    await expect(done).rejects.toThrow('device fault');
  });

  it('runs a short model against real timers, in order, no earlier than scheduled', async () => {
    const { kernel, seen } = wallSeen();
    kernel.schedule(2, 'a');
    kernel.schedule(5, 'b');
    kernel.schedule(5, 'c');
    const started = performance.now();
    await new WallClockDriver(kernel, { stopWhenIdle: true }).start();
    expect(seen).toEqual([
      ['a', 2],
      ['b', 5],
      ['c', 5],
    ]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
  });
});

describe('the system wall clock', () => {
  it('runs a timer due now at the next check phase, in order with setImmediate, not a clamped 1 ms later', async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      systemWallClock.setTimer(() => order.push('due now'), 0);
      setImmediate(() => order.push('immediate after'));
      setTimeout(() => {
        order.push('timeout 1 ms');
        resolve();
      }, 1);
    });
    expect(order.slice(0, 2)).toEqual(['due now', 'immediate after']);
  });

  it('cancels a timer due now, and a later one', async () => {
    let fired = 0;
    systemWallClock.clearTimer(systemWallClock.setTimer(() => fired++, 0));
    systemWallClock.clearTimer(systemWallClock.setTimer(() => fired++, 2));
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(0);
  });
});
