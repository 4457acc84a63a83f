// Character escaping by table: each writer (serializer, C14N) names which characters it replaces and with what.
// One pass that returns the input unchanged when nothing needs escaping.

/** Replacements indexed by UTF-16 code unit (only code units below 0x80 are ever escaped). */
export type EscapeTable = readonly (string | undefined)[];

export function escapeTable(replacements: Readonly<Record<string, string>>): EscapeTable {
  const table: (string | undefined)[] = new Array<string | undefined>(0x80).fill(undefined);
  for (const [ch, rep] of Object.entries(replacements)) table[ch.charCodeAt(0)] = rep;
  return table;
}

export function escapeWith(s: string, table: EscapeTable): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const rep = c < 0x80 ? table[c] : undefined;
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}
