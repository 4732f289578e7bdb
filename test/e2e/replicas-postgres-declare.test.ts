import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentChannelName } from '../../src/domain/slug.js';
import { METADATA_TYPES } from '../../src/slack/ids.js';
import type { BotProcess } from '../support/bot-process.js';
import { postgresAvailable } from '../support/postgres-server.js';
import { ReplicaWorld } from '../support/replicas.js';
import { slashCommandBody } from '../support/signed-requests.js';
import { BOT_USER_ID, USERS } from '../support/slack-stand-in.js';

/**
 * Two bot processes on one PostgreSQL database behind one Slack, as a load
 * balancer spreads Slack's requests: declarations sent to both at once are
 * numbered 1..n without a gap or a repeat and each set up once; Slack's
 * retries and Alertmanager's re-sends that land on the other replica change
 * nothing the first delivery did not.
 */
const TOKEN = 'am-token-replicas-1234567890';
const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as Record<string, unknown>;

describe.skipIf(!postgresAvailable('replicas-on-PostgreSQL'))('two replicas on one PostgreSQL, as Slack drives them', () => {
  let world: ReplicaWorld;
  let a: BotProcess;
  let b: BotProcess;

  beforeAll(async () => {
    world = await ReplicaWorld.start({ env: { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, SLO_FILES: 'examples/slo/checkout-api.yaml' } });
    [a, b] = await Promise.all([world.startReplica(), world.startReplica()]);
  }, 60_000);
  afterAll(async () => world?.stop());

  const idle = () => expect.poll(() => world.outboxIdle(), { timeout: 30_000, interval: 50 }).toBe(true);

  it('numbers 40 declarations sent to both at once 1..40, and sets each up once: one channel, header, pin and invite each', async () => {
    const users = Object.keys(USERS);
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        world.command(i % 2 === 0 ? a : b, `declare sev2 Replica storm ${i + 1}`, { userId: users[i % users.length] }).then((s) => ({ ...s, title: `Replica storm ${i + 1}`, userId: users[i % users.length]! })),
      ),
    );
    expect(sent.filter((s) => s.ack.status !== 200 || !s.ack.body.includes('Declaring a SEV2')).map((s) => `${s.title}: ${s.ack.status} ${s.ack.body}`)).toEqual([]);
    await idle();

    const incidents = await world.query<{ id: number; title: string; channel_id: string | null; header_ts: string | null; declared_by: string }>(
      'SELECT id, title, channel_id, header_ts, declared_by FROM incidents ORDER BY id',
    );
    expect(incidents.map((i) => i.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(incidents.map((i) => i.title).sort()).toEqual(sent.map((s) => s.title).sort());
    expect(new Set(incidents.map((i) => i.channel_id)).size).toBe(40);
    expect(await world.query("SELECT id, kind, last_error FROM outbox WHERE status = 'failed'")).toEqual([]);

    const ours = [...world.slack.channels.values()].filter((c) => c.creator === BOT_USER_ID && !c.id.startsWith('D'));
    expect(ours).toHaveLength(40);
    expect(world.slack.callsTo('conversations.create')).toHaveLength(40);
    for (const incident of incidents) {
      const channel = world.slack.channels.get(incident.channel_id!)!;
      const said = `INC-${incident.id} in ${channel.name}`;
      expect(channel.name, said).toBe(incidentChannelName(incident.id, incident.title));
      expect(channel.messages.filter((m) => m.metadata?.event_type === METADATA_TYPES.header).map((m) => m.ts), said).toEqual([incident.header_ts]);
      expect([...channel.pins], said).toEqual([incident.header_ts]);
      expect(world.slack.callsTo('pins.add').filter((c) => c.params.channel === channel.id), said).toHaveLength(1);
      const invited = world.slack.callsTo('conversations.invite').filter((c) => c.params.channel === channel.id).map((c) => c.params.users);
      expect(invited, said).toEqual([incident.declared_by]);
      expect(channel.members.has(incident.declared_by), said).toBe(true);
    }
    // Each declarer is told once that the channel is ready.
    for (const s of sent) expect(world.slack.responsesFor(s.responseId).filter((r) => String(r.text).includes('is ready')), s.title).toHaveLength(1);
  }, 40_000);

  it('applies an event Slack retries to the other replica once, whether the retry comes after or at the same time', async () => {
    const [incident] = await world.query<{ id: number; channel_id: string }>('SELECT id, channel_id FROM incidents WHERE id = 1');
    const pinnedEntries = async () => (await world.query<{ n: string }>("SELECT count(*) AS n FROM timeline_entries WHERE incident_id = 1 AND kind = 'pinned_message'"))[0]!.n;
    const reaction = (ts: string) => ({
      type: 'reaction_added',
      user: 'U0ALICE',
      reaction: 'pushpin',
      item: { type: 'message', channel: incident!.channel_id, ts },
      item_user: 'U0BOB',
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    });

    const first = world.slack.userPosts(incident!.channel_id, 'U0BOB', 'Failover started');
    world.slack.react(incident!.channel_id, first.ts, 'U0ALICE', 'pushpin');
    expect((await world.event(a, reaction(first.ts), 'Ev0REPLICA1')).status).toBe(200);
    expect((await world.event(b, reaction(first.ts), 'Ev0REPLICA1', 1)).status).toBe(200);

    const second = world.slack.userPosts(incident!.channel_id, 'U0BOB', 'Failover done');
    world.slack.react(incident!.channel_id, second.ts, 'U0ALICE', 'pushpin');
    const both = await Promise.all([world.event(a, reaction(second.ts), 'Ev0REPLICA2'), world.event(b, reaction(second.ts), 'Ev0REPLICA2', 1), world.event(a, reaction(second.ts), 'Ev0REPLICA2', 2)]);
    expect(both.map((r) => r.status)).toEqual([200, 200, 200]);
    await idle();
    await expect.poll(pinnedEntries, { timeout: 5_000 }).toBe('2');
    const entries = await world.query<{ message_ts: string }>("SELECT message_ts FROM timeline_entries WHERE incident_id = 1 AND kind = 'pinned_message' ORDER BY message_ts");
    expect(entries.map((e) => e.message_ts)).toEqual([first.ts, second.ts]);
  });

  it('applies a slash command delivered to both replicas once (Slack retrying on the other)', async () => {
    const [incident] = await world.query<{ channel_id: string }>('SELECT channel_id FROM incidents WHERE id = 2');
    const note = `replayed note ${Date.now()}`;
    const body = slashCommandBody({ text: `note ${note}`, channelId: incident!.channel_id, userId: 'U0ALICE', responseUrl: world.slack.responseUrl('replayed-note') });
    const acks = await Promise.all([
      world.command(a, '', { body }),
      world.command(b, '', { body, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    ]);
    expect(acks.map((s) => s.ack.status)).toEqual([200, 200]);
    await idle();
    const notes = await world.query("SELECT id FROM timeline_entries WHERE incident_id = 2 AND kind = 'note' AND text LIKE $1", [`%${note}%`]);
    expect(notes).toHaveLength(1);
  });

  it('opens one incident for an Alertmanager notification sent to one replica and re-sent to the other, at once and after', async () => {
    const send = (replica: BotProcess) =>
      fetch(`${replica.url}/alertmanager/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(FIRING) }).then((r) => r.status);
    const before = await world.query<{ n: string }>('SELECT count(*) AS n FROM incidents');
    expect(await Promise.all([send(a), send(b)])).toEqual([200, 200]);
    await idle();
    expect(await send(b)).toBe(200);
    await idle();

    const opened = await world.query<{ id: number; channel_id: string }>("SELECT id, channel_id FROM incidents WHERE declared_by = 'system:alertmanager'");
    expect(opened).toHaveLength(1);
    expect((await world.query<{ n: string }>('SELECT count(*) AS n FROM incidents'))[0]!.n).toBe(String(Number(before[0]!.n) + 1));
    expect(await world.query("SELECT status FROM outbox WHERE kind = 'alert.receive'")).toEqual([{ status: 'done' }, { status: 'done' }, { status: 'done' }]);
    const fired = await world.query("SELECT id FROM timeline_entries WHERE incident_id = $1 AND kind = 'alert_fired'", [opened[0]!.id]);
    expect(fired).toHaveLength((FIRING.alerts as unknown[]).length);
    const channel = world.slack.channels.get(opened[0]!.channel_id)!;
    expect(channel.messages.filter((m) => m.metadata?.event_type === METADATA_TYPES.header)).toHaveLength(1);
  });
});
