// Key stores: MemoryKeyStore, the RTDS keystore folder and DCC Boxed's keystore.json (both read in place).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import {
  MemoryKeyStore,
  isZ1GbcsEntry,
  loadDccBoxedKeyStore,
  loadKeyStoreFolder,
  readDccBoxedEntries,
} from '../../src/crypto/keystore-folder.js';
import { RTDS_KEYSTORE_DIR, vectorPath } from '../vectors.js';
import { HAVE_VECTORS } from './support.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const DCC_BOXED_JSON = vectorPath('dccboxed-keystore', 'keystore.json');

describe('MemoryKeyStore', () => {
  const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('answers by EUI, usage and prepayment flag, and derives the public key of a private key', () => {
    const ka = p256();
    const pp = p256();
    const store = new MemoryKeyStore()
      .set({ eui: SUPPLIER, usage: 'KA' }, { privateKey: ka.privateKey })
      .set({ eui: SUPPLIER, usage: 'KA', prepayment: true }, { privateKey: pp.privateKey });
    expect(store.publicKey({ eui: SUPPLIER, usage: 'KA' })!.equals(ka.publicKey)).toBe(true);
    expect(store.publicKey({ eui: SUPPLIER, usage: 'KA', prepayment: true })!.equals(pp.publicKey)).toBe(
      true,
    );
    expect(store.privateKey({ eui: SUPPLIER, usage: 'DS' })).toBeUndefined();
    expect([...store.lookups()]).toEqual([
      { eui: SUPPLIER, usage: 'KA' },
      { eui: SUPPLIER, usage: 'KA', prepayment: true },
    ]);
  });

  it('completes a slot with the matching private key, and refuses an unrelated one', () => {
    const a = p256();
    const store = new MemoryKeyStore().set({ eui: ESME, usage: 'DS' }, { publicKey: a.publicKey });
    store.set({ eui: ESME, usage: 'DS' }, { privateKey: a.privateKey });
    expect(store.privateKey({ eui: ESME, usage: 'DS' })).toBe(a.privateKey);
    expect(() => store.set({ eui: ESME, usage: 'DS' }, { privateKey: p256().privateKey })).toThrow(
      '"00DB1234567890A0 DS key" expected the key already stored for this slot, got a different key',
    );
    expect(() =>
      new MemoryKeyStore().set(
        { eui: ESME, usage: 'DS' },
        { publicKey: a.publicKey, privateKey: p256().privateKey },
      ),
    ).toThrow(
      '"00DB1234567890A0 DS private key" expected the private half of the public key, got an unrelated key',
    );
  });

  it('refuses keys that are not P-256 and prepayment keys that are not key-agreement keys', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => new MemoryKeyStore().set({ eui: ESME, usage: 'KA' }, { publicKey: p384.publicKey })).toThrow(
      '"00DB1234567890A0 KA public key" expected a P-256 (prime256v1) EC key, got EC secp384r1',
    );
    expect(() =>
      new MemoryKeyStore().set(
        { eui: SUPPLIER, usage: 'DS', prepayment: true },
        { publicKey: p256().publicKey },
      ),
    ).toThrow(
      '"lookup" expected prepayment only with usage KA (GBCS 4.3: the prepayment key is a key-agreement key), got usage DS',
    );
  });
});

describe.skipIf(!HAVE_VECTORS)('RTDS keystore folder', () => {
  const store = HAVE_VECTORS ? loadKeyStoreFolder(RTDS_KEYSTORE_DIR) : undefined!;
  const lookups = HAVE_VECTORS ? [...store.lookups()] : [];

  it('loads all 435 files into 419 slots: 200 devices × DS/KA, 16 organisation slots, 3 GBCS 18.4-style keys', () => {
    expect(store.size).toBe(419);
    expect(lookups.filter((l) => l.eui.startsWith('00DB')).length).toBe(400);
    expect(lookups.filter((l) => l.eui.startsWith('90B3')).length).toBe(16);
    expect(lookups.filter((l) => store.privateKey(l) !== undefined).length).toBe(18);
    expect(lookups.filter((l) => l.prepayment === true).map((l) => l.eui)).toEqual([
      SUPPLIER,
      eui64('90B3D51F30030000'),
    ]);
  });

  it('keeps the supplier’s prepayment KA key apart from its KA key, each with its certificate', () => {
    const ka = store.publicKey({ eui: SUPPLIER, usage: 'KA' })!;
    const pp = store.publicKey({ eui: SUPPLIER, usage: 'KA', prepayment: true })!;
    expect(ka.equals(pp)).toBe(false);
    expect(store.certificate({ eui: SUPPLIER, usage: 'KA', prepayment: true })!.serialNumber).toBe(
      '703733774EF2B8E50F7AF2BBB33C198F',
    );
    expect(store.certificate({ eui: ESME, usage: 'KA' })).toBeDefined();
    expect(store.certificate({ eui: eui64('FFFFFFFFFFFFFFFE'), usage: 'KA' })).toBeUndefined(); // a bare SPKI public key
  });

  it('refuses a key file whose name is not <eui>[-pp]-{ds,ka}.{pem,key}, and ignores other files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets-keystore-'));
    try {
      writeFileSync(join(dir, 'README.md'), 'ignored');
      writeFileSync(
        join(dir, '90b3d51f30010000-ka.pem'),
        readFileSync(join(RTDS_KEYSTORE_DIR, '90b3d51f30010000-ka.pem')),
      );
      expect(loadKeyStoreFolder(dir).size).toBe(1);
      writeFileSync(join(dir, 'supplier-ka.pem'), 'x');
      expect(() => loadKeyStoreFolder(dir)).toThrow(
        'keystore-folder: supplier-ka.pem at byte 0: name is not <eui>[-pp]-{ds,ka}.{pem,key}',
      );
      rmSync(join(dir, 'supplier-ka.pem'));
      writeFileSync(
        join(dir, '90b3d51f30010000-ds.key'),
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      );
      expect(() => loadKeyStoreFolder(dir)).toThrow(
        expect.objectContaining({ name: 'DecodeError', path: '90b3d51f30010000-ds.key' }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAVE_VECTORS)('DCC Boxed keystore.json', () => {
  const rtds = HAVE_VECTORS ? loadKeyStoreFolder(RTDS_KEYSTORE_DIR) : undefined!;
  const z1Only = isZ1GbcsEntry;

  it('reads all 33 entries of the file, prepayment ones by their "PP-ka" names', () => {
    const entries = readDccBoxedEntries(JSON.parse(readFileSync(DCC_BOXED_JSON, 'utf8')));
    expect(entries).toHaveLength(33);
    expect(entries.filter((e) => e.prepayment).map((e) => e.name)).toEqual([
      'Z1b-supplierPP-ka',
      'Z1-supplierPP-ka',
      'Z1-supplier2PP-ka',
    ]);
  });

  it('refuses to guess between two credential generations for one slot', () => {
    expect(() => loadDccBoxedKeyStore(DCC_BOXED_JSON)).toThrow(
      'dccboxed-keystore: 90B3D51F30000007 DS at byte 0: both "Z1-wanProvider-ds" and "Z1b-wanProvider-ds" fill this slot; narrow options.include',
    );
  });

  it('loads the Z1 generation, whose keys are the ones RTDS 4.5.0 was made with', () => {
    const store = loadDccBoxedKeyStore(DCC_BOXED_JSON, { include: z1Only });
    expect(store.size).toBe(19);
    const shared = [...store.lookups()].filter((l) => rtds.publicKey(l) !== undefined);
    expect(shared).toHaveLength(15);
    // The two data sets disagree only on 90B3D51F30010008: a supplier in RTDS, a load controller (role 8) in DCC Boxed.
    const different = shared.filter((l) => !store.publicKey(l)!.equals(rtds.publicKey(l)!));
    expect(different).toEqual([
      { eui: eui64('90B3D51F30010008'), usage: 'KA' },
      { eui: eui64('90B3D51F30010008'), usage: 'DS' },
    ]);
    const ppKey = store.privateKey({ eui: SUPPLIER, usage: 'KA', prepayment: true })!;
    expect(ppKey.equals(rtds.privateKey({ eui: SUPPLIER, usage: 'KA', prepayment: true })!)).toBe(true);
  });

  it('fills an existing store, and refuses to overwrite a slot with a different key', () => {
    expect(() =>
      loadDccBoxedKeyStore(DCC_BOXED_JSON, { include: z1Only, into: loadKeyStoreFolder(RTDS_KEYSTORE_DIR) }),
    ).toThrow('"90B3D51F30010008 KA key" expected the key already stored for this slot, got a different key');
    const store = loadDccBoxedKeyStore(DCC_BOXED_JSON, {
      include: (e) => z1Only(e) && e.eui !== '90B3D51F30010008',
      into: loadKeyStoreFolder(RTDS_KEYSTORE_DIR),
    });
    expect(store.size).toBe(419 + 4);
    expect(store.privateKey({ eui: eui64('90B3D51F30010009'), usage: 'DS' })).toBeDefined();
  });

  it('refuses a file that breaks its schema, naming the JSON path', () => {
    const bad = { '90b3d51f30010000': { keyAgreement: { '12': { certificate: 'x', colour: 'blue' } } } };
    expect(() => loadDccBoxedKeyStore(bad)).toThrow(
      'dccboxed-keystore: $.90b3d51f30010000.keyAgreement.12.colour at byte 0: not allowed by the schema',
    );
    expect(() => loadDccBoxedKeyStore({ '90B3D51F30010000': {} })).toThrow(
      'dccboxed-keystore: $.90B3D51F30010000 at byte 0: expected 16 lowercase hex digits',
    );
    expect(() => loadDccBoxedKeyStore({ '90b3d51f30010000': { signing: {} } })).toThrow(
      'dccboxed-keystore: $.90b3d51f30010000.signing at byte 0: expected keyAgreement or digitalSignature',
    );
  });
});
