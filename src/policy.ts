// The seeds' switchable rules as one plain value (ARCHITECTURE principle 4): each field is a rule a working group
// debates, with today's rule as the default. A scenario runs the same fleet under two policies and compares.

export interface Policy {
  /**
   * Minutes after Communications Hub power-up during which the CHF accepts Inter-PAN joining (HHT, or a posted
   * PPMID acting as one); null = no limit. GBCS v1 informative annex: 60 minutes; SECMP0037 proposes lifting it.
   */
  readonly interPanWindowMinutes: number | null;
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  interPanWindowMinutes: 60,
});

/** The default policy with some rules changed; unknown fields are refused by the type. */
export function policyWith(changes: Partial<Policy>): Policy {
  return Object.freeze({ ...DEFAULT_POLICY, ...changes });
}
