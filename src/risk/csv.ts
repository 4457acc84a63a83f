// A small RFC 4180 CSV reader and writer, and the risk register as CSV. Fields are separated by commas and records
// by CRLF (LF and lone CR are read too); a quoted field may hold commas, quotes (doubled) and line breaks. The reader
// refuses what RFC 4180 does not allow (a quote inside an unquoted field, text after a closing quote, an unclosed
// quote) with a RiskFileError naming the row (record number, 1-based) and column (1-based). The writer quotes a
// field only when it must and ends every record with CRLF.
import {
  OPTIONAL_COLUMNS,
  RATING_COLUMNS,
  REQUIRED_COLUMNS,
  TEXT_COLUMNS,
  checkRegister,
  type Risk,
  type RiskRegister,
  type RowPlace,
} from './register.js';
import { DEFAULT_SCALES, RiskFileError, type RiskScales } from './score.js';

export { RiskFileError } from './score.js';

/** The records of a CSV text, each a list of fields. An empty text has no records; a final line break ends the last. */
export function parseCsv(text: string, source = 'csv'): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let row = 1;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte-order mark
  if (i >= n) return records;
  for (;;) {
    const column = record.length + 1;
    if (text[i] === '"') {
      // A quoted field: runs to the next quote not doubled.
      i++;
      for (;;) {
        if (i >= n) throw new RiskFileError('a quoted field is not closed', { source, row, column });
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
        throw new RiskFileError(`text after a closing quote (${JSON.stringify(next)})`, {
          source,
          row,
          column,
        });
    } else {
      while (i < n) {
        const c = text[i]!;
        if (c === ',' || c === '\r' || c === '\n') break;
        if (c === '"')
          throw new RiskFileError(
            'a quote inside an unquoted field (quote the whole field and double the quote)',
            {
              source,
              row,
              column,
            },
          );
        field += c;
        i++;
      }
    }
    record.push(field);
    field = '';
    if (i >= n) {
      records.push(record);
      return records;
    }
    const sep = text[i]!;
    i++;
    if (sep === ',') continue;
    if (sep === '\r' && text[i] === '\n') i++;
    records.push(record);
    record = [];
    row++;
    if (i >= n) return records;
  }
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field.charCodeAt(0) === 0xfeff ? `"${field.replace(/"/g, '""')}"` : field;
}

/** CSV text for records: CRLF after every record, fields quoted only when needed. */
export function writeCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => `${r.map(quote).join(',')}\r\n`).join('');
}

const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
const INTEGER = /^\s*[+-]?\d+\s*$/;

export interface ReadRegisterOptions {
  /** The file name, for errors. */
  readonly source?: string;
  /** [A] default 1–5 for every rating. */
  readonly scales?: RiskScales;
}

/**
 * A register from CSV text: a header row naming at least the required columns (any order, case and surrounding
 * spaces ignored; unknown columns ignored), then one row per risk. Blank lines are skipped. Every problem is a
 * RiskFileError naming its row (the header is row 1) and column.
 */
export function readRegisterCsv(text: string, options: ReadRegisterOptions = {}): RiskRegister {
  const source = options.source ?? 'risk register';
  const scales = options.scales ?? DEFAULT_SCALES;
  const records = parseCsv(text, source);
  const isBlank = (r: readonly string[]) => r.length === 1 && r[0]!.trim() === '';
  const headerIndex = records.findIndex((r) => !isBlank(r));
  if (headerIndex < 0) throw new RiskFileError('empty file: expected a header row', { source });
  const header = records[headerIndex]!.map((h) => h.trim().toLowerCase());
  const headerRow = headerIndex + 1;
  const index = new Map<string, number>();
  header.forEach((name, k) => {
    if (!ALL_COLUMNS.includes(name)) return;
    if (index.has(name))
      throw new RiskFileError('column named twice in the header', { source, row: headerRow, column: name });
    index.set(name, k);
  });
  for (const column of REQUIRED_COLUMNS)
    if (!index.has(column))
      throw new RiskFileError(`the header has no "${column}" column (needs ${REQUIRED_COLUMNS.join(',')})`, {
        source,
        row: headerRow,
        column,
      });
  const rows: { risk: Risk; place: RowPlace }[] = [];
  for (let k = headerIndex + 1; k < records.length; k++) {
    const record = records[k]!;
    if (isBlank(record)) continue;
    const place = { source, row: k + 1 };
    if (record.length !== header.length)
      throw new RiskFileError(
        `expected ${header.length} fields as in the header, got ${record.length}`,
        place,
      );
    const risk: Record<string, unknown> = {};
    for (const column of TEXT_COLUMNS) risk[column] = record[index.get(column)!]!;
    for (const column of RATING_COLUMNS) {
      const raw = record[index.get(column)!]!;
      if (!INTEGER.test(raw))
        throw new RiskFileError(`expected an integer, got ${JSON.stringify(raw)}`, { ...place, column });
      risk[column] = Number(raw.trim());
    }
    for (const column of OPTIONAL_COLUMNS) {
      const at = index.get(column);
      const v = at === undefined ? '' : record[at]!;
      if (v !== '') risk[column] = v;
    }
    rows.push({ risk: risk as unknown as Risk, place });
  }
  return checkRegister(rows, scales);
}

/** The register as CSV: the required columns, then the optional ones (empty when absent), CRLF line ends. */
export function writeRegisterCsv(register: RiskRegister): string {
  return writeCsv([
    ALL_COLUMNS,
    ...register.map((r) =>
      ALL_COLUMNS.map((c) => {
        const v = (r as unknown as Record<string, unknown>)[c];
        return v === undefined ? '' : String(v);
      }),
    ),
  ]);
}
