// The scenario kinds `smets-twin run` knows, by name (model.ts ScenarioKindName), one file each beside this one.
// Running a scenario of a kind not registered is a clear error naming the kinds that are (src/scenario/run.ts).
import type { ScenarioKind, ScenarioKindName } from '../model.js';
import { interPanWindow } from './interpan-window.js';
import { noWanPrepayment } from './no-wan-prepayment.js';
import { ppmidFirmwareCampaign } from './ppmid-firmware-campaign.js';
import { triageReuse } from './triage-reuse.js';

export const SCENARIO_KINDS: ReadonlyMap<ScenarioKindName, ScenarioKind> = new Map<
  ScenarioKindName,
  ScenarioKind
>([noWanPrepayment, interPanWindow, ppmidFirmwareCampaign, triageReuse].map((kind) => [kind.name, kind]));
