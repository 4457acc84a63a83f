// The ESME use cases the DCC's electricity transforms produce and the actor once left unanswered: ECS26a Read
// Prepayment Configuration (SR 4.13), ECS82 Read Meter Balance (SR 4.18), ECS07 Update Debt's recovery rates (SR 2.3)
// and CS02b Update Security Credentials (SR 6.15.1). Each command is built by the transform
// (src/dcc/transform/electricity.ts), sealed as the DCC sends it and delivered to a joined ESME; the response is
// checked against the shape of the RTDS 4.5.0 RESPONSE (read in place; skipped, saying why, without the vectors) and
// the state change against what the command asked. With the RTDS keys, the RTDS commands themselves are answered
// with the RTDS bytes (non-critical) or the RTDS message but for the signature (critical).
import { describe, expect, it } from 'vitest';
import { toHex, Writer } from '../../src/codec/bytes.js';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import {
  encodeDlmsData,
  type DlmsAccessRequest,
  type DlmsAccessResponse,
  type DlmsData,
} from '../../src/codec/gbcs/dlms/index.js';
import { parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { CommandDraft } from '../../src/dcc/transform/types.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import type { KeyStore } from '../../src/crypto/keystore.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { readSmkiCertificate, TestPki } from '../../src/crypto/test-pki.js';
import { stepEsme, type EsmeState } from '../../src/devices/esme.js';
import { CREDENTIALS_TIMER, keyIdOf } from '../../src/devices/security-credentials.js';
import type { ActorEnv, Effect } from '../../src/devices/types.js';
import {
  deliver,
  envWith,
  ESME,
  fleetEnv,
  joinedEsme,
  NETWORK_OPERATOR,
  NOW,
  resultsOf,
  rtdsBytes,
  rtdsResponse,
  sentToHub,
  SUPPLIER,
} from '../support/esme-commands.js';
import { TEST_KEYS } from '../support/identities.js';
import { bodyFromXml, notesIn, responseIn, sealDraft, transform } from '../support/transform-electricity.js';
import { HAVE_VECTORS, RTDS_KEYSTORE_DIR, skipReason } from '../vectors.js';
import { EMPTY_LEDGER } from '../../src/prepayment/ledger.js';

const env = fleetEnv();

// ---- Running a transform's command through the ESME ----

interface Exchange {
  readonly draft: CommandDraft;
  readonly state: EsmeState;
  readonly effects: readonly Effect[];
}

function run(
  srv: string,
  bodyXml: string,
  before: EsmeState,
  o: { counter: bigint; user?: Eui64; now?: number },
): Exchange {
  const draft = transform(srv, bodyFromXml(srv, bodyXml), {
    counter: o.counter,
    ...(o.user && { user: o.user }),
  });
  const sealed = sealDraft(env, draft, { counter: o.counter, ...(o.user && { user: o.user }) });
  const step = deliver(before, sealed, env, o.now ?? NOW);
  return { draft, state: step.state, effects: step.effects };
}

function response(x: Exchange, counter: bigint, user = SUPPLIER): GbcsMessage {
  return responseIn(x.effects, env, { messageCode: x.draft.messageCode, counter, user });
}

function dlmsOf(m: GbcsMessage): DlmsAccessResponse {
  if (m.payload.kind !== 'dlms' || m.payload.dlms.type !== 'access-response')
    throw new Error('not an access-response');
  return m.payload.dlms;
}

function requestOf(draft: CommandDraft): DlmsAccessRequest {
  if (draft.payload.kind !== 'dlms' || draft.payload.dlms.type !== 'access-request')
    throw new Error('not DLMS');
  return draft.payload.dlms;
}

/** The Data a draft sets on attribute `attributeId` of class `classId`. */
function setData(draft: CommandDraft, classId: number, attributeId: number): DlmsData {
  const r = requestOf(draft);
  const i = r.specifications.findIndex(
    (s) => s.type === 'set' && s.classId === classId && s.attributeId === attributeId,
  );
  return r.data[i]!;
}

function viewOf(m: GbcsMessage): unknown {
  return m.payload.kind === 'asn1' ? m.payload.asn1.view : undefined;
}

// ---- Shapes: types, not values ----

/** A Data's type tree, an array reduced to the distinct shapes of its elements (RTDS and we set other lengths). */
function typeShape(d: DlmsData): unknown {
  if (d.type === 'structure') return { structure: d.value.map(typeShape) };
  if (d.type === 'array')
    return {
      array: [...new Set(d.value.map((e) => JSON.stringify(typeShape(e))))].map((s) => JSON.parse(s)),
    };
  return d.type;
}

/** An ASN.1 view's shape: field names and value kinds. */
function viewShape(v: unknown): unknown {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return 'octets';
  if (Array.isArray(v)) return v.map(viewShape);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, viewShape(x)]));
  return typeof v;
}

/** The RTDS message of `file`, or undefined (with the reason printed) when the vectors are absent. */
function rtdsMessage(file: string): GbcsMessage | undefined {
  const bytes = rtdsBytes(file);
  if (bytes === undefined) {
    console.warn(`${file}: ${HAVE_VECTORS ? 'held back' : skipReason()}; RTDS comparison skipped`);
    return undefined;
  }
  return parseGbcs(bytes).message;
}

// ---- Bodies (sr: prefix; bodyFromXml declares it) ----

const TO_PREPAYMENT =
  `<sr:UpdatePaymentMode><sr:Prepayment><sr:SuspendDebtDisabled>true</sr:SuspendDebtDisabled>` +
  `<sr:SuspendDebtEmergency>false</sr:SuspendDebtEmergency><sr:DisablementThreshold>-25000</sr:DisablementThreshold>` +
  `</sr:Prepayment></sr:UpdatePaymentMode>`;

const SCHEDULE =
  `<sr:ElectricityNonDisablementSchedule><sr:NonDisablementScript>START</sr:NonDisablementScript>` +
  `<sr:SpecialDaysApplicability/><sr:DaysOfWeekApplicability><sr:DayOfWeekApplicability><sr:DayOfWeekID>Sunday` +
  `</sr:DayOfWeekID></sr:DayOfWeekApplicability></sr:DaysOfWeekApplicability><sr:ScheduleDatesAndTime>` +
  `<sr:SwitchTime>00:00:00Z</sr:SwitchTime><sr:StartDate>2026-01-01Z</sr:StartDate>` +
  `<sr:EndDate>65535-12-31Z</sr:EndDate></sr:ScheduleDatesAndTime></sr:ElectricityNonDisablementSchedule>`;

const PREPAY_CONFIGURATION =
  `<sr:UpdatePrepayConfiguration><sr:UpdatePrepayConfigElectricity><sr:DebtRecoveryRateCap>30</sr:DebtRecoveryRateCap>` +
  `<sr:EmergencyCreditLimit>300000</sr:EmergencyCreditLimit><sr:EmergencyCreditThreshold>100000</sr:EmergencyCreditThreshold>` +
  `<sr:LowCreditThreshold>200000</sr:LowCreditThreshold><sr:ElectricityNonDisablementCalendar><sr:ElectricitySpecialDays>` +
  `<sr:SpecialDay index="1"><sr:Date><sr:Year><sr:NonSpecifiedYear/></sr:Year><sr:Month><sr:SpecifiedMonth>12` +
  `</sr:SpecifiedMonth></sr:Month><sr:DayOfMonth><sr:SpecifiedDayOfMonth>25</sr:SpecifiedDayOfMonth></sr:DayOfMonth>` +
  `<sr:DayOfWeek><sr:NonSpecifiedDayOfWeek/></sr:DayOfWeek></sr:Date></sr:SpecialDay></sr:ElectricitySpecialDays>` +
  `${SCHEDULE}</sr:ElectricityNonDisablementCalendar><sr:MaxMeterBalance>5000000</sr:MaxMeterBalance>` +
  `<sr:MaxCreditThreshold>1000000</sr:MaxCreditThreshold></sr:UpdatePrepayConfigElectricity></sr:UpdatePrepayConfiguration>`;

const recoveryRate = (element: string, rate: number, period: 'DAILY' | 'HOURLY'): string =>
  `<sr:${element}><sr:DebtRecoveryRate>${rate}</sr:DebtRecoveryRate><sr:DebtRecoveryRatePriceScale>-1` +
  `</sr:DebtRecoveryRatePriceScale><sr:DebtRecoveryRatePeriod>${period}</sr:DebtRecoveryRatePeriod></sr:${element}>`;

const UPDATE_DEBT =
  `<sr:UpdateDebt><sr:TimeDebtRegister1>30000</sr:TimeDebtRegister1><sr:TimeDebtRegister2>15000</sr:TimeDebtRegister2>` +
  `<sr:PaymentDebtRegister>50000</sr:PaymentDebtRegister><sr:DebtRecoveryPerPayment>1000</sr:DebtRecoveryPerPayment>` +
  `${recoveryRate('ElecDebtRecovery1', 3, 'DAILY')}${recoveryRate('ElecDebtRecovery2', 15, 'HOURLY')}</sr:UpdateDebt>`;

const READ_CONFIGURATION = '<sr:ReadPrepaymentConfiguration/>';
const READ_BALANCE = '<sr:ReadMeterBalance/>';

/** A time debt's unit_charge as RTDS 4.13_ECS26a reads it [O]. */
const unitCharge = (rate: number, priceScale: number): DlmsData => ({
  type: 'structure',
  value: [
    {
      type: 'structure',
      value: [
        { type: 'integer', value: 0 },
        { type: 'integer', value: priceScale },
      ],
    },
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
      value: [
        {
          type: 'structure',
          value: [
            { type: 'octet-string', value: new Uint8Array(0) },
            { type: 'long', value: rate },
          ],
        },
      ],
    },
  ],
});

// ---- The RTDS keys (as test/devices/esme-rtds.test.ts): RTDS's, but the ESME's DS pair, which RTDS does not publish ----

const RTDS_NOW = Date.UTC(2015, 0, 1);

function rtdsEnv(): ActorEnv {
  const rtds = loadKeyStoreFolder(RTDS_KEYSTORE_DIR);
  const fleet = new FleetKeyStore('test-fleet');
  const ownDs = (l: { eui: string; usage: string }) => l.eui === ESME && l.usage === 'DS';
  const keys: KeyStore = {
    publicKey: (l) => (ownDs(l) ? fleet.publicKey(l) : rtds.publicKey(l)),
    privateKey: (l) => (ownDs(l) ? fleet.privateKey(l) : rtds.privateKey(l)),
  };
  return envWith(keys);
}

/** The one message the ESME sent towards its CHF for an RTDS command. */
function answerTo(state: EsmeState, file: string, e: ActorEnv): { bytes: Uint8Array; state: EsmeState } {
  const step = deliver(state, rtdsBytes(file)!, e, RTDS_NOW);
  const sent = sentToHub(step.effects);
  expect(sent, notesIn(step.effects).join('; ')).toHaveLength(1);
  return { bytes: sent[0]!, state: step.state };
}

/** A message as compared with RTDS's when the ESME's signature cannot match: everything but the signature bytes. */
const unsigned = (m: GbcsMessage) => ({ ...m, signature: m.signature.kind });

const hexOf = (d: DlmsData): string => {
  const w = new Writer('dlms');
  encodeDlmsData(w, d);
  return toHex(w.finish());
};

// ---------------------------------------------------------------------------------------------------------

describe('ECS26a Read Prepayment Configuration (SR 4.13)', () => {
  it('reads back what 1.6, 2.1 and 2.3 set, every get a success, in the shape of RTDS 4.13_ECS26a', () => {
    const prepayment = run('1.6', TO_PREPAYMENT, joinedEsme(), { counter: 10n });
    const configured = run('2.1', PREPAY_CONFIGURATION, prepayment.state, { counter: 11n });
    const debt = run('2.3', UPDATE_DEBT, configured.state, { counter: 12n });
    const x = run('4.13', READ_CONFIGURATION, debt.state, { counter: 13n });
    const r = dlmsOf(response(x, 13n));
    expect(resultsOf(r)).toEqual(Array.from({ length: 18 }, () => 0));
    expect(x.state).toEqual(debt.state); // a read changes nothing but the counter it records
    const rtds = rtdsMessage('4.13_ECS26a/ECS26a_4.13_SINGLE_SUCCESS_RESPONSE_GBCS.HEX');
    if (rtds !== undefined) {
      expect(r.data.map(typeShape)).toEqual(dlmsOf(rtds).data.map(typeShape));
      expect(rtds.header.dateTime).toBeNull();
    }
    expect(response(x, 13n).header.dateTime).toBeNull();
    // In RTDS 4.13 order: rates and periods (2.3), proportion, thresholds and limits (2.1, 1.6), tables as set.
    const [rate1, days, period1, rate1Again, rate2, period2, rate2Again, ...rest] = r.data;
    expect([rate1, rate1Again, rate2, rate2Again]).toEqual([
      unitCharge(3, -1),
      unitCharge(3, -1),
      unitCharge(15, -1),
      unitCharge(15, -1),
    ]);
    expect([period1, period2]).toEqual([
      { type: 'double-long-unsigned', value: 86_400 },
      { type: 'double-long-unsigned', value: 3_600 },
    ]);
    expect(days).toEqual(setData(configured.draft, 11, 2));
    expect(rest).toEqual([
      { type: 'long-unsigned', value: 1000 }, // debt recovery per payment
      { type: 'double-long', value: 1_000_000 }, // max credit threshold
      { type: 'array', value: [{ type: 'double-long', value: -25_000 }] }, // disablement threshold
      { type: 'double-long', value: 5_000_000 }, // max meter balance
      { type: 'double-long', value: 200_000 }, // low credit threshold
      { type: 'long-unsigned', value: 30 }, // debt recovery rate cap
      { type: 'double-long', value: 604_800 }, // its period
      { type: 'double-long', value: 300_000 }, // emergency credit limit
      { type: 'double-long', value: 100_000 }, // emergency credit threshold
      setData(configured.draft, 10, 2), // non-disablement schedule
      setData(prepayment.draft, 111, 11), // credit charge configuration
    ]);
  });

  it('on a new ESME, answers the documented defaults: no tables, no recovery, a weekly cap period', () => {
    const x = run('4.13', READ_CONFIGURATION, joinedEsme(), { counter: 20n });
    const r = dlmsOf(response(x, 20n));
    expect(resultsOf(r).every((v) => v === 0)).toBe(true);
    expect(r.data[0]).toEqual(unitCharge(0, -5));
    expect(r.data[2]).toEqual({ type: 'double-long-unsigned', value: 86_400 });
    expect([r.data[1], r.data[16], r.data[17]]).toEqual([0, 0, 0].map(() => ({ type: 'array', value: [] })));
    expect(r.data[13]).toEqual({ type: 'double-long', value: 604_800 });
  });

  it.skipIf(!HAVE_VECTORS)(
    'RTDS 4.13_ECS26a SINGLE, delivered to an ESME holding the RTDS values: the RTDS response byte for byte',
    () => {
      const file = '4.13_ECS26a/ECS26a_4.13_SINGLE_SUCCESS_RESPONSE_GBCS.HEX';
      const expected = rtdsResponse(file)!;
      // The values RTDS 4.13 reads; the three tables as its response has them (set by ECS08 / ECS03 on a real meter).
      const esme = joinedEsme({
        prepayment: {
          timeDebt1Recovery: { rate: 5000, priceScale: -5, periodS: 86_400 },
          timeDebt2Recovery: { rate: 6000, priceScale: -5, periodS: 86_400 },
          debtRecoveryPerPayment: 5000,
          maxCreditThreshold: 5_000_000,
          disablementThreshold: -500_000,
          maxMeterBalance: 10_000_000,
          lowCreditThreshold: 500_000,
          debtRecoveryRateCap: 10_000,
          debtRecoveryRateCapPeriodS: 604_800,
          emergencyCreditLimit: 2_500_000,
          emergencyCreditThreshold: 100_000,
          specialDays: hexOf(expected.data[1]!),
          nonDisablementSchedule: hexOf(expected.data[16]!),
          creditChargeConfiguration: hexOf(expected.data[17]!),
        },
      });
      const ours = answerTo(esme, file.replace('RESPONSE', 'COMMAND'), rtdsEnv());
      expect(toHex(ours.bytes)).toBe(toHex(rtdsBytes(file)!));
    },
  );
});

describe('ECS82 Read Meter Balance (SR 4.18)', () => {
  it('answers the meter balance as the token credit amount, in the shape of RTDS 4.18_ECS82', () => {
    const x = run(
      '4.18',
      READ_BALANCE,
      joinedEsme({ prepayment: { ledger: { ...EMPTY_LEDGER, meterBalance: 1_234_500 } } }),
      { counter: 30n },
    );
    const m = response(x, 30n);
    expect(dlmsOf(m).data).toEqual([{ type: 'double-long', value: 1_234_500 }]);
    expect(resultsOf(dlmsOf(m))).toEqual([0]);
    const rtds = rtdsMessage('4.18_ECS82/ECS82_4.18_SUCCESS_RESPONSE_GBCS.HEX');
    if (rtds !== undefined) {
      expect(dlmsOf(m).data.map(typeShape)).toEqual(dlmsOf(rtds).data.map(typeShape));
      expect(dlmsOf(m).responseSpecifications).toEqual(dlmsOf(rtds).responseSpecifications);
      expect(m.header.dateTime).toEqual(rtds.header.dateTime);
    }
  });

  it('a balance no double-long holds is answered other-reason, not thrown', () => {
    const x = run(
      '4.18',
      READ_BALANCE,
      joinedEsme({ prepayment: { ledger: { ...EMPTY_LEDGER, meterBalance: 2 ** 31 } } }),
      { counter: 31n },
    );
    expect(resultsOf(dlmsOf(response(x, 31n)))).toEqual([250]);
  });

  it('the emergency credit offered once activated is the limit ECS08 set, readable as its current amount [A]', () => {
    const configured = run('2.1', PREPAY_CONFIGURATION, joinedEsme(), { counter: 32n });
    const activated = run('2.5', '<sr:ActivateEmergencyCredit/>', configured.state, { counter: 33n });
    expect(activated.state.prepayment).toMatchObject({
      ledger: { emergencyCreditActive: true, emergencyCreditBalance: 300_000 },
    });
  });

  it.skipIf(!HAVE_VECTORS)(
    'RTDS 4.18_ECS82 SUCCESS to an ESME with balance 250000: the RTDS response byte for byte',
    () => {
      const file = '4.18_ECS82/ECS82_4.18_SUCCESS_RESPONSE_GBCS.HEX';
      const ours = answerTo(
        joinedEsme({ prepayment: { ledger: { ...EMPTY_LEDGER, meterBalance: 250_000 } } }),
        file.replace('RESPONSE', 'COMMAND'),
        rtdsEnv(),
      );
      expect(toHex(ours.bytes)).toBe(toHex(rtdsBytes(file)!));
    },
  );
});

describe('ECS07 Update Debt (SR 2.3)', () => {
  it('accepts and stores the recovery rates with the registers; a 4.13 read then shows the new rates', () => {
    const before = run('4.13', READ_CONFIGURATION, joinedEsme(), { counter: 40n });
    expect(dlmsOf(response(before, 40n)).data[0]).toEqual(unitCharge(0, -5));
    const x = run('2.3', UPDATE_DEBT, before.state, { counter: 41n });
    const r = dlmsOf(response(x, 41n));
    expect(resultsOf(r)).toEqual(Array.from({ length: 10 }, () => 0));
    expect(r.data.every((d) => d.type === 'null-data')).toBe(true);
    expect(x.state.prepayment).toMatchObject({
      ledger: { timeDebts: [30_000, 15_000], paymentDebt: 50_000 },
      debtRecoveryPerPayment: 1000,
      timeDebt1Recovery: { rate: 3, priceScale: -1, periodS: 86_400 },
      timeDebt2Recovery: { rate: 15, priceScale: -1, periodS: 3_600 },
    });
    const after = dlmsOf(response(run('4.13', READ_CONFIGURATION, x.state, { counter: 42n }), 42n));
    expect([after.data[0], after.data[2], after.data[4], after.data[5], after.data[7]]).toEqual([
      unitCharge(3, -1),
      { type: 'double-long-unsigned', value: 86_400 },
      unitCharge(15, -1),
      { type: 'double-long-unsigned', value: 3_600 },
      { type: 'long-unsigned', value: 1000 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// CS02b

const CS02B_SUPPLIER_BY_SUPPLIER = 0x0102;
const NEW_SUPPLIER = eui64('90B3D51F30010001');

const pki = new TestPki({ seed: 'esme-dsp-gaps', notBefore: new Date(Date.UTC(2025, 0, 1)) });
const otherPki = new TestPki({ seed: 'another-ca', notBefore: new Date(Date.UTC(2025, 0, 1)) });

interface SupplierCertificates {
  readonly ds: Uint8Array;
  readonly ka: Uint8Array;
  readonly topUp: Uint8Array;
}

/** A supplier's replacement DS, KA and prepayment top-up KA certificates, from `from` (our PKI by default). */
function supplierCertificates(eui: Eui64, from = pki, kaFrom = from): SupplierCertificates {
  const issue = (p: TestPki, usage: 'DS' | 'KA', prepayment = false) =>
    p.issueOrganisationCertificate({ eui, role: 'supplier', usage, prepayment, generation: 1 }).certificate;
  return { ds: issue(from, 'DS'), ka: issue(kaFrom, 'KA'), topUp: issue(from, 'KA', true) };
}

const b64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');

function credentialsBody(certs: SupplierCertificates, o: { execution?: string } = {}): string {
  return (
    `<sr:UpdateSecurityCredentialsKRP>${o.execution === undefined ? '' : `<sr:ExecutionDateTime>${o.execution}</sr:ExecutionDateTime>`}` +
    `<sr:RemotePartyRole>Supplier</sr:RemotePartyRole><sr:RemotePartyFloorSeqNumber>0</sr:RemotePartyFloorSeqNumber>` +
    `<sr:RemotePartyPrepaymentTopUpFloorSeqNumber>5</sr:RemotePartyPrepaymentTopUpFloorSeqNumber>` +
    `<sr:ReplacementCertificates><sr:SupplierOrNetworkOperatorCertificates>` +
    `<sr:DigitalSigningCertificate>${b64(certs.ds)}</sr:DigitalSigningCertificate>` +
    `<sr:KeyAgreementCertificate>${b64(certs.ka)}</sr:KeyAgreementCertificate>` +
    `<sr:KeyAgreementTopUpCertificate>${b64(certs.topUp)}</sr:KeyAgreementTopUpCertificate>` +
    `</sr:SupplierOrNetworkOperatorCertificates></sr:ReplacementCertificates>` +
    `<sr:CertificationPathCertificates><sr:Certificate>${b64(pki.organisationCa.certificate)}</sr:Certificate>` +
    `</sr:CertificationPathCertificates><sr:ApplyTimeBasedCPVChecks>false</sr:ApplyTimeBasedCPVChecks>` +
    `</sr:UpdateSecurityCredentialsKRP>`
  );
}

const skiOf = (der: Uint8Array): string => readSmkiCertificate(der).subjectKeyId!;
/** What the ESME holds for the supplier before any CS02b: the key store's keys for its EUI. */
const fleetKeyId = (eui: Eui64, usage: 'DS' | 'KA', prepayment = false): string =>
  keyIdOf(TEST_KEYS.publicKey({ eui, usage, prepayment })!);

const SUPPLIER_CELLS = [
  { remotePartyRole: 2, keyUsage: ['digitalSignature'] },
  { remotePartyRole: 2, keyUsage: ['keyAgreement'] },
  { remotePartyRole: 2, keyUsage: ['keyAgreement'], cellUsage: 1 },
];

function outcomeRow(cell: object, status: number, existing: [Eui64, string], replacing: [Eui64, string]) {
  return {
    affectedTrustAnchorCell: cell,
    statusCode: status,
    existingSubjectUniqueID: existing[0],
    existingSubjectKeyIdentifier: Buffer.from(existing[1], 'hex'),
    replacingSubjectUniqueID: replacing[0],
    replacingSubjectKeyIdentifier: Buffer.from(replacing[1], 'hex'),
  };
}

/** The view with octet strings as uppercase hex, so expectations can be written as text. */
function hexView(v: unknown): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(hexView);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hexView(x)]));
  return v;
}

const CS02B_FOLDER = '6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1';

describe('CS02b Update Security Credentials (SR 6.15.1)', () => {
  it('supplier by supplier, immediate: the three supplier cells replaced, the outcome answered as RTDS IMMEDIATE_SUCCESS', () => {
    const certs = supplierCertificates(SUPPLIER);
    const x = run('6.15.1', credentialsBody(certs), joinedEsme(), { counter: 300n });
    expect(x.draft.messageCode).toBe(CS02B_SUPPLIER_BY_SUPPLIER);
    const m = response(x, 300n);
    expect(m.header.dateTime).not.toBeNull(); // RTDS 6.15.1 responses carry the ESME's date-time
    const existing = [
      fleetKeyId(SUPPLIER, 'DS'),
      fleetKeyId(SUPPLIER, 'KA'),
      fleetKeyId(SUPPLIER, 'KA', true),
    ];
    const replacing = [skiOf(certs.ds), skiOf(certs.ka), skiOf(certs.topUp)];
    expect(hexView(viewOf(m))).toEqual(
      hexView({
        kind: 'updateSecurityCredentialsResponse',
        commandAccepted: null,
        executionOutcome: {
          authorisingRemotePartySeqNumber: 300n,
          credentialsReplacementMode: 2,
          remotePartySeqNumberChanges: [
            {
              remotePartyRole: 2,
              floorSeqNumber: 0n,
              specialistFloorSeqNumbers: [{ seqNumberUsage: 0, seqNumber: 5n }],
            },
          ],
          replacementOutcomes: SUPPLIER_CELLS.map((cell, i) =>
            outcomeRow(cell, 0, [SUPPLIER, existing[i]!], [SUPPLIER, replacing[i]!]),
          ),
        },
      }),
    );
    const rtds = rtdsMessage(`${CS02B_FOLDER}_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX`);
    if (rtds !== undefined) {
      expect(viewShape(viewOf(m))).toEqual(viewShape(viewOf(rtds)));
      expect(m.header.dateTime === null).toBe(rtds.header.dateTime === null);
    }
    // The cells now hold the new keys; the supplier is the same party; counters are kept [A].
    expect(x.state.trustAnchorKeyIds).toEqual({
      'supplier/DS': replacing[0],
      'supplier/KA': replacing[1],
      'supplier/KA/top-up': replacing[2],
    });
    expect(x.state.security.parties).toEqual(joinedEsme().security.parties);
    expect(x.state.security.counters[SUPPLIER]).toBe(300n);
  });

  it('a second update reports what the first installed as existing', () => {
    const first = supplierCertificates(SUPPLIER);
    const installed = run('6.15.1', credentialsBody(first), joinedEsme(), { counter: 301n }).state;
    const second = supplierCertificates(SUPPLIER, otherPki);
    // From another CA than the path's: not installed, so existing and replacing both name the first update's keys.
    const x = run('6.15.1', credentialsBody(second), installed, { counter: 302n });
    const view = viewOf(response(x, 302n)) as { executionOutcome: { replacementOutcomes: unknown[] } };
    expect(hexView(view.executionOutcome.replacementOutcomes)).toEqual(
      hexView(
        SUPPLIER_CELLS.map((cell, i) => {
          const ski = skiOf([first.ds, first.ka, first.topUp][i]!);
          return outcomeRow(cell, 10, [SUPPLIER, ski], [SUPPLIER, ski]);
        }),
      ),
    );
    expect(x.state.trustAnchorKeyIds).toEqual(installed.trustAnchorKeyIds);
  });

  it('a KA certificate no CA of the certification path issued is not installed: noTrustAnchor, as RTDS IMMEDIATE_ERROR', () => {
    const certs = supplierCertificates(SUPPLIER, pki, otherPki);
    const x = run('6.15.1', credentialsBody(certs), joinedEsme(), { counter: 303n });
    const view = viewOf(response(x, 303n)) as {
      executionOutcome: { replacementOutcomes: { statusCode: number }[] };
    };
    expect(view.executionOutcome.replacementOutcomes.map((o) => o.statusCode)).toEqual([0, 10, 0]);
    expect(hexView(view.executionOutcome.replacementOutcomes[1])).toEqual(
      hexView(
        outcomeRow(
          SUPPLIER_CELLS[1]!,
          10,
          [SUPPLIER, fleetKeyId(SUPPLIER, 'KA')],
          [SUPPLIER, fleetKeyId(SUPPLIER, 'KA')],
        ),
      ),
    );
    expect(Object.keys(x.state.trustAnchorKeyIds ?? {}).sort()).toEqual([
      'supplier/DS',
      'supplier/KA/top-up',
    ]);
  });

  it('certificates naming another supplier EUI make it the supplier: the old one is then refused, the new one answered', () => {
    const x = run('6.15.1', credentialsBody(supplierCertificates(NEW_SUPPLIER)), joinedEsme(), {
      counter: 304n,
    });
    const view = viewOf(response(x, 304n)) as { executionOutcome: { replacementOutcomes: unknown[] } };
    expect(view.executionOutcome.replacementOutcomes).toHaveLength(3);
    expect(x.state.security.parties.supplier).toBe(NEW_SUPPLIER);
    const old = run('4.18', READ_BALANCE, x.state, { counter: 305n });
    expect(sentToHub(old.effects).map((b) => parseGbcs(b).message.header.cra)).toEqual([3]); // an alert, no response
    expect(old.state.securityLog.map((e) => e.code)).toEqual([0x8f30]);
    const heard = run('4.18', READ_BALANCE, x.state, { counter: 1n, user: NEW_SUPPLIER });
    expect(resultsOf(dlmsOf(response(heard, 1n, NEW_SUPPLIER)))).toEqual([0]);
  });

  it('counters are kept: the floor the command names is only echoed, a replayed counter is still refused [A]', () => {
    const x = run('6.15.1', credentialsBody(supplierCertificates(SUPPLIER)), joinedEsme(), { counter: 310n });
    expect(x.state.security.counters[SUPPLIER]).toBe(310n);
    // ECS09 is replay-protected (message-codes.ts): 309, below the 310 CS02b recorded, is refused.
    const replay = run('2.5', '<sr:ActivateEmergencyCredit/>', x.state, { counter: 309n });
    expect(sentToHub(replay.effects).map((b) => parseGbcs(b).message.header.cra)).toEqual([3]);
    expect(notesIn(replay.effects).join()).toMatch(/replayed/);
    expect(replay.state.prepayment.ledger.emergencyCreditActive).toBe(false);
  });

  it('future-dated: accepted now; at the execution time replaced, with the signed 0x00CB alert 0x8F66 to the supplier', () => {
    const certs = supplierCertificates(SUPPLIER);
    const at = '2026-06-01T00:00:00Z';
    const x = run('6.15.1', credentialsBody(certs, { execution: at }), joinedEsme(), { counter: 320n });
    expect(x.draft.executionMs).toBe(Date.parse(at));
    const m = response(x, 320n);
    expect(viewOf(m)).toEqual({ kind: 'updateSecurityCredentialsResponse', commandAccepted: null });
    expect(x.state.pendingCredentials?.executionDateTime).toBe('20260601000000Z');
    expect(x.state.trustAnchorKeyIds).toBeUndefined();
    expect(x.effects).toContainEqual({
      kind: 'timer',
      atMs: Date.parse(at),
      timer: { name: CREDENTIALS_TIMER },
    });
    const rtdsAccepted = rtdsMessage(`${CS02B_FOLDER}_FUTURE_DATED_SUCCESS_RESPONSE_GBCS.HEX`);
    if (rtdsAccepted !== undefined) expect(viewOf(m)).toEqual(viewOf(rtdsAccepted));

    const due = stepEsme(x.state, { type: 'timer', timer: { name: CREDENTIALS_TIMER } }, Date.parse(at), env);
    const alerts = sentToHub(due.effects).map((b) => parseGbcs(b));
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.message.header).toMatchObject({
      cra: 3,
      messageCode: 0x00cb,
      originator: ESME,
      recipient: SUPPLIER,
      originatorCounter: x.state.alertCounter,
    });
    expect(verifyGbcs(alert, env.protection)).toMatchObject({ signature: 'valid', mac: 'none' });
    const view = viewOf(alert.message) as { alertCode: number; executionDateTime: string };
    expect(view).toMatchObject({ alertCode: 0x8f66, executionDateTime: '20260601000000Z' });
    const rtdsAlert = rtdsMessage(`${CS02B_FOLDER}_8F66_FUTURE_DATED_SUCCESS_ALERT_GBCS.HEX`);
    if (rtdsAlert !== undefined) expect(viewShape(view)).toEqual(viewShape(viewOf(rtdsAlert)));
    expect(due.state.pendingCredentials).toBeUndefined();
    expect(due.state.trustAnchorKeyIds?.['supplier/DS']).toBe(skiOf(certs.ds));
    expect(due.state.alertCounter).toBe(x.state.alertCounter + 1n);
  });

  it('future-dated with a certificate from another CA: 0x8F67 at the execution time', () => {
    const at = '2026-06-01T00:00:00Z';
    const certs = supplierCertificates(SUPPLIER, pki, otherPki);
    const x = run('6.15.1', credentialsBody(certs, { execution: at }), joinedEsme(), { counter: 330n });
    const due = stepEsme(x.state, { type: 'timer', timer: { name: CREDENTIALS_TIMER } }, Date.parse(at), env);
    const alert = parseGbcs(sentToHub(due.effects)[0]!).message;
    expect(viewOf(alert)).toMatchObject({ kind: 'updateSecurityCredentialsAlert', alertCode: 0x8f67 });
  });

  it('cancellation (ExecutionDateTime 3000-12-31): the pending update is dropped, its timer cancelled', () => {
    const certs = supplierCertificates(SUPPLIER);
    const pending = run(
      '6.15.1',
      credentialsBody(certs, { execution: '2026-06-01T00:00:00Z' }),
      joinedEsme(),
      {
        counter: 340n,
      },
    );
    const x = run('6.15.1', credentialsBody(certs, { execution: '3000-12-31T00:00:00Z' }), pending.state, {
      counter: 341n,
    });
    expect(viewOf(response(x, 341n))).toEqual({
      kind: 'updateSecurityCredentialsResponse',
      commandAccepted: null,
    });
    expect(x.state.pendingCredentials).toBeUndefined();
    expect(x.effects).toContainEqual({ kind: 'cancel-timer', name: CREDENTIALS_TIMER });
    const late = stepEsme(
      x.state,
      { type: 'timer', timer: { name: CREDENTIALS_TIMER } },
      Date.UTC(2026, 5, 1),
      env,
    );
    expect(sentToHub(late.effects)).toHaveLength(0);
  });

  it('a network operator may not replace the supplier: refused with 0x8F30, nothing replaced', () => {
    const before = joinedEsme();
    const x = run('6.15.1', credentialsBody(supplierCertificates(SUPPLIER)), before, {
      counter: 350n,
      user: NETWORK_OPERATOR,
    });
    expect(sentToHub(x.effects).map((b) => parseGbcs(b).message.header.cra)).toEqual([3]);
    expect(x.state.securityLog.map((e) => e.code)).toEqual([0x8f30]);
    expect(x.state.security.parties).toEqual(before.security.parties);
    expect(x.state.trustAnchorKeyIds).toBeUndefined();
  });
});

describe.skipIf(!HAVE_VECTORS)(
  'RTDS 6.15.1_CS02bSupplierBySupplier, delivered to an ESME with the RTDS keys',
  () => {
    const rtds = HAVE_VECTORS ? rtdsEnv() : undefined!;

    it.each([
      'IMMEDIATE_SUCCESS',
      'IMMEDIATE_ERROR',
      'FUTURE_DATED_SUCCESS',
      'FUTURE_DATED_ERROR',
      'CANCELLATION_SUCCESS',
    ])('%s: the response equals RTDS but for the signature', (variant) => {
      const ours = answerTo(joinedEsme(), `${CS02B_FOLDER}_${variant}_COMMAND_GBCS.HEX`, rtds);
      const parsed = parseGbcs(ours.bytes);
      expect(verifyGbcs(parsed, rtds.protection)).toMatchObject({ signature: 'valid', mac: 'none' });
      const theirs = parseGbcs(rtdsBytes(`${CS02B_FOLDER}_${variant}_RESPONSE_GBCS.HEX`)!).message;
      expect(unsigned(parsed.message)).toEqual(unsigned(theirs));
    });

    it.each([
      ['FUTURE_DATED_SUCCESS', '8F66_FUTURE_DATED_SUCCESS'],
      ['FUTURE_DATED_ERROR', '8F67_FUTURE_DATED_ERROR'],
    ])(
      '%s: at 2030-01-15 the alert payload equals RTDS %s (the alert counter is the ESME’s own)',
      (variant, alert) => {
        const accepted = answerTo(joinedEsme(), `${CS02B_FOLDER}_${variant}_COMMAND_GBCS.HEX`, rtds).state;
        const due = stepEsme(
          accepted,
          { type: 'timer', timer: { name: CREDENTIALS_TIMER } },
          Date.UTC(2030, 0, 15),
          rtds,
        );
        const ours = parseGbcs(sentToHub(due.effects)[0]!).message;
        const theirs = parseGbcs(rtdsBytes(`${CS02B_FOLDER}_${alert}_ALERT_GBCS.HEX`)!).message;
        expect(ours.payload).toEqual(theirs.payload);
        expect({ ...ours.header, originatorCounter: 0n }).toEqual({
          ...theirs.header,
          originatorCounter: 0n,
        });
      },
    );
  },
);
