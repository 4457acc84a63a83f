// Bringing a built premise up as an installation does (domain brief §4.1): the Communications Hub is powered,
// the DCC's Access Control Broker adds each HAN device to the CHF Device Log (CCS01, SR 8.11, on the supplier's
// behalf), then each device is powered and joins the SMHAN with its install code within join_timeout.
import type { Eui64 } from '../codec/eui64.js';
import { fromHex } from '../codec/bytes.js';
import { addDeviceCommand } from '../codec/gbcs/use-cases/chf-device-log.js';
import { sealGbcs, type ProtectionContext } from '../crypto/message-protection.js';
import type { BuiltPremise } from './build.js';
import type { PremiseRunner } from './runner.js';

export interface InstallOptions {
  /** The ACB's next counter and the supplier's next DUIS counter; each CCS01 takes one of each. */
  readonly acbCounter: bigint;
  readonly userCounter: bigint;
  /** The supplier on whose behalf the ACB adds the devices. */
  readonly user: Eui64;
  /** SR 8.11 JoinTimePeriod, seconds (default 3,600) [A]. */
  readonly joinTimeoutSeconds?: number;
  /** Delay between steps, ms (default 1 s): CH power, each CCS01, then device power. */
  readonly stepMs?: number;
}

/** The sealed CCS01 commands that whitelist every HAN device of `built`, in the order the devices were built. */
export function deviceLogAdditions(
  built: BuiltPremise,
  installCodes: Readonly<Record<string, string>>,
  ctx: ProtectionContext,
  o: InstallOptions,
): { readonly device: Eui64; readonly bytes: Uint8Array }[] {
  return built.hanDevices.map((d, i) => ({
    device: d.eui,
    bytes: sealGbcs(
      addDeviceCommand({
        acb: ctx.acb,
        acbCounter: o.acbCounter + BigInt(i),
        chf: built.chf,
        user: o.user,
        userCounter: o.userCounter + BigInt(i),
        device: d.eui,
        installCode: fromHex(installCodes[d.eui]!),
        zigbeeDeviceType: d.zigbeeDeviceType,
        joinTimeoutSeconds: o.joinTimeoutSeconds ?? 3_600,
      }),
      ctx,
    ),
  }));
}

/**
 * Schedules the installation of premise `id` on the runner: CH power-up now, one CCS01 per HAN device over the WAN,
 * then power to every HAN device. Returns the virtual time by which every step has been injected.
 */
export function installPremise(
  runner: PremiseRunner,
  id: number,
  built: BuiltPremise,
  o: InstallOptions,
): number {
  const step = o.stepMs ?? 1_000;
  const installCodes: Record<string, string> = {};
  for (const m of built.members) installCodes[m.eui] = m.installCode;
  runner.inject(id, built.chf, { type: 'power', on: true });
  const additions = deviceLogAdditions(built, installCodes, runner.env.protection, o);
  additions.forEach((a, i) => runner.inject(id, built.chf, { type: 'wan', bytes: a.bytes }, step * (i + 1)));
  const powerAt = step * (additions.length + 1);
  for (const d of built.hanDevices) runner.inject(id, d.eui, { type: 'power', on: true }, powerAt);
  return runner.kernel.now + powerAt;
}
