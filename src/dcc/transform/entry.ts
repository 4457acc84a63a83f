// One row of the DSP's transform registry: the SRV, the SMI device types it applies to, the GBCS use case(s) and the transform.
import type { SmiDeviceType } from '../types.js';
import type { Transform } from './types.js';

export interface TransformEntry {
  readonly srv: string;
  readonly deviceTypes: readonly SmiDeviceType[];
  readonly useCase: string;
  readonly transform: Transform;
}
