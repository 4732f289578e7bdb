import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { sign } from '../support/signed-requests.js';

/** A snapshot of everything the bot could have changed. */
function stateOf(h: Harness) {
  return JSON.stringify({
    incidents: h.bot.db.$client.prepare('select * from incidents').all(),
    roles: h.bot.db.$client.prepare('select * from role_assignments').all(),
    timeline: h.bot.db.$client.prepare('select * from timeline_entries').all(),
    outbox: h.bot.db.$client.prepare('select count(*) n from outbox').get(),
    writes: h.slack.calls.filter((c) => !['conversations.history', 'auth.test'].includes(c.method)).length,
  });
}

describe('bad input gets a clear ephemeral answer and changes nothing', () => {
  let h: Harness;
  let channel: string;
  beforeAll(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search latency high');
    channel = h.incidentChannel(1).id;
  });
  afterAll(async () => h.stop());

  const cases: [string, string, 'incident' | 'general', string][] = [
    ['unknown subcommand', 'explode now', 'general', '"explode" is not an /incident command'],
    ['unknown severity on declare', 'declare sev9 Something', 'general', '"sev9" is not a severity'],
    ['declare without a title', 'declare sev1', 'general', 'The incident needs a title'],
    ['unknown role', 'role boss <@U0BOB|bob>', 'incident', '"boss" is not a role'],
    ['role without a mention', 'role tech bob', 'incident', 'Mention exactly one person'],
    ['unknown severity', 'severity critical', 'incident', '"critical" is not a severity'],
    ['same severity', 'severity sev2', 'incident', 'INC-1 is already SEV2'],
    ['unknown status', 'status fixed', 'incident', '"fixed" is not a status'],
    ['resolved through status', 'status resolved', 'incident', '/incident resolve'],
    ['empty note', 'note', 'incident', 'The note is missing'],
    ['role outside an incident channel', 'role tech <@U0BOB|bob>', 'general', "only in an incident's channel"],
    ['severity outside an incident channel', 'severity sev1', 'general', "only in an incident's channel"],
    ['status outside an incident channel', 'status identified x', 'general', "only in an incident's channel"],
    ['note outside an incident channel', 'note hello', 'general', "only in an incident's channel"],
    ['timeline outside an incident channel', 'timeline', 'general', "only in an incident's channel"],
    ['roles outside an incident channel', 'roles', 'general', "only in an incident's channel"],
  ];

  it.each(cases)('%s', async (_name, text, where, expected) => {
    const before = stateOf(h);
    const { replies, responseId } = await h.run(text, { channelId: where === 'incident' ? channel : 'C0GENERAL' });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(expected);
    expect(h.slack.responsesFor(responseId)[0]!.response_type).toBe('ephemeral');
    // Every refusal also shows how to write it.
    if (!text.startsWith('explode')) expect(replies[0]).toMatch(/Usage: `\/incident|`\/incident (resolve|list|reopen)`|INC-1 is already/);
    expect(stateOf(h)).toBe(before);
  });

  it('never lets typed text ping @channel or carry a link', async () => {
    await h.run('declare sev3 <!channel> wake up &lt;!here&gt; <https://evil.example|click me> @everyone');
    const incident = h.bot.store.incidents.get(2)!;
    const c = h.incidentChannel(2);
    await h.run('note <!here> look at <https://evil.example|this> &lt;!channel&gt;', { channelId: c.id });
    await h.run('status identified <!everyone> it was <https://evil.example>', { channelId: c.id });
    const timeline = (await h.run('timeline', { channelId: c.id })).replies[0]!;
    const everything = [
      ...h.slack.calls.filter((call) => call.method.startsWith('chat.') || call.method.startsWith('conversations.set')).map((call) => JSON.stringify(call.params)),
      ...h.slack.responses.map((r) => JSON.stringify(r.body)),
      timeline,
    ].join('\n');
    expect(everything).not.toMatch(/<!(channel|here|everyone)/);
    expect(everything).not.toMatch(/<https?:/);
    expect(everything).not.toMatch(/(?<!\u200d)@(channel|here|everyone)\b/);
    expect(incident.title).toContain('wake up');
  });
});

describe('requests that are not from Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => h.stop());

  it.each([
    ['a missing signature', { signature: null }],
    ['a forged signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['a signature with the wrong secret', { secret: 'not-the-secret' }],
    ['a stale timestamp (6 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
  ])('get 401 and change nothing: %s', async (_name, signOptions) => {
    const { ack } = await h.command('declare sev1 Forged', { sign: signOptions });
    expect(ack.status).toBe(401);
    await h.settle();
    expect(h.bot.store.incidents.listOpen()).toHaveLength(0);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
  });

  it('rejects a stale request even when correctly signed for its old timestamp', async () => {
    const old = Math.floor(Date.now() / 1000) - 600;
    const { ack } = await h.command('declare sev1 Replayed', { sign: { timestamp: old, signature: undefined } });
    expect(ack.status).toBe(401);
    expect(sign('x', 's', old)).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('rejects a signed event callback with a forged signature', async () => {
    const res = await h.event({ type: 'reaction_added', user: 'U1', reaction: 'pushpin', item: { type: 'message', channel: 'C1', ts: '1.1' } }, { sign: { signature: 'v0=bad' } });
    expect(res.status).toBe(401);
  });
});
