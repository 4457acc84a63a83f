// UTRN top-ups reach a prepayment ESME by every route (issue 8 item 4), through the DCC over HTTP and in virtual
// time: SR 2.2 over the WAN (CV1), the same request as a local command (CV2) carried by an installer's HHT that
// joins over Inter-PAN, the consumer's keypad, and the PPMID paired with the meter (PECS01), with emergency credit
// (PECS02) and supply restoration (PECS03) from the PPMID too. On every route the meter authenticates the UTRN the
// same way: a replayed, forged or wrong-device UTRN is refused with its alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import { ESME_CODES } from '../../src/devices/esme-state.js';
import type { GsmeState } from '../../src/devices/gsme-state.js';
import type { HhtState } from '../../src/devices/hht.js';
import type { PpmidState } from '../../src/devices/ppmid.js';
import { buildHht } from '../../src/premise/build.js';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import { startDcc, type DccHarness } from '../support/dcc.js';
import { body, DccUser, joinBody } from '../support/dcc-user.js';
import { prepayConfiguration, toPrepayment } from '../support/duis-bodies.js';
import { utrnFor } from '../support/esme-commands.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A1');
const PPMID = eui64('00DB1234567890A4');
const MINUTE = 60_000;
const POUND = 100_000;
const SEED = 'smets-twin-demo';

let h: DccHarness;
let supplier: DccUser;
let utrnCounter = 20n;
const esme = (): EsmeState => h.dcc.runner.actor<EsmeState>(0, ESME);
const balance = (): number => esme().prepayment.ledger.meterBalance;
/** A fresh UTRN of `pounds` for `device`, its counter in the upper 32 bits as a supplier's should be. */
const utrn = (pounds: number, device: Eui64 = ESME): string =>
  utrnFor(h.dcc.runner.env, { counter: 0x1_0000_0000n * ++utrnCounter, value: pounds, device });
const topUpBody = (u: string) => body('2.2', `<sr:TopUpDevice><sr:UTRN>${u}</sr:UTRN></sr:TopUpDevice>`);
const atPpmid = async (action: Parameters<typeof h.dcc.runner.inject>[2]): Promise<void> => {
  h.dcc.runner.inject(0, PPMID, action);
  await h.dcc.advance(MINUTE);
};

beforeAll(async () => {
  // No demand: balances move only by top-ups, so each route's credit is exact.
  h = await startDcc({ fleet: 1 });
  supplier = new DccUser(h, SUPPLIER, 70_000n);
  await supplier.critical('1.6', ESME, body('1.6', toPrepayment('0')));
});
afterAll(async () => h.close());

describe('a UTRN reaches the ESME', () => {
  it('over the WAN (SR 2.2, CV1): credited, and the I0 carries the ESME’s response', async () => {
    const before = balance();
    const response = await supplier.nonCritical('2.2', ESME, topUpBody(utrn(5)));
    expect(response.message.header.originator).toBe(ESME);
    expect(balance() - before).toBe(5 * POUND);
  });

  it('as a local command (SR 2.2, CV2) carried by an HHT that joins over Inter-PAN: credited, the response collected', async () => {
    const command = await supplier.localCommand('2.2', ESME, topUpBody(utrn(7)));
    const before = balance();
    const hht = buildHht({ premise: FIRST_PREMISE_NUMBER, fleetSeed: SEED, deviceType: 0x7f });
    h.dcc.runner.addMember(0, hht);
    h.dcc.runner.inject(0, hht.eui, {
      type: 'local',
      action: { kind: 'carry-local-command', bytes: command, issuedAtMs: h.dcc.runner.kernel.now },
    });
    // Within the hub's 60-minute Inter-PAN window: the CH powered up ten minutes before the DCC opened.
    h.dcc.runner.inject(0, hht.eui, { type: 'power', on: true });
    await h.dcc.advance(2 * MINUTE);
    const state = h.dcc.runner.actor<HhtState>(0, hht.eui);
    expect(state.stage).toBe('joined');
    expect(balance() - before).toBe(7 * POUND);
    expect(state.collected).toHaveLength(1);
    const response = parseGbcs(state.collected[0]!);
    expect(response.message.header).toMatchObject({ cra: 2, originator: ESME, recipient: SUPPLIER });
    expect(verifyGbcs(response, h.dcc.protection).mac).toBe('valid');
  });

  it('typed on the meter’s keypad: credited, alert 0x810E credit added locally', async () => {
    const before = balance();
    h.dcc.runner.inject(0, ESME, { type: 'local', action: { kind: 'keypad-utrn', utrn: utrn(3) } });
    await h.dcc.advance(MINUTE);
    expect(balance() - before).toBe(3 * POUND);
    expect(esme().eventLog.at(-1)?.code).toBe(ESME_CODES.creditAddedLocally);
  });

  it('typed at the PPMID once it is paired with the ESME (8.7.1, 8.7.2): PECS01 credits the meter', async () => {
    await supplier.critical('8.7.1', ESME, joinBody('8.7.1', PPMID));
    await supplier.nonCritical('8.7.2', PPMID, joinBody('8.7.2', ESME));
    const before = balance();
    await atPpmid({ type: 'local', action: { kind: 'keypad-utrn', utrn: utrn(4) } });
    expect(balance() - before).toBe(4 * POUND);
    expect(h.dcc.runner.actor<PpmidState>(0, PPMID).lastOutcome).toEqual({
      meter: ESME,
      command: 'top-up',
      accepted: true,
      reason: 'credit added',
    });
  });
});

describe('a UTRN reaches the GSME from the PPMID (PCS01), through the CHF’s mailbox', () => {
  it('paired by 8.7.1 / 8.7.2, the PPMID’s PCS01 waits for the GSME’s wake-up, credits it, and the answer comes back', async () => {
    await supplier.critical('8.7.1', GSME, joinBody('8.7.1', PPMID), 40 * MINUTE);
    await supplier.nonCritical('8.7.2', PPMID, joinBody('8.7.2', GSME));
    const gas = () => h.dcc.runner.actor<GsmeState>(0, GSME).prepayment.ledger.meterBalance;
    const before = gas();
    h.dcc.runner.inject(0, PPMID, {
      type: 'local',
      action: { kind: 'keypad-utrn', utrn: utrn(6, GSME), meter: GSME },
    });
    await h.dcc.advance(40 * MINUTE);
    expect(gas() - before).toBe(6 * POUND);
    expect(h.dcc.runner.actor<PpmidState>(0, PPMID).lastOutcome).toEqual({
      meter: GSME,
      command: 'top-up',
      accepted: true,
      reason: 'accepted',
    });
  });
});

describe('the meter refuses a bad UTRN on every route, with its alert', () => {
  const alerts = (): number[] =>
    h.received.flatMap((r) =>
      r.response.body?.kind === 'DeviceAlertMessage' ? [r.response.body.alertCode] : [],
    );

  it('a replayed UTRN: 0x8F51 at the keypad, from the PPMID and over the WAN', async () => {
    const used = utrn(2);
    h.dcc.runner.inject(0, ESME, { type: 'local', action: { kind: 'keypad-utrn', utrn: used } });
    await h.dcc.advance(MINUTE);
    const before = balance();
    await atPpmid({ type: 'local', action: { kind: 'keypad-utrn', utrn: used } });
    expect(h.dcc.runner.actor<PpmidState>(0, PPMID).lastOutcome?.accepted).toBe(false);
    await supplier.nonCritical('2.2', ESME, topUpBody(used));
    expect(balance()).toBe(before);
    expect(alerts().slice(-2)).toEqual([ESME_CODES.duplicateUtrn, ESME_CODES.duplicateUtrn]);
  });

  it('a UTRN made for the premise’s GSME: 0x8F64; a forged one (one digit changed): 0x8F63', async () => {
    const before = balance();
    await atPpmid({ type: 'local', action: { kind: 'keypad-utrn', utrn: utrn(2, GSME) } });
    const genuine = utrn(2);
    const forged = genuine.slice(0, 10) + ((Number(genuine[10]) + 1) % 10) + genuine.slice(11);
    h.dcc.runner.inject(0, ESME, { type: 'local', action: { kind: 'keypad-utrn', utrn: forged } });
    await h.dcc.advance(MINUTE);
    expect(balance()).toBe(before);
    expect(alerts().slice(-2)).toEqual([ESME_CODES.utrnNotForThisDevice, ESME_CODES.utrnNotAuthentic]);
  });
});

describe('emergency credit and restoration from the PPMID (PECS02, PECS03)', () => {
  let g: DccHarness;
  afterAll(async () => g?.close());

  it('a meter out of credit is disabled; PECS03 is refused until PECS02 takes the emergency credit on offer; then it restores supply', async () => {
    g = await startDcc({
      fleet: 1,
      household: {
        electricity: {
          profile: { kind: 'flat', watts: 1000 },
          tariff: { unitPrice: 20_000, standingChargePerDay: 0 },
        },
      },
    });
    const user = new DccUser(g, SUPPLIER, 90_000n);
    // 2.1: emergency credit £3 offered at £1 (prepayConfiguration); 8.7.x pair the PPMID; 1.6 to prepayment, no credit.
    await user.critical('2.1', ESME, body('2.1', prepayConfiguration()));
    await user.critical('8.7.1', ESME, joinBody('8.7.1', PPMID));
    await user.nonCritical('8.7.2', PPMID, joinBody('8.7.2', ESME));
    await user.critical('1.6', ESME, body('1.6', toPrepayment('0')));
    const meter = (): EsmeState => g.dcc.runner.actor<EsmeState>(0, ESME);
    const ppmid = (): PpmidState => g.dcc.runner.actor<PpmidState>(0, PPMID);
    const press = async (action: Parameters<typeof g.dcc.runner.inject>[2]): Promise<void> => {
      g.dcc.runner.inject(0, PPMID, action);
      await g.dcc.advance(MINUTE);
    };
    expect(meter().supply).toBe('disabled');
    await press({ type: 'local', action: { kind: 'restore-supply' } });
    expect(meter().supply).toBe('disabled');
    expect(ppmid().lastOutcome).toMatchObject({ command: 'enable-supply', accepted: false });
    await press({ type: 'local', action: { kind: 'activate-emergency-credit' } });
    expect(ppmid().lastOutcome).toMatchObject({ command: 'activate-emergency-credit', accepted: true });
    expect(meter().prepayment.ledger).toMatchObject({ emergencyCreditActive: true });
    expect(meter().supply).toBe('armed');
    await press({ type: 'local', action: { kind: 'restore-supply' } });
    expect(meter().supply).toBe('enabled');
    expect(ppmid().lastOutcome).toMatchObject({ command: 'enable-supply', accepted: true });
  });
});
