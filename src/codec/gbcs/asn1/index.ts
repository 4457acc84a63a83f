// GBCS ASN.1 payloads: the DER tree codec, the declared coders, the typed views and the payload contract.
export * from './der.js';
export * from './enums.js';
export {
  decodeAsn1Payload,
  encodeAsn1Payload,
  formatAsn1Payload,
  asn1Payload,
  type Asn1Payload,
  type Asn1Context,
} from './payload.js';
export {
  ASN1_MESSAGE_CODES,
  ASN1_USE_CASES,
  ASN1_VIEW_CODERS,
  asn1UseCase,
  asn1ViewKind,
  buildAsn1,
  interpretAsn1,
  type Asn1UseCase,
  type Asn1View,
  type Asn1ViewKind,
  type Asn1ViewOf,
} from './views.js';
export { formatAsn1View } from './format.js';
export type { TrustAnchorCellIdentifier, DeviceLogEntry } from './common.js';
