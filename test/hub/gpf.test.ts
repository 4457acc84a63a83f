// The GPF inside the Communications Hub: reads answered from its mirror of the GSME while the GSME sleeps, the
// GSME's mirror updates, tap-off copies applied to the mirror, its own GCS09, refusals, and hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import type { GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { GSME_CODES } from '../../src/devices/gsme.js';
import type { Effect, GasMirror } from '../../src/devices/types.js';
import { EMPTY_LEDGER } from '../../src/prepayment/ledger.js';
import { createGpf, isTapOffMessage, stepGpf, type GpfState } from '../../src/hub/gpf.js';
import {
  ACB,
  alertsSent,
  CHF,
  closeValve,
  criticalCommand,
  dateTimeStatus,
  deviceInit,
  env,
  ESME,
  expectRtdsShape,
  framesTo,
  gasCommand,
  gbz,
  GPF,
  GSME,
  joinedGsme,
  NETWORK_OPERATOR,
  notes,
  prepaymentConfiguration,
  publishChangeOfTenancy,
  readAttributes,
  sentToHub,
  T0,
  theResponse,
  wake,
  zigbeeTime,
  zclPayloads,
} from '../support/gas-commands.js';
import { withoutRefusalFields } from '../support/refusal.js';

const fresh = () => createGpf({ ...deviceInit(GPF), gsme: GSME });

/** The mirror a GSME sends at its wake-up, and when. */
function gsmeMirror(): { mirror: GasMirror; at: number; gsmeAwake: boolean } {
  const { state, wakeAt } = joinedGsme({
    firmwareVersion: 0x0123abce,
    valve: 'armed',
    tiers: [1000, 2000, 3000, 4000],
    prepayment: {
      ledger: { ...EMPTY_LEDGER, meterBalance: 2_500_000, timeDebts: [5000, 5000], paymentDebt: 5000 },
      billToDate: 3_500_000,
    },
  });
  const woken = wake(state, wakeAt);
  const frame = framesTo(woken.effects, GPF)[0];
  if (frame?.type !== 'mirror-update') throw new Error('a waking GSME updates its GPF');
  return { mirror: frame.mirror, at: wakeAt, gsmeAwake: woken.state.awake };
}

function mirrored(): { state: GpfState; at: number; mirror: GasMirror } {
  const { mirror, at } = gsmeMirror();
  const updated = stepGpf(
    fresh(),
    { type: 'han', from: GSME, frame: { type: 'mirror-update', mirror } },
    at + 20,
    env,
  );
  return { state: updated.state, at, mirror };
}

function fromChf(state: GpfState, bytes: Uint8Array, at: number) {
  return stepGpf(state, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, at, env);
}

/** The RTDS payload shape, and the RTDS header clock status. */
function compareWithRtds(ours: GbcsMessage, folder: string, file: string): void {
  const rtds = expectRtdsShape(ours, folder, file);
  if (rtds !== undefined) expect(dateTimeStatus(ours)).toBe(dateTimeStatus(rtds));
}

const toGpf = (messageCode: number, payload: GbcsPayload, counter = 1001n) =>
  gasCommand({ messageCode, payload, counter, recipient: GPF });

describe('GPF reads from the mirror', () => {
  it('answers a meter balance read (GCS60a) at once, while the GSME sleeps, with the GSME timestamp (RTDS RELIABLE_GSME)', () => {
    const { state, at, mirror } = mirrored();
    const command = toGpf(
      0x012a,
      gbz([readAttributes(0x0702, [0x0a00], 0), readAttributes(0x0705, [0x0001], 1)]),
    );
    const answered = fromChf(state, command, at + 60 * 60_000);
    const response = theResponse(answered.effects);
    expect(response.verification.mac).toBe('valid');
    expect(response.message.header).toMatchObject({ cra: 2, originator: GPF, originatorCounter: 1001n });
    compareWithRtds(response.message, '4.18_GCS60a', 'GCS60a_4.18_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX');
    const dt = response.message.header.dateTime!;
    expect(Date.UTC((dt[0]! << 8) | dt[1]!, dt[2]! - 1, dt[3]!, dt[5]!, dt[6]!, dt[7]!)).toBe(
      Math.floor(mirror.gsmeTimeMs / 1000) * 1000,
    );
    const p = response.message.payload;
    expect(zclPayloads(p)).toEqual([
      {
        kind: 'read-attributes-response',
        records: [
          { attributeId: 0x0a00, status: 0, value: { kind: 'number', type: 0x23, value: 3_500_000 } },
        ],
      },
      {
        kind: 'read-attributes-response',
        records: [
          { attributeId: 0x0001, status: 0, value: { kind: 'number', type: 0x2b, value: 2_500_000 } },
        ],
      },
    ]);
    expect(answered.state).toEqual(state);
  });

  it.each([
    {
      read: 'the TOU registers (GCS13c), encrypted for the supplier',
      code: 0x00b6,
      payload: gbz([readAttributes(0x0702, [0x0302, 0x0301, 0x0300, 0x0100, 0x0102, 0x0104, 0x0106])]),
      folder: '4.1.2_GCS13c',
      file: 'GCS13c_4.1.2_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX',
    },
    {
      read: 'the prepayment registers (GCS14), the prepayment part encrypted',
      code: 0x0075,
      payload: gbz([
        readAttributes(0x0700, [0x0617, 0x0616], 0),
        readAttributes(0x0705, [0x0005, 0x0002, 0x0001, 0x0231, 0x0211, 0x0221], 1),
      ]),
      folder: '4.3_GCS14',
      file: 'GCS14_4.3_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX',
    },
  ])('answers a read of $read, in the RTDS shape', ({ code, payload, folder, file }) => {
    const { state, at } = mirrored();
    const response = theResponse(fromChf(state, toGpf(code, payload), at + 1000).effects);
    compareWithRtds(response.message, folder, file);
  });

  it('answers supply status (GCS33) and firmware version (GCS38) from the mirror', () => {
    const { state, at } = mirrored();
    const supply = theResponse(
      fromChf(state, toGpf(GSME_CODES.GCS33, gbz([readAttributes(0x0702, [0x0205, 0x0014])])), at).effects,
    );
    compareWithRtds(supply.message, '7.4_GCS33', 'GCS33_7.4_SUCCESS_RESPONSE_GBCS.HEX');
    const p = supply.message.payload;
    expect(zclPayloads(p)[0]).toMatchObject({
      records: [{ attributeId: 0x0205 }, { attributeId: 0x0014, value: { value: 0x01 } }],
    });
    const fw = theResponse(
      fromChf(state, toGpf(GSME_CODES.GCS38, gbz([readAttributes(0x0019, [0x0002])]), 1002n), at).effects,
    );
    const q = fw.message.payload;
    expect(zclPayloads(q)[0]).toMatchObject({
      records: [{ attributeId: 0x0002, status: 0, value: { type: 0x23, value: 0x0123abce } }],
    });
  });

  it('answers FAILURE for each component before the GSME has ever reported', () => {
    const state = fresh();
    const command = toGpf(
      0x012a,
      gbz([readAttributes(0x0702, [0x0a00], 0), readAttributes(0x0705, [0x0001], 1)]),
    );
    const p = theResponse(fromChf(state, command, T0).effects).message.payload;
    expect(zclPayloads(p)).toEqual([
      { kind: 'default-response', commandId: 0x00, status: 0x01 },
      { kind: 'default-response', commandId: 0x00, status: 0x01 },
    ]);
  });
});

describe('GPF mirror updates', () => {
  it('a mirror update from its GSME refreshes the mirror; a later one replaces it', () => {
    const { state, mirror } = mirrored();
    expect(state.mirror).toEqual(mirror);
    const later = {
      ...mirror,
      gsmeTimeMs: mirror.gsmeTimeMs + 1_800_000,
      valve: 'closed' as const,
      consumption: 42,
    };
    const next = stepGpf(
      state,
      { type: 'han', from: GSME, frame: { type: 'mirror-update', mirror: later } },
      T0 + 1_800_000,
      env,
    );
    expect(next.state.mirror).toEqual(later);
    expect(next.state.mirrorUpdatedAtMs).toBe(T0 + 1_800_000);
  });

  it('ignores a mirror update from another device', () => {
    const { mirror } = gsmeMirror();
    const state = fresh();
    const ignored = stepGpf(
      state,
      { type: 'han', from: ESME, frame: { type: 'mirror-update', mirror } },
      T0,
      env,
    );
    expect(ignored.state).toBe(state);
    expect(notes(ignored.effects)).toHaveLength(1);
  });
});

describe('GPF tap-off copies', () => {
  it('names the tap-off messages for the CHF', () => {
    expect([0x006b, 0x00a3, 0x006f, 0x0071, 0x0015, 0x007c, 0x007e, 0x0088].every(isTapOffMessage)).toBe(
      true,
    );
    expect(isTapOffMessage(GSME_CODES.GCS32)).toBe(false);
    expect(isTapOffMessage(0x012a)).toBe(false);
  });

  const configuration = prepaymentConfiguration({
    at: 0,
    ecLimit: 1,
    ecThreshold: 1,
    debtCap: 1,
    lowCredit: 1,
    maxCredit: 1,
    maxPerTopUp: 1,
    calendarId: 7,
  });
  const gcs05 = (counter: bigint) =>
    criticalCommand({ messageCode: 0x006f, payload: configuration, counter });

  it('applies a copy of a GSME tap-off command to the mirror, without a response', () => {
    const state = fresh();
    const applied = fromChf(state, gcs05(1000n), T0 + 5000);
    expect(applied.state.tapOff.applied['GCS05']).toEqual({ counter: 1000n, atMs: T0 + 5000 });
    expect(sentToHub(applied.effects)).toEqual([]);
    expect(applied.state.securityLog).toEqual([]);
  });

  it('applies each copy once: the same counter again is ignored', () => {
    const once = fromChf(fresh(), gcs05(1000n), T0).state;
    const again = fromChf(once, gcs05(1000n), T0 + 1);
    expect(again.state).toBe(once);
  });

  it('ignores a copy that is not a tap-off message, or a critical one whose signature fails', () => {
    const state = fresh();
    const valve = fromChf(state, closeValve(1000n), T0);
    expect(valve.state).toBe(state);
    expect(notes(valve.effects)[0]).toMatch(/not a tap-off/);
    const forged = gasCommand({
      messageCode: 0x006f,
      payload: configuration,
      counter: 1000n,
      signWith: NETWORK_OPERATOR,
    });
    expect(fromChf(state, forged, T0).state).toBe(state);
  });
});

describe('GPF commands and refusals', () => {
  it('GCS09 records the change of tenancy date and answers SUCCESS (RTDS 3.2 shape)', () => {
    const state = fresh();
    const at = Date.UTC(2025, 5, 1);
    const answered = fromChf(state, toGpf(0x0072, publishChangeOfTenancy(zigbeeTime(at)), 1000n), T0);
    const response = theResponse(answered.effects);
    expect(response.verification.mac).toBe('valid');
    compareWithRtds(response.message, '3.2_GCS09', 'GCS09_3.2_SUCCESS_RESPONSE_GBCS.HEX');
    expect(answered.state.changeOfTenancyMs).toBe(at);
  });

  it('refuses a tampered command with a signed 0x8F1E alert to the ACB, changing only its security log and alert counter', () => {
    const { state, at } = mirrored();
    const bytes = toGpf(0x012a, gbz([readAttributes(0x0702, [0x0a00])]));
    bytes[parseGbcs(bytes).spans.contentEnd - 1]! ^= 0x01;
    const refused = fromChf(state, bytes, at);
    const [alert] = alertsSent(refused.effects);
    expect(alert!.alertCode).toBe(0x8f1e);
    expect(alert!.message.header.recipient).toBe(ACB);
    expect(alert!.verification.signature).toBe('valid');
    expect(withoutRefusalFields(refused.state)).toEqual(withoutRefusalFields(state));
  });

  it('ignores GBCS bytes from anyone but its CHF', () => {
    const state = fresh();
    const ignored = stepGpf(
      state,
      {
        type: 'han',
        from: GSME,
        frame: { type: 'gbcs', bytes: toGpf(0x012a, gbz([readAttributes(0x0702, [0x0a00])])) },
      },
      T0,
      env,
    );
    expect(ignored.state).toBe(state);
  });

  it('random bytes from the CHF never throw and change only the security log and the alert counter', () => {
    const { state, at } = mirrored();
    let alerts = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const after = fromChf(state, bytes, at);
        expect(withoutRefusalFields(after.state)).toEqual(withoutRefusalFields(state));
        alerts += after.effects.filter((e: Effect) => e.kind === 'han').length;
      }),
      { numRuns: 300 },
    );
    expect(alerts).toBeGreaterThan(0);
  });
});
