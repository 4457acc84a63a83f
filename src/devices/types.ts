// The shape every actor shares (ARCHITECTURE principle 1): `(state, input, now, env) → { state, effects }`.
// State is plain data (structuredClone-able: strings, numbers, bigints, arrays, plain objects), so a premise can be
// stored, moved to another worker or machine, and replayed. `env` holds what is injected and shared — keys, the
// ECDH cache, the policy — and is never part of state. `now` is virtual UTC in ms; no actor reads a clock.
import type { Eui64 } from '../codec/eui64.js';
import type { ProtectionContext } from '../crypto/message-protection.js';
import type { Policy } from '../policy.js';
import type { FirmwareEnv } from '../firmware/images.js';

/** The kinds of HAN device and hub function the twin models (domain brief §1). */
export type DeviceKind = 'CHF' | 'GPF' | 'ESME' | 'GSME' | 'PPMID' | 'IHD' | 'HCALCS' | 'HHT' | 'ATTACKER';

/** Injected, shared by many actors, never serialised with their state. */
export interface ActorEnv {
  readonly protection: ProtectionContext;
  readonly policy: Policy;
  /** Firmware images (held once, by hash) and the OTA link parameters; absent: no OTA transfers (firmware/images.ts). */
  readonly firmware?: FirmwareEnv;
}

/**
 * A frame on the HAN (ZigBee), typed rather than byte-exact: GBCS messages travel inside as bytes; joining, key
 * establishment and the sleepy-device mailbox are modelled as the exchanges ZigBee and GBCS define.
 */
export type HanFrame =
  /** A ZigBee OTA Upgrade cluster frame (ZCL OTA 11.13), byte-exact: src/codec/ota/cluster.ts. */
  | { readonly type: 'zcl-ota'; readonly bytes: Uint8Array }
  /**
   * A run of OTA blocks (firmware/ota-timing.ts explains why runs): the client's first Image Block Request of the run,
   * byte-exact; the server answers every block of it until the image ends or the run is cut off.
   */
  | {
      readonly type: 'ota-block-run';
      readonly request: Uint8Array;
      /** A sleepy client's last moment awake (the GSME): the server stops the run there; it resumes at a wake-up. */
      readonly untilMs?: number;
    }
  /**
   * The end of a run as the client saw it: `blocks` Image Block Responses received, the offset it now holds, whether the
   * image is complete, and the run's last response byte-exact (none if no block came). Sent at the run's end, or at
   * the moment it was cut off (the server's power-down), so that the client keeps the offset it had.
   */
  | {
      readonly type: 'ota-run-end';
      /** The image the blocks are of (its store key): what the client has assembled, without copying the bytes. */
      readonly image: string;
      readonly blocks: number;
      readonly offset: number;
      readonly complete: boolean;
      readonly lastResponse: Uint8Array | null;
    }
  /** A GBCS Remote Party (or HAN-only) message, relayed by the CHF or sent between devices. */
  | { readonly type: 'gbcs'; readonly bytes: Uint8Array }
  /**
   * ZigBee network join request: the device proves it holds the Trust Centre link key (install-code derived, or
   * reused from the historic log) with `keyProof`; src/hub/joining.ts defines the computation.
   */
  | { readonly type: 'join-request'; readonly keyProof: Uint8Array }
  /** The CHF's answer: joined, or refused with the reason the device would see. */
  | { readonly type: 'join-response'; readonly outcome: JoinOutcome }
  /** CBKE (ZigBee SE key establishment) between two parties that hold certificates; the outcome is what ZigBee reports. */
  | { readonly type: 'cbke-request'; readonly issuer: Eui64 }
  | { readonly type: 'cbke-response'; readonly outcome: CbkeOutcome }
  /**
   * GBCS TransferData framing for the sleepy GSME (domain brief §4.4): 0x01 poll from the GSME, 0x02 ‖ remaining ‖
   * message (or 0x02 ‖ 0x00) from the CHF. What the GSME sends back (0x03 ‖ message) travels as a 'gbcs' frame.
   */
  | { readonly type: 'gsme-poll' }
  | { readonly type: 'gsme-mailbox'; readonly remaining: number; readonly bytes: Uint8Array | null }
  /** The GSME refreshes the GPF's mirror of its data when it wakes (GBCS 4.4 / domain brief §4.4). */
  | { readonly type: 'mirror-update'; readonly mirror: GasMirror }
  /**
   * Inter-PAN (domain brief §4.3), only while the CHF's window is open: discovery by beacon, CBKE with the CH, then
   * the HHT's (or a posted PPMID's) install code, after which it joins the SMHAN like any device.
   */
  | { readonly type: 'interpan-beacon-request' }
  | { readonly type: 'interpan-beacon'; readonly extendedPanId: Eui64; readonly permitsInterPan: boolean }
  | { readonly type: 'interpan-cbke-request'; readonly certificateIssuer: Eui64 }
  | { readonly type: 'interpan-cbke-response'; readonly outcome: CbkeOutcome }
  | { readonly type: 'interpan-install-code'; readonly installCode: Uint8Array; readonly deviceType: number }
  | { readonly type: 'interpan-install-code-response'; readonly outcome: InterPanAddOutcome }
  /**
   * A ZigBee SE command from a PPMID to the ESME it has joined with (PECS01 top-up, PECS02 emergency credit, PECS03
   * enable supply): ZSE-specified messages GBCS only names as ESME log entries, so no GBCS bytes (domain brief §7).
   */
  | { readonly type: 'ppmid-command'; readonly command: PpmidCommand }
  | {
      readonly type: 'ppmid-command-response';
      readonly command: PpmidCommand['kind'];
      readonly accepted: boolean;
      readonly reason: string;
    }
  /** A GBCS command a PPMID tunnels to its CH after receiving it over its alternative channel (SECMP0038). */
  | { readonly type: 'tunnelled'; readonly bytes: Uint8Array }
  /** The CH's refusal of a tunnelled command under the policy's rule. */
  | { readonly type: 'tunnel-refused'; readonly bytes: Uint8Array; readonly reason: string }
  /** An Inter-PAN frame the CH cannot parse (src/devices/attacker.ts sends them): what is wrong with it. */
  | { readonly type: 'interpan-malformed'; readonly defect: MalformedDefect }
  /**
   * A frame from a radio outside the premise, `distanceM` metres from the CH: heard only within the CH's radio range,
   * which its band decides (src/hub/chf-interpan.ts). The premise's own devices send without it.
   */
  | { readonly type: 'distant'; readonly distanceM: number; readonly frame: HanFrame };

/** What makes an Inter-PAN frame malformed [A: faults a fuzzer sends; ZigBee lists none]. */
export type MalformedDefect = 'truncated' | 'bad-frame-control' | 'bad-length' | 'unknown-command';

/** What a PPMID sends up its alternative channel: a device's answer, or that the CH refused a tunnelled command. */
export type TunnelUplink =
  | { readonly type: 'gbcs'; readonly bytes: Uint8Array }
  | { readonly type: 'refused'; readonly bytes: Uint8Array; readonly reason: string };

/** What a PPMID asks of a meter on the consumer's behalf. */
export type PpmidCommand =
  | { readonly kind: 'top-up'; readonly utrn: string }
  | { readonly kind: 'activate-emergency-credit' }
  | { readonly kind: 'enable-supply' };

/** What the CHF answers an HHT's install code sent over Inter-PAN. */
export type InterPanAddOutcome = 'added' | 'window-closed' | 'no-cbke' | 'device-log-full';

/** ZigBee join outcomes as GBCS CS03 response codes name them (domain brief §2.6). */
export type JoinOutcome =
  | 'success'
  | 'device-log-full'
  | 'not-in-device-log'
  | 'joining-disabled'
  | 'bad-key-confirmation'
  | 'no-cbke-response'
  | 'unknown-issuer';

export type CbkeOutcome = 'success' | 'unknown-issuer' | 'bad-key-confirmation' | 'no-response';

/** What the GPF mirrors of the GSME (reads served from the mirror without waking the GSME). */
export interface GasMirror {
  /** GSME clock, UTC ms, when the mirror was last updated (SECMP0015 added this timestamp to GPF reads). */
  readonly gsmeTimeMs: number;
  readonly firmwareVersion: number;
  readonly valve: ValveState;
  /** Consumption register, in the meter's volume unit × 1000. */
  readonly consumption: number;
  /** The further registers the GPF serves reads from (GCS13c, GCS14, GCS60a); absent when the GSME reports none. */
  readonly registers?: GasRegisters;
}

/** GSME registers as ZSE attributes carry them: money in GBP × 10^-5 (RTDS: currency 826, trailing digits 5) [O]. */
export interface GasRegisters {
  /** Time-of-use registers (Metering CurrentTier1..4SummationDelivered), volume unit × 1000. */
  readonly tiers: readonly number[];
  /** Credit-mode meter balance (Metering BillToDateDelivered). */
  readonly billToDate: number;
  /** Prepayment Payment Control Configuration (map16): which payment mode is in force. */
  readonly paymentControl: number;
  readonly creditRemaining: number;
  readonly emergencyCreditRemaining: number;
  readonly accumulatedDebt: number;
  /** Debt registers 1–3 (Prepayment DebtAmount #1..#3). */
  readonly debts: readonly number[];
  readonly batteryDays: number;
}

export type ValveState = 'open' | 'closed' | 'armed';
export type SupplyState = 'enabled' | 'disabled' | 'armed';

/** A named timer an actor asked for; it comes back as its input at `atMs`. */
export interface Timer {
  readonly name: string;
  /** Timer-specific detail, e.g. the EUI of the device whose join window it closes. */
  readonly ref?: string;
}

export type Effect =
  /** From the CHF to the CSP WAN, towards the DCC. */
  | { readonly kind: 'wan'; readonly bytes: Uint8Array }
  /** A HAN frame from this actor to another HAN party. */
  | { readonly kind: 'han'; readonly to: Eui64; readonly frame: HanFrame }
  /** Wake this actor with `timer` at virtual time `atMs` (UTC ms); a later timer of the same name replaces it. */
  | { readonly kind: 'timer'; readonly atMs: number; readonly timer: Timer }
  /** Cancel this actor's pending timer of that name. */
  | { readonly kind: 'cancel-timer'; readonly name: string }
  /** From a PPMID over its alternative channel (internet / mobile) towards the DCC (SECMP0038). */
  | { readonly kind: 'tunnel'; readonly message: TunnelUplink }
  /** A line for the trace: what the actor did and why (refusals carry their alert code). */
  | { readonly kind: 'note'; readonly text: string };

export type ActorInput =
  /** A frame from another HAN party. */
  | { readonly type: 'han'; readonly from: Eui64; readonly frame: HanFrame }
  /** A message from the CSP WAN (CHF only). */
  | { readonly type: 'wan'; readonly bytes: Uint8Array }
  /** A GBCS command over a PPMID's alternative channel (PPMID only; SECMP0038). */
  | { readonly type: 'tunnel'; readonly bytes: Uint8Array }
  | { readonly type: 'timer'; readonly timer: Timer }
  /** Mains power to the hub or meter, or a battery fitted. */
  | { readonly type: 'power'; readonly on: boolean }
  /** A firmware image the CSP delivered to the CH (CS05: not a Remote Party message; CHF only; SR 11.1 / 11.4). */
  | { readonly type: 'csp-firmware'; readonly distribution: FirmwareDistribution }
  /** Something done at the device by a person: a button, the keypad, a valve handle. */
  | { readonly type: 'local'; readonly action: LocalAction };

export type LocalAction =
  /**
   * The consumer opens an armed gas valve or presses the button to close an armed load switch (SMETS2); at a PPMID,
   * asks the ESME `meter` to enable its supply (PECS03).
   */
  | { readonly kind: 'restore-supply'; readonly meter?: Eui64 }
  /** A UTRN typed on the keypad (20 digits); at a PPMID, for the meter `meter` (PECS01 / PCS01). */
  | { readonly kind: 'keypad-utrn'; readonly utrn: string; readonly meter?: Eui64 }
  /** The consumer accepts the emergency credit on offer; at a PPMID, on the meter `meter` (PECS02 / PCS02). */
  | { readonly kind: 'activate-emergency-credit'; readonly meter?: Eui64 }
  /** The consumer accepts or refuses firmware updates at a PPMID (SECMP0007: perhaps a right to refuse; policy). */
  | { readonly kind: 'firmware-choice'; readonly refuse: boolean }
  /** An installer hands an HHT a local command (the DCC's LocalCommand, CV2/3/6/7) to deliver on the HAN. */
  | { readonly kind: 'carry-local-command'; readonly bytes: Uint8Array; readonly issuedAtMs: number };

/** An image the CSP delivered to a CH and the HAN devices it is for (SR 11.1 CS05a/b, SR 11.4 CS05c). */
export interface FirmwareDistribution {
  /** The DUIS RequestID of the 11.1 / 11.4 that sent it. */
  readonly requestId: string;
  /** Its key in the env's image store (firmware/images.ts): the image itself is never in state. */
  readonly image: string;
  readonly size: number;
  /** From the OTA header: what Query Next Image and Image Block frames name. */
  readonly manufacturerCode: number;
  readonly imageType: number;
  readonly fileVersion: number;
  /** The devices at this premise it is for. */
  readonly targets: readonly Eui64[];
  /** 'ppmid' (11.4): the CH has the device activate once transferred; 'meter' (11.1): activation waits for CS06. */
  readonly activation: 'on-transfer' | 'on-command';
}

export interface Step<S> {
  readonly state: S;
  readonly effects: readonly Effect[];
}

/** An actor's transition function. Must be pure: same state, input, now and env → same result. */
export type ActorStep<S> = (state: S, input: ActorInput, now: number, env: ActorEnv) => Step<S>;

export const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

export function unchanged<S>(state: S, ...effects: Effect[]): Step<S> {
  return { state, effects: effects.length === 0 ? NO_EFFECTS : effects };
}
