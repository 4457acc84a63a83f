import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SCENARIO_JSON_SCHEMA_PATH,
  scenarioJsonSchema,
  scenarioJsonSchemaText,
} from '../../src/scenario/json-schema.js';
import { DEFAULT_FLEET, DEFAULT_WAN, SCENARIO_KIND_NAMES } from '../../src/scenario/schema.js';
import { projectRoot } from '../../src/shared-vectors.js';

interface JsonSchemaNode {
  type?: string;
  required?: string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  default?: unknown;
  enum?: unknown[];
  additionalProperties?: boolean;
}

describe('the published JSON schema of scenario files', () => {
  it('is committed exactly as the zod schema generates it (npm run schema:scenario)', () => {
    const committed = readFileSync(join(projectRoot(), SCENARIO_JSON_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(scenarioJsonSchemaText());
  });

  it('describes the file as written: required fields, defaults, no unknown fields', () => {
    const s = scenarioJsonSchema() as unknown as JsonSchemaNode & { $schema: string; title: string };
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.title).toBe('smets-twin scenario');
    expect(s.required).toEqual(['name', 'kind', 'seed', 'durationDays', 'policies']);
    expect(s.additionalProperties).toBe(false);
    const p = s.properties!;
    expect(p['kind']!.enum).toEqual([...SCENARIO_KIND_NAMES]);
    expect(p['fleet']!.default).toEqual(DEFAULT_FLEET);
    expect(p['fleet']!.properties!['premises']!.default).toBe(DEFAULT_FLEET.premises);
    expect(p['wan']!.default).toEqual(DEFAULT_WAN);
    const variant = p['policies']!.items!;
    expect(variant.required).toEqual(['name']);
    expect(variant.properties!['routes']!.default).toEqual(['wan']);
    expect(variant.properties!['policy']!.additionalProperties).toBe(false);
    expect(Object.keys(variant.properties!['policy']!.properties!)).toEqual([
      'interPanWindowMinutes',
      'hhtCommandValidityHours',
      'localFirmwareUpgrade',
      'ppmidTunnel',
      'ppmidTunnelUseCases',
      'firmwareImageLimitKb',
      'firmwareConsumerRefusal',
      'triage',
      'triageRoles',
    ]);
  });
});
