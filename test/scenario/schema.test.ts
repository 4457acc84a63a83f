import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ATTACKERS,
  DEFAULT_CONSUMPTION,
  DEFAULT_FIRMWARE,
  DEFAULT_FLEET,
  DEFAULT_HHT_VISITS,
  DEFAULT_RETURNS,
  DEFAULT_START_ISO,
  DEFAULT_WAN,
  ScenarioError,
  formatPath,
  loadScenarioFile,
  parseScenario,
  parseScenarioText,
  withOverrides,
  type ScenarioFormat,
} from '../../src/scenario/schema.js';

const MINIMAL = `name: minimal
kind: interpan-window
seed: s1
durationDays: 30
policies:
  - name: today
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function scratch(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scenario-schema-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The ScenarioError a text raises (fails the test when it parses). */
function refusal(text: string, format: ScenarioFormat = 'yaml', source = `bad.${format}`): ScenarioError {
  try {
    parseScenarioText(text, format, source);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error(`expected a ScenarioError for:\n${text}`);
}

describe('scenario files: defaults', () => {
  it('fills every part from its documented default', () => {
    const s = parseScenarioText(MINIMAL, 'yaml');
    expect(s).toEqual({
      name: 'minimal',
      description: '',
      kind: 'interpan-window',
      seed: 's1',
      durationDays: 30,
      startIso: DEFAULT_START_ISO,
      fleet: DEFAULT_FLEET,
      wan: DEFAULT_WAN,
      consumption: DEFAULT_CONSUMPTION,
      hhtVisits: DEFAULT_HHT_VISITS,
      attackers: DEFAULT_ATTACKERS,
      firmware: DEFAULT_FIRMWARE,
      returns: DEFAULT_RETURNS,
      policies: [{ name: 'today', policy: {}, routes: ['wan'], fleet: {} }],
    });
    expect(Object.keys(s)).toEqual([
      'name',
      'description',
      'kind',
      'seed',
      'durationDays',
      'startIso',
      'fleet',
      'wan',
      'consumption',
      'hhtVisits',
      'attackers',
      'firmware',
      'returns',
      'policies',
    ]);
    expect(Object.isFrozen(s) && Object.isFrozen(s.fleet) && Object.isFrozen(s.policies[0])).toBe(true);
  });

  it('documents defaults that are consistent: GB coverage sums to 1, today is the default policy', () => {
    const c = DEFAULT_WAN.coverage;
    expect(c.good + c.intermittent + c.none).toBeCloseTo(1, 12);
    expect(DEFAULT_WAN.holdLimitHours).toBe(22);
  });

  it('defaults each field inside a part the file gives', () => {
    const s = parseScenarioText(
      `${MINIMAL}fleet:\n  premises: 12\n  deviceMix: { ppmid: 0.5 }\nconsumption:\n  gas: { annualKwh: 9000 }\n`,
      'yaml',
    );
    expect(s.fleet).toEqual({
      ...DEFAULT_FLEET,
      premises: 12,
      deviceMix: { ...DEFAULT_FLEET.deviceMix, ppmid: 0.5 },
    });
    expect(s.consumption).toEqual({
      ...DEFAULT_CONSUMPTION,
      gas: { ...DEFAULT_CONSUMPTION.gas, annualKwh: 9000 },
    });
  });

  it('reads variants: policy changes only as given, routes and fleet changes', () => {
    const s = parseScenarioText(
      `${MINIMAL}  - name: proposal
    policy: { interPanWindowMinutes: null, ppmidTunnel: subset, ppmidTunnelUseCases: [CS01a] }
    routes: [wan, ppmid-tunnel]
    fleet: { dualBandShare: 1, premises: 7 }
`,
      'yaml',
    );
    expect(s.policies[1]).toEqual({
      name: 'proposal',
      policy: { interPanWindowMinutes: null, ppmidTunnel: 'subset', ppmidTunnelUseCases: ['CS01a'] },
      routes: ['wan', 'ppmid-tunnel'],
      fleet: { dualBandShare: 1, premises: 7 },
    });
  });

  it('reads the same scenario from JSON as from YAML, and ignores $schema', () => {
    const yaml = parseScenarioText(MINIMAL, 'yaml');
    const json = parseScenarioText(
      JSON.stringify({
        $schema: './scenario.schema.json',
        name: 'minimal',
        kind: 'interpan-window',
        seed: 's1',
        durationDays: 30,
        policies: [{ name: 'today' }],
      }),
      'json',
    );
    expect(json).toEqual(yaml);
    expect(
      parseScenario({
        name: 'minimal',
        kind: 'interpan-window',
        seed: 's1',
        durationDays: 30,
        policies: [{ name: 'today' }],
      }),
    ).toEqual(yaml);
  });

  it('overrides premises (the variants’ too) and days for the command line', () => {
    const s = parseScenarioText(
      `${MINIMAL}  - name: big\n    fleet: { premises: 5000, dualBandShare: 1 }\n`,
      'yaml',
    );
    const small = withOverrides(s, { premises: 3, durationDays: 2 });
    expect(small.fleet.premises).toBe(3);
    expect(small.durationDays).toBe(2);
    expect(small.policies.map((p) => p.fleet)).toEqual([{}, { premises: 3, dualBandShare: 1 }]);
    expect(withOverrides(s, {})).toEqual(s);
  });
});

describe('scenario files: bad files name the path, line and column of every problem', () => {
  const cases: [string, string, RegExp][] = [
    [
      'an unknown top-level field, with a suggestion',
      `${MINIMAL}seeed: x\n`,
      /seeed \(line 7, column 1\): unknown field 'seeed' \(did you mean 'seed'\?\)/,
    ],
    [
      'an unknown nested field, listing the fields allowed',
      `${MINIMAL}fleet:\n  premises: 3\n  dualband: 1\n`,
      /fleet\.dualband \(line 9, column 3\): unknown field 'dualband' \(did you mean 'dualBandShare'\?\); the fields here: premises, deviceMix,/,
    ],
    [
      'a wrong type',
      MINIMAL.replace('durationDays: 30', 'durationDays: thirty'),
      /durationDays \(line 4, column 15\): expected a number of days/,
    ],
    [
      'a share above 1',
      `${MINIMAL}fleet: { prepaymentShare: 1.5 }\n`,
      /fleet\.prepaymentShare \(line 7, column 27\): .*a share is at most 1/,
    ],
    [
      'a missing required field',
      MINIMAL.replace('seed: s1\n', ''),
      /^ {2}\(line 1, column 1\): the required field 'seed' is missing$|^ {2}line 1, column 1: the required field 'seed' is missing$/m,
    ],
    [
      'an unknown kind',
      MINIMAL.replace('interpan-window', 'interpan'),
      /kind \(line 2, column 7\): expected one of the scenario kinds: 'no-wan-prepayment'/,
    ],
    [
      'a numeric seed',
      MINIMAL.replace('seed: s1', 'seed: 42'),
      /seed \(line 3, column 7\): expected the seed as a string \(quote a number\)/,
    ],
    [
      'a bad start',
      `${MINIMAL}startIso: 2025-13-01\n`,
      /startIso \(line 7, column 11\): expected a UTC date-time/,
    ],
    [
      'no policies',
      MINIMAL.replace('  - name: today\n', '  []\n').replace('policies:\n  []', 'policies: []'),
      /policies \(line 5, column 11\): at least one policy variant/,
    ],
    [
      "a policy's unknown field, as a policy file refuses it",
      `${MINIMAL}    policy: { interPanWindow: 30 }\n`,
      /policies\[0\]\.policy\.interPanWindow \(line 7, column 15\): unknown field 'interPanWindow' \(did you mean 'interPanWindowMinutes'\?\)/,
    ],
    [
      "a policy's bad value",
      `${MINIMAL}    policy:\n      interPanWindowMinutes: 1.5\n`,
      /policies\[0\]\.policy\.interPanWindowMinutes \(line 8, column 30\): expected a whole number of minutes, or null/,
    ],
    [
      'a use case the message-code table does not know',
      `${MINIMAL}    policy:\n      ppmidTunnel: subset\n      ppmidTunnelUseCases: [CS01a, NOPE]\n`,
      /policies\[0\]\.policy\.ppmidTunnelUseCases\[1\] \(line 9, column 36\): 'NOPE' is not a GBCS use case/,
    ],
    [
      "use cases outside 'subset'",
      `${MINIMAL}    policy: { ppmidTunnelUseCases: [CS01a] }\n`,
      /policies\[0\]\.policy\.ppmidTunnelUseCases \(line 7, column 36\): use cases apply only under ppmidTunnel 'subset'/,
    ],
    [
      'two variants of one name',
      `${MINIMAL}  - name: today\n`,
      /policies\[1\]\.name \(line 7, column 11\): the name 'today' is used twice/,
    ],
    [
      'a route twice',
      `${MINIMAL}    routes: [wan, hht, wan]\n`,
      /policies\[0\]\.routes\[2\] \(line 7, column 24\): 'wan' is listed twice/,
    ],
    [
      'an unknown route',
      `${MINIMAL}    routes: [wan, pigeon]\n`,
      /policies\[0\]\.routes\[1\] \(line 7, column 19\): Invalid option/,
    ],
    [
      'deviceMix changed by a variant',
      `${MINIMAL}    fleet: { deviceMix: {} }\n`,
      /policies\[0\]\.fleet\.deviceMix \(line 7, column 14\): unknown field 'deviceMix'/,
    ],
    [
      'coverage shares that do not sum to 1',
      `${MINIMAL}wan:\n  coverage: { good: 0.9, intermittent: 0.05, none: 0.01 }\n`,
      /wan\.coverage \(line 8, column 13\): the coverage shares sum to 0\.96/,
    ],
    [
      'an outage ending before it starts',
      `${MINIMAL}wan:\n  outages:\n    - { fromMs: 10, toMs: 5 }\n`,
      /wan\.outages\[0\]\.toMs \(line 9, column 27\): an outage ends after it starts/,
    ],
    [
      'a list for the scenario',
      '- a\n- b\n',
      /\(line 1, column 1\): expected a scenario, a mapping of fields .*got a list|line 1, column 1: expected a scenario, a mapping of fields \(name, kind, seed, …\): got a list/,
    ],
    [
      'an empty file',
      '',
      /expected a scenario, a mapping of fields \(name, kind, seed, …\): the file is empty/,
    ],
  ];
  for (const [what, text, expected] of cases)
    it(what, () => {
      const e = refusal(text);
      expect(e.message).toMatch(/^scenario bad\.yaml is not valid \(\d+ problems?\):\n/);
      expect(e.message).toMatch(expected);
    });

  it('lists every problem at once, each with its own place', () => {
    const e = refusal(`name: ""
kind: interpan-window
seed: s1
durationDays: 0
fleet:
  premises: -1
policies:
  - name: a
    policy: { ppmidTunnel: sometimes }
`);
    expect(e.issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['name', 1, 7],
      ['durationDays', 4, 15],
      ['fleet.premises', 6, 13],
      ['policies[0].policy.ppmidTunnel', 9, 28],
    ]);
    expect(e.message).toContain('(4 problems)');
  });

  it('reports YAML syntax errors with line and column', () => {
    const e = refusal(`${MINIMAL}fleet:\n  premises: [1, 2\n`);
    expect(e.issues[0]!.line).toBeGreaterThanOrEqual(7);
    expect(e.message).toMatch(/line \d+, column \d+: YAML: /);
    const dup = refusal(`${MINIMAL}seed: s2\n`);
    expect(dup.message).toMatch(/line 7, column 1: YAML: Map keys must be unique/);
    const tabs = refusal('name: a\n\tkind: b\n');
    expect(tabs.issues[0]!.line).toBe(2);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const lol = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lol.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const e = refusal(lol.join('\n'));
    expect(e.message).toMatch(/YAML: .*alias/i);
  });

  it('reports JSON problems with line and column: syntax, a field given twice, bad values', () => {
    const json = (extra: string) =>
      `{\n  "name": "j",\n  "kind": "triage-reuse",\n  "seed": "s",\n  "durationDays": 1,\n  "policies": [{ "name": "a" }]${extra}\n}\n`;
    expect(refusal(json(',\n  "returns": { "faultShare": 2 }'), 'json').message).toMatch(
      /returns\.faultShare \(line 7, column 30\): a share is at most 1, got 2$/m,
    );
    expect(refusal(json(',\n  "seed": "again"'), 'json').message).toMatch(
      /line 7, column 3: a field is given twice/,
    );
    expect(refusal(json(',\n  "fleet": { "premises": 1, }'), 'json').message).toMatch(
      /line 7, column \d+: not JSON: Expected double-quoted property name/,
    );
    expect(refusal('{"name": }', 'json').message).toMatch(/not JSON: Unexpected token/);
    expect(refusal(json(',\n  "polcies": []'), 'json').message).toMatch(
      /polcies \(line 7, column 3\): unknown field 'polcies' \(did you mean 'policies'\?\)/,
    );
  });

  it('formats paths as a reader writes them', () => {
    expect(formatPath(['policies', 1, 'policy', 'ppmidTunnelUseCases', 0])).toBe(
      'policies[1].policy.ppmidTunnelUseCases[0]',
    );
    expect(formatPath(['fleet', 'odd key'])).toBe('fleet["odd key"]');
    expect(formatPath([])).toBe('');
  });
});

describe('scenario files on disk', () => {
  it('reads .yaml, .yml and .json and hashes the bytes as written', () => {
    const json = JSON.stringify({
      name: 'j',
      kind: 'triage-reuse',
      seed: 's',
      durationDays: 1,
      policies: [{ name: 'a' }],
    });
    const dir = scratch({ 'a.yaml': MINIMAL, 'b.yml': `\ufeff${MINIMAL}`, 'c.json': json });
    const a = loadScenarioFile(join(dir, 'a.yaml'));
    expect(a.format).toBe('yaml');
    expect(a.sha256).toBe(createHash('sha256').update(MINIMAL).digest('hex'));
    expect(a.text).toBe(MINIMAL);
    const b = loadScenarioFile(join(dir, 'b.yml'));
    expect(b.scenario).toEqual(a.scenario);
    expect(b.sha256).not.toBe(a.sha256);
    expect(loadScenarioFile(join(dir, 'c.json')).scenario.kind).toBe('triage-reuse');
  });

  it('refuses other extensions, missing files and bytes that are not UTF-8', () => {
    const dir = scratch({
      's.txt': MINIMAL,
      'bin.yaml': new Uint8Array([0x6e, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    });
    expect(() => loadScenarioFile(join(dir, 's.txt'))).toThrow(/expected a \.yaml, \.yml or \.json file/);
    expect(() => loadScenarioFile(join(dir, 'nope.yaml'))).toThrow(
      /nope\.yaml is not valid \(1 problem\):\n {2}cannot read the file: ENOENT/,
    );
    expect(() => loadScenarioFile(join(dir, 'bin.yaml'))).toThrow(/not UTF-8/);
    expect(() => loadScenarioFile(join(dir, 'nope.yaml'))).toThrow(ScenarioError);
  });
});

describe('scenario files: no input crashes the loader', () => {
  const expectParsesOrRefuses = (text: string, format: ScenarioFormat) => {
    try {
      parseScenarioText(text, format);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      expect(e.issues.length).toBeGreaterThan(0);
      for (const i of e.issues) if (i.line !== undefined) expect(i.line).toBeGreaterThan(0);
    }
  };

  it('random JSON values, written as JSON and as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectParsesOrRefuses(JSON.stringify(value), 'json');
        expectParsesOrRefuses(stringify(value), 'yaml');
      }),
      { numRuns: 300 },
    );
  });

  it('random text as YAML and as JSON', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ab:- \n\t[]{},"\'&*!|>#%@`?0.'.split('')), maxLength: 60 }),
        (text) => {
          expectParsesOrRefuses(text, 'yaml');
          expectParsesOrRefuses(text, 'json');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a valid scenario with one field replaced by a random value', () => {
    const base = parseScenarioText(MINIMAL, 'yaml') as unknown as Record<string, unknown>;
    const paths = [
      ['name'],
      ['kind'],
      ['durationDays'],
      ['fleet'],
      ['fleet', 'deviceMix'],
      ['wan', 'coverage'],
      ['wan', 'outages'],
      ['policies'],
      ['policies', 0, 'policy'],
      ['policies', 0, 'routes'],
      ['hhtVisits', 'meanHoursToVisit'],
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const copy = structuredClone(base) as Record<string | number, unknown>;
        let node = copy;
        for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
        node[path[path.length - 1]!] = value;
        expectParsesOrRefuses(stringify(copy), 'yaml');
        expectParsesOrRefuses(JSON.stringify(copy), 'json');
      }),
      { numRuns: 300 },
    );
  });
});
