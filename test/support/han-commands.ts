// Commands to HAN devices built from typed values under our own headers, sealed as GBCS requires (signed by the
// originator when critical, MACed with the ACB), and the checks every response gets: CRA 2 with the command's
// counter, verified protection, and the ASN.1 structure of the RTDS 4.5.0 message of the same use case.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fromHex } from '../../src/codec/bytes.js';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { asn1Payload, isConstructed, type Asn1View, type DerNode } from '../../src/codec/gbcs/asn1/index.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import type { GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { messageCodeInfo } from '../../src/codec/gbcs/message-codes.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import { COMMON_CODES, CS08_READ_FIRMWARE_VERSION } from '../../src/devices/common-commands.js';
import type { DeviceCore, DeviceInit } from '../../src/devices/device.js';
import type { RemoteParties } from '../../src/devices/security.js';
import type { ActorEnv, ActorInput, ActorStep, Effect, HanFrame, Step } from '../../src/devices/types.js';
import { HAVE_VECTORS, RTDS_DIR, skipReason } from '../vectors.js';
import { ACB, CHF as HUB, envWith, SUPPLIER } from './identities.js';
import { sealMessage } from './sealing.js';

export {
  ACB,
  CHF as HUB,
  ESME,
  GSME,
  HCALCS,
  IHD,
  PPMID,
  SUPPLIER,
  TEST_KEYS as KEYS,
} from './identities.js';
export const HHT = eui64('00DB1234567890A7');
/** The parties a HAN device answers: the ACB and the supplier. */
export const PARTIES: RemoteParties = { acb: ACB, supplier: SUPPLIER };
export const INSTALL_CODE = '00112233445566778899AABBCCDDEEFF';

export const ENV: ActorEnv = envWith();

/** 2024-06-01T12:00:00Z, virtual time of the tests. */
export const NOW = Date.UTC(2024, 5, 1, 12);

export interface CommandSpec {
  readonly from: Eui64;
  readonly to: Eui64;
  readonly counter: bigint;
  readonly messageCode: number;
  readonly view: Asn1View;
  /** The User the ACB originates for: Supplementary Remote Party ID and counter (RTDS commands to PPMID, CHF). */
  readonly onBehalfOf?: { readonly user: Eui64; readonly counter: bigint };
  /** Default: signed when the message code is critical. */
  readonly sign?: boolean;
}

/** The command's bytes: signed by its originator when critical, MACed with the ACB's and the recipient's keys. */
export function sealCommand(spec: CommandSpec, env: ActorEnv = ENV): Uint8Array {
  const sign = spec.sign ?? messageCodeInfo(spec.messageCode)?.critical === true;
  const payload: GbcsPayload = { kind: 'asn1', asn1: asn1Payload(spec.view) };
  return sealMessage({ ...spec, payload }, env, sign ? spec.from : null);
}

/** A counter per test file: replay-protected use cases need it strictly increasing per originator. */
export function counters(start = 1000n): () => bigint {
  let next = start;
  return () => next++;
}

/** The GBCS messages among a step's effects, parsed. */
export function sentMessages(effects: readonly Effect[]): ParsedGbcs[] {
  const out: ParsedGbcs[] = [];
  for (const e of effects)
    if (e.kind === 'han' && e.frame.type === 'gbcs') out.push(parseGbcs(e.frame.bytes));
  return out;
}

/**
 * The one response among the effects, checked as every response must be: CRA 2, the command's counter, parties
 * swapped, supplementary fields copied, and its protection valid (signed if the command was, else MACed).
 */
export function expectResponse(
  effects: readonly Effect[],
  commandBytes: Uint8Array,
  env: ActorEnv = ENV,
): ParsedGbcs {
  const command = parseGbcs(commandBytes).message;
  const sent = sentMessages(effects);
  expect(sent).toHaveLength(1);
  const response = sent[0]!;
  const { header } = response.message;
  expect(header.cra).toBe(2);
  expect(header.originatorCounter).toBe(command.header.originatorCounter);
  expect(header.originator).toBe(command.header.recipient);
  expect(header.recipient).toBe(command.header.originator);
  expect(header.messageCode).toBe(command.header.messageCode);
  expect(header.supplementaryRemotePartyId).toBe(command.header.supplementaryRemotePartyId);
  expect(header.supplementaryRemotePartyCounter).toBe(command.header.supplementaryRemotePartyCounter);
  const verification = verifyGbcs(response, env.protection);
  if (command.signature.kind === 'present') {
    expect(verification.signature).toBe('valid');
    expect(response.message.macProtected).toBe(false);
  } else {
    expect(verification.mac).toBe('valid');
    expect(response.message.signature.kind).toBe('empty');
  }
  return response;
}

// ---- Commands every HAN device test sends ----

/** A CS03x join: the other device, its ASN.1 DeviceType and the join method and role; a certificate for Method C. */
export function joinView(role: number, other: Eui64, type: number, certificate?: Uint8Array): Asn1View {
  return {
    kind: 'joinDeviceCommand',
    joinMethodAndRole: role,
    otherDeviceEntityId: other,
    otherDeviceType: type,
    ...(certificate && { otherDeviceCertificate: certificate }),
  };
}

/** A GSME's KA certificate from the test fleet's PKI, valid at NOW: what a CS03C join carries. */
export function gsmeKaCertificate(eui: Eui64): Uint8Array {
  return new TestPki({ seed: 'test-fleet', notBefore: new Date(NOW) }).issueDeviceCertificate({
    eui,
    deviceType: 'gsme',
    usage: 'KA',
  }).certificate;
}

/** CS08 Read PPMID/HCALCS Firmware Version, from `from` (the ACB on a User's behalf, as RTDS sends it). */
export function firmwareVersionRead(
  from: Eui64,
  to: Eui64,
  counter: bigint,
  onBehalfOf?: CommandSpec['onBehalfOf'],
): Uint8Array {
  const view: Asn1View = { kind: 'readPpmidHcalcsFirmwareVersionCommand' };
  return sealCommand({
    from,
    to,
    counter,
    messageCode: CS08_READ_FIRMWARE_VERSION,
    view,
    ...(onBehalfOf && { onBehalfOf }),
  });
}

/** CS06 Activate Firmware from the supplier: now, or at `executionDateTime` (GeneralizedTime) when given. */
export function firmwareActivation(
  to: Eui64,
  counter: bigint,
  manufacturerImageHash: Uint8Array,
  executionDateTime?: string,
): Uint8Array {
  return sealCommand({
    from: SUPPLIER,
    to,
    counter,
    messageCode: COMMON_CODES.CS06,
    view: {
      kind: 'activateFirmwareCommand',
      manufacturerImageHash,
      originatorCounter: counter,
      ...(executionDateTime !== undefined && { executionDateTime }),
    },
  });
}

// ---- Driving a HAN device as its hub would, at NOW with ENV ----

/** How a HAN test device is made: `eui` on the test hub, with the test parties and install code. */
export function hanDeviceInit(eui: Eui64): DeviceInit {
  return { eui, hub: HUB, parties: PARTIES, installCode: INSTALL_CODE };
}

/** A frame from the hub, as a device's input. */
export function fromHub(frame: HanFrame): ActorInput {
  return { type: 'han', from: HUB, frame };
}

/** A device's step, driven by its hub: `deliver` GBCS bytes; `exchange`: deliver, check the one response, view it. */
export function drivenByHub<S extends DeviceCore>(step: ActorStep<S>) {
  const deliver = (state: S, bytes: Uint8Array, now = NOW): Step<S> =>
    step(state, fromHub({ type: 'gbcs', bytes }), now, ENV);
  const exchange = (state: S, bytes: Uint8Array) => {
    const out = deliver(state, bytes);
    const response = expectResponse(out.effects, bytes);
    return { state: out.state, response, view: viewOf(response), effects: out.effects };
  };
  return { deliver, exchange };
}

/** The typed ASN.1 view of a message's payload. */
export function viewOf(parsed: ParsedGbcs): Asn1View {
  const { payload } = parsed.message;
  if (payload.kind !== 'asn1' || payload.asn1.view === undefined)
    throw new Error(`no ASN.1 view (${payload.kind})`);
  return payload.asn1.view;
}

/** The payload's DER tree. */
export function treeOf(parsed: ParsedGbcs): DerNode {
  const { payload } = parsed.message;
  if (payload.kind !== 'asn1') throw new Error(`not an ASN.1 payload (${payload.kind})`);
  return payload.asn1.tree;
}

/** The structure of a DER tree: tags and nesting, without primitive contents. */
export function derShape(node: DerNode): unknown {
  return isConstructed(node)
    ? { cls: node.cls, tag: node.tag, children: node.children.map(derShape) }
    : { cls: node.cls, tag: node.tag };
}

/** An RTDS 4.5.0 message read in place from the shared vectors, or undefined (with the reason printed) without them. */
export function rtdsMessage(folder: string, suffix: string): ParsedGbcs | undefined {
  if (!HAVE_VECTORS) {
    console.warn(`${folder} ${suffix}: ${skipReason()}`);
    return undefined;
  }
  const file = `${folder.replace(/^[^_]+_/, '')}_${folder.replace(/_.*$/, '')}_${suffix}_GBCS.HEX`;
  return parseGbcs(fromHex(readFileSync(join(RTDS_DIR, folder, file), 'utf8')));
}

/**
 * Our message has the RTDS message's form: the same protection (General-Signing or MAC header, signature or not)
 * and the same ASN.1 structure. Skipped, with the reason printed, when the vectors are absent.
 */
export function expectRtdsShape(ours: ParsedGbcs, folder: string, suffix: string): ParsedGbcs | undefined {
  const real = rtdsMessage(folder, suffix);
  if (real === undefined) return undefined;
  expect(ours.message.header.cra).toBe(real.message.header.cra);
  expect(ours.message.header.messageCode).toBe(real.message.header.messageCode);
  expect(ours.message.macProtected).toBe(real.message.macProtected);
  expect(ours.message.signature.kind).toBe(real.message.signature.kind);
  expect(derShape(treeOf(ours))).toEqual(derShape(treeOf(real)));
  return real;
}

/** State as plain data for comparison and size: bigints as strings, bytes as hex. */
export function plain(state: DeviceCore): string {
  return JSON.stringify(state, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export { withoutRefusalFields } from './refusal.js';

/**
 * Inbound GBCS bytes no device should act on: random bytes, and a valid command with one byte changed (any change
 * breaks its MAC or its framing).
 */
export function hostileBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const tampered = fc
    .tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }))
    .map(([at, xor]) => {
      const out = valid.slice();
      out[at]! ^= xor;
      return out;
    });
  return fc.oneof(fc.uint8Array({ maxLength: 300 }), tampered);
}
