// The GPF parses each message it is handed once: the headers alone (peekRouting) tell a tap-off copy of a GSME
// command from a command for the GPF itself, so neither is parsed twice.
import { describe, expect, it, vi } from 'vitest';
import type * as Frame from '../../src/codec/gbcs/frame.js';
import { createGpf, stepGpf } from '../../src/hub/gpf.js';
import {
  CHF,
  criticalCommand,
  deviceInit,
  env,
  gasCommand,
  GPF,
  GSME,
  prepaymentConfiguration,
  publishChangeOfTenancy,
  sentToHub,
  T0,
  zigbeeTime,
} from '../support/gas-commands.js';

const parses = vi.hoisted(() => ({ count: 0 }));

vi.mock('../../src/codec/gbcs/frame.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Frame>();
  return {
    ...actual,
    parseGbcs: (...args: Parameters<typeof actual.parseGbcs>) => {
      parses.count++;
      return actual.parseGbcs(...args);
    },
  };
});

const fresh = () => createGpf({ ...deviceInit(GPF), gsme: GSME });

function parsesOf(bytes: Uint8Array) {
  parses.count = 0;
  const step = stepGpf(fresh(), { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, T0, env);
  return { step, count: parses.count };
}

describe('GPF message parsing', () => {
  it('parses a command for the GPF itself once (GCS09), and answers it', () => {
    const bytes = gasCommand({
      messageCode: 0x0072,
      payload: publishChangeOfTenancy(zigbeeTime(Date.UTC(2025, 5, 1))),
      counter: 1000n,
      recipient: GPF,
    });
    const { step, count } = parsesOf(bytes);
    expect(count).toBe(1);
    expect(sentToHub(step.effects)).toHaveLength(1);
  });

  it('parses a tap-off copy of a GSME command once (GCS05), and applies it', () => {
    const payload = prepaymentConfiguration({
      at: 0,
      ecLimit: 1,
      ecThreshold: 1,
      debtCap: 1,
      lowCredit: 1,
      maxCredit: 1,
      maxPerTopUp: 1,
      calendarId: 7,
    });
    const { step, count } = parsesOf(criticalCommand({ messageCode: 0x006f, payload, counter: 1000n }));
    expect(count).toBe(1);
    expect(step.state.tapOff.applied['GCS05']?.counter).toBe(1000n);
  });
});
