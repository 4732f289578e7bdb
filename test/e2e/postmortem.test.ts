import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { FixedClock } from '../support/fixed-clock.js';
import { buttonPressBody } from '../support/signed-requests.js';
import { mentionedUserIds, withPeopleNames } from '../../src/postmortem/markdown.js';

const MINUTE = 60_000;

/**
 * A whole incident on a fixed clock: declare, roles, pinned messages, status
 * updates, action items, resolve. Returns the harness with the draft published.
 */
async function scriptedIncident(h: Harness, clock: FixedClock): Promise<string> {
  await h.run('declare sev2 Checkout errors spiking', { userId: 'U0ALICE' });
  const channel = (await h.incidentChannel(1)).id;
  clock.advance(2 * MINUTE);
  await h.run('role tech <@U0BOB|bob>', { channelId: channel, userId: 'U0ALICE' });
  await h.run('role comms <@U0CAROL|carol>', { channelId: channel, userId: 'U0ALICE' });
  clock.advance(MINUTE);
  await h.run('severity sev1', { channelId: channel, userId: 'U0ALICE' });
  clock.advance(2 * MINUTE);
  const graph = h.slack.userPosts(channel, 'U0BOB', '5xx on /checkout at 38%, started 09:02 with deploy 4812', undefined, clock.now());
  h.slack.react(channel, graph.ts, 'U0ALICE', 'pushpin');
  await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: graph.ts }, item_user: 'U0BOB', event_ts: graph.ts });
  await h.settle();
  clock.advance(7 * MINUTE);
  await h.run('status identified Deploy 4812 shipped a payment client without a timeout; the failure was human error', { channelId: channel, userId: 'U0BOB' });
  clock.advance(MINUTE);
  await h.run('note Status page set to degraded', { channelId: channel, userId: 'U0CAROL' });
  clock.advance(10 * MINUTE);
  await h.run('status monitoring Rolled back to 4811; error rate 0.2%', { channelId: channel, userId: 'U0BOB' });
  await h.run('severity sev2', { channelId: channel, userId: 'U0ALICE' });
  await h.run('action Add a timeout to the payment client <@U0BOB|bob> due 2026-12-01', { channelId: channel, userId: 'U0ALICE' });
  await h.run('action Canary stage for checkout deploys due in 2w', { channelId: channel, userId: 'U0ALICE' });
  await h.run('action Alert on checkout 5xx above 1% <@U0CAROL|carol> due next monday', { channelId: channel, userId: 'U0ALICE' });
  await h.run('done 3', { channelId: channel, userId: 'U0CAROL' });
  clock.advance(24 * MINUTE);
  await h.run('resolve Rolled back deploy 4812; checkout healthy for 20 minutes', { channelId: channel, userId: 'U0ALICE' });
  return channel;
}

describe('resolve and the postmortem draft', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('writes a blameless draft with every section, matching the reviewed snapshot, and publishes it as a canvas', async () => {
    const clock = new FixedClock(new Date('2026-11-16T09:00:00Z'));
    // SLOs configured, but no service linked: the draft says how to link one.
    h = await Harness.start({ bot: { clock }, env: { SLO_FILES: 'examples/slo/checkout-api.yaml' } });
    await scriptedIncident(h, clock);

    const incident = (await h.bot.store.incidents.get(1))!;
    expect(incident.status).toBe('resolved');
    expect(incident.resolvedAt).toEqual(new Date('2026-11-16T09:47:00Z'));

    const markdown = (await h.bot.store.postmortems.get(1))!.markdown;
    await expect(markdown).toMatchFileSnapshot('./__snapshots__/postmortem-inc-1.md');
    for (const heading of ['# Postmortem: Checkout errors spiking — 2026-11-16', '## Summary', '## Impact', '## Timeline (UTC)', '## Root cause', '## Contributing factors', '## Action items', '## What went well', '## What went wrong', '## Lessons learned', '## Responders', '## Language check']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('**Status**: Draft');
    // The worst it got, not where it ended: declared SEV2, raised, lowered again once mitigated.
    expect(markdown).toContain('**Severity**: SEV1, complete outage or data loss (declared SEV2, raised to SEV1 at 09:03 UTC, lowered to SEV2 at 09:23 UTC)  ');
    // No service was linked: the draft says how to link one, not a bare placeholder.
    expect(markdown).toContain('**Error budget impact**: No affected service was linked: `/incident service <name>` links one; the error budgets of its SLOs are then computed and this draft rewritten.  ');
    expect(markdown).not.toContain('<!--');
    expect(markdown).toContain('| Time to resolve | 47 minutes (from the declaration: no impact start recorded) |');
    expect(markdown).toContain('| Time | Event |');
    expect(markdown).toContain('![](@U0BOB): "5xx on /checkout at 38%, started 09:02 with deploy 4812"');
    expect(markdown).toContain('| INC-1 #1 Add a timeout to the payment client | ![](@U0BOB) | 2026-12-01 | Open |');
    expect(markdown).toContain('| INC-1 #3 Alert on checkout 5xx above 1% | ![](@U0CAROL) | 2026-11-23 | Done |');
    expect(markdown).toContain('## Trigger\n\n_What set it off: a deploy, a configuration change, a traffic spike, a failing dependency?_\n\n- From the "identified" update at 09:12 UTC: Deploy 4812 shipped a payment client without a timeout');
    expect(markdown).toContain('## Detection\n\n_How and when was it noticed, and how long after the impact began?_\n\n- Declared SEV2 at 09:00 UTC by ![](@U0ALICE).');
    expect(markdown).toContain('- Resolved at 09:47 UTC by ![](@U0ALICE): Rolled back deploy 4812; checkout healthy for 20 minutes');
    expect(markdown).toContain('## Contributing factors\n\n_What made it more likely, larger, or slower to detect and fix: missing alerts, unclear runbooks, risky defaults…_\n\n- **[to fill]**\n');
    expect(markdown).toContain('| "human error" |');
    expect(markdown).toContain('Cause identified 12 minutes after declaration.');

    // Names learnt from the commands (user_name) and their mentions (<@U0BOB|bob>), for reading outside Slack.
    const names = await h.bot.store.names.namesOf(mentionedUserIds(markdown));
    expect(names).toEqual(new Map([['U0ALICE', 'alice'], ['U0BOB', 'bob'], ['U0CAROL', 'carol']]));
    await expect(withPeopleNames(markdown, names)).toMatchFileSnapshot('./__snapshots__/postmortem-inc-1-printed.md');

    const canvas = h.slack.canvases.get((await h.incidentChannel(1)).canvasId!)!;
    expect(canvas.markdown).toBe(markdown);
    const posts = (await h.incidentChannel(1)).messages.map((m) => m.text);
    expect(posts.some((t) => t.includes('*Resolved* after 47 minutes') && t.includes('Rolled back deploy 4812'))).toBe(true);
    expect(posts.some((t) => t.includes("postmortem draft of INC-1 is in this channel's canvas") && t.includes('leaves the canvas as you wrote it'))).toBe(true);
    const announce = h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!.text;
    expect(announce).toContain('*Resolved* after 47 minutes');
    expect(JSON.stringify((await h.incidentChannel(1)).messages[0]!.blocks)).not.toContain('incident_resolve');
  });

  it('publishes a later draft beside the canvas the team edited, which survives it untouched', async () => {
    const clock = new FixedClock(new Date('2026-11-16T09:00:00Z'));
    h = await Harness.start({ bot: { clock } });
    const channel = await scriptedIncident(h, clock);
    const canvas = h.slack.canvases.get((await h.incidentChannel(1)).canvasId!)!;
    // The team fills in the marked parts, in Slack, after the bot said to.
    const edited = canvas.markdown.replace('## Root cause\n', '## Root cause\n\nThe payment client had no timeout, and nothing checked for one.\n');
    canvas.markdown = edited;

    clock.advance(60 * MINUTE);
    await h.run('action Write the runbook for payment-client timeouts', { channelId: channel, userId: 'U0BOB' });
    const { replies } = await h.run('postmortem', { channelId: channel });
    expect(replies[0]).toContain('Version 2 of the postmortem draft of INC-1 is being posted in this channel as a file, `inc-1-postmortem-v2.md`');
    expect(replies[0]).toContain("The channel's canvas is left as the team edited it (it was written from version 1).");

    expect(canvas.markdown).toBe(edited);
    expect(canvas.edits).toBe(0);
    expect(h.slack.callsTo('canvases.edit')).toHaveLength(0);
    expect(h.slack.canvases.size).toBe(1);
    const file = [...h.slack.files.values()].find((f) => f.filename === 'inc-1-postmortem-v2.md')!;
    expect(file.channel).toBe(channel);
    expect(file.content).toContain('INC-1 #4 Write the runbook for payment-client timeouts');
    // A file is read outside a canvas: people by name, not as canvas mentions.
    expect(file.content).toContain('| INC-1 #4 Write the runbook for payment-client timeouts | bob |');
    expect(file.content).not.toContain('![](@');
    const comment = h.slack.callsTo('files.completeUploadExternal').at(-1)!.params.initial_comment;
    expect(String(comment)).toContain("The channel's canvas is left as the team edited it");
    expect(await h.bot.store.postmortems.get(1)).toMatchObject({ version: 2, canvasVersion: 1 });
  });

  it('replaces the canvas only when someone confirms it with the button, once', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search slow');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('resolve Index rebuilt', { channelId: channel });
    const canvas = h.slack.canvases.get((await h.incidentChannel(1)).canvasId!)!;
    canvas.markdown = 'what the team wrote';
    await h.run('action Alert on index lag', { channelId: channel });
    const { responseId } = await h.run('postmortem', { channelId: channel });
    expect(canvas.markdown).toBe('what the team wrote');

    const reply = h.slack.responsesFor(responseId)[0]!;
    const button = (reply.blocks as { elements?: { action_id: string; value: string; confirm?: unknown }[] }[]).flatMap((b) => b.elements ?? [])[0]!;
    expect(button.action_id).toBe('postmortem_replace_canvas');
    expect(JSON.stringify(button.confirm)).toContain('Everything the team wrote in the canvas is replaced');
    const press = (id: string) =>
      h.interact(buttonPressBody({ userId: 'U0BOB', actionId: button.action_id, value: button.value, channelId: channel, responseUrl: h.slack.responseUrl(id) }));

    expect((await press('replace-1')).status).toBe(200);
    await h.settle();
    expect(canvas.markdown).toBe((await h.bot.store.postmortems.get(1))!.markdown);
    expect(canvas.markdown).toContain('Alert on index lag');
    expect(canvas.edits).toBe(1);
    expect(h.slack.responsesFor('replace-1')[0]).toMatchObject({ replace_original: true, text: expect.stringContaining('Replacing the canvas of INC-1 with version 2') });
    expect((await h.incidentChannel(1)).messages.at(-1)!.text).toContain('<@U0BOB> replaced the canvas of INC-1 with version 2');

    // The team writes again; a second press of the same button must not wipe it.
    canvas.markdown = 'written after the replacement';
    await press('replace-2');
    await h.settle();
    expect(String(h.slack.responsesFor('replace-2')[0]!.text)).toContain('already holds version 2');
    expect(canvas.markdown).toBe('written after the replacement');
    expect(canvas.edits).toBe(1);
  });

  it('refuses a replace button naming another incident or an older draft, and changes nothing', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search slow');
    await h.run('declare sev3 Flaky builds');
    const first = (await h.incidentChannel(1)).id;
    const second = (await h.incidentChannel(2)).id;
    await h.run('resolve', { channelId: first });
    await h.run('resolve', { channelId: second });
    await h.run('postmortem', { channelId: first });
    await h.run('postmortem', { channelId: first });
    const canvas = h.slack.canvases.get((await h.incidentChannel(1)).canvasId!)!;
    canvas.markdown = 'what the team wrote';
    const press = async (value: string, channelId: string) => {
      const id = `press-${value}-${channelId}`;
      await h.interact(buttonPressBody({ userId: 'U0BOB', actionId: 'postmortem_replace_canvas', value, channelId, responseUrl: h.slack.responseUrl(id) }));
      await h.settle();
      return String(h.slack.responsesFor(id)[0]?.text ?? '');
    };

    expect(await press('{"incidentId":2,"version":3}', first)).toContain("That button names INC-2, but this is INC-1's channel, so nothing was changed");
    expect(await press('{"incidentId":1,"version":3}', second)).toContain("That button names INC-1, but this is INC-2's channel, so nothing was changed");
    expect(await press('{"incidentId":1,"version":2}', first)).toContain('That button is for version 2 of the draft, but version 3 was written since');
    expect(await press('{"incidentId":1}', first)).toContain('That button is from an older message');
    expect(await press('{"incidentId":1,"version":3}', 'C0GENERAL')).toContain("works only in the incident's channel");
    expect(canvas.markdown).toBe('what the team wrote');
    expect(h.slack.callsTo('canvases.edit')).toHaveLength(0);
  });

  it('falls back to a Markdown file where the workspace has no canvases', async () => {
    h = await Harness.start();
    h.slack.canvasesEnabled = false;
    await h.run('declare sev2 Search slow');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('resolve Index rebuilt', { channelId: channel });
    const file = [...h.slack.files.values()][0]!;
    expect(file.filename).toBe('inc-1-postmortem-v1.md');
    expect(file.channel).toBe(channel);
    expect(file.content).toBe((await h.bot.store.postmortems.get(1))!.markdown.replaceAll('![](@U0ALICE)', 'alice'));
    expect(h.slack.callsTo('conversations.canvases.create')[0]!.response.error).toBe('team_tier_cannot_create_channel_canvases');
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('keeps the incident resolved and the draft stored when publishing fails, and says how to get it', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search slow');
    const channel = (await h.incidentChannel(1)).id;
    h.slack.failNext('conversations.canvases.create', { kind: 'error', error: 'restricted_action' }, 1);
    h.slack.failNext('files.getUploadURLExternal', { kind: 'error', error: 'not_allowed_token_type' }, 1);
    await h.run('resolve', { channelId: channel });
    expect((await h.bot.store.incidents.get(1))!.status).toBe('resolved');
    expect((await h.bot.store.postmortems.get(1))!.markdown).toContain('# Postmortem: Search slow');
    const last = (await h.incidentChannel(1)).messages.at(-1)!.text;
    expect(last).toContain('Could not publish the postmortem draft for INC-1');
    expect(last).toContain('npm run postmortem -- 1');
  });

  it('resolves from the header button, and a second resolve is refused and changes nothing', async () => {
    h = await Harness.start();
    await h.run('declare sev3 Flaky builds');
    const channel = await h.incidentChannel(1);
    const header = channel.messages[0]!;
    const button = JSON.stringify(header.blocks).includes('incident_resolve');
    expect(button).toBe(true);
    const res = await h.interact(
      buttonPressBody({ userId: 'U0BOB', actionId: 'incident_resolve', value: '{"incidentId":1}', channelId: channel.id, messageTs: header.ts, blocks: header.blocks, responseUrl: h.slack.responseUrl('button-1') }),
    );
    expect(res.status).toBe(200);
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('resolved');
    const before = (await h.bot.store.timeline.list(1)).length;
    const { replies } = await h.run('resolve again', { channelId: channel.id });
    expect(replies[0]).toContain('INC-1 is already resolved');
    expect(await h.bot.store.timeline.list(1)).toHaveLength(before);
  });

  it('reopens a resolved incident back to investigating, keeping the draft', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Queue backlog');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('resolve Drained', { channelId: channel });
    await h.run('reopen', { channelId: channel });
    const incident = (await h.bot.store.incidents.get(1))!;
    expect(incident).toMatchObject({ status: 'investigating', resolvedAt: null });
    expect((await h.bot.store.postmortems.get(1))!.markdown).toContain('**Status**: Draft');
    expect((await h.bot.store.timeline.list(1)).map((e) => e.kind)).toContain('reopened');
    expect((await h.incidentChannel(1)).messages.at(-1)!.text).toContain('*Reopened*');
    expect(JSON.stringify((await h.incidentChannel(1)).messages[0]!.blocks)).toContain('Investigating');
    const { replies } = await h.run('reopen', { channelId: channel });
    expect(replies[0]).toContain('INC-1 is not resolved');
    await h.run('status identified Consumer stuck', { channelId: channel });
    expect((await h.bot.store.incidents.get(1))!.status).toBe('identified');
  });

  it('prints the stored draft with npm run postmortem', async () => {
    // On whichever store STORE says: the script opens DATABASE_URL as the bot does.
    h = await Harness.start();
    const url = h.bot.config.database.url;
    await h.run('declare sev2 Queue backlog');
    await h.run('action Check the consumer lag alert <@U0DAN>', { channelId: (await h.incidentChannel(1)).id });
    await h.run('resolve Drained', { channelId: (await h.incidentChannel(1)).id });
    const root = join(__dirname, '../..');
    const result = spawnSync('npm', ['run', '--silent', 'postmortem', '--', '1'], { cwd: root, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    // Outside Slack, people by the names Slack showed with their commands; someone never seen by their id.
    const stored = (await h.bot.store.postmortems.get(1))!.markdown;
    expect(stored).toContain('![](@U0ALICE)');
    expect(result.stdout).toBe(stored.replaceAll('![](@U0ALICE)', 'alice').replaceAll('![](@U0DAN)', 'U0DAN'));
    expect(result.stdout).toContain('| Incident Commander | alice |');
    expect(result.stdout).toContain('| INC-1 #1 Check the consumer lag alert | U0DAN |');
    const missing = spawnSync('npm', ['run', '--silent', 'postmortem', '--', '99'], { cwd: root, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('There is no incident INC-99');
  });
});
