// The non-disablement ("friendly credit") calendar: ESME schedules compiled from the A-XDR tables ECS08 sets (built
// here in the transform's shape, and read from RTDS 2.1_ECS08), GSME calendars from the profiles GCS05 publishes, and
// the two questions the prepayment engine asks.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, Writer } from '../../src/codec/bytes.js';
import { encodeDlmsData, type DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import type { CalendarDate, CalendarDay, GasCalendar } from '../../src/devices/gsme-state.js';
import {
  electricityCalendar,
  gasCalendar,
  isFriendly,
  nextFriendlyChange,
  NO_FRIENDLY_CALENDAR,
  type FriendlyCalendar,
} from '../../src/prepayment/calendar.js';
import { HAVE_VECTORS, RTDS_DIR } from '../vectors.js';

const at = (iso: string): number => Date.parse(iso);
const MINUTE = 60_000;
const DAY = 86_400_000;

// ---- ESME tables in the shape src/dcc/transform/electricity.ts builds (RTDS 2.1_ECS08) ----

const EVERY_YEAR = 0xffff;
const LAST_DAY = 0xfe;
type Ymd = readonly [year: number, month: number, day: number];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
const EVERY_DAY = WEEKDAYS;
const WEEKEND: readonly Weekday[] = ['Sat', 'Sun'];
const WORKING_DAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

interface EntrySpec {
  readonly script: 'START' | 'STOP';
  /** hh:mm, UTC. */
  readonly at: string;
  readonly weekdays?: readonly Weekday[];
  /** Special day indices (1 = the first special day). */
  readonly specialDays?: readonly number[];
  readonly from?: Ymd;
  readonly to?: Ymd;
  readonly enabled?: boolean;
}

const u8 = (value: number): DlmsData => ({ type: 'unsigned', value });
const u16 = (value: number): DlmsData => ({ type: 'long-unsigned', value });
const octets = (...b: number[]): DlmsData => ({ type: 'octet-string', value: Uint8Array.from(b) });
const structure = (...value: DlmsData[]): DlmsData => ({ type: 'structure', value });
const array = (value: DlmsData[]): DlmsData => ({ type: 'array', value });
const dlmsDate = ([y, m, d]: Ymd): DlmsData => octets(y >> 8, y & 0xff, m, d, 0xff);

function bits(on: readonly boolean[]): DlmsData {
  const value = new Uint8Array(Math.ceil(on.length / 8));
  on.forEach((b, i) => {
    if (b) value[i >> 3]! |= 0x80 >> (i & 7);
  });
  return { type: 'bit-string', bitLength: on.length, value };
}

function hexOf(d: DlmsData): string {
  const w = new Writer('dlms');
  encodeDlmsData(w, d);
  return toHex(w.finish());
}

/** Schedule entry {index, enabled, Disconnect Script Table, 32 | 33, hh mm 00 00, 0xFFFF, weekdays, specdays, dates}. */
function scheduleEntry(e: EntrySpec, index: number, specialDayBits: number): DlmsData {
  const [hh, mm] = e.at.split(':').map(Number) as [number, number];
  return structure(
    u16(index),
    { type: 'boolean', value: e.enabled ?? true },
    octets(0, 0, 10, 0, 106, 255),
    u16(e.script === 'START' ? 32 : 33),
    octets(hh, mm, 0, 0),
    u16(0xffff),
    bits(WEEKDAYS.map((d) => e.weekdays?.includes(d) ?? false)),
    bits(Array.from({ length: specialDayBits }, (_, i) => e.specialDays?.includes(i + 1) ?? false)),
    dlmsDate(e.from ?? [EVERY_YEAR, 1, 1]),
    dlmsDate(e.to ?? [EVERY_YEAR, 12, 31]),
  );
}

function specialDaysHex(dates: readonly Ymd[]): string {
  return hexOf(array(dates.map((d, i) => structure(u16(i + 1), dlmsDate(d), u8(i + 1)))));
}

function scheduleHex(entries: readonly EntrySpec[], specialDayBits = 0): string {
  return hexOf(array(entries.map((e, i) => scheduleEntry(e, i + 1, specialDayBits))));
}

function esme(entries: readonly EntrySpec[], specialDays: readonly Ymd[] = []): FriendlyCalendar {
  return electricityCalendar(specialDaysHex(specialDays), scheduleHex(entries, specialDays.length));
}

const friendlyAt = (cal: FriendlyCalendar, iso: string): boolean => isFriendly(cal, at(iso));

const OVERNIGHT = esme([
  { script: 'START', at: '16:00', weekdays: EVERY_DAY },
  { script: 'STOP', at: '08:00', weekdays: EVERY_DAY },
]);

describe('electricity non-disablement calendar (ESME)', () => {
  it('an empty schedule ("0100") is never friendly and has no next change', () => {
    for (const cal of [electricityCalendar('0100', '0100'), NO_FRIENDLY_CALENDAR]) {
      expect(friendlyAt(cal, '2025-01-04T12:00Z')).toBe(false);
      expect(nextFriendlyChange(cal, at('2025-01-04T12:00Z'))).toBeNull();
    }
  });

  it('a weekend START 00:00 / STOP 23:59 schedule is friendly on Saturday and Sunday until 23:59 only', () => {
    const cal = esme([
      { script: 'START', at: '00:00', weekdays: WEEKEND },
      { script: 'STOP', at: '23:59', weekdays: WEEKEND },
    ]);
    expect(friendlyAt(cal, '2025-01-04T00:00Z')).toBe(true); // Saturday, at the switch itself
    expect(friendlyAt(cal, '2025-01-04T12:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-01-04T23:59:30Z')).toBe(false);
    expect(friendlyAt(cal, '2025-01-05T23:58Z')).toBe(true); // Sunday
    expect(friendlyAt(cal, '2025-01-06T10:00Z')).toBe(false); // Monday
    expect(friendlyAt(cal, '2025-01-03T23:00Z')).toBe(false); // Friday
  });

  it('an overnight period (START 16:00, STOP 08:00, every day) is friendly at 03:00 and not at 12:00', () => {
    expect(friendlyAt(OVERNIGHT, '2025-01-15T03:00Z')).toBe(true);
    expect(friendlyAt(OVERNIGHT, '2025-01-15T12:00Z')).toBe(false);
    expect(friendlyAt(OVERNIGHT, '2025-01-15T08:00Z')).toBe(false);
    expect(friendlyAt(OVERNIGHT, '2025-01-15T16:00Z')).toBe(true);
  });

  it('on a special day only the entries with its special-day bit apply, not the weekday entries', () => {
    const cal = esme(
      [
        { script: 'START', at: '09:00', weekdays: WORKING_DAYS },
        { script: 'STOP', at: '17:00', weekdays: WORKING_DAYS },
        { script: 'START', at: '00:00', specialDays: [1] },
      ],
      [
        [EVERY_YEAR, 12, 25],
        [2025, 12, 26],
      ],
    );
    expect(friendlyAt(cal, '2025-12-24T20:00Z')).toBe(false); // Wednesday: the weekday STOP at 17:00
    expect(friendlyAt(cal, '2025-12-25T20:00Z')).toBe(true); // Christmas: START 00:00, the weekday STOP ignored
    expect(friendlyAt(cal, '2025-12-26T20:00Z')).toBe(true); // special day 2, no entry of its own: carries over
    expect(friendlyAt(cal, '2026-12-25T20:00Z')).toBe(true); // every year
    expect(friendlyAt(cal, '2026-12-28T08:00Z')).toBe(true); // Monday before 09:00: still Christmas's START
    expect(friendlyAt(cal, '2026-12-28T18:00Z')).toBe(false);
  });

  it('a special day on the last day of the month (0xFE) falls on 29 February in a leap year', () => {
    const cal = esme(
      [
        { script: 'START', at: '00:00', specialDays: [1] },
        { script: 'STOP', at: '00:00', weekdays: EVERY_DAY },
      ],
      [[EVERY_YEAR, 0xff, LAST_DAY]],
    );
    expect(friendlyAt(cal, '2024-02-28T12:00Z')).toBe(false);
    expect(friendlyAt(cal, '2024-02-29T12:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-02-28T12:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-03-01T12:00Z')).toBe(false);
  });

  it('an every-year date range 27 Oct → 28 Mar wraps the year end, both ends included', () => {
    const cal = esme([
      {
        script: 'START',
        at: '18:00',
        weekdays: EVERY_DAY,
        from: [EVERY_YEAR, 10, 27],
        to: [EVERY_YEAR, 3, 28],
      },
      { script: 'STOP', at: '06:00', weekdays: EVERY_DAY },
    ]);
    expect(friendlyAt(cal, '2025-01-15T20:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-11-01T20:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-03-28T20:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-10-27T18:00Z')).toBe(true);
    expect(friendlyAt(cal, '2025-03-29T20:00Z')).toBe(false);
    expect(friendlyAt(cal, '2025-06-15T20:00Z')).toBe(false);
    expect(friendlyAt(cal, '2025-10-26T20:00Z')).toBe(false);
  });

  it('a date range with years applies once: 2014-10-27 → 2015-03-28 in January 2015, not in January 2016', () => {
    const cal = esme([
      { script: 'START', at: '00:00', weekdays: EVERY_DAY, from: [2014, 10, 27], to: [2015, 3, 28] },
    ]);
    expect(friendlyAt(cal, '2015-01-10T12:00Z')).toBe(true);
    expect(friendlyAt(cal, '2015-04-02T12:00Z')).toBe(true); // 28 March's START, within the 7-day look-back
    expect(friendlyAt(cal, '2015-04-05T12:00Z')).toBe(false); // beyond it
    expect(friendlyAt(cal, '2016-01-10T12:00Z')).toBe(false);
  });

  it('a disabled entry is ignored', () => {
    const start = { script: 'START', at: '00:00', weekdays: EVERY_DAY } as const;
    expect(friendlyAt(esme([{ ...start, enabled: false }]), '2025-01-15T12:00Z')).toBe(false);
    expect(friendlyAt(esme([{ ...start, enabled: true }]), '2025-01-15T12:00Z')).toBe(true);
    const stopDisabled = esme([start, { script: 'STOP', at: '08:00', weekdays: EVERY_DAY, enabled: false }]);
    expect(friendlyAt(stopDisabled, '2025-01-15T12:00Z')).toBe(true);
  });

  it('nextFriendlyChange returns the next applying switch, strictly after the instant', () => {
    expect(nextFriendlyChange(OVERNIGHT, at('2025-01-15T12:00Z'))).toBe(at('2025-01-15T16:00Z'));
    expect(nextFriendlyChange(OVERNIGHT, at('2025-01-15T16:00Z'))).toBe(at('2025-01-16T08:00Z'));
    expect(nextFriendlyChange(OVERNIGHT, at('2025-01-15T17:00Z'))).toBe(at('2025-01-16T08:00Z'));
    const weekend = esme([{ script: 'START', at: '10:00', weekdays: ['Sat'] }]);
    expect(nextFriendlyChange(weekend, at('2025-01-06T12:00Z'))).toBe(at('2025-01-11T10:00Z'));
  });

  it('nextFriendlyChange also reports the midnight a friendly START leaves the 7-day look-back', () => {
    const once = esme([
      { script: 'START', at: '10:00', weekdays: EVERY_DAY, from: [2025, 1, 1], to: [2025, 1, 1] },
    ]);
    expect(nextFriendlyChange(once, at('2025-01-03T00:00Z'))).toBe(at('2025-01-09T00:00Z'));
    expect(friendlyAt(once, '2025-01-08T23:59Z')).toBe(true);
    expect(friendlyAt(once, '2025-01-09T00:00Z')).toBe(false);
    expect(nextFriendlyChange(once, at('2025-01-09T00:00Z'))).toBeNull();
  });

  it('is plain data: a structured clone answers the same', () => {
    const clone = structuredClone(OVERNIGHT);
    expect(clone).toEqual(OVERNIGHT);
    expect(isFriendly(clone, at('2025-01-15T03:00Z'))).toBe(true);
  });

  it('refuses what is not the expected shape with a RangeError naming the place', () => {
    const good = scheduleHex([{ script: 'START', at: '00:00', weekdays: EVERY_DAY }]);
    expect(() => electricityCalendar('', good)).toThrow(/electricity calendar: special days table/);
    expect(() => electricityCalendar('0101', good)).toThrow(RangeError);
    expect(() => electricityCalendar('0200', good)).toThrow(/expected an array, got structure/);
    expect(() => electricityCalendar('010000', good)).toThrow(/1 octets after the array/);
    expect(() => electricityCalendar('0100', good.replace('12002009', '12002209'))).toThrow(
      /script_selector/,
    );
    const sixBits = hexOf(
      array([
        structure(...(scheduleEntryFields().map((f, i) => (i === 6 ? bits([true]) : f)) as DlmsData[])),
      ]),
    );
    expect(() => electricityCalendar('0100', sixBits)).toThrow(/exec_weekdays: expected 7 bits/);
    expect(() => electricityCalendar('0100', good.replace('0905FFFF0101FF', '0905FFFF0D01FF'))).toThrow(
      /begin_date: month 13/,
    );
  });
});

function scheduleEntryFields(): DlmsData[] {
  const e = scheduleEntry({ script: 'START', at: '00:00', weekdays: EVERY_DAY }, 1, 0);
  return e.type === 'structure' ? e.value : [];
}

// ---- RTDS 2.1_ECS08: the real tables ----

function rtdsEcs08Tables(): { specialDays: string; schedule: string } | undefined {
  const file = join(RTDS_DIR, '2.1_ECS08', 'ECS08_2.1_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX');
  if (!existsSync(file)) return undefined;
  const payload = parseGbcs(fromHex(readFileSync(file, 'utf8'))).message.payload;
  if (payload.kind !== 'dlms' || payload.dlms.type !== 'access-request') return undefined;
  const { specifications, data } = payload.dlms;
  const of = (classId: number) => hexOf(data[specifications.findIndex((s) => s.classId === classId)]!);
  return { specialDays: of(11), schedule: of(10) };
}

describe.skipIf(!HAVE_VECTORS)('the RTDS 2.1_ECS08 non-disablement calendar', () => {
  const tables = HAVE_VECTORS ? rtdsEcs08Tables() : undefined;
  const cal =
    tables === undefined ? NO_FRIENDLY_CALENDAR : electricityCalendar(tables.specialDays, tables.schedule);

  it('weekends 2014-10-27 → 2015-03-28: START 00:00, STOP 09:30, START 22:00', () => {
    expect(tables?.specialDays.startsWith('0105')).toBe(true);
    expect(friendlyAt(cal, '2015-01-03T08:00Z')).toBe(true);
    expect(friendlyAt(cal, '2015-01-03T10:00Z')).toBe(false);
    expect(friendlyAt(cal, '2015-01-03T23:00Z')).toBe(true);
  });

  it('weekdays: START 00:00, STOP 07:30, START 20:00; the dated entries do not apply in 2016', () => {
    expect(friendlyAt(cal, '2015-01-05T07:00Z')).toBe(true);
    expect(friendlyAt(cal, '2015-01-05T08:00Z')).toBe(false);
    expect(friendlyAt(cal, '2016-01-02T23:00Z')).toBe(false);
  });

  it('special days 1, 2, 5 (29 Jul, 25 Aug, 15 Aug) START 00:00 and STOP 19:00 from 26 Jul to 31 Aug', () => {
    expect(friendlyAt(cal, '2015-07-29T10:00Z')).toBe(true);
    expect(friendlyAt(cal, '2015-07-29T20:00Z')).toBe(false);
    expect(friendlyAt(cal, '2015-07-30T10:00Z')).toBe(false);
  });

  it('special day 3 (6 Sep) starts at 01:15', () => {
    expect(friendlyAt(cal, '2015-09-06T01:00Z')).toBe(false);
    expect(friendlyAt(cal, '2015-09-06T02:00Z')).toBe(true);
    expect(nextFriendlyChange(cal, at('2015-09-06T02:00Z'))).toBe(at('2015-09-06T18:45Z'));
  });
});

// ---- GSME ----

const START = 1;
const STOP = 0;
const day = (id: number, ...entries: [minute: number, enable: number][]): CalendarDay => ({ id, entries });
const every = (month: number, dayOfMonth: number, ref: number): CalendarDate => ({
  date: [0xff, month, dayOfMonth, 0xff],
  ref,
});

function gas(parts: Partial<GasCalendar>): FriendlyCalendar {
  return gasCalendar({
    providerId: 0,
    issuerEventId: 0,
    days: [],
    weeks: [],
    seasons: [],
    specialDays: [],
    ...parts,
  });
}

/** Winter (from 27 Oct): RTDS 2.1_GCS05's 00:00 START, 08:00 STOP, 18:00 START on weekdays, weekends all day. */
const TWO_SEASONS = gas({
  days: [day(1, [0, START], [480, STOP], [1080, START]), day(2, [0, START]), day(3, [0, STOP])],
  weeks: [
    { id: 1, days: [1, 1, 1, 1, 1, 2, 2] },
    { id: 2, days: [3, 3, 3, 3, 3, 2, 2] },
  ],
  seasons: [every(10, 27, 1), every(3, 29, 2)],
  specialDays: [every(12, 25, 2)],
});

describe('gas friendly credit calendar (GSME, ZSE Calendar cluster)', () => {
  it('winter: the week profile gives weekdays 00:00–08:00 and 18:00– and whole weekends', () => {
    expect(friendlyAt(TWO_SEASONS, '2025-01-15T07:00Z')).toBe(true); // last year's winter still in force
    expect(friendlyAt(TWO_SEASONS, '2025-01-15T12:00Z')).toBe(false);
    expect(friendlyAt(TWO_SEASONS, '2025-01-15T19:00Z')).toBe(true);
    expect(friendlyAt(TWO_SEASONS, '2025-01-18T12:00Z')).toBe(true); // Saturday
  });

  it('summer (from 29 Mar): weekdays never, weekends all day', () => {
    expect(friendlyAt(TWO_SEASONS, '2025-07-16T19:00Z')).toBe(false);
    expect(friendlyAt(TWO_SEASONS, '2025-07-19T12:00Z')).toBe(true);
    expect(friendlyAt(TWO_SEASONS, '2025-03-28T19:00Z')).toBe(true); // still winter
    expect(friendlyAt(TWO_SEASONS, '2025-03-31T19:00Z')).toBe(false); // Monday, summer
  });

  it("a special day's day profile overrides the week profile", () => {
    expect(friendlyAt(TWO_SEASONS, '2025-12-24T12:00Z')).toBe(false);
    expect(friendlyAt(TWO_SEASONS, '2025-12-25T12:00Z')).toBe(true);
  });

  it('nextFriendlyChange returns the next switch of the day profile in force', () => {
    expect(nextFriendlyChange(TWO_SEASONS, at('2025-01-15T12:00Z'))).toBe(at('2025-01-15T18:00Z'));
    expect(nextFriendlyChange(TWO_SEASONS, at('2025-01-15T19:00Z'))).toBe(at('2025-01-16T00:00Z'));
  });

  it('a season with a year that has not started yet leaves the meter unfriendly', () => {
    const cal = gas({
      days: [day(1, [0, START])],
      weeks: [{ id: 1, days: [1, 1, 1, 1, 1, 1, 1] }],
      seasons: [{ date: [125, 6, 1, 0xff], ref: 1 }],
    });
    expect(friendlyAt(cal, '2025-05-31T12:00Z')).toBe(false);
    expect(friendlyAt(cal, '2025-06-01T00:00Z')).toBe(true);
    expect(nextFriendlyChange(cal, at('2025-05-31T12:00Z'))).toBe(at('2025-06-01T00:00Z'));
  });

  it('never throws on what the HAN brought: a switch past midnight is dropped, a bad date octet never matches', () => {
    const cal = gas({
      days: [day(1, [1440, START]), day(2, [0, START])],
      weeks: [{ id: 1, days: [1, 1, 1, 1, 1, 1, 1] }],
      seasons: [every(1, 1, 1)],
      specialDays: [{ date: [0xff, 13, 1, 0xff], ref: 2 }],
    });
    expect(friendlyAt(cal, '2025-01-15T12:00Z')).toBe(false);
    expect(nextFriendlyChange(cal, at('2025-01-15T12:00Z'))).toBeNull();
  });
});

// ---- Properties ----

const ymdEveryYear = fc.tuple(
  fc.constant(EVERY_YEAR),
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 28 }),
);
const ymdDated = fc.tuple(
  fc.integer({ min: 2024, max: 2026 }),
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 28 }),
);
const ymd: fc.Arbitrary<Ymd> = fc.oneof(ymdEveryYear, ymdDated);
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const entrySpec: fc.Arbitrary<EntrySpec> = fc.record({
  script: fc.constantFrom('START', 'STOP'),
  at: hhmm,
  weekdays: fc.subarray([...WEEKDAYS]),
  specialDays: fc.subarray([1, 2, 3]),
  from: ymd,
  to: ymd,
  enabled: fc.boolean(),
});

const specialDay: fc.Arbitrary<Ymd> = fc.tuple(
  fc.constantFrom(EVERY_YEAR, 2025),
  fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(0xff)),
  fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constantFrom(LAST_DAY, 0xff)),
);

const electricityArb = fc
  .tuple(fc.array(entrySpec, { maxLength: 6 }), fc.array(specialDay, { maxLength: 3 }))
  .map(([entries, specials]) => esme(entries, specials));

const zclDate = fc.tuple(
  fc.constantFrom(0xff, 124, 125),
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 28 }),
  fc.constant(0xff),
);
const gasArb = fc
  .record({
    days: fc.array(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.constantFrom(0, 1)), {
        minLength: 1,
        maxLength: 3,
      }),
      { minLength: 1, maxLength: 3 },
    ),
    weeks: fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 7, maxLength: 7 }), {
      minLength: 1,
      maxLength: 2,
    }),
    seasons: fc.array(fc.tuple(zclDate, fc.integer({ min: 1, max: 3 })), { maxLength: 3 }),
    specialDays: fc.array(fc.tuple(zclDate, fc.integer({ min: 1, max: 3 })), { maxLength: 3 }),
  })
  .map((c) =>
    gas({
      days: c.days.map((entries, i) => day(i + 1, ...entries)),
      weeks: c.weeks.map((days, i) => ({ id: i + 1, days })),
      seasons: c.seasons.map(([date, ref]) => ({ date, ref })),
      specialDays: c.specialDays.map(([date, ref]) => ({ date, ref })),
    }),
  );

const instant = fc
  .integer({ min: at('2024-01-01T00:00Z') / MINUTE, max: at('2027-01-01T00:00Z') / MINUTE })
  .chain((minute) => fc.integer({ min: 0, max: MINUTE - 1 }).map((ms) => minute * MINUTE + ms));
const fractions = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
  minLength: 1,
  maxLength: 5,
});

/** isFriendly is constant on [t, nextFriendlyChange(t)) (or on the next 8 days when there is none). */
function constantUntilNextChange(cal: FriendlyCalendar, t: number, samples: readonly number[]): void {
  const next = nextFriendlyChange(cal, t);
  if (next !== null) expect(next).toBeGreaterThan(t);
  const end = next ?? t + 8 * DAY;
  const state = isFriendly(cal, t);
  for (const f of samples) expect(isFriendly(cal, t + Math.floor(f * (end - t)))).toBe(state);
  if (next !== null) expect(isFriendly(cal, next - 1)).toBe(state);
}

describe('calendar properties', () => {
  it('electricity: isFriendly is constant between t and nextFriendlyChange(t)', () => {
    fc.assert(fc.property(electricityArb, instant, fractions, constantUntilNextChange), { numRuns: 300 });
  });

  it('gas: isFriendly is constant between t and nextFriendlyChange(t)', () => {
    fc.assert(fc.property(gasArb, instant, fractions, constantUntilNextChange), { numRuns: 300 });
  });

  const valid = scheduleHex(
    [
      { script: 'START', at: '16:00', weekdays: EVERY_DAY, specialDays: [1] },
      { script: 'STOP', at: '08:00', weekdays: WEEKEND, from: [EVERY_YEAR, 10, 27], to: [2025, 3, 28] },
    ],
    1,
  );
  const validSpecial = specialDaysHex([[EVERY_YEAR, 12, LAST_DAY]]);
  const mutated = (hex: string) =>
    fc
      .tuple(
        fc.nat({ max: hex.length / 2 - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.nat({ max: hex.length / 2 }),
      )
      .map(([i, byte, cut]) => {
        const b = fromHex(hex);
        b[i] = byte;
        return toHex(b.subarray(0, Math.max(cut, i + 1)));
      });
  const anyHex = fc.oneof(
    fc.uint8Array({ maxLength: 48 }).map(toHex),
    fc.uint8Array({ maxLength: 48 }).map((b) => `01${toHex(b)}`),
    mutated(valid),
    mutated(validSpecial),
    fc.string({ maxLength: 12 }),
  );

  it('electricityCalendar throws nothing but RangeError on random hex', () => {
    fc.assert(
      fc.property(anyHex, fc.boolean(), (hex, asSchedule) => {
        try {
          if (asSchedule) electricityCalendar(validSpecial, hex);
          else electricityCalendar(hex, valid);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
