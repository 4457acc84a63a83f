// The CHF state is plain, compact data: it survives structuredClone, and a CH with five joined devices serialises
// to under 2 KB (a million premises in 8 GB).
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import type { ChfState } from '../../src/hub/chf.js';
import { createChf } from '../../src/hub/chf.js';
import {
  ccs01,
  env,
  ESME,
  GPF,
  han,
  INSTALL_CODE,
  joinRequest,
  newChf,
  poweredChf,
  step,
  T0,
  TRUSTED_ISSUER,
  wan,
} from '../support/chf-commands.js';

function fiveDevices(): ChfState {
  let s = poweredChf(env);
  for (let i = 0; i < 5; i++) {
    const device: Eui64 = eui64(`00DB12345678A0${i.toString(16).padStart(2, '0')}`);
    s = step(
      s,
      wan(ccs01(env, { counter: BigInt(i + 1), device, installCode: INSTALL_CODE[ESME] })),
      T0,
      env,
    ).state;
    s = step(s, han(device, joinRequest(device, INSTALL_CODE[ESME])), T0 + 1000, env).state;
  }
  return s;
}

describe('CHF state', () => {
  it('starts unpowered with empty logs, the GPF EUI as Extended PAN ID and a 16-entry Device Log', () => {
    const s = newChf();
    expect(s).toMatchObject({
      kind: 'CHF',
      powered: false,
      interPanOpen: false,
      deviceLog: [],
      historicLog: [],
      deviceLogCapacity: 16,
      extendedPanId: GPF,
      trustedCertificateIssuer: TRUSTED_ISSUER,
    });
  });

  it('refuses a negative Device Log capacity', () => {
    expect(() =>
      createChf({
        eui: ESME,
        hub: ESME,
        parties: { acb: ESME },
        installCode: '',
        gpf: GPF,
        trustedCertificateIssuer: TRUSTED_ISSUER,
        deviceLogCapacity: -1,
      }),
    ).toThrow(RangeError);
  });

  it('survives structuredClone unchanged', () => {
    const s = fiveDevices();
    expect(structuredClone(s)).toEqual(s);
  });

  it('serialises to at most 2 KB with five joined devices', () => {
    const s = fiveDevices();
    expect(s.deviceLog.every((e) => e.joined)).toBe(true);
    const size = serialize(s).length;
    expect(size).toBeLessThanOrEqual(2048);
  });
});
