// What the CHF sends towards the DCC on its own account: the CS14 alert after every Device Log change (GBCS CS14,
// alert code 0x8F12, to the ACB), the generic alerts it raises when it cannot deliver, and the GBT segmentation of
// anything too long for one block on the WAN (GBCS 5.3).
import { DecodeError, EncodeError } from '../codec/bytes.js';
import { eui64ToBytes } from '../codec/eui64.js';
import { encodeGbtBlock, GBT_DEFAULT_MAX_BLOCK_OCTETS, segmentGbcs } from '../codec/gbcs/gbt.js';
import {
  ALERT_CHF_DEVICE_LOG_CHANGED,
  deviceLogChangedAlert,
} from '../codec/gbcs/use-cases/chf-device-log.js';
import {
  alertRecipient,
  appendLog,
  DEFAULT_LOG_CAPACITIES,
  deviceTime,
  raiseAlert,
} from '../devices/device.js';
import { dlmsDateTimeAt, sealAlert } from '../devices/outbound.js';
import type { ActorEnv, Effect, Step } from '../devices/types.js';
import { deviceLogReport } from './chf-device-log.js';
import type { ChfState } from './chf-state.js';

/** Failure to deliver a Remote Party message (GBCS alert 0x8F84; GBCS names the ESME, used for any device [A]). */
export const ALERT_DELIVERY_FAILURE = 0x8f84;
/** GSME command not retrieved (GBCS alert 0x819D): raised when a full mailbox drops its oldest message [A]. */
export const ALERT_GSME_COMMAND_NOT_RETRIEVED = 0x819d;

/**
 * A DLMS date-time with every field "not specified" (Blue Book), for a log that never changed. A fresh array each
 * call, since it is placed into payloads that may be changed.
 */
export function dlmsDateTimeNotSpecified(): Uint8Array {
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x00, 0xff);
}

export function dlmsDateTimeOrUnspecified(ms: number | null): Uint8Array {
  return ms === null ? dlmsDateTimeNotSpecified() : dlmsDateTimeAt(ms);
}

/** Bytes to the WAN, in GBT blocks when longer than one block (GBCS 5.3); unsegmentable bytes go as they are. */
export function toWan(bytes: Uint8Array): Effect[] {
  if (bytes.length <= GBT_DEFAULT_MAX_BLOCK_OCTETS) return [{ kind: 'wan', bytes }];
  try {
    return segmentGbcs(bytes).map((b) => ({ kind: 'wan', bytes: encodeGbtBlock(b) }));
  } catch (e) {
    if (!(e instanceof DecodeError || e instanceof EncodeError)) throw e;
    return [
      { kind: 'note', text: `message of ${bytes.length} octets not segmented (${e.message})` },
      { kind: 'wan', bytes },
    ];
  }
}

/** Segments every 'wan' effect that needs it, keeping the order. */
export function segmentWanEffects(effects: readonly Effect[]): Effect[] {
  return effects.flatMap((e) => (e.kind === 'wan' ? toWan(e.bytes) : [e]));
}

/**
 * The Device Log just changed: stamp it, log 0x8F12 in the security log (as RTDS ECS35d lists it) [O], and send CS14
 * with the whole log to the ACB (GBCS CS14).
 */
export function deviceLogChanged(state: ChfState, now: number, env: ActorEnv): Step<ChfState> {
  const at = deviceTime(state, now);
  const message = deviceLogChangedAlert({
    chf: state.eui,
    acb: alertRecipient(state),
    counter: state.alertCounter,
    alertTime: dlmsDateTimeAt(at),
    logTime: dlmsDateTimeAt(at),
    extendedPanId: eui64ToBytes(state.extendedPanId),
    entries: deviceLogReport(state),
  });
  const bytes = sealAlert(message, false, env);
  return {
    state: {
      ...state,
      alertCounter: state.alertCounter + 1n,
      deviceLogChangedMs: at,
      securityLog: appendLog(
        state.securityLog,
        { atMs: at, code: ALERT_CHF_DEVICE_LOG_CHANGED },
        DEFAULT_LOG_CAPACITIES.securityLog,
      ),
    },
    effects: toWan(bytes),
  };
}

/** A non-critical generic alert from the CHF to the ACB, logged in its event log [A], with a note saying why. */
export function chfAlert(
  state: ChfState,
  alertCode: number,
  why: string,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const eventLog = appendLog(
    state.eventLog,
    { atMs: deviceTime(state, now), code: alertCode },
    DEFAULT_LOG_CAPACITIES.eventLog,
  );
  const alert = raiseAlert({ ...state, eventLog }, alertCode, false, now, env);
  return { state: alert.state, effects: [{ kind: 'note', text: why }, ...toWan(alert.bytes)] };
}
