// `smets-twin gbcs …`: decode a message, check a folder of messages, sign a Pre-Command, segment into GBT blocks.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DecodeError, EncodeError, bytesEqual, toHex } from '../codec/bytes.js';
import { eui64, type Eui64 } from '../codec/eui64.js';
import { formatGbcs } from '../codec/gbcs/format.js';
import { encodeGbcs, parseGbcs } from '../codec/gbcs/frame.js';
import { decodeGbtBlock, encodeGbtBlock, isGbtBlock, segmentGbcs } from '../codec/gbcs/gbt.js';
import { readPkcs8PrivateKey } from '../crypto/keystore-folder.js';
import type { KeyStore } from '../crypto/keystore.js';
import {
  protectionContext,
  verifyGbcs,
  type CheckOutcome,
  type GbcsVerification,
} from '../crypto/message-protection.js';
import { signPreCommand } from '../crypto/signing.js';
import { readMessageInput } from './input.js';
import { stringifyJson } from './json.js';
import { loadKeys } from './keys.js';
import { filesUnder } from './files.js';
import type { Io } from './io.js';

/** DCC's ACB in the public test data (domain brief §1). */
export const DEFAULT_ACB = '90-B3-D5-1F-30-00-00-02';

export interface DecodeOptions {
  json?: boolean;
  keys?: string;
  acb?: string;
}

export function gbcsDecode(io: Io, input: string, opts: DecodeOptions): number {
  const bytes = readMessageInput(input);
  if (isGbtBlock(bytes)) {
    const block = decodeGbtBlock(bytes);
    io.out(
      opts.json
        ? stringifyJson({ gbtBlock: block }, 2)
        : `GBT block ${block.blockNumber}${block.lastBlock ? ' (last)' : ''} of 0x${block.messageCode.toString(16).padStart(4, '0')}, ${block.data.length} data octets`,
    );
    return 0;
  }
  const parsed = parseGbcs(bytes);
  let verification: GbcsVerification | undefined;
  if (opts.keys !== undefined) {
    verification = verifyGbcs(parsed, protectionContext(loadKeys(opts.keys), eui64(opts.acb ?? DEFAULT_ACB)));
  }
  if (opts.json) {
    io.out(stringifyJson({ message: parsed.message, ...(verification && { verification }) }, 2));
  } else {
    io.out(
      formatGbcs(
        parsed.message,
        verification ? { mac: verification.mac, signature: verification.signature } : {},
      ).join('\n'),
    );
    for (const note of verification?.notes ?? []) io.out(`  note: ${note}`);
  }
  return verification && (verification.mac === 'invalid' || verification.signature === 'invalid') ? 1 : 0;
}

export interface CheckSummary {
  files: number;
  decoded: number;
  roundTrip: number;
  mac: Record<'valid' | 'invalid' | 'unknown', number>;
  signature: Record<'valid' | 'invalid' | 'unknown', number>;
  errors: { file: string; error: string }[];
}

/**
 * Decodes every message file under `dir`, re-encodes it, and verifies MAC and signature where the keys allow.
 * Counts cover the messages that carry a MAC / a signature; `unknown` = the store lacks a key to check it.
 */
export function checkFolder(dir: string, keys: KeyStore | undefined, acb: Eui64): CheckSummary {
  const summary: CheckSummary = {
    files: 0,
    decoded: 0,
    roundTrip: 0,
    mac: { valid: 0, invalid: 0, unknown: 0 },
    signature: { valid: 0, invalid: 0, unknown: 0 },
    errors: [],
  };
  const ctx = keys === undefined ? undefined : protectionContext(keys, acb);
  const count = (into: CheckSummary['mac'], outcome: CheckOutcome): void => {
    if (outcome !== 'none') into[outcome]++;
  };
  for (const path of filesUnder(dir)) {
    summary.files++;
    const file = relative(dir, path);
    try {
      const bytes = readMessageInput(path);
      if (isGbtBlock(bytes)) {
        const block = decodeGbtBlock(bytes);
        summary.decoded++;
        if (bytesEqual(encodeGbtBlock(block), bytes)) summary.roundTrip++;
        else summary.errors.push({ file, error: 'GBT block does not re-encode to the same bytes' });
        continue;
      }
      const parsed = parseGbcs(bytes);
      summary.decoded++;
      if (bytesEqual(encodeGbcs(parsed.message), bytes)) summary.roundTrip++;
      else summary.errors.push({ file, error: 'does not re-encode to the same bytes' });
      if (ctx === undefined) {
        if (parsed.message.mac !== null) summary.mac.unknown++;
        if (parsed.message.signature.kind === 'present') summary.signature.unknown++;
      } else {
        const v = verifyGbcs(parsed, ctx);
        count(summary.mac, v.mac);
        count(summary.signature, v.signature);
      }
    } catch (e) {
      if (!(e instanceof DecodeError) && !(e instanceof EncodeError)) throw e;
      summary.errors.push({ file, error: e.message });
    }
  }
  return summary;
}

export function gbcsCheck(
  io: Io,
  dir: string,
  opts: { keys?: string; acb?: string; json?: boolean },
): number {
  const summary = checkFolder(
    dir,
    opts.keys === undefined ? undefined : loadKeys(opts.keys),
    eui64(opts.acb ?? DEFAULT_ACB),
  );
  if (opts.json) io.out(JSON.stringify(summary));
  else {
    io.out(
      `${summary.files} files: ${summary.decoded} decoded, ${summary.roundTrip} round-trip byte-identical`,
    );
    io.out(`MAC: ${summary.mac.valid} valid, ${summary.mac.invalid} invalid, ${summary.mac.unknown} unknown`);
    io.out(
      `signature: ${summary.signature.valid} valid, ${summary.signature.invalid} invalid, ${summary.signature.unknown} unknown`,
    );
    for (const e of summary.errors) io.out(`error: ${e.file}: ${e.error}`);
  }
  return summary.errors.length > 0 || summary.decoded < summary.files || summary.roundTrip < summary.files
    ? 1
    : 0;
}

/** Signs a Pre-Command with a PKCS#8 key file, or with the originator's DS key from a key store. */
export function gbcsSignPreCommand(
  io: Io,
  input: string,
  opts: { key?: string; keys?: string; json?: boolean; base64?: boolean },
): number {
  const preCommand = readMessageInput(input);
  let key;
  if (opts.key !== undefined) {
    key = readPkcs8PrivateKey(readFileSync(opts.key), opts.key);
  } else if (opts.keys !== undefined) {
    const originator = parseGbcs(preCommand).message.header.originator;
    key = loadKeys(opts.keys).privateKey({ eui: originator, usage: 'DS' });
    if (key === undefined)
      throw new DecodeError('cli', 0, '--keys', `no DS private key for the originator ${originator}`);
  } else {
    throw new DecodeError('cli', 0, 'sign-precommand', 'give --key <pkcs8 file> or --keys <store>');
  }
  const signed = signPreCommand(preCommand, key);
  const text = opts.base64 === true ? Buffer.from(signed).toString('base64') : toHex(signed);
  io.out(opts.json ? JSON.stringify({ signedPreCommand: text }) : text);
  return 0;
}

/** Splits a message into GBT blocks (GBCS sizing by default) and prints one block per line, in hex. */
export function gbcsSegment(io: Io, input: string, opts: { blockOctets?: string }): number {
  const blocks = segmentGbcs(
    readMessageInput(input),
    opts.blockOctets === undefined ? {} : { maxBlockOctets: Number(opts.blockOctets) },
  );
  for (const b of blocks) io.out(toHex(encodeGbtBlock(b)));
  return 0;
}
