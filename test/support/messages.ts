// Sample GBCS messages built by the project's own builders (not copied from RTDS): the CCS01 exchange with the
// values of the DCC test identities. The MACs are placeholders; tests that verify MACs seal with real keys.
import { toHex } from '../../src/codec/bytes.js';
import { eui64 } from '../../src/codec/eui64.js';
import { encodeGbcs } from '../../src/codec/gbcs/frame.js';
import { addDeviceCommand, addDeviceResponse } from '../../src/codec/gbcs/use-cases/chf-device-log.js';

export const PLACEHOLDER_MAC = Uint8Array.of(
  0xa1,
  0xa2,
  0xa3,
  0xa4,
  0xa5,
  0xa6,
  0xa7,
  0xa8,
  0xa9,
  0xaa,
  0xab,
  0xac,
);

const command = addDeviceCommand({
  acb: eui64('90-B3-D5-1F-30-00-00-02'),
  acbCounter: 1302n,
  chf: eui64('00-DB-12-34-56-78-90-A2'),
  user: eui64('90-B3-D5-1F-30-01-00-00'),
  userCounter: 1002n,
  device: eui64('00-DB-12-34-56-78-90-A0'),
  installCode: new TextEncoder().encode('0123456789ABCDEF'),
  joinTimeoutSeconds: 90,
});

/** CCS01 Add Device command from the ACB to the CHF, hex. */
export const CCS01_COMMAND = toHex(encodeGbcs({ ...command, mac: PLACEHOLDER_MAC }));
/** The CHF's CCS01 response, hex. */
export const CCS01_RESPONSE = toHex(encodeGbcs({ ...addDeviceResponse(command), mac: PLACEHOLDER_MAC }));
