import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

interface PremiseJson {
  summary: { messages: number; invalid: number; traceHash: string };
  devices: { kind: string; joined: boolean; supply?: string }[];
  messages: { leg: string; what: string; mac: string; signature: string }[];
}

describe('smets-twin premise', () => {
  it('installs a premise, commands its ESME, and every message printed verifies', async () => {
    const r = await cli('premise', '--json');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out.join('\n')) as PremiseJson;
    expect(run.summary.invalid).toBe(0);
    expect(run.devices.every((d) => d.joined)).toBe(true);
    expect(run.devices.find((d) => d.kind === 'ESME')?.supply).toBe('enabled'); // disabled, armed, then restored
    const whats = run.messages.filter((m) => m.leg === 'wan-out').map((m) => m.what);
    for (const useCase of ['CCS01', 'CS14', 'ECS52', 'ECS43', 'ECS44'])
      expect(
        whats.some((w) => w.includes(useCase)),
        useCase,
      ).toBe(true);
    expect(run.messages.every((m) => m.mac === 'valid' || m.signature === 'valid')).toBe(true);
  });

  it('gives the same trace hash for the same seed and another for another seed', async () => {
    const hash = async (...extra: string[]) =>
      (JSON.parse((await cli('premise', '--json', ...extra)).out.join('\n')) as PremiseJson).summary
        .traceHash;
    const a = await hash();
    expect(await hash()).toBe(a);
    expect(await hash('--seed', 'another fleet')).not.toBe(a);
  });

  it('refuses a nonsense duration with a clear message', async () => {
    const r = await cli('premise', '--hours', 'soon');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/--hours expected a number of virtual hours/);
  });
});
