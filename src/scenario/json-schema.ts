// The published JSON schema of scenario files (scenarios/scenario.schema.json), generated from the zod schema so the
// two cannot drift: `npm run schema:scenario` rewrites the file, and a test checks the committed file equals this.
// It describes the file as written (zod's input side: fields with defaults are optional, and say their default). The
// checks JSON schema cannot say (coverage shares summing to 1, outages ending after they start, unique names and
// routes, use cases the message-code table knows) are made by `smets-twin run` and listed in docs/ARCHITECTURE.md.
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** Where the file lives, relative to the project root. */
export const SCENARIO_JSON_SCHEMA_PATH = 'scenarios/scenario.schema.json';

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return { $schema, title: 'smets-twin scenario', ...rest };
}

/** The file's text: two-space JSON and a final line break. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
