// The scenario kinds `smets-twin run` knows, by name (model.ts ScenarioKindName). Each kind is written in its own file
// beside this one (no-wan-prepayment.ts, interpan-window.ts, ppmid-firmware-campaign.ts, triage-reuse.ts) and added
// here. Running a scenario of a kind not registered is a clear error naming the kinds that are (src/scenario/run.ts).
import type { ScenarioKind, ScenarioKindName } from '../model.js';
import { triageReuse } from './triage-reuse.js';

export const SCENARIO_KINDS: ReadonlyMap<ScenarioKindName, ScenarioKind> = new Map<
  ScenarioKindName,
  ScenarioKind
>([triageReuse].map((kind) => [kind.name, kind]));
