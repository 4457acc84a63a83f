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
import { parseGbcs, type GbcsMessage, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { messageCodeInfo } from '../../src/codec/gbcs/message-codes.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { protectionContext, sealGbcs, verifyGbcs } from '../../src/crypto/message-protection.js';
import type { DeviceCore } from '../../src/devices/device.js';
import type { RemoteParties } from '../../src/devices/security.js';
import type { ActorEnv, Effect } from '../../src/devices/types.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { HAVE_VECTORS, RTDS_DIR, skipReason } from '../vectors.js';

export const SUPPLIER = eui64('90B3D51F30010000');
export const ACB = eui64('90B3D51F30000002');
export const HUB = eui64('00DB1234567890A2');
export const ESME = eui64('00DB1234567890A0');
export const GSME = eui64('00DB1234567890A1');
export const PPMID = eui64('00DB1234567890A4');
export const HCALCS = eui64('00DB1234567890A5');
export const IHD = eui64('00DB1234567890A6');
export const HHT = eui64('00DB1234567890A7');
export const PARTIES: RemoteParties = { acb: ACB, supplier: SUPPLIER };
export const INSTALL_CODE = '00112233445566778899AABBCCDDEEFF';

export const KEYS = new FleetKeyStore('test-fleet');
export const ENV: ActorEnv = { protection: protectionContext(KEYS, ACB), policy: DEFAULT_POLICY };

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

export function commandMessage(spec: CommandSpec): GbcsMessage {
  return {
    macProtected: true,
    header: {
      cra: 1,
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
    payload: { kind: 'asn1', asn1: asn1Payload(spec.view) },
    signature: { kind: 'empty' },
    mac: null,
  };
}

/** The command's bytes: signed by its originator when critical, MACed with the ACB's and the recipient's keys. */
export function sealCommand(spec: CommandSpec, env: ActorEnv = ENV): Uint8Array {
  const sign = spec.sign ?? messageCodeInfo(spec.messageCode)?.critical === true;
  const key = sign ? env.protection.keys.privateKey({ eui: spec.from, usage: 'DS' }) : undefined;
  return sealGbcs(commandMessage(spec), env.protection, key);
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

/** The state with the fields a refusal may change (security log, alert counter) set aside. */
export function withoutRefusalFields(state: DeviceCore): unknown {
  const { securityLog: _s, alertCounter: _a, ...rest } = state;
  return rest;
}

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
