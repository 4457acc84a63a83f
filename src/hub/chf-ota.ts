// The CHF as ZigBee OTA Upgrade server (ZCL OTA 11.13; SECMP0007): it holds the images the CSP delivered (CS05, as a
// reference into the env's image store, never the bytes), tells each target client by Image Notify, answers Query
// Next Image, serves the blocks in runs (firmware/ota-timing.ts: one event per run, cut off at the first
// interruption), answers Upgrade End, and reports the transfer to the DCC by CCS08 (0x0128: 0x8F8A success, 0x8F89
// failure) for the devices whose activation the CH manages (11.4 PPMIDs). Meters (11.1) report their receipt
// themselves (0x00CE / 0x00CF) and activate on CS06.
//
// Power: the images and each client's transfer survive a power cycle (the CH's flash) [A]; a run in progress stops at
// power-down — the client keeps the blocks it had (its offset) — and at power-up the CH notifies the clients whose
// transfer is unfinished, which resume from their offset.
import { DecodeError } from '../codec/bytes.js';
import type { Eui64 } from '../codec/eui64.js';
import {
  decodeOtaFrame,
  encodeOtaFrame,
  OTA_STATUS,
  zigbeeUtcSeconds,
  type OtaCommand,
  type OtaImageId,
} from '../codec/ota/cluster.js';
import { asn1Response, firmwareVersionOctets, generalizedTimeAt } from '../devices/common-commands.js';
import { alertRecipient, deviceTime, raiseUseCaseAlert } from '../devices/device.js';
import type { ActorEnv, Effect, FirmwareDistribution, Step } from '../devices/types.js';
import {
  blocksDoneBy,
  lostAttemptsIn,
  msAfter,
  offsetAfter,
  runFor,
  runShape,
  runUs,
  type OtaLinkParams,
} from '../firmware/ota-timing.js';
import type { ChfState } from './chf-state.js';
import { toWan } from './chf-alerts.js';

/** CCS08 Firmware Transfer Alert (0x0128) and its alert codes (domain brief §3.5) [O]. */
export const CCS08_FIRMWARE_TRANSFER_ALERT = 0x0128;
export const ALERT_FIRMWARE_TRANSFER_SUCCESS = 0x8f8a;
export const ALERT_FIRMWARE_TRANSFER_FAILURE = 0x8f89;
/** CCS08 response codes (domain brief §2.6): 0 success, 1 image discarded, 2 hardware mismatch, 3 transfer failure. */
export const TRANSFER_RESPONSE = {
  success: 0,
  discarded: 1,
  hardwareMismatch: 2,
  transferFailure: 3,
} as const;

/** Query jitter in Image Notify: every notified client answers at once (unicast) [A]. */
const QUERY_JITTER = 100;
/** Upgrade End Response upgrade time meaning "wait for a further command" (ZCL OTA 11.13.9.6). */
export const UPGRADE_TIME_WAIT = 0xffffffff;

/** Timer name of a client's block run: `ota-run:<client EUI>`. */
const RUN_TIMER = 'ota-run:';

/** An image the CH holds for one distribution (SR 11.1 / 11.4). */
export interface ChfOtaImage extends Omit<FirmwareDistribution, 'targets'> {
  readonly receivedMs: number;
}

/** One client's transfer, as the server sees it. */
export interface ChfOtaTransfer {
  readonly client: Eui64;
  readonly requestId: string;
  readonly image: string;
  readonly status: 'notified' | 'running' | 'transferred' | 'failed';
  /** The run being served: from the offset the client asked for, since `startMs`, ending at `endMs`. */
  readonly run?: {
    readonly fromOffset: number;
    readonly startMs: number;
    readonly endMs: number;
    /** The run stops at endMs before the image's end: its sleepy client's awake time ends then (the GSME). */
    readonly cut?: boolean;
    /** Octets served a block when the client asked for fewer than the link's block size (its maxDataSize). */
    readonly blockSize?: number;
  };
  /** When the first block run began and when the Upgrade End Request came (virtual ms). */
  readonly firstBlockMs?: number;
  readonly doneMs?: number;
  /** Runs cut off by a power-down. */
  readonly interruptions: number;
  /** Block requests left unanswered on a lossy link (each re-sent after the timeout), in the blocks completed. */
  readonly lostAttempts?: number;
}

export interface ChfOtaState {
  readonly images: readonly ChfOtaImage[];
  readonly transfers: readonly ChfOtaTransfer[];
  /** ZCL transaction sequence number of the next server frame. */
  readonly sequence: number;
}

function note(state: ChfState, text: string): Effect {
  return { kind: 'note', text: `CHF ${state.eui} OTA: ${text}` };
}

function otaOf(state: ChfState): ChfOtaState {
  return state.ota ?? { images: [], transfers: [], sequence: 0 };
}

function idOf(image: ChfOtaImage): OtaImageId {
  return {
    manufacturerCode: image.manufacturerCode,
    imageType: image.imageType,
    fileVersion: image.fileVersion,
  };
}

/** A server frame to `client`, with the next sequence number. */
function send(ota: ChfOtaState, client: Eui64, command: OtaCommand): { ota: ChfOtaState; effect: Effect } {
  const bytes = encodeOtaFrame({ disableDefaultResponse: true, sequence: ota.sequence, command });
  return {
    ota: { ...ota, sequence: (ota.sequence + 1) & 0xff },
    effect: { kind: 'han', to: client, frame: { type: 'zcl-ota', bytes } },
  };
}

function notify(ota: ChfOtaState, client: Eui64, image: ChfOtaImage) {
  return send(ota, client, {
    command: 'image-notify',
    payloadType: 3,
    queryJitter: QUERY_JITTER,
    ...idOf(image),
  });
}

function withTransfer(ota: ChfOtaState, t: ChfOtaTransfer): ChfOtaState {
  const others = ota.transfers.filter((x) => x.client !== t.client);
  return { ...ota, transfers: [...others, t] };
}

/**
 * The CSP delivered an image (CS05): hold it, notify each target (ZCL OTA 11.13.3 Image Notify). An image for the CH
 * itself (CS05a, SR 11.1) is held for CS06 as the meters hold theirs; it crosses no HAN. A sleepy GSME does not hear
 * the notify (its radio is off): it is notified again when it next polls (otaNotifyPolling).
 */
export function receiveDistribution(state: ChfState, d: FirmwareDistribution, now: number): Step<ChfState> {
  const { targets, ...rest } = d;
  const image: ChfOtaImage = { ...rest, receivedMs: now };
  let ota = otaOf(state);
  ota = { ...ota, images: [...ota.images.filter((i) => i.requestId !== d.requestId), image] };
  const effects: Effect[] = [
    note(state, `image ${d.image.slice(0, 12)}… (${d.size} octets) for ${targets.length} devices`),
  ];
  let held: ChfState = state;
  for (const client of targets) {
    if (client === state.eui) {
      held = { ...held, heldImage: { image: d.image, fileVersion: d.fileVersion } };
      effects.push(note(state, `its own image ${d.fileVersion.toString(16)} held for CS06 (CS05a)`));
      continue;
    }
    const sent = notify(ota, client, image);
    ota = withTransfer(sent.ota, {
      client,
      requestId: d.requestId,
      image: d.image,
      status: 'notified',
      interruptions: 0,
    });
    effects.push(sent.effect);
  }
  return { state: { ...held, ota }, effects };
}

/**
 * A GSME polls (it is awake: domain brief §4.4): if its transfer is unfinished and no run is being served, Image Notify
 * again, ahead of the mailbox's answer, so that it fetches blocks while it is awake.
 */
export function otaNotifyPolling(state: ChfState, client: Eui64): Step<ChfState> {
  const ota = state.ota;
  const t = ota?.transfers.find((x) => x.client === client);
  if (ota === undefined || t === undefined || t.run !== undefined) return { state, effects: [] };
  if (t.status !== 'notified' && t.status !== 'running') return { state, effects: [] };
  const image = ota.images.find((i) => i.requestId === t.requestId);
  if (image === undefined) return { state, effects: [] };
  const sent = notify(ota, client, image);
  return { state: { ...state, ota: sent.ota }, effects: [sent.effect] };
}

/** A ZCL OTA frame from a client. */
export function otaFromClient(
  state: ChfState,
  from: Eui64,
  bytes: Uint8Array,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  let frame;
  try {
    frame = decodeOtaFrame(bytes);
  } catch (e) {
    if (e instanceof DecodeError)
      return { state, effects: [note(state, `malformed frame from ${from}: ${e.message}`)] };
    throw e;
  }
  const ota = otaOf(state);
  const transfer = ota.transfers.find((t) => t.client === from);
  const image =
    transfer === undefined ? undefined : ota.images.find((i) => i.requestId === transfer.requestId);
  const c = frame.command;
  if (c.command === 'query-next-image-request') {
    // ZCL OTA 11.13.5: SUCCESS with the image for this client, else NO_IMAGE_AVAILABLE.
    const offer =
      image !== undefined &&
      transfer !== undefined &&
      transfer.status !== 'failed' &&
      transfer.status !== 'transferred'
        ? image
        : undefined;
    const sent = send(
      ota,
      from,
      offer === undefined
        ? { command: 'query-next-image-response', status: OTA_STATUS.noImageAvailable }
        : { command: 'query-next-image-response', status: 0x00, ...idOf(offer), imageSize: offer.size },
    );
    return { state: { ...state, ota: sent.ota }, effects: [sent.effect] };
  }
  if (c.command === 'upgrade-end-request') {
    if (transfer === undefined || image === undefined)
      return { state, effects: [note(state, `Upgrade End Request from ${from} with no transfer`)] };
    return upgradeEnd(state, ota, transfer, image, c.status, now, env);
  }
  return { state, effects: [note(state, `${c.command} from ${from} ignored`)] };
}

/** A client's block run begins: its first Image Block Request (ZCL OTA 11.13.6); one timer for the run's end. */
export function startBlockRun(
  state: ChfState,
  from: Eui64,
  request: Uint8Array,
  now: number,
  env: ActorEnv,
  untilMs?: number,
): Step<ChfState> {
  let frame;
  try {
    frame = decodeOtaFrame(request);
  } catch (e) {
    if (e instanceof DecodeError)
      return { state, effects: [note(state, `malformed block request: ${e.message}`)] };
    throw e;
  }
  const c = frame.command;
  const ota = otaOf(state);
  const transfer = ota.transfers.find((t) => t.client === from);
  const image =
    transfer === undefined ? undefined : ota.images.find((i) => i.requestId === transfer.requestId);
  const bytes = image === undefined ? undefined : env.firmware?.images.get(image.image);
  if (
    c.command !== 'image-block-request' ||
    transfer === undefined ||
    image === undefined ||
    bytes === undefined ||
    env.firmware === undefined ||
    c.fileVersion !== image.fileVersion ||
    c.fileOffset > image.size ||
    c.maxDataSize === 0
  ) {
    // ZCL OTA 11.13.8: ABORT when the server cannot serve the request.
    const sent = send(ota, from, { command: 'image-block-response', status: OTA_STATUS.abort });
    return {
      state: { ...state, ota: sent.ota },
      effects: [sent.effect, note(state, `block run from ${from} aborted`)],
    };
  }
  // ZCL OTA 11.13.6 / 11.13.8: the client asks for at most maxDataSize octets a block; the server may send fewer, and
  // the client asks for the offset after what it got. The server serves blocks of the link's size, or of the client's
  // maxDataSize when that is smaller; the run is timed as blocks of the size served (ota-timing.ts).
  const served = Math.min(c.maxDataSize, env.firmware.ota.blockSize);
  const link = runLink(env.firmware.ota, served);
  // The run's lost attempts are a function of (seed, client, offset, attempt) (ota-timing.ts): none on a loss-free link.
  const run = runFor(link, from, c.fileOffset, image.size);
  const fullEndMs = msAfter(now, runUs(link, run));
  // A sleepy client stops requesting blocks when its awake time ends (ZCL OTA: the client drives the transfer).
  const cut = untilMs !== undefined && untilMs < fullEndMs;
  const endMs = cut ? Math.max(now, untilMs) : fullEndMs;
  const next: ChfOtaTransfer = {
    ...transfer,
    status: 'running',
    run: {
      fromOffset: c.fileOffset,
      startMs: now,
      endMs,
      ...(cut && { cut: true }),
      ...(served !== env.firmware.ota.blockSize && { blockSize: served }),
    },
    ...(transfer.firstBlockMs === undefined && { firstBlockMs: now }),
  };
  return {
    state: { ...state, ota: withTransfer(ota, next) },
    effects: [{ kind: 'timer', atMs: endMs, timer: { name: `${RUN_TIMER}${from}` } }],
  };
}

/** The link as a run sees it: the link's parameters with the block size served in that run. */
function runLink(link: OtaLinkParams, blockSize: number | undefined): OtaLinkParams {
  return blockSize === undefined || blockSize === link.blockSize ? link : { ...link, blockSize };
}

export function isRunTimer(name: string): boolean {
  return name.startsWith(RUN_TIMER);
}

/** A run's end fell due: the client has every block (the last response byte-exact from the held image). */
export function runTimer(state: ChfState, name: string, now: number, env: ActorEnv): Step<ChfState> {
  const client = name.slice(RUN_TIMER.length) as Eui64;
  const ota = otaOf(state);
  const t = ota.transfers.find((x) => x.client === client);
  if (t?.run === undefined || t.run.endMs > now) return { state, effects: [] };
  const image = ota.images.find((i) => i.requestId === t.requestId)!;
  return endRun(state, ota, t, image, now, env, t.run.cut !== true, false);
}

/** Ends `t`'s run at `now`: the blocks done by then (all of them when `complete`) and the client told. */
function endRun(
  state: ChfState,
  ota: ChfOtaState,
  t: ChfOtaTransfer,
  image: ChfOtaImage,
  now: number,
  env: ActorEnv,
  complete: boolean,
  interrupted = !complete,
): Step<ChfState> {
  const run = t.run!;
  const link = runLink(env.firmware!.ota, run.blockSize);
  const shape = runFor(link, t.client, run.fromOffset, image.size);
  const blocks = complete
    ? runShape(link, shape).blocks
    : blocksDoneBy(link, shape, (now - run.startMs) * 1000);
  const offset = offsetAfter(link, shape, blocks);
  const bytes = env.firmware!.images.get(image.image);
  let last: Uint8Array | null = null;
  let o = ota;
  if (blocks > 0 && bytes !== undefined) {
    // The run's last Image Block Response, byte-exact: the block that ends at `offset`.
    const from = run.fromOffset + (blocks - 1) * link.blockSize;
    last = encodeOtaFrame({
      disableDefaultResponse: true,
      sequence: o.sequence,
      command: {
        command: 'image-block-response',
        status: 0x00,
        ...idOf(image),
        fileOffset: from,
        data: bytes.subarray(from, offset),
      },
    });
    o = { ...o, sequence: (o.sequence + 1) & 0xff };
  }
  const { run: _, ...rest } = t;
  void _;
  const lost = lostAttemptsIn(shape, blocks);
  const counted: ChfOtaTransfer = lost === 0 ? rest : { ...rest, lostAttempts: (t.lostAttempts ?? 0) + lost };
  const next: ChfOtaTransfer = interrupted ? { ...counted, interruptions: t.interruptions + 1 } : counted;
  return {
    state: { ...state, ota: withTransfer(o, next) },
    effects: [
      {
        kind: 'han',
        to: t.client,
        frame: {
          type: 'ota-run-end',
          image: image.image,
          blocks,
          offset,
          complete: offset >= image.size,
          lastResponse: last,
        },
      },
      ...(interrupted
        ? [note(state, `run to ${t.client} cut off at offset ${offset} of ${image.size}`)]
        : []),
    ],
  };
}

/** Power-down: every run stops where it is (the clients keep their offsets); no timer of a run survives. */
export function otaPowerDown(state: ChfState, now: number, env: ActorEnv): Step<ChfState> {
  if (state.ota === undefined || env.firmware === undefined) return { state, effects: [] };
  let s = state;
  const effects: Effect[] = [];
  for (const t of state.ota.transfers) {
    if (t.run === undefined) continue;
    const ota = otaOf(s);
    const image = ota.images.find((i) => i.requestId === t.requestId)!;
    const ended = endRun(
      s,
      ota,
      ota.transfers.find((x) => x.client === t.client)!,
      image,
      now,
      env,
      false,
    );
    s = ended.state;
    effects.push(...ended.effects, { kind: 'cancel-timer', name: `${RUN_TIMER}${t.client}` });
  }
  return { state: s, effects };
}

/** Power-up: the clients with an unfinished transfer are notified again and resume from their offset. */
export function otaPowerUp(state: ChfState): Step<ChfState> {
  if (state.ota === undefined) return { state, effects: [] };
  let ota = state.ota;
  const effects: Effect[] = [];
  for (const t of ota.transfers) {
    if (t.status !== 'notified' && t.status !== 'running') continue;
    const image = ota.images.find((i) => i.requestId === t.requestId);
    if (image === undefined) continue;
    const sent = notify(ota, t.client, image);
    ota = sent.ota;
    effects.push(sent.effect);
  }
  return { state: { ...state, ota }, effects };
}

/**
 * Upgrade End Request (ZCL OTA 11.13.9): SUCCESS → Upgrade End Response with the upgrade time (now, for the images
 * whose activation the CH manages — SECMP0007 11.4; "wait" for meters, which activate on CS06), and CCS08 0x8F8A;
 * any other status → CCS08 0x8F89 (ABORT: the client discarded the image, 1; else transfer failure, 3) [A].
 */
function upgradeEnd(
  state: ChfState,
  ota: ChfOtaState,
  t: ChfOtaTransfer,
  image: ChfOtaImage,
  status: number,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const ok = status === OTA_STATUS.success;
  const effects: Effect[] = [];
  let o = withTransfer(ota, { ...t, status: ok ? 'transferred' : 'failed', doneMs: now });
  if (ok) {
    const upgradeTime =
      image.activation === 'on-transfer' ? zigbeeUtcSeconds(deviceTime(state, now)) : UPGRADE_TIME_WAIT;
    const sent = send(o, t.client, {
      command: 'upgrade-end-response',
      ...idOf(image),
      currentTime: zigbeeUtcSeconds(deviceTime(state, now)),
      upgradeTime,
    });
    o = sent.ota;
    effects.push(sent.effect);
  }
  let s: ChfState = { ...state, ota: o };
  if (image.activation === 'on-transfer') {
    const responseCode = ok
      ? TRANSFER_RESPONSE.success
      : status === OTA_STATUS.abort
        ? TRANSFER_RESPONSE.discarded
        : TRANSFER_RESPONSE.transferFailure;
    const alert = raiseUseCaseAlert(
      s,
      {
        to: alertRecipient(s),
        messageCode: CCS08_FIRMWARE_TRANSFER_ALERT,
        payload: asn1Response({
          kind: 'firmwareTransferAlert',
          alertCode: ok ? ALERT_FIRMWARE_TRANSFER_SUCCESS : ALERT_FIRMWARE_TRANSFER_FAILURE,
          executionDateTime: generalizedTimeAt(deviceTime(s, now)),
          entityId: t.client,
          firmwareVersion: firmwareVersionOctets(image.fileVersion),
          responseCode,
        }),
        critical: true,
      },
      env,
    );
    s = alert.state;
    effects.push(...toWan(alert.bytes));
  }
  effects.push(
    note(
      state,
      `${t.client} ${ok ? 'has the whole image' : `ended the transfer with status 0x${status.toString(16)}`}`,
    ),
  );
  return { state: s, effects };
}
