// Test helpers for the ESME transforms: DUIS bodies from XML, an SMI record for the test ESME, the transform by SRV, and a draft sealed as the DCC would.
import { readdirSync } from 'node:fs';
import { Reader } from '../../src/codec/bytes.js';
import { DuisError } from '../../src/codec/duis/common.js';
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import { eui64ToBytes, type Eui64 } from '../../src/codec/eui64.js';
import { decodeDlmsData, type DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import { parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import { messageCodeInfo } from '../../src/codec/gbcs/message-codes.js';
import { ELECTRICITY_TRANSFORMS } from '../../src/dcc/transform/electricity.js';
import type { TransformEntry } from '../../src/dcc/transform/entry.js';
import { TransformError, type CommandDraft, type TransformInput } from '../../src/dcc/transform/types.js';
import type { SmiDevice } from '../../src/dcc/types.js';
import { decryptGbcsPayload } from '../../src/crypto/mac.js';
import { sealGbcs, verifyGbcs } from '../../src/crypto/message-protection.js';
import type { ActorEnv, Effect } from '../../src/devices/types.js';
import { vectorPath } from '../vectors.js';
import { ESME, SUPPLIER } from './identities.js';
import { sentToHub } from './esme-commands.js';
import { unsealedMessage } from './sealing.js';

export const TEMPLATES_DIR = vectorPath('duis-templates', 'templates');

/** Virtual UTC of the transform tests: 2026-01-01T12:00:00Z (as test/support/esme-commands.ts NOW). */
export const TRANSFORM_NOW = Date.UTC(2026, 0, 1, 12);

/** The test ESME's SMI record: commissioned, single element unless told. */
export function esmeDevice(overrides: Partial<SmiDevice> = {}): SmiDevice {
  return {
    deviceId: ESME,
    deviceType: 'ESME',
    status: 'Commissioned',
    manufacturer: 'Twin',
    model: 'ESME-1',
    smetsChtsVersion: 'V4.2',
    firmwareVersion: '00000100',
    firmwareVersionStatus: 'Active',
    cplStatus: 'Active',
    gbcsVersion: '4.0',
    esmeVariant: 'A',
    supplier: SUPPLIER,
    ...overrides,
  };
}

/** The entry of an SRV; throws when the ESME has none. */
export function entryFor(srv: string): TransformEntry {
  const entry = ELECTRICITY_TRANSFORMS.find((e) => e.srv === srv);
  if (entry === undefined) throw new Error(`no ESME transform for SRV ${srv}`);
  return entry;
}

export { bodyFromXml } from './duis-bodies.js';

export interface RunOptions {
  readonly target?: SmiDevice;
  readonly user?: Eui64;
  readonly counter?: bigint;
  readonly nowMs?: number;
}

/** The transform input for an SRV and a body. */
export function inputFor(srv: string, body: DuisRequestBody, o: RunOptions = {}): TransformInput {
  const target = o.target ?? esmeDevice();
  return {
    srv: srvInfo(srv)!,
    body,
    target,
    user: o.user ?? SUPPLIER,
    counter: o.counter ?? 1000n,
    nowMs: o.nowMs ?? TRANSFORM_NOW,
    premiseDevices: [target],
  };
}

/** Runs the SRV's ESME transform. */
export function transform(srv: string, body: DuisRequestBody, o: RunOptions = {}): CommandDraft {
  return entryFor(srv).transform(inputFor(srv, body, o));
}

/** Runs it and returns the typed error it throws (DuisError or TransformError); fails when it succeeds or throws another. */
export function refusalOf(
  srv: string,
  body: DuisRequestBody,
  o: RunOptions = {},
): DuisError | TransformError {
  try {
    transform(srv, body, o);
  } catch (e) {
    if (e instanceof DuisError || e instanceof TransformError) return e;
    throw e;
  }
  throw new Error(`SRV ${srv}: the transform accepted the body`);
}

/**
 * The draft as the DCC sends it (domain brief §2.2): originator the User with the RequestID counter, the draft's
 * header date-time, signed by the User when the use case is critical, MACed by the ACB.
 */
export function sealDraft(
  env: ActorEnv,
  draft: CommandDraft,
  o: { user?: Eui64; counter: bigint },
): Uint8Array {
  const user = o.user ?? SUPPLIER;
  const message = unsealedMessage({
    from: user,
    to: draft.recipient,
    counter: o.counter,
    messageCode: draft.messageCode,
    payload: draft.payload,
  });
  const critical = messageCodeInfo(draft.messageCode)?.critical === true;
  const key = critical ? env.protection.keys.privateKey({ eui: user, usage: 'DS' }) : undefined;
  return sealGbcs(
    { ...message, header: { ...message.header, dateTime: draft.dateTime } },
    env.protection,
    key,
  );
}

/** The notes among an actor's effects (what it did not do, and why). */
export function notesIn(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.kind === 'note' ? [e.text] : []));
}

/**
 * The one GBCS Response among the effects, checked: from the target to the User with the command's counter and
 * code, signed if the command was critical else MACed, protection valid. Throws, naming the notes, when there is none.
 */
export function responseIn(
  effects: readonly Effect[],
  env: ActorEnv,
  o: { messageCode: number; counter: bigint; user?: Eui64; target?: Eui64 },
): GbcsMessage {
  const responses = sentToHub(effects)
    .map((b) => parseGbcs(b))
    .filter((p) => p.message.header.cra === 2);
  if (responses.length !== 1)
    throw new Error(`expected one response, got ${responses.length}; notes: ${notesIn(effects).join('; ')}`);
  const parsed = responses[0]!;
  const { header } = parsed.message;
  if (
    header.originator !== (o.target ?? ESME) ||
    header.recipient !== (o.user ?? SUPPLIER) ||
    header.originatorCounter !== o.counter ||
    header.messageCode !== o.messageCode
  )
    throw new Error(
      `response header does not answer the command: ${JSON.stringify(header, (_, v) => String(v))}`,
    );
  const verification = verifyGbcs(parsed, env.protection);
  const critical = messageCodeInfo(o.messageCode)?.critical === true;
  const ok = critical
    ? verification.signature === 'valid' && verification.mac === 'none'
    : verification.signature === 'none' && verification.mac === 'valid';
  if (!ok) throw new Error(`response protection: ${JSON.stringify(verification)}`);
  return parsed.message;
}

/**
 * The plaintext of a protected register read's answer (ECS17b/d/e: structure { protection parameters, 31 ‖ 00000000 ‖
 * ciphertext ‖ tag }), decrypted as the User reads it: Z of the User's and the ESME's KA keys, KDF over the response
 * transaction (ESME, counter, User).
 */
export function protectedPlaintext(
  env: ActorEnv,
  answer: DlmsData | undefined,
  o: { user: Eui64; counter: bigint; esme?: Eui64 },
): DlmsData {
  if (answer?.type !== 'structure') throw new Error('the answer is not a structure');
  const sealed = answer.value[1];
  if (sealed?.type !== 'octet-string') throw new Error('no encrypted item in the answer');
  const esme = o.esme ?? ESME;
  const { keys, secrets } = env.protection;
  const z = secrets.between(keys, { eui: o.user, usage: 'KA' }, { eui: esme, usage: 'KA' });
  const parties = { originator: eui64ToBytes(esme), counter: o.counter, recipient: eui64ToBytes(o.user) };
  return decodeDlmsData(new Reader(decryptGbcsPayload(z, parties, sealed.value.subarray(5)), 'dlms'));
}

// ---- The DUIS templates ----

export interface TemplateFile {
  readonly file: string;
  /** As named: 'ECS02', 'CS02bSupplierBySupplier', 'ECS70Commission'. */
  readonly useCaseName: string;
  readonly srv: string;
  /** The variant words between the SRV and REQUEST: 'FUTURE_DATED_TWIN_SUCCESS', '' … */
  readonly variant: string;
}

const TEMPLATE_NAME = /^([A-Za-z0-9]+)_(\d+(?:\.\d+)*)_(?:(.*)_)?REQUEST_DUIS\.XML$/;

/** The request templates present, with their names read as `<UseCase>_<SRV>_<variant>_REQUEST_DUIS.XML`. */
export function templateFiles(): TemplateFile[] {
  return readdirSync(TEMPLATES_DIR).flatMap((file) => {
    const m = TEMPLATE_NAME.exec(file);
    return m === null ? [] : [{ file, useCaseName: m[1]!, srv: m[2]!, variant: m[3] ?? '' }];
  });
}
