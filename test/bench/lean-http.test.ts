// The load generator's lean HTTP/1.1 (bench/lean-http.ts) against node:http at the other end, both ways: what the
// bench measures must be real HTTP that a standard server and client accept.
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpConnection, leanHttpReceiver } from '../../bench/lean-http.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listen(
  server: ReturnType<typeof createServer> | ReturnType<typeof leanHttpReceiver>,
): Promise<number> {
  closers.push(() => server.close());
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('LeanHttpConnection', () => {
  it('posts requests one after another on one kept-alive connection to a node:http server', async () => {
    const sockets = new Set<unknown>();
    const server = createServer((req, res) => {
      sockets.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString('utf8')} é`));
    });
    const port = await listen(server);
    const connection = await LeanHttpConnection.open(new URL(`http://127.0.0.1:${port}/api/v1/serviceS`));
    closers.push(() => connection.close());
    expect(await connection.post('/api/v1/serviceS', Buffer.from('<a/>'))).toEqual({
      status: 200,
      text: 'POST /api/v1/serviceS <a/> é',
    });
    expect((await connection.post('/x', Buffer.from('second'))).text).toBe('POST /x second é');
    expect(sockets.size).toBe(1);
  });

  it('rejects when the server closes the connection instead of answering', async () => {
    const server = createServer((req) => req.socket.destroy());
    const port = await listen(server);
    const connection = await LeanHttpConnection.open(new URL(`http://127.0.0.1:${port}/`));
    await expect(connection.post('/', Buffer.from('x'))).rejects.toThrow(/closed/);
  });
});

describe('leanHttpReceiver', () => {
  function post(port: number, body: string, agent: Agent, chunked = false): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/',
          agent,
          headers: chunked
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers 204 to each POST from node:http and hands over each body, on a kept-alive connection', async () => {
    const got: string[] = [];
    const port = await listen(leanHttpReceiver((body) => got.push(body)));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(() => agent.destroy());
    const statuses = await Promise.all(
      ['<one/>', '<two>é</two>', '<three/>'].map((b) => post(port, b, agent)),
    );
    expect(statuses).toEqual([204, 204, 204]);
    expect(got).toEqual(['<one/>', '<two>é</two>', '<three/>']);
  });

  it('refuses a body without Content-Length (chunked) with 411 and takes nothing', async () => {
    const got: string[] = [];
    const port = await listen(leanHttpReceiver((body) => got.push(body)));
    const agent = new Agent({ keepAlive: false });
    expect(await post(port, '<chunked/>', agent, true)).toBe(411);
    expect(got).toEqual([]);
  });
});
