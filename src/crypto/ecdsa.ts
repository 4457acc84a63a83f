// ECDSA on P-256 with SHA-256 (FIPS 186-4 §6, SEC 1 §4.1), the GBCS signature primitive: signatures are
// raw r‖s (IEEE P1363, 64 bytes), keys are node KeyObjects; raw keys enter and leave through JWK.
import { createECDH, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { CryptoInputError, expectBytes } from './errors.js';
import { assertP256 } from './ecdh.js';

export const P256_SIGNATURE_LENGTH = 64;
const COORDINATE = 32;

/** Signs SHA-256(message). ECDSA is randomised: two signatures of one message differ; both verify. */
export function signP256(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  assertP256(privateKey, 'private', 'privateKey');
  return sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

/** True iff `signature` (r‖s) is valid for `message` under `publicKey`. A signature of the wrong size throws. */
export function verifyP256(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  assertP256(publicKey, 'public', 'publicKey');
  expectBytes(signature, P256_SIGNATURE_LENGTH, 'signature');
  return verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
}

/** Imports a 32-byte private scalar d; the public point is computed from d, never taken on trust. */
export function p256PrivateKeyFromRaw(d: Uint8Array): KeyObject {
  expectBytes(d, COORDINATE, 'privateKey');
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(d);
  } catch {
    throw new CryptoInputError('privateKey', 'a scalar in [1, n-1] for P-256', 'a value outside that range');
  }
  const point = ecdh.getPublicKey(); // 04 ‖ X ‖ Y
  return createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: base64url(d),
      x: base64url(point.subarray(1, 33)),
      y: base64url(point.subarray(33)),
    },
    format: 'jwk',
  });
}

/** Imports a public key given as X‖Y (64 bytes) or uncompressed 04‖X‖Y (65 bytes); a point off the curve is refused. */
export function p256PublicKeyFromRaw(point: Uint8Array): KeyObject {
  let xy = point;
  if (point.length === 2 * COORDINATE + 1 && point[0] === 0x04) xy = point.subarray(1);
  else expectBytes(point, 2 * COORDINATE, 'publicKey');
  try {
    return createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: base64url(xy.subarray(0, COORDINATE)),
        y: base64url(xy.subarray(COORDINATE)),
      },
      format: 'jwk',
    });
  } catch {
    throw new CryptoInputError('publicKey', 'a point on P-256', 'coordinates that are not on the curve');
  }
}

/** X‖Y (64 bytes) of a P-256 public key, or of the public half of a private key. */
export function p256PublicKeyToRaw(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  assertP256(pub, 'public', 'publicKey');
  const jwk = pub.export({ format: 'jwk' });
  const out = new Uint8Array(2 * COORDINATE);
  out.set(fromBase64url(jwk.x, 'publicKey.x'), 0);
  out.set(fromBase64url(jwk.y, 'publicKey.y'), COORDINATE);
  return out;
}

/** The 32-byte private scalar d. */
export function p256PrivateKeyToRaw(key: KeyObject): Uint8Array {
  assertP256(key, 'private', 'privateKey');
  return fromBase64url(key.export({ format: 'jwk' }).d, 'privateKey.d');
}

function base64url(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
}

function fromBase64url(s: string | undefined, field: string): Uint8Array {
  const b = Buffer.from(s ?? '', 'base64url');
  // JWK coordinates are fixed-width (RFC 7518 §6.2.1.2), so anything else is a broken export.
  if (b.length !== COORDINATE) throw new CryptoInputError(field, `${COORDINATE} bytes`, String(b.length));
  return b;
}
