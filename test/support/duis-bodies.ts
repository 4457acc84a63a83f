// DUIS request bodies for the ESME's SRVs, as a User's system writes them (sr: prefix; bodyFromXml declares it):
// valid examples of each SRV's grammar, shared by the transform tests and the DCC's end-to-end tests.
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import { parseDuisRequest } from '../../src/codec/duis/request.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import { NOW, SUPPLIER } from './esme-commands.js';

export const specialDay = (index: number, month: string, day: string): string =>
  `<sr:SpecialDay index="${index}"><sr:Date><sr:Year><sr:NonSpecifiedYear/></sr:Year>` +
  `<sr:Month><sr:SpecifiedMonth>${month}</sr:SpecifiedMonth></sr:Month>` +
  `<sr:DayOfMonth>${day}</sr:DayOfMonth><sr:DayOfWeek><sr:NonSpecifiedDayOfWeek/></sr:DayOfWeek></sr:Date></sr:SpecialDay>`;

export const schedule = (script: string, days: string[], specialDays: number[], time: string): string =>
  `<sr:ElectricityNonDisablementSchedule><sr:NonDisablementScript>${script}</sr:NonDisablementScript>` +
  `<sr:SpecialDaysApplicability>${specialDays.map((d) => `<sr:SpecialDayApplicability><sr:SpecialDayID>${d}</sr:SpecialDayID></sr:SpecialDayApplicability>`).join('')}</sr:SpecialDaysApplicability>` +
  `<sr:DaysOfWeekApplicability>${days.map((d) => `<sr:DayOfWeekApplicability><sr:DayOfWeekID>${d}</sr:DayOfWeekID></sr:DayOfWeekApplicability>`).join('')}</sr:DaysOfWeekApplicability>` +
  `<sr:ScheduleDatesAndTime><sr:SwitchTime>${time}</sr:SwitchTime><sr:StartDate>2026-01-01Z</sr:StartDate>` +
  `<sr:EndDate>65535-12-31Z</sr:EndDate></sr:ScheduleDatesAndTime></sr:ElectricityNonDisablementSchedule>`;

export function prepayConfiguration(o: { execution?: string; maxMeterBalance?: string } = {}): string {
  return (
    `<sr:UpdatePrepayConfiguration>${o.execution === undefined ? '' : `<sr:ExecutionDateTime>${o.execution}</sr:ExecutionDateTime>`}` +
    `<sr:UpdatePrepayConfigElectricity><sr:DebtRecoveryRateCap>30</sr:DebtRecoveryRateCap>` +
    `<sr:EmergencyCreditLimit>300000</sr:EmergencyCreditLimit><sr:EmergencyCreditThreshold>100000</sr:EmergencyCreditThreshold>` +
    `<sr:LowCreditThreshold>200000</sr:LowCreditThreshold><sr:ElectricityNonDisablementCalendar><sr:ElectricitySpecialDays>` +
    specialDay(1, '12', '<sr:SpecifiedDayOfMonth>25</sr:SpecifiedDayOfMonth>') +
    specialDay(2, '02', '<sr:LastDayOfMonth/>') +
    `</sr:ElectricitySpecialDays>` +
    schedule('START', ['Saturday', 'Sunday'], [], '00:00:00.00Z') +
    schedule('STOP', ['Saturday', 'Sunday'], [], '09:30:00.00Z') +
    schedule('START', [], [2], '18:45:00Z') +
    `</sr:ElectricityNonDisablementCalendar><sr:MaxMeterBalance>${o.maxMeterBalance ?? '5000000'}</sr:MaxMeterBalance>` +
    `<sr:MaxCreditThreshold>1000000</sr:MaxCreditThreshold></sr:UpdatePrepayConfigElectricity></sr:UpdatePrepayConfiguration>`
  );
}

export const toPrepayment = (threshold = '556677', execution?: string): string =>
  `<sr:UpdatePaymentMode>${execution === undefined ? '' : `<sr:ExecutionDateTime>${execution}</sr:ExecutionDateTime>`}` +
  `<sr:Prepayment><sr:SuspendDebtDisabled>true</sr:SuspendDebtDisabled><sr:SuspendDebtEmergency>false</sr:SuspendDebtEmergency>` +
  `<sr:DisablementThreshold>${threshold}</sr:DisablementThreshold></sr:Prepayment></sr:UpdatePaymentMode>`;

export const toCredit = (execution?: string): string =>
  `<sr:UpdatePaymentMode>${execution === undefined ? '' : `<sr:ExecutionDateTime>${execution}</sr:ExecutionDateTime>`}<sr:Credit/></sr:UpdatePaymentMode>`;

export const UPDATE_DEBT =
  `<sr:UpdateDebt><sr:TimeDebtRegister1>30000</sr:TimeDebtRegister1><sr:TimeDebtRegister2>15000</sr:TimeDebtRegister2>` +
  `<sr:PaymentDebtRegister>50000</sr:PaymentDebtRegister><sr:DebtRecoveryPerPayment>1000</sr:DebtRecoveryPerPayment>` +
  `<sr:ElecDebtRecovery1><sr:DebtRecoveryRate>3</sr:DebtRecoveryRate><sr:DebtRecoveryRatePriceScale>-1</sr:DebtRecoveryRatePriceScale>` +
  `<sr:DebtRecoveryRatePeriod>DAILY</sr:DebtRecoveryRatePeriod></sr:ElecDebtRecovery1>` +
  `<sr:ElecDebtRecovery2><sr:DebtRecoveryRate>15</sr:DebtRecoveryRate><sr:DebtRecoveryRatePriceScale>-1</sr:DebtRecoveryRatePriceScale>` +
  `<sr:DebtRecoveryRatePeriod>HOURLY</sr:DebtRecoveryRatePeriod></sr:ElecDebtRecovery2></sr:UpdateDebt>`;

export const synchroniseClock = (element: string, at: number, tolerance = '60'): string =>
  `<sr:${element}><sr:CurrentDateTime>${new Date(at).toISOString()}</sr:CurrentDateTime>` +
  `<sr:TolerancePeriod>${tolerance}</sr:TolerancePeriod></sr:${element}>`;

export const HASH = 'AA758690730934FF0685AA758690730934FF0685657788990011223344556677';
export const activateFirmware = (execution?: string, hash = HASH): string =>
  `<sr:ActivateFirmware>${execution === undefined ? '' : `<sr:ExecutionDateTime>${execution}</sr:ExecutionDateTime>`}` +
  `<sr:FirmwareHash>${hash}</sr:FirmwareHash></sr:ActivateFirmware>`;

/** A DER SEQUENCE { INTEGER n }: the transform checks a certificate is one DER SEQUENCE and reads no further. */
export const certificate = (n: number): string => Buffer.from([0x30, 0x03, 0x02, 0x01, n]).toString('base64');

/** Replacement certificates the ESME accepts: the supplier's DS, KA and top-up KA, and the CA that issued them. */
export interface Certificates {
  readonly ds: string;
  readonly ka: string;
  readonly topUp: string;
  readonly path: string;
}

export function replacementCertificates(): Certificates {
  const pki = new TestPki({ seed: 'transform-electricity', notBefore: new Date(Date.UTC(2025, 0, 1)) });
  const issue = (usage: 'DS' | 'KA', prepayment = false): string =>
    Buffer.from(
      pki.issueOrganisationCertificate({ eui: SUPPLIER, role: 'supplier', usage, prepayment, generation: 1 })
        .certificate,
    ).toString('base64');
  return {
    ds: issue('DS'),
    ka: issue('KA'),
    topUp: issue('KA', true),
    path: Buffer.from(pki.organisationCa.certificate).toString('base64'),
  };
}

export const updateCredentials = (
  o: { role?: string; execution?: string; cpv?: string; ds?: string; certificates?: Certificates } = {},
): string =>
  `<sr:UpdateSecurityCredentialsKRP>${o.execution === undefined ? '' : `<sr:ExecutionDateTime>${o.execution}</sr:ExecutionDateTime>`}` +
  `<sr:RemotePartyRole>${o.role ?? 'Supplier'}</sr:RemotePartyRole><sr:RemotePartyFloorSeqNumber>0</sr:RemotePartyFloorSeqNumber>` +
  `<sr:RemotePartyPrepaymentTopUpFloorSeqNumber>5</sr:RemotePartyPrepaymentTopUpFloorSeqNumber>` +
  `<sr:ReplacementCertificates><sr:SupplierOrNetworkOperatorCertificates>` +
  `<sr:DigitalSigningCertificate>${o.ds ?? o.certificates?.ds ?? certificate(1)}</sr:DigitalSigningCertificate>` +
  `<sr:KeyAgreementCertificate>${o.certificates?.ka ?? certificate(2)}</sr:KeyAgreementCertificate>` +
  `<sr:KeyAgreementTopUpCertificate>${o.certificates?.topUp ?? certificate(3)}</sr:KeyAgreementTopUpCertificate>` +
  `</sr:SupplierOrNetworkOperatorCertificates></sr:ReplacementCertificates>` +
  `<sr:CertificationPathCertificates><sr:Certificate>${o.certificates?.path ?? certificate(4)}</sr:Certificate></sr:CertificationPathCertificates>` +
  `<sr:ApplyTimeBasedCPVChecks>${o.cpv ?? 'false'}</sr:ApplyTimeBasedCPVChecks></sr:UpdateSecurityCredentialsKRP>`;

/** One valid body per SRV: the round trips below and the mutation property start from these. */
export const VALID_BODIES: Readonly<Record<string, string>> = {
  '1.6': toPrepayment(),
  '2.1': prepayConfiguration(),
  '2.2': '<sr:TopUpDevice><sr:UTRN>73946144332040217315</sr:UTRN></sr:TopUpDevice>',
  '2.3': UPDATE_DEBT,
  '2.5': '<sr:ActivateEmergencyCredit/>',
  '4.1.1': '<sr:ReadInstantaneousImportRegisters/>',
  '4.1.2': '<sr:ReadInstantaneousImportTOUMatrices/>',
  '4.1.3': '<sr:ReadInstantaneousImportTOUWithBlocksMatrices/>',
  '4.13': '<sr:ReadPrepaymentConfiguration/>',
  '4.18': '<sr:ReadMeterBalance/>',
  '6.11': synchroniseClock('SynchroniseClock', NOW - 30_000),
  '6.15.1': updateCredentials(),
  '7.1': '<sr:EnableSupply/>',
  '7.2': '<sr:DisableSupply/>',
  '7.3': '<sr:ArmSupply/>',
  '7.4': '<sr:ReadSupplyStatus/>',
  '8.1.1': synchroniseClock('CommissionDeviceSynchroniseClock', NOW - 30_000),
  '11.2': '<sr:ReadFirmwareVersion/>',
  '11.3': activateFirmware('2030-01-15T09:00:00.00Z'),
};

/** A body tree from the XML of the SRV's body element (sr: prefix), as a DUIS request would carry it. */
export function bodyFromXml(srv: string, bodyXml: string): DuisRequestBody {
  const info = srvInfo(srv);
  if (info === undefined) throw new Error(`unknown SRV ${srv}`);
  const xml =
    `<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">` +
    `<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1</sr:RequestID>` +
    `<sr:CommandVariant>${info.critical ? 4 : 1}</sr:CommandVariant>` +
    `<sr:ServiceReference>${info.serviceReference}</sr:ServiceReference>` +
    `<sr:ServiceReferenceVariant>${srv}</sr:ServiceReferenceVariant></sr:Header>` +
    `<sr:Body>${bodyXml}</sr:Body></sr:Request>`;
  return parseDuisRequest(parseXml(xml)).body;
}
