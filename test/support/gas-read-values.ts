// The ZCL payloads of a gas response as the User who asked reads them: encrypted GBZ components (GBCS 4.3.3.4, KDF
// over responder, counter, User) decrypted with the test fleet's keys, plaintext ones as they are. For checking the
// values of sensitive reads (GCS13a, GCS13c) against the state they were read from.
import { Reader } from '../../src/codec/bytes.js';
import { eui64ToBytes } from '../../src/codec/eui64.js';
import type { GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { ZclPayload, ZclValue } from '../../src/codec/gbcs/gbz/index.js';
import { readZclPayload } from '../../src/codec/gbcs/gbz/zcl-frame.js';
import { SharedSecretCache } from '../../src/crypto/ecdh.js';
import type { KeyStore } from '../../src/crypto/keystore.js';
import { decryptGbcsPayload } from '../../src/crypto/mac.js';
import { TEST_KEYS } from './identities.js';

/** Each GBZ component's ZCL payload in order, decrypted where encrypted; with its cluster and encryption. */
export function userZclPayloads(
  message: GbcsMessage,
  store: KeyStore = TEST_KEYS,
): { clusterId: number; encrypted: boolean; payload: ZclPayload }[] {
  const p = message.payload;
  if (p.kind !== 'gbz' || p.gbz.kind !== 'components') throw new Error(`not GBZ components: ${p.kind}`);
  const h = message.header;
  return p.gbz.components.map((c) => {
    if (!c.encrypted) return { clusterId: c.clusterId, encrypted: false, payload: c.payload };
    const z = new SharedSecretCache().between(
      store,
      { eui: h.originator, usage: 'KA' },
      { eui: h.recipient, usage: 'KA' },
    );
    const plaintext = decryptGbcsPayload(
      z,
      {
        originator: eui64ToBytes(h.originator),
        counter: h.originatorCounter,
        recipient: eui64ToBytes(h.recipient),
      },
      Uint8Array.from([...c.ciphered.ciphertext, ...c.ciphered.mac]),
    );
    const payload = readZclPayload(new Reader(plaintext, 'gbz'), c.header, 'decrypted');
    return { clusterId: c.clusterId, encrypted: true, payload };
  });
}

/** The values of every Read Attributes Response record (status 0), by attribute id, decrypted as above. */
export function userReadValues(message: GbcsMessage, store: KeyStore = TEST_KEYS): Map<number, ZclValue> {
  const out = new Map<number, ZclValue>();
  for (const { payload } of userZclPayloads(message, store))
    if (payload.kind === 'read-attributes-response')
      for (const r of payload.records)
        if (r.status === 0 && r.value !== null) out.set(r.attributeId, r.value);
  return out;
}
