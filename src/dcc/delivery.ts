// Pushing signed responses and alerts to each User's receiver (domain brief §3.2): POST as application/xml, as DCC
// Boxed does; a 2xx answer is delivery. A failure is retried after `alertRetryMs` (≤ 300 s) until `alertHoldMs`
// (2 days) have passed, then the message expires; until then it stays in the store, so a restart loses nothing.
import type { OutboundRecord, Store } from '../store/store.js';
import type { DspConfig } from './config.js';
import type { DspClock } from './dsp.js';

/** Recovery reads the pending messages this many (more) at a time… */
const RECOVER_PAGE = 1_000;
/** …and tries at most this many at once. */
const RECOVER_IN_FLIGHT = 64;
/** The timer key of a recovery sweep to run again (after a Store error). */
const RECOVER_KEY = 'push:recover';

export class Delivery {
  private inProgress = new Set<number>();
  private pending = new Set<Promise<void>>();
  /** Deliveries to record, written together (one transaction for a burst, not one per message). */
  private delivered: { id: number; attempts: number; atMs: number }[] = [];
  /** The write of a burst, from when it is scheduled until it has landed (or failed). */
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: DspClock,
    private readonly config: DspConfig,
    /** Signs a message with the DSP's key and posts it (gateway.ts): the receiver's HTTP status. */
    private readonly deliver: (url: string, xml: string) => Promise<number>,
    private readonly onNote?: (text: string) => void,
  ) {}

  /** A message was queued (and committed): try it now; `message`, when given, spares reading it back. */
  queued(id: number, message?: OutboundRecord): void {
    this.track(this.attempt(id, message));
  }

  /** A retry timer fell due. */
  onTimer(key: string): void {
    if (key === RECOVER_KEY) {
      this.track(this.sweep());
      return;
    }
    const id = Number(key.slice('push:'.length));
    if (Number.isSafeInteger(id)) this.track(this.attempt(id));
  }

  /**
   * After a restart: every pending message is tried again (retry timers do not survive a restart). The sweep runs
   * in the background; idle() waits for it.
   */
  async recover(): Promise<void> {
    this.track(this.sweep());
  }

  /** Resolves when no attempt is running and every delivery is recorded (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.flushing !== undefined) {
      await Promise.all([...this.pending]);
      await this.flushing;
    }
  }

  /**
   * Pages through the pending messages, oldest first, with at most RECOVER_IN_FLIGHT attempts at once. The Store
   * has no cursor: each page asks for as many more rows as were already tried, and a message that stays pending
   * (held for a User with no receiver, or failed and waiting for its retry) is skipped, so the sweep ends.
   */
  private async sweep(): Promise<void> {
    const tried = new Set<number>();
    try {
      for (;;) {
        const due = await this.store.dueOutbound(Number.MAX_SAFE_INTEGER, tried.size + RECOVER_PAGE);
        const page = due.filter((m) => !tried.has(m.id));
        if (page.length === 0) return;
        for (const m of page) tried.add(m.id);
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < page.length) {
            const m = page[next++]!;
            await this.attempt(m.id, m);
          }
        };
        await Promise.all(Array.from({ length: RECOVER_IN_FLIGHT }, lane));
        // Recorded deliveries leave the pending set, so the next page need not read them again.
        while (this.flushing !== undefined) await this.flushing;
      }
    } catch (e) {
      const next = this.clock.now() + this.config.alertRetryMs;
      this.note(`recovering pending deliveries failed (${message(e)}); trying again at ${iso(next)}`);
      this.clock.at(next, RECOVER_KEY);
    }
  }

  /**
   * Records a delivery. A burst is written in one transaction once the current work yields; a crash before that
   * means the message is delivered again after the restart (at least once, as the DCC retries anyway).
   */
  private recordDelivered(id: number, attempts: number, atMs: number): void {
    this.delivered.push({ id, attempts, atMs });
    this.flushing ??= this.flush();
  }

  private async flush(): Promise<void> {
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = this.delivered;
      this.delivered = [];
      try {
        await this.store.transaction(async (tx) => {
          for (const d of batch)
            await tx.updateOutbound(d.id, {
              state: 'delivered',
              attempts: d.attempts,
              nextAttemptMs: d.atMs,
            });
        });
      } catch (e) {
        // Not recorded, so still pending: each is sent again at its retry (at least once).
        const next = this.clock.now() + this.config.alertRetryMs;
        for (const d of batch) this.clock.at(next, `push:${d.id}`);
        this.note(
          `recording ${batch.length} deliveries failed (${message(e)}); they will be sent again at ${iso(next)}`,
        );
      }
    } finally {
      // Deliveries made while this batch was written are the next batch.
      this.flushing = this.delivered.length > 0 ? this.flush() : undefined;
    }
  }

  /** Follows `p` until it settles; an error is noted, never thrown (an unhandled rejection would end Node). */
  private track(p: Promise<void>): void {
    const tracked: Promise<void> = p
      .catch((e: unknown) => this.note(`delivery: ${message(e)}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private note(text: string): void {
    try {
      this.onNote?.(text);
    } catch {
      // A failing logger must not stop deliveries.
    }
  }

  private async attempt(id: number, known?: OutboundRecord): Promise<void> {
    if (this.inProgress.has(id)) return;
    this.inProgress.add(id);
    try {
      await this.tryOnce(id, known);
    } catch (e) {
      // The Store (or the signer) failed: the message is still pending, so it is tried again at its retry.
      const next = this.clock.now() + this.config.alertRetryMs;
      this.clock.at(next, `push:${id}`);
      this.note(`delivery of message ${id} failed (${message(e)}); retry at ${iso(next)}`);
    } finally {
      this.inProgress.delete(id);
    }
  }

  private async tryOnce(id: number, known?: OutboundRecord): Promise<void> {
    const m = known ?? (await this.store.getOutbound(id));
    if (m === undefined || m.state !== 'pending') return;
    const now = this.clock.now();
    if (now >= m.expiresMs) {
      await this.store.updateOutbound(id, {
        state: 'expired',
        attempts: m.attempts,
        nextAttemptMs: m.nextAttemptMs,
      });
      return;
    }
    const user = await this.store.getUser(m.user);
    const url = user?.receiverUrl;
    if (url === undefined) return; // held: the User has no receiver; it can collect later
    let error: string;
    try {
      const status = await this.deliver(url, m.xml);
      if (status >= 200 && status < 300) {
        this.recordDelivered(id, m.attempts + 1, now);
        return;
      }
      error = `HTTP ${status}`;
    } catch (e) {
      error = message(e);
    }
    const next = now + this.config.alertRetryMs;
    await this.store.updateOutbound(id, {
      state: 'pending',
      attempts: m.attempts + 1,
      nextAttemptMs: next,
      lastError: error,
    });
    this.note(`delivery of message ${id} to ${m.user} failed (${error}); retry at ${iso(next)}`);
    this.clock.at(next, `push:${id}`);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
