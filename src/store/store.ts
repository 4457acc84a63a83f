// The Store port (ARCHITECTURE principle 8): everything the DCC keeps — users, the Smart Metering Inventory and its
// status history, the RequestID anti-replay counters, service requests in flight, the outbox of responses and alerts
// pushed to Users, the field's premise snapshots and the DCC's own counters — behind one interface. Adapters:
// SQLite (better-sqlite3) embedded by default, PostgreSQL (pg) when DATABASE_URL is set; both through Kysely, both
// passing the same tests. Methods are async because PostgreSQL is; a transaction either lands whole or not at all.
import type { Eui64 } from '../codec/eui64.js';
import type { DccUser, SmiDevice, SmiStatusChange } from '../dcc/types.js';
import type { FirmwareDistribution } from '../devices/types.js';

/** Where a service request is: acknowledged (I99) and stored → sent on a route → answered, or failed. */
export type RequestState = 'accepted' | 'sent' | 'completed' | 'failed';

/** A device service request the DSP acknowledged: what it sent and how to recognise the answer. */
export interface RequestRecord {
  /** The DUIS RequestID as written (`originator:target:counter`, hyphenated EUI-64s). */
  readonly requestId: string;
  readonly user: Eui64;
  readonly target: Eui64;
  readonly counter: bigint;
  /** Service Reference Variant, e.g. '4.1.1'. */
  readonly srv: string;
  readonly commandVariant: number;
  readonly state: RequestState;
  /** The premise shard the command goes to. */
  readonly premise?: number;
  /** The sealed GBCS command as sent on the route. */
  readonly command?: Uint8Array;
  /** Correlation (domain brief §9): the command's business originator and originator counter; the response carries both. */
  readonly gbcsOriginator?: Eui64;
  readonly gbcsCounter?: bigint;
  /** Virtual ms: when the DSP acknowledged it, and when its Target Response Time runs out (E21). */
  readonly acceptedMs: number;
  readonly deadlineMs?: number;
  /** Future-dated on the device: when it is due to execute (E30 after that plus the TRT). */
  readonly executionMs?: number;
  /** Final DUIS response code ('I0', 'E20', 'E21', …). */
  readonly responseCode?: string;
  /** The device's GBCS response as received. */
  readonly response?: Uint8Array;
}

export type OutboundKind = 'response' | 'device-alert' | 'dcc-alert';
export type OutboundState = 'pending' | 'delivered' | 'expired';

/** A signed DUIS response or alert to push to a User's receiver. */
export interface OutboundNew {
  readonly user: Eui64;
  readonly kind: OutboundKind;
  /** The signed DUIS XML. */
  readonly xml: string;
  /** The request it answers, if any. */
  readonly requestId?: string;
  readonly createdMs: number;
  readonly nextAttemptMs: number;
  /** Held for redelivery until then (domain brief §3.2: 2 days), then expired. */
  readonly expiresMs: number;
}

export interface OutboundRecord extends OutboundNew {
  readonly id: number;
  readonly attempts: number;
  readonly state: OutboundState;
  readonly lastError?: string;
}

export interface OutboundUpdate {
  readonly state: OutboundState;
  readonly attempts: number;
  readonly nextAttemptMs: number;
  readonly lastError?: string;
}

/** How 8.2 Read Inventory and the DSP find devices. Exactly one field. */
export type DeviceQuery =
  | { readonly deviceId: Eui64 }
  | { readonly mpxn: string }
  | { readonly uprn: number }
  | { readonly postCode: string; readonly addressIdentifier: string }
  | { readonly premise: number }
  | { readonly chf: Eui64 };

/** A CHF's Device Log as it last reported it (CS14): what 8.12.1 restores onto a replacement CHF. */
export interface DeviceLogReport {
  readonly chf: Eui64;
  readonly extendedPanId: Eui64;
  readonly entries: readonly { readonly device: Eui64; readonly linkKeyHash: Uint8Array }[];
  readonly atMs: number;
}

/** A premise's field state, serialised by the caller (the runner's v8 serialisation). */
export interface PremiseSnapshot {
  readonly id: number;
  readonly state: Uint8Array;
}

/** A firmware image (SR 11.1 / 11.4), once per SHA-256: what the actors' image store holds after a restart. */
export interface FirmwareImageRecord {
  /** The hex SHA-256 of the whole OTA file (firmware/images.ts). */
  readonly key: string;
  readonly bytes: Uint8Array;
}

/**
 * Where a device's firmware distribution is, as the DSP tracks it (dcc/firmware.ts): 'tracked' — handed to the CSP,
 * waiting for the device (receipt alert, CCS08 / CS09) until `deadlineMs`; 'undelivered' — the CSP could not reach
 * its premise (N61 sent); 'expired' — the deadline passed first (N61 sent), kept so a late receipt alert is known.
 */
export interface FirmwareTrackingRecord {
  readonly device: Eui64;
  /** The DUIS RequestID of the 11.1 / 11.4, as written. */
  readonly requestId: string;
  readonly user: Eui64;
  readonly srv: '11.1' | '11.4';
  /** The request's FirmwareVersion, as written. */
  readonly firmwareVersion: string;
  readonly state: 'tracked' | 'undelivered' | 'expired';
  readonly premise: number;
  readonly chf: Eui64;
  /** Virtual ms: when the DSP gives up waiting for the device (N61). */
  readonly deadlineMs: number;
  /** The premise's CS05 as handed to the CSP (re-handed after a restart if the CH does not hold it). */
  readonly distribution: FirmwareDistribution;
  /** Why it is undelivered or expired. */
  readonly reason?: string;
}

/** The operations; a transaction offers the same. */
export interface StoreOps {
  putUser(user: DccUser): Promise<void>;
  getUser(eui: Eui64): Promise<DccUser | undefined>;
  listUsers(): Promise<DccUser[]>;

  /** Inserts or replaces the device's record. */
  putDevice(device: SmiDevice): Promise<void>;
  /** Removes the device's record and its status history (8.4 DeleteDevice); false when there was none. */
  deleteDevice(eui: Eui64): Promise<boolean>;
  getDevice(eui: Eui64): Promise<SmiDevice | undefined>;
  /** Matching devices, ordered by DeviceID. */
  findDevices(query: DeviceQuery): Promise<SmiDevice[]>;
  addStatusChange(change: SmiStatusChange): Promise<void>;
  /** Oldest first. */
  statusHistory(eui: Eui64): Promise<SmiStatusChange[]>;

  /** RequestID anti-replay: the highest counter accepted from `user` for `target` (uint64). */
  lastRequestCounter(user: Eui64, target: Eui64): Promise<bigint | undefined>;
  /** Raises the counter to `counter`; a counter not above the one held leaves it (it never goes back). */
  setRequestCounter(user: Eui64, target: Eui64, counter: bigint): Promise<void>;

  /** Inserts or replaces by requestId. */
  putRequest(request: RequestRecord): Promise<void>;
  getRequest(requestId: string): Promise<RequestRecord | undefined>;
  /** Requests in state 'accepted' or 'sent', oldest first: what a restarted DSP must finish. */
  openRequests(): Promise<RequestRecord[]>;

  /** Adds to the outbox; returns its id (increasing). */
  enqueueOutbound(message: OutboundNew): Promise<number>;
  /** Pending messages with nextAttemptMs ≤ nowMs, oldest first, at most `limit`. */
  dueOutbound(nowMs: number, limit: number): Promise<OutboundRecord[]>;
  /** Pending messages for one user, oldest first (a User collecting what its receiver missed). */
  pendingOutbound(user: Eui64): Promise<OutboundRecord[]>;
  getOutbound(id: number): Promise<OutboundRecord | undefined>;
  updateOutbound(id: number, update: OutboundUpdate): Promise<void>;

  /** Inserts or replaces premise snapshots. */
  putPremises(snapshots: readonly PremiseSnapshot[]): Promise<void>;
  /** Every snapshot, by id. */
  loadPremises(): Promise<PremiseSnapshot[]>;

  /** Replaces the CHF's last reported Device Log. */
  putDeviceLogReport(report: DeviceLogReport): Promise<void>;
  getDeviceLogReport(chf: Eui64): Promise<DeviceLogReport | undefined>;

  /** Stores an image under its key, once: a key already held keeps its bytes. */
  putFirmwareImage(image: FirmwareImageRecord): Promise<void>;
  /** Every image, by key. */
  loadFirmwareImages(): Promise<FirmwareImageRecord[]>;
  /** Inserts or replaces by device. */
  putFirmwareTracking(records: readonly FirmwareTrackingRecord[]): Promise<void>;
  deleteFirmwareTracking(devices: readonly Eui64[]): Promise<void>;
  /** Every record, by device. */
  loadFirmwareTracking(): Promise<FirmwareTrackingRecord[]>;

  /** The DCC's own named counters (the ACB's originator counter, …), uint64. */
  getCounter(name: string): Promise<bigint | undefined>;
  setCounter(name: string, value: bigint): Promise<void>;
}

/** A transaction applied but perhaps not yet committed (Store.stage). */
export interface Staged<T> {
  /** What the transaction's `fn` returned. */
  readonly value: T;
  /** Resolves once the writes are committed (durable); rejects if their commit failed, and then none landed. */
  readonly durable: Promise<void>;
}

export interface Store extends StoreOps {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: every write it makes lands, or (when it throws) none does. Resolves once the
   * writes are durable.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T>;
  /**
   * Group commit: as `transaction`, all or nothing, but resolves as soon as `fn`'s writes are applied — every later
   * operation on this Store sees them — and reports their durability separately. On SQLite the transactions staged
   * close together (and writes outside any transaction meanwhile) are committed as one group, so `durable` may
   * resolve later and fail for all of them together; nothing may be shown outside the process (an I99, a push) on
   * the strength of these writes before it resolves. On PostgreSQL it is `transaction` (durable at once).
   */
  stage<T>(fn: (tx: StoreOps) => Promise<T>): Promise<Staged<T>>;
  close(): Promise<void>;
}
