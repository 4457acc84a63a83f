// ZigBee OTA Upgrade image files (ZCL OTA Upgrade cluster, "OTA File Format"), as carried base64 in the
// DUIS 11.1 / 11.4 <FirmwareImage>. Everything is little-endian:
//   file identifier 0x0BEEF11E (u32) | header version 0x0100 (u16) | header length (u16) |
//   header field control (u16) | manufacturer code (u16) | image type (u16) | file version (u32) |
//   ZigBee stack version (u16) | header string (32 octets) | total image size (u32, header included) |
//   [security credential version (u8), field control bit 0] | [upgrade file destination (EUI-64, bit 1)] |
//   [minimum hardware version (u16), maximum hardware version (u16), bit 2]
// then the body. ZCL makes the body a sequence of sub-elements: tag id (u16) | length (u32) | data.
// The GBCS sample images in the DUIS templates do not: after the header comes the manufacturer's image
// itself, so a body that is not a well-formed sub-element sequence is kept whole as `payload`.
import { DecodeError, EncodeError, Reader, Writer, toHex } from '../bytes.js';
import { eui64FromBytes, eui64ToBytes, type Eui64 } from '../eui64.js';
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from '../gbcs/gbz/le.js';

const LAYER = 'ota';

/** First four octets of every OTA file (0x1E 0xF1 0xEE 0x0B on the wire). */
export const OTA_FILE_IDENTIFIER = 0x0beef11e;
/** The only header version whose layout is defined. */
export const OTA_HEADER_VERSION = 0x0100;
/** Octets of the header without any optional field. */
export const OTA_HEADER_BASE_LENGTH = 56;
export const OTA_HEADER_STRING_LENGTH = 32;

/** Header field control bits. */
export const OTA_FIELD_CONTROL = {
  securityCredentialVersion: 0x0001,
  deviceSpecificFile: 0x0002,
  hardwareVersions: 0x0004,
} as const;
const KNOWN_FIELD_CONTROL = 0x0007;

/** Sub-element tag ids. 0xF000–0xFFFF are manufacturer specific; the rest is reserved. */
export const OTA_TAG = {
  upgradeImage: 0x0000,
  ecdsaSignature: 0x0001,
  ecdsaSigningCertificate: 0x0002,
  imageIntegrityCode: 0x0003,
  pictureData: 0x0004,
  ecdsaSignature2: 0x0005,
  ecdsaSigningCertificate2: 0x0006,
  manufacturerSpecificFirst: 0xf000,
  manufacturerSpecificLast: 0xffff,
} as const;

/** Fixed data lengths of the security tags (signer IEEE address 8 + signature; certificates; AES-MMO hash). */
const FIXED_TAG_LENGTH: ReadonlyMap<number, number> = new Map([
  [OTA_TAG.ecdsaSignature, 8 + 42],
  [OTA_TAG.ecdsaSigningCertificate, 48],
  [OTA_TAG.imageIntegrityCode, 16],
  [OTA_TAG.ecdsaSignature2, 8 + 72],
  [OTA_TAG.ecdsaSigningCertificate2, 74],
]);

const TAG_NAMES: ReadonlyMap<number, string> = new Map([
  [OTA_TAG.upgradeImage, 'upgrade image'],
  [OTA_TAG.ecdsaSignature, 'ECDSA signature (crypto suite 1)'],
  [OTA_TAG.ecdsaSigningCertificate, 'ECDSA signing certificate (crypto suite 1)'],
  [OTA_TAG.imageIntegrityCode, 'image integrity code'],
  [OTA_TAG.pictureData, 'picture data'],
  [OTA_TAG.ecdsaSignature2, 'ECDSA signature (crypto suite 2)'],
  [OTA_TAG.ecdsaSigningCertificate2, 'ECDSA signing certificate (crypto suite 2)'],
]);

/** A human name for a tag id: known tags by name, then manufacturer specific, else reserved. */
export function otaTagName(tag: number): string {
  const known = TAG_NAMES.get(tag);
  if (known !== undefined) return known;
  return tag >= OTA_TAG.manufacturerSpecificFirst ? 'manufacturer specific' : 'reserved';
}

export interface OtaHeader {
  manufacturerCode: number;
  imageType: number;
  fileVersion: number;
  zigbeeStackVersion: number;
  /** Exactly 32 octets, as on the wire (text, usually NUL- or space-padded). */
  headerString: Uint8Array;
  /** Field control bit 0. */
  securityCredentialVersion?: number;
  /** Field control bit 1 (device specific file): the device it is for. */
  upgradeFileDestination?: Eui64;
  /** Field control bit 2: both or neither. */
  minimumHardwareVersion?: number;
  maximumHardwareVersion?: number;
}

/** One sub-element. Unknown (reserved or manufacturer specific) tags keep their id and raw data. */
export interface OtaSubElement {
  tag: number;
  data: Uint8Array;
}

export interface OtaImage {
  header: OtaHeader;
  /** ZCL sub-elements in file order; empty when `payload` holds the body. */
  elements: OtaSubElement[];
  /** The body kept whole, when it is not (or is not to be read as) a sub-element sequence. */
  payload?: Uint8Array;
}

/**
 * How to read the bytes after the header. 'sub-elements': strictly as ZCL sub-elements;
 * 'opaque': kept whole in `payload`; 'auto' (default): sub-elements if the whole body parses as
 * such, otherwise opaque.
 */
export type OtaBodyLayout = 'auto' | 'sub-elements' | 'opaque';

export interface OtaDecodeOptions {
  layout?: OtaBodyLayout;
}

// ---- little-endian primitives on top of the big-endian Reader / Writer ----

function reversed(b: Uint8Array): Uint8Array {
  return b.slice().reverse();
}

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(digits, '0');
}

/** Header length implied by the optional fields a field control announces. */
function headerLengthFor(fieldControl: number): number {
  return (
    OTA_HEADER_BASE_LENGTH +
    (fieldControl & OTA_FIELD_CONTROL.securityCredentialVersion ? 1 : 0) +
    (fieldControl & OTA_FIELD_CONTROL.deviceSpecificFile ? 8 : 0) +
    (fieldControl & OTA_FIELD_CONTROL.hardwareVersions ? 4 : 0)
  );
}

// ---- decode ----

export function decodeOtaImage(bytes: Uint8Array, options: OtaDecodeOptions = {}): OtaImage {
  const layout = options.layout ?? 'auto';
  const r = new Reader(bytes, LAYER);

  const idAt = r.offset;
  const id = readU32LE(r, 'header.file-identifier');
  if (id !== OTA_FILE_IDENTIFIER)
    r.fail('header.file-identifier', `expected ${hex(OTA_FILE_IDENTIFIER, 8)}, got ${hex(id, 8)}`, idAt);
  const versionAt = r.offset;
  const version = readU16LE(r, 'header.header-version');
  if (version !== OTA_HEADER_VERSION)
    r.fail('header.header-version', `expected 0x0100, got ${hex(version, 4)}`, versionAt);
  const lengthAt = r.offset;
  const headerLength = readU16LE(r, 'header.header-length');
  const controlAt = r.offset;
  const fieldControl = readU16LE(r, 'header.field-control');
  if (fieldControl & ~KNOWN_FIELD_CONTROL)
    r.fail('header.field-control', `reserved bits set in ${hex(fieldControl, 4)}`, controlAt);
  const expectedLength = headerLengthFor(fieldControl);
  if (headerLength !== expectedLength) {
    r.fail(
      'header.header-length',
      `says ${headerLength}, but field control ${hex(fieldControl, 4)} makes the header ${expectedLength} octets`,
      lengthAt,
    );
  }
  const header: OtaHeader = {
    manufacturerCode: readU16LE(r, 'header.manufacturer-code'),
    imageType: readU16LE(r, 'header.image-type'),
    fileVersion: readU32LE(r, 'header.file-version'),
    zigbeeStackVersion: readU16LE(r, 'header.zigbee-stack-version'),
    headerString: r.bytes(OTA_HEADER_STRING_LENGTH, 'header.header-string'),
  };
  const sizeAt = r.offset;
  const totalSize = readU32LE(r, 'header.total-image-size');
  if (fieldControl & OTA_FIELD_CONTROL.securityCredentialVersion)
    header.securityCredentialVersion = r.u8('header.security-credential-version');
  if (fieldControl & OTA_FIELD_CONTROL.deviceSpecificFile)
    header.upgradeFileDestination = eui64FromBytes(reversed(r.bytes(8, 'header.upgrade-file-destination')));
  if (fieldControl & OTA_FIELD_CONTROL.hardwareVersions) {
    header.minimumHardwareVersion = readU16LE(r, 'header.minimum-hardware-version');
    header.maximumHardwareVersion = readU16LE(r, 'header.maximum-hardware-version');
  }
  if (totalSize !== bytes.length) {
    r.fail(
      'header.total-image-size',
      `says ${totalSize} octets, but the file is ${bytes.length} octets`,
      sizeAt,
    );
  }

  const bodyAt = r.offset;
  if (layout === 'opaque') return { header, elements: [], payload: r.rest() };
  if (layout === 'sub-elements') return { header, elements: decodeSubElements(r) };
  try {
    return { header, elements: decodeSubElements(r) };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    r.pos = bodyAt;
    return { header, elements: [], payload: r.rest() };
  }
}

function decodeSubElements(r: Reader): OtaSubElement[] {
  const elements: OtaSubElement[] = [];
  while (!r.atEnd) {
    const path = `elements[${elements.length}]`;
    const tag = readU16LE(r, `${path}.tag`);
    const lengthAt = r.offset;
    const length = readU32LE(r, `${path}.length`);
    if (length > r.remaining)
      r.fail(`${path}.length`, `says ${length} octets, but ${r.remaining} remain in the file`, lengthAt);
    const fixed = FIXED_TAG_LENGTH.get(tag);
    if (fixed !== undefined && length !== fixed)
      r.fail(`${path}.length`, `${otaTagName(tag)} is ${fixed} octets, got ${length}`, lengthAt);
    elements.push({ tag, data: r.bytes(length, `${path}.data`) });
  }
  return elements;
}

// ---- encode ----

/** Header length, field control and total image size are computed from what is present. */
export function encodeOtaImage(image: OtaImage): Uint8Array {
  const h = image.header;
  const fail = (path: string, reason: string): never => {
    throw new EncodeError(LAYER, path, reason);
  };
  const hasMin = h.minimumHardwareVersion !== undefined;
  const hasMax = h.maximumHardwareVersion !== undefined;
  if (hasMin !== hasMax)
    fail(
      'header.hardware-versions',
      'minimum and maximum hardware version go together: give both or neither',
    );
  if (image.payload !== undefined && image.elements.length > 0)
    fail('payload', 'an image has either sub-elements or an opaque payload, not both');

  const fieldControl =
    (h.securityCredentialVersion !== undefined ? OTA_FIELD_CONTROL.securityCredentialVersion : 0) |
    (h.upgradeFileDestination !== undefined ? OTA_FIELD_CONTROL.deviceSpecificFile : 0) |
    (hasMin ? OTA_FIELD_CONTROL.hardwareVersions : 0);
  const headerLength = headerLengthFor(fieldControl);

  let bodyLength = 0;
  if (image.payload !== undefined) bodyLength = image.payload.length;
  image.elements.forEach((e, i) => {
    const path = `elements[${i}]`;
    if (!Number.isInteger(e.tag) || e.tag < 0 || e.tag > 0xffff)
      fail(`${path}.tag`, `${e.tag} is not an unsigned 16-bit integer`);
    if (!(e.data instanceof Uint8Array)) fail(`${path}.data`, 'expected bytes');
    const fixed = FIXED_TAG_LENGTH.get(e.tag);
    if (fixed !== undefined && e.data.length !== fixed)
      fail(`${path}.data`, `${otaTagName(e.tag)} is ${fixed} octets, got ${e.data.length}`);
    bodyLength += 6 + e.data.length;
  });
  const totalSize = headerLength + bodyLength;
  if (totalSize > 0xffffffff) fail('header.total-image-size', `${totalSize} octets do not fit 32 bits`);

  const w = new Writer(LAYER, totalSize);
  writeU32LE(w, OTA_FILE_IDENTIFIER, 'header.file-identifier');
  writeU16LE(w, OTA_HEADER_VERSION, 'header.header-version');
  writeU16LE(w, headerLength, 'header.header-length');
  writeU16LE(w, fieldControl, 'header.field-control');
  writeU16LE(w, h.manufacturerCode, 'header.manufacturer-code');
  writeU16LE(w, h.imageType, 'header.image-type');
  writeU32LE(w, h.fileVersion, 'header.file-version');
  writeU16LE(w, h.zigbeeStackVersion, 'header.zigbee-stack-version');
  w.fixed(h.headerString, OTA_HEADER_STRING_LENGTH, 'header.header-string');
  writeU32LE(w, totalSize, 'header.total-image-size');
  if (h.securityCredentialVersion !== undefined)
    w.u8(h.securityCredentialVersion, 'header.security-credential-version');
  if (h.upgradeFileDestination !== undefined) {
    if (!/^[0-9A-F]{16}$/.test(h.upgradeFileDestination))
      fail('header.upgrade-file-destination', `"${h.upgradeFileDestination}" is not an EUI-64`);
    w.bytes(reversed(eui64ToBytes(h.upgradeFileDestination)));
  }
  if (h.minimumHardwareVersion !== undefined && h.maximumHardwareVersion !== undefined) {
    writeU16LE(w, h.minimumHardwareVersion, 'header.minimum-hardware-version');
    writeU16LE(w, h.maximumHardwareVersion, 'header.maximum-hardware-version');
  }
  if (image.payload !== undefined) w.bytes(image.payload);
  image.elements.forEach((e, i) => {
    writeU16LE(w, e.tag, `elements[${i}].tag`);
    writeU32LE(w, e.data.length, `elements[${i}].length`);
    w.bytes(e.data);
  });
  return w.finish();
}

// ---- helpers ----

/** A 32-octet header string from text (Latin-1), NUL padded; EncodeError if longer than 32. */
export function otaHeaderString(text: string): Uint8Array {
  if (text.length > OTA_HEADER_STRING_LENGTH)
    throw new EncodeError(LAYER, 'header.header-string', `"${text}" is longer than 32 characters`);
  const out = new Uint8Array(OTA_HEADER_STRING_LENGTH);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new EncodeError(LAYER, 'header.header-string', `"${text}" is not Latin-1`);
    out[i] = c;
  }
  return out;
}

/** The header string as text: Latin-1, trailing NULs dropped. */
export function otaHeaderText(headerString: Uint8Array): string {
  let end = headerString.length;
  while (end > 0 && headerString[end - 1] === 0) end--;
  return String.fromCharCode(...headerString.subarray(0, end));
}

export interface OtaImageSummary {
  manufacturerCode: string;
  imageType: string;
  fileVersion: string;
  zigbeeStackVersion: string;
  headerString: string;
  size: number;
  securityCredentialVersion?: number;
  upgradeFileDestination?: string;
  hardwareVersions?: string;
  tags: string[];
  payload?: string;
}

/** A plain object for printing. */
export function otaImageSummary(image: OtaImage): OtaImageSummary {
  const h = image.header;
  const headerLength = headerLengthFor(
    (h.securityCredentialVersion !== undefined ? 1 : 0) |
      (h.upgradeFileDestination !== undefined ? 2 : 0) |
      (h.minimumHardwareVersion !== undefined ? 4 : 0),
  );
  const bodyLength = (image.payload?.length ?? 0) + image.elements.reduce((n, e) => n + 6 + e.data.length, 0);
  const s: OtaImageSummary = {
    manufacturerCode: hex(h.manufacturerCode, 4),
    imageType: hex(h.imageType, 4),
    fileVersion: hex(h.fileVersion, 8),
    zigbeeStackVersion: hex(h.zigbeeStackVersion, 4),
    headerString: otaHeaderText(h.headerString),
    size: headerLength + bodyLength,
    tags: image.elements.map((e) => `${hex(e.tag, 4)} ${otaTagName(e.tag)}: ${e.data.length} octets`),
  };
  if (h.securityCredentialVersion !== undefined) s.securityCredentialVersion = h.securityCredentialVersion;
  if (h.upgradeFileDestination !== undefined) s.upgradeFileDestination = h.upgradeFileDestination;
  if (h.minimumHardwareVersion !== undefined && h.maximumHardwareVersion !== undefined)
    s.hardwareVersions = `${hex(h.minimumHardwareVersion, 4)}..${hex(h.maximumHardwareVersion, 4)}`;
  if (image.payload !== undefined) {
    const p = image.payload;
    s.payload = `${p.length} octets, not sub-elements: ${toHex(p.subarray(0, 16))}${p.length > 16 ? '…' : ''}`;
  }
  return s;
}
