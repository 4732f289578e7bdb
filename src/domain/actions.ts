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
export async function addActionItem(deps: Deps, actor: Actor, channelId: string, raw: string): Promise<AddedAction> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  const today = todayIn(now, deps.timeZone);
  const input = parseActionInput(raw, by, today);
  return repos.transaction(async (repos) => {
    const incident = await requireIncidentInChannel(repos.incidents, channelId, '`/incident action <text> [@owner] [due <date>]`');
    const item = await repos.actions.add({ incidentId: incident.id, text: input.text, ownerId: input.ownerId, dueDate: input.dueDate, createdBy: by, createdAt: now });
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'action_added',
      text: `Action ${actionRef(item)} added: ${item.text} (owner <@${item.ownerId}>, due ${item.dueDate})`,
      actorId: by,
      occurredAt: now,
    });
    return { item, overdue: input.dueDate < today };
  });
}

/**
 * The largest item number a store can hold: `action_items.number` is a 32-bit
 * integer on PostgreSQL, which fails on a larger one instead of finding no row.
 */
const MAX_ITEM_NUMBER = 2_147_483_647;

function parseItemNumber(word: string | undefined, usage: string): number {
  const digits = (word ?? '').replace(/^#/, '');
  const n = Number(digits);
  // Digits only: Number() also reads `1e3` and `0x10`, which nobody means as an item.
  if (!word || !/^\d+$/.test(digits) || n < 1 || n > MAX_ITEM_NUMBER) {
    throw new DomainError('INVALID_INPUT', `${word ? `${quoted(word)} is not an item number.` : 'Say which item.'}\nUsage: ${usage}`);
  }
  return n;
}

/** The not-found answer, pointing at the numbers that do exist. */
async function noSuchItem(deps: Deps, incident: Incident, number: number): Promise<never> {
  const count = (await deps.repos.actions.listForIncident(incident.id)).length;
  throw new DomainError(
    'NOT_FOUND',
    `${incidentRef(incident.id)} has no action item #${number}${count ? ` (it has #1 to #${count}; see \`/incident actions\`)` : ' (it has none yet)'}.`,
  );
}

async function requireItem(deps: Deps, incident: Incident, number: number): Promise<ActionItem> {
  return (await deps.repos.actions.get(incident.id, number)) ?? (await noSuchItem(deps, incident, number));
}

/**
 * The item, once the person may change it. Who may is decided before
 * anything says whether the item exists: the not-found answer counts the
 * incident's items, which a private incident's non-member must not learn.
 */
async function requireChangeableItem(deps: Deps, actor: Actor, incident: Incident, number: number, place: Place): Promise<ActionItem> {
  const item = await deps.repos.actions.get(incident.id, number);
  requireMayChangeItem(incident, actor, item?.ownerId ?? null, place);
  return item ?? (await noSuchItem(deps, incident, number));
}

/** Closes one item as done or dropped; a second click finds it closed and says so. */
async function closeItem(deps: Deps, actor: Actor, incident: Incident, number: number, status: 'done' | 'dropped', reason: string | null): Promise<ActionItem> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(async (repos) => {
    const item = await requireItem({ ...deps, repos }, incident, number);
    if (!(await repos.actions.close(incident.id, number, status, by, now, reason))) {
      throw new DomainError('INVALID_TRANSITION', `${actionRef(item)} is already ${item.status}.`);
    }
    await repos.timeline.add({
      incidentId: incident.id,
      kind: status === 'done' ? 'action_done' : 'action_dropped',
      text: status === 'done' ? `Action ${actionRef(item)} done: ${item.text}` : `Action ${actionRef(item)} dropped: ${item.text} (reason: ${reason})`,
      actorId: by,
      occurredAt: now,
    });
    return (await repos.actions.get(incident.id, number))!;
  });
}

export async function completeActionItem(deps: Deps, actor: Actor, channelId: string, numberWord: string | undefined): Promise<ActionItem> {
  const number = parseItemNumber(numberWord, DONE_USAGE);
  const incident = await requireIncidentInChannel(deps.repos.incidents, channelId, DONE_USAGE);
  return await closeItem(deps, actor, incident, number, 'done', null);
}

/**
 * The Done button: the item is named by incident and number. For a private
 * incident, only a member (pressing in its channel) or the item's owner.
 */
export async function completeActionItemById(deps: Deps, actor: Actor, incidentId: number, number: number, pressedIn: Place): Promise<ActionItem> {
  const incident = await requireIncident(deps.repos.incidents, incidentId);
  await requireChangeableItem(deps, actor, incident, number, pressedIn);
  return await closeItem(deps, actor, incident, number, 'done', null);
}

export async function dropActionItem(deps: Deps, actor: Actor, channelId: string, numberWord: string | undefined, reason: string): Promise<ActionItem> {
  const number = parseItemNumber(numberWord, DROP_USAGE);
  if (!reason.trim()) throw new DomainError('INVALID_INPUT', `Say why it is dropped.\nUsage: ${DROP_USAGE}`);
  const incident = await requireIncidentInChannel(deps.repos.incidents, channelId, DROP_USAGE);
  return await closeItem(deps, actor, incident, number, 'dropped', reason.trim());
}

/** In an incident channel, that incident's items; anywhere else, the asker's own open items. */
export async function listActionItems(deps: Deps, actor: Actor, channelId: string): Promise<{ incident: Incident | null; items: ActionItem[] }> {
  const incident = (await deps.repos.incidents.getByChannel(channelId)) ?? null;
  if (incident) return { incident, items: await deps.repos.actions.listForIncident(incident.id) };
  return { incident: null, items: await deps.repos.actions.listOpenForOwner(actorId(actor)) };
}

/** Snooze 1 week: the item is due a week after today or after its due date, whichever is later. */
export async function snoozeActionItem(deps: Deps, actor: Actor, incidentId: number, number: number, pressedIn: Place): Promise<ActionItem> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  const today = todayIn(now, deps.timeZone);
  return repos.transaction(async (repos) => {
    const incident = await requireIncident(repos.incidents, incidentId);
    const item = await requireChangeableItem({ ...deps, repos }, actor, incident, number, pressedIn);
    if (item.status !== 'open') throw new DomainError('INVALID_TRANSITION', `${actionRef(item)} is already ${item.status}.`);
    const due = addCalendarDays(item.dueDate > today ? item.dueDate : today, 7);
    if (!(await repos.actions.reschedule(incidentId, number, item.dueDate, due, now))) {
      throw new DomainError('CONFLICT', `${actionRef(item)} changed just now; look again.`);
    }
    await repos.timeline.add({
      incidentId,
      kind: 'action_snoozed',
      text: `Action ${actionRef(item)} snoozed by <@${by}>: due ${due} (was ${item.dueDate})`,
      actorId: by,
      occurredAt: now,
    });
    return (await repos.actions.get(incidentId, number))!;
  });
}
