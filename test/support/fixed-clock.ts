import type { Clock } from '../../src/domain/ports.js';

/** A clock tests move by hand: no test waits for real minutes. */
export class FixedClock implements Clock {
  constructor(private current: Date = new Date('2026-11-22T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date | string): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
