import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { HAVE_VECTORS, vectorPath } from '../vectors.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.skipIf(!HAVE_VECTORS)('smets-twin duis', () => {
  const template = vectorPath('duis-templates', 'templates', 'CCS02_8.11_SUCCESS_REQUEST_DUIS.XML');
  const keys = vectorPath('dccboxed-keystore', 'keystore.json');
  const dir = mkdtempSync(join(tmpdir(), 'smets-duis-'));

  it('signs a request with a fresh counter, and the signature verifies and the document validates', async () => {
    const out = join(dir, 'signed.xml');
    expect((await cli('duis', 'sign', template, '--keys', keys, '-o', out)).code).toBe(0);
    const signed = readFileSync(out, 'utf8');
    expect(signed).not.toContain(':1002</sr:RequestID>');
    expect(signed).toMatch(/<ds:SignatureValue>[A-Za-z0-9+/=]+<\/ds:SignatureValue>/);
    const verified = await cli('duis', 'verify', out, '--keys', keys);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toMatch(/^valid: signed by 90B3D51F30010000/);
    expect((await cli('duis', 'validate', out)).code).toBe(0);
  });

  it('keeps the counter with --preserve-counter', async () => {
    const r = await cli('duis', 'sign', template, '--keys', keys, '--preserve-counter');
    expect(r.out).toContain(
      '<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1002</sr:RequestID>',
    );
  });

  it('refuses a tampered signed request with the reason, exit 1', async () => {
    const r = await cli('duis', 'sign', template, '--keys', keys, '--preserve-counter');
    const tampered = join(dir, 'tampered.xml');
    writeFileSync(
      tampered,
      r.out.replace(
        '<sr:ServiceReference>8.11</sr:ServiceReference>',
        '<sr:ServiceReference>8.9</sr:ServiceReference>',
      ),
    );
    const v = await cli('duis', 'verify', tampered, '--keys', keys, '--json');
    expect(v.code).toBe(1);
    expect(JSON.parse(v.out)).toMatchObject({ valid: false, reason: 'digest-mismatch' });
  });

  it('names the element path and the rule a schema-invalid document breaks', async () => {
    const bad = join(dir, 'bad.xml');
    writeFileSync(
      bad,
      readFileSync(template, 'utf8').replace(
        '<sr:CommandVariant>1</sr:CommandVariant>',
        '<sr:CommandVariant>12</sr:CommandVariant>',
      ),
    );
    const r = await cli('duis', 'validate', bad, '--json');
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out);
    expect(result.valid).toBe(false);
    expect(result.errors[0].path).toBe('/sr:Request/sr:Header/sr:CommandVariant');
  });

  it('shows the typed request', async () => {
    const r = await cli('duis', 'show', template);
    const json = JSON.parse(r.out);
    expect(json.request.header.requestId).toEqual({
      originator: '90B3D51F30010000',
      target: '00DB1234567890A2',
      counter: '1002',
    });
    expect(json.request.header.serviceReferenceVariant).toBe('8.11');
  });

  it('checks a folder and prints one JSON summary line', async () => {
    const r = await cli('duis', 'check', vectorPath('duis-parser', 'test', 'resources'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ files: 5, parsed: 5, schemaValid: 5, roundTrip: 5, errors: [] });
  });

  it('refuses the XXE fixture with a clear error, fetching nothing', async () => {
    const r = await cli(
      'duis',
      'show',
      vectorPath('dccboxed-signing-tool', 'src', 'test', 'resources', 'duis-xxe.xml'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: xml: line \d+, column \d+: DTDs are not allowed/);
  });
});
