// A small in-memory fake of the Store port's operations (src/store/store.ts) for tests, logging every write.
import type { Eui64 } from '../../src/codec/eui64.js';
import type { DccUser, SmiDevice, SmiStatusChange } from '../../src/dcc/types.js';
import type {
  DeviceQuery,
  FirmwareImageRecord,
  FirmwareTrackingRecord,
  OutboundNew,
  OutboundRecord,
  OutboundUpdate,
  PremiseSnapshot,
  RequestRecord,
  StoreOps,
} from '../../src/store/store.js';

const byDeviceId = (a: SmiDevice, b: SmiDevice): number =>
  a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0;

function matches(d: SmiDevice, q: DeviceQuery): boolean {
  if ('deviceId' in q) return d.deviceId === q.deviceId;
  if ('mpxn' in q) return d.importMpxn === q.mpxn;
  if ('uprn' in q) return d.uprn === q.uprn;
  if ('postCode' in q) return d.postCode === q.postCode && d.addressIdentifier === q.addressIdentifier;
  if ('premise' in q) return d.premise === q.premise;
  return d.chf === q.chf;
}

export class MemoryStore implements StoreOps {
  /** Every write, in order, as 'method:key' (tests assert that a refused operation wrote nothing). */
  readonly writes: string[] = [];
  readonly users = new Map<Eui64, DccUser>();
  readonly devices = new Map<Eui64, SmiDevice>();
  readonly history: SmiStatusChange[] = [];
  readonly counters = new Map<string, bigint>();
  readonly requests = new Map<string, RequestRecord>();
  readonly outbound = new Map<number, OutboundRecord>();
  readonly premises = new Map<number, PremiseSnapshot>();
  private nextOutbound = 1;

  /** Seeds devices without logging writes. */
  constructor(devices: readonly SmiDevice[] = [], history: readonly SmiStatusChange[] = []) {
    for (const d of devices) this.devices.set(d.deviceId, d);
    this.history.push(...history);
  }

  async putUser(user: DccUser): Promise<void> {
    this.writes.push(`putUser:${user.eui}`);
    this.users.set(user.eui, user);
  }
  async getUser(eui: Eui64): Promise<DccUser | undefined> {
    return this.users.get(eui);
  }
  async listUsers(): Promise<DccUser[]> {
    return [...this.users.values()];
  }

  async putDevice(device: SmiDevice): Promise<void> {
    this.writes.push(`putDevice:${device.deviceId}`);
    this.devices.set(device.deviceId, device);
  }
  async getDevice(eui: Eui64): Promise<SmiDevice | undefined> {
    return this.devices.get(eui);
  }
  async findDevices(query: DeviceQuery): Promise<SmiDevice[]> {
    return [...this.devices.values()].filter((d) => matches(d, query)).sort(byDeviceId);
  }
  /** Not part of StoreOps: the removal 8.4 DeleteDevice needs (proposed for the port). */
  async putDeviceLogReport(): Promise<void> {
    throw new Error('MemoryStore: device log reports are not needed by the inventory tests');
  }
  async getDeviceLogReport(): Promise<undefined> {
    return undefined;
  }
  async deleteDevice(eui: Eui64): Promise<boolean> {
    this.writes.push(`deleteDevice:${eui}`);
    const kept = this.history.filter((c) => c.deviceId !== eui);
    this.history.splice(0, this.history.length, ...kept);
    return this.devices.delete(eui);
  }
  async addStatusChange(change: SmiStatusChange): Promise<void> {
    this.writes.push(`addStatusChange:${change.deviceId}`);
    this.history.push(change);
  }
  async statusHistory(eui: Eui64): Promise<SmiStatusChange[]> {
    return this.history.filter((c) => c.deviceId === eui);
  }

  async lastRequestCounter(user: Eui64, target: Eui64): Promise<bigint | undefined> {
    return this.counters.get(`req:${user}:${target}`);
  }
  async setRequestCounter(user: Eui64, target: Eui64, counter: bigint): Promise<void> {
    this.writes.push(`setRequestCounter:${user}:${target}`);
    const key = `req:${user}:${target}`;
    const held = this.counters.get(key);
    if (held === undefined || counter > held) this.counters.set(key, counter);
  }

  async putRequest(request: RequestRecord): Promise<void> {
    this.writes.push(`putRequest:${request.requestId}`);
    this.requests.set(request.requestId, request);
  }
  async getRequest(requestId: string): Promise<RequestRecord | undefined> {
    return this.requests.get(requestId);
  }
  async openRequests(): Promise<RequestRecord[]> {
    return [...this.requests.values()]
      .filter((r) => r.state === 'accepted' || r.state === 'sent')
      .sort((a, b) => a.acceptedMs - b.acceptedMs);
  }

  async enqueueOutbound(message: OutboundNew): Promise<number> {
    const id = this.nextOutbound++;
    this.writes.push(`enqueueOutbound:${id}`);
    this.outbound.set(id, { ...message, id, attempts: 0, state: 'pending' });
    return id;
  }
  async dueOutbound(nowMs: number, limit: number): Promise<OutboundRecord[]> {
    return [...this.outbound.values()]
      .filter((m) => m.state === 'pending' && m.nextAttemptMs <= nowMs)
      .slice(0, limit);
  }
  async pendingOutbound(user: Eui64): Promise<OutboundRecord[]> {
    return [...this.outbound.values()].filter((m) => m.state === 'pending' && m.user === user);
  }
  async getOutbound(id: number): Promise<OutboundRecord | undefined> {
    return this.outbound.get(id);
  }
  async updateOutbound(id: number, update: OutboundUpdate): Promise<void> {
    const m = this.outbound.get(id);
    if (m === undefined) throw new Error(`no outbound message ${id}`);
    this.writes.push(`updateOutbound:${id}`);
    const { lastError: _drop, ...rest } = m;
    this.outbound.set(id, { ...rest, ...update });
  }

  readonly firmwareImages = new Map<string, Uint8Array>();
  readonly firmwareTracking = new Map<Eui64, FirmwareTrackingRecord>();
  async putFirmwareImage(image: FirmwareImageRecord): Promise<void> {
    this.writes.push(`putFirmwareImage:${image.key}`);
    if (!this.firmwareImages.has(image.key)) this.firmwareImages.set(image.key, image.bytes);
  }
  async loadFirmwareImages(): Promise<FirmwareImageRecord[]> {
    return [...this.firmwareImages]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, bytes]) => ({ key, bytes }));
  }
  async putFirmwareTracking(records: readonly FirmwareTrackingRecord[]): Promise<void> {
    for (const r of records) {
      this.writes.push(`putFirmwareTracking:${r.device}`);
      this.firmwareTracking.set(r.device, r);
    }
  }
  async deleteFirmwareTracking(devices: readonly Eui64[]): Promise<void> {
    for (const d of devices) {
      this.writes.push(`deleteFirmwareTracking:${d}`);
      this.firmwareTracking.delete(d);
    }
  }
  async loadFirmwareTracking(): Promise<FirmwareTrackingRecord[]> {
    return [...this.firmwareTracking.values()].sort((a, b) => (a.device < b.device ? -1 : 1));
  }

  async putPremises(snapshots: readonly PremiseSnapshot[]): Promise<void> {
    for (const s of snapshots) {
      this.writes.push(`putPremises:${s.id}`);
      this.premises.set(s.id, s);
    }
  }
  async loadPremises(): Promise<PremiseSnapshot[]> {
    return [...this.premises.values()].sort((a, b) => a.id - b.id);
  }

  async getCounter(name: string): Promise<bigint | undefined> {
    return this.counters.get(`dcc:${name}`);
  }
  async setCounter(name: string, value: bigint): Promise<void> {
    this.writes.push(`setCounter:${name}`);
    this.counters.set(`dcc:${name}`, value);
  }
}
