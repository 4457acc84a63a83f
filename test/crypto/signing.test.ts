// GBCS signatures on RTDS 4.5.0 Pre-Commands and Commands: the Command is the Pre-Command ‖ 40 ‖ r‖s, and the
// signature covers the Pre-Command after its 0xDF tag. Keys from the RTDS keystore folder.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/codec/bytes.js';
import { eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { loadKeyStoreFolder, type MemoryKeyStore } from '../../src/crypto/keystore-folder.js';
import { signPreCommand, signedSpan, verifyGbcsSpan } from '../../src/crypto/signing.js';
import { rtdsFiles } from '../support/rtds.js';
import { RTDS_KEYSTORE_DIR } from '../vectors.js';
import { HAVE_VECTORS, rtdsMessage } from './support.js';

const SUPPLIER_DS = { eui: eui64('90B3D51F30010000'), usage: 'DS' as const };

describe.skipIf(!HAVE_VECTORS)('Pre-Command signing (CS03A1 Method A join, RTDS 4.5.0)', () => {
  const store: MemoryKeyStore = HAVE_VECTORS ? loadKeyStoreFolder(RTDS_KEYSTORE_DIR) : undefined!;
  const preCommand = HAVE_VECTORS
    ? rtdsMessage('8.7.1_CS03A1/CS03A1_8.7.1_SUCCESS_PRECOMMAND_GBCS.HEX')
    : undefined!;
  const command = HAVE_VECTORS
    ? rtdsMessage('8.7.1_CS03A1/CS03A1_8.7.1_SUCCESS_COMMAND_GBCS.HEX')
    : undefined!;

  it('the RTDS Command carries the Pre-Command followed by 40 and a signature that verifies over it', () => {
    expect(preCommand).toHaveLength(52);
    const { message, spans } = parseGbcs(command);
    expect(toHex(command.subarray(spans.apduStart, spans.contentEnd))).toBe(toHex(preCommand));
    expect(message.signature.kind).toBe('present');
    if (message.signature.kind !== 'present') return;
    const span = signedSpan(command, spans);
    expect(toHex(span)).toBe(toHex(preCommand.subarray(1)));
    expect(verifyGbcsSpan(store.publicKey(SUPPLIER_DS)!, span, message.signature.value)).toBe(true);
  });

  it('signs a Pre-Command into Pre-Command ‖ 40 ‖ r‖s that verifies with the supplier DS key', () => {
    const signed = signPreCommand(preCommand, store.privateKey(SUPPLIER_DS)!);
    expect(signed).toHaveLength(preCommand.length + 65);
    expect(toHex(signed.subarray(0, preCommand.length))).toBe(toHex(preCommand));
    expect(signed[preCommand.length]).toBe(0x40);
    const { message, spans } = parseGbcs(signed);
    expect(message.signature.kind).toBe('present');
    if (message.signature.kind !== 'present') return;
    expect(
      verifyGbcsSpan(store.publicKey(SUPPLIER_DS)!, signedSpan(signed, spans), message.signature.value),
    ).toBe(true);
  });

  it('replaces a trailing empty signature element (0x00) instead of keeping it', () => {
    const withEmpty = new Uint8Array(preCommand.length + 1);
    withEmpty.set(preCommand);
    const signed = signPreCommand(withEmpty, store.privateKey(SUPPLIER_DS)!);
    expect(signed).toHaveLength(preCommand.length + 65);
    expect(toHex(signed.subarray(0, preCommand.length + 1))).toBe(toHex(preCommand) + '40');
  });

  it('does not verify under another party’s DS key', () => {
    const signed = signPreCommand(preCommand, store.privateKey(SUPPLIER_DS)!);
    const { message, spans } = parseGbcs(signed);
    if (message.signature.kind !== 'present') throw new Error('unsigned');
    const networkOperator = store.publicKey({ eui: eui64('90B3D51F30020000'), usage: 'DS' })!;
    expect(verifyGbcsSpan(networkOperator, signedSpan(signed, spans), message.signature.value)).toBe(false);
  });

  it('refuses to sign a Command that is already signed, or a message with a MAC header', () => {
    const { spans } = parseGbcs(command);
    const signedApdu = command.subarray(spans.apduStart, spans.apduEnd);
    expect(() => signPreCommand(signedApdu, store.privateKey(SUPPLIER_DS)!)).toThrow(
      expect.objectContaining({
        name: 'DecodeError',
        message: `gbcs.signature: pre-command.signature at byte ${preCommand.length}: is already signed`,
      }),
    );
    expect(() => signPreCommand(command, store.privateKey(SUPPLIER_DS)!)).toThrow(
      'gbcs.signature: pre-command at byte 0: starts with a MAC header (0xDD); a Pre-Command is a bare General-Signing APDU (0xDF)',
    );
  });

  it('refuses a truncated Pre-Command with the frame codec’s DecodeError', () => {
    expect(() =>
      signPreCommand(preCommand.subarray(0, preCommand.length - 3), store.privateKey(SUPPLIER_DS)!),
    ).toThrow(expect.objectContaining({ name: 'DecodeError' }));
  });
});

describe.skipIf(!HAVE_VECTORS)('GBCS signatures over RTDS 4.5.0', () => {
  it('verifies the signature of every one of the 138 RTDS Commands over its Pre-Command', () => {
    const store = loadKeyStoreFolder(RTDS_KEYSTORE_DIR);
    const files = new Map(rtdsFiles().map((f) => [f.name, f.bytes]));
    const outcome = { verified: 0, failed: [] as string[] };
    for (const [name, pre] of files) {
      if (!name.includes('_PRECOMMAND_')) continue;
      const cmd = files.get(name.replace('_PRECOMMAND_', '_COMMAND_'))!;
      const p = parseGbcs(pre);
      const c = parseGbcs(cmd);
      const signer = store.publicKey({ eui: p.message.header.originator, usage: 'DS' })!;
      const sameBytes = toHex(cmd.subarray(c.spans.apduStart, c.spans.contentEnd)) === toHex(pre);
      const ok =
        p.message.signature.kind === 'absent' &&
        c.message.signature.kind === 'present' &&
        sameBytes &&
        verifyGbcsSpan(signer, signedSpan(pre, p.spans), c.message.signature.value);
      if (ok) outcome.verified++;
      else outcome.failed.push(name);
    }
    expect(outcome.failed).toEqual([]);
    expect(outcome.verified).toBe(138);
  });
});
