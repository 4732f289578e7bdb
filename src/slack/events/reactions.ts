import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { recordReactionChange } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';

type ReactionArgs = SlackEventMiddlewareArgs<'reaction_added' | 'reaction_removed'> & AllMiddlewareArgs;

/** The timeline emoji on a message in an incident channel puts that message on the timeline. */
export function registerReactionEvents(app: App, services: SlackServices): void {
  const onReaction = async ({ event, body, logger }: ReactionArgs) => {
    if (event.item.type !== 'message') return;
    const outcome = recordReactionChange(services.deps, services.timelineEmoji, {
      eventId: body.event_id,
      channelId: event.item.channel,
      messageTs: event.item.ts,
      reaction: event.reaction,
    });
    logger.debug(`${event.type} ${body.event_id}: ${outcome}`);
  };
  // Both directions reconcile with Slack's current reactions, so they share one handler.
  app.event('reaction_added', onReaction);
  app.event('reaction_removed', onReaction);
}
