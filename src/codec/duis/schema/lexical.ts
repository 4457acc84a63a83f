// Lexical spaces of the XSD 1.0 built-in primitives DUIS uses (XML Schema Part 2 §3.2): dateTime, date, time,
// boolean, hexBinary, base64Binary, anyURI. Each check takes the value after whitespace collapse and returns
// null when it is well formed, else a short reason. Decimals and integers live in decimal.ts.

const DATE_TIME = /^(-?)(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const DATE = /^(-?)(\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

/** Leap years by the Gregorian rule; 4, 100 and 400 all divide 10000, so the last four digits decide. */
function daysInMonth(year: string, month: number): number {
  if (month === 2) {
    const y = Number(year.slice(-4));
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function checkYearMonthDay(year: string, mm: string, dd: string): string | null {
  // §3.2.7.1 (1.0): at least four digits, no leading zero beyond four, and no year 0000.
  if (year.length > 4 && year.charCodeAt(0) === 0x30) return `year ${year} has a leading zero`;
  if (/^0+$/.test(year)) return 'year 0000 does not exist';
  const month = Number(mm);
  if (month < 1 || month > 12) return `month ${mm}`;
  const day = Number(dd);
  if (day < 1 || day > daysInMonth(year, month)) return `day ${dd} of month ${mm}`;
  return null;
}

/** hh:mm:ss(.s)? with 24:00:00 allowed only as the end of the day (§3.2.7, 1.0 Second Edition). */
function checkTimeOfDay(hh: string, mi: string, ss: string, frac: string | undefined): string | null {
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  if (minute > 59) return `minute ${mi}`;
  if (second > 59) return `second ${ss}`;
  if (hour === 24) {
    if (minute !== 0 || second !== 0 || (frac !== undefined && /[1-9]/.test(frac)))
      return '24:00:00 is the only time in hour 24';
    return null;
  }
  return hour > 23 ? `hour ${hh}` : null;
}

/** Z or ±hh:mm with |offset| <= 14:00 (§3.2.7.3). */
function checkTimezone(tz: string | undefined): string | null {
  if (tz === undefined || tz === 'Z') return null;
  const hours = Number(tz.slice(1, 3));
  const minutes = Number(tz.slice(4, 6));
  if (minutes > 59 || hours > 14 || (hours === 14 && minutes !== 0)) return `timezone ${tz}`;
  return null;
}

export function checkDateTime(v: string): string | null {
  const m = DATE_TIME.exec(v);
  if (m === null) return 'not of the form [-]YYYY-MM-DDThh:mm:ss[.s][zone]';
  return (
    checkYearMonthDay(m[2]!, m[3]!, m[4]!) ?? checkTimeOfDay(m[5]!, m[6]!, m[7]!, m[8]) ?? checkTimezone(m[9])
  );
}

export function checkDate(v: string): string | null {
  const m = DATE.exec(v);
  if (m === null) return 'not of the form [-]YYYY-MM-DD[zone]';
  return checkYearMonthDay(m[2]!, m[3]!, m[4]!) ?? checkTimezone(m[5]);
}

export function checkTime(v: string): string | null {
  const m = TIME.exec(v);
  if (m === null) return 'not of the form hh:mm:ss[.s][zone]';
  return checkTimeOfDay(m[1]!, m[2]!, m[3]!, m[4]) ?? checkTimezone(m[5]);
}

export function checkBoolean(v: string): string | null {
  return v === 'true' || v === 'false' || v === '1' || v === '0' ? null : 'not one of true, false, 1, 0';
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function checkHexBinary(v: string): string | null {
  if (v.length % 2 !== 0) return 'odd number of hex digits';
  for (let i = 0; i < v.length; i++) if (!isHexDigit(v.charCodeAt(i))) return `non-hex character at ${i}`;
  return null;
}

/** Value of each ASCII base64 character, -1 for the rest. */
const BASE64_VALUE = /* @__PURE__ */ (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

/**
 * Octets encoded by a base64Binary value (§3.2.16, 1.0 Second Edition grammar: groups of four characters, each
 * optionally followed by a space; padding '=' only at the end, with the unused bits of the last character zero),
 * or -1 when the value is not in the lexical space. Takes the value before or after whitespace collapse: the
 * grammar admits a space between any two characters, and collapse turns every whitespace run into one.
 */
export function base64Octets(v: string): number {
  let chars = 0; // alphabet characters seen
  let pad = 0;
  let last = -1; // value of the last alphabet character
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) continue;
    if (c === 0x3d) {
      pad++;
      continue;
    }
    const x = c < 128 ? BASE64_VALUE[c]! : -1;
    if (x < 0 || pad > 0) return -1;
    last = x;
    chars++;
  }
  if ((chars + pad) % 4 !== 0 || pad > 2) return -1;
  if (pad === 1 && (last & 0x03) !== 0) return -1;
  if (pad === 2 && (last & 0x0f) !== 0) return -1;
  return ((chars + pad) / 4) * 3 - pad;
}

// RFC 3986 URI-reference. XSD 1.0 §3.2.17 takes a value as a URI after escaping the characters XLink escapes;
// libxml2 does the same by replacing them before parsing, so only '%', '#', '[', ']' and ':' can make one invalid.
const PCT = '%[0-9A-Fa-f]{2}';
const UNRESERVED_SUB = "A-Za-z0-9\\-._~!$&'()*+,;=";
const PCHAR = `(?:[${UNRESERVED_SUB}:@]|${PCT})`;
const SEGMENT_NC = `(?:[${UNRESERVED_SUB}@]|${PCT})`;
const AUTHORITY = `(?:(?:[${UNRESERVED_SUB}:]|${PCT})*@)?(?:\\[[^\\]]*\\]|(?:[${UNRESERVED_SUB}]|${PCT})*)(?::\\d*)?`;
const TAIL = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const URI_REFERENCE = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.\\-]*:(?://${AUTHORITY}(?:/${PCHAR}*)*|/?(?:${PCHAR}+(?:/${PCHAR}*)*)?)` +
    `|//${AUTHORITY}(?:/${PCHAR}*)*|/(?:${PCHAR}+(?:/${PCHAR}*)*)?|${SEGMENT_NC}+(?:/${PCHAR}*)*|)${TAIL}$`,
);
const XLINK_ESCAPED = /[^\x21-\x7e]|[<>"{}|\\^`]/g;

export function checkAnyUri(v: string): string | null {
  return URI_REFERENCE.test(v.replace(XLINK_ESCAPED, '_')) ? null : 'not a URI reference (RFC 3986)';
}
