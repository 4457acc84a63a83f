// Messages as the tests' parties send them: a grouping header from a few values over a payload, MACed with the
// environment's keys and signed with a party's DS key when asked (GBCS 4.3) — the one way every test builder seals.
import type { Eui64 } from '../../src/codec/eui64.js';
import type { Cra, GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { sealGbcs } from '../../src/crypto/message-protection.js';
import type { ActorEnv } from '../../src/devices/types.js';

export interface MessageSpec {
  /** Default 1, a command. */
  readonly cra?: Cra;
  readonly from: Eui64;
  readonly to: Eui64;
  readonly counter: bigint;
  readonly messageCode: number;
  /** The User the ACB originates for: Supplementary Remote Party ID and counter. */
  readonly onBehalfOf?: { readonly user: Eui64; readonly counter: bigint };
  readonly payload: GbcsPayload;
}

/** The message before protection: no date-time, an empty signature, a MAC header to come. */
export function unsealedMessage(spec: MessageSpec): GbcsMessage {
  return {
    macProtected: true,
    header: {
      cra: spec.cra ?? 1,
      originatorCounter: spec.counter,
      originator: spec.from,
      recipient: spec.to,
      dateTime: null,
      messageCode: spec.messageCode,
      ...(spec.onBehalfOf && {
        supplementaryRemotePartyId: spec.onBehalfOf.user,
        supplementaryRemotePartyCounter: spec.onBehalfOf.counter,
      }),
    },
    payload: spec.payload,
    signature: { kind: 'empty' },
    mac: null,
  };
}

/** The message sealed with `env`'s keys: signed with `signer`'s DS key when one is named, and MACed. */
export function sealMessage(spec: MessageSpec, env: ActorEnv, signer?: Eui64 | null): Uint8Array {
  const key = signer == null ? undefined : env.protection.keys.privateKey({ eui: signer, usage: 'DS' });
  return sealGbcs(unsealedMessage(spec), env.protection, key);
}
