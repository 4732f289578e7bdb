/**
 * Requests exactly as Slack sends them: a slash command as a signed
 * application/x-www-form-urlencoded body, an event callback as signed JSON,
 * interactivity as a signed form with one `payload` field. Field names follow
 * specs/slack/payloads/.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { BOT_USER_ID, TEAM_ID, USERS } from './slack-stand-in.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SignOptions {
  readonly secret?: string;
  /** Seconds since the epoch; an old one makes a stale request. */
  readonly timestamp?: number;
  /** Replace the signature outright (forged). */
  readonly signature?: string | null;
  readonly headers?: Record<string, string>;
}

export function sign(body: string, secret: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackResponse {
  readonly status: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export async function postSigned(url: string, body: string, contentType: string, options: SignOptions = {}): Promise<SlackResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? sign(body, options.secret ?? SIGNING_SECRET, timestamp) : options.signature;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    ...(signature === null ? {} : { 'x-slack-signature': signature }),
    ...options.headers,
  };
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, json: <T>() => (text ? JSON.parse(text) : {}) as T };
}

export interface SlashCommandInput {
  readonly text: string;
  readonly userId?: string;
  readonly channelId?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
}

/** The form fields of SlashCommandPayload.json, as a form body over HTTP. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams(slashCommandPayload(input)).toString();
}

/** The same fields as an object: a Socket Mode `slash_commands` envelope's payload. */
export function slashCommandPayload(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    api_app_id: 'A0TEST',
    team_id: TEAM_ID,
    team_domain: 'stand-in',
    enterprise_id: '',
    enterprise_name: '',
    channel_id: input.channelId ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: input.userId ?? 'U0ALICE',
    // Slack sends the person's own name with each command; the bot records it.
    user_name: USERS[input.userId ?? 'U0ALICE']?.name ?? (input.userId ?? 'U0ALICE').toLowerCase(),
    command: '/incident',
    text: input.text,
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? `trigger-${randomUUID()}`,
    is_enterprise_install: 'false',
  };
}

/** The envelope of ReactionAddedPayload.json and friends. */
export function eventCallbackBody(event: Record<string, unknown>, eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`): { body: string; eventId: string } {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0TEST',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `EC-${eventId}`,
  });
  return { body, eventId };
}

export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A view_submission of the declare form, shaped like ViewSubmissionPayload.json. */
export function viewSubmissionPayload(userId: string, callbackId: string, values: Record<string, unknown>, privateMetadata: string): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'stand-in' },
    user: { id: userId, username: 'alice', name: 'alice', team_id: TEAM_ID },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    view: {
      id: 'V1',
      team_id: TEAM_ID,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values },
      hash: 'stand-in',
      title: { type: 'plain_text', text: 'Declare an incident' },
      app_id: 'A0TEST',
      bot_id: 'BBOT0001',
      root_view_id: 'V1',
    },
    is_enterprise_install: false,
  };
}

export interface ButtonPress {
  readonly userId: string;
  readonly actionId: string;
  readonly value: string;
  readonly channelId: string;
  readonly messageTs?: string;
  /** The blocks of the message the button is on, as Slack sends them back with the click. */
  readonly blocks?: unknown[];
  readonly responseUrl: string;
}

/** A button click, shaped like BlockActionPayload.json, as the signed form Slack posts. */
export function buttonPressBody(press: ButtonPress): string {
  return interactivityBody({
    type: 'block_actions',
    user: { id: press.userId, username: press.userId, name: press.userId, team_id: TEAM_ID },
    team: { id: TEAM_ID, domain: 'stand-in' },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: press.messageTs ?? '1.000001', channel_id: press.channelId, is_ephemeral: false },
    trigger_id: `trigger-${randomUUID()}`,
    channel: { id: press.channelId, name: press.channelId },
    ...(press.messageTs ? { message: { type: 'message', ts: press.messageTs, user: BOT_USER_ID, text: '', blocks: press.blocks ?? [] } } : {}),
    response_url: press.responseUrl,
    actions: [{ type: 'button', action_id: press.actionId, block_id: 'b', value: press.value, action_ts: `${Math.floor(Date.now() / 1000)}.000001`, text: { type: 'plain_text', text: 'button' } }],
  });
}
