// A readable printout of a decoded DLMS APDU: one line per field, two spaces of indent per nesting level.
// Rendering only; it reads the typed tree and never the bytes.
import { toHex } from '../../bytes.js';
import { formatObis } from './obis.js';
import {
  ACTION_RESULTS,
  DATA_ACCESS_RESULTS,
  namesByCode,
  type AccessRequestSpecification,
  type AccessResponseSpecification,
  type DlmsApdu,
  type DlmsData,
  type DlmsTypeDescription,
} from './types.js';

const DATA_ACCESS_RESULT_NAMES = namesByCode(DATA_ACCESS_RESULTS);
const ACTION_RESULT_NAMES = namesByCode(ACTION_RESULTS);
const INDENT = '  ';

export function formatDlmsApdu(apdu: DlmsApdu): string[] {
  const out: string[] = [apdu.type];
  const i1 = INDENT;
  out.push(
    `${i1}invoke-id-and-priority 0x${apdu.invokeIdAndPriority.toString(16).toUpperCase().padStart(8, '0')}`,
  );
  out.push(`${i1}date-time ${apdu.dateTime === null ? 'absent' : formatDateTime(apdu.dateTime)}`);
  switch (apdu.type) {
    case 'access-request':
      formatSpecifications(out, i1, apdu.specifications);
      formatDataList(out, i1, 'access-request-list-of-data', apdu.data);
      break;
    case 'access-response':
      if (apdu.specifications === null) out.push(`${i1}access-request-specification absent`);
      else formatSpecifications(out, i1, apdu.specifications);
      formatDataList(out, i1, 'access-response-list-of-data', apdu.data);
      out.push(`${i1}access-response-specification (${apdu.responseSpecifications.length})`);
      apdu.responseSpecifications.forEach((s, i) =>
        out.push(`${i1}${INDENT}[${i}] ${formatResponseSpecification(s)}`),
      );
      break;
    case 'data-notification':
      formatData(out, i1, 'notification-body ', apdu.notificationBody);
      break;
  }
  return out;
}

/** Lines for one Data, nested elements indented by two spaces per level. */
export function formatDlmsData(d: DlmsData): string[] {
  const out: string[] = [];
  formatData(out, '', '', d);
  return out;
}

/** e.g. `action 104 0-0:30.3.0.255 method 1`. */
export function formatAccessRequestSpecification(s: AccessRequestSpecification): string {
  const target = `${s.type} ${s.classId} ${formatObis(s.instanceId)}`;
  return s.type === 'action' ? `${target} method ${s.methodId}` : `${target} attribute ${s.attributeId}`;
}

function formatSpecifications(out: string[], indent: string, specs: AccessRequestSpecification[]): void {
  out.push(`${indent}access-request-specification (${specs.length})`);
  const inner = indent + INDENT;
  specs.forEach((s, i) => {
    out.push(`${inner}[${i}] ${formatAccessRequestSpecification(s)}`);
    if (s.type === 'get-with-selection' || s.type === 'set-with-selection') {
      out.push(`${inner}${INDENT}access-selector ${s.accessSelection.accessSelector}`);
      formatData(out, inner + INDENT, 'access-parameters ', s.accessSelection.accessParameters);
    }
  });
}

function formatResponseSpecification(s: AccessResponseSpecification): string {
  const [code, names] =
    s.type === 'action'
      ? [s.actionResult, ACTION_RESULT_NAMES]
      : [s.dataAccessResult, DATA_ACCESS_RESULT_NAMES];
  return `${s.type} ${names[code] ?? 'unknown'} (${code})`;
}

function formatDataList(out: string[], indent: string, label: string, list: DlmsData[]): void {
  out.push(`${indent}${label} (${list.length})`);
  list.forEach((d, i) => formatData(out, indent + INDENT, `[${i}] `, d));
}

function formatData(out: string[], indent: string, label: string, d: DlmsData): void {
  switch (d.type) {
    case 'array':
    case 'structure':
      out.push(`${indent}${label}${d.type} (${d.value.length})`);
      d.value.forEach((e, i) => formatData(out, indent + INDENT, `[${i}] `, e));
      return;
    case 'compact-array':
      out.push(
        `${indent}${label}compact-array (${d.value.length}) of ${formatTypeDescription(d.contentsDescription)}`,
      );
      d.value.forEach((e, i) => formatData(out, indent + INDENT, `[${i}] `, e));
      return;
    default:
      out.push(`${indent}${label}${formatSimple(d)}`);
  }
}

function formatSimple(d: DlmsData): string {
  switch (d.type) {
    case 'null-data':
    case 'dont-care':
      return d.type;
    case 'boolean':
      return `boolean ${d.value}`;
    case 'bit-string':
      return `bit-string ${formatBits(d.bitLength, d.value)} (${d.bitLength} bits)`;
    case 'long-unsigned':
    case 'double-long-unsigned':
      return `${d.type} ${d.value} (0x${d.value
        .toString(16)
        .toUpperCase()
        .padStart(d.type === 'long-unsigned' ? 4 : 8, '0')})`;
    case 'bcd':
      return `bcd ${d.value.toString(16).toUpperCase().padStart(2, '0')}`;
    case 'octet-string':
      return `octet-string ${formatOctets(d.value)}`;
    case 'visible-string':
    case 'utf8-string':
      return `${d.type} ${JSON.stringify(d.type === 'utf8-string' ? new TextDecoder().decode(d.value) : latin1(d.value))}`;
    case 'float32':
    case 'float64': {
      const view = new DataView(d.value.buffer, d.value.byteOffset, d.value.byteLength);
      const v = d.type === 'float32' ? view.getFloat32(0) : view.getFloat64(0);
      return `${d.type} ${v} (${toHex(d.value)})`;
    }
    case 'date-time':
      return `date-time ${formatDateTime(d.value)}`;
    case 'date':
      return `date ${formatDate(d.value, 0)}${formatDayOfWeek(d.value, 0)}`;
    case 'time':
      return `time ${formatTime(d.value, 0)}`;
    case 'array':
    case 'structure':
    case 'compact-array':
      return d.type;
    default:
      return `${d.type} ${String(d.value)}`;
  }
}

export function formatTypeDescription(d: DlmsTypeDescription): string {
  if (d.type === 'array')
    return `array[${d.numberOfElements}] of ${formatTypeDescription(d.typeDescription)}`;
  if (d.type === 'structure') return `structure{${d.value.map(formatTypeDescription).join(', ')}}`;
  return d.type;
}

function formatBits(bitLength: number, value: Uint8Array): string {
  if (bitLength > 64) return toHex(value);
  let s = '';
  for (let i = 0; i < bitLength; i++) s += (value[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  return s;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/** Hex, with a hint when the octets read as text or as a 12-octet COSEM date-time (GBCS puts both in octet-strings). */
function formatOctets(b: Uint8Array): string {
  if (b.length === 0) return '(empty)';
  const hex = toHex(b);
  if (b.length === 12) return `${hex} (${formatDateTime(b)})`;
  if (b.length > 1 && b.every((c) => c >= 0x20 && c <= 0x7e)) return `${hex} ${JSON.stringify(latin1(b))}`;
  return hex;
}

function two(v: number): string {
  return v < 10 ? `0${v}` : String(v);
}

/** COSEM date (5 octets at `o`): year, month, day-of-month; 0xFF(FF) is "not specified" (`*`). */
function formatDate(b: Uint8Array, o: number): string {
  const year = (b[o]! << 8) | b[o + 1]!;
  const month = b[o + 2]!;
  const day = b[o + 3]!;
  const mm = month === 0xff ? '*' : month === 0xfd ? 'dst-end' : month === 0xfe ? 'dst-begin' : two(month);
  const dd = day === 0xff ? '*' : day === 0xfe ? 'last' : day === 0xfd ? 'second-last' : two(day);
  return `${year === 0xffff ? '*' : year}-${mm}-${dd}`;
}

/** The day-of-week octet of a COSEM date (1 = Monday), when specified. */
function formatDayOfWeek(b: Uint8Array, o: number): string {
  const dow = b[o + 4]!;
  return dow === 0xff ? '' : ` dow ${dow}`;
}

/** COSEM time (4 octets at `o`): hour, minute, second, hundredths; 0xFF is "not specified" (`*`). */
function formatTime(b: Uint8Array, o: number): string {
  const f = (v: number) => (v === 0xff ? '*' : two(v));
  return `${f(b[o]!)}:${f(b[o + 1]!)}:${f(b[o + 2]!)}.${f(b[o + 3]!)}`;
}

/** COSEM date-time (12 octets): date, time, day-of-week, deviation (minutes; 0x8000 = not specified), clock status. */
export function formatDateTime(b: Uint8Array): string {
  if (b.length !== 12) return toHex(b);
  const deviation = (((b[9]! << 8) | b[10]!) << 16) >> 16;
  const status = b[11]!;
  let s = `${formatDate(b, 0)} ${formatTime(b, 5)}${formatDayOfWeek(b, 0)}`;
  if (deviation !== -0x8000) s += ` deviation ${deviation}`;
  if (status !== 0xff) s += ` status 0x${status.toString(16).toUpperCase().padStart(2, '0')}`;
  return s;
}
