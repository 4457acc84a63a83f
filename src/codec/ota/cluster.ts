// ZigBee OTA Upgrade cluster (0x0019) commands as ZCL frames (ZCL OTA 11.13): the exchange between the OTA server (the
// CHF, SECMP0007) and a client (PPMID, ESME, HCALCS). Everything after the ZCL header is little-endian.
//   ZCL header: frame control (u8: frame type 01 cluster-specific, bit 2 manufacturer-specific, bit 3 direction
//   server→client, bit 4 disable default response, bits 5–7 reserved) | [manufacturer code (u16), bit 2] |
//   transaction sequence number (u8) | command id (u8)
//   0x00 Image Notify (S→C)           payload type (u8 0–3) | query jitter (u8) | [manufacturer code u16, type ≥ 1] |
//                                     [image type u16, type ≥ 2] | [file version u32, type 3]
//   0x01 Query Next Image Request     field control (u8, bit 0 hardware version) | manufacturer code | image type |
//                                     current file version (u32) | [hardware version (u16)]
//   0x02 Query Next Image Response    status (u8) | SUCCESS: manufacturer code | image type | file version | image size (u32)
//   0x03 Image Block Request          field control (u8, bit 0 IEEE address, bit 1 minimum block period) | manufacturer
//                                     code | image type | file version | file offset (u32) | maximum data size (u8) |
//                                     [request node address (EUI-64)] | [minimum block period (u16, ms)]
//   0x04 Image Page Request           field control (u8, bit 0 IEEE address) | manufacturer code | image type | file
//                                     version | file offset | maximum data size | page size (u16) | response spacing
//                                     (u16, ms) | [request node address]
//   0x05 Image Block Response         status (u8) | SUCCESS: manufacturer code | image type | file version | file offset |
//                                     data size (u8) | data;  WAIT_FOR_DATA: current time (u32) | request time (u32) |
//                                     minimum block period (u16);  any other status (ABORT): nothing
//   0x06 Upgrade End Request          status (u8) | manufacturer code | image type | file version
//   0x07 Upgrade End Response         manufacturer code | image type | file version | current time (u32) | upgrade
//                                     time (u32)
// Query Device Specific File (0x08/0x09) is not used by GBCS's OTA and is refused as an unknown command.
// Every decodable frame has one typed form and re-encodes to the same bytes.
import { DecodeError, EncodeError, Reader, Writer } from '../bytes.js';
import { eui64FromBytes, eui64ToBytes, type Eui64 } from '../eui64.js';
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from '../gbcs/gbz/le.js';

const LAYER = 'zcl-ota';

/** The OTA Upgrade cluster id (ZCL OTA 11.13). */
export const OTA_CLUSTER_ID = 0x0019;

/** ZCL status codes the OTA cluster uses (ZCL OTA 11.13.2). */
export const OTA_STATUS = {
  success: 0x00,
  notAuthorized: 0x7e,
  abort: 0x95,
  invalidImage: 0x96,
  waitForData: 0x97,
  noImageAvailable: 0x98,
  requireMoreImage: 0x99,
} as const;

/** Command ids (ZCL OTA 11.13.4). */
export const OTA_COMMAND_ID = {
  'image-notify': 0x00,
  'query-next-image-request': 0x01,
  'query-next-image-response': 0x02,
  'image-block-request': 0x03,
  'image-page-request': 0x04,
  'image-block-response': 0x05,
  'upgrade-end-request': 0x06,
  'upgrade-end-response': 0x07,
} as const;
export type OtaCommandName = keyof typeof OTA_COMMAND_ID;

/** Which image a command is about. */
export interface OtaImageId {
  readonly manufacturerCode: number;
  readonly imageType: number;
  readonly fileVersion: number;
}

export type OtaCommand =
  | {
      readonly command: 'image-notify';
      /** 0: jitter only; 1: + manufacturer code; 2: + image type; 3: + file version. */
      readonly payloadType: 0 | 1 | 2 | 3;
      readonly queryJitter: number;
      readonly manufacturerCode?: number;
      readonly imageType?: number;
      readonly fileVersion?: number;
    }
  | {
      readonly command: 'query-next-image-request';
      readonly manufacturerCode: number;
      readonly imageType: number;
      readonly currentFileVersion: number;
      readonly hardwareVersion?: number;
    }
  | ({
      readonly command: 'query-next-image-response';
      readonly status: 0x00;
      readonly imageSize: number;
    } & OtaImageId)
  | { readonly command: 'query-next-image-response'; readonly status: number }
  | ({
      readonly command: 'image-block-request';
      readonly fileOffset: number;
      readonly maxDataSize: number;
      readonly requestNodeAddress?: Eui64;
      /** The client's BlockRequestDelay / MinimumBlockPeriod, ms. */
      readonly minimumBlockPeriod?: number;
    } & OtaImageId)
  | ({
      readonly command: 'image-page-request';
      readonly fileOffset: number;
      readonly maxDataSize: number;
      readonly pageSize: number;
      readonly responseSpacing: number;
      readonly requestNodeAddress?: Eui64;
    } & OtaImageId)
  | ({
      readonly command: 'image-block-response';
      readonly status: 0x00;
      readonly fileOffset: number;
      readonly data: Uint8Array;
    } & OtaImageId)
  | {
      readonly command: 'image-block-response';
      readonly status: 0x97;
      readonly currentTime: number;
      readonly requestTime: number;
      readonly minimumBlockPeriod: number;
    }
  | { readonly command: 'image-block-response'; readonly status: number }
  | ({ readonly command: 'upgrade-end-request'; readonly status: number } & OtaImageId)
  | ({
      readonly command: 'upgrade-end-response';
      /** UTC seconds since 2000-01-01 (ZigBee UTCTime); 0: the client's own time is not known. */
      readonly currentTime: number;
      /** When to upgrade, same time base; 0xFFFFFFFF: wait for a further Upgrade End Response. */
      readonly upgradeTime: number;
    } & OtaImageId);

/** One ZCL frame of the OTA cluster. */
export interface OtaFrame {
  /** Set when the frame is manufacturer-specific (frame control bit 2). */
  readonly manufacturerCode?: number;
  readonly disableDefaultResponse: boolean;
  readonly sequence: number;
  readonly command: OtaCommand;
}

const NAME_OF: ReadonlyMap<number, OtaCommandName> = new Map(
  Object.entries(OTA_COMMAND_ID).map(([name, id]) => [id, name as OtaCommandName]),
);

/** Commands the server sends (direction bit set). */
const SERVER_TO_CLIENT: ReadonlySet<OtaCommandName> = new Set([
  'image-notify',
  'query-next-image-response',
  'image-block-response',
  'upgrade-end-response',
]);

/** Whether the server (the CHF) sends this command. */
export function sentByServer(command: OtaCommandName): boolean {
  return SERVER_TO_CLIENT.has(command);
}

/** ZCL header length without the manufacturer code: frame control, sequence, command id. */
export const ZCL_HEADER_LENGTH = 3;
/** Octets of an Image Block Request without its optional fields (ZCL header included). */
export const IMAGE_BLOCK_REQUEST_LENGTH = ZCL_HEADER_LENGTH + 14;
/** Octets of a successful Image Block Response before its data (ZCL header included). */
export const IMAGE_BLOCK_RESPONSE_HEAD_LENGTH = ZCL_HEADER_LENGTH + 14;

// ---- little-endian primitives ----

function eui(r: Reader, path: string): Eui64 {
  return eui64FromBytes(r.bytes(8, path).reverse());
}

function putU8(w: Writer, v: number, path: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) w.fail(path, `${v} is not an unsigned 8-bit integer`);
  w.u8(v);
}

function putEui(w: Writer, v: Eui64, path: string): void {
  let b: Uint8Array;
  try {
    b = eui64ToBytes(v);
  } catch {
    w.fail(path, `${String(v)} is not an EUI-64`);
  }
  w.bytes(b.slice().reverse());
}

function imageId(r: Reader): OtaImageId {
  return {
    manufacturerCode: readU16LE(r, 'manufacturer-code'),
    imageType: readU16LE(r, 'image-type'),
    fileVersion: readU32LE(r, 'file-version'),
  };
}

function putImageId(w: Writer, c: OtaImageId): void {
  writeU16LE(w, c.manufacturerCode, 'manufacturerCode');
  writeU16LE(w, c.imageType, 'imageType');
  writeU32LE(w, c.fileVersion, 'fileVersion');
}

// ---- decode ----

/** Reads one OTA cluster ZCL frame; anything else is a DecodeError naming the offset and field. */
export function decodeOtaFrame(bytes: Uint8Array): OtaFrame {
  const r = new Reader(bytes, LAYER);
  const fc = r.u8('frame-control');
  if ((fc & 0x03) !== 0x01) r.fail('frame-control', `frame type ${fc & 0x03} is not cluster-specific (1)`, 0);
  if ((fc & 0xe0) !== 0) r.fail('frame-control', 'reserved bits set', 0);
  const manufacturerCode = fc & 0x04 ? readU16LE(r, 'manufacturer-code') : undefined;
  const sequence = r.u8('sequence');
  const idAt = r.offset;
  const id = r.u8('command-id');
  const name: OtaCommandName =
    NAME_OF.get(id) ??
    r.fail('command-id', `0x${id.toString(16)} is not an OTA command this codec reads`, idAt);
  const serverToClient = (fc & 0x08) !== 0;
  if (serverToClient !== sentByServer(name))
    r.fail('frame-control', `direction bit ${serverToClient ? 1 : 0} does not match ${name}`, 0);
  const command = decodeCommand(r, name);
  r.finish(name);
  return {
    ...(manufacturerCode !== undefined && { manufacturerCode }),
    disableDefaultResponse: (fc & 0x10) !== 0,
    sequence,
    command,
  };
}

function decodeCommand(r: Reader, name: OtaCommandName): OtaCommand {
  switch (name) {
    case 'image-notify': {
      const at = r.offset;
      const payloadType = r.u8('image-notify.payload-type');
      if (payloadType > 3) r.fail('image-notify.payload-type', `${payloadType} is reserved`, at);
      const queryJitter = r.u8('image-notify.query-jitter');
      return {
        command: name,
        payloadType: payloadType as 0 | 1 | 2 | 3,
        queryJitter,
        ...(payloadType >= 1 && { manufacturerCode: readU16LE(r, 'image-notify.manufacturer-code') }),
        ...(payloadType >= 2 && { imageType: readU16LE(r, 'image-notify.image-type') }),
        ...(payloadType >= 3 && { fileVersion: readU32LE(r, 'image-notify.file-version') }),
      };
    }
    case 'query-next-image-request': {
      const at = r.offset;
      const control = r.u8('query-next-image-request.field-control');
      if ((control & 0xfe) !== 0) r.fail('query-next-image-request.field-control', 'reserved bits set', at);
      return {
        command: name,
        manufacturerCode: readU16LE(r, 'query-next-image-request.manufacturer-code'),
        imageType: readU16LE(r, 'query-next-image-request.image-type'),
        currentFileVersion: readU32LE(r, 'query-next-image-request.current-file-version'),
        ...(control & 0x01 && { hardwareVersion: readU16LE(r, 'query-next-image-request.hardware-version') }),
      };
    }
    case 'query-next-image-response': {
      const status = r.u8('query-next-image-response.status');
      if (status !== OTA_STATUS.success) return { command: name, status };
      return { command: name, status: 0x00, ...imageId(r), imageSize: readU32LE(r, 'image-size') };
    }
    case 'image-block-request': {
      const at = r.offset;
      const control = r.u8('image-block-request.field-control');
      if ((control & 0xfc) !== 0) r.fail('image-block-request.field-control', 'reserved bits set', at);
      const id = imageId(r);
      const fileOffset = readU32LE(r, 'image-block-request.file-offset');
      const maxDataSize = r.u8('image-block-request.maximum-data-size');
      return {
        command: name,
        ...id,
        fileOffset,
        maxDataSize,
        ...(control & 0x01 && { requestNodeAddress: eui(r, 'image-block-request.request-node-address') }),
        ...(control & 0x02 && {
          minimumBlockPeriod: readU16LE(r, 'image-block-request.minimum-block-period'),
        }),
      };
    }
    case 'image-page-request': {
      const at = r.offset;
      const control = r.u8('image-page-request.field-control');
      if ((control & 0xfe) !== 0) r.fail('image-page-request.field-control', 'reserved bits set', at);
      const id = imageId(r);
      return {
        command: name,
        ...id,
        fileOffset: readU32LE(r, 'image-page-request.file-offset'),
        maxDataSize: r.u8('image-page-request.maximum-data-size'),
        pageSize: readU16LE(r, 'image-page-request.page-size'),
        responseSpacing: readU16LE(r, 'image-page-request.response-spacing'),
        ...(control & 0x01 && { requestNodeAddress: eui(r, 'image-page-request.request-node-address') }),
      };
    }
    case 'image-block-response': {
      const status = r.u8('image-block-response.status');
      if (status === OTA_STATUS.success) {
        const id = imageId(r);
        const fileOffset = readU32LE(r, 'image-block-response.file-offset');
        const size = r.u8('image-block-response.data-size');
        return {
          command: name,
          status: 0x00,
          ...id,
          fileOffset,
          data: r.bytes(size, 'image-block-response.data'),
        };
      }
      if (status === OTA_STATUS.waitForData)
        return {
          command: name,
          status: 0x97,
          currentTime: readU32LE(r, 'image-block-response.current-time'),
          requestTime: readU32LE(r, 'image-block-response.request-time'),
          minimumBlockPeriod: readU16LE(r, 'image-block-response.minimum-block-period'),
        };
      return { command: name, status };
    }
    case 'upgrade-end-request': {
      const status = r.u8('upgrade-end-request.status');
      return { command: name, status, ...imageId(r) };
    }
    case 'upgrade-end-response':
      return {
        command: name,
        ...imageId(r),
        currentTime: readU32LE(r, 'upgrade-end-response.current-time'),
        upgradeTime: readU32LE(r, 'upgrade-end-response.upgrade-time'),
      };
  }
}

// ---- encode ----

/** Writes one OTA cluster ZCL frame; an inconsistent value is an EncodeError. */
export function encodeOtaFrame(frame: OtaFrame): Uint8Array {
  const w = new Writer(LAYER, 32);
  const c = frame.command;
  const id = OTA_COMMAND_ID[c.command];
  if (id === undefined)
    w.fail('command', `unknown OTA command ${String((c as { command: unknown }).command)}`);
  const fc =
    0x01 |
    (frame.manufacturerCode !== undefined ? 0x04 : 0) |
    (sentByServer(c.command) ? 0x08 : 0) |
    (frame.disableDefaultResponse ? 0x10 : 0);
  w.u8(fc);
  if (frame.manufacturerCode !== undefined) writeU16LE(w, frame.manufacturerCode, 'manufacturerCode');
  putU8(w, frame.sequence, 'sequence');
  w.u8(id);
  encodeCommand(w, c);
  return w.finish();
}

function encodeCommand(w: Writer, c: OtaCommand): void {
  switch (c.command) {
    case 'image-notify': {
      const t = c.payloadType;
      if (![0, 1, 2, 3].includes(t)) w.fail('payloadType', `${String(t)} is not 0–3`);
      const present = [
        c.manufacturerCode !== undefined,
        c.imageType !== undefined,
        c.fileVersion !== undefined,
      ];
      if (present.some((p, i) => p !== i < t))
        w.fail('payloadType', `payload type ${t} does not match the fields given`);
      putU8(w, t, 'payloadType');
      putU8(w, c.queryJitter, 'queryJitter');
      if (c.manufacturerCode !== undefined) writeU16LE(w, c.manufacturerCode, 'manufacturerCode');
      if (c.imageType !== undefined) writeU16LE(w, c.imageType, 'imageType');
      if (c.fileVersion !== undefined) writeU32LE(w, c.fileVersion, 'fileVersion');
      return;
    }
    case 'query-next-image-request':
      w.u8(c.hardwareVersion !== undefined ? 0x01 : 0x00);
      writeU16LE(w, c.manufacturerCode, 'manufacturerCode');
      writeU16LE(w, c.imageType, 'imageType');
      writeU32LE(w, c.currentFileVersion, 'currentFileVersion');
      if (c.hardwareVersion !== undefined) writeU16LE(w, c.hardwareVersion, 'hardwareVersion');
      return;
    case 'query-next-image-response':
      putU8(w, c.status, 'status');
      if (c.status !== OTA_STATUS.success) {
        if ('imageSize' in c) w.fail('status', 'only SUCCESS carries the image');
        return;
      }
      if (!('imageSize' in c)) w.fail('imageSize', 'SUCCESS carries the image');
      putImageId(w, c);
      writeU32LE(w, c.imageSize, 'imageSize');
      return;
    case 'image-block-request':
      w.u8((c.requestNodeAddress !== undefined ? 0x01 : 0) | (c.minimumBlockPeriod !== undefined ? 0x02 : 0));
      putImageId(w, c);
      writeU32LE(w, c.fileOffset, 'fileOffset');
      putU8(w, c.maxDataSize, 'maxDataSize');
      if (c.requestNodeAddress !== undefined) putEui(w, c.requestNodeAddress, 'requestNodeAddress');
      if (c.minimumBlockPeriod !== undefined) writeU16LE(w, c.minimumBlockPeriod, 'minimumBlockPeriod');
      return;
    case 'image-page-request':
      w.u8(c.requestNodeAddress !== undefined ? 0x01 : 0);
      putImageId(w, c);
      writeU32LE(w, c.fileOffset, 'fileOffset');
      putU8(w, c.maxDataSize, 'maxDataSize');
      writeU16LE(w, c.pageSize, 'pageSize');
      writeU16LE(w, c.responseSpacing, 'responseSpacing');
      if (c.requestNodeAddress !== undefined) putEui(w, c.requestNodeAddress, 'requestNodeAddress');
      return;
    case 'image-block-response':
      putU8(w, c.status, 'status');
      if (c.status === OTA_STATUS.success) {
        if (!('data' in c)) w.fail('data', 'SUCCESS carries a block');
        putImageId(w, c);
        writeU32LE(w, c.fileOffset, 'fileOffset');
        if (!(c.data instanceof Uint8Array) || c.data.length > 0xff)
          w.fail('data', 'a block is at most 255 octets');
        w.u8(c.data.length).bytes(c.data);
      } else if (c.status === OTA_STATUS.waitForData) {
        if (!('requestTime' in c)) w.fail('status', 'WAIT_FOR_DATA carries its times');
        writeU32LE(w, c.currentTime, 'currentTime');
        writeU32LE(w, c.requestTime, 'requestTime');
        writeU16LE(w, c.minimumBlockPeriod, 'minimumBlockPeriod');
      } else if ('data' in c || 'requestTime' in c)
        w.fail('status', 'only SUCCESS and WAIT_FOR_DATA carry fields');
      return;
    case 'upgrade-end-request':
      putU8(w, c.status, 'status');
      putImageId(w, c);
      return;
    case 'upgrade-end-response':
      putImageId(w, c);
      writeU32LE(w, c.currentTime, 'currentTime');
      writeU32LE(w, c.upgradeTime, 'upgradeTime');
      return;
  }
}

/** ZigBee UTCTime (seconds since 2000-01-01T00:00:00Z) of a UTC ms instant, as Upgrade End Response carries it. */
export function zigbeeUtcSeconds(utcMs: number): number {
  return Math.max(0, Math.floor((utcMs - ZIGBEE_EPOCH_MS) / 1000));
}

/** UTC ms of a ZigBee UTCTime. */
export function msOfZigbeeUtc(seconds: number): number {
  return ZIGBEE_EPOCH_MS + seconds * 1000;
}

const ZIGBEE_EPOCH_MS = Date.UTC(2000, 0, 1);

export { DecodeError, EncodeError };
