// The SRV table against the public facts it was written from, read in place: duis-parser duis-request-matrix.json
// (DUIS Appendix A), duis-templates gbcs-mapping-table.json, the duis-templates requests and the RTDS 4.5.0 folders.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MESSAGE_CODES } from '../../../src/codec/gbcs/message-codes.js';
import {
  SRVS,
  commandVariantAllowed,
  formatSrv,
  isSrv,
  srvForBodyElement,
  srvInfo,
  type SrvInfo,
} from '../../../src/codec/duis/srv.js';
import { HAVE_VECTORS, RTDS_DIR, vectorPath } from '../../vectors.js';

const rows = SRVS as readonly SrvInfo[];

interface MatrixRow {
  'Service Request Name': string;
  'Service Reference': string;
  'Service Reference Variant': string;
  Critical: 'Yes' | 'No';
  'On Demand': 'Yes' | 'No';
  'Future Dated Response Pattern': 'No' | 'DSP' | 'Device' | 'DSP & Device';
  'DCC Scheduled': 'Yes' | 'No';
  'Non-Device Request': 'Yes' | 'No';
  'Eligible User Roles': string[];
}

interface MappingRow {
  'Use Case Title': string;
  'Service Reference': string | null;
  Code: string;
}

const readJson = <T>(...parts: string[]): T => JSON.parse(readFileSync(vectorPath(...parts), 'utf8')) as T;

/** Names compared without the matrix's stray spaces, full stops and dash styles. */
const normaliseName = (s: string): string => s.replace(/[\s.\u2013-]+/g, ' ').trim();

describe('the SRV table', () => {
  it('lists exactly the 129 Service Reference Variants of DUIS 5.4, each once', () => {
    expect(rows).toHaveLength(129);
    expect(new Set(rows.map((r) => r.srv)).size).toBe(129);
    expect(new Set(rows.map((r) => r.bodyElement)).size).toBe(129);
  });

  it('looks rows up by SRV and by request body element', () => {
    expect(srvInfo('4.1.1')).toMatchObject({
      serviceReference: '4.1',
      bodyElement: 'ReadInstantaneousImportRegisters',
    });
    expect(srvForBodyElement('UpdatePPMIDFirmware')?.srv).toBe('11.4');
    expect(srvForBodyElement('SignedPreCommand')).toBeUndefined();
    expect(srvInfo('4.99')).toBeUndefined();
    expect(isSrv('8.14.3')).toBe(true);
    expect(isSrv('8.14')).toBe(false);
    expect(formatSrv('8.11')).toBe('8.11 Update HAN Device Log');
    expect(formatSrv('9.9')).toBe('9.9 (unknown)');
  });

  it('derives every Service Reference from its variant (the first two numbers)', () => {
    for (const r of rows) expect(r.serviceReference, r.srv).toBe(r.srv.split('.').slice(0, 2).join('.'));
  });

  it('allows critical SRVs CV 4-7, other device SRVs 1-3 and non-device SRVs 8, except 8.1.1 (4-5) and 8.5 (1)', () => {
    const exceptions: string[] = [];
    for (const r of rows) {
      const rule = r.nonDevice ? [8] : r.critical ? [4, 5, 6, 7] : [1, 2, 3];
      if (JSON.stringify(r.commandVariants) !== JSON.stringify(rule)) exceptions.push(r.srv);
    }
    expect(exceptions).toEqual(['8.1.1', '8.5']);
    expect(commandVariantAllowed(srvInfo('8.1.1')!, 4)).toBe(true);
    expect(commandVariantAllowed(srvInfo('8.1.1')!, 6)).toBe(false);
    expect(commandVariantAllowed(srvInfo('11.4')!, 8)).toBe(true);
    expect(commandVariantAllowed(srvInfo('11.4')!, 1)).toBe(false);
  });

  it('names GBCS use cases that message-codes.ts knows, or GBCS use cases without a message code (CS05)', () => {
    const known = new Set<string>(MESSAGE_CODES.flatMap((m) => (m.useCase === null ? [] : [m.useCase])));
    const unknown = rows.flatMap((r) => r.useCases.filter((u) => !known.has(u)));
    expect(unknown).toEqual(['CS05a', 'CS05b', 'CS05c']);
    expect(rows.filter((r) => r.useCases.length === 0).map((r) => r.srv)).toEqual([
      '5.1',
      '5.2',
      '5.3',
      '8.2',
      '8.3',
      '8.4',
      '8.6',
      '8.13',
      '8.14.1',
      '8.14.2',
      '8.14.3',
      '8.14.4',
      '12.1',
      '12.2',
    ]);
  });

  it('lists every use case message-codes.ts attributes to a Service Reference under an SRV of that reference', () => {
    let checked = 0;
    for (const m of MESSAGE_CODES) {
      if (m.useCase === null) continue;
      for (const ref of m.serviceReferences as readonly string[]) {
        const under = rows.filter((r) => r.srv === ref || r.serviceReference === ref);
        expect(
          under.some((r) => r.useCases.includes(m.useCase!)),
          `${m.useCase} under ${ref}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(208);
  });
});

describe.skipIf(!HAVE_VECTORS)('the SRV table against duis-request-matrix.json, field by field', () => {
  const matrix = HAVE_VECTORS ? readJson<MatrixRow[]>('duis-parser', 'src', 'duis-request-matrix.json') : [];

  it('has the same 129 SRVs in the same order', () => {
    expect(rows.map((r) => r.srv)).toEqual(matrix.map((m) => m['Service Reference Variant']));
  });

  it('agrees on name, criticality, on-demand, future dating, DCC scheduling, non-device and roles', () => {
    for (const m of matrix) {
      const r = srvInfo(m['Service Reference Variant'])!;
      const fd = m['Future Dated Response Pattern'];
      expect(normaliseName(r.name), r.srv).toBe(normaliseName(m['Service Request Name']));
      expect(r.critical, r.srv).toBe(m.Critical === 'Yes');
      expect(r.onDemand, r.srv).toBe(m['On Demand'] === 'Yes');
      expect(r.futureDatedPattern, r.srv).toBe(fd === 'No' ? null : fd);
      expect(r.dccScheduled, r.srv).toBe(m['DCC Scheduled'] === 'Yes');
      expect(r.nonDevice, r.srv).toBe(m['Non-Device Request'] === 'Yes');
      expect(r.eligibleRoles, r.srv).toEqual(m['Eligible User Roles']);
    }
  });

  it('agrees on the Service Reference except 6.20.1 and 6.20.2, which the matrix gives as "6.2" (a number read)', () => {
    const differ = matrix
      .filter((m) => srvInfo(m['Service Reference Variant'])!.serviceReference !== m['Service Reference'])
      .map((m) => [m['Service Reference Variant'], m['Service Reference']]);
    expect(differ).toEqual([
      ['6.20.1', '6.2'],
      ['6.20.2', '6.2'],
    ]);
  });
});

describe.skipIf(!HAVE_VECTORS)(
  'the SRV table against the templates, the mapping table and the RTDS folders',
  () => {
    const templateDir = vectorPath('duis-templates', 'templates');
    const templates = HAVE_VECTORS ? readdirSync(templateDir) : [];

    it('knows the SRV of all 223 templates, and each template body is that SRV body element', () => {
      expect(templates).toHaveLength(223);
      for (const f of templates) {
        const xml = readFileSync(`${templateDir}/${f}`, 'utf8');
        const srv = /<sr:ServiceReferenceVariant>([^<]+)</.exec(xml)![1]!;
        const body = /<sr:Body>\s*<sr:([A-Za-z0-9]+)/.exec(xml)![1]!;
        expect(srvInfo(srv)?.bodyElement, f).toBe(body);
      }
    });

    it('lists the use case each template file name and RTDS folder pairs with its SRV', () => {
      // Template `<UseCase…>_<SRV>_…` and folder `<SRV>_<UseCase…>`: the use case may carry a suffix (CS02bNOByNO,
      // ECS47Activate, CS03A2Critical), so a listed use case must be a prefix of the name.
      // Non-device templates (`11.4_UPDATE_…`) and the DSP schedule `ECS21a_5.1._…` name no device SRV; NA_ folders
      // hold alerts.
      const pairs: [string, string][] = [];
      for (const f of templates) {
        const m = /^([A-Za-z][A-Za-z0-9]*)_([0-9]+(?:\.[0-9]+)+)_/.exec(f);
        if (m !== null) pairs.push([m[2]!, m[1]!]);
      }
      expect(pairs).toHaveLength(210);
      const folders = readdirSync(RTDS_DIR).filter((d) => !d.startsWith('NA_'));
      expect(folders).toHaveLength(156);
      for (const d of folders) {
        const i = d.indexOf('_');
        pairs.push([d.slice(0, i), d.slice(i + 1)]);
      }
      for (const [srv, name] of pairs) {
        const row = srvInfo(srv);
        expect(row, `${srv} ${name}`).toBeDefined();
        expect(
          row!.useCases.some((u) => name.startsWith(u)),
          `${srv} ${name}`,
        ).toBe(true);
      }
    });

    it('lists each use case the mapping table gives a Service Reference under an SRV of that reference', () => {
      const mapping = readJson<MappingRow[]>('duis-templates', 'src', 'gbcs-mapping-table.json');
      let checked = 0;
      for (const m of mapping) {
        const refs = (m['Service Reference'] ?? '')
          .split(/,\s*/)
          .filter((r) => /^[0-9]+(\.[0-9]+)+$/.test(r));
        // The title names the use case exactly (ECS25a1); the Code column sometimes only its family (ECS25a).
        const useCase = m['Use Case Title'].split(' ')[0]!;
        for (const ref of refs) {
          const under = rows.filter((r) => r.srv === ref || r.serviceReference === ref);
          expect(
            under.some((r) => r.useCases.includes(useCase)),
            `${useCase} under ${ref}`,
          ).toBe(true);
          checked++;
        }
      }
      expect(checked).toBe(168);
    });
  },
);
