// CS11 Clear ZigBee Device Event Log on the GBZ devices (GSME, PPMID, HCALCS): no RTDS message exists, so the
// request and response follow the ZSE Events cluster (Clear Event Log Request 0x01 → Response 0x02).
import { describe, expect, it } from 'vitest';
import { CS11_CLEAR_EVENT_LOG } from '../../src/devices/clear-event-log.js';
import { createPpmid, stepPpmid } from '../../src/devices/ppmid.js';
import {
  deliverAtWake,
  clusterCommand,
  gasCommand,
  gbz,
  joinedGsme,
  theResponse,
} from '../support/gas-commands.js';
import { ACB, CHF, PPMID, PARTIES, envWith, TEST_KEYS } from '../support/identities.js';

const EVENTS = 0x0709;
const request = (logId: number) => gbz([clusterCommand(EVENTS, 0x01, Uint8Array.of(logId), 7)]);
const EVENTS_BEFORE = [
  { atMs: 1, code: 0x8f49 },
  { atMs: 2, code: 0x8f4b },
];

function gsmeWithEvents() {
  const { state, wakeAt } = joinedGsme();
  return { state: { ...state, eventLog: EVENTS_BEFORE }, wakeAt };
}

/** The Clear Event Log Response component of a response: its command id and ClearedEventsLogs bitmap. */
function clearedLogs(message: ReturnType<typeof theResponse>['message']): {
  commandId: number;
  bitmap: number;
} {
  const p = message.payload;
  if (p.kind !== 'gbz' || p.gbz.kind !== 'components') throw new Error('expected GBZ components');
  const [c] = p.gbz.components;
  if (c === undefined || c.encrypted || c.payload.kind !== 'raw')
    throw new Error('expected one plain raw component');
  expect(c.clusterId).toBe(EVENTS);
  expect(c.header).toMatchObject({
    frameType: 'cluster-specific',
    direction: 'server-to-client',
    sequenceNumber: 7,
  });
  return { commandId: c.header.commandId, bitmap: c.payload.bytes[0]! };
}

describe('CS11 Clear ZigBee Device Event Log', () => {
  it('clears the GSME event log for the GBCS General Event Log and reports it cleared (bit 6), MACed', () => {
    const { state, wakeAt } = gsmeWithEvents();
    const session = deliverAtWake(
      state,
      wakeAt,
      gasCommand({ messageCode: CS11_CLEAR_EVENT_LOG, payload: request(6), counter: 9n }),
    );
    const response = theResponse(session.effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header).toMatchObject({ cra: 2, originatorCounter: 9n });
    expect(clearedLogs(response.message)).toEqual({ commandId: 0x02, bitmap: 0x40 });
    expect(session.state.eventLog).toEqual([]);
  });

  it('takes "all logs" (0) as the event log only: the security log is never cleared remotely', () => {
    const { state, wakeAt } = gsmeWithEvents();
    const withSecurity = { ...state, securityLog: [{ atMs: 3, code: 0x8f1e }] };
    const session = deliverAtWake(
      withSecurity,
      wakeAt,
      gasCommand({ messageCode: CS11_CLEAR_EVENT_LOG, payload: request(0), counter: 9n }),
    );
    expect(clearedLogs(theResponse(session.effects).message).bitmap).toBe(0x40);
    expect(session.state.eventLog).toEqual([]);
    expect(session.state.securityLog).toEqual(withSecurity.securityLog);
  });

  it('clears nothing and says so (bitmap 0) for the GBCS Security Event Log (7)', () => {
    const { state, wakeAt } = gsmeWithEvents();
    const session = deliverAtWake(
      state,
      wakeAt,
      gasCommand({ messageCode: CS11_CLEAR_EVENT_LOG, payload: request(7), counter: 9n }),
    );
    expect(clearedLogs(theResponse(session.effects).message).bitmap).toBe(0);
    expect(session.state.eventLog).toEqual(EVENTS_BEFORE);
  });

  it('answers a request without its Log ID with a Default Response MALFORMED_COMMAND, log unchanged', () => {
    const { state, wakeAt } = gsmeWithEvents();
    const payload = gbz([clusterCommand(EVENTS, 0x01, new Uint8Array(0), 7)]);
    const session = deliverAtWake(
      state,
      wakeAt,
      gasCommand({ messageCode: CS11_CLEAR_EVENT_LOG, payload, counter: 9n }),
    );
    const p = theResponse(session.effects).message.payload;
    expect(p.kind === 'gbz' && p.gbz.kind === 'components' && p.gbz.components[0]).toMatchObject({
      payload: { kind: 'default-response', commandId: 0x01, status: 0x80 },
    });
    expect(session.state.eventLog).toEqual(EVENTS_BEFORE);
  });

  it('clears a PPMID event log on the ACB’s command', () => {
    const env = envWith(TEST_KEYS);
    let ppmid = createPpmid({ eui: PPMID, hub: CHF, parties: PARTIES, installCode: '00'.repeat(16) });
    ppmid = { ...ppmid, hanJoined: true, eventLog: EVENTS_BEFORE };
    const bytes = gasCommand({
      messageCode: CS11_CLEAR_EVENT_LOG,
      payload: request(6),
      counter: 9n,
      originator: ACB,
      recipient: PPMID,
    });
    const step = stepPpmid(ppmid, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, 0, env);
    expect(step.state.eventLog).toEqual([]);
    expect(clearedLogs(theResponse(step.effects).message).bitmap).toBe(0x40);
  });
});
