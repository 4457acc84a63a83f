// CS11 Clear ZigBee Device Event Log (SR 3.3; GBCS use case CS11, message code 0x0015, GBZ): one Events-cluster
// Clear Event Log Request (ZSE Events cluster 0x0709, client command 0x01, one octet whose low nibble is the Log ID)
// answered by a Clear Event Log Response (server command 0x02, ClearedEventsLogs: bit n set when log n was cleared)
// [C: ZSE Events cluster, as Wireshark's zbee-zcl-se and the ZigBee SDKs name the fields]. RTDS 4.5.0 has no CS11
// message, so the response layout is the ZSE one [A]. The device's event log is its GBCS General Event Log; the
// security log is never cleared remotely [A: GBCS keeps security records out of a User's reach].
import type { CommandHandler, CommandResult, DeviceCore } from './device.js';
import {
  answerEach,
  clusterResponseTo,
  gbzComponents,
  rawFields,
  soleClusterCommand,
  ZCL_STATUS,
} from './zcl.js';

export const CS11_CLEAR_EVENT_LOG = 0x0015;

const EVENTS_CLUSTER = 0x0709;
const CLEAR_EVENT_LOG_REQUEST = 0x01;
const CLEAR_EVENT_LOG_RESPONSE = 0x02;

/** ZSE Log IDs (low nibble of the request) the device's event log answers to: all logs, General, GBCS General. */
const ALL_LOGS = 0x0;
const GENERAL_EVENT_LOG = 0x3;
const GBCS_GENERAL_EVENT_LOG = 0x6;

/** Clears the event log for a request naming it (or all logs) and reports exactly the logs it cleared. */
export function clearEventLog<S extends DeviceCore>(): CommandHandler<S> {
  return (state, command): CommandResult<S> => {
    const request = soleClusterCommand(command, EVENTS_CLUSTER, CLEAR_EVENT_LOG_REQUEST);
    const logId = request === undefined ? undefined : rawFields(request)?.u8(0);
    if (request === undefined || logId === undefined)
      return { state, payload: answerEach(command, ZCL_STATUS.malformedCommand) };
    const log = logId & 0x0f;
    const cleared =
      log === ALL_LOGS || log === GBCS_GENERAL_EVENT_LOG
        ? 1 << GBCS_GENERAL_EVENT_LOG
        : log === GENERAL_EVENT_LOG
          ? 1 << GENERAL_EVENT_LOG
          : 0;
    const response = clusterResponseTo(
      request,
      CLEAR_EVENT_LOG_RESPONSE,
      { kind: 'raw', bytes: Uint8Array.of(cleared) },
      true,
    );
    return {
      state: cleared === 0 ? state : { ...state, eventLog: [] },
      payload: gbzComponents([response]),
    };
  };
}
