// Several key stores read as one: the first that knows a key answers. The DCC uses it to put published test keys
// (a DCC Boxed keystore.json, RTDS key folders) in front of the keys derived for a generated fleet.
import type { KeyObject } from 'node:crypto';
import type { KeyLookup, KeyStore } from './keystore.js';

export class LayeredKeyStore implements KeyStore {
  private readonly layers: readonly KeyStore[];

  constructor(layers: readonly KeyStore[]) {
    this.layers = [...layers];
  }

  publicKey(lookup: KeyLookup): KeyObject | undefined {
    for (const layer of this.layers) {
      const key = layer.publicKey(lookup);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  privateKey(lookup: KeyLookup): KeyObject | undefined {
    for (const layer of this.layers) {
      const key = layer.privateKey(lookup);
      if (key !== undefined) return key;
    }
    return undefined;
  }
}
