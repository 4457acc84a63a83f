// GBCS message codes: one list, one row per code (as Wireshark's packet-gbcs.c keeps its value list), from which the
// MessageCode union, the O(1) lookup, the use-case index and the printer are all derived. The message code decides the
// payload codec; the first content byte only breaks the tie GBCS itself leaves open (the generic alerts).
//
// Where each column comes from (tags as in docs: [C] confirmed in a GBCS text, [O] observed in RTDS 4.5.0 or DCC's own
// tooling, [D] derived by the rule stated, [A] assumed):
// - code, useCase, name: the 224 codes of SmartDCCInnovation/gbcs-parser `messageCodes` (domain brief Appendix B) [O];
//   14 more seen in RTDS 4.5.0 and newer GBCS use-case tables: 0x0004 (RTDS folder 8.9_CCS05CCS04; the use case is
//   named by that folder, its GBCS title is not public), 0x011A ECS46d, 0x011C ECS61d, 0x011D ECS61e, 0x011E ECS47a,
//   0x011F ECS47e, 0x0121 ECS101, 0x0122 ECS102 [C: use-case tables]; 0x011B CS02f, 0x0123 ECS200, 0x0124 (its 8F66/8F67
//   alerts in 6.15.1_CS02gLoadControllerBySupplier), 0x0126 CS02g, 0x012A GCS60a, 0x012B CS09 [O: RTDS folder and file
//   names]. ECS100 "Command not supported by Device" has a use case but no code in the sources used here: not listed.
// - messageType, remoteParty, serviceReferences: duis-templates gbcs-mapping-table.json [O]. Its "See GBCS" rows and the
//   codes it lacks take the type RTDS shows: a command or alert carrying a Grouping-Header signature is critical [O];
//   'Variant' is GBCS's "Variant Command & Response" (CS02a/e/f: signed or MAC-only). References keep the table's
//   granularity; where it has none, the RTDS folder or DUIS SRV is used [O]; alerts have none.
// - critical: from messageType (SME.C.C, SME.A.C) [D]. 0x0104 (accessControlBrokerByACB) is SME.C.NC here because its
//   RTDS Command carries no signature while every other CS02b Command does [O] (the ACB signs nothing [A]); CS02b
//   Responses are signed all the same.
// - replayProtected, futureDatable: the use-case tables' "Protection Against Replay required" and "Capable of Future
//   Dated Invocation" (HenryGiraldo/gbcs-parser-js gbcs-use-cases.html) where flagsFrom is 'gbcs-table' [C]; the domain
//   brief §2.5 where 'domain-brief' [C]; otherwise 'derived' [D]: critical Commands are protected (every critical use
//   case checked is), reads are not, and a non-critical update is null because the tables have no rule for it (Clear
//   Event Log is an unprotected update). Future-datable is true exactly where the DUIS SRV is future-dated on the
//   Device (duis-request-matrix), RTDS holds a future-dated alert for the use case, or its ASN.1 Command has an optional
//   executionDateTime (CS02b, CS02g, CS06) [O]. null = N/A: alerts, and HAN-only messages the tables mark N/A.
// - payload, flows: the first content byte of every RTDS 4.5.0 file (checked in the tests) [O]; for codes absent from
//   RTDS, the device family (ESME/CHF: DLMS, GSME/GPF: GBZ) and gbcs-parser's payload routing [O]. Generic alerts
//   (0x1000, 0x1001) come from any device in its own format, DLMS data-notification or GBZ [A: RTDS names its two
//   GCA-ZigBee and GNCA-ZigBee, as it names FDRA-DLMS beside FDRA-ZigBee]. PECS01-03 and HECS01 only name ESME log entries for ZSE commands: no payload.
import { DecodeError } from '../bytes.js';

export type PayloadKind = 'dlms' | 'gbz' | 'asn1';

/** GBCS message types; 'Variant' = one code sent either signed (critical) or MAC-only, GBCS "Variant Command & Response". */
export type MessageType =
  'SME.C.C' | 'SME.C.NC' | 'SME.A.C' | 'SME.A.NC' | 'SME.C.PPMID-GSME' | 'ZSE specified' | 'Variant';

/** Which CRA flags a code travels under: a command code also names its response. */
export type MessageFlow = 'command' | 'response' | 'alert';

/** Where replayProtected and futureDatable were read (see the header). */
export type FlagSource = 'gbcs-table' | 'domain-brief' | 'derived';

export interface MessageCodeRow {
  readonly code: number;
  /** GBCS use-case id (e.g. 'ECS17b'); null for alerts GBCS names without one. */
  readonly useCase: string | null;
  readonly name: string;
  readonly messageType: MessageType;
  /** Signed by the originator: true for SME.C.C and SME.A.C; 'variant' when the message itself says (signature or not). */
  readonly critical: boolean | 'variant';
  /** GBCS "Protection Against Replay required"; null = N/A or not known (see flagsFrom). */
  readonly replayProtected: boolean | null;
  /** GBCS "Capable of Future Dated Invocation"; null = N/A or not known. */
  readonly futureDatable: boolean | null;
  /** Codecs the content may use; one kind except the generic alerts. Empty: never a GBCS payload. */
  readonly payload: readonly PayloadKind[];
  readonly flows: readonly MessageFlow[];
  /** false for HAN-only messages (PPMID to meter). */
  readonly remoteParty: boolean;
  /** DUIS Service References that produce this code. */
  readonly serviceReferences: readonly string[];
  readonly flagsFrom: FlagSource;
}

const DLMS = ['dlms'] as const;
const GBZ = ['gbz'] as const;
const ASN1 = ['asn1'] as const;
const DLMS_OR_GBZ = ['dlms', 'gbz'] as const;
const NO_PAYLOAD = [] as const;
const COMMAND = ['command', 'response'] as const;
const ALERT = ['alert'] as const;
const COMMAND_OR_ALERT = ['command', 'response', 'alert'] as const; // CS08: also an unsolicited version alert
const HAN_ONLY = [] as const;

// prettier-ignore
export const MESSAGE_CODES = [
  { code: 0x0001, useCase: 'CCS01', name: 'Add Device to CHF device log', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['8.11'], flagsFrom: 'gbcs-table' },
  { code: 0x0002, useCase: 'CCS02', name: 'Remove device from CHF device log', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['8.11'], flagsFrom: 'domain-brief' },
  { code: 0x0003, useCase: 'CCS03', name: 'Restore CHF Device Log', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['8.12'], flagsFrom: 'domain-brief' },
  { code: 0x0004, useCase: 'CCS05CCS04', name: 'Read CHF Device Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['8.9'], flagsFrom: 'derived' },
  { code: 0x0007, useCase: 'CS01a', name: 'Apply Prepayment Top Up to an ESME', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['2.2'], flagsFrom: 'gbcs-table' },
  { code: 0x0008, useCase: 'CS02a', name: 'Provide Security Credentials Details', messageType: 'Variant', critical: 'variant', replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.24.1'], flagsFrom: 'derived' },
  { code: 0x000A, useCase: 'CS02c', name: 'Issue Security Credentials', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.17'], flagsFrom: 'derived' },
  { code: 0x000B, useCase: 'CS02d', name: 'Update Device Certificates on Device', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.15.2'], flagsFrom: 'derived' },
  { code: 0x000C, useCase: 'CS02e', name: 'Provide Device Certificates from Device', messageType: 'Variant', critical: 'variant', replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.24.2'], flagsFrom: 'derived' },
  { code: 0x000D, useCase: 'CS03A1', name: 'Method A Join (Meter)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.7.1'], flagsFrom: 'derived' },
  { code: 0x000E, useCase: 'CS03B', name: 'Method B Join', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.7.2'], flagsFrom: 'derived' },
  { code: 0x000F, useCase: 'CS04AC', name: 'Method A or C Unjoin', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.8.1', '8.8.2'], flagsFrom: 'derived' },
  { code: 0x0010, useCase: 'CS04B', name: 'Method B Unjoin', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.8.2'], flagsFrom: 'derived' },
  { code: 0x0012, useCase: 'CS06', name: 'Activate Firmware', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['11.3'], flagsFrom: 'derived' },
  { code: 0x0013, useCase: 'CS07', name: 'Read Device Join Details', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.9'], flagsFrom: 'domain-brief' },
  { code: 0x0014, useCase: 'CS10a', name: 'Read ZigBee Device Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'domain-brief' },
  { code: 0x0015, useCase: 'CS11', name: 'Clear ZigBee Device Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['3.3'], flagsFrom: 'gbcs-table' },
  { code: 0x0018, useCase: 'CS14', name: 'Device Addition To / Removal From HAN Whitelist Alerts', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0019, useCase: 'ECS01a', name: 'Set Tariff and Price on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.1'], flagsFrom: 'derived' },
  { code: 0x001A, useCase: 'ECS02', name: 'Set ESME Payment Mode to Credit', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.6'], flagsFrom: 'domain-brief' },
  { code: 0x001B, useCase: 'ECS03', name: 'Set ESME Payment Mode to Prepayment', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.6'], flagsFrom: 'domain-brief' },
  { code: 0x001C, useCase: 'ECS04a', name: 'Adjust Meter Balance on the ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.5'], flagsFrom: 'gbcs-table' },
  { code: 0x001D, useCase: 'ECS05', name: 'Reset Tariff Block Counter Matrix', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.7'], flagsFrom: 'derived' },
  { code: 0x001E, useCase: 'ECS07', name: 'Manage Debt on the ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['2.3'], flagsFrom: 'gbcs-table' },
  { code: 0x001F, useCase: 'ECS08', name: 'Update Prepayment Configuration on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['2.1'], flagsFrom: 'derived' },
  { code: 0x0020, useCase: 'ECS09', name: 'Activate Emergency Credit Remotely on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['2.5'], flagsFrom: 'gbcs-table' },
  { code: 0x0021, useCase: 'ECS10', name: 'Send Message to ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['3.1'], flagsFrom: 'derived' },
  { code: 0x0022, useCase: 'ECS12', name: 'Set Change of Tenancy date on ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['3.2'], flagsFrom: 'derived' },
  { code: 0x0023, useCase: 'ECS14', name: 'Disable Privacy PIN Protection on ESME', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['3.5'], flagsFrom: 'gbcs-table' },
  { code: 0x0024, useCase: 'ECS15a', name: 'Clear ESME Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['3.3'], flagsFrom: 'gbcs-table' },
  { code: 0x0025, useCase: 'ECS16', name: 'Write Supplier Contact Details on ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['3.4'], flagsFrom: 'derived' },
  { code: 0x0026, useCase: 'ECS17a', name: 'Read ESME Energy Registers (Export Energy)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.2'], flagsFrom: 'derived' },
  { code: 0x0027, useCase: 'ECS17b', name: 'Read ESME Energy Registers (Import Energy)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.1'], flagsFrom: 'derived' },
  { code: 0x0028, useCase: 'ECS17c', name: 'Read ESME Energy Registers (Power)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.16'], flagsFrom: 'derived' },
  { code: 0x0029, useCase: 'ECS17d', name: 'Read ESME Energy Register (TOU)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.1'], flagsFrom: 'derived' },
  { code: 0x002A, useCase: 'ECS17e', name: 'Read ESME Energy Register (TOU with Blocks)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.1'], flagsFrom: 'derived' },
  { code: 0x002B, useCase: 'ECS18a', name: 'Read Maximum Demand Registers (export)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.12'], flagsFrom: 'derived' },
  { code: 0x002C, useCase: 'ECS18b', name: 'Read Maximum Demand Registers (import)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.12'], flagsFrom: 'derived' },
  { code: 0x002D, useCase: 'ECS19', name: 'Read ESME Prepayment Registers', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.3'], flagsFrom: 'derived' },
  { code: 0x002E, useCase: 'ECS20a', name: 'Read ESME Billing Data Log (payment based debt payments)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'gbcs-table' },
  { code: 0x002F, useCase: 'ECS20b', name: 'Read ESME Billing Data Log (change of mode / tariff triggered exc export)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'derived' },
  { code: 0x0030, useCase: 'ECS20c', name: 'Read ESME Billing Data Log (billing calendar triggered exc export)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'derived' },
  { code: 0x0033, useCase: 'ECS21a', name: 'Read Electricity Daily Read Log (exc export)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.6'], flagsFrom: 'derived' },
  { code: 0x0034, useCase: 'ECS21b', name: 'Read Electricity (Prepayment) Daily Read Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.14'], flagsFrom: 'derived' },
  { code: 0x0035, useCase: 'ECS21c', name: 'Read Electricity Daily Read Log (export only)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.6'], flagsFrom: 'derived' },
  { code: 0x0036, useCase: 'ECS22a', name: 'Read Electricity Half Hour Profile Data (export)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.8'], flagsFrom: 'derived' },
  { code: 0x0037, useCase: 'ECS22b', name: 'Read Electricity Half Hour Profile Data (active import)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.8'], flagsFrom: 'derived' },
  { code: 0x0038, useCase: 'ECS22c', name: 'Read Electricity Half Hour Profile Data (reactive import)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.8'], flagsFrom: 'derived' },
  { code: 0x0039, useCase: 'ECS23', name: 'Read Voltage Operational Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.10'], flagsFrom: 'derived' },
  { code: 0x003A, useCase: 'ECS24', name: 'Read ESME Tariff Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.11'], flagsFrom: 'derived' },
  { code: 0x003B, useCase: 'ECS26a', name: 'Read ESME Configuration Data Prepayment', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.13'], flagsFrom: 'derived' },
  { code: 0x003C, useCase: 'ECS26b', name: 'Read ESME Configuration Voltage Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x003D, useCase: 'ECS26c', name: 'Read ESME Configuration Data Device Information (randomisation)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x003E, useCase: 'ECS26d', name: 'Read ESME Configuration Data Device Information (Billing Calendar)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x003F, useCase: 'ECS26e', name: 'Read ESME Configuration Data Device Information (device identity exc MPAN)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x0040, useCase: 'ECS26f', name: 'Read ESME Configuration Data Device Information (instantaneous power thresholds)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x0042, useCase: 'ECS27', name: 'Read ESME Load Limit Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.15'], flagsFrom: 'derived' },
  { code: 0x0043, useCase: 'ECS28a', name: 'Set Load Limit Configurations - General Settings', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.4'], flagsFrom: 'derived' },
  { code: 0x0044, useCase: 'ECS28b', name: 'Set Load Limit Configuration Counter Reset', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.4'], flagsFrom: 'derived' },
  { code: 0x0045, useCase: 'ECS29a', name: 'Set Voltage Configurations on ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.5'], flagsFrom: 'derived' },
  { code: 0x0046, useCase: 'ECS30', name: 'Set Billing Calendar on the ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.8'], flagsFrom: 'derived' },
  { code: 0x0047, useCase: 'ECS34', name: 'Set Instantaneous Power Threshold Configuration', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.12'], flagsFrom: 'derived' },
  { code: 0x0048, useCase: 'ECS35a', name: 'Read ESME Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'derived' },
  { code: 0x0049, useCase: 'ECS35b', name: 'Read ESME Security Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'derived' },
  { code: 0x004A, useCase: 'ECS37', name: 'Set Maximum Demand Configurable Time Period', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.18'], flagsFrom: 'derived' },
  { code: 0x004B, useCase: 'ECS38', name: 'Update Randomised Offset Limit', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.12'], flagsFrom: 'derived' },
  { code: 0x004C, useCase: 'ECS39a', name: 'Set MPAN Value on the ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.20'], flagsFrom: 'derived' },
  { code: 0x004D, useCase: 'ECS39b', name: 'Set Export MPAN Value on the ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.20'], flagsFrom: 'derived' },
  { code: 0x004E, useCase: 'ECS40', name: 'Read MPAN Value on the ESME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x004F, useCase: 'ECS42', name: 'Remotely Close the Load Switch on the ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.1'], flagsFrom: 'domain-brief' },
  { code: 0x0050, useCase: 'ECS43', name: 'Remotely Open the Load Switch on the ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.2'], flagsFrom: 'domain-brief' },
  { code: 0x0051, useCase: 'ECS44', name: 'Arm Load Switch in ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.3'], flagsFrom: 'gbcs-table' },
  { code: 0x0052, useCase: 'ECS45', name: 'Read Status of Load Switch in the ESME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.4'], flagsFrom: 'domain-brief' },
  { code: 0x0053, useCase: 'ECS46a', name: 'Set HC ALCS or ALCS Labels in ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.14'], flagsFrom: 'derived' },
  { code: 0x0054, useCase: 'ECS46c', name: 'Set HC ALCS and ALCS configuration in ESME (excluding labels)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.14'], flagsFrom: 'derived' },
  { code: 0x0055, useCase: 'ECS47', name: 'Set or Reset HC ALCS or ALCS State', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.5', '7.6', '7.8'], flagsFrom: 'derived' },
  { code: 0x0058, useCase: 'ECS50', name: 'Send CIN to ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['9.1'], flagsFrom: 'derived' },
  { code: 0x0059, useCase: 'ECS52', name: 'Read ESME/Comms Hub Firmware Version', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['11.2'], flagsFrom: 'domain-brief' },
  { code: 0x005A, useCase: 'ECS57', name: 'Reset ESME Maximum Demand Registers', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.18'], flagsFrom: 'derived' },
  { code: 0x005E, useCase: 'ECS61c', name: 'Read Boost Button Data from ESME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.11'], flagsFrom: 'derived' },
  { code: 0x005F, useCase: 'ECS62', name: 'Set ALCS and Boost Button Association', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.9', '7.10'], flagsFrom: 'derived' },
  { code: 0x0060, useCase: 'ECS66', name: 'Read ESME Daily Consumption Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.17'], flagsFrom: 'derived' },
  { code: 0x0061, useCase: 'ECS68', name: 'ESME Critical Sensitive Alert (Billing Data Log)', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0062, useCase: 'ECS70', name: 'Set Clock on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.11', '8.1'], flagsFrom: 'domain-brief' },
  { code: 0x0067, useCase: 'ECS80', name: 'Supply Outage Restore Alert from ESME', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0068, useCase: 'ECS81', name: 'Set Supply Tamper State on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.25'], flagsFrom: 'derived' },
  { code: 0x0069, useCase: 'ECS82', name: 'Read Meter Balance for ESME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.18'], flagsFrom: 'derived' },
  { code: 0x006B, useCase: 'GCS01a', name: 'Set Tariff and Price on GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.1'], flagsFrom: 'derived' },
  { code: 0x006C, useCase: 'GCS02', name: 'Set GSME Payment Mode to Credit', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.6'], flagsFrom: 'domain-brief' },
  { code: 0x006D, useCase: 'GCS03', name: 'Set GSME Payment Mode to Prepayment', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.6'], flagsFrom: 'domain-brief' },
  { code: 0x006E, useCase: 'GCS04', name: 'Manage Debt on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['2.3'], flagsFrom: 'gbcs-table' },
  { code: 0x006F, useCase: 'GCS05', name: 'Update Prepayment Configurations on GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['2.1'], flagsFrom: 'domain-brief' },
  { code: 0x0070, useCase: 'GCS06', name: 'Activate Emergency Credit Remotely on GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['2.5'], flagsFrom: 'gbcs-table' },
  { code: 0x0071, useCase: 'GCS07', name: 'Send Message to GSME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['3.1'], flagsFrom: 'derived' },
  { code: 0x0072, useCase: 'GCS09', name: 'Set Change of Tenancy date on GPF', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['3.2'], flagsFrom: 'derived' },
  { code: 0x0073, useCase: 'GCS11', name: 'Disable Privacy PIN Protection on GSME', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['3.5'], flagsFrom: 'gbcs-table' },
  { code: 0x0074, useCase: 'GCS13a', name: 'Read GSME Consumption Register', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.1'], flagsFrom: 'derived' },
  { code: 0x0075, useCase: 'GCS14', name: 'Read GSME Prepayment Registers', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.3'], flagsFrom: 'derived' },
  { code: 0x0076, useCase: 'GCS15c', name: 'Read GSME Billing Data Log (billing calendar triggered)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'derived' },
  { code: 0x0077, useCase: 'GCS16a', name: 'Read GSME Daily Read Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.6'], flagsFrom: 'derived' },
  { code: 0x0078, useCase: 'GCS17', name: 'Read GSME Profile Data Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.8'], flagsFrom: 'derived' },
  { code: 0x0079, useCase: 'GCS18', name: 'Read Gas Network Data Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.10'], flagsFrom: 'derived' },
  { code: 0x007B, useCase: 'GCS21a', name: 'Read Gas Configuration Data Device Information', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x007C, useCase: 'GCS23', name: 'Set CV and Conversion Factor Value(s) on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.6'], flagsFrom: 'derived' },
  { code: 0x007D, useCase: 'GCS24', name: 'Set Uncontrolled Gas Flow Rate and Supply Tamper State on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.7'], flagsFrom: 'derived' },
  { code: 0x007E, useCase: 'GCS25', name: 'Set Billing Calendar on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.8'], flagsFrom: 'derived' },
  { code: 0x007F, useCase: 'GCS28', name: 'Set Clock on GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.11', '8.1'], flagsFrom: 'domain-brief' },
  { code: 0x0080, useCase: 'GCS31', name: 'Start Network Data Log on GSME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['14.1'], flagsFrom: 'derived' },
  { code: 0x0081, useCase: 'GCS32', name: 'Remotely close the valve in the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['7.2'], flagsFrom: 'domain-brief' },
  { code: 0x0082, useCase: 'GCS33', name: 'Read GSME Valve Status', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['7.4'], flagsFrom: 'domain-brief' },
  { code: 0x0083, useCase: 'GCS36', name: 'Send CIN to GSME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['9.1'], flagsFrom: 'derived' },
  { code: 0x0084, useCase: 'GCS38', name: 'Read GSME Firmware Version', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['11.2'], flagsFrom: 'domain-brief' },
  { code: 0x0085, useCase: 'GCS39', name: 'Arm Valve in GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['7.3'], flagsFrom: 'gbcs-table' },
  { code: 0x0086, useCase: 'GCS40a', name: 'Adjust Prepayment Mode Meter Balance on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.5'], flagsFrom: 'gbcs-table' },
  { code: 0x0087, useCase: 'GCS41', name: 'Set MPRN Value on the GSME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.20'], flagsFrom: 'derived' },
  { code: 0x0088, useCase: 'GCS44', name: 'Write Contact Details on GSME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['3.4'], flagsFrom: 'derived' },
  { code: 0x0089, useCase: 'GCS46', name: 'Read MPRN on the GSME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x008B, useCase: 'GCS53', name: 'Push Billing Data Log as an Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: GBZ, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x008C, useCase: 'GCS59', name: 'Restore GPF Device Log', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.12'], flagsFrom: 'derived' },
  { code: 0x008D, useCase: 'GCS60', name: 'Read Meter Balance for GSME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.18'], flagsFrom: 'derived' },
  { code: 0x0090, useCase: 'PCS02', name: 'Activate Emergency Credit on GSME from PPMID', messageType: 'SME.C.PPMID-GSME', critical: false, replayProtected: null, futureDatable: null, payload: GBZ, flows: COMMAND, remoteParty: false, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0092, useCase: 'ECS26i', name: 'Read Configuration Data Device Information (CHF identity)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x0093, useCase: 'ECS35c', name: 'Read CHF Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'domain-brief' },
  { code: 0x0094, useCase: 'ECS35d', name: 'Read CHF Security Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'domain-brief' },
  { code: 0x0096, useCase: 'GCS16b', name: 'Read GSME Daily Read log(s) (prepayment)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.14'], flagsFrom: 'derived' },
  { code: 0x0097, useCase: 'CS01b', name: 'Apply Prepayment Top Up to a GSME', messageType: 'SME.C.NC', critical: false, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['2.2'], flagsFrom: 'gbcs-table' },
  { code: 0x009B, useCase: 'PCS01', name: 'Apply Prepayment Top Up to a GSME using PPMID', messageType: 'SME.C.PPMID-GSME', critical: false, replayProtected: null, futureDatable: null, payload: GBZ, flows: COMMAND, remoteParty: false, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x009D, useCase: 'GCS21d', name: 'Read GSME Configuration Data Device Information (BillingCalendar)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x009E, useCase: 'GCS21e', name: 'Read GSME/GPF Configuration Data Device Information (device identity)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x009F, useCase: 'GCS21f', name: 'Read GSME Tariff Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.11'], flagsFrom: 'derived' },
  { code: 0x00A0, useCase: 'GCS61', name: 'Read Gas Daily Consumption Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.17'], flagsFrom: 'derived' },
  { code: 0x00A1, useCase: 'CS10b', name: 'Read ZigBee Device Security Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'domain-brief' },
  { code: 0x00A2, useCase: 'ECS01b', name: 'Set Price on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.2'], flagsFrom: 'derived' },
  { code: 0x00A3, useCase: 'GCS01b', name: 'Set Price on GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.2'], flagsFrom: 'derived' },
  { code: 0x00AB, useCase: 'CS03A2', name: 'Method A Join (non Meter)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.7.1', '8.7.2'], flagsFrom: 'derived' },
  { code: 0x00AC, useCase: 'ECS25a', name: 'Set Alert Behaviours - ESME - Supplier', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00AD, useCase: 'GCS20', name: 'Set Alert Behaviours - GSME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00AE, useCase: 'ECS29b', name: 'Set Voltage Configurations on ESME - 3ph', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.5'], flagsFrom: 'derived' },
  { code: 0x00AF, useCase: 'CS03C', name: 'Method C Join', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.7.1', '8.7.2'], flagsFrom: 'derived' },
  { code: 0x00B0, useCase: 'ECS25b', name: 'Set Alert Behaviours - ESME - Network Operator', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00B2, useCase: 'GCS62', name: 'Backup GPF Device Log', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: ASN1, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00B3, useCase: 'ECS04b', name: 'Reset Meter Balance on the ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.5'], flagsFrom: 'gbcs-table' },
  { code: 0x00B4, useCase: 'GCS40b', name: 'Reset Prepayment Mode Meter Balance on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.5'], flagsFrom: 'gbcs-table' },
  { code: 0x00B5, useCase: 'GCS21b', name: 'Read GSME Configuration Data Prepayment', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.13'], flagsFrom: 'derived' },
  { code: 0x00B6, useCase: 'GCS13c', name: 'Read GSME Register (TOU)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.1'], flagsFrom: 'derived' },
  { code: 0x00B7, useCase: 'ECS01c', name: 'Set Tariff and Price on ESME secondary', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.1'], flagsFrom: 'derived' },
  { code: 0x00B8, useCase: 'GCS13b', name: 'Read GSME Block Counters', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.1'], flagsFrom: 'derived' },
  { code: 0x00B9, useCase: 'ECS35e', name: 'Read ESME Power Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'derived' },
  { code: 0x00BA, useCase: 'ECS35f', name: 'Read ALCS Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'derived' },
  { code: 0x00BB, useCase: 'ECS61a', name: 'Read HC ALCS and ALCS Data from ESME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.7'], flagsFrom: 'derived' },
  { code: 0x00BC, useCase: 'ECS23b', name: 'Read Voltage Operational Data - 3 Phase', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.10'], flagsFrom: 'derived' },
  { code: 0x00BD, useCase: 'ECS24b', name: 'Read ESME Tariff Data - second element', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.11'], flagsFrom: 'derived' },
  { code: 0x00BE, useCase: 'ECS26j', name: 'Read ESME Configuration Data Device Information (Payment Mode)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00BF, useCase: 'GCS21j', name: 'Read GSME Configuration Data Device Information (Payment Mode)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00C0, useCase: 'GCS40c', name: 'Adjust Credit Mode Meter Balance on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.5'], flagsFrom: 'gbcs-table' },
  { code: 0x00C1, useCase: 'ECS15c', name: 'Clear ALCS Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['3.3'], flagsFrom: 'gbcs-table' },
  { code: 0x00C2, useCase: 'GCS40d', name: 'Reset Credit Mode Meter Balance on the GSME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['1.5'], flagsFrom: 'gbcs-table' },
  { code: 0x00C3, useCase: 'GCS15b', name: 'Read GSME Billing Data Log (change of mode / tariff triggered)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'derived' },
  { code: 0x00C4, useCase: 'GCS15d', name: 'Read GSME Billing Data Log (payment-based debt payments)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'gbcs-table' },
  { code: 0x00C5, useCase: 'GCS15e', name: 'Read GSME Billing Data Log (prepayment credits)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'gbcs-table' },
  { code: 0x00C6, useCase: 'ECS26k', name: 'Read ESME Configuration Voltage Data - 3 phase', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00C7, useCase: 'ECS01d', name: 'Set Price on ESME secondary', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['1.2'], flagsFrom: 'derived' },
  { code: 0x00C9, useCase: 'ECS20d', name: 'Read ESME Billing Data Log (prepayment credits)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['4.4'], flagsFrom: 'gbcs-table' },
  { code: 0x00CA, useCase: null, name: 'Futured Dated Firmware Activation Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: ASN1, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00CB, useCase: null, name: 'Futured Dated Update Security Credentials Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: ASN1, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00CC, useCase: null, name: 'Future Dated Execution Of Instruction Alert (DLMS COSEM)', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00CD, useCase: null, name: 'Future Dated Execution Of Instruction Alert (GBZ)', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: GBZ, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00CE, useCase: null, name: 'Firmware Distribution Receipt Alert (ESME)', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00CF, useCase: null, name: 'Firmware Distribution Receipt Alert (GSME)', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: GBZ, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00D1, useCase: 'ECS29c', name: 'Set Voltage Configurations on ESME without counter reset', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.5'], flagsFrom: 'derived' },
  { code: 0x00D2, useCase: 'ECS29d', name: 'Set Voltage Configurations on polyphase ESME without counter reset', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.5'], flagsFrom: 'derived' },
  { code: 0x00D3, useCase: 'ECS29e', name: 'Reset RMS Voltage Counters on ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.27'], flagsFrom: 'derived' },
  { code: 0x00D4, useCase: 'ECS29f', name: 'Reset RMS Voltage Counters on polyphase ESME', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.27'], flagsFrom: 'derived' },
  { code: 0x00D5, useCase: null, name: 'Failure to Deliver Remote Party Message to ESME Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00D7, useCase: 'ECS30a', name: 'Set Billing Calendar on the ESME - all periodicities', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.8'], flagsFrom: 'derived' },
  { code: 0x00D8, useCase: 'GCS25a', name: 'Set Billing Calendar on the GSME - all periodicities', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.8'], flagsFrom: 'derived' },
  { code: 0x00D9, useCase: 'ECS26l', name: 'Read ESME Configuration Data Device Information (Billing Calendar - all periodicities)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00DA, useCase: 'GCS21k', name: 'Read GSME Configuration Data Device Information (BillingCalendar - all periodicities)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00DB, useCase: 'ECS48', name: 'Configure daily resetting of Tariff Block Counter Matrix', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.26'], flagsFrom: 'gbcs-table' },
  { code: 0x00DE, useCase: 'ECS08a', name: 'Update Prepayment Configuration on ESME', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['2.1'], flagsFrom: 'domain-brief' },
  { code: 0x00EA, useCase: 'ECS25a1', name: 'Set Event Behaviours - ESME to HAN Device - Supplier', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00EB, useCase: 'ECS25a2', name: 'Set Event Behaviours - ESME audible alarm - Supplier', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00EC, useCase: 'ECS25a3', name: 'Set Event Behaviours - ESME logging - Supplier', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00ED, useCase: 'ECS25b3', name: 'Set Event Behaviours - ESME logging - Network Operator', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.22'], flagsFrom: 'derived' },
  { code: 0x00EE, useCase: 'ECS25r1', name: 'Read non-critical event and alert behaviours - ESME - Supplier', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00EF, useCase: 'ECS25r2', name: 'Read non-critical event and alert behaviours - ESME - Network Operator', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00F0, useCase: null, name: 'Meter Integrity Issue Warning Alert - ESME', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00F1, useCase: 'GCS20r', name: 'Read non-critical event and alert behaviours - GSME - Supplier', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00F2, useCase: null, name: 'Meter Integrity Issue Warning Alert - GSME', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: GBZ, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x00F9, useCase: 'ECS26m', name: 'Read ESME Configuration Data Device Information (identity,  type and supply tamper state)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00FA, useCase: 'ECS26n', name: 'Read CHF Configuration Data Device Information (CH identity and type)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00FB, useCase: 'GCS21m', name: 'Read GSME Configuration Data Device Information (identity, type and supply tamper / depletion state)', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.2'], flagsFrom: 'derived' },
  { code: 0x00FC, useCase: 'GCS24a', name: 'Set Uncontrolled Gas Flow Rate and Supply Tamper State on the GSME (SMETS4)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['6.7'], flagsFrom: 'derived' },
  { code: 0x00FD, useCase: 'ECS35g', name: 'Read ALCS Event Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.13'], flagsFrom: 'derived' },
  { code: 0x00FE, useCase: 'CCS07', name: 'Read CHF Device Logs', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['8.9'], flagsFrom: 'domain-brief' },
  { code: 0x0100, useCase: 'CS02b', name: 'Update Security Credentials (rootBySupplier)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0101, useCase: 'CS02b', name: 'Update Security Credentials (rootByWanProvider)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0102, useCase: 'CS02b', name: 'Update Security Credentials (supplierBySupplier)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.15.1', '6.21'], flagsFrom: 'derived' },
  { code: 0x0103, useCase: 'CS02b', name: 'Update Security Credentials (networkOperatorByNetworkOperator)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.15.1', '6.21'], flagsFrom: 'derived' },
  { code: 0x0104, useCase: 'CS02b', name: 'Update Security Credentials (accessControlBrokerByACB)', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['8.5'], flagsFrom: 'derived' },
  { code: 0x0105, useCase: 'CS02b', name: 'Update Security Credentials (wanProviderByWanProvider)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0106, useCase: 'CS02b', name: 'Update Security Credentials (transCoSByTransCoS)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0107, useCase: 'CS02b', name: 'Update Security Credentials (supplierByTransCoS)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.23'], flagsFrom: 'derived' },
  { code: 0x0108, useCase: 'CS02b', name: 'Update Security Credentials (anyExceptAbnormalRootByRecovery)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0109, useCase: 'CS02b', name: 'Update Security Credentials (anyByContingency)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x010A, useCase: 'DBCH01', name: 'Read CHF Sub GHz Channel', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.31'], flagsFrom: 'derived' },
  { code: 0x010B, useCase: 'DBCH02', name: 'Read CHF Sub GHz Channel Log', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.32'], flagsFrom: 'derived' },
  { code: 0x010C, useCase: 'DBCH03', name: 'Read CHF Sub GHz Configuration', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.30'], flagsFrom: 'derived' },
  { code: 0x010D, useCase: 'DBCH04', name: 'Set CHF Sub GHz Configuration', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.28'], flagsFrom: 'derived' },
  { code: 0x010E, useCase: 'DBCH05', name: 'Request CHF Sub GHz Channel Scan', messageType: 'SME.C.NC', critical: false, replayProtected: null, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.29'], flagsFrom: 'derived' },
  { code: 0x010F, useCase: 'CCS06', name: 'Read CHF device log and check HAN communications', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['8.9'], flagsFrom: 'domain-brief' },
  { code: 0x0110, useCase: 'DBCH06', name: 'Limited Duty Cycle Action Taken Sub GHz Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0111, useCase: 'DBCH07', name: 'Sub GHz Sub GHz Channel Changed Sub GHz Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0112, useCase: 'DBCH08', name: 'Sub GHz Channel Scan Request Assessment Outcome Sub GHz Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0113, useCase: 'DBCH09', name: 'Sub GHz Configuration Changed Sub GHz Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0114, useCase: 'DBCH10', name: 'Message Discarded Due to Duty Cycle Management Sub GHz Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0115, useCase: 'DBCH11', name: 'No More Sub GHz Device Capacity Sub GHz Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0116, useCase: 'PECS01', name: 'Apply Prepayment Top Up to an ESME using PPMID', messageType: 'ZSE specified', critical: false, replayProtected: null, futureDatable: null, payload: NO_PAYLOAD, flows: HAN_ONLY, remoteParty: false, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0117, useCase: 'PECS02', name: 'Activate Emergency Credit on ESME from PPMID', messageType: 'ZSE specified', critical: false, replayProtected: null, futureDatable: null, payload: NO_PAYLOAD, flows: HAN_ONLY, remoteParty: false, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0118, useCase: 'PECS03', name: 'Request to Enable ESME Supply from PPMID', messageType: 'ZSE specified', critical: false, replayProtected: null, futureDatable: null, payload: NO_PAYLOAD, flows: HAN_ONLY, remoteParty: false, serviceReferences: [], flagsFrom: 'domain-brief' },
  { code: 0x0119, useCase: 'HECS01', name: 'Request Control of a HAN Connected Auxiliary Load Control Switch from HCALCS', messageType: 'ZSE specified', critical: false, replayProtected: null, futureDatable: null, payload: NO_PAYLOAD, flows: HAN_ONLY, remoteParty: false, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x011A, useCase: 'ECS46d', name: 'Set Auxiliary Controller Calendar', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['6.14.3'], flagsFrom: 'derived' },
  { code: 0x011B, useCase: 'CS02f', name: 'Provide Security Credential Details', messageType: 'Variant', critical: 'variant', replayProtected: null, futureDatable: false, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.24.1'], flagsFrom: 'derived' },
  { code: 0x011C, useCase: 'ECS61d', name: 'Read Auxiliary Controller Configuration Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.14'], flagsFrom: 'derived' },
  { code: 0x011D, useCase: 'ECS61e', name: 'Read Auxiliary Controller Operational Data', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.15'], flagsFrom: 'derived' },
  { code: 0x011E, useCase: 'ECS47a', name: 'Set Auxiliary Controller [n] State', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.13'], flagsFrom: 'derived' },
  { code: 0x011F, useCase: 'ECS47e', name: 'Limit APC [n] Level', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: false, payload: DLMS, flows: COMMAND, remoteParty: true, serviceReferences: ['7.16'], flagsFrom: 'derived' },
  { code: 0x0121, useCase: 'ECS101', name: 'Limit APC [n] Level Command processed', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0122, useCase: 'ECS102', name: 'Limit APC [n] Level ended or cancelled', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'gbcs-table' },
  { code: 0x0123, useCase: 'ECS200', name: 'Operational Update', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0124, useCase: null, name: 'Future Dated Update Load Controller Security Credentials Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: ASN1, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0126, useCase: 'CS02g', name: 'Update Load Controller Security Credentials (loadControllerBySupplier)', messageType: 'SME.C.C', critical: true, replayProtected: true, futureDatable: true, payload: ASN1, flows: COMMAND, remoteParty: true, serviceReferences: ['6.15.1'], flagsFrom: 'derived' },
  { code: 0x0128, useCase: 'CCS08', name: 'Firmware Transfer Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: ASN1, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x0129, useCase: 'CS08', name: 'Read PPMID/HCALCS Firmware Version', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: ASN1, flows: COMMAND_OR_ALERT, remoteParty: true, serviceReferences: ['11.2'], flagsFrom: 'derived' },
  { code: 0x012A, useCase: 'GCS60a', name: 'Read Meter Balance for GSME', messageType: 'SME.C.NC', critical: false, replayProtected: false, futureDatable: false, payload: GBZ, flows: COMMAND, remoteParty: true, serviceReferences: ['4.18'], flagsFrom: 'derived' },
  { code: 0x012B, useCase: 'CS09', name: 'PPMID Firmware Activation Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: ASN1, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x1000, useCase: null, name: 'Generic Critical Alert', messageType: 'SME.A.C', critical: true, replayProtected: null, futureDatable: null, payload: DLMS_OR_GBZ, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
  { code: 0x1001, useCase: null, name: 'Generic Non Critical Alert', messageType: 'SME.A.NC', critical: false, replayProtected: null, futureDatable: null, payload: DLMS_OR_GBZ, flows: ALERT, remoteParty: true, serviceReferences: [], flagsFrom: 'derived' },
] as const satisfies readonly MessageCodeRow[];

export type MessageCode = (typeof MESSAGE_CODES)[number]['code'];
export type MessageCodeInfo = MessageCodeRow & { readonly code: MessageCode };

// Dense over 0..0xFFFF so the decoder's lookup is one indexed load.
const BY_CODE = new Array<MessageCodeInfo | undefined>(0x10000).fill(undefined);
const LABELS = new Array<string | undefined>(0x10000).fill(undefined);
const BY_USE_CASE = new Map<string, MessageCodeInfo[]>();

for (const row of MESSAGE_CODES as readonly MessageCodeInfo[]) {
  if (BY_CODE[row.code] !== undefined) {
    throw new Error(`message code table: 0x${hex4(row.code)} listed twice`);
  }
  BY_CODE[row.code] = row;
  LABELS[row.code] = `0x${hex4(row.code)} ${row.useCase === null ? row.name : `${row.useCase} ${row.name}`}`;
  if (row.useCase !== null) {
    const list = BY_USE_CASE.get(row.useCase);
    if (list === undefined) BY_USE_CASE.set(row.useCase, [row]);
    else list.push(row);
  }
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/** The row for a message code, or undefined when GBCS defines no such code. */
export function messageCodeInfo(code: number): MessageCodeInfo | undefined {
  return BY_CODE[code];
}

export function isMessageCode(code: number): code is MessageCode {
  return BY_CODE[code] !== undefined;
}

/** Every code of a use case (CS02b has ten, one per credential update type); empty when unknown. */
export function messageCodesForUseCase(useCase: string): readonly MessageCodeInfo[] {
  return BY_USE_CASE.get(useCase) ?? [];
}

/** Criticality as the message type fixes it. */
export function criticalityOf(messageType: MessageType): boolean | 'variant' {
  if (messageType === 'Variant') return 'variant';
  return messageType === 'SME.C.C' || messageType === 'SME.A.C';
}

/** `0x0027 ECS17b Read ESME Energy Registers (Import Energy)`; `0x1234 (unknown)`. */
export function formatMessageCode(code: number): string {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) {
    throw new RangeError(`message code expected an integer 0..0xFFFF, got ${code}`);
  }
  return LABELS[code] ?? `0x${hex4(code)} (unknown)`;
}

/**
 * The codec for a message's content, chosen by its message code; undefined when GBCS defines no such code or the
 * code carries no GBCS payload (the content then stays raw bytes). Only the generic alerts leave a choice, which the
 * alerting device's format settles: a DLMS data-notification starts 0x0F, a GBZ payload with profile 0x0109.
 * The CRA flag is not checked here: `flows` records what RTDS shows, and a device model, not the codec, refuses a
 * code arriving under a flag it never travels under. `base` is content[0]'s offset in the whole message, for the error.
 */
export function payloadKindFor(code: number, content: Uint8Array, base = 0): PayloadKind | undefined {
  const info = BY_CODE[code];
  if (info === undefined) return undefined;
  const [only, other] = info.payload;
  if (other === undefined) return only;
  if (content[0] === 0x0f && info.payload.includes('dlms')) return 'dlms';
  if (content[0] === 0x01 && content[1] === 0x09 && info.payload.includes('gbz')) return 'gbz';
  const first =
    content.length === 0 ? 'no content' : `first byte 0x${(content[0] ?? 0).toString(16).padStart(2, '0')}`;
  throw new DecodeError(
    'gbcs.payload',
    base,
    'content',
    `${LABELS[code]} expects ${info.payload.join(' or ')}, got ${first}`,
  );
}
