import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKGROUND_NICENESS } from '../../src/effects/thread-priority.js';
import { Harness } from '../support/harness.js';

/** Each thread of this process with its nice value, from /proc (field 19 of stat). */
function threadNiceness(): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      threads.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended while we read.
    }
  }
  return threads;
}

describe.runIf(process.platform === 'linux')('the outbox thread', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.stop());

  it('runs below the listeners’ CPU priority, so a burst’s acknowledgements come first', async () => {
    const before = threadNiceness();
    const mine = before.get(process.pid)!;
    h = await Harness.start();

    // The outbox thread is new, lowered by BACKGROUND_NICENESS; this thread (the listeners') is untouched.
    const lowered = [...threadNiceness()].filter(([tid, nice]) => !before.has(tid) && nice === Math.min(19, mine + BACKGROUND_NICENESS));
    expect(lowered).toHaveLength(1);
    expect(threadNiceness().get(process.pid)).toBe(mine);

    // And it still does the work: an incident is set up.
    await h.command('declare sev2 Priority check', { userId: 'U0ALICE' });
    await h.settle();
    expect((await h.incidentChannel(1)).pins.size).toBe(1);
  });
});
