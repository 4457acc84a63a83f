// A HAN device as ZigBee OTA Upgrade client (ZCL OTA 11.13), generic over DeviceCore: the PPMID (SR 11.4, SECMP0007)
// and the ESME / GSME / HCALCS (SR 11.1; the sleepy GSME in runs cut at the end of its awake time). Image Notify → Query Next Image Request → (SUCCESS) block runs from the offset it
// holds → Upgrade End Request → Upgrade End Response: activate at the upgrade time (the CH manages a PPMID's
// activation), or hold the image for CS06 (meters, HCALCS: SR 11.3). The image's bytes stay in the env's store; the
// client's state names the image and its offset only.
import { DecodeError } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import {
  decodeOtaFrame,
  encodeOtaFrame,
  OTA_STATUS,
  type OtaCommand,
  type OtaImageId,
} from '../codec/ota/cluster.js';
import { UPGRADE_TIME_WAIT } from '../hub/chf-ota.js';
import type { DeviceCore, HeldImage } from './device.js';
import { firmwareReceiptAlert } from './firmware-receipt.js';
import type { ActorEnv, ActorInput, Effect, Step } from './types.js';

/** The client's download, as it keeps it (non-volatile [A]). */
export interface OtaDownload extends OtaImageId {
  readonly server: Eui64;
  readonly size: number;
  /** Octets received so far: where the next block run starts (ZCL OTA FileOffset attribute 0x0001). */
  readonly offset: number;
  readonly status: 'downloading' | 'downloaded' | 'refused' | 'aborted';
  readonly runs: number;
  /** The image's key in the env's image store, once a block run has named it (ota-run-end). */
  readonly image?: string;
  readonly completedMs?: number;
  /** When the image was activated (or its activation failed). */
  readonly activatedMs?: number;
}

export type { HeldImage } from './device.js';

/** What an OTA client adds to DeviceCore (whose heldImage it fills). */
export interface OtaClientFields {
  readonly otaDownload?: OtaDownload;
  /** The consumer refuses firmware updates (SECMP0007; honoured only under policy firmwareConsumerRefusal 'allowed'). */
  readonly refusesFirmware?: boolean;
}

/** Timer of an activation at the CH's upgrade time. */
export const OTA_ACTIVATE_TIMER = 'ota-activate';

function note(state: DeviceCore, text: string): Effect {
  return { kind: 'note', text: `${state.kind} ${state.eui} OTA: ${text}` };
}

function frameTo(server: Eui64, command: OtaCommand, sequence: number): Effect {
  return {
    kind: 'han',
    to: server,
    frame: { type: 'zcl-ota', bytes: encodeOtaFrame({ disableDefaultResponse: false, sequence, command }) },
  };
}

/** The Image Block Request a run starts with (ZCL OTA 11.13.6.1): from the offset held, the link's block size. */
export function blockRequest(d: OtaDownload, blockSize: number): Uint8Array {
  return encodeOtaFrame({
    disableDefaultResponse: false,
    sequence: d.runs & 0xff,
    command: {
      command: 'image-block-request',
      manufacturerCode: d.manufacturerCode,
      imageType: d.imageType,
      fileVersion: d.fileVersion,
      fileOffset: d.offset,
      maxDataSize: blockSize,
    },
  });
}

/** How a device kind runs the client beyond the common exchange. */
export interface OtaClientOptions<S> {
  /** A sleepy client's end of its awake time (the GSME): its block runs stop there and resume at a later wake-up. */
  readonly runUntilMs?: number;
  /**
   * The whole image has arrived (after the Upgrade End Request): the meters' and the HCALCS's firmware distribution
   * receipt alert (GBCS 0x00CE / 0x00CF). Absent: nothing more (the PPMID: the CH reports by CCS08).
   */
  readonly onReceived?: (state: S, held: HeldImage, now: number) => Step<S>;
}

/**
 * The OTA inputs of a client; undefined for any other input. `activate` runs the device's own activation (its
 * firmware version changes, its alert goes out) and returns the new state with its effects.
 */
export function otaClientStep<S extends DeviceCore & OtaClientFields>(
  state: S,
  input: ActorInput,
  now: number,
  env: ActorEnv,
  activate: (state: S, held: HeldImage, now: number) => Step<S>,
  options: OtaClientOptions<S> = {},
): Step<S> | undefined {
  if (input.type === 'timer' && input.timer.name === OTA_ACTIVATE_TIMER) {
    return state.heldImage === undefined
      ? { state, effects: [note(state, 'activation due with no image held')] }
      : activate(state, state.heldImage, now);
  }
  if (input.type !== 'han') return undefined;
  const frame = input.frame;
  if (frame.type === 'ota-run-end') return runEnded(state, input.from, frame, now, options);
  if (frame.type !== 'zcl-ota') return undefined;
  let decoded;
  try {
    decoded = decodeOtaFrame(frame.bytes);
  } catch (e) {
    if (e instanceof DecodeError) return { state, effects: [note(state, `malformed frame: ${e.message}`)] };
    throw e;
  }
  const c = decoded.command;
  const server = input.from;
  switch (c.command) {
    case 'image-notify':
      // ZCL OTA 11.13.3: a notified client queries for its next image with its current version.
      return {
        state,
        effects: [
          frameTo(
            server,
            {
              command: 'query-next-image-request',
              manufacturerCode: c.manufacturerCode ?? 0,
              imageType: c.imageType ?? 0,
              currentFileVersion: state.firmwareVersion,
            },
            decoded.sequence,
          ),
        ],
      };
    case 'query-next-image-response': {
      if (c.status !== OTA_STATUS.success || !('imageSize' in c))
        return { state, effects: [note(state, `no image for it (status 0x${c.status.toString(16)})`)] };
      const id = { manufacturerCode: c.manufacturerCode, imageType: c.imageType, fileVersion: c.fileVersion };
      // SECMP0007: the consumer's right to refuse, when the policy grants it: the client aborts the upgrade.
      if (env.policy.firmwareConsumerRefusal === 'allowed' && state.refusesFirmware === true) {
        const refused: OtaDownload = {
          ...id,
          server,
          size: c.imageSize,
          offset: 0,
          status: 'refused',
          runs: 0,
        };
        return {
          state: { ...state, otaDownload: refused },
          effects: [
            frameTo(
              server,
              { command: 'upgrade-end-request', status: OTA_STATUS.abort, ...id },
              decoded.sequence,
            ),
            note(state, 'the consumer refused the firmware update'),
          ],
        };
      }
      if (env.firmware === undefined) return { state, effects: [note(state, 'no OTA link configured')] };
      // The version it already runs, offered again (a repeated request): the client does not download it and ends
      // the upgrade with ABORT (ZCL OTA 11.13.9: the client may end an upgrade it does not take), so the CH reports
      // the image discarded (CCS08 0x8F89) rather than transferring nothing and "activating" what it never held [A].
      if (id.fileVersion === state.firmwareVersion)
        return {
          state,
          effects: [
            frameTo(
              server,
              { command: 'upgrade-end-request', status: OTA_STATUS.abort, ...id },
              decoded.sequence,
            ),
            note(state, `already runs version ${id.fileVersion.toString(16)}: not downloaded`),
          ],
        };
      const prior = state.otaDownload;
      // Resume (ZCL OTA 11.13.6: the client drives the offset): only a download left unfinished — cut off or aborted
      // — of the same image (manufacturer, type, version and size), from the offset held. A finished or refused one,
      // or another image, starts afresh from offset 0.
      const same =
        prior !== undefined &&
        (prior.status === 'downloading' || prior.status === 'aborted') &&
        prior.manufacturerCode === id.manufacturerCode &&
        prior.imageType === id.imageType &&
        prior.fileVersion === id.fileVersion &&
        prior.size === c.imageSize;
      const fresh: OtaDownload = {
        ...id,
        server,
        size: c.imageSize,
        offset: 0,
        status: 'downloading',
        runs: 1,
      };
      const resumed: OtaDownload | undefined = same
        ? { ...prior, server, status: 'downloading', runs: prior.runs + 1 }
        : undefined;
      // Every block held but the run's end lost (no image key recorded): nothing to finish with, so from the start.
      const d =
        resumed === undefined || (resumed.offset >= resumed.size && resumed.image === undefined)
          ? fresh
          : resumed;
      if (d.offset >= d.size) return finished(state, d, now, options, d.image!);
      const request = blockRequest(d, env.firmware.ota.blockSize);
      return {
        state: { ...state, otaDownload: d },
        effects: [
          {
            kind: 'han',
            to: server,
            frame:
              options.runUntilMs === undefined
                ? { type: 'ota-block-run', request }
                : { type: 'ota-block-run', request, untilMs: options.runUntilMs },
          },
        ],
      };
    }
    case 'image-block-response':
      if (c.status === OTA_STATUS.abort && state.otaDownload !== undefined)
        return {
          state: { ...state, otaDownload: { ...state.otaDownload, status: 'aborted' } },
          effects: [note(state, 'the server aborted the download')],
        };
      return { state, effects: [] };
    case 'upgrade-end-response': {
      const held = state.heldImage;
      if (held === undefined || held.fileVersion !== c.fileVersion)
        return { state, effects: [note(state, 'Upgrade End Response for no image held')] };
      // ZCL OTA 11.13.9.6: 0xFFFFFFFF: wait for a further command (CS06 for meters); else upgrade at that time.
      if (c.upgradeTime === UPGRADE_TIME_WAIT)
        return { state, effects: [note(state, 'image held until activated')] };
      // ZCL OTA 11.13.9.6: the client upgrades UpgradeTime − CurrentTime seconds after receiving the response (with
      // CurrentTime 0, UpgradeTime is that delay itself), so neither clock's offset from true time matters.
      const delaySeconds = c.currentTime === 0 ? c.upgradeTime : c.upgradeTime - c.currentTime;
      const at = now + Math.max(0, delaySeconds) * 1000;
      if (at <= now) return activate(state, held, now);
      return { state, effects: [{ kind: 'timer', atMs: at, timer: { name: OTA_ACTIVATE_TIMER } }] };
    }
    default:
      return { state, effects: [note(state, `${c.command} ignored`)] };
  }
}

function runEnded<S extends DeviceCore & OtaClientFields>(
  state: S,
  server: Eui64,
  frame: {
    image: string;
    blocks: number;
    offset: number;
    complete: boolean;
    lastResponse: Uint8Array | null;
  },
  now: number,
  options: OtaClientOptions<S>,
): Step<S> {
  const d = state.otaDownload;
  if (d === undefined || d.status !== 'downloading') return { state, effects: [] };
  // The last response must be the block that ends at the offset reported (byte-exact, decoded).
  if (frame.lastResponse !== null) {
    const last = decodeOtaFrame(frame.lastResponse).command;
    if (
      last.command !== 'image-block-response' ||
      !('data' in last) ||
      last.fileOffset + last.data.length !== frame.offset
    )
      return { state, effects: [note(state, 'run end does not match its last block')] };
  }
  const next: OtaDownload = { ...d, offset: frame.offset, image: frame.image };
  if (!frame.complete)
    return {
      state: { ...state, otaDownload: next },
      effects: [note(state, `run stopped at ${frame.offset} of ${d.size}`)],
    };
  void server;
  return finished(state, next, now, options, frame.image);
}

/** The whole image is here: it is held, and the client ends the upgrade (ZCL OTA 11.13.9 Upgrade End Request). */
function finished<S extends DeviceCore & OtaClientFields>(
  state: S,
  d: OtaDownload,
  now: number,
  options: OtaClientOptions<S>,
  image: string,
): Step<S> {
  const done: OtaDownload = { ...d, status: 'downloaded', completedMs: now };
  const held: HeldImage = { image, fileVersion: d.fileVersion };
  const holding: S = { ...state, otaDownload: done, heldImage: held };
  const received = options.onReceived?.(holding, held, now);
  return {
    state: received?.state ?? holding,
    effects: [
      frameTo(
        d.server,
        {
          command: 'upgrade-end-request',
          status: OTA_STATUS.success,
          manufacturerCode: d.manufacturerCode,
          imageType: d.imageType,
          fileVersion: d.fileVersion,
        },
        d.runs & 0xff,
      ),
      ...(received?.effects ?? []),
    ],
  };
}

/**
 * The OTA client of a device activated by CS06 (GBCS 11.1 / 11.3: ESME, GSME, HCALCS): the image is held on arrival
 * and the device raises its Firmware Distribution Receipt Alert (firmware-receipt.ts); the CH's Upgrade End Response
 * says "wait" and the activation comes by CS06 (common-commands.ts activateHeld).
 */
export function meterOtaStep<S extends DeviceCore & OtaClientFields>(
  state: S,
  input: ActorInput,
  now: number,
  env: ActorEnv,
  runUntilMs?: number,
): Step<S> | undefined {
  return otaClientStep(
    state,
    input,
    now,
    env,
    (s) => ({ state: s, effects: [note(s, 'activation is by CS06, not at an upgrade time')] }),
    {
      ...(runUntilMs !== undefined && { runUntilMs }),
      onReceived: (s, held, at) => firmwareReceiptAlert(s, held, at, env),
    },
  );
}
