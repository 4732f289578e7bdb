/**
 * `/incident stats` fits Slack by construction: a quarter of 400 incidents
 * with the longest titles the bot accepts, made of what escaping makes
 * longest, on services with long names, each a repeat, is still one message
 * Slack takes whole, and says what it left out.
 */
import { describe, expect, it } from 'vitest';
import { chunkDigest, type DigestItem, type DigestReliability } from '../../../src/domain/digest.js';
import { statsPeriods } from '../../../src/domain/stats-period.js';
import { statsReport } from '../../../src/domain/stats-report.js';
import type { StatsIncident } from '../../../src/domain/stats.js';
import { digestChunkBlocks, digestHeaderBlocks, digestTitle } from '../../../src/slack/views/digest.js';
import { statsBlocks } from '../../../src/slack/views/stats.js';
import { messageProblems } from '../../support/slack-limits.js';

const angles = (length: number) => '<&>'.repeat(Math.ceil(length / 3)).slice(0, length);
const NOW = new Date('2026-11-21T12:00:00Z');

function history(count: number, from: Date): StatsIncident[] {
  return Array.from({ length: count }, (_, i) => {
    const declaredAt = new Date(from.getTime() + (i + 1) * 60_000);
    const service = `${angles(190)}${i % 7}`;
    return {
      id: 100_000 + i,
      title: angles(150),
      isPrivate: i % 5 === 0,
      channelId: `C0INC${i}`,
      severity: (['sev1', 'sev2', 'sev3'] as const)[i % 3]!,
      declaredVia: (['command', 'form', 'alert'] as const)[i % 3]!,
      declaredAt,
      acknowledgedAt: i % 2 ? new Date(declaredAt.getTime() + 5 * 60_000) : null,
      resolvedAt: i % 4 ? new Date(declaredAt.getTime() + 3 * 86_400_000) : null,
      impactStartedAt: new Date(declaredAt.getTime() - 60_000),
      impactEndedAt: null,
      service,
      firstAlertAt: i % 3 === 2 ? declaredAt : null,
      alertNames: [angles(200)],
      burns: Array.from({ length: 3 }, (_, s) => ({ sloId: `${service}/${s}`, service, name: angles(100), consumed: s === 2 ? null : 0.01 * i, estimate: s === 1 })),
    };
  });
}

describe('the /incident stats message', () => {
  it('stays within every Slack limit for a large quarter, naming what fits and counting the rest', () => {
    const periods = statsPeriods('quarter', NOW, 'Europe/Paris');
    const records = { current: { incidents: history(400, periods.current.from), followUps: [] }, previous: { incidents: history(300, periods.previous.from), followUps: [] } };
    const message = statsBlocks(statsReport(periods, records, { type: 'person', userId: 'U1', channelId: 'C0GENERAL', memberOf: new Set() }, 'Europe/Paris'), 'Europe/Paris');
    expect(messageProblems(message)).toEqual([]);
    const all = JSON.stringify(message.blocks);
    expect(all).toMatch(/_…and \d+ more repeats_/);
    expect(all).toContain('80 private incidents of this period are counted above');
    expect(message.blocks.length).toBeLessThanOrEqual(8);
  });

  it('reads when there is nothing to say', () => {
    const periods = statsPeriods('30d', NOW, 'UTC');
    const empty = { incidents: [], followUps: [] };
    const message = statsBlocks(statsReport(periods, { current: empty, previous: empty }, { type: 'channel', channelId: 'C1' }, 'UTC'), 'UTC');
    expect(messageProblems(message)).toEqual([]);
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('*Incidents*: 0 (was 0)');
    expect(all).toContain('*Repeat incidents*: none');
    expect(message.text).toBe('Reliability, the last 30 days: 0 incidents (was 0), MTTR unknown');
  });
});

describe('the weekly digest with its reliability section', () => {
  it('keeps its first message within 50 blocks and every text within Slack limits, at fifteen owners and long SLO names', () => {
    // Fifteen items of fifteen owners: fifteen headings and thirty item blocks, the worst first message.
    const items: DigestItem[] = Array.from({ length: 15 }, (_, i) => ({
      id: i + 1, incidentId: 1, number: i + 1, text: angles(500), ownerId: `U${i}`, dueDate: '2026-11-01', incidentTitle: angles(150), channelId: 'C0INC', isPrivate: false,
    }));
    const reliability: DigestReliability = {
      days: 7, incidents: 400, previousIncidents: 0, mttr: 4000, previousMttr: null, resolved: 399, hidden: 12,
      budgets: Array.from({ length: 5 }, (_, i) => ({ service: angles(300), name: angles(300), consumed: 1.5 * i, previous: i, estimate: true })),
    };
    const totals = { day: '2026-11-23', overdue: 15, owners: 15, upcoming: 0 };
    const chunk = [...chunkDigest(items, '2026-11-23')][0]!;
    const blocks = [...digestHeaderBlocks(totals, undefined, 3, reliability), ...digestChunkBlocks(chunk, '2026-11-23', { showOwners: true })];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(messageProblems({ text: digestTitle(totals), blocks })).toEqual([]);
    expect(JSON.stringify(blocks[1])).toContain('12 of these are private incidents: counted, not shown by service.');
  });
});
