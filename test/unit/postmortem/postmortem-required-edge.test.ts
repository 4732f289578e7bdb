import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { requiresPostmortem } from '../../../src/postmortem/slo-impact.js';
import { measuredIncidentBudget } from '../../../src/slo/budget.js';
import { postmortemData, section } from './fixture.js';
import { AVAILABILITY, MINUTE, missing, sloFigures, stored } from './slo-fixture.js';

/** A full outage of `minutes` against the 43.2-minute budget of 99.9 % over 30 days. */
const outage = (minutes: number) => sloFigures(AVAILABILITY, measuredIncidentBudget(AVAILABILITY, { impactMs: minutes * MINUTE, errorRatio: 1 }), missing('not asked'));

describe('"postmortem required" beside the share the draft shows', () => {
  it('is not said of a use the draft writes as 20.0 % (8.65 of 43.2 minutes is 20.02 %)', () => {
    const f = outage(8.65);
    const markdown = renderPostmortem(postmortemData({ incident: { service: 'checkout-api' }, slo: { serviceSlos: [AVAILABILITY.name] }, sloFigures: [stored(f)] }));
    expect(section(markdown, 'SLO impact')).toContain('| Consumed in this incident | 20.0 % (8.7 minutes of 43.2 minutes)');
    expect(markdown).not.toMatch(/postmortem required|P0/i);
    expect(requiresPostmortem(f)).toBe(false);
  });

  it('is said once the share shown is over 20 % (8.7 of 43.2 minutes is 20.1 %)', () => {
    expect(requiresPostmortem(outage(8.7))).toBe(true);
    expect(requiresPostmortem(outage(43.2 * 0.2))).toBe(false);
  });
});
