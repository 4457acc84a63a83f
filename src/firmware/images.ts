// Firmware images held once (issue 7): a 700 kB image sent to 1,000 premises is one Uint8Array in this store, keyed by
// its SHA-256, never copied into actor state. Actor state names an image by that key (plain data, serialisable); the
// store is part of the actors' env, like the key store. It stands for what the CSP delivered into each CH's flash
// (content-addressed: the same image is the same bytes wherever it lands) [A]. The DSP stores each image once in the
// Store (firmware_images) with its 11.1 / 11.4 request, and Dcc.open puts them back here after a restart.
import { createHash } from 'node:crypto';
import { toHex } from '../codec/bytes.js';
import { decodeOtaImage, type OtaHeader } from '../codec/ota/image.js';
import { DEFAULT_OTA_LINK, type OtaLinkParams } from './ota-timing.js';

/** Images by the hex SHA-256 of the whole OTA file. */
export class FirmwareImageStore {
  private readonly images = new Map<string, Uint8Array>();

  /** Holds `bytes` (once, whoever else holds the same image) and returns its key. */
  put(bytes: Uint8Array): string {
    const key = sha256Hex(bytes);
    if (!this.images.has(key)) this.images.set(key, bytes);
    return key;
  }

  get(key: string): Uint8Array | undefined {
    return this.images.get(key);
  }

  get size(): number {
    return this.images.size;
  }
}

/** What the actors' env carries for firmware: the image store and the OTA link parameters. */
export interface FirmwareEnv {
  readonly images: FirmwareImageStore;
  readonly ota: OtaLinkParams;
}

export function firmwareEnv(ota: OtaLinkParams = DEFAULT_OTA_LINK): FirmwareEnv {
  return { images: new FirmwareImageStore(), ota };
}

export function sha256Hex(bytes: Uint8Array): string {
  return toHex(createHash('sha256').update(bytes).digest());
}

/** The trailing manufacturer signature of ESME/CH images: 0x0040 ‖ 64-octet ECDSA signature (domain brief §4.5) [O]. */
const SIGNATURE_TRAILER = 2 + 64;

/**
 * The Manufacturer Image of an OTA file: the octets after the OTA header, without the trailing manufacturer signature
 * when the image carries one (11.1 images do, 11.4 PPMID images do not: domain brief §4.5).
 */
export function manufacturerImage(file: Uint8Array, signed: boolean): Uint8Array {
  decodeOtaImage(file, { layout: 'opaque' });
  const headerLength = file[6]! | (file[7]! << 8);
  const end =
    signed &&
    file.length >= headerLength + SIGNATURE_TRAILER &&
    file[file.length - SIGNATURE_TRAILER] === 0x00 &&
    file[file.length - SIGNATURE_TRAILER + 1] === 0x40
      ? file.length - SIGNATURE_TRAILER
      : file.length;
  return file.subarray(headerLength, end);
}

/**
 * The FirmwareHash SR 11.3 carries and CS06 checks (GBCS "manufacturerImageHash"): SHA-256 of the Manufacturer Image
 * [A: GBCS's definition as we read it; the DUIS templates carry a placeholder hash, not one of their images].
 */
export function manufacturerImageHash(file: Uint8Array, signed: boolean): Uint8Array {
  return new Uint8Array(createHash('sha256').update(manufacturerImage(file, signed)).digest());
}

/** The OTA header of an image file (DecodeError if it is not one). */
export function otaHeaderOf(file: Uint8Array): OtaHeader {
  return decodeOtaImage(file, { layout: 'opaque' }).header;
}
