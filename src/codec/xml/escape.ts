// Character escaping by table: each writer (serializer, C14N) names which characters it replaces and with what.
// A first scan over a byte mask finds the first character to replace; most text has none and is returned as is.

/** Which code units (below 0x80) to replace, and by what. */
export interface EscapeTable {
  readonly mask: Uint8Array;
  readonly replacements: readonly string[];
}

export function escapeTable(replacements: Readonly<Record<string, string>>): EscapeTable {
  const mask = new Uint8Array(0x80);
  const reps: string[] = new Array<string>(0x80).fill('');
  for (const [ch, rep] of Object.entries(replacements)) {
    mask[ch.charCodeAt(0)] = 1;
    reps[ch.charCodeAt(0)] = rep;
  }
  return { mask, replacements: reps };
}

export function escapeWith(s: string, table: EscapeTable): string {
  const { mask, replacements } = table;
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 && mask[c] === 1) break;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  let from = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 && mask[c] === 1) {
      out += s.slice(from, i) + replacements[c]!;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}
