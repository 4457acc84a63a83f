// Reading a message given on the command line: a file (hex text, base64 text or raw bytes), or hex/base64 text.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DecodeError, fromHex } from '../codec/bytes.js';

const HEX_TEXT = /^[0-9a-fA-F\s]+$/;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Bytes from `<hex|base64|file>`. Text that is valid hex is read as hex, else as base64. */
export function readMessageInput(arg: string): Uint8Array {
  if (existsSync(arg) && statSync(arg).isFile()) {
    const raw = readFileSync(arg);
    const text = raw.toString('latin1').trim();
    if (text.length > 0 && HEX_TEXT.test(text) && text.replace(/\s/g, '').length % 2 === 0)
      return fromHex(text);
    if (text.length > 0 && BASE64_TEXT.test(text)) return base64(text);
    return new Uint8Array(raw);
  }
  const text = arg.trim();
  if (HEX_TEXT.test(text) && text.replace(/\s/g, '').length % 2 === 0) return fromHex(text);
  if (BASE64_TEXT.test(text) && text.length > 0) return base64(text);
  throw new DecodeError('input', 0, 'input', `"${arg.slice(0, 40)}" is neither a file, hex nor base64`);
}

function base64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'base64'));
}
