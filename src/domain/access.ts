import { DomainError } from './errors.js';
import { incidentRef, type Actor, type Incident } from './model.js';

/**
 * Where a person acted from: the channel a command was typed in, or the
 * channel of the message a button was on. Slack lets only members type in or
 * read a private channel, so acting from a private incident's own channel
 * proves membership; acting from anywhere else proves nothing.
 */
export interface Place {
  readonly channelId: string | null;
}

/** Whether someone acting from `place` is inside the incident's channel. */
export function isInIncidentChannel(incident: Incident, place: Place): boolean {
  return incident.channelId !== null && place.channelId === incident.channelId;
}

/**
 * A button that changes an incident itself (Resolve) lives on the incident's
 * pinned header, in its channel. The incident named by a button's value is
 * trusted only when the button was pressed there: a value sent from any other
 * channel changes nothing, whatever it names.
 */
export function requireActedInIncidentChannel(incident: Incident, place: Place): void {
  if (isInIncidentChannel(incident, place)) return;
  throw new DomainError(
    'NOT_ALLOWED',
    `That button does not belong to ${incidentRef(incident.id)}'s channel, so nothing was changed. Use it on the pinned header in the incident's channel, or type the command there.`,
  );
}

/**
 * Follow-ups of a private incident may be changed by members of its channel
 * (acting from it) and by the item's own owner (from their digest DM or
 * their own listing); nobody else, and the refusal names nothing. `ownerId`
 * is null when no such item exists: a non-member then gets this same
 * refusal, so probing numbers tells nothing of which items a private
 * incident has.
 */
export function requireMayChangeItem(incident: Incident, actor: Actor, ownerId: string | null, place: Place): void {
  if (!incident.isPrivate || isInIncidentChannel(incident, place)) return;
  if (actor.type === 'slack' && ownerId !== null && actor.userId === ownerId) return;
  throw new DomainError(
    'NOT_ALLOWED',
    'That follow-up belongs to a private incident: only members of its channel and the item\'s owner can change it. Nothing was changed.',
  );
}

/**
 * Who reads what the bot is about to show: a person (an ephemeral reply or a
 * DM) or everyone in a channel (a post). `memberOf` lists the private
 * incident channels the person is known to be in.
 */
export type Audience =
  | { readonly type: 'person'; readonly userId: string; readonly channelId: string | null; readonly memberOf?: ReadonlySet<string> }
  | { readonly type: 'channel'; readonly channelId: string };

/** Whether the audience may read the incident's title and texts. */
export function maySeeIncident(incident: Pick<Incident, 'isPrivate' | 'channelId'>, audience: Audience): boolean {
  if (!incident.isPrivate) return true;
  if (!incident.channelId) return false;
  if (audience.channelId === incident.channelId) return true;
  return audience.type === 'person' && (audience.memberOf?.has(incident.channelId) ?? false);
}

/** Whether the audience may read a follow-up: as for its incident, and its owner always (in a reply to them). */
export function maySeeItem(item: { readonly ownerId: string; readonly isPrivate: boolean; readonly channelId: string | null }, audience: Audience): boolean {
  if (maySeeIncident(item, audience)) return true;
  return audience.type === 'person' && audience.userId === item.ownerId;
}
