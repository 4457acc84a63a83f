// Where the public conformance data lives: ../shared/vectors, or SMETS_VECTORS. Read in place, never copied.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const VECTORS_DIR = resolve(
  process.env['SMETS_VECTORS'] ?? join(here, '..', '..', 'shared', 'vectors'),
);
export const HAVE_VECTORS = existsSync(VECTORS_DIR);

export function vectorPath(...parts: string[]): string {
  return join(VECTORS_DIR, ...parts);
}

export const RTDS_DIR = vectorPath('gbcs-parser', 'test', 'rtds', 'RTDS-4.5.0');
export const RTDS_KEYSTORE_DIR = vectorPath('gbcs-parser', 'test', 'rtds', 'keystore');

/** Printed once per file that skips, so a skip is never silent. */
export function skipReason(): string {
  return `conformance vectors not found at ${VECTORS_DIR} (set SMETS_VECTORS); skipping`;
}
if (!HAVE_VECTORS) console.warn(skipReason());
