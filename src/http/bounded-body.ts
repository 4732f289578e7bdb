import type { IncomingMessage } from 'node:http';

/** Bytes shared by every request being read, beyond each one's free allowance. */
export class BodyBudget {
  private used = 0;

  constructor(
    readonly capacityBytes: number,
    /** Each request's first bytes, which need no share of the budget. */
    readonly freeBytes: number,
  ) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.capacityBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }

  get inUse(): number {
    return this.used;
  }
}

export type BodyRead =
  /** `release` gives the body's share of the budget back once the handler is done with it. */
  | { readonly kind: 'body'; readonly body: Buffer; readonly release: () => void }
  /** Declared or sent beyond the limit; nothing past the limit was read. */
  | { readonly kind: 'too-large' }
  /** The shared budget is spent by other bodies being read: try again later. */
  | { readonly kind: 'busy' }
  /** The client went away (or the request timed out) before the end of its body. */
  | { readonly kind: 'aborted' };

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length
 * over the limit is refused before a byte is read; a chunked body is read
 * until it crosses the limit and no further (the stream is paused, so the
 * socket's backpressure holds the rest in the client). Bytes beyond the free
 * allowance are taken from `budget` as they arrive, not when declared, so
 * that declaring a size and sending nothing holds nothing.
 */
export function readBoundedBody(req: IncomingMessage, limit: number, budget: BodyBudget): Promise<BodyRead> {
  const declared = req.headers['content-length'];
  // Node's parser has already refused a Content-Length that is not a number.
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let taken = 0;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      budget.give(taken);
    };
    const finish = (result: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      req.off('close', onClose);
      if (result.kind !== 'body') {
        chunks.length = 0;
        release();
      }
      resolve(result);
    };
    const stop = (result: BodyRead) => {
      req.pause();
      finish(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop({ kind: 'too-large' });
      const owed = Math.max(0, size - budget.freeBytes) - taken;
      if (owed > 0) {
        if (!budget.take(owed)) return stop({ kind: 'busy' });
        taken += owed;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'body', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), release });
    const onAborted = () => finish({ kind: 'aborted' });
    // 'close' before 'end' is a request cut short (Node 20 does not always emit 'aborted').
    const onClose = () => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
    req.on('close', onClose);
  });
}
