/**
 * The one way the bot writes a link in mrkdwn.
 *
 * The URLs it links come from outside (an alert's generatorURL and
 * runbook_url), and Slack reads `<target|label>` by its target: `!channel`,
 * `!here` or `!subteam^S0X` made `<!channel|Prometheus>`, which pinged the
 * whole channel (or a user group) whatever the label said. So the check is
 * here, not in each caller: only an http(s) URL becomes a link.
 */

/** http or https, a host, and no whitespace or control character (Slack would end the link there). */
const WEB_URL = /^https?:\/\/[^\s\p{Cc}/?#]+[^\s\p{Cc}]*$/iu;

/** Whether `url` is one the bot links: an absolute http:// or https:// URL. */
export function isWebUrl(url: string): boolean {
  return WEB_URL.test(url) && URL.canParse(url);
}

/**
 * A link Slack renders as `label`, the URL escaped so it cannot end the link
 * early or add markup; anything but a web URL gives the label alone, as text.
 * `label` is the bot's own words, escaped too.
 */
export function slackLink(url: string, label: string): string {
  const text = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (!isWebUrl(url)) return text;
  const target = url.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '%7C');
  return `<${target}|${text}>`;
}
