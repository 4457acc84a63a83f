// A request acknowledged with I99 is durable (issue 5): the server process is killed (SIGKILL) after the I99 and
// before the device has answered; restarted on the same SQLite file, it finishes the request and pushes the I0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDuisRequest } from '../../src/codec/duis/request.js';
import { parseDuisResponse, type DuisResponse } from '../../src/codec/duis/response.js';
import { eui64 } from '../../src/codec/eui64.js';
import { parseXml } from '../../src/codec/xml/parse.js';
import { serializeXml } from '../../src/codec/xml/serialize.js';
import { signDuis, verifyDuis } from '../../src/crypto/xmldsig.js';
import { testCredentials } from '../../src/dcc/dcc.js';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const SEED = 'durability-test';
const DSP = eui64('90B3D51F30000002');
const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');

let dir: string;
let receiver: Server;
let receiverUrl: string;
const pushed: DuisResponse[] = [];
const credentials = testCredentials(SEED, DSP);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smets-twin-durability-'));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const xml = Buffer.concat(chunks).toString('utf8');
      const verdict = verifyDuis(xml, credentials, { expectedSigner: DSP });
      if (verdict.valid) pushed.push(parseDuisResponse(parseXml(xml)));
      res.statusCode = verdict.valid ? 204 : 400;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/smartdcc/duis`;
});

afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `smets-twin serve` and resolves with its base URL once it listens. */
function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'serve',
      '--port',
      '0',
      '--db',
      join(dir, 'dcc.db'),
      '--receiver',
      receiverUrl,
      '--test-pki',
      '--seed',
      SEED,
      '--wan-latency',
      '3000',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

function readRequest(counter: bigint): string {
  const doc = buildDuisRequest({
    schemaVersion: '5.4',
    header: {
      requestId: { originator: SUPPLIER, target: ESME, counter },
      commandVariant: 1,
      serviceReference: '4.1',
      serviceReferenceVariant: '4.1.1',
    },
    body: { element: 'ReadInstantaneousImportRegisters', children: [] },
  });
  return serializeXml(signDuis(doc, credentials.signer(SUPPLIER)!));
}

/** Stops a server process and waits for it to be gone (at once if it already is). */
async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!existsSync(MAIN))('a request acknowledged with I99 survives a kill of the server', () => {
  it('after SIGKILL and a restart on the same store, the I0 is pushed to the receiver', async () => {
    const first = await startServer();
    let ack;
    try {
      const res = await fetch(`${first.url}/api/v1/serviceS`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: readRequest(7_000n),
      });
      ack = parseDuisResponse(parseXml(await res.text()));
    } finally {
      await stop(first.child, 'SIGKILL');
    }
    expect(ack.header.responseCode).toBe('I99');
    expect(pushed.filter((p) => p.header.requestId?.counter === 7_000n)).toEqual([]);

    const second = await startServer();
    try {
      await until(() => pushed.some((p) => p.header.requestId?.counter === 7_000n), 20_000);
      const i0 = pushed.find((p) => p.header.requestId?.counter === 7_000n)!;
      expect(i0.header.responseCode).toBe('I0');
      expect(i0.body).toMatchObject({ kind: 'ResponseMessage', payload: { kind: 'GBCSPayload' } });
    } finally {
      await stop(second.child, 'SIGTERM');
    }
  }, 60_000);
});
