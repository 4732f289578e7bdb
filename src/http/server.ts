import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyBudget, readBoundedBody } from './bounded-body.js';
import { defaultBodyBudget, HTTP_TIMEOUTS, LINGER_MS, UNBUDGETED_BODY_BYTES, type HttpTimeouts } from './limits.js';

/** A route's handler gets the body already read, never more than the route's limit. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface Route {
  readonly method: string;
  readonly path: string;
  /** The largest body this endpoint can legitimately receive (see BODY_LIMITS); a larger one gets 413 before the handler runs. */
  readonly maxBodyBytes: number;
  readonly handler: RouteHandler;
}

export interface HttpServerOptions {
  /** A handler threw: it is logged here and answered 500. */
  readonly onError: (error: unknown) => void;
  /** Tests shorten them; production uses HTTP_TIMEOUTS. */
  readonly timeouts?: Partial<HttpTimeouts>;
  /** Bytes of bodies held at once beyond each one's first UNBUDGETED_BODY_BYTES (default: defaultBodyBudget). */
  readonly bodyBudgetBytes?: number;
}

export interface HttpServer {
  readonly server: Server;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /**
   * Stops taking requests (new connections are refused, a new request on an
   * open connection gets 503) and waits up to `graceMs` for those in flight to
   * be answered, closing each connection as its answer goes out. What is
   * left after that is cut. Resolves true if nothing had to be cut.
   */
  close(graceMs: number): Promise<boolean>;
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>, closeConnection: boolean): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(closeConnection ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

/** A body we will not read must not keep the connection open: Node would read it all to reuse the connection. */
function sendsBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Answers a request whose body is left unread, reads nothing more, and closes
 * the connection. Not through `res`: once an answer ends, Node reads the rest
 * of the body to discard it (all 64 MB of it) and destroys the socket, and a
 * socket destroyed with unread bytes sends a TCP reset that can make the
 * client lose the answer. Here the socket stops reading, the answer goes out
 * with a FIN, and the socket is destroyed LINGER_MS later, when the client
 * has long read the answer (or at once, if it hangs up first).
 */
function answerAndHangUp(req: IncomingMessage, status: number, body: Record<string, unknown>): void {
  const socket = req.socket;
  socket.pause();
  const json = JSON.stringify(body);
  const retry = status === 503 ? 'retry-after: 1\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n${retry}connection: close\r\n\r\n${json}`,
  );
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * The bot's one HTTP server, in both Slack modes: Slack's endpoint (HTTP mode),
 * /healthz and the webhooks. Every body is bounded by its route's limit
 * before the handler (and so any signature check) sees it, and all the
 * bodies being read together by a shared budget; slow clients are cut by
 * Node's header and request timeouts. A handler that throws answers 500,
 * never taking the process down.
 */
export function createHttpServer(routes: readonly Route[], options: HttpServerOptions): HttpServer {
  const timeouts: HttpTimeouts = { ...HTTP_TIMEOUTS, ...options.timeouts };
  const open = new Set<ServerResponse>();
  const largest = Math.max(0, ...routes.map((r) => r.maxBodyBytes));
  const budget = new BodyBudget(options.bodyBudgetBytes ?? defaultBodyBudget(largest), UNBUDGETED_BODY_BYTES);
  let draining = false;

  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const route = draining ? undefined : routes.find((r) => r.path === path && r.method === req.method);
      if (!route) {
        const [status, body] = draining ? [503, { error: 'shutting_down' }] : [404, { error: 'not_found' }];
        if (sendsBody(req)) answerAndHangUp(req, status, body);
        else reply(res, status, body, draining);
        return;
      }
      open.add(res);
      res.once('close', () => {
        open.delete(res);
        // The connection goes idle once this answer is out: close it rather than keep it alive.
        if (draining) setImmediate(() => server.closeIdleConnections());
      });
      void handle(route, req, res);
    },
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;

  async function handle(route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBoundedBody(req, route.maxBodyBytes, budget);
    // Cut short by the client or by requestTimeout (Node answers 408 itself): nobody to answer.
    if (read.kind === 'aborted') return;
    if (read.kind === 'too-large') return answerAndHangUp(req, 413, { error: 'body_too_large', limitBytes: route.maxBodyBytes });
    if (read.kind === 'busy') return answerAndHangUp(req, 503, { error: 'busy' });
    try {
      await route.handler(req, res, read.body);
    } catch (error) {
      options.onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal"}');
    } finally {
      read.release();
    }
  }

  return {
    server,
    inFlight: () => open.size,
    async close(graceMs) {
      draining = true;
      // Answers not yet begun say the connection closes after them.
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!answered) {
        server.closeAllConnections();
        await closed;
      }
      return answered;
    },
  };
}

export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
