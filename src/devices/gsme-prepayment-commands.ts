// The GSME's prepayment configuration use cases (GBCS GCS02/03 payment mode, GCS04 debt, GCS05 prepayment
// configuration, GCS06 emergency credit): each ZSE command component is read, recorded (now or future-dated) and
// answered in the shape of the RTDS 4.5.0 SUCCESS response [O]. Field layouts are the ZSE 1.4 Prepayment and
// Calendar cluster commands, checked against the RTDS command bytes [O]. Debt balances and emergency credit go to the
// prepayment engine's ledger (src/prepayment/ledger.ts).
import type { GbzComponent } from '../codec/gbcs/gbz/index.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import {
  grantEmergencyCredit as grantLedgerEmergencyCredit,
  takeEmergencyCredit,
  type Ledger,
} from '../prepayment/ledger.js';
import { deviceTime, type CommandHandler, type CommandResult } from './device.js';
import { GSME_PREPAYMENT_CODES, gsmeLogged, gsmeSettings } from './gsme-account.js';
import { requestChanges, timingOf, type ChangeRequest } from './gsme-prepayment.js';
import type {
  CalendarDate,
  CalendarDay,
  CalendarWeek,
  DebtRecovery,
  GsmeState,
  PaymentMode,
  PrepaymentChange,
} from './gsme-state.js';
import {
  answerEach,
  CLUSTER,
  clusterResponseTo,
  commandComponents,
  defaultResponseTo,
  gbzComponents,
  isClusterCommand,
  rawFields,
  responseDateTime,
  soleClusterCommand,
  ZCL_STATUS,
  ZclBuilder,
  type ComponentDraft,
  type ZclFields,
} from './zcl.js';
import type { Accepted } from './security.js';
import type { Effect } from './types.js';

/** ZSE Prepayment cluster commands received (client → server) and sent (ZSE D.7.2.3/4). */
const PREPAYMENT_CMD = {
  selectAvailableEmergencyCredit: 0x00,
  changeDebt: 0x02,
  emergencyCreditSetup: 0x03,
  changePaymentMode: 0x06,
  setLowCreditWarningLevel: 0x09,
  setMaximumCreditLimit: 0x0b,
  setOverallDebtCap: 0x0c,
  changePaymentModeResponse: 0x02,
} as const;

/** ZSE Calendar cluster commands (server → client) GCS05 publishes the non-disablement calendar with. */
const CALENDAR_CMD = {
  publishCalendar: 0x00,
  publishDayProfile: 0x01,
  publishWeekProfile: 0x02,
  publishSeasons: 0x03,
  publishSpecialDays: 0x04,
} as const;

/** Every component answered with the same status: for a command the GSME cannot read. */
function answerAll(state: GsmeState, command: Accepted, status: number): CommandResult<GsmeState> {
  const components = commandComponents(command) ?? [];
  if (components.length === 0) return { state, payload: null, effects: [noteUnreadable(state, command)] };
  return { state, payload: answerEach(command, status) };
}

function noteUnreadable(state: GsmeState, command: Accepted) {
  return {
    kind: 'note',
    text: `GSME ${state.eui}: ${command.info.useCase ?? command.info.name} carries no GBZ components`,
  } as const;
}

/** The answer to recorded changes: the mirror marked stale, a header date-time from the device clock [O: RTDS]. */
function recorded(
  state: GsmeState,
  requested: { state: GsmeState; effects: readonly Effect[] },
  payload: GbcsPayload,
  now: number,
): CommandResult<GsmeState> {
  return {
    state: { ...requested.state, mirrorStale: true },
    payload,
    responseDateTime: responseDateTime(deviceTime(state, now)),
    effects: requested.effects,
  };
}

function pendingRecord(command: Accepted, c: GbzComponent): ChangeRequest['pending'] {
  const h = command.parsed.message.header;
  return {
    messageCode: h.messageCode,
    originator: h.originator,
    counter: h.originatorCounter,
    clusterId: c.clusterId,
    commandId: c.header.commandId,
  };
}

// ---------------------------------------------------------------------------------------------------------
// GCS02 / GCS03: Change Payment Mode

/**
 * GCS02 (credit) and GCS03 (prepayment): Change Payment Mode {Provider ID, Issuer Event ID, Implementation
 * Date/Time, Proposed Payment Control Configuration (map16), Cut Off Value (int32)}; the message code decides the
 * mode [A]. Answered by Change Payment Mode Response {Friendly Credit, Calendar ID, EC Limit, EC Threshold}, "no
 * default response" set, with a date-time in the header (RTDS 1.6_GCS02) [O].
 */
export function changePaymentMode(mode: PaymentMode): CommandHandler<GsmeState> {
  return (state, command, now) => {
    const c = soleClusterCommand(command, CLUSTER.prepayment, PREPAYMENT_CMD.changePaymentMode);
    if (c === undefined) return answerAll(state, command, ZCL_STATUS.unsupportedClusterCommand);
    const f = rawFields(c);
    const at = f?.u32(8);
    const paymentControl = f?.u16(12);
    const cutOff = f?.i32(14);
    if (at === undefined || paymentControl === undefined || cutOff === undefined)
      return answerAll(state, command, ZCL_STATUS.malformedCommand);
    const change: PrepaymentChange = { kind: 'payment-mode', mode, paymentControl, cutOff };
    const requested = requestChanges(state, [
      { change, timing: timingOf(at, state, now), pending: pendingRecord(command, c) },
    ]);
    const p = requested.state.prepayment;
    const response = new ZclBuilder()
      .u8(p.nonDisablementCalendar !== 0 ? 0x01 : 0x00)
      .u32(p.nonDisablementCalendar)
      .u32(p.emergencyCreditLimit)
      .u32(p.emergencyCreditThreshold)
      .finish();
    const payload = gbzComponents([
      clusterResponseTo(c, PREPAYMENT_CMD.changePaymentModeResponse, response, true),
    ]);
    return recorded(state, requested, payload, now);
  };
}

// ---------------------------------------------------------------------------------------------------------
// GCS04: Change Debt

/** The ledger with debt register `register` (0, 1: time debts; 2: the payment debt) at `amount`. */
function withDebt(l: Ledger, register: number, amount: number): Ledger {
  if (register === 2) return { ...l, paymentDebt: amount };
  const timeDebts: [number, number] = [l.timeDebts[0], l.timeDebts[1]];
  timeDebts[register] = amount;
  return { ...l, timeDebts };
}

/** Debt register `register` of the ledger (registers 1–3 at 0–2). */
function debtOf(l: Ledger, register: number): number {
  return register === 2 ? l.paymentDebt : l.timeDebts[register === 0 ? 0 : 1];
}

/**
 * GCS04: one Change Debt per debt register {Issuer Event ID, Debt Label (octstr), Debt Amount (int32), Recovery
 * Method, Amount Type, Recovery Start Time, Collection Time (uint16), Frequency, Recovery Amount (int32), Balance
 * Percentage (uint16)}. Amount type 0–5: register 1–3, even absolute, odd incremental (ZSE D.7.2.3.3). Each
 * component is answered by its own Default Response (RTDS 2.3_GCS04) [O]. Registers 1 and 2 are the ledger's time
 * debts, register 3 its payment debt (the 2.3 transform's layout, dcc/transform/gas.ts) [O: RTDS 2.3_GCS04].
 */
export const manageDebt: CommandHandler<GsmeState> = (state, command) => {
  const components = commandComponents(command);
  if (components === undefined || components.length === 0)
    return { state, payload: null, effects: [noteUnreadable(state, command)] };
  let p = state.prepayment;
  const answers = components.map((c): ComponentDraft => {
    if (!isClusterCommand(c, CLUSTER.prepayment, PREPAYMENT_CMD.changeDebt))
      return defaultResponseTo(c, ZCL_STATUS.unsupportedClusterCommand);
    const f = rawFields(c);
    const label = f?.u8(4);
    if (f === undefined || label === undefined || f.length < 5 + label + 19)
      return defaultResponseTo(c, ZCL_STATUS.malformedCommand);
    const at = 5 + label;
    const amount = f.i32(at)!;
    const type = f.u8(at + 5)!;
    if (type > 5 || amount < 0) return defaultResponseTo(c, ZCL_STATUS.invalidValue);
    const register = type >> 1;
    const ledger = withDebt(p.ledger, register, type & 1 ? debtOf(p.ledger, register) + amount : amount);
    const recovery: DebtRecovery = [f.u8(at + 4)!, f.u8(at + 12)!, f.i32(at + 13)!, f.u16(at + 17)!];
    const debtRecovery = [...p.debtRecovery];
    while (debtRecovery.length < register) debtRecovery.push([0, 0, 0, 0]);
    debtRecovery[register] = recovery;
    p = { ...p, ledger, debtRecovery };
    return defaultResponseTo(c, ZCL_STATUS.success);
  });
  return { state: { ...state, prepayment: p, mirrorStale: true }, payload: gbzComponents(answers) };
};

// ---------------------------------------------------------------------------------------------------------
// GCS05: Update Prepayment Configurations

/** A day, week or season profile of a published calendar, for the Publish Calendar of the same Issuer Calendar ID. */
type CalendarPart =
  | { readonly calendarId: number; readonly day: CalendarDay }
  | { readonly calendarId: number; readonly week: CalendarWeek }
  | { readonly calendarId: number; readonly seasons: readonly CalendarDate[] };

/** What one GCS05 component asks: a change and the ZigBee time it takes effect, a calendar part, or a ZCL status. */
type ConfigurationRead = { change: PrepaymentChange; at: number } | { part: CalendarPart } | number;

/** Calendar header of the Publish commands: {Provider ID, Issuer Event ID, Issuer Calendar ID} (ZSE D.9.2.4) [O]. */
const CALENDAR_HEADER = 12;

/** `n` entries of {ZCL Date (4 octets), reference ID} from `at` (Publish Seasons / Special Days, RTDS 2.1_GCS05) [O]. */
function datedEntries(f: ZclFields, at: number, n: number): CalendarDate[] {
  const entries: CalendarDate[] = [];
  for (let i = 0; i < n; i++) {
    const o = at + 5 * i;
    entries.push({ date: [f.u8(o)!, f.u8(o + 1)!, f.u8(o + 2)!, f.u8(o + 3)!], ref: f.u8(o + 4)! });
  }
  return entries;
}

/**
 * Publish Day Profile {header, Day ID, Total Number of Schedule Entries, Command Index, Total Number of Commands,
 * Calendar Type, {Start Time (uint16 minutes), Friendly Credit Enable}…} (RTDS 2.1_GCS05: 01 03 00 01 03 000001
 * E00100 380401) [O]; a profile without entries may end before its Calendar Type [A].
 */
function dayProfile(f: ZclFields): CalendarPart | number {
  const count = f.u8(CALENDAR_HEADER + 1);
  if (count === undefined || f.length < (count === 0 ? 16 : 17 + 3 * count))
    return ZCL_STATUS.malformedCommand;
  const entries = Array.from({ length: count }, (_, i) => [f.u16(17 + 3 * i)!, f.u8(19 + 3 * i)!] as const);
  return { calendarId: f.u32(8)!, day: { id: f.u8(CALENDAR_HEADER)!, entries } };
}

/**
 * One GCS05 component as a change and the ZigBee time it takes effect, a calendar part, or a ZCL status. Layouts
 * (ZSE 1.4) and where the implementation time sits, as RTDS 2.1_GCS05 shows them [O]: Emergency Credit Setup
 * {Issuer Event ID, Start Time, EC Limit, EC Threshold}; Set Overall Debt Cap {Provider, Issuer Event,
 * Implementation Time, Cap}; Set Low Credit Warning Level {Level} timed by the component's From Date Time; Set
 * Maximum Credit Limit {Provider, Issuer Event, Implementation Time, Maximum Credit Level, Maximum Credit Per Top
 * Up}; Publish Calendar and Publish Special Days {Provider, Issuer Event, Issuer Calendar ID, Start Time, …}. Day,
 * week and season profiles are parts of the calendar published with them, recorded when it takes effect [A].
 */
function configurationChange(c: GbzComponent): ConfigurationRead {
  const f = rawFields(c);
  if (f === undefined || c.header.frameType !== 'cluster-specific')
    return ZCL_STATUS.unsupportedClusterCommand;
  const cmd = c.header.commandId;
  const need = (n: number) => f.length >= n;
  if (c.clusterId === CLUSTER.prepayment) {
    switch (cmd) {
      case PREPAYMENT_CMD.emergencyCreditSetup:
        if (!need(16)) return ZCL_STATUS.malformedCommand;
        return {
          change: { kind: 'emergency-credit', limit: f.u32(8)!, threshold: f.u32(12)! },
          at: f.u32(4)!,
        };
      case PREPAYMENT_CMD.setOverallDebtCap:
        if (!need(16)) return ZCL_STATUS.malformedCommand;
        return { change: { kind: 'debt-cap', cap: f.i32(12)! }, at: f.u32(8)! };
      case PREPAYMENT_CMD.setLowCreditWarningLevel:
        if (!need(4)) return ZCL_STATUS.malformedCommand;
        return {
          change: { kind: 'low-credit', level: f.u32(0)! },
          at: (!c.encrypted && c.fromDateTime) || 0,
        };
      case PREPAYMENT_CMD.setMaximumCreditLimit:
        if (!need(20)) return ZCL_STATUS.malformedCommand;
        return { change: { kind: 'max-credit', limit: f.u32(12)!, perTopUp: f.u32(16)! }, at: f.u32(8)! };
    }
    return ZCL_STATUS.unsupportedClusterCommand;
  }
  if (c.clusterId === CLUSTER.calendar) {
    switch (cmd) {
      case CALENDAR_CMD.publishCalendar: {
        if (!need(16)) return ZCL_STATUS.malformedCommand;
        const profiles = {
          providerId: f.u32(0)!,
          issuerEventId: f.u32(4)!,
          days: [],
          weeks: [],
          seasons: [],
        };
        return { change: { kind: 'calendar', calendarId: f.u32(8)!, ...profiles }, at: f.u32(12)! };
      }
      case CALENDAR_CMD.publishSpecialDays: {
        if (!need(18)) return ZCL_STATUS.malformedCommand;
        // {…, Start Time, Calendar Type, Total Number of Special Days, Command Index, Total Number of Commands,
        // {Date, Day ID}…} (RTDS 2.1_GCS05: 00000000 03 04 00 01 730405FF01 …) [O].
        const n = Math.max(0, Math.floor((f.length - 20) / 5));
        if (f.length > 20 && f.length !== 20 + 5 * n) return ZCL_STATUS.malformedCommand;
        const entries = datedEntries(f, 20, n);
        return { change: { kind: 'special-days', count: f.u8(17)!, entries }, at: f.u32(12)! };
      }
      case CALENDAR_CMD.publishDayProfile: {
        const part = dayProfile(f);
        return typeof part === 'number' ? part : { part };
      }
      case CALENDAR_CMD.publishWeekProfile:
        // {…, Week ID, Day IDs Monday .. Sunday} (RTDS 2.1_GCS05: 01 01010101010303) [O].
        if (!need(20)) return ZCL_STATUS.malformedCommand;
        return {
          part: {
            calendarId: f.u32(8)!,
            week: { id: f.u8(12)!, days: Array.from({ length: 7 }, (_, i) => f.u8(13 + i)!) },
          },
        };
      case CALENDAR_CMD.publishSeasons: {
        // {…, Command Index, Total Number of Commands, {Season Start Date, Week ID}…} (RTDS 2.1_GCS05) [O].
        const n = Math.floor((f.length - 14) / 5);
        if (!need(14) || f.length !== 14 + 5 * n) return ZCL_STATUS.malformedCommand;
        return { part: { calendarId: f.u32(8)!, seasons: datedEntries(f, 14, n) } };
      }
    }
  }
  return ZCL_STATUS.unsupportedClusterCommand;
}

/**
 * The calendar change with the profiles published with it (same Issuer Calendar ID); a later profile of the same
 * ID replaces an earlier one, seasons of several Publish Seasons add up [A]. Parts for another calendar are
 * accepted without a record [A].
 */
function withParts(change: PrepaymentChange, parts: readonly CalendarPart[]): PrepaymentChange {
  if (change.kind !== 'calendar') return change;
  const days = new Map<number, CalendarDay>();
  const weeks = new Map<number, CalendarWeek>();
  const seasons: CalendarDate[] = [];
  for (const p of parts) {
    if (p.calendarId !== change.calendarId) continue;
    if ('day' in p) days.set(p.day.id, p.day);
    else if ('week' in p) weeks.set(p.week.id, p.week);
    else seasons.push(...p.seasons);
  }
  return { ...change, days: [...days.values()], weeks: [...weeks.values()], seasons };
}

/** GCS05: each component recorded now, future-dated or cancelled, answered by its Default Response (RTDS) [O]. */
export const updatePrepaymentConfiguration: CommandHandler<GsmeState> = (state, command, now) => {
  const components = commandComponents(command);
  if (components === undefined || components.length === 0)
    return { state, payload: null, effects: [noteUnreadable(state, command)] };
  const requests: ChangeRequest[] = [];
  const parts: CalendarPart[] = [];
  const answers = components.map((c): ComponentDraft => {
    const read = configurationChange(c);
    if (typeof read === 'number') return defaultResponseTo(c, read);
    if ('part' in read) parts.push(read.part);
    else
      requests.push({
        change: read.change,
        timing: timingOf(read.at, state, now),
        pending: pendingRecord(command, c),
      });
    return defaultResponseTo(c, ZCL_STATUS.success);
  });
  const complete = requests.map((r) => ({ ...r, change: withParts(r.change, parts) }));
  return recorded(state, requestChanges(state, complete), gbzComponents(answers), now);
};

// ---------------------------------------------------------------------------------------------------------
// GCS06: Activate Emergency Credit Remotely

/**
 * GCS06: Select Available Emergency Credit {Command Issue Date/Time, Originating Device}: the supplier's SR 2.5
 * grants emergency credit whenever none is in use [A] (the consumer only while it is on offer). Taken, it answers
 * SUCCESS (RTDS 2.5_GCS06) [O]; otherwise FAILURE [A].
 */
export const activateEmergencyCredit: CommandHandler<GsmeState> = (state, command, now) => {
  const c = soleClusterCommand(command, CLUSTER.prepayment, PREPAYMENT_CMD.selectAvailableEmergencyCredit);
  if (c === undefined) return answerAll(state, command, ZCL_STATUS.unsupportedClusterCommand);
  const taken = grantEmergencyCredit(state, now, 'supplier');
  return {
    state: taken ?? state,
    payload: answerEach(command, taken ? ZCL_STATUS.success : ZCL_STATUS.failure),
    effects: [
      {
        kind: 'note',
        text: `GSME ${state.eui}: GCS06 ${taken ? 'emergency credit activated' : 'refused: no emergency credit to grant'}`,
      },
    ],
  };
};

/**
 * The state with emergency credit activated, logging 0x81AB Emergency Credit Activated [O: code], or undefined when
 * it is not. The consumer (at the meter, or from the PPMID: PCS02) takes it only while it is on offer: prepayment
 * mode, none in use, the meter balance at or below the emergency credit threshold (domain brief §7). The supplier
 * (GCS06) grants it whenever none is in use, in prepayment mode with a limit set [A]. Newly activated, the whole limit
 * is there to use.
 */
export function grantEmergencyCredit(
  state: GsmeState,
  now: number,
  by: 'consumer' | 'supplier',
): GsmeState | undefined {
  const p = state.prepayment;
  const settings = gsmeSettings(p);
  const l = p.ledger;
  const ledger =
    by === 'consumer'
      ? takeEmergencyCredit(l, settings)
      : settings.prepayment && settings.emergencyCreditLimit > 0 && !l.emergencyCreditActive
        ? grantLedgerEmergencyCredit(l, settings.emergencyCreditLimit)
        : undefined;
  if (ledger === undefined) return undefined;
  const next: GsmeState = { ...state, mirrorStale: true, prepayment: { ...p, ledger } };
  return gsmeLogged(next, GSME_PREPAYMENT_CODES.emergencyCreditActivated, now);
}
