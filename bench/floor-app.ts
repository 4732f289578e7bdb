/**
 * What this machine allows for a full set-up, with nothing of the bot in the
 * way: a Bolt app that acknowledges /incident and then makes the same four
 * Slack calls a set-up needs (create, invite, post the header, pin), in its
 * listener, with no database and no outbox. `via` picks the HTTP
 * path: Bolt's own Web API client (on the bot's transport), or bare
 * `node:http` with kept-alive connections. The bot is measured against these in the same run.
 */
import { Agent, request } from 'node:http';
import bolt from '@slack/bolt';
import type { Incident } from '../src/domain/model.js';
import { slugify } from '../src/domain/slug.js';
import { undiciFetch } from '../src/slack/undici-fetch.js';
import { incidentHeaderBlocks, incidentHeaderText } from '../src/slack/views/header.js';
import { BOT_TOKEN } from '../test/support/slack-stand-in.js';
import { SIGNING_SECRET } from '../test/support/signed-requests.js';

type SlackCall = (method: string, params: Record<string, string>) => Promise<Record<string, any>>;

function httpCaller(slackApiUrl: string, agent: Agent): SlackCall {
  const once: SlackCall = (method, params) =>
    new Promise((resolve, reject) => {
      const body = new URLSearchParams(params).toString();
      const headers = { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) };
      const req = request(`${slackApiUrl}${method}`, { method: 'POST', agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text) as Record<string, any>));
      });
      req.on('error', reject);
      req.end(body);
    });
  // A kept-alive connection the stand-in closed as we reused it: try once more on a fresh one.
  return (method, params) => once(method, params).catch(() => once(method, params));
}

export async function startFloorApp(slackApiUrl: string, via: 'client' | 'http'): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const app = new bolt.App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    // Retried at once, twice: a kept-alive connection closed as it was reused must not lose a set-up.
    // The bot's own transport (kept-alive connections through undici), so the floor differs from the bot by the bot alone.
    clientOptions: { slackApiUrl, fetch: undiciFetch(), retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 } },
    logLevel: bolt.LogLevel.ERROR,
  });
  const call: SlackCall = via === 'client' ? (method, params) => app.client.apiCall(method, params) as Promise<Record<string, any>> : httpCaller(slackApiUrl, agent);
  let next = 0;
  app.command('/incident', async ({ ack, command }) => {
    await ack();
    const id = ++next;
    const title = command.text.replace(/^declare sev\d /, '');
    // The same header the bot posts, so each post is as large as the bot's.
    const incident: Incident = {
      id, title, description: null, severity: 'sev2', status: 'investigating', isPrivate: false, declaredBy: command.user_id, declaredAt: new Date(),
      resolvedAt: null, acknowledgedAt: null, resolveSummary: null, oncallUserIds: [], channelId: null, channelName: null, headerTs: null,
      service: null, impactStartedAt: null, impactEndedAt: null,
    };
    const created = await call('conversations.create', { name: `floor-${id}-${slugify(title)}` });
    const channel = String(created.channel.id);
    await call('conversations.invite', { channel, users: command.user_id });
    const posted = await call('chat.postMessage', {
      channel,
      text: incidentHeaderText(incident),
      blocks: JSON.stringify(incidentHeaderBlocks(incident, [{ role: 'ic', userId: command.user_id, assignedAt: new Date() }], { timelineEmoji: 'pushpin', paging: { services: [], pageSeverities: [] }, postmortem: undefined })),
    });
    await call('pins.add', { channel, timestamp: String(posted.ts) });
  });
  const server = (await app.start(0)) as unknown as { address(): { port: number } };
  return server.address().port;
}
