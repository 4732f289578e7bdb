import { describe, expect, it } from 'vitest';
import { collectionsSoFar, exposeGc, GarbagePacer } from '../../../src/http/garbage-pacer.js';

const KiB = 1024;
const tick = () => new Promise((r) => setImmediate(r));

describe('the garbage pacer', () => {
  it('asks for one young collection for each `everyBytes` of garbage, once the code that made it has returned', async () => {
    const asked: string[] = [];
    const settled: number[] = [];
    const pacer = new GarbagePacer(
      100 * KiB,
      (o) => asked.push(o.type),
      (n) => settled.push(n),
    );
    const before = collectionsSoFar();
    pacer.discarded(60 * KiB);
    await tick();
    expect(asked).toEqual([]);
    pacer.discarded(60 * KiB);
    // Not from inside the call that made the garbage: what it still holds would live through the collection.
    expect(asked).toEqual([]);
    await tick();
    expect(asked).toEqual(['minor']);
    // The bodies were told just before, with the collections counted so far, and this one counts.
    expect(settled).toEqual([before]);
    expect(collectionsSoFar()).toBeGreaterThanOrEqual(before + 1);
    // Garbage made while a collection is pending calls for no second one.
    pacer.discarded(200 * KiB);
    pacer.discarded(200 * KiB);
    await tick();
    expect(asked).toEqual(['minor', 'minor']);
  });

  it('does nothing when there is no gc to ask', async () => {
    const pacer = new GarbagePacer(1, undefined);
    pacer.discarded(10 * KiB);
    await tick();
  });

  it('gets V8’s gc without --expose-gc, and leaves no global gc behind', () => {
    const gc = exposeGc();
    expect(typeof gc).toBe('function');
    gc!({ type: 'minor' });
    expect(exposeGc()).toBe(gc);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });

  it('frees a body’s chunks with the young collection it asks for', async () => {
    const gc = exposeGc()!;
    gc({ type: 'major' });
    const before = process.memoryUsage().arrayBuffers;
    // Chunks as Node makes them: memory of their own outside the heap, a small object in it.
    let chunks: Buffer[] | undefined = Array.from({ length: 160 }, () => Buffer.from(Buffer.allocUnsafeSlow(64 * KiB)));
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThan(9 * 1024 * KiB);
    chunks = undefined;
    void chunks;
    new GarbagePacer(1 * KiB, gc).discarded(10 * 1024 * KiB);
    // V8 frees the memory of dead buffers on a background thread after the
    // collection, so on a busy machine it can show a few milliseconds late:
    // wait for it, a second at most. Nothing else collects in that second, so
    // without the pacer's collection the chunks are still there at the end.
    const deadline = Date.now() + 1000;
    while (process.memoryUsage().arrayBuffers - before >= 1024 * KiB && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * KiB);
  });
});
