// The PPMID tunnel as a delivery route (SECMP0038): when the SM WAN cannot reach a premise, a command may go to the
// customer's PPMID over its own alternative channel (home broadband or mobile data, each with its availability and
// latency) and from there over ZigBee to the CH (devices/ppmid-tunnel.ts), which accepts it or not under the
// policy's rule (hub/chf-relay.ts). The device's answer comes back the same way; a refusal by the CH is reported to
// the DSP as a delivery failure (E20). Whether the channel is up for a message is drawn from a seeded hash of the
// premise and the message's sequence, so a run repeats for a seed.
import { createHash } from 'node:crypto';
import type { TunnelUplink } from '../devices/types.js';
import { peekRouting } from '../hub/routing.js';
import type { Field } from '../premise/field.js';
import type { FirmwareDistribution } from '../devices/types.js';
import type { DeliveryRoute, InboundHandler, RouteOutcome } from './route.js';

/** A PPMID's alternative channel [A: no source gives these; a scenario sets them]. */
export interface TunnelChannel {
  /** Share of messages for which the channel is up, 0..1. */
  readonly availability: number;
  /** One-way latency, ms. */
  readonly latencyMs: number;
}

/** A typical home broadband / mobile data channel [A]. */
export const DEFAULT_TUNNEL_CHANNEL: TunnelChannel = Object.freeze({ availability: 0.98, latencyMs: 2_000 });

export interface TunnelOptions {
  /** The channel of each premise whose PPMID has one; absent: no tunnel there. */
  readonly channelOf: (premise: number) => TunnelChannel | undefined;
  /** Seed of the availability draws. */
  readonly seed: string;
}

/** What the route reports when a tunnelled command did not reach its device. */
export type TunnelFailureHandler = (premise: number, bytes: Uint8Array, reason: string, atMs: number) => void;

/** Timer keys of the messages coming up the channels: `tunnel-up:<id>`. */
const UP_PREFIX = 'tunnel-up:';
/** Commands the route remembers having sent, to honour only refusals of its own [A]. */
const MAX_REMEMBERED = 4_096;

export class PpmidTunnelRoute implements DeliveryRoute {
  readonly name = 'ppmid-tunnel';
  /** Messages sent per premise: the index of each availability draw. */
  private readonly sent = new Map<number, number>();
  /** The commands it took, by `premise/originator/recipient/counter`, oldest first. */
  private readonly taken = new Set<string>();
  /** Messages on their way up a channel, by id, until they arrive. */
  private readonly up = new Map<number, { premise: number; message: TunnelUplink }>();
  private readonly upBy = new Map<number, number>();
  private nextUpId = 0;
  private inbound: InboundHandler | undefined;
  private failed: TunnelFailureHandler | undefined;

  constructor(
    private readonly field: Field,
    private readonly options: TunnelOptions,
  ) {}

  send(premise: number, bytes: Uint8Array, nowMs: number): RouteOutcome {
    const channel = this.options.channelOf(premise);
    if (channel === undefined)
      return { kind: 'unreachable', reason: `premise ${premise} has no PPMID channel` };
    const ppmid = this.field.pairedPpmidOf(premise);
    if (ppmid === undefined) return { kind: 'unreachable', reason: `premise ${premise} has no PPMID` };
    const n = this.sent.get(premise) ?? 0;
    this.sent.set(premise, n + 1);
    if (draw(this.options.seed, premise, n) >= channel.availability)
      return { kind: 'unreachable', reason: `the PPMID's channel at premise ${premise} is down` };
    const atMs = nowMs + channel.latencyMs;
    this.field.at(atMs, { type: 'deliver', premise, to: ppmid, input: { type: 'tunnel', bytes } });
    this.remember(premise, bytes);
    return { kind: 'sent', atMs };
  }

  private remember(premise: number, bytes: Uint8Array): void {
    const key = commandKey(premise, bytes);
    if (key === undefined) return;
    this.taken.add(key);
    if (this.taken.size > MAX_REMEMBERED) this.taken.delete(this.taken.values().next().value!);
  }

  /**
   * What PPMIDs send up their channels (wire as the runner's onTunnel): answers to `handler`, CH refusals of commands
   * this route took to `failed`, when they arrive after the channel's latency (`onTimer`, on the field's clock).
   */
  uplink(
    handler: InboundHandler,
    failed: TunnelFailureHandler,
  ): (premise: number, message: TunnelUplink, nowMs: number) => void {
    this.inbound = handler;
    this.failed = failed;
    return (premise, message, nowMs) => {
      const id = this.nextUpId++;
      this.up.set(id, { premise, message });
      this.upBy.set(premise, (this.upBy.get(premise) ?? 0) + 1);
      const atMs = nowMs + (this.options.channelOf(premise)?.latencyMs ?? 0);
      this.field.at(atMs, { type: 'external', key: `${UP_PREFIX}${id}` });
    };
  }

  /** Whether `key` is one of the route's timers. */
  static owns(key: string): boolean {
    return key.startsWith(UP_PREFIX);
  }

  /** A message came up a channel. */
  onTimer(key: string, nowMs: number): void {
    const id = Number(key.slice(UP_PREFIX.length));
    const up = this.up.get(id);
    if (up === undefined) return;
    this.up.delete(id);
    const left = (this.upBy.get(up.premise) ?? 1) - 1;
    if (left === 0) this.upBy.delete(up.premise);
    else this.upBy.set(up.premise, left);
    const { premise, message } = up;
    if (message.type === 'gbcs') this.inbound?.(premise, message.bytes, nowMs);
    else if (this.taken.has(commandKey(premise, message.bytes) ?? ''))
      this.failed?.(premise, message.bytes, `refused by the CH: ${message.reason}`, nowMs);
  }

  /** Messages from the premise still coming up its channel (its snapshot must wait for them). */
  holding(premise: number): boolean {
    return this.upBy.has(premise);
  }
}

/** A command's identity: its premise, parties and counter; undefined when the headers do not read. */
function commandKey(premise: number, bytes: Uint8Array): string | undefined {
  const r = peekRouting(bytes);
  return r === undefined ? undefined : `${premise}/${r.originator}/${r.recipient}/${r.originatorCounter}`;
}

/** A uniform draw in [0, 1) from the seed, the premise and the message index. */
function draw(seed: string, premise: number, n: number): number {
  return createHash('sha256').update(`${seed}:${premise}:${n}`).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/** Routes tried in order: the first that can take a command does (the SM WAN, then the PPMID tunnel). */
export class RouteChain implements DeliveryRoute {
  readonly name: string;

  constructor(private readonly routes: readonly DeliveryRoute[]) {
    this.name = routes.map((r) => r.name).join('+');
  }

  send(premise: number, bytes: Uint8Array, nowMs: number): RouteOutcome {
    const reasons: string[] = [];
    for (const route of this.routes) {
      const outcome = route.send(premise, bytes, nowMs);
      if (outcome.kind === 'sent') return outcome;
      reasons.push(`${route.name}: ${outcome.reason}`);
    }
    return { kind: 'unreachable', reason: reasons.join('; ') };
  }

  /** A firmware image goes by the first route that carries images and reaches the premise. */
  distribute(premise: number, distribution: FirmwareDistribution, nowMs: number): RouteOutcome {
    const reasons: string[] = [];
    for (const route of this.routes) {
      if (route.distribute === undefined) continue;
      const outcome = route.distribute(premise, distribution, nowMs);
      if (outcome.kind === 'sent') return outcome;
      reasons.push(`${route.name}: ${outcome.reason}`);
    }
    return { kind: 'unreachable', reason: reasons.join('; ') || 'no route carries firmware images' };
  }
}
