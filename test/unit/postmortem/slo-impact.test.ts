import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { estimatedBudgetStatus, measuredIncidentBudget } from '../../../src/slo/budget.js';
import { at, postmortemData, section } from './fixture.js';
import { AVAILABILITY, LATENCY, estimated, measuredAvailability, MINUTE, missing, sloFigures, stored } from './slo-fixture.js';

const LINKED = { incident: { service: 'checkout-api' }, slo: { serviceSlos: ['checkout_availability', 'checkout_latency'] } } as const;
const budgetLine = (markdown: string) => markdown.split('\n').find((l) => l.startsWith('**Error budget impact**'))!;

describe('the error budget line and the SLO impact section', () => {
  it('states measured figures as the issue writes them, with the table and what Prometheus was asked', () => {
    // 30 % failing × 47 min = 14.1 min of a 43.2-min budget = 32.6 %; the window leaves 29 min = 67.1 %.
    const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(measuredAvailability())] }));
    expect(budgetLine(markdown)).toMatch(/^\*\*Error budget impact\*\*: 32\.6 % of the 30-day budget of checkout_availability consumed in this incident; 29 minutes remaining\. /);
    expect(markdown).not.toContain('<!-- error-budget -->');
    expect(markdown).not.toMatch(/estimate/i);
    const slo = section(markdown, 'SLO impact');
    expect(slo).toContain('_What this incident cost each SLO of checkout-api over its impact window, 10:00 UTC to 10:47 UTC (47 minutes)._');
    expect(slo).toContain('Computed at 10:47 UTC, after the resolve: these are the figures recorded for this postmortem, and `/incident postmortem` states them again as they are.');
    expect(slo).toContain('`/incident impact started|ended <time>`) recomputes them');
    expect(slo).toContain(
      [
        '### checkout_availability',
        '',
        '| | |',
        '|---|---|',
        '| Target | 99.9 % |',
        '| Window | 30 days, rolling |',
        '| Error budget | 43.2 minutes (0.1 % of 30 days) |',
        '| Consumed in this incident | 32.6 % (14.1 minutes of 43.2 minutes), measured: 30.0 % of requests failing on average over 47 minutes of impact |',
        '| Remaining after it | 67.1 % (29 minutes), measured over the 30 days up to 10:47 UTC; burn rate then 0.5× |',
        '| Policy state | Within budget: no policy threshold crossed |',
      ].join('\n'),
    );
    expect(slo).toContain('- The error ratio of checkout_availability over 30d at 10:47 UTC: sum(rate(http_requests_total{status=~"5.."}[30d]))');
  });

  it('says "at least" of an impact whose beginning Prometheus no longer keeps, and how much of it was measured', () => {
    // 30 % failing over the 37 minutes kept of 47 = 11.1 minutes of 43.2 = 25.7 %; the first 10 minutes are past a 1h retention.
    const base = measuredAvailability();
    const use = measuredIncidentBudget(AVAILABILITY, { impactMs: 47 * MINUTE, errorRatio: 0.3, notKept: { ms: 10 * MINUTE, retentionText: '1h' } });
    const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored({ ...base, incident: use })] }));
    expect(budgetLine(markdown)).toMatch(
      /^\*\*Error budget impact\*\*: At least 25\.7 % of the 30-day budget of checkout_availability consumed in this incident \(its first 10 minutes are past what Prometheus keeps\); /,
    );
    expect(section(markdown, 'SLO impact')).toContain(
      '| Consumed in this incident | at least 25.7 % (11.1 minutes of 43.2 minutes), measured: 30.0 % of requests failing on average over the last 37 minutes of 47 minutes of impact; ' +
        'its first 10 minutes are past the 1 hour Prometheus keeps (its storage retention), so what they burned is not known |',
    );
    expect(section(markdown, 'Action items')).toContain('this incident used at least 25.7 % of its 30-day budget');
  });

  it('calls an estimate one wherever it is shown, with the severity ratio it assumed', () => {
    // SEV1 = every request failing: 30 min of a 43.2-min budget = 69.4 %; 13.2 min (30.6 %) left.
    const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(estimated(AVAILABILITY, 'sev1', 30))] }));
    expect(budgetLine(markdown)).toContain(
      'An estimated 69.4 % of the 30-day budget of checkout_availability consumed in this incident (estimate: SEV1 counted as a full outage (every request failing)); 13.2 minutes remaining (estimate).',
    );
    const slo = section(markdown, 'SLO impact');
    expect(slo).toContain('| Consumed in this incident | 69.4 % (30 minutes of 43.2 minutes), an estimate: SEV1 counted as a full outage (every request failing) over 30 minutes of impact |');
    expect(slo).toContain("| Remaining after it | 30.6 % (13.2 minutes), an estimate: the budget less this incident's estimated use (the only incident in the window) |");
    expect(slo).toContain('| Policy state | 50 % or less left: notify (from the estimate) |');
    expect(slo).not.toContain('What Prometheus was asked');
    for (const line of markdown.split('\n').filter((l) => /69\.4 %|30\.6 %|13\.2 minutes/.test(l))) expect(line).toMatch(/estimate/);

    // SEV3 at the default 10 %: 6 of 43.2 minutes = 13.9 %, under the 20 % that asks for a postmortem.
    const sev3 = renderPostmortem(postmortemData({ ...LINKED, incident: { ...LINKED.incident, severity: 'sev3' }, sloFigures: [stored(estimated(AVAILABILITY, 'sev3', 60))] }));
    expect(budgetLine(sev3)).toContain('An estimated 13.9 % of the 30-day budget of checkout_availability consumed in this incident (estimate: SEV3 counted as 10 % of requests failing)');
    expect(section(sev3, 'SLO impact')).toContain('| Postmortem | Not required by the error-budget policy (20 % of the budget or less in one incident) |');
    expect(sev3).not.toMatch(/postmortem required|P0/i);
  });

  it('marks more than 20 % of a budget "postmortem required" and proposes a P0 action item, not recorded, owner to fill', () => {
    const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(estimated(AVAILABILITY, 'sev1', 30))] }));
    expect(budgetLine(markdown)).toContain('**Postmortem required**: this incident used more than 20 % of an error budget (see SLO impact).');
    expect(section(markdown, 'SLO impact')).toContain(
      '| Postmortem | **Postmortem required** (by the estimate): more than 20 % of the budget in one incident; a P0 action item is proposed under Action items |',
    );
    const actions = section(markdown, 'Action items');
    expect(actions).toContain(
      '| **P0, proposed**: Reliability work for checkout_availability: this incident used 69.4 % (estimate) of its 30-day budget | **[to fill]** | **[to fill]** | Proposed, not recorded: `/incident action <text>` records it |',
    );
    // The proposal is the row to fill: no empty placeholder row beside it.
    expect(actions).not.toContain('| **[to fill]** | | | |');

    // Exactly 20 % is not "more than": 8.64 of 43.2 minutes.
    const edge = sloFigures(AVAILABILITY, measuredIncidentBudget(AVAILABILITY, { impactMs: 518_400, errorRatio: 1 }), missing('not asked'));
    expect(renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(edge)] }))).not.toMatch(/postmortem required|P0/i);
  });

  it('gives each SLO its own table, in catalog order, and proposes a P0 only for those over 20 %', () => {
    // Latency, SEV3 estimate: 10 % × 10 min = 1 of 50.4 minutes = 2.0 %.
    const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(measuredAvailability()), stored(estimated(LATENCY, 'sev3', 10))] }));
    const slo = section(markdown, 'SLO impact');
    expect([...slo.matchAll(/^### (.+)$/gm)].map((m) => m[1])).toEqual(['checkout_availability', 'checkout_latency']);
    expect(slo).toContain('| Target | 99.5 % |\n| Window | 7 days, rolling |\n| Error budget | 50.4 minutes (0.5 % of 7 days) |');
    expect(slo).toContain('| Consumed in this incident | 2.0 % (1 minute of 50.4 minutes), an estimate: SEV3 counted as 10 % of requests failing over 10 minutes of impact |');
    expect(budgetLine(markdown)).toContain('32.6 % of the 30-day budget of checkout_availability consumed in this incident; 29 minutes remaining. An estimated 2.0 % of the 7-day budget of checkout_latency');
    const proposed = section(markdown, 'Action items').split('\n').filter((l) => l.includes('P0, proposed'));
    expect(proposed).toEqual([
      '| **P0, proposed**: Reliability work for checkout_availability: this incident used 32.6 % of its 30-day budget | **[to fill]** | **[to fill]** | Proposed, not recorded: `/incident action <text>` records it |',
    ]);
  });

  it('says why a figure is missing and that it is asked again, and proposes nothing on it', () => {
    const down = 'Prometheus at http://prometheus:9090 did not answer (connection refused)';
    const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(sloFigures(AVAILABILITY, missing(down), missing(down)))] }));
    expect(budgetLine(markdown)).toContain(`The 30-day budget of checkout_availability: not known (${down}); asked again at each periodic SLO refresh, and this draft rewritten once it is had.`);
    const slo = section(markdown, 'SLO impact');
    expect(slo).toContain(`| Consumed in this incident | Not known: ${down}. It is asked again at each periodic SLO refresh, and this draft rewritten once it is had (\`/incident impact started|ended <time>\` also recomputes the figures) |`);
    expect(slo).toContain(`| Remaining after it | Not known: ${down} |`);
    expect(slo).toContain('| Policy state | Not known: the budget remaining is missing |');
    expect(markdown).not.toMatch(/postmortem required|P0/i);

    // Only the window's figure missing: the incident's use is still stated.
    const half = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(sloFigures(AVAILABILITY, measuredAvailability().incident, missing('no data for the 30d window')))] }));
    expect(budgetLine(half)).toContain('32.6 % of the 30-day budget of checkout_availability consumed in this incident; the budget remaining is not known (no data for the 30d window).');
  });

  it('names the policy threshold in effect, down to an overspent budget', () => {
    const status = (remaining: number) => ({ kind: 'estimate', budgetMs: 43.2 * MINUTE, remaining, incidents: 2 }) as const;
    const withRemaining = (remaining: number) =>
      section(renderPostmortem(postmortemData({ ...LINKED, sloFigures: [stored(sloFigures(AVAILABILITY, estimated(AVAILABILITY, 'sev1', 30).incident, status(remaining)))] })), 'SLO impact');
    expect(withRemaining(0.2)).toContain('| Policy state | 25 % or less left: freeze non-critical deployments (from the estimate) |');
    expect(withRemaining(0.2)).toContain('the estimated use of the 2 incidents in the window, this one included');
    const overspent = withRemaining(-0.25);
    expect(overspent).toContain('| Remaining after it | overspent by 25.0 % of the budget (10.8 minutes), an estimate');
    expect(overspent).toContain('| Policy state | Budget spent: reliability work only (from the estimate) |');
    // A service's own policy replaces the default.
    const own = renderPostmortem(
      postmortemData({ ...LINKED, slo: { ...LINKED.slo, thresholds: [{ budgetRemaining: 0.9, actions: ['page the service owner'] }] }, sloFigures: [stored(estimated(AVAILABILITY, 'sev1', 30))] }),
    );
    expect(section(own, 'SLO impact')).toContain('| Policy state | 90 % or less left: page the service owner (from the estimate) |');
    expect(estimatedBudgetStatus(AVAILABILITY, []).remaining).toBe(1);
  });
});

describe('when there are no figures to state', () => {
  it('says how to link a service instead of leaving a placeholder, or that no SLOs are configured', () => {
    const markdown = renderPostmortem(postmortemData());
    const sentence = 'No affected service was linked: `/incident service <name>` links one; the error budgets of its SLOs are then computed and this draft rewritten.';
    expect(budgetLine(markdown)).toBe(`**Error budget impact**: ${sentence}  `);
    expect(section(markdown, 'SLO impact').trim()).toBe(sentence);
    expect(markdown).not.toContain('<!--');
    expect(budgetLine(renderPostmortem(postmortemData({ slo: { configured: false } })))).toBe('**Error budget impact**: No SLOs are configured (`SLO_FILES`), so no error budget was computed.  ');
    expect(budgetLine(renderPostmortem(postmortemData({ incident: { service: 'legacy-api' } })))).toContain('legacy-api has no SLO in the SLO files, so no error budget was computed.');
  });

  it('says "being computed" at resolve until the final figures land, ignoring figures from before the resolve', () => {
    const pending = renderPostmortem(postmortemData({ ...LINKED }));
    expect(budgetLine(pending)).toContain('Being computed for the SLOs of checkout-api; this draft is rewritten with the figures when they land.');
    expect(section(pending, 'SLO impact')).toContain('The error budgets of the SLOs of checkout-api (checkout_availability, checkout_latency) are being computed, just after the resolve');
    // Figures of the open incident, or of an earlier resolve before a reopen, are not the final ones.
    for (const early of [stored(measuredAvailability(), at(40), false), stored(measuredAvailability(), at(30), true)]) {
      const markdown = renderPostmortem(postmortemData({ ...LINKED, sloFigures: [early] }));
      expect(budgetLine(markdown)).toContain('Being computed');
      expect(markdown).not.toContain('32.6 %');
    }
  });

  it('shows an open incident its figures so far, saying the final ones come at resolve', () => {
    const open = { status: 'monitoring', resolvedAt: null, resolveSummary: null, service: 'checkout-api' } as const;
    const markdown = renderPostmortem(postmortemData({ ...LINKED, incident: open, sloFigures: [stored(measuredAvailability(), at(40), false)] }));
    expect(budgetLine(markdown)).toContain('So far (computed at 10:40 UTC, the incident is not resolved): 32.6 % of the 30-day budget');
    const slo = section(markdown, 'SLO impact');
    expect(slo).toContain('So far: computed at 10:40 UTC, while the incident is open. The figures this postmortem states are computed at the resolve.');
    expect(slo).toContain('impact window, from 10:00 UTC, still going on.');
  });
});
