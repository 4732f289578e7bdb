import type { ClaimedJob } from '../db/outbox.repo.js';
import type { SloFigures } from '../domain/slo-figures.js';
import { slosForService } from '../slo/catalog.js';
import { incidentHeaderBlocks, incidentHeaderText, incidentTopic, type HeaderFacts, type HeaderSlo } from '../slack/views/header.js';
import type { EffectContext } from './context.js';

/** The linked service's SLOs as last computed, in catalog order (figures of SLOs no longer linked are left out). */
async function headerSlo(ctx: EffectContext, incidentId: number, service: string | null): Promise<HeaderSlo | undefined> {
  if (!service) return undefined;
  const stored = new Map((await ctx.store.sloFigures.forIncident(incidentId)).map((s) => [s.figures.sloId, s.figures]));
  const figures: SloFigures[] = [];
  const pending: string[] = [];
  for (const slo of slosForService(ctx.deps.slo.catalog, service)) {
    const found = stored.get(slo.id);
    if (found) figures.push(found);
    else pending.push(slo.name);
  }
  return { service, figures, pending };
}

/** What the header needs beyond the incident: read when it is built, so it is never stale. */
export async function headerFacts(ctx: EffectContext, incidentId: number): Promise<HeaderFacts> {
  const postmortem = await ctx.store.postmortems.get(incidentId);
  const slo = await headerSlo(ctx, incidentId, (await ctx.store.incidents.get(incidentId))?.service ?? null);
  const runbookUrl = await ctx.store.alerts.runbookFor(incidentId);
  return {
    timelineEmoji: ctx.timelineEmoji,
    paging: ctx.deps.paging,
    postmortem: postmortem ? { canvasId: postmortem.canvasId, fileId: postmortem.fileId } : undefined,
    ...(slo ? { slo } : {}),
    runbookUrl,
  };
}

/** Sets the channel topic unless it already reads `topic` (each change shows in the channel). */
export async function setTopicIfChanged(ctx: EffectContext, incidentId: number, channelId: string, topic: string): Promise<void> {
  if ((await ctx.store.incidents.setupProgress(incidentId))?.topic === topic) return;
  await ctx.slack.setTopic(channelId, topic);
  await ctx.store.incidents.recordTopic(incidentId, topic);
}

/**
 * Brings the pinned header and the topic in line with the incident as it is
 * now (not as it was when the job was queued), so coalesced or late jobs
 * still leave Slack right.
 */
export async function syncIncident(ctx: EffectContext, job: ClaimedJob): Promise<void> {
  const incident = await ctx.store.incidents.get(job.incidentId!);
  if (!incident?.channelId) return; // set-up failed and was reported; nothing to sync
  const holders = await ctx.store.roles.current(incident.id);
  if (incident.headerTs) {
    await ctx.slack.update(incident.channelId, incident.headerTs, incidentHeaderText(incident), incidentHeaderBlocks(incident, holders, await headerFacts(ctx, incident.id)));
  }
  await setTopicIfChanged(ctx, incident.id, incident.channelId, incidentTopic(incident, holders));
}
