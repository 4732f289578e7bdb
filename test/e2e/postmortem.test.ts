import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { FixedClock } from '../support/fixed-clock.js';
import { buttonPressBody } from '../support/signed-requests.js';

const MINUTE = 60_000;

/**
 * A whole incident on a fixed clock: declare, roles, pinned messages, status
 * updates, action items, resolve. Returns the harness with the draft published.
 */
async function scriptedIncident(h: Harness, clock: FixedClock): Promise<string> {
  await h.run('declare sev1 Checkout errors spiking', { userId: 'U0ALICE' });
  const channel = h.incidentChannel(1).id;
  clock.advance(2 * MINUTE);
  await h.run('role tech <@U0BOB|bob>', { channelId: channel, userId: 'U0ALICE' });
  await h.run('role comms <@U0CAROL|carol>', { channelId: channel, userId: 'U0ALICE' });
  clock.advance(3 * MINUTE);
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
    h = await Harness.start({ bot: { clock } });
    const channel = await scriptedIncident(h, clock);

    const incident = h.bot.store.incidents.get(1)!;
    expect(incident.status).toBe('resolved');
    expect(incident.resolvedAt).toEqual(new Date('2026-11-16T09:47:00Z'));

    const markdown = h.bot.store.postmortems.get(1)!.markdown;
    await expect(markdown).toMatchFileSnapshot('./__snapshots__/postmortem-inc-1.md');
    for (const heading of ['# Postmortem: Checkout errors spiking — 2026-11-16', '## Summary', '## Impact', '## Timeline (UTC)', '## Root cause', '## Contributing factors', '## Action items', '## What went well', '## What went wrong', '## Lessons learned', '## Responders', '## Language check']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('**Status**: Draft');
    expect(markdown).toContain('**Error budget impact**: <!-- error-budget -->');
    expect(markdown).toContain('| Duration | 47 minutes (47 min) |');
    expect(markdown).toContain('| Time | Event |');
    expect(markdown).toContain('![](@U0BOB): "5xx on /checkout at 38%, started 09:02 with deploy 4812"');
    expect(markdown).toContain('| INC-1 #1 Add a timeout to the payment client | ![](@U0BOB) | 2026-12-01 | Open |');
    expect(markdown).toContain('| INC-1 #3 Alert on checkout 5xx above 1% | ![](@U0CAROL) | 2026-11-23 | Done |');
    expect(markdown).toContain('From the "identified" update: Deploy 4812 shipped a payment client without a timeout');
    expect(markdown).toContain('## Contributing factors\n\n_What made it more likely, larger, or slower to fix: missing alerts, unclear runbooks, risky defaults…_\n\n- What it took to resolve: Rolled back deploy 4812; checkout healthy for 20 minutes');
    expect(markdown).toContain('| "human error" |');
    expect(markdown).toContain('Cause identified 12 minutes after declaration.');

    const canvas = h.slack.canvases.get(h.incidentChannel(1).canvasId!)!;
    expect(canvas.markdown).toBe(markdown);
    const posts = h.incidentChannel(1).messages.map((m) => m.text);
    expect(posts.some((t) => t.includes('*Resolved* after 47 minutes') && t.includes('Rolled back deploy 4812'))).toBe(true);
    expect(posts.some((t) => t.includes("postmortem draft of INC-1 is in this channel's canvas"))).toBe(true);
    const announce = h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!.text;
    expect(announce).toContain('*Resolved* after 47 minutes');
    expect(JSON.stringify(h.incidentChannel(1).messages[0]!.blocks)).not.toContain('incident_resolve');

    // Re-published after a late follow-up: the same canvas is replaced, not a second one made.
    clock.advance(60 * MINUTE);
    await h.run('action Write the runbook for payment-client timeouts', { channelId: channel, userId: 'U0BOB' });
    const { replies } = await h.run('postmortem', { channelId: channel });
    expect(replies[0]).toContain('version 2');
    expect(h.slack.canvases.size).toBe(1);
    expect(canvas.edits).toBe(1);
    expect(canvas.markdown).toContain('INC-1 #4 Write the runbook for payment-client timeouts');
  });

  it('falls back to a Markdown file where the workspace has no canvases', async () => {
    h = await Harness.start();
    h.slack.canvasesEnabled = false;
    await h.run('declare sev2 Search slow');
    const channel = h.incidentChannel(1).id;
    await h.run('resolve Index rebuilt', { channelId: channel });
    const file = [...h.slack.files.values()][0]!;
    expect(file.filename).toBe('inc-1-postmortem-v1.md');
    expect(file.channel).toBe(channel);
    expect(file.content).toBe(h.bot.store.postmortems.get(1)!.markdown);
    expect(h.slack.callsTo('conversations.canvases.create')[0]!.response.error).toBe('team_tier_cannot_create_channel_canvases');
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('keeps the incident resolved and the draft stored when publishing fails, and says how to get it', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Search slow');
    const channel = h.incidentChannel(1).id;
    h.slack.failNext('conversations.canvases.create', { kind: 'error', error: 'restricted_action' }, 1);
    h.slack.failNext('files.getUploadURLExternal', { kind: 'error', error: 'not_allowed_token_type' }, 1);
    await h.run('resolve', { channelId: channel });
    expect(h.bot.store.incidents.get(1)!.status).toBe('resolved');
    expect(h.bot.store.postmortems.get(1)!.markdown).toContain('# Postmortem: Search slow');
    const last = h.incidentChannel(1).messages.at(-1)!.text;
    expect(last).toContain('Could not publish the postmortem draft for INC-1');
    expect(last).toContain('npm run postmortem -- 1');
  });

  it('resolves from the header button, and a second resolve is refused and changes nothing', async () => {
    h = await Harness.start();
    await h.run('declare sev3 Flaky builds');
    const channel = h.incidentChannel(1);
    const header = channel.messages[0]!;
    const button = JSON.stringify(header.blocks).includes('incident_resolve');
    expect(button).toBe(true);
    const res = await h.interact(
      buttonPressBody({ userId: 'U0BOB', actionId: 'incident_resolve', value: '{"incidentId":1}', channelId: channel.id, messageTs: header.ts, responseUrl: h.slack.responseUrl('button-1') }),
    );
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.bot.store.incidents.get(1)!.status).toBe('resolved');
    const before = h.bot.store.timeline.list(1).length;
    const { replies } = await h.run('resolve again', { channelId: channel.id });
    expect(replies[0]).toContain('INC-1 is already resolved');
    expect(h.bot.store.timeline.list(1)).toHaveLength(before);
  });

  it('reopens a resolved incident back to investigating, keeping the draft', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Queue backlog');
    const channel = h.incidentChannel(1).id;
    await h.run('resolve Drained', { channelId: channel });
    await h.run('reopen', { channelId: channel });
    const incident = h.bot.store.incidents.get(1)!;
    expect(incident).toMatchObject({ status: 'investigating', resolvedAt: null });
    expect(h.bot.store.postmortems.get(1)!.markdown).toContain('**Status**: Draft');
    expect(h.bot.store.timeline.list(1).map((e) => e.kind)).toContain('reopened');
    expect(h.incidentChannel(1).messages.at(-1)!.text).toContain('*Reopened*');
    expect(JSON.stringify(h.incidentChannel(1).messages[0]!.blocks)).toContain('Investigating');
    const { replies } = await h.run('reopen', { channelId: channel });
    expect(replies[0]).toContain('INC-1 is not resolved');
    await h.run('status identified Consumer stuck', { channelId: channel });
    expect(h.bot.store.incidents.get(1)!.status).toBe('identified');
  });

  it('prints the stored draft with npm run postmortem', async () => {
    h = await Harness.start();
    await h.run('declare sev2 Queue backlog');
    await h.run('resolve Drained', { channelId: h.incidentChannel(1).id });
    const root = join(__dirname, '../..');
    const result = spawnSync('npm', ['run', '--silent', 'postmortem', '--', '1'], { cwd: root, env: { ...process.env, DATABASE_URL: h.databaseFile }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(h.bot.store.postmortems.get(1)!.markdown);
    const missing = spawnSync('npm', ['run', '--silent', 'postmortem', '--', '99'], { cwd: root, env: { ...process.env, DATABASE_URL: h.databaseFile }, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('There is no incident INC-99');
  });
});
