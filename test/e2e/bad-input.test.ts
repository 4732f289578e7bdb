import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { count, query } from '../support/store-sql.js';
import { sign } from '../support/signed-requests.js';

/** A snapshot of everything the bot could have changed. */
async function stateOf(h: Harness) {
  return JSON.stringify({
    incidents: await query(h, 'select * from incidents order by id'),
    roles: await query(h, 'select * from role_assignments order by id'),
    timeline: await query(h, 'select * from timeline_entries order by id'),
    outbox: await count(h, 'select count(*) n from outbox'),
    writes: h.slack.calls.filter((c) => !['conversations.history', 'auth.test'].includes(c.method)).length,
  });
}

describe('bad input gets a clear ephemeral answer and changes nothing', () => {
  let h: Harness;
  let channel: string;
  beforeAll(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search latency high');
    channel = (await h.incidentChannel(1)).id;
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
    // Words that name what every plain object inherits once reached the database and date-fns as a role and a weekday.
    ['constructor as a role', 'role constructor <@U0BOB|bob>', 'incident', '"constructor" is not a role'],
    ['__proto__ as a role', 'role __proto__ <@U0BOB|bob>', 'incident', '"__proto__" is not a role'],
    ['toString as a role', 'role toString <@U0BOB|bob>', 'incident', '"toString" is not a role'],
    ['constructor as a weekday', 'action fix it due next constructor', 'incident', '"next constructor" is not a date'],
    ['__proto__ as a weekday', 'action fix it due next __proto__', 'incident', '"next __proto__" is not a date'],
    ['hasOwnProperty as a status', 'status hasOwnProperty', 'incident', '"hasOwnProperty" is not a status'],
    ['constructor as an item number', 'done constructor', 'incident', '"constructor" is not an item number'],
  ];

  it.each(cases)('%s', async (_name, text, where, expected) => {
    const before = await stateOf(h);
    const { replies, responseId } = await h.run(text, { channelId: where === 'incident' ? channel : 'C0GENERAL' });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(expected);
    expect(h.slack.responsesFor(responseId)[0]!.response_type).toBe('ephemeral');
    // Every refusal also shows how to write it.
    if (!text.startsWith('explode')) expect(replies[0]).toMatch(/Usage: `\/incident|`\/incident (resolve|list|reopen)`|INC-1 is already/);
    expect(await stateOf(h)).toBe(before);
  });

  it('never lets typed text ping @channel or carry a link', async () => {
    await h.run('declare sev3 <!channel> wake up &lt;!here&gt; <https://evil.example|click me> @everyone');
    const incident = (await h.bot.store.incidents.get(2))!;
    const c = await h.incidentChannel(2);
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

  it.each([
    ['three zero-width spaces', 'declare sev3 \u200b\u200b\u200b'],
    ['a right-to-left override alone', 'declare sev3 \u202e'],
    ['isolates, a word joiner and a BOM', 'declare sev1 \u2066\u2069\u2060\ufeff'],
  ])('refuses a title of %s and creates nothing', async (_name, text) => {
    const before = await stateOf(h);
    const channels = h.slack.channels.size;
    const { replies, responseId } = await h.run(text);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('The title has no visible character');
    expect(replies[0]).toContain('Usage: `/incident declare');
    expect(h.slack.responsesFor(responseId)[0]!.response_type).toBe('ephemeral');
    expect(h.slack.channels.size).toBe(channels);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(JSON.parse(before).incidents.length);
    expect(await stateOf(h)).toBe(before);
  });

  // The raw text Slack sends: `&lt;!here&gt;` is `<!here>` typed as text, `<!here>` a real mention.
  it.each([
    ['a typed <!here> as a status', 'status &lt;!here&gt;', 'incident', '"&lt;!here&gt;" is not a status'],
    ['a real @here as a status', 'status <!here>', 'incident', '"@\u200dhere" is not a status'],
    ['a typed link as a role', 'role &lt;https://evil.example|click&gt; <@U0BOB|bob>', 'incident', '"&lt;https://evil.example|click&gt;" is not a role'],
    ['a typed <!channel> as a command', '&lt;!channel&gt;', 'general', '"&lt;!channel&gt;" is not an /incident command'],
    ['a real @channel as a command', '<!channel> now', 'general', '"@\u200dchannel" is not an /incident command'],
    ['a typed <!everyone> as a severity', 'declare &lt;!everyone&gt; Checkout down', 'general', '"&lt;!everyone&gt;" is not a severity'],
    ['a typed <!here> as a due date', 'action fix it due next &lt;!here&gt;', 'incident', '"next &lt;!here&gt;" is not a date'],
    ['a typed <!here> as an item number', 'done &lt;!here&gt;', 'incident', '"&lt;!here&gt;" is not an item number'],
  ])('escapes %s in the refusal', async (_name, text, where, expected) => {
    const before = await stateOf(h);
    const { replies } = await h.run(text, { channelId: where === 'incident' ? channel : 'C0GENERAL' });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(expected);
    expect(replies[0]).not.toMatch(/<!(channel|here|everyone)/);
    expect(replies[0]).not.toMatch(/<https?:/);
    expect(replies[0]).not.toMatch(/@(channel|here|everyone)\b/);
    expect(await stateOf(h)).toBe(before);
  });
});

describe('events of the wrong shape are logged and ignored', () => {
  let h: Harness;
  let channel: string;
  const logs: { level: number; msg: string }[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    h = await Harness.start({ bot: { logger } });
    await h.run('declare sev2 Search latency high');
    channel = (await h.incidentChannel(1)).id;
  });
  afterAll(async () => h.stop());

  it('answers 200 to each, records nothing, and logs a warning instead of a fault', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'DB failover started');
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    const malformed: Record<string, unknown>[] = [
      { type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: null },
      { type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin' },
      { type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel } },
      { type: 'reaction_removed', user: 'U0ALICE', reaction: 'pushpin', item: 'oops' },
      { type: 'reaction_added', user: 'U0ALICE', item: { type: 'message', channel, ts: message.ts } },
      { type: 'message', subtype: 'message_changed', channel },
      { type: 'message', subtype: 'message_changed', channel, message: null },
      { type: 'message', subtype: 'message_changed', channel, message: { text: 'edited' } },
      { type: 'message', subtype: 'message_changed', message: { ts: message.ts, text: 'edited' } },
      { type: 'message', subtype: 'message_deleted', channel },
      // These two pass the HTTP envelope check and are judged by the listeners themselves.
      { type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: '' } },
      { type: 'message', subtype: 'message_changed', channel, message: { text: 'edited, but which message?' } },
    ];
    const before = await stateOf(h);
    const warningsBefore = logs.filter((l) => l.level === 40).length;
    for (const event of malformed) expect((await h.event(event)).status).toBe(200);
    await h.settle();
    expect(await stateOf(h)).toBe(before);
    // No fault logged; one warning for each, from whichever layer refused it.
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.filter((l) => l.level === 40)).toHaveLength(warningsBefore + malformed.length);

    // A reaction on a file is no timeline business: skipped without a warning.
    await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'file', file: 'F1' } });
    await h.settle();
    expect(logs.filter((l) => l.level === 40)).toHaveLength(warningsBefore + malformed.length);

    // And the listeners still work for the next good event.
    await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: message.ts } });
    await h.settle();
    expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pinned_message').map((e) => e.text)).toEqual(['DB failover started']);
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
    expect(await h.bot.store.incidents.listOpen()).toHaveLength(0);
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
