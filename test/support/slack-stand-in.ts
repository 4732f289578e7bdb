/**
 * A local stand-in for the Slack Web API: enough of Slack for the bot, the
 * tests, the demo and the benchmarks. It keeps channels, members, messages,
 * pins and reactions in memory, records every call, and answers in Slack's
 * shapes (checked against specs/slack/web-api in a test) and with
 * Slack's errors: ok:false with an error code on HTTP 200, and HTTP 429 with
 * Retry-After when rate limited.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MANIFEST_BOT_SCOPES } from '../../src/http/readiness-scopes.js';

export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-test-token';
export const TEAM_ID = 'T0TEST';
export const BOT_USER_ID = 'UBOT0001';
export const BOT_ID = 'BBOT0001';

export interface StandInMessage {
  ts: string;
  user: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  edited?: { user: string; ts: string };
  reactions: Map<string, Set<string>>;
  /** A file share's files, as Slack lists them on the message that shared them. */
  files?: Record<string, unknown>[];
}

export interface StandInChannel {
  id: string;
  name: string;
  is_private: boolean;
  creator: string;
  created: number;
  topic: string;
  purpose: string;
  members: Set<string>;
  messages: StandInMessage[];
  pins: Set<string>;
  canvasId?: string;
}

export interface StandInFile {
  id: string;
  filename: string;
  length: number;
  content?: string;
  title?: string;
  channel?: string;
}

export interface RecordedCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly response: Record<string, unknown>;
  readonly status: number;
  readonly at: number;
}

/** A call waiting on a hold: what was asked, and the port it came from. */
export interface HeldCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly remotePort: number;
}

export interface RecordedResponse {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

/** A fault to answer instead of the real result, for the next `times` calls of a method. */
export type Fault =
  | { readonly kind: 'ratelimited'; readonly retryAfter?: number }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'error'; readonly error: string }
  | { readonly kind: 'hang' }
  /** Does the work, then answers 500: the caller cannot know it succeeded (a lost response, or a crash right after). */
  | { readonly kind: 'lost' };

export interface SocketEnvelope {
  envelope_id: string;
  type: string;
  payload: unknown;
  accepts_response_payload?: boolean;
}

export const USERS: Record<string, { name: string; email: string }> = {
  U0ALICE: { name: 'alice', email: 'alice@example.com' },
  U0BOB: { name: 'bob', email: 'bob@example.com' },
  U0CAROL: { name: 'carol', email: 'carol@example.com' },
  U0DAN: { name: 'dan', email: 'dan@example.com' },
};

type Params = Record<string, unknown>;
type Handler = (params: Params, token: string) => Record<string, unknown>;

export class SlackStandIn {
  readonly channels = new Map<string, StandInChannel>();
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly ephemerals: { channel: string; user: string; text: string }[] = [];
  readonly views: { trigger_id: string; view: Record<string, unknown> }[] = [];
  /** Every Home view views.publish put on each user's App Home tab, oldest first. */
  readonly homeViews = new Map<string, Record<string, unknown>[]>();
  readonly canvases = new Map<string, { channel: string; markdown: string; edits: number }>();
  readonly files = new Map<string, StandInFile>();
  /** Users whose accounts are deactivated (users.info says deleted: true). */
  readonly deactivated = new Set<string>();
  /** False: the workspace's plan has no canvases (conversations.canvases.create refuses). */
  canvasesEnabled = true;
  /**
   * The scopes the bot token holds, said in the x-oauth-scopes header of every
   * Web API answer to it, as Slack does (what @slack/web-api reads into
   * response_metadata.scopes); manifest.yml's unless a test installs an older app.
   * Undefined: no header.
   */
  grantedScopes: readonly string[] | undefined = MANIFEST_BOT_SCOPES;
  private readonly faults = new Map<string, { fault: Fault; times: number }>();
  private readonly delays = new Map<string, number>();
  private readonly holds = new Map<string, { readonly until: Promise<void>; readonly when?: (params: Params) => boolean }>();
  /** Calls waiting on a hold now, with the caller's port (which process sent it: see test/support/socket-owner.ts). */
  readonly held: HeldCall[] = [];
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (body: unknown) => void>();
  private nextChannel = 1;
  private tsCounter = 0;
  private clockSeconds = Math.floor(Date.now() / 1000);
  url = '';
  /** Called after every Web API call; the demo uses it to narrate. */
  onCall: ((call: RecordedCall) => void) | undefined;

  constructor() {
    // Channels people already have: a general one and the announcement channel.
    this.addChannel('C0GENERAL', 'general', false, 'U0ALICE', Object.keys(USERS));
    this.addChannel('C0ANNOUNCE', 'incidents', false, 'U0ALICE', Object.keys(USERS));
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  addChannel(id: string, name: string, isPrivate: boolean, creator: string, members: string[]): StandInChannel {
    const channel: StandInChannel = {
      id,
      name,
      is_private: isPrivate,
      creator,
      created: this.clockSeconds,
      topic: '',
      purpose: '',
      members: new Set(members),
      messages: [],
      pins: new Set(),
    };
    this.channels.set(id, channel);
    return channel;
  }

  channelByName(name: string): StandInChannel | undefined {
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** Answer the next `times` calls of `method` with `fault`. */
  failNext(method: string, fault: Fault, times = 1): void {
    this.faults.set(method, { fault, times });
  }

  /** Answers every later call of `method` only after `ms` (0: at once again), as a busy Slack does. */
  slowDown(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  /**
   * Holds every call of `method` (or those `when` picks) until the returned
   * release is called, as a stalled Slack does. Released, each held call is
   * then answered as usual, even one whose caller has gone: Slack acts on a
   * request it has read, whoever is left to hear the answer.
   */
  hold(method: string, when?: (params: Params) => boolean): () => void {
    let release!: () => void;
    this.holds.set(method, { until: new Promise<void>((resolve) => (release = resolve)), ...(when ? { when } : {}) });
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  clearFaults(): void {
    this.faults.clear();
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** A message from a person, as if typed in Slack. */
  userPosts(channelId: string, user: string, text: string, threadTs?: string, at?: Date): StandInMessage {
    const channel = this.requireChannel(channelId);
    const ts = at ? `${Math.floor(at.getTime() / 1000)}.${String(++this.tsCounter).padStart(6, '0')}` : this.nextTs();
    const message: StandInMessage = { ts, user, text, reactions: new Map(), ...(threadTs ? { thread_ts: threadTs } : {}) };
    channel.messages.push(message);
    return message;
  }

  react(channelId: string, ts: string, user: string, name: string): void {
    const message = this.requireMessage(channelId, ts);
    if (!message.reactions.has(name)) message.reactions.set(name, new Set());
    message.reactions.get(name)!.add(user);
  }

  unreact(channelId: string, ts: string, user: string, name: string): void {
    const message = this.requireMessage(channelId, ts);
    message.reactions.get(name)?.delete(user);
    if (message.reactions.get(name)?.size === 0) message.reactions.delete(name);
  }

  editMessage(channelId: string, ts: string, text: string): StandInMessage {
    const message = this.requireMessage(channelId, ts);
    message.text = text;
    message.edited = { user: message.user, ts: this.nextTs() };
    return message;
  }

  deleteMessage(channelId: string, ts: string): StandInMessage {
    const channel = this.requireChannel(channelId);
    const message = this.requireMessage(channelId, ts);
    channel.messages = channel.messages.filter((m) => m.ts !== ts);
    // As in Slack, a deleted message is no longer pinned.
    channel.pins.delete(ts);
    return message;
  }

  /** A response_url the app can answer to, as Slack gives one with each command. */
  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  responsesFor(id: string): Record<string, unknown>[] {
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/link' });
    this.wss.on('connection', (socket) => this.onSocket(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- Socket Mode ---------------------------------------------------------

  get socketCount(): number {
    return this.sockets.size;
  }

  /** Closes every Socket Mode connection from Slack's side, as a restarting Slack server does; the app reconnects on its own. */
  closeSockets(): void {
    for (const socket of this.sockets) socket.close(1001, 'going away');
  }

  /** Sends an envelope to the connected app and resolves with its acknowledgement. */
  deliverOverSocket(type: string, payload: unknown): Promise<unknown> {
    const socket = [...this.sockets][0];
    if (!socket) throw new Error('no Socket Mode connection');
    const envelope: SocketEnvelope = {
      envelope_id: `env-${Math.random().toString(36).slice(2)}`,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
    };
    return new Promise((resolve) => {
      this.acks.set(envelope.envelope_id, resolve);
      socket.send(JSON.stringify(envelope));
    });
  }

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data) => {
      const body = JSON.parse(String(data)) as { envelope_id?: string };
      if (body.envelope_id) this.acks.get(body.envelope_id)?.(body);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0TEST' }, debug_info: { host: 'stand-in' } }));
  }

  // ---- HTTP ----------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    if (path.startsWith('/upload/')) {
      const file = this.files.get(decodeURIComponent(path.slice('/upload/'.length)));
      if (!file) return send(res, 404, 'no such upload', 'text/plain');
      file.content = uploadedContent(raw, req.headers['content-type'] ?? '');
      return send(res, 200, `OK - ${file.content.length}`, 'text/plain');
    }
    if (path.startsWith('/response/')) {
      this.responses.push({ id: decodeURIComponent(path.slice('/response/'.length)), body: JSON.parse(raw || '{}') });
      return send(res, 200, 'ok', 'text/plain');
    }
    if (!path.startsWith('/api/')) return send(res, 404, 'not found', 'text/plain');
    const method = path.slice('/api/'.length);
    const params = parseParams(raw, req.headers['content-type'] ?? '');
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(params.token ?? '');
    if (token === BOT_TOKEN && this.grantedScopes) res.setHeader('x-oauth-scopes', this.grantedScopes.join(','));
    const hold = this.holds.get(method);
    if (hold && (!hold.when || hold.when(params))) {
      const call: HeldCall = { method, params, remotePort: req.socket.remotePort ?? 0 };
      this.held.push(call);
      await hold.until;
      this.held.splice(this.held.indexOf(call), 1);
    }
    const delay = this.delays.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const at = Date.now();

    const pending = this.faults.get(method);
    if (pending && pending.times > 0) {
      pending.times -= 1;
      const { fault } = pending;
      if (fault.kind === 'hang') {
        this.record({ method, params, response: {}, status: 0, at });
        return; // never answers: the client's timeout decides
      }
      if (fault.kind === 'lost') {
        const response = this.methods[method]?.(params, token) ?? {};
        this.record({ method, params, response, status: 500, at });
        return send(res, 500, 'response lost', 'text/plain');
      }
      if (fault.kind === 'ratelimited') {
        const response = { ok: false, error: 'ratelimited' };
        this.record({ method, params, response, status: 429, at });
        res.setHeader('retry-after', String(fault.retryAfter ?? 0));
        return send(res, 429, JSON.stringify(response));
      }
      if (fault.kind === 'http') {
        this.record({ method, params, response: {}, status: fault.status, at });
        return send(res, fault.status, 'upstream trouble', 'text/plain');
      }
      const response = { ok: false, error: fault.error };
      this.record({ method, params, response, status: 200, at });
      return send(res, 200, JSON.stringify(response));
    }

    let response: Record<string, unknown>;
    const expected = method === 'apps.connections.open' ? APP_TOKEN : BOT_TOKEN;
    if (token !== expected) response = { ok: false, error: 'invalid_auth' };
    else {
      const handler = this.methods[method];
      try {
        response = handler ? handler(params, token) : { ok: false, error: 'unknown_method' };
      } catch (error) {
        response = { ok: false, error: error instanceof SlackError ? error.code : 'internal_error' };
      }
    }
    this.record({ method, params, response, status: 200, at });
    send(res, 200, JSON.stringify(response));
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.onCall?.(call);
  }

  // ---- Web API methods ------------------------------------------------------

  private readonly methods: Record<string, Handler> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://stand-in.slack.test/',
      team: 'Stand-in Workspace',
      user: 'incident-bot',
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),
    'apps.connections.open': () => ({ ok: true, url: `${this.url.replace('http', 'ws')}/link?ticket=stand-in` }),
    'conversations.create': (p) => {
      const name = String(p.name ?? '');
      if (!/^[a-z0-9_-]{1,80}$/.test(name)) throw new SlackError('invalid_name_specials');
      if (this.channelByName(name)) throw new SlackError('name_taken');
      const channel = this.addChannel(`C${String(this.nextChannel++).padStart(8, '0')}`, name, truthy(p.is_private), BOT_USER_ID, [BOT_USER_ID]);
      channel.created = Math.floor(Date.now() / 1000);
      return { ok: true, channel: this.channelJson(channel) };
    },
    'conversations.list': (p) => {
      const types = String(p.types ?? 'public_channel').split(',');
      const channels = [...this.channels.values()]
        .filter((c) => (c.is_private ? types.includes('private_channel') && c.members.has(BOT_USER_ID) : types.includes('public_channel')))
        .map((c) => this.channelJson(c));
      return { ok: true, channels, response_metadata: { next_cursor: '' } };
    },
    'conversations.info': (p) => {
      const channel = this.requireChannel(p.channel);
      // As Slack: a channel with a canvas says which in properties.canvas; without one, no properties
      // (github.com/slack-go/slack/pull/1228, Slack's own types in @slack/web-api's ConversationsJoinResponse).
      const canvas = channel.canvasId ? this.canvases.get(channel.canvasId) : undefined;
      const properties = channel.canvasId ? { properties: { canvas: { file_id: channel.canvasId, is_empty: !canvas?.markdown, quip_thread_id: '' } } } : {};
      return { ok: true, channel: { ...this.channelJson(channel), ...properties } };
    },
    'conversations.invite': (p) => {
      const channel = this.requireMember(p.channel);
      const users = String(p.users ?? '').split(',').filter(Boolean);
      if (users.length === 0) throw new SlackError('no_user');
      for (const u of users) {
        if (u === BOT_USER_ID) throw new SlackError('cant_invite_self');
        if (!USERS[u]) throw new SlackError('user_not_found');
        if (channel.members.has(u)) throw new SlackError('already_in_channel');
      }
      for (const u of users) channel.members.add(u);
      return { ok: true, channel: this.channelJson(channel) };
    },
    'conversations.setTopic': (p) => {
      const channel = this.requireMember(p.channel);
      if (String(p.topic ?? '').length > 250) throw new SlackError('too_long');
      channel.topic = String(p.topic ?? '');
      return { ok: true, channel: this.channelJson(channel) };
    },
    'conversations.setPurpose': (p) => {
      const channel = this.requireMember(p.channel);
      if (String(p.purpose ?? '').length > 250) throw new SlackError('too_long');
      channel.purpose = String(p.purpose ?? '');
      return { ok: true, channel: this.channelJson(channel) };
    },
    'conversations.history': (p) => {
      // As Slack: newest first between oldest and latest (each excluded unless inclusive), at most
      // `limit` (default 100, at most 999) a page, the rest behind response_metadata.next_cursor.
      const channel = this.requireMember(p.channel);
      const inclusive = truthy(p.inclusive);
      const latest = p.latest ? Number(p.latest) : Infinity;
      const oldest = p.oldest ? Number(p.oldest) : 0;
      const after = historyCursor(p.cursor);
      const limit = Math.min(Number(p.limit ?? 100) || 100, 999);
      const inRange = channel.messages
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .filter((m) => (inclusive ? Number(m.ts) <= latest : Number(m.ts) < latest))
        .filter((m) => (inclusive ? Number(m.ts) >= oldest : Number(m.ts) > oldest))
        .filter((m) => after === undefined || Number(m.ts) <= after)
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      const page = inRange.slice(0, limit);
      const next = inRange[limit];
      const messages = page.map((m) => this.messageJson(m, truthy(p.include_all_metadata)));
      const nextCursor = next ? Buffer.from(`next_ts:${next.ts}`).toString('base64') : '';
      return { ok: true, messages, has_more: next !== undefined, pin_count: channel.pins.size, response_metadata: { next_cursor: nextCursor } };
    },
    'conversations.join': (p) => {
      const channel = this.requireChannel(p.channel);
      if (channel.is_private) throw new SlackError('method_not_supported_for_channel_type');
      channel.members.add(BOT_USER_ID);
      return { ok: true, channel: this.channelJson(channel) };
    },
    'conversations.open': (p) => {
      const users = String(p.users ?? '').split(',').filter(Boolean);
      if (users.length !== 1 || !USERS[users[0]!]) throw new SlackError('user_not_found');
      return { ok: true, channel: { id: this.dmChannel(users[0]!).id } };
    },
    'conversations.replies': (p) => {
      const channel = this.requireMember(p.channel);
      const parent = channel.messages.find((m) => m.ts === p.ts);
      if (!parent) throw new SlackError('thread_not_found');
      const root = parent.thread_ts ?? parent.ts;
      const messages = channel.messages.filter((m) => m.ts === root || m.thread_ts === root).map((m) => this.messageJson(m, truthy(p.include_all_metadata)));
      return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
    },
    'chat.postMessage': (p) => {
      let channelId = String(p.channel ?? '');
      if (USERS[channelId]) channelId = this.dmChannel(channelId).id; // a DM from the bot
      const channel = this.channels.get(channelId);
      if (!channel) throw new SlackError('channel_not_found');
      if (!channel.members.has(BOT_USER_ID) && channel.is_private) throw new SlackError('channel_not_found');
      const text = String(p.text ?? '');
      const blocks = parseJson<unknown[]>(p.blocks);
      if (!text && !blocks) throw new SlackError('no_text');
      if (blocks && blocks.length > 50) throw new SlackError('invalid_blocks');
      const metadata = parseJson<StandInMessage['metadata']>(p.metadata);
      const message: StandInMessage = {
        ts: this.nextTs(),
        user: BOT_USER_ID,
        text,
        reactions: new Map(),
        ...(blocks ? { blocks } : {}),
        ...(metadata ? { metadata } : {}),
        ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
      };
      channel.messages.push(message);
      return { ok: true, channel: channel.id, ts: message.ts, message: this.messageJson(message, true) };
    },
    'chat.update': (p) => {
      const channel = this.requireMember(p.channel);
      const message = channel.messages.find((m) => m.ts === p.ts);
      if (!message) throw new SlackError('message_not_found');
      if (message.user !== BOT_USER_ID) throw new SlackError('cant_update_message');
      message.text = String(p.text ?? message.text);
      const blocks = parseJson<unknown[]>(p.blocks);
      if (blocks) message.blocks = blocks;
      // chat.update's echoed message carries no ts of its own (the top-level ts is it).
      const { ts: _ts, ...echoed } = this.messageJson(message, false);
      return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: echoed };
    },
    'chat.postEphemeral': (p) => {
      const channel = this.requireMember(p.channel);
      const user = String(p.user ?? '');
      if (!channel.members.has(user)) throw new SlackError('user_not_in_channel');
      this.ephemerals.push({ channel: channel.id, user, text: String(p.text ?? '') });
      return { ok: true, message_ts: this.nextTs() };
    },
    'chat.getPermalink': (p) => {
      const channel = this.requireChannel(p.channel);
      const message = channel.messages.find((m) => m.ts === p.message_ts);
      if (!message) throw new SlackError('message_not_found');
      return { ok: true, channel: channel.id, permalink: `https://stand-in.slack.test/archives/${channel.id}/p${message.ts.replace('.', '')}` };
    },
    'pins.add': (p) => {
      const channel = this.requireMember(p.channel);
      const ts = String(p.timestamp ?? '');
      if (!channel.messages.some((m) => m.ts === ts)) throw new SlackError('message_not_found');
      if (channel.pins.has(ts)) throw new SlackError('already_pinned');
      channel.pins.add(ts);
      return { ok: true };
    },
    'reactions.get': (p) => {
      const channel = this.requireMember(p.channel);
      const message = channel.messages.find((m) => m.ts === p.timestamp);
      if (!message) throw new SlackError('message_not_found');
      return { ok: true, type: 'message', channel: channel.id, message: this.messageJson(message, false) };
    },
    'conversations.canvases.create': (p) => {
      const channel = this.requireMember(p.channel_id);
      if (!this.canvasesEnabled) throw new SlackError('team_tier_cannot_create_channel_canvases');
      if (channel.canvasId) throw new SlackError('channel_canvas_already_exists');
      const content = parseJson<{ type: string; markdown: string }>(p.document_content);
      const id = `F0CANVAS${this.canvases.size + 1}`;
      this.canvases.set(id, { channel: channel.id, markdown: content?.markdown ?? '', edits: 0 });
      channel.canvasId = id;
      return { ok: true, canvas_id: id };
    },
    'canvases.edit': (p) => {
      const canvas = this.canvases.get(String(p.canvas_id ?? ''));
      if (!canvas) throw new SlackError('canvas_not_found');
      const changes = parseJson<{ operation: string; document_content?: { markdown: string } }[]>(p.changes) ?? [];
      for (const change of changes) {
        if (change.operation !== 'replace' || !change.document_content) throw new SlackError('invalid_arguments');
        canvas.markdown = change.document_content.markdown;
        canvas.edits += 1;
      }
      return { ok: true };
    },
    'files.getUploadURLExternal': (p) => {
      const length = Number(p.length ?? 0);
      if (!p.filename || !length) throw new SlackError('invalid_arguments');
      const id = `F0FILE${this.files.size + 1}`;
      this.files.set(id, { id, filename: String(p.filename), length });
      return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (p) => {
      const wanted = parseJson<{ id: string; title?: string }[]>(p.files) ?? [];
      const channelId = p.channel_id ? String(p.channel_id) : undefined;
      const channel = channelId ? this.requireMember(channelId) : undefined;
      const done = wanted.map(({ id, title }) => {
        const file = this.files.get(id);
        if (!file || file.content === undefined) throw new SlackError('file_not_found');
        file.title = title ?? file.filename;
        file.channel = channel?.id;
        return { id, title: file.title, name: file.filename, size: file.content.length, mimetype: 'text/markdown', filetype: 'markdown', user: BOT_USER_ID, created: this.clockSeconds };
      });
      if (channel) {
        // As in Slack, the message sharing them lists the files (conversations.history shows it so).
        channel.messages.push({ ts: this.nextTs(), user: BOT_USER_ID, text: String(p.initial_comment ?? ''), reactions: new Map(), files: done });
      }
      return { ok: true, files: done };
    },
    'users.info': (p) => {
      const id = String(p.user ?? '');
      // The bot's own user, as Slack describes an app's bot user.
      if (id === BOT_USER_ID) return { ok: true, user: { id, team_id: TEAM_ID, name: 'incident-bot', real_name: 'Incident Bot', deleted: false, is_bot: true, profile: { bot_id: BOT_ID, real_name: 'Incident Bot', display_name: '' } } };
      const u = USERS[id];
      if (!u) throw new SlackError('user_not_found');
      return { ok: true, user: { id, team_id: TEAM_ID, name: u.name, real_name: u.name, deleted: this.deactivated.has(id), is_bot: false, profile: { email: u.email, real_name: u.name, display_name: u.name } } };
    },
    'conversations.members': (p) => {
      const channel = this.requireMember(p.channel);
      return { ok: true, members: [...channel.members], response_metadata: { next_cursor: '' } };
    },
    'users.lookupByEmail': (p) => {
      const entry = Object.entries(USERS).find(([, u]) => u.email === String(p.email ?? '').toLowerCase());
      if (!entry) throw new SlackError('users_not_found');
      const [id, u] = entry;
      return { ok: true, user: { id, team_id: TEAM_ID, name: u.name, real_name: u.name, deleted: false, is_bot: false, profile: { email: u.email, real_name: u.name, display_name: u.name } } };
    },
    'views.open': (p) => {
      const view = parseJson<Record<string, unknown>>(p.view);
      if (!p.trigger_id) throw new SlackError('invalid_trigger_id');
      if (!view) throw new SlackError('invalid_arguments');
      this.views.push({ trigger_id: String(p.trigger_id), view });
      return {
        ok: true,
        view: {
          id: `V${this.views.length}`,
          team_id: TEAM_ID,
          type: 'modal',
          title: view.title,
          blocks: view.blocks,
          private_metadata: view.private_metadata ?? '',
          callback_id: view.callback_id ?? '',
          state: { values: {} },
          hash: 'stand-in',
          app_id: 'A0TEST',
          bot_id: BOT_ID,
        },
      };
    },
    'views.publish': (p) => {
      const user = String(p.user_id ?? '');
      const view = parseJson<Record<string, unknown>>(p.view);
      // A Home view holds at most 100 blocks (docs.slack.dev/reference/views/home-tab-views).
      if (!USERS[user] || view?.type !== 'home' || !Array.isArray(view.blocks) || view.blocks.length > 100) throw new SlackError('invalid_arguments');
      const published = [...(this.homeViews.get(user) ?? []), view];
      this.homeViews.set(user, published);
      const id = `VHOME${user.slice(1)}`;
      return {
        ok: true,
        view: {
          id,
          team_id: TEAM_ID,
          type: 'home',
          blocks: view.blocks,
          private_metadata: view.private_metadata ?? '',
          callback_id: view.callback_id ?? '',
          external_id: view.external_id ?? '',
          state: { values: {} },
          hash: `${this.clockSeconds}.${published.length}`,
          clear_on_close: false,
          notify_on_close: false,
          root_view_id: id,
          app_id: 'A0TEST',
          app_installed_team_id: TEAM_ID,
          bot_id: BOT_ID,
        },
      };
    },
  };

  // ---- helpers -------------------------------------------------------------

  private dmChannel(user: string): StandInChannel {
    const id = `D${user.slice(1)}`;
    return this.channels.get(id) ?? this.addChannel(id, `dm-${user}`, true, BOT_USER_ID, [BOT_USER_ID, user]);
  }

  private requireChannel(id: unknown): StandInChannel {
    const channel = this.channels.get(String(id ?? ''));
    if (!channel) throw new SlackError('channel_not_found');
    return channel;
  }

  /** Slack hides private channels from non-members and refuses most writes outside a channel. */
  private requireMember(id: unknown): StandInChannel {
    const channel = this.requireChannel(id);
    if (!channel.members.has(BOT_USER_ID)) throw new SlackError(channel.is_private ? 'channel_not_found' : 'not_in_channel');
    return channel;
  }

  private requireMessage(channelId: string, ts: string): StandInMessage {
    const message = this.requireChannel(channelId).messages.find((m) => m.ts === ts);
    if (!message) throw new Error(`no message ${ts} in ${channelId}`);
    return message;
  }

  private nextTs(): string {
    // Real Slack ts: seconds, a dot, six digits (microseconds); unique per channel and increasing.
    this.tsCounter += 1;
    const nowMs = Date.now();
    const micros = (nowMs % 1000) * 1000 + (this.tsCounter % 1000);
    return `${Math.floor(nowMs / 1000)}.${String(micros).padStart(6, '0')}`;
  }

  private channelJson(c: StandInChannel): Record<string, unknown> {
    return {
      id: c.id,
      name: c.name,
      is_channel: !c.is_private,
      is_group: c.is_private,
      is_im: false,
      is_mpim: false,
      is_private: c.is_private,
      created: c.created,
      creator: c.creator,
      is_archived: false,
      is_general: c.name === 'general',
      name_normalized: c.name,
      is_shared: false,
      is_member: c.members.has(BOT_USER_ID),
      topic: { value: c.topic, creator: c.topic ? BOT_USER_ID : '', last_set: c.topic ? c.created : 0 },
      purpose: { value: c.purpose, creator: c.purpose ? BOT_USER_ID : '', last_set: c.purpose ? c.created : 0 },
      previous_names: [],
    };
  }

  private messageJson(m: StandInMessage, withMetadata: boolean): Record<string, unknown> {
    const reactions = [...m.reactions.entries()].map(([name, users]) => ({ name, users: [...users], count: users.size }));
    return {
      type: 'message',
      user: m.user,
      text: m.text,
      ts: m.ts,
      team: TEAM_ID,
      ...(m.user === BOT_USER_ID ? { bot_id: BOT_ID, app_id: 'A0TEST' } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.edited ? { edited: m.edited } : {}),
      ...(reactions.length ? { reactions } : {}),
      ...(m.files ? { files: m.files, upload: true } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }
}

class SlackError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** The ts a history cursor goes on from (Slack's are base64 of `next_ts:<ts>`); a bad one is refused as Slack does. */
function historyCursor(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const m = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(String(v), 'base64').toString('utf8'));
  if (!m) throw new SlackError('invalid_cursor');
  return Number(m[1]);
}

function parseJson<T>(v: unknown): T | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw new SlackError('invalid_json');
  }
}

function parseParams(raw: string, contentType: string): Params {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Params) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}

/** Slack's upload URL takes raw bytes or a multipart form (what @slack/web-api sends); this is the file either way. */
function uploadedContent(raw: string, contentType: string): string {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!contentType.startsWith('multipart/form-data') || !boundary) return raw;
  const part = raw.split(`--${boundary}`)[1] ?? '';
  const start = part.indexOf('\r\n\r\n');
  return part.slice(start + 4).replace(/\r\n$/, '');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
