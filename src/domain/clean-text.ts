/**
 * The one cleaning every text the domain stores goes through: titles,
 * descriptions, notes, status messages, summaries, action texts, reasons.
 *
 * Why: a title of only U+200B (zero-width space) or U+202E (right-to-left
 * override) looked like text to `trim()`, declared an incident nobody could
 * see and made a channel named `inc-6`; an override inside a note reverses
 * what follows it wherever it is shown, so text can pretend to say something
 * else. So controls, bidi overrides and isolates, and the other characters
 * that render as nothing are removed, and a text with nothing visible left is
 * the empty string, which every caller already treats as missing.
 *
 * The joiners and selectors that emoji and some scripts need are kept where
 * they do that job: ZWJ/ZWNJ between two visible characters (👩‍💻, Persian,
 * Devanagari), a variation selector right after a visible character (❤️),
 * and tag characters after a black flag (the flags of England or Scotland).
 * Written by hand because it is a few Unicode properties, and no library
 * draws this line (strip-ansi and friends only know terminal escapes).
 */

/** Letters, digits, punctuation or symbols: what a reader can see. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** What a joiner may sit between: visible characters and the marks that decorate them. */
const JOINABLE = /[\p{L}\p{N}\p{P}\p{S}\p{M}]/u;
/**
 * Renders as nothing or steers how text around it renders: controls, lone
 * surrogates, and Unicode's default-ignorable code points (zero-width
 * spaces and joiners, U+202A–U+202E and U+2066–U+2069, LRM/RLM, U+2060–U+2064,
 * soft hyphen, BOM, Hangul fillers, variation selectors, tags…), and the
 * interlinear annotation marks U+FFF9–U+FFFB, which some renderers use to hide text.
 */
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Default_Ignorable_Code_Point}\ufff9-\ufffb]/u;
const JOINERS = new Set(['\u200c', '\u200d']);
const VARIATION_SELECTOR = /[\u180b-\u180d\u180f\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;
const TAG = /[\u{e0020}-\u{e007f}]/u;
const BLACK_FLAG = '\u{1f3f4}';
/** Line breaks in all their spellings: CR LF, CR, NEL, vertical tab, form feed, U+2028, U+2029. */
const LINE_BREAK = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/g;
/** Braille pattern blank is a symbol by category but shows nothing: a space, for our purposes. */
const BLANK_SYMBOL = /\u2800/g;

function keepIgnorable(ch: string, previous: string | undefined, next: string | undefined): boolean {
  if (JOINERS.has(ch)) return previous !== undefined && next !== undefined && JOINABLE.test(previous) && JOINABLE.test(next);
  if (VARIATION_SELECTOR.test(ch)) return previous !== undefined && VISIBLE.test(previous);
  if (TAG.test(ch)) return previous === BLACK_FLAG || (previous !== undefined && TAG.test(previous));
  return false;
}

/** Removes what renders as nothing; `\n` and `\t` are kept (the callers decide about them). */
function stripInvisible(text: string): string {
  const chars = Array.from(text);
  let out = '';
  let previous: string | undefined;
  chars.forEach((ch, i) => {
    if (ch !== '\n' && ch !== '\t' && INVISIBLE.test(ch) && !keepIgnorable(ch, previous, chars[i + 1])) return;
    out += ch;
    previous = ch;
  });
  return out;
}

/** Whether a reader would see anything at all in `text`. */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

/**
 * For text that may span lines (notes, status messages, summaries,
 * descriptions): line breaks become `\n`, tabs stay, every other invisible
 * character goes, the ends are trimmed. Empty when nothing visible is left.
 */
export function cleanText(text: string): string {
  const cleaned = stripInvisible(text.replace(LINE_BREAK, '\n').replace(BLANK_SYMBOL, ' ')).trim();
  return hasVisibleCharacter(cleaned) ? cleaned : '';
}

/**
 * For one-line text (titles, action texts, reasons): like cleanText, and
 * every run of whitespace, line breaks and tabs included, is one space.
 */
export function cleanLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ');
}

/**
 * Splits text into what a reader sees as one character each: an emoji with
 * its skin tone or ZWJ parts (👩🏽‍💻), a flag (two regional indicators), a
 * letter with its combining accents (é as e + U+0301).
 */
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The last index at or before `index` where `text` can be cut without
 * splitting a character: cut at N UTF-16 units, an emoji's surrogate pair
 * left half of itself (a broken character where the summary ended in
 * PagerDuty), and a flag or an accent cut off changed the character shown.
 */
export function wholeCharacterCut(text: string, index: number): number {
  if (index >= text.length) return text.length;
  if (index <= 0) return 0;
  return GRAPHEMES.segment(text).containing(index)?.index ?? index;
}

/**
 * `text` if it is at most `max` UTF-16 units long (the unit every limit here
 * counts in: JavaScript's length, Slack's and PagerDuty's checks); otherwise
 * its longest start of whole characters that leaves room for `ellipsis`,
 * followed by it. The one way text is cut to a length outside Slack's views,
 * which cut with fitText (it also keeps Slack's tokens whole).
 */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  if (ellipsis.length >= max) return ellipsis.length === max ? ellipsis : '';
  return text.slice(0, wholeCharacterCut(text, max - ellipsis.length)).trimEnd() + ellipsis;
}
