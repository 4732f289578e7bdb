import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';
import { interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { markupProblems, messageProblems } from '../support/slack-limits.js';

describe('running an incident from its channel', () => {
  let h: Harness;
  let channel: string;
  const headerOf = async () => {
    const c = await h.incidentChannel(1);
    return JSON.stringify(c.messages.find((m) => c.pins.has(m.ts))!.blocks);
  };

  beforeEach(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search latency high', { userId: 'U0ALICE' });
    channel = (await h.incidentChannel(1)).id;
  });
  afterEach(async () => h.stop());

  it('assigns and hands over roles: invite, header, topic and timeline follow', async () => {
    await h.run('role tech <@U0BOB|bob>', { channelId: channel });
    await h.run('role commander <@U0CAROL>', { channelId: channel });
    await h.run('role communications <@U0DAN|dan>', { channelId: channel });
    await h.run('role scribe <@U0BOB|bob>', { channelId: channel });

    const c = await h.incidentChannel(1);
    expect([...c.members]).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN']));
    expect(c.topic).toBe('SEV2 | Investigating | IC: <@U0CAROL>');
    const header = await headerOf();
    expect(header).toContain('*Incident Commander*\\n<@U0CAROL>');
    expect(header).toContain('*Tech Lead*\\n<@U0BOB>');
    expect(header).toContain('*Comms Lead*\\n<@U0DAN>');
    expect(header).toContain('*Scribe*\\n<@U0BOB>');
    // The header was edited in place, never posted again.
    expect(c.messages.filter((m) => m.blocks)).toHaveLength(1);

    const { replies } = await h.run('timeline', { channelId: channel });
    expect(replies[0]).toContain('Incident Commander handed from <@U0ALICE> to <@U0CAROL>');
    expect(replies[0]).toContain('<@U0BOB> is Tech Lead');

    const roles = (await h.run('roles', { channelId: channel })).replies[0]!;
    expect(roles).toContain('*Incident Commander*: <@U0CAROL>');
    expect(roles).toContain('*Comms Lead*: <@U0DAN>');
  });

  it('raises and lowers severity, announcing each change', async () => {
    await h.run('severity sev1', { channelId: channel });
    expect((await h.bot.store.incidents.get(1))!.severity).toBe('sev1');
    expect((await h.incidentChannel(1)).topic).toMatch(/^SEV1 \|/);
    expect(await headerOf()).toContain('SEV1: complete outage or data loss');
    const announce = h.slack.channels.get('C0ANNOUNCE')!.messages.map((m) => m.text);
    expect(announce.at(-1)).toContain('Severity raised from SEV2 to');

    await h.run('severity 3', { channelId: channel });
    expect(h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!.text).toContain('Severity lowered from SEV1 to');
    const { replies } = await h.run('timeline', { channelId: channel });
    expect(replies[0]).toMatch(/raised from SEV2 to SEV1[\s\S]*lowered from SEV1 to SEV3/);
  });

  it('posts status updates in the channel and the announcement channel, and moves the header', async () => {
    await h.run('status identified Bad index on the orders table', { channelId: channel, userId: 'U0BOB' });
    expect((await h.bot.store.incidents.get(1))!.status).toBe('identified');
    const posted = (await h.incidentChannel(1)).messages.at(-1)!.text;
    expect(posted).toContain('*Identified*: Bad index on the orders table');
    expect(posted).toContain('<@U0BOB>');
    expect(h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!.text).toContain('Bad index on the orders table');
    expect(await headerOf()).toContain('Identified');
    expect((await h.incidentChannel(1)).topic).toBe('SEV2 | Identified | IC: <@U0ALICE>');

    await h.run('status monitoring', { channelId: channel });
    await h.run('status investigating It came back', { channelId: channel });
    expect((await h.bot.store.incidents.get(1))!.status).toBe('investigating');
  });

  it('adds notes and shows the whole timeline in order', async () => {
    const { replies } = await h.run('note Rolled back cart-service to v41', { channelId: channel, userId: 'U0BOB' });
    expect(replies[0]).toContain('Added to the timeline of INC-1');
    await h.run('status monitoring Error rate back to baseline', { channelId: channel });
    const timeline = (await h.run('timeline', { channelId: channel })).replies[0]!;
    const order = ['Declared SEV2', 'Rolled back cart-service to v41', 'Monitoring: Error rate back to baseline'].map((t) => timeline.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('lists open incidents anywhere, most severe first, with IC and channel', async () => {
    await h.run('declare sev1 Payments down', { userId: 'U0BOB' });
    const { replies } = await h.run('list', { channelId: 'C0GENERAL' });
    const list = replies[0]!;
    expect(list).toContain('Open incidents (2)');
    expect(list.indexOf('INC-2')).toBeLessThan(list.indexOf('INC-1'));
    expect(list).toContain('IC <@U0BOB>');
    expect(list).toContain(`<#${channel}>`);
  });

  it('answers help anywhere with every command', async () => {
    const help = (await h.run('help')).replies[0]!;
    for (const sub of ['declare', 'role', 'roles', 'severity', 'status', 'note', 'timeline', 'list', 'help']) expect(help).toContain(`/incident ${sub}`);
  });

  it('shows the resolved state in the pinned header: when, how long, the postmortem, and reopen', async () => {
    await h.run('resolve Rolled back the index change', { channelId: channel });
    const resolved = (await h.bot.store.incidents.get(1))!;
    const header = await headerOf();
    expect(header).toContain(`*Resolved*\\n<!date^${Math.floor(resolved.resolvedAt!.getTime() / 1000)}^`);
    expect(header).toMatch(/\*Lasted\*\\n\d+ minutes?/);
    expect(header).toContain('*Resolution*\\nRolled back the index change');
    // Published as the channel's canvas, and the header was brought up to date after it.
    expect((await h.incidentChannel(1)).canvasId).toBeDefined();
    expect(header).toContain("the draft is in this channel's canvas");
    expect(header).toContain('`/incident reopen`');
    expect(header).not.toContain('Next: `/incident status');
    expect(header).not.toContain('"action_id":"incident_resolve"');

    await h.run('reopen', { channelId: channel });
    expect(await headerOf()).toContain('Next: `/incident status');
    expect(await headerOf()).not.toContain('*Lasted*');
  });

  it('says in the resolved header that the postmortem is a file where the workspace has no canvases', async () => {
    h.slack.canvasesEnabled = false;
    await h.run('resolve', { channelId: channel });
    expect(await headerOf()).toContain('the draft is posted in this channel as a Markdown file');
  });

  it('answers the timeline of a long incident within one message: the newest entries, and how to see all', async () => {
    const start = (await h.bot.store.incidents.get(1))!.declaredAt.getTime();
    for (let i = 0; i < 600; i++) {
      await h.bot.store.timeline.add({
        incidentId: 1,
        kind: 'note',
        text: `Entry ${i}: ${'<&> checked the dashboards again '.repeat(5)}`,
        actorId: 'U0BOB',
        occurredAt: new Date(start + (i + 1) * 60_000),
      });
    }
    const { replies } = await h.run('timeline', { channelId: channel });
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(messageProblems({ text: reply })).toEqual([]);
    expect(reply).toContain('Entry 599:');
    expect(reply.trimEnd().split('\n').at(-1)).toContain('Entry 599:');
    const omitted = /_(\d+) earlier entries are not shown: `\/incident postmortem`/.exec(reply);
    expect(omitted).not.toBeNull();
    // Every entry is either shown or counted: 600 notes, the declaration, and the not-paged SEV2 has none.
    const shown = reply.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shown + Number(omitted![1])).toBe((await h.bot.store.timeline.list(1)).length);
  });

  it('escapes usage placeholders in help, refusals and the header, so Slack shows them instead of reading links', async () => {
    const help = (await h.run('help')).replies[0]!;
    expect(help).toContain('`/incident role &lt;ic|tech|comms|scribe&gt; @user`');
    expect(markupProblems(help, 'help')).toEqual([]);
    const refusal = (await h.run('role boss <@U0BOB|bob>', { channelId: channel })).replies[0]!;
    expect(refusal).toContain('Usage: `/incident role &lt;ic|tech|comms|scribe&gt; @user`');
    expect(markupProblems(refusal, 'refusal')).toEqual([]);
    // A mention in a refusal stays a mention.
    const already = (await h.run('role ic <@U0ALICE>', { channelId: channel })).replies[0]!;
    expect(already).toContain('<@U0ALICE> is already Incident Commander');
    expect(await headerOf()).toContain('&lt;ic|tech|comms|scribe&gt;');
    expect(await headerOf()).not.toMatch(/<(investigating|ic|sev1|text)\|?/);
  });
});

describe('the longest impact the form accepts', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  it('still gives the channel its pinned header, within every Slack limit', async () => {
    h = await Harness.start();
    const impact = '<&>'.repeat(834).slice(0, 2500);
    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: '<&>'.repeat(50) } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev2', text: { type: 'plain_text', text: 'SEV2' } } } },
      [BLOCK_IDS.description]: { [ACTION_IDS.description]: { type: 'plain_text_input', value: impact } },
    };
    const res = await h.interact(interactivityBody(viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values, '{"originChannelId":null}')));
    expect(res.status).toBe(200);
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.description).toBe(impact);
    const c = await h.incidentChannel(1);
    const pinned = c.messages.find((m) => c.pins.has(m.ts));
    expect(pinned).toBeDefined();
    for (const m of c.messages) expect(messageProblems(m)).toEqual([]);
    expect(JSON.stringify(pinned!.blocks)).toContain('`/incident postmortem`');
  });
});
