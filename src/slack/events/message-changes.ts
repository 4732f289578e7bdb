import type { App } from '@slack/bolt';
import { recordMessageDeleted, recordMessageEdited } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';
import { EventEnvelope, MessageChanged, MessageDeleted, shapeProblem } from './event-shapes.js';

/** Edits and deletions of messages that are on a timeline keep the timeline true. */
export function registerMessageChangeEvents(app: App, services: SlackServices): void {
  const log = services.logger.child({ component: 'message-changes' });
  app.event('message', async ({ event, body }) => {
    const subtype: unknown = (event as { subtype?: unknown }).subtype;
    if (subtype !== 'message_changed' && subtype !== 'message_deleted') return;
    const envelope = EventEnvelope.safeParse(body);
    if (!envelope.success) {
      log.warn({ subtype, problem: shapeProblem(envelope.error) }, 'ignored a message event of the wrong shape');
      return;
    }
    const eventId = envelope.data.event_id;
    if (subtype === 'message_changed') {
      const changed = MessageChanged.safeParse(event);
      if (!changed.success) {
        log.warn({ subtype, eventId, problem: shapeProblem(changed.error) }, 'ignored a message event of the wrong shape');
        return;
      }
      const { channel, message } = changed.data;
      const change = { eventId, channelId: channel, messageTs: message.ts };
      // A thread's parent deleted while it has replies stays as a tombstone ("This message was
      // deleted."), and Slack tells it as this edit, never as message_deleted.
      if (message.subtype === 'tombstone') await recordMessageDeleted(services.deps, change);
      else await recordMessageEdited(services.deps, change);
    } else {
      const deleted = MessageDeleted.safeParse(event);
      if (!deleted.success) {
        log.warn({ subtype, eventId, problem: shapeProblem(deleted.error) }, 'ignored a message event of the wrong shape');
        return;
      }
      await recordMessageDeleted(services.deps, { eventId, channelId: deleted.data.channel, messageTs: deleted.data.deleted_ts });
    }
  });
}
