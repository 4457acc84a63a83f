// The seeds' switchable rules as one plain value (ARCHITECTURE principle 4): each field is a rule a working group
// debates, with today's rule as the default. A scenario runs the same fleet under two policies and compares.

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
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  interPanWindowMinutes: 60,
  hhtCommandValidityHours: 18,
  localFirmwareUpgrade: 'banned',
  ppmidTunnel: 'han-only',
  ppmidTunnelUseCases: Object.freeze([]) as readonly string[],
});

/** The default policy with some rules changed; unknown fields are refused by the type. */
export function policyWith(changes: Partial<Policy>): Policy {
  return Object.freeze({ ...DEFAULT_POLICY, ...changes });
}
