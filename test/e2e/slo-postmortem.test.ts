/**
 * The postmortem states what the incident cost its SLOs, without Prometheus:
 * every figure is an estimate from the impact window and the severity, the
 * final figures are those computed at resolve, publishing again keeps them,
 * and recording the impact again after the resolve recomputes them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { section } from '../unit/postmortem/fixture.js';

const MINUTE = 60_000;

/*
 * examples/slo/checkout-api.yaml, worked out by hand. A SEV1 is estimated as
 * a full outage: every minute of impact spends a minute of budget.
 *   checkout_availability  99.9 % over 30 days: 0.001 × 43 200 min = 43.2 min
 *   checkout_latency       99.5 % over  7 days: 0.005 × 10 080 min = 50.4 min
 *   receipt_emails         99 %   over 28 days: 0.01  × 40 320 min = 403.2 min (6 h 43 min)
 * Impact 08:45 (recorded) to the resolve at 09:15 = 30 minutes:
 *   availability 30 / 43.2 = 69.4 %, 13.2 min (30.6 %) left: past the 50 % threshold (notify)
 *   latency      30 / 50.4 = 59.5 %, 20.4 min (40.5 %) left: past 50 % too
 *   receipts     30 / 403.2 = 7.4 %: under the 20 % that requires a postmortem
 */
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const minutes = (x: number) => `${Number(x.toFixed(1))} minutes`;
const AVAILABILITY_BUDGET = 0.001 * 30 * 24 * 60;
const LATENCY_BUDGET = 0.005 * 7 * 24 * 60;
const RECEIPTS_BUDGET = 0.01 * 28 * 24 * 60;

describe('the postmortem with SLO figures, estimated (no Prometheus)', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('states the estimate at resolve, marks "postmortem required" with a proposed P0, keeps the figures on re-publishing and recomputes them on /incident impact', async () => {
    const clock = new FixedClock(new Date('2026-11-16T09:00:00Z'));
    h = await Harness.start({ bot: { clock }, env: { SLO_FILES: 'examples/slo/checkout-api.yaml' } });
    await h.run('declare sev1 Checkout down', { userId: 'U0ALICE' });
    const channel = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: channel, userId: 'U0ALICE' });
    await h.run('impact started 15m ago', { channelId: channel, userId: 'U0ALICE' });
    clock.advance(15 * MINUTE);
    await h.run('resolve Failed over to the standby payment provider', { channelId: channel, userId: 'U0ALICE' });

    expect([pct(30 / AVAILABILITY_BUDGET), minutes(AVAILABILITY_BUDGET * (1 - 30 / AVAILABILITY_BUDGET)), pct(1 - 30 / AVAILABILITY_BUDGET)]).toEqual(['69.4 %', '13.2 minutes', '30.6 %']);
    expect([pct(30 / LATENCY_BUDGET), pct(30 / RECEIPTS_BUDGET)]).toEqual(['59.5 %', '7.4 %']);

    // The first draft, written in the resolve's transaction, is replaced by the one the SLO job writes with the final figures.
    const draft = (await h.bot.store.postmortems.get(1))!;
    expect(draft.version).toBe(2);
    const markdown = draft.markdown;
    expect(markdown).not.toContain('Being computed');

    const budgetLine = markdown.split('\n').find((l) => l.startsWith('**Error budget impact**'))!;
    expect(budgetLine).toContain(
      'An estimated 69.4 % of the 30-day budget of checkout_availability consumed in this incident (estimate: SEV1 counted as a full outage (every request failing)); 13.2 minutes remaining (estimate).',
    );
    expect(budgetLine).toContain('An estimated 59.5 % of the 7-day budget of checkout_latency consumed in this incident');
    expect(budgetLine).toContain('An estimated 7.4 % of the 28-day budget of receipt_emails consumed in this incident');
    expect(budgetLine).toContain('**Postmortem required**');

    const impact = section(markdown, 'Impact');
    expect(impact).toContain('| Impact started | 2026-11-16 08:45 UTC |\n| Declared | 2026-11-16 09:00 UTC |');
    expect(impact).toContain('| Time to detect | 15 minutes |\n| Time to declare | 15 minutes |');
    expect(impact).toContain('| Time to resolve | 30 minutes |');

    const slo = section(markdown, 'SLO impact');
    expect(slo).toContain('_What this incident cost each SLO of checkout-api over its impact window, 08:45 UTC to 09:15 UTC (30 minutes)._');
    expect([...slo.matchAll(/^### (.+)$/gm)].map((m) => m[1])).toEqual(['checkout_availability', 'checkout_latency', 'receipt_emails']);
    expect(slo).toContain('| Error budget | 43.2 minutes (0.1 % of 30 days) |');
    expect(slo).toContain('| Consumed in this incident | 69.4 % (30 minutes of 43.2 minutes), an estimate: SEV1 counted as a full outage (every request failing) over 30 minutes of impact |');
    expect(slo).toContain("| Remaining after it | 30.6 % (13.2 minutes), an estimate: the budget less this incident's estimated use (the only incident in the window) |");
    expect(slo).toContain('| Policy state | 50 % or less left: notify (from the estimate) |');
    expect(slo).toContain('| Error budget | 6 h 43 min (1 % of 28 days) |'); // 403.2 minutes
    expect(slo).toContain('| Postmortem | Not required by the error-budget policy (20 % of the budget or less in one incident) |');

    const proposed = section(markdown, 'Action items')
      .split('\n')
      .filter((l) => l.includes('P0, proposed'));
    expect(proposed).toEqual([
      '| **P0, proposed**: Reliability work for checkout_availability: this incident used 69.4 % (estimate) of its 30-day budget | **[to fill]** | **[to fill]** | Proposed, not recorded: `/incident action <text>` records it |',
      '| **P0, proposed**: Reliability work for checkout_latency: this incident used 59.5 % (estimate) of its 7-day budget | **[to fill]** | **[to fill]** | Proposed, not recorded: `/incident action <text>` records it |',
    ]);
    // A proposal is not an action item until someone records it.
    expect(await h.bot.store.actions.listForIncident(1)).toEqual([]);

    // Publishing again later states the same figures: they were recorded at the resolve.
    clock.advance(60 * MINUTE);
    await h.run('postmortem', { channelId: channel });
    const republished = (await h.bot.store.postmortems.get(1))!;
    expect(republished.version).toBe(3);
    expect(section(republished.markdown, 'SLO impact')).toBe(slo);
    expect(republished.markdown).toContain('Computed at 09:15 UTC, after the resolve');

    // Recording the impact again after the resolve recomputes them: 08:45 to 09:05 = 20 minutes, 20 / 43.2 = 46.3 %.
    await h.run('impact ended 09:05', { channelId: channel });
    expect([pct(20 / AVAILABILITY_BUDGET), pct(1 - 20 / AVAILABILITY_BUDGET), pct(20 / LATENCY_BUDGET)]).toEqual(['46.3 %', '53.7 %', '39.7 %']);
    const recomputed = (await h.bot.store.postmortems.get(1))!;
    expect(recomputed.version).toBe(4);
    const again = section(recomputed.markdown, 'SLO impact');
    expect(again).toContain('impact window, 08:45 UTC to 09:05 UTC (20 minutes)._');
    expect(again).toContain('Computed at 10:15 UTC, after the resolve');
    expect(again).toContain('| Consumed in this incident | 46.3 % (20 minutes of 43.2 minutes), an estimate');
    expect(again).toContain('| Policy state | Within budget: no policy threshold crossed (from the estimate) |');
    expect(section(recomputed.markdown, 'Impact')).toContain('| Impact ended | 2026-11-16 09:05 UTC |');
    expect(section(recomputed.markdown, 'Action items')).toContain('Reliability work for checkout_availability: this incident used 46.3 % (estimate)');
  });
});
