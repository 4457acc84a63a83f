// The ESME transforms against the vectors: every DUIS template present for an ESME use case, transformed, compared with the RTDS 4.5.0 command of the same variant.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { parseDuisRequest } from '../../src/codec/duis/request.js';
import { parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import { encodePayload, type GbcsPayload } from '../../src/codec/gbcs/payload.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { ELECTRICITY_TRANSFORMS } from '../../src/dcc/transform/electricity.js';
import type { CommandDraft } from '../../src/dcc/transform/types.js';
import {
  entryFor,
  esmeDevice,
  inputFor,
  TEMPLATES_DIR,
  templateFiles,
  type TemplateFile,
} from '../support/transform-electricity.js';
import { HAVE_VECTORS, RTDS_DIR, skipReason } from '../vectors.js';

/** ECS08a templates (the newer GBCS name, same body) are transformed as ECS08, the use case RTDS 4.5.0 shows. */
const SENT_AS: Readonly<Record<string, string>> = { ECS08a: 'ECS08' };

/** The use case a template name starts with, when it is one the SRV's ESME entry produces ('CS02bSupplierBySupplier' → CS02b). */
function implementedUseCase(t: TemplateFile): string | undefined {
  const entry = ELECTRICITY_TRANSFORMS.find((e) => e.srv === t.srv);
  if (entry === undefined) return undefined;
  const produced = entry.useCase.split('/');
  const sentAs = SENT_AS[t.useCaseName];
  if (sentAs !== undefined && produced.includes(sentAs)) return t.useCaseName;
  return produced.find((u) => t.useCaseName === u || new RegExp(`^${u}[A-Z]`).test(t.useCaseName));
}

interface Outcome {
  readonly name: string;
  readonly result: 'exact' | 'equal after normalising' | 'differs' | 'no RTDS file';
  readonly note: string;
}

const outcomes: Outcome[] = [];

const NEAREST_VARIANTS = ['SINGLE_SUCCESS', 'SUCCESS'];

/** The RTDS command of `useCaseName` / `srv` / `variant`: the Pre-Command when there is one (critical), else the Command. */
function rtdsCommand(
  useCaseName: string,
  srv: string,
  variant: string,
): { file: string; message: GbcsMessage } | undefined {
  const stem = [useCaseName, srv, ...(variant === '' ? [] : [variant])].join('_');
  for (const kind of ['PRECOMMAND', 'COMMAND']) {
    const file = join(`${srv}_${useCaseName}`, `${stem}_${kind}_GBCS.HEX`);
    const path = join(RTDS_DIR, file);
    if (existsSync(path)) return { file, message: parseGbcs(fromHex(readFileSync(path, 'utf8'))).message };
  }
  return undefined;
}

const bytesOf = (p: GbcsPayload, messageCode: number): Uint8Array =>
  encodePayload(p, { messageCode, cra: 1 });

/**
 * What may legitimately differ: the DLMS invoke-id (set to RTDS's), and certificates, which the templates (RTDS 4.9.1
 * era) carry anew (each replaced by an empty SEQUENCE). Returns the payload with those set aside.
 */
function normalised(p: GbcsPayload, like: GbcsPayload): GbcsPayload {
  if (p.kind === 'dlms' && like.kind === 'dlms')
    return { ...p, dlms: { ...p.dlms, invokeIdAndPriority: like.dlms.invokeIdAndPriority } };
  if (p.kind === 'asn1' && p.asn1.view?.kind === 'updateSecurityCredentialsCommand') {
    const v = p.asn1.view;
    const mask = (): Uint8Array => Uint8Array.of(0x30, 0x00); // an empty SEQUENCE stands for any certificate
    return {
      kind: 'asn1',
      asn1: {
        tree: p.asn1.tree,
        view: {
          ...v,
          replacements: v.replacements.map((r) => ({ ...r, replacingCertificate: mask() })),
          certificationPathCertificates: v.certificationPathCertificates.map(mask),
        },
      },
    };
  }
  return p;
}

function compare(
  name: string,
  draft: CommandDraft,
  rtds: { file: string; message: GbcsMessage } | undefined,
): void {
  if (rtds === undefined) {
    outcomes.push({ name, result: 'no RTDS file', note: 'held back or not in RTDS 4.5.0' });
    return;
  }
  const { header, payload } = rtds.message;
  expect(draft.messageCode, `${name}: message code`).toBe(header.messageCode);
  expect(draft.recipient, `${name}: business target`).toBe(header.recipient);
  expect(draft.dateTime, `${name}: grouping-header date-time`).toEqual(header.dateTime);
  const ours = bytesOf(draft.payload, draft.messageCode);
  const theirs = bytesOf(payload, header.messageCode);
  if (toHex(ours) === toHex(theirs)) {
    outcomes.push({ name, result: 'exact', note: rtds.file });
    return;
  }
  const a = bytesOf(normalised(draft.payload, payload), draft.messageCode);
  const b = bytesOf(normalised(payload, payload), header.messageCode);
  const equal = toHex(a) === toHex(b);
  const why =
    draft.payload.kind === 'dlms' ? 'invoke-id' : 'certificates (templates carry newer test certificates)';
  outcomes.push({
    name,
    result: equal ? 'equal after normalising' : 'differs',
    note: `${rtds.file}: ${why}`,
  });
  expect(toHex(a), `${name} vs ${rtds.file}`).toBe(toHex(b));
}

/** Transforms a parsed template request for the ESME it names (twin element when the variant says TWIN). */
function transformTemplate(xml: string | Uint8Array, srv: string, variant: string): CommandDraft {
  const req = parseDuisRequest(parseXml(xml));
  const id = req.header.requestId;
  const target = esmeDevice({ deviceId: id.target, esmeVariant: /(^|_)TWIN(_|$)/.test(variant) ? 'B' : 'A' });
  return entryFor(srv).transform(
    inputFor(srv, req.body, { target, user: id.originator, counter: id.counter }),
  );
}

describe.skipIf(!HAVE_VECTORS)('ESME transforms vs RTDS 4.5.0 (templates present)', () => {
  const templates = HAVE_VECTORS ? templateFiles().filter((t) => implementedUseCase(t) !== undefined) : [];

  it('finds ESME templates', () => expect(templates.length).toBeGreaterThan(0));

  for (const t of templates)
    it(t.file, () => {
      const draft = transformTemplate(readFileSync(join(TEMPLATES_DIR, t.file)), t.srv, t.variant);
      const sentAs = SENT_AS[t.useCaseName];
      const useCase =
        rtdsCommand(t.useCaseName, t.srv, t.variant) === undefined
          ? (sentAs ?? t.useCaseName)
          : t.useCaseName;
      const exact = rtdsCommand(useCase, t.srv, t.variant);
      // A template without a SUCCESS variant RTDS names (ECS17b's plain and DSP-future-dated requests: the DSP holds the
      // latter, the command is the same) is compared with the RTDS SINGLE_SUCCESS / SUCCESS command of the use case.
      const nearest = NEAREST_VARIANTS.map((v) => rtdsCommand(useCase, t.srv, v)).find(
        (r) => r !== undefined,
      );
      const label = `${t.file}${sentAs !== undefined ? ` (sent as ${sentAs})` : ''}`;
      compare(
        exact === undefined && nearest !== undefined ? `${label} (nearest RTDS variant)` : label,
        draft,
        exact ?? nearest,
      );
    });

  // Variants held back from the templates, made from a present template by the one change that defines them.
  const derived: {
    name: string;
    from: string;
    srv: string;
    edit: (xml: string) => string;
    rtds: [string, string];
  }[] = [
    {
      name: '1.6 ECS02 IMMEDIATE_SINGLE (FUTURE_DATED_TWIN without ExecutionDateTime, counter 1002)',
      from: 'ECS02_1.6_FUTURE_DATED_TWIN_SUCCESS_REQUEST_DUIS.XML',
      srv: '1.6',
      edit: (x) => withCounter(x.replace(/<sr:ExecutionDateTime>[^<]*<\/sr:ExecutionDateTime>/, ''), 1002),
      rtds: ['ECS02', 'IMMEDIATE_SINGLE_SUCCESS'],
    },
    {
      name: '11.3 CS06 FUTURE_DATED (IMMEDIATE + ExecutionDateTime 2030-01-15T09:00:00Z, counter 1001)',
      from: 'CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML',
      srv: '11.3',
      edit: (x) =>
        withCounter(
          x.replace(
            '<sr:FirmwareHash>',
            '<sr:ExecutionDateTime>2030-01-15T09:00:00Z</sr:ExecutionDateTime><sr:FirmwareHash>',
          ),
          1001,
        ),
      rtds: ['CS06', 'FUTURE_DATED_SUCCESS'],
    },
    {
      name: '7.3 ECS44 (the 7.2 template with ArmSupply)',
      from: 'ECS43_7.2_SUCCESS_REQUEST_DUIS.XML',
      srv: '7.3',
      edit: (x) => x.replace('<sr:DisableSupply/>', '<sr:ArmSupply/>').replace(/>7\.2</g, '>7.3<'),
      rtds: ['ECS44', 'SUCCESS'],
    },
    {
      name: '4.18 ECS82 (the 7.4 template with ReadMeterBalance)',
      from: 'ECS45_7.4_SUCCESS_REQUEST_DUIS.XML',
      srv: '4.18',
      edit: (x) => x.replace('<sr:ReadSupplyStatus/>', '<sr:ReadMeterBalance/>').replace(/>7\.4</g, '>4.18<'),
      rtds: ['ECS82', 'SUCCESS'],
    },
  ];
  for (const d of derived)
    it(`derived: ${d.name}`, (ctx) => {
      if (!existsSync(join(TEMPLATES_DIR, d.from))) return ctx.skip(`template ${d.from} not present`);
      const variant = d.rtds[1];
      const draft = transformTemplate(
        d.edit(readFileSync(join(TEMPLATES_DIR, d.from), 'utf8')),
        d.srv,
        variant,
      );
      compare(`derived ${d.name}`, draft, rtdsCommand(d.rtds[0], d.srv, variant));
    });

  afterAll(() => {
    const count = (r: Outcome['result']) => outcomes.filter((o) => o.result === r).length;
    console.log(
      [
        `ESME transforms vs RTDS 4.5.0: ${count('exact')} exact, ${count('equal after normalising')} equal after ` +
          `normalising, ${count('differs')} differing, ${count('no RTDS file')} without an RTDS command`,
        ...outcomes.map((o) => `  ${o.result.padEnd(24)} ${o.name} — ${o.note}`),
      ].join('\n'),
    );
  });
});

if (!HAVE_VECTORS) console.warn(`transform-electricity conformance: ${skipReason()}`);

function withCounter(xml: string, counter: number): string {
  return xml.replace(/(<sr:RequestID>[^<]*:)\d+(<\/sr:RequestID>)/, `$1${counter}$2`);
}
