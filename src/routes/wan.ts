// The CSP's SM WAN as a delivery route (domain brief §5; issue 6), on the model of routes/wan-model.ts: coverage per
// premise, outages, latency drawn from the seed, and store-and-retry — a message for a premise that is not connected
// is held by the CSP and delivered when the connection returns, up to the hold limit; beyond it, or without
// coverage, a command is unreachable (the DSP answers E20) and a message from the premise is lost.
//
// Without a model the route is what it always was: every premise covered (but those in `uncovered`) and one fixed
// latency each way (`latencyMs`, default 0), as the DSP benchmark and `serve --wan-latency` use it.
//
// The DSP's Target Response Time runs from the hand-over to the route: a command held past it is answered E21 and
// the device's later answer is dropped as late (dsp.ts); the CSP, which does not know, still delivers the command.
//
// The route's own state is plain data (WanRouteState): per premise and direction, how many messages went and when the
// last one arrives (FIFO: a message never overtakes an earlier one of the same premise and direction), the intervals
// in which a firmware image is crossing a premise's downlink (a command then waits for the image's end; one waiting
// for a delivery slot in the CSP's firmware queue does not hold the premise's commands), and the uplink messages it
// holds, which it hands to the DSP when they fall due (`onTimer`, on the field's clock). It is not
// stored: after a restart the route starts afresh (its draws from their first index), the commands the CSP held are
// gone, and the DSP re-sends what it had sent and not seen answered (dsp.ts recover).
import type { Field } from '../premise/field.js';
import type { FirmwareDistribution } from '../devices/types.js';
import type { RunSeed } from '../sim/random.js';
import type { DeliveryRoute, InboundHandler, RouteOutcome } from './route.js';
import { WanModel, type Coverage, type WanDirection, type WanModelConfig } from './wan-model.js';

export interface WanOptions {
  /** One-way WAN latency, ms: fixed, replacing the model's distribution (default 0 without a model) [A]. */
  readonly latencyMs?: number;
  /** Premises out of coverage ('none' whatever the model says): commands to them are unreachable (E20). */
  readonly uncovered?: ReadonlySet<number>;
  /** The CSP WAN model (routes/wan-model.ts); absent: every premise 'good', with the fixed latency. */
  readonly model?: WanModelConfig;
  /** Seed of the model's draws (the DCC passes wanSeed(fleet seed)); default 0. */
  readonly seed?: RunSeed;
  /** Told of each message from a premise that the WAN loses (no coverage, or held beyond the hold limit). */
  readonly onNote?: (text: string) => void;
  /** Rate at which the CSP delivers a firmware image to a CH, kbit/s (default 64) [A, configuration]. */
  readonly firmwareKbps?: number;
  /**
   * Most firmware images the CSP delivers at once, fleet-wide (default unbounded) [A, configuration]: each delivery
   * holds one of these from the moment it starts until the image is at the CH.
   */
  readonly firmwareConcurrency?: number;
}

/** The CSP's firmware delivery rate to a CH when not configured, kbit/s [A: not in our sources]. */
export const DEFAULT_WAN_FIRMWARE_KBPS = 64;

/** One premise's traffic in one direction. */
export interface WanLegState {
  /** Messages sent so far (the next one's index in the model's draws). */
  readonly sent: number;
  /** When the last one arrives. */
  readonly lastAtMs: number;
}

/** An uplink message the CSP holds until `atMs`. */
export interface HeldUplink {
  readonly id: number;
  readonly premise: number;
  readonly bytes: Uint8Array;
  readonly atMs: number;
}

/** The route's state, plain data (structuredClone-able). */
export interface WanRouteState {
  readonly down: Readonly<Record<number, WanLegState>>;
  readonly up: Readonly<Record<number, WanLegState>>;
  readonly held: readonly HeldUplink[];
  readonly nextHeldId: number;
  /** The CSP's firmware deliveries in progress over time (firmwareConcurrency): a step function. */
  readonly firmwareLoad: readonly LoadStep[];
  /** Per premise, the intervals in which an image crosses its downlink, by start (not overlapping). */
  readonly imagesOnLink: Readonly<Record<number, readonly ImageOnLink[]>>;
}

/** A firmware image crossing a premise's downlink from `fromMs` until it is at the CH, `toMs`. */
export interface ImageOnLink {
  readonly fromMs: number;
  readonly toMs: number;
}

/** From `atMs` until the next step, `count` image deliveries are in progress. */
export interface LoadStep {
  readonly atMs: number;
  readonly count: number;
}

/** A bound on the search for a firmware delivery slot: a bad configuration cannot hang. */
const MAX_SLOT_STEPS = 100_000;

/** Timer keys of the route's held uplinks: `wan-up:<id>`. */
const HELD_PREFIX = 'wan-up:';

export class WanRoute implements DeliveryRoute {
  readonly name = 'wan';
  readonly model: WanModel;
  private readonly uncovered: ReadonlySet<number>;
  private readonly onNote: ((text: string) => void) | undefined;
  private down: Record<number, WanLegState> = {};
  private up: Record<number, WanLegState> = {};
  private held: Record<number, HeldUplink> = {};
  /** How many held uplinks each premise has. */
  private heldBy: Record<number, number> = {};
  private nextHeldId = 0;
  private inbound: InboundHandler | undefined;
  private readonly firmwareKbps: number;
  private readonly firmwareConcurrency: number;
  /** Sorted by atMs; before the first step, and after the last (whose count is 0), none in progress. */
  private firmwareLoad: LoadStep[] = [];
  private imagesOnLink: Record<number, ImageOnLink[]> = {};

  constructor(
    private readonly field: Field,
    options: WanOptions = {},
  ) {
    const fixed = { kind: 'fixed', ms: options.latencyMs ?? 0 } as const;
    const config: WanModelConfig =
      options.model === undefined
        ? { latency: fixed }
        : options.latencyMs === undefined
          ? options.model
          : { ...options.model, latency: fixed };
    this.model = new WanModel(config, options.seed ?? 0);
    this.uncovered = options.uncovered ?? new Set();
    this.onNote = options.onNote;
    this.firmwareKbps = options.firmwareKbps ?? DEFAULT_WAN_FIRMWARE_KBPS;
    if (!(this.firmwareKbps > 0)) throw new RangeError(`firmwareKbps must be > 0, got ${this.firmwareKbps}`);
    this.firmwareConcurrency = options.firmwareConcurrency ?? Infinity;
    const n = this.firmwareConcurrency;
    if (!(n === Infinity || (Number.isSafeInteger(n) && n >= 1)))
      throw new RangeError(`firmwareConcurrency must be a whole number ≥ 1, got ${n}`);
  }

  /**
   * CS05 over the SM WAN: the image reaches the CH after the downlink's latency (held like any message while the
   * premise is not connected) plus size × 8 / firmwareKbps. Only the image's transfer orders the premise's link [A]:
   * the CSP carries a bulk transfer on the connection it has to the CH, so a command that would arrive while the image
   * is crossing waits for its end, but one handed over while the delivery waits — for the premise's connection
   * window or for a slot in the CSP's fleet-wide firmware queue — goes ahead of it, as it would have without the
   * campaign (a delivery that has not started occupies no link). Without coverage, or beyond the hold limit, it is
   * unreachable (the DSP reports the failure: N61).
   *
   * Fleet-wide capacity [A]: at most firmwareConcurrency deliveries are in progress at once. Deliveries are scheduled
   * in the order they are handed over (FIFO: by request, then DeviceIDList order), each at the earliest instant from
   * which the premise is connected and a delivery slot is free until its image arrives; a delivery waiting for its
   * premise's connection window holds no slot, so a later one may use a slot meanwhile. The hold limit counts from the
   * hand-over; a delivery once begun completes (an image takes ~1.5 min at 64 kbit/s, an intermittent premise's
   * window ≥ 2 min) [A].
   */
  distribute(premise: number, distribution: FirmwareDistribution, nowMs: number): RouteOutcome {
    const transferMs = Math.ceil((distribution.size * 8) / this.firmwareKbps);
    let atMs: number;
    if (this.firmwareConcurrency === Infinity) {
      const leg = this.leg(premise, 'down', nowMs);
      if (leg.kind === 'unreachable') return leg;
      atMs = leg.atMs + transferMs;
      this.imageOnLink(premise, leg.atMs, atMs);
    } else {
      const slot = this.firmwareSlot(premise, transferMs, nowMs);
      if (slot.kind === 'unreachable') return slot;
      atMs = slot.atMs;
    }
    this.field.at(atMs, {
      type: 'deliver',
      premise,
      to: this.field.chfOf(premise),
      input: { type: 'csp-firmware', distribution },
    });
    return { kind: 'sent', atMs };
  }

  /**
   * The earliest delivery of an image to the premise within the fleet-wide capacity, from `nowMs`: found, booked in
   * the load and counted as the premise's next downlink message; or unreachable (no coverage, beyond the hold limit).
   */
  private firmwareSlot(premise: number, transferMs: number, nowMs: number): RouteOutcome {
    if (this.uncovered.has(premise))
      return { kind: 'unreachable', reason: `premise ${premise} has no SM WAN coverage` };
    const before = this.down[premise] ?? { sent: 0, lastAtMs: -Infinity };
    const first = this.model.leg(premise, 'down', nowMs, before.sent, before.lastAtMs);
    if (first.kind === 'unreachable') return first;
    this.pruneLoad(nowMs);
    this.pruneImages(premise, nowMs);
    const latency = this.model.latencyMs(premise, 'down', before.sent);
    let t = first.connectedMs;
    for (let step = 0; step < MAX_SLOT_STEPS; step++) {
      const startMs = this.loadFreeFrom(t);
      const connectedMs = this.model.nextConnected(premise, startMs, Number.MAX_SAFE_INTEGER);
      if (connectedMs === undefined) break;
      const fromMs = this.clearOfImages(premise, Math.max(connectedMs + latency, before.lastAtMs));
      const endMs = fromMs + transferMs;
      const blocked = this.loadFullIn(connectedMs, endMs);
      if (blocked === undefined) {
        this.book(connectedMs, endMs);
        // The image counts as the premise's next downlink message (its draw index); the commands' FIFO order is
        // unchanged: the image's transfer interval, not its arrival, is what later commands must keep clear of.
        this.down[premise] = { sent: before.sent + 1, lastAtMs: Math.max(before.lastAtMs, nowMs) };
        this.imageOnLink(premise, fromMs, endMs);
        return { kind: 'sent', atMs: endMs };
      }
      t = blocked;
    }
    return {
      kind: 'unreachable',
      reason: `premise ${premise}: no firmware delivery slot found while it is connected`,
    };
  }

  /** An image crosses the premise's downlink over [fromMs, toMs). */
  private imageOnLink(premise: number, fromMs: number, toMs: number): void {
    const list = (this.imagesOnLink[premise] ??= []);
    list.push({ fromMs, toMs });
    list.sort((a, b) => a.fromMs - b.fromMs);
  }

  /** The first instant ≥ `t` at which no image is crossing the premise's downlink. */
  private clearOfImages(premise: number, t: number): number {
    let x = t;
    // By start and not overlapping: one pass moves `x` past every interval it falls in.
    for (const i of this.imagesOnLink[premise] ?? []) if (i.fromMs <= x && x < i.toMs) x = i.toMs;
    return x;
  }

  /** Forgets the premise's image intervals wholly before `nowMs`. */
  private pruneImages(premise: number, nowMs: number): void {
    const list = this.imagesOnLink[premise];
    if (list === undefined) return;
    const left = list.filter((i) => i.toMs > nowMs);
    if (left.length === 0) delete this.imagesOnLink[premise];
    else this.imagesOnLink[premise] = left;
  }

  /** Index of the load step in force at `t` (−1: before the first). */
  private loadIndex(t: number): number {
    const load = this.firmwareLoad;
    let lo = 0;
    let hi = load.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (load[mid]!.atMs <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The first instant ≥ `t` at which fewer than firmwareConcurrency deliveries are in progress. */
  private loadFreeFrom(t: number): number {
    const load = this.firmwareLoad;
    let x = t;
    for (let i = this.loadIndex(t); i >= 0 && i < load.length; i++) {
      if (load[i]!.count < this.firmwareConcurrency) return x;
      x = load[i + 1]?.atMs ?? x;
    }
    return x;
  }

  /** Where [from, to) meets a full step: that step's end; undefined when the whole span has a free slot. */
  private loadFullIn(from: number, to: number): number | undefined {
    const load = this.firmwareLoad;
    for (let i = Math.max(0, this.loadIndex(from)); i < load.length && load[i]!.atMs < to; i++) {
      const end = load[i + 1]?.atMs ?? Infinity;
      if (end > from && load[i]!.count >= this.firmwareConcurrency) return end;
    }
    return undefined;
  }

  /** One more delivery in progress over [from, to). */
  private book(from: number, to: number): void {
    const load = this.firmwareLoad;
    const split = (t: number) => {
      const i = this.loadIndex(t);
      if (i >= 0 && load[i]!.atMs === t) return;
      load.splice(i + 1, 0, { atMs: t, count: i >= 0 ? load[i]!.count : 0 });
    };
    split(from);
    split(to);
    for (let i = this.loadIndex(from); i < load.length && load[i]!.atMs < to; i++)
      load[i] = { atMs: load[i]!.atMs, count: load[i]!.count + 1 };
  }

  /** Forgets the steps wholly before `nowMs` (no delivery is scheduled before the present). */
  private pruneLoad(nowMs: number): void {
    const i = this.loadIndex(nowMs);
    if (i > 0) this.firmwareLoad.splice(0, i);
  }

  /** The premise's coverage: the model's, or 'none' for a premise listed as uncovered. */
  coverage(premise: number): Coverage {
    return this.uncovered.has(premise) ? 'none' : this.model.coverage(premise);
  }

  send(premise: number, bytes: Uint8Array, nowMs: number): RouteOutcome {
    const leg = this.leg(premise, 'down', nowMs);
    if (leg.kind === 'unreachable') return leg;
    this.field.at(leg.atMs, {
      type: 'deliver',
      premise,
      to: this.field.chfOf(premise),
      input: { type: 'wan', bytes },
    });
    return { kind: 'sent', atMs: leg.atMs };
  }

  /**
   * What the CHF sends to the WAN (wire as the runner's onWan): handed to `handler` when it arrives — at once when the
   * premise is connected and the latency is 0, else held and handed over by `onTimer` at its arrival time.
   */
  uplink(handler: InboundHandler): (premise: number, bytes: Uint8Array, nowMs: number) => void {
    this.inbound = handler;
    return (premise, bytes, nowMs) => {
      const leg = this.leg(premise, 'up', nowMs);
      if (leg.kind === 'unreachable') {
        this.onNote?.(`WAN: a message from premise ${premise} is lost: ${leg.reason}`);
        return;
      }
      if (leg.atMs <= nowMs && !this.holding(premise)) {
        handler(premise, bytes, nowMs);
        return;
      }
      const id = this.nextHeldId++;
      this.held[id] = { id, premise, bytes, atMs: leg.atMs };
      this.heldBy[premise] = (this.heldBy[premise] ?? 0) + 1;
      this.field.at(leg.atMs, { type: 'external', key: `${HELD_PREFIX}${id}` });
    };
  }

  /** Whether `key` is one of the route's timers. */
  static owns(key: string): boolean {
    return key.startsWith(HELD_PREFIX);
  }

  /** A held uplink message fell due: handed to the handler `uplink` was given. */
  onTimer(key: string, nowMs: number): void {
    const id = Number(key.slice(HELD_PREFIX.length));
    const message = this.held[id];
    if (message === undefined) return;
    delete this.held[id];
    const left = (this.heldBy[message.premise] ?? 1) - 1;
    if (left === 0) delete this.heldBy[message.premise];
    else this.heldBy[message.premise] = left;
    this.inbound?.(message.premise, message.bytes, nowMs);
  }

  /** Uplink messages from the premise that the route still holds (its snapshot must wait for them). */
  holding(premise: number): boolean {
    return this.heldBy[premise] !== undefined;
  }

  /** The route's state as plain data. */
  state(): WanRouteState {
    return structuredClone({
      down: this.down,
      up: this.up,
      held: Object.values(this.held),
      nextHeldId: this.nextHeldId,
      firmwareLoad: this.firmwareLoad,
      imagesOnLink: this.imagesOnLink,
    });
  }

  private leg(premise: number, direction: WanDirection, nowMs: number) {
    if (this.uncovered.has(premise))
      return { kind: 'unreachable', reason: `premise ${premise} has no SM WAN coverage` } as const;
    const legs = direction === 'down' ? this.down : this.up;
    const before = legs[premise] ?? { sent: 0, lastAtMs: -Infinity };
    const modelled = this.model.leg(premise, direction, nowMs, before.sent, before.lastAtMs);
    if (modelled.kind !== 'sent') return modelled;
    let leg = modelled;
    if (direction === 'down') {
      // A message that would arrive while an image is crossing the downlink arrives when the image has.
      this.pruneImages(premise, nowMs);
      leg = { ...modelled, atMs: this.clearOfImages(premise, modelled.atMs) };
    }
    legs[premise] = { sent: before.sent + 1, lastAtMs: leg.atMs };
    return leg;
  }
}
