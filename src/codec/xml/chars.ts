// XML 1.0 (Fifth Edition) character classes: Char (§2.2), NameStartChar and NameChar (§2.3), with the
// Namespaces in XML 1.0 restriction that NCNames carry no colon. Table lookup for ASCII, ranges above.

/** Bit 1: NameStartChar; bit 2: NameChar (ASCII only; ':' is excluded, colons are handled by the QName scan). */
export const ASCII_NAME = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 3;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 3;
  t[0x5f] = 3; // _
  for (let c = 0x30; c <= 0x39; c++) t[c] = 2;
  t[0x2d] = 2; // -
  t[0x2e] = 2; // .
  return t;
})();

/** NameStartChar above ASCII, for a BMP code unit (surrogates are handled by the caller). */
export function isNonAsciiNameStart(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** NameChar above ASCII, for a BMP code unit. */
export function isNonAsciiNameChar(c: number): boolean {
  return isNonAsciiNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040);
}

/** A high surrogate whose pair lies in #x10000-#xEFFFF (the supplementary range of NameStartChar). */
export function isNameHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdb7f;
}

export function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** XML Char for a code point (not a code unit). */
export function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Index of the first code unit in s[from, to) that is not part of an XML Char (a control character, a lone
 * surrogate, U+FFFE or U+FFFF), or -1.
 */
export function firstIllegalChar(s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c === 0x9 || c === 0xa || c === 0xd) continue;
    if (c >= 0xe000 && c <= 0xfffd) continue;
    if (isHighSurrogate(c) && i + 1 < to && isLowSurrogate(s.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** True if s is an NCName (a Name without colons). */
export function isNcName(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if ((ASCII_NAME[c]! & (i === 0 ? 1 : 2)) === 0) return false;
    } else if (isHighSurrogate(c)) {
      if (!isNameHighSurrogate(c) || i + 1 >= n || !isLowSurrogate(s.charCodeAt(i + 1))) return false;
      i++;
    } else if (!(i === 0 ? isNonAsciiNameStart(c) : isNonAsciiNameChar(c))) return false;
  }
  return true;
}

/** True if s is a QName: NCName, or NCName ':' NCName. */
export function isQName(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 0) return isNcName(s);
  return isNcName(s.slice(0, colon)) && isNcName(s.slice(colon + 1));
}

/** Describes a code unit for an error message: U+0001, or "x" for printable ASCII ('"' for the quote). */
export function describeChar(c: number): string {
  if (c === 0x22) return `'"'`;
  if (c > 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
