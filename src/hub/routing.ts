// What routes a GBCS message, read from its headers alone (GBCS 4.3, 5.3) so that any payload can be relayed or
// dispatched without parsing the whole message: the CHF routes by it (chf-relay.ts), the GPF tells a tap-off copy
// from a command of its own by it (gpf.ts).
import { DecodeError, Reader } from '../codec/bytes.js';
import { eui64FromBytes, type Eui64 } from '../codec/eui64.js';
import { GENERAL_CIPHERING, GENERAL_SIGNING, SECURITY_CONTROL } from '../codec/gbcs/frame.js';
import { decodeGbtBlock, isGbtBlock } from '../codec/gbcs/gbt.js';

/** What routes a message: read from its headers alone, so any payload can be relayed. */
export interface Routing {
  readonly cra: number;
  readonly originatorCounter: bigint;
  readonly originator: Eui64;
  readonly recipient: Eui64;
  readonly messageCode: number;
}

/** The routing fields of a whole GBCS message or a GBT block; undefined when the headers do not parse. */
export function peekRouting(bytes: Uint8Array): Routing | undefined {
  try {
    if (isGbtBlock(bytes)) return decodeGbtBlock(bytes);
    const r = new Reader(bytes, 'gbcs');
    if (r.peek('tag') === GENERAL_CIPHERING) {
      r.u8('tag');
      for (let i = 0; i < 6; i++) r.expect(0, 'mac-header');
      r.length('mac-header.length');
      r.expect(SECURITY_CONTROL, 'mac-header.security-control');
      r.u32('mac-header.invocation-counter');
    }
    r.expect(GENERAL_SIGNING, 'tag');
    r.expect(9, 'transaction-id.length');
    const cra = r.u8('cra');
    const originatorCounter = r.u64('originator-counter');
    r.expect(8, 'originator.length');
    const originator = eui64FromBytes(r.bytes(8, 'originator'));
    r.expect(8, 'recipient.length');
    const recipient = eui64FromBytes(r.bytes(8, 'recipient'));
    r.bytes(r.length('date-time'), 'date-time');
    if (r.length('other-information.length') < 2) return undefined;
    return { cra, originatorCounter, originator, recipient, messageCode: r.u16('message-code') };
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}
