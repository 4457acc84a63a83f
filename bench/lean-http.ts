// The load generator's HTTP/1.1 (bench/dcc-client.ts), kept lean the way wrk is: the bench measures the DCC, and on
// a 2-core machine every microsecond the Users' side spends is taken from it. Real HTTP/1.1 on the wire (RFC 9112:
// a request line, headers, a Content-Length body; persistent connections), but only the subset the two ends here
// exchange: the DCC's answers always carry Content-Length, and so do its pushes. Anything else is a clear error.
import { connect, createServer, type Server, type Socket } from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i;

/** One message's head and body located in a buffer, or undefined while incomplete. */
interface Framed {
  head: string;
  bodyStart: number;
  end: number;
}

/** RFC 9112 §6.3: a message ends after Content-Length octets; chunked or unframed messages are not this subset. */
function frame(buffer: Buffer, from: number): Framed | undefined {
  const headerEnd = buffer.indexOf(HEADER_END, from);
  if (headerEnd < 0) return undefined;
  const head = buffer.toString('latin1', from, headerEnd + 2);
  const length = CONTENT_LENGTH.exec(head);
  if (length === null) throw new Error(`lean-http: a message without Content-Length: ${head.slice(0, 80)}`);
  const bodyStart = headerEnd + 4;
  const end = bodyStart + Number(length[1]);
  return end <= buffer.length ? { head, bodyStart, end } : undefined;
}

/** A persistent client connection: one request at a time, each POST answered before the next is written. */
export class LeanHttpConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting:
    { resolve: (r: { status: number; text: string }) => void; reject: (e: Error) => void } | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error): void => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('lean-http: connection closed by the server')));
  }

  static open(url: URL): Promise<LeanHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.off('error', reject);
        resolve(new LeanHttpConnection(socket, url.host));
      });
      socket.once('error', reject);
    });
  }

  post(path: string, body: Buffer): Promise<{ status: number; text: string }> {
    if (this.waiting !== undefined) throw new Error('lean-http: one request at a time on a connection');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      const head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\n\r\n`;
      // One write, one segment: the server reads the request in one piece.
      this.socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let framed: Framed | undefined;
    try {
      framed = frame(this.buffer, 0);
    } catch (e) {
      this.socket.destroy(e as Error);
      return;
    }
    if (framed === undefined) return;
    const w = this.waiting;
    this.waiting = undefined;
    const status = Number(framed.head.slice(9, 12)); // "HTTP/1.1 200 …"
    const text = this.buffer.toString('utf8', framed.bodyStart, framed.end);
    this.buffer = this.buffer.subarray(framed.end);
    w?.resolve({ status, text });
  }
}

/**
 * A receiver that answers every POST with 204 No Content and hands its body to `onMessage`; requests on one
 * connection are answered in order (pipelining included).
 */
export function leanHttpReceiver(onMessage: (body: string) => void): Server {
  return createServer((socket) => {
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let at = 0;
      let answers = 0;
      for (;;) {
        let framed: Framed | undefined;
        try {
          framed = frame(buffer, at);
        } catch {
          socket.end('HTTP/1.1 411 Length Required\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        if (framed === undefined) break;
        onMessage(buffer.toString('utf8', framed.bodyStart, framed.end));
        answers++;
        at = framed.end;
      }
      buffer = buffer.subarray(at);
      if (answers > 0) socket.write('HTTP/1.1 204 No Content\r\n\r\n'.repeat(answers), 'latin1');
    });
    socket.on('error', () => socket.destroy());
  });
}
