import type { App } from '@slack/bolt';
import { recordMessageDeleted, recordMessageEdited } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';
import { fromSlackText } from '../text.js';

/** Edits and deletions of messages that are on a timeline keep the timeline true. */
export function registerMessageChangeEvents(app: App, services: SlackServices): void {
  app.event('message', async ({ event, body }) => {
    if (event.subtype === 'message_changed') {
      const message = event.message as { ts?: string; text?: string };
      if (!message.ts) return;
      recordMessageEdited(services.deps, {
        eventId: body.event_id,
        channelId: event.channel,
        messageTs: message.ts,
        text: fromSlackText(message.text ?? ''),
      });
    } else if (event.subtype === 'message_deleted') {
      recordMessageDeleted(services.deps, { eventId: body.event_id, channelId: event.channel, messageTs: event.deleted_ts });
    }
  });
}
