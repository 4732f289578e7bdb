/**
 * A loopback HTTP server that stands where the bot's webhook will be and
 * records what a real Alertmanager sends it: headers and JSON body of every
 * request, in order, with the status it was answered. The status is chosen by
 * the test (a fixed one, or per request) so that retries can be watched.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface SinkRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly body: unknown;
  readonly receivedAt: Date;
  /** The status this request was answered with. */
  readonly status: number;
}

/** The status to answer: fixed, or chosen from the request and how many came before it. */
export type SinkResponder = number | ((request: Omit<SinkRequest, 'status'>, index: number) => number);

export class WebhookSink {
  private readonly received: SinkRequest[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private responder: SinkResponder,
  ) {}

  /** Listens on a free 127.0.0.1 port; answers 200 unless told otherwise. */
  static async start(responder: SinkResponder = 200): Promise<WebhookSink> {
    let sink: WebhookSink | undefined;
    const server = createServer((req, res) => void sink?.handle(req, res));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port from the kernel');
    sink = new WebhookSink(server, address.port, responder);
    return sink;
  }

  /** `http://127.0.0.1:<port>`; append the path the receiver should post to. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every request so far, oldest first. */
  get requests(): readonly SinkRequest[] {
    return this.received;
  }

  /** Changes the status later requests get. */
  respondWith(responder: SinkResponder): void {
    this.responder = responder;
  }

  /**
   * Resolves with the first request (from `from` on, by index) that matches,
   * as soon as it has arrived; rejects after `timeoutMs` saying what did come.
   */
  async waitFor(predicate: (request: SinkRequest) => boolean, options: { timeoutMs?: number; from?: number } = {}): Promise<SinkRequest> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const from = options.from ?? 0;
    const find = () => this.received.slice(from).find(predicate);
    const found = find();
    if (found) return found;
    return new Promise<SinkRequest>((resolve, reject) => {
      const check = () => {
        const match = find();
        if (!match) return;
        cleanup();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching request within ${timeoutMs} ms; received ${this.received.length}:\n${this.describe(from)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** The requests from index `from` on, one line each, for a failing test's message. */
  describe(from = 0): string {
    return this.received
      .slice(from)
      .map((r, i) => `#${from + i} ${r.receivedAt.toISOString()} ${r.method} ${r.path} -> ${r.status} ${r.rawBody.slice(0, 300)}`)
      .join('\n');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body, receivedAt: new Date() };
    const status = typeof this.responder === 'number' ? this.responder : this.responder(request, this.received.length);
    this.received.push({ ...request, status });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    for (const waiter of [...this.waiters]) waiter();
  }
}
