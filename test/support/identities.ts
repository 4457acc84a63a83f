// The identities every actor test shares: the parties (DCC's test User IDs), the devices' EUI-64s (DCC's public test
// data, domain brief §1: 00-DB-12-34-56-78-90-A0 …, role octets as src/premise/identities.ts numbers them), the
// fleet whose derived keys they all hold, and the actor environment made from those keys.
import { eui64 } from '../../src/codec/eui64.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import type { KeyStore } from '../../src/crypto/keystore.js';
import { protectionContext } from '../../src/crypto/message-protection.js';
import type { ActorEnv } from '../../src/devices/types.js';
import { DEFAULT_POLICY, type Policy } from '../../src/policy.js';

export const SUPPLIER = eui64('90B3D51F30010000');
export const NETWORK_OPERATOR = eui64('90B3D51F30020000');
export const ACB = eui64('90B3D51F30000002');

export const ESME = eui64('00DB1234567890A0');
export const GSME = eui64('00DB1234567890A1');
export const CHF = eui64('00DB1234567890A2');
export const GPF = eui64('00DB1234567890A3');
export const PPMID = eui64('00DB1234567890A4');
export const HCALCS = eui64('00DB1234567890A5');
export const IHD = eui64('00DB1234567890A6');

/** A meter's Remote Parties: the ACB, its supplier and its network operator. */
export const PARTIES = { acb: ACB, supplier: SUPPLIER, networkOperator: NETWORK_OPERATOR };

/** The keys of the test fleet: every party and device above, derived from the seed 'test-fleet'. */
export const TEST_KEYS: KeyStore = new FleetKeyStore('test-fleet');

/** An actor environment with `keys` (the test fleet's by default), the ACB above and `policy`. */
export function envWith(keys: KeyStore = TEST_KEYS, policy: Policy = DEFAULT_POLICY): ActorEnv {
  return { protection: protectionContext(keys, ACB), policy };
}
