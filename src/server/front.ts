// The DUIS front: the web services (app.ts) on a worker thread of their own, which also checks each request (size,
// XML, schema, the User's signature) and signs each answer with the DSP's key. The DSP's thread gets only requests
// that passed, and answers with DUIS values (Dsp.submitChecked); HTTP parsing and writing, and input that never
// becomes a DUIS request, never reach it (ARCHITECTURE principle 6: each signature checked once, where the DSP
// checks it; the DSP's thread keeps only the stateful pipeline).
import { Worker } from 'node:worker_threads';
import type { Dcc } from '../dcc/dcc.js';
import type { Decided, DuisService } from '../dcc/dsp.js';
import { gatewayWorkerData, type GatewayVerdict, type GatewayWorkerData } from '../dcc/gateway.js';
import { workerScript } from '../worker-script.js';
import { dccHealth, type Health } from './app.js';

/** What the front's thread is given: the gateway's material and where to listen. */
export interface FrontWorkerData extends GatewayWorkerData {
  readonly port: number;
  readonly host: string;
}

/** The front's thread to the DSP's. */
export type FrontMessage =
  | { readonly kind: 'listening'; readonly address: string; readonly port: number }
  | { readonly kind: 'listen-failed'; readonly message: string }
  | { readonly kind: 'closed' }
  | {
      readonly kind: 'submit';
      readonly id: number;
      readonly service: DuisService;
      /** orderKey() of the request as received. */
      readonly key: string | undefined;
      readonly verdict: Extract<GatewayVerdict, { ok: true }>;
    }
  | { readonly kind: 'health'; readonly id: number };

/** The DSP's thread to the front's. */
export type DspMessage =
  | { readonly kind: 'decided'; readonly id: number; readonly decided: Decided }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string }
  | { readonly kind: 'health'; readonly id: number; readonly health: Health }
  | { readonly kind: 'close' };

export interface FrontOptions {
  readonly port: number;
  readonly host: string;
  /** Told when the front's thread fails and is replaced. */
  readonly onNote?: (text: string) => void;
}

export class DuisFront {
  private worker: Worker;
  private data: FrontWorkerData;
  /** Answers for the front's thread, posted together once per turn of this loop. */
  private outbox: DspMessage[] = [];
  private closing = false;

  private constructor(
    private readonly dcc: Dcc,
    private readonly o: FrontOptions,
    port: number,
  ) {
    this.data = {
      ...gatewayWorkerData({
        credentials: dcc.credentials,
        dsp: dcc.config.dsp,
        ...(dcc.schemaPath !== undefined && { schemaPath: dcc.schemaPath }),
        maxRequestBytes: dcc.config.maxRequestBytes,
      }),
      port,
      host: o.host,
    };
    this.worker = this.spawn();
  }

  /** Where the front listens, e.g. http://127.0.0.1:8079. */
  address = '';

  /** The front's thread now (diagnostics and tests). */
  get thread(): Worker {
    return this.worker;
  }

  /** Starts the front's thread; resolves once it listens. */
  static async start(dcc: Dcc, o: FrontOptions): Promise<DuisFront> {
    const front = new DuisFront(dcc, o, o.port);
    let where: { address: string; port: number };
    try {
      where = await front.listening();
    } catch (e) {
      // The port is taken (say): no thread is left behind to keep the process alive.
      front.closing = true;
      await front.worker.terminate();
      throw e;
    }
    const { address, port } = where;
    front.address = address;
    // A replacement thread listens where this one does, even when the port was chosen by the system.
    front.data = { ...front.data, port };
    return front;
  }

  /** Stops taking requests, lets those in flight be answered, and ends the thread. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => {
      const onMessage = (batch: readonly FrontMessage[]) => {
        if (batch.some((m) => m.kind === 'closed')) resolve();
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', () => resolve());
    });
    this.post({ kind: 'close' });
    await closed;
    await this.worker.terminate();
  }

  /** The first thread's word that it listens (or cannot); the listener goes once it has spoken. */
  private listening(): Promise<{ address: string; port: number }> {
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const done = (): void => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      const onMessage = (batch: readonly FrontMessage[]): void => {
        for (const m of batch) {
          if (m.kind === 'listening') {
            done();
            resolve({ address: m.address, port: m.port });
          } else if (m.kind === 'listen-failed') {
            done();
            reject(new Error(m.message));
          }
        }
      };
      const onExit = (code: number): void => {
        done();
        reject(new Error(`DUIS front exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(workerScript('server/front-worker.js', import.meta.url), {
      workerData: this.data,
    });
    worker.on('message', (batch: readonly FrontMessage[]) => {
      for (const m of batch) this.onMessage(m);
    });
    worker.on('error', (e) => this.o.onNote?.(`DUIS front failed: ${e.message}`));
    // A front that ends unasked is replaced: its open connections are lost (their Users see the connection drop, as
    // at any network failure); what the DSP had accepted completes and is pushed to the Users' receivers.
    worker.on('exit', (code) => {
      if (this.closing || worker !== this.worker || this.address === '') return;
      this.o.onNote?.(`DUIS front exited with code ${code}; starting a new one`);
      this.worker = this.spawn();
    });
    return worker;
  }

  private onMessage(m: FrontMessage): void {
    if (m.kind === 'submit') {
      const { id } = m;
      this.dcc.dsp.submitChecked(m.service, m.key, m.verdict).then(
        (decided) => this.post({ kind: 'decided', id, decided }),
        (e: unknown) => this.post({ kind: 'failed', id, message: (e as Error).message }),
      );
    } else if (m.kind === 'health') this.post({ kind: 'health', id: m.id, health: dccHealth(this.dcc) });
    // A replacement that cannot listen (start() reports the first thread's failure itself).
    else if (m.kind === 'listen-failed' && this.address !== '')
      this.o.onNote?.(`DUIS front could not listen again: ${m.message}`);
  }

  private post(m: DspMessage): void {
    if (this.outbox.length === 0)
      setImmediate(() => {
        const batch = this.outbox;
        this.outbox = [];
        this.worker.postMessage(batch);
      });
    this.outbox.push(m);
  }
}
