// The DSP's DUIS → GBCS transforms for the gas meter and its proxy (GSME, GPF): ZSE commands in GBZ, and ASN.1 for GCS28/CS06, field by field as RTDS 4.5.0 carries them [O], else as the gas actors assume [A].
import { DuisError, parseHexBinary } from '../../codec/duis/common.js';
import { topUpDevice } from '../../codec/duis/bodies.js';
import type { DuisRequestBody } from '../../codec/duis/request.js';
import type { DuisBodyElement } from '../../codec/duis/tree.js';
import type { ZclHeader, ZclPayload } from '../../codec/gbcs/gbz/index.js';
import { messageCodesForUseCase } from '../../codec/gbcs/message-codes.js';
import type { GbcsPayload } from '../../codec/gbcs/payload.js';
import { asn1Response, generalizedTimeAt } from '../../devices/common-commands.js';
import { CLUSTER, gbzComponents, SUPPLY_STATUS, ZclBuilder, type ComponentDraft } from '../../devices/zcl.js';
import type { SmiDeviceType } from '../types.js';
import { all, bool, dateTimeMs, find, integer, optionalDateTimeMs, required, text } from './body.js';
import type { TransformEntry } from './entry.js';
import { TransformError, type CommandDraft, type Transform, type TransformInput } from './types.js';

// Money, thresholds and debts pass through unscaled: the GSME's ZSE attributes hold DUIS's unit. Derived by comparing
// duis-templates GCS05_2.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML (DebtRecoveryRateCap 100000, EmergencyCreditLimit
// 10000000, EmergencyCreditThreshold 100000, LowCreditThreshold 5000000, MaxMeterBalance / MaxCreditThreshold
// 25000000) with RTDS 4.5.0 2.1_GCS05/GCS05_2.1_FUTURE_DATED_SUCCESS_COMMAND_GBCS.HEX (0x000186A0, 0x00989680,
// 0x000186A0, 0x004C4B40, 0x017D7840 ×2), and GCS04_2.3_SUCCESS_REQUEST_DUIS.XML (TimeDebtRegister1 1000000,
// TimeDebtRegister2 500000, PaymentDebtRegister 1000000, DebtRecoveryRate 50000, DebtRecoveryPerPayment 100) with
// 2.3_GCS04/GCS04_2.3_SUCCESS_COMMAND_GBCS.HEX (0x000F4240, 0x0007A120, 0x000F4240, 0x0000C350, 0x0064): scale 1 [O].

type Node = DuisBodyElement | DuisRequestBody;

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const UINT32_MAX = 0xffff_ffff;

/** The message code of a use case (message-codes.ts), looked up once at load. */
export function codeOf(useCase: string): number {
  const [row] = messageCodesForUseCase(useCase);
  if (row === undefined) throw new Error(`no message code for use case ${useCase}`);
  return row.code;
}

/** A command to the request's target, no header date-time (no RTDS 4.5.0 command carries one [O]). */
export function draftFor(
  input: TransformInput,
  useCase: string,
  payload: GbcsPayload,
  executionMs?: number,
): CommandDraft {
  return {
    messageCode: codeOf(useCase),
    recipient: input.target.deviceId,
    payload,
    dateTime: null,
    ...(executionMs !== undefined && { executionMs }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Time

const ZIGBEE_EPOCH_MS = Date.UTC(2000, 0, 1);
/** DUIS cancels a future-dated request with ExecutionDateTime 3000-12-31T00:00:00Z (the templates' CANCELLATION). */
export const CANCELLATION_MS = Date.UTC(3000, 11, 31);
/** A ZSE implementation time of 0 means "now" (RTDS GCS02/GCS05 IMMEDIATE: 0x00000000) [O]. */
const ZSE_NOW = 0;
/** RTDS 1.6_GCS02 / 2.1_GCS05 CANCELLATION: prepayment commands' implementation time 0xFFFFFFFF [O]. */
const ZSE_CANCEL = 0xffff_ffff;
/** RTDS 2.1_GCS05 CANCELLATION: Publish Calendar / Publish Special Days start time 0xFFFFFFFE [O]. */
const ZSE_CALENDAR_CANCEL = 0xffff_fffe;
/** The last ZigBee UTCTime that is an instant, not one of the two "cancel" values. */
const ZIGBEE_TIME_MAX = 0xffff_fffd;

export type Execution = { kind: 'now' } | { kind: 'cancel' } | { kind: 'at'; ms: number };

/** The optional ExecutionDateTime of a future-datable body: absent → now, 3000-12-31 → cancel, else the instant. */
export function executionOf(body: Node): Execution {
  const ms = optionalDateTimeMs(body, 'ExecutionDateTime');
  if (ms === undefined) return { kind: 'now' };
  if (ms === CANCELLATION_MS) return { kind: 'cancel' };
  return { kind: 'at', ms };
}

/** The ms at which the DSP (or the device) acts on a future-dated request; undefined now or on cancellation. */
export function executionMsOf(execution: Execution): number | undefined {
  return execution.kind === 'at' ? execution.ms : undefined;
}

/** ZigBee UTCTime: whole seconds since 2000-01-01T00:00:00Z (ZCL 2.6.2; RTDS 0x38818890 = 2030-01-15T09:00:00Z) [O]. */
function zigbeeSeconds(ms: number): number {
  return Math.floor((ms - ZIGBEE_EPOCH_MS) / 1000);
}

function zigbeeTimeOf(ms: number, where: string): number {
  const s = zigbeeSeconds(ms);
  if (s < 0 || s > ZIGBEE_TIME_MAX)
    throw new DuisError(where, 'outside the ZigBee UTCTime range 2000-01-01 .. 2136-02-07');
  return s;
}

/** The ZSE implementation time of an execution; `cancel` is the value the command kind uses. */
function zseTime(execution: Execution, body: Node, cancel: number): number {
  if (execution.kind === 'now') return ZSE_NOW;
  if (execution.kind === 'cancel') return cancel;
  return zigbeeTimeOf(execution.ms, `${nameOf(body)}/ExecutionDateTime`);
}

/**
 * ZSE Issuer Event ID (and the Issuer Calendar ID of GCS05's calendar): a UTC timestamp of issue, as ZSE allows. RTDS
 * 4.5.0 carries 0x1C374A80 (= 2015-01-01T00:00:00Z) in every GCS02/04/05/32/39 command whatever its counter, so it
 * follows neither counter; the twin issues the transform's "now" [O: RTDS; A: now as the issue time].
 */
function issuerEventId(nowMs: number): number {
  return Math.min(UINT32_MAX, Math.max(0, zigbeeSeconds(nowMs)));
}

function nameOf(node: Node): string {
  return 'element' in node ? node.element : node.name;
}

// ---------------------------------------------------------------------------------------------------------
// GBZ building blocks

type Direction = ZclHeader['direction'];

/** A ZCL header: sequence number = component index, default response enabled (RTDS GCS04/05/21b: seq 0, 1, 2 …) [O]. */
function zclHeader(
  frameType: ZclHeader['frameType'],
  commandId: number,
  seq: number,
  direction: Direction,
): ZclHeader {
  return {
    frameType,
    manufacturerSpecific: false,
    direction,
    disableDefaultResponse: false,
    manufacturerCode: null,
    sequenceNumber: seq,
    commandId,
  };
}

interface Step {
  readonly clusterId: number;
  readonly commandId: number;
  readonly frameType: ZclHeader['frameType'];
  readonly direction: Direction;
  readonly payload: ZclPayload;
  readonly fromDateTime: number | null;
}

const clusterCommand = (
  clusterId: number,
  commandId: number,
  fields: ZclBuilder,
  direction: Direction = 'client-to-server',
  fromDateTime: number | null = null,
): Step => ({
  clusterId,
  commandId,
  frameType: 'cluster-specific',
  direction,
  payload: fields.finish(),
  fromDateTime,
});

const readAttributes = (clusterId: number, attributeIds: readonly number[]): Step => ({
  clusterId,
  commandId: 0x00,
  frameType: 'global',
  direction: 'client-to-server',
  payload: { kind: 'read-attributes', attributeIds },
  fromDateTime: null,
});

/** The GBZ payload of the steps, one component each, in order. */
function gbz(steps: readonly Step[]): GbcsPayload {
  return gbzComponents(
    steps.map((s, i): ComponentDraft => ({
      encrypted: false,
      clusterId: s.clusterId,
      fromDateTime: s.fromDateTime,
      header: zclHeader(s.frameType, s.commandId, i, s.direction),
      payload: s.payload,
    })),
  );
}

const fields = (): ZclBuilder => new ZclBuilder();

/** ZSE Prepayment (0x0705) commands, client → server (ZSE D.7.2.3; gbcs-parser src/zigbee.ts) [O]. */
const PREPAYMENT = {
  selectAvailableEmergencyCredit: 0x00,
  changeDebt: 0x02,
  emergencyCreditSetup: 0x03,
  consumerTopUp: 0x04,
  changePaymentMode: 0x06,
  setLowCreditWarningLevel: 0x09,
  setMaximumCreditLimit: 0x0b,
  setOverallDebtCap: 0x0c,
} as const;

/** ZSE Calendar (0x0707): publish commands server → client, get commands client → server (RTDS GCS05, GCS21b) [O]. */
const CALENDAR = {
  publishCalendar: 0x00,
  publishDayProfile: 0x01,
  publishWeekProfile: 0x02,
  publishSeasons: 0x03,
  publishSpecialDays: 0x04,
  getDayProfiles: 0x01,
  getWeekProfiles: 0x02,
  getSeasons: 0x03,
  getSpecialDays: 0x04,
} as const;

/** ZSE Metering (0x0702) Change Supply (RTDS 7.2_GCS32, 7.3_GCS39) [O]. */
const CHANGE_SUPPLY = 0x0b;
/** Provider ID 0 in every RTDS 4.5.0 ZSE command [O]. */
const PROVIDER_ID = 0;
/** Calendar Type 0x03, Friendly Credit Calendar: GCS05's non-disablement calendar (RTDS 2.1_GCS05) [O]. */
const FRIENDLY_CREDIT_CALENDAR = 0x03;
/** Issuer Calendar ID 0xFFFFFFFE: "the calendar in force", as RTDS 4.13_GCS21b reads it [O]. */
const CURRENT_CALENDAR = 0xffff_fffe;

function int32(node: Node, path: string): number {
  return integer(node, path, INT32_MIN, INT32_MAX);
}

function uint32(node: Node, path: string): number {
  return integer(node, path, 0, UINT32_MAX);
}

// ---------------------------------------------------------------------------------------------------------
// 1.6 Update Payment Mode: GCS02 (Credit) / GCS03 (Prepayment)

/** RTDS 1.6_GCS02: Proposed Payment Control Configuration 0x0C94 for credit mode [O]. */
const PAYMENT_CONTROL_CREDIT = 0x0c94;
/**
 * Prepayment: 0x0097, plus 0x0400 when SuspendDebtDisabled and 0x0800 unless SuspendDebtEmergency — the four values
 * SmartDCCInnovation/gbcs-parser src/zigbee.ts names (0x0497 both true, 0x0097 emergency only, 0x0C97 disabled only,
 * 0x0897 neither) [O: gbcs-parser; the RTDS 1.6_GCS03 folder is not in this copy].
 */
const PAYMENT_CONTROL_PREPAYMENT = 0x0097;
const SUSPEND_DEBT_DISABLED = 0x0400;
const COLLECT_DEBT_IN_EMERGENCY = 0x0800;
/** RTDS 1.6_GCS02: Cut Off Value -1 (0xFFFFFFFF) in credit mode [O]. */
const CUT_OFF_CREDIT = -1;

const updatePaymentMode: Transform = (input) => {
  const { body } = input;
  const execution = executionOf(body);
  const at = zseTime(execution, body, ZSE_CANCEL);
  const prepayment = find(body, 'Prepayment');
  let useCase: 'GCS02' | 'GCS03';
  let control: number;
  let cutOff: number;
  if (prepayment === undefined) {
    required(body, 'Credit');
    useCase = 'GCS02';
    control = PAYMENT_CONTROL_CREDIT;
    cutOff = CUT_OFF_CREDIT;
  } else {
    useCase = 'GCS03';
    control =
      PAYMENT_CONTROL_PREPAYMENT |
      (bool(prepayment, 'SuspendDebtDisabled') ? SUSPEND_DEBT_DISABLED : 0) |
      (bool(prepayment, 'SuspendDebtEmergency') ? 0 : COLLECT_DEBT_IN_EMERGENCY);
    // RTDS 1.6_ECS03 carries DUIS DisablementThreshold unscaled; the GSME's Cut Off Value likewise [A].
    cutOff = int32(prepayment, 'DisablementThreshold');
  }
  // ZSE Change Payment Mode {Provider ID, Issuer Event ID, Implementation Date/Time, Proposed Payment Control
  // Configuration (map16), Cut Off Value (int32)} (RTDS 1.6_GCS02: 00000000 804A371C 00000000 940C FFFFFFFF) [O].
  const payload = gbz([
    clusterCommand(
      CLUSTER.prepayment,
      PREPAYMENT.changePaymentMode,
      fields().u32(PROVIDER_ID).u32(issuerEventId(input.nowMs)).u32(at).uint(control, 2).i32(cutOff),
    ),
  ]);
  return draftFor(input, useCase, payload, executionMsOf(execution));
};

// ---------------------------------------------------------------------------------------------------------
// 2.1 Update Prepay Configuration: GCS05

interface DayProfile {
  readonly id: number;
  readonly entries: readonly { readonly minute: number; readonly enable: boolean }[];
}

/** xs:time as minutes after UTC midnight; ZSE schedules count whole minutes, so seconds are dropped [A]. */
function minuteOfDay(node: Node, path: string): number {
  const t = text(node, path);
  const m = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/.exec(t);
  const where = `${nameOf(node)}/${path}`;
  if (m === null) throw new DuisError(where, `"${t}" is not an xs:time`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (h > 23 || min > 59 || s > 59) throw new DuisError(where, `"${t}" is not a time of day`);
  const sign = m[5]?.startsWith('-') ? -1 : 1;
  const offset = m[6] === undefined ? 0 : sign * (Number(m[6]) * 60 + Number(m[7]));
  return (((h * 60 + min - offset) % 1440) + 1440) % 1440;
}

/** GasNonDisablementDayProfile: TimeStartAction{StartTime, START|STOP} ×1..3 and GasDayName 1..5 (DUIS XSD). */
function dayProfile(node: DuisBodyElement): DayProfile {
  const actions = all(node, 'TimeStartAction');
  if (actions.length === 0 || actions.length > 3)
    throw new DuisError(`${node.name}/TimeStartAction`, `expected 1..3, got ${actions.length}`);
  return {
    id: integer(node, 'GasDayName', 1, 5),
    entries: actions.map((a) => {
      const action = text(a, 'NonDisablementAction');
      if (action !== 'START' && action !== 'STOP')
        throw new DuisError(`${a.name}/NonDisablementAction`, `"${action}" is neither START nor STOP`);
      // RTDS 2.1_GCS05: START → Friendly Credit Enable 1, STOP → 0 (00:00 START, 08:00 STOP, 18:00 START: 0000 01
      // E001 00 3804 01) [O].
      return { minute: minuteOfDay(a, 'StartTime'), enable: action === 'START' };
    }),
  };
}

/** A DUIS choice of a specified value or a wildcard, as its ZCL Date octet (0xFF = not specified, ZCL 2.6.2). */
function wildcard(
  node: Node,
  path: string,
  specified: string,
  unspecified: string,
  min: number,
  max: number,
): number {
  const choice = required(node, path);
  if (find(choice, specified) !== undefined) return integer(choice, specified, min, max);
  if (find(choice, unspecified) !== undefined) return 0xff;
  throw new DuisError(`${nameOf(node)}/${path}`, `expected sr:${specified} or sr:${unspecified}`);
}

/**
 * GasDateWithWildcards as a ZCL Date {year − 1900, month, day of month, day of week}, 0xFF where unspecified (RTDS
 * 2.1_GCS05: 2014-10-27 → 72 0A 1B FF; --01-01 → FF 01 01 FF) [O].
 */
function gasDate(node: Node, path: string): number[] {
  const date = required(node, path);
  const year = wildcard(date, 'GasYearWithWildcards', 'SpecifiedYear', 'NonSpecifiedYear', 2014, 2154);
  return [
    year === 0xff ? 0xff : year - 1900,
    wildcard(date, 'GasMonthWithWildcards', 'SpecifiedMonth', 'NonSpecifiedMonth', 1, 12),
    wildcard(date, 'GasDayOfMonthWithWildcards', 'SpecifiedDayOfMonth', 'GasNonSpecifiedDayOfMonth', 1, 31),
    wildcard(date, 'GasDayOfWeekWithWildcards', 'SpecifiedDayOfWeek', 'NonSpecifiedDayOfWeek', 1, 7),
  ];
}

function checkCount(list: readonly unknown[], where: string, min: number, max: number): void {
  if (list.length < min || list.length > max)
    throw new DuisError(where, `expected ${min}..${max} entries, got ${list.length}`);
}

function unique(ids: readonly number[], where: string): void {
  if (new Set(ids).size !== ids.length) throw new DuisError(where, `names repeat: ${ids.join(', ')}`);
}

function referenced(id: number, known: ReadonlySet<number>, where: string): number {
  if (!known.has(id)) throw new DuisError(where, `${id} names no profile defined in this calendar`);
  return id;
}

/** WeekProfile: WeekName 1..2 and seven ReferencedDayName, index 1 (Monday) .. 7, in index order (RTDS GCS05) [O]. */
function weekProfile(node: DuisBodyElement, days: ReadonlySet<number>): { id: number; days: number[] } {
  const refs = all(node, 'ReferencedDayName');
  const where = `${node.name}/ReferencedDayName`;
  if (refs.length !== 7) throw new DuisError(where, `expected 7, got ${refs.length}`);
  const byIndex = new Map<number, number>();
  for (const ref of refs) {
    const index = Number(ref.attributes?.['index']);
    if (!Number.isInteger(index) || index < 1 || index > 7 || byIndex.has(index))
      throw new DuisError(`${where}/@index`, `each index 1..7 once, got ${ref.attributes?.['index']}`);
    byIndex.set(
      index,
      referenced(integer({ name: node.name, children: [ref] }, ref.name, 1, 5), days, where),
    );
  }
  return { id: integer(node, 'WeekName', 1, 2), days: [1, 2, 3, 4, 5, 6, 7].map((i) => byIndex.get(i)!) };
}

const updatePrepayConfiguration: Transform = (input) => {
  const { body, nowMs } = input;
  if (find(body, 'UpdatePrepayConfigElectricity') !== undefined)
    throw new TransformError('E11', 'an electricity prepayment configuration for a gas meter');
  const cfg = required(body, 'UpdatePrepayConfigGas');
  const execution = executionOf(body);
  const at = zseTime(execution, body, ZSE_CANCEL);
  const calendarStart = zseTime(execution, body, ZSE_CALENDAR_CANCEL);
  const issuer = issuerEventId(nowMs);
  // RTDS 2.1_GCS05: the Issuer Calendar ID is the same timestamp as the Issuer Event ID (804A371C twice) [O].
  const calendarId = issuer;

  const calendar = required(cfg, 'GasNonDisablementCalendar');
  const dayNodes = all(required(calendar, 'DayProfiles'), 'GasNonDisablementDayProfile');
  checkCount(dayNodes, 'DayProfiles/GasNonDisablementDayProfile', 1, 5);
  const days = dayNodes.map(dayProfile);
  unique(
    days.map((d) => d.id),
    'DayProfiles/GasNonDisablementDayProfile/GasDayName',
  );
  const dayIds = new Set(days.map((d) => d.id));
  const weekNodes = all(required(calendar, 'WeekProfiles'), 'WeekProfile');
  checkCount(weekNodes, 'WeekProfiles/WeekProfile', 1, 2);
  const weeks = weekNodes.map((w) => weekProfile(w, dayIds));
  unique(
    weeks.map((w) => w.id),
    'WeekProfiles/WeekProfile/WeekName',
  );
  const weekIds = new Set(weeks.map((w) => w.id));
  const seasonNodes = all(required(calendar, 'SeasonProfiles'), 'Season');
  checkCount(seasonNodes, 'SeasonProfiles/Season', 1, 3);
  const seasons = seasonNodes.map((s) => ({
    date: gasDate(s, 'SeasonStartDate'),
    week: referenced(integer(s, 'ReferencedWeekName', 1, 2), weekIds, 'Season/ReferencedWeekName'),
  }));
  const specialNodes = all(required(calendar, 'SpecialDays'), 'SpecialDay');
  checkCount(specialNodes, 'SpecialDays/SpecialDay', 0, 20);
  const specials = specialNodes.map((s) => ({
    date: gasDate(s, 'Date'),
    day: referenced(integer(s, 'ReferencedDayName', 1, 5), dayIds, 'SpecialDay/ReferencedDayName'),
  }));

  const publish = (commandId: number, f: ZclBuilder) =>
    clusterCommand(CLUSTER.calendar, commandId, f, 'server-to-client');
  const calendarHeader = () => fields().u32(PROVIDER_ID).u32(issuer).u32(calendarId);
  const steps: Step[] = [
    // Emergency Credit Setup {Issuer Event ID, Start Time, EC Limit, EC Threshold} [O: RTDS component 1].
    clusterCommand(
      CLUSTER.prepayment,
      PREPAYMENT.emergencyCreditSetup,
      fields()
        .u32(issuer)
        .u32(at)
        .u32(uint32(cfg, 'EmergencyCreditLimit'))
        .u32(uint32(cfg, 'EmergencyCreditThreshold')),
    ),
    // Set Overall Debt Cap {Provider, Issuer Event, Implementation Time, DebtRecoveryRateCap (int32)} [O: component 2].
    clusterCommand(
      CLUSTER.prepayment,
      PREPAYMENT.setOverallDebtCap,
      fields().u32(PROVIDER_ID).u32(issuer).u32(at).i32(int32(cfg, 'DebtRecoveryRateCap')),
    ),
    // Set Low Credit Warning Level {LowCreditThreshold}, timed by the GBZ From Date Time [O: component 3].
    clusterCommand(
      CLUSTER.prepayment,
      PREPAYMENT.setLowCreditWarningLevel,
      fields().u32(uint32(cfg, 'LowCreditThreshold')),
      'client-to-server',
      at,
    ),
    // Set Maximum Credit Limit {Provider, Issuer Event, Implementation Time, Maximum Credit Level = MaxMeterBalance,
    // Maximum Credit Per Top Up = MaxCreditThreshold} [O: component 4; the RTDS values are equal, ZSE names the order].
    clusterCommand(
      CLUSTER.prepayment,
      PREPAYMENT.setMaximumCreditLimit,
      fields()
        .u32(PROVIDER_ID)
        .u32(issuer)
        .u32(at)
        .u32(uint32(cfg, 'MaxMeterBalance'))
        .u32(uint32(cfg, 'MaxCreditThreshold')),
    ),
    // Publish Calendar {Provider, Issuer Event, Issuer Calendar ID, Start Time, Calendar Type 3, Time Reference 0,
    // Name "", seasons, week profiles, day profiles} [O: component 5, 030000 020203].
    publish(
      CALENDAR.publishCalendar,
      calendarHeader()
        .u32(calendarStart)
        .u8(FRIENDLY_CREDIT_CALENDAR)
        .u8(0)
        .u8(0)
        .u8(seasons.length)
        .u8(weeks.length)
        .u8(days.length),
    ),
    // Publish Day Profile {…, Day ID, entries, Command Index 0, Commands 1, Calendar Type 3, {minute, enable}…} [O].
    ...days.map((d) => {
      const f = calendarHeader().u8(d.id).u8(d.entries.length).u8(0).u8(1).u8(FRIENDLY_CREDIT_CALENDAR);
      for (const e of d.entries) f.uint(e.minute, 2).u8(e.enable ? 1 : 0);
      return publish(CALENDAR.publishDayProfile, f);
    }),
    // Publish Week Profile {…, Week ID, day IDs Monday..Sunday} [O: components 9, 10].
    ...weeks.map((w) => {
      const f = calendarHeader().u8(w.id);
      for (const d of w.days) f.u8(d);
      return publish(CALENDAR.publishWeekProfile, f);
    }),
    // Publish Seasons {…, Command Index 0, Commands 1, {date, week ID}…} [O: component 11].
    (() => {
      const f = calendarHeader().u8(0).u8(1);
      for (const s of seasons) f.u8(s.date[0]!).u8(s.date[1]!).u8(s.date[2]!).u8(s.date[3]!).u8(s.week);
      return publish(CALENDAR.publishSeasons, f);
    })(),
    // Publish Special Days {…, Start Time, Calendar Type 3, count, Command Index 0, Commands 1, {date, day ID}…} [O].
    (() => {
      const f = calendarHeader()
        .u32(calendarStart)
        .u8(FRIENDLY_CREDIT_CALENDAR)
        .u8(specials.length)
        .u8(0)
        .u8(1);
      for (const s of specials) f.u8(s.date[0]!).u8(s.date[1]!).u8(s.date[2]!).u8(s.date[3]!).u8(s.day);
      return publish(CALENDAR.publishSpecialDays, f);
    })(),
  ];
  return draftFor(input, 'GCS05', gbz(steps), executionMsOf(execution));
};

// ---------------------------------------------------------------------------------------------------------
// 2.2 Top Up Device (CS01b), 2.3 Update Debt (GCS04), 2.5 Activate Emergency Credit (GCS06)

/** Consumer Top Up {Originating Device 0x00, UTRN as a 20-octet ZCL octet string} (RTDS 2.2_CS01b: 00 14 3733…) [O]. */
const topUp: Transform = (input) => {
  const { utrn } = topUpDevice.decode(input.body);
  const f = fields().u8(0x00).u8(utrn.length);
  for (const c of utrn) f.u8(c.charCodeAt(0));
  return draftFor(input, 'CS01b', gbz([clusterCommand(CLUSTER.prepayment, PREPAYMENT.consumerTopUp, f)]));
};

/** Debt Recovery Frequency: HOURLY 0, DAILY 1 (RTDS 2.3_GCS04; gbcs-parser src/zigbee.ts) [O]. */
const RECOVERY_FREQUENCY: Readonly<Record<string, number>> = { HOURLY: 0, DAILY: 1 };

/**
 * Change Debt {Issuer Event ID, Debt Label "", Debt Amount (int32), Recovery Method, Amount Type, Recovery Start Time 0,
 * Collection Time 0, Frequency, Recovery Amount (int32), Balance Percentage (uint16)} (ZSE D.7.2.3.3) [O: RTDS].
 */
function changeDebt(
  issuer: number,
  amount: number,
  method: number,
  amountType: number,
  frequency: number,
  recoveryAmount: number,
  percentage: number,
): Step {
  return clusterCommand(
    CLUSTER.prepayment,
    PREPAYMENT.changeDebt,
    fields()
      .u32(issuer)
      .u8(0)
      .i32(amount)
      .u8(method)
      .u8(amountType)
      .u32(0)
      .uint(0, 2)
      .u8(frequency)
      .i32(recoveryAmount)
      .uint(percentage, 2),
  );
}

function gasDebtRecovery(body: Node, path: string): { rate: number; frequency: number } {
  const node = required(body, path);
  const period = text(node, 'DebtRecoveryRatePeriod');
  const frequency = RECOVERY_FREQUENCY[period];
  if (frequency === undefined)
    throw new DuisError(`${path}/DebtRecoveryRatePeriod`, `"${period}" is neither HOURLY nor DAILY`);
  return { rate: int32(node, 'DebtRecoveryRate'), frequency };
}

/**
 * GCS04: one Change Debt per register, as increments (amount types 1, 3, 5), as RTDS 2.3_GCS04 sends all three: time
 * debt 1 and 2 (method 0, time-based; GasDebtRecovery1/2 rate and period), payment debt (method 1, frequency 1,
 * recovery amount 0, balance percentage DebtRecoveryPerPayment in 0.01 %: 100 → 0x0064) [O].
 */
const updateDebt: Transform = (input) => {
  const { body } = input;
  if (find(body, 'ElecDebtRecovery1') !== undefined)
    throw new TransformError('E11', 'electricity debt recovery for a gas meter');
  const issuer = issuerEventId(input.nowMs);
  const r1 = gasDebtRecovery(body, 'GasDebtRecovery1');
  const r2 = gasDebtRecovery(body, 'GasDebtRecovery2');
  const payload = gbz([
    changeDebt(issuer, int32(body, 'TimeDebtRegister1'), 0, 1, r1.frequency, r1.rate, 0),
    changeDebt(issuer, int32(body, 'TimeDebtRegister2'), 0, 3, r2.frequency, r2.rate, 0),
    changeDebt(
      issuer,
      int32(body, 'PaymentDebtRegister'),
      1,
      5,
      1,
      0,
      integer(body, 'DebtRecoveryPerPayment', 0, 10000),
    ),
  ]);
  return draftFor(input, 'GCS04', payload);
};

/** Select Available Emergency Credit {Command Issue Date/Time 0, Originating Device 0} (RTDS 2.5_GCS06: 0000000000) [O]. */
const activateEmergencyCredit: Transform = (input) =>
  draftFor(
    input,
    'GCS06',
    gbz([
      clusterCommand(CLUSTER.prepayment, PREPAYMENT.selectAvailableEmergencyCredit, fields().u32(0).u8(0x00)),
    ]),
  );

// ---------------------------------------------------------------------------------------------------------
// Reads (4.1.1, 4.1.2, 4.13, 4.18, 7.4, 11.2): Read Attributes and Calendar gets, no body fields but ExecutionDateTime

function read(useCaseFor: (input: TransformInput) => string, steps: () => readonly Step[]): Transform {
  return (input) => draftFor(input, useCaseFor(input), gbz(steps()), executionMsOf(executionOf(input.body)));
}

/**
 * GCS13a Read GSME Consumption Register: Metering Read Attributes Divisor, Multiplier, Unit of Measure and
 * CurrentSummationDelivered — GCS13c's order (RTDS 4.1.2_GCS13c: 0x0302, 0x0301, 0x0300, tiers) with the total
 * register for the tiers [A: the RTDS 4.1.1_GCS13a folder is not in this copy]. Sent to the GSME or its GPF, as the
 * request targets (templates GCS13a_4.1.1_SUCCESS_RELIABLE_GPF → 00-DB-…-A3, _UNRELIABLE → …-A1) [O].
 */
const gcs13aRead = (): Step[] => [readAttributes(CLUSTER.metering, [0x0302, 0x0301, 0x0300, 0x0000])];

/**
 * GCS13c Read GSME Register (TOU): Metering Read Attributes Divisor, Multiplier, Unit of Measure and
 * CurrentTier1..4SummationDelivered (RTDS 4.1.2_GCS13c, to the GSME …-A1 and the GPF …-A3 alike) [O].
 */
const gcs13cRead = (): Step[] => [
  readAttributes(CLUSTER.metering, [0x0302, 0x0301, 0x0300, 0x0100, 0x0102, 0x0104, 0x0106]),
];

/**
 * GCS21b Read GSME Configuration Data Prepayment (RTDS 4.13_GCS21b) [O]: Prepayment attributes (debt recovery top-up
 * percentage 3, overall debt cap, recovery frequencies 1/2, cut off value, EC limit/threshold, low credit warning, max
 * credit limit/per top-up, recovery amounts 1/2), Price Trailing Digit, and the friendly credit calendar in force.
 */
const gcs21bRead = (): Step[] => [
  readAttributes(
    CLUSTER.prepayment,
    [0x0239, 0x0006, 0x0216, 0x0226, 0x0040, 0x0010, 0x0011, 0x0031, 0x0021, 0x0022, 0x0217, 0x0227],
  ),
  readAttributes(CLUSTER.price, [0x0617]),
  // Get Day / Week Profiles {Provider 0, Issuer Calendar ID 0xFFFFFFFE, Start ID 1, Number 0 = all} [O].
  clusterCommand(
    CLUSTER.calendar,
    CALENDAR.getDayProfiles,
    fields().u32(PROVIDER_ID).u32(CURRENT_CALENDAR).u8(1).u8(0),
  ),
  clusterCommand(
    CLUSTER.calendar,
    CALENDAR.getWeekProfiles,
    fields().u32(PROVIDER_ID).u32(CURRENT_CALENDAR).u8(1).u8(0),
  ),
  clusterCommand(CLUSTER.calendar, CALENDAR.getSeasons, fields().u32(PROVIDER_ID).u32(CURRENT_CALENDAR)),
  // Get Special Days {Start Time 0, Number of Events 0, Calendar Type 3, Provider 0, Issuer Calendar ID} [O].
  clusterCommand(
    CLUSTER.calendar,
    CALENDAR.getSpecialDays,
    fields().u32(0).u8(0).u8(FRIENDLY_CREDIT_CALENDAR).u32(PROVIDER_ID).u32(CURRENT_CALENDAR),
  ),
];

/** GCS60 / GCS60a: Metering Bill To Date Delivered (0x0A00), Prepayment Credit Remaining (0x0001) (RTDS 4.18) [O]. */
const meterBalanceRead = (): Step[] => [
  readAttributes(CLUSTER.metering, [0x0a00]),
  readAttributes(CLUSTER.prepayment, [0x0001]),
];

/** GCS33: Metering Remaining Battery Life in Days (0x0205) and Supply Status (0x0014) (RTDS 7.4_GCS33) [O]. */
const supplyStatusRead = (): Step[] => [readAttributes(CLUSTER.metering, [0x0205, 0x0014])];

/**
 * GCS38: OTA Upgrade cluster CurrentFileVersion (0x0002), the running image's version (ZCL 11.10.2.3) [A: no RTDS
 * 11.2_GCS38 folder in this copy; the GSME and GPF actors answer this attribute].
 */
const firmwareVersionRead = (): Step[] => [readAttributes(CLUSTER.otaUpgrade, [0x0002])];

// ---------------------------------------------------------------------------------------------------------
// 7.2 / 7.3 supply: GCS32 close the valve, GCS39 arm it

/**
 * Change Supply {Provider 0, Issuer Event ID, Request Date/Time 0, Implementation Date/Time 0, Proposed Supply
 * Status, Supply Control Bits 0x01} (RTDS 7.2_GCS32 …00 01, 7.3_GCS39 …01 01) [O].
 */
function changeSupply(useCase: string, proposed: number): Transform {
  return (input) =>
    draftFor(
      input,
      useCase,
      gbz([
        clusterCommand(
          CLUSTER.metering,
          CHANGE_SUPPLY,
          fields().u32(PROVIDER_ID).u32(issuerEventId(input.nowMs)).u32(0).u32(0).u8(proposed).u8(0x01),
        ),
      ]),
    );
}

// ---------------------------------------------------------------------------------------------------------
// 8.1.1 Commission Device (and 6.11 Synchronise Clock): GCS28

/**
 * GCS28 setTimeCommand {validityIntervalStart = CurrentDateTime, validityIntervalEnd = CurrentDateTime +
 * TolerancePeriod seconds}: templates GCS28_6.11 / GCS28Commission_8.1.1 (2014-12-31T23:30:00Z, 3600) against RTDS
 * 6.11_GCS28 (20141231233000Z, 20150101003000Z) [O]. Whole seconds.
 */
export const synchroniseClock: Transform = (input) => {
  const { body } = input;
  const current = dateTimeMs(body, 'CurrentDateTime');
  const tolerance = integer(body, 'TolerancePeriod', 0, 86_400);
  const end = current + tolerance * 1000;
  if (current < ZIGBEE_EPOCH_MS || end >= Date.UTC(10_000, 0, 1))
    throw new DuisError(`${nameOf(body)}/CurrentDateTime`, 'outside 2000 .. 9999');
  const payload = asn1Response({
    kind: 'setTimeCommand',
    validityIntervalStart: generalizedTimeAt(current),
    validityIntervalEnd: generalizedTimeAt(end),
  });
  return draftFor(input, 'GCS28', payload);
};

// ---------------------------------------------------------------------------------------------------------
// 11.3 Activate Firmware (CS06: the GSME here, the HCALCS in hub.ts) and the originator's counter

/**
 * The counter of the command's originator, for payload fields that follow it (DLMS invoke-id). The ACB originates
 * every command to a CHF on the User's behalf with its own counter, and the invoke-id follows the ACB's, not the
 * User's: RTDS 8.11_CCS01 SUCCESS carries invoke-id 0x20000516 = ACB counter 1302 while the User's (Supplementary
 * Remote Party) counter is 1002; likewise 8.11_CCS02, 8.12.1_CCS03, 8.9_CCS05CCS04 and 8.9_CCS07 [O]. The contract's
 * `counter` is the User's; until the pipeline supplies the ACB's as `originatorCounter`, the User's stands in.
 */
export function originatorCounter(input: TransformInput): bigint {
  return input.originatorCounter ?? input.counter;
}

/** The GeneralizedTime that cancels a pending activation (RTDS 11.3_CS06 CANCELLATION: 99991231235959Z) [O]. */
const CANCEL_EXECUTION_TIME = '99991231235959Z';

/**
 * 11.3 → CS06 {manufacturerImageHash = FirmwareHash, originatorCounter = the command's counter, executionDateTime}
 * (RTDS 11.3_CS06: counter 1000 in the payload of the command with counter 1000; FUTURE_DATED 2030-01-15T09:00:00Z →
 * 20300115090000Z; CANCELLATION 3000-12-31 → 99991231235959Z; IMMEDIATE without it) [O]. Used for the GSME and HCALCS.
 */
export const activateFirmware: Transform = (input) => {
  const body = input.body;
  const hash = parseHexBinary(text(body, 'FirmwareHash'), `${body.element}/FirmwareHash`, 32, 32);
  const execution = executionOf(body);
  let executionDateTime: string | undefined;
  if (execution.kind === 'cancel') executionDateTime = CANCEL_EXECUTION_TIME;
  else if (execution.kind === 'at') {
    if (execution.ms < Date.UTC(1950, 0, 1) || execution.ms >= CANCELLATION_MS)
      throw new DuisError(`${body.element}/ExecutionDateTime`, 'outside 1950 .. 3000');
    executionDateTime = generalizedTimeAt(execution.ms);
  }
  const payload = asn1Response({
    kind: 'activateFirmwareCommand',
    manufacturerImageHash: hash,
    originatorCounter: originatorCounter(input),
    ...(executionDateTime !== undefined && { executionDateTime }),
  });
  return draftFor(input, 'CS06', payload, executionMsOf(execution));
};

// ---------------------------------------------------------------------------------------------------------
// The registry rows

const GSME: readonly SmiDeviceType[] = ['GSME'];
const GSME_OR_GPF: readonly SmiDeviceType[] = ['GSME', 'GPF'];

const entry = (
  srv: string,
  useCase: string,
  transform: Transform,
  deviceTypes: readonly SmiDeviceType[] = GSME,
): TransformEntry => ({ srv, deviceTypes, useCase, transform });

/** The gas transforms: GSME targets, and the GPF where the use case reads it (4.1.1, 4.1.2, 4.18). */
export const GAS_TRANSFORMS: readonly TransformEntry[] = [
  entry('1.6', 'GCS02/GCS03', updatePaymentMode),
  entry('2.1', 'GCS05', updatePrepayConfiguration),
  entry('2.2', 'CS01b', topUp),
  entry('2.3', 'GCS04', updateDebt),
  entry('2.5', 'GCS06', activateEmergencyCredit),
  entry(
    '4.1.1',
    'GCS13a',
    read(() => 'GCS13a', gcs13aRead),
    GSME_OR_GPF,
  ),
  // RTDS 4.1.2_GCS13c: the same command to the GSME or its GPF, as the request targets [O].
  entry(
    '4.1.2',
    'GCS13c',
    read(() => 'GCS13c', gcs13cRead),
    GSME_OR_GPF,
  ),
  entry(
    '4.13',
    'GCS21b',
    read(() => 'GCS21b', gcs21bRead),
  ),
  // RTDS 4.18: GCS60 to the GSME (…-A1), GCS60a to the GPF (…-A3; templates GCS60a_4.18_* target the GPF) [O].
  entry(
    '4.18',
    'GCS60/GCS60a',
    read((input) => (input.target.deviceType === 'GPF' ? 'GCS60a' : 'GCS60'), meterBalanceRead),
    GSME_OR_GPF,
  ),
  entry('7.2', 'GCS32', changeSupply('GCS32', SUPPLY_STATUS.off)),
  entry('7.3', 'GCS39', changeSupply('GCS39', SUPPLY_STATUS.armed)),
  entry(
    '7.4',
    'GCS33',
    read(() => 'GCS33', supplyStatusRead),
  ),
  entry('8.1.1', 'GCS28', synchroniseClock),
  entry(
    '11.2',
    'GCS38',
    read(() => 'GCS38', firmwareVersionRead),
  ),
  entry('11.3', 'CS06', activateFirmware),
];
