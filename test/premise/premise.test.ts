// A premise from nothing (issue 4, "Done when"): the CH powers up, the ACB whitelists every HAN device (CCS01),
// the devices join the SMHAN with their install codes, the meters are commissioned (clock set), and then every
// listed use case is sent through the CHF as the DCC would send it. Every message that crosses the WAN or the HAN
// decodes and its MAC or signature verifies; the GSME answers only after its next wake-up; and the run's trace hash
// is identical for the same seed.
import { describe, expect, it } from 'vitest';
import type { Eui64 } from '../../src/codec/eui64.js';
import type { DeviceCore } from '../../src/devices/device.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { decodeGbtBlock, GbtReassembly, isGbtBlock } from '../../src/codec/gbcs/gbt.js';
import { FleetKeyStore } from '../../src/crypto/fleet-keys.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import { COMMON_CODES, CS08_READ_FIRMWARE_VERSION } from '../../src/devices/common-commands.js';
import { CS11_CLEAR_EVENT_LOG } from '../../src/devices/clear-event-log.js';
import { dlmsDateTimeAt } from '../../src/devices/outbound.js';
import { ESME_USE_CASES } from '../../src/devices/esme.js';
import type { EsmeState } from '../../src/devices/esme-state.js';
import { GSME_CODES, type GsmeState } from '../../src/devices/gsme.js';
import type { ActorEnv } from '../../src/devices/types.js';
import { buildPremise, PREMISE_ACTORS, TEST_PARTIES, type BuiltPremise } from '../../src/premise/build.js';
import { installPremise } from '../../src/premise/commission.js';
import { PremiseRunner } from '../../src/premise/runner.js';
import { acbCommand, ccs02, ccs03, ccs07, ecs52 } from '../support/chf-commands.js';
import { fromHex } from '../../src/codec/bytes.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import { sealCommand as esmeCommand, typed, utrnFor as esmeUtrn } from '../support/esme-commands.js';
import {
  changeDebt,
  clusterCommand,
  changePaymentMode,
  changeSupply,
  consumerTopUp,
  criticalCommand,
  gasCommand,
  gbz,
  prepaymentConfiguration,
  readAttributes,
  selectEmergencyCredit,
  setTime,
  utrnFor as gasUtrn,
} from '../support/gas-commands.js';
import { sealCommand as hanCommand } from '../support/han-commands.js';
import { envWith } from '../support/identities.js';
import { DeviceType, JoinMethodAndRole } from '../../src/codec/gbcs/asn1/index.js';

const MINUTE = 60_000;
const SUPPLIER = TEST_PARTIES.supplier!;
const ACB = TEST_PARTIES.acb;
/** Premise 0x34567890: its EUI-64s are those of DCC's public test data, which the test-support builders use. */
const PREMISE = 0x34567890;

function newEnv(): ActorEnv {
  return envWith(new FleetKeyStore('test-fleet'));
}

interface Sent {
  readonly name: string;
  readonly target: Eui64;
  readonly counter: bigint;
  readonly atMs: number;
}

interface Run {
  readonly runner: PremiseRunner;
  readonly built: BuiltPremise;
  readonly sent: readonly Sent[];
  readonly commissionedAt: number;
}

const gt = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`;

/** Builds, installs, commissions a premise and sends every listed use case through its CHF. */
function runPremise(seed: number): Run {
  const env = newEnv();
  const runner = new PremiseRunner({
    seed,
    env,
    actors: PREMISE_ACTORS,
    recordMessages: true,
    recordNotes: true,
  });
  const built = buildPremise(
    { esme: true, gsme: true, ppmid: true, ihd: true, hcalcs: true },
    { premise: PREMISE, fleetSeed: 'premise-test' },
  );
  const id = runner.addPremise(built.members);
  installPremise(runner, id, built, { acbCounter: 5_000n, userCounter: 100n, user: SUPPLIER });
  runner.kernel.run({ until: runner.kernel.now + 10 * MINUTE });

  const esme = built.esme!;
  const gsme = built.gsme!;
  const ppmid = built.ppmid!;
  const hcalcs = built.hcalcs!;
  let supplierCounter = 1_000n;
  let acbCounter = 6_000n;
  let userCounter = 200n;
  const sent: Sent[] = [];
  const send = (name: string, target: Eui64, counter: bigint, bytes: Uint8Array, afterMs = 0): void => {
    runner.inject(id, built.chf, { type: 'wan', bytes }, afterMs);
    sent.push({ name, target, counter, atMs: runner.kernel.now + afterMs });
  };
  const toEsme = (
    name: string,
    messageCode: number,
    request: Parameters<typeof esmeCommand>[1]['request'],
  ) => {
    const counter = ++supplierCounter;
    send(name, esme, counter, esmeCommand(env, { messageCode, counter, request, recipient: esme }));
  };
  const toGsme = (
    name: string,
    messageCode: number,
    payload: Parameters<typeof gasCommand>[0]['payload'],
    critical: boolean,
  ) => {
    const counter = ++supplierCounter;
    const spec = { messageCode, payload, counter, recipient: gsme };
    send(name, gsme, counter, critical ? criticalCommand(spec) : gasCommand(spec));
  };
  const fromAcb = (
    name: string,
    to: Eui64,
    messageCode: number,
    view: Parameters<typeof hanCommand>[0]['view'],
    sign?: boolean,
  ) => {
    const counter = ++acbCounter;
    const bytes = hanCommand(
      {
        from: ACB,
        to,
        counter,
        messageCode,
        view,
        onBehalfOf: { user: SUPPLIER, counter: ++userCounter },
        ...(sign !== undefined && { sign }),
      },
      env,
    );
    send(name, to, counter, bytes);
  };

  // Commissioning (SR 8.1.1 sets the meters' clocks), then the HAN joins the meters take part in (CS03).
  const now = runner.kernel.now;
  toEsme(
    'ECS70 commission',
    ESME_USE_CASES.ECS70,
    typed.ecs70({ from: dlmsDateTimeAt(now - 30 * MINUTE), to: dlmsDateTimeAt(now + 2 * 60 * MINUTE) }),
  );
  toGsme(
    'GCS28 commission',
    GSME_CODES.GCS28,
    setTime(gt(now - 30 * MINUTE), gt(now + 2 * 60 * MINUTE)),
    true,
  );
  fromAcb(
    'CS03A2 PPMID joins ESME',
    ppmid,
    COMMON_CODES.CS03A2,
    {
      kind: 'joinDeviceCommand',
      joinMethodAndRole: JoinMethodAndRole.methodAResponder,
      otherDeviceEntityId: esme,
      otherDeviceType: DeviceType.esme,
    },
    true,
  );
  runner.kernel.run({ until: runner.kernel.now + 40 * MINUTE });
  const commissionedAt = runner.kernel.now;

  // ESME use cases.
  toEsme('ECS17b', ESME_USE_CASES.ECS17b, typed.ecs17b(SUPPLIER, supplierCounter + 1n));
  toEsme('ECS52', ESME_USE_CASES.ECS52, typed.ecs52());
  toEsme('ECS43', ESME_USE_CASES.ECS43, typed.ecs43());
  toEsme('ECS44', ESME_USE_CASES.ECS44, typed.ecs44());
  toEsme('ECS42', ESME_USE_CASES.ECS42, typed.ecs42());
  toEsme('ECS45', ESME_USE_CASES.ECS45, typed.ecs45());
  toEsme('ECS15a', ESME_USE_CASES.ECS15a, typed.ecs15a());
  toEsme(
    'CS01a',
    ESME_USE_CASES.CS01a,
    typed.cs01a(esmeUtrn(env, { counter: 1n << 32n, value: 10, device: esme })),
  );
  toEsme(
    'ECS07',
    ESME_USE_CASES.ECS07,
    typed.ecs07({ timeDebt1: 100, timeDebt2: 0, paymentDebt: 500, debtRecoveryPerPayment: 10 }),
  );
  toEsme(
    'ECS08a',
    ESME_USE_CASES.ECS08a,
    typed.ecs08({
      maxMeterBalance: 100_000,
      maxCreditThreshold: 50_000,
      debtRecoveryRateCap: 500,
      lowCreditThreshold: 200,
      emergencyCreditLimit: 1_000,
      emergencyCreditThreshold: 100,
    }),
  );
  toEsme('ECS09', ESME_USE_CASES.ECS09, typed.ecs09());
  toEsme('ECS03', ESME_USE_CASES.ECS03, typed.ecs03(0));
  toEsme('ECS02', ESME_USE_CASES.ECS02, typed.ecs02());
  // GSME use cases: queued in the CHF's mailbox until the GSME wakes and polls.
  toGsme('GCS38', GSME_CODES.GCS38, gbz([readAttributes(0x0019, [0x0002])]), false);
  toGsme(
    'GCS33',
    GSME_CODES.GCS33,
    gbz([readAttributes(0x0001, [0x0020]), readAttributes(0x0702, [0x0014], 1)]),
    false,
  );
  toGsme('GCS32', GSME_CODES.GCS32, changeSupply(0x00), true);
  toGsme('GCS39', GSME_CODES.GCS39, changeSupply(0x01), true);
  toGsme('CS01b', GSME_CODES.CS01b, consumerTopUp(gasUtrn(gsme, 1n << 32n, 10)), false);
  toGsme('GCS04', GSME_CODES.GCS04, changeDebt([{ amount: 500, type: 0 }]), true);
  toGsme('GCS06', GSME_CODES.GCS06, selectEmergencyCredit(), true);
  toGsme('CS11 GSME', CS11_CLEAR_EVENT_LOG, gbz([clusterCommand(0x0709, 0x01, Uint8Array.of(6))]), false);
  toGsme('GCS03', GSME_CODES.GCS03, changePaymentMode(0, 0x0001), true);
  toGsme('GCS02', GSME_CODES.GCS02, changePaymentMode(0, 0x0000), true);
  toGsme(
    'GCS05',
    GSME_CODES.GCS05,
    prepaymentConfiguration({
      at: 0,
      ecLimit: 1_000,
      ecThreshold: 100,
      debtCap: 500,
      lowCredit: 200,
      maxCredit: 50_000,
      maxPerTopUp: 10_000,
      calendarId: 1,
    }),
    true,
  );
  // The HAN use cases every meter shares: Method B join with the IHD, read it back, unjoin; firmware activation.
  fromAcb('CS03B ESME joins IHD', esme, COMMON_CODES.CS03B, {
    kind: 'joinDeviceCommand',
    joinMethodAndRole: JoinMethodAndRole.methodB,
    otherDeviceEntityId: built.ihd!,
    otherDeviceType: DeviceType.type2,
  });
  fromAcb('CS07 ESME', esme, COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' });
  const cs06 = ++supplierCounter;
  send(
    'CS06 ESME',
    esme,
    cs06,
    hanCommand(
      {
        from: SUPPLIER,
        to: esme,
        counter: cs06,
        messageCode: COMMON_CODES.CS06,
        view: {
          kind: 'activateFirmwareCommand',
          manufacturerImageHash: new Uint8Array(32).fill(7),
          originatorCounter: cs06,
        },
      },
      env,
    ),
  );
  // PPMID, HCALCS and the CHF, commanded by the ACB on the supplier's behalf.
  fromAcb('CS08 PPMID', ppmid, CS08_READ_FIRMWARE_VERSION, { kind: 'readPpmidHcalcsFirmwareVersionCommand' });
  fromAcb('CS08 HCALCS', hcalcs, CS08_READ_FIRMWARE_VERSION, {
    kind: 'readPpmidHcalcsFirmwareVersionCommand',
  });
  fromAcb('CS07 PPMID', ppmid, COMMON_CODES.CS07, { kind: 'readDeviceJoinDetailsCommand' });
  const chfRead = ++acbCounter;
  send('CCS07', built.chf, chfRead, ccs07(env, chfRead));
  const chfFirmware = ++acbCounter;
  send('ECS52 CHF', built.chf, chfFirmware, ecs52(env, chfFirmware, built.chf));
  runner.kernel.run({ until: runner.kernel.now + 90 * MINUTE });

  // Unjoins, the CHF's own reads and log changes: CS04B, CS04AC, CCS06, CCS02, then CCS03 restores the log.
  const cs04b = ++supplierCounter; // RTDS 8.8.2_CS04B: the supplier originates Method B unjoins
  send(
    'CS04B ESME unjoins IHD',
    esme,
    cs04b,
    hanCommand(
      {
        from: SUPPLIER,
        to: esme,
        counter: cs04b,
        messageCode: COMMON_CODES.CS04B,
        view: { kind: 'unjoinDeviceCommand', otherDeviceEntityId: built.ihd! },
      },
      env,
    ),
  );
  fromAcb(
    'CS04AC PPMID unjoins ESME',
    ppmid,
    COMMON_CODES.CS04AC,
    { kind: 'unjoinDeviceCommand', otherDeviceEntityId: esme },
    true,
  );
  const ccs06 = ++acbCounter;
  send(
    'CCS06',
    built.chf,
    ccs06,
    acbCommand(env, {
      messageCode: 0x010f,
      counter: ccs06,
      userCounter: ++userCounter,
      specifications: [
        { type: 'get', classId: 104, instanceId: Uint8Array.of(0, 0, 30, 3, 0, 255), attributeId: 4 },
      ],
      data: [{ type: 'null-data' }],
    }),
  );
  const ccs02Counter = ++acbCounter;
  send('CCS02 removes HCALCS', built.chf, ccs02Counter, ccs02(env, ccs02Counter, hcalcs));
  runner.kernel.run({ until: runner.kernel.now + 5 * MINUTE });
  const chf = runner.actor<ChfState>(id, built.chf);
  const ccs03Counter = ++acbCounter;
  const backup = chf.deviceLog.map((e) => ({ device: e.device, hash: fromHex(e.linkKeyHash) }));
  send(
    'CCS03 restores the log',
    built.chf,
    ccs03Counter,
    ccs03(env, ccs03Counter, chf.extendedPanId, backup),
  );
  runner.kernel.run({ until: runner.kernel.now + 5 * MINUTE });
  return { runner, built, sent, commissionedAt };
}

/** The whole messages that left the premise over the WAN, GBT blocks reassembled. */
function wanMessages(runner: PremiseRunner): { atMs: number; parsed: ParsedGbcs }[] {
  const out: { atMs: number; parsed: ParsedGbcs }[] = [];
  const pending = new Map<string, GbtReassembly>();
  for (const m of runner.messages) {
    if (m.leg !== 'wan-out') continue;
    if (!isGbtBlock(m.bytes)) {
      out.push({ atMs: m.atMs, parsed: parseGbcs(m.bytes) });
      continue;
    }
    const block = decodeGbtBlock(m.bytes);
    const key = `${block.originator}/${block.originatorCounter}/${block.cra}`;
    let r = pending.get(key);
    if (r === undefined) pending.set(key, (r = new GbtReassembly(block)));
    const outcome = r.add(block);
    if (outcome.status === 'complete') out.push({ atMs: m.atMs, parsed: parseGbcs(outcome.message) });
  }
  return out;
}

describe('a premise built from nothing', () => {
  const run = runPremise(42);
  const { runner, built } = run;
  const member = <S extends DeviceCore = DeviceCore>(eui: Eui64): S => runner.actor<S>(0, eui);

  it('joins every HAN device to the SMHAN after the ACB whitelists it, and the CHF Device Log lists them joined', () => {
    // Every device joined (each answers its use cases above); the HCALCS has since left: CCS02 removed it.
    for (const d of built.hanDevices) expect(member(d.eui).hanJoined, d.kind).toBe(d.eui !== built.hcalcs);
    const cs14 = wanMessages(runner).filter((m) => m.parsed.message.header.messageCode === 0x0018);
    expect(cs14.length).toBeGreaterThanOrEqual(2 * built.hanDevices.length); // one on adding, one on joining
  });

  it('answers every listed use case through the CHF: a response with the command counter from the target', () => {
    const responses = wanMessages(runner).filter((m) => m.parsed.message.header.cra === 2);
    const missing = run.sent.filter(
      (s) =>
        !responses.some(
          (r) =>
            r.parsed.message.header.originator === s.target &&
            r.parsed.message.header.originatorCounter === s.counter,
        ),
    );
    expect(missing.map((s) => s.name)).toEqual([]);
  });

  it('every message exchanged on the WAN and the HAN decodes, and its MAC or signature verifies', () => {
    const env = newEnv();
    let checked = 0;
    for (const m of runner.messages) {
      if (isGbtBlock(m.bytes)) continue;
      expect(m.decoded.ok, `${m.leg} ${m.from} → ${m.to}`).toBe(true);
      const v = verifyGbcs(parseGbcs(m.bytes), env.protection);
      expect([v.mac, v.signature]).not.toContain('invalid');
      expect(
        [v.mac, v.signature].includes('valid'),
        `${m.leg} ${m.from} → ${m.to}: ${JSON.stringify(v)}`,
      ).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('answers GSME commands only after its next wake-up, never within the CHF round trip', () => {
    const wakeMs = 30 * MINUTE;
    const gsme = member<GsmeState>(built.gsme!);
    const responses = wanMessages(runner).filter(
      (m) => m.parsed.message.header.originator === gsme.eui && m.parsed.message.header.cra === 2,
    );
    for (const s of run.sent.filter((x) => x.target === gsme.eui)) {
      const r = responses.find((x) => x.parsed.message.header.originatorCounter === s.counter)!;
      const waited = r.atMs - s.atMs;
      expect(waited, s.name).toBeGreaterThan(1_000);
      expect(waited, s.name).toBeLessThanOrEqual(wakeMs + MINUTE);
    }
    expect(gsme.valve).toBe('armed');
  });

  it('leaves each device in the state its commands asked for', () => {
    const esme = member<EsmeState>(built.esme!);
    expect(esme.supply).toBe('enabled');
    expect(member(built.ppmid!).joins).toEqual([]); // joined by CS03A2, unjoined by CS04AC
    expect(esme.joins).toEqual([]); // joined with the IHD by CS03B, unjoined by CS04B
    const chf = member<ChfState>(built.chf);
    expect(chf.deviceLog.map((e) => e.device)).not.toContain(built.hcalcs); // CCS02, then CCS03 restored the rest
    expect(chf.deviceLog).toHaveLength(built.hanDevices.length - 1);
    expect(esme.clockOffsetMs).toBe(0);
  });

  it('gives the same trace hash for the same seed, event for event', () => {
    const again = runPremise(42);
    expect(again.runner.kernel.dispatched).toBe(runner.kernel.dispatched);
    expect(again.runner.kernel.traceHash()).toBe(runner.kernel.traceHash());
  });
});

describe('a refused command at a premise', () => {
  it('raises the ESME alert over the WAN and leaves the ESME as it was', () => {
    const env = newEnv();
    const runner = new PremiseRunner({ seed: 1, env, actors: PREMISE_ACTORS, recordMessages: true });
    const built = buildPremise({ esme: true }, { premise: PREMISE, fleetSeed: 'premise-test' });
    const id = runner.addPremise(built.members);
    installPremise(runner, id, built, { acbCounter: 5_000n, userCounter: 100n, user: SUPPLIER });
    runner.kernel.run({ until: runner.kernel.now + 10 * MINUTE });
    const before = runner.actor<EsmeState>(id, built.esme!);
    const bytes = esmeCommand(env, {
      messageCode: ESME_USE_CASES.ECS43,
      counter: 2_000n,
      request: typed.ecs43(),
      recipient: built.esme!,
    });
    const tampered = bytes.slice();
    tampered[tampered.length - 20]! ^= 0x01;
    runner.inject(id, built.chf, { type: 'wan', bytes: tampered });
    runner.kernel.run({ until: runner.kernel.now + MINUTE });
    const after = runner.actor<EsmeState>(id, built.esme!);
    expect(after.supply).toBe(before.supply);
    expect({ ...after, securityLog: [], alertCounter: 0n }).toEqual({
      ...before,
      securityLog: [],
      alertCounter: 0n,
    });
    const alerts = wanMessages(runner).filter(
      (m) => m.parsed.message.header.cra === 3 && m.parsed.message.header.originator === built.esme,
    );
    expect(alerts).toHaveLength(1);
    const body = alerts[0]!.parsed.message.payload;
    expect(
      body.kind === 'dlms' && body.dlms.type === 'data-notification' && body.dlms.notificationBody,
    ).toMatchObject({
      value: [{ type: 'long-unsigned', value: 0x8f1e }, expect.anything()],
    });
  });
});
