import type { Logger } from 'pino';
import type { Audience } from '../domain/access.js';
import type { Incident } from '../domain/model.js';
import type { SlackGateway } from './gateway.js';

/**
 * The person asking, with the private incident channels (among `incidents`)
 * Slack says they are in. Asked only for private incidents whose channel is
 * not where they typed; a Slack failure counts as "not a member": a list
 * that leaves out too much is better than one that leaks.
 */
export async function personAudience(
  slack: SlackGateway,
  logger: Logger,
  userId: string,
  channelId: string,
  incidents: readonly Pick<Incident, 'isPrivate' | 'channelId'>[],
): Promise<Audience> {
  const toCheck = [...new Set(incidents.filter((i) => i.isPrivate && i.channelId && i.channelId !== channelId).map((i) => i.channelId!))];
  const memberOf = new Set<string>();
  await Promise.all(
    toCheck.map(async (channel) => {
      try {
        if (await slack.isMember(channel, userId)) memberOf.add(channel);
      } catch (error) {
        logger.warn({ err: error, channel }, 'could not check channel membership; treating as not a member');
      }
    }),
  );
  return { type: 'person', userId, channelId, memberOf };
}
