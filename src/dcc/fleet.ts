// A demo fleet for the DCC (issue 5): N premises built and installed in the field, each device registered in the
// Smart Metering Inventory, and the demo Users. Premise 0 carries the identities of DCC's public test data (ESME
// 00-DB-12-34-56-78-90-A0, GSME …A1, CHF …A2, GPF …A3, PPMID …A4), so the published DUIS templates address it.
import type { Eui64 } from '../codec/eui64.js';
import type { DeviceKind } from '../devices/types.js';
import {
  buildPremise,
  TEST_PARTIES,
  type BuiltPremise,
  type Household,
  type PremiseSpec,
} from '../premise/build.js';
import { installPremise } from '../premise/commission.js';
import type { PremiseRunner } from '../premise/runner.js';
import type { StoreOps } from '../store/store.js';
import type { DccUser, SmiDevice, SmiDeviceType, SmiStatus } from './types.js';

/** The premise number of premise 0: its EUI-64s are those of DCC's public test data. */
export const FIRST_PREMISE_NUMBER = 0x34567890;

export const DEMO_USERS: readonly DccUser[] = [
  {
    eui: TEST_PARTIES.supplier!,
    roles: ['IS', 'GS'],
    status: 'active',
    name: 'Demo supplier (import and gas)',
  },
  {
    eui: TEST_PARTIES.networkOperator!,
    roles: ['ED', 'GT'],
    status: 'active',
    name: 'Demo network operator',
  },
];

/**
 * The demo households `smets-twin serve` gives its premises [A: Ofgem's typical domestic consumption, 2,700 kWh of
 * electricity and 11,500 kWh of gas a year, at prices of the order of the 2025 price cap]: balances fall and
 * registers rise as the wall clock runs.
 */
export const DEMO_HOUSEHOLD: Household = Object.freeze<Household>({
  electricity: {
    profile: { kind: 'domestic', fuel: 'electricity', annualKwh: 2_700, seed: 0 },
    tariff: { unitPrice: 24_500, standingChargePerDay: 60_000 },
  },
  gas: {
    profile: { kind: 'domestic', fuel: 'gas', annualKwh: 11_500, seed: 0 },
    tariff: { unitPrice: 6_300, standingChargePerDay: 32_000 },
  },
});

export interface FleetOptions {
  readonly premises: number;
  readonly fleetSeed: string;
  /** How many premises, from premise 0, are installed and commissioned; the rest await installation (default all). */
  readonly commissioned?: number;
  /** Where the demo Users' responses and alerts go. */
  readonly receiverUrl?: string;
  /** Every premise's demand and prices (issue 8); absent: none. */
  readonly household?: Household;
  /**
   * Premise `i`'s devices and household, when premises differ (a scenario's fleet); absent: every premise has an
   * ESME, a GSME, a PPMID and an IHD, and `household`.
   */
  readonly premiseOf?: (i: number) => FleetPremise;
}

/** One premise of a fleet whose premises differ. */
export interface FleetPremise {
  readonly spec: PremiseSpec;
  readonly household?: Household;
  /**
   * Its premise number (the middle octets of its EUI-64s, so its identities, keys and seeded demand); default
   * FIRST_PREMISE_NUMBER + i. A scenario that runs some premises of a larger fleet gives each its number there, so
   * a premise is the same whichever others run beside it.
   */
  readonly number?: number;
}

const DEMO_PREMISE: PremiseSpec = Object.freeze({ esme: true, gsme: true, ppmid: true, ihd: true });

export interface DemoFleet {
  readonly built: readonly BuiltPremise[];
  /** ACB counter values the installation used: the DSP's ACB counter must start above. */
  readonly acbCountersUsed: bigint;
}

/**
 * Builds the premises on the runner. Commissioned premises are installed as the DCC and an installer would (CH
 * power-up, CCS01 per device, devices powered and joined); the others have only their CH powered. Run the kernel
 * afterwards for the joins to complete.
 */
export function buildFleet(runner: PremiseRunner, o: FleetOptions): DemoFleet {
  const commissioned = Math.min(o.commissioned ?? o.premises, o.premises);
  const built: BuiltPremise[] = [];
  const numbers = new Set<number>();
  let acbCounter = 1n;
  for (let i = 0; i < o.premises; i++) {
    const which = o.premiseOf?.(i);
    const household = which === undefined ? o.household : which.household;
    const number = premiseNumberOf(o, i);
    if (numbers.has(number))
      throw new RangeError(`fleet premise ${i}: premise number ${number} is already used`);
    numbers.add(number);
    const premise = buildPremise(which?.spec ?? DEMO_PREMISE, {
      premise: number,
      fleetSeed: o.fleetSeed,
      ...(household !== undefined && { household }),
    });
    const id = runner.addPremise(premise.members);
    if (id !== i)
      throw new RangeError(`fleet premises must be added to an empty runner (got id ${id} for ${i})`);
    built.push(premise);
    if (i < commissioned) {
      installPremise(runner, id, premise, {
        acbCounter,
        userCounter: acbCounter,
        user: TEST_PARTIES.supplier!,
      });
      acbCounter += BigInt(premise.hanDevices.length);
    } else runner.inject(id, premise.chf, { type: 'power', on: true });
  }
  return { built, acbCountersUsed: acbCounter };
}

/** Premise `i`'s premise number: the one `premiseOf` gives it, else FIRST_PREMISE_NUMBER + i. */
export function premiseNumberOf(o: Pick<FleetOptions, 'premiseOf'>, i: number): number {
  return o.premiseOf?.(i).number ?? FIRST_PREMISE_NUMBER + i;
}

/** Registers the fleet's devices and the demo Users in the store. */
export async function registerFleet(
  tx: StoreOps,
  fleet: DemoFleet,
  o: FleetOptions,
  nowMs: number,
): Promise<void> {
  const commissioned = Math.min(o.commissioned ?? o.premises, o.premises);
  for (const user of DEMO_USERS)
    await tx.putUser(o.receiverUrl === undefined ? user : { ...user, receiverUrl: o.receiverUrl });
  for (const [i, premise] of fleet.built.entries()) {
    for (const device of smiRecords(premise, i, i < commissioned, premiseNumberOf(o, i))) {
      await tx.putDevice(device);
      await tx.addStatusChange({
        deviceId: device.deviceId,
        atMs: nowMs,
        from: null,
        to: device.status,
        cause: 'fleet',
      });
    }
  }
}

/** The SMI records of one built premise [A: manufacturer, model and address data are invented for the demo]. */
export function smiRecords(
  premise: BuiltPremise,
  id: number,
  commissioned: boolean,
  number = FIRST_PREMISE_NUMBER + id,
): SmiDevice[] {
  const supplier = TEST_PARTIES.supplier;
  const hanStatus: SmiStatus = commissioned ? 'Commissioned' : 'Pending';
  const address = {
    premise: id,
    chf: premise.chf,
    uprn: 100_000_000 + id,
    postCode: 'SW1A1AA',
    addressIdentifier: `${id + 1} Twin Street`,
    cspRegion: 'Central',
  };
  const record = (
    eui: Eui64,
    type: SmiDeviceType,
    status: SmiStatus,
    extra: Partial<SmiDevice> = {},
  ): SmiDevice => ({
    deviceId: eui,
    deviceType: type,
    status,
    ...address,
    manufacturer: 'smets-twin',
    model: `${type}-TWIN`,
    smetsChtsVersion: type === 'CHF' || type === 'GPF' ? 'CHTS V1.0' : 'SMETS2 V5.0',
    firmwareVersion: '00000001',
    firmwareVersionStatus: 'Active',
    cplStatus: 'Active',
    gbcsVersion: '4.0',
    ...(supplier !== undefined && { supplier }),
    ...extra,
  });
  const out: SmiDevice[] = [
    record(premise.chf, 'CHF', 'Commissioned', { hanVariant: 'HAN Only' }),
    record(premise.gpf, 'GPF', 'Commissioned', premise.gsme === undefined ? {} : { gpf: premise.gsme }),
  ];
  const type: Partial<Record<DeviceKind, SmiDeviceType>> = { PPMID: 'PPMID', IHD: 'IHD', HCALCS: 'HCALCS' };
  for (const d of premise.hanDevices) {
    if (d.kind === 'ESME')
      out.push(
        record(d.eui, 'ESME', hanStatus, {
          importMpxn: `19${String(number).padStart(11, '0')}`, // 13-digit MPAN core [A]
          esmeVariant: 'A',
          ...(TEST_PARTIES.networkOperator !== undefined && {
            networkOperator: TEST_PARTIES.networkOperator,
          }),
        }),
      );
    else if (d.kind === 'GSME')
      out.push(
        record(d.eui, 'GSME', hanStatus, {
          importMpxn: String(number % 10_000_000_000).padStart(10, '0'),
          gpf: premise.gpf,
        }),
      );
    else {
      const smiType = type[d.kind];
      // Type 2 devices (IHD, CAD) hold no SMKI credentials and carry no SMI status [C: SEC glossary].
      const status: SmiStatus = smiType === 'IHD' ? 'NotApplicable' : hanStatus;
      if (smiType !== undefined)
        out.push(
          record(d.eui, smiType, status, premise.esme === undefined ? {} : { associatedMeter: premise.esme }),
        );
    }
  }
  return out;
}
