// Properties of the GSME under hostile input: random bytes or a valid command with bytes flipped, through the
// mailbox or straight at the radio, awake or asleep, never make stepGsme throw and change nothing but the security
// log and the alert counter. Also the size of a steady-state GSME.
import { bytesEqual } from '../../src/codec/bytes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepGsme, type GsmeState } from '../../src/devices/gsme.js';
import { CHF, closeValve, env, joinedGsme, wake } from '../support/gas-commands.js';
import { withoutRefusalFields } from '../support/refusal.js';

const { state: asleep, wakeAt } = joinedGsme();
const awake = wake(asleep, wakeAt).state;
const valid = closeValve(1000n);

function deliver(state: GsmeState, bytes: Uint8Array, viaMailbox: boolean) {
  return stepGsme(
    state,
    {
      type: 'han',
      from: CHF,
      frame: viaMailbox ? { type: 'gsme-mailbox', remaining: 1, bytes } : { type: 'gbcs', bytes },
    },
    wakeAt + 50,
    env,
  );
}

describe('GSME under hostile input', () => {
  it('random bytes never throw and change only the security log and the alert counter', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, isAwake, viaMailbox) => {
          const before = isAwake ? awake : asleep;
          const after = deliver(before, bytes, viaMailbox).state;
          expect(withoutRefusalFields(after)).toEqual(withoutRefusalFields(before));
          if (after.securityLog.length > before.securityLog.length) refused++;
          // Only the mailbox of an awake GSME reaches the checks: the radio is off, and GBCS arrives via the mailbox.
          if (!(isAwake && viaMailbox)) expect(after).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
    expect(refused).toBeGreaterThan(0);
  });

  it('a valid command with bytes flipped never throws and changes only the security log and the alert counter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (flips) => {
          const bytes = valid.slice();
          for (const [at, mask] of flips) bytes[at % bytes.length]! ^= mask;
          fc.pre(!bytesEqual(bytes, valid)); // two flips of one byte can cancel out: that is the genuine command
          const after = deliver(awake, bytes, true).state;
          expect(withoutRefusalFields(after)).toEqual(withoutRefusalFields(awake));
          expect(after.valve).toBe('open');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a steady-state GSME compact (≤ 2 KB as JSON, empty logs; prepayment ledger and supply-loss account included)', () => {
    const json = JSON.stringify(awake, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    console.info(`steady-state GSME: ${json.length} bytes as JSON`);
    expect(json.length).toBeLessThanOrEqual(2048);
  });
});
