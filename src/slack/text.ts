/**
 * Slack's text in and out.
 *
 * In: with `should_escape: true` Slack sends `<@U123|alice>` for mentions,
 * `<!here>` for special mentions, `<#C1|name>` for channels, `<url|label>` for
 * links and `&amp; &lt; &gt;` for the three characters it reserves. We keep
 * user mentions as the canonical `<@U123>` token and turn everything else into
 * the plain text the user saw.
 *
 * Out: everything a user typed is escaped before it is echoed in mrkdwn, so
 * only our own `<@U123>` tokens survive as markup: nobody can make the bot ping
 * @channel or carry a link it did not mean to.
 */

import { escapeTyped } from '../domain/echo.js';

// A Map, not an object: nothing typed can reach a prototype property through a lookup.
const ENTITY: ReadonlyMap<string, string> = new Map([['&amp;', '&'], ['&lt;', '<'], ['&gt;', '>']]);

export function fromSlackText(raw: string): string {
  const tokens: string[] = [];
  // NUL marks our own placeholders below; one typed by the user must not pick a token.
  const withoutMarkup = raw.replace(/\u0000/g, '').replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    let plain: string;
    if (/^@[UW][A-Z0-9]+$/.test(target)) plain = `<${target}>`;
    else if (target.startsWith('!subteam^')) plain = label ?? '@group';
    else if (target.startsWith('!')) plain = `@${(label ?? target.slice(1)).replace(/^@/, '')}`;
    else if (target.startsWith('#')) plain = `#${label ?? target.slice(1)}`;
    else plain = label ? `${label} (${target})` : target;
    tokens.push(plain);
    return `\u0000${tokens.length - 1}\u0000`;
  });
  return withoutMarkup
    .replace(/&(amp|lt|gt);/g, (e) => ENTITY.get(e) ?? e)
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => tokens[Number(i)] ?? '');
}

const SPECIAL_MENTION = /@(here|channel|everyone)\b/gi;

/**
 * Escapes user text for mrkdwn. `<@U123>` mentions are kept; every other `<`,
 * `>` and `&` is escaped; a bare @here/@channel/@everyone gets a zero-width
 * joiner so no client turns it into a broadcast. The domain quotes typed words
 * in its refusals with this same rule (it cannot import Slack code).
 */
export const safe: (text: string) => string = escapeTyped;

/**
 * For plain-text places (header block, channel purpose): nothing is parsed
 * there today, but a joiner after every `<` keeps text like `<!channel>`
 * inert should it ever be shown where Slack does parse it.
 */
export function safePlain(text: string): string {
  return text.replace(/</g, '<\u200d').replace(SPECIAL_MENTION, '@\u200d$1');
}

/** Slack's date token: every reader sees the time in their own zone. */
export function slackDate(date: Date, fallback: string): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
