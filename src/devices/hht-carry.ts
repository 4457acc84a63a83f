// What an HHT may deliver of the local commands it carries (issue 6; the policy's rules): a command the DCC issued
// longer ago than the HHT validity window is refused (the seed's "HHT 18-hour command window" [S]), and a firmware
// command (distribution CS05a–c, activation CS06) is refused while policy bans local firmware upgrades (SECMP0007:
// "no local upgrades via HHT"). Refusals are kept for the installer to see.
import { messageCodesForUseCase } from '../codec/gbcs/message-codes.js';
import { peekRouting } from '../hub/routing.js';
import type { Policy } from '../policy.js';

/** A local command in the HHT: its bytes and when the DCC issued it (the LocalCommand's ResponseDateTime). */
export interface CarriedCommand {
  readonly bytes: Uint8Array;
  readonly issuedAtMs: number;
}

export type CarryRefusal = 'expired' | 'firmware-banned' | 'unreadable';

export interface RefusedCommand {
  readonly messageCode: number | null;
  readonly issuedAtMs: number;
  readonly reason: CarryRefusal;
}

/** Refusals an HHT keeps [A]. */
export const MAX_REFUSED = 32;

/** The use cases of firmware distribution and activation, and their message codes. */
export const FIRMWARE_USE_CASES: ReadonlySet<string> = new Set(['CS05a', 'CS05b', 'CS05c', 'CS06']);
export const FIRMWARE_MESSAGE_CODES: ReadonlySet<number> = new Set(
  [...FIRMWARE_USE_CASES].flatMap((u) => messageCodesForUseCase(u).map((m) => m.code)),
);

/** Whether the HHT may deliver `command` at `now` under `policy`; the reason when not. */
export function carryRefusal(command: CarriedCommand, now: number, policy: Policy): CarryRefusal | undefined {
  const routing = peekRouting(command.bytes);
  if (routing === undefined) return 'unreadable';
  if (now - command.issuedAtMs > policy.hhtCommandValidityHours * 3_600_000) return 'expired';
  if (policy.localFirmwareUpgrade === 'banned' && FIRMWARE_MESSAGE_CODES.has(routing.messageCode))
    return 'firmware-banned';
  return undefined;
}

/** The commands split into those to deliver now and the refusals to record. */
export function sortCarried(
  commands: readonly CarriedCommand[],
  now: number,
  policy: Policy,
): { deliver: CarriedCommand[]; refused: RefusedCommand[] } {
  const deliver: CarriedCommand[] = [];
  const refused: RefusedCommand[] = [];
  for (const c of commands) {
    const reason = carryRefusal(c, now, policy);
    if (reason === undefined) deliver.push(c);
    else
      refused.push({
        messageCode: peekRouting(c.bytes)?.messageCode ?? null,
        issuedAtMs: c.issuedAtMs,
        reason,
      });
  }
  return { deliver, refused };
}
