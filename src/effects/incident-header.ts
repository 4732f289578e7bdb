import type { SloFigures } from '../domain/slo-figures.js';
import { slosForService } from '../slo/catalog.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { incidentHeaderBlocks, incidentHeaderText, type HeaderFacts, type HeaderSlo } from '../slack/views/header.js';
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

/**
 * Posts the incident's header as the incident is now (a role or severity may
 * have changed since the job was queued) and records its ts. It carries the
 * incident id as metadata: a retry after a crash between the post and the
 * record finds it (findOwnPost) instead of posting a second one.
 */
export async function postHeader(ctx: EffectContext, incidentId: number, channelId: string): Promise<string> {
  const current = (await ctx.store.incidents.get(incidentId))!;
  const blocks = incidentHeaderBlocks(current, await ctx.store.roles.current(incidentId), await headerFacts(ctx, incidentId));
  const posted = await ctx.slack.post(channelId, incidentHeaderText(current), {
    blocks,
    metadata: { event_type: METADATA_TYPES.header, event_payload: { incident_id: incidentId } },
  });
  await ctx.store.incidents.recordHeader(incidentId, posted.ts);
  return posted.ts;
}
