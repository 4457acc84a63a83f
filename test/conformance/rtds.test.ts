// RTDS 4.5.0, read in place: every message decodes and re-encodes byte-identically, and every MAC and signature
// whose keys are published verifies. Counts are asserted so that a new failure or skip fails the build.
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { checkFolder } from '../../src/cli/gbcs.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { protectionContext, verifyGbcs } from '../../src/crypto/message-protection.js';
import { rtdsFiles } from '../support/rtds.js';
import { HAVE_VECTORS, RTDS_DIR, RTDS_KEYSTORE_DIR } from '../vectors.js';

describe.skipIf(!HAVE_VECTORS)('RTDS 4.5.0 conformance', () => {
  const ACB = eui64('90-B3-D5-1F-30-00-00-02');

  it('decodes, round-trips and verifies every message with the RTDS keystore and ACB 90-B3-D5-1F-30-00-00-02', () => {
    const summary = checkFolder(RTDS_DIR, loadKeyStoreFolder(RTDS_KEYSTORE_DIR), ACB);
    expect(summary.errors).toEqual([]);
    expect(summary.files).toBe(963);
    expect(summary.decoded).toBe(963);
    expect(summary.roundTrip).toBe(963);
    expect(summary.mac).toEqual({ valid: 603, invalid: 0, unknown: 2 });
    expect(summary.signature).toEqual({ valid: 370, invalid: 0, unknown: 0 });
  });

  it('cannot check only the HAN-only PCS02 pair: it is MACed with PPMID and GSME keys, and no device private key is published', () => {
    const ctx = protectionContext(loadKeyStoreFolder(RTDS_KEYSTORE_DIR), ACB);
    const unknown = rtdsFiles()
      .filter((f) => verifyGbcs(parseGbcs(f.bytes), ctx).mac === 'unknown')
      .map((f) => f.name);
    expect(unknown).toEqual([
      'NA_PCS02/PCS02_NA_SUCCESS_COMMAND_GBCS.HEX',
      'NA_PCS02/PCS02_NA_SUCCESS_RESPONSE_GBCS.HEX',
    ]);
  });

  it('finds the MAC invalid once a single bit of a message changes', () => {
    const ctx = protectionContext(loadKeyStoreFolder(RTDS_KEYSTORE_DIR), ACB);
    let checked = 0;
    for (const { bytes } of rtdsFiles()) {
      const parsed = parseGbcs(bytes);
      if (parsed.message.mac === null || verifyGbcs(parsed, ctx).mac !== 'valid') continue;
      const tampered = bytes.slice();
      tampered[parsed.spans.contentEnd - 1]! ^= 0x01; // last payload byte
      let outcome: string;
      try {
        outcome = verifyGbcs(parseGbcs(tampered), ctx).mac;
      } catch {
        outcome = 'refused by the decoder';
      }
      expect(outcome).not.toBe('valid');
      checked++;
    }
    expect(checked).toBe(603);
  });
});
