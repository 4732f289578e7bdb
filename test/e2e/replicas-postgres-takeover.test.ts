import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METADATA_TYPES } from '../../src/slack/ids.js';
import type { BotProcess } from '../support/bot-process.js';
import { postgresAvailable } from '../support/postgres-server.js';
import { ReplicaWorld } from '../support/replicas.js';

/**
 * One of the replicas on one PostgreSQL is SIGKILLed (a lost machine) in the
 * middle of a piece of work, while Slack or PagerDuty holds its call: the
 * declaration's set-up, a page, the weekly digest. Another replica takes the
 * work over when its lease ends and finishes it exactly once. Released after
 * the kill, the dead replica's call is still acted on (its answer is what was
 * lost), the harder case for whoever takes over.
 *
 * The leases are shortened through BotOptions (test/support/bot-entry.ts):
 * `npm start` has no variable for them (60 s outbox, 120 s digest).
 */
// Long enough that a live replica renews in time on a busy machine (the outbox renews every third of its lease, the digest after each message).
const LEASES = { outbox: { leaseMs: 2_000 }, digestLeaseMs: 3_000 };
const DIGEST = { env: { DIGEST_CRON: '0 0 * * *', DIGEST_TIMEZONE: 'UTC' }, botOptions: { ...LEASES, digestCheckEveryMs: 200 } };

describe.skipIf(!postgresAvailable('replicas-on-PostgreSQL'))('a replica lost mid-work, on one PostgreSQL', () => {
  let world: ReplicaWorld;
  let a: BotProcess;

  beforeAll(async () => {
    world = await ReplicaWorld.start({ botOptions: LEASES });
    await Promise.all([world.startReplica(), world.startReplica()]);
    a = [...world.replicas][0]!;
  }, 60_000);
  afterAll(async () => world?.stop());

  const idle = () => expect.poll(() => world.outboxIdle(), { timeout: 20_000, interval: 50 }).toBe(true);
  const living = () => [...world.replicas];

  /** Kills the replica that sent the held call from `port`; resolves with it, once gone. */
  async function killSenderOf(port: number): Promise<BotProcess> {
    const sender = await world.replicaAt(port);
    expect(sender, 'the held call comes from a living replica').toBeDefined();
    await world.kill(sender!);
    return sender!;
  }

  async function declare(text: string): Promise<number> {
    const sent = await world.command(living()[0]!, text);
    expect(sent.ack.body).toContain('Declaring');
    const [row] = await world.query<{ id: number }>('SELECT max(id) AS id FROM incidents');
    return row!.id;
  }

  /** What must hold of any incident's set-up, however many replicas had a hand in it. */
  async function expectSetUpOnce(id: number, responseId?: string): Promise<void> {
    const [incident] = await world.query<{ channel_id: string; header_ts: string; header_pinned: boolean }>('SELECT channel_id, header_ts, header_pinned FROM incidents WHERE id = $1', [id]);
    expect(incident!.header_pinned).toBe(true);
    const named = [...world.slack.channels.values()].filter((c) => c.name.startsWith(`inc-${id}-`));
    expect(named.map((c) => c.id)).toEqual([incident!.channel_id]);
    const channel = named[0]!;
    expect(channel.messages.filter((m) => m.metadata?.event_type === METADATA_TYPES.header).map((m) => m.ts)).toEqual([incident!.header_ts]);
    expect([...channel.pins]).toEqual([incident!.header_ts]);
    expect(channel.purpose).not.toBe('');
    if (responseId) expect(world.slack.responsesFor(responseId).filter((r) => String(r.text).includes('is ready'))).toHaveLength(1);
  }

  it('finishes a digest once when its poster dies between two of its messages: no part twice, none left out', async () => {
    // Two follow-ups overdue for two owners: a channel message and two DMs.
    const id = await declare('declare sev3 Digest owners');
    await expect.poll(async () => (await world.query('SELECT 1 FROM incidents WHERE id = $1 AND channel_id IS NOT NULL', [id])).length, { timeout: 10_000 }).toBe(1);
    const [{ channel_id: channel }] = (await world.query<{ channel_id: string }>('SELECT channel_id FROM incidents WHERE id = $1', [id])) as [{ channel_id: string }];
    for (const text of ['action Rotate the keys <@U0BOB> due 2020-01-06', 'action Add an alert <@U0CAROL> due 2020-01-07']) {
      expect((await world.command(a, text, { channelId: channel })).ack.status).toBe(200);
    }
    await idle();
    expect(await world.query('SELECT owner_id FROM action_items ORDER BY owner_id')).toEqual([{ owner_id: 'U0BOB' }, { owner_id: 'U0CAROL' }]);

    let digestPosts = 0;
    const release = world.slack.hold('chat.postMessage', (p) => String(p.metadata ?? '').includes(METADATA_TYPES.digest) && ++digestPosts === 2);
    // Replicas that look for the digest (every 200 ms, as they start): one claims the period.
    await Promise.all([world.startReplica(DIGEST), world.startReplica(DIGEST)]);
    await expect.poll(() => world.slack.held.length, { timeout: 15_000 }).toBe(1);
    const [held] = world.slack.held;
    await killSenderOf(held!.remotePort);
    release();

    await expect.poll(async () => (await world.query<{ status: string }>('SELECT status FROM digest_runs'))[0]?.status, { timeout: 15_000 }).toBe('done');
    const posts = (id: string) => world.slack.channels.get(id)?.messages.filter((m) => m.metadata?.event_type === METADATA_TYPES.digest) ?? [];
    expect(posts('C0ANNOUNCE')).toHaveLength(1);
    expect(posts('D0BOB')).toHaveLength(1);
    expect(posts('D0CAROL')).toHaveLength(1);
    expect(JSON.stringify(posts('D0BOB')[0]!.blocks)).toContain('Rotate the keys');
    expect(JSON.stringify(posts('D0CAROL')[0]!.blocks)).toContain('Add an alert');
    const parts = await world.query<{ part: string }>('SELECT part FROM digest_parts ORDER BY part');
    expect(parts.map((p) => p.part)).toEqual(['channel-0', 'dm-U0BOB-0', 'dm-U0CAROL-0']);
  }, 40_000);

  it('finishes a set-up once when its replica dies while Slack holds conversations.create', async () => {
    const release = world.slack.hold('conversations.create');
    const sent = await world.command(living()[0]!, 'declare sev2 Lost at create');
    const [{ id }] = (await world.query<{ id: number }>('SELECT max(id) AS id FROM incidents')) as [{ id: number }];
    await expect.poll(() => world.slack.held.length, { timeout: 10_000 }).toBe(1);
    await killSenderOf(world.slack.held[0]!.remotePort);
    release();

    await idle();
    await expectSetUpOnce(id, sent.responseId);
    // The dead replica's create went through; the one that took over found it (name_taken) and adopted it.
    const creates = world.slack.callsTo('conversations.create').filter((c) => String(c.params.name).startsWith(`inc-${id}-`));
    expect(creates.map((c) => (c.response.ok ? true : c.response.error))).toEqual([true, 'name_taken']);
    expect(await world.query("SELECT attempts FROM outbox WHERE kind = 'incident.setup' AND incident_id = $1", [id])).toEqual([{ attempts: 2 }]);
  }, 30_000);

  it('finishes a set-up once when its replica dies while Slack holds pins.add', async () => {
    const release = world.slack.hold('pins.add');
    const sent = await world.command(living()[0]!, 'declare sev2 Lost at pin');
    const [{ id }] = (await world.query<{ id: number }>('SELECT max(id) AS id FROM incidents')) as [{ id: number }];
    await expect.poll(() => world.slack.held.length, { timeout: 10_000 }).toBe(1);
    await killSenderOf(world.slack.held[0]!.remotePort);
    // Another replica for the page test, started meanwhile.
    const more = world.startReplica();
    release();

    await idle();
    await expectSetUpOnce(id, sent.responseId);
    const channel = world.slack.channels.get((await world.query<{ channel_id: string }>('SELECT channel_id FROM incidents WHERE id = $1', [id]))[0]!.channel_id)!;
    expect(world.slack.callsTo('pins.add').filter((c) => c.params.channel === channel.id).map((c) => (c.response.ok ? true : c.response.error))).toEqual([true, 'already_pinned']);
    await more;
  }, 30_000);

  it('pages once per decision when the paging replica dies while PagerDuty holds the trigger: resent only because it was never answered', async () => {
    expect(living().length).toBeGreaterThanOrEqual(2);
    const release = world.pagerduty.hold();
    const sent = await world.command(living()[0]!, 'declare sev1 Lost while paging');
    const [{ id }] = (await world.query<{ id: number }>('SELECT max(id) AS id FROM incidents')) as [{ id: number }];
    await expect.poll(() => world.pagerduty.held.length, { timeout: 10_000 }).toBe(1);
    await killSenderOf(world.pagerduty.held[0]!.remotePort);
    release();

    await idle();
    // The key as the page recorded it (unique to this database's incident: it carries the declared time).
    const [{ dedup_key: dedupKey }] = (await world.query<{ dedup_key: string }>("SELECT dedup_key FROM pages WHERE incident_id = $1 AND service = 'default'", [id])) as [{ dedup_key: string }];
    // The dead replica's trigger reached PagerDuty, its answer did not: one more from the replica that took over, then none.
    expect(world.pagerduty.acceptedTriggers(dedupKey)).toHaveLength(2);
    expect(world.pagerduty.events.filter((e) => e.body.dedup_key === dedupKey)).toHaveLength(2);
    const [page] = await world.query<{ delivered_job_id: number | null }>('SELECT delivered_job_id FROM pages WHERE dedup_key = $1', [dedupKey]);
    expect(page!.delivered_job_id).not.toBeNull();
    await expectSetUpOnce(id, sent.responseId);
    const [{ channel_id: channel }] = (await world.query<{ channel_id: string }>('SELECT channel_id FROM incidents WHERE id = $1', [id])) as [{ channel_id: string }];
    const accepted = world.slack.channels.get(channel)!.messages.filter((m) => m.text.includes('PagerDuty accepted the page'));
    expect(accepted).toHaveLength(1);
  }, 30_000);
});
