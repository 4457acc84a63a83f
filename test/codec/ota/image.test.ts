import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, fromHex, toHex } from '../../../src/codec/bytes.js';
import { eui64 } from '../../../src/codec/eui64.js';
import {
  OTA_FILE_IDENTIFIER,
  OTA_TAG,
  decodeOtaImage,
  encodeOtaImage,
  otaHeaderString,
  otaHeaderText,
  otaImageSummary,
  type OtaDecodeOptions,
  type OtaImage,
} from '../../../src/codec/ota/index.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';

/** The base64 <sr:FirmwareImage> of a DUIS template, read in place. */
function templateImage(name: string): Uint8Array {
  const xml = readFileSync(vectorPath('duis-templates', 'templates', name), 'utf8');
  const m = /<sr:FirmwareImage>([^<]*)<\/sr:FirmwareImage>/.exec(xml);
  if (!m) throw new Error(`no FirmwareImage in ${name}`);
  return new Uint8Array(Buffer.from(m[1]!.trim(), 'base64'));
}

function decodeError(bytes: Uint8Array, options?: OtaDecodeOptions): DecodeError {
  try {
    decodeOtaImage(bytes, options);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

/** Decodes or throws DecodeError; anything else fails the property. */
function decodesOrRefuses(bytes: Uint8Array, options?: OtaDecodeOptions): OtaImage | null {
  try {
    return decodeOtaImage(bytes, options);
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}

function filled(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed) & 0xff);
}

/** Every optional header field and one sub-element of each kind, known and unknown. */
const FULL: OtaImage = {
  header: {
    manufacturerCode: 0x1234,
    imageType: 0xffc0,
    fileVersion: 0x01020304,
    zigbeeStackVersion: 0x0002,
    headerString: otaHeaderString('smets-twin hand-built image'),
    securityCredentialVersion: 0x02,
    upgradeFileDestination: eui64('00-DB-12-34-56-78-90-A0'),
    minimumHardwareVersion: 0x0101,
    maximumHardwareVersion: 0x0202,
  },
  elements: [
    { tag: OTA_TAG.upgradeImage, data: filled(100, 1) },
    { tag: OTA_TAG.imageIntegrityCode, data: filled(16, 2) },
    { tag: OTA_TAG.ecdsaSignature2, data: filled(80, 3) },
    { tag: OTA_TAG.ecdsaSigningCertificate2, data: filled(74, 4) },
    { tag: 0xf001, data: filled(66, 5) },
    { tag: 0x0100, data: new Uint8Array(0) },
  ],
};
const FULL_BYTES = encodeOtaImage(FULL);

/** Header with no optional field, one upgrade image sub-element. */
const MINIMAL_BYTES = encodeOtaImage({
  header: {
    manufacturerCode: 0x121d,
    imageType: 0,
    fileVersion: 1,
    zigbeeStackVersion: 2,
    headerString: otaHeaderString('minimal'),
  },
  elements: [{ tag: OTA_TAG.upgradeImage, data: filled(20, 9) }],
});

/** A copy with a little-endian value written over `at`. */
function patched(bytes: Uint8Array, at: number, value: number, octets: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < octets; i++) out[at + i] = Math.floor(value / 256 ** i) & 0xff;
  return out;
}

describe.skipIf(!HAVE_VECTORS)('OTA images in the DUIS 11.1 and 11.4 templates', () => {
  it('decodes the 11.1 ESME image: hardware versions in the header, an opaque body ending in a signature', () => {
    const bytes = templateImage('11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML');
    const image = decodeOtaImage(bytes);
    expect(image.header).toEqual({
      manufacturerCode: 0x121d,
      imageType: 0x0000,
      fileVersion: 0xacdcacdc,
      zigbeeStackVersion: 0x0002,
      headerString: image.header.headerString,
      minimumHardwareVersion: 0x1111,
      maximumHardwareVersion: 0x1211,
    });
    expect(otaHeaderText(image.header.headerString)).toBe('I am a GFI ESME[] firmware image');
    expect(bytes.length).toBe(361);
    // The body is not ZCL sub-elements: the sample firmware text, then 00 40 and 64 octets.
    expect(image.elements).toEqual([]);
    const payload = image.payload!;
    expect(payload.length).toBe(361 - 60);
    expect(Buffer.from(payload.subarray(0, 39)).toString('latin1')).toBe(
      'CriticalSoftware sample firmware image_',
    );
    expect(toHex(payload.subarray(235, 237))).toBe('0040');
    expect(payload.length - 237).toBe(64);
    expect(otaImageSummary(image)).toMatchObject({
      manufacturerCode: '0x121D',
      imageType: '0x0000',
      fileVersion: '0xACDCACDC',
      size: 361,
      hardwareVersions: '0x1111..0x1211',
      tags: [],
    });
  });

  it('decodes the 11.4 PPMID image: image type 0x0084, no trailing signature', () => {
    const bytes = templateImage('11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML');
    const image = decodeOtaImage(bytes);
    expect(image.header.manufacturerCode).toBe(0x121d);
    expect(image.header.imageType).toBe(0x0084);
    expect(image.header.fileVersion).toBe(0xacdcacdc);
    expect(image.header.minimumHardwareVersion).toBe(0x1111);
    expect(image.header.maximumHardwareVersion).toBe(0x1211);
    expect(image.header.securityCredentialVersion).toBeUndefined();
    expect(image.header.upgradeFileDestination).toBeUndefined();
    expect(otaHeaderText(image.header.headerString)).toBe('I am a GFI PPMID firmware image ');
    expect(bytes.length).toBe(295);
    expect(image.payload!.length).toBe(235);
    expect(image.payload![234]).toBe(0x0a);
  });

  it('re-encodes both template images byte-identically', () => {
    for (const name of [
      '11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML',
      '11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML',
    ]) {
      const bytes = templateImage(name);
      expect(toHex(encodeOtaImage(decodeOtaImage(bytes)))).toBe(toHex(bytes));
      expect(toHex(encodeOtaImage(decodeOtaImage(bytes, { layout: 'opaque' })))).toBe(toHex(bytes));
    }
  });

  it('refuses the template bodies as strict ZCL sub-elements, naming the first sub-element', () => {
    const e = decodeError(templateImage('11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML'), {
      layout: 'sub-elements',
    });
    expect(e.layer).toBe('ota');
    expect(e.path).toBe('elements[0].length');
    expect(e.offset).toBe(62);
  });

  it('keeps decoding or refusing with DecodeError under mutations of the template images', () => {
    const originals = [
      templateImage('11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML'),
      templateImage('11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML'),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...originals),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(400),
        (orig, at, value, cut) => {
          const b = orig.slice(0, Math.max(0, orig.length - cut));
          if (b.length > 0) b[at % b.length] = value;
          const image = decodesOrRefuses(b);
          if (image) expect(toHex(encodeOtaImage(image))).toBe(toHex(b));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('OTA image codec', () => {
  it('round-trips a hand-built image with every optional header field and several tags', () => {
    const decoded = decodeOtaImage(FULL_BYTES, { layout: 'sub-elements' });
    expect(decoded).toEqual(FULL);
    expect(toHex(encodeOtaImage(decoded))).toBe(toHex(FULL_BYTES));
    expect(decodeOtaImage(FULL_BYTES)).toEqual(FULL);
  });

  it('writes the header little-endian with computed header length, field control and total size', () => {
    const b = FULL_BYTES;
    expect(toHex(b.subarray(0, 4))).toBe('1EF1EE0B');
    expect(toHex(b.subarray(4, 6))).toBe('0001');
    expect(b[6]! | (b[7]! << 8)).toBe(56 + 1 + 8 + 4);
    expect(b[8]! | (b[9]! << 8)).toBe(0x0007);
    expect(toHex(b.subarray(10, 12))).toBe('3412');
    expect(toHex(b.subarray(14, 18))).toBe('04030201');
    expect(b[52]! + (b[53]! << 8) + (b[54]! << 16) + b[55]! * 2 ** 24).toBe(b.length);
    expect(b[56]).toBe(0x02);
    // EUI-64 reversed on the wire.
    expect(toHex(b.subarray(57, 65))).toBe('A09078563412DB00');
    expect(toHex(b.subarray(65, 69))).toBe('01010202');
    // First sub-element: tag 0x0000, length 100.
    expect(toHex(b.subarray(69, 75))).toBe('000064000000');
    expect(OTA_FILE_IDENTIFIER).toBe(0x0beef11e);
  });

  it('summarises an image with its tags', () => {
    const s = otaImageSummary(FULL);
    expect(s).toMatchObject({
      manufacturerCode: '0x1234',
      imageType: '0xFFC0',
      fileVersion: '0x01020304',
      size: FULL_BYTES.length,
      headerString: 'smets-twin hand-built image',
      securityCredentialVersion: 2,
      upgradeFileDestination: '00DB1234567890A0',
    });
    expect(s.tags).toEqual([
      '0x0000 upgrade image: 100 octets',
      '0x0003 image integrity code: 16 octets',
      '0x0005 ECDSA signature (crypto suite 2): 80 octets',
      '0x0006 ECDSA signing certificate (crypto suite 2): 74 octets',
      '0xF001 manufacturer specific: 66 octets',
      '0x0100 reserved: 0 octets',
    ]);
  });

  it('refuses a bad file identifier', () => {
    const e = decodeError(patched(MINIMAL_BYTES, 0, 0x0beef11f, 4));
    expect(e).toMatchObject({ layer: 'ota', path: 'header.file-identifier', offset: 0 });
  });

  it('refuses a header version other than 0x0100', () => {
    const e = decodeError(patched(MINIMAL_BYTES, 4, 0x0200, 2));
    expect(e).toMatchObject({ path: 'header.header-version', offset: 4 });
  });

  it('refuses a truncated header, naming the field it stops in', () => {
    const e = decodeError(MINIMAL_BYTES.subarray(0, 30));
    expect(e).toMatchObject({ layer: 'ota', path: 'header.header-string', offset: 20 });
    expect(decodeError(new Uint8Array(0)).path).toBe('header.file-identifier');
    const full = decodeError(FULL_BYTES.subarray(0, 60));
    expect(full.path).toBe('header.upgrade-file-destination');
  });

  it('refuses a header length that disagrees with the field control', () => {
    const e = decodeError(patched(MINIMAL_BYTES, 6, 60, 2));
    expect(e).toMatchObject({ path: 'header.header-length', offset: 6 });
    expect(e.reason).toContain('56');
    // Field control claiming hardware versions, length left at 56.
    expect(decodeError(patched(MINIMAL_BYTES, 8, 0x0004, 2)).path).toBe('header.header-length');
  });

  it('refuses reserved field control bits', () => {
    const e = decodeError(patched(MINIMAL_BYTES, 8, 0x0008, 2));
    expect(e).toMatchObject({ path: 'header.field-control', offset: 8 });
  });

  it('refuses a total image size that is not the file length', () => {
    const e = decodeError(patched(MINIMAL_BYTES, 52, MINIMAL_BYTES.length + 1, 4));
    expect(e).toMatchObject({ path: 'header.total-image-size', offset: 52 });
    const extra = new Uint8Array(MINIMAL_BYTES.length + 1);
    extra.set(MINIMAL_BYTES);
    expect(decodeError(extra).path).toBe('header.total-image-size');
  });

  it('refuses a sub-element running past the end when reading strictly, and keeps it opaque otherwise', () => {
    // Second sub-element (tag 0x0003) claims 17 octets and the file holds 16.
    const b = FULL_BYTES.slice();
    const second = 69 + 6 + 100;
    expect(toHex(b.subarray(second, second + 6))).toBe('030010000000');
    const bad = patched(b, second + 2, 0x7fff, 4);
    const e = decodeError(bad, { layout: 'sub-elements' });
    expect(e).toMatchObject({ layer: 'ota', path: 'elements[1].length', offset: second + 2 });
    const auto = decodeOtaImage(bad);
    expect(auto.elements).toEqual([]);
    expect(toHex(encodeOtaImage(auto))).toBe(toHex(bad));
  });

  it('refuses a truncated sub-element header and a wrong length for a fixed-size security tag', () => {
    const body = fromHex('0000 0100 0000 AA 0300');
    const bytes = encodeOtaImage({ header: FULL.header, elements: [], payload: body });
    expect(decodeError(bytes, { layout: 'sub-elements' }).path).toBe('elements[1].length');
    const wrong = encodeOtaImage({
      header: FULL.header,
      elements: [],
      payload: fromHex('0100 0300 0000 010203'),
    });
    const e = decodeError(wrong, { layout: 'sub-elements' });
    expect(e.path).toBe('elements[0].length');
    expect(e.reason).toContain('50');
  });

  it('refuses to encode inconsistent images', () => {
    const h = FULL.header;
    expect(() =>
      encodeOtaImage({ header: { ...h, maximumHardwareVersion: undefined }, elements: [] }),
    ).toThrow(EncodeError);
    expect(() => encodeOtaImage({ ...FULL, payload: new Uint8Array(1) })).toThrow(EncodeError);
    expect(() =>
      encodeOtaImage({ header: { ...h, headerString: new Uint8Array(31) }, elements: [] }),
    ).toThrow(EncodeError);
    expect(() =>
      encodeOtaImage({ header: h, elements: [{ tag: OTA_TAG.ecdsaSignature, data: new Uint8Array(49) }] }),
    ).toThrow(EncodeError);
    expect(() => encodeOtaImage({ header: { ...h, fileVersion: 2 ** 32 }, elements: [] })).toThrow(
      EncodeError,
    );
    expect(() => otaHeaderString('x'.repeat(33))).toThrow(EncodeError);
  });
});

const FIXED: Record<number, number> = { 1: 50, 2: 48, 3: 16, 5: 80, 6: 74 };

const arbElement = fc
  .oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 0xffff }))
  .chain((tag) =>
    fc.uint8Array({ minLength: FIXED[tag] ?? 0, maxLength: FIXED[tag] ?? 64 }).map((data) => ({ tag, data })),
  );

const arbImage: fc.Arbitrary<OtaImage> = fc
  .record({
    manufacturerCode: fc.integer({ min: 0, max: 0xffff }),
    imageType: fc.integer({ min: 0, max: 0xffff }),
    fileVersion: fc.integer({ min: 0, max: 0xffffffff }),
    zigbeeStackVersion: fc.integer({ min: 0, max: 0xffff }),
    headerString: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    securityCredentialVersion: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    upgradeFileDestination: fc.option(
      fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => eui64(toHex(b))),
      { nil: undefined },
    ),
    hardware: fc.option(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })), {
      nil: undefined,
    }),
    elements: fc.array(arbElement, { maxLength: 5 }),
  })
  .map(({ hardware, elements, ...rest }) => {
    const header: OtaImage['header'] = { ...rest };
    for (const k of ['securityCredentialVersion', 'upgradeFileDestination'] as const)
      if (header[k] === undefined) delete header[k];
    if (hardware) [header.minimumHardwareVersion, header.maximumHardwareVersion] = hardware;
    return { header, elements };
  });

describe('OTA image codec properties', () => {
  it('decode(random bytes) returns or throws DecodeError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, magic) => {
        const b = magic ? new Uint8Array([0x1e, 0xf1, 0xee, 0x0b, 0x00, 0x01, ...tail]) : tail;
        for (const layout of ['auto', 'sub-elements', 'opaque'] as const) decodesOrRefuses(b, { layout });
      }),
      { numRuns: 1000 },
    );
  });

  it('mutations of hand-built images decode or throw DecodeError, and re-encode identically when they decode', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(FULL_BYTES, MINIMAL_BYTES),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(50),
        (orig, edits, cut) => {
          const b = orig.slice(0, Math.max(0, orig.length - cut));
          for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
          for (const layout of ['auto', 'sub-elements', 'opaque'] as const) {
            const image = decodesOrRefuses(b, { layout });
            if (image) expect(toHex(encodeOtaImage(image))).toBe(toHex(b));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('encode(decode(x)) === x for every x that decodes, including with a fixed-up total size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.constantFrom(0, 1, 2, 4, 7), (tail, control) => {
        // Valid identifier, version, header length and total size, so bodies and headers are exercised.
        const headerLength = 56 + (control & 1) + (control & 2 ? 8 : 0) + (control & 4 ? 4 : 0);
        const b = new Uint8Array(Math.max(headerLength, 20 + tail.length));
        b.set(tail.subarray(0, b.length - 20), 20);
        b.set(patched(new Uint8Array(10), 0, OTA_FILE_IDENTIFIER, 4).subarray(0, 4), 0);
        b.set([0x00, 0x01, headerLength, 0, control, 0], 4);
        const fixed = patched(b, 52, b.length, 4);
        for (const layout of ['auto', 'sub-elements', 'opaque'] as const) {
          const image = decodesOrRefuses(fixed, { layout });
          if (image) expect(toHex(encodeOtaImage(image))).toBe(toHex(fixed));
        }
        expect(decodesOrRefuses(fixed, { layout: 'opaque' })).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('generated images round-trip through encode and decode', () => {
    fc.assert(
      fc.property(arbImage, (image) => {
        const bytes = encodeOtaImage(image);
        expect(decodeOtaImage(bytes, { layout: 'sub-elements' })).toEqual(image);
        expect(toHex(encodeOtaImage(decodeOtaImage(bytes)))).toBe(toHex(bytes));
        const opaque = decodeOtaImage(bytes, { layout: 'opaque' });
        expect(opaque.header).toEqual(image.header);
        expect(toHex(encodeOtaImage(opaque))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
