// The ZCL OTA Upgrade cluster codec (ZCL OTA 11.13): each command byte-exact both ways, typed errors on bad input,
// and the decoder property every codec here has: decode returns a frame or throws DecodeError, and what decodes
// re-encodes to the same bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, fromHex, toHex } from '../../../src/codec/bytes.js';
import { eui64 } from '../../../src/codec/eui64.js';
import {
  decodeOtaFrame,
  encodeOtaFrame,
  IMAGE_BLOCK_REQUEST_LENGTH,
  IMAGE_BLOCK_RESPONSE_HEAD_LENGTH,
  type OtaFrame,
} from '../../../src/codec/ota/cluster.js';

const id = { manufacturerCode: 0x1234, imageType: 0x0084, fileVersion: 0x00000200 };

const cases: [string, OtaFrame, string][] = [
  [
    'Image Notify, payload type 3',
    {
      disableDefaultResponse: true,
      sequence: 1,
      command: { command: 'image-notify', payloadType: 3, queryJitter: 100, ...id },
    },
    '19010003643412840000020000',
  ],
  [
    'Query Next Image Request',
    {
      disableDefaultResponse: false,
      sequence: 2,
      command: {
        command: 'query-next-image-request',
        manufacturerCode: 0x1234,
        imageType: 0x0084,
        currentFileVersion: 0x100,
      },
    },
    '0102010034128400' + '00010000',
  ],
  [
    'Query Next Image Response, SUCCESS',
    {
      disableDefaultResponse: true,
      sequence: 3,
      command: { command: 'query-next-image-response', status: 0, ...id, imageSize: 700_000 },
    },
    '19030200341284000002000060AE0A00',
  ],
  [
    'Query Next Image Response, NO_IMAGE_AVAILABLE',
    {
      disableDefaultResponse: true,
      sequence: 4,
      command: { command: 'query-next-image-response', status: 0x98 },
    },
    '19040298',
  ],
  [
    'Image Block Request',
    {
      disableDefaultResponse: false,
      sequence: 5,
      command: { command: 'image-block-request', ...id, fileOffset: 64, maxDataSize: 64 },
    },
    '0105030034128400000200004000000040',
  ],
  [
    'Image Block Request with address and period',
    {
      disableDefaultResponse: false,
      sequence: 6,
      command: {
        command: 'image-block-request',
        ...id,
        fileOffset: 0,
        maxDataSize: 50,
        requestNodeAddress: eui64('00DB1234567890A4'),
        minimumBlockPeriod: 100,
      },
    },
    '010603033412840000020000000000003' + '2A4907856341 2DB006400'.replace(/ /g, ''),
  ],
  [
    'Image Block Response, SUCCESS',
    {
      disableDefaultResponse: true,
      sequence: 7,
      command: {
        command: 'image-block-response',
        status: 0,
        ...id,
        fileOffset: 0,
        data: Uint8Array.of(0x1e, 0xf1, 0xee, 0x0b),
      },
    },
    '19070500341284000002000000000000041EF1EE0B',
  ],
  [
    'Image Block Response, WAIT_FOR_DATA',
    {
      disableDefaultResponse: true,
      sequence: 8,
      command: {
        command: 'image-block-response',
        status: 0x97,
        currentTime: 1,
        requestTime: 2,
        minimumBlockPeriod: 3,
      },
    },
    '1908059701000000020000000300',
  ],
  [
    'Image Block Response, ABORT',
    { disableDefaultResponse: true, sequence: 9, command: { command: 'image-block-response', status: 0x95 } },
    '19090595',
  ],
  [
    'Upgrade End Request',
    {
      disableDefaultResponse: false,
      sequence: 10,
      command: { command: 'upgrade-end-request', status: 0, ...id },
    },
    '010A0600341284000002000000'.slice(0, 24),
  ],
  [
    'Upgrade End Response',
    {
      disableDefaultResponse: true,
      sequence: 11,
      command: { command: 'upgrade-end-response', ...id, currentTime: 0x10, upgradeTime: 0xffffffff },
    },
    '190B0734128400000200001000000' + '0FFFFFFFF',
  ],
];

describe('ZCL OTA cluster frames', () => {
  it.each(cases)('%s: encodes to the ZCL bytes and decodes back', (_name, frame, hex) => {
    const bytes = encodeOtaFrame(frame);
    expect(toHex(bytes)).toBe(hex);
    expect(decodeOtaFrame(fromHex(hex))).toEqual(frame);
  });

  it('the fixed lengths the timing model uses are those of the encoded frames', () => {
    const req = encodeOtaFrame(cases[4]![1]);
    expect(req.length).toBe(IMAGE_BLOCK_REQUEST_LENGTH);
    const res = encodeOtaFrame(cases[6]![1]);
    expect(res.length).toBe(IMAGE_BLOCK_RESPONSE_HEAD_LENGTH + 4);
  });

  it('a manufacturer-specific frame carries its code after the frame control', () => {
    const frame: OtaFrame = {
      manufacturerCode: 0x1234,
      disableDefaultResponse: false,
      sequence: 0,
      command: { command: 'upgrade-end-request', status: 0x95, ...id },
    };
    const bytes = encodeOtaFrame(frame);
    expect(toHex(bytes.subarray(0, 3))).toBe('053412');
    expect(decodeOtaFrame(bytes)).toEqual(frame);
  });

  it.each([
    ['empty', ''],
    ['not cluster-specific', '1801' + '00'],
    ['reserved frame-control bits', '3901000364'],
    ['direction does not match the command', '0901000364341284000002000000'],
    ['unknown command 0x08', '010108'],
    ['reserved payload type', '190100046400'],
    ['truncated block request', '01050300341284'],
    ['data size beyond the frame', '19070500341284000002000000000000051EF1'],
    ['trailing octets', '1904029800'],
    ['reserved block request field-control bits', '0105030434128400000200004000000040'],
  ])('%s: a DecodeError naming where', (_name, hex) => {
    let error: unknown;
    try {
      decodeOtaFrame(fromHex(hex));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).layer).toBe('zcl-ota');
  });

  it('inconsistent values are EncodeErrors', () => {
    expect(() =>
      encodeOtaFrame({
        disableDefaultResponse: true,
        sequence: 0,
        command: { command: 'image-notify', payloadType: 1, queryJitter: 1 },
      }),
    ).toThrow(EncodeError);
    expect(() =>
      encodeOtaFrame({
        disableDefaultResponse: true,
        sequence: 0,
        command: {
          command: 'image-block-response',
          status: 0,
          ...id,
          fileOffset: 0,
          data: new Uint8Array(256),
        },
      }),
    ).toThrow(EncodeError);
    expect(() =>
      encodeOtaFrame({
        disableDefaultResponse: true,
        sequence: 256,
        command: { command: 'image-block-response', status: 0x95 },
      }),
    ).toThrow(EncodeError);
  });

  it('property: any bytes decode to a frame that re-encodes byte-exact, or throw DecodeError', () => {
    const head = fc.constantFrom(0x01, 0x05, 0x09, 0x0d, 0x11, 0x19, 0x1d);
    const arb = fc.tuple(
      head,
      fc.uint8Array({ maxLength: 2 }),
      fc.integer({ min: 0, max: 9 }),
      fc.uint8Array({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(arb, ([fcByte, mid, cmd, tail]) => {
        const bytes = Uint8Array.from([fcByte, ...mid, cmd, ...tail]);
        let frame: OtaFrame;
        try {
          frame = decodeOtaFrame(bytes);
        } catch (e) {
          if (e instanceof DecodeError) return;
          throw e;
        }
        expect(toHex(encodeOtaFrame(frame))).toBe(toHex(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it('property: every encoded frame decodes to itself', () => {
    const u16 = fc.integer({ min: 0, max: 0xffff });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const arb = fc.record({
      manufacturerCode: u16,
      imageType: u16,
      fileVersion: u32,
      fileOffset: u32,
      data: fc.uint8Array({ maxLength: 255 }),
      seq: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(arb, (v) => {
        const frame: OtaFrame = {
          disableDefaultResponse: true,
          sequence: v.seq,
          command: {
            command: 'image-block-response',
            status: 0,
            manufacturerCode: v.manufacturerCode,
            imageType: v.imageType,
            fileVersion: v.fileVersion,
            fileOffset: v.fileOffset,
            data: v.data,
          },
        };
        expect(decodeOtaFrame(encodeOtaFrame(frame))).toEqual(frame);
      }),
    );
  });
});
