// The DSP's DUIS gateway: the stateless, CPU-heavy edges of the service — a request's size, XML, schema and
// signature checks on the way in, the DSP's XML signature on every response on the way out, and the push of signed
// responses and alerts to the Users' receivers. InlineGateway does it on the calling thread; WorkerGateway spreads it
// over worker threads (gateway-worker.ts), leaving the DSP's own thread to the stateful pipeline (ARCHITECTURE
// principle 6: each signature checked once, where the DSP checks it).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import { DuisError } from '../codec/duis/common.js';
import { parseDuisRequest, type DuisRequest } from '../codec/duis/request.js';
import { buildDuisResponse, type DuisResponse } from '../codec/duis/response.js';
import { DuisSchema } from '../codec/duis/schema/index.js';
import type { Eui64 } from '../codec/eui64.js';
import { parseXml } from '../codec/xml/parse.js';
import { XmlError, type XmlDocument } from '../codec/xml/types.js';
import type {
  XmlSigner,
  XmlSigningCertificateLookup,
  XmlSigningCredential,
} from '../crypto/xmldsig-credentials.js';
import { XmlSigningCredentials } from '../crypto/xmldsig-credentials.js';
import { signDuisText, verifyDuis } from '../crypto/xmldsig.js';
import { httpPost, type Post } from './http-post.js';

/** A request that passed the gateway, or why it never became one (HTTP status, error name, detail). */
export type GatewayVerdict =
  | { readonly ok: true; readonly request: Omit<DuisRequest, 'signature'>; readonly signer: Eui64 }
  | { readonly ok: false; readonly status: 400 | 401 | 413; readonly error: string; readonly detail: string };

export interface DuisGateway {
  /** Checks a request as received. */
  check(input: string | Uint8Array): Promise<GatewayVerdict>;
  /** Signs a response (DUIS XML text, unsigned) with the DSP's key. */
  sign(xml: string): Promise<string>;
  /** Renders a synchronous answer (I99, a LocalCommand, an E-code) as DUIS XML and signs it with the DSP's key. */
  signResponse(response: DuisResponse): Promise<string>;
  /**
   * Signs a response or alert and pushes it to a User's receiver (delivery.ts): resolves with the receiver's HTTP
   * status; rejects when signing failed or the receiver could not be reached.
   */
  deliver(url: string, xml: string): Promise<number>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  readonly certificates: XmlSigningCertificateLookup;
  readonly signer: XmlSigner;
  /** Path of the DUIS XSD; absent: the request grammar only. */
  readonly schemaPath?: string;
  readonly maxRequestBytes: number;
}

/** The checks, in order: size, XML, schema, DUIS request grammar, XML signature (the signer is the User). */
export function checkRequest(
  input: string | Uint8Array,
  o: { certificates: XmlSigningCertificateLookup; schema?: DuisSchema; maxRequestBytes: number },
): GatewayVerdict {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > o.maxRequestBytes)
    return refusal(413, 'request-too-large', `${size} bytes; the limit is ${o.maxRequestBytes}`);
  let doc: XmlDocument;
  try {
    doc = parseXml(input);
  } catch (e) {
    if (e instanceof XmlError) return refusal(400, 'malformed-xml', e.message);
    throw e;
  }
  if (o.schema !== undefined) {
    const v = o.schema.validate(doc);
    if (!v.valid)
      return refusal(
        400,
        'schema-invalid',
        v.errors
          .slice(0, 3)
          .map((e) => `${e.path}: ${e.message}`)
          .join('; '),
      );
  }
  let request: DuisRequest;
  try {
    request = parseDuisRequest(doc);
  } catch (e) {
    if (e instanceof DuisError) return refusal(400, 'invalid-request', e.message);
    throw e;
  }
  const verdict = verifyDuis(doc, o.certificates);
  if (!verdict.valid) return refusal(401, `signature-${verdict.reason}`, verdict.detail);
  // The DSP needs the request, not its ds:Signature (checked here): copying that tree to the DSP's thread cost it
  // more (≈ 50 µs) than the rest of the verdict.
  const { signature: _checked, ...checked } = request;
  return { ok: true, request: checked, signer: verdict.signer.eui };
}

/** A DUIS response rendered as a tree and signed as it stands: no text to parse back (responseXml's rendering). */
export function signedResponse(response: DuisResponse, signer: XmlSigner): string {
  return signDuisText(buildDuisResponse(response), signer);
}

function refusal(status: 400 | 401 | 413, error: string, detail: string): GatewayVerdict {
  return { ok: false, status, error, detail };
}

/** The gateway on the calling thread. */
export class InlineGateway implements DuisGateway {
  private readonly schema: DuisSchema | undefined;
  /** Kept-alive connections to the receivers, opened on the first push. */
  private post: Post | undefined;

  constructor(private readonly o: GatewayOptions) {
    this.schema = o.schemaPath === undefined ? undefined : DuisSchema.load(o.schemaPath);
  }

  async check(input: string | Uint8Array): Promise<GatewayVerdict> {
    return checkRequest(input, {
      certificates: this.o.certificates,
      ...(this.schema !== undefined && { schema: this.schema }),
      maxRequestBytes: this.o.maxRequestBytes,
    });
  }

  async sign(xml: string): Promise<string> {
    return signDuisText(xml, this.o.signer);
  }

  async signResponse(response: DuisResponse): Promise<string> {
    return signedResponse(response, this.o.signer);
  }

  async deliver(url: string, xml: string): Promise<number> {
    this.post ??= httpPost();
    return this.post(url, signDuisText(xml, this.o.signer));
  }

  async close(): Promise<void> {}
}

/** What a worker is given: the credentials (KeyObjects travel), the DSP's signer, the XSD path. */
export interface GatewayWorkerData {
  readonly credentials: readonly { readonly credential: XmlSigningCredential; readonly signer: boolean }[];
  readonly dsp: Eui64;
  readonly schemaPath?: string;
  readonly maxRequestBytes: number;
}

/** What a worker is given, from the DCC's credentials: KeyObjects travel to worker threads as they are. */
export function gatewayWorkerData(o: {
  readonly credentials: XmlSigningCredentials;
  readonly dsp: Eui64;
  readonly schemaPath?: string;
  readonly maxRequestBytes: number;
}): GatewayWorkerData {
  return {
    credentials: [...o.credentials].map((credential) => ({
      credential,
      signer: o.credentials.isSigner(credential),
    })),
    dsp: o.dsp,
    ...(o.schemaPath !== undefined && { schemaPath: o.schemaPath }),
    maxRequestBytes: o.maxRequestBytes,
  };
}

/** In a worker thread: the checks' and the DSP signer's material from what it was given. */
export function workerCheckOptions(data: GatewayWorkerData) {
  const credentials = new XmlSigningCredentials();
  for (const c of data.credentials) credentials.adopt(c.credential, c.signer);
  const schema = data.schemaPath === undefined ? undefined : DuisSchema.load(data.schemaPath);
  return {
    certificates: credentials,
    ...(schema !== undefined && { schema }),
    maxRequestBytes: data.maxRequestBytes,
    signer: credentials.signer(data.dsp),
    dsp: data.dsp,
  };
}

/** One piece of work for a worker. */
export type Job =
  | { readonly id: number; readonly kind: 'check'; readonly input: string | Uint8Array }
  | { readonly id: number; readonly kind: 'sign'; readonly xml: string }
  | { readonly id: number; readonly kind: 'sign-response'; readonly response: DuisResponse }
  | { readonly id: number; readonly kind: 'deliver'; readonly url: string; readonly xml: string };

/** What a worker answers for each job of a batch. */
export interface JobResult {
  readonly id: number;
  readonly ok: boolean;
  readonly value: unknown;
}

/** Runs one job on a worker: checks and signatures at once, a delivery when its receiver answers. */
export function runJob(
  job: Job,
  o: Parameters<typeof checkRequest>[1] & { signer: XmlSigner | undefined; dsp: Eui64; post: Post },
): JobResult | Promise<JobResult> {
  try {
    if (job.kind === 'check') return { id: job.id, ok: true, value: checkRequest(job.input, o) };
    if (o.signer === undefined) throw new Error(`no XML signing key for the DSP ${o.dsp}`);
    if (job.kind === 'sign') return { id: job.id, ok: true, value: signDuisText(job.xml, o.signer) };
    if (job.kind === 'sign-response')
      return { id: job.id, ok: true, value: signedResponse(job.response, o.signer) };
    // The push itself runs here too: the DSP's thread never handles the receiver's connection.
    return o.post(job.url, signDuisText(job.xml, o.signer)).then(
      (status): JobResult => ({ id: job.id, ok: true, value: status }),
      (e: unknown): JobResult => ({ id: job.id, ok: false, value: (e as Error).message }),
    );
  } catch (e) {
    return { id: job.id, ok: false, value: (e as Error).message };
  }
}

/**
 * Worker threads the gateway gets by default: one per core but the DSP's, and never fewer than two. The DSP hands its
 * jobs over a turn of its event loop at a time, so they arrive in bursts; with one worker a burst waits on one thread
 * while the other core may idle, and on a 2-core machine two workers keep the cores busier (bench:dcc: 1.62 cores
 * used against 1.53, at the same CPU time per request).
 */
export function defaultGatewayThreads(): number {
  return Math.max(2, availableParallelism() - 1);
}

/** A worker and the jobs it holds (given to it, not yet answered), of which `outbox` is not yet posted. */
interface Slot {
  readonly worker: Worker;
  readonly jobs: Set<number>;
  outbox: Job[];
}

/**
 * The gateway over worker threads: each job goes to the worker with the fewest jobs in hand. A worker that fails or
 * exits fails only the jobs it held and is replaced by a fresh one, so no job waits on a dead worker.
 *
 * Jobs go to a worker in batches: the jobs given to it in one turn of the event loop are posted together
 * (setImmediate), as each message wakes a sleeping thread, and on a machine with few cores the waker often loses its
 * core to the woken. The worker answers each job as soon as it is done, those finishing a request first
 * (gateway-worker.ts).
 */
export class WorkerGateway implements DuisGateway {
  private readonly workers: Slot[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  private readonly data: GatewayWorkerData;
  private nextId = 0;
  private closed = false;
  private flushing = false;

  constructor(
    o: GatewayOptions & {
      readonly credentials: XmlSigningCredentials;
      readonly dsp: Eui64;
      readonly threads?: number;
    },
  ) {
    const threads = o.threads ?? defaultGatewayThreads();
    this.data = gatewayWorkerData(o);
    for (let i = 0; i < threads; i++) this.workers.push(this.spawn());
  }

  check(input: string | Uint8Array): Promise<GatewayVerdict> {
    return this.run({ id: this.nextId++, kind: 'check', input }) as Promise<GatewayVerdict>;
  }

  sign(xml: string): Promise<string> {
    return this.run({ id: this.nextId++, kind: 'sign', xml }) as Promise<string>;
  }

  signResponse(response: DuisResponse): Promise<string> {
    return this.run({ id: this.nextId++, kind: 'sign-response', response }) as Promise<string>;
  }

  deliver(url: string, xml: string): Promise<number> {
    return this.run({ id: this.nextId++, kind: 'deliver', url, xml }) as Promise<number>;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: new Worker(workerScript('dcc/gateway-worker.js', import.meta.url), { workerData: this.data }),
      jobs: new Set(),
      outbox: [],
    };
    slot.worker.on('message', (results: readonly JobResult[]) => {
      for (const m of results) {
        slot.jobs.delete(m.id);
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(new Error(String(m.value)));
      }
    });
    // 'error' is followed by 'exit'; whichever comes first retires the worker.
    slot.worker.on('error', (e) => this.retire(slot, `failed: ${e.message}`));
    slot.worker.on('exit', (code) => this.retire(slot, `exited with code ${code}`));
    slot.worker.unref();
    return slot;
  }

  /** A worker is gone: its jobs fail, and (unless the gateway is closing) a fresh worker takes its place. */
  private retire(slot: Slot, why: string): void {
    const i = this.workers.indexOf(slot);
    if (i < 0) return;
    void slot.worker.terminate(); // after an 'error' it is ending anyway; never left half alive
    if (this.closed) this.workers.splice(i, 1);
    else this.workers[i] = this.spawn();
    for (const id of slot.jobs) {
      this.waiting.get(id)?.reject(new Error(`DUIS gateway worker ${why}; job ${id} lost`));
      this.waiting.delete(id);
    }
    slot.jobs.clear();
    slot.outbox = [];
  }

  private run(job: Job): Promise<unknown> {
    if (this.closed || this.workers.length === 0) return Promise.reject(new Error('DUIS gateway closed'));
    const slot = this.workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    slot.jobs.add(job.id);
    slot.outbox.push(job);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    return new Promise((resolve, reject) => this.waiting.set(job.id, { resolve, reject }));
  }

  /** Posts each worker the jobs given to it since the last flush, as one message. */
  private flush(): void {
    this.flushing = false;
    for (const slot of this.workers) {
      if (slot.outbox.length === 0) continue;
      const batch = slot.outbox;
      slot.outbox = [];
      slot.worker.postMessage(batch);
    }
  }
}
