/**
 * How text a user typed is echoed back in messages. Domain messages are
 * mrkdwn already (they quote usage in backticks), and the one error handler
 * shows them as they are; so a refusal that quoted `<!here>` raw pinged the
 * whole channel, and one that quoted `<https://evil.example|click>` carried a
 * link the bot never meant. The Slack layer's `safe` is this same function,
 * so there is one escaping rule for every echo.
 */

import { cutText } from './clean-text.js';

const SPECIAL_MENTION = /@(here|channel|everyone)\b/gi;
/** Long enough to recognise the word, short enough that a pasted essay is not echoed whole. */
const MAX_QUOTED = 40;

/**
 * Escapes user text for mrkdwn. `<@U123>` mentions are kept; every other `<`,
 * `>` and `&` is escaped; a bare @here/@channel/@everyone gets a zero-width
 * joiner so no client turns it into a broadcast.
 */
export function escapeTyped(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, '<@$1>')
    .replace(SPECIAL_MENTION, '@\u200d$1');
}

/** A word the user typed, in quotes, escaped and cut short: `"sev9"`. */
export function quoted(word: string): string {
  const short = cutText(word, MAX_QUOTED + 1);
  return `"${escapeTyped(short)}"`;
}
