// `smets-twin serve --policy`: a bad policy file stops the server before it opens anything, with the field named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';

async function cli(...argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await runCli(argv, { out: () => {}, err: (l) => err.push(l) });
  return { code, err };
}

describe('smets-twin serve --policy', () => {
  it('refuses a policy with an unknown rule or a bad value, naming the field, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ ppmidTunnel: 'everything', interPanWindow: 60 }));
    const r = await cli('serve', '--port', '0', '--db', join(dir, 'x.db'), '--policy', file);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/ppmidTunnel/);
    expect(r.err.join('\n')).toMatch(/interPanWindow/);
  });
});
