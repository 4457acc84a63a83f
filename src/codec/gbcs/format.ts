// A readable tree of a GBCS message, one field per line, nested by indentation (rendering is separate from decoding).
import { toHex } from '../bytes.js';
import { eui64Hyphenated } from '../eui64.js';
import { formatAsn1Payload } from './asn1/index.js';
import { formatDateTime, formatDlmsApdu } from './dlms/index.js';
import { CRA_NAMES, type GbcsMessage } from './frame.js';
import { formatGbz } from './gbz/index.js';
import { formatMessageCode, messageCodeInfo } from './message-codes.js';
import type { GbcsPayload } from './payload.js';

/** Outcome words printed beside MAC and signature when a verification ran. */
export interface CheckLabels {
  mac?: string;
  signature?: string;
}

export function formatGbcs(m: GbcsMessage, checks: CheckLabels = {}): string[] {
  const h = m.header;
  const info = messageCodeInfo(h.messageCode);
  const lines: string[] = [];
  lines.push(
    `GBCS ${CRA_NAMES[h.cra]}${m.macProtected ? ' (MAC header)' : m.signature.kind === 'absent' ? ' (Pre-Command)' : ' (General-Signing)'}`,
  );
  lines.push(`  Message code: ${formatMessageCode(h.messageCode)}${info ? ` [${info.messageType}]` : ''}`);
  lines.push(
    `  Transaction: CRA ${h.cra} (${CRA_NAMES[h.cra]}), originator counter ${h.originatorCounter} (0x${h.originatorCounter.toString(16).toUpperCase()})`,
  );
  lines.push(`  Originator: ${eui64Hyphenated(h.originator)}`);
  lines.push(`  Recipient: ${eui64Hyphenated(h.recipient)}`);
  lines.push(`  Date-time: ${h.dateTime === null ? 'none' : formatDateTime(h.dateTime)}`);
  if (h.supplementaryRemotePartyId !== undefined)
    lines.push(`  Supplementary remote party: ${eui64Hyphenated(h.supplementaryRemotePartyId)}`);
  if (h.supplementaryRemotePartyCounter !== undefined)
    lines.push(`  Supplementary remote party counter: ${h.supplementaryRemotePartyCounter}`);
  if (h.supplementaryOriginatorCounter !== undefined)
    lines.push(`  Supplementary originator counter: ${h.supplementaryOriginatorCounter}`);
  if (h.supplementaryRemotePartyKaCertificate !== undefined) {
    lines.push(
      `  Supplementary remote party KA certificate: ${h.supplementaryRemotePartyKaCertificate.length} bytes`,
    );
  }
  lines.push(...formatPayload(m.payload).map((l) => `  ${l}`));
  const sig = m.signature;
  const sigText =
    sig.kind === 'present' ? toHex(sig.value) : sig.kind === 'empty' ? 'none (empty element)' : 'absent';
  lines.push(
    `  Signature: ${sigText}${checks.signature && checks.signature !== 'none' ? ` (${checks.signature})` : ''}`,
  );
  if (m.mac !== null) lines.push(`  MAC: ${toHex(m.mac)}${checks.mac ? ` (${checks.mac})` : ''}`);
  return lines;
}

export function formatPayload(p: GbcsPayload): string[] {
  switch (p.kind) {
    case 'dlms':
      return ['Payload (DLMS COSEM):', ...formatDlmsApdu(p.dlms).map((l) => `  ${l}`)];
    case 'gbz':
      return ['Payload (GBZ):', ...formatGbz(p.gbz).map((l) => `  ${l}`)];
    case 'asn1':
      return ['Payload (ASN.1):', ...formatAsn1Payload(p.asn1).map((l) => `  ${l}`)];
    case 'raw':
      return [`Payload (raw, ${p.bytes.length} bytes): ${toHex(p.bytes)}`];
  }
}
