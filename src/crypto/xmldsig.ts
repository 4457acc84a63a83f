// XML Signature (W3C XML Signature Syntax and Processing 1.1) as DUIS uses it: one enveloped ds:Signature, the last
// child of the root, ECDSA P-256 with SHA-256 (RFC 6931 §2.3.6 ecdsa-sha256) over SignedInfo in Exclusive C14N,
// one Reference URI="" with a SHA-256 digest, and KeyInfo naming the signer's SMKI certificate by X509IssuerSerial.
//
// Signed the way DCC Boxed signs [O: its signed responses, read in place by the tests]: the Reference carries the
// enveloped-signature transform only, so its node-set is turned into octets with inclusive Canonical XML 1.0
// (XML-DSig 1.1 §4.4.3.2); SignatureValue is raw r‖s (XML-DSig 1.1 §6.4.3), not DER; ds:Signature declares xmlns:ds
// itself and holds no whitespace. Verification also accepts a Reference that ends in an explicit exc-c14n (with an
// optional InclusiveNamespaces PrefixList) or c14n transform, as other XML-DSig libraries write it.
import { hash } from 'node:crypto';
import type { Eui64 } from '../codec/eui64.js';
import {
  canonicalizeExclusiveBytes,
  canonicalizeInclusive,
  canonicalizeInclusiveBytes,
} from '../codec/xml/c14n.js';
import { parseXml } from '../codec/xml/parse.js';
import { serializeXml, xmlDeclaration } from '../codec/xml/serialize.js';
import {
  XmlError,
  type XmlAttribute,
  type XmlDocument,
  type XmlElement,
  type XmlLimits,
  type XmlNode,
} from '../codec/xml/types.js';
import { P256_SIGNATURE_LENGTH, signP256, verifyP256 } from './ecdsa.js';
import { CryptoInputError } from './errors.js';
import {
  normalizeIssuerName,
  normalizeSerialNumber,
  type XmlSigner,
  type XmlSigningCertificateLookup,
  type XmlSigningCredential,
} from './xmldsig-credentials.js';

export const XMLDSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';
/** The namespace of ec:InclusiveNamespaces (exc-c14n §3). */
export const EXC_C14N_NAMESPACE = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export const XMLDSIG_ALGORITHMS = {
  exclusiveC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  canonicalXml10: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

const SHA256_LENGTH = 32;

/** Why a document's signature is refused, each with what it means. */
export const XML_SIGNATURE_FAILURES = [
  { reason: 'malformed-xml', meaning: 'the text is not well-formed XML, or breaks the parser limits' },
  { reason: 'no-signature', meaning: 'the document holds no ds:Signature' },
  { reason: 'multiple-signatures', meaning: 'the document holds more than one ds:Signature' },
  {
    reason: 'signature-not-last-child',
    meaning: 'ds:Signature is not the last child of the root (only whitespace may follow it)',
  },
  {
    reason: 'malformed-signature',
    meaning: 'ds:Signature does not have the XML-DSig structure, or a value is mis-sized',
  },
  {
    reason: 'unsupported-algorithm',
    meaning: 'a canonicalization, signature or digest method other than DUIS uses',
  },
  {
    reason: 'unsupported-transform',
    meaning: 'the Reference transforms are not enveloped-signature, optionally followed by exc-c14n or c14n',
  },
  { reason: 'not-one-reference', meaning: 'SignedInfo holds no Reference, or more than one' },
  { reason: 'reference-uri-not-empty', meaning: 'the Reference does not cover the whole document (URI="")' },
  {
    reason: 'missing-issuer-serial',
    meaning: 'KeyInfo does not name the certificate by X509IssuerName and X509SerialNumber',
  },
  { reason: 'certificate-not-found', meaning: 'no certificate is held for that issuer and serial number' },
  {
    reason: 'unexpected-signer',
    meaning: 'the certificate belongs to another party than the expected signer',
  },
  { reason: 'digest-mismatch', meaning: 'the signed content changed: its SHA-256 differs from DigestValue' },
  {
    reason: 'signature-invalid',
    meaning: 'SignatureValue is not a valid signature of SignedInfo by the named key',
  },
] as const;

export type XmlSignatureFailure = (typeof XML_SIGNATURE_FAILURES)[number]['reason'];

/** Who signed, as the certificate names them. */
export interface DuisSignerIdentity {
  issuer: string;
  /** Decimal. */
  serial: string;
  eui: Eui64;
  roleCode?: number;
}

export type DuisSignatureVerdict =
  | { valid: true; signer: DuisSignerIdentity; credential: XmlSigningCredential }
  | { valid: false; reason: XmlSignatureFailure; detail: string };

export interface VerifyDuisOptions {
  /** Refuse a valid signature by anyone else (unexpected-signer): the Request's originator, or the DSP. */
  expectedSigner?: Eui64;
  /** Parser limits when the document is given as text or bytes. */
  limits?: Partial<XmlLimits>;
}

/**
 * Checks the enveloped signature of a DUIS document (a parsed tree, or the text or bytes as received). Never throws
 * for what the document holds: every refusal is a typed verdict naming the reason and the element at fault.
 */
export function verifyDuis(
  input: XmlDocument | string | Uint8Array,
  credentials: XmlSigningCertificateLookup,
  options: VerifyDuisOptions = {},
): DuisSignatureVerdict {
  try {
    return verifyDocument(input, credentials, options);
  } catch (e) {
    if (e instanceof Refusal) return { valid: false, reason: e.reason, detail: e.detail };
    throw e;
  }
}

function verifyDocument(
  input: XmlDocument | string | Uint8Array,
  credentials: XmlSigningCertificateLookup,
  options: VerifyDuisOptions,
): DuisSignatureVerdict {
  let doc: XmlDocument;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      doc = parseXml(input, options.limits);
    } catch (e) {
      if (e instanceof XmlError) throw new Refusal('malformed-xml', e.message);
      throw e;
    }
  } else doc = input;

  const signature = theSignature(doc.root);
  const parsed = readSignature(signature);

  const credential = credentials.byIssuerSerial(parsed.issuer, parsed.serial);
  if (credential === undefined)
    throw new Refusal(
      'certificate-not-found',
      `no certificate held for X509IssuerName "${parsed.issuer}" and X509SerialNumber ${parsed.serial}`,
    );
  if (options.expectedSigner !== undefined && credential.eui !== options.expectedSigner)
    throw new Refusal(
      'unexpected-signer',
      `signed by ${credential.eui} (serial ${credential.serialNumber}), expected ${options.expectedSigner}`,
    );

  // XML-DSig 1.1 §3.2.1 core validation: the Reference first, then SignedInfo's signature.
  const omit = (el: XmlElement): boolean => el === signature;
  const content =
    parsed.reference.kind === 'inclusive'
      ? canonicalizeInclusiveBytes(doc, { omit })
      : canonicalizeExclusiveBytes(doc, { omit, inclusiveNamespacePrefixes: parsed.reference.prefixes });
  const digest = sha256(content);
  if (!digest.equals(parsed.digestValue))
    throw new Refusal(
      'digest-mismatch',
      `SHA-256 of the signed content is ${digest.toString('base64')}, DigestValue is ${Buffer.from(parsed.digestValue).toString('base64')}`,
    );

  const signedInfo = canonicalizeExclusiveBytes(parsed.signedInfo, {
    ancestors: [doc.root, signature],
    inclusiveNamespacePrefixes: parsed.signedInfoPrefixes,
  });
  if (!verifyP256(credential.publicKey, signedInfo, parsed.signatureValue))
    throw new Refusal(
      'signature-invalid',
      `SignatureValue does not verify under ${credential.issuer} serial ${credential.serialNumber} (${credential.eui})`,
    );
  return {
    valid: true,
    signer: {
      issuer: credential.issuer,
      serial: credential.serialNumber,
      eui: credential.eui,
      ...(credential.roleCode !== undefined && { roleCode: credential.roleCode }),
    },
    credential,
  };
}

/**
 * Signs a DUIS document: the result (a new tree, or new text for text) carries one ds:Signature as the last child of
 * its root. A ds:Signature already last in the root (the templates' placeholder) is replaced where it stands; any
 * other ds:Signature makes the document unsignable and throws CryptoInputError, as do unusable signer fields.
 */
export function signDuis(doc: XmlDocument, signer: XmlSigner): XmlDocument;
export function signDuis(doc: string, signer: XmlSigner): string;
export function signDuis(doc: XmlDocument | string, signer: XmlSigner): XmlDocument | string {
  if (typeof doc === 'string') return serializeXml(signDuis(parseXml(doc), signer));
  const { unsigned, at } = unsignedForm(doc);
  // The enveloped-signature transform removes exactly the element inserted below, so the digest is of this tree.
  const signature = signatureOf(canonicalizeInclusive(unsigned), signer);
  const children = unsigned.root.children;
  return {
    ...doc,
    root: { ...doc.root, children: [...children.slice(0, at), signature, ...children.slice(at)] },
  };
}

/**
 * Signs a DUIS document and returns it as text written in its canonical form (Canonical XML 1.0, the form its
 * digest is taken of; an XML declaration if it had one, comments dropped), with ds:Signature spliced in before the
 * root's end tag. The same signature as signDuis, from one pass over the document instead of two (the canonical
 * form for the digest, then the tree written out): for the DCC's own responses and pushes, written by this code.
 */
export function signDuisText(doc: XmlDocument | string, signer: XmlSigner): string {
  const tree = typeof doc === 'string' ? parseXml(doc) : doc;
  const { unsigned, at } = unsignedForm(tree);
  // The splice needs the signature last in the root and the root last in the canonical text (no PI after it).
  if (at !== unsigned.root.children.length || tree.epilog.some((n) => n.kind === 'pi'))
    return serializeXml(signDuis(tree, signer));
  const canonical = canonicalizeInclusive(unsigned);
  const endTag = `</${unsigned.root.qname}>`;
  const signature = serializeXml(signatureOf(canonical, signer));
  const declaration = tree.declaration === null ? '' : xmlDeclaration(tree.declaration);
  return declaration + canonical.slice(0, -endTag.length) + signature + endTag;
}

/** The document without a placeholder ds:Signature, and where the signature goes among the root's children. */
function unsignedForm(doc: XmlDocument): { unsigned: XmlDocument; at: number } {
  const { root } = doc;
  const children = root.children.slice();
  const last = lastSignificantChild(root);
  const placeholder = last >= 0 && isDsig(children[last]!, 'Signature');
  const others = countSignatures(root) - (placeholder ? 1 : 0);
  if (others > 0)
    throw new CryptoInputError(
      'doc',
      'at most one ds:Signature, the last child of the root',
      `${others} ds:Signature element(s) elsewhere`,
    );
  if (placeholder) children.splice(last, 1);
  return { unsigned: { ...doc, root: { ...root, children } }, at: placeholder ? last : last + 1 };
}

/** ds:Signature over a document whose canonical form (Canonical XML 1.0, as the Reference digests it) is given. */
function signatureOf(canonical: string, signer: XmlSigner): XmlElement {
  const issuer = signer.issuer;
  const serial = normalizeSerialNumber(signer.serialNumber);
  if (normalizeIssuerName(issuer) === undefined)
    throw new CryptoInputError(
      'signer.issuer',
      'an RFC 4514 name such as "CN=Z1,OU=07"',
      JSON.stringify(issuer),
    );
  if (serial === undefined)
    throw new CryptoInputError(
      'signer.serialNumber',
      'a decimal integer',
      JSON.stringify(signer.serialNumber),
    );
  const digest = sha256(canonical); // node hashes a string as its UTF-8 octets
  const signedInfo = ds('SignedInfo', {}, [
    ds('CanonicalizationMethod', { Algorithm: XMLDSIG_ALGORITHMS.exclusiveC14n }),
    ds('SignatureMethod', { Algorithm: XMLDSIG_ALGORITHMS.ecdsaSha256 }),
    ds('Reference', { URI: '' }, [
      ds('Transforms', {}, [ds('Transform', { Algorithm: XMLDSIG_ALGORITHMS.envelopedSignature })]),
      ds('DigestMethod', { Algorithm: XMLDSIG_ALGORITHMS.sha256 }),
      ds('DigestValue', {}, [text(digest.toString('base64'))]),
    ]),
  ]);
  // Exclusive C14N renders only the ds binding SignedInfo uses, so its form does not depend on where it is placed.
  const value = signP256(signer.privateKey, canonicalizeExclusiveBytes(signedInfo));
  const signature = ds('Signature', {}, [
    signedInfo,
    ds('SignatureValue', {}, [text(Buffer.from(value).toString('base64'))]),
    ds('KeyInfo', {}, [
      ds('X509Data', {}, [
        ds('X509IssuerSerial', {}, [
          ds('X509IssuerName', {}, [text(issuer)]),
          ds('X509SerialNumber', {}, [text(serial)]),
        ]),
      ]),
    ]),
  ]);
  signature.namespaces.push({ prefix: 'ds', uri: XMLDSIG_NAMESPACE });
  return signature;
}

// ---------------------------------------------------------------- reading ds:Signature

/** A refusal on its way to a verdict; never leaves this module. */
class Refusal extends Error {
  constructor(
    readonly reason: XmlSignatureFailure,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

interface ParsedSignature {
  signedInfo: XmlElement;
  signedInfoPrefixes: string[];
  reference: { kind: 'inclusive' } | { kind: 'exclusive'; prefixes: string[] };
  digestValue: Uint8Array;
  signatureValue: Uint8Array;
  issuer: string;
  serial: string;
}

/** The one ds:Signature of the document, which must be the root's last child but for trailing whitespace. */
function theSignature(root: XmlElement): XmlElement {
  const count = countSignatures(root);
  if (count === 0) throw new Refusal('no-signature', `${root.qname} holds no ds:Signature`);
  if (count > 1)
    throw new Refusal('multiple-signatures', `${root.qname} holds ${count} ds:Signature elements`);
  const last = root.children[lastSignificantChild(root)];
  if (last === undefined || !isDsig(last, 'Signature')) {
    const where = root.children.some((c) => isDsig(c, 'Signature'))
      ? 'followed by'
      : 'not a child of the root; last is';
    throw new Refusal('signature-not-last-child', `ds:Signature is ${where} ${describe(last)}`);
  }
  return last as XmlElement;
}

function readSignature(signature: XmlElement): ParsedSignature {
  const [signedInfo, signatureValueEl, ...rest] = elementChildren(signature, 'ds:Signature');
  expectDsig(signedInfo, 'SignedInfo', 'ds:Signature');
  expectDsig(signatureValueEl, 'SignatureValue', 'ds:Signature after ds:SignedInfo');
  // ds:Object elements may follow; a Reference URI="" cannot sign them, so they are ignored.
  const keyInfo = rest[0] !== undefined && isDsig(rest[0], 'KeyInfo') ? rest[0] : undefined;
  for (const el of rest.slice(keyInfo === undefined ? 0 : 1)) expectDsig(el, 'Object', 'ds:Signature');

  const [c14nMethod, signatureMethod, ...references] = elementChildren(signedInfo, 'ds:SignedInfo');
  expectDsig(c14nMethod, 'CanonicalizationMethod', 'ds:SignedInfo');
  expectDsig(signatureMethod, 'SignatureMethod', 'ds:SignedInfo');
  const c14nAlgorithm = algorithmOf(c14nMethod);
  if (c14nAlgorithm !== XMLDSIG_ALGORITHMS.exclusiveC14n)
    throw new Refusal(
      'unsupported-algorithm',
      `CanonicalizationMethod ${c14nAlgorithm}; DUIS uses ${XMLDSIG_ALGORITHMS.exclusiveC14n}`,
    );
  const signedInfoPrefixes = inclusivePrefixes(c14nMethod, 'ds:CanonicalizationMethod');
  const signatureAlgorithm = algorithmOf(signatureMethod);
  if (signatureAlgorithm !== XMLDSIG_ALGORITHMS.ecdsaSha256)
    throw new Refusal(
      'unsupported-algorithm',
      `SignatureMethod ${signatureAlgorithm}; DUIS uses ${XMLDSIG_ALGORITHMS.ecdsaSha256}`,
    );
  noElementChildren(signatureMethod, 'ds:SignatureMethod');
  if (references.length !== 1)
    throw new Refusal(
      'not-one-reference',
      `ds:SignedInfo holds ${references.length} elements after SignatureMethod`,
    );
  const reference = references[0]!;
  expectDsig(reference, 'Reference', 'ds:SignedInfo');
  const uri = attribute(reference, 'URI');
  if (uri !== '')
    throw new Refusal(
      'reference-uri-not-empty',
      uri === undefined ? 'ds:Reference has no URI attribute' : `ds:Reference URI="${uri}"`,
    );

  const refChildren = elementChildren(reference, 'ds:Reference');
  const transformsEl =
    refChildren[0] !== undefined && isDsig(refChildren[0], 'Transforms') ? refChildren[0] : undefined;
  const [digestMethod, digestValueEl, ...extra] = refChildren.slice(transformsEl === undefined ? 0 : 1);
  expectDsig(digestMethod, 'DigestMethod', 'ds:Reference');
  expectDsig(digestValueEl, 'DigestValue', 'ds:Reference after ds:DigestMethod');
  if (extra[0] !== undefined)
    throw new Refusal(
      'malformed-signature',
      `ds:Reference: unexpected ${describe(extra[0])} after ds:DigestValue`,
    );
  const referenceKind = readTransforms(transformsEl);
  const digestAlgorithm = algorithmOf(digestMethod);
  if (digestAlgorithm !== XMLDSIG_ALGORITHMS.sha256)
    throw new Refusal(
      'unsupported-algorithm',
      `DigestMethod ${digestAlgorithm}; DUIS uses ${XMLDSIG_ALGORITHMS.sha256}`,
    );
  noElementChildren(digestMethod, 'ds:DigestMethod');
  const digestValue = readBase64(digestValueEl, 'ds:DigestValue');
  if (digestValue.length !== SHA256_LENGTH)
    throw new Refusal(
      'malformed-signature',
      `ds:DigestValue holds ${digestValue.length} bytes; SHA-256 has ${SHA256_LENGTH}`,
    );

  const signatureValue = readBase64(signatureValueEl, 'ds:SignatureValue');
  if (signatureValue.length !== P256_SIGNATURE_LENGTH) {
    const der = signatureValue[0] === 0x30 && signatureValue[1] === signatureValue.length - 2;
    throw new Refusal(
      'malformed-signature',
      `ds:SignatureValue holds ${signatureValue.length} bytes${der ? ' of DER' : ''}; ecdsa-sha256 on P-256 is r‖s, ${P256_SIGNATURE_LENGTH} bytes (XML-DSig 1.1 §6.4.3)`,
    );
  }

  const { issuer, serial } = readIssuerSerial(keyInfo);
  return {
    signedInfo,
    signedInfoPrefixes,
    reference: referenceKind,
    digestValue,
    signatureValue,
    issuer,
    serial,
  };
}

function readTransforms(transformsEl: XmlElement | undefined): ParsedSignature['reference'] {
  if (transformsEl === undefined)
    throw new Refusal(
      'unsupported-transform',
      'no ds:Transforms: without enveloped-signature the digest covers the signature',
    );
  const transforms = elementChildren(transformsEl, 'ds:Transforms');
  for (const t of transforms) expectDsig(t, 'Transform', 'ds:Transforms');
  const algorithms = transforms.map((t) => algorithmOf(t));
  const [first, second, ...more] = algorithms;
  const supported =
    first === XMLDSIG_ALGORITHMS.envelopedSignature &&
    more.length === 0 &&
    (second === undefined ||
      second === XMLDSIG_ALGORITHMS.exclusiveC14n ||
      second === XMLDSIG_ALGORITHMS.canonicalXml10);
  if (!supported)
    throw new Refusal(
      'unsupported-transform',
      `transforms [${algorithms.join(', ')}]; DUIS uses [${XMLDSIG_ALGORITHMS.envelopedSignature}], optionally followed by exc-c14n or c14n`,
    );
  noElementChildren(transforms[0]!, 'ds:Transform (enveloped-signature)');
  if (second === XMLDSIG_ALGORITHMS.exclusiveC14n)
    return { kind: 'exclusive', prefixes: inclusivePrefixes(transforms[1]!, 'ds:Transform (exc-c14n)') };
  if (second !== undefined) noElementChildren(transforms[1]!, 'ds:Transform (c14n)');
  // XML-DSig 1.1 §4.4.3.2: a node-set left after the last transform becomes octets by Canonical XML 1.0.
  return { kind: 'inclusive' };
}

/** The PrefixList of an exc-c14n method's optional ec:InclusiveNamespaces child (exc-c14n §3). */
function inclusivePrefixes(method: XmlElement, path: string): string[] {
  const kids = elementChildren(method, path);
  if (kids.length === 0) return [];
  const [only, ...more] = kids;
  if (only!.namespace !== EXC_C14N_NAMESPACE || only!.localName !== 'InclusiveNamespaces' || more.length > 0)
    throw new Refusal(
      'malformed-signature',
      `${path}: expected at most one ec:InclusiveNamespaces, got ${describe(only)}`,
    );
  const list = attribute(only!, 'PrefixList');
  if (list === undefined)
    throw new Refusal('malformed-signature', `${path}: ec:InclusiveNamespaces without PrefixList`);
  return list.split(/[\t\n\r ]+/).filter((p) => p !== '');
}

function readIssuerSerial(keyInfo: XmlElement | undefined): { issuer: string; serial: string } {
  if (keyInfo === undefined) throw new Refusal('missing-issuer-serial', 'ds:Signature has no ds:KeyInfo');
  const issuerSerials: XmlElement[] = [];
  for (const data of elementChildren(keyInfo, 'ds:KeyInfo')) {
    if (!isDsig(data, 'X509Data')) continue;
    for (const el of elementChildren(data, 'ds:X509Data'))
      if (isDsig(el, 'X509IssuerSerial')) issuerSerials.push(el);
  }
  if (issuerSerials.length === 0)
    throw new Refusal('missing-issuer-serial', 'ds:KeyInfo holds no ds:X509Data/ds:X509IssuerSerial');
  if (issuerSerials.length > 1)
    throw new Refusal(
      'malformed-signature',
      `ds:KeyInfo holds ${issuerSerials.length} ds:X509IssuerSerial elements`,
    );
  const [nameEl, serialEl, ...extra] = elementChildren(issuerSerials[0]!, 'ds:X509IssuerSerial');
  if (nameEl === undefined || !isDsig(nameEl, 'X509IssuerName'))
    throw new Refusal(
      'missing-issuer-serial',
      `ds:X509IssuerSerial starts with ${describe(nameEl)}, not ds:X509IssuerName`,
    );
  if (serialEl === undefined || !isDsig(serialEl, 'X509SerialNumber'))
    throw new Refusal(
      'missing-issuer-serial',
      `ds:X509IssuerName is followed by ${describe(serialEl)}, not ds:X509SerialNumber`,
    );
  if (extra[0] !== undefined)
    throw new Refusal('malformed-signature', `ds:X509IssuerSerial: unexpected ${describe(extra[0])}`);
  const issuer = textOf(nameEl, 'ds:X509IssuerName').trim();
  const serialText = textOf(serialEl, 'ds:X509SerialNumber');
  if (normalizeIssuerName(issuer) === undefined)
    throw new Refusal('malformed-signature', `ds:X509IssuerName "${issuer}" is not an RFC 4514 name`);
  const serial = normalizeSerialNumber(serialText);
  if (serial === undefined)
    throw new Refusal(
      'malformed-signature',
      `ds:X509SerialNumber "${serialText.trim()}" is not a decimal integer`,
    );
  return { issuer, serial };
}

// ---------------------------------------------------------------- tree helpers

function isDsig(node: XmlNode, localName: string): node is XmlElement {
  return node.kind === 'element' && node.namespace === XMLDSIG_NAMESPACE && node.localName === localName;
}

function expectDsig(
  node: XmlElement | undefined,
  localName: string,
  where: string,
): asserts node is XmlElement {
  if (node === undefined || !isDsig(node, localName))
    throw new Refusal('malformed-signature', `${where}: expected ds:${localName}, got ${describe(node)}`);
}

function describe(node: XmlNode | undefined): string {
  if (node === undefined) return 'nothing';
  switch (node.kind) {
    case 'element':
      return `<${node.qname}>${node.namespace === null ? '' : ` {${node.namespace}}`}`;
    case 'text':
      return `text ${JSON.stringify(node.value.length > 20 ? `${node.value.slice(0, 20)}…` : node.value)}`;
    case 'comment':
      return 'a comment';
    case 'pi':
      return `a processing instruction <?${node.target}?>`;
  }
}

function isWhitespace(node: XmlNode): boolean {
  return node.kind === 'text' && /^[\t\n\r ]*$/.test(node.value);
}

/** Index of the root's last child that is not whitespace text, or -1. */
function lastSignificantChild(el: XmlElement): number {
  let i = el.children.length - 1;
  while (i >= 0 && isWhitespace(el.children[i]!)) i--;
  return i;
}

/** The element children of an element-only XML-DSig element; text other than whitespace is refused. */
function elementChildren(el: XmlElement, path: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.kind === 'element') out.push(c);
    else if (c.kind === 'text' && !isWhitespace(c))
      throw new Refusal('malformed-signature', `${path}: unexpected ${describe(c)}`);
  }
  return out;
}

function noElementChildren(el: XmlElement, path: string): void {
  const kids = elementChildren(el, path);
  if (kids.length > 0) throw new Refusal('malformed-signature', `${path}: unexpected ${describe(kids[0])}`);
}

function textOf(el: XmlElement, path: string): string {
  let out = '';
  for (const c of el.children) {
    if (c.kind === 'text') out += c.value;
    else if (c.kind === 'element')
      throw new Refusal('malformed-signature', `${path}: unexpected ${describe(c)}`);
  }
  return out;
}

function attribute(el: XmlElement, localName: string): string | undefined {
  for (const a of el.attributes) if (a.localName === localName && a.namespace === null) return a.value;
  return undefined;
}

function algorithmOf(el: XmlElement): string {
  const value = attribute(el, 'Algorithm');
  if (value === undefined)
    throw new Refusal('malformed-signature', `<${el.qname}> has no Algorithm attribute`);
  return value;
}

/** xsd:base64Binary with whitespace allowed anywhere (DCC Boxed wraps at 76 characters with CR LF). */
function readBase64(el: XmlElement, path: string): Uint8Array {
  const compact = textOf(el, path).replace(/[\t\n\r ]+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  // Buffer.from skips what is not base64; re-encoding finds stray characters, bad padding and unused bits set.
  if (compact.length % 4 !== 0 || bytes.toString('base64') !== compact)
    throw new Refusal(
      'malformed-signature',
      `${path} is not base64: ${JSON.stringify(compact.slice(0, 24))}`,
    );
  return bytes;
}

function countSignatures(el: XmlElement): number {
  let n = 0;
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    if (isDsig(c, 'Signature')) n++;
    n += countSignatures(c);
  }
  return n;
}

function sha256(data: Uint8Array | string): Buffer {
  return hash('sha256', data, 'buffer') as Buffer;
}

function ds(
  localName: string,
  attributes: Record<string, string> = {},
  children: XmlNode[] = [],
): XmlElement {
  return {
    kind: 'element',
    qname: `ds:${localName}`,
    prefix: 'ds',
    localName,
    namespace: XMLDSIG_NAMESPACE,
    namespaces: [],
    attributes: Object.entries(attributes).map(([name, value]): XmlAttribute => ({
      qname: name,
      prefix: null,
      localName: name,
      namespace: null,
      value,
    })),
    children,
    offset: -1,
  };
}

function text(value: string): XmlNode {
  return { kind: 'text', value };
}
