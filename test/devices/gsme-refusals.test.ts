// Commands the GSME refuses, delivered through its mailbox at a wake-up: tampered, replayed, addressed to another
// device, badly signed, or from a party without authority. Each raises its security alert (signed, to the hub) and
// changes nothing but the security log and the alert counter; no response is sent.
import { describe, expect, it } from 'vitest';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import type { GsmeState } from '../../src/devices/gsme.js';
import {
  alertsSent,
  atFirstWake,
  closeValve,
  deliverAtWake,
  ESME,
  NETWORK_OPERATOR,
  readSupplyStatus,
  sentToHub,
} from '../support/gas-commands.js';
import { withoutRefusalFields } from '../support/refusal.js';

function expectRefused(
  before: GsmeState,
  after: { state: GsmeState; effects: Parameters<typeof sentToHub>[0] },
  alertCode: number,
) {
  expect(withoutRefusalFields(after.state)).toEqual(withoutRefusalFields(before));
  expect(after.state.securityLog.map((e) => e.code)).toEqual([
    ...before.securityLog.map((e) => e.code),
    alertCode,
  ]);
  expect(after.state.alertCounter).toBe(before.alertCounter + 1n);
  const sent = sentToHub(after.effects);
  expect(sent.map((m) => m.header.cra)).toEqual([3]);
  const [alert] = alertsSent(after.effects);
  expect(alert!.alertCode).toBe(alertCode);
  expect(alert!.verification.signature).toBe('valid');
  expect(alert!.message.header).toMatchObject({
    messageCode: 0x1000,
    originator: before.eui,
    originatorCounter: before.alertCounter,
  });
}

/** The command taken from the mailbox at a joined GSME's first wake-up is refused with `alertCode`. */
function expectRefusedAtFirstWake(bytes: Uint8Array, alertCode: number) {
  const session = atFirstWake(bytes);
  expectRefused(session.before, session, alertCode);
}

describe('GSME refusals', () => {
  it('refuses a tampered command (MAC fails): 0x8F1E', () => {
    const bytes = readSupplyStatus(5n);
    const { spans } = parseGbcs(bytes);
    bytes[spans.contentEnd - 1]! ^= 0x01;
    expectRefusedAtFirstWake(bytes, 0x8f1e);
  });

  it('refuses a replayed command of a replay-protected use case: 0x8F53, the valve stays as the first left it', () => {
    const command = closeValve(1000n);
    const first = atFirstWake(command);
    expect(first.state.valve).toBe('closed');
    const opened = { ...first.state, valve: 'open' as const };
    expectRefused(opened, deliverAtWake(opened, first.wakeAt, command), 0x8f53);
  });

  it('refuses a command addressed to another device: 0x8F3E', () => {
    expectRefusedAtFirstWake(readSupplyStatus(5n, { recipient: ESME }), 0x8f3e);
  });

  it("refuses a critical command whose signature is not its originator's: 0x8F3D", () => {
    expectRefusedAtFirstWake(closeValve(1000n, { signWith: NETWORK_OPERATOR }), 0x8f3d);
  });

  it('refuses a critical command without a signature: 0x8F3D', () => {
    expectRefusedAtFirstWake(closeValve(1000n, { signWith: null }), 0x8f3d);
  });

  it('refuses a command from a party without authority for it (the network operator closing the valve): 0x8F30', () => {
    expectRefusedAtFirstWake(closeValve(1000n, { originator: NETWORK_OPERATOR }), 0x8f30);
  });
});
