// GBCS MACs and encrypted data items against published vectors: NIST GCM, gbcs-parser's inline cases, a GFI
// message, and the RTDS 4.5.0 messages (all read in place from the shared vectors; keys from the RTDS keystore folder).
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { eui64, eui64ToBytes, type Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { SharedSecretCache } from '../../src/crypto/ecdh.js';
import { loadKeyStoreFolder, type MemoryKeyStore } from '../../src/crypto/keystore-folder.js';
import {
  aesGcmOpen,
  aesGcmSeal,
  computeGbcsMac,
  decryptGbcsPayload,
  encryptGbcsPayload,
  verifyGbcsMac,
} from '../../src/crypto/mac.js';
import { verifyGbcsSpan } from '../../src/crypto/signing.js';
import { rtdsFiles } from '../support/rtds.js';
import { RTDS_KEYSTORE_DIR } from '../vectors.js';
import { HAVE_VECTORS, cryptoVectors, messageParts, rtdsMessage } from './support.js';

const ACB = eui64('90B3D51F30000002');
const ka = (eui: string) => ({ eui: eui64(eui), usage: 'KA' as const });

describe.skipIf(!HAVE_VECTORS)('AES-128-GCM primitive', () => {
  // NIST GCM examples, as cited in HenryGiraldo/gbcs python/gbcs-tests.py (tag truncated to 96 bits as GBCS uses it).
  it('reproduces NIST GCM example 6 (96-bit IV, 20-byte AAD, 60-byte plaintext), tag truncated to 12 bytes', () => {
    const n = cryptoVectors().nist_gcm_example6;
    const sealed = aesGcmSeal(fromHex(n.key), fromHex(n.iv), fromHex(n.aad), fromHex(n.plaintext), 12);
    expect(toHex(sealed)).toBe(n.ciphertext + n.tag);
    expect(toHex(aesGcmOpen(fromHex(n.key), fromHex(n.iv), fromHex(n.aad), sealed, 12))).toBe(n.plaintext);
  });

  it('hashes AAD given in parts exactly as the concatenated AAD', () => {
    const n = cryptoVectors().nist_gcm_example6;
    const aad = fromHex(n.aad);
    const parts = [aad.subarray(0, 7), aad.subarray(7)];
    expect(toHex(aesGcmSeal(fromHex(n.key), fromHex(n.iv), parts, fromHex(n.plaintext), 12))).toBe(
      n.ciphertext + n.tag,
    );
  });

  it('refuses a tampered ciphertext with an AuthenticationError', () => {
    const n = cryptoVectors().nist_gcm_example6;
    const sealed = fromHex(n.ciphertext + n.tag);
    sealed[5]! ^= 0x20;
    expect(() => aesGcmOpen(fromHex(n.key), fromHex(n.iv), fromHex(n.aad), sealed, 12)).toThrow(
      expect.objectContaining({
        name: 'AuthenticationError',
        message:
          '"ciphertext" failed authentication: AES-GCM tag mismatch (wrong key, or altered IV, AAD, ciphertext or tag)',
      }),
    );
  });

  it('throws typed errors for a short key and a short IV', () => {
    const n = cryptoVectors().nist_gcm_example6;
    expect(() => aesGcmSeal(fromHex(n.key).subarray(1), fromHex(n.iv), [], new Uint8Array(0))).toThrow(
      '"key" expected 16 bytes, got 15',
    );
    expect(() => aesGcmSeal(fromHex(n.key), fromHex(n.iv).subarray(1), [], new Uint8Array(0))).toThrow(
      '"iv" expected 12 bytes, got 11',
    );
  });
});

describe.skipIf(!HAVE_VECTORS)(
  'GBCS MACs from gbcs-parser and GFI (keys in the RTDS keystore folder)',
  () => {
    const store: MemoryKeyStore = HAVE_VECTORS ? loadKeyStoreFolder(RTDS_KEYSTORE_DIR) : undefined!;
    const inline = HAVE_VECTORS ? cryptoVectors().gbcs_parser_inline : undefined!;
    const cache = new SharedSecretCache();

    it('reproduces the gbcs-parser SME.C.NC command MAC (ACB abab… × device ffff…fe)', () => {
      const v = inline['gbcs-sme.c.nc command'];
      const msg = messageParts(v.hex);
      const z = cache.between(store, ka(v.acbEui), ka(msg.recipient));
      expect(toHex(computeGbcsMac(z, msg.apdu))).toBe(v.expectedMAC);
      expect(toHex(msg.mac!)).toBe(v.expectedMAC);
    });

    it('reproduces the gbcs-parser SME.C.NC response MAC (device ffff…fe × supplier 1234…f0)', () => {
      const v = inline['gbcs-sme.c.nc response'];
      const msg = messageParts(v.hex);
      expect(msg.cra).toBe(2);
      const z = cache.between(store, ka(msg.originator), ka(msg.recipient));
      expect(toHex(computeGbcsMac(z, msg.apdu))).toBe(v.expectedMAC);
    });

    it('does not verify the response under the ACB key pair that MACs the command', () => {
      const v = inline['gbcs-sme.c.nc response'];
      const msg = messageParts(v.hex);
      const acbZ = cache.between(store, ka(v.acbEui), ka(msg.originator));
      expect(verifyGbcsMac(acbZ, msg.apdu, msg.mac!)).toBe(false);
    });

    it('reproduces the GFI ECS01a MAC (ACB 90B3D51F30000002 × ESME) and verifies its supplier signature', () => {
      const v = inline['gfi-ecs01a (ECS01a command, signed, from GFI)'];
      const msg = messageParts(v.hex);
      expect(v.acbEui).toBe(ACB);
      expect(toHex(computeGbcsMac(cache.between(store, ka(ACB), ka(msg.recipient)), msg.apdu))).toBe(
        v.expectedMAC,
      );
      const supplierDs = store.publicKey({ eui: eui64(msg.originator), usage: 'DS' })!;
      expect(verifyGbcsSpan(supplierDs, msg.signedSpan, msg.signature!)).toBe(true);
    });

    it('reproduces the MAC of the GFI text-format example (a response, ESME → supplier)', () => {
      const [, , length, hex] = cryptoVectors().gfi_text_format_example.line.split(':') as [
        string,
        string,
        string,
        string,
      ];
      const msg = messageParts(hex);
      expect(msg.bytes).toHaveLength(Number(length));
      expect(
        verifyGbcsMac(cache.between(store, ka(msg.originator), ka(msg.recipient)), msg.apdu, msg.mac!),
      ).toBe(true);
    });
  },
);

describe.skipIf(!HAVE_VECTORS)('GBCS MACs over RTDS 4.5.0', () => {
  // Commands are MACed by the ACB (HAN-only PPMID → GSME commands by the PPMID); responses and alerts by their
  // originator, each with the recipient. The PPMID–GSME pair has no published private key, so those two are counted.
  const HAN_ONLY_COMMANDS = new Set([0x0090, 0x009b]); // PCS02, PCS01
  it('verifies the MAC of all 603 MAC-protected RTDS messages whose key pair is published, with one ECDH per pair', () => {
    const store = loadKeyStoreFolder(RTDS_KEYSTORE_DIR);
    const cache = new SharedSecretCache();
    const outcome = { verified: 0, failed: [] as string[], noKeyPair: [] as string[], unprotected: 0 };
    for (const { name, bytes } of rtdsFiles()) {
      const { message, spans } = parseGbcs(bytes);
      if (!message.macProtected) {
        outcome.unprotected++;
        continue;
      }
      const h = message.header;
      const macer: Eui64 = h.cra === 1 && !HAN_ONLY_COMMANDS.has(h.messageCode) ? ACB : h.originator;
      let z: Uint8Array;
      try {
        z = cache.between(store, ka(macer), ka(h.recipient));
      } catch {
        outcome.noKeyPair.push(name);
        continue;
      }
      if (verifyGbcsMac(z, bytes.subarray(spans.apduStart, spans.apduEnd), message.mac!)) outcome.verified++;
      else outcome.failed.push(name);
    }
    expect(outcome.failed).toEqual([]);
    expect(outcome.verified).toBe(603);
    expect(outcome.noKeyPair).toEqual([
      'NA_PCS02/PCS02_NA_SUCCESS_COMMAND_GBCS.HEX',
      'NA_PCS02/PCS02_NA_SUCCESS_RESPONSE_GBCS.HEX',
    ]);
    expect(outcome.unprotected).toBe(358);
    expect(cache.misses).toBe(cache.size);
    expect(cache.misses).toBeLessThan(12);
  });
});

describe.skipIf(!HAVE_VECTORS)('GBCS encrypted data items (KDF type 04, AAD 0x31)', () => {
  const store: MemoryKeyStore = HAVE_VECTORS ? loadKeyStoreFolder(RTDS_KEYSTORE_DIR) : undefined!;
  const cache = new SharedSecretCache();

  /** The octet-string `len 31 00000000 ciphertext‖tag` inside a payload: this test's only knowledge of DLMS. */
  function encryptedItem(content: Uint8Array): Uint8Array {
    const hex = toHex(content);
    const at = hex.indexOf('3100000000');
    const len = parseInt(hex.slice(at - 2, at), 16);
    return content.subarray(at / 2 + 5, at / 2 + len);
  }

  it('decrypts the RTDS ECS17b response register read (ESME → supplier, header parties)', () => {
    const bytes = rtdsMessage('4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX');
    const { message, spans } = parseGbcs(bytes);
    const h = message.header;
    const sealed = encryptedItem(bytes.subarray(spans.contentStart, spans.contentEnd));
    const z = cache.between(store, ka(h.originator), ka(h.recipient));
    const parties = {
      originator: eui64ToBytes(h.originator),
      counter: h.originatorCounter,
      recipient: eui64ToBytes(h.recipient),
    };
    // Expected plaintext: the DLMS structure decrypted by this code, authenticated by the 12-byte GCM tag in the vector.
    expect(toHex(decryptGbcsPayload(z, parties, sealed))).toBe(
      '02010204060000000A02020F00161E060000000A02020F001620',
    );
    expect(toHex(encryptGbcsPayload(z, parties, decryptGbcsPayload(z, parties, sealed)))).toBe(toHex(sealed));
  });

  it('decrypts the RTDS ECS21b URP response with the supplementary remote party and originator counter', () => {
    const bytes = rtdsMessage('4.14_ECS21b/ECS21b_4.14_URP_SUCCESS_RESPONSE_GBCS.HEX');
    const { message, spans } = parseGbcs(bytes);
    const h = message.header;
    expect(h.recipient).toBe(ACB);
    const sealed = encryptedItem(bytes.subarray(spans.contentStart, spans.contentEnd));
    const user = h.supplementaryRemotePartyId!;
    const z = cache.between(store, ka(h.originator), ka(user));
    const asHeader = {
      originator: eui64ToBytes(h.originator),
      counter: h.originatorCounter,
      recipient: eui64ToBytes(h.recipient),
    };
    const asSupplementary = {
      originator: eui64ToBytes(h.originator),
      counter: h.supplementaryOriginatorCounter!,
      recipient: eui64ToBytes(user),
    };
    expect(() => decryptGbcsPayload(z, asHeader, sealed)).toThrow(
      expect.objectContaining({ name: 'AuthenticationError' }),
    );
    expect(decryptGbcsPayload(z, asSupplementary, sealed).length).toBe(sealed.length - 12);
  });

  it('round-trips a payload and refuses it under another counter', () => {
    const z = cache.between(store, ka('00DB1234567890A0'), ka('90B3D51F30010000'));
    const parties = {
      originator: eui64ToBytes(eui64('00DB1234567890A0')),
      counter: 7n,
      recipient: eui64ToBytes(eui64('90B3D51F30010000')),
    };
    const plaintext = fromHex('0102030405060708090A');
    const sealed = encryptGbcsPayload(z, parties, plaintext);
    expect(sealed).toHaveLength(plaintext.length + 12);
    expect(toHex(decryptGbcsPayload(z, parties, sealed))).toBe(toHex(plaintext));
    expect(() => decryptGbcsPayload(z, { ...parties, counter: 8n }, sealed)).toThrow(
      expect.objectContaining({ name: 'AuthenticationError' }),
    );
    expect(() => decryptGbcsPayload(z, parties, sealed.subarray(0, 11))).toThrow(
      '"ciphertext" expected at least 12 bytes (the tag), got 11',
    );
  });
});
