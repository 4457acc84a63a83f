// ESME commands for tests, built from typed values: an RTDS COMMAND's decoded payload (read in place from the shared
// vectors) or a payload typed here, put under a fresh grouping header (our EUIs, our counter), signed by the
// originator when the use case is critical, MACed with the ACB — as the DCC would send it. Never copies RTDS bytes.
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { join } from 'node:path';
import { fromHex } from '../../src/codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../../src/codec/eui64.js';
import type {
  DlmsAccessRequest,
  DlmsAccessResponse,
  DlmsData,
  DlmsDataNotification,
} from '../../src/codec/gbcs/dlms/index.js';
import { parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import { messageCodeInfo } from '../../src/codec/gbcs/message-codes.js';
import { invokeIdFor } from '../../src/codec/gbcs/use-cases/chf-device-log.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { generateUtrn, type UtrnValueClass } from '../../src/crypto/utrn.js';
import { createEsme, stepEsme, type EsmeInit, type EsmeState } from '../../src/devices/esme.js';
import type { ActorEnv, Effect, Step } from '../../src/devices/types.js';
import { HAVE_VECTORS, RTDS_DIR } from '../vectors.js';
import { CHF, envWith, ESME, PARTIES, SUPPLIER } from './identities.js';
import { sealMessage } from './sealing.js';

export { ACB, CHF, envWith, ESME, GSME, NETWORK_OPERATOR, SUPPLIER } from './identities.js';
export const INSTALL_CODE = '000102030405060708090A0B0C0D0E0F';

/** An environment with the test fleet's keys. */
export function fleetEnv(): ActorEnv {
  return envWith();
}

/** An ESME on the SMHAN with the test parties, for command tests. */
export function joinedEsme(init: Partial<EsmeInit> = {}): EsmeState {
  const esme = createEsme({
    eui: ESME,
    hub: CHF,
    parties: PARTIES,
    installCode: INSTALL_CODE,
    ...init,
  });
  return { ...esme, hanJoined: true };
}

export interface CommandSpec {
  readonly messageCode: number;
  readonly counter: bigint;
  readonly request: DlmsAccessRequest;
  readonly originator?: Eui64;
  readonly recipient?: Eui64;
  /** Who signs a critical command: the originator by default; null leaves it unsigned. */
  readonly signer?: Eui64 | null;
}

/** The command as the DCC sends it: header for `counter`, invoke-id from the counter, signed if critical, ACB MAC. */
export function sealCommand(env: ActorEnv, spec: CommandSpec): Uint8Array {
  const originator = spec.originator ?? SUPPLIER;
  const critical = messageCodeInfo(spec.messageCode)?.critical === true;
  const signer = spec.signer === undefined ? (critical ? originator : null) : spec.signer;
  return sealMessage(
    {
      from: originator,
      to: spec.recipient ?? ESME,
      counter: spec.counter,
      messageCode: spec.messageCode,
      payload: { kind: 'dlms', dlms: { ...spec.request, invokeIdAndPriority: invokeIdFor(spec.counter) } },
    },
    env,
    signer,
  );
}

/** The GBCS messages an actor sent towards its CHF. */
export function sentToHub(effects: readonly Effect[]): Uint8Array[] {
  return effects.flatMap((e) => (e.kind === 'han' && e.frame.type === 'gbcs' ? [e.frame.bytes] : []));
}

// ---- Typed payloads (objects as RTDS 4.5.0 shows them [O]; ECS43, ECS45, ECS07 assumed [A]) ----

const obis = (...b: number[]): Uint8Array => Uint8Array.from(b);
const octets = (value: Uint8Array): DlmsData => ({ type: 'octet-string', value });
/** A zero COSEM date-time: "activate now" in future-datable commands (RTDS IMMEDIATE variants) [O]. */
export const IMMEDIATELY = fromHex('0000000000000000008000FF');
/** An unspecified COSEM date-time (RTDS CANCELLATION variants; ECS70's preset time) [O]. */
export const UNSPECIFIED = fromHex('FFFFFFFFFFFFFFFFFF8000FF');

function request(specifications: DlmsAccessRequest['specifications'], data: DlmsData[]): DlmsAccessRequest {
  return { type: 'access-request', invokeIdAndPriority: 0, dateTime: null, specifications, data };
}

const script = (id: number): DlmsAccessRequest =>
  request(
    [{ type: 'action', classId: 9, instanceId: obis(0, 0, 10, 0, 106, 255), methodId: 1 }],
    [{ type: 'long-unsigned', value: id }],
  );

const ACCOUNT = obis(0, 1, 19, 0, 0, 255);
const gb = (e: number): Uint8Array => obis(0, 0, 94, 44, 128, e);
const gb2 = (e: number): Uint8Array => obis(0, 0, 94, 44, 2, e);
const set = (classId: number, instanceId: Uint8Array, attributeId: number) =>
  ({ type: 'set', classId, instanceId, attributeId }) as const;
const doubleLong = (value: number): DlmsData => ({ type: 'double-long', value });
const chargeConfiguration: DlmsData = {
  type: 'array',
  value: [
    {
      type: 'structure',
      value: [
        octets(obis(0, 0, 19, 10, 0, 255)),
        octets(obis(0, 0, 19, 20, 0, 255)),
        { type: 'bit-string', bitLength: 3, value: Uint8Array.of(0xe0) },
      ],
    },
  ],
};

export interface PrepaymentConfiguration {
  maxMeterBalance: number;
  maxCreditThreshold: number;
  debtRecoveryRateCap: number;
  lowCreditThreshold: number;
  emergencyCreditLimit: number;
  emergencyCreditThreshold: number;
  activation?: Uint8Array;
}

export interface DebtUpdate {
  timeDebt1: number;
  timeDebt2: number;
  paymentDebt: number;
  debtRecoveryPerPayment: number;
}

export const typed = {
  ecs42: (): DlmsAccessRequest => script(51),
  ecs43: (): DlmsAccessRequest => script(52),
  ecs44: (): DlmsAccessRequest => script(54),
  ecs45: (): DlmsAccessRequest =>
    request(
      [{ type: 'get', classId: 70, instanceId: obis(0, 0, 96, 3, 10, 255), attributeId: 3 }],
      [{ type: 'null-data' }],
    ),
  ecs52: (): DlmsAccessRequest =>
    request(
      [{ type: 'get', classId: 1, instanceId: obis(0, 0, 0, 2, 1, 255), attributeId: 2 }],
      [{ type: 'null-data' }],
    ),
  ecs15a: (): DlmsAccessRequest =>
    request(
      [{ type: 'action', classId: 7, instanceId: obis(0, 0, 99, 98, 0, 255), methodId: 1 }],
      [{ type: 'integer', value: 0 }],
    ),
  ecs09: (): DlmsAccessRequest =>
    request(
      [{ type: 'action', classId: 112, instanceId: obis(0, 0, 19, 10, 1, 255), methodId: 3 }],
      [{ type: 'integer', value: 0 }],
    ),
  cs01a: (utrn: string): DlmsAccessRequest =>
    request(
      [{ type: 'action', classId: 115, instanceId: obis(0, 0, 19, 40, 0, 255), methodId: 1 }],
      [octets(new TextEncoder().encode(utrn))],
    ),
  /** get_protected_attributes with the User's protection parameters (transaction-id 04 ‖ counter) [O]. */
  ecs17b: (user: Eui64, counter: bigint): DlmsAccessRequest => {
    const transactionId = new Uint8Array(9);
    transactionId[0] = 0x04;
    new DataView(transactionId.buffer).setBigUint64(1, counter);
    const objectDefinition: DlmsData = {
      type: 'structure',
      value: [
        { type: 'long-unsigned', value: 1 },
        octets(obis(0, 0, 94, 44, 34, 10)),
        { type: 'integer', value: 2 },
        { type: 'long-unsigned', value: 0 },
        { type: 'structure', value: [{ type: 'enum', value: 0 }, { type: 'null-data' }] },
      ],
    };
    const protection: DlmsData = {
      type: 'structure',
      value: [
        { type: 'enum', value: 2 },
        {
          type: 'structure',
          value: [
            octets(transactionId),
            octets(eui64ToBytes(user)),
            octets(eui64ToBytes(ESME)),
            octets(new Uint8Array(0)),
            {
              type: 'structure',
              value: [
                { type: 'enum', value: 2 },
                { type: 'structure', value: [octets(Uint8Array.of(2)), octets(new Uint8Array(0))] },
              ],
            },
          ],
        },
      ],
    };
    return request(
      [{ type: 'action', classId: 30, instanceId: obis(0, 0, 43, 2, 8, 255), methodId: 1 }],
      [
        {
          type: 'structure',
          value: [
            { type: 'array', value: [objectDefinition] },
            { type: 'array', value: [protection] },
          ],
        },
      ],
    );
  },
  /** Set clock with a validity window (12-octet date-times) and an optional preset time [O]. */
  ecs70: (window: { from: Uint8Array; to: Uint8Array; preset?: Uint8Array }): DlmsAccessRequest => {
    const clock = obis(0, 0, 1, 0, 0, 255);
    return request(
      [
        { type: 'set', classId: 8, instanceId: clock, attributeId: 9 },
        { type: 'action', classId: 8, instanceId: clock, methodId: 5 },
        { type: 'action', classId: 8, instanceId: clock, methodId: 4 },
        { type: 'get', classId: 8, instanceId: clock, attributeId: 2 },
        { type: 'get', classId: 8, instanceId: clock, attributeId: 4 },
      ],
      [
        { type: 'enum', value: 5 },
        {
          type: 'structure',
          value: [octets(window.preset ?? UNSPECIFIED), octets(window.from), octets(window.to)],
        },
        { type: 'integer', value: 0 },
        { type: 'null-data' },
        { type: 'null-data' },
      ],
    );
  },
  ecs02: (activation: Uint8Array = IMMEDIATELY): DlmsAccessRequest =>
    request(
      [set(111, ACCOUNT, 2), set(111, ACCOUNT, 11), set(111, ACCOUNT, 13)],
      [
        {
          type: 'structure',
          value: [
            { type: 'enum', value: 1 },
            { type: 'enum', value: 1 },
          ],
        },
        chargeConfiguration,
        octets(activation),
      ],
    ),
  ecs03: (disablementThreshold: number, activation: Uint8Array = IMMEDIATELY): DlmsAccessRequest =>
    request(
      [
        set(111, ACCOUNT, 2),
        set(9000, gb(22), 4),
        set(111, ACCOUNT, 11),
        set(9000, gb(22), 6),
        set(111, ACCOUNT, 13),
      ],
      [
        {
          type: 'structure',
          value: [
            { type: 'enum', value: 2 },
            { type: 'enum', value: 1 },
          ],
        },
        doubleLong(disablementThreshold),
        chargeConfiguration,
        octets(activation),
        octets(activation),
      ],
    ),
  /** ECS07 [A]: the debt registers as Charge objects (class 113). */
  ecs07: (d: DebtUpdate): DlmsAccessRequest => {
    const charge = (e: number): Uint8Array => obis(0, 0, 19, 20, e, 255);
    return request(
      [set(113, charge(1), 12), set(113, charge(2), 12), set(113, charge(3), 12), set(113, charge(3), 13)],
      [
        doubleLong(d.timeDebt1),
        doubleLong(d.timeDebt2),
        doubleLong(d.paymentDebt),
        { type: 'long-unsigned', value: d.debtRecoveryPerPayment },
      ],
    );
  },
  /** ECS08 in RTDS order: calendar, limits and thresholds, then their activation date-times [O]. */
  ecs08: (c: PrepaymentConfiguration): DlmsAccessRequest => {
    const when = octets(c.activation ?? IMMEDIATELY);
    const specialDay: DlmsData = {
      type: 'structure',
      value: [
        { type: 'long-unsigned', value: 1 },
        octets(fromHex('FFFF071DFF')),
        { type: 'unsigned', value: 1 },
      ],
    };
    return request(
      [
        set(11, obis(0, 1, 11, 0, 2, 255), 2),
        set(9000, gb2(20), 2),
        set(9000, gb2(10), 4),
        set(10, obis(0, 1, 12, 0, 1, 255), 2),
        set(9000, gb(12), 4),
        set(9000, gb(13), 4),
        set(9000, gb(9), 4),
        set(9000, gb(2), 4),
        set(9000, gb(31), 6),
        set(9000, gb(3), 4),
        set(9000, gb2(20), 6),
        set(9000, gb2(10), 6),
        ...[12, 13, 9, 2, 3, 28].map((e) => set(9000, gb(e), 6)),
      ],
      [
        { type: 'array', value: [specialDay] },
        doubleLong(c.maxMeterBalance),
        doubleLong(c.maxCreditThreshold),
        { type: 'array', value: [] },
        { type: 'long-unsigned', value: c.debtRecoveryRateCap },
        doubleLong(604_800),
        doubleLong(c.lowCreditThreshold),
        doubleLong(c.emergencyCreditLimit),
        when,
        doubleLong(c.emergencyCreditThreshold),
        ...Array.from({ length: 8 }, () => when),
      ],
    );
  },
};

// ---- UTRNs ----

export interface UtrnSpec {
  counter: bigint;
  value: number;
  valueClass?: UtrnValueClass;
  /** The device the token is made for (the ESME by default). */
  device?: Eui64;
  /** The supplier whose prepayment key makes it (ours by default). */
  supplier?: Eui64;
}

export function utrnFor(env: ActorEnv, u: UtrnSpec): string {
  const supplier = u.supplier ?? SUPPLIER;
  const device = u.device ?? ESME;
  const { keys, secrets } = env.protection;
  const z = secrets.between(
    keys,
    { eui: supplier, usage: 'KA', prepayment: true },
    { eui: device, usage: 'KA' },
  );
  return generateUtrn(z, {
    originator: supplier,
    device,
    counter: u.counter,
    value: u.value,
    valueClass: u.valueClass ?? 'pounds',
  }).utrn;
}

// ---- RTDS, read in place ----

/** The bytes of an RTDS file (`<folder>/<file>`), or undefined without the vectors. */
export function rtdsBytes(file: string): Uint8Array | undefined {
  if (!HAVE_VECTORS) return undefined;
  const path = join(RTDS_DIR, file);
  return existsSync(path) ? fromHex(readFileSync(path, 'utf8')) : undefined;
}

export function rtdsRequest(file: string): DlmsAccessRequest | undefined {
  const bytes = rtdsBytes(file);
  const payload = bytes === undefined ? undefined : parseGbcs(bytes).message.payload;
  return payload?.kind === 'dlms' && payload.dlms.type === 'access-request' ? payload.dlms : undefined;
}

export function rtdsResponse(file: string): DlmsAccessResponse | undefined {
  const bytes = rtdsBytes(file);
  const payload = bytes === undefined ? undefined : parseGbcs(bytes).message.payload;
  return payload?.kind === 'dlms' && payload.dlms.type === 'access-response' ? payload.dlms : undefined;
}

// ---- Shapes: what "the same response" means when values differ ----

export type DataShape = string | { readonly [type: string]: DataShape[] };

/** The type tree of a Data: constructed types with their elements' shapes, simple types by name. */
export function dataShape(d: DlmsData): DataShape {
  return d.type === 'array' || d.type === 'structure' ? { [d.type]: d.value.map(dataShape) } : d.type;
}

/** An access-response's shape: its Data types and its response specification kinds. */
export function responseShape(r: DlmsAccessResponse): { data: DataShape[]; specifications: string[] } {
  return { data: r.data.map(dataShape), specifications: r.responseSpecifications.map((s) => s.type) };
}

/** The response's results, whichever kind each is. */
export function resultsOf(r: DlmsAccessResponse): number[] {
  return r.responseSpecifications.map((s) => (s.type === 'action' ? s.actionResult : s.dataAccessResult));
}

// ---- Delivering commands and checking what comes back ----

/** Virtual UTC of the tests: 2026-01-01T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 1, 12);

export function deliver(state: EsmeState, bytes: Uint8Array, env: ActorEnv, now = NOW): Step<EsmeState> {
  return stepEsme(state, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, now, env);
}

export function send(state: EsmeState, env: ActorEnv, spec: CommandSpec, now = NOW): Step<EsmeState> {
  return deliver(state, sealCommand(env, spec), env, now);
}

export interface CheckedResponse {
  readonly message: GbcsMessage;
  readonly dlms: DlmsAccessResponse;
}

/**
 * The one response among the effects: a GBCS Response (CRA 2) from the ESME to the command's originator with the
 * command's counter, signed when the command was critical and MACed otherwise, protection valid.
 */
export function responseTo(step: Step<EsmeState>, spec: CommandSpec, env: ActorEnv): CheckedResponse {
  const responses = sentToHub(step.effects)
    .map((b) => parseGbcs(b))
    .filter((p) => p.message.header.cra === 2);
  expect(responses).toHaveLength(1);
  const parsed = responses[0]!;
  const { header } = parsed.message;
  expect(header.originator).toBe(ESME);
  expect(header.recipient).toBe(spec.originator ?? SUPPLIER);
  expect(header.originatorCounter).toBe(spec.counter);
  expect(header.messageCode).toBe(spec.messageCode);
  const verification = verifyGbcs(parsed, env.protection);
  if (messageCodeInfo(spec.messageCode)?.critical === true) {
    expect(verification).toMatchObject({ signature: 'valid', mac: 'none' });
  } else {
    expect(verification).toMatchObject({ signature: 'none', mac: 'valid' });
  }
  const { payload } = parsed.message;
  if (payload.kind !== 'dlms' || payload.dlms.type !== 'access-response')
    throw new Error('not an access-response');
  return { message: parsed.message, dlms: payload.dlms };
}

/** The alerts among the effects, decoded: alert code and whether signed. */
export function alertsIn(
  step: Step<EsmeState>,
  env: ActorEnv,
): { code: number; signed: boolean; valid: boolean }[] {
  return sentToHub(step.effects)
    .map((b) => parseGbcs(b))
    .filter((p) => p.message.header.cra === 3)
    .map((p) => {
      const body = (p.message.payload as { dlms: DlmsDataNotification }).dlms.notificationBody;
      const code =
        body.type === 'structure' && body.value[0]?.type === 'long-unsigned' ? body.value[0].value : -1;
      const v = verifyGbcs(p, env.protection);
      const signed = p.message.signature.kind === 'present';
      return { code, signed, valid: signed ? v.signature === 'valid' : v.mac === 'valid' };
    });
}

/**
 * Compares our response with the RTDS SUCCESS response of the use case: same Data types, same response
 * specification kinds and counts, a header date-time where RTDS has one. Skips, saying why, without the vectors.
 */
export function expectRtdsShape(file: string, ours: CheckedResponse): void {
  const rtds = rtdsResponse(file);
  if (rtds === undefined) {
    console.warn(`RTDS ${file} not found (vectors absent or held back): shape comparison skipped`);
    return;
  }
  expect(responseShape(ours.dlms)).toEqual(responseShape(rtds));
  const rtdsHeader = parseGbcs(rtdsBytes(file)!).message.header;
  expect(ours.message.header.dateTime === null).toBe(rtdsHeader.dateTime === null);
}

/** Everything but the security log and the alert counter: what a refused command must leave as it was. */
export { withoutRefusalFields as withoutSecurityEffects } from './refusal.js';

/** An access-request's shape: each specification's kind and target, and each Data's type. */
export function requestShape(r: DlmsAccessRequest): { specifications: string[]; data: string[] } {
  return {
    specifications: r.specifications.map((s) => {
      const index = s.type === 'action' ? `method ${s.methodId}` : `attribute ${s.attributeId}`;
      return `${s.type} ${s.classId} ${Array.from(s.instanceId).join('.')} ${index}`;
    }),
    data: r.data.map((d) => d.type),
  };
}
