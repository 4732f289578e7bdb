import { wholeCharacterCut } from '../../domain/clean-text.js';

/**
 * Slack's size limits, and the one way this bot cuts text to fit them.
 *
 * Slack refuses a whole message (`invalid_blocks`) when one text is too long,
 * so a header with a long impact never reached its channel. Every builder in
 * views/ fits what it writes here, after escaping (`&` becomes `&amp;`, five
 * times longer), so no input the bot accepts can make a message Slack refuses.
 *
 * Where the numbers come from:
 * - Section text 3000, section fields 10 of 2000 each, header text 150, context
 *   10 elements, actions 25 elements: the Block Kit reference
 *   (docs.slack.dev/reference/block-kit/blocks/section-block, .../header-block,
 *   .../context-block) and the @slack/types JSDoc on SectionBlock, HeaderBlock,
 *   ContextBlock, ActionsBlock.
 * - Button text 75, button value 2000; confirm title 100, text 300, buttons 30:
 *   @slack/types Button and ConfirmationDialog (composition objects reference).
 * - 50 blocks a message: docs.slack.dev/reference/block-kit/blocks.
 * - A message's `text` "accepts up to 40,000 characters"; longer is truncated
 *   with a `message_truncated` warning, on chat.postMessage, chat.postEphemeral
 *   and response URLs alike (api.slack.com/changelog/2018-04-truncating-really-long-messages).
 *   The same page recalls the older advice of 4,000 and that long messages may
 *   be broken into several: with blocks, `text` is only the notification and
 *   fallback, so it stays under 4,000.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** `text` of a message without blocks: Slack truncates beyond this. */
  messageText: 40_000,
  /** `text` beside blocks: the notification and the fallback for clients without blocks. */
  fallbackText: 4_000,
} as const;

/** The two limits the digest's chunking is measured against (it had them before this module). */
export const MAX_BLOCKS = SLACK_LIMITS.blocksPerMessage;
export const MAX_TEXT = SLACK_LIMITS.sectionText;

/**
 * What must not be cut in two besides a character (wholeCharacterCut): an
 * escape entity (`&amp;`), a Slack token in angle brackets (`<@U123>`, `<#C1>`,
 * `<!date^…|…>`, `<https://…|message>`). In escaped text every `<` left is one of ours.
 * A token has no length bound: Prometheus writes generatorURLs of thousands of
 * characters, and a bound made such a link cuttable, leaving `<http://…` open.
 */
const ATOMIC = /&(?:amp|lt|gt);|<[^<>\n]+>/g;

/** A web link of ours (slack-link.ts); its label is escaped mrkdwn already. */
const WEB_LINK = /^<https?:\/\/[^|<>]*\|([^<>]*)>$/i;

/** The entity or token that `cut` would split, if any. */
function tokenAcross(text: string, cut: number): RegExpExecArray | undefined {
  for (const match of text.matchAll(ATOMIC)) {
    if (match.index >= cut) return undefined;
    if (match.index + match[0].length > cut) return match;
  }
  return undefined;
}

/**
 * `text` if it fits in `max` characters; otherwise its longest start that ends
 * between two whole characters, entities and tokens, followed by `pointer` (which says where
 * the rest can be read). A web link that does not fit gives way to its label
 * first, so the words stay where the link cannot. Call it on text already escaped.
 */
export function fitText(text: string, max: number, pointer: string): string {
  if (pointer.length >= max && text.length > max) return pointer.slice(0, max);
  let fitting = text;
  // Each turn replaces one link by its shorter label, so this ends; the cut is then inside no link.
  for (;;) {
    if (fitting.length <= max) return fitting;
    // A surrogate pair alone kept emoji whole, but not a flag (two pairs), a skin tone or an accent.
    const cut = wholeCharacterCut(fitting, max - pointer.length);
    const crossing = tokenAcross(fitting, cut);
    if (!crossing) return fitting.slice(0, cut).trimEnd() + pointer;
    const label = WEB_LINK.exec(crossing[0])?.[1];
    if (label === undefined) return fitting.slice(0, wholeCharacterCut(fitting, crossing.index)).trimEnd() + pointer;
    fitting = fitting.slice(0, crossing.index) + label + fitting.slice(crossing.index + crossing[0].length);
  }
}

/**
 * Joins `lines` with newlines into at most `max` characters. Lines that do not
 * fit are left out whole, from the end (`keep: 'first'`) or from the start
 * (`keep: 'last'`: the newest, when lines are in time order), and `omitted(n)`
 * says so: after the kept lines, or before them. `head` always stays; a single
 * line longer than the room is cut with `fitText`.
 */
export function fitLines(options: {
  readonly head: readonly string[];
  readonly lines: readonly string[];
  readonly max: number;
  readonly keep: 'first' | 'last';
  readonly omitted: (count: number) => string;
  readonly linePointer: string;
}): string {
  const { head, lines, max, keep, omitted } = options;
  const all = [...head, ...lines].join('\n');
  if (all.length <= max) return all;
  const headText = head.join('\n');
  // Room for the lines once the head and the longest possible "omitted" line are counted.
  const room = max - headText.length - omitted(lines.length).length - 2;
  const ordered = keep === 'first' ? lines : [...lines].reverse();
  const kept: string[] = [];
  let used = 0;
  for (const line of ordered) {
    const cost = line.length + 1;
    if (used + cost > room) {
      // Nothing fits yet: show a cut version of this one rather than none.
      if (kept.length === 0 && room > 1) kept.push(fitText(line, room - 1, options.linePointer));
      break;
    }
    kept.push(line);
    used += cost;
  }
  const left = lines.length - kept.length;
  const notes = left > 0 ? [omitted(left)] : []; // none when the only line was cut rather than left out
  const body = keep === 'first' ? [...kept, ...notes] : [...notes, ...kept.reverse()];
  return fitText([...head, ...body].join('\n'), max, options.linePointer);
}
