import type { App } from '@slack/bolt';
import { recordReaction, recordReactionRemoved } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';

/** The timeline emoji on a message in an incident channel puts that message on the timeline. */
export function registerReactionEvents(app: App, services: SlackServices): void {
  const deps = { ...services.deps, messages: services.slack, timelineEmoji: services.timelineEmoji };
  app.event('reaction_added', async ({ event, body, logger }) => {
    if (event.item.type !== 'message') return;
    const outcome = await recordReaction(deps, {
      eventId: body.event_id,
      channelId: event.item.channel,
      messageTs: event.item.ts,
      reaction: event.reaction,
    });
    logger.debug(`reaction_added ${body.event_id}: ${outcome}`);
  });
  app.event('reaction_removed', async ({ event, body, logger }) => {
    if (event.item.type !== 'message') return;
    const outcome = await recordReactionRemoved(deps, {
      eventId: body.event_id,
      channelId: event.item.channel,
      messageTs: event.item.ts,
      reaction: event.reaction,
    });
    logger.debug(`reaction_removed ${body.event_id}: ${outcome}`);
  });
}
