// DUIS XML schema validation: compile the DUIS XSD at run time, validate parsed documents against it.
export { DUIS_XSD_ENV, DuisSchema, defaultDuisXsdPath, validateDuis } from './duis-schema.js';
export type { SchemaError, SchemaValidation, ValidateOptions } from './validate.js';
export { XsdCompileError } from './xsd-compile.js';
