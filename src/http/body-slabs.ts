/**
 * Where a slow body's bytes wait while it is read. Node hands a body over in
 * chunks it allocates afresh, outside V8's heap, which only a collection
 * frees. A chunk that lives through two young collections is promoted to
 * V8's old generation, and once its body is refused it waits for a full
 * collection, which V8 puts off until tens of MiB of such garbage have piled
 * up: with a young collection every MiB (garbage-pacer.ts), twenty slow
 * unsigned posts left 4 MiB of it behind them, wave after wave (43 MiB after
 * ten). So a body's chunks are kept as Node made them, which costs nothing
 * more, until a collection comes that they would be living through the
 * second time: then they are copied into slabs from a pool and die young,
 * in that collection. A slab goes back to the pool when its body is done
 * with, whatever became of the body; a fast body never needs one.
 */
export class SlabPool {
  private readonly idle = new Map<number, Buffer[]>();
  private idleTotal = 0;

  constructor(
    /** A body's first slab; each next one is twice as large, up to `largestBytes`. */
    readonly smallestBytes: number,
    readonly largestBytes: number,
    /** How many bytes of idle slabs to keep for the next bodies; what is given back beyond that is left to V8. */
    readonly keepBytes: number,
  ) {}

  /**
   * The size of a body's slab number `index` (from 0). Doubling: a client
   * that sends a few bytes and waits holds one small slab; a body of a MiB
   * a few dozen.
   */
  sizeOf(index: number): number {
    return index >= 30 ? this.largestBytes : Math.min(this.largestBytes, this.smallestBytes * 2 ** index);
  }

  take(bytes: number): Buffer {
    const slab = this.idle.get(bytes)?.pop();
    if (!slab) return Buffer.allocUnsafeSlow(bytes);
    this.idleTotal -= bytes;
    // Another body's bytes may still be in it: only what a body wrote is ever read back (SlabBody.toBuffer).
    return slab;
  }

  give(slabs: readonly Buffer[]): void {
    for (const slab of slabs) {
      if (this.idleTotal + slab.length > this.keepBytes) continue;
      const same = this.idle.get(slab.length);
      if (same) same.push(slab);
      else this.idle.set(slab.length, [slab]);
      this.idleTotal += slab.length;
    }
  }

  /** Bytes of idle slabs kept. */
  get idleBytes(): number {
    return this.idleTotal;
  }
}

/** One body being read: Node's chunks, the older ones moved into slabs of a pool when a collection comes (settle). */
export class SlabBody {
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** collectionsSoFar() when the oldest of `chunks` arrived. */
  private oldestChunkAt = 0;
  private readonly slabs: Buffer[] = [];
  private slabBytes = 0;
  /** Bytes written into the last slab (every other one is full). */
  private lastSlabUsed = 0;
  private done = false;

  constructor(
    private readonly pool: SlabPool,
    /** Bytes that became garbage here (chunks copied out, or dropped). */
    private readonly garbage: (bytes: number) => void,
    /** Told once the body is done with (handed over or discarded). */
    private readonly onDone: (body: SlabBody) => void = () => undefined,
  ) {}

  get bytes(): number {
    return this.chunkBytes + this.slabBytes;
  }

  /** Bytes held in slabs. */
  get inSlabs(): number {
    return this.slabBytes;
  }

  /** `collections` is collectionsSoFar() now. */
  write(chunk: Buffer, collections: number): void {
    if (this.done) throw new Error('write after the body was done with');
    if (this.chunks.length === 0) this.oldestChunkAt = collections;
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
  }

  /**
   * A collection is coming, `collections` having happened so far: chunks that
   * have lived through one already go into slabs, so that this one frees
   * them. Younger ones wait: most bodies are read before a second.
   */
  settle(collections: number): void {
    if (this.done || this.chunks.length === 0 || collections <= this.oldestChunkAt) return;
    for (const chunk of this.chunks) this.copyIn(chunk);
    // No need to count these as garbage: the collection that called for this frees them.
    this.chunks.length = 0;
    this.chunkBytes = 0;
  }

  private copyIn(chunk: Buffer): void {
    let from = 0;
    while (from < chunk.length) {
      let slab = this.slabs.at(-1);
      if (!slab || this.lastSlabUsed === slab.length) {
        slab = this.pool.take(this.pool.sizeOf(this.slabs.length));
        this.slabs.push(slab);
        this.lastSlabUsed = 0;
      }
      const copied = chunk.copy(slab, this.lastSlabUsed, from);
      this.lastSlabUsed += copied;
      this.slabBytes += copied;
      from += copied;
    }
  }

  /**
   * The body in one Buffer, and the slabs back to the pool. What was in slabs
   * is copied out, not lent: a handler may keep its body for as long as it
   * likes, and a slab is soon another body's.
   */
  toBuffer(): Buffer {
    let body: Buffer;
    if (this.slabs.length === 0 && this.chunks.length === 1) body = this.chunks[0]!;
    else {
      body = Buffer.allocUnsafe(this.bytes);
      let at = 0;
      for (const slab of this.slabs) at += slab.copy(body, at, 0, Math.min(slab.length, this.slabBytes - at));
      for (const chunk of this.chunks) at += chunk.copy(body, at);
      this.garbage(this.chunkBytes);
      this.chunks.length = 0;
    }
    this.finish();
    return body;
  }

  /** The slabs back to the pool, the bytes forgotten. */
  discard(): void {
    if (this.done) return;
    this.garbage(this.chunkBytes);
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.chunks.length = 0;
    this.pool.give(this.slabs);
    this.slabs.length = 0;
    this.onDone(this);
  }
}
