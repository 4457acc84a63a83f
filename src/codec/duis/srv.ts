// DUIS Service Request Variants: one list, one row per SRV (as Wireshark's packet-gbcs.c keeps its value lists), from
// which the Srv union, the O(1) lookups by SRV and by request body element, and the printer are derived.
//
// Where each column comes from (tags as in docs/domain-brief.md: [C] confirmed, [O] observed, [D] derived):
// - srv, serviceReference, name, critical, onDemand, futureDatedPattern, dccScheduled, nonDevice, eligibleRoles: DUIS
//   (SEC Appendix AD) as extracted in SmartDCCInnovation/duis-parser duis-request-matrix.json, domain brief Appendix A
//   [O], except that 6.20.1/6.20.2 belong to Service Reference 6.20 (the XSD enumeration and the templates), where the
//   matrix, having read it as a number, says "6.2". Names are tidied of stray spaces, full stops and dash styles
//   ("Communications Hub  Status Update. – Fault Return" reads "Communications Hub Status Update - Fault Return").
//   'No' future-dating is null.
// - bodyElement: the Request Body choice of DUIS Schema V5.4, which lists one element per SRV in SRV order; every
//   duis-templates request checks against it [O].
// - commandVariants: the CV comments beside each ServiceReferenceVariant in the XSD [O], which follow a rule: critical
//   4-7 (Transform, then Signed Pre-Command), never 1-3; non-critical device 1-3; non-device 8 [D]. Exceptions kept as the
//   XSD writes them: 8.1.1 Commission Device only 4-5 (no local delivery), 8.5 Service Opt Out only 1. The XSD comments
//   for 7.12-7.15 contradict the rule (7.12/7.13 critical but "1, 2, 3"; 7.14/7.15 not critical but "4, 5, 6, 7");
//   the duis-templates requests side with the rule (7.13 sent with CV 4, 7.15 with CV 1), and so does this table [O].
// - useCases: GBCS use cases the SRV produces, named as in message-codes.ts: from duis-templates
//   gbcs-mapping-table.json (which maps to the Service Reference, e.g. 4.1) narrowed to the SRV by the RTDS 4.5.0
//   folder names `<SRV>_<UseCase>` and the duis-templates file names `<UseCase>_<SRV>_…` [O]; where neither narrows it,
//   by the use-case title (4.8.2 reactive import is ECS22c; 8.12.2 GPF is GCS59; 6.15.2 Device is CS02d, as
//   message-codes.ts) [D]. Firmware distribution (11.1, 11.4) names the GBCS CS05 use cases, which have no message code.
//   Non-device SRVs and the DSP-only 5.x have none.

/** DUIS user roles: Import Supplier, Export Supplier, Gas Supplier, Electricity Distributor, Gas Transporter, Registered
 * Supplier Agent, Other User. */
export type UserRole = 'IS' | 'ES' | 'GS' | 'ED' | 'GT' | 'RSA' | 'OU';

/** Who holds a future-dated request: the DSP until the time comes, the Device (alerting 0x8F66/0x8F67), or both. */
export type FutureDatedPattern = 'DSP' | 'Device' | 'DSP & Device';

/** DUIS Command Variants a Service Request may carry (9 is internal to the DCC, never in a Service Request). */
export type CommandVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface SrvRow {
  /** Service Reference Variant, e.g. '4.1.1'. */
  readonly srv: string;
  /** Service Reference, e.g. '4.1'. */
  readonly serviceReference: string;
  readonly name: string;
  readonly critical: boolean;
  readonly onDemand: boolean;
  /** null: the SRV cannot be future-dated. */
  readonly futureDatedPattern: FutureDatedPattern | null;
  readonly dccScheduled: boolean;
  /** Answered by the DSP without a GBCS command (CV 8). */
  readonly nonDevice: boolean;
  readonly eligibleRoles: readonly UserRole[];
  /** Local name of the sr:Body child, e.g. 'ReadInstantaneousImportRegisters'. */
  readonly bodyElement: string;
  readonly commandVariants: readonly CommandVariant[];
  /** GBCS use cases, as named in message-codes.ts. */
  readonly useCases: readonly string[];
}

const IS = 'IS';
const ES = 'ES';
const GS = 'GS';
const ED = 'ED';
const GT = 'GT';
const RSA = 'RSA';
const OU = 'OU';
/** Critical: Transform (4), then Signed Pre-Command for WAN (5), local (6) or both (7). */
const C = [4, 5, 6, 7] as const;
/** Non-critical device request: WAN (1), local (2) or both (3). */
const NC = [1, 2, 3] as const;
/** Non-device: answered by the DSP. */
const DCC = [8] as const;

// prettier-ignore
export const SRVS = [
  { srv: '1.1.1', serviceReference: '1.1', name: 'Update Import Tariff (Primary Element)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateImportTariffPrimaryElement', commandVariants: C, useCases: ['ECS01a', 'GCS01a'] },
  { srv: '1.1.2', serviceReference: '1.1', name: 'Update Import Tariff (Secondary Element)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateImportTariffSecondaryElement', commandVariants: C, useCases: ['ECS01c'] },
  { srv: '1.2.1', serviceReference: '1.2', name: 'Update Price (Primary Element)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdatePricePrimaryElement', commandVariants: C, useCases: ['ECS01b', 'GCS01b'] },
  { srv: '1.2.2', serviceReference: '1.2', name: 'Update Price (Secondary Element)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdatePriceSecondaryElement', commandVariants: C, useCases: ['ECS01d'] },
  { srv: '1.5', serviceReference: '1.5', name: 'Update Meter Balance', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateMeterBalance', commandVariants: C, useCases: ['ECS04a', 'ECS04b', 'GCS40a', 'GCS40b', 'GCS40c', 'GCS40d'] },
  { srv: '1.6', serviceReference: '1.6', name: 'Update Payment Mode', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdatePaymentMode', commandVariants: C, useCases: ['ECS02', 'ECS03', 'GCS02', 'GCS03'] },
  { srv: '1.7', serviceReference: '1.7', name: 'Reset Tariff Block Counter Matrix', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'ResetTariffBlockCounterMatrix', commandVariants: C, useCases: ['ECS05'] },
  { srv: '2.1', serviceReference: '2.1', name: 'Update Prepay Configuration', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdatePrepayConfiguration', commandVariants: C, useCases: ['ECS08', 'ECS08a', 'GCS05'] },
  { srv: '2.2', serviceReference: '2.2', name: 'Top Up Device', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'TopUpDevice', commandVariants: NC, useCases: ['CS01a', 'CS01b'] },
  { srv: '2.3', serviceReference: '2.3', name: 'Update Debt', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateDebt', commandVariants: C, useCases: ['ECS07', 'GCS04'] },
  { srv: '2.5', serviceReference: '2.5', name: 'Activate Emergency Credit', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ActivateEmergencyCredit', commandVariants: C, useCases: ['ECS09', 'GCS06'] },
  { srv: '3.1', serviceReference: '3.1', name: 'Display Message', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'DisplayMessage', commandVariants: NC, useCases: ['ECS10', 'GCS07'] },
  { srv: '3.2', serviceReference: '3.2', name: 'Restrict Access For Change Of Tenancy', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RestrictAccessForChangeOfTenancy', commandVariants: NC, useCases: ['ECS12', 'GCS09'] },
  { srv: '3.3', serviceReference: '3.3', name: 'Clear Event Log', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ClearEventLog', commandVariants: NC, useCases: ['ECS15a', 'ECS15c', 'CS11'] },
  { srv: '3.4', serviceReference: '3.4', name: 'Update Supplier Name', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateSupplierName', commandVariants: NC, useCases: ['ECS16', 'GCS44'] },
  { srv: '3.5', serviceReference: '3.5', name: 'Disable Privacy PIN', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'DisablePrivacyPIN', commandVariants: NC, useCases: ['ECS14', 'GCS11'] },
  { srv: '4.1.1', serviceReference: '4.1', name: 'Read Instantaneous Import Registers', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED, GT], bodyElement: 'ReadInstantaneousImportRegisters', commandVariants: NC, useCases: ['ECS17b', 'GCS13a'] },
  { srv: '4.1.2', serviceReference: '4.1', name: 'Read Instantaneous Import TOU Matrices', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED, GT], bodyElement: 'ReadInstantaneousImportTOUMatrices', commandVariants: NC, useCases: ['ECS17d', 'GCS13c'] },
  { srv: '4.1.3', serviceReference: '4.1', name: 'Read Instantaneous Import TOU With Blocks Matrices', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ED], bodyElement: 'ReadInstantaneousImportTOUWithBlocksMatrices', commandVariants: NC, useCases: ['ECS17e'] },
  { srv: '4.1.4', serviceReference: '4.1', name: 'Read Instantaneous Import Block Counters', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [GS], bodyElement: 'ReadInstantaneousImportBlockCounters', commandVariants: NC, useCases: ['GCS13b'] },
  { srv: '4.2', serviceReference: '4.2', name: 'Read Instantaneous Export Registers', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [ES, ED], bodyElement: 'ReadInstantaneousExportRegisters', commandVariants: NC, useCases: ['ECS17a'] },
  { srv: '4.3', serviceReference: '4.3', name: 'Read Instantaneous Prepay Values', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ReadInstantaneousPrepayValues', commandVariants: NC, useCases: ['ECS19', 'GCS14'] },
  { srv: '4.4.2', serviceReference: '4.4', name: 'Retrieve Change Of Mode / Tariff Triggered Billing Data Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RetrieveCoMOrTariffTriggeredBillingDataLog', commandVariants: NC, useCases: ['ECS20b', 'GCS15b'] },
  { srv: '4.4.3', serviceReference: '4.4', name: 'Retrieve Billing Calendar Triggered Billing Data Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RetrieveBillingCalendarTriggeredBillingDataLog', commandVariants: NC, useCases: ['ECS20c', 'GCS15c'] },
  { srv: '4.4.4', serviceReference: '4.4', name: 'Retrieve Billing Data Log (Payment Based Debt Payments)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [GS, IS], bodyElement: 'RetrieveBillingDataLogDebtPayments', commandVariants: NC, useCases: ['ECS20a', 'GCS15d'] },
  { srv: '4.4.5', serviceReference: '4.4', name: 'Retrieve Billing Data Log (Prepayment Credits)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [GS, IS], bodyElement: 'RetrieveBillingDataLogPrepaymentCredits', commandVariants: NC, useCases: ['ECS20d', 'GCS15e'] },
  { srv: '4.6.1', serviceReference: '4.6', name: 'Retrieve Import Daily Read Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RetrieveImportDailyReadLog', commandVariants: NC, useCases: ['ECS21a', 'GCS16a'] },
  { srv: '4.6.2', serviceReference: '4.6', name: 'Retrieve Export Daily Read Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [ES], bodyElement: 'RetrieveExportDailyReadLog', commandVariants: NC, useCases: ['ECS21c'] },
  { srv: '4.8.1', serviceReference: '4.8', name: 'Read Active Import Profile Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, GS, ED, GT, OU], bodyElement: 'ReadActiveImportProfileData', commandVariants: NC, useCases: ['ECS22b', 'GCS17'] },
  { srv: '4.8.2', serviceReference: '4.8', name: 'Read Reactive Import Profile Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, ED, OU], bodyElement: 'ReadReactiveImportProfileData', commandVariants: NC, useCases: ['ECS22c'] },
  { srv: '4.8.3', serviceReference: '4.8', name: 'Read Export Profile Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [ES, ED, OU], bodyElement: 'ReadExportProfileData', commandVariants: NC, useCases: ['ECS22a'] },
  { srv: '4.10', serviceReference: '4.10', name: 'Read Network Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, GS, ED, GT], bodyElement: 'ReadNetworkData', commandVariants: NC, useCases: ['ECS23', 'ECS23b', 'GCS18'] },
  { srv: '4.11.1', serviceReference: '4.11', name: 'Read Tariff (Primary Element)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, OU], bodyElement: 'ReadTariffPrimaryElement', commandVariants: NC, useCases: ['ECS24', 'GCS21f'] },
  { srv: '4.11.2', serviceReference: '4.11', name: 'Read Tariff (Secondary Element)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, OU], bodyElement: 'ReadTariffSecondaryElement', commandVariants: NC, useCases: ['ECS24b'] },
  { srv: '4.12.1', serviceReference: '4.12', name: 'Read Maximum Demand Import Registers', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, ED], bodyElement: 'ReadMaximumDemandImportRegisters', commandVariants: NC, useCases: ['ECS18b'] },
  { srv: '4.12.2', serviceReference: '4.12', name: 'Read Maximum Demand Export Registers', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [ES, ED], bodyElement: 'ReadMaximumDemandExportRegisters', commandVariants: NC, useCases: ['ECS18a'] },
  { srv: '4.13', serviceReference: '4.13', name: 'Read Prepayment Configuration', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ReadPrepaymentConfiguration', commandVariants: NC, useCases: ['ECS26a', 'GCS21b'] },
  { srv: '4.14', serviceReference: '4.14', name: 'Read Prepayment Daily Read Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ReadPrepaymentDailyReadLog', commandVariants: NC, useCases: ['ECS21b', 'GCS16b'] },
  { srv: '4.15', serviceReference: '4.15', name: 'Read Load Limit Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, ED], bodyElement: 'ReadLoadLimitData', commandVariants: NC, useCases: ['ECS27'] },
  { srv: '4.16', serviceReference: '4.16', name: 'Read Active Power Import', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: true, nonDevice: false, eligibleRoles: [IS, ED], bodyElement: 'ReadActivePowerImport', commandVariants: NC, useCases: ['ECS17c'] },
  { srv: '4.17', serviceReference: '4.17', name: 'Retrieve Daily Consumption Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: true, nonDevice: false, eligibleRoles: [IS, GS, ED, GT, OU], bodyElement: 'RetrieveDailyConsumptionLog', commandVariants: NC, useCases: ['ECS66', 'GCS61'] },
  { srv: '4.18', serviceReference: '4.18', name: 'Read Meter Balance', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ReadMeterBalance', commandVariants: NC, useCases: ['ECS82', 'GCS60', 'GCS60a'] },
  { srv: '5.1', serviceReference: '5.1', name: 'Create Schedule', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, ED, GT, OU], bodyElement: 'CreateSchedule', commandVariants: DCC, useCases: [] },
  { srv: '5.2', serviceReference: '5.2', name: 'Read Schedule', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, ED, GT, OU], bodyElement: 'ReadSchedule', commandVariants: DCC, useCases: [] },
  { srv: '5.3', serviceReference: '5.3', name: 'Delete Schedule', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, ED, GT, OU], bodyElement: 'DeleteSchedule', commandVariants: DCC, useCases: [] },
  { srv: '6.2.1', serviceReference: '6.2', name: 'Read Device Configuration (Voltage)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, RSA, ED], bodyElement: 'ReadDeviceConfigurationVoltage', commandVariants: NC, useCases: ['ECS26b', 'ECS26k'] },
  { srv: '6.2.2', serviceReference: '6.2', name: 'Read Device Configuration (Randomisation)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, RSA, ED], bodyElement: 'ReadDeviceConfigurationRandomisation', commandVariants: NC, useCases: ['ECS26c'] },
  { srv: '6.2.3', serviceReference: '6.2', name: 'Read Device Configuration (Billing Calendar)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, RSA, GS], bodyElement: 'ReadDeviceConfigurationBillingCalendar', commandVariants: NC, useCases: ['ECS26d', 'ECS26l', 'GCS21d', 'GCS21k'] },
  { srv: '6.2.4', serviceReference: '6.2', name: 'Read Device Configuration (Identity Exc MPxN)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'ReadDeviceConfigurationIdentityExcMPxN', commandVariants: NC, useCases: ['ECS26e', 'ECS26i', 'ECS26m', 'ECS26n', 'GCS21e', 'GCS21m'] },
  { srv: '6.2.5', serviceReference: '6.2', name: 'Read Device Configuration (Instantaneous Power Thresholds)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, RSA], bodyElement: 'ReadDeviceConfigurationInstantaneousPowerThresholds', commandVariants: NC, useCases: ['ECS26f'] },
  { srv: '6.2.7', serviceReference: '6.2', name: 'Read Device Configuration (MPxN)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'ReadDeviceConfigurationMPxN', commandVariants: NC, useCases: ['ECS40', 'GCS46'] },
  { srv: '6.2.8', serviceReference: '6.2', name: 'Read Device Configuration (Gas)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [GS, RSA, GT], bodyElement: 'ReadDeviceConfigurationGas', commandVariants: NC, useCases: ['GCS21a'] },
  { srv: '6.2.9', serviceReference: '6.2', name: 'Read Device Configuration (Payment Mode)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, RSA], bodyElement: 'ReadDeviceConfigurationPaymentMode', commandVariants: NC, useCases: ['ECS26j', 'GCS21j'] },
  { srv: '6.2.10', serviceReference: '6.2', name: 'Read Device Configuration (Event and Alert Behaviours)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED], bodyElement: 'ReadDeviceConfigurationEventAndAlertBehaviours', commandVariants: NC, useCases: ['ECS25r1', 'ECS25r2', 'GCS20r'] },
  { srv: '6.4.1', serviceReference: '6.4', name: 'Update Device Configuration (Load Limiting General Settings)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationLoadLimitingGeneralSettings', commandVariants: C, useCases: ['ECS28a'] },
  { srv: '6.4.2', serviceReference: '6.4', name: 'Update Device Configuration (Load Limiting Counter Reset)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationLoadLimitingCounterReset', commandVariants: NC, useCases: ['ECS28b'] },
  { srv: '6.5', serviceReference: '6.5', name: 'Update Device Configuration (Voltage)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [ED], bodyElement: 'UpdateDeviceConfigurationVoltage', commandVariants: NC, useCases: ['ECS29a', 'ECS29b', 'ECS29c', 'ECS29d'] },
  { srv: '6.6', serviceReference: '6.6', name: 'Update Device Configuration (Gas Conversion)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [GS], bodyElement: 'UpdateDeviceConfigurationGasConversion', commandVariants: C, useCases: ['GCS23'] },
  { srv: '6.7', serviceReference: '6.7', name: 'Update Device Configuration (Gas Flow)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [GS], bodyElement: 'UpdateDeviceConfigurationGasFlow', commandVariants: C, useCases: ['GCS24', 'GCS24a'] },
  { srv: '6.8', serviceReference: '6.8', name: 'Update Device Configuration (Billing Calendar)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateDeviceConfigurationBillingCalendar', commandVariants: C, useCases: ['ECS30', 'ECS30a', 'GCS25', 'GCS25a'] },
  { srv: '6.11', serviceReference: '6.11', name: 'Synchronise Clock', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'SynchroniseClock', commandVariants: C, useCases: ['ECS70', 'GCS28'] },
  { srv: '6.12', serviceReference: '6.12', name: 'Update Device Configuration (Instantaneous Power Threshold)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationInstantaneousPowerThreshold', commandVariants: NC, useCases: ['ECS34'] },
  { srv: '6.13', serviceReference: '6.13', name: 'Read Event Or Security Log', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED, GT, RSA], bodyElement: 'ReadEventOrSecurityLog', commandVariants: NC, useCases: ['ECS35a', 'ECS35b', 'ECS35c', 'ECS35d', 'ECS35e', 'ECS35f', 'ECS35g', 'CS10a', 'CS10b'] },
  { srv: '6.14.1', serviceReference: '6.14', name: 'Update Device Configuration (Auxiliary Load Control Description)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationALCDescriptions', commandVariants: C, useCases: ['ECS46a'] },
  { srv: '6.14.2', serviceReference: '6.14', name: 'Update Device Configuration (Auxiliary Load Control Scheduler)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationALCScheduler', commandVariants: C, useCases: ['ECS46c'] },
  { srv: '6.14.3', serviceReference: '6.14', name: 'Update Device Configuration (Auxiliary Controller Scheduler)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationAuxiliaryControllerScheduler', commandVariants: C, useCases: ['ECS46d'] },
  { srv: '6.15.1', serviceReference: '6.15', name: 'Update Security Credentials (KRP)', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED, GT], bodyElement: 'UpdateSecurityCredentialsKRP', commandVariants: C, useCases: ['CS02b', 'CS02g'] },
  { srv: '6.15.2', serviceReference: '6.15', name: 'Update Security Credentials (Device)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateSecurityCredentialsDevice', commandVariants: C, useCases: ['CS02d'] },
  { srv: '6.17', serviceReference: '6.17', name: 'Issue Security Credentials', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'IssueSecurityCredentials', commandVariants: C, useCases: ['CS02c'] },
  { srv: '6.18.1', serviceReference: '6.18', name: 'Set Maximum Demand Configurable Time Period', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [ED], bodyElement: 'SetMaximumDemandConfigurableTimePeriod', commandVariants: NC, useCases: ['ECS37'] },
  { srv: '6.18.2', serviceReference: '6.18', name: 'Reset Maximum Demand Registers', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [ED], bodyElement: 'ResetMaximumDemandRegisters', commandVariants: NC, useCases: ['ECS57'] },
  { srv: '6.20.1', serviceReference: '6.20', name: 'Set Device Configuration (Import MPxN)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'SetDeviceConfigurationImportMPxN', commandVariants: NC, useCases: ['ECS39a', 'GCS41'] },
  { srv: '6.20.2', serviceReference: '6.20', name: 'Set Device Configuration (Export MPAN)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [ES], bodyElement: 'SetDeviceConfigurationExportMPAN', commandVariants: NC, useCases: ['ECS39b'] },
  { srv: '6.21', serviceReference: '6.21', name: 'Request Handover Of DCC Controlled Device', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RequestHandoverOfDCCControlledDevice', commandVariants: NC, useCases: ['CS02b'] },
  { srv: '6.22', serviceReference: '6.22', name: 'Configure Alert Behaviour', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED], bodyElement: 'ConfigureAlertBehaviour', commandVariants: NC, useCases: ['ECS25a', 'ECS25a1', 'ECS25a2', 'ECS25a3', 'ECS25b', 'ECS25b3', 'GCS20'] },
  { srv: '6.23', serviceReference: '6.23', name: 'Update Security Credentials (CoS)', critical: false, onDemand: true, futureDatedPattern: 'DSP & Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UpdateSecurityCredentialsCoS', commandVariants: NC, useCases: ['CS02b'] },
  { srv: '6.24.1', serviceReference: '6.24', name: 'Retrieve Device Security Credentials (KRP)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, ED, GT], bodyElement: 'RetrieveDeviceSecurityCredentialsKRP', commandVariants: NC, useCases: ['CS02a', 'CS02f'] },
  { srv: '6.24.2', serviceReference: '6.24', name: 'Retrieve Device Security Credentials (Device)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RetrieveDeviceSecurityCredentialsDevice', commandVariants: C, useCases: ['CS02e'] },
  { srv: '6.25', serviceReference: '6.25', name: 'Set Electricity Supply Tamper State', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'SetElectricitySupplyTamperState', commandVariants: C, useCases: ['ECS81'] },
  { srv: '6.26', serviceReference: '6.26', name: 'Update Device Configuration (daily resetting of Tariff Block Counter Matrix)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix', commandVariants: C, useCases: ['ECS48'] },
  { srv: '6.27', serviceReference: '6.27', name: 'Update Device Configuration (RMS Voltage Counter Reset)', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [ED], bodyElement: 'UpdateDeviceConfigurationRMSVoltageCounterReset', commandVariants: NC, useCases: ['ECS29e', 'ECS29f'] },
  { srv: '6.28', serviceReference: '6.28', name: 'Set CHF Sub GHz Configuration', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'SetCHFSubGHzConfiguration', commandVariants: NC, useCases: ['DBCH04'] },
  { srv: '6.29', serviceReference: '6.29', name: 'Request CHF Sub GHz Channel Scan', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RequestCHFSubGHzChannelScan', commandVariants: NC, useCases: ['DBCH05'] },
  { srv: '6.30', serviceReference: '6.30', name: 'Read CHF Sub GHz Configuration', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, RSA], bodyElement: 'ReadCHFSubGHzConfiguration', commandVariants: NC, useCases: ['DBCH03'] },
  { srv: '6.31', serviceReference: '6.31', name: 'Read CHF Sub GHz Channel', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, RSA], bodyElement: 'ReadCHFSubGHzChannel', commandVariants: NC, useCases: ['DBCH01'] },
  { srv: '6.32', serviceReference: '6.32', name: 'Read CHF Sub GHz Channel Log', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, RSA], bodyElement: 'ReadCHFSubGHzChannelLog', commandVariants: NC, useCases: ['DBCH02'] },
  { srv: '7.1', serviceReference: '7.1', name: 'Enable Supply', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'EnableSupply', commandVariants: C, useCases: ['ECS42'] },
  { srv: '7.2', serviceReference: '7.2', name: 'Disable Supply', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'DisableSupply', commandVariants: C, useCases: ['ECS43', 'GCS32'] },
  { srv: '7.3', serviceReference: '7.3', name: 'Arm Supply', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ArmSupply', commandVariants: C, useCases: ['ECS44', 'GCS39'] },
  { srv: '7.4', serviceReference: '7.4', name: 'Read Supply Status', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ES, GS, RSA, ED, GT], bodyElement: 'ReadSupplyStatus', commandVariants: NC, useCases: ['ECS45', 'GCS33'] },
  { srv: '7.5', serviceReference: '7.5', name: 'Activate Auxiliary Load', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'ActivateAuxiliaryLoad', commandVariants: C, useCases: ['ECS47'] },
  { srv: '7.6', serviceReference: '7.6', name: 'Deactivate Auxiliary Load', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'DeactivateAuxiliaryLoad', commandVariants: C, useCases: ['ECS47'] },
  { srv: '7.7', serviceReference: '7.7', name: 'Read Auxiliary Load Switch Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ED, OU], bodyElement: 'ReadALCSData', commandVariants: NC, useCases: ['ECS61a'] },
  { srv: '7.8', serviceReference: '7.8', name: 'Reset Auxiliary Load', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'ResetAuxiliaryLoad', commandVariants: C, useCases: ['ECS47'] },
  { srv: '7.9', serviceReference: '7.9', name: 'Add Auxiliary Load To Boost Button', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'AddAuxiliaryLoadToBoostButton', commandVariants: NC, useCases: ['ECS62'] },
  { srv: '7.10', serviceReference: '7.10', name: 'Remove Auxiliary Load From Boost Button', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'RemoveAuxiliaryLoadFromBoostButton', commandVariants: NC, useCases: ['ECS62'] },
  { srv: '7.11', serviceReference: '7.11', name: 'Read Boost Button Details', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, OU], bodyElement: 'ReadBoostButtonDetails', commandVariants: NC, useCases: ['ECS61c'] },
  { srv: '7.12', serviceReference: '7.12', name: 'Set Randomised Offset Limit', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'SetRandomisedOffsetLimit', commandVariants: C, useCases: ['ECS38'] },
  { srv: '7.13', serviceReference: '7.13', name: 'Set Auxiliary Controller State', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS], bodyElement: 'SetAuxiliaryControllerState', commandVariants: C, useCases: ['ECS47a'] },
  { srv: '7.14', serviceReference: '7.14', name: 'Read Auxiliary Controller Configuration Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ED, OU], bodyElement: 'ReadAuxiliaryControllerConfigurationData', commandVariants: NC, useCases: ['ECS61d'] },
  { srv: '7.15', serviceReference: '7.15', name: 'Read Auxiliary Controller Operational Data', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ED, OU], bodyElement: 'ReadAuxiliaryControllerOperationalData', commandVariants: NC, useCases: ['ECS61e'] },
  { srv: '7.16', serviceReference: '7.16', name: 'Limit APC Level', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [], bodyElement: 'LimitAPCLevel', commandVariants: C, useCases: ['ECS47e'] },
  { srv: '8.1.1', serviceReference: '8.1', name: 'Commission Device', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'CommissionDeviceSynchroniseClock', commandVariants: [4, 5], useCases: ['ECS70', 'GCS28'] },
  { srv: '8.2', serviceReference: '8.2', name: 'Read Inventory (Current and Future Suppliers may use this Service Request)', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'ReadInventory', commandVariants: DCC, useCases: [] },
  { srv: '8.3', serviceReference: '8.3', name: 'Decommission Device', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'DecommissionDevice', commandVariants: DCC, useCases: [] },
  { srv: '8.4', serviceReference: '8.4', name: 'Update Inventory', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'UpdateInventory', commandVariants: DCC, useCases: [] },
  { srv: '8.5', serviceReference: '8.5', name: 'Service Opt Out', critical: false, onDemand: false, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [], bodyElement: 'ServiceOptOut', commandVariants: [1], useCases: ['CS02b'] },
  { srv: '8.6', serviceReference: '8.6', name: 'Service Opt In', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [], bodyElement: 'ServiceOptIn', commandVariants: DCC, useCases: [] },
  { srv: '8.7.1', serviceReference: '8.7', name: 'Join Service (Critical)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'JoinServiceCritical', commandVariants: C, useCases: ['CS03A1', 'CS03A2', 'CS03C'] },
  { srv: '8.7.2', serviceReference: '8.7', name: 'Join Service (Non-Critical)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, OU], bodyElement: 'JoinServiceNonCritical', commandVariants: NC, useCases: ['CS03A2', 'CS03B', 'CS03C'] },
  { srv: '8.8.1', serviceReference: '8.8', name: 'Unjoin Service (Critical)', critical: true, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'UnjoinServiceCritical', commandVariants: C, useCases: ['CS04AC'] },
  { srv: '8.8.2', serviceReference: '8.8', name: 'Unjoin Service (Non-Critical)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, OU], bodyElement: 'UnjoinServiceNonCritical', commandVariants: NC, useCases: ['CS04AC', 'CS04B'] },
  { srv: '8.9', serviceReference: '8.9', name: 'Read Device Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, OU], bodyElement: 'ReadDeviceLog', commandVariants: NC, useCases: ['CS07', 'CCS05CCS04', 'CCS06', 'CCS07'] },
  { srv: '8.11', serviceReference: '8.11', name: 'Update HAN Device Log', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS, OU], bodyElement: 'UpdateHANDeviceLog', commandVariants: NC, useCases: ['CCS01', 'CCS02'] },
  { srv: '8.12.1', serviceReference: '8.12', name: 'Restore HAN Device Log', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RestoreHANDeviceLog', commandVariants: NC, useCases: ['CCS03'] },
  { srv: '8.12.2', serviceReference: '8.12', name: 'Restore Gas Proxy Function Device Log', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'RestoreGPFDeviceLog', commandVariants: NC, useCases: ['GCS59'] },
  { srv: '8.13', serviceReference: '8.13', name: 'Return Local Command Response', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'ReturnLocalCommandResponse', commandVariants: DCC, useCases: [] },
  { srv: '8.14.1', serviceReference: '8.14', name: 'Communications Hub Status Update - Install Success', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'CHFInstallSuccessSMWAN', commandVariants: DCC, useCases: [] },
  { srv: '8.14.2', serviceReference: '8.14', name: 'Communications Hub Status Update - Install No SM WAN', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'CHFInstallSuccessNoSMWAN', commandVariants: DCC, useCases: [] },
  { srv: '8.14.3', serviceReference: '8.14', name: 'Communications Hub Status Update - Fault Return', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'CHFFaultReturn', commandVariants: DCC, useCases: [] },
  { srv: '8.14.4', serviceReference: '8.14', name: 'Communications Hub Status Update - No Fault Return', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'CHFNoFaultReturn', commandVariants: DCC, useCases: [] },
  { srv: '9.1', serviceReference: '9.1', name: 'Request Customer Identification Number', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: false, nonDevice: false, eligibleRoles: [OU], bodyElement: 'RequestCustomerIdentificationNumber', commandVariants: NC, useCases: ['ECS50', 'GCS36'] },
  { srv: '11.1', serviceReference: '11.1', name: 'Update Firmware', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'UpdateFirmware', commandVariants: DCC, useCases: ['CS05a', 'CS05b'] },
  { srv: '11.2', serviceReference: '11.2', name: 'Read Firmware Version', critical: false, onDemand: true, futureDatedPattern: 'DSP', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'ReadFirmwareVersion', commandVariants: NC, useCases: ['ECS52', 'GCS38', 'CS08'] },
  { srv: '11.3', serviceReference: '11.3', name: 'Activate Firmware', critical: true, onDemand: true, futureDatedPattern: 'Device', dccScheduled: false, nonDevice: false, eligibleRoles: [IS, GS], bodyElement: 'ActivateFirmware', commandVariants: C, useCases: ['CS06'] },
  { srv: '11.4', serviceReference: '11.4', name: 'Update PPMID Firmware', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, GS], bodyElement: 'UpdatePPMIDFirmware', commandVariants: DCC, useCases: ['CS05c'] },
  { srv: '12.1', serviceReference: '12.1', name: 'Request WAN Matrix', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'RequestWANMatrix', commandVariants: DCC, useCases: [] },
  { srv: '12.2', serviceReference: '12.2', name: 'Device Pre-notification', critical: false, onDemand: false, futureDatedPattern: null, dccScheduled: false, nonDevice: true, eligibleRoles: [IS, ES, GS, RSA, ED, GT, OU], bodyElement: 'DevicePrenotification', commandVariants: DCC, useCases: [] },
  { srv: '14.1', serviceReference: '14.1', name: 'Record Network Data (GAS)', critical: false, onDemand: true, futureDatedPattern: null, dccScheduled: true, nonDevice: false, eligibleRoles: [GT], bodyElement: 'RecordNetworkDataGAS', commandVariants: NC, useCases: ['GCS31'] },
] as const satisfies readonly SrvRow[];

export type Srv = (typeof SRVS)[number]['srv'];
export type SrvInfo = SrvRow & { readonly srv: Srv };

/** The body element a critical request carries from CV 5 on, whatever its SRV. */
export const SIGNED_PRE_COMMAND = 'SignedPreCommand';

const BY_SRV = new Map<string, SrvInfo>();
const BY_BODY_ELEMENT = new Map<string, SrvInfo>();
for (const row of SRVS as readonly SrvInfo[]) {
  if (BY_SRV.has(row.srv)) throw new Error(`SRV table: ${row.srv} listed twice`);
  if (BY_BODY_ELEMENT.has(row.bodyElement))
    throw new Error(`SRV table: body ${row.bodyElement} listed twice`);
  BY_SRV.set(row.srv, row);
  BY_BODY_ELEMENT.set(row.bodyElement, row);
}

/** The row for a Service Reference Variant, or undefined when DUIS defines none. */
export function srvInfo(srv: string): SrvInfo | undefined {
  return BY_SRV.get(srv);
}

export function isSrv(srv: string): srv is Srv {
  return BY_SRV.has(srv);
}

/** The SRV whose request body is this sr:Body child (local name); undefined for SignedPreCommand and unknown names. */
export function srvForBodyElement(localName: string): SrvInfo | undefined {
  return BY_BODY_ELEMENT.get(localName);
}

/** Whether DUIS lets this SRV be sent with this Command Variant (a DSP answers E12 otherwise). */
export function commandVariantAllowed(srv: SrvInfo, cv: CommandVariant): boolean {
  return (srv.commandVariants as readonly number[]).includes(cv);
}

/** `4.1.1 Read Instantaneous Import Registers`; `9.9 (unknown)`. */
export function formatSrv(srv: string): string {
  const row = BY_SRV.get(srv);
  return row === undefined ? `${srv} (unknown)` : `${row.srv} ${row.name}`;
}
