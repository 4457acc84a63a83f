// The other clock (STYLE: SimPy's RealtimeEnvironment, "Same model, other clock"): drives the very same Kernel
// against real time. It sleeps until the wall-clock moment of the next event, dispatches what is due, and in
// strict mode fails if the model has fallen behind. With cli/clock.ts, the only place that reads real time.
import { KernelStateError, RealtimeLagError, SchedulingError } from './errors.js';
import type { EventId, Kernel } from './kernel.js';

/** A source of wall time and timers; inject a manual one in tests. */
export interface WallClock {
  /** Milliseconds, monotonic (never goes backwards). */
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** systemWallClock's handle for a timer due at once. */
class DueNow {
  constructor(readonly immediate: ReturnType<typeof setImmediate>) {}
}

/**
 * Real time. The eslint rule bans `Date.now`; this uses the monotonic `performance` clock on purpose (an NTP step
 * must not move virtual time backwards), aligned to the Unix epoch by `timeOrigin`.
 */
export const systemWallClock: WallClock = {
  now: () => performance.timeOrigin + performance.now(),
  // Due now: at the loop's next check phase. Node runs a setTimeout(0) no sooner than 1 ms later, and only in a timers
  // phase, which on a busy loop held each hop of a zero-latency exchange (bench:dcc's p99 6–14 ms higher).
  setTimer: (callback, delayMs) =>
    delayMs <= 0 ? new DueNow(setImmediate(callback)) : setTimeout(callback, delayMs),
  clearTimer: (handle) => {
    if (handle instanceof DueNow) clearImmediate(handle.immediate);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface WallClockOptions {
  readonly clock?: WallClock;
  /** Virtual ms per wall ms (default 1: real time; 60 runs a virtual minute per wall second). */
  readonly speed?: number;
  /** Fail with RealtimeLagError when an event runs more than `toleranceMs` wall ms late (default false). */
  readonly strict?: boolean;
  /** Wall ms an event may be late in strict mode (default 50). */
  readonly toleranceMs?: number;
  /** Resolve `start()` once no event is pending (default false: a live server idles waiting for `post`). */
  readonly stopWhenIdle?: boolean;
  /** Events dispatched before yielding to the Node event loop (default 1000). */
  readonly maxEventsPerTick?: number;
}

export interface WallClockStop {
  readonly reason: 'stopped' | 'idle';
  readonly dispatched: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's limit; longer sleeps wake early and sleep again

export class WallClockDriver<E> {
  private readonly clock: WallClock;
  private readonly speed: number;
  private readonly strict: boolean;
  private readonly toleranceMs: number;
  private readonly stopWhenIdle: boolean;
  private readonly maxEventsPerTick: number;
  private wallOrigin = 0;
  private virtualOrigin = 0;
  private timer: unknown = undefined;
  private armedFor = -Infinity; // virtual time the pending timer was set for: due when it fires
  private ticking = false;
  private dispatched = 0;
  private settle: { resolve: (stop: WallClockStop) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    readonly kernel: Kernel<E>,
    options: WallClockOptions = {},
  ) {
    this.clock = options.clock ?? systemWallClock;
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed))
      throw new SchedulingError('speed', 'a finite number > 0', this.speed);
    this.strict = options.strict ?? false;
    this.toleranceMs = options.toleranceMs ?? 50;
    if (!(this.toleranceMs >= 0)) throw new SchedulingError('toleranceMs', 'a number ≥ 0', this.toleranceMs);
    this.stopWhenIdle = options.stopWhenIdle ?? false;
    this.maxEventsPerTick = options.maxEventsPerTick ?? 1000;
    if (!Number.isSafeInteger(this.maxEventsPerTick) || this.maxEventsPerTick < 1)
      throw new SchedulingError('maxEventsPerTick', 'a positive integer', this.maxEventsPerTick);
  }

  get running(): boolean {
    return this.settle !== undefined;
  }

  /** The kernel's virtual time that corresponds to the wall clock now, in whole ms (model times are integers). */
  virtualNow(): number {
    return Math.floor(this.virtualOrigin + (this.clock.now() - this.wallOrigin) * this.speed);
  }

  /**
   * Runs the kernel against the wall clock from its current `now`. Resolves on `stop()` (or when idle, with
   * `stopWhenIdle`); rejects with the handler's error or, in strict mode, a RealtimeLagError.
   */
  start(): Promise<WallClockStop> {
    if (this.running) throw new KernelStateError('WallClockDriver already started');
    this.wallOrigin = this.clock.now();
    this.virtualOrigin = this.kernel.now;
    this.dispatched = 0;
    const stopped = new Promise<WallClockStop>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.arm();
    return stopped;
  }

  /** Stops after the event being dispatched, if any; pending events stay in the kernel. */
  stop(): void {
    this.finish({ reason: 'stopped', dispatched: this.dispatched });
  }

  /** Input from outside the model (a request, an operator action): scheduled at the virtual time of wall-now. */
  post(event: E, priority = 0): EventId {
    if (!this.running) throw new KernelStateError('post() needs a started WallClockDriver');
    const id = this.kernel.at(Math.max(this.kernel.now, this.virtualNow()), event, priority);
    if (!this.ticking) this.arm();
    return id;
  }

  /** Input from outside the model due at virtual time `atMs` (never before wall-now): a delivery after a latency. */
  postAt(atMs: number, event: E, priority = 0): EventId {
    if (!this.running) throw new KernelStateError('postAt() needs a started WallClockDriver');
    const id = this.kernel.at(Math.max(this.kernel.now, this.virtualNow(), atMs), event, priority);
    if (!this.ticking) this.arm();
    return id;
  }

  private wallAt(virtualMs: number): number {
    return this.wallOrigin + (virtualMs - this.virtualOrigin) / this.speed;
  }

  private arm(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimer(this.timer);
      this.timer = undefined;
    }
    if (!this.running) return;
    const next = this.kernel.nextEventTime();
    if (next === undefined) {
      if (this.stopWhenIdle) this.finish({ reason: 'idle', dispatched: this.dispatched });
      return;
    }
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(this.wallAt(next) - this.clock.now())));
    this.armedFor = delay === MAX_TIMER_MS ? -Infinity : next;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
  }

  private tick(): void {
    this.ticking = true;
    try {
      // Timers have 1 ms granularity and may fire a little early: the event they were set for is due regardless.
      const dueUpTo = Math.max(this.virtualNow(), this.armedFor);
      for (let n = 0; n < this.maxEventsPerTick && this.running; n++) {
        const next = this.kernel.nextEventTime();
        if (next === undefined || next > dueUpTo) break;
        if (this.strict) {
          const lateMs = this.clock.now() - this.wallAt(next);
          if (lateMs > this.toleranceMs) throw new RealtimeLagError(next, lateMs, this.toleranceMs);
        }
        this.kernel.step();
        this.dispatched++;
      }
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      this.ticking = false;
    }
    this.arm();
  }

  private finish(stop: WallClockStop): void {
    this.release()?.resolve(stop);
  }

  private fail(error: unknown): void {
    this.release()?.reject(error);
  }

  private release(): typeof this.settle {
    const settle = this.settle;
    this.settle = undefined;
    if (this.timer !== undefined) {
      this.clock.clearTimer(this.timer);
      this.timer = undefined;
    }
    return settle;
  }
}
