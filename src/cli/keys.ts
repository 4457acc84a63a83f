// Loading a key store named on the command line: an RTDS-layout key folder or a DCC Boxed keystore.json.
import { statSync } from 'node:fs';
import {
  isZ1GbcsEntry,
  loadDccBoxedKeyStore,
  loadKeyStoreFolder,
  type MemoryKeyStore,
} from '../crypto/keystore-folder.js';

/** A keystore.json holds two generations of some organisation keys: the Z1 ones, which RTDS and serve use, load. */
export function loadKeys(path: string): MemoryKeyStore {
  return statSync(path).isDirectory()
    ? loadKeyStoreFolder(path)
    : loadDccBoxedKeyStore(path, { include: isZ1GbcsEntry });
}
