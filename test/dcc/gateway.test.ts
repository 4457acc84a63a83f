// The DUIS gateway gives the same verdicts and signatures on the DSP's thread and on worker threads.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDuisRequest } from '../../src/codec/duis/request.js';
import { eui64 } from '../../src/codec/eui64.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import { signDuis, verifyDuis } from '../../src/crypto/xmldsig.js';
import { testCredentials } from '../../src/dcc/dcc.js';
import { InlineGateway, WorkerGateway, type DuisGateway } from '../../src/dcc/gateway.js';
import { answer, responseXml } from '../../src/dcc/responses.js';
import { parseDuisResponse } from '../../src/codec/duis/response.js';
import { parseXml } from '../../src/codec/xml/parse.js';

const DSP = eui64('90B3D51F30000002');
const SUPPLIER = eui64('90B3D51F30010000');
const credentials = testCredentials('gateway-test', DSP);
const options = { certificates: credentials, signer: credentials.signer(DSP)!, maxRequestBytes: 64 * 1024 };
const WORKER_BUILT = existsSync(
  join(import.meta.dirname, '..', '..', 'dist', 'src', 'dcc', 'gateway-worker.js'),
);

const request = serializeXml(
  signDuis(
    buildDuisRequest({
      schemaVersion: '5.4',
      header: {
        requestId: { originator: SUPPLIER, target: eui64('00DB1234567890A0'), counter: 1n },
        commandVariant: 1,
        serviceReference: '4.1',
        serviceReferenceVariant: '4.1.1',
      },
      body: { element: 'ReadInstantaneousImportRegisters', children: [] },
    }),
    credentials.signer(SUPPLIER)!,
  ),
);

const gateways: DuisGateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
});

function suite(name: string, make: () => DuisGateway, skip = false): void {
  describe.skipIf(skip)(name, () => {
    it('accepts a signed request and names its signer, handing on the request without its checked signature', async () => {
      const g = make();
      gateways.push(g);
      const v = await g.check(request);
      expect(v).toMatchObject({ ok: true, signer: SUPPLIER, request: { header: { commandVariant: 1 } } });
      expect(v.ok && 'signature' in v.request).toBe(false);
    });

    it('refuses a tampered, a malformed and an oversized request with their statuses', async () => {
      const g = make();
      gateways.push(g);
      expect(await g.check(request.replace(':1</sr:RequestID>', ':2</sr:RequestID>'))).toMatchObject({
        ok: false,
        status: 401,
      });
      expect(await g.check('<sr:Request')).toMatchObject({ ok: false, status: 400, error: 'malformed-xml' });
      expect(await g.check('x'.repeat(64 * 1024 + 1))).toMatchObject({ ok: false, status: 413 });
    });

    it("signs a response with the DSP's key", async () => {
      const g = make();
      gateways.push(g);
      const signed = await g.sign(request.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''));
      expect(verifyDuis(signed, credentials)).toMatchObject({ valid: true, signer: { eui: DSP } });
    });

    it("renders a DUIS answer and signs it with the DSP's key", async () => {
      const g = make();
      gateways.push(g);
      const response = answer(
        {
          requestId: { originator: SUPPLIER, target: eui64('00DB1234567890A0'), counter: 7n },
          serviceReference: '4.1',
          serviceReferenceVariant: '4.1.1',
        },
        'I99',
        Date.UTC(2026, 0, 1),
      );
      const signed = await g.signResponse(response);
      expect(verifyDuis(signed, credentials)).toMatchObject({ valid: true, signer: { eui: DSP } });
      expect(parseDuisResponse(parseXml(signed)).header).toMatchObject({
        responseCode: 'I99',
        requestId: { counter: 7n },
      });
      // Signed as rendered: the text is the rendering with the signature, as signing that text would give.
      const unsigned = (xml: string) => xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
      expect(unsigned(signed)).toBe(unsigned(signDuis(responseXml(response), credentials.signer(DSP)!)));
    });

    it("pushes a response signed with the DSP's key to a receiver, and answers with its HTTP status", async () => {
      const g = make();
      gateways.push(g);
      const got: { path: string | undefined; type: string | undefined; body: string }[] = [];
      const receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          got.push({
            path: req.url,
            type: req.headers['content-type'],
            body: Buffer.concat(chunks).toString(),
          });
          res.statusCode = got.length === 1 ? 204 : 503;
          res.end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/duis`;
      try {
        const unsigned = request.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
        expect(await g.deliver(url, unsigned)).toBe(204);
        expect(await g.deliver(url, unsigned)).toBe(503);
        expect(got.map((r) => [r.path, r.type])).toEqual([
          ['/duis', 'application/xml'],
          ['/duis', 'application/xml'],
        ]);
        expect(verifyDuis(got[0]!.body, credentials)).toMatchObject({ valid: true, signer: { eui: DSP } });
      } finally {
        await new Promise<void>((r) => receiver.close(() => r()));
      }
    });

    it('refuses a push that no receiver answers, and one it cannot sign', async () => {
      const g = make();
      gateways.push(g);
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/duis`;
      await new Promise<void>((r) => closed.close(() => r()));
      await expect(g.deliver(url, request)).rejects.toThrow(/ECONNREFUSED/);
      await expect(g.deliver(url, '<not-xml')).rejects.toThrow();
    });
  });
}

suite('on the calling thread', () => new InlineGateway(options));
// A worker thread loads JavaScript: the built dist/ (npm test builds first).
suite(
  'on a worker thread',
  () => new WorkerGateway({ ...options, credentials, dsp: DSP, threads: 1 }),
  !WORKER_BUILT,
);

/** The gateway's pool, read for the test only (a private field, same at run time). */
function workersOf(g: WorkerGateway): readonly { worker: Worker; jobs: Set<number> }[] {
  return (g as unknown as { workers: { worker: Worker; jobs: Set<number> }[] }).workers;
}

describe.skipIf(!WORKER_BUILT)('when a worker thread dies', () => {
  it("fails only that worker's jobs, and a fresh worker takes its place", async () => {
    const g = new WorkerGateway({ ...options, credentials, dsp: DSP, threads: 2 });
    gateways.push(g);
    const [first, second] = workersOf(g);
    // One job each (the fewest jobs in hand), then the first worker is killed while still starting, before it
    // can answer.
    const lost = g.check(request);
    const kept = g.check(request);
    expect([first!.jobs.size, second!.jobs.size]).toEqual([1, 1]);
    void first!.worker.terminate();
    await expect(lost).rejects.toThrow(/DUIS gateway worker exited with code \d+; job 0 lost/);
    expect(await kept).toMatchObject({ ok: true, signer: SUPPLIER });

    const replacement = workersOf(g)[0]!;
    expect(replacement.worker).not.toBe(first!.worker);
    expect(workersOf(g)[1]!.worker).toBe(second!.worker);
    // Two at once: one on each worker, the replacement included.
    const later = [g.check(request), g.sign(request)];
    expect(replacement.jobs.size).toBe(1);
    const [verdict, signed] = await Promise.all(later);
    expect(verdict).toMatchObject({ ok: true, signer: SUPPLIER });
    expect(verifyDuis(signed as string, credentials)).toMatchObject({ valid: true, signer: { eui: DSP } });
  });

  it("a worker's 'error' fails the jobs it held, and it is replaced", async () => {
    const g = new WorkerGateway({ ...options, credentials, dsp: DSP, threads: 1 });
    gateways.push(g);
    const [failing] = workersOf(g);
    const lost = g.check(request);
    failing!.worker.emit('error', new Error('boom'));
    await expect(lost).rejects.toThrow(/DUIS gateway worker failed: boom; job \d+ lost/);
    expect(workersOf(g)[0]!.worker).not.toBe(failing!.worker);
    expect(await g.check(request)).toMatchObject({ ok: true, signer: SUPPLIER });
  });

  it('after close, a job is refused rather than left waiting, and no worker is started again', async () => {
    const g = new WorkerGateway({ ...options, credentials, dsp: DSP, threads: 1 });
    const held = g.check(request);
    await g.close();
    await expect(held).rejects.toThrow(/exited/);
    expect(workersOf(g)).toEqual([]);
    await expect(g.check(request)).rejects.toThrow(/closed/);
  });
});
