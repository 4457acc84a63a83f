// Commands the CHF refuses (src/devices/security.ts checks): each raises its security alert to the ACB, logs it,
// and changes nothing but the security log and the alert counter.
import { describe, expect, it } from 'vitest';
import type { Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { addDeviceCommand } from '../../src/codec/gbcs/use-cases/chf-device-log.js';
import { sealGbcs } from '../../src/crypto/message-protection.js';
import type { ChfState } from '../../src/hub/chf.js';
import {
  ACB,
  ccs01,
  CHF,
  env,
  ESME,
  hanOut,
  INSTALL_CODE,
  notes,
  poweredChf,
  readWan,
  step,
  SUPPLIER,
  T0,
  wan,
  wanOut,
} from '../support/chf-commands.js';

/** Runs `command` into `before` and checks it was refused with `alertCode`, nothing else changing. */
function expectRefused(before: ChfState, command: Uint8Array, alertCode: number, reason: string): void {
  const out = step(before, wan(command), T0 + 1000, env);
  const sent = wanOut(out.effects);
  expect(sent).toHaveLength(1);
  const alert = readWan(sent[0]!, env);
  expect(alert.parsed.message.header).toMatchObject({
    cra: 3,
    originator: CHF,
    recipient: ACB,
    messageCode: 0x1000,
  });
  expect(alert.signature).toBe('valid');
  const { payload } = alert.parsed.message;
  const body =
    payload.kind === 'dlms' && payload.dlms.type === 'data-notification'
      ? payload.dlms.notificationBody
      : null;
  expect(body?.type === 'structure' && body.value[0]).toEqual({ type: 'long-unsigned', value: alertCode });
  expect(hanOut(out.effects)).toEqual([]);
  expect(notes(out.effects).join()).toContain(reason);
  expect(out.state.securityLog.at(-1)).toEqual({ atMs: T0 + 1000, code: alertCode });
  expect(out.state.alertCounter).toBe(before.alertCounter + 1n);
  expect({ ...out.state, securityLog: before.securityLog, alertCounter: before.alertCounter }).toEqual(
    before,
  );
}

describe('refused commands to the CHF', () => {
  it('refuses a tampered CCS01 (one MAC bit flipped) with 0x8F1E', () => {
    const command = ccs01(env, { counter: 10n, device: ESME });
    command[command.length - 1]! ^= 0x01;
    expectRefused(poweredChf(env), command, 0x8f1e, 'mac-invalid');
  });

  it('refuses a tampered CCS01 (device EUI changed in the payload) with 0x8F1E', () => {
    const command = ccs01(env, { counter: 10n, device: ESME });
    const at = Buffer.from(command).indexOf(Buffer.from(ESME, 'hex'));
    command[at + 7]! ^= 0xff;
    expectRefused(poweredChf(env), command, 0x8f1e, 'mac-invalid');
  });

  it('refuses a replayed CCS01 with 0x8F53 and leaves the Device Log as the first one made it', () => {
    const command = ccs01(env, { counter: 10n, device: ESME });
    const first = step(poweredChf(env), wan(command), T0, env).state;
    expect(first.deviceLog).toHaveLength(1);
    expectRefused(first, command, 0x8f53, 'replayed');
  });

  it('refuses a CCS01 with a lower counter than one accepted before', () => {
    const first = step(poweredChf(env), wan(ccs01(env, { counter: 10n, device: ESME })), T0, env).state;
    expectRefused(
      first,
      ccs01(env, { counter: 9n, device: '00DB1234567890B9' as Eui64, installCode: INSTALL_CODE[ESME] }),
      0x8f53,
      'replayed',
    );
  });

  it('refuses a CCS01 addressed to another CHF with 0x8F3E', () => {
    const other = '00DB1234567890C2' as Eui64;
    expectRefused(
      poweredChf(env),
      ccs01(env, { counter: 10n, device: ESME, recipient: other }),
      0x8f3e,
      'not-for-me',
    );
  });

  it('refuses a CCS01 originated by the supplier instead of the ACB with 0x8F30', () => {
    const message = addDeviceCommand({
      acb: SUPPLIER,
      acbCounter: 10n,
      chf: CHF,
      user: SUPPLIER,
      userCounter: 10n,
      device: ESME,
      installCode: Buffer.from(INSTALL_CODE[ESME]!, 'hex'),
      joinTimeoutSeconds: 90,
    });
    expectRefused(poweredChf(env), sealGbcs(message, env.protection), 0x8f30, 'no-authority');
  });

  it('refuses unparseable bytes as a malformed command with 0x8F1E', () => {
    expectRefused(poweredChf(env), Uint8Array.of(0xdf, 0x09, 0x01), 0x8f1e, 'malformed');
  });

  it('still accepts the next genuine command after a refusal', () => {
    const refused = step(poweredChf(env), wan(Uint8Array.of(0x00)), T0, env).state;
    const out = step(refused, wan(ccs01(env, { counter: 11n, device: ESME })), T0, env);
    expect(parseGbcs(wanOut(out.effects)[0]!).message.header.cra).toBe(2);
    expect(out.state.deviceLog).toHaveLength(1);
  });
});
