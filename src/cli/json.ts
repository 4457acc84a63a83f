// JSON for typed values: bigint as decimal string, bytes as uppercase hex.
import { toHex } from '../codec/bytes.js';

export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

export function stringifyJson(value: unknown, indent?: number): string {
  return JSON.stringify(toJsonValue(value), null, indent);
}
