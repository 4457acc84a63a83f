// GCS28 Set Clock on GSME (0x007F, GBCS 9.1): the GSME takes the time if it arrives inside the validity interval.
import { generalizedTime, sequence, type ValueOf } from './coder.js';
import { code } from './common.js';

export const setTimeCommand = sequence({
  validityIntervalStart: generalizedTime,
  validityIntervalEnd: generalizedTime,
});

export const setTimeResponse = sequence({
  deviceTime: generalizedTime,
  deviceTimeStatus: code,
});

export type SetTimeCommand = ValueOf<typeof setTimeCommand>;
export type SetTimeResponse = ValueOf<typeof setTimeResponse>;
