// smets-twin's public API: the GBCS codec and GBCS cryptography.
export * from './codec/bytes.js';
export * from './codec/eui64.js';
export * from './codec/gbcs/frame.js';
export * from './codec/gbcs/gbt.js';
export * from './codec/gbcs/payload.js';
export * from './codec/gbcs/format.js';
export {
  MESSAGE_CODES,
  formatMessageCode,
  messageCodeInfo,
  messageCodesForUseCase,
  type MessageCodeInfo,
  type PayloadKind,
} from './codec/gbcs/message-codes.js';
export * from './codec/gbcs/use-cases/chf-device-log.js';
export type { KeyLookup, KeyStore, KeyUsage } from './crypto/keystore.js';
export { MemoryKeyStore, loadDccBoxedKeyStore, loadKeyStoreFolder } from './crypto/keystore-folder.js';
export { SharedSecretCache } from './crypto/ecdh.js';
export * from './crypto/message-protection.js';
export { signPreCommand } from './crypto/signing.js';
export { generateUtrn, parseUtrn, verifyUtrn, type Utrn, type UtrnVerification } from './crypto/utrn.js';
export { TestPki, addToKeySink, readSmkiCertificate } from './crypto/test-pki.js';
