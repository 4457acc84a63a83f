import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/codec/bytes.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { runCli } from '../../src/cli/program.js';
import { CCS01_RESPONSE } from '../support/messages.js';
import { HAVE_VECTORS, RTDS_DIR, RTDS_KEYSTORE_DIR, vectorPath } from '../vectors.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('smets-twin CLI', () => {
  it('decodes hex into a readable tree', async () => {
    const r = await cli('gbcs', 'decode', CCS01_RESPONSE);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Message code: 0x0001 CCS01 Add Device to CHF device log');
    expect(r.out).toContain('Originator: 00-DB-12-34-56-78-90-A2');
    expect(r.out).toContain('access-response');
  });

  it('decodes base64 into the typed value as JSON', async () => {
    const r = await cli('gbcs', 'decode', Buffer.from(fromHex(CCS01_RESPONSE)).toString('base64'), '--json');
    const json = JSON.parse(r.out);
    expect(json.message.header.originatorCounter).toBe('1302');
    expect(json.message.payload.kind).toBe('dlms');
    expect(json.message.mac).toBe('A1A2A3A4A5A6A7A8A9AAABAC');
  });

  it('answers bad input with one clear error line and exit code 2', async () => {
    const r = await cli('gbcs', 'decode', 'DF0901');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'error: gbcs: grouping-header.originator-counter at byte 3: truncated: needs 4 bytes, 0 left',
    );
  });

  it('runs the demo: a seeded fleet whose messages all verify', async () => {
    const r = await cli('demo');
    expect(r.code).toBe(0);
    expect(r.out.match(/MAC: [0-9A-F]{24} \(valid\)/g)).toHaveLength(3);
  });

  describe.skipIf(!HAVE_VECTORS)('on the public vectors', () => {
    it('prints one JSON summary line for a folder', async () => {
      const r = await cli(
        'gbcs',
        'check',
        join(RTDS_DIR, '8.11_CCS01'),
        '--keys',
        RTDS_KEYSTORE_DIR,
        '--json',
      );
      expect(r.code).toBe(0);
      expect(r.out.split('\n')).toHaveLength(1);
      expect(JSON.parse(r.out)).toEqual({
        files: 4,
        decoded: 4,
        roundTrip: 4,
        mac: { valid: 4, invalid: 0, unknown: 0 },
        signature: { valid: 0, invalid: 0, unknown: 0 },
        errors: [],
      });
    });

    it('exits 1 and names the file when a message in the folder does not decode', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'smets-check-'));
      writeFileSync(join(dir, 'good.hex'), CCS01_RESPONSE);
      writeFileSync(join(dir, 'bad.hex'), CCS01_RESPONSE.slice(0, 60));
      const r = await cli('gbcs', 'check', dir, '--keys', RTDS_KEYSTORE_DIR, '--json');
      expect(r.code).toBe(1);
      const json = JSON.parse(r.out);
      expect(json).toMatchObject({ files: 2, decoded: 1, roundTrip: 1 });
      expect(json.errors).toEqual([
        { file: 'bad.hex', error: 'gbcs: mac-header.length at byte 7: says 86 bytes, but 22 follow' },
      ]);
    });

    it('signs a Pre-Command with the originator key from the store, and the signature verifies', async () => {
      const pre = join(RTDS_DIR, '11.3_CS06', 'CS06_11.3_IMMEDIATE_SUCCESS_PRECOMMAND_GBCS.HEX');
      const r = await cli('gbcs', 'sign-precommand', pre, '--keys', RTDS_KEYSTORE_DIR);
      expect(r.code).toBe(0);
      const signed = fromHex(r.out);
      expect(parseGbcs(signed).message.signature.kind).toBe('present');
      const v = await cli('gbcs', 'decode', r.out, '--keys', RTDS_KEYSTORE_DIR);
      expect(v.out).toMatch(/Signature: [0-9A-F]{128} \(valid\)/);
    });

    it('reproduces the published UTRN for counter 0x100000000, £100', async () => {
      const r = await cli(
        'utrn',
        'generate',
        '--keys',
        vectorPath('gbcs-parser', 'test', 'rtds', 'keystore'),
        '--originator',
        '90-B3-D5-1F-30-01-00-00',
        '--target',
        '00-DB-12-34-56-78-90-A0',
        '--counter',
        '0x100000000',
        '--value',
        '100',
        '--value-class',
        'pounds',
      );
      expect(r.out).toBe('73943333457189043313');
      const again = await cli(
        'utrn',
        'verify',
        r.out,
        '--keys',
        RTDS_KEYSTORE_DIR,
        '--originator',
        '90B3D51F30010000',
        '--target',
        '00DB1234567890A0',
        '--last-counter',
        '0x100000000',
      );
      expect(again.code).toBe(1);
      expect(again.out).toMatch(/^duplicate-or-old-counter/);
    });
  });

  it.skipIf(!existsSync('dist/src/cli/main.js'))('runs as the built smets-twin executable', () => {
    const out = execFileSync(process.execPath, ['dist/src/cli/main.js', 'gbcs', 'decode', CCS01_RESPONSE], {
      encoding: 'utf8',
    });
    expect(out).toContain('GBCS Response (MAC header)');
  });
});
