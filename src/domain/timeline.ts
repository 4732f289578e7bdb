import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, type Actor, type Incident, type TimelineEntry } from './model.js';
import type { Deps, MessageSource } from './ports.js';
import { assertOpen } from './state-machine.js';
import { USAGE } from './usage.js';

export function addNote(deps: Deps, actor: Actor, channelId: string, text: string): TimelineEntry {
  const { repos } = deps;
  const now = deps.clock.now();
  return repos.transaction(() => {
    const incident = requireIncidentInChannel(repos.incidents, channelId, USAGE.note);
    assertOpen(incident);
    const by = actorId(actor);
    return repos.timeline.add({ incidentId: incident.id, kind: 'note', text, actorId: by, occurredAt: now })!;
  });
}

export function readTimeline(deps: Deps, channelId: string): { incident: Incident; entries: TimelineEntry[] } {
  const incident = requireIncidentInChannel(deps.repos.incidents, channelId, USAGE.timeline);
  return { incident, entries: deps.repos.timeline.list(incident.id) };
}

/** A Slack event about a message in some channel; `eventId` makes retries harmless. */
export interface MessageEvent {
  readonly eventId: string;
  readonly channelId: string;
  readonly messageTs: string;
}

export interface TimelineEventDeps extends Deps {
  readonly messages: MessageSource;
  readonly timelineEmoji: string;
}

export type TimelineOutcome = 'added' | 'updated' | 'removed' | 'ignored' | 'duplicate';

/**
 * Applies `apply` once per Slack event id: a retried delivery (same event_id)
 * finds the id recorded with the first delivery's change and does nothing.
 */
function once(deps: Deps, eventId: string, apply: () => TimelineOutcome): TimelineOutcome {
  return deps.repos.transaction(() => {
    if (!deps.repos.events.markProcessed(eventId, deps.clock.now())) return 'duplicate';
    return apply();
  });
}

/**
 * Someone reacted to a message. With the timeline emoji in an incident channel,
 * the message goes on the timeline with its author, text, post time and link.
 */
export async function recordReaction(
  deps: TimelineEventDeps,
  event: MessageEvent & { readonly reaction: string },
): Promise<TimelineOutcome> {
  if (event.reaction !== deps.timelineEmoji) return 'ignored';
  const incident = deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  // Read outside the transaction: Slack calls never hold a database lock.
  const message = await deps.messages.fetch(event.channelId, event.messageTs);
  if (!message) return 'ignored';
  return once(deps, event.eventId, () => {
    const entry = deps.repos.timeline.add({
      incidentId: incident.id,
      kind: 'pinned_message',
      text: message.text,
      actorId: message.userId,
      occurredAt: message.postedAt,
      messageTs: event.messageTs,
      permalink: message.permalink,
    });
    return entry ? 'added' : 'ignored';
  });
}

/** A reaction went away; the entry goes only when nobody has the emoji on it any more. */
export async function recordReactionRemoved(
  deps: TimelineEventDeps,
  event: MessageEvent & { readonly reaction: string },
): Promise<TimelineOutcome> {
  if (event.reaction !== deps.timelineEmoji) return 'ignored';
  const incident = deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  const remaining = await deps.messages.reactionCount(event.channelId, event.messageTs, deps.timelineEmoji);
  if (remaining > 0) return 'ignored';
  return once(deps, event.eventId, () =>
    deps.repos.timeline.removeMessage(incident.id, event.messageTs) ? 'removed' : 'ignored',
  );
}

export function recordMessageEdited(deps: Deps, event: MessageEvent & { readonly text: string }): TimelineOutcome {
  const incident = deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  return once(deps, event.eventId, () =>
    deps.repos.timeline.updateMessageText(incident.id, event.messageTs, event.text) ? 'updated' : 'ignored',
  );
}

export function recordMessageDeleted(deps: Deps, event: MessageEvent): TimelineOutcome {
  const incident = deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  return once(deps, event.eventId, () =>
    deps.repos.timeline.removeMessage(incident.id, event.messageTs) ? 'removed' : 'ignored',
  );
}

