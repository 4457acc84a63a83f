// Delivery when the Store fails (code review): an error is noted, never an unhandled rejection (which would end
// Node 20), and the message is sent later at its retry; idle() waits for a burst's write; recovery after a restart
// pages through every pending message with a bounded number of attempts at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { DEFAULT_DSP_CONFIG } from '../../src/dcc/config.js';
import { Delivery } from '../../src/dcc/delivery.js';
import type { Post } from '../../src/dcc/http-post.js';
import type { DspClock } from '../../src/dcc/dsp.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const WITH_RECEIVER = eui64('90B3D51F30010000');
const WITHOUT_RECEIVER = eui64('90B3D51F30020000');
const RETRY = DEFAULT_DSP_CONFIG.alertRetryMs;
const T0 = Date.UTC(2026, 0, 1);

/** Model time that moves only when told; `advance` fires the timers that fall due on the way. */
class FakeClock implements DspClock {
  nowMs = T0;
  timers: { atMs: number; key: string }[] = [];
  now(): number {
    return this.nowMs;
  }
  at(atMs: number, key: string): void {
    this.timers.push({ atMs, key });
  }
  async advance(ms: number, delivery: Delivery): Promise<void> {
    this.nowMs += ms;
    const due = this.timers.filter((t) => t.atMs <= this.nowMs);
    this.timers = this.timers.filter((t) => t.atMs > this.nowMs);
    for (const t of due) delivery.onTimer(t.key);
    await delivery.idle();
  }
}

/** The store, with `method` failing on its next `times` calls. */
function failing(store: Store, method: keyof Store, times = 1): Store {
  let left = times;
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === method && left > 0)
        return async () => {
          left--;
          throw new Error(`${method}: store unavailable`);
        };
      return value.bind(target);
    },
  });
}

let store: Store;
let clock: FakeClock;
let notes: string[];
let posted: string[];
let unhandled: unknown[];
const onUnhandled = (e: unknown): void => void unhandled.push(e);
/** A receiver that accepts everything (after a turn of the event loop, so that attempts overlap). */
const post: Post = async (_url, xml) => {
  await new Promise((r) => setImmediate(r));
  posted.push(xml);
  return 204;
};

beforeEach(async () => {
  store = await openStore(':memory:');
  await store.putUser({
    eui: WITH_RECEIVER,
    roles: ['IS'],
    status: 'active',
    receiverUrl: 'http://receiver.test/duis',
  });
  await store.putUser({ eui: WITHOUT_RECEIVER, roles: ['IS'], status: 'active' });
  clock = new FakeClock();
  notes = [];
  posted = [];
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await store.close();
  expect(unhandled).toEqual([]);
});

function delivery(over: Store, send: Post = post): Delivery {
  return new Delivery(
    over,
    clock,
    DEFAULT_DSP_CONFIG,
    send, // unsigned: these tests are about the Store, not the signature
    (t) => notes.push(t),
  );
}

async function enqueue(user: Eui64, count = 1): Promise<number[]> {
  return store.transaction(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = await tx.enqueueOutbound({
        user,
        kind: 'response',
        xml: `<message>${i}</message>`,
        createdMs: T0,
        nextAttemptMs: T0,
        expiresMs: T0 + DEFAULT_DSP_CONFIG.alertHoldMs,
      });
      ids.push(id);
    }
    return ids;
  });
}

/** Lets anything that was left running show itself (an unhandled rejection is reported a turn later). */
const turn = () => new Promise((r) => setTimeout(r, 10));

describe('a Store error during an attempt', () => {
  it('is noted, and the message is delivered at its retry', async () => {
    const [id] = await enqueue(WITH_RECEIVER);
    const d = delivery(failing(store, 'getUser'));
    d.queued(id!);
    await d.idle();
    await turn();
    expect(notes).toEqual([
      expect.stringMatching(/delivery of message \d+ failed \(getUser: store unavailable\)/),
    ]);
    expect(posted).toEqual([]);
    expect(clock.timers).toEqual([{ atMs: T0 + RETRY, key: `push:${id}` }]);
    await clock.advance(RETRY - 1, d);
    expect(posted).toEqual([]);
    await clock.advance(1, d);
    expect(posted).toHaveLength(1);
    expect(await store.getOutbound(id!)).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});

describe("a Store error while recording a burst's deliveries", () => {
  it('is noted, and the burst is sent again at its retry (at least once)', async () => {
    const ids = await enqueue(WITH_RECEIVER, 3);
    const d = delivery(failing(store, 'transaction'));
    for (const id of ids) d.queued(id);
    await d.idle();
    await turn();
    expect(posted).toHaveLength(3);
    expect(notes).toEqual([
      expect.stringMatching(/recording 3 deliveries failed \(transaction: store unavailable\)/),
    ]);
    for (const id of ids) expect(await store.getOutbound(id)).toMatchObject({ state: 'pending' });
    await clock.advance(RETRY, d);
    expect(posted).toHaveLength(6);
    for (const id of ids) expect(await store.getOutbound(id)).toMatchObject({ state: 'delivered' });
  });

  it('idle() waits until the write has landed', async () => {
    const [id] = await enqueue(WITH_RECEIVER);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Proxy(store, {
      get(target, prop) {
        if (prop === 'transaction')
          return async (fn: Parameters<Store['transaction']>[0]) => {
            await gate;
            return target.transaction(fn);
          };
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const d = delivery(slow);
    d.queued(id!);
    await turn(); // sent; the burst's write has begun and waits at the gate
    expect(posted).toHaveLength(1);
    let idle = false;
    const waiting = d.idle().then(() => (idle = true));
    await turn();
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(await store.getOutbound(id!)).toMatchObject({ state: 'delivered' });
  });
});

describe('recovery after a restart', () => {
  it('pages through every pending message, at most 64 attempts at once, past held ones', async () => {
    // More held messages (no receiver: they stay pending) than a page, ahead of the deliverable ones.
    await enqueue(WITHOUT_RECEIVER, 1_200);
    const deliverable = await enqueue(WITH_RECEIVER, 1_300);
    let inFlight = 0;
    let most = 0;
    const counting: Post = async (url, xml) => {
      most = Math.max(most, ++inFlight);
      try {
        return await post(url, xml);
      } finally {
        inFlight--;
      }
    };
    const d = delivery(store, counting);
    await d.recover();
    await d.idle();
    expect(posted).toHaveLength(1_300);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(64);
    for (const id of [deliverable[0]!, deliverable.at(-1)!])
      expect(await store.getOutbound(id)).toMatchObject({ state: 'delivered' });
    expect(await store.pendingOutbound(WITHOUT_RECEIVER)).toHaveLength(1_200);
    expect(await store.pendingOutbound(WITH_RECEIVER)).toEqual([]);
  });

  it('a Store error is noted and the sweep runs again at the retry interval', async () => {
    await enqueue(WITH_RECEIVER, 2);
    const d = delivery(failing(store, 'dueOutbound'));
    await d.recover();
    await d.idle();
    await turn();
    expect(notes).toEqual([expect.stringMatching(/recovering pending deliveries failed/)]);
    expect(posted).toEqual([]);
    await clock.advance(RETRY, d);
    expect(posted).toHaveLength(2);
  });
});
