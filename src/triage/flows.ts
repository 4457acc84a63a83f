// The steps of a returned device's life, as Users drive them through the DCC with DUIS: taken out of service (a meter:
// 8.3 and 8.11 Remove; a CH: 8.14.3 / 8.14.4), carried away (the actor leaves its premise), triaged and reset
// (service.ts), installed at a QA premise (8.14.1 for a CH; 8.11 Add with the install code, the join, 8.1.1 for a
// meter) and read; a meter is then removed again (a CH stays installed at its QA premise). A device is carried away
// only when the DCC accepted its removal: a refused step leaves it where it was. Shared by the triage-reuse scenario
// and the tests.
import {
  chfFaultReturn,
  chfInstallSuccessSmWan,
  chfNoFaultReturn,
  updateHanDeviceLog,
} from '../codec/duis/bodies.js';
import { fromHex } from '../codec/bytes.js';
import type { DuisRequestBody } from '../codec/duis/request.js';
import type { Eui64 } from '../codec/eui64.js';
import { eui64Hyphenated } from '../codec/eui64.js';
import type { Dcc } from '../dcc/dcc.js';
import type { DeviceCore } from '../devices/device.js';
import type { Answered, DuisClient } from './duis-client.js';
import type { QaPremise } from './qa.js';

const MINUTE = 60_000;

/** xs:dateTime in UTC, as the DUIS templates write it. */
const formatDuisDateTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const decommissionBody = (device: Eui64): DuisRequestBody => ({
  element: 'DecommissionDevice',
  children: [{ name: 'DeviceID', text: eui64Hyphenated(device) }],
});

export const addToDeviceLogBody = (
  device: Eui64,
  installCode: string,
  joinSeconds = 3_600,
): DuisRequestBody =>
  updateHanDeviceLog.encode({
    deviceId: device,
    requestType: 'Add',
    addDeviceToChfWhitelist: { joinTimePeriod: joinSeconds, installCode: fromHex(installCode) },
  });

export const removeFromDeviceLogBody = (device: Eui64): DuisRequestBody =>
  updateHanDeviceLog.encode({ deviceId: device, requestType: 'Remove' });

export const commissionBody = (nowMs: number): DuisRequestBody => ({
  element: 'CommissionDeviceSynchroniseClock',
  children: [
    { name: 'CurrentDateTime', text: formatDuisDateTime(nowMs) },
    { name: 'TolerancePeriod', text: '60' },
  ],
});

export const readDeviceLogBody: DuisRequestBody = { element: 'ReadDeviceLog', children: [] };

/** 8.14.1: the CH at `mpxn`'s premise works with the SM WAN. */
export const installSuccessBody = (chf: Eui64, mpxn: string, nowMs: number): DuisRequestBody =>
  chfInstallSuccessSmWan.encode({
    deviceId: chf,
    chfInstallType: 'New CHF Install',
    installDateTime: formatDuisDateTime(nowMs),
    mpxn,
    aerialInstall: false,
    chfLocation: 'Indoors on external wall',
  });

/** 8.14.3 (a fault, with `otherDevice` the meter it was connected to) or 8.14.4 (no fault). */
export const returnBody = (chf: Eui64, fault: boolean, otherDevice: Eui64): DuisRequestBody =>
  fault
    ? chfFaultReturn.encode({
        deviceId: chf,
        chfFaultReturnType: 'Fault identified post installation',
        otherDeviceId: otherDevice,
        chfConnectionMethod: 'Hot-shoe',
        chfFaultReason: 'SM WAN Fault',
      })
    : chfNoFaultReturn.encode({ deviceId: chf, chfNoFaultReturnType: 'No Fault Return (general)' });

/** Whether a pushed answer is an I0. */
export const answeredI0 = (a: Answered): boolean => a.pushed?.header.responseCode === 'I0';

/** A return the DCC accepted (the device carried away: its state as it left), or refused (the device left in place). */
export type MeterReturnResult =
  | { readonly ok: true; readonly state: DeviceCore; readonly steps: Answered[] }
  | { readonly ok: false; readonly steps: Answered[] };

export type ChReturnResult =
  | { readonly ok: true; readonly states: DeviceCore[]; readonly step: Answered }
  | { readonly ok: false; readonly step: Answered };

/**
 * A meter taken out of service by its supplier and carried away: 8.3 Decommission Device (I99), then 8.11 Remove
 * (CCS02) on its CHF (I99 and the pushed I0), then the actor leaves the premise. A refused 8.3 stops there (no 8.11);
 * a refused or unanswered 8.11 leaves the meter on the CHF's Device Log: in either case the meter stays at its premise
 * and the answer is { ok: false } with the steps made.
 */
export async function returnMeter(
  dcc: Dcc,
  supplier: DuisClient,
  premise: number,
  chf: Eui64,
  meter: Eui64,
): Promise<MeterReturnResult> {
  const decommission = await supplier.nonDevice('8.3', decommissionBody(meter));
  if (decommission.code !== 'I99') return { ok: false, steps: [decommission] };
  const remove = await supplier.nonCritical('8.11', chf, removeFromDeviceLogBody(meter));
  const steps = [decommission, remove];
  if (remove.code !== 'I99' || !answeredI0(remove)) return { ok: false, steps };
  return { ok: true, state: dcc.runner.removeMember(premise, meter), steps };
}

/**
 * A CH returned (8.14.3 with a fault, 8.14.4 without) and, when the DCC accepted it (I99), carried away: its CHF and
 * GPF leave the premise. A refused return leaves both in place.
 */
export async function returnCh(
  dcc: Dcc,
  supplier: DuisClient,
  premise: number,
  ch: { readonly chf: Eui64; readonly gpf: Eui64 },
  fault: boolean,
  otherDevice: Eui64,
): Promise<ChReturnResult> {
  const step = await supplier.nonDevice(fault ? '8.14.3' : '8.14.4', returnBody(ch.chf, fault, otherDevice));
  if (step.code !== 'I99') return { ok: false, step };
  return {
    ok: true,
    states: [dcc.runner.removeMember(premise, ch.chf), dcc.runner.removeMember(premise, ch.gpf)],
    step,
  };
}

export interface QaInstallation {
  /** 8.14.1 (the CH), 8.11 Add, 8.1.1, then the read of the meter and of the CHF's Device Log. */
  readonly steps: Answered[];
  /** The meter joined the SMHAN by its install code. */
  readonly joined: boolean;
  /** Every step answered (I99 / I0) and the reads pushed an I0. */
  readonly ok: boolean;
}

/**
 * Installs QA premise `qa` as its QA supplier does: 8.14.1 for its CH, 8.11 Add (CCS01 with the meter's install code),
 * the meter powered and joining within the join time, 8.1.1 Commission Device, then a read of the meter (4.1.1 on an
 * ESME) and of the CHF's Device Log (8.9).
 */
export async function installAtQa(dcc: Dcc, qaSupplier: DuisClient, qa: QaPremise): Promise<QaInstallation> {
  const steps: Answered[] = [];
  const ch = await qaSupplier.nonDevice('8.14.1', installSuccessBody(qa.chf, qa.mpxn, dcc.field.now()));
  steps.push(ch);
  const add = await qaSupplier.nonCritical('8.11', qa.chf, addToDeviceLogBody(qa.meter, qa.meterInstallCode));
  steps.push(add);
  dcc.runner.inject(qa.id, qa.meter, { type: 'power', on: true });
  await dcc.advance(MINUTE);
  const joined = dcc.runner.actor(qa.id, qa.meter).hanJoined;
  const commission = await qaSupplier.critical('8.1.1', qa.meter, commissionBody(dcc.field.now()));
  steps.push(commission);
  const read =
    qa.meterKind === 'ESME'
      ? await qaSupplier.nonCritical('4.1.1', qa.meter)
      : await qaSupplier.nonCritical('4.1.1', qa.meter, undefined, 31 * MINUTE);
  steps.push(read);
  const log = await qaSupplier.nonCritical('8.9', qa.chf, readDeviceLogBody);
  steps.push(log);
  const ok =
    ch.code === 'I99' &&
    answeredI0(add) &&
    joined &&
    answeredI0(commission) &&
    answeredI0(read) &&
    answeredI0(log);
  return { steps, joined, ok };
}

/** The meter removed from the QA premise again: 8.3, 8.11 Remove, carried away (as returnMeter: only if accepted). */
export function removeFromQa(dcc: Dcc, qaSupplier: DuisClient, qa: QaPremise): Promise<MeterReturnResult> {
  return returnMeter(dcc, qaSupplier, qa.id, qa.chf, qa.meter);
}
