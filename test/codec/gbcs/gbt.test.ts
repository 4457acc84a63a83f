import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, toHex } from '../../../src/codec/bytes.js';
import { eui64 } from '../../../src/codec/eui64.js';
import { encodeGbcs, type GbcsMessage } from '../../../src/codec/gbcs/frame.js';
import {
  GbtReassembly,
  decodeGbtBlock,
  encodeGbtBlock,
  isGbtBlock,
  segmentGbcs,
  type GbtBlock,
} from '../../../src/codec/gbcs/gbt.js';

/** A MAC-protected ECS22b-style response whose payload is `size` octets: large enough to need GBT. */
function largeMessage(size: number): Uint8Array {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 131 + 7) & 0xff;
  const m: GbcsMessage = {
    macProtected: true,
    header: {
      cra: 2,
      originatorCounter: 0x0000000100000005n,
      originator: eui64('00-DB-12-34-56-78-90-A0'),
      recipient: eui64('90-B3-D5-1F-30-01-00-00'),
      dateTime: null,
      messageCode: 0x7ff0, // not a GBCS use case: the payload stays opaque bytes
    },
    payload: { kind: 'raw', bytes: payload },
    signature: { kind: 'empty' },
    mac: new Uint8Array(12).fill(0xa5),
  };
  return encodeGbcs(m);
}

function reassemble(blocks: GbtBlock[]): Uint8Array {
  const r = new GbtReassembly(blocks[0]!);
  let out: Uint8Array | undefined;
  for (const b of blocks) {
    const outcome = r.add(decodeGbtBlock(encodeGbtBlock(b)));
    if (outcome.status === 'complete') out = outcome.message;
  }
  if (!out) throw new Error('did not complete');
  return out;
}

describe('General Block Transfer', () => {
  it('splits a large message into blocks of at most 1,149 octets and reassembles it byte-identically', () => {
    const message = largeMessage(40_000);
    const blocks = segmentGbcs(message);
    expect(blocks.length).toBe(Math.ceil(message.length / 1149));
    expect(blocks.every((b) => b.data.length <= 1149)).toBe(true);
    expect(blocks.map((b) => b.blockNumber)).toEqual(blocks.map((_, i) => i + 1));
    expect(blocks.filter((b) => b.lastBlock).map((b) => b.blockNumber)).toEqual([blocks.length]);
    expect(toHex(reassemble(blocks))).toBe(toHex(message));
  });

  it('fills exactly 63 blocks at the GBCS limit and refuses one octet more', () => {
    let payloadSize = 63 * 1149;
    while (largeMessage(payloadSize).length > 63 * 1149)
      payloadSize -= largeMessage(payloadSize).length - 63 * 1149;
    const atLimit = largeMessage(payloadSize);
    expect(atLimit.length).toBe(63 * 1149);
    expect(segmentGbcs(atLimit)).toHaveLength(63);
    expect(() => segmentGbcs(largeMessage(payloadSize + 1))).toThrow(
      new EncodeError(
        'gbt',
        'message',
        `${63 * 1149 + 1} octets need 64 blocks of 1149; at most 63 are allowed`,
      ),
    );
  });

  it('carries the transaction of the segmented message in every routing header', () => {
    const blocks = segmentGbcs(largeMessage(3000));
    for (const b of blocks) {
      const decoded = decodeGbtBlock(encodeGbtBlock(b));
      expect(decoded).toEqual(b);
      expect(isGbtBlock(encodeGbtBlock(b))).toBe(true);
      expect(decoded.originator).toBe('00DB1234567890A0');
      expect(decoded.originatorCounter).toBe(0x0000000100000005n);
      expect(decoded.messageCode).toBe(0x7ff0);
    }
  });

  it('encodes the routing header and GBT APDU in the dissected layout', () => {
    const [first] = segmentGbcs(largeMessage(10), { maxBlockOctets: 4 });
    const hex = toHex(encodeGbtBlock(first!));
    expect(
      hex.startsWith(
        'DD09020000000100000005' + '0800DB1234567890A0' + '0890B3D51F30010000' + '00' + '027FF0' + '00',
      ),
    ).toBe(true);
    // length 0x10 = 5 (security header) + 11 (GBT APDU); E0, control 0x01 (window 1), block 1, ack 0, 4 data octets
    expect(hex.slice(68)).toBe('10' + '1100000000' + 'E0' + '01' + '0001' + '0000' + '04' + 'DD000000');
  });

  it('reassembles blocks that arrive out of order', () => {
    const message = largeMessage(5000);
    const blocks = segmentGbcs(message, { maxBlockOctets: 1000 });
    const shuffled = [blocks[3]!, blocks[0]!, blocks[5]!, blocks[1]!, blocks[4]!, blocks[2]!];
    const r = new GbtReassembly(shuffled[0]!);
    const outcomes = shuffled.map((b) => r.add(b));
    expect(outcomes.slice(0, 5).map((o) => o.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    const last = outcomes[5]!;
    expect(last.status).toBe('complete');
    expect(last.status === 'complete' && toHex(last.message)).toBe(toHex(message));
  });

  it('reports the missing blocks once the last block has arrived, and completes when they come', () => {
    const blocks = segmentGbcs(largeMessage(5000), { maxBlockOctets: 1000 });
    const r = new GbtReassembly(blocks[0]!);
    r.add(blocks[0]!);
    expect(r.add(blocks[2]!)).toEqual({ status: 'accepted', blockNumber: 3, received: 2, missing: [] });
    expect(r.add(blocks[5]!)).toEqual({
      status: 'accepted',
      blockNumber: 6,
      received: 3,
      missing: [2, 4, 5],
    });
    expect(r.missing()).toEqual([2, 4, 5]);
    expect(r.complete).toBe(false);
    r.add(blocks[1]!);
    r.add(blocks[3]!);
    expect(r.add(blocks[4]!).status).toBe('complete');
    expect(r.missing()).toEqual([]);
  });

  it('ignores an identical duplicated block and rejects a conflicting one without changing state', () => {
    const blocks = segmentGbcs(largeMessage(2900), { maxBlockOctets: 1000 });
    expect(blocks).toHaveLength(3);
    const r = new GbtReassembly(blocks[0]!);
    r.add(blocks[0]!);
    expect(r.add(blocks[0]!)).toEqual({ status: 'duplicate', blockNumber: 1 });
    const tampered = { ...blocks[1]!, data: blocks[1]!.data.map((b) => b ^ 1) };
    r.add(blocks[1]!);
    expect(r.add(tampered)).toEqual({
      status: 'rejected',
      blockNumber: 2,
      reason: 'block 2 was already received with different content',
    });
    expect(r.add(blocks[2]!).status).toBe('complete');
    expect(r.add(blocks[2]!)).toEqual({ status: 'duplicate', blockNumber: blocks.length });
  });

  it('rejects blocks of another transaction, beyond the last block or beyond the block limit', () => {
    const blocks = segmentGbcs(largeMessage(3000), { maxBlockOctets: 1000 });
    const r = new GbtReassembly(blocks[0]!);
    expect(r.add({ ...blocks[0]!, originatorCounter: 6n }).status).toBe('rejected');
    r.add({ ...blocks[1]!, lastBlock: true });
    expect(r.add(blocks[2]!)).toEqual({
      status: 'rejected',
      blockNumber: 3,
      reason: 'block 3 comes after the last block 2',
    });
    expect(new GbtReassembly(blocks[0]!).add({ ...blocks[0]!, blockNumber: 64 })).toEqual({
      status: 'rejected',
      blockNumber: 64,
      reason: 'block number 64 outside 1..63',
    });
  });

  it('refuses malformed blocks with the byte offset and reason', () => {
    const bytes = encodeGbtBlock(segmentGbcs(largeMessage(100), { maxBlockOctets: 50 })[0]!);
    expect(() => decodeGbtBlock(bytes.subarray(0, 33))).toThrow(DecodeError);
    expect(() => decodeGbtBlock(bytes.subarray(0, 33))).toThrow(
      'gbt: routing-header.key-info at byte 33: truncated: needs 1 byte, 0 left',
    );
    expect(() => decodeGbtBlock(bytes.subarray(0, 60))).toThrow(
      'gbt: routing-header.length at byte 34: says 62 bytes, but 25 follow',
    );
    const zero = bytes.slice();
    zero[43] = 0; // block number 0x0001 -> 0x0000
    expect(() => decodeGbtBlock(zero)).toThrow('gbt: gbt.block-number at byte 42: block numbers start at 1');
    const long = Uint8Array.of(...bytes, 0);
    long[34] = long[34]! + 1; // the routing length agrees, the block data length does not
    expect(() => decodeGbtBlock(long)).toThrow('gbt: gbt at byte 97: 1 unexpected byte(s) left over: 00');
  });
});
