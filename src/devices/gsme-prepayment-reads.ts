// GCS21b Read GSME Configuration Data Prepayment (SR 4.13): the GSME answers from the prepayment configuration that
// GCS02/03 (cut off value), GCS04 (debt recovery) and GCS05 (credit limits, debt cap, the friendly credit calendar)
// recorded — Read Attributes Responses for the Prepayment and Price components, and for the Calendar gets the
// calendar in force republished, one Publish command per profile, in the shape of RTDS 4.5.0 4.13_GCS21b [O].
import type { GbzComponent, ZclValue } from '../codec/gbcs/gbz/index.js';
import type { CommandHandler } from './device.js';
import {
  gasAttribute,
  readAttributesAnswer,
  zclNumber as n,
  ZCL_TYPE as T,
  type ReadRule,
} from './gsme-reads.js';
import { mirrorOf, type CalendarDate, type GsmePrepayment, type GsmeState } from './gsme-state.js';
import {
  CLUSTER,
  clusterResponseTo,
  commandComponents,
  defaultResponseTo,
  gbzComponents,
  rawFields,
  ZCL_STATUS,
  ZclBuilder,
  type ComponentDraft,
} from './zcl.js';

/** RTDS 4.13_GCS21b SUCCESS: no component encrypted, default response enabled, no header date-time [O]. */
const GCS21B_RULE: ReadRule = {
  useCase: 'GCS21b',
  sensitive: new Set(),
  disableDefaultResponse: false,
  dateTime: false,
};

/** ZCL status NOT_FOUND (ZCL 2.5.3): RTDS 4.13_GCS21b NOT_FOUND answers each Calendar get with it [O]. */
const NOT_FOUND = 0x8b;

/** ZSE Calendar (0x0707) gets received (client → server) and the publish commands answering them (ZSE D.9.2) [O]. */
const GET = { dayProfiles: 0x01, weekProfiles: 0x02, seasons: 0x03, specialDays: 0x04 } as const;
const PUBLISH = { dayProfile: 0x01, weekProfile: 0x02, seasons: 0x03, specialDays: 0x04 } as const;
/** Calendar Type 0x03, Friendly Credit Calendar: the GSME's non-disablement calendar (RTDS 4.13_GCS21b) [O]. */
const FRIENDLY_CREDIT_CALENDAR = 0x03;
/** RTDS 4.13_GCS21b asks for Issuer Calendar ID 0xFFFFFFFE, the calendar in force [O]; 0xFFFFFFFF likewise [A]. */
const CALENDAR_IN_FORCE = new Set([0xffff_fffe, 0xffff_ffff]);

/**
 * The Prepayment attributes GCS21b reads, from the GSME's configuration, typed as RTDS 4.13_GCS21b answers them
 * [O]: Debt Recovery Top Up Percentage #3 (0x0239, uint16), Overall Debt Cap (0x0006, int32), Debt Recovery
 * Frequency #1/#2 (0x0216/0x0226, enum8), Cut Off Value (0x0040, int32), Emergency Credit Limit / Threshold
 * (0x0010/0x0011), Low Credit Warning Level (0x0031), Maximum Credit Limit / Per Top Up (0x0021/0x0022), Debt
 * Recovery Amount #1/#2 (0x0217/0x0227), uint32. The debt recovery settings are GCS04's per register (ZSE D.7.2.2:
 * register n's attributes at 0x02n0) [O]; a register GCS04 never set reads 0 [A].
 */
function configurationAttribute(p: GsmePrepayment, attributeId: number): ZclValue | undefined {
  // debtRecovery holds GCS04's [method, frequency, amount, percentage] per register.
  const recovery = (field: 1 | 2 | 3) => p.debtRecovery[((attributeId >> 4) & 0xf) - 1]?.[field] ?? 0;
  switch (attributeId) {
    case 0x0006:
      return n(T.int32, p.overallDebtCap | 0);
    case 0x0010:
      return n(T.uint32, p.emergencyCreditLimit >>> 0);
    case 0x0011:
      return n(T.uint32, p.emergencyCreditThreshold >>> 0);
    case 0x0021:
      return n(T.uint32, p.maxCreditLimit >>> 0);
    case 0x0022:
      return n(T.uint32, p.maxCreditPerTopUp >>> 0);
    case 0x0031:
      return n(T.uint32, p.lowCreditWarning >>> 0);
    case 0x0040:
      return n(T.int32, p.cutOff | 0);
    case 0x0216:
    case 0x0226:
    case 0x0236:
      return n(T.enum8, recovery(1));
    case 0x0217:
    case 0x0227:
    case 0x0237:
      return n(T.uint32, recovery(2) >>> 0);
    case 0x0219:
    case 0x0229:
    case 0x0239:
      return n(T.uint16, recovery(3));
  }
  return undefined;
}

/** GCS21b's Read Attributes: the configuration first, then what the GSME's reads answer (Price Trailing Digit). */
function configurationSource(state: GsmeState, now: number) {
  const mirror = mirrorOf(state, now);
  return (clusterId: number, attributeId: number): ZclValue | undefined =>
    (clusterId === CLUSTER.prepayment ? configurationAttribute(state.prepayment, attributeId) : undefined) ??
    gasAttribute(mirror, clusterId, attributeId);
}

/** {Provider ID, Issuer Event ID, Issuer Calendar ID} of the calendar in force, heading each Publish (RTDS) [O]. */
function calendarHeader(p: GsmePrepayment): ZclBuilder {
  return new ZclBuilder()
    .u32(p.calendar.providerId)
    .u32(p.calendar.issuerEventId)
    .u32(p.nonDisablementCalendar);
}

function dated(b: ZclBuilder, entries: readonly CalendarDate[]): ZclBuilder {
  for (const e of entries) {
    for (const octet of e.date) b.u8(octet);
    b.u8(e.ref);
  }
  return b;
}

/** The IDs from `start`, ascending, at most `count` of them (0: all) (ZSE Get Day / Week Profiles) [A]. */
function selected<X extends { readonly id: number }>(xs: readonly X[], start: number, count: number): X[] {
  const from = [...xs].filter((x) => x.id >= start).sort((a, b) => a.id - b.id);
  return count === 0 ? from : from.slice(0, count);
}

/**
 * A Calendar get answered from the calendar in force (RTDS 4.13_GCS21b SUCCESS) [O]: Get Day Profiles {Provider,
 * Issuer Calendar ID, Start Day ID, Number of Days} by one Publish Day Profile per day {header, Day ID, entries,
 * Command Index 0, Commands 1, Calendar Type 3, {minute, enable}…}; Get Week Profiles likewise, {header, Week ID,
 * Monday .. Sunday}; Get Seasons {Provider, Issuer Calendar ID} by Publish Seasons {header, 0, 1, {date, week}…};
 * Get Special Days {Start Time, Number of Events, Calendar Type, Provider, Issuer Calendar ID} by Publish Special
 * Days {header, Start Time 0, Calendar Type 3, count, 0, 1, {date, day}…}. Every publish has "no default response"
 * set and the get's sequence number [O]. No calendar, another calendar or nothing to publish: a Default Response
 * NOT_FOUND (RTDS 4.13_GCS21b NOT_FOUND) [O; A for the last two]. The Provider ID is not checked; Start Time and
 * Number of Events of Get Special Days do not filter the special days (their dates may be wildcards) [A].
 */
function calendarAnswers(p: GsmePrepayment, c: GbzComponent): ComponentDraft[] {
  const f = rawFields(c);
  const cmd = c.header.commandId;
  const sizes: Readonly<Record<number, number>> = {
    [GET.dayProfiles]: 10,
    [GET.weekProfiles]: 10,
    [GET.seasons]: 8,
    [GET.specialDays]: 14,
  };
  const size = sizes[cmd];
  if (f === undefined || size === undefined)
    return [defaultResponseTo(c, ZCL_STATUS.unsupportedClusterCommand)];
  if (f.length < size) return [defaultResponseTo(c, ZCL_STATUS.malformedCommand)];
  const notFound = [defaultResponseTo(c, NOT_FOUND)];
  const asked = f.u32(cmd === GET.specialDays ? 10 : 4)!;
  const inForce = p.nonDisablementCalendar !== 0;
  if (!inForce || !(CALENDAR_IN_FORCE.has(asked) || asked === p.nonDisablementCalendar)) return notFound;
  const cal = p.calendar;
  const publish = (commandId: number, b: ZclBuilder) => clusterResponseTo(c, commandId, b.finish(), true);
  switch (cmd) {
    case GET.dayProfiles: {
      const days = selected(cal.days, f.u8(8)!, f.u8(9)!);
      if (days.length === 0) return notFound;
      return days.map((d) => {
        const b = calendarHeader(p).u8(d.id).u8(d.entries.length).u8(0).u8(1).u8(FRIENDLY_CREDIT_CALENDAR);
        for (const [minute, enable] of d.entries) b.uint(minute, 2).u8(enable);
        return publish(PUBLISH.dayProfile, b);
      });
    }
    case GET.weekProfiles: {
      const weeks = selected(cal.weeks, f.u8(8)!, f.u8(9)!);
      if (weeks.length === 0) return notFound;
      return weeks.map((w) => {
        const b = calendarHeader(p).u8(w.id);
        for (const d of w.days) b.u8(d);
        return publish(PUBLISH.weekProfile, b);
      });
    }
    case GET.seasons:
      if (cal.seasons.length === 0) return notFound;
      return [publish(PUBLISH.seasons, dated(calendarHeader(p).u8(0).u8(1), cal.seasons))];
    default: {
      if (f.u8(5) !== FRIENDLY_CREDIT_CALENDAR || cal.specialDays.length === 0) return notFound;
      const b = calendarHeader(p).u32(0).u8(FRIENDLY_CREDIT_CALENDAR).u8(cal.specialDays.length).u8(0).u8(1);
      return [publish(PUBLISH.specialDays, dated(b, cal.specialDays))];
    }
  }
}

/**
 * GCS21b: each command component answered in order — Read Attributes from the configuration (RTDS 4.13_GCS21b
 * components 1–2), Calendar gets by the calendar in force (components 3–10) [O]; any other cluster command gets a
 * Default Response UNSUP_CLUSTER_COMMAND [A]. Reads change nothing.
 */
export const readPrepaymentConfiguration: CommandHandler<GsmeState> = (state, command, now, env) => {
  const components = commandComponents(command);
  if (components === undefined || components.length === 0)
    return {
      state,
      payload: null,
      effects: [{ kind: 'note', text: `GSME ${state.eui}: GCS21b without components` }],
    };
  const source = configurationSource(state, now);
  const answers = components.flatMap((c): ComponentDraft[] => {
    if (c.encrypted || c.header.frameType !== 'cluster-specific')
      return [readAttributesAnswer(c, GCS21B_RULE, source, command, state.eui, env)];
    if (c.clusterId === CLUSTER.calendar) return calendarAnswers(state.prepayment, c);
    return [defaultResponseTo(c, ZCL_STATUS.unsupportedClusterCommand)];
  });
  return { state, payload: gbzComponents(answers) };
};
