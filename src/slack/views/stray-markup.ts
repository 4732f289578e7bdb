/**
 * Usage texts are written the way people read them, `<ic|tech|comms|scribe>`
 * included, and the domain's messages quote them. In mrkdwn Slack reads that
 * as a link to "ic" labelled "tech|comms|scribe". So every mrkdwn text that
 * carries our own words with such placeholders passes through here on its way
 * out.
 */

/** What stays markup: an escape entity already written, a user mention, a channel link. */
const INTENDED = /&(?:amp|lt|gt);|<@[UW][A-Z0-9]+>|<#C[A-Z0-9]+>/g;

/**
 * Escapes every `&`, `<` and `>` that is not part of an entity, a `<@U…>`
 * mention or a `<#C…>` channel link. Text escaped before (typed words quoted
 * by the domain) is left as it is, so running this twice changes nothing and
 * it can never turn text into markup. A bare @here gets a zero-width joiner.
 */
export function escapeStrayMarkup(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(INTENDED)) {
    out += escapeAll(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeAll(text.slice(last));
}

const SPECIAL_MENTION = /@(here|channel|everyone)\b/gi;

/** The same rule as `safe` for what is left: a bare @here gets a joiner, as everywhere we echo. */
function escapeAll(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(SPECIAL_MENTION, '@\u200d$1');
}
