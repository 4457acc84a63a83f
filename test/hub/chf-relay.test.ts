// The CHF as relay: WAN → joined device on the HAN, the GSME through its mailbox (with tap-off copies to the GPF),
// HAN → WAN (segmented when long), GBT reassembly from the WAN, and what it drops.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/codec/bytes.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { decodeGbtBlock, encodeGbtBlock, GbtReassembly, segmentGbcs } from '../../src/codec/gbcs/gbt.js';
import type { Eui64 } from '../../src/codec/eui64.js';
import type { ChfState } from '../../src/hub/chf.js';
import { isTapOffMessage } from '../../src/hub/gpf.js';
import {
  ACB,
  ccs01,
  chfAdded,
  CHF,
  deviceMessage,
  ecs52,
  env,
  ESME,
  GPF,
  GSME,
  han,
  hanOut,
  joinRequest,
  notes,
  poweredChf,
  PPMID,
  readWan,
  step,
  SUPPLIER,
  supplierCommand,
  T0,
  wan,
  wanOut,
} from '../support/chf-commands.js';

/** GCS07 Send Message to GSME: a tap-off message; GCS32 Disable Supply (close valve): not one. */
const GCS07 = 0x0071;
const GCS32 = 0x0081;

/** A CHF with the ESME, GSME and PPMID added and joined. */
function premise(): ChfState {
  let s = poweredChf(env);
  const devices: [Eui64, number][] = [
    [ESME, 0],
    [GSME, 1],
    [PPMID, 132],
  ];
  devices.forEach(([device, type], i) => {
    s = step(s, wan(ccs01(env, { counter: BigInt(i + 1), device, zigbeeDeviceType: type })), T0, env).state;
    s = step(s, han(device, joinRequest(device)), T0, env).state;
  });
  expect(s.deviceLog.every((e) => e.joined)).toBe(true);
  return s;
}

describe('WAN → HAN', () => {
  it('sends a command for a joined ESME to it as a han gbcs frame, unchanged', () => {
    const command = supplierCommand(env, { to: ESME, messageCode: 0x0059, counter: 1000n });
    const out = step(premise(), wan(command), T0, env);
    expect(hanOut(out.effects)).toEqual([{ to: ESME, frame: { type: 'gbcs', bytes: command } }]);
    expect(wanOut(out.effects)).toEqual([]);
  });

  it('sends a command for the GPF to the GPF', () => {
    const command = supplierCommand(env, { to: GPF, messageCode: 0x0084, counter: 1000n });
    expect(hanOut(step(premise(), wan(command), T0, env).effects)).toEqual([
      { to: GPF, frame: { type: 'gbcs', bytes: command } },
    ]);
  });

  it('keeps a command for the GSME in its mailbox until the GSME polls', () => {
    const command = supplierCommand(env, { to: GSME, messageCode: GCS32, counter: 1000n });
    const queued = step(premise(), wan(command), T0, env);
    expect(hanOut(queued.effects)).toEqual([]);
    const poll = step(queued.state, han(GSME, { type: 'gsme-poll' }), T0 + 30 * 60_000, env);
    expect(hanOut(poll.effects)).toEqual([
      { to: GSME, frame: { type: 'gsme-mailbox', remaining: 0, bytes: command } },
    ]);
    const again = step(poll.state, han(GSME, { type: 'gsme-poll' }), T0 + 60 * 60_000, env);
    expect(hanOut(again.effects)).toEqual([
      { to: GSME, frame: { type: 'gsme-mailbox', remaining: 0, bytes: null } },
    ]);
    expect(again.state.mailboxes).toEqual([]);
  });

  it('hands out queued messages oldest first, saying how many remain', () => {
    const first = supplierCommand(env, { to: GSME, messageCode: GCS32, counter: 1000n });
    const second = supplierCommand(env, { to: GSME, messageCode: GCS32, counter: 1001n });
    const s = step(step(premise(), wan(first), T0, env).state, wan(second), T0, env).state;
    const poll = step(s, han(GSME, { type: 'gsme-poll' }), T0, env);
    expect(hanOut(poll.effects)[0]!.frame).toEqual({ type: 'gsme-mailbox', remaining: 1, bytes: first });
  });

  it('copies a tap-off command for the GSME to the GPF, and only a tap-off command', () => {
    expect(isTapOffMessage(GCS07)).toBe(true);
    expect(isTapOffMessage(GCS32)).toBe(false);
    const tapOff = supplierCommand(env, { to: GSME, messageCode: GCS07, counter: 1000n });
    expect(hanOut(step(premise(), wan(tapOff), T0, env).effects)).toEqual([
      { to: GPF, frame: { type: 'gbcs', bytes: tapOff } },
    ]);
    const other = supplierCommand(env, { to: GSME, messageCode: GCS32, counter: 1001n });
    expect(hanOut(step(premise(), wan(other), T0, env).effects)).toEqual([]);
  });

  it('drops a full mailbox’s oldest message with the GSME-command-not-retrieved alert (0x819D)', () => {
    let s = premise();
    for (let i = 0; i < 17; i++)
      s = step(
        s,
        wan(supplierCommand(env, { to: GSME, messageCode: GCS32, counter: 1000n + BigInt(i) })),
        T0,
        env,
      ).state;
    expect(s.mailboxes[0]!.messages).toHaveLength(16);
    expect(s.eventLog.map((e) => e.code)).toEqual([0x819d]);
  });

  it('loses the mailbox at power-down (volatile)', () => {
    const command = supplierCommand(env, { to: GSME, messageCode: GCS32, counter: 1000n });
    const queued = step(premise(), wan(command), T0, env).state;
    const off = step(queued, { type: 'power', on: false }, T0, env);
    expect(off.state.mailboxes).toEqual([]);
    expect(off.state.deviceLog).toEqual(queued.deviceLog);
    expect(notes(off.effects).join()).toContain('1 queued GSME messages lost');
  });

  it('drops a message for a device not in the Device Log with a note and the delivery-failure alert', () => {
    const stranger = '00DB1234567890FF' as Eui64;
    const s = premise();
    const out = step(
      s,
      wan(supplierCommand(env, { to: stranger, messageCode: 0x0059, counter: 1000n })),
      T0,
      env,
    );
    expect(hanOut(out.effects)).toEqual([]);
    expect(notes(out.effects).join()).toContain('not in the CHF Device Log');
    const alert = readWan(wanOut(out.effects)[0]!, env);
    expect(alert.mac).toBe('valid');
    expect(alert.parsed.message.header).toMatchObject({
      cra: 3,
      originator: CHF,
      recipient: ACB,
      messageCode: 0x1001,
    });
    expect(out.state.deviceLog).toEqual(s.deviceLog);
  });

  it('drops a message for a device in the log that has not joined yet', () => {
    const out = step(
      chfAdded(env),
      wan(supplierCommand(env, { to: ESME, messageCode: 0x0059, counter: 1000n })),
      T0,
      env,
    );
    expect(hanOut(out.effects)).toEqual([]);
    expect(notes(out.effects).join()).toContain('not joined');
  });
});

describe('GBT from the WAN', () => {
  it('reassembles out-of-order blocks of a command for the CHF and answers the whole message', () => {
    const command = ccs01(env, { counter: 7n, device: ESME });
    const blocks = segmentGbcs(command, { maxBlockOctets: 40 }).map(encodeGbtBlock);
    expect(blocks.length).toBeGreaterThan(3);
    let s = poweredChf(env);
    const order = [1, 0, ...blocks.keys()].filter((v, i, a) => a.indexOf(v) === i);
    let last = step(s, wan(blocks[order[0]!]!), T0, env);
    for (const i of order.slice(1)) {
      s = last.state;
      expect(wanOut(last.effects)).toEqual([]);
      last = step(s, wan(blocks[i]!), T0, env);
    }
    const response = readWan(wanOut(last.effects)[0]!, env);
    expect(response.parsed.message.header).toMatchObject({ cra: 2, originatorCounter: 7n, messageCode: 1 });
    expect(last.state.deviceLog.map((e) => e.device)).toEqual([ESME]);
    expect(last.state.pendingGbt).toEqual([]);
  });

  it('reassembles a command for a device and delivers it whole; duplicates change nothing', () => {
    const command = ecs52(env, 1000n, ESME);
    const blocks = segmentGbcs(command, { maxBlockOctets: Math.ceil(command.length / 3) }).map(
      encodeGbtBlock,
    );
    expect(blocks).toHaveLength(3);
    const [b1, b2, b3] = blocks;
    const s1 = step(premise(), wan(b1!), T0, env).state;
    const dup = step(s1, wan(b1!), T0, env);
    expect(dup.state).toBe(s1);
    const s2 = step(s1, wan(b2!), T0, env).state;
    const out = step(s2, wan(b3!), T0, env);
    expect(hanOut(out.effects)).toEqual([{ to: ESME, frame: { type: 'gbcs', bytes: command } }]);
  });

  it('notes and ignores a malformed GBT block', () => {
    const s = premise();
    const out = step(s, wan(Uint8Array.of(0xdd, 0x09, 0x07)), T0, env);
    expect(out.state).toBe(s);
    expect(notes(out.effects).join()).toContain('malformed GBT block');
  });
});

describe('HAN → WAN', () => {
  it('sends a joined device’s response to the WAN unchanged', () => {
    const response = deviceMessage(env, { from: ESME, to: SUPPLIER, messageCode: 0x0059, counter: 1000n });
    const out = step(premise(), han(ESME, { type: 'gbcs', bytes: response }), T0 + 5000, env);
    expect(wanOut(out.effects)).toEqual([response]);
    expect(out.state.deviceLog.find((e) => e.device === ESME)!.lastHeardMs).toBe(T0 + 5000);
  });

  it('segments a response longer than one GBT block, and the blocks reassemble to it', () => {
    const response = deviceMessage(env, {
      from: ESME,
      to: SUPPLIER,
      messageCode: 0x0059,
      counter: 1000n,
      size: 3000,
    });
    const sent = wanOut(step(premise(), han(ESME, { type: 'gbcs', bytes: response }), T0, env).effects);
    expect(sent.length).toBe(3);
    const blocks = sent.map(decodeGbtBlock);
    const r = new GbtReassembly(blocks[0]!);
    const outcomes = blocks.map((b) => r.add(b));
    const done = outcomes.at(-1)!;
    expect(done.status).toBe('complete');
    expect(done.status === 'complete' && toHex(done.message)).toBe(toHex(response));
  });

  it('passes the GPF’s messages to the WAN', () => {
    const alert = deviceMessage(env, { from: GPF, to: SUPPLIER, messageCode: 0x0084, counter: 5n });
    expect(wanOut(step(premise(), han(GPF, { type: 'gbcs', bytes: alert }), T0, env).effects)).toEqual([
      alert,
    ]);
  });

  it('routes a HAN-only message (PPMID → GSME) to the GSME mailbox, not the WAN', () => {
    const topUp = deviceMessage(env, { from: PPMID, to: GSME, messageCode: 0x009b, counter: 10000n });
    const out = step(premise(), han(PPMID, { type: 'gbcs', bytes: topUp }), T0, env);
    expect(wanOut(out.effects)).toEqual([]);
    expect(out.state.mailboxes).toEqual([{ gsme: GSME, messages: [topUp] }]);
  });

  it('drops messages from a device that has not joined', () => {
    const response = deviceMessage(env, { from: ESME, to: SUPPLIER, messageCode: 0x0059, counter: 1n });
    const out = step(poweredChf(env), han(ESME, { type: 'gbcs', bytes: response }), T0, env);
    expect(wanOut(out.effects)).toEqual([]);
    expect(notes(out.effects).join()).toContain('not a joined device');
  });

  it('ignores a poll from a device that has not joined', () => {
    const out = step(poweredChf(env), han(GSME, { type: 'gsme-poll' }), T0, env);
    expect(hanOut(out.effects)).toEqual([]);
  });

  it('keeps the parsed header of what it relays intact (a relayed response still parses)', () => {
    const response = deviceMessage(env, { from: ESME, to: SUPPLIER, messageCode: 0x0059, counter: 1000n });
    const [sent] = wanOut(step(premise(), han(ESME, { type: 'gbcs', bytes: response }), T0, env).effects);
    expect(parseGbcs(sent!).message.header.originator).toBe(ESME);
  });
});
