// Policy files (issue 6): a JSON object whose fields override DEFAULT_POLICY, each checked; unknown fields and bad
// values are refused with a PolicyError naming the field path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PolicyError, loadPolicyFile, parsePolicy, type PolicyIssue } from '../src/policy-file.js';
import { DEFAULT_POLICY } from '../src/policy.js';

const dir = mkdtempSync(join(tmpdir(), 'smets-twin-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The issues parsePolicy raises for `input`. */
function issues(input: unknown): readonly PolicyIssue[] {
  try {
    parsePolicy(input);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as PolicyError).issues;
  }
  throw new Error('expected a PolicyError');
}

describe('defaults and overrides', () => {
  it('gives the default policy for an empty object', () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
  });

  it('replaces the fields given and keeps the others', () => {
    const p = parsePolicy({ interPanWindowMinutes: null, localFirmwareUpgrade: 'allowed' });
    expect(p).toEqual({ ...DEFAULT_POLICY, interPanWindowMinutes: null, localFirmwareUpgrade: 'allowed' });
  });

  it('takes every field at once, with the use cases of a subset tunnel', () => {
    const p = parsePolicy({
      interPanWindowMinutes: 120,
      hhtCommandValidityHours: 0.5,
      localFirmwareUpgrade: 'banned',
      ppmidTunnel: 'subset',
      ppmidTunnelUseCases: ['CS01a', 'ECS42'],
      triage: 'reset',
      triageRoles: ['RSA'],
      firmwareImageLimitKb: 1000,
      firmwareConsumerRefusal: 'allowed',
    });
    expect(p).toEqual({
      interPanWindowMinutes: 120,
      hhtCommandValidityHours: 0.5,
      localFirmwareUpgrade: 'banned',
      ppmidTunnel: 'subset',
      ppmidTunnelUseCases: ['CS01a', 'ECS42'],
      triage: 'reset',
      triageRoles: ['RSA'],
      firmwareImageLimitKb: 1000,
      firmwareConsumerRefusal: 'allowed',
    });
  });

  it('defaults the firmware rules to the seed: a 750 kB image limit [S], no consumer refusal', () => {
    expect(parsePolicy({})).toMatchObject({
      firmwareImageLimitKb: 750,
      firmwareConsumerRefusal: 'not-offered',
    });
  });

  it('returns a frozen policy', () => {
    const p = parsePolicy({ ppmidTunnel: 'subset', ppmidTunnelUseCases: ['CS01a'] });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.ppmidTunnelUseCases)).toBe(true);
  });
});

describe('bad input', () => {
  it.each([null, [], 'policy', 42])('refuses %j: not an object', (input) => {
    expect(issues(input)).toEqual([{ path: '', message: expect.stringMatching(/expected a JSON object/) }]);
  });

  it('refuses unknown fields, naming each and listing the known ones', () => {
    expect(issues({ interPanWindow: 60, extra: true })).toEqual([
      { path: 'interPanWindow', message: expect.stringMatching(/^unknown field .*interPanWindowMinutes/) },
      { path: 'extra', message: expect.stringMatching(/^unknown field/) },
    ]);
  });

  it.each<[string, unknown]>([
    ['interPanWindowMinutes', -1],
    ['interPanWindowMinutes', 1.5],
    ['interPanWindowMinutes', '60'],
    ['interPanWindowMinutes', 10_000_000],
    ['hhtCommandValidityHours', 0],
    ['hhtCommandValidityHours', null],
    ['hhtCommandValidityHours', Number.POSITIVE_INFINITY],
    ['localFirmwareUpgrade', 'sometimes'],
    ['ppmidTunnel', 'all'],
    ['ppmidTunnelUseCases', 'CS01a'],
    ['firmwareImageLimitKb', 0],
    ['firmwareImageLimitKb', 20_000],
    ['firmwareImageLimitKb', '750'],
    ['firmwareConsumerRefusal', 'sometimes'],
  ])('refuses %s = %j, naming the field', (field, value) => {
    expect(issues({ [field]: value })).toEqual([{ path: field, message: expect.any(String) }]);
  });

  it('refuses use cases the message-code table does not know, and duplicates, by index', () => {
    expect(issues({ ppmidTunnel: 'subset', ppmidTunnelUseCases: ['CS01a', 'XYZ99', 7, 'CS01a'] })).toEqual([
      {
        path: 'ppmidTunnelUseCases[1]',
        message: "'XYZ99' is not a GBCS use case the message-code table knows",
      },
      { path: 'ppmidTunnelUseCases[2]', message: 'expected a use-case name, got 7' },
      { path: 'ppmidTunnelUseCases[3]', message: "'CS01a' is listed twice" },
    ]);
  });

  it('refuses use cases unless the tunnel mode is subset', () => {
    expect(issues({ ppmidTunnelUseCases: ['CS01a'] })).toEqual([
      {
        path: 'ppmidTunnelUseCases',
        message: "use cases apply only under ppmidTunnel 'subset', not 'han-only'",
      },
    ]);
    expect(parsePolicy({ ppmidTunnel: 'any', ppmidTunnelUseCases: [] }).ppmidTunnel).toBe('any');
  });

  it('reports every problem at once, in a message naming each path', () => {
    const e = (() => {
      try {
        parsePolicy({ ppmidTunnel: 'all', hhtCommandValidityHours: -3, nope: 1 }, 'scenario.json');
      } catch (x) {
        return x as PolicyError;
      }
      throw new Error('expected a PolicyError');
    })();
    expect(e.issues.map((i) => i.path)).toEqual(['nope', 'hhtCommandValidityHours', 'ppmidTunnel']);
    expect(e.source).toBe('scenario.json');
    expect(e.message).toMatch(/^policy scenario\.json: nope: unknown field/);
    expect(e.message).toContain("ppmidTunnel: expected one of 'han-only', 'subset', 'any', got \"all\"");
  });
});

describe('policy files', () => {
  it('loads a JSON file over the defaults', () => {
    const path = file('secmp0037.json', JSON.stringify({ interPanWindowMinutes: null }));
    expect(loadPolicyFile(path)).toEqual({ ...DEFAULT_POLICY, interPanWindowMinutes: null });
  });

  it('names the file in its refusals', () => {
    const path = file('bad.json', '{ "ppmidTunnel": "all" }');
    expect(() => loadPolicyFile(path)).toThrow(`policy ${path}: ppmidTunnel: expected one of`);
  });

  it('refuses a file that is not JSON, a YAML file, and a missing file', () => {
    expect(() => loadPolicyFile(file('broken.json', '{ interPanWindowMinutes: 60 }'))).toThrow(/not JSON/);
    expect(() => loadPolicyFile(file('policy.yaml', 'interPanWindowMinutes: 60\n'))).toThrow(
      /YAML is not supported: write the policy as JSON/,
    );
    expect(() => loadPolicyFile(join(dir, 'absent.json'))).toThrow(PolicyError);
    expect(() => loadPolicyFile(join(dir, 'absent.json'))).toThrow(/cannot read the file/);
  });
});
