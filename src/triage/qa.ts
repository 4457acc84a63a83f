// The QA environment (SECMP0010/0013 WG, 24 Sep 2018 [S]: "install and uninstall in a QA environment … if there was
// access to dummy MPxNs"): premises at the supplier's test facility where a reset device is installed (8.14.1 for a
// CH; 8.11 CCS01 with its install code, its join and 8.1.1 for a meter) and answers commands; a meter is then removed
// again (8.3, 8.11 Remove), a CH stays installed there. Each QA premise index is used once (addQaPremise refuses one
// in use).
// Everything about it is marked [A]: the sources name the idea, not its numbers.
//   - premise numbers from QA_FIRST_PREMISE_NUMBER (EUI-64 middle octets 0A 00 00 00…), apart from the field's;
//   - dummy MPxNs: MPAN cores and MPRNs starting 99 (no real MPAN core or MPRN in our data starts so);
//   - in the SMI: post code QA_POST_CODE, AddressIdentifier 'QA premise <n>', no UPRN (isQaDevice reads the marks);
//   - its own Users: a QA supplier and a QA network operator, whose trust anchors the devices installed there hold.
import { eui64, type Eui64 } from '../codec/eui64.js';
import type { DeviceCore } from '../devices/device.js';
import { createEsme } from '../devices/esme-state.js';
import type { RemoteParties } from '../devices/security.js';
import type { DeviceKind } from '../devices/types.js';
import { TEST_ISSUING_AUTHORITY } from '../premise/build.js';
import { derivedInstallCode, premiseEui } from '../premise/identities.js';
import { createChf } from '../hub/chf-state.js';
import { createGpf } from '../hub/gpf.js';
import type { Dcc } from '../dcc/dcc.js';
import type { DccUser, SmiDevice, SmiDeviceType } from '../dcc/types.js';
import { installedState, type ManufacturedDevice } from './reset.js';

/** The first QA premise number [A]. */
export const QA_FIRST_PREMISE_NUMBER = 0x0a00_0000;
/** How many QA premise numbers there are [A]. */
export const QA_PREMISE_NUMBERS = 0x0010_0000;
/** The post code every QA premise has in the SMI [A: an invented, clearly non-geographic code]. */
export const QA_POST_CODE = 'QA1 1QA';
const QA_ADDRESS = 'QA premise ';

/** The QA supplier and network operator [A: test EUI-64s next to the demo Users']. */
export const QA_SUPPLIER = eui64('90B3D51F30019A00');
export const QA_NETWORK_OPERATOR = eui64('90B3D51F30029A00');
/** A Registered Supplier Agent, who may triage under the seed's proposal [A: a test EUI-64]. */
export const TRIAGE_AGENT = eui64('90B3D51F30050000');

export const QA_USERS: readonly DccUser[] = [
  { eui: QA_SUPPLIER, roles: ['IS', 'GS'], status: 'active', name: 'QA supplier (dummy MPxNs)' },
  { eui: QA_NETWORK_OPERATOR, roles: ['ED', 'GT'], status: 'active', name: 'QA network operator' },
  { eui: TRIAGE_AGENT, roles: ['RSA'], status: 'active', name: 'Registered Supplier Agent (triage)' },
];

export function qaParties(acb: Eui64): RemoteParties {
  return { acb, supplier: QA_SUPPLIER, networkOperator: QA_NETWORK_OPERATOR };
}

/** The premise number of QA premise `n`; a RangeError outside the QA range. */
export function qaPremiseNumber(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= QA_PREMISE_NUMBERS)
    throw new RangeError(`QA premise index must be 0..${QA_PREMISE_NUMBERS - 1}, got ${n}`);
  return QA_FIRST_PREMISE_NUMBER + n;
}

export function isQaPremiseNumber(number: number): boolean {
  return number >= QA_FIRST_PREMISE_NUMBER && number < QA_FIRST_PREMISE_NUMBER + QA_PREMISE_NUMBERS;
}

/** A dummy 13-digit MPAN core for QA premise `n`: 99 then the index [A]. */
export function dummyMpan(n: number): string {
  return `99${String(n).padStart(11, '0')}`;
}

/** A dummy 10-digit MPRN for QA premise `n`: 99 then the index [A]. */
export function dummyMprn(n: number): string {
  return `99${String(n).padStart(8, '0')}`;
}

export function isDummyMpxn(mpxn: string): boolean {
  return mpxn.startsWith('99');
}

/** Whether an SMI record is a QA premise's: its post code and address say so. */
export function isQaDevice(d: SmiDevice): boolean {
  return d.postCode === QA_POST_CODE && (d.addressIdentifier ?? '').startsWith(QA_ADDRESS);
}

export interface QaPremiseOptions {
  /** The QA premise's index (premise number qaPremiseNumber(index)). */
  readonly index: number;
  /** Seed of the new QA devices' install codes (the fleet's). */
  readonly fleetSeed: string;
  /** A reset CH to build the premise around (its CHF and GPF); absent: a new QA CH. */
  readonly ch?: { readonly chf: ManufacturedDevice; readonly gpf: ManufacturedDevice };
  /** A reset meter (ESME or GSME) to install; absent: a new QA ESME. */
  readonly meter?: ManufacturedDevice;
}

export interface QaPremise {
  /** The runner's premise id. */
  readonly id: number;
  readonly number: number;
  readonly chf: Eui64;
  readonly gpf: Eui64;
  /** The meter to install, and its install code (for 8.11). */
  readonly meter: Eui64;
  readonly meterKind: 'ESME' | 'GSME';
  readonly meterInstallCode: string;
  readonly mpxn: string;
}

const SMI_TYPE: Partial<Record<DeviceKind, SmiDeviceType>> = {
  CHF: 'CHF',
  GPF: 'GPF',
  ESME: 'ESME',
  GSME: 'GSME',
};

/**
 * Adds QA premise `o.index` to the DCC's field and SMI: its CH (the reset one, or a new one) powered, and the meter
 * (the reset one, or a new ESME) present, powered, holding the QA parties' trust anchors and not yet on any Device Log.
 * In the SMI every device is Pending at the QA premise, with its dummy MPxN and the QA marks, the QA supplier and
 * network operator registered. Installation is then the User's: 8.14.1, 8.11, the join, 8.1.1.
 *
 * All or nothing: the SMI is read and every check made first — the index not used by a QA premise already, each
 * device new or Pending — and a refusal (a RangeError) leaves the runner and the SMI as they were.
 */
export async function addQaPremise(dcc: Dcc, o: QaPremiseOptions): Promise<QaPremise> {
  const number = qaPremiseNumber(o.index);
  const acb = dcc.config.acb;
  const parties = qaParties(acb);
  const chf = o.ch?.chf.eui ?? premiseEui(number, 'CHF');
  const gpf = o.ch?.gpf.eui ?? premiseEui(number, 'GPF');
  const meter = o.meter?.eui ?? premiseEui(number, 'ESME');
  const meterKind = o.meter?.kind ?? 'ESME';
  if (meterKind !== 'ESME' && meterKind !== 'GSME')
    throw new RangeError(`a QA premise installs a meter, not a ${meterKind}`);
  const address = `${QA_ADDRESS}${o.index}`;
  const inUse = await dcc.store.findDevices({ postCode: QA_POST_CODE, addressIdentifier: address });
  if (inUse.length > 0)
    throw new RangeError(
      `QA premise ${o.index} is in use (${inUse.map((d) => `${d.deviceType} ${d.deviceId}`).join(', ')})`,
    );
  const known = new Map<Eui64, SmiDevice | undefined>();
  for (const eui of [chf, gpf, meter]) {
    const d = await dcc.store.getDevice(eui);
    if (d !== undefined && d.status !== 'Pending')
      throw new RangeError(
        `${eui} is ${d.status} in the SMI: only a Pending (new or reset) device goes to QA`,
      );
    known.set(eui, d);
  }
  const code = (eui: Eui64) => derivedInstallCode(o.fleetSeed, eui);
  const chfState: DeviceCore =
    o.ch === undefined
      ? createChf({
          eui: chf,
          hub: chf,
          parties,
          installCode: code(chf),
          gpf,
          trustedCertificateIssuer: TEST_ISSUING_AUTHORITY,
        })
      : installedState(o.ch.chf, {
          hub: chf,
          parties,
          gpf,
          trustedCertificateIssuer: TEST_ISSUING_AUTHORITY,
        });
  const gpfState: DeviceCore =
    o.ch === undefined
      ? createGpf({
          eui: gpf,
          hub: chf,
          parties,
          installCode: code(gpf),
          ...(meterKind === 'GSME' && { gsme: meter }),
        })
      : installedState(o.ch.gpf, { hub: chf, parties, ...(meterKind === 'GSME' && { gsme: meter }) });
  const meterState: DeviceCore =
    o.meter === undefined
      ? createEsme({ eui: meter, hub: chf, parties, installCode: code(meter) })
      : installedState(o.meter, { hub: chf, parties, gpf });
  const id = dcc.runner.addPremise([chfState, gpfState, meterState]);
  dcc.runner.inject(id, chf, { type: 'power', on: true });
  const mpxn = meterKind === 'ESME' ? dummyMpan(o.index) : dummyMprn(o.index);
  const now = dcc.field.now();
  const marks = {
    premise: id,
    chf,
    postCode: QA_POST_CODE,
    addressIdentifier: address,
    cspRegion: 'Central',
    supplier: QA_SUPPLIER,
  } as const;
  const records: SmiDevice[] = [];
  for (const [state, extra] of [
    [chfState, { hanVariant: 'HAN Only' }],
    [gpfState, meterKind === 'GSME' ? { gpf: meter } : {}],
    [
      meterState,
      meterKind === 'ESME'
        ? { importMpxn: mpxn, esmeVariant: 'A', networkOperator: QA_NETWORK_OPERATOR }
        : { importMpxn: mpxn, gpf, networkOperator: QA_NETWORK_OPERATOR },
    ],
  ] as const) {
    const type = SMI_TYPE[state.kind]!;
    records.push({
      ...(known.get(state.eui) ?? {
        deviceId: state.eui,
        deviceType: type,
        status: 'Pending',
        manufacturer: 'smets-twin',
        model: `${type}-TWIN`,
        smetsChtsVersion: type === 'CHF' || type === 'GPF' ? 'CHTS V1.0' : 'SMETS2 V5.0',
        firmwareVersion: '00000001',
        firmwareVersionStatus: 'Active',
        cplStatus: 'Active',
        gbcsVersion: '4.0',
      }),
      ...marks,
      ...extra,
    });
  }
  await dcc.store.transaction(async (tx) => {
    for (const u of QA_USERS) if ((await tx.getUser(u.eui)) === undefined) await tx.putUser(u);
    for (const r of records) {
      const fresh = (await tx.getDevice(r.deviceId)) === undefined;
      await tx.putDevice(r);
      if (fresh)
        await tx.addStatusChange({ deviceId: r.deviceId, atMs: now, from: null, to: 'Pending', cause: 'qa' });
    }
  });
  return {
    id,
    number,
    chf,
    gpf,
    meter,
    meterKind,
    meterInstallCode: meterState.installCode,
    mpxn,
  };
}

/** Registers the QA Users (and the triage agent) with a receiver URL, if not there yet. */
export async function registerQaUsers(dcc: Dcc, receiverUrl?: string): Promise<void> {
  await dcc.store.transaction(async (tx) => {
    for (const u of QA_USERS) await tx.putUser(receiverUrl === undefined ? u : { ...u, receiverUrl });
  });
}
