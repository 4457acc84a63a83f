// Byte-level primitives shared by every codec: a strict reader, a growable writer, typed errors.
// Decoders never throw anything but DecodeError; encoders never throw anything but EncodeError.

/** A decode failure: which layer, where (absolute byte offset in the outermost input), which field, why. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly layer: string,
    readonly offset: number,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${layer}: ${path} at byte ${offset}: ${reason}`);
  }
}

/** A typed value that cannot be encoded (out of range, wrong length, inconsistent fields). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  constructor(
    readonly layer: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${layer}: cannot encode ${path}: ${reason}`);
  }
}

const HEX = '0123456789ABCDEF';
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

/** Uppercase hex, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]!];
  return s;
}

/** Parses hex, ignoring whitespace, ':' and '-' separators. Throws DecodeError on odd length or a non-hex digit. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:-]/g, '');
  if (clean.length % 2 !== 0)
    throw new DecodeError('hex', 0, 'hex', `odd number of hex digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(clean.charCodeAt(2 * i));
    const lo = hexNibble(clean.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0)
      throw new DecodeError('hex', i, 'hex', `not a hex digit in "${clean.slice(2 * i, 2 * i + 2)}"`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Strict big-endian reader. Offsets in errors are absolute: `base` is where this reader's
 * first byte sits in the outermost message, so nested decoders report positions a person can find.
 */
export class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly layer: string,
    readonly base = 0,
  ) {}

  get offset(): number {
    return this.base + this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  get atEnd(): boolean {
    return this.pos >= this.buf.length;
  }

  fail(path: string, reason: string, at: number = this.offset): never {
    throw new DecodeError(this.layer, at, path, reason);
  }

  private need(n: number, path: string): void {
    if (n > this.buf.length - this.pos) {
      this.fail(path, `truncated: needs ${n} byte${n === 1 ? '' : 's'}, ${this.buf.length - this.pos} left`);
    }
  }

  peek(path: string): number {
    this.need(1, path);
    return this.buf[this.pos]!;
  }
  u8(path: string): number {
    this.need(1, path);
    return this.buf[this.pos++]!;
  }
  i8(path: string): number {
    const v = this.u8(path);
    return v >= 0x80 ? v - 0x100 : v;
  }
  u16(path: string): number {
    this.need(2, path);
    const b = this.buf;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  i16(path: string): number {
    const v = this.u16(path);
    return v >= 0x8000 ? v - 0x10000 : v;
  }
  u32(path: string): number {
    this.need(4, path);
    const b = this.buf;
    const p = this.pos;
    const v = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    this.pos += 4;
    return v;
  }
  i32(path: string): number {
    const v = this.u32(path);
    return v >= 0x80000000 ? v - 0x100000000 : v;
  }
  u64(path: string): bigint {
    const hi = this.u32(path);
    const lo = this.u32(path);
    // One BigInt instead of three while the value is exact as a double (below 2^53), as GBCS counters are.
    return hi < 0x200000 ? BigInt(hi * 0x100000000 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }
  i64(path: string): bigint {
    return BigInt.asIntN(64, this.u64(path));
  }
  /** A copy of the next n bytes. */
  bytes(n: number, path: string): Uint8Array {
    this.need(n, path);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Steps over the next n bytes and returns where they start in buf: for fields read in place, with no copy. */
  skip(n: number, path: string): number {
    this.need(n, path);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }
  expect(value: number, path: string): void {
    const at = this.offset;
    const got = this.u8(path);
    if (got !== value) this.fail(path, `expected 0x${hex2(value)}, got 0x${hex2(got)}`, at);
  }

  /**
   * BER / A-XDR length (GBCS 2.1, DLMS IEC 62056-5-3): one byte below 0x80, else 0x8n and n length bytes.
   * Indefinite form, more than 4 length bytes and non-minimal forms are refused.
   */
  length(path: string): number {
    const at = this.offset;
    const first = this.u8(path);
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0) this.fail(path, 'indefinite length (0x80) is not allowed', at);
    if (n > 4) this.fail(path, `length of ${n} octets is not supported`, at);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.u8(path);
    if (v < 0x80 || (n > 1 && v < 2 ** (8 * (n - 1))))
      this.fail(path, `non-minimal length encoding (${n} octets for ${v})`, at);
    return v;
  }

  /** A reader over the next n bytes (advancing this one), keeping absolute offsets. */
  sub(n: number, path: string): Reader {
    this.need(n, path);
    const r = new Reader(this.buf.subarray(this.pos, this.pos + n), this.layer, this.offset);
    this.pos += n;
    return r;
  }

  /** Throws unless every byte was consumed. */
  finish(path: string): void {
    if (this.pos !== this.buf.length) {
      this.fail(
        path,
        `${this.buf.length - this.pos} unexpected byte(s) left over: ${toHex(this.buf.subarray(this.pos, this.pos + 16))}${this.buf.length - this.pos > 16 ? '…' : ''}`,
      );
    }
  }
}

function hex2(v: number): string {
  return BYTE_HEX[v & 0xff]!;
}

/** Growable big-endian writer. */
export class Writer {
  private buf: Uint8Array;
  pos = 0;
  constructor(
    readonly layer: string,
    capacity = 256,
  ) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  fail(path: string, reason: string): never {
    throw new EncodeError(this.layer, path, reason);
  }

  u8(v: number, path = 'u8'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) this.fail(path, `${v} is not an unsigned 8-bit integer`);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }
  i8(v: number, path = 'i8'): this {
    if (!Number.isInteger(v) || v < -0x80 || v > 0x7f) this.fail(path, `${v} is not a signed 8-bit integer`);
    return this.u8(v & 0xff, path);
  }
  u16(v: number, path = 'u16'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      this.fail(path, `${v} is not an unsigned 16-bit integer`);
    this.ensure(2);
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  i16(v: number, path = 'i16'): this {
    if (!Number.isInteger(v) || v < -0x8000 || v > 0x7fff)
      this.fail(path, `${v} is not a signed 16-bit integer`);
    return this.u16(v & 0xffff, path);
  }
  u32(v: number, path = 'u32'): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      this.fail(path, `${v} is not an unsigned 32-bit integer`);
    this.ensure(4);
    this.buf[this.pos++] = v >>> 24;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  i32(v: number, path = 'i32'): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff)
      this.fail(path, `${v} is not a signed 32-bit integer`);
    return this.u32(v >>> 0, path);
  }
  u64(v: bigint, path = 'u64'): this {
    if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn)
      this.fail(path, `${String(v)} is not an unsigned 64-bit integer`);
    this.u32(Number(v >> 32n), path);
    return this.u32(Number(v & 0xffffffffn), path);
  }
  i64(v: bigint, path = 'i64'): this {
    if (typeof v !== 'bigint' || v < -(2n ** 63n) || v >= 2n ** 63n)
      this.fail(path, `${String(v)} is not a signed 64-bit integer`);
    return this.u64(BigInt.asUintN(64, v), path);
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  /** Fixed-length field: refuses any other length. */
  fixed(b: Uint8Array, n: number, path: string): this {
    if (!(b instanceof Uint8Array) || b.length !== n)
      this.fail(path, `expected ${n} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`);
    return this.bytes(b);
  }
  /** Minimal BER / A-XDR length. */
  length(n: number, path = 'length'): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) this.fail(path, `${n} is not a valid length`);
    if (n < 0x80) return this.u8(n);
    const octets = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    this.u8(0x80 | octets);
    for (let i = octets - 1; i >= 0; i--) this.u8(Math.floor(n / 2 ** (8 * i)) & 0xff);
    return this;
  }
  /** Length-prefixed bytes. */
  lengthPrefixed(b: Uint8Array, path = 'value'): this {
    return this.length(b.length, path).bytes(b);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
