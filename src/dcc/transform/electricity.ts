// ESME transforms, DUIS body → GBCS command: objects, order and types from RTDS 4.5.0 [O], else the ESME actor's [A].
import { fromHex } from '../../codec/bytes.js';
import { DuisError, parseBase64Binary, parseHexBinary } from '../../codec/duis/common.js';
import type { DuisRequestBody } from '../../codec/duis/request.js';
import type { DuisBodyElement } from '../../codec/duis/tree.js';
import { eui64ToBytes } from '../../codec/eui64.js';
import {
  ApplyTimeBasedCpvChecks,
  asn1Payload,
  CellUsage,
  CredentialsReplacementMode,
  decodeDer,
  isConstructed,
  RemotePartyRole,
  SeqNumberUsage,
  UNIVERSAL,
  type TrustAnchorCellIdentifier,
} from '../../codec/gbcs/asn1/index.js';
import type { AccessRequestSpecification, DlmsData } from '../../codec/gbcs/dlms/index.js';
import { messageCodesForUseCase } from '../../codec/gbcs/message-codes.js';
import type { GbcsPayload } from '../../codec/gbcs/payload.js';
import { invokeIdFor } from '../../codec/gbcs/use-cases/chf-device-log.js';
import { dlmsDateTimeAt } from '../../devices/outbound.js';
import type { SmiDeviceType } from '../types.js';
import { all, bool, dateTimeMs, find, integer, optionalDateTimeMs, required, text } from './body.js';
import type { TransformEntry } from './entry.js';
import { TransformError, type CommandDraft, type Transform, type TransformInput } from './types.js';

// Money and thresholds: DUIS carries them in the unit the ESME's DLMS objects hold, so they pass through unscaled.
// Derived by comparing duis-templates ECS08_2.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML (EmergencyCreditLimit 300000,
// EmergencyCreditThreshold 100000, LowCreditThreshold 200000, MaxMeterBalance 5000000, MaxCreditThreshold 1000000,
// DebtRecoveryRateCap 30) with RTDS 4.5.0 2.1_ECS08/ECS08_2.1_IMMEDIATE_SUCCESS_PRECOMMAND_GBCS.HEX (double-long
// 300000, 100000, 200000, 5000000, 1000000; long-unsigned 30), and ECS03_1.6 DisablementThreshold 556677 with
// 1.6_ECS03 double-long 556677: scale 1 (1/100000 of the currency unit, as the ESME state holds money) [O].

type Node = DuisBodyElement | DuisRequestBody;

const INT32 = [-2_147_483_648, 2_147_483_647] as const;
const UINT16_MAX = 0xffff;
const SEQ_NUMBER_MAX = 2n ** 63n - 1n; // DUIS floorSequenceNumber maxInclusive

// ---------------------------------------------------------------------------------------------------------
// DLMS building blocks

const obis = (...b: number[]): Uint8Array => Uint8Array.from(b);
const octets = (value: Uint8Array): DlmsData => ({ type: 'octet-string', value });
const doubleLong = (value: number): DlmsData => ({ type: 'double-long', value });
const longUnsigned = (value: number): DlmsData => ({ type: 'long-unsigned', value });
const unsigned = (value: number): DlmsData => ({ type: 'unsigned', value });
const integerData = (value: number): DlmsData => ({ type: 'integer', value });
const enumData = (value: number): DlmsData => ({ type: 'enum', value });
const structure = (...value: DlmsData[]): DlmsData => ({ type: 'structure', value });
const array = (value: DlmsData[]): DlmsData => ({ type: 'array', value });
const NULL_DATA: DlmsData = { type: 'null-data' };

/** A DLMS bit-string, first bit in the most significant bit of the first octet. */
function bitString(bits: readonly boolean[]): DlmsData {
  const value = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((on, i) => {
    if (on) value[i >> 3]! |= 0x80 >> (i & 7);
  });
  return { type: 'bit-string', bitLength: bits.length, value };
}

const set = (classId: number, instanceId: Uint8Array, attributeId: number): AccessRequestSpecification => ({
  type: 'set',
  classId,
  instanceId,
  attributeId,
});
const get = (classId: number, instanceId: Uint8Array, attributeId: number): AccessRequestSpecification => ({
  type: 'get',
  classId,
  instanceId,
  attributeId,
});
const action = (classId: number, instanceId: Uint8Array, methodId: number): AccessRequestSpecification => ({
  type: 'action',
  classId,
  instanceId,
  methodId,
});

interface Access {
  readonly spec: AccessRequestSpecification;
  readonly data: DlmsData;
}

/** An access-request, invoke-id from the counter (RTDS: 0x20 ‖ low 24 bits), no DLMS date-time [O]. */
function accessRequest(counter: bigint, accesses: readonly Access[]): GbcsPayload {
  return {
    kind: 'dlms',
    dlms: {
      type: 'access-request',
      invokeIdAndPriority: invokeIdFor(counter),
      dateTime: null,
      specifications: accesses.map((a) => a.spec),
      data: accesses.map((a) => a.data),
    },
  };
}

const reading = (spec: AccessRequestSpecification): Access => ({ spec, data: NULL_DATA });

// ---------------------------------------------------------------------------------------------------------
// The ESME's COSEM objects

/** Account (class 111), as ECS02/ECS03 set it: 0-1:19.0.0.255 [O]. */
const ACCOUNT = obis(0, 1, 19, 0, 0, 255);
const ACCOUNT_MODE = 2;
const CREDIT_CHARGE_CONFIGURATION = 11;
const ACCOUNT_ACTIVATION_TIME = 13;
/** Payment modes of account_mode_and_status; the status RTDS sends is 1 [O]. */
const PAYMENT_MODE = { credit: 1, prepayment: 2 } as const;
const ACCOUNT_STATUS = 1;

/** GB "activating register" objects (class 9000): value attribute 4 (2 for 0-0:94.44.2.20), activation 6 [O]. */
const GB_REGISTER = 9000;
const gb = (e: number): Uint8Array => obis(0, 0, 94, 44, 128, e);
const gb2 = (e: number): Uint8Array => obis(0, 0, 94, 44, 2, e);
const GB_VALUE = 4;
const GB_ACTIVATION = 6;
const DISABLEMENT_THRESHOLD = gb(22);
const EMERGENCY_CREDIT_LIMIT = gb(2);
const EMERGENCY_CREDIT_THRESHOLD = gb(3);
const LOW_CREDIT_THRESHOLD = gb(9);
const DEBT_RECOVERY_RATE_CAP = gb(12);
const DEBT_RECOVERY_RATE_CAP_PERIOD = gb(13);
const SPECIAL_DAYS_ACTIVATION = gb(28);
const NON_DISABLEMENT_CALENDAR_ACTIVATION = gb(31);
const MAX_CREDIT_THRESHOLD = gb2(10);
const MAX_METER_BALANCE = gb2(20);
/** RTDS 2.1_ECS08: the debt recovery rate cap period is one week in seconds; DUIS has no field for it [O]. */
const DEBT_RECOVERY_RATE_CAP_PERIOD_S = 604_800;

/** Special days table (class 11) and the non-disablement schedule (class 10), both as ECS08 sets them [O]. */
const SPECIAL_DAYS_TABLE = obis(0, 1, 11, 0, 2, 255);
const NON_DISABLEMENT_SCHEDULE = obis(0, 1, 12, 0, 1, 255);
/** Disconnect Script Table (class 9): supply scripts 51 enable, 52 disable [A], 54 arm [O: RTDS 7.1, 7.3]. */
const DISCONNECT_SCRIPT_TABLE = obis(0, 0, 10, 0, 106, 255);
const SUPPLY_SCRIPT = { enable: 51, disable: 52, arm: 54 } as const;
/** Non-disablement schedule entries run its scripts 32 (START) and 33 (STOP) [O: RTDS 2.1_ECS08]. */
const NON_DISABLEMENT_SCRIPT = { START: 32, STOP: 33 } as const;
/** Schedule entry validity window: 0xFFFF, run whatever the delay [O]. */
const ANY_DELAY = 0xffff;

/** Credits (class 112) and charges (class 113) [O: RTDS 1.6, 2.5, 4.13, 4.18]. */
const credit = (e: number): Uint8Array => obis(0, 0, 19, 10, e, 255);
const charge = (e: number): Uint8Array => obis(0, 0, 19, 20, e, 255);
const TOKEN_CREDIT = 0;
const EMERGENCY_CREDIT = 1;
/** Only configured when debt is suspended in emergency (RTDS 1.6_ECS03 vs the templates); its name is not in our sources. */
const THIRD_CREDIT = 2;
const CHARGE = {
  consumption: 0,
  timeDebt1: 1,
  timeDebt2: 2,
  paymentDebt: 3,
  standing: 4,
  secondaryConsumption: 5,
};
const CHARGE_CLASS = 113;
/** Charge attributes: unit_charge_passive 6, activation time 7, period 8, total_amount_remaining 12, proportion 13. */
const UNIT_CHARGE_PASSIVE = 6;
const UNIT_CHARGE_ACTIVATION_TIME = 7;
const CHARGE_PERIOD = 8;
const TOTAL_AMOUNT_REMAINING = 12;
const PROPORTION = 13;

// ---------------------------------------------------------------------------------------------------------
// Date-times

/** An all-zero date-time: "activate now" in future-datable DLMS commands (RTDS IMMEDIATE variants) [O]. */
const ACTIVATE_NOW = fromHex('0000000000000000008000FF');
/** An unspecified date-time: cancels a pending change (RTDS CANCELLATION variants) and ECS70's preset time [O]. */
const UNSPECIFIED_DATE_TIME = fromHex('FFFFFFFFFFFFFFFFFF8000FF');
/** DUIS cancels a future-dated request with ExecutionDateTime 3000-12-31T00:00:00Z (the templates' CANCELLATION). */
const CANCELLATION_MS = Date.UTC(3000, 11, 31);
/** The GeneralizedTime that cancels a pending CS06 / CS02b (RTDS 11.3_CS06, 6.15.1 CANCELLATION) [O]. */
const CANCEL_EXECUTION_TIME = '99991231235959Z';

type Execution =
  { readonly kind: 'now' } | { readonly kind: 'at'; readonly ms: number } | { readonly kind: 'cancel' };

const NOW: Execution = { kind: 'now' };

/** A UTC instant whose year fits both a DLMS date-time and a GeneralizedTime (1..9999). */
function checkedInstant(ms: number, where: string): number {
  const year = new Date(ms).getUTCFullYear();
  if (year < 1 || year > 9999) throw new DuisError(where, `year ${year} is outside 1..9999`);
  return ms;
}

/** A device-future-dated request's ExecutionDateTime: absent → now, 3000-12-31 → cancel, else the instant. */
function executionOf(body: DuisRequestBody): Execution {
  const ms = optionalDateTimeMs(body, 'ExecutionDateTime');
  if (ms === undefined) return NOW;
  if (ms === CANCELLATION_MS) return { kind: 'cancel' };
  return { kind: 'at', ms: checkedInstant(ms, `${body.element}/ExecutionDateTime`) };
}

/** The activation date-time a future-datable DLMS command carries for `execution` (RTDS 1.6, 2.1 variants) [O]. */
function activationTime(execution: Execution): Uint8Array {
  if (execution.kind === 'now') return ACTIVATE_NOW;
  if (execution.kind === 'cancel') return UNSPECIFIED_DATE_TIME;
  return dlmsDateTimeAt(execution.ms);
}

/** An ASN.1 command's executionDateTime: absent, the cancellation time, or "YYYYMMDDhhmmssZ" (RTDS CS06, CS02b) [O]. */
function executionDateTime(execution: Execution): { executionDateTime?: string } {
  if (execution.kind === 'now') return {};
  if (execution.kind === 'cancel') return { executionDateTime: CANCEL_EXECUTION_TIME };
  return { executionDateTime: `${new Date(execution.ms).toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z` };
}

/** A 12-octet date-time with the hundredths the DUIS value carries (dlmsDateTimeAt leaves them zero). */
function dlmsDateTimeWithHundredths(ms: number): Uint8Array {
  const out = dlmsDateTimeAt(ms);
  out[8] = Math.floor((((ms % 1000) + 1000) % 1000) / 10);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the body

function bodyPath(node: Node): string {
  return 'element' in node ? node.element : node.name;
}

/** A floorSequenceNumber (xs:nonNegativeInteger ≤ 2^63 − 1) as a bigint; undefined when absent. */
function optionalSeqNumber(node: Node, path: string): bigint | undefined {
  if (find(node, path) === undefined) return undefined;
  const t = text(node, path);
  const where = `${bodyPath(node)}/${path}`;
  if (!/^\+?\d{1,20}$/.test(t)) throw new DuisError(where, `"${t}" is not a non-negative integer`);
  const n = BigInt(t);
  if (n > SEQ_NUMBER_MAX) throw new DuisError(where, `${t} is above ${SEQ_NUMBER_MAX}`);
  return n;
}

/** The one child among `names` of the element at `path` (or of `node` itself); a DuisError when none or several are. */
function oneOf<const N extends string>(node: Node, path: string | null, names: readonly N[]): N {
  const parent = path === null ? node : required(node, path);
  const present = names.filter((name) => all(parent, name).length > 0);
  const count = names.reduce((n, name) => n + all(parent, name).length, 0);
  if (count !== 1 || present[0] === undefined) {
    const where = path === null ? bodyPath(node) : `${bodyPath(node)}/${path}`;
    throw new DuisError(where, `expected exactly one of ${names.join(', ')}, found ${count}`);
  }
  return present[0];
}

/**
 * Runs `read` on the i-th `name` under `parentPath`, so a DuisError names it `parentPath/name[i]/…` (1-based, as
 * XPath) whether the error's path starts at the item itself or at one of its children.
 */
function item<T>(parentPath: string, name: string, index: number, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof DuisError)) throw e;
    const indexed = `${name}[${index + 1}]`;
    const rest =
      e.path === name ? '' : e.path.startsWith(`${name}/`) ? e.path.slice(name.length) : `/${e.path}`;
    throw new DuisError(`${parentPath}/${indexed}${rest}`, e.reason, e.offset);
  }
}

/** The text of a leaf element itself (a Certificate of a list). */
function leafText(element: DuisBodyElement): string {
  if (!('text' in element)) throw new DuisError(element.name, 'expected text, found elements');
  return element.text.trim();
}

// ---------------------------------------------------------------------------------------------------------
// Drafts

const ESME_ONLY: readonly SmiDeviceType[] = ['ESME'];

function messageCode(useCase: string): number {
  const code = messageCodesForUseCase(useCase)[0]?.code;
  if (code === undefined) throw new Error(`electricity transforms: no message code for ${useCase}`);
  return code;
}

/** The command: business target = the request's target, no grouping-header date-time (RTDS: none in any Command) [O]. */
function draft(input: TransformInput, code: number, payload: GbcsPayload, execution = NOW): CommandDraft {
  return {
    messageCode: code,
    recipient: input.target.deviceId,
    payload,
    dateTime: null,
    ...(execution.kind === 'at' && { executionMs: execution.ms }),
  };
}

type Build = (input: TransformInput, body: DuisRequestBody) => CommandDraft;

/** A transform for the ESME: refuses another device type (E11) and another SRV's body, then builds. */
function esme(bodyElement: string, build: Build): Transform {
  return (input) => {
    if (input.target.deviceType !== 'ESME')
      throw new TransformError(
        'E11',
        `${bodyElement} is transformed here for an ESME, not a ${input.target.deviceType}`,
      );
    if (input.body.element !== bodyElement)
      throw new DuisError(input.body.element, `expected the ${bodyElement} body`);
    return build(input, input.body);
  };
}

/** DSP-future-dated reads (4.1.x, 4.13, 4.18, 11.2): the DSP holds the request until ExecutionDateTime. */
function dspExecution(body: DuisRequestBody): Execution {
  const ms = optionalDateTimeMs(body, 'ExecutionDateTime');
  return ms === undefined ? NOW : { kind: 'at', ms };
}

/** A read whose payload does not depend on the body. */
function read(
  bodyElement: string,
  useCase: string,
  accesses: (input: TransformInput) => Access[],
): Transform {
  const code = messageCode(useCase);
  return esme(bodyElement, (input, body) =>
    draft(input, code, accessRequest(input.counter, accesses(input)), dspExecution(body)),
  );
}

/** SMETS2 ESME variants B… are twin element (DUIS ESMEVariant A single, B twin, C polyphase) [C: DUIS XSD enumeration]. */
function isTwinElement(input: TransformInput): boolean {
  return input.target.esmeVariant?.startsWith('B') === true;
}

// ---------------------------------------------------------------------------------------------------------
// 1.6 Update Payment Mode: ECS02 (Credit) or ECS03 (Prepayment)

/** Collection configuration bits (3): all set, or bit 2 cleared when SuspendDebtDisabled [O: RTDS 1.6_ECS03 × templates]. */
const COLLECT_ALWAYS = [true, true, true];
const COLLECT_UNLESS_DISABLED = [true, true, false];

function chargeLink(creditIndex: number, chargeIndex: number, bits = COLLECT_ALWAYS): DlmsData {
  return structure(octets(credit(creditIndex)), octets(charge(chargeIndex)), bitString(bits));
}

/** ECS02: consumption and standing charge from token credit; the second element's consumption on a twin [O]. */
function creditModeCharges(twin: boolean): DlmsData {
  const links = [chargeLink(TOKEN_CREDIT, CHARGE.consumption), chargeLink(TOKEN_CREDIT, CHARGE.standing)];
  if (twin) links.push(chargeLink(TOKEN_CREDIT, CHARGE.secondaryConsumption));
  return array(links);
}

/**
 * ECS03: every charge from token and emergency credit, time debts with SuspendDebtDisabled's bits, the third credit
 * only when SuspendDebtEmergency, the twin's second-element charge last — in RTDS 1.6_ECS03 order [O: IMMEDIATE_SINGLE
 * (true, true), FUTURE_DATED_TWIN (true, false), CANCELLATION_TWIN (false, true), flags as the templates give them].
 */
function prepaymentModeCharges(
  twin: boolean,
  suspendDebtDisabled: boolean,
  suspendDebtEmergency: boolean,
): DlmsData {
  const timeDebt = suspendDebtDisabled ? COLLECT_UNLESS_DISABLED : COLLECT_ALWAYS;
  const links = [
    chargeLink(TOKEN_CREDIT, CHARGE.consumption),
    chargeLink(TOKEN_CREDIT, CHARGE.standing),
    chargeLink(TOKEN_CREDIT, CHARGE.timeDebt1, timeDebt),
    chargeLink(TOKEN_CREDIT, CHARGE.timeDebt2, timeDebt),
    chargeLink(TOKEN_CREDIT, CHARGE.paymentDebt),
    chargeLink(EMERGENCY_CREDIT, CHARGE.paymentDebt),
    chargeLink(EMERGENCY_CREDIT, CHARGE.consumption),
    chargeLink(EMERGENCY_CREDIT, CHARGE.standing),
    chargeLink(EMERGENCY_CREDIT, CHARGE.timeDebt1, timeDebt),
    chargeLink(EMERGENCY_CREDIT, CHARGE.timeDebt2, timeDebt),
  ];
  if (suspendDebtEmergency)
    links.push(
      chargeLink(THIRD_CREDIT, CHARGE.standing),
      chargeLink(THIRD_CREDIT, CHARGE.timeDebt1),
      chargeLink(THIRD_CREDIT, CHARGE.timeDebt2),
    );
  if (twin)
    links.push(
      chargeLink(TOKEN_CREDIT, CHARGE.secondaryConsumption),
      chargeLink(EMERGENCY_CREDIT, CHARGE.secondaryConsumption),
    );
  return array(links);
}

const accountMode = (mode: number): DlmsData => structure(enumData(mode), enumData(ACCOUNT_STATUS));

const ECS02 = messageCode('ECS02');
const ECS03 = messageCode('ECS03');

/** RTDS 1.6_ECS02: mode, charge configuration, activation; ECS03 adds the disablement threshold and its activation [O]. */
const updatePaymentMode = esme('UpdatePaymentMode', (input, body) => {
  const execution = executionOf(body);
  const when = octets(activationTime(execution));
  const twin = isTwinElement(input);
  const mode = oneOf(body, null, ['Credit', 'Prepayment'] as const);
  if (mode === 'Credit') {
    const accesses: Access[] = [
      { spec: set(111, ACCOUNT, ACCOUNT_MODE), data: accountMode(PAYMENT_MODE.credit) },
      { spec: set(111, ACCOUNT, CREDIT_CHARGE_CONFIGURATION), data: creditModeCharges(twin) },
      { spec: set(111, ACCOUNT, ACCOUNT_ACTIVATION_TIME), data: when },
    ];
    return draft(input, ECS02, accessRequest(input.counter, accesses), execution);
  }
  const p = 'Prepayment';
  const charges = prepaymentModeCharges(
    twin,
    bool(body, `${p}/SuspendDebtDisabled`),
    bool(body, `${p}/SuspendDebtEmergency`),
  );
  const accesses: Access[] = [
    { spec: set(111, ACCOUNT, ACCOUNT_MODE), data: accountMode(PAYMENT_MODE.prepayment) },
    {
      spec: set(GB_REGISTER, DISABLEMENT_THRESHOLD, GB_VALUE),
      data: doubleLong(integer(body, `${p}/DisablementThreshold`, ...INT32)),
    },
    { spec: set(111, ACCOUNT, CREDIT_CHARGE_CONFIGURATION), data: charges },
    { spec: set(GB_REGISTER, DISABLEMENT_THRESHOLD, GB_ACTIVATION), data: when },
    { spec: set(111, ACCOUNT, ACCOUNT_ACTIVATION_TIME), data: when },
  ];
  return draft(input, ECS03, accessRequest(input.counter, accesses), execution);
});

// ---------------------------------------------------------------------------------------------------------
// 2.1 Update Prepay Configuration: ECS08

const DAYS_OF_WEEK = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const MAX_SPECIAL_DAYS = 20;

/** A DLMS date (5 octets: year, month, day of month, day of week); 0xFFFF / 0xFF not specified. */
function dlmsDate(year: number, month: number, day: number, dayOfWeek = 0xff): Uint8Array {
  return Uint8Array.of(year >> 8, year & 0xff, month, day, dayOfWeek);
}

const DAY_OF_MONTH_CODES = { LastDayOfMonth: 0xfe, SecondLastDayOfMonth: 0xfd, NonSpecifiedDayOfMonth: 0xff };

/** sr:Date (special days): each part specified or not; last / second-last day of month 0xFE / 0xFD (Blue Book). */
function specialDayDate(date: Node): Uint8Array {
  const year = oneOf(date, 'Year', ['SpecifiedYear', 'NonSpecifiedYear'] as const);
  const month = oneOf(date, 'Month', ['SpecifiedMonth', 'NonSpecifiedMonth'] as const);
  const dayOfMonth = oneOf(date, 'DayOfMonth', [
    'SpecifiedDayOfMonth',
    'LastDayOfMonth',
    'SecondLastDayOfMonth',
    'NonSpecifiedDayOfMonth',
  ] as const);
  const dayOfWeek = oneOf(date, 'DayOfWeek', ['SpecifiedDayOfWeek', 'NonSpecifiedDayOfWeek'] as const);
  return dlmsDate(
    year === 'SpecifiedYear' ? integer(date, 'Year/SpecifiedYear', 2014, 9999) : 0xffff,
    month === 'SpecifiedMonth' ? integer(date, 'Month/SpecifiedMonth', 1, 12) : 0xff,
    dayOfMonth === 'SpecifiedDayOfMonth'
      ? integer(date, 'DayOfMonth/SpecifiedDayOfMonth', 1, 31)
      : DAY_OF_MONTH_CODES[dayOfMonth],
    dayOfWeek === 'SpecifiedDayOfWeek' ? integer(date, 'DayOfWeek/SpecifiedDayOfWeek', 1, 7) : 0xff,
  );
}

interface SpecialDay {
  readonly index: number;
  readonly date: Uint8Array;
}

/** The special days with their `index` attribute (1..20), in document order; `calendarPath` names the calendar. */
function specialDays(calendarPath: string, calendar: Node): SpecialDay[] {
  const list = find(calendar, 'ElectricitySpecialDays');
  const where = `${calendarPath}/ElectricitySpecialDays`;
  if (list === undefined) throw new DuisError(where, 'required element missing');
  const seen = new Set<number>();
  return all(list, 'SpecialDay').map((day, i) =>
    item(where, 'SpecialDay', i, () => {
      const raw = day.attributes?.['index']?.trim();
      const index = raw !== undefined && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
      if (!(index >= 1 && index <= MAX_SPECIAL_DAYS))
        throw new DuisError('@index', `expected an index 1..${MAX_SPECIAL_DAYS}, got ${raw ?? 'none'}`);
      if (seen.has(index)) throw new DuisError('@index', `index ${index} given twice`);
      seen.add(index);
      return { index, date: specialDayDate(required(day, 'Date')) };
    }),
  );
}

/** Special days table entry {index, date, day_id = index} [O: RTDS 2.1_ECS08]. */
const specialDayEntry = (d: SpecialDay): DlmsData =>
  structure(longUnsigned(d.index), octets(d.date), unsigned(d.index));

/** xs:time in UTC as hh mm ss hundredths [O: "07:30:00.00Z" → 071E0000]. */
function switchTime(node: Node, path: string): Uint8Array {
  const t = text(node, path);
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]00:00)?$/.exec(t);
  const [hh, mm, ss] = m === null ? [] : [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m === null || hh! > 23 || mm! > 59 || ss! > 59)
    throw new DuisError(`${bodyPath(node)}/${path}`, `"${t}" is not a UTC time hh:mm:ss[.ss][Z]`);
  return Uint8Array.of(hh!, mm!, ss!, Number((m[4] ?? '').padEnd(2, '0').slice(0, 2)));
}

/** xs:date as a DLMS date; year 65535 is "every year" as DUIS writes it [O: "65535-04-29Z" → FFFF041DFF]. */
function scheduleDate(node: Node, path: string): Uint8Array {
  const t = text(node, path);
  const m = /^(\d{4,5})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(t);
  const [year, month, day] = m === null ? [] : [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m === null || year! > 0xffff || month! < 1 || month! > 12 || day! < 1 || day! > 31)
    throw new DuisError(`${bodyPath(node)}/${path}`, `"${t}" is not a date YYYY-MM-DD (year ≤ 65535)`);
  return dlmsDate(year!, month!, day!);
}

/**
 * Non-disablement schedule entry (class 10 entry) [O: RTDS 2.1_ECS08]: index, enabled, the Disconnect Script Table
 * script 32/33, switch time, any delay, weekdays (Monday first), special days (one bit per special day), dates.
 */
function scheduleEntry(schedule: Node, index: number, specialDayBits: number): DlmsData {
  const script = text(schedule, 'NonDisablementScript');
  if (script !== 'START' && script !== 'STOP')
    throw new DuisError(`${bodyPath(schedule)}/NonDisablementScript`, `"${script}" is not START or STOP`);
  const days = all(required(schedule, 'DaysOfWeekApplicability'), 'DayOfWeekApplicability').map((d, j) =>
    item('DaysOfWeekApplicability', 'DayOfWeekApplicability', j, () => {
      const day = text(d, 'DayOfWeekID');
      const i = DAYS_OF_WEEK.indexOf(day as (typeof DAYS_OF_WEEK)[number]);
      if (i < 0) throw new DuisError('DayOfWeekID', `"${day}" is not a day of the week`);
      return i;
    }),
  );
  const special = all(required(schedule, 'SpecialDaysApplicability'), 'SpecialDayApplicability').map((s, j) =>
    item('SpecialDaysApplicability', 'SpecialDayApplicability', j, () =>
      integer(s, 'SpecialDayID', 1, specialDayBits),
    ),
  );
  const when = required(schedule, 'ScheduleDatesAndTime');
  return structure(
    longUnsigned(index),
    { type: 'boolean', value: true },
    octets(DISCONNECT_SCRIPT_TABLE),
    longUnsigned(NON_DISABLEMENT_SCRIPT[script]),
    octets(switchTime(when, 'SwitchTime')),
    longUnsigned(ANY_DELAY),
    bitString(DAYS_OF_WEEK.map((_, i) => days.includes(i))),
    bitString(Array.from({ length: specialDayBits }, (_, i) => special.includes(i + 1))),
    octets(scheduleDate(when, 'StartDate')),
    octets(scheduleDate(when, 'EndDate')),
  );
}

const ECS08 = messageCode('ECS08');

/**
 * RTDS 2.1_ECS08: calendar, limits and thresholds, the rate cap period, then every activation date-time, in its order
 * [O]. ECS08a templates carry the same body; ECS08 is sent, as no source at hand shows an ECS08a payload.
 */
const updatePrepayConfiguration = esme('UpdatePrepayConfiguration', (input, body) => {
  const execution = executionOf(body);
  const when = octets(activationTime(execution));
  if (
    find(body, 'UpdatePrepayConfigElectricity') === undefined &&
    find(body, 'UpdatePrepayConfigGas') !== undefined
  )
    throw new TransformError('E11', 'UpdatePrepayConfigGas does not apply to an ESME');
  const e = 'UpdatePrepayConfigElectricity';
  const amount = (name: string): DlmsData => doubleLong(integer(body, `${e}/${name}`, ...INT32));
  const calendarPath = `${body.element}/${e}/ElectricityNonDisablementCalendar`;
  const calendar = required(body, `${e}/ElectricityNonDisablementCalendar`);
  const days = specialDays(calendarPath, calendar);
  const specialDayBits = days.length === 0 ? 0 : Math.max(days.length, ...days.map((d) => d.index));
  const schedules = all(calendar, 'ElectricityNonDisablementSchedule');
  if (schedules.length === 0)
    throw new DuisError(`${calendarPath}/ElectricityNonDisablementSchedule`, 'required element missing');
  const entries = schedules.map((s, i) =>
    item(calendarPath, 'ElectricityNonDisablementSchedule', i, () => scheduleEntry(s, i + 1, specialDayBits)),
  );
  const accesses: Access[] = [
    { spec: set(11, SPECIAL_DAYS_TABLE, 2), data: array(days.map(specialDayEntry)) },
    { spec: set(GB_REGISTER, MAX_METER_BALANCE, 2), data: amount('MaxMeterBalance') },
    { spec: set(GB_REGISTER, MAX_CREDIT_THRESHOLD, GB_VALUE), data: amount('MaxCreditThreshold') },
    { spec: set(10, NON_DISABLEMENT_SCHEDULE, 2), data: array(entries) },
    {
      spec: set(GB_REGISTER, DEBT_RECOVERY_RATE_CAP, GB_VALUE),
      data: longUnsigned(integer(body, `${e}/DebtRecoveryRateCap`, 0, UINT16_MAX)),
    },
    {
      spec: set(GB_REGISTER, DEBT_RECOVERY_RATE_CAP_PERIOD, GB_VALUE),
      data: doubleLong(DEBT_RECOVERY_RATE_CAP_PERIOD_S),
    },
    { spec: set(GB_REGISTER, LOW_CREDIT_THRESHOLD, GB_VALUE), data: amount('LowCreditThreshold') },
    { spec: set(GB_REGISTER, EMERGENCY_CREDIT_LIMIT, GB_VALUE), data: amount('EmergencyCreditLimit') },
    { spec: set(GB_REGISTER, NON_DISABLEMENT_CALENDAR_ACTIVATION, GB_ACTIVATION), data: when },
    {
      spec: set(GB_REGISTER, EMERGENCY_CREDIT_THRESHOLD, GB_VALUE),
      data: amount('EmergencyCreditThreshold'),
    },
    ...[
      MAX_METER_BALANCE,
      MAX_CREDIT_THRESHOLD,
      DEBT_RECOVERY_RATE_CAP,
      DEBT_RECOVERY_RATE_CAP_PERIOD,
      LOW_CREDIT_THRESHOLD,
      EMERGENCY_CREDIT_LIMIT,
      EMERGENCY_CREDIT_THRESHOLD,
      SPECIAL_DAYS_ACTIVATION,
    ].map((register) => ({ spec: set(GB_REGISTER, register, GB_ACTIVATION), data: when })),
  ];
  return draft(input, ECS08, accessRequest(input.counter, accesses), execution);
});

// ---------------------------------------------------------------------------------------------------------
// 2.2 Top Up Device: CS01a

const CS01A = messageCode('CS01a');
/** Token Gateway (class 115) enter (method 1), the UTRN as 20 ASCII digits [O: RTDS 2.2_CS01a]. */
const TOKEN_GATEWAY = obis(0, 0, 19, 40, 0, 255);

const topUpDevice = esme('TopUpDevice', (input, body) => {
  const utrn = text(body, 'UTRN');
  if (!/^\d{20}$/.test(utrn)) throw new DuisError('TopUpDevice/UTRN', `"${utrn}" is not 20 decimal digits`);
  const accesses = [{ spec: action(115, TOKEN_GATEWAY, 1), data: octets(new TextEncoder().encode(utrn)) }];
  return draft(input, CS01A, accessRequest(input.counter, accesses));
});

// ---------------------------------------------------------------------------------------------------------
// 2.3 Update Debt: ECS07 — no RTDS folder for it: objects as the ESME actor assumes them, plus the recovery rates [A]

const ECS07 = messageCode('ECS07');
/** Debt recovery rate period: DAILY or HOURLY, in seconds (RTDS 4.13_ECS26a reads the period as 86400) [O]. */
const RECOVERY_PERIOD_S = { HOURLY: 3_600, DAILY: 86_400 } as const;

/**
 * A time-debt recovery rate as a Charge unit_charge, in the shape RTDS 4.13_ECS26a reads it [O]: scaling {commodity 0,
 * price scale}, no commodity (time-based), one charge table entry {'' , rate}.
 */
function recoveryRate(node: Node, path: string): { unitCharge: DlmsData; period: DlmsData } {
  const rate = integer(node, `${path}/DebtRecoveryRate`, -32_768, 32_767);
  const scale = integer(node, `${path}/DebtRecoveryRatePriceScale`, -128, 127);
  const period = text(node, `${path}/DebtRecoveryRatePeriod`);
  if (period !== 'HOURLY' && period !== 'DAILY')
    throw new DuisError(
      `${bodyPath(node)}/${path}/DebtRecoveryRatePeriod`,
      `"${period}" is not HOURLY or DAILY`,
    );
  const unitCharge = structure(
    structure(integerData(0), integerData(scale)),
    structure(longUnsigned(0), octets(new Uint8Array(6)), integerData(0)),
    array([structure(octets(new Uint8Array(0)), { type: 'long', value: rate })]),
  );
  return { unitCharge, period: { type: 'double-long-unsigned', value: RECOVERY_PERIOD_S[period] } };
}

const chargeSet = (e: number, attribute: number, data: DlmsData): Access => ({
  spec: set(CHARGE_CLASS, charge(e), attribute),
  data,
});

/**
 * The debt registers (total_amount_remaining) and payment-debt proportion as the ESME actor's table has them [A], then
 * both time-debt recovery rates (unit_charge_passive, period) and their activation now [A: Blue Book Charge class].
 */
const updateDebt = esme('UpdateDebt', (input, body) => {
  if (find(body, 'ElecDebtRecovery1') === undefined && find(body, 'GasDebtRecovery') !== undefined)
    throw new TransformError('E11', 'GasDebtRecovery does not apply to an ESME');
  const register = (name: string): DlmsData => doubleLong(integer(body, name, ...INT32));
  const rate1 = recoveryRate(body, 'ElecDebtRecovery1');
  const rate2 = recoveryRate(body, 'ElecDebtRecovery2');
  const { timeDebt1, timeDebt2, paymentDebt } = CHARGE;
  const accesses: Access[] = [
    chargeSet(timeDebt1, TOTAL_AMOUNT_REMAINING, register('TimeDebtRegister1')),
    chargeSet(timeDebt2, TOTAL_AMOUNT_REMAINING, register('TimeDebtRegister2')),
    chargeSet(paymentDebt, TOTAL_AMOUNT_REMAINING, register('PaymentDebtRegister')),
    chargeSet(paymentDebt, PROPORTION, longUnsigned(integer(body, 'DebtRecoveryPerPayment', 0, 10_000))),
    chargeSet(timeDebt1, UNIT_CHARGE_PASSIVE, rate1.unitCharge),
    chargeSet(timeDebt1, CHARGE_PERIOD, rate1.period),
    chargeSet(timeDebt2, UNIT_CHARGE_PASSIVE, rate2.unitCharge),
    chargeSet(timeDebt2, CHARGE_PERIOD, rate2.period),
    chargeSet(timeDebt1, UNIT_CHARGE_ACTIVATION_TIME, octets(ACTIVATE_NOW)),
    chargeSet(timeDebt2, UNIT_CHARGE_ACTIVATION_TIME, octets(ACTIVATE_NOW)),
  ];
  return draft(input, ECS07, accessRequest(input.counter, accesses));
});

// ---------------------------------------------------------------------------------------------------------
// 2.5 Activate Emergency Credit: ECS09

const ECS09 = messageCode('ECS09');

/** RTDS 2.5_ECS09: invoke_credit (method 3) on the emergency credit, integer 0 [O]. */
const activateEmergencyCredit = esme('ActivateEmergencyCredit', (input) =>
  draft(
    input,
    ECS09,
    accessRequest(input.counter, [{ spec: action(112, credit(EMERGENCY_CREDIT), 3), data: integerData(0) }]),
  ),
);

// ---------------------------------------------------------------------------------------------------------
// 4.1.1, 4.1.2, 4.1.3, 4.13, 4.18: reads

/** Authenticated encryption (2), agreed key (2) with key parameters 02, KDF type 04 in the transaction-id [O]. */
const AUTHENTICATED_ENCRYPTION = 2;
const AGREED_KEY = 2;
const ENCRYPTION_KDF_TYPE = 0x04;

/**
 * A register read encrypted for the User: Data Protection (class 30) get_protected_attributes (method 1) on `object`
 * (class 1, attribute 2, no selective access); the protection parameters name 04 ‖ counter, the User as originator
 * and the ESME as recipient [O: RTDS 4.1.1_ECS17b, 4.1.2_ECS17d, 4.1.3_ECS17e, SINGLE and TWIN identical but for
 * the User and counter].
 */
function protectedRead(dataProtection: Uint8Array, object: Uint8Array): (input: TransformInput) => Access[] {
  const protectedObject = structure(
    longUnsigned(1),
    octets(object),
    integerData(2),
    longUnsigned(0),
    structure(enumData(0), NULL_DATA),
  );
  return (input) => {
    const transactionId = new Uint8Array(9);
    transactionId[0] = ENCRYPTION_KDF_TYPE;
    new DataView(transactionId.buffer).setBigUint64(1, input.counter);
    const protection = structure(
      enumData(AUTHENTICATED_ENCRYPTION),
      structure(
        octets(transactionId),
        octets(eui64ToBytes(input.user)),
        octets(eui64ToBytes(input.target.deviceId)),
        octets(new Uint8Array(0)),
        structure(enumData(AGREED_KEY), structure(octets(Uint8Array.of(0x02)), octets(new Uint8Array(0)))),
      ),
    );
    return [
      {
        spec: action(30, dataProtection, 1),
        data: structure(array([protectedObject]), array([protection])),
      },
    ];
  };
}

/** RTDS 4.1.1_ECS17b: Data Protection 0-0:43.2.8.255 over the import registers 0-0:94.44.34.10 [O]. */
const importRegistersRead = protectedRead(obis(0, 0, 43, 2, 8, 255), obis(0, 0, 94, 44, 34, 10));
/** RTDS 4.1.2_ECS17d: Data Protection 0-0:43.2.9.255 over the TOU register matrix 0-0:94.44.34.1 [O]. */
const touRegistersRead = protectedRead(obis(0, 0, 43, 2, 9, 255), obis(0, 0, 94, 44, 34, 1));
/** RTDS 4.1.3_ECS17e: Data Protection 0-0:43.2.10.255 over the TOU block register matrix 0-0:94.44.34.2 [O]. */
const touBlockRegistersRead = protectedRead(obis(0, 0, 43, 2, 10, 255), obis(0, 0, 94, 44, 34, 2));

/** RTDS 4.13_ECS26a SINGLE and TWIN: 18 gets, as RTDS orders and addresses them (0-0: here, 0-1: in ECS08) [O]. */
const PREPAYMENT_CONFIGURATION_READS: readonly AccessRequestSpecification[] = [
  get(113, charge(1), 5),
  get(11, obis(0, 0, 11, 0, 2, 255), 2),
  get(113, charge(1), 8),
  get(113, charge(1), 5),
  get(113, charge(2), 5),
  get(113, charge(2), 8),
  get(113, charge(2), 5),
  get(113, charge(3), 13),
  get(GB_REGISTER, MAX_CREDIT_THRESHOLD, 2),
  get(21, obis(0, 0, 16, 0, 1, 255), 2),
  get(GB_REGISTER, MAX_METER_BALANCE, 2),
  get(111, obis(0, 0, 19, 0, 0, 255), 16),
  get(111, obis(0, 0, 19, 0, 0, 255), 18),
  get(111, obis(0, 0, 19, 0, 0, 255), 19),
  get(112, credit(EMERGENCY_CREDIT), 9),
  get(112, credit(EMERGENCY_CREDIT), 10),
  get(10, obis(0, 0, 12, 0, 1, 255), 2),
  get(111, obis(0, 0, 19, 0, 0, 255), 11),
];

// ---------------------------------------------------------------------------------------------------------
// 7.x supply

/** RTDS 7.1_ECS42 / 7.3_ECS44: execute (method 1) of the Disconnect Script Table with the script id [O]; 7.2 [A]. */
function supplySwitch(bodyElement: string, useCase: string, script: number): Transform {
  const code = messageCode(useCase);
  return esme(bodyElement, (input) =>
    draft(
      input,
      code,
      accessRequest(input.counter, [
        { spec: action(9, DISCONNECT_SCRIPT_TABLE, 1), data: longUnsigned(script) },
      ]),
    ),
  );
}

/** ECS45: Disconnect Control (class 70) control_state (attribute 3) [A: no RTDS folder; as the ESME actor reads it]. */
const DISCONNECT_CONTROL = obis(0, 0, 96, 3, 10, 255);

// ---------------------------------------------------------------------------------------------------------
// 8.1.1 Commission Device and 6.11 Synchronise Clock: ECS70

const ECS70 = messageCode('ECS70');
const CLOCK = obis(0, 0, 1, 0, 0, 255);
/** Clock time source 5 (RTDS 8.1.1_ECS70Commission) [O]. */
const TIME_SOURCE = 5;

/**
 * RTDS 8.1.1_ECS70Commission: set time source, preset_adjusting_time {unspecified preset, window from CurrentDateTime
 * to CurrentDateTime + TolerancePeriod s}, adjust_to_preset_time, read time and status [O: 23:59:10 + 60 s → 00:00:10].
 */
function setClock(bodyElement: string): Transform {
  return esme(bodyElement, (input, body) => {
    const from = checkedInstant(dateTimeMs(body, 'CurrentDateTime'), `${bodyElement}/CurrentDateTime`);
    const tolerance = integer(body, 'TolerancePeriod', 0, 86_400);
    const to = checkedInstant(from + tolerance * 1000, `${bodyElement}/TolerancePeriod`);
    const accesses: Access[] = [
      { spec: set(8, CLOCK, 9), data: enumData(TIME_SOURCE) },
      {
        spec: action(8, CLOCK, 5),
        data: structure(
          octets(UNSPECIFIED_DATE_TIME),
          octets(dlmsDateTimeWithHundredths(from)),
          octets(dlmsDateTimeWithHundredths(to)),
        ),
      },
      { spec: action(8, CLOCK, 4), data: integerData(0) },
      reading(get(8, CLOCK, 2)),
      reading(get(8, CLOCK, 4)),
    ];
    return draft(input, ECS70, accessRequest(input.counter, accesses));
  });
}

// ---------------------------------------------------------------------------------------------------------
// 11.3 Activate Firmware: CS06

const CS06 = messageCode('CS06');
const FIRMWARE_HASH_LENGTH = 32;

/** RTDS 11.3_CS06: image hash, the originator counter, and the execution time when future-dated or cancelling [O]. */
const activateFirmware = esme('ActivateFirmware', (input, body) => {
  const execution = executionOf(body);
  const hash = parseHexBinary(
    text(body, 'FirmwareHash'),
    'ActivateFirmware/FirmwareHash',
    FIRMWARE_HASH_LENGTH,
    FIRMWARE_HASH_LENGTH,
  );
  const payload: GbcsPayload = {
    kind: 'asn1',
    asn1: asn1Payload({
      kind: 'activateFirmwareCommand',
      manufacturerImageHash: hash,
      originatorCounter: input.counter,
      ...executionDateTime(execution),
    }),
  };
  return draft(input, CS06, payload, execution);
});

// ---------------------------------------------------------------------------------------------------------
// 6.15.1 Update Security Credentials (KRP): CS02b

/** The CS02b modes 6.15.1 sends to an ESME, by DUIS RemotePartyRole [O: RTDS 6.15.1_CS02bSupplierBySupplier, NOByNO]. */
const KRP_UPDATES = {
  Supplier: { role: RemotePartyRole.supplier, mode: CredentialsReplacementMode.supplierBySupplier },
  NetworkOperator: {
    role: RemotePartyRole.networkOperator,
    mode: CredentialsReplacementMode.networkOperatorByNetworkOperator,
  },
} as const;
const DUIS_REMOTE_PARTY_ROLES = [
  'ACB',
  'NetworkOperator',
  'Recovery',
  'Root',
  'Supplier',
  'TransCoS',
  'LoadController',
];

/** GBCS: the CS02b message code is 0x0100 + the replacement mode (message-codes.ts) [O]. */
function cs02bCode(mode: number): number {
  const code = messageCodesForUseCase('CS02b').find((row) => row.code === 0x0100 + mode)?.code;
  if (code === undefined) throw new Error(`electricity transforms: no CS02b message code for mode ${mode}`);
  return code;
}

/** A base64 X.509 certificate, checked to be one DER SEQUENCE (the payload carries it as DER). */
function certificate(base64: string, where: string): Uint8Array {
  const der = parseBase64Binary(base64, where);
  let ok: boolean;
  try {
    const tree = decodeDer(der);
    ok = tree.cls === 'universal' && tree.tag === UNIVERSAL.SEQUENCE && isConstructed(tree);
  } catch {
    ok = false;
  }
  if (!ok) throw new DuisError(where, 'not a DER-encoded X.509 certificate');
  return der;
}

const REPLACEMENT_CERTIFICATES = 'ReplacementCertificates/SupplierOrNetworkOperatorCertificates';

/** RTDS 6.15.1: DS, KA, then the prepayment top-up KA cell, each when the request replaces it [O]. */
function replacements(body: DuisRequestBody, role: number) {
  const cell = (keyUsage: 'digitalSignature' | 'keyAgreement', topUp = false): TrustAnchorCellIdentifier => ({
    remotePartyRole: role,
    keyUsage: [keyUsage],
    ...(topUp && { cellUsage: CellUsage.prePaymentTopUp }),
  });
  const certs = REPLACEMENT_CERTIFICATES;
  required(body, certs);
  const cells = [
    ['DigitalSigningCertificate', cell('digitalSignature')],
    ['KeyAgreementCertificate', cell('keyAgreement')],
    ['KeyAgreementTopUpCertificate', cell('keyAgreement', true)],
  ] as const;
  const out = cells.flatMap(([name, targetTrustAnchorCell]) => {
    if (find(body, `${certs}/${name}`) === undefined) return [];
    const where = `${body.element}/${certs}/${name}`;
    return [
      { replacingCertificate: certificate(text(body, `${certs}/${name}`), where), targetTrustAnchorCell },
    ];
  });
  if (out.length === 0) throw new DuisError(`${body.element}/${certs}`, 'no certificate to replace');
  return out;
}

function certificationPath(body: DuisRequestBody): Uint8Array[] {
  const where = `${body.element}/CertificationPathCertificates`;
  const list = all(required(body, 'CertificationPathCertificates'), 'Certificate');
  if (list.length === 0) throw new DuisError(`${where}/Certificate`, 'required element missing');
  return list.map((c, i) => item(where, 'Certificate', i, () => certificate(leafText(c), 'Certificate')));
}

/** The replacement mode of a 6.15.1 for an ESME: supplier or network operator; a load controller is CS02g (E11). */
function krpUpdate(body: DuisRequestBody): (typeof KRP_UPDATES)[keyof typeof KRP_UPDATES] {
  const roleName = text(body, 'RemotePartyRole');
  if (!DUIS_REMOTE_PARTY_ROLES.includes(roleName))
    throw new DuisError(`${body.element}/RemotePartyRole`, `"${roleName}" is not a RemotePartyRole`);
  if (roleName !== 'Supplier' && roleName !== 'NetworkOperator')
    throw new TransformError(
      'E11',
      `6.15.1 for RemotePartyRole ${roleName} is not an ESME CS02b update transformed here`,
    );
  return KRP_UPDATES[roleName];
}

/** RTDS 6.15.1_CS02bSupplierBySupplier and _CS02bNOByNO: the authorising control, replacements, path, time [O]. */
const updateSecurityCredentials = esme('UpdateSecurityCredentialsKRP', (input, body) => {
  const execution = executionOf(body);
  const { role, mode } = krpUpdate(body);
  const floor = optionalSeqNumber(body, 'RemotePartyFloorSeqNumber');
  const topUpFloor = optionalSeqNumber(body, 'RemotePartyPrepaymentTopUpFloorSeqNumber');
  const applyCpvChecks = bool(body, 'ApplyTimeBasedCPVChecks');
  const payload: GbcsPayload = {
    kind: 'asn1',
    asn1: asn1Payload({
      kind: 'updateSecurityCredentialsCommand',
      authorisingRemotePartyControl: {
        credentialsReplacementMode: mode,
        // RTDS 6.15.1 IMMEDIATE (ApplyTimeBasedCPVChecks false): disapply (1); true leaves the DEFAULT apply out [O].
        ...(!applyCpvChecks && { applyTimeBasedCPVChecks: ApplyTimeBasedCpvChecks.disapply }),
        authorisingRemotePartyTACellIdentifier: { remotePartyRole: role, keyUsage: ['digitalSignature'] },
        authorisingRemotePartySeqNumber: input.counter,
        ...(floor !== undefined && { newRemotePartyFloorSeqNumber: floor }),
        ...(topUpFloor !== undefined && {
          newRemotePartySpecialistFloorSeqNumbers: [
            { seqNumberUsage: SeqNumberUsage.prePaymentTopUp, seqNumber: topUpFloor },
          ],
        }),
      },
      replacements: replacements(body, role),
      certificationPathCertificates: certificationPath(body),
      ...executionDateTime(execution),
    }),
  };
  return draft(input, cs02bCode(mode), payload, execution);
});

// ---------------------------------------------------------------------------------------------------------
// The registry rows

const entry = (srv: string, useCase: string, transform: Transform): TransformEntry => ({
  srv,
  deviceTypes: ESME_ONLY,
  useCase,
  transform,
});

export const ELECTRICITY_TRANSFORMS: readonly TransformEntry[] = [
  entry('1.6', 'ECS02/ECS03', updatePaymentMode),
  entry('2.1', 'ECS08', updatePrepayConfiguration),
  entry('2.2', 'CS01a', topUpDevice),
  entry('2.3', 'ECS07', updateDebt),
  entry('2.5', 'ECS09', activateEmergencyCredit),
  entry('4.1.1', 'ECS17b', read('ReadInstantaneousImportRegisters', 'ECS17b', importRegistersRead)),
  entry('4.1.2', 'ECS17d', read('ReadInstantaneousImportTOUMatrices', 'ECS17d', touRegistersRead)),
  entry(
    '4.1.3',
    'ECS17e',
    read('ReadInstantaneousImportTOUWithBlocksMatrices', 'ECS17e', touBlockRegistersRead),
  ),
  entry(
    '4.13',
    'ECS26a',
    read('ReadPrepaymentConfiguration', 'ECS26a', () => PREPAYMENT_CONFIGURATION_READS.map(reading)),
  ),
  // RTDS 4.18_ECS82: get the token credit's current_credit_amount (class 112 attribute 2) [O].
  entry(
    '4.18',
    'ECS82',
    read('ReadMeterBalance', 'ECS82', () => [reading(get(112, credit(TOKEN_CREDIT), 2))]),
  ),
  entry('6.11', 'ECS70', setClock('SynchroniseClock')),
  entry('6.15.1', 'CS02b', updateSecurityCredentials),
  entry('7.1', 'ECS42', supplySwitch('EnableSupply', 'ECS42', SUPPLY_SCRIPT.enable)),
  entry('7.2', 'ECS43', supplySwitch('DisableSupply', 'ECS43', SUPPLY_SCRIPT.disable)),
  entry('7.3', 'ECS44', supplySwitch('ArmSupply', 'ECS44', SUPPLY_SCRIPT.arm)),
  entry(
    '7.4',
    'ECS45',
    read('ReadSupplyStatus', 'ECS45', () => [reading(get(70, DISCONNECT_CONTROL, 3))]),
  ),
  entry('8.1.1', 'ECS70', setClock('CommissionDeviceSynchroniseClock')),
  // RTDS 11.2_ECS52: the active firmware identifier (class 1, 0-0:0.2.1.255, attribute 2) [O].
  entry(
    '11.2',
    'ECS52',
    read('ReadFirmwareVersion', 'ECS52', () => [reading(get(1, obis(0, 0, 0, 2, 1, 255), 2))]),
  ),
  entry('11.3', 'CS06', activateFirmware),
];
