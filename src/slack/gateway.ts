import { ErrorCode, WebClient, type WebAPICallResult } from '@slack/web-api';
import type { SourceMessage } from '../domain/ports.js';
import { METADATA_TYPES } from './ids.js';
import { fromSlackText } from './text.js';

/** A Slack Web API error code (`name_taken`, `channel_not_found`, ...), if the error carries one. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  if (e?.code === ErrorCode.PlatformError) return e.data?.error;
  if (e?.code === ErrorCode.RateLimitedError) return 'ratelimited';
  return undefined;
}

async function tolerating<T>(call: Promise<T>, ...codes: string[]): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (codes.includes(slackErrorCode(error) ?? '')) return undefined;
    throw error;
  }
}

/**
 * How far back before a job's creation findOwnPost reads: Slack stamps a post
 * with its own clock, and a host whose clock runs ahead of it would otherwise
 * look past its own post and post again.
 */
const OWN_POST_CLOCK_SKEW_MS = 10 * 60_000;
/** Messages a page (Slack allows up to 999, and advises 200). */
const OWN_POST_PAGE = 200;
/** Pages read at most: a thousand messages since the job, more than any channel says in its retry hour. */
const OWN_POST_MAX_PAGES = 5;

/** A time as Slack writes a message's ts: seconds, a dot, six digits. */
export function slackTs(at: Date): string {
  const ms = at.getTime();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

export interface PostedMessage {
  readonly ts: string;
}

interface HistoryMessage {
  ts?: string;
  user?: string;
  text?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  reactions?: { name?: string; count?: number }[];
  /** A file share (files.completeUploadExternal with a channel): the files it shared. */
  files?: { id?: string; name?: string }[];
}

/** What conversations.info says of a channel's canvas (not in @slack/web-api's types). */
interface ChannelProperties {
  canvas?: { file_id?: string; is_empty?: boolean };
  tabs?: { type?: string; data?: { file_id?: string } }[];
}

/**
 * The Slack Web API calls the bot makes, each with the answers that mean
 * "already done" folded into success, so every call is safe to repeat.
 */
export class SlackGateway {
  constructor(readonly client: WebClient) {}

  /** Who the token is, and the scopes it holds (the x-oauth-scopes header; undefined when Slack leaves it out). */
  async authTest(): Promise<{ userId: string; teamId: string; botId: string; scopes: readonly string[] | undefined }> {
    const r = await this.client.auth.test();
    return { userId: r.user_id ?? '', teamId: r.team_id ?? '', botId: r.bot_id ?? '', scopes: r.response_metadata?.scopes };
  }

  /** Creates a channel; undefined when Slack answers `name_taken`. */
  async createChannel(name: string, isPrivate: boolean): Promise<{ id: string; name: string } | undefined> {
    const r = await tolerating(this.client.conversations.create({ name, is_private: isPrivate }), 'name_taken');
    return r?.channel?.id ? { id: r.channel.id, name: r.channel.name ?? name } : undefined;
  }

  /** Finds a channel by exact name among those the bot can see, with its creator. */
  async findChannelByName(name: string): Promise<{ id: string; creator: string; createdAt: Date } | undefined> {
    for await (const page of this.client.paginate('conversations.list', {
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 200,
    }) as AsyncIterable<WebAPICallResult & { channels?: { id?: string; name?: string; creator?: string; created?: number }[] }>) {
      const found = page.channels?.find((c) => c.name === name);
      if (found?.id) return { id: found.id, creator: found.creator ?? '', createdAt: new Date((found.created ?? 0) * 1000) };
    }
    return undefined;
  }

  async invite(channel: string, userIds: readonly string[]): Promise<void> {
    // One call per user: Slack fails the whole batch when one of them is already in.
    for (const user of userIds) {
      await tolerating(this.client.conversations.invite({ channel, users: user }), 'already_in_channel', 'cant_invite_self');
    }
  }

  async setTopic(channel: string, topic: string): Promise<void> {
    await this.client.conversations.setTopic({ channel, topic });
  }

  /** The channel's purpose as Slack has it now (conversations.info). */
  async channelPurpose(channel: string): Promise<string> {
    const r = await this.client.conversations.info({ channel });
    return r.channel?.purpose?.value ?? '';
  }

  async setPurpose(channel: string, purpose: string): Promise<void> {
    await this.client.conversations.setPurpose({ channel, purpose });
  }

  async post(
    channel: string,
    text: string,
    options: { blocks?: unknown[]; metadata?: { event_type: string; event_payload: Record<string, string | number> } } = {},
  ): Promise<PostedMessage> {
    return this.postIn(channel, text, options);
  }

  /** Posts, optionally in a thread; the channel id Slack answers with (a DM's D… for a user id). */
  async postIn(
    channel: string,
    text: string,
    options: { blocks?: unknown[]; metadata?: { event_type: string; event_payload: Record<string, string | number> }; threadTs?: string },
  ): Promise<{ ts: string; channel: string }> {
    const r = await this.client.chat.postMessage({
      channel,
      text,
      ...(options.blocks ? { blocks: options.blocks as never } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      unfurl_links: false,
    });
    return { ts: r.ts ?? '', channel: r.channel ?? channel };
  }

  /**
   * Joins a public channel so the bot can read back what it posted there (a
   * private one must invite the bot; Slack says so and we go on).
   */
  async join(channel: string): Promise<void> {
    await tolerating(this.client.conversations.join({ channel }), 'method_not_supported_for_channel_type', 'already_in_channel');
  }

  /**
   * Finds a digest message the bot already posted, by its metadata: at the
   * top of the channel (or the DM with a user), or in the digest's thread.
   */
  async findDigestPart(channelOrUser: string, threadTs: string | undefined, period: string, part: string): Promise<string | undefined> {
    let channel = channelOrUser;
    if (/^[UW]/.test(channelOrUser)) {
      const opened = await this.client.conversations.open({ users: channelOrUser });
      channel = opened.channel?.id ?? channelOrUser;
    }
    const match = (m: HistoryMessage) =>
      m.metadata?.event_type === METADATA_TYPES.digest && m.metadata.event_payload?.period === period && m.metadata.event_payload?.part === part;
    if (threadTs) {
      const r = await this.client.conversations.replies({ channel, ts: threadTs, limit: 200, include_all_metadata: true });
      return (r.messages as HistoryMessage[] | undefined)?.find(match)?.ts;
    }
    // The period is its tick (an ISO time): nothing of its digest was posted before it.
    return this.findInHistory(channel, new Date(period), match);
  }

  async update(channel: string, ts: string, text: string, blocks: unknown[]): Promise<void> {
    await this.client.chat.update({ channel, ts, text, blocks: blocks as never });
  }

  async pin(channel: string, ts: string): Promise<void> {
    await tolerating(this.client.pins.add({ channel, timestamp: ts }), 'already_pinned');
  }

  /**
   * Looks for a message the bot posted with this metadata since `since` (a
   * little before, for clocks apart): after a crash between posting and
   * recording, it tells whether the post went out, so it is not posted twice.
   * Pages back through everything said since then, since in a busy channel
   * (the announcement one) a retry minutes later finds its post well below
   * the newest page; bounded, so a flood costs a few calls, not a scan.
   */
  async findOwnPost(channel: string, eventType: string, key: string, value: string | number, since: Date): Promise<string | undefined> {
    return this.findInHistory(
      channel,
      since,
      (m) => m.metadata?.event_type === eventType && String(m.metadata.event_payload?.[key]) === String(value),
    );
  }

  /**
   * Finds a file `userId` (the bot) shared in the channel under this name since
   * `since`, by the message that shared it: an upload whose answer was lost,
   * or that a crash cut short before it was recorded, is then not uploaded
   * again. A file has no metadata, so its name says which it is.
   */
  async findOwnFile(channel: string, userId: string, filename: string, since: Date): Promise<string | undefined> {
    let fileId: string | undefined;
    await this.findInHistory(channel, since, (m) => {
      fileId = m.user === userId ? m.files?.find((f) => f.name === filename)?.id : undefined;
      return fileId !== undefined;
    });
    return fileId;
  }

  /** The newest top-level message since `since` (less the clock allowance) that `match` picks, paged and bounded. */
  private async findInHistory(channel: string, since: Date | undefined, match: (m: HistoryMessage) => boolean): Promise<string | undefined> {
    const oldest = since && !Number.isNaN(since.getTime()) ? { oldest: slackTs(new Date(since.getTime() - OWN_POST_CLOCK_SKEW_MS)), inclusive: true } : {};
    let cursor: string | undefined;
    for (let page = 0; page < OWN_POST_MAX_PAGES; page++) {
      const r = await this.client.conversations.history({ channel, ...oldest, limit: OWN_POST_PAGE, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
      const found = (r.messages as HistoryMessage[] | undefined)?.find(match);
      if (found?.ts) return found.ts;
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!r.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  async fetch(channel: string, ts: string): Promise<SourceMessage | undefined> {
    const history = await this.client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
    let message = (history.messages as HistoryMessage[] | undefined)?.find((m) => m.ts === ts);
    if (!message) {
      // A reply in a thread is not in the channel's history; look it up as a reply.
      const replies = await tolerating(this.client.conversations.replies({ channel, ts, latest: ts, inclusive: true, limit: 1 }), 'thread_not_found');
      message = (replies?.messages as HistoryMessage[] | undefined)?.find((m) => m.ts === ts);
    }
    if (!message) return undefined;
    const link = await tolerating(this.client.chat.getPermalink({ channel, message_ts: ts }), 'message_not_found');
    return {
      userId: message.user ?? null,
      text: fromSlackText(message.text ?? ''),
      postedAt: new Date(Math.round(Number(ts) * 1000)),
      permalink: link?.permalink ?? null,
    };
  }

  async reactionCount(channel: string, ts: string, emoji: string): Promise<number> {
    const r = await tolerating(this.client.reactions.get({ channel, timestamp: ts, full: true }), 'message_not_found', 'no_item_specified');
    const reactions = (r?.message as HistoryMessage | undefined)?.reactions ?? [];
    return reactions.find((x) => x.name === emoji)?.count ?? 0;
  }

  /** A channel canvas with Markdown content; its id. */
  async createChannelCanvas(channel: string, title: string, markdown: string): Promise<string> {
    const r = await this.client.conversations.canvases.create({ channel_id: channel, title, document_content: { type: 'markdown', markdown } });
    return r.canvas_id ?? '';
  }

  /**
   * The id of the channel's canvas, if it has one (conversations.info). Slack
   * gives it as `properties.canvas.file_id`; channels whose canvas is shown as a
   * tab have been seen answering that field empty, the id then in the one
   * `properties.tabs` entry of type canvas (with several, which one is the
   * channel's is unsaid: none is taken).
   */
  async channelCanvasId(channel: string): Promise<string | undefined> {
    const r = await this.client.conversations.info({ channel });
    const properties = (r.channel as { properties?: ChannelProperties } | undefined)?.properties;
    if (properties?.canvas?.file_id) return properties.canvas.file_id;
    const tabs = (properties?.tabs ?? []).filter((t) => t.type === 'canvas' && t.data?.file_id);
    return properties?.canvas && tabs.length === 1 ? tabs[0]!.data!.file_id : undefined;
  }

  async editCanvas(canvasId: string, markdown: string): Promise<void> {
    await this.client.canvases.edit({ canvas_id: canvasId, changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown } }] });
  }

  /** Uploads a Markdown file to the channel (files.getUploadURLExternal, upload, files.completeUploadExternal). */
  async uploadMarkdown(channel: string, filename: string, title: string, content: string, comment: string): Promise<string> {
    const r = (await this.client.files.uploadV2({ channel_id: channel, filename, title, content, initial_comment: comment })) as {
      files?: { files?: { id?: string }[] }[];
    };
    return r.files?.[0]?.files?.[0]?.id ?? '';
  }

  /**
   * Whether a user is in a channel (conversations.members, paged). The bot is
   * in every incident channel, so it can read the members of private ones.
   */
  async isMember(channel: string, userId: string): Promise<boolean> {
    for await (const page of this.client.paginate('conversations.members', { channel, limit: 200 }) as AsyncIterable<WebAPICallResult & { members?: string[] }>) {
      if (page.members?.includes(userId)) return true;
    }
    return false;
  }

  /**
   * A user as Slack knows them (users:read); undefined when Slack has no such
   * user. `isBot`: an app's bot user, or Slackbot (whose is_bot Slack says false).
   */
  async userInfo(userId: string): Promise<{ id: string; deleted: boolean; name: string; isBot: boolean } | undefined> {
    const r = await tolerating(this.client.users.info({ user: userId }), 'user_not_found', 'user_not_visible');
    if (!r?.user?.id) return undefined;
    const isBot = r.user.is_bot === true || r.user.id === 'USLACKBOT';
    return { id: r.user.id, deleted: r.user.deleted ?? false, name: r.user.profile?.display_name || r.user.real_name || r.user.name || r.user.id, isBot };
  }

  /** The Slack user with this e-mail, if there is one (users:read.email). */
  async userIdByEmail(email: string): Promise<string | undefined> {
    const r = await tolerating(this.client.users.lookupByEmail({ email }), 'users_not_found');
    return r?.user?.id;
  }

  async openView(triggerId: string, view: unknown): Promise<void> {
    await this.client.views.open({ trigger_id: triggerId, view: view as never });
  }

  /**
   * Tells one person something only they should see: in the channel they were
   * in when possible, else as a direct message from the bot.
   */
  async tellUser(userId: string, channel: string | null, text: string): Promise<void> {
    if (channel) {
      try {
        await this.client.chat.postEphemeral({ channel, user: userId, text });
        return;
      } catch {
        // Not in that channel (or it is gone): fall through to a DM.
      }
    }
    await this.client.chat.postMessage({ channel: userId, text });
  }
}

/** How long a response_url may take to answer: as long as a Web API call may (the client's own timeout). */
const RESPONSE_URL_TIMEOUT_MS = 10_000;

/**
 * Answers through a slash command's response_url (valid 30 minutes, 5 times),
 * which works whether or not the bot is in the channel. Bounded: a Slack that
 * never answers fails the answer (the caller falls back or retries) instead of
 * holding its listener or outbox job for good.
 */
export async function respondEphemeral(responseUrl: string, text: string, timeoutMs = RESPONSE_URL_TIMEOUT_MS): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
