// The seeds' switchable rules as one plain value (ARCHITECTURE principle 4): each field is a rule a working group
// debates, with today's rule as the default. A scenario runs the same fleet under two policies and compares.
import type { UserRole } from './codec/duis/srv.js';

/** Which GBCS commands the CH accepts tunnelled from a PPMID (SECMP0038). */
export type PpmidTunnelMode =
  /**
   * Today: nothing tunnelled. A PPMID's only GBCS are its HAN-only commands (PCS01, PCS02 to a GSME; PECS01–03 to an
   * ESME are ZSE), sent on the HAN, never through a tunnel.
   */
  | 'han-only'
  /** The use cases listed in `ppmidTunnelUseCases` may be tunnelled. */
  | 'subset'
  /** Any GBCS command (SECMP0038's proposal). */
  | 'any';

export interface Policy {
  /**
   * Minutes after Communications Hub power-up during which the CHF accepts Inter-PAN joining (HHT, or a posted
   * PPMID acting as one); null = no limit. GBCS v1 informative annex: 60 minutes; SECMP0037 proposes lifting it.
   */
  readonly interPanWindowMinutes: number | null;
  /**
   * Hours after the DCC issued a local command (CV2/3/6/7) during which an HHT may still deliver it; older ones are
   * refused. The seed's "HHT 18-hour command window" [S, unconfirmed: domain brief §4.3].
   */
  readonly hhtCommandValidityHours: number;
  /** Whether firmware may be installed through an HHT; SECMP0007 records "no local upgrades via HHT". */
  readonly localFirmwareUpgrade: 'banned' | 'allowed';
  /** What the CH accepts tunnelled from a PPMID over an alternative channel (SECMP0038). */
  readonly ppmidTunnel: PpmidTunnelMode;
  /** Use-case names (e.g. 'CS01a', 'ECS42') accepted under `ppmidTunnel: 'subset'`. */
  readonly ppmidTunnelUseCases: readonly string[];
  /**
   * Whether a returned Communications Hub or meter may be triaged and reset to its manufactured state for reuse
   * (SECMP0010 / SECMP0013). Today 'none': neither modification was implemented [C: domain brief §6], so a returned
   * CH goes back to the CSP (no-fault-found fee, or refurbished or scrapped by it) and a returned meter is not reused
   * by the supplier. 'reset': the triage service resets it (src/triage/).
   */
  readonly triage: 'none' | 'reset';
  /**
   * DCC User roles that may request a triage and reset. The seed's proposal: a Supplier or a Registered Supplier Agent
   * (SECMP0010/0013 working group, 24 Sep 2018) [S].
   */
  readonly triageRoles: readonly UserRole[];
  /**
   * Largest firmware image the DCC accepts in SR 11.1 / 11.4, kB of 1,000 octets [A: kB read as 1,000]. SECMP0007's
   * working group: "the firmware image size would be limited to 750 kilobytes" [S].
   */
  readonly firmwareImageLimitKb: number;
  /**
   * Whether a consumer may refuse a firmware update at a PPMID (SECMP0007 left it to consultation [S]): 'allowed' makes
   * a PPMID whose consumer chose to refuse abort the transfer, reported by CCS08 0x8F89; 'not-offered' (today).
   */
  readonly firmwareConsumerRefusal: 'not-offered' | 'allowed';
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  interPanWindowMinutes: 60,
  hhtCommandValidityHours: 18,
  localFirmwareUpgrade: 'banned',
  ppmidTunnel: 'han-only',
  ppmidTunnelUseCases: Object.freeze([]) as readonly string[],
  triage: 'none',
  triageRoles: Object.freeze(['IS', 'GS', 'RSA']) as readonly UserRole[],
  firmwareImageLimitKb: 750,
  firmwareConsumerRefusal: 'not-offered',
});

/** The default policy with some rules changed; unknown fields are refused by the type. */
export function policyWith(changes: Partial<Policy>): Policy {
  return Object.freeze({ ...DEFAULT_POLICY, ...changes });
}
