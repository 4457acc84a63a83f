// The RTDS 4.5.0 GBCS messages, read in place from the shared vectors (never copied).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../src/codec/bytes.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import type { Cra } from '../../src/codec/gbcs/frame.js';
import { HAVE_VECTORS, RTDS_DIR } from '../vectors.js';

export interface RtdsFile {
  /** `<folder>/<file>` relative to the RTDS folder. */
  name: string;
  bytes: Uint8Array;
}

export function rtdsFiles(): RtdsFile[] {
  if (!HAVE_VECTORS) return [];
  const out: RtdsFile[] = [];
  for (const folder of readdirSync(RTDS_DIR).sort()) {
    for (const file of readdirSync(join(RTDS_DIR, folder)).sort()) {
      out.push({
        name: `${folder}/${file}`,
        bytes: fromHex(readFileSync(join(RTDS_DIR, folder, file), 'utf8')),
      });
    }
  }
  return out;
}

export interface RtdsContent {
  name: string;
  messageCode: number;
  cra: Cra;
  /** The payload bytes (the content element of the General-Signing APDU). */
  content: Uint8Array;
  /** Offset of content[0] in the whole message. */
  contentStart: number;
}

/** Every RTDS message's payload, split out by the frame codec. */
export function rtdsContents(): RtdsContent[] {
  return rtdsFiles().map(({ name, bytes }) => {
    const { message, spans } = parseGbcs(bytes);
    return {
      name,
      messageCode: message.header.messageCode,
      cra: message.header.cra,
      content: bytes.slice(spans.contentStart, spans.contentEnd),
      contentStart: spans.contentStart,
    };
  });
}
