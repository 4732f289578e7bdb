/** Markdown helpers for the postmortem: people, table cells, durations, UTC times. */
import { incidentRef } from '../domain/model.js';
import { formatInTimeZone } from '../domain/time.js';

/** A Slack user as a canvas mention (`![](@U123)`), which Slack renders as the person's name. */
export function person(userId: string | null): string {
  if (!userId) return '_unknown_';
  if (userId.startsWith('system:')) return 'the bot';
  return `![](@${userId})`;
}

/** What opens a block other than a paragraph at the start of a line: a heading, quote, list, fence, HTML, rule. */
const BLOCK_START = /^(?:([#>\-+*=`~_]|<(?!@[UW]))|(\d+)([.)]))/;

/**
 * User text for Markdown, on one line (a heading, a paragraph, a list item): mentions as
 * canvas mentions, line breaks as spaces, and a leading `#`, `>`, `-`, `1.`, ``` or `<`
 * escaped. A resolve summary's "\n## Root cause" became a heading of the draft, and a title
 * starting with "- " or "1." turned the Summary paragraph into a list.
 * A canvas mention or embed written out as text (`![](@U…)`, `![](#C…)`) is escaped: only a
 * mention Slack delivered (`<@U…>`) becomes one, never text from an alert or typed as such.
 * So is a Markdown link (`[label](url)`).
 */
export function prose(text: string): string {
  const oneLine = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return oneLine
    .replace(/!\[/g, '!\\[')
    // `[label](url)` is plain text in Slack, where it was typed, and a link with a hidden address in
    // the canvas: escaped, it reads there as it did in the channel.
    .replace(/\]\(/g, ']\\(')
    // A mention Slack delivered (`<@U…>`) is left to become a canvas mention.
    .replace(BLOCK_START, (_m, mark: string | undefined, digits: string | undefined, dot: string | undefined) => (mark ? `\\${mark}` : `${digits}\\${dot}`))
    .replace(/<@([UW][A-Z0-9]+)>/g, (_m, id: string) => person(id));
}

/** A table cell: prose, with its pipes escaped. */
export function cell(text: string): string {
  return prose(text).replace(/\|/g, '\\|');
}

export function utc(date: Date): string {
  return `${formatInTimeZone(date, 'yyyy-MM-dd HH:mm')} UTC`;
}

/** A canvas mention as `person` writes it; the user id is the first group. */
const CANVAS_MENTION = /!\[\]\(@([UW][A-Z0-9]+)\)/g;

/** The user ids the draft mentions, each once. */
export function mentionedUserIds(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(CANVAS_MENTION)].map((m) => m[1]!))];
}

/**
 * The draft for reading outside Slack (a terminal, a Markdown file), where a
 * canvas mention is noise: each becomes the person's name as the bot last saw
 * it, or the bare user id when it never saw one.
 */
export function withPeopleNames(markdown: string, names: ReadonlyMap<string, string>): string {
  return markdown.replace(CANVAS_MENTION, (_m, id: string) => {
    const name = names.get(id);
    // A name is text from Slack: escaped so it cannot open emphasis, a link or a table cell.
    return name ? name.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`) : id;
  });
}

export const TO_FILL = '**[to fill]**';

/** The name a draft gets as a file: `inc-12-postmortem-v2.md`. */
export function draftFileName(incidentId: number, version: number): string {
  return `${incidentRef(incidentId).toLowerCase()}-postmortem-v${version}.md`;
}
