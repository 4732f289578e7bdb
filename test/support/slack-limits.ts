/**
 * Checks a message or a modal against Slack's published size limits (the
 * numbers in src/slack/views/limits.ts, and those of elements and views), and
 * checks that its mrkdwn is whole: no escape entity cut in two, no `<` that is
 * not one of our own tokens (a `<ic|tech>` placeholder would be a link).
 * Returns every problem found, each with the JSON path of the text at fault.
 */

type Json = Record<string, unknown>;

/**
 * What Slack parses in our mrkdwn: mentions, channel links, date tokens, and
 * labelled web links (Slack permalinks, Prometheus and runbook links, which may
 * be http:// and thousands of characters long). Sticky, so it is matched where
 * a `<` is without copying the rest of the text.
 */
const OUR_TOKEN = /<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!date\^\d+\^[^|<>]+\|[^<>]+|https?:\/\/[^|<>\s]+\|[^<>]+)>/y;

function ourTokenAt(text: string, index: number): boolean {
  OUR_TOKEN.lastIndex = index;
  return OUR_TOKEN.test(text);
}

/** Problems of a mrkdwn string's markup: a stray `&` (a cut `&amp;`) or a `<` that is no token of ours. */
export function markupProblems(text: string, path: string): string[] {
  const problems: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '&' && !/^&(?:amp|lt|gt);/.test(text.slice(i, i + 5))) problems.push(`${path}: a bare "&" at ${i}: ${JSON.stringify(text.slice(i, i + 12))}`);
    if (text[i] === '<' && !ourTokenAt(text, i)) problems.push(`${path}: "<" that Slack would parse, at ${i}: ${JSON.stringify(text.slice(i, i + 30))}`);
    if (text[i] === '>' && text.lastIndexOf('<', i) <= text.lastIndexOf('>', i - 1)) problems.push(`${path}: a bare ">" at ${i}`);
  }
  return problems;
}

function textObject(value: unknown, path: string, max: number, problems: string[], plainOnly = false): void {
  const o = value as Json | undefined;
  if (!o || typeof o !== 'object') return void problems.push(`${path}: missing text object`);
  if (o.type !== 'plain_text' && o.type !== 'mrkdwn') problems.push(`${path}: text object of type ${String(o.type)}`);
  if (plainOnly && o.type !== 'plain_text') problems.push(`${path}: must be plain_text`);
  const text = o.text;
  if (typeof text !== 'string' || text.length === 0) return void problems.push(`${path}.text: empty`);
  if (text.length > max) problems.push(`${path}.text: ${text.length} characters, limit ${max}`);
  if (o.type === 'mrkdwn') problems.push(...markupProblems(text, `${path}.text`));
}

function atMost(value: unknown, path: string, max: number, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string') return void problems.push(`${path}: not a string`);
  if (value.length > max) problems.push(`${path}: ${value.length} characters, limit ${max}`);
}

function count(value: unknown, path: string, max: number, problems: string[]): readonly unknown[] {
  const list = Array.isArray(value) ? value : [];
  if (list.length > max) problems.push(`${path}: ${list.length} items, limit ${max}`);
  return list;
}

function confirmProblems(c: Json, path: string, problems: string[]): void {
  textObject(c.title, `${path}.title`, 100, problems, true);
  textObject(c.text, `${path}.text`, 300, problems);
  textObject(c.confirm, `${path}.confirm`, 30, problems, true);
  textObject(c.deny, `${path}.deny`, 30, problems, true);
}

function optionProblems(options: readonly unknown[], path: string, problems: string[]): void {
  options.forEach((raw, i) => {
    const o = raw as Json;
    textObject(o.text, `${path}[${i}].text`, 75, problems);
    atMost(o.value, `${path}[${i}].value`, 150, problems);
  });
}

function elementProblems(raw: unknown, path: string, problems: string[]): void {
  const e = raw as Json;
  atMost(e.action_id, `${path}.action_id`, 255, problems);
  if (e.placeholder) textObject(e.placeholder, `${path}.placeholder`, 150, problems, true);
  switch (e.type) {
    case 'button':
      textObject(e.text, `${path}.text`, 75, problems, true);
      atMost(e.value, `${path}.value`, 2000, problems);
      atMost(e.url, `${path}.url`, 3000, problems);
      if (e.confirm) confirmProblems(e.confirm as Json, `${path}.confirm`, problems);
      return;
    case 'static_select':
      optionProblems(count(e.options, `${path}.options`, 100, problems), `${path}.options`, problems);
      return;
    case 'checkboxes':
    case 'radio_buttons':
      optionProblems(count(e.options, `${path}.options`, 10, problems), `${path}.options`, problems);
      return;
    case 'plain_text_input':
      if (typeof e.max_length === 'number' && e.max_length > 3000) problems.push(`${path}.max_length: ${e.max_length}, limit 3000`);
      return;
    case 'image':
      return;
    default:
      problems.push(`${path}: element type ${String(e.type)} not checked here`);
  }
}

function blockProblems(raw: unknown, path: string, problems: string[]): void {
  const b = raw as Json;
  atMost(b.block_id, `${path}.block_id`, 255, problems);
  switch (b.type) {
    case 'header':
      return textObject(b.text, `${path}.text`, 150, problems, true);
    case 'section': {
      if (!b.text && !b.fields) problems.push(`${path}: a section needs text or fields`);
      if (b.text) textObject(b.text, `${path}.text`, 3000, problems);
      count(b.fields, `${path}.fields`, 10, problems).forEach((f, i) => textObject(f, `${path}.fields[${i}]`, 2000, problems));
      if (b.accessory) elementProblems(b.accessory, `${path}.accessory`, problems);
      return;
    }
    case 'context':
      count(b.elements, `${path}.elements`, 10, problems).forEach((e, i) => {
        if ((e as Json).type === 'image') return;
        textObject(e, `${path}.elements[${i}]`, 3000, problems);
      });
      return;
    case 'actions':
      count(b.elements, `${path}.elements`, 25, problems).forEach((e, i) => elementProblems(e, `${path}.elements[${i}]`, problems));
      return;
    case 'input':
      textObject(b.label, `${path}.label`, 2000, problems, true);
      if (b.hint) textObject(b.hint, `${path}.hint`, 2000, problems, true);
      elementProblems(b.element, `${path}.element`, problems);
      return;
    case 'divider':
      return;
    default:
      problems.push(`${path}: block type ${String(b.type)} not checked here`);
  }
}

/**
 * A message as chat.postMessage, chat.update or a response_url takes it:
 * 50 blocks; `text` up to 40,000 characters alone, 4,000 beside blocks (it is
 * then the notification); the text alone is mrkdwn and must be whole too.
 */
export function messageProblems(message: { readonly text?: string; readonly blocks?: readonly unknown[] }): string[] {
  const problems: string[] = [];
  const blocks = count(message.blocks, 'blocks', 50, problems);
  const text = message.text ?? '';
  const max = blocks.length > 0 ? 4000 : 40_000;
  if (text.length > max) problems.push(`text: ${text.length} characters, limit ${max}${blocks.length > 0 ? ' beside blocks' : ''}`);
  if (blocks.length === 0 && text.length === 0) problems.push('text: empty message');
  problems.push(...markupProblems(text, 'text'));
  blocks.forEach((b, i) => blockProblems(b, `blocks[${i}]`, problems));
  return problems;
}

/** A modal as views.open takes it. */
export function viewProblems(view: Json): string[] {
  const problems: string[] = [];
  textObject(view.title, 'title', 24, problems, true);
  if (view.submit) textObject(view.submit, 'submit', 24, problems, true);
  if (view.close) textObject(view.close, 'close', 24, problems, true);
  atMost(view.private_metadata, 'private_metadata', 3000, problems);
  atMost(view.callback_id, 'callback_id', 255, problems);
  count(view.blocks, 'blocks', 100, problems).forEach((b, i) => blockProblems(b, `blocks[${i}]`, problems));
  return problems;
}
