// `smets-twin premise`: one premise in virtual time, from nothing. The CH powers up, the ACB whitelists each HAN
// device (CCS01), the devices join the SMHAN, then the supplier reads the ESME's firmware version (ECS52), disables
// and arms its supply (ECS43, ECS44) and the consumer restores it at the meter; the GSME wakes every 30 minutes.
// Prints every GBCS message that crossed the WAN or the HAN, decoded and verified, and the run's trace hash.
import type { DlmsAccessRequest } from '../codec/gbcs/dlms/index.js';
import type { GbcsMessage } from '../codec/gbcs/frame.js';
import { parseGbcs } from '../codec/gbcs/frame.js';
import { formatMessageCode } from '../codec/gbcs/message-codes.js';
import { CRA_NAMES } from '../codec/gbcs/frame.js';
import { invokeIdFor } from '../codec/gbcs/use-cases/chf-device-log.js';
import type { Eui64 } from '../codec/eui64.js';
import { FleetKeyStore } from '../crypto/fleet-keys.js';
import {
  protectionContext,
  sealGbcs,
  verifyGbcs,
  type ProtectionContext,
} from '../crypto/message-protection.js';
import { DEFAULT_POLICY } from '../policy.js';
import { buildPremise, PREMISE_ACTORS, TEST_PARTIES } from '../premise/build.js';
import { installPremise } from '../premise/commission.js';
import { PremiseRunner } from '../premise/runner.js';
import type { Io } from './io.js';

export interface PremiseOptions {
  readonly seed: string;
  readonly hours: string;
  readonly json?: boolean;
}

const MINUTE = 60_000;
const DISCONNECT_CONTROL_SCRIPTS = Uint8Array.of(0, 0, 10, 0, 106, 255);

/** ECS42/43/44: execute the disconnect-control script table entry (51 enable, 52 disable, 54 arm) [O: RTDS 7.1, 7.3]. */
function supplyScript(id: number): DlmsAccessRequest {
  return {
    type: 'access-request',
    invokeIdAndPriority: 0,
    dateTime: null,
    specifications: [{ type: 'action', classId: 9, instanceId: DISCONNECT_CONTROL_SCRIPTS, methodId: 1 }],
    data: [{ type: 'long-unsigned', value: id }],
  };
}

/** ECS52: get the active firmware identifier (class 1, 0-0:0.2.1.255, attribute 2) [O: RTDS 11.2_ECS52]. */
const READ_FIRMWARE: DlmsAccessRequest = {
  type: 'access-request',
  invokeIdAndPriority: 0,
  dateTime: null,
  specifications: [
    { type: 'get', classId: 1, instanceId: Uint8Array.of(0, 0, 0, 2, 1, 255), attributeId: 2 },
  ],
  data: [{ type: 'null-data' }],
};

/** A supplier's command to a meter as the DCC delivers it: signed by the supplier when critical, MACed by the ACB. */
function supplierCommand(
  ctx: ProtectionContext,
  to: Eui64,
  messageCode: number,
  counter: bigint,
  request: DlmsAccessRequest,
  critical: boolean,
): Uint8Array {
  const supplier = TEST_PARTIES.supplier!;
  const message: GbcsMessage = {
    macProtected: true,
    header: {
      cra: 1,
      originatorCounter: counter,
      originator: supplier,
      recipient: to,
      dateTime: null,
      messageCode,
    },
    payload: { kind: 'dlms', dlms: { ...request, invokeIdAndPriority: invokeIdFor(counter) } },
    signature: { kind: 'empty' },
    mac: null,
  };
  return sealGbcs(message, ctx, critical ? ctx.keys.privateKey({ eui: supplier, usage: 'DS' }) : undefined);
}

export function runPremise(io: Io, opts: PremiseOptions): number {
  const hours = Number(opts.hours);
  if (!(hours > 0) || hours > 24 * 365) {
    io.err(`--hours expected a number of virtual hours in (0, 8760], got "${opts.hours}"`);
    return 2;
  }
  const ctx = protectionContext(new FleetKeyStore(opts.seed), TEST_PARTIES.acb);
  const runner = new PremiseRunner({
    seed: 1,
    env: { protection: ctx, policy: DEFAULT_POLICY },
    actors: PREMISE_ACTORS,
    recordMessages: true,
  });
  const built = buildPremise(
    { esme: true, gsme: true, ppmid: true, ihd: true },
    { premise: 0x34567890, fleetSeed: opts.seed },
  );
  const id = runner.addPremise(built.members);
  const start = runner.kernel.now;
  installPremise(runner, id, built, {
    acbCounter: 1_000n,
    userCounter: 1_000n,
    user: TEST_PARTIES.supplier!,
  });
  const esme = built.esme!;
  const at = (minutes: number) => start + minutes * MINUTE - runner.kernel.now;
  const commands: [number, number, DlmsAccessRequest, boolean][] = [
    [15, 0x0059, READ_FIRMWARE, false], // ECS52
    [20, 0x0050, supplyScript(52), true], // ECS43 disable supply
    [25, 0x0051, supplyScript(54), true], // ECS44 arm supply
  ];
  commands.forEach(([minutes, code, request, critical], i) =>
    runner.inject(
      id,
      built.chf,
      { type: 'wan', bytes: supplierCommand(ctx, esme, code, 2_000n + BigInt(i), request, critical) },
      at(minutes),
    ),
  );
  runner.inject(id, esme, { type: 'local', action: { kind: 'restore-supply' } }, at(30));
  runner.kernel.run({ until: start + hours * 60 * MINUTE });

  const names: Record<string, string> = Object.fromEntries(built.members.map((m) => [m.eui, m.kind]));
  const who = (e: string) => (e === 'wan' ? 'WAN' : (names[e] ?? e));
  let invalid = 0;
  const rows = runner.messages.map((m) => {
    const when = new Date(m.atMs).toISOString();
    if (!m.decoded.ok)
      return {
        when,
        leg: m.leg,
        from: who(m.from),
        to: who(m.to),
        what: m.decoded.reason,
        mac: '-',
        signature: '-',
      };
    const h = m.decoded.message.header;
    const v = verifyGbcs(parseGbcs(m.bytes), ctx);
    if (v.mac === 'invalid' || v.signature === 'invalid') invalid++;
    return {
      when,
      leg: m.leg,
      from: who(m.from),
      to: who(m.to),
      what: `${CRA_NAMES[h.cra]} ${formatMessageCode(h.messageCode)} #${h.originatorCounter}`,
      mac: v.mac,
      signature: v.signature,
    };
  });
  const devices = runner.premise(id).members.map((m) => ({
    kind: m.kind,
    eui: m.eui,
    joined: m.hanJoined,
    ...('supply' in m && { supply: m.supply }),
    ...('valve' in m && { valve: m.valve }),
  }));
  const summary = {
    virtualHours: hours,
    events: runner.kernel.dispatched,
    messages: rows.length,
    invalid,
    traceHash: runner.kernel.traceHash(),
  };
  if (opts.json === true) {
    io.out(JSON.stringify({ summary, devices, messages: rows }));
  } else {
    io.out(`One premise (CH + ESME + GSME + PPMID + IHD), fleet seed "${opts.seed}", ${hours} virtual hours`);
    for (const r of rows)
      io.out(
        `${r.when}  ${r.leg.padEnd(7)} ${`${r.from} → ${r.to}`.padEnd(16)} ${r.what}  [MAC ${r.mac}, signature ${r.signature}]`,
      );
    io.out('');
    for (const d of devices)
      io.out(
        `${d.kind.padEnd(6)} ${d.eui} ${d.joined ? 'on the SMHAN' : 'not joined'}${'supply' in d ? `, supply ${d.supply}` : ''}${'valve' in d ? `, valve ${d.valve}` : ''}`,
      );
    io.out(
      `${summary.events} events, ${summary.messages} messages, ${invalid} failing verification; trace hash ${summary.traceHash}`,
    );
  }
  return invalid === 0 ? 0 : 1;
}
