import { completeActionItemById, snoozeActionItem } from './actions.js';
import { todayIn } from './due-date.js';
import { DomainError } from './errors.js';
import { actorId, type ActionItem, type Actor } from './model.js';
import type { Deps } from './ports.js';
import { listOpenIncidents, type IncidentSummary } from './queries.js';
import type { Place } from './access.js';

/**
 * What a person's App Home shows, before anyone decides who may read what:
 * every open incident (the Slack side hides private ones from non-members)
 * and their own open follow-ups, soonest due first.
 */
export interface HomeContent {
  readonly incidents: readonly IncidentSummary[];
  readonly items: readonly ActionItem[];
  /** The team calendar's today, for "overdue". */
  readonly today: string;
}

/** The Home tab's content for one person, as of now. */
export async function homeContent(deps: Deps, userId: string): Promise<HomeContent> {
  return {
    incidents: await listOpenIncidents(deps),
    items: await deps.repos.actions.listOpenForOwner(userId),
    today: todayIn(deps.clock.now(), deps.timeZone),
  };
}

/** The Home tab is nobody's channel: pressing there proves no membership. */
const HOME: Place = { channelId: null };

/**
 * A Home tab lists only its viewer's own follow-ups, so a Home button naming
 * someone else's is not one the bot published to this person: refused,
 * naming nothing. An unknown item gets the same refusal, not the verb's
 * NOT_FOUND: only a forged view names one, and "no such item, it has #1 to
 * #3" would tell a stranger which follow-ups a private incident has.
 */
async function requireOwnItem(deps: Deps, actor: Actor, incidentId: number, number: number): Promise<void> {
  const item = await deps.repos.actions.get(incidentId, number);
  if (item?.ownerId !== actorId(actor)) {
    throw new DomainError('NOT_ALLOWED', 'That follow-up is not yours, so nothing was changed. Your Home tab lists only your own; open it again for a fresh one.');
  }
}

/** **Done** on the Home tab: the owner closes their own follow-up (a private incident's too, as its owner). */
export async function completeOwnActionItem(deps: Deps, actor: Actor, incidentId: number, number: number): Promise<ActionItem> {
  await requireOwnItem(deps, actor, incidentId, number);
  return await completeActionItemById(deps, actor, incidentId, number, HOME);
}

/** **Snooze** on the Home tab: a week later, as the Snooze button elsewhere. */
export async function snoozeOwnActionItem(deps: Deps, actor: Actor, incidentId: number, number: number): Promise<ActionItem> {
  await requireOwnItem(deps, actor, incidentId, number);
  return await snoozeActionItem(deps, actor, incidentId, number, HOME);
}
