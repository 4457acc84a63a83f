// The CSP's SM WAN as a delivery route (domain brief §5). Here: every premise covered and a fixed one-way latency,
// in both directions. Coverage, outages and latency distributions calibrated on the CSP round-trip targets
// (25 s / 2 h / 22 h) come with the routes issue; the port stays the same.
import type { Field } from '../premise/field.js';
import type { DeliveryRoute, InboundHandler, RouteOutcome } from './route.js';

export interface WanOptions {
  /** One-way WAN latency, ms (default 0: the DSP benchmark's "WAN latency 0") [A]. */
  readonly latencyMs?: number;
  /** Premises out of coverage: commands to them are unreachable (E20). */
  readonly uncovered?: ReadonlySet<number>;
}

export class WanRoute implements DeliveryRoute {
  readonly name = 'wan';
  private readonly latencyMs: number;
  private readonly uncovered: ReadonlySet<number>;

  constructor(
    private readonly field: Field,
    options: WanOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.uncovered = options.uncovered ?? new Set();
  }

  send(premise: number, bytes: Uint8Array, nowMs: number): RouteOutcome {
    if (this.uncovered.has(premise))
      return { kind: 'unreachable', reason: `premise ${premise} has no SM WAN coverage` };
    const atMs = nowMs + this.latencyMs;
    this.field.at(atMs, {
      type: 'deliver',
      premise,
      to: this.field.chfOf(premise),
      input: { type: 'wan', bytes },
    });
    return { kind: 'sent', atMs };
  }

  /** What the CHF sends to the WAN, delivered to `handler` after the latency (wire as the runner's onWan). */
  uplink(handler: InboundHandler): (premise: number, bytes: Uint8Array, nowMs: number) => void {
    return (premise, bytes, nowMs) => handler(premise, bytes, nowMs + this.latencyMs);
  }
}
