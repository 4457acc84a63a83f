// GBZ payload codec (GBCS 7.2): the public surface. The lead's payload dispatcher calls decodeGbz /
// encodeGbz for message codes whose payload is GBZ; formatGbz renders a decoded payload.
export {
  decodeGbz,
  encodeGbz,
  GBZ_PROFILE_ID,
  type GbzAlert,
  type GbzComponents,
  type GbzContext,
  type GbzPayload,
} from './gbz.js';
export {
  GBZ_ALERT_LAYOUTS,
  type GbzAlertBody,
  type GbzAlertComponents,
  type GbzFirmwareHash,
  type GbzFutureDatedOutcome,
  type GbzIntegrityIssueWarning,
  type GbzUserInterfaceCommand,
} from './alert.js';
export {
  GBZ_MAC_LENGTH,
  type GbzCipheredInformation,
  type GbzComponent,
  type GbzEncryptedComponent,
  type GbzPlainComponent,
} from './component.js';
export {
  zclPayloadKindFor,
  type ZclAttributeSelector,
  type ZclAttributeValue,
  type ZclDirection,
  type ZclFrameType,
  type ZclHeader,
  type ZclPayload,
  type ZclPayloadKind,
  type ZclReadAttributeStatus,
  type ZclReportDirection,
  type ZclReportingConfiguration,
  type ZclReportingStatus,
  type ZclWriteAttributeStatus,
} from './zcl-frame.js';
export {
  ZCL_DATA_TYPES,
  zclDataTypeName,
  type ZclDataTypeName,
  type ZclValue,
  type ZclValueKind,
} from './zcl-data.js';
export {
  ZCL_CLUSTERS,
  ZCL_GLOBAL_COMMANDS,
  ZCL_STATUS_CODES,
  clusterName,
  commandName,
  statusName,
} from './zcl-names.js';
export { formatGbz, formatValue } from './format.js';
