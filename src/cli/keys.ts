// Loading a key store named on the command line: an RTDS-layout key folder or a DCC Boxed keystore.json.
import { statSync } from 'node:fs';
import { loadDccBoxedKeyStore, loadKeyStoreFolder, type MemoryKeyStore } from '../crypto/keystore-folder.js';

export function loadKeys(path: string): MemoryKeyStore {
  return statSync(path).isDirectory() ? loadKeyStoreFolder(path) : loadDccBoxedKeyStore(path);
}
