// The XSD compiler: it compiles the DUIS 5.4 schema set (DUIS, MMC, XML-DSig) read in place, finds it by default
// where the shared vectors live, and fails loudly — naming file and construct — on anything it cannot honour.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DUIS_XSD_ENV,
  DuisSchema,
  XsdCompileError,
  defaultDuisXsdPath,
} from '../../../../src/codec/duis/schema/index.js';
import { HAVE_VECTORS } from '../../../vectors.js';
import { DS, DUIS_XSD, SR, removeWrittenSchemas, tinySchema, writeSchemas } from './support.js';

afterAll(removeWrittenSchemas);

const XSD_TAIL = ['dccboxed-signing-tool', 'src', 'main', 'resources', 'DUIS Schema V5.4.xsd'];

describe.skipIf(!HAVE_VECTORS)('compiling DUIS Schema V5.4.xsd', () => {
  it('follows its imports to the MMC schema and the W3C XML-DSig schema', () => {
    const schema = DuisSchema.compile(DUIS_XSD);
    expect(schema.files.map((f) => f.split('/').pop())).toEqual([
      'DUIS Schema V5.4.xsd',
      'xmldsig-core-schema.xsd',
      'MMC Schema V5.4.xsd',
    ]);
    expect(schema.hasGlobalElement(SR, 'Request')).toBe(true);
    expect(schema.hasGlobalElement(SR, 'Response')).toBe(true);
    expect(schema.hasGlobalElement(DS, 'Signature')).toBe(true);
    expect(schema.hasGlobalElement('http://www.dccinterface.co.uk/ResponseAndAlert', 'GBCSData')).toBe(true);
    expect(schema.hasGlobalElement(SR, 'Header')).toBe(false);
  });

  it('compiles once per path and process through DuisSchema.load', () => {
    expect(DuisSchema.load(DUIS_XSD)).toBe(DuisSchema.load(DUIS_XSD));
    expect(DuisSchema.compile(DUIS_XSD)).not.toBe(DuisSchema.load(DUIS_XSD));
  });

  it('finds the XSD where the shared vectors live when nothing is configured', () => {
    expect(existsSync(defaultDuisXsdPath({}))).toBe(true);
  });
});

describe('where the DUIS XSD is looked for', () => {
  it(`prefers $${DUIS_XSD_ENV}, then $SMETS_VECTORS, then ../shared/vectors beside the project`, () => {
    expect(defaultDuisXsdPath({ [DUIS_XSD_ENV]: '/x/duis.xsd', SMETS_VECTORS: '/v' })).toBe('/x/duis.xsd');
    expect(defaultDuisXsdPath({ SMETS_VECTORS: '/v' })).toBe(join('/v', ...XSD_TAIL));
    expect(defaultDuisXsdPath({})).toBe(join(resolve('..', 'shared', 'vectors'), ...XSD_TAIL));
  });

  it('names the missing file when the XSD is absent', () => {
    expect(() => DuisSchema.compile('/nowhere/DUIS Schema V5.4.xsd')).toThrow(
      new XsdCompileError(
        `DUIS XSD not found: /nowhere/DUIS Schema V5.4.xsd (set ${DUIS_XSD_ENV} to the file, or SMETS_VECTORS to the shared vectors folder)`,
      ),
    );
  });

  it('names a missing imported file and the import that asked for it', () => {
    const path = writeSchemas({
      'main.xsd':
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">' +
        '<xs:import namespace="urn:u" schemaLocation="gone.xsd"/></xs:schema>',
    });
    expect(() => DuisSchema.compile(path)).toThrow(/<xs:import>: cannot read XSD .*gone\.xsd/);
  });
});

describe('constructs outside the supported subset fail compilation, never validation', () => {
  const cases: [string, string, RegExp][] = [
    [
      'a named model group',
      '<xs:group name="g"><xs:sequence/></xs:group>',
      /<xs:group g>: xs:group is not supported/,
    ],
    [
      'xs:all',
      '<xs:complexType name="c"><xs:all><xs:element name="a"/></xs:all></xs:complexType>',
      /xs:all is not supported/,
    ],
    [
      'a list type',
      '<xs:simpleType name="l"><xs:list itemType="xs:int"/></xs:simpleType>',
      /only xs:restriction is supported in a simple type \(found list\)/,
    ],
    [
      'a union type',
      '<xs:simpleType name="u"><xs:union memberTypes="xs:int xs:date"/></xs:simpleType>',
      /found union/,
    ],
    [
      'nillable',
      '<xs:element name="e" type="xs:int" nillable="true"/>',
      /attribute nillable="true" is not supported/,
    ],
    [
      'a fixed value',
      '<xs:element name="e" type="xs:int" fixed="1"/>',
      /attribute fixed="1" is not supported/,
    ],
    [
      'a substitution group',
      '<xs:element name="h" type="xs:int"/><xs:element name="e" type="xs:int" substitutionGroup="t:h"/>',
      /substitutionGroup/,
    ],
    [
      'an attribute wildcard',
      '<xs:complexType name="c"><xs:anyAttribute/></xs:complexType>',
      /xs:anyAttribute is not supported here/,
    ],
    ['xs:include', '<xs:include schemaLocation="other.xsd"/>', /xs:include is not supported/],
    [
      'complexContent restriction',
      '<xs:complexType name="b"/><xs:complexType name="c"><xs:complexContent><xs:restriction base="t:b"/></xs:complexContent></xs:complexType>',
      /only xs:extension is supported in xs:complexContent/,
    ],
    [
      'a built-in type it does not know',
      '<xs:element name="e" type="xs:float"/>',
      /built-in type xs:float is not supported/,
    ],
    [
      'an element without a type (xs:anyType)',
      '<xs:element name="e"/>',
      /an element without a type \(xs:anyType\) is not supported/,
    ],
    [
      '\\i in a pattern',
      '<xs:simpleType name="s"><xs:restriction base="xs:string"><xs:pattern value="\\i\\c*"/></xs:restriction></xs:simpleType>',
      /\\i \(XML name characters\) is not supported/,
    ],
    [
      'a range facet on a date',
      '<xs:simpleType name="s"><xs:restriction base="xs:date"><xs:minInclusive value="2020-01-01"/></xs:restriction></xs:simpleType>',
      /minInclusive on xs:date is not supported \(decimal types only\)/,
    ],
    [
      'counting that would need backtracking',
      '<xs:complexType name="c"><xs:sequence maxOccurs="unbounded"><xs:element name="a" type="xs:int" minOccurs="2" maxOccurs="3"/></xs:sequence></xs:complexType>',
      /t:a\{2,3\} repeats inside a loop: counting would be ambiguous/,
    ],
  ];
  for (const [what, body, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => DuisSchema.compile(tinySchema(body))).toThrow(message);
    });
  }

  it('refuses Unique Particle Attribution breaches between element declarations', () => {
    const body =
      '<xs:complexType name="c"><xs:sequence><xs:element name="a" type="xs:int" minOccurs="0"/>' +
      '<xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>';
    expect(() => DuisSchema.compile(tinySchema(body))).toThrow(
      /<xs:complexType c>: complexType t:c: at the start: t:a and t:a compete \(Unique Particle Attribution\)/,
    );
  });

  it('reads past a DTD only when it declares unused entities and defaults the document already carries', () => {
    const head = '<?xml version="1.0"?>\n<!DOCTYPE xs:schema [\n';
    const schema = (subset: string, root: string): string =>
      `${head}${subset}\n]>\n${root}<xs:element name="e" type="xs:int"/></xs:schema>`;
    const root = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">';
    const carried = '<!ATTLIST xs:schema targetNamespace CDATA #FIXED "urn:t">\n<!ENTITY unused "x">';
    expect(
      DuisSchema.compile(writeSchemas({ 'a.xsd': schema(carried, root) })).hasGlobalElement('urn:t', 'e'),
    ).toBe(true);
    const defaulted = '<!ATTLIST xs:schema elementFormDefault CDATA "qualified">';
    expect(() => DuisSchema.compile(writeSchemas({ 'b.xsd': schema(defaulted, root) }))).toThrow(
      /the DTD gives <xs:schema> a default elementFormDefault="qualified" the element does not carry/,
    );
    const elementDecl = '<!ELEMENT xs:schema ANY>';
    expect(() => DuisSchema.compile(writeSchemas({ 'c.xsd': schema(elementDecl, root) }))).toThrow(
      /only unused entities and CDATA attribute lists are tolerated/,
    );
  });
});
