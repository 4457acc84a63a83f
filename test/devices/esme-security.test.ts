// Refusals through the ESME (GBCS 4.3 checks in src/devices/security.ts): each refused command produces the signed
// security alert and a security-log entry, no response, and leaves everything else in the state as it was.
import { describe, expect, it } from 'vitest';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { ESME_USE_CASES, type EsmeState } from '../../src/devices/esme.js';
import type { Step } from '../../src/devices/types.js';
import {
  alertsIn,
  deliver,
  fleetEnv,
  GSME,
  joinedEsme,
  NETWORK_OPERATOR,
  NOW,
  sealCommand,
  send,
  sentToHub,
  typed,
  withoutSecurityEffects,
} from '../support/esme-commands.js';

const env = fleetEnv();
const enable = { messageCode: ESME_USE_CASES.ECS42, counter: 100n, request: typed.ecs42() };

/** The refusal outcome: one signed, valid alert with `code`, no response, the reason in the trace. */
function expectRefused(before: EsmeState, step: Step<EsmeState>, code: number, reason: string): void {
  expect(alertsIn(step, env)).toEqual([{ code, signed: true, valid: true }]);
  expect(sentToHub(step.effects)).toHaveLength(1);
  expect(step.effects.some((e) => e.kind === 'note' && e.text.includes(`(${reason})`))).toBe(true);
  expect(withoutSecurityEffects(step.state)).toEqual(withoutSecurityEffects(before));
  expect(step.state.securityLog).toEqual([...before.securityLog, { atMs: NOW, code }]);
  expect(step.state.alertCounter).toBe(before.alertCounter + 1n);
}

describe('ESME refusals', () => {
  const disabled = joinedEsme({ supply: 'disabled' });

  it('refuses a command whose MAC was tampered with (0x8F1E, mac-invalid)', () => {
    const bytes = sealCommand(env, enable);
    bytes[bytes.length - 1]! ^= 0x01;
    expectRefused(disabled, deliver(disabled, bytes, env), 0x8f1e, 'mac-invalid');
  });

  it('refuses a command whose payload was tampered with under its MAC (0x8F1E, mac-invalid)', () => {
    const spec = { messageCode: ESME_USE_CASES.ECS52, counter: 7n, request: typed.ecs52() };
    const bytes = sealCommand(env, spec);
    const { spans } = parseGbcs(bytes);
    bytes[spans.contentStart + 12]! ^= 0x01; // a byte of the OBIS code: still decodes
    expectRefused(disabled, deliver(disabled, bytes, env), 0x8f1e, 'mac-invalid');
  });

  it('refuses a replayed counter on a replay-protected use case (0x8F53)', () => {
    const bytes = sealCommand(env, enable);
    const first = deliver(disabled, bytes, env);
    expect(first.state.supply).toBe('enabled');
    const off = { ...first.state, supply: 'disabled' as const };
    expectRefused(off, deliver(off, bytes, env), 0x8f53, 'replayed');
  });

  it('refuses a lower counter from the same originator on a replay-protected use case (0x8F53)', () => {
    const first = send(disabled, env, enable).state;
    const off = { ...first, supply: 'disabled' as const };
    expectRefused(off, send(off, env, { ...enable, counter: 99n }), 0x8f53, 'replayed');
  });

  it('answers a repeated counter on a use case without replay protection (ECS52)', () => {
    const spec = { messageCode: ESME_USE_CASES.ECS52, counter: 7n, request: typed.ecs52() };
    const once = send(disabled, env, spec);
    const twice = send(once.state, env, spec);
    expect(alertsIn(twice, env)).toEqual([]);
    expect(sentToHub(twice.effects)).toHaveLength(1);
  });

  it('refuses a command addressed to another device (0x8F3E, not-for-me)', () => {
    expectRefused(disabled, send(disabled, env, { ...enable, recipient: GSME }), 0x8f3e, 'not-for-me');
  });

  it('refuses a critical command signed with another key (0x8F3D, signature-invalid)', () => {
    const step = send(disabled, env, { ...enable, signer: NETWORK_OPERATOR });
    expectRefused(disabled, step, 0x8f3d, 'signature-invalid');
  });

  it('refuses a critical command without its signature (0x8F3D, signature-invalid)', () => {
    expectRefused(disabled, send(disabled, env, { ...enable, signer: null }), 0x8f3d, 'signature-invalid');
  });

  it('refuses a supplier-only critical command from the network operator (0x8F30, no-authority)', () => {
    const step = send(disabled, env, { ...enable, originator: NETWORK_OPERATOR });
    expectRefused(disabled, step, 0x8f30, 'no-authority');
  });

  it('keeps refusing after a refusal: the security log grows, the alert counter advances', () => {
    const bad = sealCommand(env, { ...enable, recipient: GSME });
    const once = deliver(disabled, bad, env);
    const twice = deliver(once.state, bad, env);
    expect(twice.state.securityLog).toHaveLength(2);
    expect(twice.state.alertCounter).toBe(3n);
  });
});
