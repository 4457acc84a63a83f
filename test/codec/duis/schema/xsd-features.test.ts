// Each XSD construct the DUIS schema set uses, on a small schema of our own, so one behaviour fails one test:
// element defaults, empty and mixed content, counted particles, repeated groups, extension, simple content with
// attributes, wildcards, xsi:type and abstract types. Where xmllint is installed, every verdict here is also
// checked to be libxml2's.
import { afterAll, describe, expect, it } from 'vitest';
import { DuisSchema, type SchemaValidation } from '../../../../src/codec/duis/schema/index.js';
import { parseXml } from '../../../../src/codec/xml/parse.js';
import { haveXmllint, removeWrittenSchemas, tinySchema, xmllintAccepts } from './support.js';

afterAll(removeWrittenSchemas);

const XMLLINT = haveXmllint();

function validator(body: string): (xml: string) => SchemaValidation {
  const path = tinySchema(body);
  const schema = DuisSchema.compile(path);
  return (xml) => {
    const r = schema.validate(parseXml(xml));
    if (XMLLINT) expect(xmllintAccepts(path, xml), `xmllint on ${xml.slice(0, 120)}`).toBe(r.valid);
    return r;
  };
}

function rules(r: SchemaValidation): string[] {
  return r.valid ? [] : r.errors.map((e) => `${e.path} ${e.rule}`);
}

const T = 'xmlns="urn:t"';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

describe('element defaults (XSD 1.0 §3.3.4 clause 5.1)', () => {
  const check = validator(
    '<xs:element name="unit" default="GBP"><xs:simpleType><xs:restriction base="xs:string">' +
      '<xs:enumeration value="GBP"/></xs:restriction></xs:simpleType></xs:element>',
  );

  it('validates the default when the element has no character or element children', () => {
    expect(check(`<unit ${T}/>`).valid).toBe(true);
    expect(check(`<unit ${T}><!-- none --></unit>`).valid).toBe(true);
  });

  it('does not apply the default to whitespace, which is content of an xs:string', () => {
    expect(rules(check(`<unit ${T}> </unit>`))).toEqual(['/unit enumeration']);
  });

  it('joins text around comments and CDATA into one value', () => {
    expect(check(`<unit ${T}>G<!-- c -->B<![CDATA[P]]></unit>`).valid).toBe(true);
  });
});

describe('empty, element-only and mixed content (§3.4.4)', () => {
  const check = validator(
    '<xs:element name="empty"><xs:complexType><xs:attribute name="a" type="xs:string"/></xs:complexType></xs:element>' +
      '<xs:element name="mixed"><xs:complexType mixed="true"><xs:sequence>' +
      '<xs:element name="b" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>',
  );

  it('refuses even whitespace inside an element whose content is empty', () => {
    expect(check(`<empty ${T} a="1"/>`).valid).toBe(true);
    expect(rules(check(`<empty ${T}> </empty>`))).toEqual(['/empty text not allowed']);
    expect(rules(check(`<empty ${T}><b/></empty>`))).toEqual(['/empty element not allowed']);
  });

  it('accepts text around the elements of mixed content', () => {
    expect(check(`<mixed ${T}>before <b>x</b> after</mixed>`).valid).toBe(true);
  });
});

describe('occurrence bounds', () => {
  const check = validator(
    '<xs:element name="log"><xs:complexType><xs:sequence>' +
      '<xs:element name="entry" type="xs:int" minOccurs="2" maxOccurs="19056"/>' +
      '<xs:sequence minOccurs="0" maxOccurs="2"><xs:element name="k" type="xs:int"/><xs:element name="v" type="xs:int" minOccurs="0"/></xs:sequence>' +
      '<xs:choice minOccurs="0" maxOccurs="unbounded"><xs:element name="x" type="xs:int"/><xs:element name="y" type="xs:int"/></xs:choice>' +
      '</xs:sequence></xs:complexType></xs:element>',
  );
  const log = (inner: string): string => `<log ${T}>${inner}</log>`;
  const entries = (n: number): string => '<entry>1</entry>'.repeat(n);

  it('counts a particle up to a large maxOccurs without unfolding it', () => {
    expect(check(log(entries(2))).valid).toBe(true);
    expect(check(log(entries(19056))).valid).toBe(true);
    expect(rules(check(log(entries(19057))))).toEqual(['/log/entry[19057] unexpected element']);
  });

  it('demands minOccurs before moving on', () => {
    expect(rules(check(log(`${entries(1)}<k>1</k>`)))).toEqual(['/log/k unexpected element']);
    expect(rules(check(log(entries(1))))).toEqual(['/log missing element']);
  });

  it('repeats a group with an optional tail at most its maxOccurs times', () => {
    expect(check(log(`${entries(2)}<k>1</k><k>2</k><v>3</v>`)).valid).toBe(true);
    expect(rules(check(log(`${entries(2)}<k>1</k><k>2</k><k>3</k>`)))).toEqual([
      '/log/k[3] unexpected element',
    ]);
  });

  it('loops over an unbounded choice', () => {
    expect(check(log(`${entries(2)}<x>1</x><y>2</y><x>3</x>`)).valid).toBe(true);
  });
});

describe('derivation', () => {
  const check = validator(
    '<xs:complexType name="base" abstract="true"><xs:sequence><xs:element name="when" type="xs:dateTime" minOccurs="0"/></xs:sequence>' +
      '<xs:attribute name="id" type="xs:int" use="required"/></xs:complexType>' +
      '<xs:complexType name="derived"><xs:complexContent><xs:extension base="t:base"><xs:sequence>' +
      '<xs:element name="what" type="xs:string"/></xs:sequence><xs:attribute name="note" type="xs:string"/></xs:extension></xs:complexContent></xs:complexType>' +
      '<xs:complexType name="money"><xs:simpleContent><xs:extension base="xs:decimal">' +
      '<xs:attribute name="index" use="required"><xs:simpleType><xs:restriction base="xs:positiveInteger"><xs:maxInclusive value="3"/></xs:restriction></xs:simpleType></xs:attribute>' +
      '</xs:extension></xs:simpleContent></xs:complexType>' +
      '<xs:element name="d" type="t:derived"/><xs:element name="b" type="t:base"/><xs:element name="m" type="t:money"/>',
  );

  it("appends an extension's particle and attributes to its base's", () => {
    expect(check(`<d ${T} id="1" note="n"><when>2020-01-01T00:00:00Z</when><what>x</what></d>`).valid).toBe(
      true,
    );
    expect(check(`<d ${T} id="1"><what>x</what></d>`).valid).toBe(true);
    expect(rules(check(`<d ${T}><what>x</what><when>2020-01-01T00:00:00Z</when></d>`))).toEqual([
      '/d required attribute',
      '/d/when unexpected element',
    ]);
  });

  it('checks the value and the attributes of simple content', () => {
    expect(check(`<m ${T} index="3">12.50</m>`).valid).toBe(true);
    expect(rules(check(`<m ${T} index="4">x</m>`))).toEqual([
      '/m/@index maxInclusive 3',
      '/m type xs:decimal',
    ]);
  });

  it('refuses an element whose declared type is abstract unless xsi:type names a concrete derived type', () => {
    expect(rules(check(`<b ${T} id="1"/>`))).toEqual(['/b abstract type']);
    expect(check(`<b ${T} ${XSI} xmlns:t="urn:t" xsi:type="t:derived" id="1"><what>x</what></b>`).valid).toBe(
      true,
    );
    expect(rules(check(`<b ${T} ${XSI} xmlns:t="urn:t" xsi:type="t:money" id="1"/>`))).toEqual([
      '/b/@xsi:type xsi:type',
    ]);
    expect(rules(check(`<b ${T} ${XSI} xsi:type="nowhere" id="1"/>`))).toEqual(['/b/@xsi:type xsi:type']);
  });

  it('ignores xsi:schemaLocation hints and refuses other xsi attributes', () => {
    expect(check(`<d ${T} ${XSI} xsi:schemaLocation="urn:t t.xsd" id="1"><what>x</what></d>`).valid).toBe(
      true,
    );
    expect(rules(check(`<d ${T} ${XSI} xsi:colour="red" id="1"><what>x</what></d>`))).toEqual([
      '/d/@xsi:colour attribute not allowed',
    ]);
  });
});

describe('wildcards (§3.10)', () => {
  const check = validator(
    '<xs:element name="known" type="xs:int"/>' +
      '<xs:element name="strict"><xs:complexType><xs:sequence><xs:any maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>' +
      '<xs:element name="lax"><xs:complexType><xs:sequence><xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>' +
      '<xs:element name="skip"><xs:complexType><xs:sequence><xs:any namespace="##local urn:u" processContents="skip"/></xs:sequence></xs:complexType></xs:element>',
  );

  it('validates what a strict wildcard matches against its global declaration and refuses the undeclared', () => {
    expect(check(`<strict ${T}><known>1</known></strict>`).valid).toBe(true);
    expect(rules(check(`<strict ${T}><known>x</known></strict>`))).toEqual(['/strict/known type xs:int']);
    expect(rules(check(`<strict ${T}><other/></strict>`))).toEqual(['/strict/other no declaration']);
  });

  it('lets a lax ##other wildcard take foreign elements, checking declared ones found inside them', () => {
    expect(check(`<lax ${T}><f:a xmlns:f="urn:f"><f:b/></f:a></lax>`).valid).toBe(true);
    expect(rules(check(`<lax ${T}><f:a xmlns:f="urn:f"><known>x</known></f:a></lax>`))).toEqual([
      '/lax/f:a/known type xs:int',
    ]);
    expect(rules(check(`<lax ${T}><known>1</known></lax>`))).toEqual(['/lax/known unexpected element']);
    expect(rules(check(`<lax ${T}><unqualified xmlns=""/></lax>`))).toEqual([
      '/lax/unqualified unexpected element',
    ]);
  });

  it('validates an undeclared element under a lax wildcard by the type its xsi:type names', () => {
    const xsiInt = `xmlns:f="urn:f" ${XSI} xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:int"`;
    expect(check(`<lax ${T}><f:a ${xsiInt}>7</f:a></lax>`).valid).toBe(true);
    expect(rules(check(`<lax ${T}><f:a ${xsiInt}>x</f:a></lax>`))).toEqual(['/lax/f:a type xs:int']);
    expect(rules(check(`<lax ${T}><f:a xmlns:f="urn:f" ${XSI} xsi:type="nowhere"/></lax>`))).toEqual([
      '/lax/f:a/@xsi:type xsi:type',
    ]);
    expect(check(`<lax ${T}><f:a xmlns:f="urn:f" ${XSI} xsi:nil="true"/></lax>`).valid).toBe(true);
    expect(rules(check(`<strict ${T}><f:a ${xsiInt}>7</f:a></strict>`))).toEqual([
      '/strict/f:a no declaration',
    ]);
  });

  it('matches a namespace list and skips what it matches', () => {
    expect(check(`<skip ${T}><anything xmlns="" a="b"><x/></anything></skip>`).valid).toBe(true);
    expect(check(`<skip ${T}><u:x xmlns:u="urn:u"/></skip>`).valid).toBe(true);
    expect(rules(check(`<skip ${T}><known>1</known></skip>`))).toEqual(['/skip/known unexpected element']);
  });
});
