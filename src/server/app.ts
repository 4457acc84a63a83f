// The DUIS web services on the paths DCC Boxed clients call (domain brief §3.1): POST signed DUIS XML to
// /api/v1/serviceS (Send Command: CV 1, 3, 5, 7), /api/v1/serviceT (Transform: CV 4), /api/v1/serviceD
// (Non-Device: CV 2, 6, 8). A DUIS answer comes back as application/xml with HTTP 200 (I99, I0, E-codes); input
// that never becomes a DUIS request (not XML, schema-invalid, unsigned or wrongly signed, replayed, too large) is
// refused with a 4xx status and a JSON reason, and nothing is stored or sent.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Dcc } from '../dcc/dcc.js';
import type { DuisService, SubmitOutcome } from '../dcc/dsp.js';

const SERVICES: readonly (readonly [string, DuisService])[] = [
  ['/api/v1/serviceS', 'S'],
  ['/api/v1/serviceT', 'T'],
  ['/api/v1/serviceD', 'D'],
];

/** What GET /api/v1/health answers. */
export interface Health {
  readonly status: 'ok';
  readonly premises: number;
  readonly modelTime: string;
  readonly store: string;
}

/** What the web services hand requests to: the DSP on this thread (dccEndpoint), or across threads (front.ts). */
export interface DuisEndpoint {
  /** Largest request body taken (DspConfig.maxRequestBytes); a larger one is refused with 413 unread. */
  readonly maxRequestBytes: number;
  submit(service: DuisService, body: Uint8Array): Promise<SubmitOutcome>;
  health(): Promise<Health>;
}

/** The DCC's DSP, called on this thread. */
export function dccEndpoint(dcc: Dcc): DuisEndpoint {
  return {
    maxRequestBytes: dcc.config.maxRequestBytes,
    submit: (service, body) => dcc.dsp.submit(service, body),
    health: async () => dccHealth(dcc),
  };
}

export function dccHealth(dcc: Dcc): Health {
  return {
    status: 'ok',
    premises: dcc.runner.premiseCount,
    modelTime: new Date(dcc.field.now()).toISOString(),
    store: dcc.store.kind,
  };
}

export function buildServer(endpoint: DuisEndpoint): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: endpoint.maxRequestBytes });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  for (const [path, service] of SERVICES)
    app.post(path, async (req, reply) => {
      // A body comes only through the XML parser; a POST with neither body nor content-type bypasses it.
      if (!(req.body instanceof Uint8Array))
        return reply.code(415).send({
          error: 'unsupported-media-type',
          detail: 'POST signed DUIS XML as application/xml or text/xml',
        });
      const outcome = await endpoint.submit(service, req.body);
      if (outcome.kind === 'response') return reply.code(200).type('application/xml').send(outcome.xml);
      return reply.code(outcome.status).send({ error: outcome.error, detail: outcome.detail });
    });
  app.get('/api/v1/health', () => endpoint.health());
  return app;
}
