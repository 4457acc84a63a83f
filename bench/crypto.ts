// Measures what the GBCS crypto costs per message on one core (a script, not a test):
//   npm run bench:crypto
// Prints one JSON line per measurement: CPU µs per operation (best round) and operations per CPU-second.
import { generateKeyPairSync } from 'node:crypto';
import { eui64 } from '../src/codec/eui64.js';
import { SharedSecretCache, ecdhP256 } from '../src/crypto/ecdh.js';
import { signP256, verifyP256 } from '../src/crypto/ecdsa.js';
import { computeGbcsMac, decryptGbcsPayload, encryptGbcsPayload, verifyGbcsMac } from '../src/crypto/mac.js';
import { generateUtrn, verifyUtrn } from '../src/crypto/utrn.js';

/**
 * Process CPU time (user + system), not wall time, so other processes sharing the core do not inflate the figure;
 * best of several rounds.
 */
function measure(name: string, run: () => unknown, rounds = 7, roundMs = 300): void {
  for (let i = 0; i < 500; i++) run(); // warm-up
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = process.cpuUsage();
    let cpuUs = 0;
    while (cpuUs < roundMs * 1000) {
      for (let i = 0; i < 32; i++) run();
      n += 32;
      const used = process.cpuUsage(start);
      cpuUs = used.user + used.system;
    }
    best = Math.min(best, cpuUs / n);
    total += n;
  }
  console.log(
    JSON.stringify({
      name,
      usPerOp: Number(best.toFixed(2)),
      opsPerSecond: Math.round(1e6 / best),
      n: total,
    }),
  );
}

/** A General-Signing APDU of `length` bytes: DF 09 01 counter 08 originator 08 recipient 00 02 code, content, 40 r‖s. */
function apdu(length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set([
    0xdf, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0x08, 0x90, 0xb3, 0xd5, 0x1f, 0x30, 0x01, 0, 0, 0x08,
    0x00, 0xdb, 0x12, 0x34, 0x56, 0x78, 0x90, 0xa0,
  ]);
  for (let i = 29; i < length; i++) out[i] = (i * 131) & 0xff;
  return out;
}

const acb = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const cache = new SharedSecretCache();
const small = apdu(169); // the GBCS 18.4 ECS04b APDU is 169 bytes
const large = apdu(1263); // the GFI ECS01a tariff APDU
const mac = computeGbcsMac(cache.secret(acb.privateKey, device.publicKey), small);

measure('ECDH P-256 (cache miss)', () => ecdhP256(acb.privateKey, device.publicKey));
measure('cached Z lookup', () => cache.secret(acb.privateKey, device.publicKey));
measure('GBCS MAC, 169-byte APDU (cached Z + KDF + GMAC)', () =>
  computeGbcsMac(cache.secret(acb.privateKey, device.publicKey), small),
);
measure('GBCS MAC verify, 169-byte APDU (cached Z + KDF + GMAC + compare)', () =>
  verifyGbcsMac(cache.secret(acb.privateKey, device.publicKey), small, mac),
);
measure('GBCS MAC, 1263-byte APDU (cached Z + KDF + GMAC)', () =>
  computeGbcsMac(cache.secret(acb.privateKey, device.publicKey), large),
);

const parties = { originator: small.subarray(12, 20), counter: 1000n, recipient: small.subarray(21, 29) };
const z = cache.secret(acb.privateKey, device.publicKey);
const sealed = encryptGbcsPayload(z, parties, new Uint8Array(26));
measure('decrypt 26-byte data item (KDF + AES-GCM)', () => decryptGbcsPayload(z, parties, sealed));

const signed = small.subarray(1, 169 - 65);
const signature = signP256(acb.privateKey, signed);
measure('ECDSA P-256 sign', () => signP256(acb.privateKey, signed));
measure('ECDSA P-256 verify', () => verifyP256(acb.publicKey, signed, signature));

const supplier = eui64('90B3D51F30010000');
const meter = eui64('00DB1234567890A0');
const utrn = generateUtrn(z, {
  originator: supplier,
  device: meter,
  counter: 5n << 32n,
  value: 1000,
  valueClass: 'pence',
}).utrn;
measure('UTRN generate (cached Z)', () =>
  generateUtrn(z, {
    originator: supplier,
    device: meter,
    counter: 5n << 32n,
    value: 1000,
    valueClass: 'pence',
  }),
);
measure('UTRN verify (cached Z)', () =>
  verifyUtrn(utrn, {
    originator: supplier,
    device: meter,
    lastAcceptedCounter: 4n << 32n,
    sharedSecret: () => z,
  }),
);
