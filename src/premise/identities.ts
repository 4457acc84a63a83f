// Identities of a generated premise: EUI-64s and install codes derived from the premise number and the fleet seed,
// so that a million premises need no stored identity data (issue 4: keys and identities derived, not held).
// EUI-64 = a 3-octet prefix ‖ the premise number (4 octets) ‖ the device's role octet; with the default prefix and
// premise 0x34567890 these are exactly the EUI-64s of DCC's public test data (domain brief §1: 00-DB-12-34-56-78-90-A0…).
import { createHash } from 'node:crypto';
import { toHex } from '../codec/bytes.js';
import { eui64, type Eui64 } from '../codec/eui64.js';
import type { DeviceKind } from '../devices/types.js';

/** Role octet of each device kind, as DCC's test data numbers them (A0 ESME … A4 PPMID); A5–A8 continue the pattern [A]. */
export const ROLE_OCTET: Readonly<Record<DeviceKind, number>> = {
  ESME: 0xa0,
  GSME: 0xa1,
  CHF: 0xa2,
  GPF: 0xa3,
  PPMID: 0xa4,
  HCALCS: 0xa5,
  IHD: 0xa6,
  HHT: 0xa7,
  ATTACKER: 0xa8,
};

export const DEFAULT_EUI_PREFIX = '00DB12';

export function premiseEui(premise: number, kind: DeviceKind, prefix = DEFAULT_EUI_PREFIX): Eui64 {
  if (!Number.isInteger(premise) || premise < 0 || premise > 0xffff_ffff)
    throw new RangeError(`premise number must be a uint32, got ${premise}`);
  if (!/^[0-9A-F]{6}$/i.test(prefix))
    throw new RangeError(`EUI-64 prefix must be 3 octets of hex, got "${prefix}"`);
  return eui64(
    `${prefix}${premise.toString(16).padStart(8, '0')}${ROLE_OCTET[kind].toString(16).padStart(2, '0')}`.toUpperCase(),
  );
}

/** A device's 16-octet ZigBee install code, derived from the fleet seed and its EUI-64 (hex). */
export function derivedInstallCode(fleetSeed: string, eui: Eui64): string {
  return toHex(createHash('sha256').update(`install-code\0${fleetSeed}\0${eui}`).digest().subarray(0, 16));
}
