import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { entry, postmortemData, section, at } from './fixture.js';

const IDENTIFIED = entry('status_update', 12, 'Identified: Deploy 4812 shipped a payment client without a timeout (<@U0BOB>)', 'U0BOB');
const MONITORING = entry('status_update', 23, 'Monitoring: Rolled back to 4811; error rate 0.2% (<@U0BOB>)', 'U0BOB');
const DECLARED = entry('declared', 0, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking');
const RESOLVED = entry('resolved', 47, 'Resolved by <@U0ALICE>: Rolled back deploy 4812');

describe('the postmortem sections', () => {
  it('says the duration once', () => {
    const impact = section(renderPostmortem(postmortemData()), 'Impact');
    expect(impact).toContain('| Time to resolve | 47 minutes (from the declaration: no impact start recorded) |');
    expect(impact.match(/47 min/g)).toHaveLength(1);
    expect(impact).not.toContain('| Impact lasted |');
  });

  it('puts the fix under Resolution and never seeds the causes with it', () => {
    const markdown = renderPostmortem(postmortemData({ timeline: [DECLARED, MONITORING, RESOLVED] }));
    expect(section(markdown, 'Contributing factors')).not.toContain('Rolled back deploy 4812');
    expect(section(markdown, 'Contributing factors')).toContain('- **[to fill]**');
    expect(section(markdown, 'Root cause')).not.toContain('Rolled back');
    const resolution = section(markdown, 'Resolution');
    expect(resolution).toContain('- From the "monitoring" update at 10:23 UTC: Rolled back to 4811; error rate 0.2%');
    expect(resolution).toContain('- Resolved at 10:47 UTC by ![](@U0ALICE): Rolled back deploy 4812');
  });

  it('asks for the fix when the resolve had no summary, and says when it is not resolved', () => {
    const noSummary = renderPostmortem(postmortemData({ incident: { resolveSummary: null }, timeline: [DECLARED, entry('resolved', 47, 'Resolved by <@U0ALICE>')] }));
    expect(section(noSummary, 'Resolution')).toContain('- Resolved at 10:47 UTC by ![](@U0ALICE): what fixed it, **[to fill]**');
    const open = renderPostmortem(postmortemData({ incident: { status: 'monitoring', resolvedAt: null, resolveSummary: null }, timeline: [DECLARED] }));
    expect(section(open, 'Resolution')).toContain('- Not resolved yet: **[to fill]**');
  });

  it('has a Trigger seeded from the "identified" update, or left to fill', () => {
    const markdown = renderPostmortem(postmortemData({ timeline: [DECLARED, IDENTIFIED, RESOLVED] }));
    const trigger = section(markdown, 'Trigger');
    expect(trigger).toContain('- From the "identified" update at 10:12 UTC: Deploy 4812 shipped a payment client without a timeout\n');
    expect(trigger).toContain('- **[to fill]**');
    expect(section(renderPostmortem(postmortemData()), 'Trigger')).toMatch(/_\n\n- \*\*\[to fill\]\*\*\n$/);
  });

  it('has a Detection from the declaration, when nobody was paged', () => {
    const detection = section(renderPostmortem(postmortemData()), 'Detection');
    expect(detection).toContain('- Declared SEV2 at 10:00 UTC by ![](@U0ALICE).');
    expect(detection).toContain('- Nobody was paged through the bot.');
    expect(detection).not.toContain('acknowledged');
    expect(detection).toContain('- How it was first noticed (an alert, a customer report, someone looking at a graph): **[to fill]**');
    expect(detection).toContain('- When the impact began, and so how long it went unnoticed: **[to fill]** (`/incident impact started <time>` records it)');
  });

  it('has a Detection with the page and its acknowledgement when they were recorded', () => {
    const paged = entry('paged', 1, 'Paged PagerDuty (payments)', 'U0ALICE');
    const ack = entry('pagerduty', 4, 'Acknowledged in PagerDuty (payments) by Dan Oncall', null);
    const markdown = renderPostmortem(
      postmortemData({ incident: { acknowledgedAt: at(4) }, firstPageDeliveredAt: at(1), timeline: [DECLARED, paged, ack, RESOLVED] }),
    );
    const detection = section(markdown, 'Detection');
    expect(detection).toContain('- Paged PagerDuty (payments) at 10:01 UTC, by ![](@U0ALICE); the first page reached PagerDuty at 10:01 UTC.');
    expect(detection).toContain('- Acknowledged in PagerDuty (payments) by Dan Oncall at 10:04 UTC, 4 minutes after declaration.');

    const unacknowledged = section(renderPostmortem(postmortemData({ timeline: [DECLARED, paged, RESOLVED] })), 'Detection');
    expect(unacknowledged).toContain('- Page acknowledged: **[to fill]** (no acknowledgement was recorded).');
  });

  it('orders the story: timeline, trigger, detection, resolution, then the causes', () => {
    const headings = renderPostmortem(postmortemData()).split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Summary',
      '## Impact',
      '## SLO impact',
      '## Timeline (UTC)',
      '## Trigger',
      '## Detection',
      '## Resolution',
      '## Root cause',
      '## Contributing factors',
      '## Action items',
      '## What went well',
      '## What went wrong',
      '## Lessons learned',
      '## Responders',
      '## Language check',
    ]);
  });
});

describe('what went wrong, about acknowledgement', () => {
  it('blames no missing acknowledgement when nobody was paged, and notes one when a page went unacknowledged', () => {
    expect(section(renderPostmortem(postmortemData({ timeline: [DECLARED, RESOLVED] })), 'What went wrong')).not.toContain('acknowledg');
    const paged = entry('paged', 1, 'Paged PagerDuty (default)', 'U0ALICE');
    expect(section(renderPostmortem(postmortemData({ timeline: [DECLARED, paged, RESOLVED] })), 'What went wrong')).toContain(
      '- No acknowledgement of the page was recorded, so time to acknowledge is unknown.',
    );
  });
});
