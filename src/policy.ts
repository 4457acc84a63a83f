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
  firmwareImageLimitKb: 750,
  firmwareConsumerRefusal: 'not-offered',
});

/** The default policy with some rules changed; unknown fields are refused by the type. */
export function policyWith(changes: Partial<Policy>): Policy {
  return Object.freeze({ ...DEFAULT_POLICY, ...changes });
}
