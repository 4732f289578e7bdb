import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { severityStory } from '../../../src/postmortem/severity.js';
import { entry, postmortemData } from './fixture.js';

const severityLine = (markdown: string) => markdown.split('\n').find((l) => l.startsWith('**Severity**'));

describe('the severity a postmortem reports', () => {
  it('is the highest reached, with each change, not the one the incident ended at', () => {
    const data = postmortemData({
      incident: { severity: 'sev2' },
      timeline: [
        entry('declared', 0, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking'),
        entry('severity_changed', 42, 'Severity raised from SEV2 to SEV1 (complete outage or data loss) by <@U0BOB>'),
        entry('severity_changed', 65, 'Severity lowered from SEV1 to SEV2 (major degradation) by <@U0BOB>'),
        entry('resolved', 80, 'Resolved by <@U0ALICE>'),
      ],
    });
    expect(severityLine(renderPostmortem(data))).toBe(
      '**Severity**: SEV1, complete outage or data loss (declared SEV2, raised to SEV1 at 10:42 UTC, lowered to SEV2 at 11:05 UTC)  ',
    );
  });

  it('keeps the declared severity when it was only lowered afterwards', () => {
    const timeline = [
      entry('declared', 0, 'Declared SEV1 (complete outage or data loss) by <@U0ALICE>: Checkout down'),
      entry('severity_changed', 10, 'Severity lowered from SEV1 to SEV3 (minor impact) by <@U0ALICE>'),
    ];
    expect(severityStory('sev3', timeline)).toEqual({ highest: 'sev1', declared: 'sev1', steps: [{ at: timeline[1]!.occurredAt, from: 'sev1', to: 'sev3' }] });
    expect(severityLine(renderPostmortem(postmortemData({ incident: { severity: 'sev3' }, timeline })))).toBe(
      '**Severity**: SEV1, complete outage or data loss (declared SEV1, lowered to SEV3 at 10:10 UTC)  ',
    );
  });

  it('says the severity alone when it never changed', () => {
    expect(severityLine(renderPostmortem(postmortemData()))).toBe('**Severity**: SEV2, major degradation  ');
  });

  it('dates the changes when the incident spans days (in UTC, whatever the machine says)', () => {
    const data = postmortemData({
      incident: { severity: 'sev2', resolvedAt: new Date('2026-11-17T01:00:00Z') },
      timeline: [
        entry('declared', 0, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking'),
        entry('severity_changed', 14 * 60 + 30, 'Severity raised from SEV2 to SEV1 (complete outage or data loss) by <@U0BOB>'),
      ],
    });
    expect(severityLine(renderPostmortem(data))).toContain('raised to SEV1 at 2026-11-17 00:30 UTC');
  });
});
