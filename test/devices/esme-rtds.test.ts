// The RTDS 4.5.0 commands themselves, read in place and delivered to an ESME that holds the RTDS identities
// (00DB1234567890A0, supplier 90B3D51F30010000, ACB 90B3D51F30000002) at the RTDS instant (2015-01-01T00:00:00Z),
// with the RTDS test keys. Non-critical responses are MACed only, so they must come out byte for byte as RTDS has
// them; critical responses are signed with the ESME's DS key, which RTDS does not publish, so the whole message but
// the signature must match, and the signature must verify under the key the twin used.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/codec/bytes.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import type { KeyStore } from '../../src/crypto/keystore.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import type { EsmeState } from '../../src/devices/esme.js';
import type { ActorEnv } from '../../src/devices/types.js';
import { deliver, ESME, envWith, joinedEsme, rtdsBytes, sentToHub } from '../support/esme-commands.js';
import { HAVE_VECTORS, RTDS_KEYSTORE_DIR, skipReason } from '../vectors.js';

const RTDS_NOW = Date.UTC(2015, 0, 1);

/** RTDS keys, except the ESME's DS key pair, which only the twin's fleet store has. */
function rtdsKeys(): KeyStore {
  const rtds = loadKeyStoreFolder(RTDS_KEYSTORE_DIR);
  const fleet = new FleetKeyStore('test-fleet');
  const ownDs = (l: { eui: string; usage: string }) => l.eui === ESME && l.usage === 'DS';
  return {
    publicKey: (l) => (ownDs(l) ? fleet.publicKey(l) : rtds.publicKey(l)),
    privateKey: (l) => (ownDs(l) ? fleet.privateKey(l) : rtds.privateKey(l)),
  };
}

/** The ESME as RTDS sees it: firmware 0123ABCD (ECS52), registers 10 Wh and 10 varh (ECS17b plaintext). */
function rtdsEsme(): EsmeState {
  return joinedEsme({ firmwareVersion: 0x0123abcd, registers: { activeWh: 10, reactiveVarh: 10 } });
}

function respond(env: ActorEnv, command: Uint8Array): Uint8Array {
  const step = deliver(rtdsEsme(), command, env, RTDS_NOW);
  const sent = sentToHub(step.effects);
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

const NON_CRITICAL = [
  '4.1.1_ECS17b/ECS17b_4.1.1_SINGLE',
  '11.2_ECS52/ECS52_11.2',
  '3.3_ECS15a/ECS15a_3.3',
  '2.2_CS01a/CS01a_2.2',
];

const CRITICAL = [
  '7.1_ECS42/ECS42_7.1',
  '7.3_ECS44/ECS44_7.3',
  '6.11_ECS70/ECS70_6.11',
  '8.1.1_ECS70Commission/ECS70Commission_8.1.1',
  '2.5_ECS09/ECS09_2.5',
  '2.1_ECS08/ECS08_2.1_IMMEDIATE',
  '1.6_ECS02/ECS02_1.6_IMMEDIATE_SINGLE',
  '1.6_ECS03/ECS03_1.6_IMMEDIATE_SINGLE',
];

describe.skipIf(!HAVE_VECTORS)('ESME against the RTDS 4.5.0 commands', () => {
  const env = HAVE_VECTORS ? envWith(rtdsKeys()) : undefined!;

  it.each(NON_CRITICAL)('%s: the response equals the RTDS SUCCESS response byte for byte', (stem) => {
    const command = rtdsBytes(`${stem}_SUCCESS_COMMAND_GBCS.HEX`);
    const expected = rtdsBytes(`${stem}_SUCCESS_RESPONSE_GBCS.HEX`);
    if (command === undefined || expected === undefined)
      return void console.warn(`${stem}: held back, skipped`);
    expect(toHex(respond(env, command))).toBe(toHex(expected));
  });

  it.each(CRITICAL)('%s: the response equals the RTDS SUCCESS response but for the signature', (stem) => {
    const command = rtdsBytes(`${stem}_SUCCESS_COMMAND_GBCS.HEX`);
    const expected = rtdsBytes(`${stem}_SUCCESS_RESPONSE_GBCS.HEX`);
    if (command === undefined || expected === undefined)
      return void console.warn(`${stem}: held back, skipped`);
    const ours = parseGbcs(respond(env, command));
    const theirs = parseGbcs(expected);
    expect(verifyGbcs(ours, env.protection)).toMatchObject({ signature: 'valid', mac: 'none' });
    const unsigned = (m: typeof ours.message) => ({ ...m, signature: m.signature.kind });
    expect(unsigned(ours.message)).toEqual(unsigned(theirs.message));
  });

  it('applies the RTDS CS01a UTRN (£10, counter 0x300000000, supplier prepayment key): credit and cache', () => {
    const command = rtdsBytes('2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX');
    if (command === undefined) return void console.warn('CS01a held back, skipped');
    const { state } = deliver(rtdsEsme(), command, env, RTDS_NOW);
    expect(state.prepayment.utrnCounters).toEqual([0x300000000n]);
    expect(state.prepayment.ledger.meterBalance).toBe(1_000_000);
  });
});

if (!HAVE_VECTORS) console.warn(skipReason());
