// The gas transforms end to end: each SRV's draft sealed as the DCC would and delivered to the GSME (from its CHF mailbox at its wake-up) or the GPF, the response a success and the meter changed as asked; the RTDS bytes of the use cases whose templates are held back; bad bodies refused with typed errors only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuisError } from '../../src/codec/duis/common.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import { bytesEqual } from '../../src/codec/bytes.js';
import type { Asn1View } from '../../src/codec/gbcs/asn1/index.js';
import type { GbcsMessage } from '../../src/codec/gbcs/frame.js';
import { encodePayload } from '../../src/codec/gbcs/payload.js';
import { GAS_TRANSFORMS } from '../../src/dcc/transform/gas.js';
import { TransformError, type CommandDraft } from '../../src/dcc/transform/types.js';
import { GSME_CODES, type GsmeInit } from '../../src/devices/gsme.js';
import type { GasMirror } from '../../src/devices/types.js';
import { EMPTY_LEDGER } from '../../src/prepayment/ledger.js';
import { createGpf, stepGpf } from '../../src/hub/gpf.js';
import {
  CHF,
  deliverAtWake,
  deviceInit,
  env,
  expectRtdsShape,
  framesTo,
  joinedGsme,
  notes,
  rtdsMessage,
  T0,
  theResponse,
  utrnFor,
  wake,
  zclPayloads,
} from '../support/gas-commands.js';
import {
  bodyFromXml,
  GPF,
  GSME,
  mutateBody,
  refusalOf,
  sealDraft,
  transform,
  type BodyEdit,
} from '../support/transform-gas-hub.js';
import { userReadValues } from '../support/gas-read-values.js';
import { HAVE_VECTORS, skipReason } from '../vectors.js';

/** The transform's draft, sealed as the DCC sends it, delivered from the GSME's mailbox at its first wake-up. */
function toGsme(srv: string, bodyXml: string, o: { counter?: bigint; init?: Partial<GsmeInit> } = {}) {
  const counter = o.counter ?? 1000n;
  const draft = transform(srv, bodyFromXml(srv, bodyXml), GSME, { counter });
  const bytes = sealDraft(env, draft, { target: 'GSME', counter });
  const { state: before, wakeAt } = joinedGsme(o.init);
  const session = deliverAtWake(before, wakeAt, bytes);
  return { draft, before, state: session.state, effects: session.effects, wakeAt };
}

/** The one response, checked: CRA 2, the command's counter, its protection valid. */
function response(effects: Parameters<typeof theResponse>[0], critical: boolean): GbcsMessage {
  const r = theResponse(effects);
  if (critical) expect(r.verification.signature).toBe('valid');
  else expect(r.verification.mac).toBe('valid');
  return r.message;
}

/** Every component of a GBZ response is a Default Response with status SUCCESS. */
function allDefaultSuccess(message: GbcsMessage): void {
  const payloads = zclPayloads(message.payload);
  expect(payloads.length).toBeGreaterThan(0);
  for (const p of payloads) expect(p).toMatchObject({ kind: 'default-response', status: 0 });
}

function readValues(message: GbcsMessage): Map<number, unknown> {
  const out = new Map<number, unknown>();
  for (const p of zclPayloads(message.payload))
    if (p.kind === 'read-attributes-response')
      for (const r of p.records) out.set(r.attributeId, r.status === 0 ? r.value : `status ${r.status}`);
  return out;
}

function asn1ViewOf(message: GbcsMessage): Asn1View | undefined {
  return message.payload.kind === 'asn1' ? message.payload.asn1.view : undefined;
}

/** The draft's payload bytes equal the RTDS command's payload (held-back templates: body written here). */
function expectRtdsPayload(draft: CommandDraft, folder: string, file: string): void {
  const rtds = rtdsMessage(folder, file);
  if (rtds === undefined) return void console.warn(`${folder}/${file}: ${skipReason()}`);
  const ctx = { messageCode: draft.messageCode, cra: 1 as const };
  expect(draft.messageCode).toBe(rtds.header.messageCode);
  expect(bytesEqual(encodePayload(draft.payload, ctx), encodePayload(rtds.payload, ctx))).toBe(true);
}

/** 2015-01-01T00:00:00Z: the issue time of the RTDS ZSE commands (Issuer Event ID 0x1C374A80) [O]. */
const RTDS_ISSUE_TIME = Date.UTC(2015, 0, 1);

const iso = (ms: number) => new Date(ms).toISOString();

// A prepayment non-disablement calendar (the shape of duis-templates GCS05_2.1): two day profiles, one week, a season.
const CALENDAR_XML =
  '<sr:GasNonDisablementCalendar><sr:DayProfiles>' +
  '<sr:GasNonDisablementDayProfile><sr:TimeStartAction><sr:StartTime>00:00:00Z</sr:StartTime>' +
  '<sr:NonDisablementAction>START</sr:NonDisablementAction></sr:TimeStartAction><sr:TimeStartAction>' +
  '<sr:StartTime>08:00:00Z</sr:StartTime><sr:NonDisablementAction>STOP</sr:NonDisablementAction>' +
  '</sr:TimeStartAction><sr:GasDayName>1</sr:GasDayName></sr:GasNonDisablementDayProfile>' +
  '<sr:GasNonDisablementDayProfile><sr:TimeStartAction><sr:StartTime>00:00:00Z</sr:StartTime>' +
  '<sr:NonDisablementAction>START</sr:NonDisablementAction></sr:TimeStartAction><sr:GasDayName>2</sr:GasDayName>' +
  '</sr:GasNonDisablementDayProfile></sr:DayProfiles><sr:WeekProfiles><sr:WeekProfile><sr:WeekName>1</sr:WeekName>' +
  [1, 2, 3, 4, 5, 6, 7]
    .map((i) => `<sr:ReferencedDayName index="${i}">${i > 5 ? 2 : 1}</sr:ReferencedDayName>`)
    .join('') +
  '</sr:WeekProfile></sr:WeekProfiles><sr:SeasonProfiles><sr:Season><sr:SeasonStartDate>' +
  '<sr:GasYearWithWildcards><sr:NonSpecifiedYear/></sr:GasYearWithWildcards><sr:GasMonthWithWildcards>' +
  '<sr:SpecifiedMonth>1</sr:SpecifiedMonth></sr:GasMonthWithWildcards><sr:GasDayOfMonthWithWildcards>' +
  '<sr:SpecifiedDayOfMonth>1</sr:SpecifiedDayOfMonth></sr:GasDayOfMonthWithWildcards><sr:GasDayOfWeekWithWildcards>' +
  '<sr:NonSpecifiedDayOfWeek/></sr:GasDayOfWeekWithWildcards></sr:SeasonStartDate>' +
  '<sr:ReferencedWeekName>1</sr:ReferencedWeekName></sr:Season></sr:SeasonProfiles><sr:SpecialDays/>' +
  '</sr:GasNonDisablementCalendar>';

const prepayConfigXml = (execution = '') =>
  `<sr:UpdatePrepayConfiguration>${execution}<sr:UpdatePrepayConfigGas>` +
  '<sr:DebtRecoveryRateCap>100000</sr:DebtRecoveryRateCap><sr:EmergencyCreditLimit>1000000</sr:EmergencyCreditLimit>' +
  '<sr:EmergencyCreditThreshold>200000</sr:EmergencyCreditThreshold><sr:LowCreditThreshold>300000</sr:LowCreditThreshold>' +
  `${CALENDAR_XML}<sr:MaxMeterBalance>25000000</sr:MaxMeterBalance><sr:MaxCreditThreshold>5000000</sr:MaxCreditThreshold>` +
  '</sr:UpdatePrepayConfigGas></sr:UpdatePrepayConfiguration>';

const prepaymentModeXml = (execution = '') =>
  `<sr:UpdatePaymentMode>${execution}<sr:Prepayment><sr:SuspendDebtDisabled>true</sr:SuspendDebtDisabled>` +
  '<sr:SuspendDebtEmergency>false</sr:SuspendDebtEmergency><sr:DisablementThreshold>-50000</sr:DisablementThreshold>' +
  '</sr:Prepayment></sr:UpdatePaymentMode>';

const debtXml =
  '<sr:UpdateDebt><sr:TimeDebtRegister1>1000</sr:TimeDebtRegister1><sr:TimeDebtRegister2>2000</sr:TimeDebtRegister2>' +
  '<sr:PaymentDebtRegister>3000</sr:PaymentDebtRegister><sr:DebtRecoveryPerPayment>250</sr:DebtRecoveryPerPayment>' +
  '<sr:GasDebtRecovery1><sr:DebtRecoveryRate>50</sr:DebtRecoveryRate><sr:DebtRecoveryRatePeriod>DAILY</sr:DebtRecoveryRatePeriod></sr:GasDebtRecovery1>' +
  '<sr:GasDebtRecovery2><sr:DebtRecoveryRate>10</sr:DebtRecoveryRate><sr:DebtRecoveryRatePeriod>HOURLY</sr:DebtRecoveryRatePeriod></sr:GasDebtRecovery2>' +
  '</sr:UpdateDebt>';

const clockXml = (element: string, at: number, tolerance = 3600) =>
  `<sr:${element}><sr:CurrentDateTime>${iso(at)}</sr:CurrentDateTime><sr:TolerancePeriod>${tolerance}</sr:TolerancePeriod></sr:${element}>`;

const HASH = 'AA758690730934FF0685AA758690730934FF0685657788990011223344556677';

describe('7.2 / 7.3 / 7.4 supply (GCS32, GCS39, GCS33)', () => {
  it('7.2 Disable Supply closes the open valve of the GSME', () => {
    const out = toGsme('7.2', '<sr:DisableSupply/>', { init: { valve: 'open' } });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS32);
    const reply = zclPayloads(response(out.effects, true).payload);
    expect(reply[0]).toMatchObject({ kind: 'raw' });
    expect(out.before.valve).toBe('open');
    expect(out.state.valve).toBe('closed');
  });

  it('7.3 Arm Supply arms the closed valve of the GSME', () => {
    const out = toGsme('7.3', '<sr:ArmSupply/>', { init: { valve: 'closed' } });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS39);
    response(out.effects, true);
    expect(out.state.valve).toBe('armed');
  });

  it('7.4 Read Supply Status reads the valve state and battery life of the GSME', () => {
    const out = toGsme('7.4', '<sr:ReadSupplyStatus/>', { init: { valve: 'armed' } });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS33);
    const values = readValues(response(out.effects, false));
    expect(values.get(0x0014)).toMatchObject({ value: 1 }); // ZSE Supply Status 1: OFF/ARMED
    expect(values.has(0x0205)).toBe(true);
  });

  it('7.2 and 7.3 payloads are RTDS 7.2_GCS32 and 7.3_GCS39 (templates held back: body written here)', () => {
    const at = { nowMs: RTDS_ISSUE_TIME };
    const close = transform('7.2', bodyFromXml('7.2', '<sr:DisableSupply/>'), GSME, at);
    const arm = transform('7.3', bodyFromXml('7.3', '<sr:ArmSupply/>'), GSME, at);
    expectRtdsPayload(close, '7.2_GCS32', 'GCS32_7.2_SUCCESS_COMMAND_GBCS.HEX');
    expectRtdsPayload(arm, '7.3_GCS39', 'GCS39_7.3_SUCCESS_COMMAND_GBCS.HEX');
  });
});

describe('1.6 / 2.1 / 2.2 / 2.3 / 2.5 prepayment (GCS02/03, GCS05, CS01b, GCS04, GCS06)', () => {
  it('1.6 Update Payment Mode to prepayment puts the GSME in prepayment with the suspend-debt bits and threshold', () => {
    const out = toGsme('1.6', prepaymentModeXml());
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS03);
    response(out.effects, true);
    expect(out.before.prepayment.mode).toBe('credit');
    expect(out.state.prepayment).toMatchObject({
      mode: 'prepayment',
      paymentControl: 0x0c97,
      cutOff: -50000,
    });
  });

  it('1.6 Update Payment Mode to credit puts a prepayment GSME back in credit (GCS02)', () => {
    const out = toGsme('1.6', '<sr:UpdatePaymentMode><sr:Credit/></sr:UpdatePaymentMode>', {
      init: { prepayment: { mode: 'prepayment' } },
    });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS02);
    response(out.effects, true);
    expect(out.state.prepayment).toMatchObject({ mode: 'credit', paymentControl: 0x0c94 });
  });

  it('1.6 future-dated leaves the mode until its execution time, which the draft carries', () => {
    const at = T0 + 7 * 86_400_000;
    const execution = `<sr:ExecutionDateTime>${iso(at)}</sr:ExecutionDateTime>`;
    const out = toGsme('1.6', prepaymentModeXml(execution));
    expect(out.draft.executionMs).toBe(at);
    response(out.effects, true);
    expect(out.state.prepayment.mode).toBe('credit');
    expect(out.state.prepayment.pending.map((p) => p.atMs)).toEqual([at]);
  });

  it('2.1 Update Prepay Configuration sets the GSME emergency credit, debt cap, credit limits and calendar', () => {
    const out = toGsme('2.1', prepayConfigXml());
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS05);
    allDefaultSuccess(response(out.effects, true));
    expect(out.state.prepayment).toMatchObject({
      emergencyCreditLimit: 1_000_000,
      emergencyCreditThreshold: 200_000,
      overallDebtCap: 100_000,
      lowCreditWarning: 300_000,
      maxCreditLimit: 25_000_000,
      maxCreditPerTopUp: 5_000_000,
    });
    expect(out.state.prepayment.nonDisablementCalendar).not.toBe(0);
  });

  it('2.1 cancellation (ExecutionDateTime 3000-12-31) cancels the pending configuration', () => {
    const future = `<sr:ExecutionDateTime>${iso(T0 + 86_400_000)}</sr:ExecutionDateTime>`;
    const scheduled = toGsme('2.1', prepayConfigXml(future));
    expect(scheduled.state.prepayment.pending.length).toBeGreaterThan(0);
    const cancel = transform(
      '2.1',
      bodyFromXml(
        '2.1',
        prepayConfigXml('<sr:ExecutionDateTime>3000-12-31T00:00:00Z</sr:ExecutionDateTime>'),
      ),
      GSME,
      { counter: 1001n },
    );
    expect(cancel.executionMs).toBeUndefined();
    const session = deliverAtWake(
      scheduled.state,
      scheduled.wakeAt,
      sealDraft(env, cancel, { target: 'GSME', counter: 1001n }),
    );
    allDefaultSuccess(response(session.effects, true));
    expect(session.state.prepayment.pending).toEqual([]);
  });

  it('2.2 Top Up Device credits the GSME with the UTRN', () => {
    const counter = 0x1_0000_0000n;
    const utrn = utrnFor(GSME, counter, 500);
    const out = toGsme('2.2', `<sr:TopUpDevice><sr:UTRN>${utrn}</sr:UTRN></sr:TopUpDevice>`, {
      counter,
      init: { prepayment: { mode: 'prepayment', ledger: { ...EMPTY_LEDGER, meterBalance: 0 } } },
    });
    expect(out.draft.messageCode).toBe(GSME_CODES.CS01b);
    response(out.effects, false);
    expect(out.state.prepayment.ledger.meterBalance).toBe(500 * 1000);
  });

  it('2.3 Update Debt adds to the GSME debt registers and sets their recovery', () => {
    const ledger = { ...EMPTY_LEDGER, timeDebts: [100, 200] as const, paymentDebt: 300 };
    const out = toGsme('2.3', debtXml, { init: { prepayment: { ledger } } });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS04);
    allDefaultSuccess(response(out.effects, true));
    expect(out.state.prepayment.ledger).toMatchObject({ timeDebts: [1100, 2200], paymentDebt: 3300 });
    expect(out.state.prepayment.debtRecovery[0]).toEqual([0, 1, 50, 0]);
    expect(out.state.prepayment.debtRecovery[2]).toEqual([1, 1, 0, 250]);
  });

  it('2.5 Activate Emergency Credit gives a prepayment GSME below the threshold its emergency credit', () => {
    const out = toGsme('2.5', '<sr:ActivateEmergencyCredit/>', {
      init: {
        prepayment: {
          mode: 'prepayment',
          ledger: { ...EMPTY_LEDGER, meterBalance: 0 },
          emergencyCreditLimit: 500_000,
          emergencyCreditThreshold: 100_000,
        },
      },
    });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS06);
    allDefaultSuccess(response(out.effects, true));
    expect(out.state.prepayment.ledger).toMatchObject({
      emergencyCreditActive: true,
      emergencyCreditBalance: 500_000,
    });
  });
});

/** A GPF holding its GSME's first mirror update (as the GSME sends it at its wake-up). */
function mirroredGpf(init: Partial<GsmeInit>) {
  const { state, wakeAt } = joinedGsme(init);
  const frame = framesTo(wake(state, wakeAt).effects, GPF)[0];
  if (frame?.type !== 'mirror-update') throw new Error('a waking GSME updates its GPF');
  const mirror: GasMirror = frame.mirror;
  const gpf = stepGpf(
    createGpf({ ...deviceInit(GPF), gsme: GSME }),
    { type: 'han', from: GSME, frame: { type: 'mirror-update', mirror } },
    wakeAt + 20,
    env,
  ).state;
  return { gpf, at: wakeAt + 1000 };
}

function toGpf(srv: string, bodyXml: string, init: Partial<GsmeInit>) {
  const draft = transform(srv, bodyFromXml(srv, bodyXml), GPF);
  const { gpf, at } = mirroredGpf(init);
  const bytes = sealDraft(env, draft, { target: 'GPF', counter: 1001n });
  const out = stepGpf(gpf, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, at, env);
  return { draft, out };
}

describe('4.1.1 / 4.1.2 / 4.13 / 4.18 / 11.2 reads (GCS13a, GCS13c, GCS21b, GCS60/60a, GCS38)', () => {
  it('4.18 Read Meter Balance reads the GSME credit and bill to date (GCS60)', () => {
    const out = toGsme('4.18', '<sr:ReadMeterBalance/>', {
      init: { prepayment: { ledger: { ...EMPTY_LEDGER, meterBalance: 2_500_000 }, billToDate: 3_500_000 } },
    });
    expect(out.draft.messageCode).toBe(0x008d);
    const values = readValues(response(out.effects, false));
    expect(values.get(0x0001)).toMatchObject({ value: 2_500_000 });
    expect(values.get(0x0a00)).toMatchObject({ value: 3_500_000 });
  });

  it('4.18 Read Meter Balance to the GPF reads its mirror of the GSME (GCS60a)', () => {
    const { draft, out } = toGpf('4.18', '<sr:ReadMeterBalance/>', {
      prepayment: { ledger: { ...EMPTY_LEDGER, meterBalance: 2_500_000 }, billToDate: 3_500_000 },
    });
    expect(draft.messageCode).toBe(0x012a);
    const values = readValues(response(out.effects, false));
    expect(values.get(0x0001)).toMatchObject({ value: 2_500_000 });
  });

  it('4.18 future-dated: the draft carries when the DSP sends it', () => {
    const at = T0 + 3_600_000;
    const body = bodyFromXml(
      '4.18',
      `<sr:ReadMeterBalance><sr:ExecutionDateTime>${iso(at)}</sr:ExecutionDateTime></sr:ReadMeterBalance>`,
    );
    expect(transform('4.18', body, GSME).executionMs).toBe(at);
  });

  it('11.2 Read Firmware Version reads the GSME running firmware version (GCS38)', () => {
    const out = toGsme('11.2', '<sr:ReadFirmwareVersion/>', { init: { firmwareVersion: 0x0123abce } });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS38);
    expect(readValues(response(out.effects, false)).get(0x0002)).toMatchObject({ value: 0x0123abce });
  });

  it('4.1.1 Read Instantaneous Import Registers reads the GSME consumption register at its wake-up (GCS13a)', () => {
    const out = toGsme('4.1.1', '<sr:ReadInstantaneousImportRegisters/>', { init: { consumption: 12_345 } });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS13a);
    expect(notes(out.effects).join('\n')).not.toMatch(/does not support/);
    // GCS13a's register read is encrypted for the User, as GCS13c's (gsme-reads.ts) [A].
    const values = userReadValues(response(out.effects, false));
    expect(values.get(0x0000)).toMatchObject({ value: 12_345 });
    expect(values.get(0x0302)).toMatchObject({ value: 1000 });
  });

  it('4.1.1 to the GPF reads its mirror of the GSME consumption register at once (GCS13a)', () => {
    const { draft, out } = toGpf('4.1.1', '<sr:ReadInstantaneousImportRegisters/>', { consumption: 12_345 });
    expect(draft.messageCode).toBe(0x0074);
    const values = userReadValues(response(out.effects, false));
    expect(values.get(0x0000)).toMatchObject({ value: 12_345 });
  });

  it('4.1.1 goes to the GSME or its GPF as the request targets, both GCS13a', () => {
    const body = bodyFromXml('4.1.1', '<sr:ReadInstantaneousImportRegisters/>');
    expect(transform('4.1.1', body, GSME)).toMatchObject({ messageCode: 0x0074, recipient: GSME });
    expect(transform('4.1.1', body, GPF)).toMatchObject({ messageCode: 0x0074, recipient: GPF });
  });

  it('4.1.2 Read Instantaneous Import TOU Matrices reads the GSME TOU registers at its wake-up (GCS13c)', () => {
    const out = toGsme('4.1.2', '<sr:ReadInstantaneousImportTOUMatrices/>', {
      init: { tiers: [1_111, 2_222, 3_333, 4_444] },
    });
    expect(out.draft.messageCode).toBe(0x00b6);
    const message = response(out.effects, false);
    // RTDS 4.1.2_GCS13c: one Metering component encrypted for the User, a date-time in the header.
    expectRtdsShape(message, '4.1.2_GCS13c', 'GCS13c_4.1.2_SUCCESS_UNRELIABLE_RESPONSE_GBCS.HEX');
    expect(message.header.dateTime).not.toBeNull();
    const values = userReadValues(message);
    expect([0x0100, 0x0102, 0x0104, 0x0106].map((a) => values.get(a))).toMatchObject([
      { value: 1_111 },
      { value: 2_222 },
      { value: 3_333 },
      { value: 4_444 },
    ]);
    expect(values.get(0x0302)).toMatchObject({ value: 1000 });
  });

  it('4.1.2 to the GPF reads its mirror of the GSME TOU registers at once (GCS13c)', () => {
    const { draft, out } = toGpf('4.1.2', '<sr:ReadInstantaneousImportTOUMatrices/>', {
      tiers: [5, 6, 7, 8],
    });
    expect(draft).toMatchObject({ messageCode: 0x00b6, recipient: GPF });
    const message = response(out.effects, false);
    expectRtdsShape(message, '4.1.2_GCS13c', 'GCS13c_4.1.2_SUCCESS_RELIABLE_GPF_RESPONSE_GBCS.HEX');
    const values = userReadValues(message);
    expect([0x0100, 0x0102, 0x0104, 0x0106].map((a) => values.get(a))).toMatchObject([
      { value: 5 },
      { value: 6 },
      { value: 7 },
      { value: 8 },
    ]);
  });

  it('4.1.2 future-dated by the DSP: the draft carries when the DSP sends it; 4.1.3 is not a gas SRV', () => {
    const at = T0 + 3_600_000;
    const body = bodyFromXml(
      '4.1.2',
      `<sr:ReadInstantaneousImportTOUMatrices><sr:ExecutionDateTime>${iso(at)}</sr:ExecutionDateTime></sr:ReadInstantaneousImportTOUMatrices>`,
    );
    expect(transform('4.1.2', body, GSME).executionMs).toBe(at);
    expect(GAS_TRANSFORMS.some((e) => e.srv === '4.1.3')).toBe(false);
  });

  it('4.13 Read Prepayment Configuration reads the GSME prepayment settings (GCS21b)', () => {
    const out = toGsme('4.13', '<sr:ReadPrepaymentConfiguration/>', {
      init: { prepayment: { emergencyCreditLimit: 500_000 } },
    });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS21b);
    expect(readValues(response(out.effects, false)).get(0x0010)).toMatchObject({ value: 500_000 });
  });

  it('4.13 after 2.1 reads back the GSME friendly credit calendar GCS05 published (GCS21b)', () => {
    const configured = toGsme('2.1', prepayConfigXml());
    const draft = transform('4.13', bodyFromXml('4.13', '<sr:ReadPrepaymentConfiguration/>'), GSME, {
      counter: 1001n,
    });
    const session = deliverAtWake(
      configured.state,
      configured.wakeAt,
      sealDraft(env, draft, { target: 'GSME', counter: 1001n }),
    );
    const payloads = zclPayloads(response(session.effects, false).payload);
    expect(readValues(response(session.effects, false)).get(0x0010)).toMatchObject({ value: 1_000_000 });
    // Two day profiles, one week profile, the seasons; no special days: NOT_FOUND (CALENDAR_XML above).
    expect(payloads.slice(2).map((p) => p.kind)).toEqual(['raw', 'raw', 'raw', 'raw', 'default-response']);
  });
});

describe('8.1.1 / 11.3 (GCS28, CS06)', () => {
  it('8.1.1 Commission Device sets the GSME clock to the DCC time (GCS28)', () => {
    const out = toGsme('8.1.1', clockXml('CommissionDeviceSynchroniseClock', T0), {
      init: { clockOffsetMs: 300_000 },
    });
    expect(out.draft.messageCode).toBe(GSME_CODES.GCS28);
    const view = asn1ViewOf(response(out.effects, true));
    expect(view).toMatchObject({ kind: 'setTimeResponse', deviceTimeStatus: 0 });
    expect(out.before.clockOffsetMs).toBe(300_000);
    expect(out.state.clockOffsetMs).toBe(0);
  });

  it('8.1.1 validity ends TolerancePeriod seconds after CurrentDateTime', () => {
    const draft = transform(
      '8.1.1',
      bodyFromXml('8.1.1', clockXml('CommissionDeviceSynchroniseClock', Date.UTC(2014, 11, 31, 23, 30))),
      GSME,
    );
    expect(draft.payload).toMatchObject({
      asn1: { view: { validityIntervalStart: '20141231233000Z', validityIntervalEnd: '20150101003000Z' } },
    });
  });

  it('11.3 future-dated Activate Firmware is accepted by the GSME and held until its time (CS06)', () => {
    const at = T0 + 86_400_000;
    const xml = `<sr:ActivateFirmware><sr:ExecutionDateTime>${iso(at)}</sr:ExecutionDateTime><sr:FirmwareHash>${HASH}</sr:FirmwareHash></sr:ActivateFirmware>`;
    const out = toGsme('11.3', xml);
    expect(out.draft).toMatchObject({ messageCode: 0x0012, executionMs: at });
    expect(asn1ViewOf(response(out.effects, true))).toMatchObject({
      kind: 'activateFirmwareResponse',
      commandAccepted: null,
    });
    expect(out.state.pendingActivation).toMatch(new RegExp(`:1000:\\d{14}Z:${HASH}$`));
  });

  it('11.3 immediate Activate Firmware carries the hash and the counter, and the GSME answers its outcome', () => {
    const out = toGsme(
      '11.3',
      `<sr:ActivateFirmware><sr:FirmwareHash>${HASH}</sr:FirmwareHash></sr:ActivateFirmware>`,
      {
        counter: 1234n,
      },
    );
    expect(out.draft.payload).toMatchObject({ asn1: { view: { originatorCounter: 1234n } } });
    // The GSME holds no image until OTA is modelled, so it answers 1 "no image held" (common-commands.ts [A]).
    expect(asn1ViewOf(response(out.effects, true))).toMatchObject({ executionOutcome: { responseCode: 1 } });
  });
});

describe('bad gas bodies', () => {
  const cases: [string, string, string, RegExp | string][] = [
    ['1.6', '<sr:UpdatePaymentMode/>', 'DuisError', /UpdatePaymentMode\/Credit/],
    [
      '1.6',
      prepaymentModeXml().replace('-50000', '2147483648'),
      'DuisError',
      /Prepayment\/DisablementThreshold/,
    ],
    [
      '1.6',
      prepaymentModeXml('<sr:ExecutionDateTime>2200-01-01T00:00:00Z</sr:ExecutionDateTime>'),
      'DuisError',
      /ExecutionDateTime/,
    ],
    [
      '2.1',
      prepayConfigXml()
        .replace('UpdatePrepayConfigGas', 'UpdatePrepayConfigElectricity')
        .replace('/sr:UpdatePrepayConfigGas', '/sr:UpdatePrepayConfigElectricity'),
      'E11',
      '',
    ],
    [
      '2.1',
      prepayConfigXml().replace('index="7">2<', 'index="7">5<'),
      'DuisError',
      /WeekProfile\/ReferencedDayName/,
    ],
    ['2.1', prepayConfigXml().replace('index="7"', 'index="6"'), 'DuisError', /@index/],
    ['2.1', prepayConfigXml().replace('08:00:00Z', '25:00:00Z'), 'DuisError', /StartTime/],
    [
      '2.1',
      prepayConfigXml().replace('<sr:EmergencyCreditLimit>1000000', '<sr:EmergencyCreditLimit>-1'),
      'DuisError',
      /EmergencyCreditLimit/,
    ],
    ['2.2', '<sr:TopUpDevice><sr:UTRN>1234</sr:UTRN></sr:TopUpDevice>', 'DuisError', /UTRN/],
    [
      '2.3',
      debtXml.replace(/<sr:GasDebtRecovery2>.*<\/sr:GasDebtRecovery2>/, ''),
      'DuisError',
      /GasDebtRecovery2/,
    ],
    ['2.3', debtXml.replace('>250<', '>10001<'), 'DuisError', /DebtRecoveryPerPayment/],
    ['2.3', debtXml.replace('DAILY', 'WEEKLY'), 'DuisError', /DebtRecoveryRatePeriod/],
    ['8.1.1', clockXml('CommissionDeviceSynchroniseClock', T0, 90_000), 'DuisError', /TolerancePeriod/],
    ['8.1.1', '<sr:CommissionDeviceSynchroniseClock/>', 'DuisError', /CurrentDateTime/],
    [
      '11.3',
      `<sr:ActivateFirmware><sr:FirmwareHash>${HASH.slice(2)}</sr:FirmwareHash></sr:ActivateFirmware>`,
      'DuisError',
      /FirmwareHash/,
    ],
  ];
  for (const [srv, xml, kind, path] of cases)
    it(`${srv}: ${kind === 'DuisError' ? `DuisError at ${String(path)}` : `TransformError ${kind}`}`, () => {
      const e = refusalOf(srv, bodyFromXml(srv, xml), GSME);
      if (kind === 'DuisError') {
        expect(e).toBeInstanceOf(DuisError);
        expect((e as DuisError).path).toMatch(path);
      } else {
        expect(e).toBeInstanceOf(TransformError);
        expect((e as TransformError).responseCode).toBe(kind);
      }
    });

  const BODIES: readonly [string, DuisRequestBody][] = [
    ['1.6', bodyFromXml('1.6', prepaymentModeXml(`<sr:ExecutionDateTime>${iso(T0)}</sr:ExecutionDateTime>`))],
    ['2.1', bodyFromXml('2.1', prepayConfigXml())],
    ['2.2', bodyFromXml('2.2', '<sr:TopUpDevice><sr:UTRN>73950067887105178605</sr:UTRN></sr:TopUpDevice>')],
    ['2.3', bodyFromXml('2.3', debtXml)],
    ['4.1.2', bodyFromXml('4.1.2', '<sr:ReadInstantaneousImportTOUMatrices/>')],
    ['4.18', bodyFromXml('4.18', '<sr:ReadMeterBalance/>')],
    ['8.1.1', bodyFromXml('8.1.1', clockXml('CommissionDeviceSynchroniseClock', T0))],
    [
      '11.3',
      bodyFromXml(
        '11.3',
        `<sr:ActivateFirmware><sr:FirmwareHash>${HASH}</sr:FirmwareHash></sr:ActivateFirmware>`,
      ),
    ],
  ];
  const edit: fc.Arbitrary<BodyEdit> = fc.record({
    at: fc.nat(200),
    kind: fc.nat(5),
    text: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('0', '-1', '99999999999', 'START', '2030-01-01T00:00:00Z'),
    ),
  });

  it('mutated bodies give a draft that encodes, a DuisError or a TransformError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BODIES),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        ([srv, body], edits) => {
          const mutated = mutateBody(body, edits);
          let draft: CommandDraft;
          try {
            draft = transform(srv, mutated, GSME);
          } catch (e) {
            if (e instanceof DuisError || e instanceof TransformError) return;
            throw e;
          }
          encodePayload(draft.payload, { messageCode: draft.messageCode, cra: 1 });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every gas entry names GBCS use cases its SRV produces (SRV table)', () => {
    for (const e of GAS_TRANSFORMS)
      for (const useCase of e.useCase.split('/')) expect(srvInfo(e.srv)?.useCases, e.srv).toContain(useCase);
    expect(new Set(GAS_TRANSFORMS.map((e) => e.srv)).size).toBe(GAS_TRANSFORMS.length);
  });
});

if (!HAVE_VECTORS) console.warn(`transform-gas: ${skipReason()}`);
