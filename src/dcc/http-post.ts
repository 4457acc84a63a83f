// Pushing a message to a User's receiver over HTTP(S): POST as application/xml, as DCC Boxed does (delivery.ts).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Sends one message; resolves with the HTTP status, rejects when the receiver cannot be reached. */
export type Post = (url: string, xml: string) => Promise<number>;

/**
 * Real HTTP over kept-alive connections (node:http, lighter than fetch on this hot path), with a timeout so that a
 * stuck receiver cannot hold a message forever.
 */
export function httpPost(timeoutMs = 10_000): Post {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };
  return (url, xml) =>
    new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const agent = agents[target.protocol as keyof typeof agents];
      if (agent === undefined) {
        reject(new Error(`receiver ${url}: only http and https`));
        return;
      }
      const body = Buffer.from(xml);
      const req = send(
        target,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/xml', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`receiver ${url}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}
