// Conformance of the gas and hub transforms: every DUIS template present whose SRV and target they serve is transformed and its payload compared with the RTDS 4.5.0 command of the same use case and variant, byte for byte after normalising the fields that legitimately differ.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesEqual, toHex } from '../../src/codec/bytes.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import { eui64FromBytes, type Eui64 } from '../../src/codec/eui64.js';
import type { DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import { messageCodesForUseCase } from '../../src/codec/gbcs/message-codes.js';
import { encodePayload, type GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { GAS_TRANSFORMS } from '../../src/dcc/transform/gas.js';
import { hubTransforms, type ReportedDeviceLog } from '../../src/dcc/transform/hub.js';
import type { SmiDevice } from '../../src/dcc/types.js';
import {
  baseUseCase,
  DCC_TEST_DEVICES,
  entryFor,
  readTemplate,
  rtdsCommandFor,
  smiDevice,
  templateFiles,
  type TemplateFile,
} from '../support/transform-gas-hub.js';
import { HAVE_VECTORS, RTDS_KEYSTORE_DIR, skipReason } from '../vectors.js';

/** The RTDS commands' issue time: their ZSE Issuer Event IDs are 0x1C374A80 = 2015-01-01T00:00:00Z [O]. */
const RTDS_ISSUE_TIME = Date.UTC(2015, 0, 1);

/** An SMKI repository of the RTDS devices: their KA certificates from the RTDS key folder. */
function rtdsKaCertificate(eui: Eui64): Uint8Array | undefined {
  try {
    const pem = readFileSync(join(RTDS_KEYSTORE_DIR, `${eui.toLowerCase()}-ka.pem`), 'utf8');
    return Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  } catch {
    return undefined;
  }
}

/**
 * CCS03's payload is the DSP's record of the old CHF's Device Log, not the request body (which names only OldCHFID):
 * the record is read back from the RTDS CCS03 command itself, so this checks the encoding only.
 */
function recordedLog(rtdsPayload: GbcsPayload | undefined): ReportedDeviceLog | undefined {
  if (rtdsPayload?.kind !== 'dlms' || rtdsPayload.dlms.type !== 'access-request') return undefined;
  const restore = rtdsPayload.dlms.data[0];
  if (restore?.type !== 'structure') return undefined;
  const [pan, list] = restore.value;
  if (pan?.type !== 'octet-string' || list?.type !== 'array') return undefined;
  const octetsOf = (d: DlmsData | undefined) => (d?.type === 'octet-string' ? d.value : new Uint8Array(0));
  return {
    extendedPanId: eui64FromBytes(pan.value),
    entries: list.value.map((e) => {
      const pair = e.type === 'structure' ? e.value : [];
      return { device: eui64FromBytes(octetsOf(pair[0])), linkKeyHash: octetsOf(pair[1]) };
    }),
  };
}

interface Outcome {
  readonly template: string;
  readonly rtds?: string;
  readonly kind: 'exact' | 'normalised' | 'differing' | 'no-rtds';
  readonly why?: string;
}

/** Our payload with the fields that legitimately differ from RTDS's set to RTDS's; the reasons. */
function normalise(ours: GbcsPayload, rtds: GbcsPayload): { payload: GbcsPayload; why: string[] } {
  const why: string[] = [];
  if (ours.kind === 'dlms' && rtds.kind === 'dlms' && ours.dlms.type === 'access-request') {
    const theirs = rtds.dlms.type === 'access-request' ? rtds.dlms.invokeIdAndPriority : undefined;
    if (theirs !== undefined && theirs !== ours.dlms.invokeIdAndPriority) {
      why.push('DLMS invoke-id follows the ACB counter, the contract gives the User counter');
      return { payload: { ...ours, dlms: { ...ours.dlms, invokeIdAndPriority: theirs } }, why };
    }
  }
  if (ours.kind === 'asn1' && rtds.kind === 'asn1') {
    const a = ours.asn1.view;
    const b = rtds.asn1.view;
    if (a?.kind === 'joinDeviceCommand' && b?.kind === 'joinDeviceCommand' && b.otherDeviceCertificate) {
      const same = a.otherDeviceCertificate && bytesEqual(a.otherDeviceCertificate, b.otherDeviceCertificate);
      if (!same) {
        why.push("RTDS carries another device's KA certificate (00-DB-12-34-56-78-90-A1's for …-94)");
        return { payload: rtds, why };
      }
    }
  }
  return { payload: ours, why };
}

function check(t: TemplateFile): Outcome | undefined {
  const req = readTemplate(t.file);
  const id = req.header.requestId;
  const type = DCC_TEST_DEVICES[id.target];
  if (type === undefined) return undefined;
  const rtds = rtdsCommandFor(t);
  const entries = [
    ...GAS_TRANSFORMS,
    ...hubTransforms({
      kaCertificate: rtdsKaCertificate,
      reportedDeviceLog: () => recordedLog(rtds?.parsed.message.payload),
    }),
  ];
  const entry = entryFor(t.srv, type, entries);
  if (entry === undefined) return undefined;
  const target = smiDevice(id.target, type);
  // The premise: the target and every device of the DCC test data the body names (an EUI outside it is in no SMI).
  const named = [...JSON.stringify(req.body).matchAll(/"([0-9A-F]{2}(?:-[0-9A-F]{2}){7})"/g)]
    .map((m) => m[1]!.replace(/-/g, '') as Eui64)
    .filter((e) => DCC_TEST_DEVICES[e] !== undefined);
  const premise: SmiDevice[] = [target, ...named.map((e) => smiDevice(e, DCC_TEST_DEVICES[e]!))];
  const draft = entry.transform({
    srv: srvInfo(t.srv)!,
    body: req.body,
    target,
    user: id.originator,
    counter: id.counter,
    nowMs: RTDS_ISSUE_TIME,
    premiseDevices: premise,
  });
  const expectedCodes = messageCodesForUseCase(baseUseCase(t.useCaseName)).map((r) => r.code);
  expect(expectedCodes, t.file).toContain(draft.messageCode);
  expect(draft.recipient, t.file).toBe(id.target);
  const ctx = { messageCode: draft.messageCode, cra: 1 as const };
  const ours = encodePayload(draft.payload, ctx);
  if (rtds === undefined) return { template: t.file, kind: 'no-rtds' };
  expect(rtds.parsed.message.header.messageCode, t.file).toBe(draft.messageCode);
  expect(rtds.parsed.message.header.recipient, t.file).toBe(draft.recipient);
  const { spans } = rtds.parsed;
  const theirs = rtds.bytes.slice(spans.contentStart, spans.contentEnd);
  if (bytesEqual(ours, theirs)) return { template: t.file, rtds: rtds.file, kind: 'exact' };
  const n = normalise(draft.payload, rtds.parsed.message.payload);
  if (n.why.length > 0 && bytesEqual(encodePayload(n.payload, ctx), theirs))
    return { template: t.file, rtds: rtds.file, kind: 'normalised', why: n.why.join('; ') };
  return {
    template: t.file,
    rtds: rtds.file,
    kind: 'differing',
    why: `ours ${toHex(ours)}\nRTDS ${toHex(theirs)}`,
  };
}

describe.skipIf(!HAVE_VECTORS)('gas and hub transforms against the DUIS templates and RTDS 4.5.0', () => {
  it('transforms every template present it serves into the RTDS command of its use case and variant', () => {
    const outcomes = templateFiles()
      .map(check)
      .filter((o): o is Outcome => o !== undefined);
    const count = (k: Outcome['kind']) => outcomes.filter((o) => o.kind === k).length;
    for (const o of outcomes)
      console.log(
        `${o.kind.padEnd(10)} ${o.template}${o.rtds ? ` ↔ ${o.rtds}` : ''}${o.why ? `: ${o.why}` : ''}`,
      );
    console.log(
      `gas/hub transforms: ${outcomes.length} templates, ${count('exact')} exact, ${count('normalised')} equal after ` +
        `normalising, ${count('differing')} differing, ${count('no-rtds')} without an RTDS command in this copy`,
    );
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.kind === 'differing')).toEqual([]);
  });
});

if (!HAVE_VECTORS) console.warn(`transform-gas-hub conformance: ${skipReason()}`);
