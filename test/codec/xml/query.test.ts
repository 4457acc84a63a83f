import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/codec/xml/parse.js';
import {
  ancestorsOf,
  attributeValue,
  childElements,
  elementPath,
  firstChild,
  textContent,
} from '../../../src/codec/xml/query.js';
import type { XmlElement } from '../../../src/codec/xml/types.js';

const SR = 'http://www.dccinterface.co.uk/ServiceUserGateway';
const doc = parseXml(
  `<sr:Request xmlns:sr="${SR}" schemaVersion="5.4">\n` +
    '  <sr:Header><sr:RequestID>90-B3:1</sr:RequestID></sr:Header>\n' +
    '  <sr:Body><sr:ReadInventory><sr:DeviceID>A</sr:DeviceID><sr:DeviceID>B<!--c--><![CDATA[C]]></sr:DeviceID></sr:ReadInventory></sr:Body>\n' +
    '</sr:Request>',
);
const body = firstChild(doc.root, SR, 'Body')!;
const inventory = firstChild(body, SR, 'ReadInventory')!;
const [first, second] = childElements(inventory) as [XmlElement, XmlElement];

describe('tree queries', () => {
  it('lists child elements, skipping text, comments and PIs', () => {
    expect(childElements(doc.root).map((e) => e.qname)).toEqual(['sr:Header', 'sr:Body']);
  });

  it('finds a child by namespace and local name, not by prefix', () => {
    expect(firstChild(doc.root, SR, 'Header')?.qname).toBe('sr:Header');
    expect(firstChild(doc.root, null, 'Header')).toBeUndefined();
    expect(firstChild(doc.root, SR, 'Missing')).toBeUndefined();
  });

  it('reads an unqualified attribute', () => {
    expect(attributeValue(doc.root, 'schemaVersion')).toBe('5.4');
    expect(attributeValue(doc.root, 'schemaVersion', SR)).toBeUndefined();
  });

  it('gives the text of an element and its descendants, CDATA included and comments not', () => {
    expect(textContent(first)).toBe('A');
    expect(textContent(second)).toBe('BC');
    expect(textContent(firstChild(doc.root, SR, 'Header')!)).toBe('90-B3:1');
  });

  it('finds the ancestors of an element, outermost first', () => {
    expect(ancestorsOf(doc.root, first)!.map((e) => e.qname)).toEqual([
      'sr:Request',
      'sr:Body',
      'sr:ReadInventory',
    ]);
    expect(ancestorsOf(doc.root, doc.root)).toEqual([]);
    expect(ancestorsOf(first, doc.root)).toBeUndefined();
  });

  it('writes element paths for messages, indexing siblings that share a name', () => {
    expect(elementPath(inventory, doc.root)).toBe('/sr:Request/sr:Body/sr:ReadInventory');
    expect(elementPath(second, doc.root)).toBe('/sr:Request/sr:Body/sr:ReadInventory/sr:DeviceID[2]');
    expect(elementPath(doc.root, doc.root)).toBe('/sr:Request');
    expect(elementPath(doc.root, first)).toBeUndefined();
  });
});
