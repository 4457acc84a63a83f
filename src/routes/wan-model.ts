// The CSP's SM WAN as a pure, deterministic model (domain brief §5; issue 6): per-premise coverage ('good',
// 'intermittent', 'none'), outage schedules, one-way latency as a distribution, and the CSP's store-and-retry (a
// message for a premise that is not connected is held until the connection returns, up to a hold limit).
//
// Every answer is a function of (configuration, seed, premise, direction, message index, time): the model keeps no
// state. What must carry from one message to the next (how many each premise has sent each way, and when the last
// one arrived, so that messages never overtake each other) is the caller's, as plain data (routes/wan.ts).
//
// Sources. [C] the CSP round-trip targets RTT4 25 s, RTT3 2 h, RTT2 22 h (DCC Performance Measurement Methodology,
// 29 Mar 2018) and SM WAN coverage of 99.3 % of GB premises (DCC annual report 2020/21), both from domain brief §5.
// [A] everything else: the latency distribution's shape and parameters, the intermittent premises' connection
// windows, the hold limit, the share of intermittent premises. The defaults are calibrated so that a 'good' premise's
// WAN round trip (two one-way legs) is within RTT4 for more than 99.9 % of messages, and an intermittent premise's
// round trips spread from seconds to several hours, within RTT2 (test/routes/wan.test.ts measures both).
import { createHash } from 'node:crypto';
import { streamFor, type RandomStream, type RunSeed } from '../sim/random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The CSP round-trip targets [C: domain brief §5]. */
export const CSP_ROUND_TRIP_TARGETS = Object.freeze({
  rtt4Ms: 25_000,
  rtt3Ms: 2 * HOUR,
  rtt2Ms: 22 * HOUR,
});

/** Share of GB premises the SM WAN reaches [C: domain brief §5, DCC 2020/21]. */
export const GB_WAN_COVERAGE = 0.993;

export type Coverage = 'good' | 'intermittent' | 'none';
export const COVERAGES: readonly Coverage[] = ['good', 'intermittent', 'none'];

/** What the DSP reads of the WAN for SR 12.1 (the WAN matrix): each premise's coverage. */
export interface WanCoverageSource {
  coverage(premise: number): Coverage;
}

/** Downlink: DCC → CHF (commands); uplink: CHF → DCC (responses, alerts). */
export type WanDirection = 'down' | 'up';

/** A period without SM WAN service, [fromMs, toMs) in model time (UTC ms). */
export interface Outage {
  readonly fromMs: number;
  readonly toMs: number;
}

/** One-way latency of a message while the premise is connected. */
export type LatencyModel =
  | { readonly kind: 'fixed'; readonly ms: number }
  | {
      /** exp(N(ln medianMs, sigma²)) clamped to [minMs, maxMs], rounded to the millisecond. */
      readonly kind: 'lognormal';
      readonly medianMs: number;
      readonly sigma: number;
      readonly minMs: number;
      readonly maxMs: number;
    };

/**
 * How an intermittent premise connects: time is cut into frames of `frameMs` (from the Unix epoch); in each frame the
 * premise is connected for one window that starts at a uniformly drawn offset and lasts an exponentially drawn time
 * (mean `meanUpMs`, at least `minUpMs`, at most one frame; it may run on into the next frame).
 */
export interface IntermittentModel {
  readonly frameMs: number;
  readonly meanUpMs: number;
  readonly minUpMs: number;
}

/** Shares of the premises not listed in `coverage` whose coverage is drawn as 'none' / 'intermittent'. */
export interface CoverageShares {
  readonly none: number;
  readonly intermittent: number;
}

/** The model's configuration: plain, JSON-able data; every field optional (defaults below). */
export interface WanModelConfig {
  /** Coverage of each listed premise (by premise id). */
  readonly coverage?: Readonly<Record<number, Coverage>>;
  /** Premises not listed: drawn from the seed with these shares (default none: every one 'good'). */
  readonly coverageShares?: CoverageShares;
  /** Fleet-wide outages: no premise is reachable during them. */
  readonly outages?: readonly Outage[];
  /** Outages of single premises (by premise id). */
  readonly premiseOutages?: Readonly<Record<number, readonly Outage[]>>;
  /** One-way latency while connected (default DEFAULT_LATENCY). */
  readonly latency?: LatencyModel;
  /** Connection windows of intermittent premises (default DEFAULT_INTERMITTENT, field by field). */
  readonly intermittent?: Partial<IntermittentModel>;
  /** Longest the CSP holds a message for a premise that is not connected; beyond it, unreachable. */
  readonly holdLimitMs?: number;
  /**
   * The id a premise's draws (coverage, connection windows, latency) are keyed by, where it is not its premise id
   * (a scenario running some premises of a larger fleet keys each by its index there); default its premise id.
   */
  readonly drawIds?: Readonly<Record<number, number>>;
}

/**
 * [A] One-way latency: lognormal, median 2 s, sigma 0.6, clamped to 0.25–60 s. A round trip is two legs: median
 * ≈ 4.3 s, 95th percentile ≈ 9 s, 99th ≈ 12.5 s, 99.9th ≈ 18 s, so fewer than 0.1 % beyond RTT4's 25 s [C target]
 * (the HAN and the device add their own time).
 */
export const DEFAULT_LATENCY: LatencyModel = Object.freeze({
  kind: 'lognormal',
  medianMs: 2_000,
  sigma: 0.6,
  minMs: 250,
  maxMs: 60_000,
});

/**
 * [A] Intermittent premises: one connection window per 4-hour frame, 45 minutes long on average (at least 2), so
 * connected ≈ 18 % of the time: the gaps between windows average ≈ 3¼ h and never exceed two frames (8 h). A message
 * sent at a random time waits ≈ 1.7 h on average: about 60 % of round trips within RTT3's 2 h, all within RTT2's 22 h
 * [C targets] (a reply that misses the window waits for the next one, up to 8 h more).
 */
export const DEFAULT_INTERMITTENT: IntermittentModel = Object.freeze({
  frameMs: 4 * HOUR,
  meanUpMs: 45 * MINUTE,
  minUpMs: 2 * MINUTE,
});

/** [A] The CSP holds a message for a premise out of reach for up to 22 h (RTT2's span), then gives up. */
export const DEFAULT_HOLD_LIMIT_MS = 22 * HOUR;

/** A GB-like estate for simulations: 0.7 % without coverage [C: 99.3 % covered], 2 % intermittent [A]. */
export const GB_COVERAGE_SHARES: CoverageShares = Object.freeze({
  none: Math.round((1 - GB_WAN_COVERAGE) * 1e6) / 1e6,
  intermittent: 0.02,
});

/** The configuration with every default filled in and every value checked. */
export interface ResolvedWanModel {
  readonly coverage: Readonly<Record<number, Coverage>>;
  readonly coverageShares: CoverageShares;
  readonly outages: readonly Outage[];
  readonly premiseOutages: Readonly<Record<number, readonly Outage[]>>;
  readonly latency: LatencyModel;
  readonly intermittent: IntermittentModel;
  readonly holdLimitMs: number;
  readonly drawIds: Readonly<Record<number, number>>;
}

/** A configuration value the model cannot use; `path` names it (e.g. `latency.sigma`). */
export class WanConfigError extends RangeError {
  override readonly name = 'WanConfigError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`wan.${path}: ${reason}`);
  }
}

function finite(path: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new WanConfigError(path, `expected a number in [${min}, ${max}], got ${String(v)}`);
  return v;
}

function outagesOf(path: string, list: readonly Outage[]): readonly Outage[] {
  if (!Array.isArray(list)) throw new WanConfigError(path, 'expected an array of { fromMs, toMs }');
  return list.map((o, i) => {
    const fromMs = finite(`${path}[${i}].fromMs`, o?.fromMs, Number.MIN_SAFE_INTEGER);
    const toMs = finite(`${path}[${i}].toMs`, o?.toMs, fromMs);
    return { fromMs, toMs };
  });
}

function premiseKeys<T>(path: string, record: Readonly<Record<number, T>> | undefined): [number, T][] {
  if (record === undefined) return [];
  return Object.entries(record).map(([k, v]) => {
    const id = Number(k);
    if (!Number.isSafeInteger(id) || id < 0) throw new WanConfigError(`${path}.${k}`, 'not a premise id');
    return [id, v as T];
  });
}

function latencyOf(l: LatencyModel): LatencyModel {
  if (l.kind === 'fixed') return { kind: 'fixed', ms: finite('latency.ms', l.ms, 0) };
  if (l.kind !== 'lognormal')
    throw new WanConfigError(
      'latency.kind',
      `expected 'fixed' or 'lognormal', got ${String((l as { kind: unknown }).kind)}`,
    );
  const minMs = finite('latency.minMs', l.minMs, 0);
  return {
    kind: 'lognormal',
    medianMs: finite('latency.medianMs', l.medianMs, 0),
    sigma: finite('latency.sigma', l.sigma, 0, 10),
    minMs,
    maxMs: finite('latency.maxMs', l.maxMs, minMs),
  };
}

/** Fills in the defaults and checks every value (WanConfigError names the first bad one). */
export function resolveWanModel(config: WanModelConfig = {}): ResolvedWanModel {
  const coverage: Record<number, Coverage> = {};
  for (const [id, c] of premiseKeys('coverage', config.coverage)) {
    if (!COVERAGES.includes(c))
      throw new WanConfigError(`coverage.${id}`, `expected one of ${COVERAGES.join(', ')}`);
    coverage[id] = c;
  }
  const shares = config.coverageShares ?? { none: 0, intermittent: 0 };
  const none = finite('coverageShares.none', shares.none, 0, 1);
  const intermittent = finite('coverageShares.intermittent', shares.intermittent, 0, 1 - none);
  const premiseOutages: Record<number, readonly Outage[]> = {};
  for (const [id, list] of premiseKeys('premiseOutages', config.premiseOutages))
    premiseOutages[id] = outagesOf(`premiseOutages.${id}`, list);
  const drawIds: Record<number, number> = {};
  for (const [id, d] of premiseKeys('drawIds', config.drawIds)) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new WanConfigError(`drawIds.${id}`, `expected a premise id, got ${String(d)}`);
    drawIds[id] = d;
  }
  const i = { ...DEFAULT_INTERMITTENT, ...config.intermittent };
  const frameMs = finite('intermittent.frameMs', i.frameMs, 1);
  return {
    coverage,
    coverageShares: { none, intermittent },
    outages: outagesOf('outages', config.outages ?? []),
    premiseOutages,
    latency: latencyOf(config.latency ?? DEFAULT_LATENCY),
    intermittent: {
      frameMs,
      meanUpMs: finite('intermittent.meanUpMs', i.meanUpMs, 1),
      minUpMs: finite('intermittent.minUpMs', i.minUpMs, 1, frameMs),
    },
    holdLimitMs: finite('holdLimitMs', config.holdLimitMs ?? DEFAULT_HOLD_LIMIT_MS, 0),
    drawIds,
  };
}

/** A run seed from a text seed (the DCC's fleet seed): the first 48 bits of SHA-256. */
export function wanSeed(text: string): RunSeed {
  return createHash('sha256').update(`smets-twin/wan\0${text}`, 'utf8').digest().readUIntBE(0, 6);
}

/** One leg's fate: delivered at `atMs` (connected from `connectedMs`), or unreachable and why. */
export type WanLeg =
  | { readonly kind: 'sent'; readonly atMs: number; readonly connectedMs: number }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** A connection window of an intermittent premise, [startMs, endMs). */
interface Window {
  readonly startMs: number;
  readonly endMs: number;
}

/** A bound on the steps of any search: far more than any hold limit needs, so a bad configuration cannot hang. */
const MAX_STEPS = 100_000;

/** The model for one seed: pure functions of (premise, direction, message index, time). */
export class WanModel {
  readonly config: ResolvedWanModel;

  constructor(
    config: WanModelConfig = {},
    readonly seed: RunSeed = 0,
  ) {
    this.config = resolveWanModel(config);
  }

  private stream(name: string): RandomStream {
    return streamFor(this.seed, `wan/${name}`);
  }

  /** The id the premise's draws are keyed by. */
  private drawId(premise: number): number {
    return this.config.drawIds[premise] ?? premise;
  }

  /** The premise's coverage: as listed, else drawn from the seed with the configured shares. */
  coverage(premise: number): Coverage {
    const listed = this.config.coverage[premise];
    if (listed !== undefined) return listed;
    const { none, intermittent } = this.config.coverageShares;
    if (none === 0 && intermittent === 0) return 'good';
    const u = this.stream(`coverage/${this.drawId(premise)}`).float();
    return u < none ? 'none' : u < none + intermittent ? 'intermittent' : 'good';
  }

  /** Whether the premise can exchange messages at `t` (covered, inside a window if intermittent, not in an outage). */
  connectedAt(premise: number, t: number): boolean {
    const c = this.coverage(premise);
    if (c === 'none') return false;
    if (this.outageEnd(premise, t) !== t) return false;
    return c === 'good' || this.inWindow(premise, t);
  }

  /** The first instant ≥ `t` at which the premise is connected, or undefined if there is none within `limitMs`. */
  nextConnected(premise: number, t: number, limitMs = this.config.holdLimitMs): number | undefined {
    const c = this.coverage(premise);
    if (c === 'none') return undefined;
    let x = t;
    for (let step = 0; step < MAX_STEPS; step++) {
      if (x - t > limitMs) return undefined;
      const y = this.outageEnd(premise, x);
      const z = c === 'intermittent' ? this.nextWindowStart(premise, y) : y;
      if (z === x) return x;
      x = z;
    }
    return undefined;
  }

  /** One-way latency of message `index` of the premise in `direction` (ms, integer). */
  latencyMs(premise: number, direction: WanDirection, index: number): number {
    const l = this.config.latency;
    if (l.kind === 'fixed') return l.ms;
    const s = this.stream(`latency/${direction}/${this.drawId(premise)}/${index}`);
    // Box–Muller: a standard normal from two uniforms (1 - u keeps the logarithm finite).
    const z = Math.sqrt(-2 * Math.log(1 - s.float())) * Math.cos(2 * Math.PI * s.float());
    const v = l.medianMs * Math.exp(l.sigma * z);
    return Math.round(Math.min(l.maxMs, Math.max(l.minMs, v)));
  }

  /**
   * A message sent at `nowMs`, the premise's `index`-th in `direction`: held until the premise is connected, then
   * delivered after the latency, never before `notBeforeMs` (the previous message's arrival: FIFO per premise and
   * direction). Unreachable when the premise has no coverage or stays out of reach beyond the hold limit.
   */
  leg(
    premise: number,
    direction: WanDirection,
    nowMs: number,
    index: number,
    notBeforeMs = -Infinity,
  ): WanLeg {
    const c = this.coverage(premise);
    if (c === 'none') return { kind: 'unreachable', reason: `premise ${premise} has no SM WAN coverage` };
    const connectedMs = this.nextConnected(premise, nowMs);
    if (connectedMs === undefined)
      return {
        kind: 'unreachable',
        reason: `premise ${premise} is out of SM WAN reach for longer than the CSP's hold limit (${this.config.holdLimitMs} ms)`,
      };
    const atMs = Math.max(connectedMs + this.latencyMs(premise, direction, index), notBeforeMs);
    return { kind: 'sent', atMs, connectedMs };
  }

  /** The end of the outages covering `t` (chained), or `t` itself when none does. */
  private outageEnd(premise: number, t: number): number {
    const lists = [this.config.outages, this.config.premiseOutages[premise] ?? []];
    let x = t;
    for (let moved = true, step = 0; moved && step < MAX_STEPS; step++) {
      moved = false;
      for (const list of lists)
        for (const o of list)
          if (o.fromMs <= x && x < o.toMs) {
            x = o.toMs;
            moved = true;
          }
    }
    return x;
  }

  /** Frame `f`'s connection window of an intermittent premise. */
  private window(premise: number, f: number): Window {
    const { frameMs, meanUpMs, minUpMs } = this.config.intermittent;
    const s = this.stream(`window/${this.drawId(premise)}/${f}`);
    const startMs = f * frameMs + Math.floor(s.float() * frameMs);
    const upMs = Math.min(frameMs, Math.max(minUpMs, Math.round(s.exponential(meanUpMs))));
    return { startMs, endMs: startMs + upMs };
  }

  private inWindow(premise: number, t: number): boolean {
    const f = Math.floor(t / this.config.intermittent.frameMs);
    const inside = (w: Window) => w.startMs <= t && t < w.endMs;
    return inside(this.window(premise, f)) || inside(this.window(premise, f - 1));
  }

  /** `t` if inside a window, else the start of the next window. */
  private nextWindowStart(premise: number, t: number): number {
    if (this.inWindow(premise, t)) return t;
    // A window starts in every frame, so the frame of `t` or the next has one starting after `t`.
    for (let f = Math.floor(t / this.config.intermittent.frameMs); ; f++) {
      const w = this.window(premise, f);
      if (w.startMs >= t) return w.startMs;
    }
  }
}
