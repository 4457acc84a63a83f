// The DUIS templates and samples, read in place: every one parses and round-trips, is valid against the DUIS XSD,
// and once signed (by its originator's ZAZ1 XML-signing key, or a test-PKI one where ZAZ1 has none) validates and
// verifies. Counts are asserted so a new failure or skip fails the build.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import { parseDuisDocument, sameDuis, buildDuisDocument } from '../../src/codec/duis/duis.js';
import { DuisSchema } from '../../src/codec/duis/schema/index.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import { TestPki } from '../../src/crypto/test-pki.js';
import { duisSignerEui, loadDccBoxedXmlSigningCredentials } from '../../src/crypto/xmldsig-credentials.js';
import { signDuis, verifyDuis } from '../../src/crypto/xmldsig.js';
import { HAVE_VECTORS, vectorPath } from '../vectors.js';

const FOLDERS = [
  ['duis-templates/templates', 223],
  ['duis-parser/test/resources', 5],
  ['duis-templates/test/data', 9],
  ['duis-sign-wrap/test/data', 4], // 8.2_READ_INVENTORY_REQUEST_DUIS-invalid.XML misspells RequestID on purpose
] as const;

function xmlFiles(folder: string): string[] {
  return readdirSync(vectorPath(folder))
    .filter((f) => f.toLowerCase().endsWith('.xml') && !f.includes('-invalid'))
    .sort()
    .map((f) => join(vectorPath(folder), f));
}

describe.skipIf(!HAVE_VECTORS)('DUIS templates and samples', () => {
  const schema = HAVE_VECTORS ? DuisSchema.load() : undefined!;
  const credentials = HAVE_VECTORS
    ? loadDccBoxedXmlSigningCredentials(vectorPath('dccboxed-keystore', 'keystore.json'))
    : undefined!;
  // ZAZ1 has no XML-signing key for these originators: a test-PKI user XML-signing credential (role 0x87) stands in.
  const pki = new TestPki({ seed: 'duis conformance', notBefore: new Date('2026-01-01T00:00:00Z') });
  const signerFor = (eui: string) => {
    const held = credentials.signer(eui64(eui));
    if (held !== undefined) return held;
    const issued = pki.issueOrganisationCertificate({ eui: eui64(eui), role: 0x87, usage: 'DS' });
    if (credentials.byIssuerSerial(issued.issuer, issued.serialNumber) === undefined) {
      credentials.add(issued.certificatePem, { privateKey: issued.privateKey, signer: true });
    }
    return credentials.signer(eui64(eui))!;
  };

  for (const [folder, count] of FOLDERS) {
    it(`parses, schema-validates and round-trips all ${count} documents of ${folder}`, () => {
      const files = xmlFiles(folder);
      expect(files).toHaveLength(count);
      for (const file of files) {
        const xml = parseXml(readFileSync(file));
        const typed = parseDuisDocument(xml);
        expect(schema.validate(xml), file).toEqual({ valid: true });
        const rebuilt = parseXml(serializeXml(buildDuisDocument(typed)));
        expect(sameDuis(typed, parseDuisDocument(rebuilt)), file).toBe(true);
        expect(schema.validate(rebuilt), file).toEqual({ valid: true });
      }
    });
  }

  it('signs every request template as its originator; each then validates and verifies', () => {
    const files = xmlFiles('duis-templates/templates');
    let signed = 0;
    for (const file of files) {
      const doc = parseXml(readFileSync(file));
      const text = serializeXml(signDuis(doc, signerFor(duisSignerEui(doc))));
      const again = parseXml(text);
      expect(schema.validate(again), file).toEqual({ valid: true });
      const verdict = verifyDuis(text, credentials);
      expect(verdict.valid, `${file}: ${verdict.valid ? '' : verdict.reason}`).toBe(true);
      signed++;
    }
    expect(signed).toBe(223);
  });

  it('signs every sample request as its originator and every sample response as the DSP; each validates and verifies', () => {
    let signed = 0;
    for (const folder of [
      'duis-parser/test/resources',
      'duis-templates/test/data',
      'duis-sign-wrap/test/data',
    ]) {
      for (const file of xmlFiles(folder)) {
        const doc = parseXml(readFileSync(file));
        const text = serializeXml(signDuis(doc, signerFor(duisSignerEui(doc))));
        expect(schema.validate(parseXml(text)), file).toEqual({ valid: true });
        const verdict = verifyDuis(text, credentials);
        expect(verdict.valid, `${file}: ${verdict.valid ? '' : verdict.reason}`).toBe(true);
        signed++;
      }
    }
    expect(signed).toBe(5 + 9 + 4);
  });

  it('refuses a signed template once its body changes', () => {
    const doc = parseXml(readFileSync(xmlFiles('duis-templates/templates')[0]!));
    const text = serializeXml(signDuis(doc, signerFor(duisSignerEui(doc))));
    const tampered = text.replace('<sr:ServiceReferenceVariant>', '<sr:ServiceReferenceVariant> ');
    expect(verifyDuis(tampered, credentials)).toMatchObject({ valid: false, reason: 'digest-mismatch' });
  });
});
