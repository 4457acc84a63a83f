// The GPF, the Gas Proxy Function inside the Communications Hub (domain brief §1, §4.4): it mirrors the sleepy GSME
// so that reads are answered at once without waking it, applies tap-off copies of the GSME's commands to that
// mirror, and answers its own commands (GCS09 change of tenancy). The CHF hands it everything as 'han' frames:
// commands addressed to the GPF, tap-off copies of commands addressed to its GSME, and the GSME's mirror updates.
import type { Eui64 } from '../codec/eui64.js';
import { parseGbcs, type ParsedGbcs } from '../codec/gbcs/frame.js';
import { isGbtBlock } from '../codec/gbcs/gbt.js';
import { commonCommands, pickCommands } from '../devices/common-commands.js';
import {
  deviceTime,
  initCore,
  receiveCommand,
  type CommandHandler,
  type CommandTable,
  type DeviceCore,
  type DeviceInit,
} from '../devices/device.js';
import { answerRead, GAS_READS, type ReadRule } from '../devices/gsme-reads.js';
import {
  answerEach,
  CLUSTER,
  commandComponents,
  rawFields,
  responseDateTime,
  soleClusterCommand,
  ZCL_STATUS,
} from '../devices/zcl.js';
import { utcMsOfZigbeeTime } from '../devices/outbound.js';
import { unchanged, type ActorStep, type GasMirror } from '../devices/types.js';
import { applyTapOff, EMPTY_TAP_OFF, type TapOffState } from './gpf-tap-off.js';
import { peekRouting } from './routing.js';

export { isTapOffMessage, TAP_OFF_CODES } from './gpf-tap-off.js';

export interface GpfState extends DeviceCore {
  readonly kind: 'GPF';
  /** The GSME this GPF mirrors; null until one is associated. */
  readonly gsme: Eui64 | null;
  /** What the GSME last reported; null until its first wake-up. */
  readonly mirror: GasMirror | null;
  /** GPF clock (UTC ms) of the last mirror update. */
  readonly mirrorUpdatedAtMs: number | null;
  /** Change of tenancy date set by GCS09 (UTC ms), if any. */
  readonly changeOfTenancyMs: number | null;
  readonly tapOff: TapOffState;
}

export const GPF_CODES = { GCS09: 0x0072 } as const;

/**
 * Reads the GPF serves from its mirror: GCS13c, GCS14, GCS60a as RTDS sends them to the GPF [O]; GCS13a, as the
 * templates GCS13a_4.1.1_SUCCESS_RELIABLE_GSME / _RELIABLE_GPF address it to the GPF (00-DB-…-A3) like GCS13c's
 * [O], its response shaped as GCS13c's [A]; GCS33, GCS38 [A]. Addressed to the GSME, each waits for its wake-up.
 */
export const GPF_READ_CODES: readonly number[] = [0x0074, 0x00b6, 0x0075, 0x012a, 0x0082, 0x0084];

/**
 * DLMS clock status of a mirror read: 0x04 with the GSME's timestamp of the data, as RTDS "RELIABLE_GSME" answers
 * from the GPF [O]; reading 0x04 as "the GSME's clock, not the GPF's" (SECMP0015) is [A].
 */
const MIRROR_CLOCK_STATUS = 0x04;

/**
 * A gas read answered from the mirror, with the GSME's timestamp in the header; before the GSME's first report
 * each component is answered FAILURE (as RTDS GCS14 ERROR answers a component it cannot serve) [A].
 */
function readFromMirror(rule: ReadRule): CommandHandler<GpfState> {
  return (state, command, _now, env) => {
    const components = commandComponents(command) ?? [];
    if (components.length === 0)
      return {
        state,
        payload: null,
        effects: [{ kind: 'note', text: `GPF ${state.eui}: ${rule.useCase} without components` }],
      };
    if (state.mirror === null)
      return {
        state,
        payload: answerEach(command, ZCL_STATUS.failure),
        effects: [
          { kind: 'note', text: `GPF ${state.eui}: ${rule.useCase} before the GSME's first mirror update` },
        ],
      };
    const payload = answerRead(command, rule, state.mirror, state.eui, env)!;
    if (!rule.dateTime) return { state, payload };
    const dt = responseDateTime(state.mirror.gsmeTimeMs, MIRROR_CLOCK_STATUS);
    return { state, payload, responseDateTime: dt };
  };
}

/** Device Management (0x0708) Publish Change of Tenancy, server → client (ZSE D.10.2.4.1) [O: RTDS 3.2_GCS09]. */
const PUBLISH_CHANGE_OF_TENANCY = 0x00;
/** Offset of Implementation Date/Time in {Provider ID, Issuer Event ID, Tariff Type, Implementation Date/Time, …}. */
const COT_IMPLEMENTATION_AT = 9;

/** GCS09: the GPF records the change of tenancy date and answers a Default Response SUCCESS (RTDS 3.2_GCS09) [O]. */
const setChangeOfTenancy: CommandHandler<GpfState> = (state, command, now) => {
  const c = soleClusterCommand(command, CLUSTER.deviceManagement, PUBLISH_CHANGE_OF_TENANCY);
  if (c === undefined) return { state, payload: answerEach(command, ZCL_STATUS.unsupportedClusterCommand) };
  const at = rawFields(c)?.u32(COT_IMPLEMENTATION_AT);
  if (at === undefined) return { state, payload: answerEach(command, ZCL_STATUS.malformedCommand) };
  const changeOfTenancyMs = at === 0 ? deviceTime(state, now) : utcMsOfZigbeeTime(at);
  return {
    state: { ...state, changeOfTenancyMs },
    payload: answerEach(command, ZCL_STATUS.success),
  };
};

/** Every command the GPF answers: its device log joins [A], GCS09, and the mirror reads. */
export const GPF_COMMANDS: CommandTable<GpfState> = new Map<number, CommandHandler<GpfState>>([
  ...pickCommands(commonCommands<GpfState>(), ['CS03B', 'CS04B', 'CS07']),
  [GPF_CODES.GCS09, setChangeOfTenancy],
  ...GPF_READ_CODES.map((code): [number, CommandHandler<GpfState>] => [
    code,
    readFromMirror(GAS_READS.get(code)!),
  ]),
]);

export interface GpfInit extends DeviceInit {
  readonly gsme?: Eui64;
}

export function createGpf(init: GpfInit): GpfState {
  return {
    ...initCore('GPF', init),
    kind: 'GPF',
    // The GPF is part of the Communications Hub: on the SMHAN from power-up [A].
    hanJoined: true,
    gsme: init.gsme ?? null,
    mirror: null,
    mirrorUpdatedAtMs: null,
    changeOfTenancyMs: null,
    tapOff: EMPTY_TAP_OFF,
  };
}

export const stepGpf: ActorStep<GpfState> = (state, input, now, env) => {
  if (input.type !== 'han') return unchanged(state);
  const { from, frame } = input;
  if (frame.type === 'mirror-update') {
    if (state.gsme === null || from !== state.gsme)
      return unchanged(state, {
        kind: 'note',
        text: `GPF ${state.eui}: mirror update from ${from}, not its GSME, ignored`,
      });
    return {
      state: { ...state, mirror: frame.mirror, mirrorUpdatedAtMs: deviceTime(state, now) },
      effects: [],
    };
  }
  if (frame.type !== 'gbcs') return unchanged(state);
  if (from !== state.hub)
    return unchanged(state, {
      kind: 'note',
      text: `GPF ${state.eui}: a GBCS message from ${from}, not its CHF, ignored`,
    });
  const copy = tapOffCopy(state, frame.bytes);
  if (copy !== undefined) return applyTapOff(state, copy, now, env);
  return receiveCommand(state, frame.bytes, now, env, GPF_COMMANDS);
};

/**
 * The parsed command when the bytes are a command for the GPF's GSME (a tap-off copy), else undefined. The headers
 * alone decide (peekRouting), so a command for the GPF itself is parsed once, by receiveCommand; only a copy is
 * parsed here.
 */
function tapOffCopy(state: GpfState, bytes: Uint8Array): ParsedGbcs | undefined {
  if (state.gsme === null || isGbtBlock(bytes)) return undefined;
  const routing = peekRouting(bytes);
  if (routing?.cra !== 1 || routing.recipient !== state.gsme) return undefined;
  try {
    return parseGbcs(bytes);
  } catch {
    return undefined;
  }
}
