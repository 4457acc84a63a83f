// The CHF Device Log use cases with fleet keys: CCS01 (add, capacity, already present), CCS02 (remove to the
// historic log), CCS03 (restore), the CS14 alert after each change, and the reads (CCS07, CCS05, ECS52, ECS35d).
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { eui64, eui64FromBytes, type Eui64 } from '../../src/codec/eui64.js';
import type { DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import type { ParsedGbcs } from '../../src/codec/gbcs/frame.js';
import { dlmsDateTimeOrUnspecified } from '../../src/hub/chf-alerts.js';
import { HISTORIC_LOG_CAPACITY } from '../../src/hub/chf-state.js';
import type { ChfState } from '../../src/hub/chf.js';
import { linkKeyFromInstallCode, linkKeyHash } from '../../src/hub/joining.js';
import {
  ACB,
  ccs01,
  ccs02,
  ccs03,
  ccs05,
  ccs07,
  chfAdded,
  CHF,
  ecs35d,
  ecs52,
  env,
  ESME,
  GSME,
  han,
  INSTALL_CODE,
  joinRequest,
  MINUTE,
  notes,
  poweredChf,
  readWan,
  SUPPLIER,
  step,
  T0,
  wan,
  wanOut,
} from '../support/chf-commands.js';

function accessResponse(parsed: ParsedGbcs): { data: DlmsData[]; results: number[] } {
  const { payload } = parsed.message;
  if (payload.kind !== 'dlms' || payload.dlms.type !== 'access-response')
    throw new Error('not an access-response');
  return {
    data: payload.dlms.data,
    results: payload.dlms.responseSpecifications.map((s) =>
      s.type === 'action' ? s.actionResult : s.dataAccessResult,
    ),
  };
}

/** The CS14 alert's Device Log: [device, hashed link key] pairs. */
function cs14Entries(parsed: ParsedGbcs): [Eui64, string][] {
  const { payload, header } = parsed.message;
  expect(header.messageCode).toBe(0x0018);
  if (payload.kind !== 'dlms' || payload.dlms.type !== 'data-notification') throw new Error('not a CS14');
  const body = payload.dlms.notificationBody;
  if (body.type !== 'structure') throw new Error('CS14 body');
  const [code, , log] = body.value;
  expect(code).toEqual({ type: 'long-unsigned', value: 0x8f12 });
  if (log?.type !== 'structure' || log.value[2]?.type !== 'array') throw new Error('CS14 log');
  return log.value[2].value.map((e) => {
    if (e.type !== 'structure' || e.value[0]?.type !== 'octet-string' || e.value[1]?.type !== 'octet-string')
      throw new Error('CS14 entry');
    return [eui64FromBytes(e.value[0].value), toHex(e.value[1].value)];
  });
}

function deviceN(n: number): Eui64 {
  return eui64(`00DB12345678${(0x1000 + n).toString(16).toUpperCase()}`);
}

/** Adds `devices` by CCS01 (counters from `first`), returning the state. */
function addAll(state: ChfState, devices: Eui64[], first = 100n, now = T0): ChfState {
  let s = state;
  devices.forEach((device, i) => {
    s = step(
      s,
      wan(ccs01(env, { counter: first + BigInt(i), device, installCode: INSTALL_CODE[ESME] })),
      now,
      env,
    ).state;
  });
  return s;
}

describe('CCS01 Add Device to CHF Device Log', () => {
  it('answers with a verified response of the RTDS shape and sends a verified CS14 listing the device, hash empty', () => {
    const out = step(poweredChf(env), wan(ccs01(env, { counter: 1302n, device: ESME })), T0, env);
    const [response, alert] = wanOut(out.effects).map((b) => readWan(b, env));
    expect(response!.mac).toBe('valid');
    const h = response!.parsed.message.header;
    expect([h.cra, h.originator, h.recipient, h.originatorCounter]).toEqual([2, CHF, ACB, 1302n]);
    expect([h.supplementaryRemotePartyId, h.supplementaryRemotePartyCounter]).toEqual([SUPPLIER, 1302n]);
    expect(accessResponse(response!.parsed)).toEqual({
      data: [{ type: 'null-data' }, { type: 'null-data' }, { type: 'null-data' }],
      results: [0, 0, 0],
    });
    expect(alert!.mac).toBe('valid');
    expect(alert!.parsed.message.header.recipient).toBe(ACB);
    expect(cs14Entries(alert!.parsed)).toEqual([[ESME, '']]);
    expect(out.state.deviceLog).toMatchObject([
      { device: ESME, deviceType: 0, installCode: INSTALL_CODE[ESME], joined: false, linkKeyHash: '' },
    ]);
    expect(out.state.alertCounter).toBe(2n);
    expect(out.state.securityLog.map((e) => e.code)).toEqual([0x8f12]);
  });

  it('opens joining for join_timeout with a timer named for the device', () => {
    const out = step(
      poweredChf(env),
      wan(ccs01(env, { counter: 1n, device: ESME, joinTimeoutSeconds: 90 })),
      T0,
      env,
    );
    expect(out.state.deviceLog[0]!.joinWindow).toEqual({ untilMs: T0 + 90_000, historicUntilMs: null });
    expect(out.effects).toContainEqual({
      kind: 'timer',
      atMs: T0 + 90_000,
      timer: { name: `join-window:${ESME}`, ref: ESME },
    });
  });

  it('refuses the 17th add on a 16-entry log as Device Log Full and leaves the log unchanged, without CS14', () => {
    const full = addAll(
      poweredChf(env),
      Array.from({ length: 16 }, (_, i) => deviceN(i)),
    );
    expect(full.deviceLog).toHaveLength(16);
    const out = step(full, wan(ccs01(env, { counter: 500n, device: ESME })), T0, env);
    const sent = wanOut(out.effects);
    expect(sent).toHaveLength(1);
    expect(accessResponse(readWan(sent[0]!, env).parsed).results).toEqual([250, 250, 250]);
    expect(out.state.deviceLog).toEqual(full.deviceLog);
    expect(out.state.alertCounter).toBe(full.alertCounter);
    expect(notes(out.effects).join()).toContain('Device Log Full (join failure code 4)');
  });

  it('honours a smaller configured capacity', () => {
    const s = addAll(poweredChf(env, T0, { deviceLogCapacity: 2 }), [deviceN(1), deviceN(2), deviceN(3)]);
    expect(s.deviceLog.map((e) => e.device)).toEqual([deviceN(1), deviceN(2)]);
  });

  it('answers success for a device already present, ignores the new install code and sends no CS14', () => {
    const out = step(
      chfAdded(env),
      wan(ccs01(env, { counter: 2n, device: ESME, installCode: 'FF'.repeat(16) })),
      T0,
      env,
    );
    const sent = wanOut(out.effects);
    expect(sent).toHaveLength(1);
    expect(accessResponse(readWan(sent[0]!, env).parsed).results).toEqual([0, 0, 0]);
    expect(out.state.deviceLog[0]!.installCode).toBe(INSTALL_CODE[ESME]);
  });

  it('answers type-unmatched to a CCS01 whose install code has no ZigBee length, changing nothing', () => {
    const s = poweredChf(env);
    const out = step(s, wan(ccs01(env, { counter: 1n, device: ESME, installCode: 'AABBCC' })), T0, env);
    expect(accessResponse(readWan(wanOut(out.effects)[0]!, env).parsed).results).toEqual([12, 12, 12]);
    expect(out.state.deviceLog).toEqual([]);
  });
});

describe('CCS02 Remove Device and the Historic Device Log', () => {
  const joined = (): ChfState => step(chfAdded(env), han(ESME, joinRequest(ESME)), T0 + 1000, env).state;

  it('removes the device, sends CS14 without it and keeps its link key in the historic log', () => {
    const s = joined();
    const out = step(s, wan(ccs02(env, 2n, ESME)), T0 + MINUTE, env);
    const [response, alert] = wanOut(out.effects).map((b) => readWan(b, env));
    expect(response!.mac).toBe('valid');
    expect(accessResponse(response!.parsed)).toEqual({ data: [{ type: 'null-data' }], results: [0] });
    expect(cs14Entries(alert!.parsed)).toEqual([]);
    expect(out.state.deviceLog).toEqual([]);
    const key = toHex(linkKeyFromInstallCode(fromHex(INSTALL_CODE[ESME]!)));
    expect(out.state.historicLog).toEqual([
      { device: ESME, linkKey: key, linkKeyHash: toHex(linkKeyHash(fromHex(key))) },
    ]);
    expect(out.state.historicLogChangedMs).toBe(T0 + MINUTE);
  });

  it('does not keep a device that never joined, nor an HHT, in the historic log', () => {
    expect(step(chfAdded(env), wan(ccs02(env, 2n, ESME)), T0, env).state.historicLog).toEqual([]);
    const hht = { ...joined(), deviceLog: joined().deviceLog.map((e) => ({ ...e, hht: true as const })) };
    expect(step(hht, wan(ccs02(env, 2n, ESME)), T0, env).state.historicLog).toEqual([]);
  });

  it('answers other-reason for a device not in the log and changes nothing', () => {
    const s = poweredChf(env);
    const out = step(s, wan(ccs02(env, 2n, ESME)), T0, env);
    expect(accessResponse(readWan(wanOut(out.effects)[0]!, env).parsed).results).toEqual([250]);
    expect(out.state.deviceLog).toEqual([]);
    expect(out.state.alertCounter).toBe(s.alertCounter);
  });

  it('keeps at most 15 historic entries, overwriting the oldest', () => {
    const devices = Array.from({ length: HISTORIC_LOG_CAPACITY + 1 }, (_, i) => deviceN(i));
    let s = addAll(poweredChf(env), devices);
    for (const d of devices) {
      s = step(s, han(d, joinRequest(d, INSTALL_CODE[ESME])), T0 + 1000, env).state;
    }
    devices.forEach((d, i) => {
      s = step(s, wan(ccs02(env, 1000n + BigInt(i), d)), T0 + 2000, env).state;
    });
    expect(s.historicLog.map((e) => e.device)).toEqual(devices.slice(1));
  });
});

describe('CCS03 Restore CHF Device Log', () => {
  const hash = 'AB'.repeat(16);

  it('replaces the log by the backup on the restored Extended PAN ID and sends CS14 with the hashes', () => {
    const s = addAll(poweredChf(env), [deviceN(9)], 1n);
    const pan = eui64('0001020304050607');
    const out = step(
      s,
      wan(
        ccs03(env, 2n, pan, [
          { device: ESME, hash: fromHex(hash) },
          { device: GSME, hash: new Uint8Array(0) },
        ]),
      ),
      T0,
      env,
    );
    const [response, alert] = wanOut(out.effects).map((b) => readWan(b, env));
    expect(accessResponse(response!.parsed).results).toEqual([0]);
    expect(cs14Entries(alert!.parsed)).toEqual([
      [ESME, hash],
      [GSME, ''],
    ]);
    expect(out.state.extendedPanId).toBe(pan);
    expect(out.state.deviceLog.map((e) => [e.device, e.joined, e.linkKey])).toEqual([
      [ESME, true, null],
      [GSME, false, null],
    ]);
    expect(out.effects).toContainEqual({ kind: 'cancel-timer', name: `join-window:${deviceN(9)}` });
  });

  it('refuses a backup larger than the Device Log and changes nothing', () => {
    const s = poweredChf(env, T0, { deviceLogCapacity: 1 });
    const out = step(
      s,
      wan(
        ccs03(env, 2n, ESME, [
          { device: ESME, hash: fromHex(hash) },
          { device: GSME, hash: fromHex(hash) },
        ]),
      ),
      T0,
      env,
    );
    expect(accessResponse(readWan(wanOut(out.effects)[0]!, env).parsed).results).toEqual([250]);
    expect({ ...out.state, security: s.security }).toEqual(s);
  });
});

describe('reads', () => {
  it('CCS07 reads the Device Log and the Historic Device Log with their hashes', () => {
    const joined = step(chfAdded(env), han(ESME, joinRequest(ESME)), T0, env).state;
    const removed = step(joined, wan(ccs02(env, 2n, ESME)), T0, env).state;
    const readded = step(
      removed,
      wan(ccs01(env, { counter: 3n, device: GSME, zigbeeDeviceType: 1 })),
      T0,
      env,
    ).state;
    const out = step(readded, wan(ccs07(env, 4n)), T0, env);
    expect(out.state).toEqual(readded);
    const { data, results } = accessResponse(readWan(wanOut(out.effects)[0]!, env).parsed);
    expect(results).toEqual([0, 0]);
    const entries = (d: DlmsData | undefined): [string, string][] => {
      if (d?.type !== 'structure' || d.value[2]?.type !== 'array') throw new Error('log');
      return d.value[2].value.map((e) => {
        if (
          e.type !== 'structure' ||
          e.value[0]?.type !== 'octet-string' ||
          e.value[1]?.type !== 'octet-string'
        )
          throw new Error('entry');
        return [toHex(e.value[0].value), toHex(e.value[1].value)];
      });
    };
    const keyHash = toHex(linkKeyHash(linkKeyFromInstallCode(fromHex(INSTALL_CODE[ESME]!))));
    expect(entries(data[0])).toEqual([[GSME, '']]);
    expect(entries(data[1])).toEqual([[ESME, keyHash]]);
  });

  it('CCS07 reports the hash stored in the historic entry on removal, without hashing the key again', () => {
    const joined = step(chfAdded(env), han(ESME, joinRequest(ESME)), T0, env).state;
    const removed = step(joined, wan(ccs02(env, 2n, ESME)), T0, env).state;
    const key = linkKeyFromInstallCode(fromHex(INSTALL_CODE[ESME]!));
    expect(removed.historicLog[0]!.linkKeyHash).toBe(toHex(linkKeyHash(key)));
    // A stored hash that is not the key's shows that CCS07 reads the stored one.
    const marked: ChfState = {
      ...removed,
      historicLog: [{ ...removed.historicLog[0]!, linkKeyHash: 'AB'.repeat(16) }],
    };
    const { data } = accessResponse(
      readWan(wanOut(step(marked, wan(ccs07(env, 3n)), T0, env).effects)[0]!, env).parsed,
    );
    const historic = data[1];
    if (historic?.type !== 'structure' || historic.value[2]?.type !== 'array')
      throw new Error('historic log');
    const [entry] = historic.value[2].value;
    if (entry?.type !== 'structure' || entry.value[1]?.type !== 'octet-string') throw new Error('entry');
    expect(toHex(entry.value[1].value)).toBe('AB'.repeat(16));
  });

  it('CCS05 lists each Device Log entry as an active device', () => {
    const { data, results } = accessResponse(
      readWan(wanOut(step(chfAdded(env), wan(ccs05(env, 2n)), T0, env).effects)[0]!, env).parsed,
    );
    expect(results).toEqual([0]);
    expect(data[0]?.type === 'array' && data[0].value).toHaveLength(1);
  });

  it('ECS52 reads the CHF firmware version as four octets', () => {
    const s = poweredChf(env, T0, { firmwareVersion: 0x00020304 });
    const { data } = accessResponse(
      readWan(wanOut(step(s, wan(ecs52(env, 1n)), T0, env).effects)[0]!, env).parsed,
    );
    expect(data).toEqual([{ type: 'octet-string', value: Uint8Array.of(0, 2, 3, 4) }]);
  });

  it('ECS35d reads the security log entries within the requested range only', () => {
    const s: ChfState = {
      ...poweredChf(env),
      securityLog: [
        { atMs: Date.UTC(2024, 0, 1), code: 0x8f1e },
        { atMs: Date.UTC(2024, 5, 1), code: 0x8f12 },
      ],
    };
    const from = (Date.UTC(2024, 2, 1) - Date.UTC(2000, 0, 1)) / 1000;
    const out = step(s, wan(ecs35d(env, 1n, from, from + 365 * 86400)), T0, env);
    const { data } = accessResponse(readWan(wanOut(out.effects)[0]!, env).parsed);
    expect(data[0]?.type === 'compact-array' && data[0].value).toEqual([
      {
        type: 'structure',
        value: [
          { type: 'double-long-unsigned', value: (Date.UTC(2024, 5, 1) - Date.UTC(2000, 0, 1)) / 1000 },
          { type: 'long-unsigned', value: 0x8f12 },
        ],
      },
    ]);
  });
});

describe('the not-specified DLMS date-time of a log that never changed', () => {
  it('is a fresh copy each time: changing one payload does not change the next', () => {
    const first = dlmsDateTimeOrUnspecified(null);
    expect(toHex(first)).toBe('FFFFFFFFFFFFFFFFFF8000FF');
    first.fill(0);
    const second = dlmsDateTimeOrUnspecified(null);
    expect(second).not.toBe(first);
    expect(toHex(second)).toBe('FFFFFFFFFFFFFFFFFF8000FF');
  });
});
