// Decode/encode state shared by the DLMS modules. The field path is a stack of segments that is joined
// only when something fails, so the hot path never builds strings: reads pass HERE as their path and the
// public entry points re-issue any DecodeError/EncodeError with the real path and the 'dlms' layer.
import { DecodeError, EncodeError, Reader, Writer } from '../../bytes.js';

export const LAYER = 'dlms';
/** Placeholder path for Reader/Writer calls; replaced by the joined stack when an error surfaces. */
export const HERE = '';
/** Nesting bound (arrays, structures, type descriptions): hostile input cannot exhaust the JS stack. */
export const MAX_DEPTH = 48;

export type PathSegment = string | number;

function joinPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s === '' ? seg : `.${seg}`;
  }
  return s === '' ? 'apdu' : s;
}

export class DlmsDecoder {
  readonly path: PathSegment[] = [];
  depth = 0;
  constructor(public r: Reader) {}

  fail(reason: string, at: number = this.r.offset): never {
    throw new DecodeError(LAYER, at, HERE, reason);
  }

  enter(at: number): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`, at);
  }

  /** Runs a decode step; any DecodeError leaves as a 'dlms' error carrying the path where it happened. */
  static run<T>(r: Reader, step: (c: DlmsDecoder) => T): T {
    const c = new DlmsDecoder(r);
    try {
      return step(c);
    } catch (e) {
      if (e instanceof DecodeError) throw new DecodeError(LAYER, e.offset, joinPath(c.path), e.reason);
      throw e;
    }
  }
}

export class DlmsEncoder {
  readonly path: PathSegment[] = [];
  depth = 0;
  constructor(public w: Writer) {}

  fail(reason: string): never {
    throw new EncodeError(LAYER, HERE, reason);
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }

  /** Runs an encode step; any EncodeError (or a malformed value's TypeError) leaves as a 'dlms' EncodeError with the path. */
  static run(w: Writer, step: (c: DlmsEncoder) => void): void {
    const c = new DlmsEncoder(w);
    try {
      step(c);
    } catch (e) {
      if (e instanceof EncodeError) throw new EncodeError(LAYER, joinPath(c.path), e.reason);
      if (e instanceof TypeError)
        throw new EncodeError(LAYER, joinPath(c.path), `malformed value (${e.message})`);
      throw e;
    }
  }
}
