import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskFileError, parseCsv, readRegisterCsv, writeCsv, writeRegisterCsv } from '../../src/risk/csv.js';
import type { Risk } from '../../src/risk/register.js';

const FIXTURE = new URL('../fixtures/risk/secmp0038-register.csv', import.meta.url);
const HEADER = 'id,deliverable,risk,likelihood,capability,motivation,confidentiality,integrity,availability';

function refusal(text: string): RiskFileError {
  try {
    readRegisterCsv(text, { source: 'r.csv' });
  } catch (e) {
    if (e instanceof RiskFileError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('the RFC 4180 reader and writer', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks, with CRLF or LF records', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"two\r\nlines",,x\r\n')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['two\r\nlines', '', 'x'],
    ]);
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('\uFEFFid,x\r\n')).toEqual([['id', 'x']]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('a,\r\n')).toEqual([['a', '']]);
  });

  it('quotes only the fields that need it and ends every record with CRLF', () => {
    expect(writeCsv([['a', 'b,c', 'say "hi"', 'two\nlines', '']])).toBe(
      'a,"b,c","say ""hi""","two\nlines",\r\n',
    );
  });

  it('refuses broken quoting, naming row and column', () => {
    const at = (text: string) => {
      try {
        parseCsv(text, 'x.csv');
      } catch (e) {
        return [(e as RiskFileError).row, (e as RiskFileError).column, (e as Error).message];
      }
      throw new Error('accepted');
    };
    expect(at('a,b\r\nc,d"e\r\n')).toEqual([
      2,
      2,
      expect.stringMatching(/^x\.csv, row 2, column 2: a quote inside/),
    ]);
    expect(at('a,"b"c\r\n')).toEqual([1, 2, expect.stringMatching(/text after a closing quote/)]);
    expect(at('a\r\n"open,b\r\n')).toEqual([2, 1, expect.stringMatching(/not closed/)]);
  });
});

describe('the register as CSV', () => {
  it('round-trips the SECMP0038 fixture: import, export, import gives the same register', () => {
    const register = readRegisterCsv(readFileSync(FIXTURE, 'utf8'));
    expect(register).toHaveLength(98);
    const again = readRegisterCsv(writeRegisterCsv(register));
    expect(again).toEqual(register);
    expect(writeRegisterCsv(again)).toBe(writeRegisterCsv(register));
  });

  it('reads columns in any order, ignores unknown ones and keeps optional text', () => {
    const register = readRegisterCsv(
      'Risk, ID ,deliverable,notes,likelihood,capability,motivation,confidentiality,integrity,availability,control\n' +
        '"Sniffing, WLAN",r1,D1,whatever, 3 ,4,5,2,5,3,"Patching, firewall"\n\n',
    );
    expect(register).toEqual([
      {
        id: 'r1',
        deliverable: 'D1',
        risk: 'Sniffing, WLAN',
        likelihood: 3,
        capability: 4,
        motivation: 5,
        confidentiality: 2,
        integrity: 5,
        availability: 3,
        control: 'Patching, firewall',
      },
    ]);
  });

  it('reads a header with no rows as an empty register', () => {
    expect(readRegisterCsv(`${HEADER}\r\n`)).toEqual([]);
  });

  it('refuses an empty file', () => {
    expect(refusal('').message).toBe('r.csv: empty file: expected a header row');
    expect(refusal('\r\n\r\n').message).toMatch(/empty file/);
  });

  it('refuses a header without a required column, naming it', () => {
    const e = refusal('id,deliverable,risk,likelihood,capability,motivation,confidentiality,integrity\n');
    expect([e.row, e.column]).toEqual([1, 'availability']);
    expect(e.message).toMatch(
      /^r\.csv, row 1, column "availability": the header has no "availability" column/,
    );
    expect(refusal(`${HEADER},ID\n`).message).toMatch(/column "id": column named twice/);
  });

  it('refuses a non-integer or out-of-scale rating, naming row and column', () => {
    const e = refusal(`${HEADER}\nr1,D1,A,3,4,5,2,5,3\nr2,D1,B,3,four,5,2,5,3\n`);
    expect([e.row, e.column]).toEqual([3, 'capability']);
    expect(e.message).toBe('r.csv, row 3, column "capability": expected an integer, got "four"');
    const off = refusal(`${HEADER}\nr1,D1,A,3,4,5,2,6,3\n`);
    expect(off.message).toBe('r.csv, row 2, column "integrity": expected an integer 1..5, got 6');
    expect(refusal(`${HEADER}\nr1,D1,A,0,4,5,2,5,3\n`).column).toBe('likelihood');
    expect(refusal(`${HEADER}\nr1,D1,A,2.5,4,5,2,5,3\n`).column).toBe('likelihood');
  });

  it('refuses a duplicate id, a missing field and an empty name', () => {
    const dup = refusal(`${HEADER}\nr1,D1,A,3,4,5,2,5,3\nr1,D2,A,3,4,5,2,5,3\n`);
    expect(dup.message).toBe('r.csv, row 3, column "id": duplicate id "r1" (first at row 2)');
    expect(refusal(`${HEADER}\nr1,D1,A,3,4,5,2,5\n`).message).toMatch(/row 2: expected 9 fields .* got 8/);
    expect(refusal(`${HEADER}\nr1,D1, ,3,4,5,2,5,3\n`).column).toBe('risk');
  });

  it('reads on other scales when told', () => {
    const scales = {
      likelihood: { min: 0, max: 10 },
      capability: { min: 1, max: 5 },
      motivation: { min: 1, max: 5 },
      cia: { min: 1, max: 3 },
    };
    expect(readRegisterCsv(`${HEADER}\nr1,D1,A,9,4,5,2,3,3\n`, { scales })[0]?.likelihood).toBe(9);
    expect(() => readRegisterCsv(`${HEADER}\nr1,D1,A,9,4,5,2,4,3\n`, { scales })).toThrow(/integer 1\.\.3/);
  });
});

describe('properties', () => {
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom(',', '"', '\r', '\n', ' ', '\uFEFF'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    ),
    maxLength: 12,
  });
  const rating = fc.integer({ min: 1, max: 5 });
  const optional = fc.option(
    text.filter((s) => s !== ''),
    { nil: undefined },
  );
  const risk = fc.record({
    id: text.filter((s) => s.trim() !== ''),
    deliverable: text.filter((s) => s.trim() !== ''),
    risk: text.filter((s) => s.trim() !== ''),
    likelihood: rating,
    capability: rating,
    motivation: rating,
    confidentiality: rating,
    integrity: rating,
    availability: rating,
    asset: optional,
    threat: optional,
    vulnerability: optional,
    control: optional,
  });
  const register = fc.uniqueArray(risk, { selector: (r) => r.id, maxLength: 8 }).map((rs) =>
    rs.map((r) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
      return out as unknown as Risk;
    }),
  );

  it('writing any register and reading it back gives the same register', () => {
    fc.assert(
      fc.property(register, (r) => {
        expect(readRegisterCsv(writeRegisterCsv(r))).toEqual(r);
      }),
    );
  });

  it('the reader returns a register or throws RiskFileError, nothing else', () => {
    const csvish = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '1', '6', ',', '"', '\r', '\n', ' ', 'x'), maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(
          fc.array(fc.constantFrom('1', '3', '5', '9', 'r1', 'x', '', '"q"', '2.5'), { maxLength: 10 }),
          {
            maxLength: 4,
          },
        )
        .map((rows) => `${HEADER}\r\n${rows.map((r) => r.join(',')).join('\r\n')}`),
    );
    fc.assert(
      fc.property(csvish, (t) => {
        try {
          readRegisterCsv(t);
        } catch (e) {
          expect(e).toBeInstanceOf(RiskFileError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
