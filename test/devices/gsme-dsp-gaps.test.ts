// The gas reads the DCC's transforms produce that the actors did not execute: GCS13a Read GSME Consumption Register
// (SR 4.1.1, 0x0074) answered by the GSME at its wake-up or by the GPF from its mirror, and GCS21b Read GSME
// Configuration Data Prepayment (SR 4.13, 0x00B5) answered by the GSME from what GCS02/03, GCS04 and GCS05 set. Each
// command is built by src/dcc/transform/gas.ts and sealed as the DCC sends it; responses are checked against the
// state and, where RTDS 4.5.0 has the use case (4.13_GCS21b; GCS13c for GCS13a's held-back folder), its shape.
import { describe, expect, it } from 'vitest';
import type { GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { ZclPayload } from '../../src/codec/gbcs/gbz/index.js';
import {
  GSME_CODES,
  nextWakeAfter,
  stepGsme,
  type GsmeInit,
  type GsmeState,
} from '../../src/devices/gsme.js';
import { FUTURE_DATED_TIMER } from '../../src/devices/gsme-prepayment.js';
import { createGpf, stepGpf, type GpfState } from '../../src/hub/gpf.js';
import {
  CHF,
  clusterCommand,
  dateTimeStatus,
  deliverAtWake,
  deviceInit,
  env,
  expectRtdsShape,
  framesTo,
  gasCommand,
  gbz,
  GPF,
  GSME,
  joinedGsme,
  le,
  mailbox,
  notes,
  payloadShape,
  readAttributes,
  rtdsMessage,
  rtdsShape,
  T0,
  theResponse,
  wake,
  zclPayloads,
} from '../support/gas-commands.js';
import { userReadValues, userZclPayloads } from '../support/gas-read-values.js';
import { bodyFromXml, sealDraft, transform } from '../support/transform-gas-hub.js';
import { skipReason } from '../vectors.js';

const DAY = 86_400_000;
/** 2015-01-01T00:00:00Z: the issue time of RTDS 4.5.0's ZSE commands (Issuer Event ID 0x1C374A80) [O]. */
const RTDS_ISSUE_TIME = Date.UTC(2015, 0, 1);

/** The transform's command for `srv`, sealed as the DCC sends it to `target`. */
function dccCommand(srv: string, bodyXml: string, target: 'GSME' | 'GPF', counter: bigint, nowMs = T0) {
  const draft = transform(srv, bodyFromXml(srv, bodyXml), target === 'GSME' ? GSME : GPF, { counter, nowMs });
  return { draft, bytes: sealDraft(env, draft, { target, counter }) };
}

/** A GSME session per command, each delivered from the CHF's mailbox at the next wake-up. */
function deliverAll(state: GsmeState, wakeAt: number, commands: readonly Uint8Array[]) {
  let s = { state, wakeAt, effects: [] as Parameters<typeof theResponse>[0] };
  for (const bytes of commands) s = deliverAtWake(s.state, s.wakeAt, bytes);
  return s;
}

function componentsOf(message: GbcsMessage) {
  const p = message.payload;
  if (p.kind !== 'gbz' || p.gbz.kind !== 'components') throw new Error('not GBZ components');
  return p.gbz.components;
}

function rawBytes(payload: ZclPayload): Uint8Array {
  if (payload.kind !== 'raw') throw new Error(`not a raw cluster payload: ${payload.kind}`);
  return payload.bytes;
}

// ---------------------------------------------------------------------------------------------------------
// GCS13a

const READ_REGISTERS = '<sr:ReadInstantaneousImportRegisters/>';
const CONSUMPTION = 12_345_678;

/**
 * No RTDS 4.1.1_GCS13a in this copy: the response has GCS13c's shape (RTDS 4.1.2_GCS13c, same component, header
 * and encryption) for the attributes both ask for — Divisor, Multiplier, Unit of Measure, then a uint48 register in
 * place of GCS13c's tiers [A].
 */
function expectGcs13cShape(ours: GbcsMessage, file: string): void {
  const rtds = rtdsMessage('4.1.2_GCS13c', file);
  if (rtds === undefined) return void console.warn(`4.1.2_GCS13c/${file}: ${skipReason()}`);
  type Shape = { payload: [number, number, number | null][] } & Record<string, unknown>;
  const [theirs] = rtdsShape(rtds) as Shape[];
  const [mine, ...more] = payloadShape(ours) as Shape[];
  expect(more).toEqual([]);
  const { payload: theirRecords, ...theirHeader } = theirs!;
  const { payload: myRecords, ...myHeader } = mine!;
  expect(myHeader).toEqual(theirHeader);
  expect(myRecords.slice(0, 3)).toEqual(theirRecords.slice(0, 3));
  expect(myRecords[3]).toEqual([0x0000, 0, theirRecords[3]![2]]);
  expect(dateTimeStatus(ours)).toBe(dateTimeStatus(rtds));
}

/** The register read the GCS13a transform asks for, decrypted as the User reads it. */
function expectRegisterRead(message: GbcsMessage, consumption: number): void {
  expect(userZclPayloads(message).map((c) => [c.clusterId, c.encrypted])).toEqual([[0x0702, true]]);
  const values = userReadValues(message);
  expect([...values.keys()]).toEqual([0x0302, 0x0301, 0x0300, 0x0000]);
  expect(values.get(0x0302)).toMatchObject({ type: 0x22, value: 1000 }); // volume × 1000 (GCS13c) [O]
  expect(values.get(0x0301)).toMatchObject({ type: 0x22, value: 1 });
  expect(values.get(0x0300)).toMatchObject({ type: 0x30, value: 0x01 }); // m³
  expect(values.get(0x0000)).toMatchObject({ type: 0x25, value: consumption });
}

/** A GPF holding the mirror its GSME (with `init`) sends at its first wake-up, and the GSME asleep again. */
function mirroredGpf(init: Partial<GsmeInit>): { gpf: GpfState; gsme: GsmeState; at: number } {
  const { state, wakeAt } = joinedGsme(init);
  const woken = wake(state, wakeAt);
  const frame = framesTo(woken.effects, GPF)[0];
  if (frame?.type !== 'mirror-update') throw new Error('a waking GSME updates its GPF');
  const gpf = stepGpf(
    createGpf({ ...deviceInit(GPF), gsme: GSME }),
    { type: 'han', from: GSME, frame: { type: 'mirror-update', mirror: frame.mirror } },
    wakeAt + 20,
    env,
  ).state;
  const asleep = mailbox(woken.state, null, 0, wakeAt + 50).state;
  return { gpf, gsme: asleep, at: wakeAt + 60_000 };
}

const fromChf = (gpf: GpfState, bytes: Uint8Array, at: number) =>
  stepGpf(gpf, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, at, env);

describe('GCS13a Read GSME Consumption Register (SR 4.1.1)', () => {
  it('addressed to the GSME, is answered at its wake-up with its consumption register, encrypted for the User', () => {
    const { bytes, draft } = dccCommand('4.1.1', READ_REGISTERS, 'GSME', 1001n);
    expect(draft).toMatchObject({ messageCode: GSME_CODES.GCS13a, recipient: GSME });
    const { state, wakeAt } = joinedGsme({ consumption: CONSUMPTION });
    const session = deliverAtWake(state, wakeAt, bytes);
    expect(notes(session.effects).join('\n')).not.toMatch(/does not support/);
    const response = theResponse(session.effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header).toMatchObject({
      messageCode: 0x0074,
      cra: 2,
      originator: GSME,
      originatorCounter: 1001n,
    });
    // GCS13c UNRELIABLE (to the GSME) carries a date-time; the GSME's own reads show its clock as good [A].
    expect(dateTimeStatus(response.message)).toBe(0x00);
    expectRegisterRead(response.message, CONSUMPTION);
    const shape = payloadShape(response.message) as { payload: unknown }[];
    expect(shape[0]).toMatchObject({ encrypted: true, disableDefaultResponse: true, commandId: 0x01 });
    // A read changes nothing but the wake cycle.
    expect(session.state.consumption).toBe(CONSUMPTION);
  });

  it('addressed to the GPF, is answered at once from the mirror with the GSME timestamp while the GSME sleeps (GCS13c RELIABLE_GSME shape)', () => {
    const { gpf, gsme, at } = mirroredGpf({ consumption: CONSUMPTION });
    expect(gsme.awake).toBe(false);
    const { bytes, draft } = dccCommand('4.1.1', READ_REGISTERS, 'GPF', 1000n);
    expect(draft).toMatchObject({ messageCode: 0x0074, recipient: GPF });
    const answered = fromChf(gpf, bytes, at);
    const response = theResponse(answered.effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header).toMatchObject({ cra: 2, originator: GPF, originatorCounter: 1000n });
    expect(dateTimeStatus(response.message)).toBe(0x04); // the GSME's timestamp of the mirrored data
    expectGcs13cShape(response.message, 'GCS13c_4.1.2_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX');
    expectRegisterRead(response.message, gpf.mirror!.consumption);
    expect(gpf.mirror!.consumption).toBe(CONSUMPTION);
    expect(answered.state).toEqual(gpf);
  });

  it('the GSME answer has the GCS13c shape of a read addressed to the GSME (RTDS UNRELIABLE, but for its clock status)', () => {
    const { bytes } = dccCommand('4.1.1', READ_REGISTERS, 'GSME', 1001n);
    const { state, wakeAt } = joinedGsme({ consumption: 7 });
    const message = theResponse(deliverAtWake(state, wakeAt, bytes).effects).message;
    const rtds = rtdsMessage('4.1.2_GCS13c', 'GCS13c_4.1.2_SUCCESS_UNRELIABLE_RESPONSE_GBCS.HEX');
    if (rtds === undefined) return void console.warn(`4.1.2_GCS13c: ${skipReason()}`);
    const [mine] = payloadShape(message) as Record<string, unknown>[];
    const [theirs] = rtdsShape(rtds) as Record<string, unknown>[];
    expect({ ...mine, payload: null }).toEqual({ ...theirs, payload: null });
    expect(dateTimeStatus(message) === null).toBe(dateTimeStatus(rtds) === null);
  });

  it('addressed to the GPF before the GSME has ever reported, each component is answered FAILURE', () => {
    const gpf = createGpf({ ...deviceInit(GPF), gsme: GSME });
    const { bytes } = dccCommand('4.1.1', READ_REGISTERS, 'GPF', 1000n);
    const answered = fromChf(gpf, bytes, T0);
    expect(zclPayloads(theResponse(answered.effects).message.payload)).toEqual([
      { kind: 'default-response', commandId: 0x00, status: 0x01 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// GCS21b

const READ_CONFIGURATION = '<sr:ReadPrepaymentConfiguration/>';

const dayXml = (id: number, switches: readonly [string, 'START' | 'STOP'][]) =>
  '<sr:GasNonDisablementDayProfile>' +
  switches
    .map(
      ([t, a]) =>
        `<sr:TimeStartAction><sr:StartTime>${t}Z</sr:StartTime><sr:NonDisablementAction>${a}</sr:NonDisablementAction></sr:TimeStartAction>`,
    )
    .join('') +
  `<sr:GasDayName>${id}</sr:GasDayName></sr:GasNonDisablementDayProfile>`;

const weekXml = (id: number, days: readonly number[]) =>
  `<sr:WeekProfile><sr:WeekName>${id}</sr:WeekName>` +
  days.map((d, i) => `<sr:ReferencedDayName index="${i + 1}">${d}</sr:ReferencedDayName>`).join('') +
  '</sr:WeekProfile>';

const dateXml = (element: string, year: number | null, month: number, day: number) =>
  `<sr:${element}><sr:GasYearWithWildcards>${year === null ? '<sr:NonSpecifiedYear/>' : `<sr:SpecifiedYear>${year}</sr:SpecifiedYear>`}</sr:GasYearWithWildcards>` +
  `<sr:GasMonthWithWildcards><sr:SpecifiedMonth>${month}</sr:SpecifiedMonth></sr:GasMonthWithWildcards>` +
  `<sr:GasDayOfMonthWithWildcards><sr:SpecifiedDayOfMonth>${day}</sr:SpecifiedDayOfMonth></sr:GasDayOfMonthWithWildcards>` +
  `<sr:GasDayOfWeekWithWildcards><sr:NonSpecifiedDayOfWeek/></sr:GasDayOfWeekWithWildcards></sr:${element}>`;

/**
 * DUIS 2.1 setting what RTDS 4.5.0 4.13_GCS21b SUCCESS reads back [O]: EC limit 1000000, threshold 200000, low
 * credit 500000, debt cap 1000000, max credit 10000000 / per top-up 5000000; day profiles 1–4 (00:00 START, then
 * 08:00 / 07:00 STOP and 18:00 / 17:00 / 14:00 / 13:00 START), weeks 1 (1 1 1 1 1 3 3) and 2 (2 2 2 2 2 4 4),
 * seasons --03-29 → week 2 and --10-26 → week 1, special days 2015-04-05 and 2015-08-31 → day 4, --12-25 and --12-26
 * → day 3.
 */
const rtdsConfigurationXml = (execution = '') =>
  `<sr:UpdatePrepayConfiguration>${execution}<sr:UpdatePrepayConfigGas>` +
  '<sr:DebtRecoveryRateCap>1000000</sr:DebtRecoveryRateCap><sr:EmergencyCreditLimit>1000000</sr:EmergencyCreditLimit>' +
  '<sr:EmergencyCreditThreshold>200000</sr:EmergencyCreditThreshold><sr:LowCreditThreshold>500000</sr:LowCreditThreshold>' +
  '<sr:GasNonDisablementCalendar><sr:DayProfiles>' +
  dayXml(1, [
    ['00:00:00', 'START'],
    ['08:00:00', 'STOP'],
    ['18:00:00', 'START'],
  ]) +
  dayXml(2, [
    ['00:00:00', 'START'],
    ['07:00:00', 'STOP'],
    ['17:00:00', 'START'],
  ]) +
  dayXml(3, [
    ['00:00:00', 'START'],
    ['08:00:00', 'STOP'],
    ['14:00:00', 'START'],
  ]) +
  dayXml(4, [
    ['00:00:00', 'START'],
    ['07:00:00', 'STOP'],
    ['13:00:00', 'START'],
  ]) +
  '</sr:DayProfiles><sr:WeekProfiles>' +
  weekXml(1, [1, 1, 1, 1, 1, 3, 3]) +
  weekXml(2, [2, 2, 2, 2, 2, 4, 4]) +
  '</sr:WeekProfiles><sr:SeasonProfiles>' +
  `<sr:Season>${dateXml('SeasonStartDate', null, 3, 29)}<sr:ReferencedWeekName>2</sr:ReferencedWeekName></sr:Season>` +
  `<sr:Season>${dateXml('SeasonStartDate', null, 10, 26)}<sr:ReferencedWeekName>1</sr:ReferencedWeekName></sr:Season>` +
  '</sr:SeasonProfiles><sr:SpecialDays>' +
  [
    [2015, 4, 5, 4],
    [2015, 8, 31, 4],
    [null, 12, 25, 3],
    [null, 12, 26, 3],
  ]
    .map(
      ([y, m, d, ref]) =>
        `<sr:SpecialDay>${dateXml('Date', y ?? null, m!, d!)}<sr:ReferencedDayName>${ref}</sr:ReferencedDayName></sr:SpecialDay>`,
    )
    .join('') +
  '</sr:SpecialDays></sr:GasNonDisablementCalendar>' +
  '<sr:MaxMeterBalance>10000000</sr:MaxMeterBalance><sr:MaxCreditThreshold>5000000</sr:MaxCreditThreshold>' +
  '</sr:UpdatePrepayConfigGas></sr:UpdatePrepayConfiguration>';

/** DUIS 1.6 to prepayment with the Cut Off Value RTDS 4.13_GCS21b reads (-5000000) [O]. */
const PREPAYMENT_MODE_XML =
  '<sr:UpdatePaymentMode><sr:Prepayment><sr:SuspendDebtDisabled>false</sr:SuspendDebtDisabled>' +
  '<sr:SuspendDebtEmergency>false</sr:SuspendDebtEmergency><sr:DisablementThreshold>-5000000</sr:DisablementThreshold>' +
  '</sr:Prepayment></sr:UpdatePaymentMode>';

/** DUIS 2.3 with the debt recovery RTDS 4.13_GCS21b reads: 500000 / 200000 daily, 10.00 % of top-ups [O]. */
const DEBT_XML =
  '<sr:UpdateDebt><sr:TimeDebtRegister1>0</sr:TimeDebtRegister1><sr:TimeDebtRegister2>0</sr:TimeDebtRegister2>' +
  '<sr:PaymentDebtRegister>0</sr:PaymentDebtRegister><sr:DebtRecoveryPerPayment>1000</sr:DebtRecoveryPerPayment>' +
  '<sr:GasDebtRecovery1><sr:DebtRecoveryRate>500000</sr:DebtRecoveryRate><sr:DebtRecoveryRatePeriod>DAILY</sr:DebtRecoveryRatePeriod></sr:GasDebtRecovery1>' +
  '<sr:GasDebtRecovery2><sr:DebtRecoveryRate>200000</sr:DebtRecoveryRate><sr:DebtRecoveryRatePeriod>DAILY</sr:DebtRecoveryRatePeriod></sr:GasDebtRecovery2>' +
  '</sr:UpdateDebt>';

/** RTDS 4.13_GCS21b's Read Attributes order (the transform's, gas.ts) [O]. */
const PREPAYMENT_ATTRIBUTES = [
  0x0239, 0x0006, 0x0216, 0x0226, 0x0040, 0x0010, 0x0011, 0x0031, 0x0021, 0x0022, 0x0217, 0x0227,
];

/** The Prepayment component's values, by attribute, read from the GSME's prepayment state. */
function expectedPrepaymentValues(state: GsmeState): [number, number][] {
  const p = state.prepayment;
  const r = (register: number, field: number) => p.debtRecovery[register]?.[field] ?? 0;
  const values: Record<number, number> = {
    0x0239: r(2, 3),
    0x0006: p.overallDebtCap,
    0x0216: r(0, 1),
    0x0226: r(1, 1),
    0x0040: p.cutOff,
    0x0010: p.emergencyCreditLimit,
    0x0011: p.emergencyCreditThreshold,
    0x0031: p.lowCreditWarning,
    0x0021: p.maxCreditLimit,
    0x0022: p.maxCreditPerTopUp,
    0x0217: r(0, 2),
    0x0227: r(1, 2),
  };
  return PREPAYMENT_ATTRIBUTES.map((id) => [id, values[id]!]);
}

function readAttributeValues(payload: ZclPayload): [number, unknown][] {
  if (payload.kind !== 'read-attributes-response') throw new Error(`not a read response: ${payload.kind}`);
  return payload.records.map((r) => [r.attributeId, r.value?.kind === 'number' ? r.value.value : r.value]);
}

/** A GSME configured through the DCC as RTDS 4.13_GCS21b's meter was: 1.6, 2.1 and 2.3, one per wake-up. */
function configuredGsme(execution = '') {
  const { state, wakeAt } = joinedGsme();
  const issue = { nowMs: RTDS_ISSUE_TIME };
  const commands = [
    dccCommand('1.6', PREPAYMENT_MODE_XML, 'GSME', 1000n, issue.nowMs).bytes,
    dccCommand('2.1', rtdsConfigurationXml(execution), 'GSME', 1001n, issue.nowMs).bytes,
    dccCommand('2.3', DEBT_XML, 'GSME', 1002n, issue.nowMs).bytes,
  ];
  return deliverAll(state, wakeAt, commands);
}

describe('GCS21b Read GSME Prepayment Configuration (SR 4.13)', () => {
  it('reads back what GCS03, GCS05 and GCS04 set: the RTDS 4.13 SUCCESS response, shape and values', () => {
    const configured = configuredGsme();
    expect(configured.state.prepayment.nonDisablementCalendar).not.toBe(0);
    const { bytes, draft } = dccCommand('4.13', READ_CONFIGURATION, 'GSME', 1003n);
    expect(draft).toMatchObject({ messageCode: GSME_CODES.GCS21b, recipient: GSME });
    const session = deliverAtWake(configured.state, configured.wakeAt, bytes);
    expect(notes(session.effects).join('\n')).not.toMatch(/does not support/);
    const response = theResponse(session.effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header).toMatchObject({ messageCode: 0x00b5, originator: GSME, dateTime: null });
    const ours = componentsOf(response.message);

    // Against the state: the Prepayment attributes, the Price Trailing Digit, the calendar republished.
    const zcl = zclPayloads(response.message.payload);
    expect(readAttributeValues(zcl[0]!)).toEqual(expectedPrepaymentValues(session.state));
    expect(readAttributeValues(zcl[1]!)).toEqual([[0x0617, 0x50]]);
    const cal = session.state.prepayment.calendar;
    expect(ours.slice(2).map((c) => [c.header.commandId, c.header.sequenceNumber])).toEqual([
      ...cal.days.map(() => [0x01, 2]),
      ...cal.weeks.map(() => [0x02, 3]),
      [0x03, 4],
      [0x04, 5],
    ]);
    expect(cal.days.map((d) => d.entries)).toEqual([
      [
        [0, 1],
        [480, 0],
        [1080, 1],
      ],
      [
        [0, 1],
        [420, 0],
        [1020, 1],
      ],
      [
        [0, 1],
        [480, 0],
        [840, 1],
      ],
      [
        [0, 1],
        [420, 0],
        [780, 1],
      ],
    ]);
    const calendarId = session.state.prepayment.nonDisablementCalendar;
    const header = le([0, 4], [cal.issuerEventId, 4], [calendarId, 4]);
    for (const p of zcl.slice(2)) expect(rawBytes(p).slice(0, 12)).toEqual(header);

    // Against RTDS 4.5.0 4.13_GCS21b SUCCESS: the shape, every Read Attributes value, and each Publish payload
    // but for the Issuer Calendar ID (the RTDS meter's calendar was published on another day: 0x1C0FBD80).
    const rtds = expectRtdsShape(response.message, '4.13_GCS21b', 'GCS21b_4.13_SUCCESS_RESPONSE_GBCS.HEX');
    if (rtds === undefined) return;
    expect(dateTimeStatus(response.message)).toBe(dateTimeStatus(rtds));
    const theirs = componentsOf(rtds);
    const theirZcl = zclPayloads(rtds.payload);
    expect(zcl.slice(0, 2)).toEqual(theirZcl.slice(0, 2));
    for (let i = 2; i < theirs.length; i++) {
      const mine = rawBytes(zcl[i]!);
      const expected = rawBytes(theirZcl[i]!);
      expect([...mine.slice(0, 8)]).toEqual([...expected.slice(0, 8)]);
      expect([...mine.slice(12)]).toEqual([...expected.slice(12)]);
    }
  });

  it('answers NOT_FOUND for the calendar parts of a GSME no GCS05 has given a calendar (RTDS 4.13 NOT_FOUND shape)', () => {
    const init = {
      prepayment: { emergencyCreditLimit: 500_000, emergencyCreditThreshold: 100_000, cutOff: -25_000 },
    };
    const { state, wakeAt } = joinedGsme(init);
    const { bytes } = dccCommand('4.13', READ_CONFIGURATION, 'GSME', 1001n);
    const session = deliverAtWake(state, wakeAt, bytes);
    const response = theResponse(session.effects);
    expect(response.verification.mac).toBe('valid');
    const zcl = zclPayloads(response.message.payload);
    expect(readAttributeValues(zcl[0]!)).toEqual(expectedPrepaymentValues(session.state));
    expect(new Map(readAttributeValues(zcl[0]!)).get(0x0010)).toBe(500_000);
    expect(zcl.slice(2)).toEqual(
      [0x01, 0x02, 0x03, 0x04].map((commandId) => ({ kind: 'default-response', commandId, status: 0x8b })),
    );
    expectRtdsShape(response.message, '4.13_GCS21b', 'GCS21b_4.13_NOT_FOUND_RESPONSE_GBCS.HEX');
  });

  it('a future-dated GCS05 is read back only once it has taken effect', () => {
    const at = T0 + 3 * DAY;
    const execution = `<sr:ExecutionDateTime>${new Date(at).toISOString()}</sr:ExecutionDateTime>`;
    const configured = configuredGsme(execution);
    expect(configured.state.prepayment.pending.length).toBeGreaterThan(0);
    const before = deliverAtWake(
      configured.state,
      configured.wakeAt,
      dccCommand('4.13', READ_CONFIGURATION, 'GSME', 1003n).bytes,
    );
    const early = zclPayloads(theResponse(before.effects).message.payload);
    expect(new Map(readAttributeValues(early[0]!)).get(0x0010)).toBe(0);
    expect(early.slice(2).every((p) => p.kind === 'default-response' && p.status === 0x8b)).toBe(true);

    const due = stepGsme(before.state, { type: 'timer', timer: { name: FUTURE_DATED_TIMER } }, at, env);
    expect(due.state.prepayment.pending).toEqual([]);
    const wakeAt = nextWakeAfter(due.state, at);
    const after = deliverAtWake(
      due.state,
      wakeAt,
      dccCommand('4.13', READ_CONFIGURATION, 'GSME', 1004n).bytes,
    );
    const late = theResponse(after.effects).message;
    expect(new Map(readAttributeValues(zclPayloads(late.payload)[0]!)).get(0x0010)).toBe(1_000_000);
    expect(
      componentsOf(late)
        .slice(2)
        .map((c) => c.header.commandId),
    ).toEqual([1, 1, 1, 1, 2, 2, 3, 4]);
  });

  it('Get Day / Week Profiles honour Start ID and count; another Issuer Calendar ID is NOT_FOUND', () => {
    const configured = configuredGsme();
    const calendarId = configured.state.prepayment.nonDisablementCalendar;
    const get = (commandId: number, id: number, start: number, count: number, seq: number) =>
      clusterCommand(0x0707, commandId, le([0, 4], [id, 4], [start, 1], [count, 1]), seq);
    const command = gasCommand({
      messageCode: GSME_CODES.GCS21b,
      counter: 1003n,
      payload: gbz([
        readAttributes(0x0705, [0x0010, 0x0001], 0),
        get(0x01, 0xfffffffe, 2, 2, 1),
        get(0x02, calendarId, 2, 0, 2),
        get(0x01, calendarId ^ 1, 1, 0, 3),
      ]),
    });
    const response = theResponse(deliverAtWake(configured.state, configured.wakeAt, command).effects).message;
    const components = componentsOf(response);
    expect(components.map((c) => [c.header.commandId, c.header.sequenceNumber])).toEqual([
      [0x01, 0],
      [0x01, 1],
      [0x01, 1],
      [0x02, 2],
      [0x0b, 3],
    ]);
    const zcl = zclPayloads(response.payload);
    // Attributes outside the configuration are read as the GSME's other reads answer them (Credit Remaining).
    expect(readAttributeValues(zcl[0]!)).toEqual([
      [0x0010, 1_000_000],
      [0x0001, 0],
    ]);
    expect([rawBytes(zcl[1]!)[12], rawBytes(zcl[2]!)[12], rawBytes(zcl[3]!)[12]]).toEqual([2, 3, 2]);
    expect(zcl[4]).toEqual({ kind: 'default-response', commandId: 0x01, status: 0x8b });
  });
});
