// Tap-Off Messages (GBCS v1 §10; domain brief §4.4): a subset of the commands for the GSME that the GPF also
// applies to its mirror, from a copy the CHF hands it. A copy gets no response. The GPF cannot check the command's
// MAC (ACB × GSME keys), so it checks what it can: the originator is one of its Remote Parties, a critical
// command carries that party's valid signature, and each copy is applied once (counter above the last) [A].
import type { ParsedGbcs } from '../codec/gbcs/frame.js';
import { messageCodeInfo } from '../codec/gbcs/message-codes.js';
import { verifyGbcs } from '../crypto/message-protection.js';
import { deviceTime, type DeviceCore } from '../devices/device.js';
import { roleOf } from '../devices/security.js';
import type { ActorEnv, Step } from '../devices/types.js';

/**
 * Tap-off message codes (domain brief §4.4): GCS01a/GCS01b tariff and price, GCS05 (its calendar parts), GCS07
 * message, CS11 clear event log, GCS23 CV and conversion factor, GCS25 billing calendar, GCS44 contact details.
 */
export const TAP_OFF_CODES: ReadonlyMap<number, string> = new Map([
  [0x006b, 'GCS01a'],
  [0x00a3, 'GCS01b'],
  [0x006f, 'GCS05'],
  [0x0071, 'GCS07'],
  [0x0015, 'CS11'],
  [0x007c, 'GCS23'],
  [0x007e, 'GCS25'],
  [0x0088, 'GCS44'],
]);

/** For the CHF: does a command for the GSME also go, as a copy, to the GPF? */
export function isTapOffMessage(messageCode: number): boolean {
  return TAP_OFF_CODES.has(messageCode);
}

/** A tap-off copy the GPF applied: the command's counter and when (GPF clock, UTC ms). */
export interface TapOffRecord {
  readonly counter: bigint;
  readonly atMs: number;
}

export interface TapOffState {
  /** Highest counter of a copy applied, per originator. */
  readonly counters: Readonly<Record<string, bigint>>;
  /** The last copy applied, per tap-off use case: what the mirror holds of the GSME's settings. */
  readonly applied: Readonly<Record<string, TapOffRecord>>;
}

export const EMPTY_TAP_OFF: TapOffState = Object.freeze({
  counters: Object.freeze({}),
  applied: Object.freeze({}),
});

export interface TapOffHolder extends DeviceCore {
  readonly tapOff: TapOffState;
}

/** Applies a tap-off copy to the mirror, or notes why not; never responds, never alerts [A]. */
export function applyTapOff<S extends TapOffHolder>(
  state: S,
  parsed: ParsedGbcs,
  now: number,
  env: ActorEnv,
): Step<S> {
  const { header } = parsed.message;
  const useCase = TAP_OFF_CODES.get(header.messageCode);
  const ignore = (why: string): Step<S> => ({
    state,
    effects: [
      {
        kind: 'note',
        text: `GPF ${state.eui}: copy of 0x${hex4(header.messageCode)} for the GSME ignored (${why})`,
      },
    ],
  });
  if (useCase === undefined) return ignore('not a tap-off message');
  if (roleOf(state.security.parties, header.originator) === undefined)
    return ignore(`${header.originator} is none of the GPF's Remote Parties`);
  if (messageCodeInfo(header.messageCode)?.critical === true) {
    if (parsed.message.signature.kind !== 'present') return ignore('critical and unsigned');
    if (verifyGbcs(parsed, env.protection).signature !== 'valid') return ignore('signature does not verify');
  }
  const last = state.tapOff.counters[header.originator];
  if (last !== undefined && header.originatorCounter <= last)
    return ignore(`counter ${header.originatorCounter} ≤ last applied ${last}`);
  const tapOff: TapOffState = {
    counters: { ...state.tapOff.counters, [header.originator]: header.originatorCounter },
    applied: {
      ...state.tapOff.applied,
      [useCase]: { counter: header.originatorCounter, atMs: deviceTime(state, now) },
    },
  };
  return {
    state: { ...state, tapOff },
    effects: [
      {
        kind: 'note',
        text: `GPF ${state.eui}: tap-off ${useCase} (counter ${header.originatorCounter}) applied to the mirror`,
      },
    ],
  };
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
