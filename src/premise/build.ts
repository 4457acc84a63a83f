// buildPremise (issue 4): one Communications Hub (CHF + GPF) and the HAN devices a premise has, wired to each other
// and to their Remote Parties, with EUI-64s and install codes derived from the premise number and the fleet seed.
// Keys are not held here: the key store derives them from the fleet seed and each EUI-64 (crypto/fleet-keys.ts).
// The result is unpowered and un-commissioned; commission.ts brings it up the way an installer and the DCC do.
import { createHash } from 'node:crypto';
import { eui64, type Eui64 } from '../codec/eui64.js';
import type { ConsumptionProfile } from '../prepayment/consumption.js';
import { EMPTY_LEDGER, type Tariff } from '../prepayment/ledger.js';
import type { DeviceCore, DeviceInit } from '../devices/device.js';
import { createEsme, type EsmeState } from '../devices/esme-state.js';
import { stepEsme } from '../devices/esme.js';
import { createGsme, stepGsme, type GsmeState } from '../devices/gsme.js';
import { PREPAYMENT_PAYMENT_CONTROL } from '../devices/gsme-state.js';
import { createHcalcs, stepHcalcs } from '../devices/hcalcs.js';
import { createIhd, stepIhd } from '../devices/ihd.js';
import { createPpmid, stepPpmid, type PpmidState } from '../devices/ppmid.js';
import { withLocalPairing } from '../devices/ppmid-pairing.js';
import { createAttacker, stepAttacker, type AttackerInit, type AttackerState } from '../devices/attacker.js';
import { createHht, stepHht } from '../devices/hht.js';
import type { RemoteParties } from '../devices/security.js';
import type { DeviceKind } from '../devices/types.js';
import { createChf, ZIGBEE_DEVICE_TYPE, type ChfState } from '../hub/chf-state.js';
import { stepChf } from '../hub/chf.js';
import { createGpf, stepGpf } from '../hub/gpf.js';
import { DEFAULT_EUI_PREFIX, derivedInstallCode, premiseEui } from './identities.js';
import { anyKind, type ActorRegistry } from './runner.js';

/** DCC's public test identities (domain brief §1), the default Remote Parties of a generated premise. */
export const TEST_PARTIES: RemoteParties = Object.freeze({
  acb: eui64('90B3D51F30000002'),
  supplier: eui64('90B3D51F30010000'),
  networkOperator: eui64('90B3D51F30020000'),
});

/** The SMKI issuing authority whose device certificates the CH trusts in CBKE [A: a test identity]. */
export const TEST_ISSUING_AUTHORITY = eui64('90B3D51F30000001');

/** Which devices the premise has; the CH (CHF + GPF) is always there. */
export interface PremiseSpec {
  readonly esme?: boolean;
  readonly gsme?: boolean;
  readonly ppmid?: boolean;
  readonly ihd?: boolean;
  readonly hcalcs?: boolean;
  /**
   * Dual-band CH (2.4 GHz + 868 MHz): its radio reaches further (RADIO_RANGE_M in src/hub/chf-state.ts), which
   * matters to a radio outside the premise (buildAttacker); the HAN's own behaviour is the same [A].
   */
  readonly dualBand?: boolean;
}

export interface BuildOptions {
  /** The premise number: the middle four octets of every EUI-64 here. */
  readonly premise: number;
  /** Seed of install codes (keys come from the key store, seeded the same way by the caller). */
  readonly fleetSeed: string;
  readonly parties?: RemoteParties;
  readonly euiPrefix?: string;
  /** GSME wake interval, ms (default 30 min: domain brief §4.4). */
  readonly gsmeWakeIntervalMs?: number;
  /** CHF Device Log capacity (default the CHF's placeholder, 16). */
  readonly deviceLogCapacity?: number;
  /** What the household consumes and pays on each meter; absent: no demand (registers move only by commands). */
  readonly household?: Household;
}

/** A meter's demand and price (issue 8): what the prepayment engine runs on. */
export interface MeterSupply {
  /** A 'domestic' profile's seed is replaced by one derived from the fleet seed and the meter's EUI-64. */
  readonly profile: ConsumptionProfile;
  readonly tariff: Tariff;
  /**
   * The meter installed on prepayment, as an installer leaves it (a scenario's starting point, e.g. a premise the
   * SM WAN cannot reach, where SR 1.6 could not arrive); absent: credit mode until the commands change it.
   */
  readonly account?: OpeningAccount;
}

/** A meter's prepayment account at installation. Money in 10^-5 £, as the ledger holds it. */
export interface OpeningAccount {
  /** Meter balance the meter starts with (the installer's opening credit) [A]. */
  readonly openingCredit: number;
  readonly emergencyCreditLimit: number;
  /** Emergency credit is offered when the meter balance is at or below this. */
  readonly emergencyCreditThreshold: number;
  readonly lowCreditThreshold: number;
}

export interface Household {
  readonly electricity?: MeterSupply;
  readonly gas?: MeterSupply;
}

/** The meter's own demand: a domestic profile seeded per meter, so premises differ but repeat for a seed. */
function supplyOf(supply: MeterSupply | undefined, fleetSeed: string, meter: Eui64) {
  if (supply === undefined) return undefined;
  const profile =
    supply.profile.kind === 'domestic'
      ? {
          ...supply.profile,
          seed: createHash('sha256').update(`${fleetSeed}:demand:${meter}`).digest().readUInt32BE(0),
        }
      : supply.profile;
  return { profile, tariff: supply.tariff };
}

/** The prepayment fields both meters share that an opening account sets (the ESME's and the GSME's names agree). */
function openingOf(account: OpeningAccount | undefined) {
  if (account === undefined) return undefined;
  return {
    mode: 'prepayment' as const,
    ledger: { ...EMPTY_LEDGER, meterBalance: account.openingCredit },
    emergencyCreditLimit: account.emergencyCreditLimit,
    emergencyCreditThreshold: account.emergencyCreditThreshold,
  };
}

export interface BuiltPremise {
  readonly spec: PremiseSpec;
  readonly chf: Eui64;
  readonly gpf: Eui64;
  readonly esme?: Eui64;
  readonly gsme?: Eui64;
  readonly ppmid?: Eui64;
  readonly ihd?: Eui64;
  readonly hcalcs?: Eui64;
  /** Every actor's initial state: the CHF first, then the GPF, then the HAN devices. */
  readonly members: readonly DeviceCore[];
  /** The HAN devices the CHF must be told about (CCS01), with their CCS01 ZigBee device type. */
  readonly hanDevices: readonly {
    readonly eui: Eui64;
    readonly kind: DeviceKind;
    readonly zigbeeDeviceType: number;
  }[];
}

/** The device kinds a premise whitelists by CCS01, each with its ZigBee device type (src/hub/chf-state.ts). */
type HanKind = DeviceKind & keyof typeof ZIGBEE_DEVICE_TYPE;

export function buildPremise(spec: PremiseSpec, options: BuildOptions): BuiltPremise {
  const parties = options.parties ?? TEST_PARTIES;
  const prefix = options.euiPrefix ?? DEFAULT_EUI_PREFIX;
  const eui = (kind: DeviceKind): Eui64 => premiseEui(options.premise, kind, prefix);
  const chf = eui('CHF');
  const gpf = eui('GPF');
  const base = (kind: DeviceKind) => {
    const id = eui(kind);
    return { eui: id, hub: chf, parties, installCode: derivedInstallCode(options.fleetSeed, id) };
  };
  const esme = spec.esme === true ? eui('ESME') : undefined;
  const gsme = spec.gsme === true ? eui('GSME') : undefined;
  const meters = [esme, gsme].filter((m): m is Eui64 => m !== undefined);
  const members: DeviceCore[] = [
    createChf({
      ...base('CHF'),
      gpf,
      trustedCertificateIssuer: TEST_ISSUING_AUTHORITY,
      ...(options.deviceLogCapacity !== undefined && { deviceLogCapacity: options.deviceLogCapacity }),
      ...(spec.dualBand === true && { dualBand: true }),
    }) satisfies ChfState,
    createGpf({ ...base('GPF'), ...(gsme !== undefined && { gsme }) }),
  ];
  const hanDevices: { eui: Eui64; kind: DeviceKind; zigbeeDeviceType: number }[] = [];
  const add = (kind: HanKind, state: DeviceCore): void => {
    members.push(state);
    hanDevices.push({ eui: state.eui, kind, zigbeeDeviceType: ZIGBEE_DEVICE_TYPE[kind] });
  };
  if (esme !== undefined)
    add(
      'ESME',
      createEsme({
        ...base('ESME'),
        otherMeters: meters.filter((m) => m !== esme),
        ...(options.household?.electricity && {
          prepayment: {
            ...supplyOf(options.household.electricity, options.fleetSeed, esme),
            ...openingOf(options.household.electricity.account),
            ...(options.household.electricity.account && {
              lowCreditThreshold: options.household.electricity.account.lowCreditThreshold,
            }),
          },
        }),
      }) satisfies EsmeState,
    );
  if (gsme !== undefined)
    add(
      'GSME',
      createGsme({
        ...base('GSME'),
        gpf,
        utrnPeers: meters.filter((m) => m !== gsme),
        ...(options.household?.gas && {
          prepayment: {
            ...supplyOf(options.household.gas, options.fleetSeed, gsme),
            ...openingOf(options.household.gas.account),
            ...(options.household.gas.account && {
              lowCreditWarning: options.household.gas.account.lowCreditThreshold,
              paymentControl: PREPAYMENT_PAYMENT_CONTROL,
            }),
          },
        }),
        ...(options.gsmeWakeIntervalMs !== undefined && { wakeIntervalMs: options.gsmeWakeIntervalMs }),
      }) satisfies GsmeState,
    );
  if (spec.ppmid === true) add('PPMID', createPpmid(base('PPMID')));
  if (spec.ihd === true) add('IHD', createIhd(base('IHD')));
  if (spec.hcalcs === true) add('HCALCS', createHcalcs(base('HCALCS')));
  return {
    spec,
    chf,
    gpf,
    ...(esme !== undefined && { esme }),
    ...(gsme !== undefined && { gsme }),
    ...(spec.ppmid === true && { ppmid: eui('PPMID') }),
    ...(spec.ihd === true && { ihd: eui('IHD') }),
    ...(spec.hcalcs === true && { hcalcs: eui('HCALCS') }),
    members,
    hanDevices,
  };
}

/** An HHT for a premise's CH, identified like the premise's devices (role octet A7). */
export function buildHht(options: BuildOptions & { readonly deviceType: number }) {
  const id = premiseEui(options.premise, 'HHT', options.euiPrefix ?? DEFAULT_EUI_PREFIX);
  return createHht({
    eui: id,
    hub: premiseEui(options.premise, 'CHF', options.euiPrefix ?? DEFAULT_EUI_PREFIX),
    parties: options.parties ?? TEST_PARTIES,
    installCode: derivedInstallCode(options.fleetSeed, id),
    certificateIssuer: TEST_ISSUING_AUTHORITY,
    deviceType: options.deviceType,
  });
}

/**
 * A replacement PPMID the supplier posts to the consumer (SECMP0037): not whitelisted by CCS01, it pairs locally over
 * Inter-PAN when switched on (src/devices/ppmid-pairing.ts). Add it with PremiseRunner.addMember, then power it. Its
 * EUI-64 is the premise's PPMID role (A4) unless `eui` names another (a premise that already has a PPMID).
 */
export function buildPostedPpmid(
  options: BuildOptions & { readonly eui?: Eui64; readonly retryMs?: number | null },
): PpmidState {
  const prefix = options.euiPrefix ?? DEFAULT_EUI_PREFIX;
  const id = options.eui ?? premiseEui(options.premise, 'PPMID', prefix);
  return withLocalPairing(
    createPpmid({
      eui: id,
      hub: premiseEui(options.premise, 'CHF', prefix),
      parties: options.parties ?? TEST_PARTIES,
      installCode: derivedInstallCode(options.fleetSeed, id),
    }),
    {
      certificateIssuer: TEST_ISSUING_AUTHORITY,
      ...(options.retryMs !== undefined && { retryMs: options.retryMs }),
    },
  );
}

/** A certificate issuer no CH trusts, named in an attacker's CBKE requests [A: a made-up identity]. */
export const ROGUE_ISSUING_AUTHORITY = eui64('90B3D51F3000BAD0');

/**
 * A hostile radio `distanceM` metres from a premise's CH (src/devices/attacker.ts); add it with
 * PremiseRunner.addMember (a runner delivers frames only between members), then power it to start.
 */
export function buildAttacker(
  options: BuildOptions & Omit<AttackerInit, keyof DeviceInit | 'rogueIssuer'> & { readonly eui?: Eui64 },
): AttackerState {
  const prefix = options.euiPrefix ?? DEFAULT_EUI_PREFIX;
  const hub = premiseEui(options.premise, 'CHF', prefix);
  const id = options.eui ?? premiseEui(options.premise, 'ATTACKER', prefix);
  return createAttacker({
    eui: id,
    hub,
    parties: options.parties ?? TEST_PARTIES,
    installCode: derivedInstallCode(options.fleetSeed, id),
    rogueIssuer: ROGUE_ISSUING_AUTHORITY,
    distanceM: options.distanceM,
    seed: options.seed,
    ...(options.intervalMs !== undefined && { intervalMs: options.intervalMs }),
    ...(options.jitter !== undefined && { jitter: options.jitter }),
    ...(options.mix !== undefined && { mix: options.mix }),
    ...(options.untilMs !== undefined && { untilMs: options.untilMs }),
  });
}

/** The transition function of every actor kind. */
export const PREMISE_ACTORS: ActorRegistry = {
  CHF: anyKind(stepChf),
  GPF: anyKind(stepGpf),
  ESME: anyKind(stepEsme),
  GSME: anyKind(stepGsme),
  PPMID: anyKind(stepPpmid),
  IHD: anyKind(stepIhd),
  HCALCS: anyKind(stepHcalcs),
  HHT: anyKind(stepHht),
  ATTACKER: anyKind(stepAttacker),
};
