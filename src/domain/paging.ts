import { cleanLine } from './clean-text.js';
import { DomainError } from './errors.js';
import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, type Actor, type Incident, type Severity } from './model.js';
import type { Deps } from './ports.js';
import { assertOpen } from './state-machine.js';

export const PAGE_USAGE = '`/incident page [service] [message]`';
export const DEFAULT_SERVICE = 'default';

/**
 * The key of a new page: stable per incident and service (every retry and re-page is one
 * PagerDuty incident, as the page row keeps it), and unique to this database's incident.
 * `incident-<id>-<service>` alone came back after a database reset, and from a second install
 * paging the same service: PagerDuty merged the new page into the old, maybe still open,
 * incident, and nobody was woken. The declared time (milliseconds, base 36) tells them apart.
 * Pages recorded with the old key keep it: always read the key from the page row.
 */
export function dedupKeyFor(incident: Pick<Incident, 'id' | 'declaredAt'>, service: string): string {
  return `incident-${incident.id}-${incident.declaredAt.getTime().toString(36)}-${service}`;
}

/** The page of `service` for the incident, whatever the form of its key. */
async function pageOf(deps: Deps, incidentId: number, service: string) {
  return (await deps.repos.pages.forIncident(incidentId)).find((page) => page.service === service);
}

export function isPagingSeverity(deps: Deps, severity: Severity): boolean {
  return deps.paging.pageSeverities.includes(severity);
}

/**
 * Records a page and queues its trigger, in the caller's transaction: the
 * decision and the page cannot be separated by a crash.
 */
export async function queuePage(deps: Deps, incident: Incident, service: string, by: string, message: string | null): Promise<void> {
  const { repos } = deps;
  const now = deps.clock.now();
  // Paged before: the same key, as recorded (an upgrade leaves open incidents with old-form keys).
  const dedupKey = (await pageOf(deps, incident.id, service))?.dedupKey ?? dedupKeyFor(incident, service);
  await repos.pages.requested(incident.id, service, dedupKey, by, now);
  await repos.outbox.enqueue({ kind: 'pagerduty.event', incidentId: incident.id, payload: { action: 'trigger', service, dedupKey, message } }, now);
  await repos.outbox.enqueue({ kind: 'pagerduty.oncall', incidentId: incident.id, payload: {} }, now);
  await repos.timeline.add({
    incidentId: incident.id,
    kind: 'paged',
    text: `Paged PagerDuty (${service})${message ? `: ${message}` : ''}`,
    actorId: by,
    occurredAt: now,
  });
  await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice: { type: 'page_requested', service, by } } }, now);
}

/**
 * Declared or raised into a paging severity: page the default service once.
 * With no default service, say so in the channel: a SEV1 that silently paged
 * nobody reads, to everyone in it, as if someone had been paged.
 */
export async function pageOnSeverity(deps: Deps, incident: Incident, from: Severity | null, by: string): Promise<void> {
  if (!isPagingSeverity(deps, incident.severity)) return;
  if (from !== null && isPagingSeverity(deps, from)) return; // already in the paging range
  if (!deps.paging.services.includes(DEFAULT_SERVICE)) {
    const notice = { type: 'not_paged', severity: incident.severity, services: [...deps.paging.services] } as const;
    await deps.repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, deps.clock.now());
    return;
  }
  if (await pageOf(deps, incident.id, DEFAULT_SERVICE)) return; // paged before; ask again with /incident page
  await queuePage(deps, incident, DEFAULT_SERVICE, by, null);
}

/** `/incident page [service] [message]`: pages on demand, even if paged before (the dedup key keeps it one PagerDuty incident). */
export async function pageOnDemand(deps: Deps, actor: Actor, channelId: string, words: readonly string[]): Promise<{ incident: Incident; service: string }> {
  const { repos } = deps;
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncidentInChannel(repos.incidents, channelId, PAGE_USAGE);
    assertOpen(incident);
    if (tx.paging.services.length === 0) {
      throw new DomainError('INVALID_INPUT', 'Paging is off: this bot has no PagerDuty routing key (PAGERDUTY_ROUTING_KEY). Ask whoever runs it to set one.');
    }
    const named = words[0]?.toLowerCase();
    const service = named && tx.paging.services.includes(named) ? named : DEFAULT_SERVICE;
    const messageWords = service === named ? words.slice(1) : words;
    if (!tx.paging.services.includes(service)) {
      throw new DomainError(
        'INVALID_INPUT',
        `There is no default PagerDuty service; name one of: ${tx.paging.services.join(', ')}.\nUsage: ${PAGE_USAGE}`,
      );
    }
    await queuePage(tx, incident, service, actorId(actor), messageWords.join(' ').trim() || null);
    return { incident, service };
  });
}

/** Resolving the incident resolves every key that was paged. */
export async function resolvePages(deps: Deps, incident: Incident): Promise<void> {
  const now = deps.clock.now();
  for (const page of await deps.repos.pages.forIncident(incident.id)) {
    if (page.resolvedAt) continue;
    await deps.repos.outbox.enqueue(
      { kind: 'pagerduty.event', incidentId: incident.id, payload: { action: 'resolve', service: page.service, dedupKey: page.dedupKey, message: null } },
      now,
    );
  }
}

/** What PagerDuty told us through its webhook, for one of our dedup keys. */
export interface PagerDutyUpdate {
  readonly eventId: string;
  readonly type: 'incident.acknowledged' | 'incident.resolved' | 'incident.escalated';
  readonly dedupKey: string;
  readonly occurredAt: Date;
  readonly agentName: string | null;
}

const UPDATE_TEXT: Record<PagerDutyUpdate['type'], string> = {
  'incident.acknowledged': 'Acknowledged in PagerDuty',
  'incident.resolved': 'Resolved in PagerDuty',
  'incident.escalated': 'Escalated in PagerDuty',
};

/**
 * Records a PagerDuty acknowledgement, resolve or escalation on the timeline,
 * at PagerDuty's time. The first acknowledgement is the incident's
 * acknowledged time. Unknown keys and repeated deliveries change nothing.
 */
export async function recordPagerDutyUpdate(deps: Deps, update: PagerDutyUpdate): Promise<'recorded' | 'unknown' | 'duplicate'> {
  const { repos } = deps;
  // PostgreSQL refuses text holding NUL (\u0000): stored as sent, such a webhook failed with a 500
  // that PagerDuty retried until it gave up. None of our keys has one; the responder's name is
  // cleaned like any text we store, and the event id keeps its other characters so a redelivery
  // is still recognised.
  if (update.dedupKey.includes('\0')) return 'unknown';
  const agentName = update.agentName === null ? '' : cleanLine(update.agentName);
  const eventId = update.eventId.replaceAll('\0', '');
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const page = await repos.pages.byDedupKey(update.dedupKey);
    if (!page) return 'unknown';
    if (!await repos.events.markProcessed(`pagerduty:${eventId}`, tx.clock.now())) return 'duplicate';
    await repos.timeline.add({
      incidentId: page.incidentId,
      kind: 'pagerduty',
      text: `${UPDATE_TEXT[update.type]} (${page.service})${agentName ? ` by ${agentName}` : ''}`,
      actorId: null,
      occurredAt: update.occurredAt,
    });
    if (update.type === 'incident.acknowledged') await repos.incidents.recordAcknowledged(page.incidentId, update.occurredAt);
    if (update.type === 'incident.resolved') await repos.pages.resolved(update.dedupKey, update.occurredAt);
    return 'recorded';
  });
}

