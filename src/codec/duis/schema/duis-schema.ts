// DUIS schema validation with the effect of validating against `DUIS Schema V5.4.xsd` (which imports the MMC
// schema and the W3C XML-DSig schema). The XSDs are GPL data and are never copied into this repository: they are
// compiled at run time from a path, once per process per path, into an in-memory validator.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedVectorsDir } from '../../../shared-vectors.js';
import type { XmlDocument, XmlElement } from '../../xml/types.js';
import { validateAgainst, type SchemaValidation, type ValidateOptions } from './validate.js';
import { XsdCompileError, compileXsd, type CompiledSchema } from './xsd-compile.js';

/** Names the XSD to use instead of the default one. */
export const DUIS_XSD_ENV = 'SMETS_DUIS_XSD';

const XSD_IN_VECTORS = ['dccboxed-signing-tool', 'src', 'main', 'resources', 'DUIS Schema V5.4.xsd'];

/**
 * `$SMETS_DUIS_XSD`, else `<$SMETS_VECTORS or <project root>/../shared/vectors>/dccboxed-signing-tool/src/main/
 * resources/DUIS Schema V5.4.xsd`.
 */
export function defaultDuisXsdPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env[DUIS_XSD_ENV];
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  return join(sharedVectorsDir(env), ...XSD_IN_VECTORS);
}

/** Compiled once per resolved path per process; the only state this module keeps. */
const compiledByPath = new Map<string, DuisSchema>();

/** A compiled DUIS schema set: validate parsed DUIS XML against it. */
export class DuisSchema {
  private constructor(
    /** The XSD the schema was compiled from. */
    readonly path: string,
    /** The compiled declarations and types (read-only), for the typed binding of bodies. */
    readonly compiled: CompiledSchema,
  ) {}

  /** Compiles the XSD at `path` (and its imports) afresh. Throws XsdCompileError naming a missing file. */
  static compile(path: string = defaultDuisXsdPath()): DuisSchema {
    const full = resolve(path);
    if (!existsSync(full)) {
      throw new XsdCompileError(
        `DUIS XSD not found: ${full} (set ${DUIS_XSD_ENV} to the file, or SMETS_VECTORS to the shared vectors folder)`,
      );
    }
    return new DuisSchema(full, compileXsd(full));
  }

  /** The schema for `path` (default: defaultDuisXsdPath()), compiled on first use and cached for the process. */
  static load(path: string = defaultDuisXsdPath()): DuisSchema {
    const full = resolve(path);
    let schema = compiledByPath.get(full);
    if (schema === undefined) {
      schema = DuisSchema.compile(full);
      compiledByPath.set(full, schema);
    }
    return schema;
  }

  /** The entry XSD and every XSD it imported. */
  get files(): readonly string[] {
    return this.compiled.files;
  }

  /** Whether `{namespace}localName` may be the root of a valid document. */
  hasGlobalElement(namespace: string | null, localName: string): boolean {
    return this.compiled.elements.get(namespace)?.has(localName) === true;
  }

  validate(doc: XmlDocument | XmlElement, options?: ValidateOptions): SchemaValidation {
    return validateAgainst(this.compiled, doc, options);
  }
}

/** Validates against the default DUIS schema (DuisSchema.load(): compiled on first call, then reused). */
export function validateDuis(doc: XmlDocument | XmlElement, options?: ValidateOptions): SchemaValidation {
  return DuisSchema.load().validate(doc, options);
}
