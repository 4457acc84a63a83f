// `smets-twin receiver`: a User's receiver for what the DCC pushes (responses, device alerts, DCC alerts), as a DCC
// Boxed client runs one: POSTed DUIS XML is checked (the DSP's XML signature) and printed with its GBCS decoded.
// It answers 204 to a validly signed message and 400 otherwise, so the DCC retries what it could not take.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuisError } from '../codec/duis/common.js';
import { formatDuisId } from '../codec/duis/common.js';
import { parseDuisResponse, type DuisResponse } from '../codec/duis/response.js';
import { formatGbcs } from '../codec/gbcs/format.js';
import { parseGbcs } from '../codec/gbcs/frame.js';
import { parseXml } from '../codec/xml/parse.js';
import { XmlError } from '../codec/xml/types.js';
import type { XmlSigningCredentials } from '../crypto/xmldsig-credentials.js';
import { verifyDuis } from '../crypto/xmldsig.js';
import type { Io } from './io.js';

export interface ReceiverOptions {
  port: string;
  host: string;
}

/** The GBCS a pushed message carries, if any. */
function gbcsIn(r: DuisResponse): Uint8Array | undefined {
  const body = r.body;
  if (body === null) return undefined;
  if (body.kind === 'DeviceAlertMessage') return body.gbcsPayload;
  if (body.kind !== 'ResponseMessage' || body.payload === null) return undefined;
  return 'gbcsPayload' in body.payload ? body.payload.gbcsPayload : undefined;
}

export function describeResponse(r: DuisResponse): string[] {
  const h = r.header;
  const lines = [
    `${h.responseCode} ${h.requestId === undefined ? '(alert)' : formatDuisId(h.requestId)} at ${h.responseDateTime}`,
  ];
  const body = r.body;
  if (body?.kind === 'ResponseMessage')
    lines.push(`  SRV ${body.serviceReferenceVariant} ${body.payload?.kind ?? ''}`);
  if (body?.kind === 'DeviceAlertMessage')
    lines.push(`  device alert 0x${body.alertCode.toString(16).toUpperCase()}`);
  if (body?.kind === 'DCCAlertMessage') lines.push(`  DCC alert ${body.dccAlertCode}`);
  const gbcs = gbcsIn(r);
  if (gbcs !== undefined) {
    try {
      lines.push(...formatGbcs(parseGbcs(gbcs).message).map((l) => `  ${l}`));
    } catch (e) {
      lines.push(`  GBCS does not decode: ${(e as Error).message}`);
    }
  }
  return lines;
}

export async function runReceiver(
  io: Io,
  o: ReceiverOptions,
  credentials: XmlSigningCredentials,
): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const xml = Buffer.concat(chunks);
      const verdict = verifyDuis(xml, credentials);
      if (!verdict.valid) {
        io.out(`refused a message: ${verdict.reason} (${verdict.detail})`);
        res.statusCode = 400;
        res.end();
        return;
      }
      try {
        io.out(describeResponse(parseDuisResponse(parseXml(xml))).join('\n'));
        res.statusCode = 204;
      } catch (e) {
        if (!(e instanceof DuisError || e instanceof XmlError)) throw e;
        io.out(`refused a message: ${e.message}`);
        res.statusCode = 400;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(o.port), o.host, resolve));
  const address = server.address() as AddressInfo;
  io.out(`receiving DCC responses and alerts on http://${address.address}:${address.port}/ (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return 0;
}
