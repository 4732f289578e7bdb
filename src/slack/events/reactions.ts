import type { App } from '@slack/bolt';
import { recordReactionChange } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';

/** The timeline emoji on a message in an incident channel puts that message on the timeline. */
export function registerReactionEvents(app: App, services: SlackServices): void {
  for (const type of ['reaction_added', 'reaction_removed'] as const) {
    app.event(type, async ({ event, body, logger }) => {
      if (event.item.type !== 'message') return;
      const outcome = recordReactionChange(services.deps, services.timelineEmoji, {
        eventId: body.event_id,
        channelId: event.item.channel,
        messageTs: event.item.ts,
        reaction: event.reaction,
      });
      logger.debug(`${type} ${body.event_id}: ${outcome}`);
    });
  }
}
