// Pushing signed responses and alerts to each User's receiver (domain brief §3.2): POST as application/xml, as DCC
// Boxed does; a 2xx answer is delivery. A failure is retried after `alertRetryMs` (≤ 300 s) until `alertHoldMs`
// (2 days) have passed, then the message expires; until then it stays in the store, so a restart loses nothing.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Eui64 } from '../codec/eui64.js';
import type { OutboundRecord, Store } from '../store/store.js';
import type { DspConfig } from './config.js';
import type { DspClock } from './dsp.js';

/** Sends one message; resolves with the HTTP status, rejects when the receiver cannot be reached. */
export type Post = (url: string, xml: string) => Promise<number>;

/**
 * Real HTTP over kept-alive connections (node:http, lighter than fetch on this hot path), with a timeout so that a
 * stuck receiver cannot hold a message forever.
 */
export function httpPost(timeoutMs = 10_000): Post {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };
  return (url, xml) =>
    new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const agent = agents[target.protocol as keyof typeof agents];
      if (agent === undefined) {
        reject(new Error(`receiver ${url}: only http and https`));
        return;
      }
      const body = Buffer.from(xml);
      const req = send(
        target,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/xml', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`receiver ${url}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}

export class Delivery {
  private inProgress = new Set<number>();
  private pending = new Set<Promise<void>>();
  /** Deliveries to record, written together (one transaction for a burst, not one per message). */
  private delivered: { id: number; attempts: number; atMs: number }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: DspClock,
    private readonly config: DspConfig,
    private readonly post: Post,
    /** Signs a message with the DSP's key just before it is sent (gateway.ts). */
    private readonly sign: (xml: string) => Promise<string>,
    private readonly onNote?: (text: string) => void,
  ) {}

  /** A message was queued (and committed): try it now; `message`, when given, spares reading it back. */
  queued(id: number, message?: OutboundRecord): void {
    this.track(this.attempt(id, message));
  }

  /** A retry timer fell due. */
  onTimer(key: string): void {
    const id = Number(key.slice('push:'.length));
    if (Number.isSafeInteger(id)) this.track(this.attempt(id));
  }

  /** After a restart: every pending message is tried again. */
  async recover(): Promise<void> {
    const due = await this.store.dueOutbound(Number.MAX_SAFE_INTEGER, 100_000);
    for (const m of due) this.queued(m.id);
  }

  /** Resolves when no attempt is running and every delivery is recorded (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.flushing !== undefined) {
      await Promise.all([...this.pending]);
      await this.flushing;
    }
  }

  /**
   * Records a delivery. A burst is written in one transaction once the current work yields; a crash before that
   * means the message is delivered again after the restart (at least once, as the DCC retries anyway).
   */
  private recordDelivered(id: number, attempts: number, atMs: number): void {
    this.delivered.push({ id, attempts, atMs });
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const batch = this.delivered;
      this.delivered = [];
      this.flushing = undefined;
      await this.store.transaction(async (tx) => {
        for (const d of batch)
          await tx.updateOutbound(d.id, { state: 'delivered', attempts: d.attempts, nextAttemptMs: d.atMs });
      });
    });
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async attempt(id: number, known?: OutboundRecord): Promise<void> {
    if (this.inProgress.has(id)) return;
    this.inProgress.add(id);
    try {
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
        const status = await this.post(url, await this.sign(m.xml));
        if (status >= 200 && status < 300) {
          this.recordDelivered(id, m.attempts + 1, now);
          return;
        }
        error = `HTTP ${status}`;
      } catch (e) {
        error = (e as Error).message;
      }
      const next = now + this.config.alertRetryMs;
      await this.store.updateOutbound(id, {
        state: 'pending',
        attempts: m.attempts + 1,
        nextAttemptMs: next,
        lastError: error,
      });
      this.onNote?.(
        `delivery of message ${id} to ${describe(m.user)} failed (${error}); retry at ${new Date(next).toISOString()}`,
      );
      this.clock.at(next, `push:${id}`);
    } finally {
      this.inProgress.delete(id);
    }
  }
}

function describe(user: Eui64): string {
  return user;
}
