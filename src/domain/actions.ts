import { requireMayChangeItem, type Place } from './access.js';
import { parseActionInput } from './action-input.js';
import { addCalendarDays, todayIn } from './due-date.js';
import { quoted } from './echo.js';
import { DomainError } from './errors.js';
import { requireIncident, requireIncidentInChannel } from './incident-lookup.js';
import { actionRef, actorId, incidentRef, type ActionItem, type Actor, type Incident } from './model.js';
import type { Deps } from './ports.js';

export const DONE_USAGE = '`/incident done <item number>`';
export const DROP_USAGE = '`/incident drop <item number> <reason>`';

export interface AddedAction {
  readonly item: ActionItem;
  /** The due date is already past: accepted (a follow-up can be late already), and said back. */
  readonly overdue: boolean;
}

/** Adds a follow-up to the incident of this channel; open and resolved incidents alike. */
export function addActionItem(deps: Deps, actor: Actor, channelId: string, raw: string): AddedAction {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  const today = todayIn(now, deps.timeZone);
  const input = parseActionInput(raw, by, today);
  return repos.transaction(() => {
    const incident = requireIncidentInChannel(repos.incidents, channelId, '`/incident action <text> [@owner] [due <date>]`');
    const item = repos.actions.add({ incidentId: incident.id, text: input.text, ownerId: input.ownerId, dueDate: input.dueDate, createdBy: by, createdAt: now });
    repos.timeline.add({
      incidentId: incident.id,
      kind: 'action_added',
      text: `Action ${actionRef(item)} added: ${item.text} (owner <@${item.ownerId}>, due ${item.dueDate})`,
      actorId: by,
      occurredAt: now,
    });
    return { item, overdue: input.dueDate < today };
  });
}

function parseItemNumber(word: string | undefined, usage: string): number {
  const n = Number((word ?? '').replace(/^#/, ''));
  if (!word || !Number.isInteger(n) || n < 1) {
    throw new DomainError('INVALID_INPUT', `${word ? `${quoted(word)} is not an item number.` : 'Say which item.'}\nUsage: ${usage}`);
  }
  return n;
}

function requireItem(deps: Deps, incident: Incident, number: number): ActionItem {
  const item = deps.repos.actions.get(incident.id, number);
  if (!item) {
    const count = deps.repos.actions.listForIncident(incident.id).length;
    throw new DomainError(
      'NOT_FOUND',
      `${incidentRef(incident.id)} has no action item #${number}${count ? ` (it has #1 to #${count}; see \`/incident actions\`)` : ' (it has none yet)'}.`,
    );
  }
  return item;
}

/** Closes one item as done or dropped; a second click finds it closed and says so. */
function closeItem(deps: Deps, actor: Actor, incident: Incident, number: number, status: 'done' | 'dropped', reason: string | null): ActionItem {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(() => {
    const item = requireItem(deps, incident, number);
    if (!repos.actions.close(incident.id, number, status, by, now, reason)) {
      throw new DomainError('INVALID_TRANSITION', `${actionRef(item)} is already ${item.status}.`);
    }
    repos.timeline.add({
      incidentId: incident.id,
      kind: status === 'done' ? 'action_done' : 'action_dropped',
      text: status === 'done' ? `Action ${actionRef(item)} done: ${item.text}` : `Action ${actionRef(item)} dropped: ${item.text} (reason: ${reason})`,
      actorId: by,
      occurredAt: now,
    });
    return repos.actions.get(incident.id, number)!;
  });
}

export function completeActionItem(deps: Deps, actor: Actor, channelId: string, numberWord: string | undefined): ActionItem {
  const number = parseItemNumber(numberWord, DONE_USAGE);
  const incident = requireIncidentInChannel(deps.repos.incidents, channelId, DONE_USAGE);
  return closeItem(deps, actor, incident, number, 'done', null);
}

/**
 * The Done button: the item is named by incident and number. For a private
 * incident, only a member (pressing in its channel) or the item's owner.
 */
export function completeActionItemById(deps: Deps, actor: Actor, incidentId: number, number: number, pressedIn: Place): ActionItem {
  const incident = requireIncident(deps.repos.incidents, incidentId);
  requireMayChangeItem(incident, actor, requireItem(deps, incident, number).ownerId, pressedIn);
  return closeItem(deps, actor, incident, number, 'done', null);
}

export function dropActionItem(deps: Deps, actor: Actor, channelId: string, numberWord: string | undefined, reason: string): ActionItem {
  const number = parseItemNumber(numberWord, DROP_USAGE);
  if (!reason.trim()) throw new DomainError('INVALID_INPUT', `Say why it is dropped.\nUsage: ${DROP_USAGE}`);
  const incident = requireIncidentInChannel(deps.repos.incidents, channelId, DROP_USAGE);
  return closeItem(deps, actor, incident, number, 'dropped', reason.trim());
}

/** In an incident channel, that incident's items; anywhere else, the asker's own open items. */
export function listActionItems(deps: Deps, actor: Actor, channelId: string): { incident: Incident | null; items: ActionItem[] } {
  const incident = deps.repos.incidents.getByChannel(channelId) ?? null;
  if (incident) return { incident, items: deps.repos.actions.listForIncident(incident.id) };
  return { incident: null, items: deps.repos.actions.listOpenForOwner(actorId(actor)) };
}

/** Snooze 1 week: the item is due a week after today or after its due date, whichever is later. */
export function snoozeActionItem(deps: Deps, actor: Actor, incidentId: number, number: number, pressedIn: Place): ActionItem {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  const today = todayIn(now, deps.timeZone);
  return repos.transaction(() => {
    const incident = requireIncident(repos.incidents, incidentId);
    const item = requireItem(deps, incident, number);
    requireMayChangeItem(incident, actor, item.ownerId, pressedIn);
    if (item.status !== 'open') throw new DomainError('INVALID_TRANSITION', `${actionRef(item)} is already ${item.status}.`);
    const due = addCalendarDays(item.dueDate > today ? item.dueDate : today, 7);
    if (!repos.actions.reschedule(incidentId, number, item.dueDate, due)) {
      throw new DomainError('CONFLICT', `${actionRef(item)} changed just now; look again.`);
    }
    repos.timeline.add({
      incidentId,
      kind: 'action_snoozed',
      text: `Action ${actionRef(item)} snoozed by <@${by}>: due ${due} (was ${item.dueDate})`,
      actorId: by,
      occurredAt: now,
    });
    return repos.actions.get(incidentId, number)!;
  });
}
