// The alert code a DUIS DeviceAlertMessage names (domain brief §2.7, §3.2): read from the alert itself — the GBZ
// alert header, the first element of a DLMS alert's notification body, or an ASN.1 alert's alertCode field.
import type { ParsedGbcs } from '../codec/gbcs/frame.js';

export function alertCodeFromPayload(parsed: ParsedGbcs): number | undefined {
  const p = parsed.message.payload;
  switch (p.kind) {
    case 'gbz':
      return p.gbz.kind === 'alert' ? p.gbz.alertCode : undefined;
    case 'dlms': {
      if (p.dlms.type !== 'data-notification') return undefined;
      const body = p.dlms.notificationBody;
      const first = body.type === 'structure' ? body.value[0] : body;
      return first?.type === 'long-unsigned' ? first.value : undefined;
    }
    case 'asn1': {
      const view = p.asn1.view as { alertCode?: unknown } | undefined;
      return typeof view?.alertCode === 'number' ? view.alertCode : undefined;
    }
    case 'raw':
      return undefined;
  }
}

/** Future-dated execution alerts (GBCS 0x8F66 actioned, 0x8F67 not actioned): the DSP answers the request with them. */
export const FUTURE_DATED_ALERT_CODES: ReadonlySet<number> = new Set([0x8f66, 0x8f67]);

/** The originator counter of the command a future-dated execution alert reports on (GBZ or ASN.1 alerts). */
export function futureDatedCommandCounter(parsed: ParsedGbcs): bigint | undefined {
  const p = parsed.message.payload;
  if (p.kind === 'gbz' && p.gbz.kind === 'alert' && p.gbz.body.kind === 'future-dated-outcome')
    return p.gbz.body.originatorCounter;
  if (p.kind === 'asn1') {
    const view = p.asn1.view as { originatorCounter?: unknown } | undefined;
    if (typeof view?.originatorCounter === 'bigint') return view.originatorCounter;
    if (typeof view?.originatorCounter === 'number') return BigInt(view.originatorCounter);
  }
  return undefined;
}
