// Where the public conformance data and the DUIS XSD live on a developer's machine: `$SMETS_VECTORS`, else
// `../shared/vectors` beside the project root. Read in place; never copied into the repository (GPL data).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory above this module holding package.json (works from src/ and from dist/src/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir)
      throw new Error('cannot locate the smets-twin project root (no package.json above this module)');
    dir = up;
  }
  return dir;
}

export function sharedVectorsDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env['SMETS_VECTORS'];
  return explicit !== undefined && explicit !== ''
    ? resolve(explicit)
    : join(projectRoot(), '..', 'shared', 'vectors');
}

/** DCC Boxed's keystore.json (ZAZ1 test credentials, including the XML-signing ones). */
export function dccBoxedKeystorePath(env?: Readonly<Record<string, string | undefined>>): string {
  return join(sharedVectorsDir(env), 'dccboxed-keystore', 'keystore.json');
}
