// The test PKI against the project's key stores: a generated fleet goes into a MemoryKeyStore directly
// (KeySink) and through an RTDS-layout folder (writeKeystoreFolder → loadKeyStoreFolder), with the same keys.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { MemoryKeyStore, loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import {
  TestPki,
  addToKeySink,
  writeKeystoreFolder,
  type TestCredential,
} from '../../src/crypto/test-pki.js';

const pki = new TestPki({ seed: 'keystore fleet', notBefore: new Date('2024-01-01T00:00:00Z') });
const fleet: TestCredential[] = [
  ...(['DS', 'KA'] as const).flatMap((usage) => [
    pki.issueDeviceCertificate({ eui: eui64('00DB1234567890A0'), deviceType: 'esme', usage }),
    pki.issueDeviceCertificate({ eui: eui64('00DB1234567890A1'), deviceType: 'gsme', usage }),
    pki.issueOrganisationCertificate({ eui: eui64('90B3D51F30010000'), role: 'supplier', usage }),
    pki.issueOrganisationCertificate({ eui: eui64('90B3D51F30000002'), role: 'accessControlBroker', usage }),
  ]),
  pki.issueOrganisationCertificate({
    eui: eui64('90B3D51F30010000'),
    role: 'supplier',
    usage: 'KA',
    prepayment: true,
  }),
];

function expectHolds(store: MemoryKeyStore): void {
  expect(store.size).toBe(fleet.length);
  for (const c of fleet) {
    const lookup = { eui: c.eui, usage: c.usage, ...(c.prepayment ? { prepayment: true } : {}) };
    expect(store.publicKey(lookup)?.equals(c.publicKey), `${c.eui} ${c.usage}`).toBe(true);
    expect(store.privateKey(lookup)?.equals(c.privateKey), `${c.eui} ${c.usage}`).toBe(true);
    expect(store.certificate(lookup)?.serialNumber).toBe(BigInt(c.serialNumber).toString(16).toUpperCase());
  }
}

describe('TestPki credentials in the project key stores', () => {
  it('fill a MemoryKeyStore through addToKeySink, the store passed as it is', () => {
    const store = new MemoryKeyStore();
    addToKeySink(store, fleet);
    expectHolds(store);
  });

  it('load back from a folder written by writeKeystoreFolder with loadKeyStoreFolder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'test-pki-keystore-'));
    try {
      expect(await writeKeystoreFolder(dir, fleet)).toHaveLength(2 * fleet.length);
      expectHolds(loadKeyStoreFolder(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
