// General Block Transfer (GBCS 5.3; DLMS GBT, IEC 62056-5-3 §9.4.6.13): a large GBCS message travels as
// numbered blocks, each behind a routing header (General-Ciphering with transaction-id, system titles and
// message code) so that the CSP and CH can route it before reassembly. Layout as dissected by Wireshark:
//   DD 09 <CRA> <counter 8> 08 <originator 8> 08 <recipient 8> 00 <len> <message code 2> 00
//   <len> 11 00000000 E0 <block-control> <block-number 2> <block-number-ack 2> <len> <block data>
import { EncodeError, Reader, Writer, bytesEqual } from '../bytes.js';
import { eui64ToBytes, readEui64, type Eui64 } from '../eui64.js';
import { GENERAL_CIPHERING, SECURITY_CONTROL, parseGbcs, type Cra } from './frame.js';

export const GENERAL_BLOCK_TRANSFER = 0xe0;
/** GBCS use-case tables size data items "to fit within a maximum of 63 GBT messages of 1,149 octets each". */
export const GBT_DEFAULT_MAX_BLOCK_OCTETS = 1149;
export const GBT_DEFAULT_MAX_BLOCKS = 63;

/** What routes a block: the transaction of the message it belongs to. */
export interface GbtRouting {
  cra: Cra;
  originatorCounter: bigint;
  originator: Eui64;
  recipient: Eui64;
  messageCode: number;
}

export interface GbtBlock extends GbtRouting {
  lastBlock: boolean;
  streaming: boolean;
  /** Window size, 6 bits. */
  window: number;
  /** 1-based block number. */
  blockNumber: number;
  blockNumberAck: number;
  data: Uint8Array;
}

export function isGbtBlock(bytes: Uint8Array): boolean {
  return bytes.length > 1 && bytes[0] === GENERAL_CIPHERING && bytes[1] === 9;
}

export function decodeGbtBlock(bytes: Uint8Array): GbtBlock {
  const r: Reader = new Reader(bytes, 'gbt');
  r.expect(GENERAL_CIPHERING, 'routing-header.tag');
  r.expect(9, 'routing-header.transaction-id.length');
  const craAt = r.offset;
  const cra = r.u8('routing-header.cra-flag');
  if (cra !== 1 && cra !== 2 && cra !== 3)
    r.fail('routing-header.cra-flag', `expected 1, 2 or 3, got ${cra}`, craAt);
  const originatorCounter = r.u64('routing-header.originator-counter');
  r.expect(8, 'routing-header.originator.length');
  const originator = readEui64(r, 'routing-header.originator');
  r.expect(8, 'routing-header.recipient.length');
  const recipient = readEui64(r, 'routing-header.recipient');
  r.expect(0, 'routing-header.date-time');
  r.expect(2, 'routing-header.other-information.length');
  const messageCode = r.u16('routing-header.message-code');
  r.expect(0, 'routing-header.key-info');
  const lenAt = r.offset;
  const ciphered = r.length('routing-header.length');
  if (ciphered !== r.remaining)
    r.fail('routing-header.length', `says ${ciphered} bytes, but ${r.remaining} follow`, lenAt);
  r.expect(SECURITY_CONTROL, 'routing-header.security-control');
  const icAt = r.offset;
  if (r.u32('routing-header.invocation-counter') !== 0)
    r.fail('routing-header.invocation-counter', 'must be 0', icAt);
  r.expect(GENERAL_BLOCK_TRANSFER, 'gbt.tag');
  const control = r.u8('gbt.block-control');
  const bnAt = r.offset;
  const blockNumber = r.u16('gbt.block-number');
  if (blockNumber === 0) r.fail('gbt.block-number', 'block numbers start at 1', bnAt);
  const blockNumberAck = r.u16('gbt.block-number-ack');
  const dataLength = r.length('gbt.block-data.length');
  const data = r.bytes(dataLength, 'gbt.block-data');
  r.finish('gbt');
  return {
    cra: cra as Cra,
    originatorCounter,
    originator,
    recipient,
    messageCode,
    lastBlock: (control & 0x80) !== 0,
    streaming: (control & 0x40) !== 0,
    window: control & 0x3f,
    blockNumber,
    blockNumberAck,
    data,
  };
}

export function encodeGbtBlock(b: GbtBlock): Uint8Array {
  const w = new Writer('gbt', b.data.length + 64);
  if (b.window < 0 || b.window > 0x3f || !Number.isInteger(b.window))
    w.fail('gbt.window', `${b.window} does not fit 6 bits`);
  if (b.blockNumber < 1) w.fail('gbt.block-number', `${b.blockNumber}: block numbers start at 1`);
  const dataLengthField = new Writer('gbt', 5).length(b.data.length, 'gbt.block-data.length').finish();
  const apduLength = 1 + 1 + 2 + 2 + dataLengthField.length + b.data.length;
  w.u8(GENERAL_CIPHERING).u8(9).u8(b.cra).u64(b.originatorCounter, 'routing-header.originator-counter');
  w.u8(8).bytes(eui64ToBytes(b.originator));
  w.u8(8).bytes(eui64ToBytes(b.recipient));
  w.u8(0).u8(2).u16(b.messageCode, 'routing-header.message-code').u8(0);
  w.length(5 + apduLength, 'routing-header.length')
    .u8(SECURITY_CONTROL)
    .u32(0);
  w.u8(GENERAL_BLOCK_TRANSFER).u8((b.lastBlock ? 0x80 : 0) | (b.streaming ? 0x40 : 0) | b.window);
  w.u16(b.blockNumber, 'gbt.block-number').u16(b.blockNumberAck, 'gbt.block-number-ack');
  w.bytes(dataLengthField).bytes(b.data);
  return w.finish();
}

export interface SegmentOptions {
  /** Block data octets per block (default 1,149). */
  maxBlockOctets?: number;
  /** Most blocks a message may take (default 63). */
  maxBlocks?: number;
}

/** Splits a complete GBCS message (MAC-protected or signed) into GBT blocks, in order. */
export function segmentGbcs(message: Uint8Array, options: SegmentOptions = {}): GbtBlock[] {
  const maxBlockOctets = options.maxBlockOctets ?? GBT_DEFAULT_MAX_BLOCK_OCTETS;
  const maxBlocks = options.maxBlocks ?? GBT_DEFAULT_MAX_BLOCKS;
  if (!Number.isInteger(maxBlockOctets) || maxBlockOctets < 1)
    throw new EncodeError('gbt', 'maxBlockOctets', `${maxBlockOctets} must be a positive integer`);
  const { header } = parseGbcs(message).message;
  const count = Math.max(1, Math.ceil(message.length / maxBlockOctets));
  if (count > maxBlocks) {
    throw new EncodeError(
      'gbt',
      'message',
      `${message.length} octets need ${count} blocks of ${maxBlockOctets}; at most ${maxBlocks} are allowed`,
    );
  }
  const routing: GbtRouting = {
    cra: header.cra,
    originatorCounter: header.originatorCounter,
    originator: header.originator,
    recipient: header.recipient,
    messageCode: header.messageCode,
  };
  const blocks: GbtBlock[] = [];
  for (let i = 0; i < count; i++) {
    blocks.push({
      ...routing,
      lastBlock: i === count - 1,
      streaming: false,
      window: 1,
      blockNumber: i + 1,
      blockNumberAck: 0,
      data: message.slice(i * maxBlockOctets, (i + 1) * maxBlockOctets),
    });
  }
  return blocks;
}

/** What adding a block did. */
export type GbtOutcome =
  | { status: 'accepted'; blockNumber: number; received: number; missing: number[] }
  | { status: 'complete'; message: Uint8Array }
  | { status: 'duplicate'; blockNumber: number }
  | { status: 'rejected'; blockNumber: number; reason: string };

/**
 * Reassembly of one message's blocks. Out-of-order blocks are buffered; an identical re-sent block is a
 * duplicate and ignored; a re-sent block with other data, a block of another transaction, a block beyond
 * the last one or beyond the block limit is rejected and changes nothing. `missing` lists the gaps once
 * the last block is known. State is plain data so a device can persist it.
 */
export class GbtReassembly {
  readonly routing: GbtRouting;
  private readonly blocks: (Uint8Array | undefined)[] = [];
  private lastBlockNumber: number | null = null;
  private received = 0;
  private done = false;

  constructor(
    routing: GbtRouting,
    readonly maxBlocks: number = GBT_DEFAULT_MAX_BLOCKS,
  ) {
    this.routing = { ...routing };
  }

  get complete(): boolean {
    return this.done;
  }

  /** Block numbers still expected below the last block (empty until the last block has arrived). */
  missing(): number[] {
    if (this.lastBlockNumber === null) return [];
    const gaps: number[] = [];
    for (let n = 1; n <= this.lastBlockNumber; n++) if (this.blocks[n] === undefined) gaps.push(n);
    return gaps;
  }

  add(block: GbtBlock): GbtOutcome {
    const n = block.blockNumber;
    const reject = (reason: string): GbtOutcome => ({ status: 'rejected', blockNumber: n, reason });
    const r = this.routing;
    if (
      block.cra !== r.cra ||
      block.originatorCounter !== r.originatorCounter ||
      block.originator !== r.originator ||
      block.recipient !== r.recipient ||
      block.messageCode !== r.messageCode
    ) {
      return reject('block belongs to another transaction');
    }
    if (n < 1 || n > this.maxBlocks) return reject(`block number ${n} outside 1..${this.maxBlocks}`);
    const existing = this.blocks[n];
    if (existing !== undefined) {
      if (bytesEqual(existing, block.data) && (n === this.lastBlockNumber) === block.lastBlock) {
        return { status: 'duplicate', blockNumber: n };
      }
      return reject(`block ${n} was already received with different content`);
    }
    if (this.done) return reject('message already reassembled');
    if (this.lastBlockNumber !== null && n > this.lastBlockNumber)
      return reject(`block ${n} comes after the last block ${this.lastBlockNumber}`);
    if (block.lastBlock) {
      if (this.lastBlockNumber !== null)
        return reject(`a second last block (${n}, first was ${this.lastBlockNumber})`);
      const beyond = this.blocks.findIndex((b, i) => b !== undefined && i > n);
      if (beyond !== -1) return reject(`block ${beyond} was received beyond this last block ${n}`);
      this.lastBlockNumber = n;
    }
    this.blocks[n] = block.data;
    this.received++;
    if (this.lastBlockNumber !== null && this.received === this.lastBlockNumber) {
      this.done = true;
      return { status: 'complete', message: this.assemble() };
    }
    return { status: 'accepted', blockNumber: n, received: this.received, missing: this.missing() };
  }

  private assemble(): Uint8Array {
    let size = 0;
    for (let n = 1; n <= this.lastBlockNumber!; n++) size += this.blocks[n]!.length;
    const out = new Uint8Array(size);
    let o = 0;
    for (let n = 1; n <= this.lastBlockNumber!; n++) {
      out.set(this.blocks[n]!, o);
      o += this.blocks[n]!.length;
    }
    return out;
  }
}
