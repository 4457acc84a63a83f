// Firmware distributions are durable like every acknowledged request (issue 7 item 3, issue 5 item 4): the image and
// the DSP's tracking are stored with the 11.1 / 11.4 record, so a restart between the I99 and the end of the OTA
// transfer — a graceful close and open, or the process dying (its store closed without Dcc.close) — still ends in the
// CCS08 / CS09 / receipt alert / N60 the Users get without the restart. And a device that does not confirm its image
// by the DSP's deadline (config firmwareDeliveryTimeoutMs [A]) gets N61, in virtual time, across a restart too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDuisResponse, type DuisResponse } from '../../src/codec/duis/response.js';
import type { DuisBodyElement } from '../../src/codec/duis/tree.js';
import { eui64, eui64Hyphenated } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { verifyGbcs } from '../../src/crypto/message-protection.js';
import type { DspConfig } from '../../src/dcc/config.js';
import { Dcc } from '../../src/dcc/dcc.js';
import type { GsmeState } from '../../src/devices/gsme-state.js';
import { campaignImage, firmwareUpdateRequest, testOtaImage } from '../../src/firmware/campaign.js';
import { DEFAULT_OTA_LINK } from '../../src/firmware/ota-timing.js';
import { TEST_PARTIES } from '../../src/premise/build.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

const SUPPLIER = TEST_PARTIES.supplier!;
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A1');
const PPMID = eui64('00DB1234567890A4');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 0, 1);

const dir = mkdtempSync(join(tmpdir(), 'smets-fw-durable-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Pushed {
  readonly atMs: number;
  readonly response: DuisResponse;
}

/** A DCC on a SQLite file whose pushes (signed DUIS) are recorded, parsed, in `pushed`. */
class Site {
  readonly pushed: Pushed[] = [];
  readonly notes: string[] = [];
  readonly path = join(dir, `dcc-${++files}.db`);
  dcc!: Dcc;
  private store!: Store;

  constructor(private readonly config: Partial<DspConfig> = {}) {}

  async open(startMs = START): Promise<this> {
    this.store = await openStore(this.path);
    this.dcc = await Dcc.open({
      store: this.store,
      fleet: 1,
      ota: DEFAULT_OTA_LINK,
      config: this.config,
      startMs,
      receiverUrl: 'http://127.0.0.1:9/smartdcc/duis',
      post: async (_url, xml) => {
        this.pushed.push({ atMs: this.dcc.field.now(), response: parseDuisResponse(parseXml(xml)) });
        return 204;
      },
      onNote: (t) => this.notes.push(t),
    });
    return this;
  }

  /** Restarts on the same file: `kill` abandons the DCC (its store closed, nothing saved by Dcc.close). */
  async restart(kill: boolean): Promise<void> {
    const at = this.dcc.field.now();
    await this.dcc.settle();
    if (kill) await this.dcc.gateway.close();
    else await this.dcc.close();
    await this.store.close();
    await this.open(at);
  }

  async close(): Promise<void> {
    await this.dcc.close();
    await this.store.close();
  }

  async submit(srv: '11.1' | '11.4', counter: bigint, image: Uint8Array, devices = [PPMID]) {
    const xml = firmwareUpdateRequest(srv, this.dcc, SUPPLIER, counter, image, devices, '00000200');
    const outcome = await this.dcc.dsp.submit('D', xml);
    return outcome.kind === 'response' ? outcome.code : outcome.kind;
  }
}

const kids = (e: DuisBodyElement): readonly DuisBodyElement[] => ('children' in e ? e.children : []);
const field = (e: DuisBodyElement, name: string) => {
  const c = kids(e).find((x) => x.name === name);
  return c !== undefined && 'text' in c ? c.text : undefined;
};

/** What the Users got, as comparable lines; every device alert's GBCS verified with the codec and the DCC's keys. */
function summary(site: Site): string[] {
  return site.pushed
    .map(({ response: r }) => {
      const b = r.body;
      if (b?.kind === 'DeviceAlertMessage') {
        const parsed = parseGbcs(b.gbcsPayload);
        const v = verifyGbcs(parsed, site.dcc.protection);
        expect(v.mac === 'valid' || (v.mac === 'none' && v.signature === 'valid')).toBe(true);
        const code = b.alertCode.toString(16).toUpperCase();
        return `device alert ${code} from ${parsed.message.header.originator}`;
      }
      if (b?.kind === 'DCCAlertMessage')
        return (
          `${b.dccAlertCode} ${field(b.dccAlert, 'TargetDeviceID')} ${field(b.dccAlert, 'CommsHubTransferStatus')}` +
          ` for ${field(b.dccAlert, 'UpdateFirmwareRequestID')?.split(':')[2]}`
        );
      return `response ${r.header.responseCode} ${r.header.requestId?.counter}`;
    })
    .sort();
}

/** 11.4 to the PPMID and 11.1 to the ESME (200 kB each), a restart `afterMs` later (or none), then 30 min. */
async function distribute(restart: 'none' | 'close' | 'kill', afterMs: number) {
  const site = await new Site().open();
  try {
    expect(await site.submit('11.4', 500n, campaignImage(200_000, 0x200))).toBe('I99');
    expect(await site.submit('11.1', 501n, testOtaImage(200_000, 0x200, 0x0000, true), [ESME])).toBe('I99');
    await site.dcc.advance(afterMs);
    const before = site.pushed.length;
    if (restart !== 'none') await site.restart(restart === 'kill');
    await site.dcc.advance(30 * MINUTE);
    return {
      before,
      lines: summary(site),
      ppmid: await site.dcc.store.getDevice(PPMID),
      tracked: await site.dcc.store.loadFirmwareTracking(),
      images: (await site.dcc.store.loadFirmwareImages()).length,
    };
  } finally {
    await site.close();
  }
}

describe('a firmware distribution survives a restart between the I99 and the end of the OTA transfer', () => {
  const expected = [
    `N60 ${eui64Hyphenated(ESME)} Success for 501`,
    `device alert 8F72 from ${ESME}`,
    `device alert 8F8A from ${eui64('00DB1234567890A2')}`,
    `device alert 8F8B from ${PPMID}`,
  ].sort();

  it('without a restart: CCS08 0x8F8A and CS09 0x8F8B for the PPMID, the ESME receipt alert and N60', async () => {
    const run = await distribute('none', 40_000);
    expect(run.lines).toEqual(expected);
    expect(run.ppmid?.firmwareVersion).toBe('00000200');
    expect(run.tracked).toEqual([]);
    expect(run.images).toBe(2);
  });

  for (const restart of ['close', 'kill'] as const)
    it(`after a ${restart === 'kill' ? 'kill (store closed, no Dcc.close)' : 'close and open'} mid-transfer: the same alerts, N60 and version`, async () => {
      const run = await distribute(restart, 40_000);
      expect(run.before).toBe(0); // nothing was confirmed before the restart
      expect(run.lines).toEqual(expected);
      expect(run.ppmid?.firmwareVersion).toBe('00000200');
      expect(run.tracked).toEqual([]);
    });
});

describe('N61 when a device does not confirm its image by the deadline (firmwareDeliveryTimeoutMs [A])', () => {
  const isN61For = (p: Pushed, device: string) =>
    p.response.body?.kind === 'DCCAlertMessage' &&
    p.response.body.dccAlertCode === 'N61' &&
    field(p.response.body.dccAlert, 'TargetDeviceID') === device;
  const isN60For = (p: Pushed, device: string) =>
    p.response.body?.kind === 'DCCAlertMessage' &&
    p.response.body.dccAlertCode === 'N60' &&
    field(p.response.body.dccAlert, 'TargetDeviceID') === device;
  const receiptFrom = (p: Pushed, device: string) =>
    p.response.body?.kind === 'DeviceAlertMessage' &&
    p.response.body.alertCode === 0x8f72 &&
    parseGbcs(p.response.body.gbcsPayload).message.header.originator === device;

  it('a GSME still fetching at its deadline gets N61 then; its late receipt alert is pushed and logged, no N60; the ESME that finished gets N60 and no N61', async () => {
    const site = await new Site({ firmwareDeliveryTimeoutMs: HOUR }).open();
    try {
      const t0 = site.dcc.field.now();
      expect(await site.submit('11.1', 600n, testOtaImage(20_000, 0x200, 0x0000, true), [ESME])).toBe('I99');
      expect(await site.submit('11.1', 601n, testOtaImage(400_000, 0x200, 0x0001, true), [GSME])).toBe('I99');
      const gsme = () => site.dcc.runner.actor<GsmeState>(0, GSME);
      for (let i = 0; i < 16 && gsme().heldImage === undefined; i++) await site.dcc.advance(30 * MINUTE);
      await site.dcc.advance(MINUTE);
      expect(gsme().heldImage?.fileVersion).toBe(0x200);
      const n61 = site.pushed.filter((p) => isN61For(p, eui64Hyphenated(GSME)));
      expect(n61).toHaveLength(1);
      expect(n61[0]!.atMs).toBe(t0 + HOUR); // in virtual time, at the deadline
      expect(
        field((n61[0]!.response.body as { dccAlert: DuisBodyElement }).dccAlert, 'CommsHubTransferStatus'),
      ).toBe('Failure');
      const late = site.pushed.filter((p) => receiptFrom(p, GSME));
      expect(late).toHaveLength(1);
      expect(late[0]!.atMs).toBeGreaterThan(t0 + HOUR);
      expect(site.pushed.filter((p) => isN60For(p, eui64Hyphenated(GSME)))).toEqual([]);
      expect(site.notes.some((n) => n.includes(`receipt alert from ${GSME} after its N61`))).toBe(true);
      expect(site.pushed.filter((p) => isN60For(p, eui64Hyphenated(ESME)))).toHaveLength(1);
      expect(site.pushed.filter((p) => isN61For(p, eui64Hyphenated(ESME)))).toEqual([]);
      expect(await site.dcc.store.loadFirmwareTracking()).toEqual([]);
      expect(site.dcc.dsp.firmware!.tracked.size + site.dcc.dsp.firmware!.expired.size).toBe(0);
    } finally {
      await site.close();
    }
  });

  it('the deadline survives a kill: re-armed from the Store, N61 at the same virtual time', async () => {
    const site = await new Site({ firmwareDeliveryTimeoutMs: HOUR }).open();
    try {
      const t0 = site.dcc.field.now();
      expect(await site.submit('11.1', 700n, testOtaImage(400_000, 0x200, 0x0001, true), [GSME])).toBe('I99');
      await site.dcc.advance(MINUTE);
      await site.restart(true);
      expect(site.dcc.dsp.firmware!.tracked.get(GSME)).toMatchObject({
        requestId: expect.stringContaining(':700') as string,
        state: 'tracked',
        deadlineMs: t0 + HOUR,
      });
      await site.dcc.advance(HOUR);
      const n61 = site.pushed.filter((p) => isN61For(p, eui64Hyphenated(GSME)));
      expect(n61.map((p) => p.atMs)).toEqual([t0 + HOUR]);
      expect(await site.dcc.store.loadFirmwareTracking()).toMatchObject([{ device: GSME, state: 'expired' }]);
    } finally {
      await site.close();
    }
  });
});
