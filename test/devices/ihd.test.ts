// The IHD, a Type 2 device: it joins the SMHAN and retries when refused, and takes no Remote Party command at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOIN_RETRY_TIMER, DEFAULT_JOIN_RETRY_MS } from '../../src/devices/device.js';
import { createIhd, IHD_COMMANDS, stepIhd, type IhdState } from '../../src/devices/ihd.js';
import {
  ACB,
  drivenByHub,
  ENV,
  firmwareVersionRead,
  fromHub,
  hanDeviceInit,
  hostileBytes,
  HUB,
  IHD,
  NOW,
  plain,
  SUPPLIER,
} from '../support/han-commands.js';

function ihd(): IhdState {
  return createIhd({ ...hanDeviceInit(IHD), firmwareVersion: 0x0200 });
}

const { deliver } = drivenByHub(stepIhd);

describe('IHD', () => {
  it('starts compact with logs, firmware version and clock, off the SMHAN', () => {
    const state = ihd();
    expect(state).toMatchObject({
      kind: 'IHD',
      firmwareVersion: 0x0200,
      clockOffsetMs: 0,
      eventLog: [],
      hanJoined: false,
    });
    expect(plain(state).length).toBeLessThan(1024);
  });

  it('asks to join at power-on, retries on its timer after a refusal, and is joined once accepted', () => {
    const on = stepIhd(ihd(), { type: 'power', on: true }, NOW, ENV);
    expect(on.effects).toContainEqual(
      expect.objectContaining({
        kind: 'han',
        to: HUB,
        frame: expect.objectContaining({ type: 'join-request' }),
      }),
    );
    const refused = stepIhd(
      on.state,
      fromHub({ type: 'join-response', outcome: 'joining-disabled' }),
      NOW,
      ENV,
    );
    expect(refused.state.hanJoined).toBe(false);
    const retry = stepIhd(
      refused.state,
      { type: 'timer', timer: { name: JOIN_RETRY_TIMER } },
      NOW + DEFAULT_JOIN_RETRY_MS,
      ENV,
    );
    expect(retry.effects).toContainEqual(expect.objectContaining({ kind: 'han', to: HUB }));
    const joined = stepIhd(retry.state, fromHub({ type: 'join-response', outcome: 'success' }), NOW, ENV);
    expect(joined.state.hanJoined).toBe(true);
  });

  it('takes no Remote Party command: a well-formed CS08 changes nothing and is not answered', () => {
    const state = { ...ihd(), hanJoined: true };
    expect(IHD_COMMANDS.size).toBe(0);
    const step = deliver(state, firmwareVersionRead(ACB, IHD, 1n, { user: SUPPLIER, counter: 1n }));
    expect(step.state).toBe(state);
    expect(step.effects.every((e) => e.kind === 'note')).toBe(true);
  });

  it('random or tampered bytes never throw and change nothing', () => {
    const state = { ...ihd(), hanJoined: true };
    fc.assert(
      fc.property(hostileBytes(firmwareVersionRead(ACB, IHD, 2n)), (bytes) => {
        expect(deliver(state, bytes).state).toBe(state);
      }),
    );
  });
});
