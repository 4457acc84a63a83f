// The Store: the port and how to open it (SQLite embedded, PostgreSQL from a URL).
export type {
  DeviceQuery,
  FirmwareImageRecord,
  FirmwareTrackingRecord,
  OutboundKind,
  OutboundNew,
  OutboundRecord,
  OutboundState,
  OutboundUpdate,
  PremiseSnapshot,
  RequestRecord,
  RequestState,
  Staged,
  Store,
  StoreOps,
} from './store.js';
export { openStore, storeLocationFromEnv, type OpenStoreOptions } from './open.js';
