// `npm run schema:scenario`: writes scenarios/scenario.schema.json from the zod schema (json-schema.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../shared-vectors.js';
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchemaText } from './json-schema.js';

const target = join(projectRoot(), SCENARIO_JSON_SCHEMA_PATH);
writeFileSync(target, scenarioJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
