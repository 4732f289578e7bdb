import { describe, expect, it } from 'vitest';
import { SlabBody, SlabPool } from '../../../src/http/body-slabs.js';

const KiB = 1024;

/** Distinct bytes, so that a misplaced or repeated one shows. */
function bytes(length: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

function body(pool: SlabPool): { body: SlabBody; garbage: number[]; done: SlabBody[] } {
  const garbage: number[] = [];
  const done: SlabBody[] = [];
  return { body: new SlabBody(pool, (n) => garbage.push(n), (b) => done.push(b)), garbage, done };
}

describe('a body read into slabs', () => {
  it('hands over a body that came in one chunk and met no collection as that very chunk, copying nothing', () => {
    const pool = new SlabPool(1 * KiB, 16 * KiB, 64 * KiB);
    const { body: b, garbage } = body(pool);
    const chunk = bytes(700, 1);
    b.write(chunk, 0);
    b.settle(0);
    expect(b.toBuffer()).toBe(chunk);
    expect(garbage).toEqual([]);
    expect(pool.idleBytes).toBe(0);
  });

  it('keeps its chunks through a first collection and moves them into slabs before a second', () => {
    const pool = new SlabPool(1 * KiB, 16 * KiB, 64 * KiB);
    const { body: b } = body(pool);
    b.write(bytes(3 * KiB, 1), 5);
    // Five collections so far, none since the chunk came: it is young.
    b.settle(5);
    expect(b.inSlabs).toBe(0);
    // It has lived through the sixth: the seventh would promote it.
    b.settle(6);
    expect(b.inSlabs).toBe(3 * KiB);
    // A chunk that comes after waits for its own second collection.
    b.write(bytes(2 * KiB, 2), 6);
    b.settle(6);
    expect(b.inSlabs).toBe(3 * KiB);
    b.settle(7);
    expect(b.inSlabs).toBe(5 * KiB);
  });

  it('gives back exactly the bytes written, in order, however they were split between chunks and slabs', () => {
    const pool = new SlabPool(1 * KiB, 16 * KiB, 1024 * KiB);
    const sent = [bytes(1, 1), bytes(1500, 2), bytes(64 * KiB, 3), bytes(5, 4), bytes(33 * KiB + 7, 5), bytes(16 * KiB, 6)];
    // Settled after the first three chunks, and again after the fifth; the last stays a chunk.
    const { body: b, garbage } = body(pool);
    let collections = 0;
    sent.forEach((chunk, i) => {
      b.write(chunk, collections);
      if (i === 2 || i === 4) b.settle(++collections);
    });
    const whole = b.toBuffer();
    expect(whole.equals(Buffer.concat(sent))).toBe(true);
    // Only the chunk still held when the body was handed over is counted as garbage: the settled ones died in their collection.
    expect(garbage).toEqual([16 * KiB]);
  });

  it('lends a slab to no one: the body handed over is a copy, and the slab goes back to the pool for the next body', () => {
    const pool = new SlabPool(1 * KiB, 16 * KiB, 64 * KiB);
    const first = body(pool);
    first.body.write(bytes(900, 1), 0);
    first.body.settle(1);
    const handedOver = first.body.toBuffer();
    expect(first.done).toEqual([first.body]);
    expect(pool.idleBytes).toBe(1 * KiB);
    const slab = pool.take(1 * KiB);
    slab.fill(0);
    expect(handedOver.equals(bytes(900, 1))).toBe(true);
  });

  it('doubles its slabs from the smallest to the largest, so that a few bytes hold little and a MiB a few dozen slabs', () => {
    const pool = new SlabPool(1 * KiB, 16 * KiB, 4096 * KiB);
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((i) => pool.sizeOf(i) / KiB)).toEqual([1, 2, 4, 8, 16, 16, 16, 16]);
    const { body: b } = body(pool);
    b.write(bytes(1024 * KiB, 1), 0);
    b.settle(1);
    b.discard();
    // 1 + 2 + 4 + 8 KiB, then 64 slabs of 16 KiB for the remaining 1009 KiB: 68 slabs.
    expect(pool.idleBytes).toBe(15 * KiB + 64 * 16 * KiB);
  });

  it('counts a discarded body’s chunks as garbage and keeps idle no more slabs than it was told to', () => {
    const pool = new SlabPool(1 * KiB, 16 * KiB, 8 * KiB);
    const { body: b, garbage, done } = body(pool);
    b.write(bytes(20 * KiB, 1), 0);
    b.settle(1);
    b.write(bytes(3 * KiB, 2), 1);
    b.discard();
    b.discard();
    expect(garbage).toEqual([3 * KiB]);
    expect(done).toEqual([b]);
    // Slabs of 1, 2, 4 and 8 KiB, then 16: what fits in 8 KiB is kept, the rest left to V8.
    expect(pool.idleBytes).toBeLessThanOrEqual(8 * KiB);
    expect(pool.idleBytes).toBeGreaterThan(0);
    expect(() => b.write(bytes(1, 1), 1)).toThrow();
  });
});
