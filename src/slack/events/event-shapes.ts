import { z } from 'zod';

/**
 * The fields the event listeners read, checked before they are read. Bolt
 * types these events as Slack documents them, but nothing on the wire makes
 * a signed request keep to that: a `reaction_added` whose `item` was null, or
 * a `message_changed` without `message`, threw inside the listener and was
 * logged as a fault. What does not fit is logged and ignored instead.
 */
const SlackId = z.string().min(1);
const SlackTs = z.string().regex(/^\d+\.\d+$/);

/** The envelope's id makes retries harmless; without one an event cannot be applied once. */
export const EventEnvelope = z.object({ event_id: SlackId });

/** A reaction on a message; reactions on files and file comments carry no channel and ts. */
export const ReactionOnMessage = z.object({
  reaction: z.string().min(1),
  item: z.object({ type: z.literal('message'), channel: SlackId, ts: SlackTs }),
});

export const MessageChanged = z.object({
  channel: SlackId,
  message: z.object({ ts: SlackTs, subtype: z.string().nullish() }),
});

export const MessageDeleted = z.object({ channel: SlackId, deleted_ts: SlackTs });

/** Where a listener says what it ignored, and why, without logging the message text. */
export function shapeProblem(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ');
}
