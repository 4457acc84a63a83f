// The CHF against RTDS 4.5.0, read in place: given the RTDS commands and the RTDS keystore (whose ACB private key
// makes the CHF's MACs computable), its responses and its CS14 alert are the RTDS bytes exactly; where RTDS values
// come from a state the twin cannot reproduce (radio figures, arbitrary hashes), the DLMS shape is compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/codec/bytes.js';
import { eui64 } from '../../src/codec/eui64.js';
import type { DlmsData } from '../../src/codec/gbcs/dlms/index.js';
import { encodeGbcs, parseGbcs, type GbcsMessage } from '../../src/codec/gbcs/frame.js';
import { loadKeyStoreFolder } from '../../src/crypto/keystore-folder.js';
import { macGbcs, protectionContext } from '../../src/crypto/message-protection.js';
import type { ActorEnv } from '../../src/devices/types.js';
import { deviceLogChanged } from '../../src/hub/chf-alerts.js';
import { stepChf, type ChfDeviceLogEntry, type ChfState } from '../../src/hub/chf.js';
import { linkKeyHash } from '../../src/hub/joining.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { ACB, CHF, ESME, GSME, newChf, SUPPLIER, wanOut } from '../support/chf-commands.js';
import { HAVE_VECTORS, RTDS_DIR, RTDS_KEYSTORE_DIR } from '../vectors.js';

function rtds(folder: string, file: string): Uint8Array {
  return fromHex(readFileSync(join(RTDS_DIR, folder, file), 'utf8'));
}

/** The hashed link key of a historic entry, hex. */
function hashOf(linkKey: string): string {
  return toHex(linkKeyHash(fromHex(linkKey)));
}

/** The type skeleton of a DLMS value: types, octet-string lengths, element shapes (a compact array's row type). */
function shape(d: DlmsData): unknown {
  switch (d.type) {
    case 'array':
    case 'structure':
      return { [d.type]: d.value.map(shape) };
    case 'compact-array':
      return { 'compact-array': d.contentsDescription, empty: d.value.length === 0 };
    case 'octet-string':
      return `octet-string(${d.value.length})`;
    default:
      return d.type;
  }
}

function responseShape(bytes: Uint8Array): unknown {
  const { message } = parseGbcs(bytes);
  if (message.payload.kind !== 'dlms' || message.payload.dlms.type !== 'access-response')
    return message.payload;
  const r = message.payload.dlms;
  return {
    code: message.header.messageCode,
    cra: message.header.cra,
    srp: message.header.supplementaryRemotePartyId,
    data: r.data.map(shape),
    results: r.responseSpecifications.map((s) => s.type),
  };
}

function resultsOf(bytes: Uint8Array): number[] {
  const { payload } = parseGbcs(bytes).message;
  if (payload.kind !== 'dlms' || payload.dlms.type !== 'access-response') return [];
  return payload.dlms.responseSpecifications.map((s) =>
    s.type === 'action' ? s.actionResult : s.dataAccessResult,
  );
}

const T = Date.UTC(2015, 0, 1);
/** Inside the range RTDS ECS35c/d read: ZigBee UTC 473299200..473331600 = 2014-12-31 00:00..09:00. */
const IN_RANGE = Date.UTC(2014, 11, 31, 1);

function joinedEntry(device: typeof ESME, hash: string): ChfDeviceLogEntry {
  return {
    device,
    deviceType: device === GSME ? 1 : 0,
    installCode: null,
    linkKey: null,
    linkKeyHash: hash,
    joined: true,
    joinWindow: null,
    lastHeardMs: T,
  };
}

describe.skipIf(!HAVE_VECTORS)('CHF responses against RTDS 4.5.0', () => {
  const env: ActorEnv = HAVE_VECTORS
    ? { protection: protectionContext(loadKeyStoreFolder(RTDS_KEYSTORE_DIR), ACB), policy: DEFAULT_POLICY }
    : (undefined as never);
  const powered = (s: ChfState): ChfState => stepChf(s, { type: 'power', on: true }, T, env).state;
  const respond = (s: ChfState, command: Uint8Array) => stepChf(s, { type: 'wan', bytes: command }, T, env);

  it('answers the RTDS CCS01 success command with the RTDS response, byte for byte, then sends CS14', () => {
    const out = respond(powered(newChf()), rtds('8.11_CCS01', 'CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX'));
    const [response, cs14] = wanOut(out.effects);
    expect(toHex(response!)).toBe(toHex(rtds('8.11_CCS01', 'CCS01_8.11_SUCCESS_RESPONSE_GBCS.HEX')));
    expect(parseGbcs(cs14!).message.header.messageCode).toBe(0x0018);
    expect(out.state.deviceLog.map((e) => e.device)).toEqual([ESME]);
  });

  it('answers the RTDS CCS02 success command with the RTDS response, byte for byte', () => {
    const s = { ...powered(newChf()), deviceLog: [joinedEntry(ESME, '')] };
    const out = respond(s, rtds('8.11_CCS02', 'CCS02_8.11_SUCCESS_COMMAND_GBCS.HEX'));
    expect(toHex(wanOut(out.effects)[0]!)).toBe(
      toHex(rtds('8.11_CCS02', 'CCS02_8.11_SUCCESS_RESPONSE_GBCS.HEX')),
    );
    expect(out.state.deviceLog).toEqual([]);
  });

  it('answers the RTDS CCS03 success command with the RTDS response, byte for byte, and adopts its PAN', () => {
    const out = respond(powered(newChf()), rtds('8.12.1_CCS03', 'CCS03_8.12.1_SUCCESS_COMMAND_GBCS.HEX'));
    expect(toHex(wanOut(out.effects)[0]!)).toBe(
      toHex(rtds('8.12.1_CCS03', 'CCS03_8.12.1_SUCCESS_RESPONSE_GBCS.HEX')),
    );
    expect(out.state.extendedPanId).toBe('0000000000000140');
    expect(out.state.deviceLog.map((e) => [e.device, e.linkKeyHash])).toEqual([
      [ESME, '83FED3407A939723A5C639B26916D506'],
      [GSME, '83FED3407A939723A5C639B26916D505'],
    ]);
  });

  it('builds the RTDS CS14 alert byte for byte from the same Device Log, counter and time', () => {
    const s: ChfState = {
      ...powered(newChf({ extendedPanId: eui64('0001020304050607') })),
      alertCounter: 4000n,
      deviceLog: [
        joinedEntry(ESME, '83FED3407A939723A5C639B26916D506'),
        joinedEntry(GSME, '83FED3407A939723A5C639B26916D505'),
      ],
    };
    const out = deviceLogChanged(s, T, env);
    expect(toHex(wanOut(out.effects)[0]!)).toBe(toHex(rtds('NA_CS14', 'CS14_NA_8F12_ALERT_GBCS.HEX')));
  });

  it('answers the RTDS CCS07 command in the RTDS shape: both logs, each {time, PAN, entries}', () => {
    const s: ChfState = {
      ...powered(newChf()),
      deviceLog: [joinedEntry(ESME, '11'.repeat(16)), joinedEntry(GSME, '22'.repeat(16))],
      historicLog: [
        { device: eui64('00DB1234567890A3'), linkKey: '33'.repeat(16), linkKeyHash: hashOf('33'.repeat(16)) },
        { device: eui64('00DB1234567890A4'), linkKey: '44'.repeat(16), linkKeyHash: hashOf('44'.repeat(16)) },
      ],
      deviceLogChangedMs: T,
      historicLogChangedMs: T,
    };
    const out = respond(s, rtds('8.9_CCS07', 'CCS07_8.9_SUCCESS_COMMAND_GBCS.HEX'));
    const response = wanOut(out.effects)[0]!;
    expect(responseShape(response)).toEqual(
      responseShape(rtds('8.9_CCS07', 'CCS07_8.9_SUCCESS_RESPONSE_GBCS.HEX')),
    );
    expect(resultsOf(response)).toEqual([0, 0]);
  });

  it('answers the RTDS CCS05CCS04 command in the RTDS shape: fourteen fields per active device', () => {
    const s = { ...powered(newChf()), deviceLog: [joinedEntry(ESME, ''), joinedEntry(GSME, '')] };
    const out = respond(s, rtds('8.9_CCS05CCS04', 'CCS05CCS04_8.9_SUCCESS_COMMAND_GBCS.HEX'));
    expect(responseShape(wanOut(out.effects)[0]!)).toEqual(
      responseShape(rtds('8.9_CCS05CCS04', 'CCS05CCS04_8.9_SUCCESS_RESPONSE_GBCS.HEX')),
    );
  });

  it('answers the RTDS ECS35d command in the RTDS shape: a compact array of {time, code}', () => {
    const s = { ...powered(newChf()), securityLog: [{ atMs: IN_RANGE, code: 0x8f12 }] };
    const out = respond(s, rtds('6.13_ECS35d', 'ECS35d_6.13_SUCCESS_COMMAND_GBCS.HEX'));
    expect(responseShape(wanOut(out.effects)[0]!)).toEqual(
      responseShape(rtds('6.13_ECS35d', 'ECS35d_6.13_SUCCESS_RESPONSE_GBCS.HEX')),
    );
  });

  it('answers the RTDS ECS35c command in the RTDS shape: a compact array of {time, code, message code}', () => {
    const s = { ...powered(newChf()), eventLog: [{ atMs: IN_RANGE, code: 0x8f84 }] };
    const out = respond(s, rtds('6.13_ECS35c', 'ECS35c_6.13_SUCCESS_COMMAND_GBCS.HEX'));
    expect(responseShape(wanOut(out.effects)[0]!)).toEqual(
      responseShape(rtds('6.13_ECS35c', 'ECS35c_6.13_SUCCESS_RESPONSE_GBCS.HEX')),
    );
  });

  it('answers ECS52 addressed to the CHF in the shape of the RTDS ECS52 response: a 4-octet version', () => {
    const expected = responseShape(rtds('11.2_ECS52', 'ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX')) as object;
    // RTDS addresses ECS52 to the ESME from the supplier; for the CHF the ACB sends the same request.
    const command = parseGbcs(rtds('11.2_ECS52', 'ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX')).message;
    const out = respond(powered(newChf({ firmwareVersion: 0x0123abcd })), reseal(command, env));
    const response = wanOut(out.effects)[0]!;
    expect(responseShape(response)).toEqual({ ...expected, srp: '90B3D51F30010000' });
    const { payload } = parseGbcs(response).message;
    expect(
      payload.kind === 'dlms' && payload.dlms.type === 'access-response' && payload.dlms.data[0],
    ).toEqual({
      type: 'octet-string',
      value: Uint8Array.of(0x01, 0x23, 0xab, 0xcd),
    });
  });
});

/** The RTDS ECS52 request re-addressed from the ACB to the CHF on the supplier's behalf, MACed afresh. */
function reseal(command: GbcsMessage, env: ActorEnv): Uint8Array {
  return encodeGbcs(
    macGbcs(
      {
        ...command,
        header: {
          ...command.header,
          originator: ACB,
          recipient: CHF,
          supplementaryRemotePartyId: SUPPLIER,
          supplementaryRemotePartyCounter: command.header.originatorCounter,
        },
      },
      env.protection,
    ),
  );
}
