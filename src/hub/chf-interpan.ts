// Power and Inter-PAN at the CHF (domain brief §4.3): power-up opens the Inter-PAN window for
// policy.interPanWindowMinutes (GBCS v1 informative annex: 60; null = never closes) and a power cycle re-opens it.
// In the window an HHT discovers the CH by beacon, runs Inter-PAN CBKE (accepted only for certificates of the
// issuer the CHF trusts), then sends its install code, which adds it to the Device Log; it then joins the SMHAN
// like any device. Outside the window the CH does not answer Inter-PAN.
import type { Eui64 } from '../codec/eui64.js';
import type { ActorEnv, CbkeOutcome, Effect, InterPanAddOutcome, Step } from '../devices/types.js';
import { without } from '../devices/device.js';
import { deviceLogChanged } from './chf-alerts.js';
import { addEntry, findEntry } from './chf-device-log.js';
import { openJoinWindow } from './chf-join.js';
import type { ChfState } from './chf-state.js';

export const INTERPAN_WINDOW_TIMER = 'interpan-window';
/** Parties remembered after Inter-PAN CBKE until power-down [A]. */
const MAX_CBKE_PARTNERS = 4;

function note(state: ChfState, text: string): Effect {
  return { kind: 'note', text: `CHF ${state.eui} ${text}` };
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
    return {
      state: {
        ...without(state, 'localRoutes'),
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
  return { state: { ...state, powered: true, interPanOpen: true, cbkePartners: [] }, effects };
}

export function closeInterPanWindow(state: ChfState): Step<ChfState> {
  return {
    state: { ...state, interPanOpen: false, cbkePartners: [] },
    effects: [note(state, 'Inter-PAN window closed')],
  };
}

/** Active scan: the CH answers with its Extended PAN ID and whether Inter-PAN is allowed now. */
export function handleBeaconRequest(state: ChfState, from: Eui64): Step<ChfState> {
  return {
    state,
    effects: [
      {
        kind: 'han',
        to: from,
        frame: {
          type: 'interpan-beacon',
          extendedPanId: state.extendedPanId,
          permitsInterPan: state.interPanOpen,
        },
      },
    ],
  };
}

function cbkeOutcome(state: ChfState, issuer: Eui64): CbkeOutcome {
  return issuer === state.trustedCertificateIssuer ? 'success' : 'unknown-issuer';
}

/** Inter-PAN CBKE: only in the window; success needs a certificate of the trusted issuer (else unknown-issuer). */
export function handleInterPanCbke(state: ChfState, from: Eui64, issuer: Eui64): Step<ChfState> {
  const outcome: CbkeOutcome = state.interPanOpen ? cbkeOutcome(state, issuer) : 'no-response';
  const partners =
    outcome === 'success'
      ? [...state.cbkePartners.filter((p) => p !== from), from].slice(-MAX_CBKE_PARTNERS)
      : state.cbkePartners;
  return {
    state: { ...state, cbkePartners: partners },
    effects: [
      { kind: 'han', to: from, frame: { type: 'interpan-cbke-response', outcome } },
      note(
        state,
        `Inter-PAN CBKE with ${from}: ${outcome}${state.interPanOpen ? '' : ' (Inter-PAN window closed)'}`,
      ),
    ],
  };
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
 * The HHT's install code over Inter-PAN, protected by the CBKE key: adds it to the Device Log (an HHT entry, CS14)
 * and opens its join window for interPanJoinTimeoutSeconds [A]. A device already in the log is 'added' without a
 * CS14; if it has not joined and its entry still holds its install code, its join window is opened again (as a
 * repeated CCS01 does), so an HHT whose window closed can still join [A].
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
  if (!state.interPanOpen) return reply(state, 'window-closed');
  if (!state.cbkePartners.includes(from)) return reply(state, 'no-cbke');
  const added = addEntry(state, { device: from, deviceType, installCode, hht: true });
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
