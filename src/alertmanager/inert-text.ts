/**
 * Alert text made inert where it enters the bot.
 *
 * Labels and annotations are written by whoever wrote the alerting rules (and
 * filled in by Prometheus), never picked in Slack; yet the bot shows them with
 * the one escaping rule for echoes, which gives `<@U…>` back because in text a
 * person typed in Slack it is a mention they chose. So a summary `disk full,
 * owner <@U0BOB>` pinged Bob from the notice. Escaping differently where alert
 * text is shown cannot work: the summary becomes the title of the incident it
 * declares (stored and shown everywhere as typed text), and alert lines sit on
 * the timeline beside the bot's own mentions. So the text is changed once,
 * here: `<` and `>`, the only way into Slack's markup (mentions, `<!here>`,
 * user groups, links), become the look-alikes ‹ and ›, which read the same and
 * which no later step turns back. A bare `@here` is already defused by the
 * echo rule's joiner.
 */

const MARKUP = /[<>]/;

/** `<` and `>` as ‹ and ›: the text reads as it was written and can never be markup. */
export function inertText(text: string): string {
  return text.replace(/</g, '\u2039').replace(/>/g, '\u203a');
}

/** Labels or annotations, names and values alike, made inert (a name is shown too: `team="…"`). */
export function inertLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  // A storm's webhooks carry thousands of labels and nearly none has a bracket: keep those as they came.
  if (!Object.entries(labels).some(([name, value]) => MARKUP.test(name) || MARKUP.test(value))) return labels as Record<string, string>;
  return Object.fromEntries(Object.entries(labels).map(([name, value]) => [inertText(name), inertText(value)]));
}

/**
 * A URL keeps its meaning with `<` and `>` percent-encoded (Prometheus encodes
 * them already; the timeline shows generatorURL as text, so a raw one must not be markup either).
 */
export function inertUrl(url: string): string {
  return url.replace(/</g, '%3C').replace(/>/g, '%3E');
}
