// Readable rendering of a decoded GBZ payload: indented lines, cluster and command names from the
// name lists, ids in hex. Rendering only; nothing here feeds back into decoding.
import { toHex } from '../../bytes.js';
import type { GbzAlertBody } from './alert.js';
import type { GbzComponent } from './component.js';
import type { GbzPayload } from './gbz.js';
import { zclDataTypeName, type ZclValue } from './zcl-data.js';
import type { ZclHeader, ZclPayload } from './zcl-frame.js';
import { clusterName, commandName, statusName } from './zcl-names.js';

/** Seconds from 1970-01-01 to 2000-01-01, the ZCL UTCTime epoch. */
const ZCL_EPOCH_UNIX_SECONDS = 946_684_800;

function hex(v: number, digits: number): string {
  return `0x${v.toString(16).padStart(digits, '0').toUpperCase()}`;
}

function utcTime(seconds: number): string {
  const iso = new Date((ZCL_EPOCH_UNIX_SECONDS + seconds) * 1000).toISOString().replace('.000Z', 'Z');
  return `${iso} (${hex(seconds, 8)})`;
}

function named(id: string, name: string | undefined): string {
  return name === undefined ? id : `${id} ${name}`;
}

function status(s: number): string {
  return named(hex(s, 2), statusName(s));
}

export function formatGbz(gbz: GbzPayload): string[] {
  const lines: string[] = [];
  if (gbz.kind === 'alert') {
    lines.push(`GBZ alert ${hex(gbz.alertCode, 4)} at ${utcTime(gbz.timestamp)}`);
    formatAlertBody(gbz.body, lines);
  } else {
    lines.push(`GBZ payload, ${gbz.components.length} component${gbz.components.length === 1 ? '' : 's'}`);
    gbz.components.forEach((c, i) => formatComponent(c, i, gbz.components.length, lines));
  }
  return lines;
}

function formatAlertBody(body: GbzAlertBody, lines: string[]): void {
  switch (body.kind) {
    case 'components':
      body.components.forEach((c, i) => formatComponent(c, i, body.components.length, lines));
      return;
    case 'future-dated-outcome':
      lines.push(
        `  future-dated command: message code ${hex(body.messageCode, 4)}, originator counter ${body.originatorCounter}`,
        `    cluster ${named(hex(body.clusterId, 4), clusterName(body.clusterId))}, frame control ${hex(body.frameControl, 2)}, ` +
          `command ${named(hex(body.commandId, 2), futureDatedCommandName(body.clusterId, body.frameControl, body.commandId))}`,
      );
      return;
    case 'firmware-hash':
      lines.push(`  calculated manufacturer image hash ${toHex(body.hash)}`);
      return;
    case 'integrity-issue-warning':
      lines.push(`  integrity issue warning ${hex(body.warning, 4)}`);
      return;
    case 'user-interface-command':
      lines.push(`  user interface command ${hex(body.command, 4)}`);
      return;
  }
}

/** The future-dated outcome copies the command's frame control octet: frame type in bits 0-1, direction in bit 3. */
function futureDatedCommandName(
  clusterId: number,
  frameControl: number,
  commandId: number,
): string | undefined {
  const frameType = frameControl & 0x03;
  if (frameType > 1) return undefined;
  const direction = frameControl & 0x08 ? 'server-to-client' : 'client-to-server';
  return commandName(clusterId, frameType === 0 ? 'global' : 'cluster-specific', direction, commandId);
}

function formatComponent(c: GbzComponent, i: number, n: number, lines: string[]): void {
  const flags = [c.lastComponent ? 'last' : '', c.encrypted ? 'encrypted' : '']
    .filter((f) => f !== '')
    .join(', ');
  lines.push(
    `  component ${i + 1} of ${n}${flags ? ` (${flags})` : ''}: cluster ${named(hex(c.clusterId, 4), clusterName(c.clusterId))}`,
  );
  if (!c.encrypted && c.fromDateTime !== null) lines.push(`    from date time ${utcTime(c.fromDateTime)}`);
  if (c.encrypted) {
    lines.push(
      `    additional header control ${hex(c.additionalHeaderControl, 2)}, frame counter ${c.additionalFrameCounter}`,
    );
  }
  lines.push(`    ${formatHeader(c.clusterId, c.header)}`);
  if (c.encrypted) {
    const x = c.ciphered;
    lines.push(
      `    ciphered: security control ${hex(x.securityControl, 2)}, invocation counter ${hex(x.invocationCounter, 8)}, ` +
        `${x.ciphertext.length} bytes ciphertext, MAC ${toHex(x.mac)}`,
    );
  } else {
    formatPayload(c.payload, lines, '    ');
  }
}

function formatHeader(clusterId: number, h: ZclHeader): string {
  const name = commandName(clusterId, h.frameType, h.direction, h.commandId);
  const parts = [`ZCL ${h.frameType} ${h.direction}`];
  if (h.manufacturerCode !== null) parts.push(`manufacturer ${hex(h.manufacturerCode, 4)}`);
  if (h.disableDefaultResponse) parts.push('no default response');
  parts.push(`seq ${h.sequenceNumber}`, `command ${named(hex(h.commandId, 2), name)}`);
  return parts.join(', ');
}

function formatPayload(p: ZclPayload, lines: string[], indent: string): void {
  switch (p.kind) {
    case 'raw':
      lines.push(`${indent}payload (${p.bytes.length} bytes) ${toHex(p.bytes)}`);
      return;
    case 'read-attributes':
      lines.push(`${indent}attributes ${p.attributeIds.map((a) => hex(a, 4)).join(', ')}`);
      return;
    case 'read-attributes-response':
      for (const r of p.records) {
        lines.push(
          `${indent}attribute ${hex(r.attributeId, 4)}: ${r.value === null ? status(r.status) : formatTyped(r.value)}`,
        );
      }
      return;
    case 'write-attributes':
    case 'report-attributes':
      for (const r of p.records)
        lines.push(`${indent}attribute ${hex(r.attributeId, 4)} = ${formatTyped(r.value)}`);
      return;
    case 'write-attributes-response':
      for (const r of p.records) {
        lines.push(
          `${indent}${r.attributeId === null ? 'all attributes' : `attribute ${hex(r.attributeId, 4)}`}: ${status(r.status)}`,
        );
      }
      return;
    case 'configure-reporting':
      for (const r of p.records) {
        if (r.direction === 'received') {
          lines.push(`${indent}attribute ${hex(r.attributeId, 4)} received, timeout ${r.timeout} s`);
        } else {
          const change = r.reportableChange === null ? '' : `, change ${formatValue(r.reportableChange)}`;
          lines.push(
            `${indent}attribute ${hex(r.attributeId, 4)} reported as ${typeName(r.dataType)}, ` +
              `every ${r.minimumInterval}..${r.maximumInterval} s${change}`,
          );
        }
      }
      return;
    case 'configure-reporting-response':
      for (const r of p.records) {
        const what =
          r.attributeId === null ? 'all attributes' : `attribute ${hex(r.attributeId, 4)} ${r.direction}`;
        lines.push(`${indent}${what}: ${status(r.status)}`);
      }
      return;
    case 'read-reporting-configuration':
      for (const r of p.records) lines.push(`${indent}attribute ${hex(r.attributeId, 4)} ${r.direction}`);
      return;
    case 'default-response':
      lines.push(`${indent}for command ${hex(p.commandId, 2)}: ${status(p.status)}`);
      return;
  }
}

function typeName(type: number): string {
  return zclDataTypeName(type) ?? hex(type, 2);
}

function formatTyped(v: ZclValue): string {
  return `${typeName(v.type)} ${formatValue(v)}`;
}

const HEX_TYPES = new Set(['data', 'map', 'enum', 'clusterId', 'attribId', 'bacOID', 'EUI64']);

/** Printable ASCII as is, anything else as \xHH, so the text shows exactly the bytes. */
function quoted(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return `${s}"`;
}

/** A value as text; numbers of bitmap, enum, data and id types in hex, strings quoted, octets in hex. */
export function formatValue(v: ZclValue): string {
  const name = zclDataTypeName(v.type) ?? '';
  const inHex = HEX_TYPES.has(name) || HEX_TYPES.has(name.replace(/\d+$/, ''));
  switch (v.kind) {
    case 'none':
      return '-';
    case 'number':
      if (name === 'bool')
        return v.value === 0 ? 'false' : v.value === 1 ? 'true' : `invalid ${hex(v.value, 2)}`;
      if (name === 'UTC') return utcTime(v.value);
      if (name === 'single') return String(new Float32Array(new Uint32Array([v.value]).buffer)[0]);
      if (name === 'semi') return `${halfFloat(v.value)}`;
      if (inHex) return hex(v.value, 2 * sizeOf(name));
      return String(v.value);
    case 'bigint':
      if (name === 'double') return String(new Float64Array(new BigUint64Array([v.value]).buffer)[0]);
      if (inHex) return `0x${v.value.toString(16).padStart(16, '0').toUpperCase()}`;
      return String(v.value);
    case 'octets':
      return toHex(v.value);
    case 'string':
      if (v.value === null) return 'invalid';
      return name === 'string' || name === 'string16' ? quoted(v.value) : `0x${toHex(v.value)}`;
    case 'array':
      return v.elements === null
        ? 'invalid'
        : `[${v.elements.map(formatValue).join(', ')}] of ${typeName(v.elementType)}`;
    case 'struct':
      return v.elements === null ? 'invalid' : `{${v.elements.map(formatTyped).join(', ')}}`;
  }
}

function sizeOf(name: string): number {
  const bits = /(\d+)$/.exec(name);
  if (bits) return Number(bits[1]) / 8;
  return name === 'bacOID' ? 4 : name === 'EUI64' ? 8 : 2;
}

function halfFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
