/**
 * HTTP clients that behave as `fetch` will not: a body declared larger than
 * it is, a body streamed without end, headers sent a byte at a time.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface FloodResult {
  /** The status the server answered, if it answered. */
  readonly status?: number;
  /** Bytes of body the client managed to hand to its socket before the answer or the close. */
  readonly sentBytes: number;
  /** The socket error, if the connection ended without an answer. */
  readonly error?: string;
}

export interface FloodOptions {
  readonly url: string;
  readonly totalBytes: number;
  /** Declare the whole size in Content-Length (true) or stream chunked (false). */
  readonly declared: boolean;
  readonly headers?: Record<string, string>;
  /** Send only the headers and wait for the answer, without a byte of the declared body. */
  readonly headersOnly?: boolean;
  /**
   * Send `bytes` every `everyMs` instead of as fast as the server takes them:
   * a slow stranger, whose body the server reads a little at a time, between
   * the others'.
   */
  readonly pace?: { readonly bytes: number; readonly everyMs: number };
}

/**
 * Posts a body of `totalBytes` as fast as the server takes it (or at `pace`),
 * and stops at the first answer: what an attacker with a big pipe does.
 */
export function flood(options: FloodOptions): Promise<FloodResult> {
  return new Promise((resolve) => {
    const target = new URL(options.url);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.declared) headers['content-length'] = String(options.totalBytes);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sentBytes = 0;
    let status: number | undefined;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      req.destroy();
      resolve({ status, sentBytes, ...(error && status === undefined ? { error } : {}) });
    };
    req.on('response', (res) => {
      status = res.statusCode;
      res.resume();
      res.on('end', () => finish());
      res.on('error', () => finish());
    });
    req.on('error', (error) => finish(error.message));
    req.on('close', () => finish('closed'));
    const pump = () => {
      while (!done && status === undefined && sentBytes < options.totalBytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, options.totalBytes - sentBytes));
        sentBytes += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (sentBytes >= options.totalBytes) req.end();
    };
    const pace = options.pace;
    const trickle = () => {
      if (done || status !== undefined) return;
      const piece = chunk.subarray(0, Math.min(pace!.bytes, chunk.length, options.totalBytes - sentBytes));
      sentBytes += piece.length;
      req.write(piece);
      if (sentBytes >= options.totalBytes) {
        clearInterval(timer);
        req.end();
      }
    };
    if (options.headersOnly) req.flushHeaders();
    else if (pace) timer = setInterval(trickle, pace.everyMs);
    else pump();
  });
}

/**
 * Opens a connection, sends `atOnce`, then `slowly` one byte every `everyMs`,
 * never finishing on its own: a slow-loris client. Resolves with what the
 * server sent back and how long the connection lasted (at most `giveUpMs`).
 */
export function dribble(url: string, atOnce: string, slowly: string, everyMs: number, giveUpMs: number): Promise<{ answer: string; lastedMs: number }> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const socket = connect(Number(target.port), target.hostname, () => socket.write(atOnce));
    const started = Date.now();
    let answer = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < slowly.length) socket.write(slowly[i++]!);
    }, everyMs);
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, lastedMs: Date.now() - started });
    });
  });
}
