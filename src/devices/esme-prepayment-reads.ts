// Reading the ESME's prepayment values back: ECS26a Read ESME Configuration Data Prepayment (SR 4.13) and ECS82 Read
// Meter Balance (SR 4.18). Each get is answered from one table of the readable objects, with the Data type RTDS 4.5.0
// gives it (4.13_ECS26a, 4.18_ECS82 SUCCESS responses) and the value the prepayment commands set
// (esme-prepayment.ts); no response date-time, as RTDS [O]. An object the table lacks answers object-undefined.
import { fromHex, Reader } from '../codec/bytes.js';
import { decodeDlmsData, type DlmsData } from '../codec/gbcs/dlms/index.js';
import type { CommandHandler } from './device.js';
import { accessRequestOf, accessResponse, attributeKey, failed, RESULT, type Answer } from './esme-dlms.js';
import { note, type DebtRecoveryRate, type EsmeState, type PrepaymentState } from './esme-state.js';

/** Reads one attribute from the prepayment values; undefined when the value does not fit its RTDS type. */
type Getter = (p: PrepaymentState) => DlmsData | undefined;

const RANGES = {
  'double-long': [-(2 ** 31), 2 ** 31 - 1],
  'double-long-unsigned': [0, 2 ** 32 - 1],
  'long-unsigned': [0, 0xffff],
  long: [-0x8000, 0x7fff],
  integer: [-0x80, 0x7f],
} as const;

type IntegerType = keyof typeof RANGES;

/** An integer Data of `type`, or undefined when `value` is outside the type's range (answered other-reason). */
function int(type: IntegerType, value: number): DlmsData | undefined {
  const [min, max] = RANGES[type];
  return Number.isInteger(value) && value >= min && value <= max ? ({ type, value } as DlmsData) : undefined;
}

const amount =
  (field: keyof PrepaymentState, type: IntegerType = 'double-long'): Getter =>
  (p) => {
    const v = p[field];
    return typeof v === 'number' ? int(type, v) : undefined;
  };

/** A table kept as set (A-XDR hex), decoded to the Data it was. */
const table =
  (field: 'specialDays' | 'nonDisablementSchedule' | 'creditChargeConfiguration'): Getter =>
  (p) =>
    decodeDlmsData(new Reader(fromHex(p[field]), 'dlms'));

/**
 * RTDS 4.13_ECS26a: a time debt's unit_charge_active (class 113 attribute 5) as { scaling { 0, price scale },
 * commodity { 0, 000000000000, 0 }, [ { '', rate } ] } — time-based, so no commodity and one unnamed entry [O].
 */
function unitCharge(r: DebtRecoveryRate): DlmsData | undefined {
  const scale = int('integer', r.priceScale);
  const rate = int('long', r.rate);
  if (scale === undefined || rate === undefined) return undefined;
  return {
    type: 'structure',
    value: [
      { type: 'structure', value: [{ type: 'integer', value: 0 }, scale] },
      {
        type: 'structure',
        value: [
          { type: 'long-unsigned', value: 0 },
          { type: 'octet-string', value: new Uint8Array(6) },
          { type: 'integer', value: 0 },
        ],
      },
      {
        type: 'array',
        value: [{ type: 'structure', value: [{ type: 'octet-string', value: new Uint8Array(0) }, rate] }],
      },
    ],
  };
}

const recovery =
  (field: 'timeDebt1Recovery' | 'timeDebt2Recovery'): Getter =>
  (p) =>
    unitCharge(p[field]);
const period =
  (field: 'timeDebt1Recovery' | 'timeDebt2Recovery'): Getter =>
  (p) =>
    int('double-long-unsigned', p[field].periodS);

/** RTDS 4.13_ECS26a reads the Account, calendars and schedule at 0-0:…; ECS02/03/08 set them at 0-1:… [O]. */
const ACCOUNT_READ = [0, 0, 19, 0, 0, 255];
const ACCOUNT_SET = [0, 1, 19, 0, 0, 255];
const charge = (e: number): number[] => [0, 0, 19, 20, e, 255];
const credit = (e: number): number[] => [0, 0, 19, 10, e, 255];

/** One entry per readable attribute, `obis` list: the addresses that name the same object. */
const entry = (classId: number, obis: readonly number[][], attributeId: number, get: Getter) =>
  obis.map((o) => [attributeKey(classId, o, attributeId), get] as const);

/** Every readable prepayment attribute, by class/obis/attribute. [O]: read by RTDS 4.13 or 4.18; else [A]. */
const READABLE: ReadonlyMap<string, Getter> = new Map<string, Getter>([
  // RTDS 4.13_ECS26a, in its order [O]
  ...entry(113, [charge(1)], 5, recovery('timeDebt1Recovery')),
  ...entry(
    11,
    [
      [0, 0, 11, 0, 2, 255],
      [0, 1, 11, 0, 2, 255],
    ],
    2,
    table('specialDays'),
  ),
  ...entry(113, [charge(1)], 8, period('timeDebt1Recovery')),
  ...entry(113, [charge(2)], 5, recovery('timeDebt2Recovery')),
  ...entry(113, [charge(2)], 8, period('timeDebt2Recovery')),
  ...entry(113, [charge(3)], 13, amount('debtRecoveryPerPayment', 'long-unsigned')),
  ...entry(9000, [[0, 0, 94, 44, 2, 10]], 2, amount('maxCreditThreshold')),
  // Register monitor thresholds: the one threshold below which supply is disabled [A: ECS03 sets it on 94.44.128.22].
  ...entry(21, [[0, 0, 16, 0, 1, 255]], 2, (p) => {
    const threshold = int('double-long', p.disablementThreshold);
    return threshold === undefined ? undefined : { type: 'array', value: [threshold] };
  }),
  ...entry(9000, [[0, 0, 94, 44, 2, 20]], 2, amount('maxMeterBalance')),
  ...entry(111, [ACCOUNT_READ, ACCOUNT_SET], 16, amount('lowCreditThreshold')), // low_credit_threshold
  ...entry(111, [ACCOUNT_READ, ACCOUNT_SET], 18, amount('debtRecoveryRateCap', 'long-unsigned')), // max_provision
  ...entry(111, [ACCOUNT_READ, ACCOUNT_SET], 19, amount('debtRecoveryRateCapPeriodS')), // max_provision_period
  ...entry(112, [credit(1)], 9, amount('emergencyCreditLimit')), // preset_credit_amount
  ...entry(112, [credit(1)], 10, amount('emergencyCreditThreshold')), // credit_available_threshold
  ...entry(
    10,
    [
      [0, 0, 12, 0, 1, 255],
      [0, 1, 12, 0, 1, 255],
    ],
    2,
    table('nonDisablementSchedule'),
  ),
  ...entry(111, [ACCOUNT_READ, ACCOUNT_SET], 11, table('creditChargeConfiguration')),
  // RTDS 4.18_ECS82: the token credit's current_credit_amount is the meter balance [O]
  ...entry(112, [credit(0)], 2, (p) => int('double-long', p.ledger.meterBalance)),
  // The emergency credit's current_credit_amount and the debt registers' total_amount_remaining [A: not read by RTDS]
  ...entry(112, [credit(1)], 2, (p) =>
    int('double-long', p.ledger.emergencyCreditActive ? p.ledger.emergencyCreditBalance : 0),
  ),
  ...entry(113, [charge(1)], 12, (p) => int('double-long', p.ledger.timeDebts[0])),
  ...entry(113, [charge(2)], 12, (p) => int('double-long', p.ledger.timeDebts[1])),
  ...entry(113, [charge(3)], 12, (p) => int('double-long', p.ledger.paymentDebt)),
]);

/** ECS26a and ECS82: every get answered from READABLE; other requests are not reads of prepayment values. */
export const readPrepayment: CommandHandler<EsmeState> = (state, command) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  const answers = request.specifications.map((spec): Answer => {
    const get =
      spec.type === 'get'
        ? READABLE.get(attributeKey(spec.classId, spec.instanceId, spec.attributeId))
        : undefined;
    if (get === undefined) return failed(RESULT.objectUndefined);
    const data = get(state.prepayment);
    return data === undefined ? failed(RESULT.otherReason) : { data, result: RESULT.success };
  });
  return { state, payload: accessResponse(request, answers) };
};
