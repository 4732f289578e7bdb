import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { at, postmortemData, section } from './fixture.js';
import { AVAILABILITY, measuredAvailability, stored } from './slo-fixture.js';

const LINKED = { incident: { service: 'checkout-api' }, slo: { serviceSlos: [AVAILABILITY.name] } } as const;
const DAY_MINUTES = 1440;

describe('figures computed on another day than the incident', () => {
  it('say that day: completed three days after a 47-minute incident of 16 November, they are not "up to 09:15 UTC"', () => {
    // Prometheus was down at the resolve; the figures were had on 19 November at 09:15.
    const later = at(3 * DAY_MINUTES - 45);
    const slo = section(renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(measuredAvailability(), later)] })), 'SLO impact');
    expect(slo).toContain('Computed at 2026-11-19 09:15 UTC, after the resolve');
    expect(slo).toContain('measured over the 30 days up to 2026-11-19 09:15 UTC;');
    // The incident's own times keep the short form of a one-day incident.
    expect(slo).toContain('over its impact window, 10:00 UTC to 10:47 UTC (47 minutes)');
  });

  it('keep the short form when computed the same day', () => {
    const slo = section(renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(measuredAvailability(), at(50))] })), 'SLO impact');
    expect(slo).toContain('Computed at 10:50 UTC, after the resolve');
  });
});
