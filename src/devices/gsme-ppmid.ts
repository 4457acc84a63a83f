// The PPMID's commands to the GSME (GBCS PCS01 "Apply Prepayment Top Up to a GSME using PPMID", PCS02 "Activate
// Emergency Credit on GSME from PPMID"; domain brief §7): HAN-only GBCS commands, message type SME.C.PPMID-GSME,
// originated by the PPMID the GSME has joined with and MACed with the two devices' KA keys; the CHF relays them to
// the GSME's mailbox like any other command (hub/chf-relay.ts), and the GSME's response goes back the same way to the
// PPMID, MACed with the same pair (outbound.ts responseHeader, macParties). security.ts checks the originator, the MAC
// and the counter; the handlers here act as the keypad and the emergency credit button do. Also the builder the PPMID
// seals these commands with.
import type { Eui64 } from '../codec/eui64.js';
import type { GbcsMessage } from '../codec/gbcs/frame.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import type { ZclHeader, ZclPayload } from '../codec/gbcs/gbz/index.js';
import { sealGbcs } from '../crypto/message-protection.js';
import type { CommandHandler } from './device.js';
import { grantEmergencyCredit } from './gsme-prepayment-commands.js';
import type { GsmeState } from './gsme-state.js';
import { consumerTopUp } from './gsme-topup.js';
import { zigbeeUtcTime } from './outbound.js';
import type { ActorEnv } from './types.js';
import {
  answerEach,
  CLUSTER,
  gbzComponents,
  rawFields,
  soleClusterCommand,
  ZCL_STATUS,
  ZclBuilder,
} from './zcl.js';

/** GBCS message codes of the PPMID → GSME use cases (GBCS use-case table; message-codes.ts) [O]. */
export const PPMID_GSME_CODES = { PCS01: 0x009b, PCS02: 0x0090 } as const;

/** ZSE Prepayment commands client → server the PPMID sends (ZSE D.7.2.3) [O]. */
const SELECT_AVAILABLE_EMERGENCY_CREDIT = 0x00;
const CONSUMER_TOP_UP = 0x04;
/** Select Available Emergency Credit {Command Issue Date/Time (UTCTime), Originating Device (enum8)}: 5 octets [O]. */
const SELECT_EMERGENCY_CREDIT_LENGTH = 5;

/**
 * ZSE Originating Device of the PPMID's commands: 0x02, In-Home Display Device, as RTDS NA_PCS02 carries it [O]; a
 * PCS01 top-up the same [A: no RTDS PCS01].
 */
export const ORIGINATING_DEVICE_PPMID = 0x02;

/**
 * PCS01: ZSE Consumer Top Up as CS01b carries it, Originating Device = PPMID [A: no RTDS PCS01], answered by Consumer
 * Top Up Response as CS01b is, date-time included [A]; accepted, a local top-up (alert 0x810E, as at the keypad).
 */
export const ppmidTopUp: CommandHandler<GsmeState> = consumerTopUp('ppmid');

/**
 * PCS02: Select Available Emergency Credit from the consumer at the PPMID: taken only while on offer (domain brief
 * §7), as at the meter's button. Answered by a Default Response, SUCCESS when taken, no date-time (RTDS NA_PCS02
 * SUCCESS RESPONSE) [O]; FAILURE when none is on offer [A, as GCS06].
 */
export const ppmidEmergencyCredit: CommandHandler<GsmeState> = (state, command, now) => {
  const c = soleClusterCommand(command, CLUSTER.prepayment, SELECT_AVAILABLE_EMERGENCY_CREDIT);
  if (c === undefined) return { state, payload: answerEach(command, ZCL_STATUS.unsupportedClusterCommand) };
  if ((rawFields(c)?.length ?? 0) < SELECT_EMERGENCY_CREDIT_LENGTH)
    return { state, payload: answerEach(command, ZCL_STATUS.malformedCommand) };
  const taken = grantEmergencyCredit(state, now, 'consumer');
  const from = command.parsed.message.header.originator;
  return {
    state: taken ?? state,
    payload: answerEach(command, taken === undefined ? ZCL_STATUS.failure : ZCL_STATUS.success),
    effects: [
      {
        kind: 'note',
        text: `GSME ${state.eui}: PCS02 from the PPMID ${from}: ${taken === undefined ? 'no emergency credit on offer' : 'emergency credit activated'}`,
      },
    ],
  };
};

/** The GSME's handlers of the PPMID's commands, by message code (gsme.ts adds them to GSME_COMMANDS). */
export const GSME_PPMID_COMMANDS: ReadonlyMap<number, CommandHandler<GsmeState>> = new Map([
  [PPMID_GSME_CODES.PCS01, ppmidTopUp],
  [PPMID_GSME_CODES.PCS02, ppmidEmergencyCredit],
]);

// ---------------------------------------------------------------------------------------------------------
// The PPMID's side: building the command

/** What the consumer asks at the PPMID of the GSME it has joined with; `counter` is the PPMID's originator counter. */
export type PpmidGsmeRequest = {
  readonly ppmid: Eui64;
  readonly gsme: Eui64;
  /** Strictly increasing per PPMID: the GSME refuses a counter not above the last it accepted (security.ts). */
  readonly counter: bigint;
} & ({ readonly kind: 'top-up'; readonly utrn: string } | { readonly kind: 'activate-emergency-credit' });

/** A ZCL header of a client → server cluster command, sequence 0, default response enabled (RTDS NA_PCS02) [O]. */
function commandHeader(commandId: number): ZclHeader {
  return {
    frameType: 'cluster-specific',
    manufacturerSpecific: false,
    direction: 'client-to-server',
    disableDefaultResponse: false,
    manufacturerCode: null,
    sequenceNumber: 0,
    commandId,
  };
}

/**
 * The GBZ payload: one Prepayment component. Select Available Emergency Credit {Command Issue Date/Time, Originating
 * Device} — the issue time is `now` (ZSE: when the command was issued) [A: RTDS NA_PCS02 carries 0]; Consumer Top Up
 * {Originating Device, TopUp Code (octstr, the UTRN's digits)} as CS01b (RTDS 2.2_CS01b: 00 14 3733…) [O].
 */
function ppmidPayload(request: PpmidGsmeRequest, now: number): GbcsPayload {
  let commandId: number;
  let fields: ZclPayload;
  if (request.kind === 'top-up') {
    const code = new TextEncoder().encode(request.utrn);
    const b = new ZclBuilder().u8(ORIGINATING_DEVICE_PPMID).u8(code.length);
    for (const octet of code) b.u8(octet);
    commandId = CONSUMER_TOP_UP;
    fields = b.finish();
  } else {
    commandId = SELECT_AVAILABLE_EMERGENCY_CREDIT;
    fields = new ZclBuilder().u32(zigbeeUtcTime(now)).u8(ORIGINATING_DEVICE_PPMID).finish();
  }
  return gbzComponents([
    {
      encrypted: false,
      clusterId: CLUSTER.prepayment,
      fromDateTime: null,
      header: commandHeader(commandId),
      payload: fields,
    },
  ]);
}

/**
 * PCS01 or PCS02 as the PPMID sends it to the GSME (through the CHF): a GBCS command (CRA 1) from the PPMID to the
 * GSME, no date-time, an empty signature element, MACed with the PPMID's and the GSME's KA keys (macParties for a
 * HAN-only message code; RTDS NA_PCS02 COMMAND) [O]. Throws MissingKeyError when `env`'s key store lacks them.
 */
export function buildPpmidGsmeCommand(request: PpmidGsmeRequest, now: number, env: ActorEnv): Uint8Array {
  const message: GbcsMessage = {
    macProtected: true,
    header: {
      cra: 1,
      originatorCounter: request.counter,
      originator: request.ppmid,
      recipient: request.gsme,
      dateTime: null,
      messageCode: request.kind === 'top-up' ? PPMID_GSME_CODES.PCS01 : PPMID_GSME_CODES.PCS02,
    },
    payload: ppmidPayload(request, now),
    signature: { kind: 'empty' },
    mac: null,
  };
  return sealGbcs(message, env.protection);
}
