// XML for DUIS and XML-DSig: safe parser, serializer, canonicalisation (exclusive and inclusive) and tree helpers.
export * from './types.js';
export {
  parseXml,
  resolveXmlLimits,
  lineAndColumn,
  XML_NAMESPACE,
  XMLNS_NAMESPACE,
  type XmlParseOptions,
} from './parse.js';
export { serializeXml, XmlWriteError, type SerializeXmlOptions } from './serialize.js';
export {
  canonicalizeExclusive,
  canonicalizeExclusiveBytes,
  canonicalizeInclusive,
  canonicalizeInclusiveBytes,
  type C14nOptions,
  type ExclusiveC14nOptions,
} from './c14n.js';
export { childElements, firstChild, attributeValue, textContent, ancestorsOf, elementPath } from './query.js';
