// The ESME's prepayment configuration use cases: ECS02/ECS03 payment mode (SR 1.6), ECS07 debt (SR 2.3), ECS08 and
// ECS08a prepayment configuration (SR 2.1), ECS09 emergency credit (SR 2.5). Each set is looked up in one table of
// the objects the ESME knows, applied to the prepayment sub-state, and answered in the RTDS shape (null-data and a
// result per set) [O]; the prepayment engine (esme-account.ts) runs on the values. What is set here, ECS26a and
// ECS82 read back (esme-prepayment-reads.ts).
import { toHex, Writer } from '../codec/bytes.js';
import { encodeDlmsData, type DlmsAccessRequest, type DlmsData } from '../codec/gbcs/dlms/index.js';
import { deviceTime, type CommandHandler } from './device.js';
import {
  accessRequestOf,
  accessResponse,
  attributeKey,
  EMERGENCY_CREDIT_INVOKE,
  failed,
  integerOf,
  isSingleAction,
  octetsOf,
  OK,
  refuseAll,
  RESULT,
  type Answer,
} from './esme-dlms.js';
import {
  ESME_CODES,
  logged,
  note,
  type DebtRecoveryRate,
  type EsmeState,
  type PaymentMode,
  type PrepaymentState,
} from './esme-state.js';
import { dlmsDateTimeAt, utcMsOfDlmsDateTime } from './outbound.js';
import { electricityCalendar } from '../prepayment/calendar.js';
import { grantEmergencyCredit, takeEmergencyCredit } from '../prepayment/ledger.js';
import { esmeSettings } from './esme-account.js';
import type { Effect } from './types.js';

/** Applies one set to the prepayment values; undefined when the Data has the wrong type for the attribute. */
type Setter = (p: PrepaymentState, d: DlmsData) => PrepaymentState | undefined;

type AmountField = {
  [K in keyof PrepaymentState]: PrepaymentState[K] extends number ? K : never;
}[keyof PrepaymentState];

const amount =
  (field: AmountField): Setter =>
  (p, d) => {
    const v = integerOf(d);
    return v === undefined ? undefined : { ...p, [field]: v };
  };

type TableField = 'specialDays' | 'nonDisablementSchedule' | 'creditChargeConfiguration';

/** A calendar or charge table, kept as set (A-XDR hex) for ECS26a to read back; checked to be an array. */
const table =
  (field: TableField): Setter =>
  (p, d) => {
    if (d.type !== 'array') return undefined;
    const w = new Writer('dlms');
    encodeDlmsData(w, d);
    return { ...p, [field]: toHex(w.finish()) };
  };

/** A non-disablement table: kept as set and compiled for the engine; one the calendar cannot read is refused. */
const calendarTable =
  (field: 'specialDays' | 'nonDisablementSchedule'): Setter =>
  (p, d) => {
    const next = table(field)(p, d);
    if (next === undefined) return undefined;
    try {
      return {
        ...next,
        friendlyCalendar: electricityCalendar(next.specialDays, next.nonDisablementSchedule),
      };
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
  };

/** A debt register's total_amount_remaining, in the ledger. */
const debtRegister =
  (register: 0 | 1 | 'payment'): Setter =>
  (p, d) => {
    const v = integerOf(d);
    if (v === undefined) return undefined;
    const l = p.ledger;
    if (register === 'payment') return { ...p, ledger: { ...l, paymentDebt: v } };
    const timeDebts: [number, number] = [l.timeDebts[0], l.timeDebts[1]];
    timeDebts[register] = v;
    return { ...p, ledger: { ...l, timeDebts } };
  };

type RecoveryField = 'timeDebt1Recovery' | 'timeDebt2Recovery';

/**
 * A time-debt unit_charge (class 113 attribute 6, passive) in the shape the 2.3 transform sends and RTDS 4.13_ECS26a
 * reads: { scaling { commodity scale 0, price scale }, commodity { 0, 000000000000, 0 }, one charge table entry
 * { index, rate } } [O: 4.13 shape]. Anything else — a commodity, several entries — is not a time debt's rate [A].
 */
function recoveryRateOf(d: DlmsData): Pick<DebtRecoveryRate, 'rate' | 'priceScale'> | undefined {
  if (d.type !== 'structure' || d.value.length !== 3) return undefined;
  const [scaling, commodity, charges] = d.value;
  if (scaling?.type !== 'structure' || commodity?.type !== 'structure' || charges?.type !== 'array')
    return undefined;
  const [commodityScale, priceScale] = scaling.value;
  if (scaling.value.length !== 2 || commodityScale?.type !== 'integer' || commodityScale.value !== 0)
    return undefined;
  if (priceScale?.type !== 'integer' || integerOf(commodity.value[0]) !== 0) return undefined;
  const entry = charges.value.length === 1 ? charges.value[0] : undefined;
  const rate = entry?.type === 'structure' && entry.value.length === 2 ? entry.value[1] : undefined;
  return rate?.type === 'long' ? { rate: rate.value, priceScale: priceScale.value } : undefined;
}

/** unit_charge_passive: becomes the active rate when its activation (attribute 7) is now, as ECS07 sends it [A]. */
const recoveryRate =
  (field: RecoveryField): Setter =>
  (p, d) => {
    const rate = recoveryRateOf(d);
    return rate === undefined ? undefined : { ...p, [field]: { ...p[field], ...rate } };
  };

/** A Charge's period (attribute 8), seconds, double-long-unsigned (RTDS 4.13_ECS26a: 86400) [O]. */
const recoveryPeriod =
  (field: RecoveryField): Setter =>
  (p, d) =>
    d.type === 'double-long-unsigned' ? { ...p, [field]: { ...p[field], periodS: d.value } } : undefined;

/** An activation date-time: a 12-octet string, read by activationOf. */
const activation: Setter = (p, d) => (octetsOf(d)?.length === 12 ? p : undefined);

/** Account mode and status (class 111 attribute 2): { payment mode enum (1 credit, 2 prepayment), status } [O]. */
const PAYMENT_MODES: Readonly<Record<number, PaymentMode>> = { 1: 'credit', 2: 'prepayment' };
const accountMode: Setter = (p, d) => {
  const mode = d.type === 'structure' ? PAYMENT_MODES[integerOf(d.value[0]) ?? -1] : undefined;
  return mode === undefined ? undefined : { ...p, mode };
};

const ACCOUNT = [0, 1, 19, 0, 0, 255];
/** GB "activating register" objects of class 9000: value (attribute 4, or 2 for 94.44.2.20), activation (6) [O]. */
const gb = (e: number, attribute: number): string => attributeKey(9000, [0, 0, 94, 44, 128, e], attribute);
const gb2 = (e: number, attribute: number): string => attributeKey(9000, [0, 0, 94, 44, 2, e], attribute);
/**
 * Debt registers: Charge objects (class 113) total_amount_remaining (12) and proportion (13) [A: no RTDS 2.3 folder];
 * time debts' unit_charge_passive (6), its activation time (7) and period (8) [O: the objects RTDS 4.13 reads].
 */
const debt = (e: number, attribute: number): string => attributeKey(113, [0, 0, 19, 20, e, 255], attribute);

/** Every settable prepayment attribute, by class/obis/attribute. [O] RTDS 1.6_ECS02, 1.6_ECS03, 2.1_ECS08. */
const PREPAYMENT_OBJECTS: ReadonlyMap<string, Setter> = new Map<string, Setter>([
  // ECS02 / ECS03: account mode, credit charge configuration, activation; disablement threshold [O]
  [attributeKey(111, ACCOUNT, 2), accountMode],
  [attributeKey(111, ACCOUNT, 11), table('creditChargeConfiguration')],
  [attributeKey(111, ACCOUNT, 13), activation],
  [gb(22, 4), amount('disablementThreshold')],
  [gb(22, 6), activation],
  // ECS08: non-disablement special days and schedule, thresholds and limits with their activations [O]
  [attributeKey(11, [0, 1, 11, 0, 2, 255], 2), calendarTable('specialDays')],
  [attributeKey(10, [0, 1, 12, 0, 1, 255], 2), calendarTable('nonDisablementSchedule')],
  [gb2(20, 2), amount('maxMeterBalance')],
  [gb2(20, 6), activation],
  [gb2(10, 4), amount('maxCreditThreshold')],
  [gb2(10, 6), activation],
  [gb(12, 4), amount('debtRecoveryRateCap')],
  [gb(12, 6), activation],
  [gb(13, 4), amount('debtRecoveryRateCapPeriodS')], // seconds (RTDS 2.1_ECS08: 604800)
  [gb(13, 6), activation],
  [gb(9, 4), amount('lowCreditThreshold')],
  [gb(9, 6), activation],
  [gb(2, 4), amount('emergencyCreditLimit')],
  [gb(2, 6), activation],
  [gb(3, 4), amount('emergencyCreditThreshold')],
  [gb(3, 6), activation],
  [gb(31, 6), activation], // non-disablement calendar activation
  [gb(28, 6), activation], // special days activation
  // ECS07: debt registers and payment-debt proportion [A]; time-debt recovery rates [O: RTDS 4.13 objects]
  [debt(1, 12), debtRegister(0)],
  [debt(2, 12), debtRegister(1)],
  [debt(3, 12), debtRegister('payment')],
  [debt(3, 13), amount('debtRecoveryPerPayment')],
  [debt(1, 6), recoveryRate('timeDebt1Recovery')],
  [debt(1, 8), recoveryPeriod('timeDebt1Recovery')],
  [debt(1, 7), activation],
  [debt(2, 6), recoveryRate('timeDebt2Recovery')],
  [debt(2, 8), recoveryPeriod('timeDebt2Recovery')],
  [debt(2, 7), activation],
]);

const ACTIVATION_ATTRIBUTES = new Set([
  attributeKey(111, ACCOUNT, 13),
  ...[2, 3, 9, 12, 13, 22, 28, 31].map((e) => gb(e, 6)),
  gb2(10, 6),
  gb2(20, 6),
  debt(1, 7),
  debt(2, 7),
]);

type Activation = 'immediate' | 'future' | 'cancel';

/**
 * When the sets take effect (RTDS 1.6 and 2.1 IMMEDIATE / FUTURE_DATED / CANCELLATION) [O]: a zero date-time is
 * immediate, an unspecified one (all 0xFF) cancels a pending change, a date after the device clock is future-dated.
 */
function activationOf(request: DlmsAccessRequest, deviceNow: number): Activation {
  let result: Activation = 'immediate';
  request.specifications.forEach((spec, i) => {
    const b = octetsOf(request.data[i]);
    if (spec.type !== 'set' || b?.length !== 12) return;
    if (!ACTIVATION_ATTRIBUTES.has(attributeKey(spec.classId, spec.instanceId, spec.attributeId))) return;
    if (b.subarray(0, 9).every((x) => x === 0xff)) result = 'cancel';
    else if (result !== 'cancel' && b[0]! + b[1]! !== 0 && utcMsOfDlmsDateTime(b) > deviceNow)
      result = 'future';
  });
  return result;
}

/**
 * Applies the sets of a prepayment command. Future-dated changes and cancellations are accepted but not held: the
 * device's future-dated store (and its 0x8F66 alert) is not modelled yet [A].
 */
function applySets(
  state: EsmeState,
  request: DlmsAccessRequest,
  now: number,
): { state: EsmeState; answers: Answer[]; effects: Effect[] } {
  const when = activationOf(request, deviceTime(state, now));
  let p = state.prepayment;
  const answers = request.specifications.map((spec, i): Answer => {
    const setter =
      spec.type === 'set'
        ? PREPAYMENT_OBJECTS.get(attributeKey(spec.classId, spec.instanceId, spec.attributeId))
        : undefined;
    if (setter === undefined) return failed(RESULT.objectUndefined);
    const next = setter(p, request.data[i] ?? { type: 'null-data' });
    if (next === undefined) return failed(RESULT.typeUnmatched);
    if (when === 'immediate') p = next;
    return OK;
  });
  const effects =
    when === 'immediate' ? [] : [note(state, `${when} prepayment change accepted, not held (not modelled)`)];
  return { state: { ...state, prepayment: p }, answers, effects };
}

/** ECS02, ECS03, ECS07, ECS08, ECS08a: the sets applied; responses carry the ESME's date-time (RTDS 1.6, 2.1) [O]. */
export const updatePrepayment: CommandHandler<EsmeState> = (state, command, now) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  const applied = applySets(state, request, now);
  return {
    state: applied.state,
    payload: accessResponse(request, applied.answers),
    effects: applied.effects,
    responseDateTime: dlmsDateTimeAt(deviceTime(state, now)),
  };
};

/**
 * Emergency credit activated; logs 0x81AB Emergency Credit Activated [O: code]. The consumer (at the meter, IHD or
 * PPMID: PECS02) can take it only while it is on offer (domain brief §7); the supplier's SR 2.5 (ECS09) grants it
 * whenever none is in use [A]. Newly activated, the whole limit is there to use. Undefined: not activated.
 */
export function activateEmergencyCredit(
  state: EsmeState,
  now: number,
  by: 'consumer' | 'supplier',
): EsmeState | undefined {
  const p = state.prepayment;
  const settings = esmeSettings(p);
  const ledger =
    by === 'consumer' || p.ledger.emergencyCreditActive
      ? takeEmergencyCredit(p.ledger, settings)
      : grantEmergencyCredit(p.ledger, p.emergencyCreditLimit);
  if (ledger === undefined) return undefined;
  const prepayment = { ...p, ledger };
  return logged({ ...state, prepayment }, 'eventLog', ESME_CODES.emergencyCreditActivated, now);
}

/** ECS09: invoke_credit on the emergency credit object; null-data and the action result (RTDS 2.5_ECS09) [O]. */
export const emergencyCredit: CommandHandler<EsmeState> = (state, command, now) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  if (!isSingleAction(request, EMERGENCY_CREDIT_INVOKE))
    return { state, payload: refuseAll(request, RESULT.objectUndefined) };
  const activated = activateEmergencyCredit(state, now, 'supplier');
  if (activated === undefined)
    return {
      state,
      payload: accessResponse(request, [failed(RESULT.otherReason)]),
      effects: [note(state, 'ECS09: emergency credit already in use')],
    };
  return {
    state: activated,
    payload: accessResponse(request, [OK]),
    effects: [note(state, 'emergency credit activated (ECS09)')],
  };
};
