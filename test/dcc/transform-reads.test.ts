// SR 4.1.2 / 4.1.3 against RTDS 4.5.0, read in place: every COMMAND file of 4.1.2_ECS17d, 4.1.3_ECS17e and
// 4.1.2_GCS13c is what the registry's transform makes of its header (User, counter, target), every template present
// for those SRVs transforms to its variant's RTDS command byte for byte, and the ESME answers the RTDS ECS17d / ECS17e
// SUCCESS commands byte for byte as RTDS does when it holds the registers RTDS's answers carry.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { parseDuisRequest } from '../../src/codec/duis/request.js';
import { srvInfo } from '../../src/codec/duis/srv.js';
import type { Eui64 } from '../../src/codec/eui64.js';
import type { DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { encodePayload } from '../../src/codec/gbcs/payload.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { findTransform } from '../../src/dcc/transform/index.js';
import type { CommandDraft } from '../../src/dcc/transform/types.js';
import type { SmiDevice } from '../../src/dcc/types.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import type { ImportRegisters } from '../../src/devices/esme.js';
import { deliver, envWith, joinedEsme, sentToHub } from '../support/esme-commands.js';
import { bodyFromXml } from '../support/duis-bodies.js';
import { esmeDevice, protectedPlaintext, TEMPLATES_DIR } from '../support/transform-electricity.js';
import { DCC_TEST_DEVICES, smiDevice } from '../support/transform-gas-hub.js';
import { HAVE_VECTORS, RTDS_DIR, RTDS_KEYSTORE_DIR, skipReason } from '../vectors.js';

/** The RTDS folders of SR 4.1.2 and 4.1.3, by SRV. */
const FOLDERS = [
  { srv: '4.1.2', folder: '4.1.2_ECS17d' },
  { srv: '4.1.3', folder: '4.1.3_ECS17e' },
  { srv: '4.1.2', folder: '4.1.2_GCS13c' },
] as const;

/** RTDS's instant: every 4.5.0 response carries 2015-01-01T00:00:00Z. */
const RTDS_NOW = Date.UTC(2015, 0, 1);

const outcomes: string[] = [];

function rtdsFile(path: string): Uint8Array | undefined {
  const full = join(RTDS_DIR, path);
  return existsSync(full) ? fromHex(readFileSync(full, 'utf8')) : undefined;
}

function filesIn(folder: string, suffix: string): string[] {
  const dir = join(RTDS_DIR, folder);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)) : [];
}

/** The SMI record of an RTDS target: the test ESME (twin element when the variant says TWIN), else its DCC type. */
function targetOf(eui: Eui64, variant: string): SmiDevice {
  const type = DCC_TEST_DEVICES[eui];
  if (type === undefined) throw new Error(`${eui} is in no test inventory`);
  if (type === 'ESME')
    return esmeDevice({ deviceId: eui, esmeVariant: /(^|_)TWIN(_|$)/.test(variant) ? 'B' : 'A' });
  return smiDevice(eui, type);
}

/** What the registry's transform for `srv` makes of a body for `target`, from `user` with `counter`. */
function transformFor(
  srv: string,
  target: SmiDevice,
  user: Eui64,
  counter: bigint,
  xml?: string,
): CommandDraft {
  const entry = findTransform(srv, target.deviceType);
  if (entry === undefined) throw new Error(`no transform for ${srv} / ${target.deviceType}`);
  const body =
    xml === undefined
      ? bodyFromXml(srv, `<sr:${srvInfo(srv)!.bodyElement}/>`)
      : parseDuisRequest(parseXml(xml)).body;
  return entry.transform({
    srv: srvInfo(srv)!,
    body,
    target,
    user,
    counter,
    nowMs: RTDS_NOW,
    premiseDevices: [target],
  });
}

/** The draft is the RTDS command `path`: message code, business target, no date-time, payload byte for byte. */
function expectRtdsCommand(draft: CommandDraft, path: string, bytes: Uint8Array): void {
  const { message, spans } = parseGbcs(bytes);
  expect(draft.messageCode, path).toBe(message.header.messageCode);
  expect(draft.recipient, path).toBe(message.header.recipient);
  expect(draft.dateTime, path).toEqual(message.header.dateTime);
  const ours = encodePayload(draft.payload, { messageCode: draft.messageCode, cra: 1 });
  expect(toHex(ours), path).toBe(toHex(bytes.subarray(spans.contentStart, spans.contentEnd)));
}

describe.skipIf(!HAVE_VECTORS)('4.1.2 / 4.1.3 transforms vs the RTDS 4.5.0 commands', () => {
  for (const { srv, folder } of FOLDERS) {
    const files = HAVE_VECTORS ? filesIn(folder, '_COMMAND_GBCS.HEX') : [];
    it(`${folder}: the transform of each COMMAND's header is the command, byte for byte`, (ctx) => {
      if (files.length === 0) return ctx.skip(`${folder}: no COMMAND file in this copy`);
      for (const file of files) {
        const bytes = rtdsFile(join(folder, file))!;
        const h = parseGbcs(bytes).message.header;
        const variant = file.replace(/^[^_]+_[\d.]+_/, '').replace(/_COMMAND_GBCS\.HEX$/, '');
        const draft = transformFor(srv, targetOf(h.recipient, variant), h.originator, h.originatorCounter);
        expectRtdsCommand(draft, `${folder}/${file}`, bytes);
        outcomes.push(`exact  ${folder}/${file} (from its header)`);
      }
    });
  }

  it('each 4.1.2 / 4.1.3 template present transforms to its variant RTDS command, byte for byte', (ctx) => {
    const templates = existsSync(TEMPLATES_DIR)
      ? readdirSync(TEMPLATES_DIR).filter((f) =>
          /^(ECS17d|ECS17e|GCS13c)_4\.1\.[23]_.*_REQUEST_DUIS\.XML$/.test(f),
        )
      : [];
    if (templates.length === 0) return ctx.skip('no 4.1.2 / 4.1.3 template in this copy');
    for (const file of templates) {
      const m = /^([A-Za-z0-9]+)_([\d.]+)_(.*)_REQUEST_DUIS\.XML$/.exec(file)!;
      const [, useCase, srv, variant] = m as unknown as [string, string, string, string];
      const xml = readFileSync(join(TEMPLATES_DIR, file), 'utf8');
      const id = parseDuisRequest(parseXml(xml)).header.requestId;
      const draft = transformFor(srv, targetOf(id.target, variant), id.originator, id.counter, xml);
      const path = join(`${srv}_${useCase}`, `${useCase}_${srv}_${variant}_COMMAND_GBCS.HEX`);
      const bytes = rtdsFile(path);
      if (bytes === undefined) {
        outcomes.push(`no RTDS command  ${file}`);
        continue;
      }
      expectRtdsCommand(draft, path, bytes);
      outcomes.push(`exact  ${file} ↔ ${path}`);
    }
  });

  afterAll(() => console.log(['4.1.2 / 4.1.3 vs RTDS 4.5.0:', ...outcomes.map((o) => `  ${o}`)].join('\n')));
});

describe.skipIf(!HAVE_VECTORS)('the ESME answers the RTDS ECS17d / ECS17e commands as RTDS does', () => {
  const env = HAVE_VECTORS ? envWith(loadKeyStoreFolder(RTDS_KEYSTORE_DIR)) : undefined!;

  /** The register arrays of an RTDS answer's plaintext (structure { structure { array … } }), decrypted in place. */
  function rtdsRegisters(response: Uint8Array): number[][] {
    const { message } = parseGbcs(response);
    const p = message.payload;
    if (p.kind !== 'dlms' || p.dlms.type !== 'access-response') throw new Error('not an access-response');
    const h = message.header;
    const plain = protectedPlaintext(env, p.dlms.data[0], {
      user: h.recipient,
      counter: h.originatorCounter,
      esme: h.originator,
    });
    const inner = plain.type === 'structure' ? plain.value[0] : undefined;
    if (inner?.type !== 'structure') throw new Error('unexpected RTDS plaintext');
    const values = (d: DlmsData): number[] =>
      d.type === 'array' ? d.value.map((v) => (v.type === 'double-long-unsigned' ? v.value : NaN)) : [];
    return inner.value.map(values);
  }

  const cases: { stem: string; registers: (arrays: number[][]) => Partial<ImportRegisters> }[] = [
    { stem: '4.1.2_ECS17d/ECS17d_4.1.2_SINGLE', registers: ([tou]) => ({ tou: tou! }) },
    {
      stem: '4.1.2_ECS17d/ECS17d_4.1.2_TWIN',
      registers: ([tou, second]) => ({ tou: tou!, secondElementTou: second! }),
    },
    { stem: '4.1.3_ECS17e/ECS17e_4.1.3', registers: ([touBlocks]) => ({ touBlocks: touBlocks! }) },
  ];

  it.each(cases)(
    '$stem: the response equals the RTDS SUCCESS response byte for byte',
    ({ stem, registers }) => {
      const command = rtdsFile(`${stem}_SUCCESS_COMMAND_GBCS.HEX`);
      const expected = rtdsFile(`${stem}_SUCCESS_RESPONSE_GBCS.HEX`);
      if (command === undefined || expected === undefined)
        return void console.warn(`${stem}: not present, skipped`);
      const arrays = rtdsRegisters(expected);
      const esme = joinedEsme({ registers: { activeWh: 0, reactiveVarh: 0, ...registers(arrays) } });
      const sent = sentToHub(deliver(esme, command, env, RTDS_NOW).effects);
      expect(sent).toHaveLength(1);
      expect(toHex(sent[0]!)).toBe(toHex(expected));
    },
  );
});

if (!HAVE_VECTORS) console.warn(`transform-reads (4.1.2 / 4.1.3 vs RTDS): ${skipReason()}`);
