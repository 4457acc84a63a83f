// Messages built from typed values (not copied bytes), sealed with the RTDS test keys, must be the RTDS bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import {
  addDeviceCommand,
  addDeviceResponse,
  deviceLogChangedAlert,
  dlmsDateTime,
} from '../../src/codec/gbcs/use-cases/chf-device-log.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import { protectionContext, sealGbcs, verifyGbcs } from '../../src/crypto/message-protection.js';
import { HAVE_VECTORS, RTDS_DIR, RTDS_KEYSTORE_DIR } from '../vectors.js';

const rtds = (path: string) => fromHex(readFileSync(join(RTDS_DIR, path), 'utf8'));

describe.skipIf(!HAVE_VECTORS)('messages built from typed values match RTDS 4.5.0', () => {
  const ctx = HAVE_VECTORS
    ? protectionContext(loadKeyStoreFolder(RTDS_KEYSTORE_DIR), eui64('90B3D51F30000002'))
    : undefined!;
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

  it('builds the CCS01 Add Device command the ACB MACs, byte for byte', () => {
    const bytes = sealGbcs(command, ctx);
    expect(toHex(bytes)).toBe(toHex(rtds('8.11_CCS01/CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX')));
    expect(verifyGbcs(parseGbcs(bytes), ctx)).toMatchObject({ mac: 'valid', signature: 'none' });
  });

  it("builds the CHF's response with the command's counter, byte for byte", () => {
    const bytes = sealGbcs(addDeviceResponse(command), ctx);
    expect(toHex(bytes)).toBe(toHex(rtds('8.11_CCS01/CCS01_8.11_SUCCESS_RESPONSE_GBCS.HEX')));
    expect(verifyGbcs(parseGbcs(bytes), ctx).mac).toBe('valid');
  });

  it('builds the CS14 Device Log changed alert, byte for byte', () => {
    const t = dlmsDateTime({ year: 2015, month: 1, day: 1 });
    const bytes = sealGbcs(
      deviceLogChangedAlert({
        chf: eui64('00DB1234567890A2'),
        acb: eui64('90B3D51F30000002'),
        counter: 4000n,
        alertTime: t,
        logTime: t,
        extendedPanId: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7),
        entries: [
          { device: eui64('00DB1234567890A0'), linkKeyHash: fromHex('83FED3407A939723A5C639B26916D506') },
          { device: eui64('00DB1234567890A1'), linkKeyHash: fromHex('83FED3407A939723A5C639B26916D505') },
        ],
      }),
      ctx,
    );
    expect(toHex(bytes)).toBe(toHex(rtds('NA_CS14/CS14_NA_8F12_ALERT_GBCS.HEX')));
    expect(verifyGbcs(parseGbcs(bytes), ctx).mac).toBe('valid');
  });

  it('refuses a built command whose MAC was made for another recipient', () => {
    const bytes = sealGbcs(command, ctx);
    const moved = parseGbcs(
      sealGbcs({ ...command, header: { ...command.header, recipient: eui64('00DB1234567890A3') } }, ctx),
    );
    // splice the first message's MAC onto the second
    const forged = Uint8Array.of(
      ...moved.bytes.subarray(0, moved.bytes.length - 12),
      ...bytes.subarray(bytes.length - 12),
    );
    expect(verifyGbcs(parseGbcs(forged), ctx).mac).toBe('invalid');
  });
});
