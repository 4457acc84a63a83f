// Commands to a CHF and messages through it, built by the project's own builders from values (never copied from
// RTDS) and sealed with real keys; plus small helpers to run a CHF and read its effects.
import { fromHex } from '../../src/codec/bytes.js';
import { eui64, eui64ToBytes, type Eui64 } from '../../src/codec/eui64.js';
import type { AccessRequestSpecification, DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import type { GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { addDeviceCommand, invokeIdFor } from '../../src/codec/gbcs/use-cases/chf-device-log.js';
import type { KeyStore } from '../../src/crypto/keystore.js';
import { sealGbcs, verifyGbcs } from '../../src/crypto/message-protection.js';
import type { ActorEnv, ActorInput, Effect, HanFrame, Step } from '../../src/devices/types.js';
import { createChf, stepChf, type ChfInit, type ChfState } from '../../src/hub/chf.js';
import { joinRequestFrame } from '../../src/hub/joining.js';
import { DEFAULT_POLICY, type Policy } from '../../src/policy.js';
import { ACB, CHF, envWith, ESME, GPF, GSME, PPMID, SUPPLIER, TEST_KEYS } from './identities.js';
import { sealMessage } from './sealing.js';

export { ACB, CHF, ESME, GPF, GSME, PPMID, SUPPLIER } from './identities.js';
/** An HHT visiting the premise. */
export const HHT = eui64('00DB1234567890B0');
/** The ZigBee SE certificate issuer the test CHF trusts, and one it does not. */
export const TRUSTED_ISSUER = eui64('5445535443413031');
export const ROGUE_ISSUER = eui64('524F475545434131');

/** Install codes (16 octets, hex) of the test devices. */
export const INSTALL_CODE: Readonly<Record<string, string>> = {
  [ESME]: '83FED3407A939723A5C639B26916D505',
  [GSME]: '0011223344556677889900AABBCCDDEE',
  [PPMID]: 'A1A2A3A4A5A6A7A8A9AAABACADAEAFB0',
  [HHT]: '1234567890ABCDEF1234567890ABCDEF',
};

/** 2025-01-01T00:00:00Z, the virtual time tests start at. */
export const T0 = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;

export function testEnv(policy: Policy = DEFAULT_POLICY, keys: KeyStore = TEST_KEYS): ActorEnv {
  return envWith(keys, policy);
}

/** The environment of the CHF tests: the test fleet's keys, the default policy. */
export const env: ActorEnv = testEnv();

export function newChf(extra: Partial<ChfInit> = {}): ChfState {
  return createChf({
    eui: CHF,
    hub: CHF,
    parties: { acb: ACB, supplier: SUPPLIER },
    installCode: '00000000000000000000000000000000',
    gpf: GPF,
    trustedCertificateIssuer: TRUSTED_ISSUER,
    ...extra,
  });
}

/** A CHF after power-up at `now`. */
export function poweredChf(env: ActorEnv, now = T0, extra: Partial<ChfInit> = {}): ChfState {
  return stepChf(newChf(extra), { type: 'power', on: true }, now, env).state;
}

/** A CHF powered up at T0 with a device (the ESME unless `o` names another) added by CCS01, counter 1. */
export function chfAdded(env: ActorEnv, o: Partial<Ccs01Options> = {}): ChfState {
  return stepChf(poweredChf(env), wan(ccs01(env, { counter: 1n, device: ESME, ...o })), T0, env).state;
}

/** The join request of `device`, proving the link key of `installCode` (hex; by default the device's own). */
export function joinRequest(device: Eui64, installCode: string = INSTALL_CODE[device]!): HanFrame {
  return joinRequestFrame(device, fromHex(installCode));
}

export function step(state: ChfState, input: ActorInput, now: number, env: ActorEnv): Step<ChfState> {
  return stepChf(state, input, now, env);
}

export function wan(bytes: Uint8Array): ActorInput {
  return { type: 'wan', bytes };
}

export function han(from: Eui64, frame: HanFrame): ActorInput {
  return { type: 'han', from, frame };
}

export function wanOut(effects: readonly Effect[]): Uint8Array[] {
  return effects.flatMap((e) => (e.kind === 'wan' ? [e.bytes] : []));
}

export function hanOut(effects: readonly Effect[]): { to: Eui64; frame: HanFrame }[] {
  return effects.flatMap((e) => (e.kind === 'han' ? [{ to: e.to, frame: e.frame }] : []));
}

export function notes(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.kind === 'note' ? [e.text] : []));
}

/** Parses what the CHF sent to the WAN and checks its protection with `env`'s keys. */
export function readWan(
  bytes: Uint8Array,
  env: ActorEnv,
): { parsed: ParsedGbcs; mac: string; signature: string } {
  const parsed = parseGbcs(bytes);
  const v = verifyGbcs(parsed, env.protection);
  return { parsed, mac: v.mac, signature: v.signature };
}

const DEVICE_LOG = { classId: 104, instanceId: Uint8Array.of(0, 0, 30, 3, 0, 255) };
const HISTORIC_LOG = { classId: 104, instanceId: Uint8Array.of(0, 0, 30, 3, 1, 255) };

/** A DLMS access-request from the ACB to the CHF on a User's behalf, sealed with `env`'s keys. */
export function acbCommand(
  env: ActorEnv,
  c: {
    messageCode: number;
    counter: bigint;
    userCounter?: bigint;
    specifications: AccessRequestSpecification[];
    data: DlmsData[];
    recipient?: Eui64;
  },
): Uint8Array {
  return sealMessage(
    {
      from: ACB,
      to: c.recipient ?? CHF,
      counter: c.counter,
      messageCode: c.messageCode,
      onBehalfOf: { user: SUPPLIER, counter: c.userCounter ?? c.counter },
      payload: dlmsRequest(c.counter, c.specifications, c.data),
    },
    env,
  );
}

function dlmsRequest(
  counter: bigint,
  specifications: AccessRequestSpecification[],
  data: DlmsData[],
): GbcsPayload {
  return {
    kind: 'dlms',
    dlms: {
      type: 'access-request',
      invokeIdAndPriority: invokeIdFor(counter),
      dateTime: null,
      specifications,
      data,
    },
  };
}

export interface Ccs01Options {
  counter: bigint;
  device: Eui64;
  installCode?: string;
  /** ZigBee device type: 0 ESME, 1 GSME, 132 PPMID. */
  zigbeeDeviceType?: number;
  joinTimeoutSeconds?: number;
  recipient?: Eui64;
}

/** CCS01 Add Device, by the codec's builder, sealed. */
export function ccs01(env: ActorEnv, o: Ccs01Options): Uint8Array {
  const message = addDeviceCommand({
    acb: ACB,
    acbCounter: o.counter,
    chf: o.recipient ?? CHF,
    user: SUPPLIER,
    userCounter: o.counter,
    device: o.device,
    installCode: Buffer.from(o.installCode ?? INSTALL_CODE[o.device]!, 'hex'),
    zigbeeDeviceType: o.zigbeeDeviceType ?? 0,
    joinTimeoutSeconds: o.joinTimeoutSeconds ?? 90,
  });
  return sealGbcs(message, env.protection);
}

/** CCS02 Remove Device: unregister_device(ieee_address). */
export function ccs02(env: ActorEnv, counter: bigint, device: Eui64): Uint8Array {
  return acbCommand(env, {
    messageCode: 0x0002,
    counter,
    specifications: [{ type: 'action', ...DEVICE_LOG, methodId: 2 }],
    data: [{ type: 'octet-string', value: eui64ToBytes(device) }],
  });
}

/** CCS03 Restore: restore_PAN {extended_PAN_ID, array {ieee_address, hashed_TC_link_key}}. */
export function ccs03(
  env: ActorEnv,
  counter: bigint,
  panId: Eui64,
  entries: { device: Eui64; hash: Uint8Array }[],
): Uint8Array {
  return acbCommand(env, {
    messageCode: 0x0003,
    counter,
    specifications: [{ type: 'action', ...DEVICE_LOG, methodId: 5 }],
    data: [
      {
        type: 'structure',
        value: [
          { type: 'octet-string', value: eui64ToBytes(panId) },
          {
            type: 'array',
            value: entries.map((e) => ({
              type: 'structure' as const,
              value: [
                { type: 'octet-string' as const, value: eui64ToBytes(e.device) },
                { type: 'octet-string' as const, value: e.hash },
              ],
            })),
          },
        ],
      },
    ],
  });
}

/** CCS07 Read CHF Device Logs: read both logs (method 4 of each). */
export function ccs07(env: ActorEnv, counter: bigint): Uint8Array {
  return acbCommand(env, {
    messageCode: 0x00fe,
    counter,
    specifications: [
      { type: 'action', ...DEVICE_LOG, methodId: 4 },
      { type: 'action', ...HISTORIC_LOG, methodId: 4 },
    ],
    data: [{ type: 'null-data' }, { type: 'null-data' }],
  });
}

/** CCS05CCS04 Read CHF Device Log: get active_devices. */
export function ccs05(env: ActorEnv, counter: bigint): Uint8Array {
  return acbCommand(env, {
    messageCode: 0x0004,
    counter,
    specifications: [{ type: 'get', ...DEVICE_LOG, attributeId: 4 }],
    data: [{ type: 'null-data' }],
  });
}

/** ECS52 Read Comms Hub Firmware Version: get class 1 0-0:0.2.1.255 attribute 2. */
export function ecs52(env: ActorEnv, counter: bigint, recipient: Eui64 = CHF): Uint8Array {
  return acbCommand(env, {
    messageCode: 0x0059,
    counter,
    recipient,
    specifications: [
      { type: 'get', classId: 1, instanceId: Uint8Array.of(0, 0, 0, 2, 1, 255), attributeId: 2 },
    ],
    data: [{ type: 'null-data' }],
  });
}

/** ECS35d Read CHF Security Log between two ZigBee UTC times (seconds since 2000). */
export function ecs35d(env: ActorEnv, counter: bigint, from: number, to: number): Uint8Array {
  return acbCommand(env, {
    messageCode: 0x0094,
    counter,
    specifications: [
      {
        type: 'get-with-selection',
        classId: 7,
        instanceId: Uint8Array.of(0, 0, 99, 98, 1, 255),
        attributeId: 2,
        accessSelection: {
          accessSelector: 1,
          accessParameters: {
            type: 'structure',
            value: [
              {
                type: 'structure',
                value: [
                  { type: 'long-unsigned', value: 8 },
                  { type: 'octet-string', value: Uint8Array.of(0, 0, 1, 0, 0, 255) },
                  { type: 'integer', value: 2 },
                  { type: 'long-unsigned', value: 0 },
                ],
              },
              { type: 'double-long-unsigned', value: from },
              { type: 'double-long-unsigned', value: to },
              { type: 'array', value: [] },
            ],
          },
        },
      },
    ],
    data: [{ type: 'null-data' }],
  });
}

/**
 * A supplier's command to a meter, with an opaque payload: the CHF routes by the headers and never reads the
 * payload. MACed with the ACB's and the meter's keys, as every Remote Party command (GBCS 4.3.3).
 */
export function supplierCommand(
  env: ActorEnv,
  c: { to: Eui64; messageCode: number; counter: bigint; content?: Uint8Array },
): Uint8Array {
  const payload: GbcsPayload = { kind: 'raw', bytes: c.content ?? Uint8Array.of(0x01, 0x02, 0x03) };
  return sealMessage(
    { from: SUPPLIER, to: c.to, counter: c.counter, messageCode: c.messageCode, payload },
    env,
  );
}

/** A device's DLMS response to a Remote Party carrying one octet-string of `size` octets. */
export function deviceMessage(
  env: ActorEnv,
  c: { from: Eui64; to: Eui64; messageCode: number; counter: bigint; size?: number },
): Uint8Array {
  const payload: GbcsPayload = {
    kind: 'dlms',
    dlms: {
      type: 'access-response',
      invokeIdAndPriority: invokeIdFor(c.counter),
      dateTime: null,
      specifications: null,
      data: [{ type: 'octet-string', value: new Uint8Array(c.size ?? 8).map((_, i) => i & 0xff) }],
      responseSpecifications: [{ type: 'get', dataAccessResult: 0 }],
    },
  };
  return sealMessage({ ...c, cra: 2, payload }, env);
}
