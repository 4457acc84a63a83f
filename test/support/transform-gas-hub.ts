// Test helpers for the gas and hub transforms: SMI records of the test premise, DUIS bodies from XML, the transforms by SRV and device type, a draft sealed as the DCC would, the DUIS templates and their RTDS 4.5.0 counterparts (read in place).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuisError } from '../../src/codec/duis/common.js';
import { parseDuisRequest, type DuisRequest, type DuisRequestBody } from '../../src/codec/duis/request.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { fromHex } from '../../src/codec/bytes.js';
import { parseGbcs, type ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { messageCodeInfo } from '../../src/codec/gbcs/message-codes.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { sealGbcs } from '../../src/crypto/message-protection.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import type { TransformEntry } from '../../src/dcc/transform/entry.js';
import { GAS_TRANSFORMS } from '../../src/dcc/transform/gas.js';
import { HUB_TRANSFORMS, hubTransforms, type DspRecords } from '../../src/dcc/transform/hub.js';
import { TransformError, type CommandDraft, type TransformInput } from '../../src/dcc/transform/types.js';
import type { SmiDevice, SmiDeviceType } from '../../src/dcc/types.js';
import type { ActorEnv } from '../../src/devices/types.js';
import { RTDS_DIR, vectorPath } from '../vectors.js';
import { ACB, CHF, ESME, GPF, GSME, HCALCS, IHD, PPMID, SUPPLIER } from './identities.js';
import { unsealedMessage } from './sealing.js';

export { ACB, CHF, ESME, GPF, GSME, HCALCS, IHD, PPMID, SUPPLIER };

/** 2025-01-01T00:00:00Z, as test/support/gas-commands.ts T0: the transforms' "now" in the behaviour tests. */
export const TRANSFORM_NOW = Date.UTC(2025, 0, 1);

/** An SMI record: commissioned, supplied by the test supplier. */
export function smiDevice(
  deviceId: Eui64,
  deviceType: SmiDeviceType,
  extra: Partial<SmiDevice> = {},
): SmiDevice {
  return {
    deviceId,
    deviceType,
    status: 'Commissioned',
    manufacturer: 'Twin',
    model: `${deviceType}-1`,
    smetsChtsVersion: 'V4.2',
    firmwareVersion: '00000100',
    firmwareVersionStatus: 'Active',
    cplStatus: 'Active',
    gbcsVersion: '4.0',
    supplier: SUPPLIER,
    ...extra,
  };
}

/** The test premise (test/support/identities.ts): one device of each kind on the CHF. */
export const PREMISE: readonly SmiDevice[] = [
  smiDevice(ESME, 'ESME', { chf: CHF }),
  smiDevice(GSME, 'GSME', { chf: CHF, gpf: GPF }),
  smiDevice(CHF, 'CHF'),
  smiDevice(GPF, 'GPF', { chf: CHF, gpf: GSME }),
  smiDevice(PPMID, 'PPMID', { chf: CHF, associatedMeter: ESME }),
  smiDevice(HCALCS, 'HCALCS', { chf: CHF, associatedMeter: ESME }),
  smiDevice(IHD, 'IHD', { chf: CHF, associatedMeter: ESME }),
];

export function premiseDevice(eui: Eui64): SmiDevice {
  const d = PREMISE.find((p) => p.deviceId === eui);
  if (d === undefined) throw new Error(`no test device ${eui}`);
  return d;
}

/** The entry for an SRV and device type among `entries` (the gas and hub rows by default). */
export function entryFor(
  srv: string,
  deviceType: SmiDeviceType,
  entries: readonly TransformEntry[] = [...GAS_TRANSFORMS, ...HUB_TRANSFORMS],
): TransformEntry | undefined {
  return entries.find((e) => e.srv === srv && e.deviceTypes.includes(deviceType));
}

export { bodyFromXml } from './duis-bodies.js';

export interface RunOptions {
  readonly counter?: bigint;
  readonly nowMs?: number;
  readonly user?: Eui64;
  readonly premise?: readonly SmiDevice[];
  /** DSP records for the hub transforms (certificates, reported CHF logs). */
  readonly records?: DspRecords;
  /** Extra input fields, e.g. the proposed `originatorCounter`. */
  readonly extra?: Record<string, unknown>;
}

export function inputFor(
  srv: string,
  body: DuisRequestBody,
  target: SmiDevice,
  o: RunOptions = {},
): TransformInput {
  return {
    srv: srvInfo(srv)!,
    body,
    target,
    user: o.user ?? SUPPLIER,
    counter: o.counter ?? 1000n,
    nowMs: o.nowMs ?? TRANSFORM_NOW,
    premiseDevices: o.premise ?? PREMISE,
    ...o.extra,
  } as TransformInput;
}

/** Runs the SRV's gas or hub transform for `target` (an EUI of the test premise, or an SMI record). */
export function transform(
  srv: string,
  body: DuisRequestBody,
  target: Eui64 | SmiDevice,
  o: RunOptions = {},
): CommandDraft {
  const device = typeof target === 'string' ? premiseDevice(target) : target;
  const entries = [
    ...GAS_TRANSFORMS,
    ...(o.records === undefined ? HUB_TRANSFORMS : hubTransforms(o.records)),
  ];
  const entry = entryFor(srv, device.deviceType, entries);
  if (entry === undefined) throw new Error(`no transform for ${srv} to a ${device.deviceType}`);
  return entry.transform(inputFor(srv, body, device, o));
}

/** The typed error a transform throws (DuisError or TransformError); fails when it succeeds or throws another. */
export function refusalOf(
  srv: string,
  body: DuisRequestBody,
  target: Eui64 | SmiDevice,
  o: RunOptions = {},
): DuisError | TransformError {
  try {
    transform(srv, body, target, o);
  } catch (e) {
    if (e instanceof DuisError || e instanceof TransformError) return e;
    throw e;
  }
  throw new Error(`SRV ${srv}: the transform accepted the body`);
}

/**
 * Who the DCC makes the originator (domain brief §2.2; RTDS 4.5.0): the ACB, with the User as Supplementary Remote
 * Party, for every command to a CHF, PPMID or IHD and the non-critical ones to an HCALCS; otherwise the User.
 */
export function acbOriginated(target: SmiDeviceType, critical: boolean): boolean {
  return target === 'CHF' || target === 'PPMID' || target === 'IHD' || (target === 'HCALCS' && !critical);
}

export interface SealOptions {
  readonly target: SmiDeviceType;
  /** The RequestID counter: the originator's when the User originates, the SRP counter when the ACB does. */
  readonly counter: bigint;
  /** The ACB's own counter when it originates (default: `counter`). */
  readonly acbCounter?: bigint;
  readonly user?: Eui64;
}

/** The draft as the DCC sends it: originator and counters as above, signed by the originator if critical, ACB MAC. */
export function sealDraft(env: ActorEnv, draft: CommandDraft, o: SealOptions): Uint8Array {
  const user = o.user ?? SUPPLIER;
  const critical = messageCodeInfo(draft.messageCode)?.critical === true;
  const byAcb = acbOriginated(o.target, critical);
  const originator = byAcb ? ACB : user;
  const message = unsealedMessage({
    from: originator,
    to: draft.recipient,
    counter: byAcb ? (o.acbCounter ?? o.counter) : o.counter,
    messageCode: draft.messageCode,
    payload: draft.payload,
    ...(byAcb && { onBehalfOf: { user, counter: o.counter } }),
  });
  const key = critical ? env.protection.keys.privateKey({ eui: originator, usage: 'DS' }) : undefined;
  return sealGbcs(
    { ...message, header: { ...message.header, dateTime: draft.dateTime } },
    env.protection,
    key,
  );
}

/** KA certificates of the test fleet's devices (a test SMKI repository), valid at `notBefore`, each issued once. */
export function testSmki(notBefore: number): (eui: Eui64) => Uint8Array | undefined {
  const pki = new TestPki({ seed: 'test-fleet', notBefore: new Date(notBefore) });
  const types: Partial<Record<string, 'gsme' | 'esme' | 'ppmid' | 'hcalcs'>> = {
    [GSME]: 'gsme',
    [ESME]: 'esme',
    [PPMID]: 'ppmid',
    [HCALCS]: 'hcalcs',
  };
  const issued = new Map<Eui64, Uint8Array>();
  return (eui) => {
    const deviceType = types[eui];
    if (deviceType === undefined) return undefined;
    let certificate = issued.get(eui);
    if (certificate === undefined) {
      certificate = pki.issueDeviceCertificate({ eui, deviceType, usage: 'KA' }).certificate;
      issued.set(eui, certificate);
    }
    return certificate;
  };
}

// ---- The DUIS templates and RTDS 4.5.0, read in place ----

export const TEMPLATES_DIR = vectorPath('duis-templates', 'templates');

export interface TemplateFile {
  readonly file: string;
  /** As named: 'GCS02', 'CS03A2Critical', 'GCS28Commission'. */
  readonly useCaseName: string;
  readonly srv: string;
  /** The words between the SRV and REQUEST: 'IMMEDIATE_SUCCESS', 'SUCCESS_RELIABLE_GPF' … */
  readonly variant: string;
}

const TEMPLATE_NAME = /^([A-Za-z0-9]+)_(\d+(?:\.\d+)*)_(?:(.*)_)?REQUEST_DUIS\.XML$/;

export function templateFiles(): TemplateFile[] {
  if (!existsSync(TEMPLATES_DIR)) return [];
  return readdirSync(TEMPLATES_DIR)
    .sort()
    .flatMap((file) => {
      const m = TEMPLATE_NAME.exec(file);
      return m === null ? [] : [{ file, useCaseName: m[1]!, srv: m[2]!, variant: m[3] ?? '' }];
    });
}

export function readTemplate(file: string): DuisRequest {
  return parseDuisRequest(parseXml(readFileSync(join(TEMPLATES_DIR, file))));
}

/** The GBCS use case a template or RTDS name starts with: 'CS03A2Critical' → 'CS03A2', 'GCS28Commission' → 'GCS28'. */
export function baseUseCase(name: string): string {
  return name.replace(/(Commission|NonCritical|Critical)$/, '');
}

/**
 * The RTDS 4.5.0 COMMAND of a template's use case and variant: `<SRV>_<name>/<name>_<SRV>_<variant>_COMMAND`, else the
 * same base use case and variant under another SRV (8.1.1 GCS28Commission → 6.11 GCS28: the same GCS28 command).
 */
export function rtdsCommandFor(
  t: TemplateFile,
): { file: string; parsed: ParsedGbcs; bytes: Uint8Array } | undefined {
  if (!existsSync(RTDS_DIR)) return undefined;
  const exact = join(
    RTDS_DIR,
    `${t.srv}_${t.useCaseName}`,
    `${t.useCaseName}_${t.srv}_${t.variant}_COMMAND_GBCS.HEX`,
  );
  let file: string | undefined = existsSync(exact) ? exact : undefined;
  if (file === undefined) {
    const base = baseUseCase(t.useCaseName);
    for (const folder of readdirSync(RTDS_DIR).sort()) {
      const m = /^(.+?)_([A-Za-z0-9]+)$/.exec(folder);
      if (m === null || m[2] !== base || m[1] === t.srv) continue;
      const candidate = join(RTDS_DIR, folder, `${base}_${m[1]}_${t.variant}_COMMAND_GBCS.HEX`);
      if (existsSync(candidate)) {
        file = candidate;
        break;
      }
    }
  }
  if (file === undefined) return undefined;
  const bytes = fromHex(readFileSync(file, 'utf8'));
  return { file: file.slice(RTDS_DIR.length + 1), parsed: parseGbcs(bytes), bytes };
}

/**
 * Device types of the EUIs the DCC's test data names (RTDS 4.5.0 and the templates): the test premise's role octets
 * (A0 ESME … A6 IHD), and the devices RTDS joins them with, typed as RTDS's join commands type them (8.7.1_CS03A1:
 * …-9A hcalcs; 8.7.1_CS03A2Critical and 8.7.2_CS03A2NonCritical: …-93 esme; 8.7.2_CS03B: …-9C gpf;
 * 8.7.2_CS03CNonCritical: …-94 gsme) and, for …-98, the Method C partner of a GSME (template CS03CCritical_8.7.1): a
 * PPMID [A]. Other EUIs (01-02-03-04-05-06-07-08, the old CHF …-95) are in no inventory.
 */
export const DCC_TEST_DEVICES: Readonly<Record<string, SmiDeviceType>> = {
  [ESME]: 'ESME',
  [GSME]: 'GSME',
  [CHF]: 'CHF',
  [GPF]: 'GPF',
  [PPMID]: 'PPMID',
  [HCALCS]: 'HCALCS',
  [IHD]: 'IHD',
  [eui64('00DB12345678909A')]: 'HCALCS',
  [eui64('00DB123456789093')]: 'ESME',
  [eui64('00DB12345678909C')]: 'GPF',
  [eui64('00DB123456789094')]: 'GSME',
  [eui64('00DB123456789098')]: 'PPMID',
};

// ---- Mutated bodies for the property tests ----

/** One edit of a body tree: at node `at` (document order, modulo the count), of `kind`, with `text`. */
export interface BodyEdit {
  readonly at: number;
  readonly kind: number;
  readonly text: string;
}

type Tree = DuisRequestBody['children'][number];

/** The body with the edits applied, one after another (remove, retext, duplicate, rename, empty, attribute). */
export function mutateBody(body: DuisRequestBody, edits: readonly BodyEdit[]): DuisRequestBody {
  let children = body.children;
  for (const edit of edits) {
    const names: string[] = [];
    const count = (list: readonly Tree[]): number =>
      list.reduce((n, c) => {
        names.push(c.name);
        return n + 1 + ('children' in c ? count(c.children) : 0);
      }, 0);
    const total = count(children);
    if (total === 0) {
      children = [
        { name: edit.text === '' ? 'X' : edit.text.replace(/[^A-Za-z]/g, '') || 'X', text: edit.text || '1' },
      ];
      continue;
    }
    let index = edit.at % total;
    const apply = (list: readonly Tree[]): Tree[] =>
      list.flatMap((c): Tree[] => {
        if (index-- === 0) {
          switch (edit.kind % 6) {
            case 0:
              return [];
            case 1:
              return [{ name: c.name, text: edit.text === '' ? ' ' : edit.text }];
            case 2:
              return [c, c];
            case 3:
              return [{ ...c, name: names[edit.text.length % names.length]! }];
            case 4:
              return [{ name: c.name, children: [] }];
            default:
              return [{ ...c, attributes: { index: edit.text } }];
          }
        }
        return 'children' in c ? [{ ...c, children: apply(c.children) }] : [c];
      });
    children = apply(children);
  }
  return { ...body, children };
}
