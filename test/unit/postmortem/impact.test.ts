import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { at, entry, postmortemData, section } from './fixture.js';

const rows = (markdown: string) =>
  section(markdown, 'Impact')
    .split('\n')
    .filter((l) => l.startsWith('| ') && l !== '| | |')
    .map((l) => l.split(' | ')[0]!.slice(2));

describe('the Impact section', () => {
  it('shows impact start, declared, acknowledged and resolved, and the times to detect, declare, acknowledge and resolve', () => {
    // Impact from 09:45, declared 10:00, acknowledged 10:04, resolved 10:47.
    const markdown = renderPostmortem(postmortemData({ incident: { impactStartedAt: at(-15), acknowledgedAt: at(4) } }));
    const impact = section(markdown, 'Impact');
    expect(impact).toContain(
      [
        '| Impact started | 2026-11-16 09:45 UTC |',
        '| Declared | 2026-11-16 10:00 UTC |',
        '| Acknowledged | 2026-11-16 10:04 UTC |',
        '| Resolved | 2026-11-16 10:47 UTC |',
        '| Time to detect | 15 minutes |',
        '| Time to declare | 15 minutes |',
        '| Time to acknowledge | 4 minutes |',
        '| Time to resolve | 1 h 02 min |',
      ].join('\n'),
    );
    // Each figure is defined in words, so nobody reads "time to resolve" from the declaration by mistake.
    expect(impact).toContain('_Time to detect: from the start of impact to its first detection, which the bot knows as the declaration.');
    expect(impact).toContain('Time to resolve: from the start of impact (the declaration, when no start was recorded) to the resolve._');
    expect(section(markdown, 'Detection')).toContain('- Impact began at 09:45 UTC (recorded with `/incident impact started`), 15 minutes before the declaration.');
  });

  it('marks what is not recorded to fill, and says how to record the impact start', () => {
    const impact = section(renderPostmortem(postmortemData()), 'Impact');
    expect(impact).toContain('| Impact started | **[to fill]** (no impact start recorded: `/incident impact started <time>` records it) |');
    expect(impact).toContain('| Acknowledged | **[to fill]** (no page acknowledgement recorded) |');
    expect(impact).toContain('| Time to detect | **[to fill]** |\n| Time to declare | **[to fill]** |\n| Time to acknowledge | **[to fill]** |');
    expect(rows(renderPostmortem(postmortemData()))).toEqual([
      'Impact started',
      'Declared',
      'Acknowledged',
      'Resolved',
      'Time to detect',
      'Time to declare',
      'Time to acknowledge',
      'Time to resolve',
      'What was affected',
      'Users affected',
      'Revenue impact',
    ]);
  });

  it('shows a recorded impact end and how long the impact lasted, apart from time to resolve', () => {
    const impact = section(renderPostmortem(postmortemData({ incident: { impactStartedAt: at(-15), impactEndedAt: at(20) } })), 'Impact');
    expect(impact).toContain('| Impact ended | 2026-11-16 10:20 UTC |\n| Resolved | 2026-11-16 10:47 UTC |');
    expect(impact).toContain('| Time to resolve | 1 h 02 min |');
    expect(impact).toContain('| Impact lasted | 35 minutes |');
  });

  it('says when the declaration came before the impact, or the acknowledgement before the declaration, rather than a negative time', () => {
    const markdown = renderPostmortem(postmortemData({ incident: { impactStartedAt: at(5) } }));
    expect(section(markdown, 'Impact')).toContain('| Time to detect | none: declared 5 minutes before the impact began |');
    expect(section(markdown, 'Impact')).toContain('| Time to resolve | 42 minutes |');
    expect(section(markdown, 'Detection')).toContain('- Impact began at 10:05 UTC (recorded with `/incident impact started`), 5 minutes after the declaration.');
    // A page acknowledged before the incident was declared here (PagerDuty paged first).
    expect(section(renderPostmortem(postmortemData({ incident: { acknowledgedAt: at(-3) } })), 'Impact')).toContain('| Time to acknowledge | none: acknowledged 3 minutes before the declaration |');
  });

  it('dates the times when the impact began the day before the declaration', () => {
    const overnight = postmortemData({
      incident: { declaredAt: new Date('2026-11-17T00:10:00Z'), resolvedAt: new Date('2026-11-17T00:40:00Z'), impactStartedAt: new Date('2026-11-16T23:50:00Z') },
      timeline: [entry('declared', 14 * 60 + 10, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking')],
    });
    expect(section(renderPostmortem(overnight), 'Detection')).toContain('- Impact began at 2026-11-16 23:50 UTC');
  });

  it('is ongoing for an open incident', () => {
    const impact = section(renderPostmortem(postmortemData({ incident: { status: 'investigating', resolvedAt: null, resolveSummary: null, impactStartedAt: at(-5) } })), 'Impact');
    expect(impact).toContain('| Resolved | _ongoing_ |');
    expect(impact).toContain('| Time to resolve | _ongoing_ |');
    expect(impact).toContain('| Time to detect | 5 minutes |');
  });
});
