// GBCS message framing (GBCS 2.2/2.3, domain brief §2.1): the MAC header (DLMS General-Ciphering, 0xDD),
// the Grouping Header (DLMS General-Signing, 0xDF), the payload, the signature element and the 12-byte MAC.
// A Pre-Command is the General-Signing APDU with the signature element absent.
import { EncodeError, Reader, Writer } from '../bytes.js';
import { eui64ToBytes, readEui64, type Eui64 } from '../eui64.js';
import { decodePayload, encodePayload, type GbcsPayload } from './payload.js';

export const GENERAL_CIPHERING = 0xdd;
export const GENERAL_SIGNING = 0xdf;
/** Security control byte of the MAC header: authentication only (GBCS 3.2.4). */
export const SECURITY_CONTROL = 0x11;
export const MAC_LENGTH = 12;
export const SIGNATURE_LENGTH = 64;
/** DLMS date-time is a 12-octet string. */
export const DATE_TIME_LENGTH = 12;

/** CRA flag (GBCS 4.3.1.5): Command, Response or Alert. */
export const CRA = { command: 1, response: 2, alert: 3 } as const;
export type Cra = (typeof CRA)[keyof typeof CRA];
export const CRA_NAMES: Record<Cra, string> = { 1: 'Command', 2: 'Response', 3: 'Alert' };

export interface GroupingHeader {
  cra: Cra;
  /** 64-bit Originator Counter; a response carries its command's counter (GBCS 4.3.1.6). */
  originatorCounter: bigint;
  /** Business Originator ID. */
  originator: Eui64;
  /** Business Target ID. */
  recipient: Eui64;
  /** 12-octet DLMS date-time, or null when the element is empty. */
  dateTime: Uint8Array | null;
  messageCode: number;
  /** Present when the ACB originates on a User's behalf (commands to CHF/PPMID) and in their responses. */
  supplementaryRemotePartyId?: Eui64;
  supplementaryRemotePartyCounter?: bigint;
  /** Responses to commands carrying a supplementary remote party: the counter used for encryption (KDF type 04). */
  supplementaryOriginatorCounter?: bigint;
  /** Unrecognised Remote Party commands carry the User's KA certificate (DER). */
  supplementaryRemotePartyKaCertificate?: Uint8Array;
}

/** Signature element: absent in a Pre-Command, empty (0x00) when unsigned, else 64-byte ECDSA r‖s. */
export type SignatureField = { kind: 'absent' } | { kind: 'empty' } | { kind: 'present'; value: Uint8Array };

export interface GbcsMessage {
  /** True when the message travels inside a MAC header (General-Ciphering) with a trailing MAC. */
  macProtected: boolean;
  header: GroupingHeader;
  payload: GbcsPayload;
  signature: SignatureField;
  /** The 12-byte MAC when macProtected, else null. */
  mac: Uint8Array | null;
}

/** Where the cryptographically relevant parts sit in the bytes as received: verification uses these, never a re-encoding. */
export interface GbcsWireSpans {
  /** Offset of the 0xDF tag. */
  apduStart: number;
  /** Offset of the first content (payload) byte. */
  contentStart: number;
  /** End of the content (exclusive): the signature covers apduStart+1 .. contentEnd. */
  contentEnd: number;
  /** End of the signature element (exclusive): the MAC covers apduStart .. apduEnd. */
  apduEnd: number;
}

export interface ParsedGbcs {
  message: GbcsMessage;
  bytes: Uint8Array;
  spans: GbcsWireSpans;
}

/** Decodes a complete GBCS message (not a GBT block) into its typed value. */
export function decodeGbcs(bytes: Uint8Array): GbcsMessage {
  return parseGbcs(bytes).message;
}

/** Decodes and keeps the byte spans that MAC and signature checks need. */
export function parseGbcs(bytes: Uint8Array): ParsedGbcs {
  const { macProtected, header, content, signature, mac, spans } = scanGbcs(bytes);
  const payload = decodePayload(content, spans.contentStart, {
    messageCode: header.messageCode,
    cra: header.cra,
  });
  return { message: { macProtected, header, payload, signature, mac }, bytes, spans };
}

/** A message's frame read without decoding its payload: everything parseGbcs checks except the content's grammar. */
export interface ScannedGbcs {
  macProtected: boolean;
  header: GroupingHeader;
  /** The content bytes (a view into the message). */
  content: Uint8Array;
  signature: SignatureField;
  mac: Uint8Array | null;
  spans: GbcsWireSpans;
}

/** The General-Ciphering fields GBCS leaves empty (one 0x00 each), as error paths built once, not per message. */
const EMPTY_MAC_HEADER_FIELDS = [
  'mac-header.transaction-id',
  'mac-header.originator-system-title',
  'mac-header.recipient-system-title',
  'mac-header.date-time',
  'mac-header.other-information',
  'mac-header.key-info',
] as const;

/** Reads the MAC header, grouping header, content bounds, signature and MAC; the payload stays bytes. */
export function scanGbcs(bytes: Uint8Array): ScannedGbcs {
  const r: Reader = new Reader(bytes, 'gbcs');
  const tag = r.peek('tag');
  let macProtected = false;
  let end = bytes.length;
  if (tag === GENERAL_CIPHERING) {
    r.u8('tag');
    if (bytes.length > 1 && bytes[1] !== 0) {
      r.fail(
        'mac-header.transaction-id',
        'a General-Ciphering header with a transaction-id is a GBT block; decode it with decodeGbtBlock',
      );
    }
    for (const path of EMPTY_MAC_HEADER_FIELDS) r.expect(0, path);
    const lenAt = r.offset;
    const ciphered = r.length('mac-header.length');
    // The ciphered-service length covers the security header, the General-Signing APDU and the MAC.
    if (ciphered !== r.remaining)
      r.fail('mac-header.length', `says ${ciphered} bytes, but ${r.remaining} follow`, lenAt);
    if (ciphered < 5 + 1 + MAC_LENGTH)
      r.fail(
        'mac-header.length',
        `${ciphered} bytes cannot hold a security header, an APDU and a MAC`,
        lenAt,
      );
    r.expect(SECURITY_CONTROL, 'mac-header.security-control');
    const icAt = r.offset;
    if (r.u32('mac-header.invocation-counter') !== 0)
      r.fail('mac-header.invocation-counter', 'must be 0 (GBCS 3.2.4)', icAt);
    macProtected = true;
    end = bytes.length - MAC_LENGTH;
  } else if (tag !== GENERAL_SIGNING) {
    r.fail(
      'tag',
      `expected 0xDD (General-Ciphering) or 0xDF (General-Signing), got 0x${tag.toString(16).padStart(2, '0').toUpperCase()}`,
    );
  }

  const apduStart = r.pos;
  const body: Reader = new Reader(bytes.subarray(0, end), 'gbcs');
  body.pos = apduStart;
  const header = readGroupingHeader(body);
  const contentLength = body.length('content.length');
  const contentStart = body.pos;
  const content = body.sub(contentLength, 'content');
  const contentEnd = body.pos;

  let signature: SignatureField;
  if (body.atEnd) {
    signature = { kind: 'absent' };
  } else {
    const sigAt = body.offset;
    const sigLen = body.length('signature.length');
    if (sigLen === 0) signature = { kind: 'empty' };
    else if (sigLen === SIGNATURE_LENGTH)
      signature = { kind: 'present', value: body.bytes(SIGNATURE_LENGTH, 'signature') };
    else body.fail('signature.length', `expected 0 or ${SIGNATURE_LENGTH}, got ${sigLen}`, sigAt);
  }
  body.finish('message');
  const apduEnd = body.pos;
  const mac = macProtected ? bytes.slice(end) : null;
  return {
    macProtected,
    header,
    content: content.buf,
    signature,
    mac,
    spans: { apduStart, contentStart, contentEnd, apduEnd },
  };
}

function readGroupingHeader(r: Reader): GroupingHeader {
  r.expect(GENERAL_SIGNING, 'grouping-header.tag');
  r.expect(9, 'grouping-header.transaction-id.length');
  const craAt = r.offset;
  const cra = r.u8('grouping-header.cra-flag');
  if (cra !== 1 && cra !== 2 && cra !== 3)
    r.fail('grouping-header.cra-flag', `expected 1, 2 or 3, got ${cra}`, craAt);
  const originatorCounter = r.u64('grouping-header.originator-counter');
  r.expect(8, 'grouping-header.originator.length');
  const originator = readEui64(r, 'grouping-header.originator');
  r.expect(8, 'grouping-header.recipient.length');
  const recipient = readEui64(r, 'grouping-header.recipient');
  const dtAt = r.offset;
  const dtLen = r.u8('grouping-header.date-time.length');
  let dateTime: Uint8Array | null = null;
  if (dtLen === DATE_TIME_LENGTH) dateTime = r.bytes(DATE_TIME_LENGTH, 'grouping-header.date-time');
  else if (dtLen !== 0)
    r.fail('grouping-header.date-time.length', `expected 0 or ${DATE_TIME_LENGTH}, got ${dtLen}`, dtAt);

  const oiAt = r.offset;
  const oiLen = r.length('grouping-header.other-information.length');
  if (oiLen < 2)
    r.fail(
      'grouping-header.other-information.length',
      `must hold the 2-byte message code, got ${oiLen}`,
      oiAt,
    );
  const oi = r.sub(oiLen, 'grouping-header.other-information');
  const header: GroupingHeader = {
    cra: cra as Cra,
    originatorCounter,
    originator,
    recipient,
    dateTime,
    messageCode: oi.u16('grouping-header.message-code'),
  };
  // GBCS 4.3.1.8: optional Supplementary Remote Party ID, its Counter, then either the Supplementary
  // Originator Counter (8 octets) or the Remote Party's KA certificate (DER).
  if (!oi.atEnd)
    header.supplementaryRemotePartyId = readEui64(oi, 'grouping-header.supplementary-remote-party-id');
  if (!oi.atEnd)
    header.supplementaryRemotePartyCounter = oi.u64('grouping-header.supplementary-remote-party-counter');
  if (oi.remaining === 8)
    header.supplementaryOriginatorCounter = oi.u64('grouping-header.supplementary-originator-counter');
  else if (!oi.atEnd) header.supplementaryRemotePartyKaCertificate = oi.rest();
  return header;
}

function otherInformationLength(h: GroupingHeader): number {
  let n = 2;
  if (h.supplementaryRemotePartyId !== undefined) n += 8;
  if (h.supplementaryRemotePartyCounter !== undefined) n += 8;
  if (h.supplementaryOriginatorCounter !== undefined) n += 8;
  if (h.supplementaryRemotePartyKaCertificate !== undefined)
    n += h.supplementaryRemotePartyKaCertificate.length;
  return n;
}

function writeGroupingHeader(w: Writer, h: GroupingHeader): void {
  if (h.cra !== 1 && h.cra !== 2 && h.cra !== 3)
    w.fail('grouping-header.cra-flag', `expected 1, 2 or 3, got ${String(h.cra)}`);
  w.u8(GENERAL_SIGNING).u8(9).u8(h.cra);
  w.u64(h.originatorCounter, 'grouping-header.originator-counter');
  w.u8(8).bytes(eui64ToBytes(h.originator));
  w.u8(8).bytes(eui64ToBytes(h.recipient));
  if (h.dateTime === null) w.u8(0);
  else w.u8(DATE_TIME_LENGTH).fixed(h.dateTime, DATE_TIME_LENGTH, 'grouping-header.date-time');

  const hasId = h.supplementaryRemotePartyId !== undefined;
  const hasCounter = h.supplementaryRemotePartyCounter !== undefined;
  const hasOrigCounter = h.supplementaryOriginatorCounter !== undefined;
  const hasCert = h.supplementaryRemotePartyKaCertificate !== undefined;
  if ((hasCounter || hasOrigCounter || hasCert) && !hasId) {
    w.fail(
      'grouping-header.supplementary-remote-party-id',
      'required when a supplementary counter or certificate is present',
    );
  }
  if ((hasOrigCounter || hasCert) && !hasCounter) {
    w.fail(
      'grouping-header.supplementary-remote-party-counter',
      'required before a supplementary originator counter or certificate',
    );
  }
  if (hasOrigCounter && hasCert) {
    w.fail(
      'grouping-header.other-information',
      'carries either a supplementary originator counter or a certificate, not both',
    );
  }
  if (hasCert && h.supplementaryRemotePartyKaCertificate!.length === 8) {
    w.fail(
      'grouping-header.supplementary-remote-party-ka-certificate',
      'an 8-byte certificate would read back as a counter',
    );
  }
  w.length(otherInformationLength(h), 'grouping-header.other-information.length');
  w.u16(h.messageCode, 'grouping-header.message-code');
  if (hasId) w.bytes(eui64ToBytes(h.supplementaryRemotePartyId!));
  if (hasCounter)
    w.u64(h.supplementaryRemotePartyCounter!, 'grouping-header.supplementary-remote-party-counter');
  if (hasOrigCounter)
    w.u64(h.supplementaryOriginatorCounter!, 'grouping-header.supplementary-originator-counter');
  if (hasCert) w.bytes(h.supplementaryRemotePartyKaCertificate!);
}

/** The General-Signing APDU (0xDF … end of signature element) of a message. */
export function encodeGeneralSigningApdu(
  m: Pick<GbcsMessage, 'header' | 'payload' | 'signature'>,
): Uint8Array {
  const content = encodePayload(m.payload, { messageCode: m.header.messageCode, cra: m.header.cra });
  const w = new Writer('gbcs', 64 + content.length);
  writeGroupingHeader(w, m.header);
  w.lengthPrefixed(content, 'content.length');
  switch (m.signature.kind) {
    case 'absent':
      break;
    case 'empty':
      w.u8(0);
      break;
    case 'present':
      w.u8(SIGNATURE_LENGTH).fixed(m.signature.value, SIGNATURE_LENGTH, 'signature');
      break;
    default:
      w.fail('signature', `unknown signature kind ${String((m.signature as { kind: unknown }).kind)}`);
  }
  return w.finish();
}

/** Encodes a complete message; encode(decode(x)) is byte-identical to x. */
export function encodeGbcs(m: GbcsMessage): Uint8Array {
  const apdu = encodeGeneralSigningApdu(m);
  if (!m.macProtected) {
    if (m.mac !== null)
      throw new EncodeError('gbcs', 'mac', 'a message without MAC header cannot carry a MAC');
    return apdu;
  }
  if (m.signature.kind === 'absent') {
    throw new EncodeError(
      'gbcs',
      'signature',
      'a MAC-protected message must carry a signature element (empty or present)',
    );
  }
  return encodeMacFrame(apdu, m.mac ?? new Uint8Array(0));
}

/** A General-Signing APDU in the MAC header with its MAC (GBCS 4.3.3): DD, six zero octets, length, SC, IC, APDU, MAC. */
export function encodeMacFrame(apdu: Uint8Array, mac: Uint8Array): Uint8Array {
  const w = new Writer('gbcs', apdu.length + 32);
  w.u8(GENERAL_CIPHERING);
  for (let i = 0; i < 6; i++) w.u8(0);
  w.length(5 + apdu.length + MAC_LENGTH, 'mac-header.length');
  w.u8(SECURITY_CONTROL).u32(0);
  w.bytes(apdu);
  w.fixed(mac, MAC_LENGTH, 'mac');
  return w.finish();
}
