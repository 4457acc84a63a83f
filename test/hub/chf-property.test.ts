// Properties of the CHF under arbitrary input: random WAN bytes (plain, GBT-looking, GBCS-looking), mutated genuine
// commands and random HAN bytes never throw; mutated commands never change the Device Log.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChfState } from '../../src/hub/chf.js';
import {
  ccs01,
  chfAdded,
  env,
  ESME,
  han,
  INSTALL_CODE,
  joinRequest,
  poweredChf,
  step,
  T0,
  wan,
} from '../support/chf-commands.js';

const base = poweredChf(env);
const joined: ChfState = step(chfAdded(env), han(ESME, joinRequest(ESME)), T0, env).state;

const prefixed = (prefix: number[]) =>
  fc.uint8Array({ maxLength: 200 }).map((tail) => Uint8Array.from([...prefix, ...tail]));

describe('CHF robustness', () => {
  it('never throws on random WAN bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          prefixed([0xdd, 0x09]),
          prefixed([0xdf, 0x09]),
          prefixed([0xdd, 0, 0, 0, 0, 0, 0]),
        ),
        (bytes) => {
          expect(() => step(joined, wan(bytes), T0, env)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on a mutated genuine CCS01, and never changes the Device Log with it', () => {
    const genuine = ccs01(env, {
      counter: 50n,
      device: '00DB1234567890B1' as never,
      installCode: INSTALL_CODE[ESME],
    });
    fc.assert(
      fc.property(fc.nat(genuine.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bytes = genuine.slice();
        bytes[at]! ^= flip;
        const out = step(joined, wan(bytes), T0, env);
        expect(out.state.deviceLog).toEqual(joined.deviceLog);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random bytes from a joined device on the HAN', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 200 }), prefixed([0xdd, 0x09]), prefixed([0xdf, 0x09])),
        (bytes) => {
          expect(() => step(joined, han(ESME, { type: 'gbcs', bytes }), T0, env)).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on random join proofs, and only the right one joins', () => {
    const added = step(base, wan(ccs01(env, { counter: 1n, device: ESME })), T0, env).state;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (keyProof) => {
        const out = step(added, han(ESME, { type: 'join-request', keyProof }), T0, env);
        expect(out.state.deviceLog[0]!.joined).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
