/**
 * People named in commands must be people Slack knows: a role or a follow-up
 * given to `<@U0NOBODY>` was recorded and its invitation failed where nobody
 * saw it. Refused with a clear reply, nothing recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { BOT_USER_ID } from '../support/slack-stand-in.js';

describe('people Slack does not know', () => {
  let h: Harness;
  let channel: string;
  beforeAll(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Checkout errors', { userId: 'U0ALICE' });
    channel = (await h.incidentChannel(1)).id;
  });
  afterAll(async () => h?.stop());

  it.each(['<@U0NOBODY>', '<@W0OTHERORG>'])('refuses a role for %s and records nothing', async (mention) => {
    const { replies } = await h.run(`role tech ${mention}`, { channelId: channel });
    expect(replies.join('\n')).toMatch(/Slack knows no user W?U?0(NOBODY|OTHERORG) in this workspace/);
    expect((await h.bot.store.roles.current(1)).map((r) => r.role)).toEqual(['ic']);
    expect((await h.bot.store.timeline.list(1)).some((e) => e.kind === 'role_assigned')).toBe(false);
  });

  it('refuses a follow-up owned by an unknown user and records nothing', async () => {
    const { replies } = await h.run('action Add a canary <@U0NOBODY> due tomorrow', { channelId: channel });
    expect(replies.join('\n')).toContain('Slack knows no user U0NOBODY');
    expect(await h.bot.store.actions.listForIncident(1)).toHaveLength(0);
  });

  it('refuses a deactivated account', async () => {
    h.slack.deactivated.add('U0DAN');
    const { replies } = await h.run('role comms <@U0DAN>', { channelId: channel });
    expect(replies.join('\n')).toContain('deactivated');
    expect((await h.bot.store.roles.current(1)).map((r) => r.role)).toEqual(['ic']);
  });

  it("refuses an app's bot user, as a role holder and as a follow-up's owner", async () => {
    const { replies } = await h.run(`role tech <@${BOT_USER_ID}>`, { channelId: channel });
    expect(replies.join('\n')).toContain(`<@${BOT_USER_ID}> is an app, not a person, so nothing was changed. Roles and follow-ups are for people`);
    expect((await h.bot.store.roles.current(1)).map((r) => r.role)).toEqual(['ic']);
    const owner = await h.run(`action Roll back the deploy <@${BOT_USER_ID}> due tomorrow`, { channelId: channel });
    expect(owner.replies.join('\n')).toContain('is an app, not a person');
    expect(await h.bot.store.actions.listForIncident(1)).toHaveLength(0);
  });

  it('refuses, recording nothing, when Slack cannot confirm the user in time', async () => {
    h.slack.failNext('users.info', { kind: 'hang' }, 1);
    const { ack, responseId } = await h.command('role scribe <@U0CAROL>', { channelId: channel });
    expect(ack.status).toBe(200);
    await h.settle();
    expect(h.slack.responsesFor(responseId).map((r) => String(r.text)).join()).toContain('did not answer in time');
    expect((await h.bot.store.roles.current(1)).map((r) => r.role)).toEqual(['ic']);
  });

  it('still assigns known people, and yourself without asking Slack', async () => {
    const before = h.slack.callsTo('users.info').length;
    await h.run('role tech <@U0ALICE>', { channelId: channel, userId: 'U0ALICE' });
    expect(h.slack.callsTo('users.info')).toHaveLength(before);
    await h.run('role comms <@U0BOB>', { channelId: channel });
    expect((await h.bot.store.roles.current(1)).map((r) => `${r.role}:${r.userId}`).sort()).toEqual(['comms:U0BOB', 'ic:U0ALICE', 'tech:U0ALICE']);
  });
});
