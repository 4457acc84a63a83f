// Typed failures of the crypto layer: a wrong-sized input, an unusable key, a failed authentication.
// Malformed message bytes are DecodeErrors (codec/bytes.ts); these cover what the codecs do not.

/** An argument of the wrong size or kind: names the argument, what was expected and what came. */
export class CryptoInputError extends RangeError {
  override readonly name = 'CryptoInputError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`"${field}" expected ${expected}, got ${got}`);
  }
}

/** AES-GCM decryption whose tag does not match: key, IV, AAD, ciphertext or tag were altered. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`"${field}" failed authentication: ${reason}`);
  }
}

/** A key the key store does not hold. */
export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
  constructor(readonly wanted: string) {
    super(MissingKeyError.messageFor(wanted));
  }

  /** The message of the error for `wanted`, for callers that report a missing key without throwing. */
  static messageFor(wanted: string): string {
    return `key store holds no ${wanted}`;
  }
}

/** Throws unless `value` is exactly `length` bytes (noble's `abytes`). */
export function expectBytes(value: Uint8Array, length: number, field: string): void {
  if (!(value instanceof Uint8Array))
    throw new CryptoInputError(field, `Uint8Array of ${length} bytes`, typeof value);
  if (value.length !== length) throw new CryptoInputError(field, `${length} bytes`, String(value.length));
}
