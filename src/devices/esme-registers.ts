// ECS17b Read ESME Energy Registers (Import Energy), SR 4.1.1, and ECS17d / ECS17e (TOU, TOU with blocks), SR 4.1.2 /
// 4.1.3: a get_protected_attributes action on a Data Protection object whose answer is encrypted for the requesting
// User (GBCS KDF type 04: ESME KA × User KA; AAD 0x31). RTDS 4.1.1_ECS17b SINGLE: the answer is structure { protection
// parameters for the User, octet-string 31 ‖ 00000000 ‖ ciphertext ‖ tag }, and the plaintext a structure of one
// structure { active import, scaler-unit Wh, reactive import, scaler-unit varh } [O: decrypted with the RTDS keys,
// test/crypto/mac.test.ts]; ECS17d / ECS17e answer alike, their plaintexts below [O: RTDS 4.1.2_ECS17d, 4.1.3_ECS17e].
import { Writer } from '../codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import { encodeDlmsData, type DlmsData } from '../codec/gbcs/dlms/index.js';
import { encryptGbcsPayload } from '../crypto/mac.js';
import type { CommandHandler } from './device.js';
import {
  accessRequestOf,
  accessResponse,
  DATA_PROTECTION,
  DATA_PROTECTION_TOU,
  DATA_PROTECTION_TOU_BLOCKS,
  isSingleAction,
  refuseAll,
  RESULT,
  type CosemTarget,
} from './esme-dlms.js';
import { deviceTime } from './device.js';
import {
  note,
  SECOND_ELEMENT_TOU_REGISTERS,
  TOU_BLOCK_REGISTERS,
  TOU_REGISTERS,
  type EsmeState,
  type ImportRegisters,
} from './esme-state.js';
import { dlmsDateTimeAt } from './outbound.js';
import type { ActorEnv } from './types.js';

/** Protection type 2 (authentication and encryption) and key info type 2 (agreed key), key parameters 02 [O]. */
const AUTHENTICATED_ENCRYPTION = 2;
const AGREED_KEY = 2;
const KEY_PARAMETERS = Uint8Array.of(0x02);
/** GBCS security header of an encrypted data item: security control 0x31, invocation counter 0 [O]. */
const ENCRYPTED_ITEM_HEADER = Uint8Array.of(0x31, 0, 0, 0, 0);
/** KDF type 04 leads the transaction-id of the protection parameters [O]. */
const ENCRYPTION_KDF_TYPE = 0x04;
/** COSEM units: 30 Wh, 32 varh; scaler 0 [O]. */
const UNIT_WH = 30;
const UNIT_VARH = 32;

const octets = (value: Uint8Array): DlmsData => ({ type: 'octet-string', value });

/** The protection parameters of the answer: transaction-id 04 ‖ counter, ESME → User, agreed key [O]. */
export function protectionParameters(from: Eui64, to: Eui64, counter: bigint): DlmsData {
  const transactionId = new Uint8Array(9);
  transactionId[0] = ENCRYPTION_KDF_TYPE;
  new DataView(transactionId.buffer).setBigUint64(1, counter);
  return {
    type: 'structure',
    value: [
      { type: 'enum', value: AUTHENTICATED_ENCRYPTION },
      {
        type: 'structure',
        value: [
          octets(transactionId),
          octets(eui64ToBytes(from)),
          octets(eui64ToBytes(to)),
          octets(new Uint8Array(0)),
          {
            type: 'structure',
            value: [
              { type: 'enum', value: AGREED_KEY },
              { type: 'structure', value: [octets(KEY_PARAMETERS), octets(new Uint8Array(0))] },
            ],
          },
        ],
      },
    ],
  };
}

/** The plaintext of the answer: the import registers with their scaler-units [O]. */
export function importRegistersData(r: ImportRegisters): DlmsData {
  const scalerUnit = (unit: number): DlmsData => ({
    type: 'structure',
    value: [
      { type: 'integer', value: 0 },
      { type: 'enum', value: unit },
    ],
  });
  return {
    type: 'structure',
    value: [
      {
        type: 'structure',
        value: [
          { type: 'double-long-unsigned', value: r.activeWh },
          scalerUnit(UNIT_WH),
          { type: 'double-long-unsigned', value: r.reactiveVarh },
          scalerUnit(UNIT_VARH),
        ],
      },
    ],
  };
}

/**
 * Encrypts `data` for `user` as GBCS 4.3.3.3 prescribes for this response: key from the ESME's and the User's KA
 * keys, the header's originator, counter and recipient (no supplementary remote party in ECS17b/d/e) [O].
 */
function encryptFor(
  state: EsmeState,
  user: Eui64,
  counter: bigint,
  data: DlmsData,
  env: ActorEnv,
): Uint8Array {
  const w = new Writer('dlms');
  encodeDlmsData(w, data);
  const { keys, secrets } = env.protection;
  const z = secrets.between(keys, { eui: state.eui, usage: 'KA' }, { eui: user, usage: 'KA' });
  const parties = { originator: eui64ToBytes(state.eui), counter, recipient: eui64ToBytes(user) };
  const sealed = encryptGbcsPayload(z, parties, w.finish());
  const out = new Uint8Array(ENCRYPTED_ITEM_HEADER.length + sealed.length);
  out.set(ENCRYPTED_ITEM_HEADER);
  out.set(sealed, ENCRYPTED_ITEM_HEADER.length);
  return out;
}

/** `count` registers as an array of double-long-unsigned, zero where `values` holds none [O: RTDS ECS17d/e types]. */
function registerArray(values: readonly number[] | undefined, count: number): DlmsData {
  return {
    type: 'array',
    value: Array.from({ length: count }, (_, i) => ({
      type: 'double-long-unsigned' as const,
      value: values?.[i] ?? 0,
    })),
  };
}

/**
 * ECS17d's plaintext: structure { structure { TOU registers (48) } }, the twin element's 4 second-element registers
 * as a second array of the inner structure [O: RTDS 4.1.2_ECS17d SINGLE and TWIN, decrypted].
 */
export function touRegistersData(r: ImportRegisters): DlmsData {
  const arrays = [registerArray(r.tou, TOU_REGISTERS)];
  if (r.secondElementTou !== undefined)
    arrays.push(registerArray(r.secondElementTou, SECOND_ELEMENT_TOU_REGISTERS));
  return { type: 'structure', value: [{ type: 'structure', value: arrays }] };
}

/** ECS17e's plaintext: structure { structure { TOU-with-blocks registers (64) } } [O: RTDS 4.1.3_ECS17e, decrypted]. */
export function touBlockRegistersData(r: ImportRegisters): DlmsData {
  const arrays = [registerArray(r.touBlocks, TOU_BLOCK_REGISTERS)];
  return { type: 'structure', value: [{ type: 'structure', value: arrays }] };
}

/**
 * A protected register read: one get_protected_attributes on `target`, answered with `plaintext` of the registers
 * encrypted for the requester; the response carries the ESME's date-time [O: RTDS 4.1.1, 4.1.2, 4.1.3].
 */
function protectedRegisterRead(
  target: CosemTarget,
  plaintext: (r: ImportRegisters) => DlmsData,
): CommandHandler<EsmeState> {
  return (state, command, now, env) => {
    const request = accessRequestOf(command);
    if (request === undefined)
      return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
    if (!isSingleAction(request, target) || request.data[0]?.type !== 'structure')
      return { state, payload: refuseAll(request, RESULT.objectUndefined) };
    const { originator: user, originatorCounter: counter } = command.parsed.message.header;
    const answer: DlmsData = {
      type: 'structure',
      value: [
        { type: 'array', value: [protectionParameters(state.eui, user, counter)] },
        octets(encryptFor(state, user, counter, plaintext(state.registers), env)),
      ],
    };
    return {
      state,
      payload: accessResponse(request, [{ data: answer, result: RESULT.success }]),
      responseDateTime: dlmsDateTimeAt(deviceTime(state, now)),
    };
  };
}

/** ECS17b: the import registers, encrypted for the requester [O]. */
export const readImportRegisters = protectedRegisterRead(DATA_PROTECTION, importRegistersData);
/** ECS17d: the TOU registers, encrypted for the requester [O: RTDS 4.1.2_ECS17d]. */
export const readTouRegisters = protectedRegisterRead(DATA_PROTECTION_TOU, touRegistersData);
/** ECS17e: the TOU-with-blocks registers, encrypted for the requester [O: RTDS 4.1.3_ECS17e]. */
export const readTouBlockRegisters = protectedRegisterRead(DATA_PROTECTION_TOU_BLOCKS, touBlockRegistersData);
