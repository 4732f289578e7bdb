import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_ERROR_RATIOS, estimateIncidentBudget, parseSeverityErrorRatios } from '../../../src/slo/estimate.js';
import { SloConfigError } from '../../../src/slo/model.js';

const MINUTE = 60_000;
const thirtyDays = { target: 0.999, window: { text: '30d', ms: 30 * 24 * 60 * MINUTE } };

describe('the estimate from impact and severity', () => {
  it('counts a SEV1 as a full outage: 43.2 minutes of impact spend the whole 99.9 % / 30-day budget', () => {
    const use = estimateIncidentBudget(thirtyDays, { impactMs: 43.2 * MINUTE, severity: 'sev1' });
    expect(use).toMatchObject({ kind: 'estimate', severity: 'sev1', errorRatio: 1 });
    expect(use.consumed).toBeCloseTo(1, 9);
  });

  it('counts SEV2 as half the requests failing and SEV3 as a tenth, by default', () => {
    expect(DEFAULT_SEVERITY_ERROR_RATIOS).toEqual({ sev1: 1, sev2: 0.5, sev3: 0.1 });
    expect(estimateIncidentBudget(thirtyDays, { impactMs: 60 * MINUTE, severity: 'sev2' }).consumed).toBeCloseTo(30 / 43.2, 9);
    expect(estimateIncidentBudget(thirtyDays, { impactMs: 60 * MINUTE, severity: 'sev3' }).badTimeMs).toBeCloseTo(6 * MINUTE, 6);
  });

  it('uses the fractions it is given', () => {
    const ratios = parseSeverityErrorRatios({ SLO_ESTIMATE_SEV2: '0.25', SLO_ESTIMATE_SEV3: '2%' });
    expect(ratios).toEqual({ sev1: 1, sev2: 0.25, sev3: 0.02 });
    const use = estimateIncidentBudget(thirtyDays, { impactMs: 100 * MINUTE, severity: 'sev2' }, ratios);
    expect(use.badTimeMs).toBe(25 * MINUTE);
    expect(use.kind).toBe('estimate');
  });
});

describe('SLO_ESTIMATE_SEV2 and SLO_ESTIMATE_SEV3', () => {
  it('default to 0.5 and 0.1 when unset or blank', () => {
    expect(parseSeverityErrorRatios({})).toEqual({ sev1: 1, sev2: 0.5, sev3: 0.1 });
    expect(parseSeverityErrorRatios({ SLO_ESTIMATE_SEV2: ' ', SLO_ESTIMATE_SEV3: '' })).toEqual({ sev1: 1, sev2: 0.5, sev3: 0.1 });
  });

  it('accept 0 and 1, a leading dot and percentages', () => {
    expect(parseSeverityErrorRatios({ SLO_ESTIMATE_SEV2: '1', SLO_ESTIMATE_SEV3: '0' })).toMatchObject({ sev2: 1, sev3: 0 });
    expect(parseSeverityErrorRatios({ SLO_ESTIMATE_SEV2: '.3', SLO_ESTIMATE_SEV3: '100%' })).toMatchObject({ sev2: 0.3, sev3: 1 });
  });

  it('refuse anything else, naming each variable', () => {
    try {
      parseSeverityErrorRatios({ SLO_ESTIMATE_SEV2: '0,5', SLO_ESTIMATE_SEV3: '1.5' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SloConfigError);
      expect((error as SloConfigError).problems).toEqual([
        'SLO_ESTIMATE_SEV2 must be the fraction of requests failing, from 0 to 1, like 0.5 (or a percentage like 50%)',
        'SLO_ESTIMATE_SEV3 must be the fraction of requests failing, from 0 to 1, like 0.5 (or a percentage like 50%)',
      ]);
    }
    expect(() => parseSeverityErrorRatios({ SLO_ESTIMATE_SEV2: '150%' })).toThrow(/SLO_ESTIMATE_SEV2/);
    expect(() => parseSeverityErrorRatios({ SLO_ESTIMATE_SEV3: 'half' })).toThrow(/SLO_ESTIMATE_SEV3/);
  });
});
