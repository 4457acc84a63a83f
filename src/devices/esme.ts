// The ESME (SMETS2 electricity meter) as an actor: SMHAN joining, GBCS commands through the one inbound path
// (checks → handler → sealed response), the consumer at the meter (restore-supply button, keypad UTRN, emergency
// credit) and mains power. State in esme-state.ts; the handlers by theme in esme-supply, esme-registers, esme-admin,
// esme-prepayment, esme-prepayment-reads and esme-topup; CS02b credentials in security-credentials.
import { handleCommonTimer, pickCommands, commonCommands } from './common-commands.js';
import { handleHanJoining, receiveCommand, type CommandHandler, type CommandTable } from './device.js';
import { clearEventLog, readFirmwareVersion, setClock } from './esme-admin.js';
import { activateEmergencyCredit, emergencyCredit, updatePrepayment } from './esme-prepayment.js';
import { readPrepayment } from './esme-prepayment-reads.js';
import { readImportRegisters, readTouBlockRegisters, readTouRegisters } from './esme-registers.js';
import { ESME_CODES, ESME_LOG_CAPACITIES, logged, note, type EsmeState } from './esme-state.js';
import { armSupply, disableSupply, enableSupply, readSupplyStatus, restoreSupply } from './esme-supply.js';
import { keypadTopUp, topUp } from './esme-topup.js';
import { credentialsCommands, handleCredentialsTimer } from './security-credentials.js';
import { unchanged, type ActorEnv, type ActorStep, type LocalAction, type Step } from './types.js';

export { createEsme, ESME_CODES, UTRN_CACHE_SIZE } from './esme-state.js';
export type { EsmeInit, EsmeState, ImportRegisters, PaymentMode, PrepaymentState } from './esme-state.js';

/** Message codes of the ESME use cases (GBCS use-case tables; domain brief §2.5, Appendix B). */
export const ESME_USE_CASES = {
  CS01a: 0x0007,
  ECS02: 0x001a,
  ECS03: 0x001b,
  ECS07: 0x001e,
  ECS08: 0x001f,
  ECS08a: 0x00de,
  ECS09: 0x0020,
  ECS15a: 0x0024,
  ECS17b: 0x0027,
  ECS17d: 0x0029,
  ECS17e: 0x002a,
  ECS26a: 0x003b,
  ECS42: 0x004f,
  ECS43: 0x0050,
  ECS44: 0x0051,
  ECS45: 0x0052,
  ECS52: 0x0059,
  ECS70: 0x0062,
  ECS82: 0x0069,
} as const;

const ESME_HANDLERS: Readonly<Record<keyof typeof ESME_USE_CASES, CommandHandler<EsmeState>>> = {
  CS01a: topUp,
  ECS02: updatePrepayment,
  ECS03: updatePrepayment,
  ECS07: updatePrepayment,
  ECS08: updatePrepayment,
  ECS08a: updatePrepayment,
  ECS09: emergencyCredit,
  ECS15a: clearEventLog,
  ECS17b: readImportRegisters,
  ECS17d: readTouRegisters,
  ECS17e: readTouBlockRegisters,
  ECS26a: readPrepayment,
  ECS42: enableSupply,
  ECS43: disableSupply,
  ECS44: armSupply,
  ECS45: readSupplyStatus,
  ECS52: readFirmwareVersion,
  ECS70: setClock,
  ECS82: readPrepayment,
};

/**
 * The ESME's commands: the shared HAN use cases a meter supports (joins as a meter, unjoins, CS06, CS07), CS02b
 * Update Security Credentials (every mode's code; security-credentials.ts), then its own.
 */
export const ESME_COMMANDS: CommandTable<EsmeState> = new Map([
  ...pickCommands(commonCommands<EsmeState>({ capacities: ESME_LOG_CAPACITIES }), [
    'CS03A1',
    'CS03B',
    'CS03C',
    'CS04AC',
    'CS04B',
    'CS06',
    'CS07',
  ]),
  ...credentialsCommands<EsmeState>({ capacities: ESME_LOG_CAPACITIES }),
  ...(Object.keys(ESME_USE_CASES) as (keyof typeof ESME_USE_CASES)[]).map(
    (useCase) => [ESME_USE_CASES[useCase], ESME_HANDLERS[useCase]] as const,
  ),
]);

/** Mains power: off, the meter goes quiet; back on, it logs the restoration and rejoins if it must [A: events]. */
function power(state: EsmeState, on: boolean, now: number): Step<EsmeState> {
  if (!on) {
    if (!state.powered) return unchanged(state);
    const off = logged({ ...state, powered: false }, 'eventLog', ESME_CODES.supplyInterrupted, now);
    return unchanged(off, note(state, 'lost mains power'));
  }
  const restored = state.powered
    ? state
    : logged({ ...state, powered: true }, 'eventLog', ESME_CODES.supplyOutageRestored, now);
  const joining = handleHanJoining(restored, { type: 'power', on: true }, now);
  return joining ?? unchanged(restored);
}

function localAction(state: EsmeState, action: LocalAction, now: number, env: ActorEnv): Step<EsmeState> {
  switch (action.kind) {
    case 'restore-supply':
      return restoreSupply(state, now);
    case 'keypad-utrn':
      return keypadTopUp(state, action.utrn, now, env);
    case 'activate-emergency-credit':
      return unchanged(
        activateEmergencyCredit(state, now),
        note(state, 'emergency credit activated by the consumer'),
      );
  }
}

export const stepEsme: ActorStep<EsmeState> = (state, input, now, env) => {
  if (input.type === 'power') return power(state, input.on, now);
  if (!state.powered) return unchanged(state);
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) return joining;
  const timer = handleCommonTimer(state, input, now, env) ?? handleCredentialsTimer(state, input, now, env);
  if (timer !== undefined) return timer;
  switch (input.type) {
    case 'han':
      if (input.frame.type !== 'gbcs')
        return unchanged(state, note(state, `ignored a ${input.frame.type} frame`));
      if (!state.hanJoined) return unchanged(state, note(state, 'is not on the SMHAN: frame not heard'));
      return receiveCommand(state, input.frame.bytes, now, env, ESME_COMMANDS, {
        capacities: ESME_LOG_CAPACITIES,
      });
    case 'local':
      return localAction(state, input.action, now, env);
    default:
      return unchanged(state);
  }
};
