// One GBZ Use Case Specific Component (GBCS 7.2): Extended Header Control Field (1), Extended Header
// Cluster ID (2, big-endian), Extended Header GBZ Command Length (2, big-endian, counting every byte
// after it), then either an optional From Date Time (4) and a plaintext ZCL frame, or — encrypted —
// Additional Header Control (1), Additional Header Frame Counter (1), the cleartext ZCL header, the
// Length of Ciphered Information (2) and the ciphered information: security control (1), invocation
// counter (4), ciphertext, 12-byte AES-GCM tag.
import { Reader, Writer } from '../../bytes.js';
import {
  readZclHeader,
  readZclPayload,
  writeZclHeader,
  writeZclPayload,
  type ZclHeader,
  type ZclPayload,
} from './zcl-frame.js';

// Extended Header Control Field bits (GBCS 7.2; the same masks in Wireshark's packet-gbcs.c).
const LAST_COMPONENT = 0x01;
const ENCRYPTED = 0x02;
const FROM_DATE_TIME_PRESENT = 0x10;
const RESERVED = 0xff & ~(LAST_COMPONENT | ENCRYPTED | FROM_DATE_TIME_PRESENT);

/** Length of the AES-GCM tag ending the ciphered information. */
export const GBZ_MAC_LENGTH = 12;
/** Security control (1) and invocation counter (4) in front of the ciphertext. */
const SECURITY_HEADER_LENGTH = 5;
const ZCL_HEADER_MIN = 3;
const FROM_DATE_TIME_LENGTH = 4;
const ADDITIONAL_HEADER_LENGTH = 2;
const CIPHERED_LENGTH_FIELD = 2;

export interface GbzPlainComponent {
  readonly encrypted: false;
  /** Control-field bit 0x01: set on the final component of the payload and only there. */
  readonly lastComponent: boolean;
  readonly clusterId: number;
  /** Control-field bit 0x10: UTC seconds since 2000-01-01 from which the command applies, or null when absent. */
  readonly fromDateTime: number | null;
  readonly header: ZclHeader;
  readonly payload: ZclPayload;
}

/** The ciphered ZCL payload of an encrypted component, kept as received. */
export interface GbzCipheredInformation {
  readonly securityControl: number;
  readonly invocationCounter: number;
  readonly ciphertext: Uint8Array;
  /** 12-byte AES-GCM tag. */
  readonly mac: Uint8Array;
}

export interface GbzEncryptedComponent {
  /** Control-field bit 0x02. */
  readonly encrypted: true;
  readonly lastComponent: boolean;
  readonly clusterId: number;
  readonly additionalHeaderControl: number;
  readonly additionalFrameCounter: number;
  /** The ZCL header stays in clear; only the payload is ciphered. */
  readonly header: ZclHeader;
  readonly ciphered: GbzCipheredInformation;
}

export type GbzComponent = GbzPlainComponent | GbzEncryptedComponent;

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0').toUpperCase();
}

/** Decodes one component; `path` is e.g. "components[2]". */
export function readComponent(r: Reader, path: string): GbzComponent {
  const controlAt = r.offset;
  const control = r.u8(`${path}.control`);
  if (control & RESERVED) r.fail(`${path}.control`, `reserved bits set (0x${hex2(control)})`, controlAt);
  const lastComponent = (control & LAST_COMPONENT) !== 0;
  const encrypted = (control & ENCRYPTED) !== 0;
  const hasFromDateTime = (control & FROM_DATE_TIME_PRESENT) !== 0;
  // GBCS gives no layout for both at once (Silicon Labs' GBZ controller rejects it as well).
  if (encrypted && hasFromDateTime) {
    r.fail(
      `${path}.control`,
      `an encrypted component cannot carry a From Date Time (0x${hex2(control)})`,
      controlAt,
    );
  }
  const clusterId = r.u16(`${path}.cluster-id`);
  const lengthAt = r.offset;
  const length = r.u16(`${path}.command-length`);
  if (length > r.remaining) {
    r.fail(`${path}.command-length`, `declares ${length} bytes, but only ${r.remaining} are left`, lengthAt);
  }
  const minimum = encrypted
    ? ADDITIONAL_HEADER_LENGTH +
      ZCL_HEADER_MIN +
      CIPHERED_LENGTH_FIELD +
      SECURITY_HEADER_LENGTH +
      GBZ_MAC_LENGTH
    : (hasFromDateTime ? FROM_DATE_TIME_LENGTH : 0) + ZCL_HEADER_MIN;
  if (length < minimum) {
    const what = encrypted
      ? 'an encrypted component'
      : hasFromDateTime
        ? 'a From Date Time and a ZCL header'
        : 'a ZCL header';
    r.fail(
      `${path}.command-length`,
      `declares ${length} bytes, too few for ${what} (at least ${minimum})`,
      lengthAt,
    );
  }
  const body: Reader = r.sub(length, `${path}.command`);

  if (!encrypted) {
    const fromDateTime = hasFromDateTime ? body.u32(`${path}.from-date-time`) : null;
    const header = readZclHeader(body, `${path}.zcl`);
    const payload = readZclPayload(body, header, `${path}.zcl.payload`);
    return { encrypted: false, lastComponent, clusterId, fromDateTime, header, payload };
  }

  const additionalHeaderControl = body.u8(`${path}.additional-header-control`);
  const additionalFrameCounter = body.u8(`${path}.additional-frame-counter`);
  const header = readZclHeader(body, `${path}.zcl`);
  const cipheredAt = body.offset;
  const cipheredLength = body.u16(`${path}.ciphered-length`);
  if (cipheredLength !== body.remaining) {
    body.fail(
      `${path}.ciphered-length`,
      `declares ${cipheredLength} bytes, but the component has ${body.remaining} left`,
      cipheredAt,
    );
  }
  if (cipheredLength < SECURITY_HEADER_LENGTH + GBZ_MAC_LENGTH) {
    body.fail(
      `${path}.ciphered-length`,
      `declares ${cipheredLength} bytes, too few for a security header and a ${GBZ_MAC_LENGTH}-byte MAC`,
      cipheredAt,
    );
  }
  const securityControl = body.u8(`${path}.security-control`);
  const invocationCounter = body.u32(`${path}.invocation-counter`);
  const ciphertext = body.bytes(
    cipheredLength - SECURITY_HEADER_LENGTH - GBZ_MAC_LENGTH,
    `${path}.ciphertext`,
  );
  const mac = body.bytes(GBZ_MAC_LENGTH, `${path}.mac`);
  return {
    encrypted: true,
    lastComponent,
    clusterId,
    additionalHeaderControl,
    additionalFrameCounter,
    header,
    ciphered: { securityControl, invocationCounter, ciphertext, mac },
  };
}

export function writeComponent(w: Writer, c: GbzComponent, path: string): void {
  const body = new Writer(w.layer, 64);
  let control = c.lastComponent ? LAST_COMPONENT : 0;
  if (c.encrypted === false) {
    if (c.fromDateTime !== null) {
      control |= FROM_DATE_TIME_PRESENT;
      body.u32(c.fromDateTime, `${path}.from-date-time`);
    }
    writeZclHeader(body, c.header, `${path}.zcl`);
    writeZclPayload(body, c.header, c.payload, `${path}.zcl.payload`);
  } else if (c.encrypted === true) {
    control |= ENCRYPTED;
    body.u8(c.additionalHeaderControl, `${path}.additional-header-control`);
    body.u8(c.additionalFrameCounter, `${path}.additional-frame-counter`);
    writeZclHeader(body, c.header, `${path}.zcl`);
    const { securityControl, invocationCounter, ciphertext, mac } = c.ciphered;
    if (!(ciphertext instanceof Uint8Array)) body.fail(`${path}.ciphertext`, 'must be a Uint8Array');
    const cipheredLength = SECURITY_HEADER_LENGTH + ciphertext.length + GBZ_MAC_LENGTH;
    if (cipheredLength > 0xffff)
      body.fail(`${path}.ciphertext`, `${ciphertext.length} bytes do not fit the 2-byte ciphered length`);
    body.u16(cipheredLength, `${path}.ciphered-length`);
    body.u8(securityControl, `${path}.security-control`);
    body.u32(invocationCounter, `${path}.invocation-counter`);
    body.bytes(ciphertext);
    body.fixed(mac, GBZ_MAC_LENGTH, `${path}.mac`);
  } else {
    w.fail(
      `${path}.encrypted`,
      `must be true or false, got ${String((c as { encrypted: unknown }).encrypted)}`,
    );
  }
  if (body.pos > 0xffff)
    w.fail(`${path}.command-length`, `${body.pos} bytes do not fit the 2-byte command length`);
  w.u8(control, `${path}.control`);
  w.u16(c.clusterId, `${path}.cluster-id`);
  w.u16(body.pos, `${path}.command-length`);
  w.bytes(body.finish());
}
