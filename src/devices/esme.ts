// The ESME (SMETS2 electricity meter) as an actor: SMHAN joining, GBCS commands through the one inbound path
// (checks → handler → sealed response), the consumer at the meter (restore-supply button, keypad UTRN, emergency
// credit) and mains power. State in esme-state.ts; the handlers by theme in esme-supply, esme-registers, esme-admin,
// esme-prepayment, esme-prepayment-reads and esme-topup; CS02b credentials in security-credentials.
import { handleCommonTimer, pickCommands, commonCommands } from './common-commands.js';
import {
  handleHanJoining,
  JOIN_DEVICE_TYPE,
  receiveCommand,
  type CommandHandler,
  type CommandTable,
} from './device.js';
import { clearEventLog, readFirmwareVersion, setClock } from './esme-admin.js';
import { activateEmergencyCredit, emergencyCredit, updatePrepayment } from './esme-prepayment.js';
import { readPrepayment } from './esme-prepayment-reads.js';
import { readImportRegisters, readTouBlockRegisters, readTouRegisters } from './esme-registers.js';
import { ESME_CODES, ESME_LOG_CAPACITIES, logged, note, type EsmeState } from './esme-state.js';
import { armSupply, disableSupply, enableSupply, readSupplyStatus, restoreSupply } from './esme-supply.js';
import { localTopUp, topUp } from './esme-topup.js';
import { ESME_ACCOUNTING } from './esme-account.js';
import {
  pauseAccount,
  PREPAYMENT_TIMER,
  prepaymentWoken,
  resumeAccount,
  reviewAccount,
  settleAccount,
} from './prepayment-account.js';
import type { Eui64 } from '../codec/eui64.js';
import type { HanFrame, PpmidCommand } from './types.js';
import { credentialsCommands, handleCredentialsTimer } from './security-credentials.js';
import { meterOtaStep } from './ota-client.js';
import {
  unchanged,
  type ActorEnv,
  type ActorInput,
  type ActorStep,
  type LocalAction,
  type Step,
} from './types.js';

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

/** The consumer takes the emergency credit on offer (at the meter, or from the PPMID: PECS02). */
function consumerEmergencyCredit(state: EsmeState, now: number, by: string): Step<EsmeState> {
  const activated = activateEmergencyCredit(state, now, 'consumer');
  return activated === undefined
    ? unchanged(state, note(state, `no emergency credit on offer (${by})`))
    : unchanged(activated, note(state, `emergency credit activated by the consumer (${by})`));
}

function localAction(state: EsmeState, action: LocalAction, now: number, env: ActorEnv): Step<EsmeState> {
  switch (action.kind) {
    case 'restore-supply':
      return restoreSupply(state, now);
    case 'keypad-utrn':
      return localTopUp(state, action.utrn, 'keypad', now, env);
    case 'activate-emergency-credit':
      return consumerEmergencyCredit(state, now, 'meter');
    case 'carry-local-command':
      return unchanged(state, note(state, 'has no use for a local command handed to it'));
    case 'firmware-choice':
      return unchanged(state, note(state, 'firmware choice is a PPMID setting: ignored'));
  }
}

/**
 * PECS01–03 from a PPMID the ESME has joined with (CS03A2): the same checks and effects as at the meter (the UTRN is
 * authenticated the same way); PECS03 only closes a switch that credit allows (domain brief §7: Supply ON only).
 */
function fromPpmid(
  state: EsmeState,
  from: Eui64,
  command: PpmidCommand,
  now: number,
  env: ActorEnv,
): Step<EsmeState> {
  const paired = state.joins.some((j) => j.device === from && j.deviceType === JOIN_DEVICE_TYPE.PPMID);
  const answer = (s: Step<EsmeState>, accepted: boolean, reason: string): Step<EsmeState> => ({
    state: s.state,
    effects: [
      ...s.effects,
      {
        kind: 'han',
        to: from,
        frame: { type: 'ppmid-command-response', command: command.kind, accepted, reason },
      },
    ],
  });
  if (!paired)
    return answer(
      unchanged(state, note(state, `PPMID ${from} not joined: ${command.kind} refused`)),
      false,
      'not joined',
    );
  switch (command.kind) {
    case 'top-up': {
      const step = localTopUp(state, command.utrn, 'ppmid', now, env);
      const accepted = step.state.prepayment.ledger !== state.prepayment.ledger;
      return answer(step, accepted, accepted ? 'credit added' : 'UTRN refused');
    }
    case 'activate-emergency-credit': {
      const step = consumerEmergencyCredit(state, now, 'PPMID');
      const accepted = step.state !== state;
      return answer(step, accepted, accepted ? 'activated' : 'not on offer');
    }
    case 'enable-supply': {
      if (state.supply === 'enabled') return answer(unchanged(state), true, 'already enabled');
      if (state.supply === 'disabled' && state.supplyLoss.current?.cause !== 'awaiting-restore')
        return answer(
          unchanged(state, note(state, 'PECS03 refused: supply not restorable')),
          false,
          'not restorable',
        );
      const step = restoreSupply({ ...state, supply: 'armed' }, now);
      return answer(step, true, 'enabled');
    }
  }
}

function onHan(state: EsmeState, from: Eui64, frame: HanFrame, now: number, env: ActorEnv): Step<EsmeState> {
  if (!state.hanJoined) return unchanged(state, note(state, 'is not on the SMHAN: frame not heard'));
  if (frame.type === 'ppmid-command') return fromPpmid(state, from, frame.command, now, env);
  // GBCS 11.1: the image by ZigBee OTA from the CH, then the receipt alert 0x00CE; CS06 activates it.
  const ota = meterOtaStep(state, { type: 'han', from, frame }, now, env);
  if (ota !== undefined) return ota;
  if (frame.type !== 'gbcs') return unchanged(state, note(state, `ignored a ${frame.type} frame`));
  return receiveCommand(state, frame.bytes, now, env, ESME_COMMANDS, { capacities: ESME_LOG_CAPACITIES });
}

/** Everything but power, on a meter that is powered, its prepayment account already brought up to `now`. */
function onInput(state: EsmeState, input: ActorInput, now: number, env: ActorEnv): Step<EsmeState> {
  const joining = handleHanJoining(state, input, now);
  if (joining !== undefined) return joining;
  const timer = handleCommonTimer(state, input, now, env) ?? handleCredentialsTimer(state, input, now, env);
  if (timer !== undefined) return timer;
  switch (input.type) {
    case 'han':
      return onHan(state, input.from, input.frame, now, env);
    case 'local':
      return localAction(state, input.action, now, env);
    case 'timer':
      // The prepayment wake-up: settling to `now` has done its work; the review plans the next one.
      return unchanged(input.timer.name === PREPAYMENT_TIMER ? prepaymentWoken(state) : state);
    default:
      return unchanged(state);
  }
}

export const stepEsme: ActorStep<EsmeState> = (state, input, now, env) => {
  if (input.type === 'power') {
    if (!input.on) {
      if (!state.powered) return unchanged(state);
      const paused = pauseAccount(ESME_ACCOUNTING, state, now, env);
      const off = power(paused.state, false, now);
      return { state: off.state, effects: [...paused.effects, ...off.effects] };
    }
    const on = power(state, true, now);
    if (state.powered) return on;
    const resumed = resumeAccount(ESME_ACCOUNTING, on.state, now, env);
    return { state: resumed.state, effects: [...on.effects, ...resumed.effects] };
  }
  if (!state.powered) return unchanged(state);
  const settled = settleAccount(ESME_ACCOUNTING, state, now, env);
  const step = onInput(settled.state, input, now, env);
  const reviewed = reviewAccount(ESME_ACCOUNTING, settled.state, step.state, now, env);
  if (settled.effects.length === 0 && reviewed.effects.length === 0 && reviewed.state === step.state)
    return step;
  return { state: reviewed.state, effects: [...settled.effects, ...step.effects, ...reviewed.effects] };
};
