// Gas commands built from typed values for the GSME and GPF tests: a payload (our own, or an RTDS COMMAND's decoded
// payload when the vectors are present — read in place, never copied) under a fresh grouping header with our EUIs
// and counter, signed by the supplier when critical, MACed with the ACB's key (sealGbcs). Also: driving a sleepy
// GSME by hand as its CHF would, and reducing GBZ payloads to their shape for comparison with RTDS responses.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { join } from 'node:path';
import { Reader, fromHex } from '../../src/codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../../src/codec/eui64.js';
import { decodeGbcs, parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { GbcsPayload } from '../../src/codec/gbcs/payload.js';
import type { GbzComponent, ZclHeader, ZclPayload } from '../../src/codec/gbcs/gbz/index.js';
import { readZclPayload } from '../../src/codec/gbcs/gbz/zcl-frame.js';
import { SharedSecretCache } from '../../src/crypto/ecdh.js';
import type { KeyStore } from '../../src/crypto/keystore.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import { decryptGbcsPayload } from '../../src/crypto/mac.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { generateUtrn, type UtrnValueClass } from '../../src/crypto/utrn.js';
import { asn1Response } from '../../src/devices/common-commands.js';
import type { DeviceInit } from '../../src/devices/device.js';
import { createGsme, GSME_CODES, stepGsme, WAKE_TIMER, type GsmeState } from '../../src/devices/gsme.js';
import type { GsmeInit } from '../../src/devices/gsme.js';
import type { ActorEnv, Effect, HanFrame, Step } from '../../src/devices/types.js';
import { HAVE_VECTORS, RTDS_DIR, RTDS_KEYSTORE_DIR, skipReason } from '../vectors.js';
import { CHF, envWith, ESME, GPF, GSME, PARTIES, SUPPLIER, TEST_KEYS } from './identities.js';
import { sealMessage } from './sealing.js';

export {
  ACB,
  CHF,
  ESME,
  GPF,
  GSME,
  NETWORK_OPERATOR,
  PARTIES,
  SUPPLIER,
  TEST_KEYS as keys,
} from './identities.js';

export const env: ActorEnv = envWith();

/** 2025-01-01T00:00:00Z: a virtual "now" for the tests. */
export const T0 = Date.UTC(2025, 0, 1);

export function deviceInit(eui: Eui64): DeviceInit {
  return { eui, hub: CHF, parties: PARTIES, installCode: '000102030405060708090A0B0C0D0E0F' };
}

// ---------------------------------------------------------------------------------------------------------
// Commands

export interface CommandSpec {
  readonly messageCode: number;
  readonly payload: GbcsPayload;
  readonly counter: bigint;
  readonly recipient?: Eui64;
  readonly originator?: Eui64;
  /** Sign as the originator (critical commands); or with another party's key, for a bad signature. */
  readonly signWith?: Eui64 | null;
}

/** A command from typed values: fresh header, supplier signature when asked, ACB MAC. */
export function gasCommand(spec: CommandSpec): Uint8Array {
  const { messageCode, counter, payload } = spec;
  const to = spec.recipient ?? GSME;
  return sealMessage(
    { from: spec.originator ?? SUPPLIER, to, counter, messageCode, payload },
    env,
    spec.signWith,
  );
}

/** A critical command, signed by its originator. */
export function criticalCommand(spec: Omit<CommandSpec, 'signWith'>): Uint8Array {
  return gasCommand({ ...spec, signWith: spec.originator ?? SUPPLIER });
}

/** GCS33 reading the supply status (Metering 0x0014), MACed. */
export function readSupplyStatus(counter: bigint, extra: Partial<CommandSpec> = {}): Uint8Array {
  return gasCommand({
    messageCode: GSME_CODES.GCS33,
    payload: gbz([readAttributes(0x0702, [0x0014])]),
    counter,
    ...extra,
  });
}

/** GCS32 closing the valve, signed by its originator unless `extra.signWith` says otherwise. */
export function closeValve(counter: bigint, extra: Partial<CommandSpec> = {}): Uint8Array {
  return supplyCommand(GSME_CODES.GCS32, 0x00, counter, extra);
}

/** GCS39 arming the valve, signed by its originator unless `extra.signWith` says otherwise. */
export function armValve(counter: bigint, extra: Partial<CommandSpec> = {}): Uint8Array {
  return supplyCommand(GSME_CODES.GCS39, 0x01, counter, extra);
}

function supplyCommand(
  messageCode: number,
  proposed: number,
  counter: bigint,
  extra: Partial<CommandSpec>,
): Uint8Array {
  const signWith = extra.originator ?? SUPPLIER;
  return gasCommand({ messageCode, payload: changeSupply(proposed), counter, signWith, ...extra });
}

// ---------------------------------------------------------------------------------------------------------
// Typed payloads (ZSE layouts as RTDS 4.5.0 shows them)

type Draft = Omit<Extract<GbzComponent, { encrypted: false }>, 'lastComponent'>;

export function gbz(components: readonly Draft[]): GbcsPayload {
  return {
    kind: 'gbz',
    gbz: {
      kind: 'components',
      components: components.map((c, i) => ({ ...c, lastComponent: i === components.length - 1 })),
    },
  };
}

function header(
  frameType: ZclHeader['frameType'],
  commandId: number,
  seq: number,
  direction: ZclHeader['direction'] = 'client-to-server',
): ZclHeader {
  return {
    frameType,
    manufacturerSpecific: false,
    direction,
    disableDefaultResponse: false,
    manufacturerCode: null,
    sequenceNumber: seq,
    commandId,
  };
}

export function clusterCommand(
  clusterId: number,
  commandId: number,
  bytes: Uint8Array,
  seq = 0,
  direction: ZclHeader['direction'] = 'client-to-server',
  fromDateTime: number | null = null,
): Draft {
  const payload: ZclPayload = { kind: 'raw', bytes };
  return {
    encrypted: false,
    clusterId,
    fromDateTime,
    header: header('cluster-specific', commandId, seq, direction),
    payload,
  };
}

export function readAttributes(clusterId: number, attributeIds: readonly number[], seq = 0): Draft {
  return {
    encrypted: false,
    clusterId,
    fromDateTime: null,
    header: header('global', 0x00, seq),
    payload: { kind: 'read-attributes', attributeIds },
  };
}

/** Little-endian fields. */
export function le(...fields: readonly [value: number, size: number][]): Uint8Array {
  const out: number[] = [];
  for (const [value, size] of fields) {
    let x = value < 0 ? value + 2 ** (8 * size) : value;
    for (let i = 0; i < size; i++) {
      out.push(x % 256);
      x = Math.floor(x / 256);
    }
  }
  return Uint8Array.from(out);
}

const ISSUER_EVENT = 0x1c374a80;

/** Change Supply (Metering 0x0B): proposed 0 OFF (GCS32), 1 ARMED (GCS39). */
export function changeSupply(proposed: number): GbcsPayload {
  return gbz([
    clusterCommand(0x0702, 0x0b, le([0, 4], [ISSUER_EVENT, 4], [0, 4], [0, 4], [proposed, 1], [1, 1])),
  ]);
}

/** Consumer Top Up (Prepayment 0x04) carrying a UTRN. */
export function consumerTopUp(utrn: string): GbcsPayload {
  const code = new TextEncoder().encode(utrn);
  return gbz([clusterCommand(0x0705, 0x04, Uint8Array.from([0x00, code.length, ...code]))]);
}

/** Change Payment Mode (Prepayment 0x06). */
export function changePaymentMode(
  implementationTime: number,
  paymentControl: number,
  cutOff = -1,
): GbcsPayload {
  return gbz([
    clusterCommand(
      0x0705,
      0x06,
      le([0, 4], [ISSUER_EVENT, 4], [implementationTime, 4], [paymentControl, 2], [cutOff, 4]),
    ),
  ]);
}

/** Change Debt (Prepayment 0x02), one per debt register. */
export function changeDebt(
  debts: readonly { amount: number; type: number; recovery?: number }[],
): GbcsPayload {
  return gbz(
    debts.map((d, i) =>
      clusterCommand(
        0x0705,
        0x02,
        le(
          [ISSUER_EVENT, 4],
          [0, 1],
          [d.amount, 4],
          [0, 1],
          [d.type, 1],
          [0, 4],
          [0, 2],
          [1, 1],
          [d.recovery ?? 0, 4],
          [0, 2],
        ),
        i,
      ),
    ),
  );
}

/** Select Available Emergency Credit (Prepayment 0x00). */
export function selectEmergencyCredit(): GbcsPayload {
  return gbz([clusterCommand(0x0705, 0x00, le([0, 4], [0, 1]))]);
}

export interface PrepaymentConfig {
  readonly at: number;
  readonly ecLimit: number;
  readonly ecThreshold: number;
  readonly debtCap: number;
  readonly lowCredit: number;
  readonly maxCredit: number;
  readonly maxPerTopUp: number;
  readonly calendarId: number;
}

/** A GCS05 payload with the components RTDS sends, our values (day/week/season profiles as minimal stubs). */
export function prepaymentConfiguration(c: PrepaymentConfig): GbcsPayload {
  const cal = (cmd: number, seq: number, bytes: Uint8Array) =>
    clusterCommand(0x0707, cmd, bytes, seq, 'server-to-client');
  return gbz([
    clusterCommand(0x0705, 0x03, le([ISSUER_EVENT, 4], [c.at, 4], [c.ecLimit, 4], [c.ecThreshold, 4]), 0),
    clusterCommand(0x0705, 0x0c, le([0, 4], [ISSUER_EVENT, 4], [c.at, 4], [c.debtCap, 4]), 1),
    clusterCommand(0x0705, 0x09, le([c.lowCredit, 4]), 2, 'client-to-server', c.at),
    clusterCommand(
      0x0705,
      0x0b,
      le([0, 4], [ISSUER_EVENT, 4], [c.at, 4], [c.maxCredit, 4], [c.maxPerTopUp, 4]),
      3,
    ),
    cal(
      0x00,
      4,
      le(
        [0, 4],
        [ISSUER_EVENT, 4],
        [c.calendarId, 4],
        [c.at, 4],
        [3, 1],
        [0, 1],
        [0, 1],
        [2, 1],
        [2, 1],
        [3, 1],
      ),
    ),
    cal(0x01, 5, le([0, 4], [ISSUER_EVENT, 4], [c.calendarId, 4], [1, 1], [0, 1], [0, 1], [1, 1])),
    cal(
      0x02,
      6,
      le(
        [0, 4],
        [ISSUER_EVENT, 4],
        [c.calendarId, 4],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
      ),
    ),
    cal(0x03, 7, le([0, 4], [ISSUER_EVENT, 4], [c.calendarId, 4], [0, 1], [1, 1])),
    cal(0x04, 8, le([0, 4], [ISSUER_EVENT, 4], [c.calendarId, 4], [c.at, 4], [3, 1], [1, 1], [0, 1])),
  ]);
}

/** GCS28 setTimeCommand (ASN.1). */
export function setTime(validityIntervalStart: string, validityIntervalEnd: string): GbcsPayload {
  return asn1Response({ kind: 'setTimeCommand', validityIntervalStart, validityIntervalEnd });
}

/** Publish Change of Tenancy (Device Management 0x00, server → client). */
export function publishChangeOfTenancy(implementationTime: number): GbcsPayload {
  return gbz([
    clusterCommand(
      0x0708,
      0x00,
      le([0, 4], [ISSUER_EVENT, 4], [0, 1], [implementationTime, 4], [2, 4]),
      0,
      'server-to-client',
    ),
  ]);
}

/** A UTRN for `device` from the supplier, made with the supplier's prepayment KA key. */
export function utrnFor(
  device: Eui64,
  counter: bigint,
  value: number,
  valueClass: UtrnValueClass = 'pence',
): string {
  const z = env.protection.secrets.between(
    TEST_KEYS,
    { eui: SUPPLIER, usage: 'KA', prepayment: true },
    { eui: device, usage: 'KA' },
  );
  return generateUtrn(z, { originator: SUPPLIER, device, counter, value, valueClass }).utrn;
}

/** ZigBee UTCTime (seconds since 2000-01-01) of a UTC instant. */
export function zigbeeTime(utcMs: number): number {
  return Math.floor((utcMs - Date.UTC(2000, 0, 1)) / 1000);
}

// ---------------------------------------------------------------------------------------------------------
// RTDS 4.5.0, read in place

export function rtdsMessage(folder: string, file: string): GbcsMessage | undefined {
  if (!HAVE_VECTORS) return undefined;
  return decodeGbcs(fromHex(readFileSync(join(RTDS_DIR, folder, file), 'utf8')));
}

let rtdsKeys: KeyStore | undefined;
function rtdsKeyStore(): KeyStore {
  return (rtdsKeys ??= loadKeyStoreFolder(RTDS_KEYSTORE_DIR));
}

// ---------------------------------------------------------------------------------------------------------
// Shapes: what the brief compares with RTDS — components, ZCL command and attribute ids, value types

export interface ComponentShape {
  readonly clusterId: number;
  readonly encrypted: boolean;
  readonly fromDateTime: boolean;
  readonly frameType: string;
  readonly direction: string;
  readonly disableDefaultResponse: boolean;
  readonly commandId: number;
  readonly payload: unknown;
}

function zclPayloadShape(p: ZclPayload): unknown {
  switch (p.kind) {
    case 'read-attributes-response':
      return p.records.map((r) => [r.attributeId, r.status, r.value?.type ?? null]);
    case 'default-response':
      return ['default', p.commandId, p.status];
    case 'raw':
      return ['raw', p.bytes.length];
    default:
      return [p.kind];
  }
}

/** The shape of a message's payload; encrypted GBZ components are decrypted with `store` first. */
export function payloadShape(message: GbcsMessage, store: KeyStore = TEST_KEYS): unknown {
  const p = message.payload;
  if (p.kind === 'asn1')
    return { asn1: p.asn1.view?.kind ?? null, fields: Object.keys(p.asn1.view ?? {}).sort() };
  if (p.kind !== 'gbz') return { kind: p.kind };
  if (p.gbz.kind === 'alert') return { alert: p.gbz.alertCode, body: p.gbz.body.kind };
  return p.gbz.components.map((c): ComponentShape => {
    const h = c.header;
    const base = {
      clusterId: c.clusterId,
      encrypted: c.encrypted,
      fromDateTime: !c.encrypted && c.fromDateTime !== null,
      frameType: h.frameType,
      direction: h.direction,
      disableDefaultResponse: h.disableDefaultResponse,
      commandId: h.commandId,
    };
    if (!c.encrypted) return { ...base, payload: zclPayloadShape(c.payload) };
    const plaintext = decryptComponent(message, c, store);
    return {
      ...base,
      payload: zclPayloadShape(readZclPayload(new Reader(plaintext, 'gbz'), h, 'decrypted')),
    };
  });
}

/** The shape of an RTDS message (its encrypted components decrypted with the RTDS test keys). */
export function rtdsShape(message: GbcsMessage): unknown {
  return payloadShape(message, rtdsKeyStore());
}

/**
 * Our message has the payload shape of the RTDS message `folder`/`file`, which it returns; skipped, saying why,
 * without the vectors.
 */
export function expectRtdsShape(ours: GbcsMessage, folder: string, file: string): GbcsMessage | undefined {
  const rtds = rtdsMessage(folder, file);
  if (rtds === undefined) {
    console.warn(`${folder}/${file}: ${skipReason()}`);
    return undefined;
  }
  expect(payloadShape(ours)).toEqual(rtdsShape(rtds));
  return rtds;
}

function decryptComponent(
  message: GbcsMessage,
  c: Extract<GbzComponent, { encrypted: true }>,
  store: KeyStore,
) {
  const h = message.header;
  const z = new SharedSecretCache().between(
    store,
    { eui: h.originator, usage: 'KA' },
    { eui: h.recipient, usage: 'KA' },
  );
  return decryptGbcsPayload(
    z,
    {
      originator: eui64ToBytes(h.originator),
      counter: h.originatorCounter,
      recipient: eui64ToBytes(h.recipient),
    },
    Uint8Array.from([...c.ciphered.ciphertext, ...c.ciphered.mac]),
  );
}

/** The ZCL payloads of a GBZ payload's plaintext components (throws on anything else). */
export function zclPayloads(p: GbcsPayload): ZclPayload[] {
  if (p.kind !== 'gbz' || p.gbz.kind !== 'components') throw new Error(`not GBZ components: ${p.kind}`);
  return p.gbz.components.map((c) => {
    if (c.encrypted) throw new Error('an encrypted component');
    return c.payload;
  });
}

/** The clock status octet of a header date-time, or null when the header carries none. */
export function dateTimeStatus(message: GbcsMessage): number | null {
  return message.header.dateTime === null ? null : message.header.dateTime[11]!;
}

// ---------------------------------------------------------------------------------------------------------
// Driving a GSME by hand, as its CHF

/** The 'han' frames an effect list sends to `to`. */
export function framesTo(effects: readonly Effect[], to: Eui64): HanFrame[] {
  return effects.flatMap((e) => (e.kind === 'han' && e.to === to ? [e.frame] : []));
}

/** The GBCS messages an effect list sends to the CHF (responses and alerts), as bytes. */
export function bytesToHub(effects: readonly Effect[]): Uint8Array[] {
  return framesTo(effects, CHF).flatMap((f) => (f.type === 'gbcs' ? [f.bytes] : []));
}

/** The same, decoded. */
export function sentToHub(effects: readonly Effect[]): GbcsMessage[] {
  return bytesToHub(effects).map(decodeGbcs);
}

/** The one response (CRA 2) among the messages sent to the CHF, with its bytes, its decoded form and its checks. */
export function theResponse(effects: readonly Effect[]) {
  const responses = bytesToHub(effects)
    .map((bytes) => ({ bytes, parsed: parseGbcs(bytes) }))
    .filter((r) => r.parsed.message.header.cra === 2);
  if (responses.length !== 1) throw new Error(`expected one response, got ${responses.length}`);
  const { bytes, parsed } = responses[0]!;
  return { bytes, message: parsed.message, verification: verifyGbcs(parsed, env.protection) };
}

/** The alerts (CRA 3) sent to the CHF, decoded, with their checks. */
export function alertsSent(effects: readonly Effect[]) {
  return bytesToHub(effects)
    .map((bytes) => parseGbcs(bytes))
    .filter((p) => p.message.header.cra === 3)
    .map((p) => ({
      message: p.message,
      verification: verifyGbcs(p, env.protection),
      alertCode: alertCodeOf(p.message),
    }));
}

/** The alert code a GBZ alert carries. */
export function alertCodeOf(message: GbcsMessage): number | undefined {
  const p = message.payload;
  return p.kind === 'gbz' && p.gbz.kind === 'alert' ? p.gbz.alertCode : undefined;
}

export function timerAt(effects: readonly Effect[], name: string): number | undefined {
  for (const e of effects) if (e.kind === 'timer' && e.timer.name === name) return e.atMs;
  return undefined;
}

export function notes(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.kind === 'note' ? [e.text] : []));
}

/** A GSME joined to the SMHAN at T0, with the time of its first wake-up. */
export function joinedGsme(init: Partial<GsmeInit> = {}): { state: GsmeState; wakeAt: number } {
  let state = createGsme({ ...deviceInit(GSME), gpf: GPF, utrnPeers: [ESME], ...init });
  state = stepGsme(state, { type: 'power', on: true }, T0, env).state;
  const joined = stepGsme(
    state,
    { type: 'han', from: CHF, frame: { type: 'join-response', outcome: 'success' } },
    T0,
    env,
  );
  const wakeAt = timerAt(joined.effects, WAKE_TIMER);
  if (wakeAt === undefined) throw new Error('a joined GSME sets its wake timer');
  return { state: joined.state, wakeAt };
}

export function wake(state: GsmeState, at: number): Step<GsmeState> {
  return stepGsme(state, { type: 'timer', timer: { name: WAKE_TIMER } }, at, env);
}

export function mailbox(
  state: GsmeState,
  bytes: Uint8Array | null,
  remaining: number,
  at: number,
): Step<GsmeState> {
  return stepGsme(
    state,
    { type: 'han', from: CHF, frame: { type: 'gsme-mailbox', remaining, bytes } },
    at,
    env,
  );
}

/**
 * What the CHF does with one queued command: at the GSME's wake-up it answers the poll with the command (nothing
 * else queued). Returns the GSME's state after the session, the effects of the mailbox step, and the next wake.
 */
export function deliverAtWake(
  state: GsmeState,
  wakeAt: number,
  bytes: Uint8Array,
): { state: GsmeState; effects: readonly Effect[]; wakeAt: number } {
  const woken = wake(state, wakeAt);
  const answered = mailbox(woken.state, bytes, 0, wakeAt + 100);
  const next = timerAt(answered.effects, WAKE_TIMER);
  if (next === undefined) throw new Error('the GSME sets its next wake-up when it goes back to sleep');
  return { state: answered.state, effects: answered.effects, wakeAt: next };
}

/** A GSME joined at T0 (with `init`), `before` its first wake-up, and its session then with `bytes` in the mailbox. */
export function atFirstWake(
  bytes: Uint8Array,
  init: Partial<GsmeInit> = {},
): { before: GsmeState; state: GsmeState; effects: readonly Effect[]; wakeAt: number } {
  const { state, wakeAt } = joinedGsme(init);
  return { before: state, ...deliverAtWake(state, wakeAt, bytes) };
}
