// The virtual-time kernel (STYLE: SimPy's "The environment owns time and order"): `now` is read-only, schedule
// pushes (now + delay, priority, sequence, event) on a heap, `step` pops one and advances `now`, `run` stops at a
// time, an event count or an empty queue. It owns the run seed and hands each component its own random stream.
// Actors never see the wall clock; clock.ts drives this same kernel against real time.
import { KernelStateError, SchedulingError } from './errors.js';
import { type EventId, EventQueue } from './queue.js';
import { type RandomStream, type RunSeed, expectRunSeed, streamFor } from './random.js';
import { type TraceRecord, TraceRecorder } from './trace.js';

export type { EventId } from './queue.js';

/** Called once per dispatched event, with `now` already at the event's time. */
export type EventHandler<E> = (event: E, now: number, kernel: Kernel<E>) => void;

/** How an event appears in the trace. */
export interface TraceLabel {
  readonly label: string;
  readonly detail?: string;
}

export interface KernelOptions<E> {
  readonly seed: RunSeed;
  readonly handler: EventHandler<E>;
  /** Trace label of an event; by default the event itself if a string, else its string `type` field. */
  readonly describe?: (event: E) => TraceLabel;
  /** Latest trace records to keep for inspection (default 0: hash only). */
  readonly keepRecords?: number;
  /**
   * Record the trace (default true). A live service, whose inputs arrive by the wall clock, has no trace to
   * reproduce: without one, an event costs no description and no hashing, and traceHash() refuses.
   */
  readonly trace?: boolean;
  /** Virtual time at construction, in ms (default 0). */
  readonly startMs?: number;
}

export interface RunOptions {
  /** Dispatch every event at or before this virtual time, then leave `now` here. */
  readonly until?: number;
  /** Dispatch at most this many events. */
  readonly maxEvents?: number;
}

export interface RunOutcome {
  readonly dispatched: number;
  readonly stoppedBy: 'until' | 'maxEvents' | 'empty';
}

function describeByType(event: unknown): TraceLabel {
  if (typeof event === 'string') return { label: event };
  if (typeof event === 'object' && event !== null) {
    const type = (event as { type?: unknown }).type;
    if (typeof type === 'string') return { label: type };
  }
  return { label: typeof event };
}

export class Kernel<E> {
  readonly seed: RunSeed;
  private currentMs: number;
  private readonly queue = new EventQueue<E>();
  private readonly handler: EventHandler<E>;
  private readonly describe: (event: E) => TraceLabel;
  private readonly trace: TraceRecorder | undefined;
  private dispatchCount = 0;
  private readonly streams = new Map<string, RandomStream>();
  private dispatching = false;

  constructor(options: KernelOptions<E>) {
    expectRunSeed(options.seed);
    const startMs = options.startMs ?? 0;
    if (!Number.isFinite(startMs)) throw new SchedulingError('startMs', 'a finite number', startMs);
    this.seed = options.seed;
    this.currentMs = startMs;
    this.handler = options.handler;
    this.describe = options.describe ?? describeByType;
    this.trace = options.trace === false ? undefined : new TraceRecorder(options.keepRecords ?? 0);
  }

  /** Virtual time in ms: the time of the event being (or last) dispatched, or where `run({ until })` stopped. */
  get now(): number {
    return this.currentMs;
  }

  /** Events scheduled and neither dispatched nor cancelled. */
  get pending(): number {
    return this.queue.size;
  }

  /** Events dispatched so far. */
  get dispatched(): number {
    return this.dispatchCount;
  }

  /** Schedules `event` at now + `delayMs`; among equal times, lower priority first, then schedule order. */
  schedule(delayMs: number, event: E, priority = 0): EventId {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs))
      throw new SchedulingError('delayMs', 'a finite number ≥ 0', delayMs);
    return this.push(this.currentMs + delayMs, event, priority);
  }

  /** Schedules `event` at the absolute virtual time `timeMs`, which must not be in the past. */
  at(timeMs: number, event: E, priority = 0): EventId {
    if (!(timeMs >= this.currentMs) || !Number.isFinite(timeMs))
      throw new SchedulingError('timeMs', `a finite time ≥ now (${this.currentMs})`, timeMs);
    return this.push(timeMs, event, priority);
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or never existed. */
  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  /** Time of the next pending event, or undefined. */
  nextEventTime(): number | undefined {
    return this.queue.peekTime();
  }

  /** Dispatches the next event; false if none is pending. */
  step(): boolean {
    this.refuseReentry('step');
    return this.dispatchNext();
  }

  /**
   * Dispatches events in order until the queue is empty, `maxEvents` have run, or the next event lies after
   * `until` — then `now` is `until` (events at exactly `until` do run).
   */
  run(options: RunOptions = {}): RunOutcome {
    this.refuseReentry('run');
    const { until, maxEvents = Infinity } = options;
    if (until !== undefined && (!(until >= this.currentMs) || Number.isNaN(until)))
      throw new SchedulingError('until', `a time ≥ now (${this.currentMs})`, until);
    if (!(maxEvents >= 0) || (maxEvents !== Infinity && !Number.isSafeInteger(maxEvents)))
      throw new SchedulingError('maxEvents', 'a non-negative integer', maxEvents);
    let dispatched = 0;
    for (;;) {
      if (dispatched >= maxEvents) return { dispatched, stoppedBy: 'maxEvents' };
      const next = this.queue.peekTime();
      if (next === undefined) {
        if (until === undefined || until === Infinity) return { dispatched, stoppedBy: 'empty' };
        this.currentMs = until;
        return { dispatched, stoppedBy: 'until' };
      }
      if (until !== undefined && next > until) {
        this.currentMs = until;
        return { dispatched, stoppedBy: 'until' };
      }
      this.dispatchNext();
      dispatched++;
    }
  }

  /** The stream for component `name`, derived from the run seed; the same name returns the same stream. */
  random(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = streamFor(this.seed, name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** SHA-256 (hex) over every dispatched event's trace record: equal for equal seed and inputs. */
  traceHash(): string {
    return this.traced().hash();
  }

  /** The latest dispatched events' records (as many as `keepRecords`), oldest first. */
  traceRecords(): readonly TraceRecord[] {
    return this.traced().records();
  }

  private traced(): TraceRecorder {
    if (this.trace === undefined) throw new KernelStateError('this kernel records no trace (trace: false)');
    return this.trace;
  }

  private push(timeMs: number, event: E, priority: number): EventId {
    if ((priority | 0) !== priority) throw new SchedulingError('priority', 'an int32', priority);
    return this.queue.push(timeMs, priority, event);
  }

  private dispatchNext(): boolean {
    const next = this.queue.pop();
    if (next === undefined) return false;
    this.currentMs = next.time;
    this.dispatchCount++;
    if (this.trace !== undefined) {
      const { label, detail } = this.describe(next.event);
      this.trace.record(next.time, next.id, label, detail);
    }
    this.dispatching = true;
    try {
      this.handler(next.event, next.time, this);
    } finally {
      this.dispatching = false;
    }
    return true;
  }

  private refuseReentry(call: string): void {
    if (this.dispatching) throw new KernelStateError(`${call}() called from inside an event handler`);
  }
}
