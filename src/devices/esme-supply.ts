// The ESME load switch (SR 7.1–7.4): ECS42 enable (close), ECS43 disable (open), ECS44 arm, ECS45 read status, and
// the consumer's button that closes an armed switch (SMETS2). The three switch commands run a script of the
// Disconnect Script Table, the script identifier naming the action (RTDS 7.1_ECS42: 51, 7.3_ECS44: 54) [O].
import type { CommandHandler } from './device.js';
import {
  accessRequestOf,
  accessResponse,
  addresses,
  CONTROL_STATE,
  DISCONNECT_CONTROL_STATE,
  DISCONNECT_SCRIPTS,
  failed,
  integerOf,
  isSingleAction,
  OK,
  refuseAll,
  RESULT,
  SCRIPT,
} from './esme-dlms.js';
import { esmeAlert, ESME_CODES, logged, note, type EsmeState } from './esme-state.js';
import { disabledRemotely } from './prepayment-account.js';
import type { Accepted } from './security.js';
import type { Effect, Step, SupplyState } from './types.js';

type SwitchAction = keyof typeof SCRIPT;

/**
 * The supply after a switch command. Arming an enabled supply leaves it enabled (GBCS 7.3 arms a disabled supply so
 * the consumer can restore it) [A].
 */
function switched(from: SupplyState, action: SwitchAction): SupplyState {
  if (action === 'enable') return 'enabled';
  if (action === 'disable') return 'disabled';
  return from === 'enabled' ? 'enabled' : 'armed';
}

/** ECS42 / ECS43 / ECS44: run the script; the response is null-data with the action result (RTDS 7.1, 7.3) [O]. */
function switchSupply(action: SwitchAction): CommandHandler<EsmeState> {
  return (state, command, now, env) => {
    const request = accessRequestOf(command);
    if (request === undefined)
      return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
    if (!isSingleAction(request, DISCONNECT_SCRIPTS) || integerOf(request.data[0]) !== SCRIPT[action])
      return { state, payload: refuseAll(request, RESULT.objectUndefined) };
    const supply = switched(state.supply, action);
    const effects: Effect[] = [note(state, `supply ${state.supply} → ${supply} (${useCaseOf(command)})`)];
    let next: EsmeState = { ...state, supply };
    if (action === 'arm' && supply === 'armed') {
      // GBCS alert 0x8F32 Supply Armed, raised when the switch is armed [O: code name; when raised A].
      const alert = esmeAlert(
        logged(next, 'eventLog', ESME_CODES.supplyArmed, now),
        ESME_CODES.supplyArmed,
        now,
        env,
      );
      next = alert.state;
      effects.push(alert.effect);
    } else if (action !== 'arm') {
      next = logged(
        next,
        'eventLog',
        action === 'enable' ? ESME_CODES.supplyEnabled : ESME_CODES.supplyDisabled,
        now,
      );
      if (action === 'disable') next = disabledRemotely(next, now);
    }
    return { state: next, payload: accessResponse(request, [OK]), effects };
  };
}

export const enableSupply = switchSupply('enable');
export const disableSupply = switchSupply('disable');
export const armSupply = switchSupply('arm');

/** ECS45: one get of the disconnect control state, answered with the enum (GBCS 7.4) [A: no RTDS folder]. */
export const readSupplyStatus: CommandHandler<EsmeState> = (state, command) => {
  const request = accessRequestOf(command);
  if (request === undefined)
    return { state, payload: null, effects: [note(state, 'ignored a non-DLMS command')] };
  const answers = request.specifications.map((spec) =>
    addresses(spec, 'get', DISCONNECT_CONTROL_STATE)
      ? { data: { type: 'enum' as const, value: CONTROL_STATE[state.supply] }, result: RESULT.success }
      : failed(RESULT.objectUndefined),
  );
  return { state, payload: accessResponse(request, answers) };
};

/** The consumer's button: an armed switch closes (SMETS2); otherwise nothing happens. */
export function restoreSupply(state: EsmeState, now: number): Step<EsmeState> {
  if (state.supply !== 'armed')
    return { state, effects: [note(state, `restore-supply: supply is ${state.supply}, not armed`)] };
  const next = logged(
    { ...state, supply: 'enabled' },
    'eventLog',
    ESME_CODES.userInterfaceCommandActioned,
    now,
  );
  return { state: next, effects: [note(state, 'supply armed → enabled by the consumer')] };
}

function useCaseOf(command: Accepted): string {
  return command.info.useCase ?? command.info.name;
}
