import { cleanText } from './clean-text.js';
import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, type Actor, type Incident, type TimelineEntry } from './model.js';
import type { Deps, SourceMessage } from './ports.js';
import { assertOpen } from './state-machine.js';
import { USAGE } from './usage.js';

export async function addNote(deps: Deps, actor: Actor, channelId: string, text: string): Promise<TimelineEntry> {
  const { repos } = deps;
  const now = deps.clock.now();
  return repos.transaction(async (repos) => {
    const incident = await requireIncidentInChannel(repos.incidents, channelId, USAGE.note);
    assertOpen(incident);
    const by = actorId(actor);
    return (await repos.timeline.add({ incidentId: incident.id, kind: 'note', text, actorId: by, occurredAt: now }))!;
  });
}

export async function readTimeline(deps: Deps, channelId: string): Promise<{ incident: Incident; entries: TimelineEntry[] }> {
  const incident = await requireIncidentInChannel(deps.repos.incidents, channelId, USAGE.timeline);
  return { incident, entries: await deps.repos.timeline.list(incident.id) };
}

/** A Slack event about a message in some channel; `eventId` makes retries harmless. */
export interface MessageEvent {
  readonly eventId: string;
  readonly channelId: string;
  readonly messageTs: string;
}

export type TimelineOutcome = 'queued' | 'added' | 'updated' | 'removed' | 'ignored' | 'duplicate';

/**
 * Applies `apply` once per Slack event id: a retried delivery (same event_id)
 * finds the id recorded with the first delivery's change and does nothing.
 */
async function once(deps: Deps, eventId: string, apply: (tx: Deps) => Promise<TimelineOutcome>): Promise<TimelineOutcome> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    if (!(await repos.events.markProcessed(eventId, tx.clock.now()))) return 'duplicate';
    return apply(tx);
  });
}

/** Queues the message's entry to be brought in line with what Slack says when the capture runs. */
async function queueCapture(tx: Deps, incidentId: number, event: MessageEvent): Promise<void> {
  await tx.repos.outbox.enqueue(
    { kind: 'timeline.reconcile', incidentId, payload: { channelId: event.channelId, messageTs: event.messageTs } },
    tx.clock.now(),
  );
}

/**
 * Someone added or removed a reaction. With the timeline emoji, in an incident
 * channel, the message's entry is queued to be brought in line with Slack
 * (read there after the ack, retried if Slack is down): added while anyone
 * still has the emoji on it, removed when the last one goes. The capture reads
 * Slack as it is when it runs, so a flood of reactions on one message leaves at
 * most one capture waiting, and it runs behind the incident's other work (outbox.repo.ts).
 */
export async function recordReactionChange(
  deps: Deps,
  timelineEmoji: string,
  event: MessageEvent & { readonly reaction: string },
): Promise<TimelineOutcome> {
  if (event.reaction !== timelineEmoji) return 'ignored';
  const incident = await deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  return await once(deps, event.eventId, async (tx) => {
    await queueCapture(tx, incident.id, event);
    return 'queued';
  });
}

/**
 * What a pinned message with no text of its own is recorded as: a screenshot
 * shared without a comment, or an integration's message that is all
 * attachments (Slack gives both an empty text). Recorded empty, it read
 * "<@U…>: " with nothing after it, in /incident timeline and the postmortem.
 */
export const NO_TEXT_ENTRY = '(no text: a file or attachment, see the message)';

/**
 * The entry for one message, given what Slack says now: the message (or
 * undefined when it is gone) and how many people have the timeline emoji on it.
 * The entry keeps the message's own post time, not the reaction's.
 */
export async function reconcilePinnedMessage(
  deps: Deps,
  incidentId: number,
  messageTs: string,
  message: SourceMessage | undefined,
  reactionCount: number,
): Promise<TimelineOutcome> {
  return deps.repos.transaction(async (repos) => {
    if (!message || reactionCount === 0) {
      return (await repos.timeline.removeMessage(incidentId, messageTs)) ? 'removed' : 'ignored';
    }
    const text = cleanText(message.text) || NO_TEXT_ENTRY;
    const added = await repos.timeline.add({
      incidentId,
      kind: 'pinned_message',
      text,
      actorId: message.userId,
      occurredAt: message.postedAt,
      messageTs,
      permalink: message.permalink,
    });
    if (added) return 'added';
    return (await repos.timeline.updateMessageText(incidentId, messageTs, text)) ? 'updated' : 'ignored';
  });
}

/**
 * A message was edited. When it is on the timeline, its entry is queued to be
 * read again from Slack, in the same queue as its captures, rather than set to
 * the event's text: Slack retries a delivery that timed out after later ones
 * went through, so an earlier edit's event can land last and put back text
 * that is no longer the message's; and a capture already reading the message
 * could write what it read before the edit over the edit. A capture queued
 * behind those reads what the message says when it runs.
 */
export async function recordMessageEdited(deps: Deps, event: MessageEvent): Promise<TimelineOutcome> {
  const incident = await deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  return await once(deps, event.eventId, async (tx) => {
    // Most edits in the channel (the bot's own header among them, at every change) are of messages not on it.
    const entries = await tx.repos.timeline.list(incident.id);
    if (!entries.some((e) => e.messageTs === event.messageTs)) return 'ignored';
    await queueCapture(tx, incident.id, event);
    return 'queued';
  });
}

export async function recordMessageDeleted(deps: Deps, event: MessageEvent): Promise<TimelineOutcome> {
  const incident = await deps.repos.incidents.getByChannel(event.channelId);
  if (!incident) return 'ignored';
  return await once(deps, event.eventId, async (tx) =>
    (await tx.repos.timeline.removeMessage(incident.id, event.messageTs)) ? 'removed' : 'ignored',
  );
}
