import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { recordReactionChange } from '../../domain/timeline.js';
import type { SlackServices } from '../services.js';
import { EventEnvelope, ReactionOnMessage, shapeProblem } from './event-shapes.js';

type ReactionArgs = SlackEventMiddlewareArgs<'reaction_added' | 'reaction_removed'> & AllMiddlewareArgs;

/** The timeline emoji on a message in an incident channel puts that message on the timeline. */
export function registerReactionEvents(app: App, services: SlackServices): void {
  const log = services.logger.child({ component: 'reactions' });
  const onReaction = async ({ event, body }: ReactionArgs) => {
    // Reactions on files are not for the timeline: skipped quietly, as before.
    const itemType = (event as { item?: { type?: unknown } | null }).item?.type;
    if (itemType !== undefined && itemType !== 'message') return;
    const envelope = EventEnvelope.safeParse(body);
    const reaction = ReactionOnMessage.safeParse(event);
    if (!envelope.success || !reaction.success) {
      const problem = shapeProblem((envelope.error ?? reaction.error)!);
      log.warn({ type: (event as { type?: unknown }).type, problem }, 'ignored a reaction event of the wrong shape');
      return;
    }
    const { item } = reaction.data;
    const outcome = await recordReactionChange(services.deps, services.timelineEmoji, {
      eventId: envelope.data.event_id,
      channelId: item.channel,
      messageTs: item.ts,
      reaction: reaction.data.reaction,
    });
    log.debug({ type: event.type, eventId: envelope.data.event_id, outcome }, 'reaction');
  };
  // Both directions reconcile with Slack's current reactions, so they share one handler.
  app.event('reaction_added', onReaction);
  app.event('reaction_removed', onReaction);
}
