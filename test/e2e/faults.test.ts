import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { sharedWorld } from '../support/shared-world.js';
import { count } from '../support/store-sql.js';
import { BOT_TOKEN, BOT_USER_ID } from '../support/slack-stand-in.js';
import { WebClient } from '@slack/web-api';
import type { Store } from '../../src/db/repositories.js';
import type { EffectContext } from '../../src/effects/context.js';
import { setupIncident } from '../../src/effects/setup-incident.js';
import { SlackGateway } from '../../src/slack/gateway.js';

/** What a finished declaration left in Slack: one channel, one header, pinned, one announcement. */
async function expectOneCompleteSetup(h: Harness, id: number) {
  const incident = (await h.bot.store.incidents.get(id))!;
  const channels = [...h.slack.channels.values()].filter((c) => c.name.startsWith(`inc-${id}-`));
  expect(channels).toHaveLength(1);
  const channel = channels[0]!;
  expect(incident.channelId).toBe(channel.id);
  const headers = channel.messages.filter((m) => m.metadata?.event_type === 'incident_header');
  expect(headers).toHaveLength(1);
  expect(channel.pins.has(headers[0]!.ts)).toBe(true);
  expect(channel.topic).toContain('IC:');
  const announcements = h.slack.channels.get('C0ANNOUNCE')!.messages.filter((m) => m.text.includes(`INC-${id}*`) && m.text.includes('declared'));
  expect(announcements).toHaveLength(1);
}

describe('Slack failing part-way through a declaration', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('rides out rate limits (429 with Retry-After) and 5xx answers', async () => {
    h = await Harness.start();
    h.slack.failNext('conversations.create', { kind: 'ratelimited', retryAfter: 0 }, 1);
    h.slack.failNext('pins.add', { kind: 'http', status: 503 }, 4);
    h.slack.failNext('conversations.setTopic', { kind: 'http', status: 500 }, 2);
    await h.run('declare sev1 Checkout errors spiking');
    await expectOneCompleteSetup(h, 1);
    expect(h.slack.callsTo('conversations.create').map((c) => c.status)).toEqual([429, 200]);
    expect(h.slack.callsTo('pins.add').map((c) => c.status)).toEqual([503, 503, 503, 503, 200]);
  });

  it('keeps one channel when a second run of the set-up read its progress before the first recorded the channel', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Queue backlog');
    await expectOneCompleteSetup(h, 1);
    // A run whose lease ran out while it was still at work, and the run that claimed the job
    // back: the second read the progress before the first recorded its channel.
    const store = h.bot.store;
    const stale: Store = {
      ...store,
      incidents: { ...store.incidents, setupProgress: async (id) => ({ ...(await store.incidents.setupProgress(id))!, channelId: null, channelAttempt: 0 }) },
    };
    const ctx = { store: stale, slack: new SlackGateway(new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.apiUrl })), botUserId: () => BOT_USER_ID } as unknown as EffectContext;
    const job = (await store.outbox.list()).find((j) => j.kind === 'incident.setup')!;
    await setupIncident(ctx, { ...job, attempts: 2 } as never);
    await expectOneCompleteSetup(h, 1);
  });

  it('never makes a second channel when the create response is lost', async () => {
    h = await Harness.start();
    h.slack.failNext('conversations.create', { kind: 'lost' }, 1);
    await h.run('declare sev2 Queue backlog');
    await expectOneCompleteSetup(h, 1);
    expect((await h.incidentChannel(1)).name).toBe('inc-1-queue-backlog');
    expect(h.slack.callsTo('conversations.list').length).toBeGreaterThan(0);
  });

  it('never posts a second header or announcement when a post response is lost', async () => {
    h = await Harness.start();
    h.slack.failNext('chat.postMessage', { kind: 'lost' }, 1);
    await h.run('declare sev2 Queue backlog');
    await expectOneCompleteSetup(h, 1);
  });

  it('tells the declarer what could not be done, and keeps the incident', async () => {
    h = await Harness.start();
    h.slack.failNext('conversations.create', { kind: 'error', error: 'restricted_action' }, 1);
    const { replies } = await h.run('declare sev1 Payments down');
    expect(await h.bot.store.incidents.get(1)).toMatchObject({ title: 'Payments down', channelId: null });
    expect(replies.at(-1)).toContain('Could not set up the Slack channel for INC-1');
    expect(replies.at(-1)).toContain('restricted_action');
    const list = (await h.run('list')).replies[0]!;
    expect(list).toContain('INC-1');
  });

  it('survives a Slack call that never answers', async () => {
    // Long enough for a loaded machine's answers, short enough to give up on the hung call soon.
    // On a loaded machine, 1 s also cut answered calls, and their retries, due at once, met the
    // outbox race fixed in 9b58872 (a retry claimed before the failed run let go of it).
    h = await Harness.start({ bot: { slackTimeoutMs: 3_000 } });
    h.slack.failNext('conversations.setPurpose', { kind: 'hang' }, 1);
    await h.command('declare sev3 Slow dashboards');
    await new Promise((r) => setTimeout(r, 300));
    // The hung call waits out its 3 s, and on a loaded machine (CI, PostgreSQL) a slow answer may
    // time out and be retried too, so the outbox takes longer than the harness's usual 10 s to settle.
    await h.settle(40_000);
    await expectOneCompleteSetup(h, 1);
    expect(h.slack.callsTo('conversations.setPurpose').map((c) => c.status)).toEqual([0, 200]);
  }, 60_000);
});

describe('a restart', () => {
  it('resumes an unfinished set-up without doubling anything', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    try {
      // Slack is down while the first process runs: the set-up cannot finish.
      slack.failNext('conversations.setTopic', { kind: 'http', status: 502 }, 1000);
      const first = await Harness.start({ slack, databaseFile });
      await first.command('declare sev1 Checkout errors spiking');
      // Until the channel is made and recorded (however slow the store), then the stop with the rest undone.
      await expect.poll(async () => (await first.bot.store.incidents.get(1))?.channelId, { timeout: 10_000 }).toBeTruthy();
      await first.stop();

      slack.clearFaults();
      const second = await Harness.start({ slack, databaseFile });
      await second.settle();
      await expectOneCompleteSetup(second, 1);
      await second.run('declare sev2 Second one');
      expect((await second.bot.store.incidents.get(2))!.title).toBe('Second one');
      await second.stop();
    } finally {
      await dispose();
    }
  });

  it('takes over a job whose process died mid-run once its lease ends', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    try {
      slack.failNext('pins.add', { kind: 'hang' }, 1);
      const first = await Harness.start({ slack, databaseFile, bot: { outbox: { leaseMs: 200, pollMs: 20 } } });
      await first.command('declare sev1 Checkout errors spiking');
      // Until the set-up hangs at pins.add (however loaded the machine), then a crash mid-job.
      await expect.poll(() => slack.calls.some((c) => c.method === 'pins.add' && c.status === 0), { timeout: 10_000 }).toBe(true);
      // Simulate a crash: the job stays 'running' with a lease, nobody finishes it.
      expect(await count(first, "select count(*) n from outbox where status = 'running'")).toBe(1);
      await first.bot.worker.terminate();
      await first.bot.database.close();

      // Its own leases long: with 200 ms, a loaded machine let the set-up's lease lapse while it
      // ran, and settle() read a lapsed lease as idle (neither due nor running) before the topic.
      const second = await Harness.start({ slack, databaseFile, bot: { outbox: { leaseMs: 10_000, pollMs: 20 } } });
      // Until the second process has taken the job over (its lease ran out) and got past pins.add.
      await expect.poll(() => slack.callsTo('pins.add').some((c) => c.status === 200), { timeout: 10_000 }).toBe(true);
      await second.settle();
      await expectOneCompleteSetup(second, 1);
      await second.stop();
    } finally {
      await dispose();
    }
  });
});
