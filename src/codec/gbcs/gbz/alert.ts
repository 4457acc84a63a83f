// Alert-specific data of GBZ alerts (GBCS 7.2, alert payloads): after Alert Code and Time Stamp, most
// alerts carry ordinary GBZ components (none for a bare alert), but a few alert codes carry one fixed
// structure instead. The alert code, which the header carries, decides; the same switch as Wireshark's
// packet-gbcs.c, enforced here rather than guessed.
import type { Reader, Writer } from '../../bytes.js';
import type { GbzComponent } from './component.js';

/** Alert codes whose one use-case-specific component is a fixed structure, not a GBZ component. */
export const GBZ_ALERT_LAYOUTS = [
  [0x8f66, 'future-dated-outcome'], // Future dated HAN Interface Command successfully actioned
  [0x8f67, 'future-dated-outcome'], // ... not successfully actioned
  [0x8f1c, 'firmware-hash'], // Firmware verification failed
  [0x8f72, 'firmware-hash'], // Firmware verification successful
  [0x81a0, 'integrity-issue-warning'], // Smart Meter Integrity Issue Warning
  [0x8161, 'user-interface-command'], // User Interface Command input and successfully actioned
  [0x8162, 'user-interface-command'], // ... but not successfully actioned
] as const;

export type GbzAlertLayout = (typeof GBZ_ALERT_LAYOUTS)[number][1];

/**
 * The future-dated command an 0x8F66/0x8F67 alert reports on: a length octet 0x0E, then the command's
 * Message Code (2), Originator Counter (8), Cluster ID (2), ZCL Frame Control (1) and Command ID (1).
 */
export interface GbzFutureDatedOutcome {
  readonly kind: 'future-dated-outcome';
  readonly messageCode: number;
  readonly originatorCounter: bigint;
  readonly clusterId: number;
  readonly frameControl: number;
  readonly commandId: number;
}

/** The calculated manufacturer image hash: a DLMS-style octet string 0x09 0x20 and 32 bytes (SHA-256). */
export interface GbzFirmwareHash {
  readonly kind: 'firmware-hash';
  readonly hash: Uint8Array;
}

/** Integrity issue warning code (2 bytes, big-endian). */
export interface GbzIntegrityIssueWarning {
  readonly kind: 'integrity-issue-warning';
  readonly warning: number;
}

/** User interface command code (2 bytes, big-endian). */
export interface GbzUserInterfaceCommand {
  readonly kind: 'user-interface-command';
  readonly command: number;
}

export interface GbzAlertComponents {
  readonly kind: 'components';
  readonly components: readonly GbzComponent[];
}

export type GbzAlertBody =
  | GbzAlertComponents
  | GbzFutureDatedOutcome
  | GbzFirmwareHash
  | GbzIntegrityIssueWarning
  | GbzUserInterfaceCommand;

const LAYOUTS: ReadonlyMap<number, GbzAlertLayout> = new Map(GBZ_ALERT_LAYOUTS);

export function alertLayoutOf(alertCode: number): GbzAlertLayout | undefined {
  return LAYOUTS.get(alertCode);
}

const FUTURE_DATED_LENGTH = 0x0e;
const OCTET_STRING_TAG = 0x09;
const HASH_LENGTH = 32;

/** Reads the one fixed structure of a special alert code. */
export function readAlertStructure(
  r: Reader,
  layout: GbzAlertLayout,
  path: string,
): Exclude<GbzAlertBody, GbzAlertComponents> {
  switch (layout) {
    case 'future-dated-outcome':
      r.expect(FUTURE_DATED_LENGTH, `${path}.length`);
      return {
        kind: layout,
        messageCode: r.u16(`${path}.message-code`),
        originatorCounter: r.u64(`${path}.originator-counter`),
        clusterId: r.u16(`${path}.cluster-id`),
        frameControl: r.u8(`${path}.frame-control`),
        commandId: r.u8(`${path}.command-id`),
      };
    case 'firmware-hash':
      r.expect(OCTET_STRING_TAG, `${path}.tag`);
      r.expect(HASH_LENGTH, `${path}.length`);
      return { kind: layout, hash: r.bytes(HASH_LENGTH, `${path}.hash`) };
    case 'integrity-issue-warning':
      return { kind: layout, warning: r.u16(`${path}.warning`) };
    case 'user-interface-command':
      return { kind: layout, command: r.u16(`${path}.command`) };
  }
}

export function writeAlertStructure(
  w: Writer,
  body: Exclude<GbzAlertBody, GbzAlertComponents>,
  path: string,
): void {
  switch (body.kind) {
    case 'future-dated-outcome':
      w.u8(FUTURE_DATED_LENGTH, `${path}.length`);
      w.u16(body.messageCode, `${path}.message-code`);
      w.u64(body.originatorCounter, `${path}.originator-counter`);
      w.u16(body.clusterId, `${path}.cluster-id`);
      w.u8(body.frameControl, `${path}.frame-control`);
      w.u8(body.commandId, `${path}.command-id`);
      return;
    case 'firmware-hash':
      w.u8(OCTET_STRING_TAG, `${path}.tag`);
      w.u8(HASH_LENGTH, `${path}.length`);
      w.fixed(body.hash, HASH_LENGTH, `${path}.hash`);
      return;
    case 'integrity-issue-warning':
      w.u16(body.warning, `${path}.warning`);
      return;
    case 'user-interface-command':
      w.u16(body.command, `${path}.command`);
      return;
    default:
      w.fail(`${path}.kind`, `unknown alert body kind ${String((body as { kind: unknown }).kind)}`);
  }
}
