// The reset a triage tool performs on a returned device (SECMP0010 for Communications Hubs, SECMP0013 for meters): back
// to its manufactured state. The working group's minimum (SECMP0010/0013 WG, 24 Sep 2018 [S]): SMKI credentials reset,
// set to rejoin using its ZigBee install code, all consumer data unavailable — "effectively resetting and returning the
// meter to its original state".
//
// What survives is what the device is, not what it did [A]: its EUI-64 and install code (printed on it: the ZigBee link
// key is derived from it, so it rejoins by install code), its running firmware (not consumer data; the SMI keeps its
// version), its hardware (a dual-band CH), and its counters: the alert counter (recipients reject a counter that goes
// back), the ACB's last accepted originator counter (the ACB stays a Remote Party: forgetting it would let an old ACB
// command be replayed) and a PPMID's HAN counter. Everything else is a freshly manufactured device's: the Remote Party
// trust anchors are the manufacturer's, the event and security logs, the joins (device log), the CHF Device Log and
// historic log, the registers, profile data, prepayment balances and debts, tariffs, calendars and supply state.
import type { Eui64 } from '../codec/eui64.js';
import type { DeviceCore } from '../devices/device.js';
import { createEsme } from '../devices/esme-state.js';
import { createGsme } from '../devices/gsme.js';
import { createHcalcs } from '../devices/hcalcs.js';
import { createPpmid } from '../devices/ppmid.js';
import type { RemoteParties } from '../devices/security.js';
import type { DeviceKind } from '../devices/types.js';
import { createChf, type ChfState } from '../hub/chf-state.js';
import { createGpf } from '../hub/gpf.js';

/** The device kinds a triage can reset: Type 1 Devices (SMKI credentials). IHDs hold none and are not triaged. */
export const RESETTABLE_KINDS = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'] as const;
export type ResettableKind = (typeof RESETTABLE_KINDS)[number];

/** A refusal by the reset itself (a device the tool cannot reset). */
export class TriageResetError extends Error {
  override readonly name = 'TriageResetError';
}

/** A device as manufactured, carrying only what a reset keeps: plain data. */
export interface ManufacturedDevice {
  readonly kind: ResettableKind;
  readonly eui: Eui64;
  readonly installCode: string;
  readonly firmwareVersion: number;
  readonly alertCounter: bigint;
  /** The ACB's last accepted originator counter (absent: none accepted yet). */
  readonly acbCounter?: bigint;
  /** A PPMID's next HAN-only command counter. */
  readonly hanCounter?: bigint;
  /** A dual-band CH (hardware). */
  readonly dualBand?: boolean;
  /** The trust anchors it holds as manufactured: the manufacturer's. */
  readonly parties: RemoteParties;
}

/**
 * The manufacturer's trust anchors [A]: the Access Control Broker's (the DCC's, the same for every device: without it
 * nothing could install the device), and no supplier, network operator, WAN provider or transitional CoS party. The
 * next owner's are placed when the device is prepared for an installation (`installedState`), as a manufacturer does for
 * a device order. So every command under a previous supplier's or network operator's credentials is refused with
 * the alert for an unknown originator (REFUSAL_ALERTS['unknown-originator'], 0x8F30).
 */
export function manufacturerParties(acb: Eui64): RemoteParties {
  return { acb };
}

function isResettable(kind: DeviceKind): kind is ResettableKind {
  return (RESETTABLE_KINDS as readonly string[]).includes(kind);
}

/** Resets `state` to its manufactured state: throws TriageResetError for a kind that cannot be reset. */
export function resetToManufactured(state: DeviceCore, acb: Eui64): ManufacturedDevice {
  if (!isResettable(state.kind))
    throw new TriageResetError(`a ${state.kind} holds no SMKI credentials: it is not triaged and reset`);
  const acbCounter = state.security.counters[acb];
  const hanCounter = (state as { hanCounter?: unknown }).hanCounter;
  return {
    kind: state.kind,
    eui: state.eui,
    installCode: state.installCode,
    firmwareVersion: state.firmwareVersion,
    alertCounter: state.alertCounter,
    ...(acbCounter !== undefined && { acbCounter }),
    ...(typeof hanCounter === 'bigint' && { hanCounter }),
    ...(state.kind === 'CHF' && (state as ChfState).dualBand === true && { dualBand: true }),
    parties: manufacturerParties(acb),
  };
}

/** Where a manufactured device is put to work: its CH and the parties whose trust anchors it is given. */
export interface Placement {
  /** The CHF it reaches the WAN through (a CHF: itself). */
  readonly hub: Eui64;
  readonly parties: RemoteParties;
  /** A GSME's and a CHF's GPF; a GPF's GSME. */
  readonly gpf?: Eui64;
  readonly gsme?: Eui64;
  /** The premise's other meters (ESME otherMeters, GSME utrnPeers). */
  readonly otherMeters?: readonly Eui64[];
  /** The SMKI issuing authority a CHF trusts in CBKE. */
  readonly trustedCertificateIssuer?: Eui64;
}

/**
 * The actor state of a manufactured device placed at `placement`: a new device of its kind (empty logs, no joins,
 * registers and balances at zero, not on any SMHAN) with the identity, firmware and counters the reset kept, holding
 * `placement.parties` as its Remote Parties. Without a placement: on the triage bench, holding the manufacturer's.
 */
export function installedState(m: ManufacturedDevice, placement?: Placement): DeviceCore {
  const p: Placement = placement ?? { hub: m.eui, parties: m.parties };
  const init = {
    eui: m.eui,
    hub: p.hub,
    parties: p.parties,
    installCode: m.installCode,
    firmwareVersion: m.firmwareVersion,
  };
  let state: DeviceCore;
  switch (m.kind) {
    case 'ESME':
      state = createEsme({ ...init, otherMeters: p.otherMeters ?? [] });
      break;
    case 'GSME':
      state = createGsme({ ...init, gpf: p.gpf ?? m.eui, utrnPeers: p.otherMeters ?? [] });
      break;
    case 'CHF':
      state = createChf({
        ...init,
        gpf: p.gpf ?? m.eui,
        trustedCertificateIssuer: p.trustedCertificateIssuer ?? m.parties.acb,
        ...(m.dualBand === true && { dualBand: true }),
      });
      break;
    case 'GPF':
      state = createGpf({ ...init, ...(p.gsme !== undefined && { gsme: p.gsme }) });
      break;
    case 'PPMID':
      state = createPpmid(init);
      break;
    case 'HCALCS':
      state = createHcalcs(init);
      break;
  }
  const counters = m.acbCounter === undefined ? {} : { [p.parties.acb]: m.acbCounter };
  return {
    ...state,
    alertCounter: m.alertCounter,
    security: { ...state.security, counters },
    ...(m.hanCounter !== undefined && { hanCounter: m.hanCounter }),
  } as DeviceCore;
}
