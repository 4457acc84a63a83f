// GBZ payloads (GBCS 7.2): ZigBee Smart Energy frames carried end to end in GBCS messages.
// Header: Profile ID 0x0109 (2), Total number of GBZ Use Case Specific Components (1), and for alerts
// Alert Code (2) and Time Stamp (4, UTC seconds since 2000-01-01); then the components. GBZ's own fields
// are big-endian; the ZCL frames inside are little-endian. The component count and the last-component
// flags are derived on encode and checked on decode, so a value cannot disagree with its bytes.
import { Reader, Writer } from '../../bytes.js';
import type { Cra } from '../frame.js';
import { alertLayoutOf, readAlertStructure, writeAlertStructure, type GbzAlertBody } from './alert.js';
import { readComponent, writeComponent, type GbzComponent } from './component.js';

export const LAYER = 'gbz';
/** ZigBee Smart Energy profile identifier, the first two bytes of every GBZ payload. */
export const GBZ_PROFILE_ID = 0x0109;

/**
 * The grammar needs only the CRA flag (alerts carry Alert Code and Time Stamp) and, for alerts, the alert
 * code it reads; messageCode is accepted for symmetry with the other payload codecs.
 */
export interface GbzContext {
  messageCode: number;
  cra: Cra;
}

/** A command or response: its components in order. */
export interface GbzComponents {
  readonly kind: 'components';
  readonly components: readonly GbzComponent[];
}

export interface GbzAlert {
  readonly kind: 'alert';
  readonly alertCode: number;
  /** UTC seconds since 2000-01-01 (ZCL UTCTime). */
  readonly timestamp: number;
  readonly body: GbzAlertBody;
}

export type GbzPayload = GbzComponents | GbzAlert;

const CRA_ALERT = 3;

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0').toUpperCase();
}

/** Decodes the GBZ payload from r's position to its end; errors carry the 'gbz' layer and absolute offsets. */
export function decodeGbz(r: Reader, ctx: GbzContext): GbzPayload {
  const g: Reader = new Reader(r.buf.subarray(r.pos), LAYER, r.offset);
  const profileAt = g.offset;
  const profile = g.u16('profile-id');
  if (profile !== GBZ_PROFILE_ID) {
    g.fail('profile-id', `expected 0x0109 (ZigBee Smart Energy), got 0x${hex4(profile)}`, profileAt);
  }
  const countAt = g.offset;
  const count = g.u8('component-count');
  let payload: GbzPayload;
  if (ctx.cra === CRA_ALERT) {
    const alertCode = g.u16('alert-code');
    const timestamp = g.u32('timestamp');
    const layout = alertLayoutOf(alertCode);
    let body: GbzAlertBody;
    if (layout !== undefined && count > 0) {
      if (count !== 1) {
        g.fail(
          'component-count',
          `alert 0x${hex4(alertCode)} carries one ${layout} component, header declares ${count}`,
          countAt,
        );
      }
      body = readAlertStructure(g, layout, 'components[0]');
      expectEnd(g, count);
    } else {
      body = { kind: 'components', components: readComponents(g, count) };
    }
    payload = { kind: 'alert', alertCode, timestamp, body };
  } else {
    payload = { kind: 'components', components: readComponents(g, count) };
  }
  r.pos += g.pos;
  return payload;
}

function expectEnd(r: Reader, count: number): void {
  if (!r.atEnd) {
    r.fail(
      `components[${count}]`,
      `header declares ${count} component${count === 1 ? '' : 's'}, but ${r.remaining} more byte${r.remaining === 1 ? '' : 's'} follow`,
    );
  }
}

/** Reads exactly `count` components filling the rest of r; the last-component flag must mark the final one only. */
function readComponents(r: Reader, count: number): GbzComponent[] {
  const components: GbzComponent[] = new Array(count);
  let flagError = -1;
  let flagErrorAt = 0;
  for (let i = 0; i < count; i++) {
    if (r.atEnd)
      r.fail(`components[${i}]`, `header declares ${count} components, but the payload ends after ${i}`);
    const at = r.offset;
    const c = readComponent(r, `components[${i}]`);
    if (flagError < 0 && c.lastComponent !== (i === count - 1)) {
      flagError = i;
      flagErrorAt = at;
    }
    components[i] = c;
  }
  expectEnd(r, count);
  if (flagError >= 0) {
    r.fail(
      `components[${flagError}].control`,
      flagError === count - 1
        ? `last-component flag (0x01) missing on the final component (${count} of ${count})`
        : `last-component flag (0x01) set on component ${flagError + 1} of ${count}`,
      flagErrorAt,
    );
  }
  return components;
}

export function encodeGbz(w: Writer, gbz: GbzPayload, ctx: GbzContext): void {
  const out = new Writer(LAYER, 256);
  out.u16(GBZ_PROFILE_ID, 'profile-id');
  const isAlert = ctx.cra === CRA_ALERT;
  if (gbz.kind === 'alert') {
    if (!isAlert) out.fail('kind', `an alert payload needs CRA flag 3, got ${ctx.cra}`);
    const body = gbz.body;
    const layout = alertLayoutOf(gbz.alertCode);
    if (body.kind === 'components') {
      if (layout !== undefined && body.components.length > 0) {
        out.fail('body', `alert 0x${hex4(gbz.alertCode)} carries a ${layout} structure, not GBZ components`);
      }
      out.u8(countOf(out, body.components), 'component-count');
      out.u16(gbz.alertCode, 'alert-code');
      out.u32(gbz.timestamp, 'timestamp');
      writeComponents(out, body.components);
    } else {
      if (layout !== body.kind) {
        out.fail(
          'body',
          `a ${String(body.kind)} structure does not belong to alert 0x${hex4(gbz.alertCode)}`,
        );
      }
      out.u8(1, 'component-count');
      out.u16(gbz.alertCode, 'alert-code');
      out.u32(gbz.timestamp, 'timestamp');
      writeAlertStructure(out, body, 'components[0]');
    }
  } else if (gbz.kind === 'components') {
    if (isAlert) out.fail('kind', 'a command or response payload needs CRA flag 1 or 2, got 3');
    out.u8(countOf(out, gbz.components), 'component-count');
    writeComponents(out, gbz.components);
  } else {
    out.fail('kind', `unknown GBZ payload kind ${String((gbz as { kind: unknown }).kind)}`);
  }
  w.bytes(out.finish());
}

function countOf(w: Writer, components: readonly GbzComponent[]): number {
  if (!Array.isArray(components)) w.fail('components', 'must be an array');
  if (components.length > 0xff)
    w.fail('component-count', `${components.length} components do not fit one byte`);
  return components.length;
}

function writeComponents(w: Writer, components: readonly GbzComponent[]): void {
  for (let i = 0; i < components.length; i++) {
    const c = components[i]!;
    if (c.lastComponent !== (i === components.length - 1)) {
      w.fail(
        `components[${i}].lastComponent`,
        `must be ${i === components.length - 1} for component ${i + 1} of ${components.length}`,
      );
    }
    writeComponent(w, c, `components[${i}]`);
  }
}
