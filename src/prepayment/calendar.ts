// The non-disablement ("friendly credit") calendar of a SMETS2 prepayment meter, as one plain-data model that the
// ESME's and the GSME's calendars both compile into, and the two questions the prepayment engine asks of it.
//
// The model. Time is UTC (DUIS switch times are UTC "Z"); a day is a day number (UTC days since 1970-01-01) and a
// switch is a time of day in ms after UTC midnight that sets the state, friendly or not, from its time on. Which
// switches apply on a date is the only part that differs between the meters:
//   electricity  DLMS schedule entries (class 10), each with its weekdays, the special days (class 11) it applies on
//                and a validity range of dates;
//   gas          ZSE Calendar cluster profiles: special days → day profile, else season → week profile → day profile.
// The state at an instant is that of the most recent switch that applies at or before it, looking back at most
// LOOK_BACK_DAYS days; no switch found → not friendly. Compiled once (dates as DatePattern tuples, times in ms, IDs
// resolved to positions), a calendar is plain data (structuredClone-able) and evaluation allocates nothing.
import { DecodeError, fromHex, Reader } from '../codec/bytes.js';
import { decodeDlmsData, type DlmsData } from '../codec/gbcs/dlms/index.js';
import type { CalendarDate, GasCalendar } from '../devices/gsme-state.js';

// ---------------------------------------------------------------------------------------------------------
// The model

/** A date field that is not specified (DLMS 0xFF / 0xFFFF, ZCL 0xFF): matches every value. */
export const ANY = -1;
/** Day of month "last day of the month" (DLMS 0xFE, Blue Book date). */
export const LAST_DAY = -2;
/** Day of month "second last day of the month" (DLMS 0xFD, Blue Book date). */
export const SECOND_LAST_DAY = -3;
/** A date field that can never match (a ZCL octet out of range, kept rather than refused) [A]. */
export const NEVER = -4;

/** A date with wildcards: full year, month 1..12, day of month 1..31, day of week 1 (Monday) .. 7; or the codes above. */
export type DatePattern = readonly [year: number, month: number, dayOfMonth: number, dayOfWeek: number];

/** One switch: from `atMs` after UTC midnight on, the state is `friendly`. */
export interface FriendlySwitch {
  readonly atMs: number;
  readonly friendly: boolean;
}

/** An enabled ESME schedule entry (class 10), its special-day bits resolved to positions in `specialDays`. */
export interface ElectricityEntry extends FriendlySwitch {
  /** Bit 0 = Monday .. bit 6 = Sunday. */
  readonly weekdays: number;
  /** Positions (in ElectricityCalendar.specialDays) of the special days this entry applies on. */
  readonly specialDays: readonly number[];
  readonly begin: DatePattern;
  readonly end: DatePattern;
}

export interface ElectricityCalendar {
  readonly kind: 'electricity';
  /** The special days table's dates, in table order. */
  readonly specialDays: readonly DatePattern[];
  /** The enabled schedule entries, in table order (disabled entries never apply, so they are dropped). */
  readonly entries: readonly ElectricityEntry[];
}

export interface GasCalendarModel {
  readonly kind: 'gas';
  /** Day profiles' switches, in profile order. */
  readonly days: readonly (readonly FriendlySwitch[])[];
  /** Week profiles: the position in `days` of Monday's .. Sunday's profile, −1 where the Day ID names none. */
  readonly weeks: readonly (readonly number[])[];
  /** Seasons: start date and the position in `weeks` of its week profile (−1: none). */
  readonly seasons: readonly { readonly start: DatePattern; readonly week: number }[];
  /** Special days: date and the position in `days` of its day profile (−1: none). */
  readonly specialDays: readonly { readonly date: DatePattern; readonly day: number }[];
}

export type FriendlyCalendar = ElectricityCalendar | GasCalendarModel;

/** A calendar with no switch: never friendly. */
export const NO_FRIENDLY_CALENDAR: FriendlyCalendar = Object.freeze({
  kind: 'electricity',
  specialDays: Object.freeze([]),
  entries: Object.freeze([]),
});

const DAY_MS = 86_400_000;
/** How far back a switch still sets the state (the prepayment engine's contract: at most 7 days). */
const LOOK_BACK_DAYS = 7;
/** How far ahead nextFriendlyChange looks. */
const LOOK_AHEAD_DAYS = 8;
const NONE = -1;

// ---------------------------------------------------------------------------------------------------------
// The two questions

/** Whether `deviceMs` (UTC ms) falls in a non-disablement period. */
export function isFriendly(cal: FriendlyCalendar, deviceMs: number): boolean {
  return friendlySince(cal, deviceMs) !== null;
}

/**
 * The first instant > deviceMs at which isFriendly may change (the next switch time that applies), or null if none
 * within the next 8 days. A friendly state whose switch is about to leave the look-back window also ends, at that
 * midnight, so that instant counts too [A: it keeps isFriendly constant up to the answer].
 */
export function nextFriendlyChange(cal: FriendlyCalendar, deviceMs: number): number | null {
  const next = nextSwitchInstant(cal, deviceMs);
  const since = friendlySince(cal, deviceMs);
  const leavesWindow = since === null ? NONE : (since + LOOK_BACK_DAYS + 1) * DAY_MS;
  if (leavesWindow !== NONE && (next === NONE || leavesWindow < next)) return leavesWindow;
  return next === NONE ? null : next;
}

/**
 * The day of the most recent applying switch at or before `deviceMs` if that switch is friendly; null if it is not,
 * or if no switch applies in the look-back window.
 */
function friendlySince(cal: FriendlyCalendar, deviceMs: number): number | null {
  const today = Math.floor(deviceMs / DAY_MS);
  for (let back = 0; back <= LOOK_BACK_DAYS; back++) {
    const day = today - back;
    const latest = latestSwitchOn(cal, day, back === 0 ? deviceMs - today * DAY_MS : DAY_MS);
    if (latest !== NONE) return latest % 2 === 1 ? day : null;
  }
  return null;
}

/** The earliest applying switch instant in (deviceMs, deviceMs + 8 days], NONE if none. */
function nextSwitchInstant(cal: FriendlyCalendar, deviceMs: number): number {
  const today = Math.floor(deviceMs / DAY_MS);
  for (let ahead = 0; ahead <= LOOK_AHEAD_DAYS; ahead++) {
    const day = today + ahead;
    const at = earliestSwitchOn(cal, day, ahead === 0 ? deviceMs - today * DAY_MS : -1);
    if (at === NONE) continue;
    return day * DAY_MS + at <= deviceMs + LOOK_AHEAD_DAYS * DAY_MS ? day * DAY_MS + at : NONE;
  }
  return NONE;
}

// Both kinds answer the same two questions about one day. A switch found is encoded as atMs × 2 + friendly (0 / 1),
// so nothing allocates. Ties: of switches at the same time, the later in table / profile order wins, as if run in
// order [A].

/** The latest switch applying on `day` at or before `limitMs` after midnight: atMs × 2 + friendly, or NONE. */
function latestSwitchOn(cal: FriendlyCalendar, day: number, limitMs: number): number {
  if (cal.kind === 'electricity') return latestElectricitySwitch(cal, day, limitMs);
  const profile = gasDayProfile(cal, day);
  return profile === NONE ? NONE : latestOf(cal.days[profile] ?? [], limitMs);
}

/** The earliest switch time applying on `day` strictly after `afterMs` after midnight, or NONE. */
function earliestSwitchOn(cal: FriendlyCalendar, day: number, afterMs: number): number {
  if (cal.kind === 'electricity') return earliestElectricitySwitch(cal, day, afterMs);
  const profile = gasDayProfile(cal, day);
  return profile === NONE ? NONE : earliestOf(cal.days[profile] ?? [], afterMs);
}

function latestOf(switches: readonly FriendlySwitch[], limitMs: number): number {
  let best = NONE;
  for (const s of switches) if (s.atMs <= limitMs && s.atMs >= atOf(best)) best = encode(s);
  return best;
}

function earliestOf(switches: readonly FriendlySwitch[], afterMs: number): number {
  let best = NONE;
  for (const s of switches) if (s.atMs > afterMs && (best === NONE || s.atMs < best)) best = s.atMs;
  return best;
}

const encode = (s: FriendlySwitch): number => s.atMs * 2 + (s.friendly ? 1 : 0);
/** The time of an encoded switch; −1 for NONE, so that every switch is later. */
const atOf = (encoded: number): number => (encoded === NONE ? -1 : Math.floor(encoded / 2));

// ---------------------------------------------------------------------------------------------------------
// Electricity: which schedule entries apply on a date

/**
 * Rule [A]: on a date that matches a special day, only the entries whose special-day bit for that day is set apply;
 * on other dates the entries whose weekday bit is set apply; in both cases only if the date lies within the entry's
 * [begin date, end date] (Blue Book class 10 with class 11 special days, as RTDS 2.1_ECS08 sets them).
 */
function appliesOn(
  cal: ElectricityCalendar,
  e: ElectricityEntry,
  key: number,
  weekday: number,
  special: boolean,
): boolean {
  if (!inDateRange(e.begin, e.end, key)) return false;
  if (!special) return (e.weekdays & (1 << (weekday - 1))) !== 0;
  for (const p of e.specialDays) if (matchesDate(cal.specialDays[p]!, key, weekday)) return true;
  return false;
}

function isSpecialDay(cal: ElectricityCalendar, key: number, weekday: number): boolean {
  for (const date of cal.specialDays) if (matchesDate(date, key, weekday)) return true;
  return false;
}

function latestElectricitySwitch(cal: ElectricityCalendar, day: number, limitMs: number): number {
  const key = civilKey(day);
  const weekday = weekdayOf(day);
  const special = isSpecialDay(cal, key, weekday);
  let best = NONE;
  for (const e of cal.entries) {
    if (e.atMs > limitMs || e.atMs < atOf(best)) continue;
    if (appliesOn(cal, e, key, weekday, special)) best = encode(e);
  }
  return best;
}

function earliestElectricitySwitch(cal: ElectricityCalendar, day: number, afterMs: number): number {
  const key = civilKey(day);
  const weekday = weekdayOf(day);
  const special = isSpecialDay(cal, key, weekday);
  let best = NONE;
  for (const e of cal.entries) {
    if (e.atMs <= afterMs || (best !== NONE && e.atMs >= best)) continue;
    if (appliesOn(cal, e, key, weekday, special)) best = e.atMs;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------
// Gas: which day profile applies on a date (ZSE Calendar cluster, RTDS 2.1_GCS05)

/** ZSE Calendar cluster: a special day's day profile overrides; else the season's week profile gives it by weekday. */
function gasDayProfile(cal: GasCalendarModel, day: number): number {
  const key = civilKey(day);
  const weekday = weekdayOf(day);
  // [A] Of several special days on one date, the first in the table wins.
  for (const s of cal.specialDays) if (matchesDate(s.date, key, weekday)) return s.day;
  const season = seasonInForce(cal, key);
  if (season === NONE) return NONE;
  const week = cal.weeks[cal.seasons[season]!.week];
  return week?.[weekday - 1] ?? NONE;
}

/**
 * ZSE Calendar cluster: the season in force is the one with the latest start ≤ the date; a start with no year
 * recurs every year, so before this year's first start the previous year's last season is in force. Start days of
 * week are ignored; of equal starts the later listed wins [A].
 */
function seasonInForce(cal: GasCalendarModel, key: number): number {
  let best = NONE;
  let bestStart = NONE;
  for (let i = 0; i < cal.seasons.length; i++) {
    const start = latestStartAtOrBefore(cal.seasons[i]!.start, key);
    if (start !== NONE && start >= bestStart) {
      best = i;
      bestStart = start;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------
// Dates: civil keys yyyymmdd, patterns, ranges

/** The civil date of a day number as yyyymmdd (proleptic Gregorian; H. Hinnant's days → civil). */
function civilKey(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const dayOfMonth = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10_000 + month * 100 + dayOfMonth;
}

/** 1 = Monday .. 7 = Sunday (DLMS and ZCL dates alike); day 0 (1970-01-01) was a Thursday. */
const weekdayOf = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

const yearOf = (key: number): number => Math.floor(key / 10_000);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Blue Book date / ZCL Date: every specified field equal; 0xFE / 0xFD the last / second last day of the month. */
function matchesDate(p: DatePattern, key: number, weekday: number): boolean {
  const year = yearOf(key);
  const month = Math.floor(key / 100) % 100;
  const day = key % 100;
  if ((p[0] !== ANY && p[0] !== year) || (p[1] !== ANY && p[1] !== month)) return false;
  if (p[3] !== ANY && p[3] !== weekday) return false;
  if (p[2] === ANY) return true;
  if (p[2] === LAST_DAY) return day === daysInMonth(year, month);
  if (p[2] === SECOND_LAST_DAY) return day === daysInMonth(year, month) - 1;
  return p[2] === day;
}

/**
 * A pattern as a bound in `year` (yyyymmdd) [A]: an unspecified month or day is the earliest for a begin bound and
 * the latest for an end bound; days of week are ignored. NONE if the pattern can never be a date.
 */
function boundIn(p: DatePattern, year: number, isEnd: boolean): number {
  if (p[1] === NEVER || p[2] === NEVER) return NONE;
  const month = p[1] === ANY ? (isEnd ? 12 : 1) : p[1];
  const last = daysInMonth(year, month);
  const day =
    p[2] === ANY ? (isEnd ? last : 1) : p[2] === LAST_DAY ? last : p[2] === SECOND_LAST_DAY ? last - 1 : p[2];
  return year * 10_000 + month * 100 + day;
}

/** The latest occurrence of a begin pattern at or before `key`: its own year, or this year's else last year's. */
function latestStartAtOrBefore(p: DatePattern, key: number): number {
  if (p[0] === NEVER) return NONE;
  if (p[0] !== ANY) {
    const start = boundIn(p, p[0], false);
    return start !== NONE && start <= key ? start : NONE;
  }
  const thisYear = boundIn(p, yearOf(key), false);
  if (thisYear === NONE || thisYear <= key) return thisYear;
  return boundIn(p, yearOf(key) - 1, false);
}

/**
 * Whether `key` lies in [begin, end] [A]: a bound with no year recurs every year ("65535-04-29" as DUIS writes it),
 * so the range is the latest begin ≤ the date up to the first end ≥ that begin — 27 Oct → 28 Mar wraps the year end.
 */
function inDateRange(begin: DatePattern, end: DatePattern, key: number): boolean {
  const from = latestStartAtOrBefore(begin, key);
  if (from === NONE) return false;
  if (end[0] === NEVER) return false;
  if (end[0] !== ANY) return key <= boundIn(end, end[0], true);
  const sameYear = boundIn(end, yearOf(from), true);
  if (sameYear === NONE) return false;
  const to = sameYear >= from ? sameYear : boundIn(end, yearOf(from) + 1, true);
  return key <= to;
}

// ---------------------------------------------------------------------------------------------------------
// ESME: compile the A-XDR tables (as src/dcc/transform/electricity.ts builds them for ECS08)

/** Non-disablement schedule scripts: 32 START, 33 STOP (RTDS 2.1_ECS08). */
const SCRIPT_FRIENDLY: Readonly<Record<number, boolean>> = { 32: true, 33: false };
const WEEKDAY_BITS = 7;

/** ESME: compile from the A-XDR hex the ESME state keeps. Throws a RangeError if the hex is not the expected shape. */
export function electricityCalendar(specialDaysHex: string, scheduleHex: string): FriendlyCalendar {
  const specialTable = decodeArray(specialDaysHex, 'special days table');
  const scheduleTable = decodeArray(scheduleHex, 'non-disablement schedule');
  const specials = specialTable.map((d, i) => specialDayOf(d, `special days table[${i}]`));
  const entries: ElectricityEntry[] = [];
  scheduleTable.forEach((d, i) => {
    const entry = scheduleEntryOf(d, `non-disablement schedule[${i}]`, specials);
    if (entry !== undefined) entries.push(entry);
  });
  return { kind: 'electricity', specialDays: specials.map((s) => s.date), entries };
}

function fail(where: string, reason: string): never {
  throw new RangeError(`electricity calendar: ${where}: ${reason}`);
}

/** The hex of one DLMS `array`, nothing after it; decode failures become RangeErrors. */
function decodeArray(hex: string, where: string): readonly DlmsData[] {
  let data: DlmsData;
  try {
    const r = new Reader(fromHex(hex), 'dlms');
    data = decodeDlmsData(r, where);
    if (!r.atEnd) fail(where, `${r.remaining} octets after the array`);
  } catch (e) {
    if (e instanceof DecodeError) fail(where, `not A-XDR Data (${e.message})`);
    throw e;
  }
  if (data.type !== 'array') fail(where, `expected an array, got ${data.type}`);
  return data.value;
}

/** Special days table entry {index, date (5 octets), day_id} (Blue Book class 11; RTDS 2.1_ECS08). */
function specialDayOf(d: DlmsData, where: string): { readonly index: number; readonly date: DatePattern } {
  const [index, date, dayId] = fieldsOf(d, 3, where);
  unsignedOf(dayId!, `${where}.day_id`, 'unsigned');
  return {
    index: unsignedOf(index!, `${where}.index`, 'long-unsigned'),
    date: dlmsDate(octetsOf(date!, 5, `${where}.date`, 'date'), `${where}.date`),
  };
}

/**
 * Schedule entry {index, enable, script logical name, script selector, switch time, validity window, exec weekdays,
 * exec special days, begin date, end date} (Blue Book class 10; RTDS 2.1_ECS08). A disabled entry never applies.
 */
function scheduleEntryOf(
  d: DlmsData,
  where: string,
  specials: readonly { readonly index: number }[],
): ElectricityEntry | undefined {
  const [index, enabled, script, selector, time, window, weekdays, specialDays, begin, end] = fieldsOf(
    d,
    10,
    where,
  );
  unsignedOf(index!, `${where}.index`, 'long-unsigned');
  octetsOf(script!, 6, `${where}.script_logical_name`);
  unsignedOf(window!, `${where}.validity_window`, 'long-unsigned');
  const friendly = SCRIPT_FRIENDLY[unsignedOf(selector!, `${where}.script_selector`, 'long-unsigned')];
  if (friendly === undefined) fail(`${where}.script_selector`, 'expected 32 (START) or 33 (STOP)');
  const entry: ElectricityEntry = {
    atMs: switchTimeMs(octetsOf(time!, 4, `${where}.switch_time`, 'time'), `${where}.switch_time`),
    friendly,
    weekdays: weekdayMask(bitsOf(weekdays!, `${where}.exec_weekdays`), `${where}.exec_weekdays`),
    specialDays: specialPositions(bitsOf(specialDays!, `${where}.exec_specdays`), specials),
    begin: dlmsDate(octetsOf(begin!, 5, `${where}.begin_date`, 'date'), `${where}.begin_date`),
    end: dlmsDate(octetsOf(end!, 5, `${where}.end_date`, 'date'), `${where}.end_date`),
  };
  return booleanOf(enabled!, `${where}.enable`) ? entry : undefined;
}

function fieldsOf(d: DlmsData, n: number, where: string): readonly DlmsData[] {
  if (d.type !== 'structure') fail(where, `expected a structure, got ${d.type}`);
  if (d.value.length !== n) fail(where, `expected ${n} fields, got ${d.value.length}`);
  return d.value;
}

function unsignedOf(d: DlmsData, where: string, type: 'unsigned' | 'long-unsigned'): number {
  if (d.type !== type) fail(where, `expected ${type}, got ${d.type}`);
  return d.value;
}

function booleanOf(d: DlmsData, where: string): boolean {
  if (d.type !== 'boolean') fail(where, `expected a boolean, got ${d.type}`);
  return d.value;
}

/** An octet-string of `length` octets (or the DLMS date / time type the Blue Book also allows). */
function octetsOf(d: DlmsData, length: number, where: string, alias?: 'date' | 'time'): Uint8Array {
  const accepted = d.type === 'octet-string' || d.type === alias;
  if (!accepted || !('value' in d) || !(d.value instanceof Uint8Array))
    fail(where, `expected an octet-string, got ${d.type}`);
  if (d.value.length !== length) fail(where, `expected ${length} octets, got ${d.value.length}`);
  return d.value;
}

function bitsOf(d: DlmsData, where: string): boolean[] {
  if (d.type !== 'bit-string') fail(where, `expected a bit-string, got ${d.type}`);
  return Array.from({ length: d.bitLength }, (_, i) => ((d.value[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}

/** exec_weekdays: 7 bits, Monday first (RTDS 2.1_ECS08: 06 = Saturday and Sunday). */
function weekdayMask(bits: readonly boolean[], where: string): number {
  if (bits.length !== WEEKDAY_BITS) fail(where, `expected ${WEEKDAY_BITS} bits, got ${bits.length}`);
  return bits.reduce((mask, on, i) => (on ? mask | (1 << i) : mask), 0);
}

/** exec_specdays: one bit per special day index, index 1 first (RTDS 2.1_ECS08: C8 over 5 bits = days 1, 2, 5). */
function specialPositions(
  bits: readonly boolean[],
  specials: readonly { readonly index: number }[],
): number[] {
  const positions: number[] = [];
  specials.forEach((s, p) => {
    if (bits[s.index - 1] === true) positions.push(p);
  });
  return positions;
}

/** Switch time hh mm ss hundredths (Blue Book time; RTDS "07:30:00.00Z" → 071E0000); 0xFF seconds/hundredths = 0 [A]. */
function switchTimeMs(t: Uint8Array, where: string): number {
  const [hh, mm, ss, cs] = [t[0]!, t[1]!, t[2]!, t[3]!];
  if (hh > 23 || mm > 59)
    fail(where, `${hh}:${mm} is not a time of day (wildcard hours and minutes unsupported)`);
  if ((ss > 59 && ss !== 0xff) || (cs > 99 && cs !== 0xff))
    fail(where, `seconds ${ss}, hundredths ${cs} out of range`);
  return hh * 3_600_000 + mm * 60_000 + (ss === 0xff ? 0 : ss * 1000) + (cs === 0xff ? 0 : cs * 10);
}

/** Blue Book date: year (0xFFFF any), month (0xFF any), day (0xFE last, 0xFD second last, 0xFF any), weekday. */
function dlmsDate(b: Uint8Array, where: string): DatePattern {
  const year = (b[0]! << 8) | b[1]!;
  const [month, day, weekday] = [b[2]!, b[3]!, b[4]!];
  if (month !== 0xff && (month < 1 || month > 12)) fail(where, `month ${month} not 1..12 or 0xFF`);
  if (day < 1 || (day > 31 && day < 0xfd)) fail(where, `day of month ${day} not 1..31, 0xFD, 0xFE or 0xFF`);
  if (weekday !== 0xff && (weekday < 1 || weekday > 7))
    fail(where, `day of week ${weekday} not 1..7 or 0xFF`);
  const dayCode = day === 0xff ? ANY : day === 0xfe ? LAST_DAY : day === 0xfd ? SECOND_LAST_DAY : day;
  return [
    year === 0xffff ? ANY : year,
    month === 0xff ? ANY : month,
    dayCode,
    weekday === 0xff ? ANY : weekday,
  ];
}

// ---------------------------------------------------------------------------------------------------------
// GSME: compile the GasCalendar the GSME state keeps (ZSE Calendar cluster, as RTDS 2.1_GCS05 publishes it)

const MINUTES_PER_DAY = 1440;

/**
 * GSME: compile from the GasCalendar the GSME state keeps. Never throws: the GSME stores what the HAN brought, so a
 * switch past midnight is dropped and an out-of-range date octet never matches [A]; of repeated IDs the first wins.
 */
export function gasCalendar(cal: GasCalendar): FriendlyCalendar {
  const dayIds = firstPositions(cal.days.map((d) => d.id));
  const weekIds = firstPositions(cal.weeks.map((w) => w.id));
  const position = (ids: ReadonlyMap<number, number>, id: number | undefined) => ids.get(id ?? NONE) ?? NONE;
  return {
    kind: 'gas',
    days: cal.days.map((d) =>
      d.entries
        .filter(([minute]) => minute >= 0 && minute < MINUTES_PER_DAY)
        // ZSE Calendar cluster day profile: Start Time in minutes after midnight, Friendly Credit Enable ≠ 0.
        .map(([minute, enable]) => ({ atMs: minute * 60_000, friendly: enable !== 0 })),
    ),
    weeks: cal.weeks.map((w) => Array.from({ length: 7 }, (_, i) => position(dayIds, w.days[i]))),
    seasons: cal.seasons.map((s) => ({ start: zclDate(s), week: position(weekIds, s.ref) })),
    specialDays: cal.specialDays.map((s) => ({ date: zclDate(s), day: position(dayIds, s.ref) })),
  };
}

function firstPositions(ids: readonly number[]): Map<number, number> {
  const positions = new Map<number, number>();
  ids.forEach((id, p) => {
    if (!positions.has(id)) positions.set(id, p);
  });
  return positions;
}

/** ZCL Date {year − 1900, month, day of month, day of week (1 = Monday)}, 0xFF not specified (RTDS 2.1_GCS05). */
function zclDate(entry: CalendarDate): DatePattern {
  const field = (i: number, min: number, max: number): number => {
    const v = entry.date[i];
    if (v === 0xff) return ANY;
    return v !== undefined && Number.isInteger(v) && v >= min && v <= max ? v : NEVER;
  };
  const year = field(0, 0, 0xfe);
  return [year < 0 ? year : 1900 + year, field(1, 1, 12), field(2, 1, 31), field(3, 1, 7)];
}
