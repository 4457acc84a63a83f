// The dispatch trace: every event the kernel runs, as (time, sequence, label, detail), folded into a running
// SHA-256. Two runs with the same seed and inputs give the same hash; the first differing record changes it.
// Encoding per record (big-endian): time f64 | sequence f64 | label u32 length + UTF-8 |
// detail: 0x00, or 0x01 + u32 length + UTF-8. Records are batched into a buffer; the hash is of the byte stream,
// so batching does not change it.
import { type Hash, createHash } from 'node:crypto';

export interface TraceRecord {
  readonly time: number;
  readonly seq: number;
  readonly label: string;
  readonly detail?: string;
}

const BUFFER_BYTES = 64 * 1024;

export class TraceRecorder {
  private readonly hasher: Hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private recorded = 0;
  private readonly kept: TraceRecord[] = [];
  private keptNext = 0; // ring position once `kept` is full

  /** `keepRecords`: how many of the latest records to keep for inspection (0 keeps none). */
  constructor(readonly keepRecords = 0) {
    if (!Number.isSafeInteger(keepRecords) || keepRecords < 0)
      throw new RangeError(`"keepRecords" expected a non-negative integer, got ${keepRecords}`);
  }

  /** Records dispatched so far. */
  get count(): number {
    return this.recorded;
  }

  record(time: number, seq: number, label: string, detail?: string): void {
    this.reserve(17);
    this.used = this.buffer.writeDoubleBE(time === 0 ? 0 : time, this.used); // -0 and 0 hash alike
    this.used = this.buffer.writeDoubleBE(seq, this.used);
    this.writeText(label);
    if (detail === undefined) {
      this.used = this.buffer.writeUInt8(0, this.used);
    } else {
      this.used = this.buffer.writeUInt8(1, this.used);
      this.writeText(detail);
    }
    this.recorded++;
    if (this.keepRecords > 0)
      this.keep(detail === undefined ? { time, seq, label } : { time, seq, label, detail });
  }

  /** SHA-256 (hex) of every record so far; recording can continue afterwards. */
  hash(): string {
    this.flush();
    return this.hasher.copy().digest('hex');
  }

  /** The latest `keepRecords` records, oldest first. */
  records(): readonly TraceRecord[] {
    return [...this.kept.slice(this.keptNext), ...this.kept.slice(0, this.keptNext)];
  }

  private keep(record: TraceRecord): void {
    if (this.kept.length < this.keepRecords) {
      this.kept.push(record);
      return;
    }
    this.kept[this.keptNext] = record;
    this.keptNext = (this.keptNext + 1) % this.keepRecords;
  }

  private writeText(text: string): void {
    const worst = 4 + text.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
    if (worst <= BUFFER_BYTES) {
      this.reserve(worst);
      const written = this.buffer.write(text, this.used + 4, 'utf8');
      this.buffer.writeUInt32BE(written, this.used);
      this.used += 4 + written;
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    this.reserve(4);
    this.used = this.buffer.writeUInt32BE(bytes.length, this.used);
    this.flush();
    this.hasher.update(bytes);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes > BUFFER_BYTES) this.flush();
  }

  private flush(): void {
    if (this.used === 0) return;
    this.hasher.update(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}
