import type { SlashCommand } from '@slack/bolt';
import { maySeeIncident, type Audience } from '../../domain/access.js';
import { incidentRef, type Incident } from '../../domain/model.js';
import { catalogServices, requireKnownService } from '../../domain/service-link.js';
import type { StoredSloFigures } from '../../domain/slo-figures.js';
import { estimatedBudgetStatus, type IncidentBudgetUse } from '../../slo/budget.js';
import { slosForService } from '../../slo/catalog.js';
import { measureBudgetStatus } from '../../slo/measure.js';
import type { SloDefinition } from '../../slo/model.js';
import { thresholdInEffect, thresholdsFor } from '../../slo/policy.js';
import { personAudience } from '../audience.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { sloReport, type BurningIncident, type SloReportEntry } from '../views/slo-report.js';
import type { Reply } from './reply.js';

/** One incident's stored use of one SLO's budget. */
export interface Burn {
  readonly incident: Incident;
  readonly stored: StoredSloFigures;
  readonly use: IncidentBudgetUse;
}

/** The incidents whose stored figures say they burned this SLO, with their impact ending within its window (also read by the App Home). */
export async function burnsInWindow(services: SlackServices, slo: SloDefinition, now: Date): Promise<Burn[]> {
  const burns: Burn[] = [];
  for (const { incident, ...stored } of await services.deps.repos.sloFigures.inWindow(slo.id, new Date(now.getTime() - slo.window.ms))) {
    const use = stored.figures.incident;
    if (use.kind !== 'missing') burns.push({ incident, stored, use });
  }
  return burns;
}

/**
 * The budget now: asked of Prometheus live (bounded by its client's timeout);
 * when it cannot answer, the last figure stored for any incident of this SLO,
 * saying why; without Prometheus or queries, the estimate from the incidents.
 */
export async function budgetOf(services: SlackServices, slo: SloDefinition, burns: readonly Burn[], now: Date): Promise<Pick<SloReportEntry, 'status' | 'source' | 'asked'>> {
  const { prometheus } = services;
  if (!prometheus || slo.sli.kind === 'text') return { status: estimatedBudgetStatus(slo, burns.map((b) => b.use)), source: { kind: 'estimate' }, asked: [] };
  const live = await measureBudgetStatus(slo, now, prometheus);
  if (live.status.kind !== 'missing') return { ...live, source: { kind: 'live' } };
  const last = (await services.deps.repos.sloFigures.forSlo(slo.id))
    .filter((row) => row.figures.status.kind !== 'missing')
    .sort((a, b) => b.computedAt.getTime() - a.computedAt.getTime())[0];
  if (!last) return { ...live, source: { kind: 'live' } };
  return { status: last.figures.status, source: { kind: 'stored', computedAt: last.computedAt, why: live.status.reason }, asked: live.asked };
}

function burning(burns: readonly Burn[], audience: Audience): BurningIncident[] {
  return [...burns]
    .sort((a, b) => b.use.consumed - a.use.consumed)
    .map((b) => ({
      label: maySeeIncident(b.incident, audience) ? `${incidentRef(b.incident.id)} ${safe(b.incident.title)}${b.incident.status === 'resolved' ? '' : ' _(open)_'}` : 'a private incident',
      use: b.use,
    }));
}

/**
 * `/incident slo [service]`: each SLO with its target, window, budget, what is
 * left, the burn rate over the last hour, the policy in effect, and the
 * incidents that burned it in the window, most costly first. Without a
 * service: the incident channel's service, else every service. A private
 * incident is named only to members of its channel.
 */
export async function answerSlo(services: SlackServices, command: SlashCommand, typed: string | undefined): Promise<Reply> {
  const { deps } = services;
  if (deps.slo.catalog.slos.length === 0) {
    return { text: 'No SLOs are configured (SLO_FILES), so there is no error budget to show. Ask whoever runs the bot to add the SLO files.' };
  }
  const here = await deps.repos.incidents.getByChannel(command.channel_id);
  const chosen = typed !== undefined ? requireKnownService(deps.slo, typed) : (here?.service ?? undefined);
  const names = chosen ? [chosen] : catalogServices(deps.slo);
  const slos = names.flatMap((service) => slosForService(deps.slo.catalog, service));
  const now = deps.clock.now();
  const burnsBySlo: Burn[][] = [];
  for (const slo of slos) burnsBySlo.push(await burnsInWindow(services, slo, now));
  const audience = await personAudience(services.slack, services.logger, command.user_id, command.channel_id, burnsBySlo.flat().map((b) => b.incident));
  // All at once: with Prometheus down or slow, the answer waits one timeout, not one per SLO.
  const entries = await Promise.all(
    slos.map(async (slo, i): Promise<SloReportEntry> => {
      const burns = burnsBySlo[i]!;
      const budget = await budgetOf(services, slo, burns, now);
      const thresholds = thresholdsFor(deps.slo.policy, slo.service);
      return {
        slo,
        ...budget,
        thresholds,
        inEffect: budget.status.kind === 'missing' ? undefined : thresholdInEffect(thresholds, budget.status.remaining),
        incidents: burning(burns, audience),
      };
    }),
  );
  return sloReport(chosen ?? 'every service', entries);
}
