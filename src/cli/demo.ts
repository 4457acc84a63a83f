// `smets-twin demo`: a small fleet from a seeded test PKI; the ACB adds a meter to a hub's Device Log (CCS01),
// the hub answers and raises its CS14 alert; each message is sealed with the fleet's keys, then decoded and verified.
import { eui64 } from '../codec/eui64.js';
import { formatGbcs } from '../codec/gbcs/format.js';
import { parseGbcs } from '../codec/gbcs/frame.js';
import {
  addDeviceCommand,
  addDeviceResponse,
  deviceLogChangedAlert,
  dlmsDateTime,
} from '../codec/gbcs/use-cases/chf-device-log.js';
import { toHex } from '../codec/bytes.js';
import { MemoryKeyStore } from '../crypto/keystore-folder.js';
import { protectionContext, sealGbcs, verifyGbcs } from '../crypto/message-protection.js';
import { TestPki, addToKeySink } from '../crypto/test-pki.js';
import type { Io } from './io.js';

export function runDemo(io: Io, opts: { seed: string }): number {
  // Virtual time: the PKI's validity starts at a fixed instant, never the wall clock.
  const pki = new TestPki({ seed: opts.seed, notBefore: new Date('2026-01-01T00:00:00Z') });
  const acb = eui64('90-B3-D5-1F-30-00-00-02');
  const supplier = eui64('90-B3-D5-1F-30-01-00-00');
  const chf = eui64('00-DB-12-34-56-78-90-A2');
  const esme = eui64('00-DB-12-34-56-78-90-A0');
  const keys = new MemoryKeyStore();
  addToKeySink(keys, [
    pki.issueOrganisationCertificate({ eui: acb, role: 'accessControlBroker', usage: 'KA' }),
    pki.issueOrganisationCertificate({ eui: supplier, role: 'supplier', usage: 'KA' }),
    pki.issueOrganisationCertificate({ eui: supplier, role: 'supplier', usage: 'DS' }),
    pki.issueDeviceCertificate({ eui: chf, deviceType: 'chf', usage: 'KA' }),
    pki.issueDeviceCertificate({ eui: esme, deviceType: 'esme', usage: 'KA' }),
  ]);
  const ctx = protectionContext(keys, acb);
  const command = addDeviceCommand({
    acb,
    acbCounter: 0x100000001n,
    chf,
    user: supplier,
    userCounter: 1000n,
    device: esme,
    installCode: new TextEncoder().encode('0123456789ABCDEF'),
    joinTimeoutSeconds: 3600,
  });
  const now = dlmsDateTime({ year: 2026, month: 1, day: 1, hour: 9 });
  const messages = [
    ['SR 8.11 Update HAN Device Log → CCS01 command from the ACB', sealGbcs(command, ctx)],
    ["the hub's response", sealGbcs(addDeviceResponse(command), ctx)],
    [
      "the hub's CS14 alert: Device Log changed",
      sealGbcs(
        deviceLogChangedAlert({
          chf,
          acb,
          counter: 1n,
          alertTime: now,
          logTime: now,
          extendedPanId: Uint8Array.of(0, 0xdb, 0x12, 0x34, 0x56, 0x78, 0x90, 0xa2),
          entries: [{ device: esme, linkKeyHash: new Uint8Array(0) }],
        }),
        ctx,
      ),
    ],
  ] as const;
  io.out(
    `Test PKI seed "${opts.seed}": ACB, supplier, CHF and ESME credentials issued by ${pki.organisationCa.name} / ${pki.deviceCa.name}`,
  );
  let failed = 0;
  for (const [title, bytes] of messages) {
    const parsed = parseGbcs(bytes);
    const v = verifyGbcs(parsed, ctx);
    if (v.mac === 'invalid' || v.signature === 'invalid') failed++;
    io.out('');
    io.out(`== ${title} (${bytes.length} bytes)`);
    io.out(toHex(bytes));
    io.out(formatGbcs(parsed.message, { mac: v.mac, signature: v.signature }).join('\n'));
  }
  return failed === 0 ? 0 : 1;
}
