import type { ClaimedJob } from '../db/outbox.repo.js';
import type { Store } from '../db/store.js';
import type { Incident } from '../domain/model.js';
import { draftPostmortem } from '../domain/resolve.js';
import type { SloFigures, StoredSloFigures } from '../domain/slo-figures.js';
import type { IncidentBudgetUse } from '../slo/budget.js';
import { slosForService } from '../slo/catalog.js';
import { impactWindow, measureSlo } from '../slo/measure.js';
import type { SloDefinition } from '../slo/model.js';
import { newlyCrossedThresholds, thresholdsFor, type PolicyThreshold } from '../slo/policy.js';
import { alsoPassedText, budgetStandingText, keptOnlyText, thresholdText, type ThresholdNotice } from '../slack/views/slo-lines.js';
import type { EffectContext } from './context.js';

/*
 * Why a missing figure does not make this job fail and retry: a retry would
 * sit pending in the SLO queue, and every refresh queued meanwhile (a status
 * change, the periodic one) would coalesce into it and wait for its backoff.
 * The missing figure is stored with its reason and the job completes; the
 * periodic refresh (SLO_REFRESH) computes open incidents again, and resolved
 * ones whose final figures have a part missing (see slo-refresh-scheduler.ts).
 */

/**
 * What the other incidents of this SLO burned in its window, from their
 * stored figures, for an estimated budget status: those whose impact ended
 * within the window count whole. Incidents never computed (linked before the
 * bot had SLOs) are not known, so the estimate is of the incidents it has.
 */
async function otherUsesInWindow(ctx: EffectContext, slo: SloDefinition, incidentId: number, now: Date): Promise<IncidentBudgetUse[]> {
  const uses: IncidentBudgetUse[] = [];
  for (const { incident, figures } of await ctx.store.sloFigures.inWindow(slo.id, new Date(now.getTime() - slo.window.ms))) {
    if (incident.id !== incidentId && figures.incident.kind !== 'missing') uses.push(figures.incident);
  }
  return uses;
}

const remainingOf = (figures: SloFigures | undefined): number | undefined =>
  figures && figures.status.kind !== 'missing' ? figures.status.remaining : undefined;

function thresholdNotice(figures: SloFigures, threshold: PolicyThreshold, alsoPassed: readonly PolicyThreshold[]): ThresholdNotice | undefined {
  const { status } = figures;
  if (status.kind === 'missing') return undefined;
  return {
    type: 'slo_threshold',
    sloId: figures.sloId,
    service: figures.service,
    name: figures.name,
    target: figures.target,
    windowText: figures.windowText,
    threshold: threshold.budgetRemaining,
    actions: threshold.actions,
    remaining: status.remaining,
    estimate: status.kind === 'estimate',
    burnRate: status.kind === 'measured' ? status.burnRate : null,
    timeToExhaustionMs: status.kind === 'measured' ? (status.timeToExhaustionMs ?? null) : null,
    ...(alsoPassed.length > 0 ? { alsoPassed: alsoPassed.map((t) => t.budgetRemaining) } : {}),
    ...(status.kind === 'measured' && status.retention ? { retention: status.retention } : {}),
  };
}

/**
 * Posts the policy thresholds this computation newly crossed, each once per
 * SLO and window period: the claim rows and the posts are written in the
 * caller's transaction, so a restart or a second instance that crosses the
 * same threshold finds it claimed and posts nothing. A budget that falls past
 * several at once (50 %, 25 % and 10 % in one refresh) gets one notice, for
 * the lowest (the one in effect), naming the others; all are claimed, so none
 * is posted later in the period.
 */
async function postCrossings(ctx: EffectContext, tx: Store, incident: Incident, figures: SloFigures, previous: SloFigures | undefined, now: Date): Promise<void> {
  const current = remainingOf(figures);
  if (current === undefined) return;
  const thresholds = thresholdsFor(ctx.deps.slo.policy, figures.service);
  const period = Math.floor(now.getTime() / figures.windowMs);
  const claimed: PolicyThreshold[] = [];
  // Most budget remaining first, so the last claimed is the lowest.
  for (const threshold of newlyCrossedThresholds(thresholds, remainingOf(previous), current)) {
    if (await tx.thresholdPosts.claim(figures.sloId, period, Math.round(threshold.budgetRemaining * 10_000), incident.id, now)) claimed.push(threshold);
  }
  const lowest = claimed.at(-1);
  if (!lowest) return;
  const alsoPassed = claimed.slice(0, -1);
  const notice = thresholdNotice(figures, lowest, alsoPassed)!;
  if (incident.status !== 'resolved') await tx.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
  await tx.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
  await tx.timeline.add({
    incidentId: incident.id,
    kind: 'slo_threshold',
    text:
      `Error budget of ${figures.service} ${figures.name} ${budgetStandingText(current, false)}${figures.status.kind === 'estimate' ? ' (estimate)' : keptOnlyText(figures.status)}, ` +
      `past the ${thresholdText(lowest.budgetRemaining)} threshold${alsoPassedText(alsoPassed.map((t) => t.budgetRemaining))}: ${lowest.actions.join('; ')}`,
    actorId: null,
    occurredAt: now,
  });
}

/**
 * A final figure's measured use of the budget is kept when a later computation
 * of the same impact cannot give it, or gives it over less of the impact.
 * The periodic refresh asks a resolved incident again while a part is
 * missing (the window's `[30d]` query timing out, say), and asks both parts; by then Prometheus may have dropped the
 * impact's samples (its retention: 15 days by default, while the retries go
 * on for the SLO window) or fail that query for a moment, and the figure the
 * postmortem stated would turn into "not known". A changed impact (another
 * length) is computed afresh.
 */
function keepMeasuredImpact(computed: SloFigures, before: StoredSloFigures | undefined, impactMs: number): SloFigures {
  const known = before?.final ? before.figures.incident : undefined;
  if (known?.kind !== 'measured' || known.impactMs !== impactMs) return computed;
  const again = computed.incident;
  // Or gives less of it: more of the impact's beginning is now past what Prometheus keeps.
  const lessKnown = again.kind === 'missing' || (again.kind === 'measured' && (again.notKept?.ms ?? 0) > (known.notKept?.ms ?? 0));
  return lessKnown ? { ...computed, incident: known } : computed;
}

const sameFigures = (a: StoredSloFigures | undefined, b: SloFigures) => a !== undefined && a.final && JSON.stringify(a.figures) === JSON.stringify(b);

/**
 * The 'slo.refresh' job: computes each SLO of the incident's service (asking
 * Prometheus, or estimating), stores the figures, drops those of SLOs no
 * longer linked, refreshes the header, and posts thresholds newly crossed.
 * Once the incident is resolved the figures are final, and the postmortem
 * draft is rewritten to state them when they changed.
 *
 * `final` is read from the incident when the job runs, not from the payload,
 * as the header sync does: a refresh queued before a resolve and run after it
 * computes what the postmortem states, and one queued at resolve and run after
 * a reopen does not pass an open incident's figures off as final.
 */
export async function refreshSlo(ctx: EffectContext, job: ClaimedJob & { kind: 'slo.refresh' }): Promise<void> {
  const incident = await ctx.store.incidents.get(job.incidentId);
  if (!incident) return;
  const now = ctx.clock.now();
  const slos = incident.service ? slosForService(ctx.deps.slo.catalog, incident.service) : [];
  const computed = await Promise.all(
    // Parallel: each SLO waits on Prometheus (outside any transaction).
    slos.map(async (slo) =>
      measureSlo({ slo, incident, now, prometheus: ctx.prometheus, estimates: ctx.config.slo.estimates, otherUses: await otherUsesInWindow(ctx, slo, incident.id, now) }),
    ),
  );
  await ctx.store.transaction(async (tx) => {
    const current = await tx.incidents.get(incident.id);
    // The service changed while Prometheus answered: the refresh that change queued runs next, for the new one.
    if (!current || current.service !== incident.service) return;
    const final = current.status === 'resolved';
    const before = new Map((await tx.sloFigures.forIncident(current.id)).map((s) => [s.figures.sloId, s]));
    const { start, end } = impactWindow(current, now);
    const kept = final ? computed.map((f) => keepMeasuredImpact(f, before.get(f.sloId), end.getTime() - start.getTime())) : computed;
    const unchanged = final && before.size === kept.length && kept.every((f) => sameFigures(before.get(f.sloId), f));
    for (const figures of kept) {
      await tx.sloFigures.save(current.id, figures, now, final);
      await postCrossings(ctx, tx, current, figures, before.get(figures.sloId)?.figures, now);
    }
    const linked = new Set(slos.map((s) => s.id));
    for (const sloId of before.keys()) if (!linked.has(sloId)) await tx.sloFigures.remove(current.id, sloId);
    await tx.outbox.enqueue({ kind: 'incident.sync', incidentId: current.id, payload: {} }, now);
    if (final && !unchanged) await draftPostmortem({ ...ctx.deps, repos: tx }, current);
  });
}
