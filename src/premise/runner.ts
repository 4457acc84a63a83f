// Premises on the virtual-time kernel (ARCHITECTURE principles 1 and 7): each premise is a CH with its HAN devices,
// held as plain actor states; the kernel delivers one input at a time to one actor and the runner turns the
// effects it returns into later deliveries (HAN frames after the HAN latency), kernel timers, and messages out to
// the WAN. Premises never touch each other, so many share one kernel here and can be split across workers later.
import { deserialize, serialize } from 'node:v8';
import type { Eui64 } from '../codec/eui64.js';
import type { DeviceCore } from '../devices/device.js';
import type {
  ActorEnv,
  ActorInput,
  ActorStep,
  DeviceKind,
  Effect,
  HanFrame,
  Timer,
  TunnelUplink,
} from '../devices/types.js';
import { Kernel, type EventId, type TraceLabel } from '../sim/kernel.js';
import type { RunSeed } from '../sim/random.js';
import { decodeForLog, messageFingerprint, type LoggedMessage, type MessageLeg } from './message-log.js';

/** Which transition function runs each kind of actor. */
export type ActorRegistry = Readonly<Partial<Record<DeviceKind, ActorStep<DeviceCore>>>>;

/** A kind's transition function, for the registry: the runner hands each actor only states of its own kind. */
export function anyKind<S extends DeviceCore>(step: ActorStep<S>): ActorStep<DeviceCore> {
  return step as unknown as ActorStep<DeviceCore>;
}

/**
 * One premise: its actors' states. Plain data: this is what a store or another worker would hold. An array, not an
 * object keyed by EUI-64: keys unique to each premise would give V8 hidden classes per premise (≈ 1 KB each).
 */
export interface PremiseState {
  readonly id: number;
  readonly members: DeviceCore[];
}

export type PremiseEvent =
  | { readonly type: 'deliver'; readonly premise: number; readonly to: Eui64; readonly input: ActorInput }
  /** Work of a party outside the premises (the DCC's deadlines and retries), named by a key it understands. */
  | { readonly type: 'external'; readonly key: string };

/** A premise as stored: its actors' states and their pending timers, to be restored after a restart. */
export interface PremiseSnapshotData {
  readonly members: readonly DeviceCore[];
  readonly timers: readonly { readonly to: Eui64; readonly atMs: number; readonly timer: Timer }[];
}

export interface RunnerOptions {
  readonly seed: RunSeed;
  readonly env: ActorEnv;
  readonly actors: ActorRegistry;
  /** Virtual UTC at the start, ms (default 2026-01-01T00:00:00Z). */
  readonly startMs?: number;
  /** One-way HAN delivery time, ms (default 50) [A: ZigBee hop with APS acknowledgement; configurable]. */
  readonly hanLatencyMs?: number;
  /** Keep every message with its decoded form (default false: only the trace hash). */
  readonly recordMessages?: boolean;
  /** Record the kernel's trace (default true; sim/kernel.ts): a live DCC, driven by the wall clock, needs none. */
  readonly trace?: boolean;
  /** Keep the actors' notes (default false). */
  readonly recordNotes?: boolean;
  /** Called with every message a CHF sends to the WAN. */
  readonly onWan?: (premise: number, bytes: Uint8Array, now: number) => void;
  /** Called with every message a PPMID sends up its alternative channel (SECMP0038). */
  readonly onTunnel?: (premise: number, message: TunnelUplink, now: number) => void;
  /** Called with every 'external' event when it falls due. */
  readonly onExternal?: (key: string, now: number) => void;
}

export interface Note {
  readonly atMs: number;
  readonly premise: number;
  readonly actor: Eui64;
  readonly text: string;
}

export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);

export class PremiseRunner {
  readonly kernel: Kernel<PremiseEvent>;
  readonly messages: LoggedMessage[] = [];
  readonly notes: Note[] = [];
  private readonly premises: PremiseState[] = [];
  /**
   * Pending timers by premise id, each premise's in the order they were first set (an actor has a few at most): its
   * own are found without a fleet-wide scan, and a short array costs less memory than a Map per premise.
   */
  private readonly timers: PendingTimer[][] = [];
  /** Premises whose state changed since takeDirty() last ran. */
  private dirty = new Set<number>();
  /** Messages on their way to a premise's actors (WAN in, HAN frames), by premise: a snapshot waits for none. */
  private readonly inFlight = new Map<number, number>();
  readonly env: ActorEnv;
  private readonly actors: ActorRegistry;
  private readonly hanLatencyMs: number;
  private readonly recordMessages: boolean;
  private readonly recordNotes: boolean;
  private readonly onWan: RunnerOptions['onWan'];
  private readonly onTunnel: RunnerOptions['onTunnel'];
  private readonly onExternal: RunnerOptions['onExternal'];

  constructor(options: RunnerOptions) {
    this.env = options.env;
    this.actors = options.actors;
    this.hanLatencyMs = options.hanLatencyMs ?? 50;
    this.recordMessages = options.recordMessages ?? false;
    this.recordNotes = options.recordNotes ?? false;
    this.onWan = options.onWan;
    this.onTunnel = options.onTunnel;
    this.onExternal = options.onExternal;
    this.kernel = new Kernel<PremiseEvent>({
      seed: options.seed,
      startMs: options.startMs ?? DEFAULT_START_MS,
      handler: (event, now) => this.deliver(event, now),
      describe: describeEvent,
      ...(options.trace !== undefined && { trace: options.trace }),
    });
  }

  /** Adds a premise from its actors' initial states; returns its id. */
  addPremise(members: readonly DeviceCore[]): number {
    const id = this.premises.length;
    const seen = new Set<string>();
    for (const m of members) {
      if (seen.has(m.eui)) throw new RangeError(`premise ${id}: two actors with EUI-64 ${m.eui}`);
      if (this.actors[m.kind] === undefined) throw new RangeError(`no actor registered for kind ${m.kind}`);
      seen.add(m.eui);
    }
    this.premises.push({ id, members: [...members] });
    this.dirty.add(id);
    return id;
  }

  /** An actor arrives at a premise (an installer's HHT, a posted PPMID): from now on it is one of its members. */
  addMember(premise: number, member: DeviceCore): void {
    const p = this.premise(premise);
    if (memberOf(p, member.eui) !== undefined)
      throw new RangeError(`premise ${premise}: two actors with EUI-64 ${member.eui}`);
    if (this.actors[member.kind] === undefined)
      throw new RangeError(`no actor registered for kind ${member.kind}`);
    p.members.push(member);
    this.dirty.add(premise);
  }

  /**
   * An actor leaves a premise (a returned Communications Hub or meter taken away): its state as it left, its pending
   * timers cancelled. Frames still on their way to it are lost, as for any actor no longer there.
   */
  removeMember(premise: number, eui: Eui64): DeviceCore {
    const p = this.premise(premise);
    const index = p.members.findIndex((m) => m.eui === eui);
    if (index < 0) throw new RangeError(`premise ${premise} has no actor ${eui}`);
    const [state] = p.members.splice(index, 1);
    const timers = this.timers[premise] ?? [];
    for (const t of timers) if (t.to === eui) this.kernel.cancel(t.id);
    this.timers[premise] = timers.filter((t) => t.to !== eui);
    this.dirty.add(premise);
    return state!;
  }

  /** Schedules an 'external' event: `onExternal(key)` runs at virtual time `atMs`. */
  external(atMs: number, key: string): EventId {
    return this.kernel.at(Math.max(this.kernel.now, atMs), { type: 'external', key });
  }

  /**
   * The ids of premises changed since the last call that `ready` accepts, and forgets them; the others stay dirty.
   * (A store keeps only snapshots taken between exchanges: see quiet().)
   */
  takeDirty(ready: (id: number) => boolean = () => true): number[] {
    const ids = [...this.dirty].filter(ready).sort((a, b) => a - b);
    for (const id of ids) this.dirty.delete(id);
    return ids;
  }

  /** Marks premises dirty again (their snapshots were not stored after all). */
  markDirty(ids: readonly number[]): void {
    for (const id of ids) this.dirty.add(id);
  }

  /** No message is on its way to premise `id`'s actors: its states are between exchanges. */
  quiet(id: number): boolean {
    return (this.inFlight.get(id) ?? 0) === 0;
  }

  /** Counts a WAN or HAN delivery scheduled from outside the runner (Field.at). */
  noteInFlight(event: PremiseEvent): void {
    if (event.type === 'deliver' && carriesMessage(event.input)) this.count(event.premise, 1);
  }

  private count(premise: number, delta: number): void {
    const n = (this.inFlight.get(premise) ?? 0) + delta;
    if (n <= 0) this.inFlight.delete(premise);
    else this.inFlight.set(premise, n);
  }

  /** Premise `id` as bytes (v8 serialisation: bigints and byte arrays survive): states and pending timers. */
  snapshot(id: number): Uint8Array {
    const premise = this.premise(id);
    const timers: PremiseSnapshotData['timers'][number][] = [];
    for (const t of this.timers[id] ?? []) timers.push({ to: t.to, atMs: t.atMs, timer: t.timer });
    const data: PremiseSnapshotData = { members: premise.members, timers };
    return serialize(data);
  }

  /**
   * Puts back premise `id` from a snapshot (after a restart): its states, and its timers re-armed. The id must be the
   * next one (restore premises in order) or an existing one, which is replaced.
   */
  restore(id: number, bytes: Uint8Array): void {
    const data = deserialize(bytes) as PremiseSnapshotData;
    if (id > this.premises.length)
      throw new RangeError(`restore premise ${id}: premises must be restored in order`);
    for (const t of this.timers[id] ?? []) this.kernel.cancel(t.id);
    this.timers[id] = [];
    this.premises[id] = { id, members: [...data.members] };
    for (const t of data.timers)
      this.apply(id, t.to, { kind: 'timer', atMs: t.atMs, timer: t.timer }, this.kernel.now);
    this.dirty.delete(id);
  }

  /** Forgets a pending timer (fired or cancelled); returns it if there was one. */
  private dropTimer(premise: number, to: Eui64, name: string): PendingTimer | undefined {
    const timers = this.timers[premise];
    const at = timers === undefined ? -1 : timerIndex(timers, to, name);
    return at < 0 ? undefined : timers!.splice(at, 1)[0];
  }

  premise(id: number): PremiseState {
    const p = this.premises[id];
    if (p === undefined) throw new RangeError(`no premise ${id}`);
    return p;
  }

  /** The current state of one actor. */
  actor<S extends DeviceCore = DeviceCore>(premise: number, eui: Eui64): S {
    const s = memberOf(this.premise(premise), eui);
    if (s === undefined) throw new RangeError(`premise ${premise} has no actor ${eui}`);
    return s as S;
  }

  /** Delivers `input` to an actor after `delayMs` (a WAN message in, power, a person at the device). */
  inject(premise: number, to: Eui64, input: ActorInput, delayMs = 0): EventId {
    this.actor(premise, to);
    if (carriesMessage(input)) this.count(premise, 1);
    return this.kernel.schedule(delayMs, { type: 'deliver', premise, to, input });
  }

  get premiseCount(): number {
    return this.premises.length;
  }

  private deliver(event: PremiseEvent, now: number): void {
    if (event.type === 'external') {
      this.onExternal?.(event.key, now);
      return;
    }
    if (carriesMessage(event.input)) this.count(event.premise, -1);
    const premise = this.premises[event.premise]!;
    const index = premise.members.findIndex((m) => m.eui === event.to);
    if (index < 0) return;
    const state = premise.members[index]!;
    if (event.input.type === 'wan')
      this.log(event.premise, 'wan-in', 'wan', event.to, event.input.bytes, now);
    if (event.input.type === 'tunnel')
      this.log(event.premise, 'tunnel-in', 'tunnel', event.to, event.input.bytes, now);
    if (event.input.type === 'timer') this.dropTimer(event.premise, event.to, event.input.timer.name);
    const step = this.actors[state.kind]!;
    const result = step(state, event.input, now, this.env);
    if (result.state !== state) {
      premise.members[index] = result.state;
      this.dirty.add(event.premise);
    }
    for (const effect of result.effects) this.apply(event.premise, state.eui, effect, now);
  }

  private apply(premise: number, from: Eui64, effect: Effect, now: number): void {
    switch (effect.kind) {
      case 'han': {
        const carried = gbcsIn(effect.frame);
        if (carried !== null) this.log(premise, 'han', from, effect.to, carried, now);
        if (memberOf(this.premises[premise]!, effect.to) === undefined) {
          this.note(premise, from, `HAN frame to ${effect.to}, which is not at this premise: lost`, now);
          return;
        }
        this.count(premise, 1);
        this.kernel.schedule(this.hanLatencyMs, {
          type: 'deliver',
          premise,
          to: effect.to,
          input: { type: 'han', from, frame: effect.frame },
        });
        return;
      }
      case 'wan':
        this.log(premise, 'wan-out', from, 'wan', effect.bytes, now);
        this.onWan?.(premise, effect.bytes, now);
        return;
      case 'tunnel':
        this.log(premise, 'tunnel-out', from, 'tunnel', effect.message.bytes, now);
        this.onTunnel?.(premise, effect.message, now);
        return;
      case 'timer': {
        let timers = this.timers[premise];
        if (timers === undefined) this.timers[premise] = timers = [];
        const at = timerIndex(timers, from, effect.timer.name);
        if (at >= 0) this.kernel.cancel(timers[at]!.id);
        const atMs = Math.max(now, effect.atMs);
        const id = this.kernel.at(atMs, {
          type: 'deliver',
          premise,
          to: from,
          input: { type: 'timer', timer: effect.timer },
        });
        // Re-arming keeps the timer's place (as a Map keeps a key's): a premise's snapshot lists them in one order.
        const pending = { id, to: from, atMs, timer: effect.timer };
        if (at >= 0) timers[at] = pending;
        else timers.push(pending);
        this.dirty.add(premise);
        return;
      }
      case 'cancel-timer': {
        const dropped = this.dropTimer(premise, from, effect.name);
        if (dropped !== undefined) this.kernel.cancel(dropped.id);
        this.dirty.add(premise);
        return;
      }
      case 'note':
        this.note(premise, from, effect.text, now);
        return;
    }
  }

  private note(premise: number, actor: Eui64, text: string, atMs: number): void {
    if (this.recordNotes) this.notes.push({ atMs, premise, actor, text });
  }

  private log(
    premise: number,
    leg: MessageLeg,
    from: Eui64 | 'wan' | 'tunnel',
    to: Eui64 | 'wan' | 'tunnel',
    bytes: Uint8Array,
    atMs: number,
  ): void {
    if (!this.recordMessages) return;
    this.messages.push({ atMs, premise, leg, from, to, bytes, decoded: decodeForLog(bytes) });
  }
}

/** A WAN message or a HAN frame: what makes a premise's actors mid-exchange. */
function carriesMessage(input: ActorInput): boolean {
  return input.type === 'wan' || input.type === 'han' || input.type === 'tunnel';
}

/** The actor with this EUI-64 at a premise (a premise has a handful: a linear scan is fastest). */
export function memberOf(premise: PremiseState, eui: string): DeviceCore | undefined {
  return premise.members.find((m) => m.eui === eui);
}

/** The GBCS message a HAN frame carries, if any. */
function gbcsIn(frame: HanFrame): Uint8Array | null {
  if (frame.type === 'gbcs') return frame.bytes;
  if (frame.type === 'gsme-mailbox') return frame.bytes;
  return null;
}

function timerIndex(timers: readonly PendingTimer[], to: Eui64, name: string): number {
  return timers.findIndex((t) => t.to === to && t.timer.name === name);
}

interface PendingTimer {
  readonly id: EventId;
  readonly to: Eui64;
  readonly atMs: number;
  readonly timer: Timer;
}

/** The trace records who received what: GBCS messages by their fingerprint, other inputs by type. */
function describeEvent(event: PremiseEvent): TraceLabel {
  if (event.type === 'external') return { label: 'external', detail: event.key };
  const input = event.input;
  const head = `${event.premise}:${event.to}`;
  switch (input.type) {
    case 'wan':
      return { label: 'wan', detail: `${head}:${messageFingerprint(input.bytes)}` };
    case 'han': {
      const frame = input.frame;
      const carried = gbcsIn(frame);
      const body = carried === null ? frame.type : `${frame.type}:${messageFingerprint(carried)}`;
      return { label: 'han', detail: `${head}<${input.from}:${body}` };
    }
    case 'timer':
      return { label: 'timer', detail: `${head}:${input.timer.name}:${input.timer.ref ?? ''}` };
    case 'power':
      return { label: 'power', detail: `${head}:${input.on ? 'on' : 'off'}` };
    case 'local':
      return { label: 'local', detail: `${head}:${input.action.kind}` };
    case 'tunnel':
      return { label: 'tunnel', detail: `${head}:${messageFingerprint(input.bytes)}` };
    case 'csp-firmware':
      return { label: 'csp-firmware', detail: `${head}:${input.distribution.image.slice(0, 16)}` };
  }
}
