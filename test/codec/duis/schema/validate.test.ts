// validateDuis on DUIS trees built in code, against the real DUIS 5.4 schema (compiled from the shared vectors,
// read in place): what is accepted, and for what is refused, the path, the rule and the message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DuisSchema, validateDuis } from '../../../../src/codec/duis/schema/index.js';
import { parseXml } from '../../../../src/codec/xml/parse.js';
import type { XmlElement } from '../../../../src/codec/xml/types.js';
import { HAVE_VECTORS, vectorPath } from '../../../vectors.js';
import { DS, DUIS_XSD, SR, child, duisPattern, el, readInventoryRequest } from './support.js';

function header(request: XmlElement): XmlElement {
  return child(request, 'Header');
}

function errorsOf(schema: DuisSchema, root: XmlElement, maxErrors?: number) {
  const r = schema.validate(root, maxErrors === undefined ? undefined : { maxErrors });
  return r.valid ? [] : r.errors;
}

describe.skipIf(!HAVE_VECTORS)('validateDuis on requests built in code', () => {
  const schema = HAVE_VECTORS ? DuisSchema.load(DUIS_XSD) : (undefined as never);

  it('accepts a Read Inventory request (SR 8.2) without a signature, which a Request may omit', () => {
    expect(schema.validate(readInventoryRequest())).toEqual({ valid: true });
  });

  it('refuses a ReadInventory whose DeviceID breaks the EUI-64 pattern, naming the path and the rule', () => {
    expect(errorsOf(schema, readInventoryRequest('00-DB-12-34-56-78-90'))).toEqual([
      {
        path: '/sr:Request/sr:Body/sr:ReadInventory/sr:DeviceID',
        rule: `pattern ${duisPattern('EUI')}`,
        message: '"00-DB-12-34-56-78-90" does not match the pattern',
      },
    ]);
  });

  it('reads a token value after collapsing its whitespace, as XSD 1.0 §4.3.6 requires', () => {
    expect(schema.validate(readInventoryRequest('\n   00-DB-12-34-56-78-90-A2\n  '))).toEqual({
      valid: true,
    });
  });

  it('refuses a request without the required schemaVersion attribute', () => {
    const r = readInventoryRequest();
    r.attributes = [];
    expect(errorsOf(schema, r)).toEqual([
      { path: '/sr:Request', rule: 'required attribute', message: 'attribute schemaVersion is required' },
    ]);
  });

  it('refuses a schemaVersion that is not a decimal, pointing at the attribute', () => {
    const r = readInventoryRequest();
    r.attributes[0]!.value = '5.4a';
    expect(errorsOf(schema, r)).toEqual([
      {
        path: '/sr:Request/@schemaVersion',
        rule: 'type xs:decimal',
        message: '"5.4a" is not a valid decimal',
      },
    ]);
  });

  it('refuses an attribute the schema does not declare', () => {
    const r = readInventoryRequest();
    child(header(r), 'CommandVariant').attributes.push({
      qname: 'priority',
      prefix: null,
      localName: 'priority',
      namespace: null,
      value: 'high',
    });
    expect(errorsOf(schema, r)).toEqual([
      {
        path: '/sr:Request/sr:Header/sr:CommandVariant/@priority',
        rule: 'attribute not allowed',
        message: 'attribute priority is not allowed',
      },
    ]);
  });

  it('refuses an element out of order and says what the content model expected there', () => {
    const r = readInventoryRequest();
    const h = header(r);
    [h.children[1], h.children[2]] = [h.children[2]!, h.children[1]!]; // ServiceReference before CommandVariant
    expect(errorsOf(schema, r)).toEqual([
      {
        path: '/sr:Request/sr:Header/sr:ServiceReference',
        rule: 'unexpected element',
        message:
          'sr:ServiceReference is not expected here; expected sr:FirstInSequence | sr:PrecedingServiceRequestID | sr:CommandVariant',
      },
    ]);
  });

  it('reports a header that stops before ServiceReferenceVariant as a missing element of the header', () => {
    const r = readInventoryRequest();
    header(r).children.pop();
    expect(errorsOf(schema, r)).toEqual([
      {
        path: '/sr:Request/sr:Header',
        rule: 'missing element',
        message: 'content ends too early; expected sr:ServiceReferenceVariant',
      },
    ]);
  });

  it('refuses a second DeviceID: ReadInventory is a choice of exactly one filter', () => {
    const r = readInventoryRequest();
    const inventory = child(child(r, 'Body'), 'ReadInventory');
    inventory.children.push(el('sr:DeviceID', SR, ['00-DB-12-34-56-78-90-A3']));
    expect(errorsOf(schema, r)).toEqual([
      {
        path: '/sr:Request/sr:Body/sr:ReadInventory/sr:DeviceID[2]',
        rule: 'unexpected element',
        message: 'sr:DeviceID is not expected here; no more elements are allowed',
      },
    ]);
  });

  it('allows indentation between elements but refuses other text in element-only content', () => {
    const r = readInventoryRequest();
    header(r).children.unshift({ kind: 'text', value: '\n    ' });
    expect(schema.validate(r).valid).toBe(true);
    header(r).children.push({ kind: 'text', value: 'urgent' });
    expect(errorsOf(schema, r)).toEqual([
      {
        path: '/sr:Request/sr:Header',
        rule: 'text not allowed',
        message: 'sr:Header holds only elements; text "urgent" is not allowed',
      },
    ]);
  });

  it('refuses a ServiceReference outside the enumeration and a CommandVariant of 10', () => {
    const r = readInventoryRequest();
    child(header(r), 'ServiceReference').children = [{ kind: 'text', value: '8.99' }];
    child(header(r), 'CommandVariant').children = [{ kind: 'text', value: '10' }];
    const errors = errorsOf(schema, r);
    expect(errors.map((e) => [e.path, e.rule])).toEqual([
      ['/sr:Request/sr:Header/sr:CommandVariant', 'enumeration'],
      ['/sr:Request/sr:Header/sr:ServiceReference', 'enumeration'],
    ]);
    expect(errors[0]!.message).toMatch(/^"10" is not one of "1", "2", /);
  });

  it('compares a numeric enumeration by value: CommandVariant 08 is 8', () => {
    const r = readInventoryRequest();
    child(header(r), 'CommandVariant').children = [{ kind: 'text', value: '08' }];
    expect(schema.validate(r).valid).toBe(true);
  });

  it('collects every error in document order, and stops at maxErrors', () => {
    const r = readInventoryRequest('nope');
    r.attributes = [];
    child(header(r), 'RequestID').children = [{ kind: 'text', value: '1000' }];
    const all = errorsOf(schema, r).map((e) => e.path);
    expect(all).toEqual([
      '/sr:Request',
      '/sr:Request/sr:Header/sr:RequestID',
      '/sr:Request/sr:Body/sr:ReadInventory/sr:DeviceID',
    ]);
    expect(errorsOf(schema, r, 1).map((e) => e.path)).toEqual(['/sr:Request']);
    expect(errorsOf(schema, r)).toEqual(errorsOf(schema, r)); // deterministic
  });

  it('refuses a root element the schema does not declare globally', () => {
    expect(errorsOf(schema, el('sr:Header', SR))).toEqual([
      {
        path: '/sr:Header',
        rule: 'no declaration',
        message: 'no global element declaration for {http://www.dccinterface.co.uk/ServiceUserGateway}Header',
      },
    ]);
  });

  it('refuses xsi:nil, since no DUIS element is nillable', () => {
    const r = readInventoryRequest();
    child(header(r), 'CommandVariant').attributes.push({
      qname: 'xsi:nil',
      prefix: 'xsi',
      localName: 'nil',
      namespace: 'http://www.w3.org/2001/XMLSchema-instance',
      value: 'true',
    });
    expect(errorsOf(schema, r).map((e) => [e.path, e.rule])).toEqual([
      ['/sr:Request/sr:Header/sr:CommandVariant/@xsi:nil', 'xsi:nil'],
    ]);
  });

  it('validates an XmlDocument and its root element alike', () => {
    const text = readFileSync(vectorPath('duis-sign-wrap/test/data/8.2_READ_INVENTORY_REQUEST_DUIS.XML'));
    const doc = parseXml(text);
    expect(schema.validate(doc)).toEqual({ valid: true });
    expect(schema.validate(doc.root)).toEqual({ valid: true });
  });

  it('validates through validateDuis with the default schema location', () => {
    expect(validateDuis(readInventoryRequest())).toEqual({ valid: true });
  });
});

describe.skipIf(!HAVE_VECTORS)(
  'validateDuis on the XML signature (W3C xmldsig-core-schema, imported by DUIS)',
  () => {
    const schema = HAVE_VECTORS ? DuisSchema.load(DUIS_XSD) : (undefined as never);
    const template = (): XmlElement =>
      parseXml(readFileSync(vectorPath('duis-templates/templates/CS01a_2.2_SUCCESS_REQUEST_DUIS.XML'))).root;
    const signature = (r: XmlElement): XmlElement => child(r, 'Signature');

    it("accepts the templates' placeholder ds:Signature, as xmllint does", () => {
      expect(schema.validate(template())).toEqual({ valid: true });
    });

    it('refuses a SignedInfo without its SignatureMethod', () => {
      const r = template();
      const signedInfo = child(signature(r), 'SignedInfo');
      signedInfo.children = signedInfo.children.filter(
        (c) => c.kind !== 'element' || c.localName !== 'SignatureMethod',
      );
      expect(errorsOf(schema, r).map((e) => [e.path, e.rule])).toEqual([
        ['/sr:Request/ds:Signature/ds:SignedInfo/ds:Reference', 'unexpected element'],
      ]);
    });

    it('refuses a DigestValue that is not base64 (the XSD 1.0 grammar, stricter than libxml2)', () => {
      const r = template();
      const reference = child(child(signature(r), 'SignedInfo'), 'Reference');
      child(reference, 'DigestValue').children = [{ kind: 'text', value: '2021-06-01' }];
      expect(errorsOf(schema, r).map((e) => [e.path, e.rule])).toEqual([
        ['/sr:Request/ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestValue', 'type xs:base64Binary'],
      ]);
    });

    it('demands a declaration for children of CanonicalizationMethod (a strict ##any wildcard)', () => {
      const r = template();
      const c14n = child(child(signature(r), 'SignedInfo'), 'CanonicalizationMethod');
      c14n.children.push(el('ec:InclusiveNamespaces', 'http://www.w3.org/2001/10/xml-exc-c14n#'));
      expect(errorsOf(schema, r).map((e) => [e.path, e.rule])).toEqual([
        [
          '/sr:Request/ds:Signature/ds:SignedInfo/ds:CanonicalizationMethod/ec:InclusiveNamespaces',
          'no declaration',
        ],
      ]);
    });

    it('lets a Transform carry foreign elements (lax ##other) but still checks declared ones inside them', () => {
      const r = template();
      const transform = child(
        child(child(child(signature(r), 'SignedInfo'), 'Reference'), 'Transforms'),
        'Transform',
      );
      const foreign = el('x:Params', 'urn:example', [el('ds:DigestValue', DS, ['AAAA'])]);
      transform.children.push(foreign);
      expect(schema.validate(r)).toEqual({ valid: true });
      child(foreign, 'DigestValue').children = [{ kind: 'text', value: 'AAA' }];
      expect(errorsOf(schema, r).map((e) => e.rule)).toEqual(['type xs:base64Binary']);
    });

    it('refuses two signature parts with the same Id (xs:ID values are unique in a document)', () => {
      const r = template();
      const sig = signature(r);
      const idAttribute = { qname: 'Id', prefix: null, localName: 'Id', namespace: null, value: 'sig-1' };
      sig.attributes.push(idAttribute);
      child(sig, 'SignedInfo').attributes.push({ ...idAttribute });
      expect(errorsOf(schema, r)).toEqual([
        {
          path: '/sr:Request/ds:Signature/ds:SignedInfo/@Id',
          rule: 'duplicate ID',
          message: 'ID "sig-1" is already used in the document',
        },
      ]);
    });
  },
);
