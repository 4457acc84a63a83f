// Names for printing: the clusters GBCS uses (ZigBee Smart Energy 1.4, 07-5356; ZCL 07-5123), their
// commands in each direction, the ZCL global commands and status codes. Naming only: parsing never
// depends on these lists, and an id missing here prints as hex.

/**
 * The one cluster list: id, name, and command names by direction — `toServer` are sent by the client
 * side (ZCL direction bit 0), `toClient` by the server side (direction bit 1).
 */
export const ZCL_CLUSTERS = [
  { id: 0x0000, name: 'Basic', toServer: [[0x00, 'Reset to Factory Defaults']], toClient: [] },
  {
    id: 0x0003,
    name: 'Identify',
    toServer: [
      [0x00, 'Identify'],
      [0x01, 'Identify Query'],
    ],
    toClient: [[0x00, 'Identify Query Response']],
  },
  { id: 0x000a, name: 'Time', toServer: [], toClient: [] },
  {
    id: 0x0019,
    name: 'OTA Upgrade',
    toServer: [
      [0x01, 'Query Next Image Request'],
      [0x03, 'Image Block Request'],
      [0x04, 'Image Page Request'],
      [0x06, 'Upgrade End Request'],
      [0x08, 'Query Device Specific File Request'],
    ],
    toClient: [
      [0x00, 'Image Notify'],
      [0x02, 'Query Next Image Response'],
      [0x05, 'Image Block Response'],
      [0x07, 'Upgrade End Response'],
      [0x09, 'Query Device Specific File Response'],
    ],
  },
  { id: 0x0020, name: 'Poll Control', toServer: [], toClient: [] },
  { id: 0x0025, name: 'Keep-Alive', toServer: [], toClient: [] },
  {
    id: 0x0700,
    name: 'Price',
    toServer: [
      [0x00, 'Get Current Price'],
      [0x01, 'Get Scheduled Prices'],
      [0x02, 'Price Acknowledgement'],
      [0x03, 'Get Block Periods'],
      [0x04, 'Get Conversion Factor'],
      [0x05, 'Get Calorific Value'],
      [0x06, 'Get Tariff Information'],
      [0x07, 'Get Price Matrix'],
      [0x08, 'Get Block Thresholds'],
      [0x09, 'Get CO2 Value'],
      [0x0a, 'Get Tier Labels'],
      [0x0b, 'Get Billing Period'],
      [0x0c, 'Get Consolidated Bill'],
      [0x0d, 'CPP Event Response'],
      [0x0e, 'Get Credit Payment'],
      [0x0f, 'Get Currency Conversion'],
      [0x10, 'Get Tariff Cancellation'],
    ],
    toClient: [
      [0x00, 'Publish Price'],
      [0x01, 'Publish Block Period'],
      [0x02, 'Publish Conversion Factor'],
      [0x03, 'Publish Calorific Value'],
      [0x04, 'Publish Tariff Information'],
      [0x05, 'Publish Price Matrix'],
      [0x06, 'Publish Block Thresholds'],
      [0x07, 'Publish CO2 Value'],
      [0x08, 'Publish Tier Labels'],
      [0x09, 'Publish Billing Period'],
      [0x0a, 'Publish Consolidated Bill'],
      [0x0b, 'Publish CPP Event'],
      [0x0c, 'Publish Credit Payment'],
      [0x0d, 'Publish Currency Conversion'],
      [0x0e, 'Cancel Tariff'],
    ],
  },
  { id: 0x0701, name: 'Demand Response and Load Control', toServer: [], toClient: [] },
  {
    id: 0x0702,
    name: 'Metering',
    toServer: [
      [0x00, 'Get Profile'],
      [0x01, 'Request Mirror Response'],
      [0x02, 'Mirror Removed'],
      [0x03, 'Request Fast Poll Mode'],
      [0x04, 'Schedule Snapshot'],
      [0x05, 'Take Snapshot'],
      [0x06, 'Get Snapshot'],
      [0x07, 'Start Sampling'],
      [0x08, 'Get Sampled Data'],
      [0x09, 'Mirror Report Attribute Response'],
      [0x0a, 'Reset Load Limit Counter'],
      [0x0b, 'Change Supply'],
      [0x0c, 'Local Change Supply'],
      [0x0d, 'Set Supply Status'],
      [0x0e, 'Set Uncontrolled Flow Threshold'],
    ],
    toClient: [
      [0x00, 'Get Profile Response'],
      [0x01, 'Request Mirror'],
      [0x02, 'Remove Mirror'],
      [0x03, 'Request Fast Poll Mode Response'],
      [0x04, 'Schedule Snapshot Response'],
      [0x05, 'Take Snapshot Response'],
      [0x06, 'Publish Snapshot'],
      [0x07, 'Get Sampled Data Response'],
      [0x08, 'Configure Mirror'],
      [0x09, 'Configure Notification Scheme'],
      [0x0a, 'Configure Notification Flags'],
      [0x0b, 'Get Notified Message'],
      [0x0c, 'Supply Status Response'],
      [0x0d, 'Start Sampling Response'],
    ],
  },
  {
    id: 0x0703,
    name: 'Messaging',
    toServer: [
      [0x00, 'Get Last Message'],
      [0x01, 'Message Confirmation'],
      [0x02, 'Get Message Cancellation'],
    ],
    toClient: [
      [0x00, 'Display Message'],
      [0x01, 'Cancel Message'],
      [0x02, 'Display Protected Message'],
      [0x03, 'Cancel All Messages'],
    ],
  },
  {
    id: 0x0704,
    name: 'Tunneling',
    toServer: [
      [0x00, 'Request Tunnel'],
      [0x01, 'Close Tunnel'],
      [0x02, 'Transfer Data'],
      [0x03, 'Transfer Data Error'],
      [0x04, 'Ack Transfer Data'],
      [0x05, 'Ready Data'],
      [0x06, 'Get Supported Tunnel Protocols'],
    ],
    toClient: [
      [0x00, 'Request Tunnel Response'],
      [0x01, 'Transfer Data'],
      [0x02, 'Transfer Data Error'],
      [0x03, 'Ack Transfer Data'],
      [0x04, 'Ready Data'],
      [0x05, 'Supported Tunnel Protocols Response'],
      [0x06, 'Tunnel Closure Notification'],
    ],
  },
  {
    id: 0x0705,
    name: 'Prepayment',
    toServer: [
      [0x00, 'Select Available Emergency Credit'],
      [0x02, 'Change Debt'],
      [0x03, 'Emergency Credit Setup'],
      [0x04, 'Consumer Top Up'],
      [0x05, 'Credit Adjustment'],
      [0x06, 'Change Payment Mode'],
      [0x07, 'Get Prepay Snapshot'],
      [0x08, 'Get Top Up Log'],
      [0x09, 'Set Low Credit Warning Level'],
      [0x0a, 'Get Debt Repayment Log'],
      [0x0b, 'Set Maximum Credit Limit'],
      [0x0c, 'Set Overall Debt Cap'],
    ],
    toClient: [
      [0x01, 'Publish Prepay Snapshot'],
      [0x02, 'Change Payment Mode Response'],
      [0x03, 'Consumer Top Up Response'],
      [0x05, 'Publish Top Up Log'],
      [0x06, 'Publish Debt Log'],
    ],
  },
  { id: 0x0706, name: 'Energy Management', toServer: [], toClient: [] },
  {
    id: 0x0707,
    name: 'Calendar',
    toServer: [
      [0x00, 'Get Calendar'],
      [0x01, 'Get Day Profiles'],
      [0x02, 'Get Week Profiles'],
      [0x03, 'Get Seasons'],
      [0x04, 'Get Special Days'],
      [0x05, 'Get Calendar Cancellation'],
    ],
    toClient: [
      [0x00, 'Publish Calendar'],
      [0x01, 'Publish Day Profile'],
      [0x02, 'Publish Week Profile'],
      [0x03, 'Publish Seasons'],
      [0x04, 'Publish Special Days'],
      [0x05, 'Cancel Calendar'],
    ],
  },
  {
    id: 0x0708,
    name: 'Device Management',
    toServer: [
      [0x00, 'Get Change of Tenancy'],
      [0x01, 'Get Change of Supplier'],
      [0x02, 'Request New Password'],
      [0x03, 'Get Site ID'],
      [0x04, 'Report Event Configuration'],
      [0x05, 'Get CIN'],
    ],
    toClient: [
      [0x00, 'Publish Change of Tenancy'],
      [0x01, 'Publish Change of Supplier'],
      [0x02, 'Request New Password Response'],
      [0x03, 'Update Site ID'],
      [0x04, 'Set Event Configuration'],
      [0x05, 'Get Event Configuration'],
      [0x06, 'Update CIN'],
    ],
  },
  {
    id: 0x0709,
    name: 'Events',
    toServer: [
      [0x00, 'Get Event Log'],
      [0x01, 'Clear Event Log Request'],
    ],
    toClient: [
      [0x00, 'Publish Event'],
      [0x01, 'Publish Event Log'],
      [0x02, 'Clear Event Log Response'],
    ],
  },
  { id: 0x070a, name: 'MDU Pairing', toServer: [], toClient: [] },
  { id: 0x070b, name: 'Sub-GHz', toServer: [], toClient: [] },
  { id: 0x0800, name: 'Key Establishment', toServer: [], toClient: [] },
] as const satisfies readonly {
  id: number;
  name: string;
  toServer: readonly (readonly [number, string])[];
  toClient: readonly (readonly [number, string])[];
}[];

/** ZCL global (profile-wide) commands, ZCL 2.5. */
export const ZCL_GLOBAL_COMMANDS = [
  [0x00, 'Read Attributes'],
  [0x01, 'Read Attributes Response'],
  [0x02, 'Write Attributes'],
  [0x03, 'Write Attributes Undivided'],
  [0x04, 'Write Attributes Response'],
  [0x05, 'Write Attributes No Response'],
  [0x06, 'Configure Reporting'],
  [0x07, 'Configure Reporting Response'],
  [0x08, 'Read Reporting Configuration'],
  [0x09, 'Read Reporting Configuration Response'],
  [0x0a, 'Report Attributes'],
  [0x0b, 'Default Response'],
  [0x0c, 'Discover Attributes'],
  [0x0d, 'Discover Attributes Response'],
  [0x0e, 'Read Attributes Structured'],
  [0x0f, 'Write Attributes Structured'],
  [0x10, 'Write Attributes Structured Response'],
  [0x11, 'Discover Commands Received'],
  [0x12, 'Discover Commands Received Response'],
  [0x13, 'Discover Commands Generated'],
  [0x14, 'Discover Commands Generated Response'],
  [0x15, 'Discover Attributes Extended'],
  [0x16, 'Discover Attributes Extended Response'],
] as const;

/** ZCL status codes, ZCL 2.6.3. */
export const ZCL_STATUS_CODES = [
  [0x00, 'SUCCESS'],
  [0x01, 'FAILURE'],
  [0x7e, 'NOT_AUTHORIZED'],
  [0x7f, 'RESERVED_FIELD_NOT_ZERO'],
  [0x80, 'MALFORMED_COMMAND'],
  [0x81, 'UNSUP_CLUSTER_COMMAND'],
  [0x82, 'UNSUP_GENERAL_COMMAND'],
  [0x83, 'UNSUP_MANUF_CLUSTER_COMMAND'],
  [0x84, 'UNSUP_MANUF_GENERAL_COMMAND'],
  [0x85, 'INVALID_FIELD'],
  [0x86, 'UNSUPPORTED_ATTRIBUTE'],
  [0x87, 'INVALID_VALUE'],
  [0x88, 'READ_ONLY'],
  [0x89, 'INSUFFICIENT_SPACE'],
  [0x8a, 'DUPLICATE_EXISTS'],
  [0x8b, 'NOT_FOUND'],
  [0x8c, 'UNREPORTABLE_ATTRIBUTE'],
  [0x8d, 'INVALID_DATA_TYPE'],
  [0x8e, 'INVALID_SELECTOR'],
  [0x8f, 'WRITE_ONLY'],
  [0x90, 'INCONSISTENT_STARTUP_STATE'],
  [0x91, 'DEFINED_OUT_OF_BAND'],
  [0x92, 'INCONSISTENT'],
  [0x93, 'ACTION_DENIED'],
  [0x94, 'TIMEOUT'],
  [0x95, 'ABORT'],
  [0x96, 'INVALID_IMAGE'],
  [0x97, 'WAIT_FOR_DATA'],
  [0x98, 'NO_IMAGE_AVAILABLE'],
  [0x99, 'REQUIRE_MORE_IMAGE'],
  [0x9a, 'NOTIFICATION_PENDING'],
  [0xc0, 'HARDWARE_FAILURE'],
  [0xc1, 'SOFTWARE_FAILURE'],
  [0xc2, 'CALIBRATION_ERROR'],
  [0xc3, 'UNSUPPORTED_CLUSTER'],
] as const;

export type ZclClusterName = (typeof ZCL_CLUSTERS)[number]['name'];

const CLUSTER_NAMES = new Map<number, string>(ZCL_CLUSTERS.map((c) => [c.id, c.name]));
const TO_SERVER = new Map<number, Map<number, string>>(ZCL_CLUSTERS.map((c) => [c.id, new Map(c.toServer)]));
const TO_CLIENT = new Map<number, Map<number, string>>(ZCL_CLUSTERS.map((c) => [c.id, new Map(c.toClient)]));
const GLOBAL = new Map<number, string>(ZCL_GLOBAL_COMMANDS);
const STATUS = new Map<number, string>(ZCL_STATUS_CODES);

export function clusterName(id: number): string | undefined {
  return CLUSTER_NAMES.get(id);
}

/** Name of a command: global commands by id, cluster-specific ones by cluster and direction. */
export function commandName(
  clusterId: number,
  frameType: 'global' | 'cluster-specific',
  direction: 'client-to-server' | 'server-to-client',
  commandId: number,
): string | undefined {
  if (frameType === 'global') return GLOBAL.get(commandId);
  return (direction === 'client-to-server' ? TO_SERVER : TO_CLIENT).get(clusterId)?.get(commandId);
}

export function statusName(status: number): string | undefined {
  return STATUS.get(status);
}
