import { pino } from 'pino';
/**
 * A stop during the weekly digest: a run of hundreds of owners' DMs lasts
 * minutes, longer than the stop may (28 s, inside Kubernetes' 30 s). The post
 * under way ends and is recorded, no further one is made, and the next start
 * posts the rest, nothing twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { sharedWorld } from '../support/shared-world.js';
import type { StandInMessage } from '../support/slack-stand-in.js';

const MONDAY_0900 = new Date('2026-11-23T09:00:00Z');

describe('a stop while the weekly digest is being posted', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('ends the run after the post under way, and the next start posts the rest once', async () => {
    const world = await sharedWorld();
    cleanups.push(() => world.dispose());
    const clock = new FixedClock(new Date('2026-10-01T10:00:00Z'));
    const logs: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const h = await Harness.start({ slack: world.slack, databaseFile: world.databaseFile, bot: { clock, logger } });
    cleanups.push(() => h.stop().catch(() => undefined));
    await h.run('declare sev2 Many follow-ups', { userId: 'U0ALICE' });
    const incident = (await h.bot.store.incidents.get(1))!;
    await h.bot.store.transaction(async (tx) => {
      for (let i = 1; i <= 40; i++) {
        await tx.actions.add({ incidentId: incident.id, text: `Overdue follow-up ${i}`, ownerId: 'U0BOB', dueDate: '2026-11-02', createdBy: 'U0ALICE', createdAt: clock.now() });
      }
    });
    const dms = (): StandInMessage[] => world.slack.channels.get('D0BOB')?.messages.filter((m) => m.metadata?.event_type === 'incident_digest') ?? [];
    clock.set(MONDAY_0900);

    // Bob's first DM is on its way to Slack when the stop begins.
    const release = world.slack.hold('chat.postMessage', (params) => params.channel === 'U0BOB');
    const run = h.bot.digest.scheduler.check();
    run.catch(() => undefined);
    await expect.poll(() => world.slack.held.length).toBe(1);
    const stopping = h.bot.stop();
    release();
    await stopping;
    await expect(run).rejects.toThrow(/stopping/);
    // Said as what it is, not as a failure to look into.
    expect(logs.filter((l) => l.msg.startsWith('digest'))).toEqual([expect.objectContaining({ level: 30, msg: 'digest ended by the stop; the next start resumes it' })]);
    // That DM was made and recorded; the two after it were not.
    expect(dms()).toHaveLength(1);

    const next = await Harness.start({ slack: world.slack, databaseFile: world.databaseFile, bot: { clock } });
    cleanups.push(() => next.stop());
    expect(await next.bot.digest.scheduler.check()).toBe('posted');
    const all = dms()
      .map((m) => JSON.stringify(m.blocks))
      .join('');
    expect(dms()).toHaveLength(3);
    for (let i = 1; i <= 40; i++) expect(all.match(new RegExp(`Overdue follow-up ${i}\\b`, 'g')), `item ${i}`).toHaveLength(1);
  });
});
