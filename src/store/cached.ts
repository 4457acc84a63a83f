// A read-through cache in front of a Store for the records the DSP reads on every request — Users, SMI devices,
// a premise's device list, RequestID counters, and the request records it has just written (read back when the
// device answers) — so a service request costs its writes, not its lookups. Writes go
// through to the Store; inside a transaction the touched keys are forgotten when it ends (committed or rolled back),
// so the cache never holds a value the database does not. One process owns the cache: with several DSP processes
// on one PostgreSQL database, run them without it (or partition Users and devices between them).
import type { Eui64 } from '../codec/eui64.js';
import type { DccUser, SmiDevice, SmiStatusChange } from '../dcc/types.js';
import { requestFromRow, requestRow } from './rows.js';
import type {
  DeviceLogReport,
  DeviceQuery,
  FirmwareImageRecord,
  FirmwareTrackingRecord,
  OutboundNew,
  OutboundRecord,
  OutboundUpdate,
  PremiseSnapshot,
  RequestRecord,
  Staged,
  Store,
  StoreOps,
} from './store.js';

export class CachedStore implements Store {
  private readonly users = new Map<string, DccUser | undefined>();
  private readonly devices = new Map<string, SmiDevice | undefined>();
  private readonly premises = new Map<number, SmiDevice[]>();
  private readonly counters = new Map<string, bigint | undefined>();
  /** Request records as last written through this cache (never filled by a read). */
  private readonly requests = new Map<string, RequestRecord>();
  /** Bumped by every forget: a read that overlapped a write does not fill the cache with what it read. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    /** Entries kept per map before it is cleared (bounds memory at national scale). */
    private readonly capacity = 1_000_000,
    /** Request records kept (each holds its command and response bytes): about a minute of 1,000 requests/s. */
    private readonly requestCapacity = 65_536,
  ) {}

  get kind(): Store['kind'] {
    return this.store.kind;
  }

  async transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
    const { value, durable } = await this.stage(fn);
    await durable;
    return value;
  }

  /**
   * The touched keys are forgotten once the writes are applied (later reads find them in the Store), and again if
   * their group fails to commit: a read in between may have cached what the rollback took back.
   */
  async stage<T>(fn: (tx: StoreOps) => Promise<T>): Promise<Staged<T>> {
    const touched: (() => void)[] = [];
    const learned: (() => void)[] = [];
    let staged: Staged<T>;
    try {
      staged = await this.store.stage((tx) => fn(this.ops(tx, touched, learned)));
    } finally {
      for (const forget of touched) forget();
    }
    // Applied: every read from now on finds these values in the Store too (until a failed commit, forgotten below).
    for (const learn of learned) learn();
    if (touched.length > 0)
      staged.durable.catch(() => {
        for (const forget of touched) forget();
      });
    return staged;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  // Reads, cached.
  async getUser(eui: Eui64): Promise<DccUser | undefined> {
    return this.cached(this.users, eui, () => this.store.getUser(eui));
  }
  async getDevice(eui: Eui64): Promise<SmiDevice | undefined> {
    return this.cached(this.devices, eui, () => this.store.getDevice(eui));
  }
  async findDevices(query: DeviceQuery): Promise<SmiDevice[]> {
    if ('premise' in query && Object.keys(query).length === 1) {
      const found = await this.cached(this.premises, query.premise, () => this.store.findDevices(query));
      return [...found];
    }
    return this.store.findDevices(query);
  }
  async lastRequestCounter(user: Eui64, target: Eui64): Promise<bigint | undefined> {
    return this.cached(this.counters, `${user}/${target}`, () => this.store.lastRequestCounter(user, target));
  }

  // Everything else passes through; writes outside a transaction update the cache after they land.
  listUsers = () => this.store.listUsers();
  statusHistory = (eui: Eui64) => this.store.statusHistory(eui);
  addStatusChange: StoreOps['addStatusChange'] = (c) => this.store.addStatusChange(c);
  async getRequest(requestId: string): Promise<RequestRecord | undefined> {
    return this.requests.get(requestId) ?? this.store.getRequest(requestId);
  }
  openRequests = () => this.store.openRequests();
  enqueueOutbound: StoreOps['enqueueOutbound'] = (m) => this.store.enqueueOutbound(m);
  dueOutbound: StoreOps['dueOutbound'] = (now, limit) => this.store.dueOutbound(now, limit);
  pendingOutbound: StoreOps['pendingOutbound'] = (user) => this.store.pendingOutbound(user);
  getOutbound: StoreOps['getOutbound'] = (id) => this.store.getOutbound(id);
  updateOutbound: StoreOps['updateOutbound'] = (id, u) => this.store.updateOutbound(id, u);
  putPremises: StoreOps['putPremises'] = (s) => this.store.putPremises(s);
  loadPremises = () => this.store.loadPremises();
  putDeviceLogReport: StoreOps['putDeviceLogReport'] = (r) => this.store.putDeviceLogReport(r);
  getDeviceLogReport: StoreOps['getDeviceLogReport'] = (chf) => this.store.getDeviceLogReport(chf);
  putFirmwareImage: StoreOps['putFirmwareImage'] = (i) => this.store.putFirmwareImage(i);
  loadFirmwareImages = () => this.store.loadFirmwareImages();
  putFirmwareTracking: StoreOps['putFirmwareTracking'] = (r) => this.store.putFirmwareTracking(r);
  deleteFirmwareTracking: StoreOps['deleteFirmwareTracking'] = (d) => this.store.deleteFirmwareTracking(d);
  loadFirmwareTracking = () => this.store.loadFirmwareTracking();
  getCounter: StoreOps['getCounter'] = (name) => this.store.getCounter(name);
  setCounter: StoreOps['setCounter'] = (name, value) => this.store.setCounter(name, value);

  async putUser(user: DccUser): Promise<void> {
    this.forget(this.users, user.eui);
    await this.store.putUser(user);
    this.forget(this.users, user.eui);
  }
  async putDevice(device: SmiDevice): Promise<void> {
    this.forgetDevice(device);
    await this.store.putDevice(device);
    this.forgetDevice(device);
  }
  async deleteDevice(eui: Eui64): Promise<boolean> {
    const before = await this.getDevice(eui);
    const done = await this.store.deleteDevice(eui);
    this.forget(this.devices, eui);
    if (before?.premise !== undefined) this.forget(this.premises, before.premise);
    return done;
  }
  async putRequest(request: RequestRecord): Promise<void> {
    this.forget(this.requests, request.requestId);
    await this.store.putRequest(request);
    this.forget(this.requests, request.requestId);
    this.learnRequest(request);
  }
  async setRequestCounter(user: Eui64, target: Eui64, counter: bigint): Promise<void> {
    const key = `${user}/${target}`;
    this.forget(this.counters, key);
    await this.store.setRequestCounter(user, target, counter);
    this.forget(this.counters, key);
    this.learn(this.counters, key, counter);
  }

  private async cached<K, V>(map: Map<K, V>, key: K, load: () => Promise<V>): Promise<V> {
    if (map.has(key)) return map.get(key) as V;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) {
      if (map.size >= this.capacity) map.clear();
      map.set(key, value);
    }
    return value;
  }

  /** A value just written: the next read (every request to that device reads its counter) need not fetch it back. */
  private learn<K, V>(map: Map<K, V>, key: K, value: V, capacity = this.capacity): void {
    if (map.size >= capacity) map.clear();
    map.set(key, value);
  }

  /** As the database will answer it: through the row mapping, so the cache holds nothing a read would not give. */
  private learnRequest(request: RequestRecord): void {
    this.learn(this.requests, request.requestId, requestFromRow(requestRow(request)), this.requestCapacity);
  }

  private forget(map: Map<unknown, unknown>, key: unknown): void {
    this.generation++;
    map.delete(key);
  }

  private forgetDevice(device: SmiDevice): void {
    const old = this.devices.get(device.deviceId);
    this.forget(this.devices, device.deviceId);
    if (device.premise !== undefined) this.forget(this.premises, device.premise);
    if (old?.premise !== undefined) this.forget(this.premises, old.premise);
  }

  /** The transaction's operations: reads go to the transaction (they must see its writes), writes are noted. */
  private ops(tx: StoreOps, touched: (() => void)[], learned: (() => void)[]): StoreOps {
    return new CachedTransaction(tx, {
      putUser: async (user) => {
        touched.push(() => this.forget(this.users, user.eui));
        await tx.putUser(user);
      },
      putDevice: async (device) => {
        touched.push(() => this.forgetDevice(device));
        await tx.putDevice(device);
      },
      deleteDevice: async (eui) => {
        const before = await tx.getDevice(eui);
        touched.push(() => {
          this.forget(this.devices, eui);
          if (before?.premise !== undefined) this.forget(this.premises, before.premise);
        });
        return tx.deleteDevice(eui);
      },
      putRequest: async (request) => {
        touched.push(() => this.forget(this.requests, request.requestId));
        await tx.putRequest(request);
        learned.push(() => this.learnRequest(request));
      },
      setRequestCounter: async (user, target, counter) => {
        const key = `${user}/${target}`;
        touched.push(() => this.forget(this.counters, key));
        await tx.setRequestCounter(user, target, counter);
        learned.push(() => this.learn(this.counters, key, counter));
      },
    });
  }
}

/** The writes whose keys CachedStore notes. */
type NotedWrites = Pick<
  StoreOps,
  'putUser' | 'putDevice' | 'deleteDevice' | 'setRequestCounter' | 'putRequest'
>;

/**
 * A transaction as CachedStore hands it out: the noted writes, and every other operation passed to the transaction.
 * Spelt out, not made by `Object.create(tx)`: a fresh object made a prototype on every transaction costs V8 a
 * prototype-map transition each time (≈ 6 µs against ≈ 0.2 µs, with three transactions to a service request).
 */
class CachedTransaction implements StoreOps {
  constructor(
    private readonly tx: StoreOps,
    private readonly noted: NotedWrites,
  ) {}

  putUser(user: DccUser): Promise<void> {
    return this.noted.putUser(user);
  }
  putDevice(device: SmiDevice): Promise<void> {
    return this.noted.putDevice(device);
  }
  deleteDevice(eui: Eui64): Promise<boolean> {
    return this.noted.deleteDevice(eui);
  }
  putRequest(request: RequestRecord): Promise<void> {
    return this.noted.putRequest(request);
  }
  setRequestCounter(user: Eui64, target: Eui64, counter: bigint): Promise<void> {
    return this.noted.setRequestCounter(user, target, counter);
  }

  getUser(eui: Eui64): Promise<DccUser | undefined> {
    return this.tx.getUser(eui);
  }
  listUsers(): Promise<DccUser[]> {
    return this.tx.listUsers();
  }
  getDevice(eui: Eui64): Promise<SmiDevice | undefined> {
    return this.tx.getDevice(eui);
  }
  findDevices(query: DeviceQuery): Promise<SmiDevice[]> {
    return this.tx.findDevices(query);
  }
  addStatusChange(change: SmiStatusChange): Promise<void> {
    return this.tx.addStatusChange(change);
  }
  statusHistory(eui: Eui64): Promise<SmiStatusChange[]> {
    return this.tx.statusHistory(eui);
  }
  lastRequestCounter(user: Eui64, target: Eui64): Promise<bigint | undefined> {
    return this.tx.lastRequestCounter(user, target);
  }
  getRequest(requestId: string): Promise<RequestRecord | undefined> {
    return this.tx.getRequest(requestId);
  }
  openRequests(): Promise<RequestRecord[]> {
    return this.tx.openRequests();
  }
  enqueueOutbound(message: OutboundNew): Promise<number> {
    return this.tx.enqueueOutbound(message);
  }
  dueOutbound(nowMs: number, limit: number): Promise<OutboundRecord[]> {
    return this.tx.dueOutbound(nowMs, limit);
  }
  pendingOutbound(user: Eui64): Promise<OutboundRecord[]> {
    return this.tx.pendingOutbound(user);
  }
  getOutbound(id: number): Promise<OutboundRecord | undefined> {
    return this.tx.getOutbound(id);
  }
  updateOutbound(id: number, update: OutboundUpdate): Promise<void> {
    return this.tx.updateOutbound(id, update);
  }
  putPremises(snapshots: readonly PremiseSnapshot[]): Promise<void> {
    return this.tx.putPremises(snapshots);
  }
  loadPremises(): Promise<PremiseSnapshot[]> {
    return this.tx.loadPremises();
  }
  putDeviceLogReport(report: DeviceLogReport): Promise<void> {
    return this.tx.putDeviceLogReport(report);
  }
  getDeviceLogReport(chf: Eui64): Promise<DeviceLogReport | undefined> {
    return this.tx.getDeviceLogReport(chf);
  }
  putFirmwareImage(image: FirmwareImageRecord): Promise<void> {
    return this.tx.putFirmwareImage(image);
  }
  loadFirmwareImages(): Promise<FirmwareImageRecord[]> {
    return this.tx.loadFirmwareImages();
  }
  putFirmwareTracking(records: readonly FirmwareTrackingRecord[]): Promise<void> {
    return this.tx.putFirmwareTracking(records);
  }
  deleteFirmwareTracking(devices: readonly Eui64[]): Promise<void> {
    return this.tx.deleteFirmwareTracking(devices);
  }
  loadFirmwareTracking(): Promise<FirmwareTrackingRecord[]> {
    return this.tx.loadFirmwareTracking();
  }
  getCounter(name: string): Promise<bigint | undefined> {
    return this.tx.getCounter(name);
  }
  setCounter(name: string, value: bigint): Promise<void> {
    return this.tx.setCounter(name, value);
  }
}
