// ECS17b Read ESME Energy Registers (Import Energy), SR 4.1.1: a get_protected_attributes action on the Data
// Protection object whose answer is encrypted for the requesting User (GBCS KDF type 04: ESME KA × User KA; AAD 0x31).
// RTDS 4.1.1_ECS17b SINGLE: the answer is structure { protection parameters for the User, octet-string 31 ‖
// 00000000 ‖ ciphertext ‖ tag }, and the plaintext a structure of one structure { active import, scaler-unit Wh,
// reactive import, scaler-unit varh } [O: decrypted with the RTDS keys, test/crypto/mac.test.ts].
import { Writer } from '../codec/bytes.js';
import { eui64ToBytes, type Eui64 } from '../codec/eui64.js';
import { encodeDlmsData, type DlmsData } from '../codec/gbcs/dlms/index.js';
import { encryptGbcsPayload } from '../crypto/mac.js';
import type { CommandHandler } from './device.js';
import {
  accessRequestOf,
  accessResponse,
  DATA_PROTECTION,
  isSingleAction,
  refuseAll,
  RESULT,
} from './esme-dlms.js';
import { deviceTime } from './device.js';
import { note, type EsmeState, type ImportRegisters } from './esme-state.js';
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
 * keys, the header's originator, counter and recipient (no supplementary remote party in ECS17b) [O].
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

/** ECS17b: the import registers, encrypted for the requester; the response carries the ESME's date-time [O]. */
export const readImportRegisters: CommandHandler<EsmeState> = (state, command, now, env) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  if (!isSingleAction(request, DATA_PROTECTION) || request.data[0]?.type !== 'structure')
    return { state, payload: refuseAll(request, RESULT.objectUndefined) };
  const { originator: user, originatorCounter: counter } = command.parsed.message.header;
  const answer: DlmsData = {
    type: 'structure',
    value: [
      { type: 'array', value: [protectionParameters(state.eui, user, counter)] },
      octets(encryptFor(state, user, counter, importRegistersData(state.registers), env)),
    ],
  };
  return {
    state,
    payload: accessResponse(request, [{ data: answer, result: RESULT.success }]),
    responseDateTime: dlmsDateTimeAt(deviceTime(state, now)),
  };
};
