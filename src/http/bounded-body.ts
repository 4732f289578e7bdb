import type { IncomingMessage } from 'node:http';
import { SlabBody, SlabPool } from './body-slabs.js';
import { collectionsSoFar, exposeGc, GarbagePacer, type CollectGarbage } from './garbage-pacer.js';
import { COLLECT_EVERY_BYTES, SLAB_BYTES, SLABS_KEPT_FOR_BODIES } from './limits.js';

export interface BodyBudgetOptions {
  /** Where slow bodies wait (default: SLAB_BYTES slabs, keeping idle as many as the budget and SLABS_KEPT_FOR_BODIES free allowances). */
  readonly slabs?: SlabPool;
  /** Garbage left by reading bodies that calls for a collection (default: COLLECT_EVERY_BYTES). */
  readonly collectEveryBytes?: number;
  /** What collects (default: V8's gc, see exposeGc); tests pass their own. */
  readonly collect?: CollectGarbage;
}

/**
 * Bytes shared by every request being read, beyond each one's free
 * allowance; and the memory bodies are read into, with what they leave
 * behind collected as they go.
 */
export class BodyBudget {
  private used = 0;
  private readonly reading = new Set<SlabBody>();
  readonly slabs: SlabPool;
  readonly pacer: GarbagePacer;

  constructor(
    readonly capacityBytes: number,
    /** Each request's first bytes, which need no share of the budget. */
    readonly freeBytes: number,
    options: BodyBudgetOptions = {},
  ) {
    this.slabs = options.slabs ?? new SlabPool(SLAB_BYTES.smallest, SLAB_BYTES.largest, capacityBytes + SLABS_KEPT_FOR_BODIES * freeBytes);
    // Before each collection, the bodies being read move what would live through it a second time into slabs.
    this.pacer = new GarbagePacer(options.collectEveryBytes ?? COLLECT_EVERY_BYTES, options.collect ?? exposeGc(), (collections) => {
      for (const body of this.reading) body.settle(collections);
    });
  }

  /** A body to read into, until it is handed over or discarded. */
  startBody(): SlabBody {
    const body = new SlabBody(
      this.slabs,
      (bytes) => this.pacer.discarded(bytes),
      (done) => this.reading.delete(done),
    );
    this.reading.add(body);
    return body;
  }

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
 * that declaring a size and sending nothing holds nothing. Every chunk read
 * is counted as garbage once no one needs it, refused or not, so that a
 * collection comes every few of them (garbage-pacer.ts).
 */
export function readBoundedBody(req: IncomingMessage, limit: number, budget: BodyBudget): Promise<BodyRead> {
  const declared = req.headers['content-length'];
  // Node's parser has already refused a Content-Length that is not a number.
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const written = budget.startBody();
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
        written.discard();
        release();
      }
      resolve(result);
    };
    const stop = (chunk: Buffer, result: BodyRead) => {
      req.pause();
      // The chunk that was one too many, never kept.
      budget.pacer.discarded(chunk.length);
      finish(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(chunk, { kind: 'too-large' });
      const owed = Math.max(0, size - budget.freeBytes) - taken;
      if (owed > 0) {
        if (!budget.take(owed)) return stop(chunk, { kind: 'busy' });
        taken += owed;
      }
      written.write(chunk, collectionsSoFar());
    };
    const onEnd = () => {
      const body = written.toBuffer();
      finish({
        kind: 'body',
        body,
        release: () => {
          // The handler is done with its body: garbage too.
          if (!released) budget.pacer.discarded(body.length);
          release();
        },
      });
    };
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
