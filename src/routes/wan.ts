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
// last one arrives (FIFO: a message never overtakes an earlier one of the same premise and direction), and the
// uplink messages it holds, which it hands to the DSP when they fall due (`onTimer`, on the field's clock). It is not
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
}

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
  }

  /**
   * CS05 over the SM WAN: the image reaches the CH after the downlink's latency (held like any message while the
   * premise is not connected) plus size × 8 / firmwareKbps; the premise's later downlink messages queue behind it.
   * Without coverage, or beyond the hold limit, it is unreachable (the DSP reports the failure: N61).
   */
  distribute(premise: number, distribution: FirmwareDistribution, nowMs: number): RouteOutcome {
    const leg = this.leg(premise, 'down', nowMs);
    if (leg.kind === 'unreachable') return leg;
    const atMs = leg.atMs + Math.ceil((distribution.size * 8) / this.firmwareKbps);
    const down = this.down[premise]!;
    this.down[premise] = { ...down, lastAtMs: atMs };
    this.field.at(atMs, {
      type: 'deliver',
      premise,
      to: this.field.chfOf(premise),
      input: { type: 'csp-firmware', distribution },
    });
    return { kind: 'sent', atMs };
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
    });
  }

  private leg(premise: number, direction: WanDirection, nowMs: number) {
    if (this.uncovered.has(premise))
      return { kind: 'unreachable', reason: `premise ${premise} has no SM WAN coverage` } as const;
    const legs = direction === 'down' ? this.down : this.up;
    const before = legs[premise] ?? { sent: 0, lastAtMs: -Infinity };
    const leg = this.model.leg(premise, direction, nowMs, before.sent, before.lastAtMs);
    if (leg.kind === 'sent') legs[premise] = { sent: before.sent + 1, lastAtMs: leg.atMs };
    return leg;
  }
}
