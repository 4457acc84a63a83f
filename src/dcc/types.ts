// The DCC's own records (domain brief §3.4): DCC Users and the Smart Metering Inventory. Plain, serialisable data;
// the Store (src/store/) persists them and the DSP pipeline (src/dcc/dsp.ts) reads them.
import type { Eui64 } from '../codec/eui64.js';
import type { UserRole } from '../codec/duis/srv.js';

/** SMI statuses [O: Kraken/Octopus API enum; DUIS inventory responses]. */
export const SMI_STATUSES = [
  'Pending',
  'Whitelisted',
  'InstalledNotCommissioned',
  'Commissioned',
  'Decommissioned',
  'Withdrawn',
  'Suspended',
  'Recovery',
  'Recovered',
  'NotApplicable',
] as const;
export type SmiStatus = (typeof SMI_STATUSES)[number];

/** Device types as the SMI and the 8.2 DeviceType field name them (domain brief §3.4). */
export const SMI_DEVICE_TYPES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS', 'IHD', 'CAD'] as const;
export type SmiDeviceType = (typeof SMI_DEVICE_TYPES)[number];

/** One device's SMI record: the 8.2 Read Inventory fields plus the associations the DSP routes by. */
export interface SmiDevice {
  readonly deviceId: Eui64;
  readonly deviceType: SmiDeviceType;
  readonly status: SmiStatus;
  /** The premise (CH) shard the device lives in, for delivery routes; absent until installed. */
  readonly premise?: number;
  /** For meters and HAN devices: the CHF that relays to them. */
  readonly chf?: Eui64;
  /** For a GSME: its GPF; for a GPF: its GSME. */
  readonly gpf?: Eui64;
  /** For PPMID/IHD/HCALCS: the meter they pair with. */
  readonly associatedMeter?: Eui64;
  readonly manufacturer: string;
  readonly model: string;
  readonly smetsChtsVersion: string;
  readonly firmwareVersion: string;
  readonly firmwareVersionStatus: string;
  readonly cplStatus: string;
  readonly gbcsVersion: string;
  /** MPAN (ESME) or MPRN (GSME). */
  readonly importMpxn?: string;
  /** A twin-element ESME's second import MPAN, and an export MPAN (13 digits each). */
  readonly secondaryImportMpan?: string;
  readonly exportMpan?: string;
  readonly esmeVariant?: string;
  readonly hanVariant?: string;
  readonly uprn?: number;
  readonly postCode?: string;
  readonly addressIdentifier?: string;
  readonly cspRegion?: string;
  /** Registered Supplier and Network Operator: whose commands the device accepts (E4). */
  readonly supplier?: Eui64;
  readonly networkOperator?: Eui64;
}

/** One entry of a device's status history. */
export interface SmiStatusChange {
  readonly deviceId: Eui64;
  readonly atMs: number;
  readonly from: SmiStatus | null;
  readonly to: SmiStatus;
  /** What caused it: an SRV ('8.11'), 'join', 'fleet', … */
  readonly cause: string;
}

export type DccUserStatus = 'active' | 'suspended';

/** A DCC User: the EUI-64 that signs its DUIS XML, its roles (E1/E2), its status (E3) and where responses go. */
export interface DccUser {
  readonly eui: Eui64;
  readonly roles: readonly UserRole[];
  readonly status: DccUserStatus;
  /** Where asynchronous responses and alerts are pushed; absent: held for collection. */
  readonly receiverUrl?: string;
  readonly name?: string;
}
