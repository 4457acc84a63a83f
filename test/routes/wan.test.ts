// The CSP WAN model and route (issue 6): latency calibrated on the CSP round-trip targets, intermittent premises'
// connection windows, outages and the CSP's store-and-retry, the hold limit, no coverage, FIFO per premise and
// direction, and determinism from the seed.
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import type { Field } from '../../src/premise/field.js';
import type { PremiseEvent } from '../../src/premise/runner.js';
import { WanRoute, type WanOptions } from '../../src/routes/wan.js';
import {
  CSP_ROUND_TRIP_TARGETS,
  DEFAULT_HOLD_LIMIT_MS,
  GB_COVERAGE_SHARES,
  WanConfigError,
  WanModel,
  wanSeed,
  type WanModelConfig,
} from '../../src/routes/wan-model.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const CHF = eui64('00DB1234567890A2');
const BYTES = Uint8Array.of(0xdd, 0x00);
const { rtt4Ms, rtt3Ms, rtt2Ms } = CSP_ROUND_TRIP_TARGETS;

/** A field that records what the route schedules, instead of running premises. */
function recordingField() {
  const scheduled: { atMs: number; event: PremiseEvent }[] = [];
  const field = {
    at(atMs: number, event: PremiseEvent) {
      scheduled.push({ atMs, event });
      return scheduled.length;
    },
    chfOf: () => CHF,
  } as unknown as Field;
  return { field, scheduled };
}

function route(options: WanOptions = {}) {
  const { field, scheduled } = recordingField();
  const r = new WanRoute(field, options);
  /** Round trip of the WAN legs alone: down at `t`, the answer sent up as soon as the command arrives. */
  const roundTrip = (premise: number, t: number): number | undefined => {
    const down = r.send(premise, BYTES, t);
    if (down.kind !== 'sent') return undefined;
    let arrived: number | undefined;
    r.uplink((_p, _b, at) => (arrived = at))(premise, BYTES, down.atMs);
    const timer = scheduled.at(-1)!;
    if (arrived === undefined && timer.event.type === 'external') r.onTimer(timer.event.key, timer.atMs);
    return arrived === undefined ? undefined : arrived - t;
  };
  return { route: r, scheduled, roundTrip };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe('latency of well-covered premises', () => {
  it('puts the round trip of 99.9 % of messages within RTT4 (25 s), with a median of a few seconds', () => {
    const { roundTrip } = route({ model: {}, seed: 1 });
    const trips: number[] = [];
    for (let premise = 0; premise < 200; premise++)
      for (let i = 0; i < 50; i++) trips.push(roundTrip(premise, T0 + i * HOUR)!);
    trips.sort((a, b) => a - b);
    const within = trips.filter((t) => t <= rtt4Ms).length / trips.length;
    expect(within).toBeGreaterThanOrEqual(0.999);
    expect(percentile(trips, 0.5)).toBeGreaterThan(2_000);
    expect(percentile(trips, 0.5)).toBeLessThan(8_000);
    expect(percentile(trips, 0.99)).toBeLessThan(rtt4Ms);
    expect(trips[0]).toBeGreaterThanOrEqual(500); // two legs of at least 250 ms each
  });

  it('draws every leg within the configured bounds', () => {
    const m = new WanModel({
      latency: { kind: 'lognormal', medianMs: 1_000, sigma: 2, minMs: 100, maxMs: 5_000 },
    });
    const legs = Array.from({ length: 2_000 }, (_, i) => m.latencyMs(3, 'down', i));
    expect(Math.min(...legs)).toBe(100);
    expect(Math.max(...legs)).toBe(5_000);
    expect(legs.every(Number.isInteger)).toBe(true);
  });
});

describe('intermittent premises', () => {
  const config: WanModelConfig = { coverage: { 7: 'intermittent' } };
  const model = new WanModel(config, 5);

  /** The first instant from `t`, on a minute grid, at which premise 7 is not connected. */
  function downAt(t: number): number {
    let x = t;
    while (model.connectedAt(7, x)) x += MINUTE;
    return x;
  }

  it('holds a message sent while the premise is down and delivers it when its window opens, within RTT2', () => {
    const { route: r, scheduled, roundTrip } = route({ model: config, seed: 5 });
    const sent = downAt(T0);
    const opens = model.nextConnected(7, sent)!;
    expect(opens).toBeGreaterThan(sent);
    expect(model.connectedAt(7, opens)).toBe(true);
    expect(model.connectedAt(7, opens - 1)).toBe(false);
    const outcome = r.send(7, BYTES, sent);
    expect(outcome.kind).toBe('sent');
    const atMs = outcome.kind === 'sent' ? outcome.atMs : NaN;
    expect(atMs).toBeGreaterThanOrEqual(opens + 250);
    expect(atMs).toBeLessThanOrEqual(opens + 60_000);
    expect(scheduled).toEqual([
      { atMs, event: { type: 'deliver', premise: 7, to: CHF, input: { type: 'wan', bytes: BYTES } } },
    ]);
    const trip = roundTrip(7, downAt(atMs))!;
    expect(trip).toBeGreaterThan(rtt4Ms);
    expect(trip).toBeLessThanOrEqual(rtt2Ms);
  });

  it('spreads round trips from seconds to hours: all within RTT2 (22 h), most within RTT3 (2 h)', () => {
    const m = new WanModel({ coverageShares: { none: 0, intermittent: 1 } }, 9);
    const { roundTrip } = route({ model: { coverageShares: { none: 0, intermittent: 1 } }, seed: 9 });
    const trips: number[] = [];
    for (let premise = 0; premise < 50; premise++) {
      expect(m.coverage(premise)).toBe('intermittent');
      for (let i = 0; i < 40; i++) trips.push(roundTrip(premise, T0 + i * 7 * HOUR + premise * 13 * MINUTE)!);
    }
    const share = (limit: number) => trips.filter((t) => t <= limit).length / trips.length;
    expect(share(rtt2Ms)).toBe(1);
    expect(share(rtt3Ms)).toBeGreaterThan(0.5);
    expect(share(rtt3Ms)).toBeLessThan(0.8);
    expect(share(rtt4Ms)).toBeGreaterThan(0.1); // sent while connected
    expect(share(rtt4Ms)).toBeLessThan(0.3);
  });

  it('is connected in one window per frame, never absent for more than two frames', () => {
    let longest = 0;
    let gap = 0;
    for (let t = T0; t < T0 + 30 * 24 * HOUR; t += MINUTE) {
      gap = model.connectedAt(7, t) ? 0 : gap + MINUTE;
      longest = Math.max(longest, gap);
    }
    expect(longest).toBeGreaterThan(2 * HOUR);
    expect(longest).toBeLessThanOrEqual(8 * HOUR);
  });
});

describe('outages and the CSP hold', () => {
  const outage = { fromMs: T0 + HOUR, toMs: T0 + 3 * HOUR };

  it('holds a command sent during a premise outage and delivers it after the outage', () => {
    const { route: r, scheduled } = route({ model: { premiseOutages: { 2: [outage] } }, seed: 3 });
    const outcome = r.send(2, BYTES, outage.fromMs + 10 * MINUTE);
    expect(outcome.kind).toBe('sent');
    const atMs = outcome.kind === 'sent' ? outcome.atMs : NaN;
    expect(atMs).toBeGreaterThanOrEqual(outage.toMs + 250);
    expect(atMs).toBeLessThan(outage.toMs + MINUTE);
    expect(scheduled.map((s) => s.atMs)).toEqual([atMs]);
    // Another premise is not affected.
    const other = r.send(4, BYTES, outage.fromMs + 10 * MINUTE);
    expect(other.kind === 'sent' && other.atMs < outage.fromMs + 11 * MINUTE).toBe(true);
  });

  it('holds what the premise sends during a fleet-wide outage and hands it over when the outage ends', () => {
    const { route: r, scheduled } = route({ model: { outages: [outage] }, seed: 3 });
    const got: [number, number][] = [];
    const up = r.uplink((premise, _b, at) => got.push([premise, at]));
    up(6, BYTES, outage.fromMs + MINUTE);
    expect(got).toEqual([]);
    expect(r.holding(6)).toBe(true);
    const [timer] = scheduled;
    expect(timer!.event).toEqual({ type: 'external', key: 'wan-up:0' });
    expect(WanRoute.owns('wan-up:0')).toBe(true);
    expect(timer!.atMs).toBeGreaterThanOrEqual(outage.toMs);
    r.onTimer('wan-up:0', timer!.atMs);
    expect(got).toEqual([[6, timer!.atMs]]);
    expect(r.holding(6)).toBe(false);
    r.onTimer('wan-up:0', timer!.atMs); // once only
    expect(got).toHaveLength(1);
  });

  it('delivers at once, with no latency, when connected (the route without a model)', () => {
    const { route: r, scheduled } = route();
    const got: number[] = [];
    r.uplink((_p, _b, at) => got.push(at))(0, BYTES, T0);
    expect(got).toEqual([T0]);
    expect(r.send(0, BYTES, T0)).toEqual({ kind: 'sent', atMs: T0 });
    expect(scheduled).toHaveLength(1);
  });

  it('gives up (unreachable: E20 at the DSP) when the premise stays out of reach beyond the hold limit', () => {
    const long = { fromMs: T0, toMs: T0 + DEFAULT_HOLD_LIMIT_MS + HOUR };
    const { route: r, scheduled } = route({ model: { premiseOutages: { 1: [long] } } });
    const outcome = r.send(1, BYTES, T0 + MINUTE);
    expect(outcome.kind).toBe('unreachable');
    expect(outcome.kind === 'unreachable' && outcome.reason).toMatch(/hold limit/);
    expect(scheduled).toEqual([]);
    // The same outage within a longer hold limit is waited out; after the outage the premise is reachable at once.
    const { route: patient } = route({ model: { premiseOutages: { 1: [long] }, holdLimitMs: 24 * HOUR } });
    expect(patient.send(1, BYTES, T0 + MINUTE).kind).toBe('sent');
    expect(r.send(1, BYTES, long.toMs).kind).toBe('sent');
  });

  it('chains back-to-back outages and measures the hold from the send time', () => {
    const model = new WanModel({
      outages: [{ fromMs: T0, toMs: T0 + HOUR }],
      premiseOutages: { 0: [{ fromMs: T0 + HOUR, toMs: T0 + 2 * HOUR }] },
      holdLimitMs: 90 * MINUTE,
    });
    expect(model.nextConnected(0, T0, 3 * HOUR)).toBe(T0 + 2 * HOUR);
    expect(model.leg(0, 'down', T0, 0).kind).toBe('unreachable');
    expect(model.leg(0, 'down', T0 + 45 * MINUTE, 0).kind).toBe('sent');
  });
});

describe('no coverage', () => {
  it("refuses commands to a 'none' premise and loses what it sends", () => {
    const notes: string[] = [];
    const { route: r, scheduled } = route({
      model: { coverage: { 3: 'none' } },
      onNote: (t) => notes.push(t),
    });
    expect(r.coverage(3)).toBe('none');
    expect(r.send(3, BYTES, T0)).toEqual({ kind: 'unreachable', reason: 'premise 3 has no SM WAN coverage' });
    const got: number[] = [];
    r.uplink((p) => got.push(p))(3, BYTES, T0);
    expect(got).toEqual([]);
    expect(scheduled).toEqual([]);
    expect(notes).toEqual(['WAN: a message from premise 3 is lost: premise 3 has no SM WAN coverage']);
  });

  it('keeps the uncovered option: listed premises are unreachable whatever the model says', () => {
    const { route: r } = route({ uncovered: new Set([1]), latencyMs: 40 });
    expect(r.coverage(1)).toBe('none');
    expect(r.send(1, BYTES, T0).kind).toBe('unreachable');
    expect(r.send(0, BYTES, T0)).toEqual({ kind: 'sent', atMs: T0 + 40 });
  });

  it('draws a GB-like estate from the seed: about 0.7 % without coverage', () => {
    const m = new WanModel({ coverageShares: GB_COVERAGE_SHARES }, 11);
    const counts = { good: 0, intermittent: 0, none: 0 };
    for (let p = 0; p < 20_000; p++) counts[m.coverage(p)]++;
    expect(counts.none / 20_000).toBeCloseTo(0.007, 2);
    expect(counts.intermittent / 20_000).toBeCloseTo(0.02, 2);
    expect(new WanModel({ coverageShares: GB_COVERAGE_SHARES }, 11).coverage(17)).toBe(m.coverage(17));
  });
});

describe('ordering and determinism', () => {
  it('never lets a message overtake an earlier one of the same premise and direction (FIFO)', () => {
    const config: WanModelConfig = {
      latency: { kind: 'lognormal', medianMs: 2_000, sigma: 1, minMs: 10, maxMs: 60_000 },
    };
    const { route: r, scheduled } = route({ model: config, seed: 2 });
    const model = new WanModel(config, 2);
    let overtakes = 0;
    for (let i = 0; i < 200; i++) {
      r.send(0, BYTES, T0 + i * 100);
      if (
        i > 0 &&
        T0 + i * 100 + model.latencyMs(0, 'down', i) < T0 + (i - 1) * 100 + model.latencyMs(0, 'down', i - 1)
      )
        overtakes++;
    }
    expect(overtakes).toBeGreaterThan(10); // the raw draws would reorder them
    const times = scheduled.map((s) => s.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Uplink held behind an earlier held message is held too, and handed over in order.
    const got: number[] = [];
    const up = r.uplink((_p, b) => got.push(b[0]!));
    for (let i = 0; i < 50; i++) up(0, Uint8Array.of(i), T0 + i * 100);
    const timers = scheduled.filter((s) => s.event.type === 'external');
    for (const t of timers) r.onTimer((t.event as { key: string }).key, t.atMs);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(timers.map((t) => t.atMs)).toEqual(timers.map((t) => t.atMs).sort((a, b) => a - b));
  });

  it('gives the same delivery times for the same seed and different ones for another seed', () => {
    const config: WanModelConfig = {
      coverage: { 1: 'intermittent' },
      premiseOutages: { 2: [{ fromMs: T0, toMs: T0 + HOUR }] },
    };
    const times = (seed: number) => {
      const { route: r } = route({ model: config, seed });
      const out: number[] = [];
      for (let i = 0; i < 30; i++)
        for (const p of [0, 1, 2]) {
          const o = r.send(p, BYTES, T0 + i * 10 * MINUTE);
          out.push(o.kind === 'sent' ? o.atMs : -1);
        }
      return out;
    };
    expect(times(wanSeed('smets-twin-demo'))).toEqual(times(wanSeed('smets-twin-demo')));
    expect(times(wanSeed('another fleet'))).not.toEqual(times(wanSeed('smets-twin-demo')));
  });

  it('keeps its state as plain data', () => {
    const { route: r } = route({ model: { outages: [{ fromMs: T0, toMs: T0 + HOUR }] }, seed: 4 });
    r.send(0, BYTES, T0);
    r.uplink(() => undefined)(0, BYTES, T0);
    const state = r.state();
    expect(structuredClone(state)).toEqual(state);
    expect(state.down[0]!.sent).toBe(1);
    expect(state.up[0]!.sent).toBe(1);
    expect(state.held).toHaveLength(1);
    expect(JSON.parse(JSON.stringify({ ...state, held: [] }))).toEqual({ ...state, held: [] });
  });

  it('replaces the latency distribution with the fixed latencyMs, keeping the rest of the model', () => {
    const { route: r } = route({ model: { coverage: { 1: 'none' } }, latencyMs: 1_500 });
    expect(r.send(0, BYTES, T0)).toEqual({ kind: 'sent', atMs: T0 + 1_500 });
    expect(r.send(1, BYTES, T0).kind).toBe('unreachable');
  });
});

describe('configuration', () => {
  it.each<[WanModelConfig, string]>([
    [{ latency: { kind: 'lognormal', medianMs: 1_000, sigma: -1, minMs: 0, maxMs: 10 } }, 'latency.sigma'],
    [{ latency: { kind: 'fixed', ms: Number.NaN } }, 'latency.ms'],
    [{ coverage: { 1: 'patchy' as never } }, 'coverage.1'],
    [{ outages: [{ fromMs: 10, toMs: 5 }] }, 'outages[0].toMs'],
    [{ premiseOutages: { 0: [{ fromMs: 0, toMs: Infinity }] } }, 'premiseOutages.0[0].toMs'],
    [{ coverageShares: { none: 0.6, intermittent: 0.6 } }, 'coverageShares.intermittent'],
    [{ holdLimitMs: -1 }, 'holdLimitMs'],
    [{ intermittent: { frameMs: HOUR, minUpMs: 2 * HOUR } }, 'intermittent.minUpMs'],
    [{ drawIds: { 0: -1 } }, 'drawIds.0'],
  ])('refuses %j naming %s', (config, path) => {
    expect(() => new WanModel(config)).toThrow(WanConfigError);
    expect(() => new WanModel(config)).toThrow(`wan.${path}:`);
  });
});

describe('draw ids', () => {
  it('keys a premise’s draws by its draw id: premise 0 drawn as 5 connects and delays as premise 5 does', () => {
    const config: WanModelConfig = { coverageShares: { none: 0, intermittent: 1 } };
    const plain = new WanModel(config, 7);
    const mapped = new WanModel({ ...config, drawIds: { 0: 5 } }, 7);
    const times = Array.from({ length: 48 }, (_, k) => T0 + k * 37 * MINUTE);
    const seen = (m: WanModel, premise: number) =>
      times.map((t) => [m.connectedAt(premise, t), m.latencyMs(premise, 'down', t % 13)]);
    expect(seen(mapped, 0)).toEqual(seen(plain, 5));
    expect(seen(plain, 0)).not.toEqual(seen(plain, 5));
    // Premises without a draw id keep their own.
    expect(seen(mapped, 3)).toEqual(seen(plain, 3));
  });
});

describe("the CSP's firmware delivery capacity (firmwareConcurrency)", () => {
  const image = (requestId: string) => ({
    requestId,
    image: 'k',
    size: 700_000,
    manufacturerCode: 0x1234,
    imageType: 0x0084,
    fileVersion: 0x200,
    targets: [],
    activation: 'on-transfer' as const,
  });
  const TRANSFER = Math.ceil((700_000 * 8) / 64); // 87,500 ms at the default 64 kbit/s

  it('is unbounded by default: every image arrives one transfer time after the hand-over', () => {
    const { route: r } = route();
    const at = Array.from({ length: 10 }, (_, p) => r.distribute(p, image('a'), T0));
    expect(at.every((o) => o.kind === 'sent' && o.atMs === T0 + TRANSFER)).toBe(true);
  });

  it('delivers at most N images at once, in waves, FIFO in the order handed over', () => {
    const { route: r } = route({ firmwareConcurrency: 3 });
    const at = Array.from({ length: 10 }, (_, p) => {
      const o = r.distribute(p, image('a'), T0);
      return o.kind === 'sent' ? o.atMs - T0 : -1;
    });
    // ceil(10 / 3) = 4 waves of one transfer time each.
    expect(at).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4].map((w) => w * TRANSFER));
    // A second request queues behind the first.
    const later = r.distribute(10, image('b'), T0 + 1_000);
    expect(later.kind === 'sent' && later.atMs).toBe(T0 + 4 * TRANSFER);
    expect(r.state().firmwareLoad.every((s) => s.count <= 3)).toBe(true);
  });

  it('lets an intermittent premise wait for its window without holding a slot; unreachable ones take none', () => {
    const model: WanModelConfig = {
      coverage: { 0: 'intermittent', 1: 'none' },
      latency: { kind: 'fixed', ms: 0 },
    };
    const { route: r } = route({ firmwareConcurrency: 1, model });
    const first = r.distribute(0, image('a'), T0);
    expect(r.distribute(1, image('a'), T0).kind).toBe('unreachable');
    const second = r.distribute(2, image('a'), T0);
    expect(first.kind).toBe('sent');
    expect(second.kind).toBe('sent');
    const opens = r.model.nextConnected(0, T0)!;
    if (first.kind !== 'sent' || second.kind !== 'sent') return;
    expect(first.atMs).toBe(opens + TRANSFER);
    // Premise 2 (good) uses the slot before premise 0's window if it fits, else after it.
    expect(second.atMs === T0 + TRANSFER || second.atMs === first.atMs + TRANSFER).toBe(true);
    if (opens - T0 >= TRANSFER) expect(second.atMs).toBe(T0 + TRANSFER);
  });

  it("does not hold a premise's commands while its image waits for a delivery slot (only the transfer orders the link)", () => {
    const { route: r } = route({ firmwareConcurrency: 1 });
    const at = Array.from({ length: 20 }, (_, p) => r.distribute(p, image('a'), T0));
    // Premise 19's image is the 20th in the CSP's queue: it crosses the link in the last transfer time.
    expect(at[19]).toEqual({ kind: 'sent', atMs: T0 + 20 * TRANSFER });
    // A command handed over meanwhile arrives at once (latency 0), not when the image does ~29 min later.
    expect(r.send(19, BYTES, T0 + 1_000)).toEqual({ kind: 'sent', atMs: T0 + 1_000 });
    // One that would arrive while the image is crossing waits for the image's end; after it, FIFO as ever.
    expect(r.send(19, BYTES, T0 + 19 * TRANSFER + 5)).toEqual({ kind: 'sent', atMs: T0 + 20 * TRANSFER });
    expect(r.send(19, BYTES, T0 + 19 * TRANSFER + 6)).toEqual({ kind: 'sent', atMs: T0 + 20 * TRANSFER });
    expect(r.send(19, BYTES, T0 + 21 * TRANSFER)).toEqual({ kind: 'sent', atMs: T0 + 21 * TRANSFER });
  });

  it('unbounded: a command during the transfer waits for the image; a second image to the premise follows the first', () => {
    const { route: r } = route();
    expect(r.distribute(0, image('a'), T0)).toEqual({ kind: 'sent', atMs: T0 + TRANSFER });
    expect(r.send(0, BYTES, T0 + 10)).toEqual({ kind: 'sent', atMs: T0 + TRANSFER });
    expect(r.distribute(0, image('b'), T0 + 20)).toEqual({ kind: 'sent', atMs: T0 + 2 * TRANSFER });
    // Another premise's link is not touched.
    expect(r.send(1, BYTES, T0 + 10)).toEqual({ kind: 'sent', atMs: T0 + 10 });
  });

  it('keeps two images to one premise apart under a capacity too', () => {
    const { route: r } = route({ firmwareConcurrency: 2 });
    expect(r.distribute(0, image('a'), T0)).toEqual({ kind: 'sent', atMs: T0 + TRANSFER });
    expect(r.distribute(0, image('b'), T0)).toEqual({ kind: 'sent', atMs: T0 + 2 * TRANSFER });
  });

  it('refuses a bad capacity by name', () => {
    expect(() => route({ firmwareConcurrency: 0 })).toThrow(/firmwareConcurrency/);
    expect(() => route({ firmwareConcurrency: 1.5 })).toThrow(/firmwareConcurrency/);
  });
});
