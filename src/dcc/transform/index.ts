// The transform registry: which function turns an SRV into a GBCS command for which device type. A pair not listed
// is an SRV that does not apply to that device type (E11).
import type { SmiDeviceType } from '../types.js';
import { ELECTRICITY_TRANSFORMS } from './electricity.js';
import type { TransformEntry } from './entry.js';
import { GAS_TRANSFORMS } from './gas.js';
import { HUB_TRANSFORMS } from './hub.js';

export type { TransformEntry } from './entry.js';
export { TransformError, type CommandDraft, type Transform, type TransformInput } from './types.js';

const BY_KEY = new Map<string, TransformEntry>();
for (const entry of [...ELECTRICITY_TRANSFORMS, ...GAS_TRANSFORMS, ...HUB_TRANSFORMS])
  for (const type of entry.deviceTypes) {
    const key = `${entry.srv}/${type}`;
    if (BY_KEY.has(key)) throw new Error(`transform registry: ${key} listed twice`);
    BY_KEY.set(key, entry);
  }

export function findTransform(srv: string, deviceType: SmiDeviceType): TransformEntry | undefined {
  return BY_KEY.get(`${srv}/${deviceType}`);
}
