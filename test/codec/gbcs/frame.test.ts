import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, fromHex, toHex } from '../../../src/codec/bytes.js';
import { decodeGbcs, encodeGbcs, parseGbcs, scanGbcs } from '../../../src/codec/gbcs/frame.js';
import { CCS01_COMMAND, CCS01_RESPONSE } from '../../support/messages.js';

// GBCS 18.4 ECS04b critical command (GBCS sample values, via HenryGiraldo/gbcs, public domain): signed by Supplier A, MACed by the ACB.
const ECS04B_18_4 =
  'DD00000000000081A91100000000DF0901000000000000000108123456789ABCDEF008FFFFFFFFFFFFFFFE000200B335D92000000100030300700000130A00FF020300700000130A01FF020300700000130A02FF02030500000000050000000005000000004059045AB0F554622B0360340B9D87B5A23ED5723B41DE3F206E58CDD10F915B9FE2E12E2DA3632478A8DF678E418895869AC1E55318CCE04D120D2D6B44DC167B5D832D15B57A56D620F198B3';

describe('GBCS frame', () => {
  it('reads the grouping header of an ACB-originated CHF command with its supplementary remote party', () => {
    const m = decodeGbcs(fromHex(CCS01_COMMAND));
    expect(m.macProtected).toBe(true);
    expect(m.header).toMatchObject({
      cra: 1,
      originatorCounter: 0x516n,
      originator: '90B3D51F30000002',
      recipient: '00DB1234567890A2',
      dateTime: null,
      messageCode: 0x0001,
      supplementaryRemotePartyId: '90B3D51F30010000',
      supplementaryRemotePartyCounter: 1002n,
    });
    expect(m.signature).toEqual({ kind: 'empty' });
    expect(toHex(m.mac!)).toBe('A1A2A3A4A5A6A7A8A9AAABAC');
  });

  it('gives a response the counter of its command and swaps originator and recipient', () => {
    const command = decodeGbcs(fromHex(CCS01_COMMAND)).header;
    const response = decodeGbcs(fromHex(CCS01_RESPONSE)).header;
    expect(response.cra).toBe(2);
    expect(response.originatorCounter).toBe(command.originatorCounter);
    expect([response.originator, response.recipient]).toEqual([command.recipient, command.originator]);
  });

  it('reads a 64-byte supplier signature and keeps the spans it covers', () => {
    const bytes = fromHex(ECS04B_18_4);
    const { message, spans } = parseGbcs(bytes);
    expect(message.signature.kind).toBe('present');
    expect(message.header.originator).toBe('123456789ABCDEF0');
    expect(bytes[spans.apduStart]).toBe(0xdf);
    expect(spans.apduEnd).toBe(bytes.length - 12);
    expect(spans.apduEnd - spans.contentEnd).toBe(65);
  });

  it('reads a Pre-Command as a General-Signing APDU without MAC and without signature element', () => {
    const bytes = fromHex(ECS04B_18_4);
    const { spans } = parseGbcs(bytes);
    const pre = bytes.slice(spans.apduStart, spans.contentEnd);
    const m = decodeGbcs(pre);
    expect(m.macProtected).toBe(false);
    expect(m.mac).toBeNull();
    expect(m.signature).toEqual({ kind: 'absent' });
    expect(toHex(encodeGbcs(m))).toBe(toHex(pre));
  });

  it('encodes what it decodes, byte for byte', () => {
    for (const hex of [CCS01_COMMAND, CCS01_RESPONSE, ECS04B_18_4])
      expect(toHex(encodeGbcs(decodeGbcs(fromHex(hex))))).toBe(hex);
  });

  it('refuses a truncated message with the field and offset where it ran out', () => {
    const bytes = fromHex(CCS01_RESPONSE);
    expect(() => decodeGbcs(bytes.subarray(0, 20))).toThrow(
      new DecodeError('gbcs', 7, 'mac-header.length', 'says 86 bytes, but 12 follow'),
    );
    const apdu = bytes.subarray(13, bytes.length - 12);
    expect(() => decodeGbcs(apdu.subarray(0, 25))).toThrow(
      'gbcs: grouping-header.recipient at byte 21: truncated: needs 8 bytes, 4 left',
    );
    expect(() => decodeGbcs(apdu.subarray(0, 50))).toThrow(
      'gbcs: content at byte 50: truncated: needs 18 bytes, 0 left',
    );
  });

  it('refuses an over-long message: bytes after the signature element', () => {
    const apdu = fromHex(CCS01_RESPONSE).subarray(13, -12);
    expect(() => decodeGbcs(Uint8Array.of(...apdu, 0xab))).toThrow(
      'gbcs: message at byte 69: 1 unexpected byte(s) left over: AB',
    );
  });

  it('refuses wrong-length fields: transaction id, system title, date-time, signature, MAC header length', () => {
    const apdu = fromHex(CCS01_RESPONSE).subarray(13, -12);
    const at = (i: number, v: number) => {
      const b = apdu.slice();
      b[i] = v;
      return b;
    };
    expect(() => decodeGbcs(at(1, 8))).toThrow(
      'gbcs: grouping-header.transaction-id.length at byte 1: expected 0x09, got 0x08',
    );
    expect(() => decodeGbcs(at(11, 7))).toThrow(
      'gbcs: grouping-header.originator.length at byte 11: expected 0x08, got 0x07',
    );
    expect(() => decodeGbcs(at(29, 5))).toThrow(
      'gbcs: grouping-header.date-time.length at byte 29: expected 0 or 12, got 5',
    );
    expect(() => decodeGbcs(at(2, 4))).toThrow(
      'gbcs: grouping-header.cra-flag at byte 2: expected 1, 2 or 3, got 4',
    );
    expect(() => decodeGbcs(at(68, 3))).toThrow('gbcs: signature.length at byte 68: expected 0 or 64, got 3');
    const full = fromHex(CCS01_RESPONSE);
    full[7] = 0x57;
    expect(() => decodeGbcs(full)).toThrow('gbcs: mac-header.length at byte 7: says 87 bytes, but 86 follow');
    expect(() => decodeGbcs(Uint8Array.of(0x30, 1, 2))).toThrow(
      'gbcs: tag at byte 0: expected 0xDD (General-Ciphering) or 0xDF (General-Signing), got 0x30',
    );
  });

  it('refuses to encode inconsistent headers', () => {
    const m = decodeGbcs(fromHex(CCS01_COMMAND));
    expect(() =>
      encodeGbcs({ ...m, header: { ...m.header, supplementaryRemotePartyId: undefined } }),
    ).toThrow(EncodeError);
    expect(() => encodeGbcs({ ...m, mac: new Uint8Array(11) })).toThrow(
      'gbcs: cannot encode mac: expected 12 bytes, got 11',
    );
    expect(() => encodeGbcs({ ...m, header: { ...m.header, originatorCounter: -1n } })).toThrow(
      'gbcs: cannot encode grouping-header.originator-counter: -1 is not an unsigned 64-bit integer',
    );
  });

  it('only ever returns a message or throws DecodeError, for random and mutated input', () => {
    const seeds = [CCS01_COMMAND, CCS01_RESPONSE, ECS04B_18_4].map(fromHex);
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
      )
      .map(([seed, edits, cut]) => {
        const b = seed.slice(0, seed.length - (cut % 8 === 0 ? cut % seed.length : 0));
        for (const [i, v] of edits) if (b.length) b[i % b.length] = v;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (bytes) => {
        try {
          const m = decodeGbcs(bytes);
          expect(toHex(encodeGbcs(m))).toBe(toHex(bytes));
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('scanGbcs', () => {
  it('reads the same header, spans, signature and MAC as parseGbcs, without the payload', () => {
    for (const hex of [CCS01_COMMAND, CCS01_RESPONSE]) {
      const bytes = fromHex(hex);
      const parsed = parseGbcs(bytes);
      const scanned = scanGbcs(bytes);
      expect(scanned.header).toEqual(parsed.message.header);
      expect(scanned.spans).toEqual(parsed.spans);
      expect(scanned.signature).toEqual(parsed.message.signature);
      expect(scanned.mac).toEqual(parsed.message.mac);
      expect(toHex(scanned.content)).toBe(
        toHex(bytes.subarray(parsed.spans.contentStart, parsed.spans.contentEnd)),
      );
    }
  });

  it('leaves a content the payload grammar refuses to the caller: scan succeeds where parse throws', () => {
    const bytes = fromHex(CCS01_COMMAND);
    const { spans } = parseGbcs(bytes);
    const broken = bytes.slice();
    broken[spans.contentStart] = 0x42; // not a DLMS APDU tag
    expect(() => parseGbcs(broken)).toThrow(DecodeError);
    expect(scanGbcs(broken).spans).toEqual(spans);
  });
});
