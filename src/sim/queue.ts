// The event queue: a binary min-heap over typed arrays, ordered by (time, priority, insertion sequence) so that
// equal-time events always pop in the same order (SimPy's heap of (time, priority, eid, event)).
// Payloads live in slots that do not move; the heap moves only numbers. Cancel marks the slot (lazy deletion);
// the heap is compacted when cancelled entries outnumber live ones, so re-armed timers cannot grow it unbounded.
import { SchedulingError } from './errors.js';

/** An event's identity: its insertion sequence number, unique for the life of the queue. */
export type EventId = number;

export interface QueuedEvent<T> {
  readonly time: number;
  readonly priority: number;
  readonly id: EventId;
  readonly event: T;
}

const MIN_CAPACITY = 16;
const COMPACT_AFTER = 1024;

function precedes(t1: number, p1: number, s1: number, t2: number, p2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && (p1 < p2 || (p1 === p2 && s1 < s2)));
}

export class EventQueue<T> {
  // Heap order: entry i's time, priority, sequence and payload slot.
  private times: Float64Array;
  private priorities: Int32Array;
  private sequences: Float64Array; // float64, not uint32: exact to 2^53 insertions, a long live run exceeds 2^32
  private slotOf: Uint32Array;
  private length = 0; // heap entries, cancelled ones included
  // Slot order: payload and cancelled mark; a slot is freed when its heap entry leaves the heap.
  private readonly payloads: (T | undefined)[] = [];
  private cancelled: Uint8Array;
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private readonly live = new Map<EventId, number>(); // pending id → slot
  private nextSequence = 0;

  constructor(initialCapacity = MIN_CAPACITY) {
    const capacity = Math.max(MIN_CAPACITY, Math.floor(initialCapacity));
    this.times = new Float64Array(capacity);
    this.priorities = new Int32Array(capacity);
    this.sequences = new Float64Array(capacity);
    this.slotOf = new Uint32Array(capacity);
    this.cancelled = new Uint8Array(capacity);
  }

  /** Pending (not yet popped, not cancelled) events. */
  get size(): number {
    return this.live.size;
  }

  /** Adds an event; `priority` is an int32, lower first among equal times. */
  push(time: number, priority: number, event: T): EventId {
    if (Number.isNaN(time)) throw new SchedulingError('time', 'a number', time);
    if ((priority | 0) !== priority) throw new SchedulingError('priority', 'an int32', priority);
    if (this.length === this.times.length) this.grow();
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.nextSlot++;
    const id = this.nextSequence++;
    this.payloads[slot] = event;
    this.live.set(id, slot);
    const i = this.length++;
    this.times[i] = time;
    this.priorities[i] = priority;
    this.sequences[i] = id;
    this.slotOf[i] = slot;
    this.siftUp(i);
    return id;
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or never existed. */
  cancel(id: EventId): boolean {
    const slot = this.live.get(id);
    if (slot === undefined) return false;
    this.live.delete(id);
    this.cancelled[slot] = 1;
    this.payloads[slot] = undefined;
    const dead = this.length - this.live.size;
    if (dead > COMPACT_AFTER && dead > this.live.size) this.compact();
    return true;
  }

  /** The time of the next pending event, or undefined when none is pending. */
  peekTime(): number | undefined {
    this.dropCancelledTop();
    return this.length > 0 ? this.times[0] : undefined;
  }

  /** Removes and returns the first pending event in (time, priority, sequence) order. */
  pop(): QueuedEvent<T> | undefined {
    this.dropCancelledTop();
    if (this.length === 0) return undefined;
    const time = this.times[0] as number;
    const priority = this.priorities[0] as number;
    const id = this.sequences[0] as number;
    const slot = this.slotOf[0] as number;
    this.removeTop();
    const event = this.payloads[slot] as T;
    this.payloads[slot] = undefined;
    this.freeSlots.push(slot);
    this.live.delete(id);
    return { time, priority, id, event };
  }

  private dropCancelledTop(): void {
    while (this.length > 0) {
      const slot = this.slotOf[0] as number;
      if (this.cancelled[slot] === 0) return;
      this.cancelled[slot] = 0;
      this.freeSlots.push(slot);
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = --this.length;
    if (last === 0) return;
    this.times[0] = this.times[last] as number;
    this.priorities[0] = this.priorities[last] as number;
    this.sequences[0] = this.sequences[last] as number;
    this.slotOf[0] = this.slotOf[last] as number;
    this.siftDown(0);
  }

  private siftUp(start: number): void {
    const t = this.times[start] as number;
    const p = this.priorities[start] as number;
    const s = this.sequences[start] as number;
    const slot = this.slotOf[start] as number;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (
        precedes(
          this.times[parent] as number,
          this.priorities[parent] as number,
          this.sequences[parent] as number,
          t,
          p,
          s,
        )
      )
        break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, t, p, s, slot);
  }

  private siftDown(start: number): void {
    const n = this.length;
    const t = this.times[start] as number;
    const p = this.priorities[start] as number;
    const s = this.sequences[start] as number;
    const slot = this.slotOf[start] as number;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.before(right, left)) child = right;
      if (
        !precedes(
          this.times[child] as number,
          this.priorities[child] as number,
          this.sequences[child] as number,
          t,
          p,
          s,
        )
      )
        break;
      this.move(child, i);
      i = child;
    }
    this.place(i, t, p, s, slot);
  }

  private before(a: number, b: number): boolean {
    return precedes(
      this.times[a] as number,
      this.priorities[a] as number,
      this.sequences[a] as number,
      this.times[b] as number,
      this.priorities[b] as number,
      this.sequences[b] as number,
    );
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.priorities[to] = this.priorities[from] as number;
    this.sequences[to] = this.sequences[from] as number;
    this.slotOf[to] = this.slotOf[from] as number;
  }

  private place(i: number, t: number, p: number, s: number, slot: number): void {
    this.times[i] = t;
    this.priorities[i] = p;
    this.sequences[i] = s;
    this.slotOf[i] = slot;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    this.times = times;
    const priorities = new Int32Array(capacity);
    priorities.set(this.priorities);
    this.priorities = priorities;
    const sequences = new Float64Array(capacity);
    sequences.set(this.sequences);
    this.sequences = sequences;
    const slotOf = new Uint32Array(capacity);
    slotOf.set(this.slotOf);
    this.slotOf = slotOf;
    const cancelled = new Uint8Array(capacity);
    cancelled.set(this.cancelled);
    this.cancelled = cancelled;
  }

  /** Drops every cancelled entry and rebuilds the heap bottom-up. */
  private compact(): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const slot = this.slotOf[i] as number;
      if (this.cancelled[slot] === 1) {
        this.cancelled[slot] = 0;
        this.freeSlots.push(slot);
      } else {
        if (kept !== i) this.move(i, kept);
        kept++;
      }
    }
    this.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
}
