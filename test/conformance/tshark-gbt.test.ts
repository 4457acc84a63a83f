// A second opinion on GBT bytes: Wireshark's own GBCS dissector (tshark) reassembles the blocks segmentGbcs makes.
// Runs where tshark and python3 are installed (`apt-get install tshark`); skips with a printed reason otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex, fromHex } from '../../src/codec/bytes.js';
import { encodeGbtBlock, segmentGbcs } from '../../src/codec/gbcs/gbt.js';
import { CCS01_COMMAND } from '../support/messages.js';

const TOOL = resolve('..', 'shared', 'tools', 'gbcs-to-pcap.py');
function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const ready = have('tshark') && have('python3') && existsSync(TOOL);
if (!ready) console.warn(`tshark, python3 or ${TOOL} not found: skipping the tshark GBT check`);

describe.skipIf(!ready)("Wireshark's GBCS dissector on our GBT blocks", () => {
  it('reassembles three blocks into the 154-byte CCS01 command and dissects it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets-gbt-'));
    const blocks = segmentGbcs(fromHex(CCS01_COMMAND), { maxBlockOctets: 60 });
    const files = blocks.map((b, i) => {
      const f = join(dir, `b${i + 1}.hex`);
      writeFileSync(f, toHex(encodeGbtBlock(b)));
      return f;
    });
    execFileSync('python3', [TOOL, join(dir, 'gbt.pcap'), ...files]);
    const out = execFileSync('tshark', ['-r', join(dir, 'gbt.pcap'), '-V'], { encoding: 'utf8' });
    expect(out).toContain('[Reassembled GBT length: 154]');
    expect(out).toContain('Last Block: True');
    expect(out).toContain('CCS01 Add Device to CHF device log (0x0001)');
    expect(out).not.toMatch(/Malformed/);
  });
});
