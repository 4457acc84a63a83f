// The Communications Hub Function's state (domain brief §4): its Device Log (the HAN whitelist, GBCS CCS01–CCS03),
// the Historic Device Log of link keys for re-use, the Inter-PAN window, the GSME mailboxes and the GBT blocks it is
// reassembling. Plain data, compact: a CH with five devices is about 1 KB serialised (test/hub/chf-state.test.ts).
import type { ChfOtaState } from './chf-ota.js';
import type { Eui64 } from '../codec/eui64.js';
import type { GbtBlock } from '../codec/gbcs/gbt.js';
import { initCore, type DeviceCore, type DeviceInit } from '../devices/device.js';

/** Device Log capacity of a CHF [A: placeholder, the CHTS value is not public (domain brief §10)]. */
export const DEFAULT_DEVICE_LOG_CAPACITY = 16;
/** CHF Historic Device Log capacity: "If there are already 15 entries … overwrite the oldest" [C: GBCS CCS02 text]. */
export const HISTORIC_LOG_CAPACITY = 15;
/** How long a device added over Inter-PAN may take to join the SMHAN [A: GBCS gives no value to us]. */
export const DEFAULT_INTERPAN_JOIN_TIMEOUT_SECONDS = 300;
/** Messages a GSME mailbox holds before the oldest is dropped [A]. */
export const GSME_MAILBOX_CAPACITY = 16;
/** GBT transactions reassembled at once; the oldest is abandoned beyond this [A]. */
export const MAX_PENDING_GBT = 4;

/**
 * ZigBee device types of CCS01 register_device (domain brief §2.6) [C: GBCS tables]. HHTs join over Inter-PAN and
 * carry their own type; the CHF marks those entries `hht` instead.
 */
export const ZIGBEE_DEVICE_TYPE = {
  ESME: 0,
  GSME: 1,
  HCALCS: 13,
  IHD: 128,
  CAD: 130,
  PPMID: 132,
} as const;

/** An open SMHAN joining window (virtual UTC ms): the historic link key until `historicUntilMs`, then the install code. */
export interface JoinWindow {
  readonly untilMs: number;
  /** Set when the device is in the Historic Device Log: the first half of join_timeout (GBCS CCS01). */
  readonly historicUntilMs: number | null;
}

/** One entry of the CHF Device Log. Keys and hashes are uppercase hex. */
export interface ChfDeviceLogEntry {
  readonly device: Eui64;
  /** ZigBee device type from CCS01 or the Inter-PAN request; null when restored by CCS03, which carries none. */
  readonly deviceType: number | null;
  /** The install code (16 octets, no CRC) until the device has joined. */
  readonly installCode: string | null;
  /** The Trust Centre link key once established; null before, or when CCS03 restored only its hash. */
  readonly linkKey: string | null;
  /** Hash of the TC link key as CS14 and CCS07 report it; '' until established (GBCS CS14). */
  readonly linkKeyHash: string;
  readonly joined: boolean;
  /** Added over Inter-PAN (HHT flow): never copied to the Historic Device Log on removal (GBCS CCS02). */
  readonly hht?: true;
  readonly joinWindow: JoinWindow | null;
  /** Last frame heard from the device (device clock, UTC ms), as CCS05/CCS06 report it. */
  readonly lastHeardMs: number | null;
}

/** A removed device's TC link key, kept for re-use if it is added again (GBCS CCS01/CCS02). */
export interface ChfHistoricEntry {
  readonly device: Eui64;
  readonly linkKey: string;
  /** Hash of the link key as CCS07 reports it (uppercase hex), computed once on removal. */
  readonly linkKeyHash: string;
}

/** Messages waiting for a sleepy GSME's next poll (GBCS TransferData framing, domain brief §4.4). */
export interface GsmeMailbox {
  readonly gsme: Eui64;
  readonly messages: readonly Uint8Array[];
}

/** A GBT transaction being reassembled: the blocks received so far, re-played into a GbtReassembly per block. */
export interface PendingGbt {
  readonly blocks: readonly GbtBlock[];
}

/**
 * A local command an HHT brought onto the HAN (CV2/3/6/7 LocalCommand): the device's response to it goes back to the
 * HHT, which collects it for the User's SR 8.13, not to the WAN (issue 6; domain brief §4.3).
 */
export interface LocalRoute {
  readonly hht: Eui64;
  readonly device: Eui64;
  readonly originator: Eui64;
  readonly counter: bigint;
}

/** Local routes the CHF remembers at once; the oldest is forgotten beyond this [A]. */
export const MAX_LOCAL_ROUTES = 16;

/**
 * Radio range of the CH's HAN, metres, by band [A: order of magnitude of a ZigBee radio reaching out of a house; the
 * seeds say only that 868 MHz "widen[s] the area of radio range" (SECMP0037 SSC summary); 868 MHz loses ≈ 9 dB less
 * than 2.4 GHz in free space, about three times the distance].
 */
export const RADIO_RANGE_M = Object.freeze({ singleBand: 40, dualBand: 120 });

/** When the CHF alerts on refused Inter-PAN frames (0x8F3E, 0x8F60) [A: no source gives these; configurable]. */
export interface InterPanGuard {
  /** 0x8F60 is raised when more than this many malformed frames arrive within one period. */
  readonly malformedThreshold: number;
  readonly malformedPeriodMs: number;
  /** At most one alert of each code per this interval, per hub. */
  readonly alertIntervalMs: number;
}

export const DEFAULT_INTERPAN_GUARD: InterPanGuard = Object.freeze({
  malformedThreshold: 10,
  malformedPeriodMs: 3_600_000,
  alertIntervalMs: 3_600_000,
});

/** Inter-PAN frames the CHF refused, by kind and reason. */
export interface InterPanRefusals {
  /** Beacon requests answered "Inter-PAN not permitted" (window closed): counted, not alerted [A]. */
  readonly beaconWindowClosed: number;
  readonly cbkeWindowClosed: number;
  readonly cbkeUnknownIssuer: number;
  readonly installCodeWindowClosed: number;
  /** An install code from a party that has not completed Inter-PAN CBKE: a skipped step. */
  readonly installCodeWithoutCbke: number;
  readonly malformed: number;
}

/** What the CHF counts and remembers to alert on refused Inter-PAN frames without flooding the WAN. */
export interface InterPanDefence {
  readonly refused: InterPanRefusals;
  /** Start of the current malformed-frame period (virtual UTC ms), and the malformed frames heard in it. */
  readonly malformedPeriodStartMs: number;
  readonly malformedInPeriod: number;
  /** When 0x8F3E / 0x8F60 were last raised (virtual UTC ms); null: never. */
  readonly lastUnauthorisedAlertMs: number | null;
  readonly lastMalformedAlertMs: number | null;
  /** Alerts not raised because one of the same code was raised within the interval. */
  readonly alertsSuppressed: number;
}

export interface ChfState extends DeviceCore {
  readonly kind: 'CHF';
  /** The GPF of the same Communications Hub. */
  readonly gpf: Eui64;
  /** Extended PAN ID of the SMHAN (the CH's HAN radio IEEE address by default; CCS03 restores another). */
  readonly extendedPanId: Eui64;
  /** Issuer of the certificates the CHF trusts for CBKE (the ZigBee SE certificate authority it was built with). */
  readonly trustedCertificateIssuer: Eui64;
  readonly deviceLogCapacity: number;
  readonly interPanJoinTimeoutSeconds: number;
  /** Non-volatile. */
  readonly deviceLog: readonly ChfDeviceLogEntry[];
  readonly historicLog: readonly ChfHistoricEntry[];
  /** When each log last changed (device clock, UTC ms); null: never since manufacture. */
  readonly deviceLogChangedMs: number | null;
  readonly historicLogChangedMs: number | null;
  readonly powered: boolean;
  /** Inter-PAN allowed: from power-up for policy.interPanWindowMinutes. */
  readonly interPanOpen: boolean;
  /** Parties that completed Inter-PAN CBKE since power-up (volatile). */
  readonly cbkePartners: readonly Eui64[];
  /** Volatile: lost at power-down [A]. */
  readonly mailboxes: readonly GsmeMailbox[];
  /** Volatile. */
  readonly pendingGbt: readonly PendingGbt[];
  /** Volatile; absent when none (states stored before it existed have none). */
  readonly localRoutes?: readonly LocalRoute[];
  /** A dual-band CH (2.4 GHz and 868 MHz), whose radio reaches further; absent: single-band 2.4 GHz. */
  readonly dualBand?: true;
  /** Radio range, metres, when the premise sets one; absent: RADIO_RANGE_M of its band. */
  readonly radioRangeM?: number;
  /** Alert thresholds for refused Inter-PAN frames when set; absent: DEFAULT_INTERPAN_GUARD. */
  readonly interPanGuard?: InterPanGuard;
  /** Since when the Inter-PAN window has been open (virtual UTC ms); absent while it is closed. */
  readonly interPanOpenSinceMs?: number;
  /** How long the window was open before `interPanOpenSinceMs`, over every power-up, ms; absent: none yet. */
  readonly interPanOpenTotalMs?: number;
  /** Refused Inter-PAN frames and the alerting on them; absent until the first refusal. */
  readonly interPanDefence?: InterPanDefence;
  /** The OTA server: images held (by reference) and each client's transfer; absent until the first image. */
  readonly ota?: ChfOtaState;
}

export interface ChfInit extends DeviceInit {
  readonly gpf: Eui64;
  readonly trustedCertificateIssuer: Eui64;
  /** Default 16 [A]. */
  readonly deviceLogCapacity?: number;
  /** Default: the GPF EUI, the CH's HAN radio address, which is also the Extended PAN ID (domain brief §4.3). */
  readonly extendedPanId?: Eui64;
  readonly interPanJoinTimeoutSeconds?: number;
  /** Dual-band CH (default single-band 2.4 GHz). */
  readonly dualBand?: boolean;
  /** Radio range, metres (default RADIO_RANGE_M of the band). */
  readonly radioRangeM?: number;
  /** Alert thresholds for refused Inter-PAN frames (default DEFAULT_INTERPAN_GUARD). */
  readonly interPanGuard?: Partial<InterPanGuard>;
}

/** A new CHF, unpowered: the premise sends 'power' on at installation, which opens the Inter-PAN window. */
export function createChf(init: ChfInit): ChfState {
  const capacity = init.deviceLogCapacity ?? DEFAULT_DEVICE_LOG_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new RangeError(`deviceLogCapacity must be a non-negative integer, got ${capacity}`);
  return {
    ...initCore('CHF', init),
    kind: 'CHF',
    hanJoined: true,
    gpf: init.gpf,
    extendedPanId: init.extendedPanId ?? init.gpf,
    trustedCertificateIssuer: init.trustedCertificateIssuer,
    deviceLogCapacity: capacity,
    interPanJoinTimeoutSeconds: init.interPanJoinTimeoutSeconds ?? DEFAULT_INTERPAN_JOIN_TIMEOUT_SECONDS,
    deviceLog: [],
    historicLog: [],
    deviceLogChangedMs: null,
    historicLogChangedMs: null,
    powered: false,
    interPanOpen: false,
    cbkePartners: [],
    mailboxes: [],
    pendingGbt: [],
    ...(init.dualBand === true && { dualBand: true as const }),
    ...(init.radioRangeM !== undefined && { radioRangeM: init.radioRangeM }),
    ...(init.interPanGuard !== undefined && {
      interPanGuard: { ...DEFAULT_INTERPAN_GUARD, ...init.interPanGuard },
    }),
  };
}
