/**
 * Turns what the bot did in the Slack stand-in into lines a person can read:
 * mentions become @names, channels #names, Block Kit becomes indented text.
 */
import type { RecordedCall, SlackStandIn } from '../test/support/slack-stand-in.js';
import { USERS } from '../test/support/slack-stand-in.js';

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: string }[];
}

export function readable(slack: SlackStandIn, text: string): string {
  return text
    .replace(/<@(\w+)>/g, (_m, id: string) => `@${USERS[id]?.name ?? (id === 'UBOT0001' ? 'incident-bot' : id)}`)
    .replace(/<#(\w+)>/g, (_m, id: string) => `#${slack.channels.get(id)?.name ?? id}`)
    .replace(/<!date\^\d+\^[^|]+\|([^>]+)>/g, '$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u200d/g, '');
}

export function blocksToText(slack: SlackStandIn, blocks: Block[]): string[] {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.type === 'header' && b.text) lines.push(`┃ ${b.text.text.toUpperCase()}`);
    if (b.type === 'section' && b.text) lines.push(...b.text.text.split('\n').map((l) => `┃ ${l}`));
    if (b.type === 'section' && b.fields) {
      lines.push(`┃ ${b.fields.map((f) => f.text.replace(/\*/g, '').replace('\n', ': ')).join(' │ ')}`);
    }
    if (b.type === 'context' && b.elements) lines.push(...b.elements.map((e) => `┃ (${e.text ?? ''})`));
    if (b.type === 'actions' && b.elements) lines.push(`┃ ${b.elements.map((e) => `[${(e as { text?: { text?: string } }).text?.text ?? 'button'}]`).join(' ')}`);
  }
  return lines.map((l) => readable(slack, l));
}

function channelName(slack: SlackStandIn, id: unknown): string {
  if (USERS[String(id)]) return `a DM to @${USERS[String(id)]!.name}`;
  const c = slack.channels.get(String(id));
  if (!c) return String(id);
  return c.name.startsWith('dm-') ? `DM to @${USERS[c.name.slice(3)]?.name}` : `#${c.name}`;
}

/** One or more lines for a Web API call the bot made; nothing for reads. */
export function describeCall(slack: SlackStandIn, call: RecordedCall): string[] {
  const p = call.params;
  const ok = call.response.ok === true;
  const failed = ok ? '' : ` ✗ ${String(call.response.error ?? `HTTP ${call.status}`)}`;
  switch (call.method) {
    case 'conversations.create':
      return [`created ${p.is_private === 'true' ? 'private ' : ''}channel #${String(p.name)}${failed}`];
    case 'conversations.invite':
      return [`invited ${readable(slack, `<@${String(p.users)}>`)} to ${channelName(slack, p.channel)}${failed}`];
    case 'conversations.setTopic':
      return [`topic of ${channelName(slack, p.channel)}: "${readable(slack, String(p.topic))}"${failed}`];
    case 'conversations.setPurpose':
      return [`purpose of ${channelName(slack, p.channel)}: "${readable(slack, String(p.purpose))}"${failed}`];
    case 'pins.add':
      return [`pinned the header in ${channelName(slack, p.channel)}${failed}`];
    case 'chat.postMessage':
    case 'chat.update': {
      const verb = call.method === 'chat.update' ? 'updated the pinned header in' : p.thread_ts ? 'replied in the thread, in' : 'posted in';
      const blocks = typeof p.blocks === 'string' ? (JSON.parse(p.blocks) as Block[]) : undefined;
      const body = blocks ? blocksToText(slack, blocks) : readable(slack, String(p.text)).split('\n').map((l) => `│ ${l}`);
      return [`${verb} ${channelName(slack, p.channel)}${failed}`, ...body.map((l) => `    ${l}`)];
    }
    case 'chat.postEphemeral':
      return [`(only @${USERS[String(p.user)]?.name} sees, in ${channelName(slack, p.channel)}) ${readable(slack, String(p.text))}`];
    case 'views.open':
      return ['opened the declare form'];
    case 'conversations.canvases.create':
      return [`published the postmortem draft as the canvas of ${channelName(slack, p.channel_id)}${failed}`];
    case 'canvases.edit':
      return [`replaced the postmortem canvas with a new version${failed}`];
    case 'files.completeUploadExternal':
      return [`uploaded the postmortem draft as a Markdown file to ${channelName(slack, p.channel_id)}${failed}`];
    default:
      return [];
  }
}
