import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App.js';
import type { Logger } from 'pino';
import { isDomainError } from '../domain/errors.js';
import { respondEphemeral, type SlackGateway } from './gateway.js';
import { fitText, SLACK_LIMITS } from './views/limits.js';
import { escapeStrayMarkup } from './views/stray-markup.js';

interface ErrorBody {
  response_url?: string;
  user_id?: string;
  channel_id?: string;
  user?: { id?: string };
  channel?: { id?: string };
}

/** Bolt wraps what listeners throw; the cause is on `original`. */
function unwrap(error: unknown): unknown {
  const original = (error as { original?: unknown })?.original;
  return original ?? error;
}

/**
 * The one place errors become replies. A DomainError is the user's to fix and
 * is shown to them; anything else is logged with a short correlation id
 * and the user gets an apology quoting it. Nothing reaches the process.
 *
 * A refusal quotes usage texts such as `<ic|tech|comms|scribe>`, which mrkdwn
 * would read as a link: every `<`, `>` and `&` that is not already an entity,
 * a mention or a channel link is escaped here, once for every refusal.
 */
export function registerErrorReplies(app: App, slack: SlackGateway, logger: Logger): void {
  app.error(async ({ error, body }: ExtendedErrorHandlerArgs) => {
    const cause = unwrap(error);
    const b = (body ?? {}) as ErrorBody;
    let text: string;
    if (isDomainError(cause)) {
      text = fitText(`:warning: ${escapeStrayMarkup(cause.userMessage)}`, SLACK_LIMITS.messageText, '…');
      logger.info({ code: cause.code }, 'refused a request');
    } else {
      const ref = randomUUID().slice(0, 8);
      logger.error({ err: cause, ref }, 'request failed');
      text = `:x: Sorry, that did not work (reference \`${ref}\`). Nothing was lost; try again in a moment, and give the reference to whoever runs the bot if it keeps failing.`;
    }
    const userId = b.user_id ?? b.user?.id;
    try {
      if (b.response_url) await respondEphemeral(b.response_url, text);
      else if (userId) await slack.tellUser(userId, b.channel_id ?? b.channel?.id ?? null, text);
    } catch (replyError) {
      logger.error({ err: replyError }, 'could not tell the user about an error');
    }
  });
}
