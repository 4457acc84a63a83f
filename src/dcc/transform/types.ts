// The DSP's transform (DUIS → GBCS, domain brief §3.1): one function per Service Reference Variant turns a request
// body and its target's SMI record into the GBCS command a device executes — message code, business target, typed
// payload, and the execution date-time of a future-dated command. Header, counters, signature and ACB MAC are the
// pipeline's (src/dcc/dsp.ts): a transform never touches keys.
import type { DuisRequestBody } from '../../codec/duis/request.js';
import type { SrvInfo } from '../../codec/duis/srv.js';
import type { Eui64 } from '../../codec/eui64.js';
import type { GbcsPayload } from '../../codec/gbcs/payload.js';
import type { SmiDevice } from '../types.js';

export interface TransformInput {
  readonly srv: SrvInfo;
  /** sr:Body's one child (the SRV's element), as an element tree. */
  readonly body: DuisRequestBody;
  /** The request's business target (RequestID target). */
  readonly target: SmiDevice;
  /** The User (RequestID originator). */
  readonly user: Eui64;
  /** The RequestID counter: the command's originator counter when the User originates it (DLMS invoke-id). */
  readonly counter: bigint;
  /**
   * The ACB's counter when the ACB originates the command on the User's behalf: the DLMS invoke-id follows it
   * (RTDS 8.11_CCS01: invoke-id 0x20000516 = ACB counter 1302, User counter 1002) [O].
   */
  readonly originatorCounter?: bigint;
  /** Virtual UTC ms now, for date-times the command carries. */
  readonly nowMs: number;
  /** Every SMI device of the target's premise (the GPF of a GSME, the device a CCS01 adds, …). */
  readonly premiseDevices: readonly SmiDevice[];
  /** What the DSP holds beyond the SMI, loaded for this request. */
  readonly records?: DspRecords;
}

/** What the DSP holds beyond the SMI that some hub commands carry. */
export interface DspRecords {
  /** A device's Key Agreement certificate (DER) from the SMKI repository: CS03C carries the other device's. */
  readonly kaCertificate?: (device: Eui64) => Uint8Array | undefined;
  /** A CHF's Device Log as it last reported it (CS14 alerts): CCS03 restores it onto the replacement CHF. */
  readonly reportedDeviceLog?: (chf: Eui64) => ReportedDeviceLog | undefined;
}

export interface ReportedDeviceLog {
  readonly extendedPanId: Eui64;
  /** Each device and the hash of its TC link key (empty until it joined), as CS14 reports them. */
  readonly entries: readonly { readonly device: Eui64; readonly linkKeyHash: Uint8Array }[];
}

export interface CommandDraft {
  /** GBCS message code (message-codes.ts): picks the use case, e.g. 0x0007 ECS17b. */
  readonly messageCode: number;
  /** GBCS Business Target: normally the request's target. */
  readonly recipient: Eui64;
  readonly payload: GbcsPayload;
  /** Grouping-header date-time: a future-dated command's execution time (12-octet DLMS date-time), else null. */
  readonly dateTime: Uint8Array | null;
  /** Virtual ms at which a future-dated command executes on the device. */
  readonly executionMs?: number;
}

/** Response codes a transform may refuse with (domain brief §3.2). */
export type TransformRefusalCode = 'E11' | 'E12' | 'E5' | 'E19';

/** The request cannot be turned into a command: the DSP answers with `responseCode` and sends nothing. */
export class TransformError extends Error {
  override readonly name = 'TransformError';
  constructor(
    readonly responseCode: TransformRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export type Transform = (input: TransformInput) => CommandDraft;
