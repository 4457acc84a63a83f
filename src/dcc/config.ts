// The DSP's timings and limits. Target Response Times are SEC Section H3 values that are not in our sources (domain
// brief §5, §10 [gap]): the defaults below are documented placeholders [A], never SEC figures; every one is
// configuration. Alert redelivery follows the SEC glossary: retried within 300 s, held 2 days (domain brief §3.2) [C].
import { eui64, type Eui64 } from '../codec/eui64.js';

export interface ServiceLevels {
  /** Transform (CV4) and non-device (CV8) requests [A: ≈ 3 s]. */
  readonly transformMs: number;
  /** On-demand command to an ESME, CH, PPMID, HCALCS [A: ≈ 30 s]. */
  readonly onDemandMs: number;
  /** Extra for a GSME: until it next wakes and polls its mailbox [A: its 30-minute wake interval]. */
  readonly gsmeWakeMs: number;
  /** After a future-dated command's execution time, until the DSP gives up (E30) [A: ≈ 30 s]. */
  readonly futureDatedMs: number;
}

export interface DspConfig {
  /** The DSP's EUI-64: target of non-device RequestIDs, signer of every response (DCC Boxed: 90-B3-D5-1F-30-00-00-02). */
  readonly dsp: Eui64;
  /** The Access Control Broker: MACs every Remote Party command; originates those to CHF, PPMID, … */
  readonly acb: Eui64;
  readonly serviceLevels: ServiceLevels;
  /** A failed push is retried after this long (≤ 300 s) [C: SEC glossary "Device Alert"]. */
  readonly alertRetryMs: number;
  /** Undelivered responses and alerts are held this long for redelivery (2 days) [C]. */
  readonly alertHoldMs: number;
  /** Larger request bodies are refused before parsing [A: 4 MiB: DUIS sets none we know of, and an 11.4 image of 750 kB is ≈ 1 MB in base64]. */
  readonly maxRequestBytes: number;
  /** GBCSVersion written in a PreCommand [O: RTDS-derived templates]. */
  readonly gbcsVersion: string;
  /**
   * How long the DSP waits for a device to confirm an SR 11.1 / 11.4 image (receipt alert, CS09, or the CSP's
   * delivery of a CH's own image) before it sends DCC alert N61 and stops tracking it [A: 3 days — the SEC sets no
   * figure we know of; long enough for a sleepy GSME's image over many wake-ups, and for intermittent WAN windows].
   */
  readonly firmwareDeliveryTimeoutMs: number;
}

export const DEFAULT_SERVICE_LEVELS: ServiceLevels = {
  transformMs: 3_000,
  onDemandMs: 30_000,
  gsmeWakeMs: 30 * 60_000,
  futureDatedMs: 30_000,
};

export const DEFAULT_DSP_CONFIG: DspConfig = {
  dsp: eui64('90B3D51F30000002'),
  acb: eui64('90B3D51F30000002'),
  serviceLevels: DEFAULT_SERVICE_LEVELS,
  alertRetryMs: 300_000,
  alertHoldMs: 2 * 24 * 3_600_000,
  maxRequestBytes: 4 * 1024 * 1024,
  gbcsVersion: '4.0',
  firmwareDeliveryTimeoutMs: 3 * 24 * 3_600_000,
};
