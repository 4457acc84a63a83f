// Power and Inter-PAN at the CHF (domain brief §4.3): power-up opens the Inter-PAN window for
// policy.interPanWindowMinutes (GBCS v1 informative annex: 60; null = never closes) and a power cycle re-opens it.
// In the window an HHT, or a PPMID posted to the consumer acting as one (SECMP0037), discovers the CH by beacon, runs
// Inter-PAN CBKE (accepted only for certificates of the issuer the CHF trusts), then sends its install code, which
// adds it to the Device Log; it then joins the SMHAN like any device. Outside the window the CH refuses Inter-PAN.
//
// The CHF also defends the window (SECMP0037's SSC concern: "an attack within local radio range of a Communications
// Hub"): a frame from outside the premise is heard only within the radio range of the CH's band; every refused
// Inter-PAN frame is counted by kind; an unauthorised attempt (CBKE or install code while the window is closed, an
// unknown certificate issuer, an install code without CBKE) raises 0x8F3E, and more malformed frames than a threshold
// in a period raise 0x8F60, each at most once per interval (ChfState.interPanGuard). The twin also measures how long
// the window has been open (interPanOpenMs).
import type { Eui64 } from '../codec/eui64.js';
import type {
  ActorEnv,
  CbkeOutcome,
  Effect,
  InterPanAddOutcome,
  MalformedDefect,
  Step,
} from '../devices/types.js';
import { without } from '../devices/device.js';
import { chfAlert, deviceLogChanged } from './chf-alerts.js';
import { addEntry, findEntry } from './chf-device-log.js';
import { openJoinWindow } from './chf-join.js';
import {
  DEFAULT_INTERPAN_GUARD,
  RADIO_RANGE_M,
  ZIGBEE_DEVICE_TYPE,
  type ChfState,
  type InterPanDefence,
  type InterPanGuard,
  type InterPanRefusals,
} from './chf-state.js';

export const INTERPAN_WINDOW_TIMER = 'interpan-window';
/** Parties remembered after Inter-PAN CBKE until power-down [A]. */
const MAX_CBKE_PARTNERS = 4;

/** Unauthorised communication access attempted (domain brief §2.7). */
export const ALERT_UNAUTHORISED_ACCESS = 0x8f3e;
/** Unusual numbers of malformed, out-of-order or unexpected commands received (domain brief §2.7). */
export const ALERT_UNUSUAL_COMMANDS = 0x8f60;

function note(state: ChfState, text: string): Effect {
  return { kind: 'note', text: `CHF ${state.eui} ${text}` };
}

/** How long the Inter-PAN window has been open up to `now`, ms, over every power-up. */
export function interPanOpenMs(state: ChfState, now: number): number {
  const since = state.interPanOpenSinceMs;
  return (state.interPanOpenTotalMs ?? 0) + (since === undefined ? 0 : Math.max(0, now - since));
}

/** The window closes (timer or power-down): the time it was open is added to the total. */
function windowClosed(state: ChfState, now: number): ChfState {
  return {
    ...without(state, 'interPanOpenSinceMs'),
    interPanOpen: false,
    cbkePartners: [],
    interPanOpenTotalMs: interPanOpenMs(state, now),
  };
}

/**
 * 'power' on: power-up, the Inter-PAN window opens (and the timer that closes it, unless the policy says never).
 * 'power' off: volatile state is lost — GSME mailboxes, GBT reassembly, CBKE partners [A]; the logs are kept.
 * 'power' on while already powered is no power cycle (that is off, then on): it changes nothing.
 */
export function handlePower(state: ChfState, on: boolean, now: number, env: ActorEnv): Step<ChfState> {
  if (on && state.powered) return { state, effects: [note(state, 'already powered: power-on ignored')] };
  if (!on) {
    const dropped = state.mailboxes.reduce((n, m) => n + m.messages.length, 0);
    const closed = state.interPanOpen ? windowClosed(state, now) : state;
    return {
      state: {
        ...without(closed, 'localRoutes'),
        powered: false,
        interPanOpen: false,
        cbkePartners: [],
        mailboxes: [],
        pendingGbt: [],
      },
      effects: [
        { kind: 'cancel-timer', name: INTERPAN_WINDOW_TIMER },
        note(state, `powered down${dropped > 0 ? `; ${dropped} queued GSME messages lost` : ''}`),
      ],
    };
  }
  const minutes = env.policy.interPanWindowMinutes;
  const effects: Effect[] =
    minutes === null
      ? [{ kind: 'cancel-timer', name: INTERPAN_WINDOW_TIMER }]
      : [{ kind: 'timer', atMs: now + minutes * 60_000, timer: { name: INTERPAN_WINDOW_TIMER } }];
  effects.push(
    note(
      state,
      `powered up; Inter-PAN window open ${minutes === null ? 'without limit' : `for ${minutes} min`}`,
    ),
  );
  return {
    state: { ...state, powered: true, interPanOpen: true, cbkePartners: [], interPanOpenSinceMs: now },
    effects,
  };
}

export function closeInterPanWindow(state: ChfState, now: number): Step<ChfState> {
  if (!state.interPanOpen) return { state, effects: [] };
  return { state: windowClosed(state, now), effects: [note(state, 'Inter-PAN window closed')] };
}

/** How far the CH's radio reaches, metres: the premise's setting, else the range of its band. */
export function radioRangeM(state: ChfState): number {
  return state.radioRangeM ?? (state.dualBand === true ? RADIO_RANGE_M.dualBand : RADIO_RANGE_M.singleBand);
}

/** Whether the CH hears a radio `distanceM` metres away. */
export function hears(state: ChfState, distanceM: number): boolean {
  return distanceM <= radioRangeM(state);
}

const NO_REFUSALS: InterPanRefusals = Object.freeze({
  beaconWindowClosed: 0,
  cbkeWindowClosed: 0,
  cbkeUnknownIssuer: 0,
  installCodeWindowClosed: 0,
  installCodeWithoutCbke: 0,
  malformed: 0,
});

/** Refused Inter-PAN frames by kind (all zero before the first). */
export function interPanRefusals(state: ChfState): InterPanRefusals {
  return state.interPanDefence?.refused ?? NO_REFUSALS;
}

function guardOf(state: ChfState): InterPanGuard {
  return state.interPanGuard ?? DEFAULT_INTERPAN_GUARD;
}

function mayAlert(last: number | null, now: number, guard: InterPanGuard): boolean {
  return last === null || now - last >= guard.alertIntervalMs;
}

/**
 * Counts a refused frame of `kind` and raises what it calls for: 0x8F3E for an unauthorised attempt, 0x8F60 once the
 * malformed frames of the current period exceed the threshold; each at most once per alertIntervalMs.
 */
function refused(
  state: ChfState,
  kind: keyof InterPanRefusals,
  unauthorised: boolean,
  why: string,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const guard = guardOf(state);
  const before: InterPanDefence = state.interPanDefence ?? {
    refused: NO_REFUSALS,
    malformedPeriodStartMs: now,
    malformedInPeriod: 0,
    lastUnauthorisedAlertMs: null,
    lastMalformedAlertMs: null,
    alertsSuppressed: 0,
  };
  let defence: InterPanDefence = {
    ...before,
    refused: { ...before.refused, [kind]: before.refused[kind] + 1 },
  };
  const alerts: { code: number; why: string }[] = [];
  if (unauthorised) {
    if (mayAlert(defence.lastUnauthorisedAlertMs, now, guard)) {
      alerts.push({ code: ALERT_UNAUTHORISED_ACCESS, why: `unauthorised Inter-PAN access: ${why}` });
      defence = { ...defence, lastUnauthorisedAlertMs: now };
    } else defence = { ...defence, alertsSuppressed: defence.alertsSuppressed + 1 };
  }
  if (kind === 'malformed') {
    const newPeriod = now - defence.malformedPeriodStartMs >= guard.malformedPeriodMs;
    defence = {
      ...defence,
      malformedPeriodStartMs: newPeriod ? now : defence.malformedPeriodStartMs,
      malformedInPeriod: newPeriod ? 1 : defence.malformedInPeriod + 1,
    };
    if (defence.malformedInPeriod > guard.malformedThreshold) {
      if (mayAlert(defence.lastMalformedAlertMs, now, guard)) {
        alerts.push({
          code: ALERT_UNUSUAL_COMMANDS,
          why: `${defence.malformedInPeriod} malformed Inter-PAN frames since ${new Date(defence.malformedPeriodStartMs).toISOString()}`,
        });
        defence = { ...defence, lastMalformedAlertMs: now };
      } else defence = { ...defence, alertsSuppressed: defence.alertsSuppressed + 1 };
    }
  }
  let s: ChfState = { ...state, interPanDefence: defence };
  const effects: Effect[] = [note(state, `refused Inter-PAN: ${why}`)];
  for (const a of alerts) {
    const raised = chfAlert(s, a.code, `CHF ${state.eui} ${a.why}`, now, env);
    s = raised.state;
    effects.push(...raised.effects);
  }
  return { state: s, effects };
}

/**
 * Active scan: the CH answers with its Extended PAN ID and whether Inter-PAN is allowed now. A beacon request while
 * the window is closed is counted as refused, but is discovery, not an access attempt: no alert [A].
 */
export function handleBeaconRequest(
  state: ChfState,
  from: Eui64,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const beacon: Effect = {
    kind: 'han',
    to: from,
    frame: {
      type: 'interpan-beacon',
      extendedPanId: state.extendedPanId,
      permitsInterPan: state.interPanOpen,
    },
  };
  if (state.interPanOpen) return { state, effects: [beacon] };
  const counted = refused(state, 'beaconWindowClosed', false, `beacon request from ${from}`, now, env);
  return { state: counted.state, effects: [beacon, ...counted.effects] };
}

function cbkeOutcome(state: ChfState, issuer: Eui64): CbkeOutcome {
  return issuer === state.trustedCertificateIssuer ? 'success' : 'unknown-issuer';
}

/** Inter-PAN CBKE: only in the window; success needs a certificate of the trusted issuer (else unknown-issuer). */
export function handleInterPanCbke(
  state: ChfState,
  from: Eui64,
  issuer: Eui64,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const outcome: CbkeOutcome = state.interPanOpen ? cbkeOutcome(state, issuer) : 'no-response';
  const answer: Effect = { kind: 'han', to: from, frame: { type: 'interpan-cbke-response', outcome } };
  if (outcome === 'success') {
    const partners = [...state.cbkePartners.filter((p) => p !== from), from].slice(-MAX_CBKE_PARTNERS);
    return {
      state: { ...state, cbkePartners: partners },
      effects: [answer, note(state, `Inter-PAN CBKE with ${from}: success`)],
    };
  }
  const closed = !state.interPanOpen;
  const counted = refused(
    state,
    closed ? 'cbkeWindowClosed' : 'cbkeUnknownIssuer',
    true,
    closed
      ? `CBKE from ${from} while the window is closed`
      : `CBKE from ${from} with a certificate of unknown issuer ${issuer}`,
    now,
    env,
  );
  return { state: counted.state, effects: [answer, ...counted.effects] };
}

/** SMHAN CBKE with a device in the Device Log (ZigBee SE key establishment): the issuer decides. */
export function handleCbke(state: ChfState, from: Eui64, issuer: Eui64): Step<ChfState> {
  const outcome: CbkeOutcome =
    findEntry(state, from)?.joined === true ? cbkeOutcome(state, issuer) : 'no-response';
  return {
    state,
    effects: [
      { kind: 'han', to: from, frame: { type: 'cbke-response', outcome } },
      note(state, `CBKE with ${from}: ${outcome}`),
    ],
  };
}

/**
 * The install code over Inter-PAN, protected by the CBKE key: adds the sender to the Device Log (CS14) and opens its
 * join window for interPanJoinTimeoutSeconds [A]. An HHT's entry is marked `hht`; a PPMID pairing locally
 * (SECMP0037, device type 132) gets an ordinary PPMID entry, as CCS01 would have made [A]. A device already in the
 * log is 'added' without a CS14; if it has not joined and its entry still holds its install code, its join window is
 * opened again (as a repeated CCS01 does), so a device whose window closed can still join [A]. An install code while
 * the window is closed, or from a party without CBKE, is refused as unauthorised.
 */
export function handleInterPanInstallCode(
  state: ChfState,
  from: Eui64,
  installCode: Uint8Array,
  deviceType: number,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  const reply = (
    s: ChfState,
    outcome: InterPanAddOutcome,
    extra: readonly Effect[] = [],
  ): Step<ChfState> => ({
    state: s,
    effects: [
      { kind: 'han', to: from, frame: { type: 'interpan-install-code-response', outcome } },
      note(state, `Inter-PAN install code from ${from}: ${outcome}`),
      ...extra,
    ],
  });
  if (!state.interPanOpen || !state.cbkePartners.includes(from)) {
    const closed = !state.interPanOpen;
    const counted = refused(
      state,
      closed ? 'installCodeWindowClosed' : 'installCodeWithoutCbke',
      true,
      closed
        ? `install code from ${from} while the window is closed`
        : `install code from ${from} without CBKE`,
      now,
      env,
    );
    return reply(counted.state, closed ? 'window-closed' : 'no-cbke', counted.effects);
  }
  const hht = deviceType !== ZIGBEE_DEVICE_TYPE.PPMID;
  const added = addEntry(state, { device: from, deviceType, installCode, hht });
  if (added.outcome === 'full') return reply(state, 'device-log-full');
  if (added.outcome === 'present') {
    const entry = findEntry(state, from)!;
    if (entry.joined || entry.installCode === null) return reply(state, 'added');
    const reopened = openJoinWindow(state, from, now, state.interPanJoinTimeoutSeconds * 1000);
    return reply(reopened.state, 'added', reopened.effects);
  }
  const opened = openJoinWindow(added.state, from, now, state.interPanJoinTimeoutSeconds * 1000);
  const cs14 = deviceLogChanged(opened.state, now, env);
  return reply(cs14.state, 'added', [...opened.effects, ...cs14.effects]);
}

/** A frame that does not parse as Inter-PAN: refused without an answer, counted towards 0x8F60. */
export function handleMalformedInterPan(
  state: ChfState,
  from: Eui64,
  defect: MalformedDefect,
  now: number,
  env: ActorEnv,
): Step<ChfState> {
  return refused(state, 'malformed', false, `malformed frame from ${from} (${defect})`, now, env);
}
