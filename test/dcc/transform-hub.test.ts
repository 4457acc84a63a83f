// The hub transforms end to end: each SRV's draft sealed as the DCC would (the ACB originating for the CHF, PPMID and non-critical HCALCS commands) and delivered to the CHF, the meters, the GPF, the PPMID or the HCALCS, the response a success and the device log or joins changed as asked; bad bodies refused with typed errors only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuisError } from '../../src/codec/duis/common.js';
import type { DuisRequestBody } from '../../src/codec/duis/request.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import { fromHex } from '../../src/codec/bytes.js';
import { eui64, eui64Hyphenated, type Eui64 } from '../../src/codec/eui64.js';
import { DeviceType, JoinMethodAndRole, type Asn1View } from '../../src/codec/gbcs/asn1/index.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { encodePayload } from '../../src/codec/gbcs/payload.js';
import { invokeIdFor } from '../../src/codec/gbcs/use-cases/chf-device-log.js';
import { HUB_TRANSFORMS, hubTransforms, type DspRecords } from '../../src/dcc/transform/hub.js';
import { TransformError, type CommandDraft } from '../../src/dcc/transform/types.js';
import { createHcalcs, stepHcalcs, type HcalcsState } from '../../src/devices/hcalcs.js';
import { createPpmid, stepPpmid, type PpmidState } from '../../src/devices/ppmid.js';
import { stepEsme } from '../../src/devices/esme.js';
import type { DeviceCore } from '../../src/devices/device.js';
import type { ActorStep, Effect } from '../../src/devices/types.js';
import { createGpf, stepGpf } from '../../src/hub/gpf.js';
import type { ChfState } from '../../src/hub/chf-state.js';
import { INSTALL_CODE, poweredChf, readWan, step, T0, wan, wanOut } from '../support/chf-commands.js';
import { joinedEsme } from '../support/esme-commands.js';
import { deliverAtWake, deviceInit, joinedGsme, rtdsMessage, theResponse } from '../support/gas-commands.js';
import { expectResponse, hanDeviceInit } from '../support/han-commands.js';
import { envWith } from '../support/identities.js';
import { skipReason } from '../vectors.js';
import {
  bodyFromXml,
  CHF,
  ESME,
  GPF,
  GSME,
  HCALCS,
  IHD,
  mutateBody,
  premiseDevice,
  smiDevice,
  PPMID,
  refusalOf,
  sealDraft,
  SUPPLIER,
  testSmki,
  transform,
  type BodyEdit,
} from '../support/transform-gas-hub.js';

const env = envWith();
const hyphen = (e: Eui64) => eui64Hyphenated(e);

const updateHanXml = (device: Eui64, add = true, installCode = INSTALL_CODE[device] ?? '') =>
  `<sr:UpdateHANDeviceLog><sr:DeviceID>${hyphen(device)}</sr:DeviceID><sr:RequestType>${add ? 'Add' : 'Remove'}</sr:RequestType>` +
  (add
    ? `<sr:AddDeviceToCHFWhitelist><sr:JoinTimePeriod>90</sr:JoinTimePeriod><sr:InstallCode>${installCode}</sr:InstallCode></sr:AddDeviceToCHFWhitelist>`
    : '') +
  '</sr:UpdateHANDeviceLog>';

const joinXml = (srv: '8.7.1' | '8.7.2', other: Eui64) => {
  const element = srv === '8.7.1' ? 'JoinServiceCritical' : 'JoinServiceNonCritical';
  return `<sr:${element}><sr:OtherDeviceID>${hyphen(other)}</sr:OtherDeviceID></sr:${element}>`;
};
const unjoinXml = (srv: '8.8.1' | '8.8.2', other: Eui64) => {
  const element = srv === '8.8.1' ? 'UnjoinServiceCritical' : 'UnjoinServiceNonCritical';
  return `<sr:${element}><sr:OtherDeviceID>${hyphen(other)}</sr:OtherDeviceID></sr:${element}>`;
};

const RECORDS: DspRecords = { kaCertificate: testSmki(T0) };

// ---- The CHF ----

/** The CHF's one response to the WAN (CRA 2): its MAC valid, parties swapped, the DLMS results. */
function chfResponse(effects: readonly Effect[]): { parsed: ParsedGbcs; results: number[]; data: unknown[] } {
  const responses = wanOut(effects)
    .map((b) => readWan(b, env))
    .filter((r) => r.parsed.message.header.cra === 2);
  expect(responses).toHaveLength(1);
  const r = responses[0]!;
  expect(r.mac).toBe('valid');
  const p = r.parsed.message.payload;
  if (p.kind !== 'dlms' || p.dlms.type !== 'access-response') throw new Error('not a DLMS access-response');
  const results = p.dlms.responseSpecifications.map((s) =>
    s.type === 'action' ? s.actionResult : 'dataAccessResult' in s ? s.dataAccessResult : -1,
  );
  return { parsed: r.parsed, results, data: [...p.dlms.data] };
}

let acbCounter = 1300n;
function toChf(chf: ChfState, srv: string, xml: string, o: { counter?: bigint; records?: DspRecords } = {}) {
  const counter = o.counter ?? 1000n;
  const draft = transform(srv, bodyFromXml(srv, xml), CHF, {
    counter,
    ...(o.records && { records: o.records }),
  });
  const bytes = sealDraft(env, draft, { target: 'CHF', counter, acbCounter: ++acbCounter });
  const out = step(chf, wan(bytes), T0, env);
  return { draft, bytes, state: out.state, effects: out.effects };
}

describe('8.11 / 8.12.1 / 8.9 / 11.2 on the CHF (CCS01, CCS02, CCS03, CCS05CCS04, CCS07, ECS52)', () => {
  it('8.11 Add puts the device in the CHF Device Log with its install code and opens joining (CCS01)', () => {
    const out = toChf(poweredChf(env), '8.11', updateHanXml(GSME));
    expect(out.draft.messageCode).toBe(0x0001);
    expect(chfResponse(out.effects).results).toEqual([0, 0, 0]);
    const entry = out.state.deviceLog.find((e) => e.device === GSME);
    expect(entry).toMatchObject({ deviceType: 1, installCode: INSTALL_CODE[GSME], joined: false });
    expect(entry?.joinWindow).not.toBeNull();
  });

  it('8.11 Remove takes the device out of the CHF Device Log (CCS02)', () => {
    const added = toChf(poweredChf(env), '8.11', updateHanXml(PPMID));
    expect(added.state.deviceLog.map((e) => e.device)).toContain(PPMID);
    const removed = toChf(added.state, '8.11', updateHanXml(PPMID, false), { counter: 1001n });
    expect(removed.draft.messageCode).toBe(0x0002);
    expect(chfResponse(removed.effects).results).toEqual([0]);
    expect(removed.state.deviceLog.map((e) => e.device)).not.toContain(PPMID);
  });

  it('8.12.1 Restore HAN Device Log restores the old CHF log the DSP recorded, on its Extended PAN ID (CCS03)', () => {
    const hash = fromHex('83FED3407A939723A5C639B26916D505');
    const oldChf = eui64('00DB123456789095');
    const records: DspRecords = {
      reportedDeviceLog: (chf) =>
        chf === oldChf
          ? {
              extendedPanId: eui64('0000000000000140'),
              entries: [
                { device: ESME, linkKeyHash: hash },
                { device: GSME, linkKeyHash: new Uint8Array(0) },
              ],
            }
          : undefined,
    };
    const xml = `<sr:RestoreHANDeviceLog><sr:OldCHFID>${hyphen(oldChf)}</sr:OldCHFID></sr:RestoreHANDeviceLog>`;
    const out = toChf(poweredChf(env), '8.12.1', xml, { records });
    expect(out.draft.messageCode).toBe(0x0003);
    expect(chfResponse(out.effects).results).toEqual([0]);
    expect(out.state.extendedPanId).toBe('0000000000000140');
    expect(out.state.deviceLog.map((e) => [e.device, e.linkKeyHash, e.joined])).toEqual([
      [ESME, '83FED3407A939723A5C639B26916D505', true],
      [GSME, '', false],
    ]);
  });

  it('8.9 Read Device Log reads the CHF active devices (CCS05CCS04) and with ReadSecurityDetails both logs (CCS07)', () => {
    const chf = toChf(poweredChf(env), '8.11', updateHanXml(ESME)).state;
    const plain = toChf(chf, '8.9', '<sr:ReadDeviceLog/>', { counter: 1001n });
    expect(plain.draft.messageCode).toBe(0x0004);
    const active = chfResponse(plain.effects);
    expect(active.results).toEqual([0]);
    expect(active.data[0]).toMatchObject({ type: 'array' });
    const keys = toChf(chf, '8.9', '<sr:ReadDeviceLog><sr:ReadSecurityDetails/></sr:ReadDeviceLog>', {
      counter: 1002n,
    });
    expect(keys.draft.messageCode).toBe(0x00fe);
    expect(chfResponse(keys.effects).results).toEqual([0, 0]);
  });

  it('11.2 Read Firmware Version reads the CHF firmware version (ECS52, from the ACB)', () => {
    const chf = poweredChf(env, T0, { firmwareVersion: 0x01020304 });
    const out = toChf(chf, '11.2', '<sr:ReadFirmwareVersion/>');
    expect(out.draft.messageCode).toBe(0x0059);
    const r = chfResponse(out.effects);
    expect(r.results).toEqual([0]);
    expect(r.data[0]).toEqual({ type: 'octet-string', value: Uint8Array.of(1, 2, 3, 4) });
  });

  it('the DLMS invoke-id follows the originator counter when the pipeline supplies it (the ACB), else the RequestID', () => {
    const body = bodyFromXml('8.9', '<sr:ReadDeviceLog/>');
    const invoke = (d: CommandDraft) => (d.payload.kind === 'dlms' ? d.payload.dlms.invokeIdAndPriority : -1);
    expect(invoke(transform('8.9', body, CHF, { counter: 1000n }))).toBe(invokeIdFor(1000n));
    const acb = transform('8.9', body, CHF, { counter: 1000n, extra: { originatorCounter: 1300n } });
    expect(invoke(acb)).toBe(0x20000514); // RTDS 8.9_CCS05CCS04 SUCCESS: ACB counter 1300 [O]
  });
});

// ---- Joins and unjoins on the meters, the GPF, the PPMID and the HCALCS ----

/** A HAN device's response to the command, checked (CRA 2, counters, protection), and its ASN.1 view. */
function hanResponse(effects: readonly Effect[], bytes: Uint8Array): Asn1View {
  const p = expectResponse(effects, bytes).message.payload;
  if (p.kind !== 'asn1' || p.asn1.view === undefined) throw new Error('not an ASN.1 response');
  return p.asn1.view;
}

function toHanDevice<S extends DeviceCore>(
  stepper: ActorStep<S>,
  state: S,
  srv: string,
  xml: string,
  counter = 1000n,
  records: DspRecords = RECORDS,
) {
  const draft = transform(srv, bodyFromXml(srv, xml), state.eui, { counter, records });
  const bytes = sealDraft(env, draft, {
    target: state.kind as 'PPMID',
    counter,
    acbCounter: 1300n + counter,
  });
  const out = stepper(state, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, T0, env);
  return { draft, state: out.state, view: hanResponse(out.effects, bytes) };
}

const ppmid = (): PpmidState => ({ ...createPpmid(hanDeviceInit(PPMID)), hanJoined: true });
const hcalcs = (): HcalcsState => ({ ...createHcalcs(hanDeviceInit(HCALCS)), hanJoined: true });

/** The join through the GSME's mailbox at its wake-up. */
function toGsme(srv: string, xml: string, counter = 1000n, before = joinedGsme()) {
  const draft = transform(srv, bodyFromXml(srv, xml), GSME, { counter, records: RECORDS });
  const session = deliverAtWake(
    before.state,
    before.wakeAt,
    sealDraft(env, draft, { target: 'GSME', counter }),
  );
  const r = theResponse(session.effects);
  expect(r.verification.signature === 'valid' || r.verification.mac === 'valid').toBe(true);
  const p = r.message.payload;
  return {
    draft,
    state: session.state,
    wakeAt: session.wakeAt,
    view: p.kind === 'asn1' ? p.asn1.view : undefined,
  };
}

describe('8.7 / 8.8 joins and unjoins (CS03A1, CS03A2, CS03B, CS03C, CS04AC, CS04B)', () => {
  it('8.7.1 joins the ESME with an HCALCS as Method A initiator (CS03A1, supplier-signed)', () => {
    const draft = transform('8.7.1', bodyFromXml('8.7.1', joinXml('8.7.1', HCALCS)), ESME);
    expect(draft.messageCode).toBe(0x000d);
    const bytes = sealDraft(env, draft, { target: 'ESME', counter: 1000n });
    const out = stepEsme(joinedEsme(), { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, T0, env);
    const sent = out.effects.flatMap((e) =>
      e.kind === 'han' && e.frame.type === 'gbcs' ? [e.frame.bytes] : [],
    );
    const response = parseGbcs(sent.find((b) => parseGbcs(b).message.header.cra === 2)!);
    expect(response.message.payload).toMatchObject({ asn1: { view: { responseCode: 0 } } });
    expect(out.state.joins).toEqual([{ device: HCALCS, deviceType: DeviceType.hcalcs }]);
  });

  it('8.7.1 joins the HCALCS with its ESME as Method A responder (CS03A2, supplier-signed)', () => {
    const out = toHanDevice(stepHcalcs, hcalcs(), '8.7.1', joinXml('8.7.1', ESME));
    expect(out.draft.messageCode).toBe(0x00ab);
    expect(out.view).toMatchObject({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(out.state.joins).toEqual([{ device: ESME, deviceType: DeviceType.esme }]);
  });

  it("8.7.1 joins the GSME with a PPMID by Method C, with the PPMID's KA certificate (CS03C)", () => {
    const out = toGsme('8.7.1', joinXml('8.7.1', PPMID));
    expect(out.draft.messageCode).toBe(0x00af);
    expect(out.draft.payload).toMatchObject({
      asn1: {
        view: {
          joinMethodAndRole: JoinMethodAndRole.methodC,
          otherDeviceCertificate: RECORDS.kaCertificate!(PPMID),
        },
      },
    });
    expect(out.view).toMatchObject({ kind: 'joinDeviceResponse', responseCode: 0 });
    expect(out.state.joins).toEqual([{ device: PPMID, deviceType: DeviceType.ppmid }]);
  });

  it('8.7.2 joins the PPMID with the ESME (CS03A2) and the GSME (CS03C, certificate), the ACB originating', () => {
    const first = toHanDevice(stepPpmid, ppmid(), '8.7.2', joinXml('8.7.2', ESME));
    expect(first.draft.messageCode).toBe(0x00ab);
    const second = toHanDevice(stepPpmid, first.state, '8.7.2', joinXml('8.7.2', GSME), 1001n);
    expect(second.draft.messageCode).toBe(0x00af);
    expect(second.view).toMatchObject({ responseCode: 0 });
    expect(second.state.joins.map((j) => j.device)).toEqual([ESME, GSME]);
  });

  it('8.7.2 joins the GSME with its GPF by Method B (CS03B), and 8.8.2 unjoins them (CS04B)', () => {
    const joined = toGsme('8.7.2', joinXml('8.7.2', GPF));
    expect(joined.draft.messageCode).toBe(0x000e);
    expect(joined.view).toMatchObject({ responseCode: 0 });
    expect(joined.state.joins).toEqual([{ device: GPF, deviceType: DeviceType.gpf }]);
    const unjoined = toGsme('8.8.2', unjoinXml('8.8.2', GPF), 1001n, {
      state: joined.state,
      wakeAt: joined.wakeAt,
    });
    expect(unjoined.draft.messageCode).toBe(0x0010);
    expect(unjoined.view).toMatchObject({ kind: 'unjoinDeviceResponse', responseCode: 0 });
    expect(unjoined.state.joins).toEqual([]);
  });

  it('8.7.2 joins the GPF with an IHD by Method B (CS03B)', () => {
    const gpf = createGpf({ ...deviceInit(GPF), gsme: GSME });
    const draft = transform('8.7.2', bodyFromXml('8.7.2', joinXml('8.7.2', IHD)), GPF);
    const bytes = sealDraft(env, draft, { target: 'GPF', counter: 1000n });
    const out = stepGpf(gpf, { type: 'han', from: CHF, frame: { type: 'gbcs', bytes } }, T0, env);
    const r = theResponse(out.effects);
    expect(r.verification.mac).toBe('valid');
    expect(r.message.payload).toMatchObject({ asn1: { view: { responseCode: 0 } } });
    expect(out.state.joins).toEqual([{ device: IHD, deviceType: DeviceType.type2 }]);
  });

  it('8.8.1 unjoins the HCALCS from its ESME (CS04AC, supplier-signed); 8.8.2 the PPMID from the ESME (ACB)', () => {
    const joinedHcalcs = toHanDevice(stepHcalcs, hcalcs(), '8.7.1', joinXml('8.7.1', ESME)).state;
    const unjoined = toHanDevice(stepHcalcs, joinedHcalcs, '8.8.1', unjoinXml('8.8.1', ESME), 1001n);
    expect(unjoined.draft.messageCode).toBe(0x000f);
    expect(unjoined.view).toMatchObject({ kind: 'unjoinDeviceResponse', responseCode: 0 });
    expect(unjoined.state.joins).toEqual([]);
    const joinedPpmid = toHanDevice(stepPpmid, ppmid(), '8.7.2', joinXml('8.7.2', ESME)).state;
    const out = toHanDevice(stepPpmid, joinedPpmid, '8.8.2', unjoinXml('8.8.2', ESME), 1001n);
    expect(out.draft.messageCode).toBe(0x000f);
    expect(out.state.joins).toEqual([]);
  });

  it('8.9 Read Device Log reads the joins of the GSME and the PPMID (CS07)', () => {
    const joined = toGsme('8.7.2', joinXml('8.7.2', GPF));
    const read = toGsme('8.9', '<sr:ReadDeviceLog/>', 1001n, { state: joined.state, wakeAt: joined.wakeAt });
    expect(read.draft.messageCode).toBe(0x0013);
    expect(read.view).toMatchObject({
      kind: 'readDeviceJoinDetailsResponse',
      responseCode: 0,
      deviceLogEntries: [{ deviceId: GPF, deviceType: DeviceType.gpf }],
    });
    const p = toHanDevice(stepPpmid, ppmid(), '8.9', '<sr:ReadDeviceLog/>');
    expect(p.view).toMatchObject({ responseCode: 0, deviceLogEntries: [] });
  });
});

describe('11.2 / 11.3 on the PPMID and HCALCS (CS08, CS06)', () => {
  it('11.2 reads the PPMID and the HCALCS firmware versions (CS08, from the ACB)', () => {
    for (const [stepper, state] of [
      [stepPpmid, { ...ppmid(), firmwareVersion: 0x0a0b0c0d }],
      [stepHcalcs, { ...hcalcs(), firmwareVersion: 0x0a0b0c0d }],
    ] as const) {
      const out = toHanDevice(
        stepper as unknown as ActorStep<DeviceCore>,
        state,
        '11.2',
        '<sr:ReadFirmwareVersion/>',
      );
      expect(out.draft.messageCode).toBe(0x0129);
      expect(out.view).toEqual({
        kind: 'readPpmidHcalcsFirmwareVersionResponse',
        firmwareVersion: Uint8Array.of(0x0a, 0x0b, 0x0c, 0x0d),
        responseCode: 0,
      });
    }
  });

  it('11.3 future-dated Activate Firmware is accepted by the HCALCS and held until its time (CS06, supplier)', () => {
    const at = T0 + 86_400_000;
    const xml =
      `<sr:ActivateFirmware><sr:ExecutionDateTime>${new Date(at).toISOString()}</sr:ExecutionDateTime>` +
      '<sr:FirmwareHash>AA758690730934FF0685AA758690730934FF0685657788990011223344556677</sr:FirmwareHash></sr:ActivateFirmware>';
    const out = toHanDevice(stepHcalcs, hcalcs(), '11.3', xml);
    expect(out.draft.executionMs).toBe(at);
    expect(out.view).toEqual({ kind: 'activateFirmwareResponse', commandAccepted: null });
    expect(out.state.pendingActivation).toBe(
      `${SUPPLIER}:1000:${new Date(at)
        .toISOString()
        .replace(/[-:]|\.\d+/g, '')
        .replace('T', '')}:${'AA758690730934FF0685AA758690730934FF0685657788990011223344556677'}`,
    );
  });
});

describe('RTDS 4.5.0 commands whose templates are held back (bodies written here)', () => {
  /** The draft's payload bytes equal the RTDS command's (skipped, saying why, without the vectors). */
  function expectRtdsPayload(draft: CommandDraft, folder: string, file: string): void {
    const rtds = rtdsMessage(folder, file);
    if (rtds === undefined) return void console.warn(`${folder}/${file}: ${skipReason()}`);
    const ctx = { messageCode: draft.messageCode, cra: 1 as const };
    expect(draft.messageCode).toBe(rtds.header.messageCode);
    expect(encodePayload(draft.payload, ctx)).toEqual(encodePayload(rtds.payload, ctx));
  }

  it('8.11 Add is RTDS 8.11_CCS01 SUCCESS, the invoke-id from the ACB counter 1302 given as originatorCounter', () => {
    const xml = updateHanXml(ESME, true, '30313233343536373839414243444546');
    const draft = transform('8.11', bodyFromXml('8.11', xml), CHF, {
      counter: 1002n,
      extra: { originatorCounter: 1302n },
    });
    expectRtdsPayload(draft, '8.11_CCS01', 'CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX');
  });

  it('8.7.2 Join of the PPMID with an ESME is RTDS 8.7.2_CS03A2NonCritical SUCCESS', () => {
    const other = eui64('00DB123456789093');
    const draft = transform('8.7.2', bodyFromXml('8.7.2', joinXml('8.7.2', other)), PPMID, {
      premise: [premiseDevice(PPMID), smiDevice(other, 'ESME')],
    });
    expectRtdsPayload(draft, '8.7.2_CS03A2NonCritical', 'CS03A2NonCritical_8.7.2_SUCCESS_COMMAND_GBCS.HEX');
  });
});

describe('bad hub bodies and pairings', () => {
  const code = (e: unknown) =>
    e instanceof TransformError ? e.responseCode : e instanceof DuisError ? e.path : e;
  const run = (srv: string, xml: string, target: Eui64, records?: DspRecords) =>
    code(refusalOf(srv, bodyFromXml(srv, xml), target, records ? { records } : {}));

  it('8.11 Add without AddDeviceToCHFWhitelist names the missing element', () => {
    const xml = updateHanXml(ESME).replace(
      /<sr:AddDeviceToCHFWhitelist>.*<\/sr:AddDeviceToCHFWhitelist>/,
      '',
    );
    expect(run('8.11', xml, CHF)).toMatch(/AddDeviceToCHFWhitelist$/);
  });
  it('8.11 Add of an install code ZigBee does not define (7 octets) names InstallCode', () => {
    expect(run('8.11', updateHanXml(ESME, true, '00112233445566'), CHF)).toMatch(/InstallCode$/);
  });
  it('8.11 Add of a device not in the inventory is E19; of a GPF, E11', () => {
    expect(run('8.11', updateHanXml(eui64('0102030405060708'), true, INSTALL_CODE[ESME]), CHF)).toBe('E19');
    expect(run('8.11', updateHanXml(GPF, true, INSTALL_CODE[ESME]), CHF)).toBe('E11');
  });
  it('8.12.1 for an old CHF the DSP holds no Device Log of is E19', () => {
    expect(
      run(
        '8.12.1',
        '<sr:RestoreHANDeviceLog><sr:OldCHFID>00-DB-12-34-56-78-90-95</sr:OldCHFID></sr:RestoreHANDeviceLog>',
        CHF,
      ),
    ).toBe('E19');
  });
  it('8.7 with an unknown other device is E19; a pairing the SRV does not make is E11', () => {
    expect(run('8.7.1', joinXml('8.7.1', eui64('0102030405060708')), ESME)).toBe('E19');
    expect(run('8.7.1', joinXml('8.7.1', GPF), GSME)).toBe('E11'); // Method B is non-critical (8.7.2)
    expect(run('8.7.2', joinXml('8.7.2', PPMID), ESME)).toBe('E11'); // Method A on a meter is critical (8.7.1)
  });
  it('8.8.1 unjoining a Method B partner is E11 (CS04B is non-critical); an unknown partner is unjoined by the SRV', () => {
    expect(run('8.8.1', unjoinXml('8.8.1', GPF), GSME)).toBe('E11');
    const unknown = transform(
      '8.8.1',
      bodyFromXml('8.8.1', unjoinXml('8.8.1', eui64('0102030405060708'))),
      ESME,
    );
    expect(unknown.messageCode).toBe(0x000f);
  });
  it('8.7.1 Method C without the SMKI record goes without a certificate (RTDS CS03CNonCritical ERROR)', () => {
    const draft = transform('8.7.1', bodyFromXml('8.7.1', joinXml('8.7.1', PPMID)), GSME);
    expect(draft.payload).toMatchObject({ asn1: { view: { otherDeviceType: DeviceType.ppmid } } });
    expect((draft.payload as { asn1: { view: object } }).asn1.view).not.toHaveProperty(
      'otherDeviceCertificate',
    );
  });
  it('a malformed OtherDeviceID names it', () => {
    const xml = '<sr:JoinServiceCritical><sr:OtherDeviceID>00-DB</sr:OtherDeviceID></sr:JoinServiceCritical>';
    expect(() => transform('8.7.1', bodyFromXml('8.7.1', xml), ESME)).toThrow(/OtherDeviceID/);
  });

  const BODIES: readonly [string, Eui64, DuisRequestBody][] = [
    ['8.11', CHF, bodyFromXml('8.11', updateHanXml(ESME))],
    ['8.11', CHF, bodyFromXml('8.11', updateHanXml(ESME, false))],
    [
      '8.12.1',
      CHF,
      bodyFromXml(
        '8.12.1',
        '<sr:RestoreHANDeviceLog><sr:OldCHFID>00-DB-12-34-56-78-90-95</sr:OldCHFID></sr:RestoreHANDeviceLog>',
      ),
    ],
    ['8.9', CHF, bodyFromXml('8.9', '<sr:ReadDeviceLog><sr:ReadSecurityDetails/></sr:ReadDeviceLog>')],
    ['8.7.1', GSME, bodyFromXml('8.7.1', joinXml('8.7.1', PPMID))],
    ['8.7.2', PPMID, bodyFromXml('8.7.2', joinXml('8.7.2', ESME))],
    ['8.8.2', GSME, bodyFromXml('8.8.2', unjoinXml('8.8.2', GPF))],
    ['11.2', CHF, bodyFromXml('11.2', '<sr:ReadFirmwareVersion/>')],
    [
      '11.3',
      HCALCS,
      bodyFromXml(
        '11.3',
        '<sr:ActivateFirmware><sr:ExecutionDateTime>2030-01-01T00:00:00Z</sr:ExecutionDateTime><sr:FirmwareHash>AA758690730934FF0685AA758690730934FF0685657788990011223344556677</sr:FirmwareHash></sr:ActivateFirmware>',
      ),
    ],
  ];
  const edit: fc.Arbitrary<BodyEdit> = fc.record({
    at: fc.nat(200),
    kind: fc.nat(5),
    text: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('00-DB-12-34-56-78-90-A3', '01-02-03-04-05-06-07-08', 'Add', 'Remove', '3600', '0011'),
    ),
  });
  const records: DspRecords = { ...RECORDS, reportedDeviceLog: () => ({ extendedPanId: GPF, entries: [] }) };

  it('mutated bodies give a draft that encodes, a DuisError or a TransformError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BODIES),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        ([srv, target, body], edits) => {
          let draft: CommandDraft;
          try {
            draft = transform(srv, mutateBody(body, edits), target, { records });
          } catch (e) {
            if (e instanceof DuisError || e instanceof TransformError) return;
            throw e;
          }
          encodePayload(draft.payload, { messageCode: draft.messageCode, cra: 1 });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every hub entry names GBCS use cases its SRV produces, and no SRV/device type twice', () => {
    const pairs = new Set<string>();
    for (const e of hubTransforms()) {
      for (const useCase of e.useCase.split('/')) expect(srvInfo(e.srv)?.useCases, e.srv).toContain(useCase);
      for (const t of e.deviceTypes) {
        expect(pairs.has(`${e.srv}/${t}`)).toBe(false);
        pairs.add(`${e.srv}/${t}`);
      }
    }
    expect(HUB_TRANSFORMS.length).toBe(hubTransforms().length);
  });
});
