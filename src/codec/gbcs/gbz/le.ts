// Little-endian fields of ZCL frames (ZCL 2.6: multi-octet fields go low octet first): the GBZ payloads' ZCL commands
// and the ZigBee OTA cluster and image files (src/codec/ota). GBZ's own header fields are big-endian and use the
// Reader/Writer methods directly. Paths are only read when a check fails.
import type { Reader, Writer } from '../../bytes.js';

/** Fails like Reader does when fewer than n bytes are left. */
export function need(r: Reader, n: number, path: string): void {
  const left = r.buf.length - r.pos;
  if (n > left) r.fail(path, `truncated: needs ${n} byte${n === 1 ? '' : 's'}, ${left} left`);
}

/** Unsigned little-endian integer of 1 to 6 octets (exact in a JS number). */
export function readUintLE(r: Reader, n: number, path: string): number {
  need(r, n, path);
  const b = r.buf;
  const start = r.pos;
  let v = 0;
  for (let p = start + n - 1; p >= start; p--) v = v * 256 + b[p]!;
  r.pos = start + n;
  return v;
}

export function readU16LE(r: Reader, path: string): number {
  need(r, 2, path);
  const b = r.buf;
  const v = b[r.pos]! | (b[r.pos + 1]! << 8);
  r.pos += 2;
  return v;
}

export function readU32LE(r: Reader, path: string): number {
  return readUintLE(r, 4, path);
}

/** Unsigned little-endian integer of 7 or 8 octets. */
export function readBigUintLE(r: Reader, n: number, path: string): bigint {
  need(r, n, path);
  const b = r.buf;
  const start = r.pos;
  let v = 0n;
  for (let p = start + n - 1; p >= start; p--) v = (v << 8n) | BigInt(b[p]!);
  r.pos = start + n;
  return v;
}

export function writeUintLE(w: Writer, v: number, n: number, path: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** (8 * n))
    w.fail(path, `${v} is not an unsigned ${8 * n}-bit integer`);
  for (let i = 0; i < n; i++) {
    w.u8(v % 256, path);
    v = Math.floor(v / 256);
  }
}

export function writeU16LE(w: Writer, v: number, path: string): void {
  writeUintLE(w, v, 2, path);
}

export function writeU32LE(w: Writer, v: number, path: string): void {
  writeUintLE(w, v, 4, path);
}

export function writeBigUintLE(w: Writer, v: bigint, n: number, path: string): void {
  if (typeof v !== 'bigint' || v < 0n || v >= 1n << BigInt(8 * n)) {
    w.fail(path, `${String(v)} is not an unsigned ${8 * n}-bit integer`);
  }
  for (let i = 0; i < n; i++) {
    w.u8(Number(v & 0xffn), path);
    v >>= 8n;
  }
}
