// DLMS COSEM payload codec for GBCS: Access-Request, Access-Response and Data-Notification with A-XDR Data.
export { decodeDlmsApdu, encodeDlmsApdu } from './apdu.js';
export { decodeDlmsData, encodeDlmsData } from './data.js';
export {
  formatAccessRequestSpecification,
  formatDateTime,
  formatDlmsApdu,
  formatDlmsData,
  formatTypeDescription,
} from './format.js';
export { formatObis, parseObis, OBIS_LENGTH } from './obis.js';
export {
  ACCESS_REQUEST_SPECIFICATIONS,
  ACCESS_RESPONSE_SPECIFICATIONS,
  ACTION_RESULTS,
  DATA_ACCESS_RESULTS,
  DLMS_APDUS,
  DLMS_DATA_TYPES,
} from './types.js';
export type {
  AccessRequestAttribute,
  AccessRequestAttributeWithSelection,
  AccessRequestMethod,
  AccessRequestSpecification,
  AccessResponseSpecification,
  DlmsAccessRequest,
  DlmsAccessResponse,
  DlmsApdu,
  DlmsData,
  DlmsDataContents,
  DlmsDataOf,
  DlmsDataNotification,
  DlmsDataTypeName,
  DlmsTypeDescription,
  SelectiveAccessDescriptor,
} from './types.js';
