// Reads of gas registers, answered alike by the GSME from its own state and by the GPF from its mirror (domain brief
// §4.4): Read Attributes on the ZSE clusters, one Read Attributes Response per component, the sensitive clusters
// encrypted for the requesting User (GBCS 4.3.3.4, KDF type 04), as RTDS 4.5.0 answers each use case [O].
import { Writer } from '../codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import type { GbzComponent, ZclReadAttributeStatus, ZclValue } from '../codec/gbcs/gbz/index.js';
import { writeZclPayload } from '../codec/gbcs/gbz/zcl-frame.js';
import { encryptGbcsPayload } from '../crypto/mac.js';
import {
  answerHeader,
  CLUSTER,
  commandComponents,
  defaultResponseTo,
  gbzComponents,
  GLOBAL,
  SUPPLY_STATUS,
  ZCL_STATUS,
  type ComponentDraft,
} from './zcl.js';
import type { Accepted } from './security.js';
import type { ActorEnv, GasMirror, ValveState } from './types.js';

/** ZCL data type ids used in gas reads (ZCL 2.6.2). */
export const ZCL_TYPE = {
  map8: 0x18,
  map16: 0x19,
  uint16: 0x21,
  uint24: 0x22,
  uint32: 0x23,
  uint48: 0x25,
  int32: 0x2b,
  enum8: 0x30,
} as const;
const T = ZCL_TYPE;

/** ISO 4217 code of the pound sterling, Price Currency (0x0616) [O: RTDS GCS14]. */
const CURRENCY_GBP = 826;
/** Price Trailing Digit 0x50: five digits after the point, money in GBP × 10^-5 [O: RTDS GCS14]. */
const PRICE_TRAILING_DIGIT = 0x50;
/** Metering Unit of Measure 0x01 (m³), Multiplier 1, Divisor 1000: volume × 1000 [O: RTDS GCS13c, decrypted]. */
const UNIT_CUBIC_METRES = 0x01;
const VOLUME_DIVISOR = 1000;

/** A numeric ZCL value of `type`. */
export const zclNumber = (type: number, value: number): ZclValue => ({ kind: 'number', type, value });
const n = zclNumber;

/** An int32 attribute from a ledger amount, held at the type's bounds rather than wrapped [A]. */
const int32 = (v: number): ZclValue => n(T.int32, Math.min(Math.max(Math.trunc(v), -(2 ** 31)), 2 ** 31 - 1));

export function supplyStatusOf(valve: ValveState): number {
  return valve === 'open' ? SUPPLY_STATUS.on : valve === 'armed' ? SUPPLY_STATUS.armed : SUPPLY_STATUS.off;
}

/** The ZSE attribute a gas read asks for, from a mirror of the GSME; undefined when not held. Types as RTDS [O]. */
export function gasAttribute(m: GasMirror, clusterId: number, attributeId: number): ZclValue | undefined {
  const r = m.registers;
  switch (clusterId) {
    case CLUSTER.otaUpgrade:
      // CurrentFileVersion (ZCL 11.10.2.3): no RTDS GCS38 folder, so ZCL's convention for the running image [A].
      return attributeId === 0x0002 ? n(T.uint32, m.firmwareVersion >>> 0) : undefined;
    case CLUSTER.metering:
      switch (attributeId) {
        case 0x0000:
          return n(T.uint48, m.consumption);
        case 0x0014:
          return n(T.enum8, supplyStatusOf(m.valve));
        case 0x0300:
          return n(T.enum8, UNIT_CUBIC_METRES);
        case 0x0301:
          return n(T.uint24, 1);
        case 0x0302:
          return n(T.uint24, VOLUME_DIVISOR);
      }
      if (r === undefined) return undefined;
      if (attributeId === 0x0205) return n(T.uint16, r.batteryDays);
      if (attributeId === 0x0a00) return n(T.uint32, r.billToDate >>> 0);
      // CurrentTier1..4SummationDelivered: 0x0100, 0x0102, 0x0104, 0x0106 (ZSE D.3.2.2.2).
      if (attributeId >= 0x0100 && attributeId <= 0x0106 && attributeId % 2 === 0) {
        const tier = r.tiers[(attributeId - 0x0100) / 2];
        return tier === undefined ? undefined : n(T.uint48, tier);
      }
      return undefined;
    case CLUSTER.prepayment:
      if (r === undefined) return undefined;
      switch (attributeId) {
        case 0x0000:
          return n(T.map16, r.paymentControl);
        // Credit Remaining, Emergency Credit Remaining, Accumulated Debt: from the GSME's ledger (gsme-state.ts).
        case 0x0001:
          return int32(r.creditRemaining);
        case 0x0002:
          return int32(r.emergencyCreditRemaining);
        case 0x0005:
          return int32(r.accumulatedDebt);
        case 0x0211:
        case 0x0221:
        case 0x0231: {
          const debt = r.debts[((attributeId >> 4) & 0xf) - 1];
          return debt === undefined ? undefined : n(T.uint32, debt >>> 0);
        }
      }
      return undefined;
    case CLUSTER.price:
      if (attributeId === 0x0616) return n(T.uint16, CURRENCY_GBP);
      if (attributeId === 0x0617) return n(T.map8, PRICE_TRAILING_DIGIT);
      return undefined;
  }
  return undefined;
}

/** How one read use case answers (RTDS 4.5.0 SUCCESS responses) [O]. */
export interface ReadRule {
  readonly useCase: string;
  /** Clusters whose response component is encrypted for the User. */
  readonly sensitive: ReadonlySet<number>;
  /** The "disable default response" bit of the response's ZCL header. */
  readonly disableDefaultResponse: boolean;
  /** Whether the response carries a date-time in its grouping header. */
  readonly dateTime: boolean;
}

const rule = (
  useCase: string,
  sensitive: readonly number[],
  dateTime: boolean,
  disableDefaultResponse = false,
): ReadRule => ({ useCase, sensitive: new Set(sensitive), disableDefaultResponse, dateTime });

/**
 * The gas reads by message code; GCS38's shape is ZCL convention, no RTDS folder [A]. GCS13a (Read GSME Consumption
 * Register) answers as its sibling GCS13c does: one Metering component encrypted for the User, "no default response"
 * set, a date-time in the header (RTDS 4.1.2_GCS13c; ECS17b's register read is encrypted too) [A: no RTDS 4.1.1_GCS13a
 * folder in this copy].
 */
export const GAS_READS: ReadonlyMap<number, ReadRule> = new Map([
  [0x0082, rule('GCS33', [], false)],
  [0x0084, rule('GCS38', [], false)],
  [0x0074, rule('GCS13a', [CLUSTER.metering], true, true)],
  [0x00b6, rule('GCS13c', [CLUSTER.metering], true, true)],
  [0x0075, rule('GCS14', [CLUSTER.prepayment], true)],
  [0x008d, rule('GCS60', [], false)],
  [0x012a, rule('GCS60a', [], true)],
  [0x00bf, rule('GCS21j', [], false)],
]);

/** Security control of an encrypted GBZ component: encryption only, 0x31 [O: RTDS GCS13c, GCS14]. */
const ENCRYPTED_SECURITY_CONTROL = 0x31;

/** Where a read's attribute values come from: (cluster, attribute) → value, undefined when not held. */
export type AttributeSource = (clusterId: number, attributeId: number) => ZclValue | undefined;

/**
 * The response payload of a gas read: per command component, the attributes from `mirror` (0x86 for those not
 * held); a component that is not Read Attributes gets a Default Response UNSUP_GENERAL_COMMAND [A]. `responder` is
 * the answering device, whose KA key with the User's encrypts the sensitive components.
 */
export function answerRead(
  command: Accepted,
  rule: ReadRule,
  mirror: GasMirror,
  responder: Eui64,
  env: ActorEnv,
): GbcsPayload | undefined {
  const components = commandComponents(command);
  if (components === undefined || components.length === 0) return undefined;
  const source: AttributeSource = (clusterId, attributeId) => gasAttribute(mirror, clusterId, attributeId);
  const drafts = components.map((c) => readAttributesAnswer(c, rule, source, command, responder, env));
  return gbzComponents(drafts);
}

/**
 * One command component answered by its Read Attributes Response from `source` (encrypted for the User when the
 * rule says its cluster is sensitive), or by a Default Response UNSUP_GENERAL_COMMAND when it is not Read
 * Attributes [A].
 */
export function readAttributesAnswer(
  c: GbzComponent,
  rule: ReadRule,
  source: AttributeSource,
  command: Accepted,
  responder: Eui64,
  env: ActorEnv,
): ComponentDraft {
  if (c.encrypted || c.payload.kind !== 'read-attributes')
    return defaultResponseTo(c, ZCL_STATUS.unsupportedGeneralCommand);
  const records: ZclReadAttributeStatus[] = c.payload.attributeIds.map((attributeId) => {
    const value = source(c.clusterId, attributeId);
    return value === undefined
      ? { attributeId, status: ZCL_STATUS.unsupportedAttribute, value: null }
      : { attributeId, status: ZCL_STATUS.success, value };
  });
  const header = answerHeader(c.header, 'global', GLOBAL.readAttributesResponse, rule.disableDefaultResponse);
  const payload = { kind: 'read-attributes-response', records } as const;
  if (!rule.sensitive.has(c.clusterId))
    return { encrypted: false, clusterId: c.clusterId, fromDateTime: null, header, payload };
  const w = new Writer('gbz', 64);
  writeZclPayload(w, header, payload, 'zcl.payload');
  const sealed = encryptForUser(command, responder, w.finish(), env);
  return {
    encrypted: true,
    clusterId: c.clusterId,
    additionalHeaderControl: 0,
    additionalFrameCounter: 0,
    header,
    ciphered: {
      securityControl: ENCRYPTED_SECURITY_CONTROL,
      invocationCounter: 0,
      ciphertext: sealed.subarray(0, sealed.length - 12),
      mac: sealed.subarray(sealed.length - 12),
    },
  };
}

/**
 * Encrypts a sensitive data item for the User who asked (GBCS 4.3.3.4): Z of the responder's and the User's KA
 * keys, KDF type 04 over (responder, the command's counter, User) — the response's own transaction [O: decrypts
 * RTDS GCS13c/GCS14]. A supplementary remote party (ACB-originated reads) is the User when present [A].
 */
function encryptForUser(
  command: Accepted,
  responder: Eui64,
  plaintext: Uint8Array,
  env: ActorEnv,
): Uint8Array {
  const h = command.parsed.message.header;
  const user = h.supplementaryRemotePartyId ?? h.originator;
  const counter = h.supplementaryRemotePartyCounter ?? h.originatorCounter;
  const { keys, secrets } = env.protection;
  const z = secrets.between(keys, { eui: responder, usage: 'KA' }, { eui: user, usage: 'KA' });
  return encryptGbcsPayload(
    z,
    { originator: eui64ToBytes(responder), counter, recipient: eui64ToBytes(user) },
    plaintext,
  );
}
