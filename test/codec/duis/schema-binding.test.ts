// Schema-driven typed values: every DUIS request template's body binds, unbinds to a schema-valid element that
// binds to the same value (also after serialising and re-parsing), and leaves get the types their schema gives.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuisRequest } from '../../../src/codec/duis/request.js';
import { SRVS } from '../../../src/codec/duis/srv.js';
import { DuisSchema } from '../../../src/codec/duis/schema/duis-schema.js';
import {
  bindDuisElement,
  duisElementDeclaration,
  requestBodyElement,
  typedBody,
  unbindDuisElement,
  type DuisTypedObject,
  type DuisTypedValue,
} from '../../../src/codec/duis/schema-binding.js';
import { parseXml } from '../../../src/codec/xml/parse.js';
import { serializeXml } from '../../../src/codec/xml/serialize.js';
import type { XmlDocument, XmlElement } from '../../../src/codec/xml/types.js';
import { HAVE_VECTORS, vectorPath } from '../../vectors.js';

const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const ELEMENTS_IN_TEMPLATES = 112;
const TEMPLATES = vectorPath('duis-templates', 'templates');

/** The document with sr:Body's child replaced by `body`. */
function withBody(doc: XmlDocument, body: XmlElement): XmlDocument {
  const old = requestBodyElement(doc);
  const swap = (el: XmlElement): XmlElement => ({
    ...el,
    children: el.children.map((c) => (c === old ? body : c.kind === 'element' ? swap(c) : c)),
  });
  return { ...doc, root: swap(doc.root) };
}

function obj(v: DuisTypedValue | readonly DuisTypedValue[] | undefined): DuisTypedObject {
  expect(typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)).toBe(true);
  return v as DuisTypedObject;
}

describe.skipIf(!HAVE_VECTORS)('schema binding of DUIS request bodies', () => {
  const schema = HAVE_VECTORS ? DuisSchema.load() : (undefined as never);
  const files = HAVE_VECTORS ? readdirSync(TEMPLATES).filter((f) => /\.xml$/i.test(f)) : [];
  const load = (name: string): XmlDocument => parseXml(readFileSync(`${TEMPLATES}/${name}`, 'utf8'));
  const template = (prefix: string): XmlDocument => load(files.find((f) => f.startsWith(prefix))!);

  it('binds every template body, unbinds it to a schema-valid element that binds to the same value', () => {
    const srvs = new Set<string>();
    const elements = new Set<string>();
    let checked = 0;
    for (const f of files) {
      const doc = load(f);
      const req = parseDuisRequest(doc);
      srvs.add(req.header.serviceReferenceVariant);
      const { element, value } = typedBody(schema, doc);
      expect(element, f).toBe(req.body.element);
      elements.add(element);
      const rebuilt = unbindDuisElement(schema, `Request/Body/${element}`, value, { depth: 2 });
      expect(rebuilt.qname, f).toBe(`sr:${element}`);
      const newDoc = withBody(doc, rebuilt);
      expect(schema.validate(newDoc), f).toEqual({ valid: true });
      expect(bindDuisElement(schema, rebuilt), f).toEqual(value);
      // Through text: the serialised document parses, validates and binds to the same value.
      const reparsed = parseXml(serializeXml(newDoc));
      expect(schema.validate(reparsed), f).toEqual({ valid: true });
      expect(typedBody(schema, reparsed).value, f).toEqual(value);
      checked++;
    }
    expect(checked).toBe(223);
    expect(srvs.size).toBe(112);
    expect(elements.size).toBe(ELEMENTS_IN_TEMPLATES);
  });

  it('has a declaration for the body element of every one of the 129 SRVs', () => {
    const names = new Set(SRVS.map((r) => r.bodyElement));
    for (const name of names) {
      const decl = duisElementDeclaration(schema, name);
      expect(decl.localName).toBe(name);
      expect(duisElementDeclaration(schema, `Request/Body/sr:${name}`)).toBe(decl);
    }
    expect(SRVS.length).toBe(129);
  });

  it('gives leaves their schema types', () => {
    const hanLog = obj(typedBody(schema, template('CCS02_8.11_')).value);
    expect(hanLog['DeviceID']).toBe('00-DB-12-34-56-78-90-A0');
    expect(hanLog['RequestType']).toBe('Remove');
    expect(hanLog['ExecutionDateTime']).toBeUndefined(); // optional and missing: absent

    const ppmid = obj(typedBody(schema, template('11.4_')).value);
    expect(ppmid['FirmwareImage']).toBeInstanceOf(Uint8Array);
    expect((ppmid['FirmwareImage'] as Uint8Array).length).toBeGreaterThan(0);
    expect(ppmid['FirmwareHash']).toBeUndefined();
    const activate = obj(typedBody(schema, template('CS06_11.3_IMMEDIATE')).value);
    expect(activate['FirmwareHash']).toBeInstanceOf(Uint8Array); // hexBinary: 32 bytes
    expect((activate['FirmwareHash'] as Uint8Array).length).toBe(32);
  });

  it('binds an 8.11 Add: JoinTimePeriod is a number, InstallCode bytes written back as uppercase hex', () => {
    const doc = template('CCS02_8.11_');
    const add = parseXml(
      `<sr:UpdateHANDeviceLog xmlns:sr="${SR}"><sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>` +
        '<sr:RequestType>Add</sr:RequestType><sr:AddDeviceToCHFWhitelist>' +
        '<sr:JoinTimePeriod> 60 </sr:JoinTimePeriod><sr:InstallCode>0a1b2c3d4e5f60718293a4b5c6d7e8f9</sr:InstallCode>' +
        '</sr:AddDeviceToCHFWhitelist></sr:UpdateHANDeviceLog>',
    ).root;
    expect(schema.validate(withBody(doc, add))).toEqual({ valid: true });
    const v = obj(bindDuisElement(schema, add));
    const whitelist = obj(v['AddDeviceToCHFWhitelist']);
    expect(whitelist['JoinTimePeriod']).toBe(60);
    expect(whitelist['InstallCode']).toEqual(
      Uint8Array.from([
        0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8, 0xf9,
      ]),
    );
    const back = unbindDuisElement(schema, 'UpdateHANDeviceLog', v);
    expect(serializeXml({ declaration: null, prolog: [], root: back, epilog: [] })).toContain(
      '<sr:InstallCode>0A1B2C3D4E5F60718293A4B5C6D7E8F9</sr:InstallCode>',
    );
    expect(schema.validate(withBody(doc, back))).toEqual({ valid: true });
  });

  it('makes a child that may repeat an array, even with one occurrence', () => {
    const seen: string[] = [];
    for (const f of files) {
      const v = typedBody(schema, load(f)).value;
      const walk = (x: DuisTypedValue, path: string): void => {
        if (typeof x !== 'object' || x instanceof Uint8Array) return;
        for (const [k, c] of Object.entries(x)) {
          if (Array.isArray(c)) {
            seen.push(`${path}/${k}`);
            for (const i of c as DuisTypedValue[]) walk(i, `${path}/${k}`);
          } else walk(c as DuisTypedValue, `${path}/${k}`);
        }
      };
      walk(v, '');
    }
    expect(seen).toContain('/ElecTariffElements/SwitchingTable/DayProfiles/DayProfile');
    expect(seen).toContain('/CertificationPathCertificates/Certificate');
    const decl = duisElementDeclaration(schema, 'Request/Body/UpdateHANDeviceLog');
    expect(decl.localName).toBe('UpdateHANDeviceLog');
  });

  it('refuses values that do not fit the declaration', () => {
    expect(() => unbindDuisElement(schema, 'UpdateHANDeviceLog', { DeviceId: 'x' })).toThrow(
      /has no DeviceId/,
    );
    expect(() =>
      unbindDuisElement(schema, 'UpdateHANDeviceLog', { DeviceID: 1, RequestType: 'Remove' }),
    ).toThrow(/expected a string value/);
  });

  it('declares the prefixes it uses when asked', () => {
    const v = typedBody(schema, template('CCS02_8.11_')).value;
    const el = unbindDuisElement(schema, 'sr:UpdateHANDeviceLog', v, { declareNamespaces: true });
    expect(el.namespaces).toEqual([{ prefix: 'sr', uri: SR }]);
    const text = serializeXml({ declaration: null, prolog: [], root: el, epilog: [] });
    expect(bindDuisElement(schema, parseXml(text).root)).toEqual(v);
  });
});
