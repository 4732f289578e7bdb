import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { APP_TOKEN } from '../support/slack-stand-in.js';
import { eventCallbackBody, slashCommandPayload } from '../support/signed-requests.js';

describe('Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } });
  });
  afterAll(async () => h.stop());

  it('connects through apps.connections.open with the app token', () => {
    expect(h.slack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(h.slack.socketCount).toBe(1);
  });

  it('acknowledges a slash command envelope and declares', async () => {
    const ack = (await h.slack.deliverOverSocket('slash_commands', slashCommandPayload({ text: 'declare sev2 Socket declared', responseUrl: h.slack.responseUrl('socket-1'), triggerId: 'trigger-socket' }))) as { envelope_id: string };
    expect(ack.envelope_id).toMatch(/^env-/);
    await h.settle();
    expect((await h.incidentChannel(1)).name).toBe('inc-1-socket-declared');
    expect(h.slack.responsesFor('socket-1').map((r) => r.text).join()).toContain('INC-1 is ready');
  });

  it('acknowledges an event envelope and records the reaction', async () => {
    const channel = (await h.incidentChannel(1)).id;
    const message = h.slack.userPosts(channel, 'U0BOB', 'Found it: bad config push');
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    const { body } = eventCallbackBody({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: message.ts }, item_user: 'U0BOB', event_ts: message.ts });
    const ack = (await h.slack.deliverOverSocket('events_api', JSON.parse(body))) as { envelope_id: string };
    expect(ack.envelope_id).toMatch(/^env-/);
    await h.settle();
    expect((await h.bot.store.timeline.list(1)).some((e) => e.text === 'Found it: bad config push')).toBe(true);
  });

  it('still serves /healthz over HTTP, and has no Slack HTTP endpoint', async () => {
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', slack: 'ok' });
    expect((await fetch(`${h.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
