// The GSME's prepayment configuration use cases (GBCS GCS02/03 payment mode, GCS04 debt, GCS05 prepayment
// configuration, GCS06 emergency credit): each ZSE command component is read, recorded (now or future-dated) and
// answered in the shape of the RTDS 4.5.0 SUCCESS response [O]. Field layouts are the ZSE 1.4 Prepayment and
// Calendar cluster commands, checked against the RTDS command bytes [O].
import type { GbzComponent } from '../codec/gbcs/gbz/index.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import { deviceTime, type CommandHandler, type CommandResult } from './device.js';
import { requestChanges, timingOf, type ChangeRequest } from './gsme-prepayment.js';
import type { DebtRecovery, GsmeState, PaymentMode, PrepaymentChange } from './gsme-state.js';
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

/**
 * GCS04: one Change Debt per debt register {Issuer Event ID, Debt Label (octstr), Debt Amount (int32), Recovery
 * Method, Amount Type, Recovery Start Time, Collection Time (uint16), Frequency, Recovery Amount (int32), Balance
 * Percentage (uint16)}. Amount type 0–5: register 1–3, even absolute, odd incremental (ZSE D.7.2.3.3). Each
 * component is answered by its own Default Response (RTDS 2.3_GCS04) [O].
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
    const debts = [...p.debts];
    debts[register] = type & 1 ? debts[register]! + amount : amount;
    const recovery: DebtRecovery = [f.u8(at + 4)!, f.u8(at + 12)!, f.i32(at + 13)!, f.u16(at + 17)!];
    const debtRecovery = [...p.debtRecovery];
    while (debtRecovery.length < register) debtRecovery.push([0, 0, 0, 0]);
    debtRecovery[register] = recovery;
    p = { ...p, debts, debtRecovery };
    return defaultResponseTo(c, ZCL_STATUS.success);
  });
  return { state: { ...state, prepayment: p, mirrorStale: true }, payload: gbzComponents(answers) };
};

// ---------------------------------------------------------------------------------------------------------
// GCS05: Update Prepayment Configurations

/**
 * One GCS05 component as a change and the ZigBee time it takes effect, or a ZCL status. Layouts (ZSE 1.4) and
 * where the implementation time sits, as RTDS 2.1_GCS05 shows them [O]: Emergency Credit Setup {Issuer Event ID,
 * Start Time, EC Limit, EC Threshold}; Set Overall Debt Cap {Provider, Issuer Event, Implementation Time, Cap};
 * Set Low Credit Warning Level {Level} timed by the component's From Date Time; Set Maximum Credit Limit {Provider,
 * Issuer Event, Implementation Time, Maximum Credit Level, Maximum Credit Per Top Up}; Publish Calendar and Publish
 * Special Days {Provider, Issuer Event, Issuer Calendar ID, Start Time, …}. Day, week and season profiles belong to
 * the published calendar and are accepted without a record of their own [A].
 */
function configurationChange(c: GbzComponent): { change: PrepaymentChange; at: number } | number | null {
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
      case CALENDAR_CMD.publishCalendar:
        if (!need(16)) return ZCL_STATUS.malformedCommand;
        return { change: { kind: 'calendar', calendarId: f.u32(8)! }, at: f.u32(12)! };
      case CALENDAR_CMD.publishSpecialDays:
        if (!need(18)) return ZCL_STATUS.malformedCommand;
        return { change: { kind: 'special-days', count: f.u8(17)! }, at: f.u32(12)! };
      case CALENDAR_CMD.publishDayProfile:
      case CALENDAR_CMD.publishWeekProfile:
      case CALENDAR_CMD.publishSeasons:
        return null;
    }
  }
  return ZCL_STATUS.unsupportedClusterCommand;
}

/** GCS05: each component recorded now, future-dated or cancelled, answered by its Default Response (RTDS) [O]. */
export const updatePrepaymentConfiguration: CommandHandler<GsmeState> = (state, command, now) => {
  const components = commandComponents(command);
  if (components === undefined || components.length === 0)
    return { state, payload: null, effects: [noteUnreadable(state, command)] };
  const requests: ChangeRequest[] = [];
  const answers = components.map((c): ComponentDraft => {
    const read = configurationChange(c);
    if (typeof read === 'number') return defaultResponseTo(c, read);
    if (read !== null)
      requests.push({
        change: read.change,
        timing: timingOf(read.at, state, now),
        pending: pendingRecord(command, c),
      });
    return defaultResponseTo(c, ZCL_STATUS.success);
  });
  return recorded(state, requestChanges(state, requests), gbzComponents(answers), now);
};

// ---------------------------------------------------------------------------------------------------------
// GCS06: Activate Emergency Credit Remotely

/**
 * GCS06: Select Available Emergency Credit {Command Issue Date/Time, Originating Device}. Emergency credit is on
 * offer in prepayment mode once credit has fallen to the EC threshold (domain brief §7); taking it makes the EC
 * limit available and answers SUCCESS (RTDS 2.5_GCS06) [O]; otherwise FAILURE [A].
 */
export const activateEmergencyCredit: CommandHandler<GsmeState> = (state, command) => {
  const c = soleClusterCommand(command, CLUSTER.prepayment, PREPAYMENT_CMD.selectAvailableEmergencyCredit);
  if (c === undefined) return answerAll(state, command, ZCL_STATUS.unsupportedClusterCommand);
  const taken = takeEmergencyCredit(state);
  return {
    state: taken ?? state,
    payload: answerEach(command, taken ? ZCL_STATUS.success : ZCL_STATUS.failure),
  };
};

/** The state with emergency credit taken, or undefined when none is on offer (domain brief §7) [A]. */
export function takeEmergencyCredit(state: GsmeState): GsmeState | undefined {
  const p = state.prepayment;
  const offered =
    p.mode === 'prepayment' &&
    !p.emergencyCreditActive &&
    p.emergencyCreditLimit > 0 &&
    p.creditRemaining <= p.emergencyCreditThreshold;
  if (!offered) return undefined;
  return {
    ...state,
    mirrorStale: true,
    prepayment: { ...p, emergencyCreditActive: true, emergencyCreditRemaining: p.emergencyCreditLimit },
  };
}
