// The scenario kinds built so far, by name (issue 9 item 2): what the runner looks a scenario's `kind` up in.
import type { ScenarioKind, ScenarioKindName } from '../model.js';
import { interPanWindow } from './interpan-window.js';
import { noWanPrepayment } from './no-wan-prepayment.js';

export const SCENARIO_KINDS: Readonly<Partial<Record<ScenarioKindName, ScenarioKind>>> = Object.freeze({
  'no-wan-prepayment': noWanPrepayment,
  'interpan-window': interPanWindow,
});
