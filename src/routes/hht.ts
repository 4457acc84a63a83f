// The HHT route (issue 6): local commands (the DCC's LocalCommand for CV2/3/6/7) reach a premise when an installer
// visits with an HHT. At the visit the installer may power-cycle the Communications Hub, which reopens its Inter-PAN
// window (domain brief §4.3: the window opens for 60 minutes after power-on) [A: what engineers do on site]; the HHT
// discovers the CH, runs Inter-PAN CBKE, sends its install code, joins the SMHAN, delivers what it carries — except
// what the policy refuses (devices/hht-carry.ts) — and collects the responses, which the User returns with SR 8.13.
import type { Eui64 } from '../codec/eui64.js';
import type { CarriedCommand } from '../devices/hht-carry.js';
import type { HhtState } from '../devices/hht.js';
import { buildHht } from '../premise/build.js';
import type { Field } from '../premise/field.js';

export interface HhtVisit {
  /** The premise (the runner's id) and its number (which names its EUI-64s). */
  readonly premise: number;
  readonly premiseNumber: number;
  readonly fleetSeed: string;
  /** When the installer arrives (model time). */
  readonly atMs: number;
  /** What the HHT carries, each with when the DCC issued it. */
  readonly commands: readonly CarriedCommand[];
  /** Power-cycle the CH on arrival so that its Inter-PAN window is open (default true) [A]. */
  readonly powerCycleHub?: boolean;
}

/** How long the installer leaves the CH off when power-cycling it [A]. */
export const POWER_CYCLE_MS = 10_000;

/**
 * Schedules the visit: the HHT is added to the premise now (switched off), and at `atMs` the CH is power-cycled,
 * the HHT is given its commands and switched on. Returns the HHT's EUI-64.
 */
export function scheduleHhtVisit(field: Field, visit: HhtVisit): Eui64 {
  const runner = field.runner;
  const hht = buildHht({
    premise: visit.premiseNumber,
    fleetSeed: visit.fleetSeed,
    deviceType: HHT_DEVICE_TYPE,
  });
  if (field.memberOf(visit.premise, 'HHT') === undefined) runner.addMember(visit.premise, hht);
  const chf = field.chfOf(visit.premise);
  let t = visit.atMs;
  if (visit.powerCycleHub ?? true) {
    field.at(t, { type: 'deliver', premise: visit.premise, to: chf, input: { type: 'power', on: false } });
    t += POWER_CYCLE_MS;
    field.at(t, { type: 'deliver', premise: visit.premise, to: chf, input: { type: 'power', on: true } });
    t += POWER_CYCLE_MS;
  }
  for (const c of visit.commands)
    field.at(t, {
      type: 'deliver',
      premise: visit.premise,
      to: hht.eui,
      input: {
        type: 'local',
        action: { kind: 'carry-local-command', bytes: c.bytes, issuedAtMs: c.issuedAtMs },
      },
    });
  field.at(t, { type: 'deliver', premise: visit.premise, to: hht.eui, input: { type: 'power', on: true } });
  return hht.eui;
}

/** The ZigBee device type an HHT announces with its install code: not in our sources [A]. */
export const HHT_DEVICE_TYPE = 0x7f;

/** What the HHT at a premise has collected (responses and alerts), for the User to return with SR 8.13. */
export function collectedByHht(field: Field, premise: number): readonly Uint8Array[] {
  const eui = field.memberOf(premise, 'HHT');
  return eui === undefined ? [] : field.runner.actor<HhtState>(premise, eui).collected;
}
