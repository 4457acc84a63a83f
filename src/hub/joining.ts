// ZigBee SMHAN joining as the CHF (Trust Centre) sees it: the install-code-derived link key and the device's proof
// that it holds it. Placeholder until the CHF work lands: the proof is computed, not yet checked against GBCS.
import type { Eui64 } from '../codec/eui64.js';
import type { HanFrame } from '../devices/types.js';

/** The join request a device sends, proving the link key derived from its install code. */
export function joinRequestFrame(device: Eui64, installCode: Uint8Array): HanFrame {
  void device;
  return { type: 'join-request', keyProof: installCode.slice() };
}
