// A DUIS document of either direction, chosen by its root element, and the equality the round-trip rule uses
// (build → serialise → parse gives an equal value).
import { isDeepStrictEqual } from 'node:util';
import type { XmlDocument } from '../xml/types.js';
import { DuisError, SR_NAMESPACE } from './common.js';
import { buildDuisRequest, parseDuisRequest, type DuisRequest } from './request.js';
import { buildDuisResponse, parseDuisResponse, type DuisResponse } from './response.js';

export type DuisDocument =
  { kind: 'request'; request: DuisRequest } | { kind: 'response'; response: DuisResponse };

/** A Request or a Response (responses, acknowledgements and alerts), by the root element. */
export function parseDuisDocument(doc: XmlDocument): DuisDocument {
  const root = doc.root;
  if (root.namespace === SR_NAMESPACE && root.localName === 'Request') {
    return { kind: 'request', request: parseDuisRequest(doc) };
  }
  if (root.namespace === SR_NAMESPACE && root.localName === 'Response') {
    return { kind: 'response', response: parseDuisResponse(doc) };
  }
  throw new DuisError(
    root.qname,
    `expected sr:Request or sr:Response in ${SR_NAMESPACE}, got {${root.namespace ?? ''}}${root.localName}`,
    root.offset,
  );
}

export function buildDuisDocument(d: DuisDocument): XmlDocument {
  return d.kind === 'request' ? buildDuisRequest(d.request) : buildDuisResponse(d.response);
}

/** Equal typed values; source offsets of kept XML elements (the signature) are positions, not content, and are ignored. */
export function sameDuis(a: DuisDocument, b: DuisDocument): boolean {
  return isDeepStrictEqual(withoutOffsets(a), withoutOffsets(b));
}

function withoutOffsets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutOffsets);
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (k !== 'offset') out[k] = withoutOffsets(x);
  return out;
}
