import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DigestScheduler } from '../../src/jobs/digest-scheduler.js';
import type { DigestRunner } from '../../src/jobs/digest-runner.js';
import { chunkDigest, daysOverdue, type DigestItem } from '../../src/domain/digest.js';
import { digestChunkBlocks } from '../../src/slack/views/digest.js';
import { MAX_BLOCKS, MAX_TEXT } from '../../src/slack/views/limits.js';
import { FixedClock } from '../support/fixed-clock.js';

const scheduler = (cron: string, zone: string) => new DigestScheduler(cron, zone, {} as DigestRunner, new FixedClock(), pino({ level: 'silent' }));

describe('digest schedule', () => {
  it('fires Mondays 09:00 on the team clock, across the change to and from daylight saving', () => {
    const paris = scheduler('0 9 * * 1', 'Europe/Paris');
    // Summer time (UTC+2) until Sunday 2026-10-25, winter time (UTC+1) after; back on 2026-03-29.
    expect(paris.latestTick(new Date('2026-10-19T07:30:00Z'))?.toISOString()).toBe('2026-10-19T07:00:00.000Z');
    expect(paris.latestTick(new Date('2026-10-26T08:30:00Z'))?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(paris.latestTick(new Date('2026-10-26T07:30:00Z'))).toBeUndefined();
    expect(paris.nextTick(new Date('2026-03-24T00:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    const newYork = scheduler('0 9 * * 1', 'America/New_York');
    expect(newYork.nextTick(new Date('2026-10-27T00:00:00Z'))?.toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('accepts six fields with seconds, and in UTC by default', () => {
    const s = scheduler('30 0 9 * * 1', 'UTC');
    expect(s.latestTick(new Date('2026-11-23T09:05:00Z'))?.toISOString()).toBe('2026-11-23T09:00:30.000Z');
  });

  it('does not post a period older than a day (a clock jump forward posts the latest only)', () => {
    const s = scheduler('0 9 * * 1', 'UTC');
    expect(s.latestTick(new Date('2026-11-24T09:30:00Z'))).toBeUndefined();
    expect(s.latestTick(new Date('2026-11-23T20:00:00Z'))?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
  });
});

describe('digest chunks', () => {
  const item = (i: number, owner: string, due: string): DigestItem => ({
    id: i, incidentId: 1 + (i % 3), number: i, text: 'x'.repeat(500), ownerId: owner, dueDate: due, incidentTitle: 't'.repeat(150), channelId: 'C1', isPrivate: false,
  });

  it('counts days overdue on the calendar', () => {
    expect(daysOverdue({ dueDate: '2026-11-01' }, '2026-11-23')).toBe(22);
    expect(daysOverdue({ dueDate: '2026-10-24' }, '2026-10-26')).toBe(2);
  });

  it('cuts any number of items into messages within Slack limits, each item once', () => {
    const items = Array.from({ length: 100 }, (_, i) => item(i, `U${i}`, i < 70 ? '2026-11-01' : '2026-11-25'));
    const chunks = [...chunkDigest(items, '2026-11-23')];
    expect(chunks.flatMap((c) => c.items.map((i) => i.id))).toEqual(items.map((i) => i.id));
    for (const chunk of chunks) {
      const blocks = digestChunkBlocks(chunk, '2026-11-23', { showOwners: true });
      expect(blocks.length + 2).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const b of blocks) if (b.type === 'section') expect((b.text as { text: string }).text.length).toBeLessThanOrEqual(MAX_TEXT);
    }
    expect(chunks[0]!.items[0]!.section).toBe('overdue');
    expect(chunks.at(-1)!.items.at(-1)!.section).toBe('upcoming');
  });
});
