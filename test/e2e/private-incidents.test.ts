/**
 * A private incident, as a member and as someone who is not in its channel:
 * nothing of it (title, impact, status texts, follow-ups) reaches a
 * non-member, and nobody outside it changes it. Every case here leaked or
 * changed before the fix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, BUTTON_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { buttonPressBody, interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';

const TITLE = 'Payroll export leaking';
const IMPACT = 'Salary files visible to all staff';
const STATUS = 'bucket ACL opened by a migration';
const ITEM = 'Rotate the export bucket credentials';
const SECRETS = [TITLE, IMPACT, STATUS, ITEM];

/** Alice declares a private SEV1 from the form; she is its IC and its channel's only person. */
async function declarePrivate(h: Harness): Promise<string> {
  const values = {
    [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: TITLE } },
    [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev1' } } },
    [BLOCK_IDS.description]: { [ACTION_IDS.description]: { type: 'plain_text_input', value: IMPACT } },
    [BLOCK_IDS.privacy]: { [ACTION_IDS.privacy]: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
  };
  const res = await h.interact(interactivityBody(viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, values, '{"originChannelId":"C0GENERAL"}')));
  expect(res.status).toBe(200);
  await h.settle();
  return (await h.incidentChannel(1)).id;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('a private incident', () => {
  let h: Harness;
  let clock: FixedClock;
  let channel: string;
  beforeEach(async () => {
    clock = new FixedClock(new Date('2026-11-02T10:00:00Z'));
    h = await Harness.start({ bot: { clock } });
    channel = await declarePrivate(h);
  });
  afterEach(async () => h?.stop());

  const announced = () => h.slack.channels.get('C0ANNOUNCE')!.messages.map((m) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`).join('\n');

  it('is announced by severity and who to ask, and its status updates are not announced at all', async () => {
    await h.run(`status identified ${STATUS}`, { channelId: channel, userId: 'U0ALICE' });
    await h.run('severity sev2', { channelId: channel, userId: 'U0ALICE' });
    await h.run('resolve Fixed the ACL', { channelId: channel, userId: 'U0ALICE' });
    const text = announced();
    expect(text).toContain('A private SEV1 incident (INC-1) was declared');
    expect(text).toContain('ask its Incident Commander, <@U0ALICE>');
    expectNoSecret(text);
    expect(text).not.toContain('Fixed the ACL');
    expect(h.slack.channels.get('C0ANNOUNCE')!.messages).toHaveLength(1);
    // Inside its channel, everything is said as usual.
    expect((await h.incidentChannel(1)).messages.map((m) => m.text).join('\n')).toContain(STATUS);
  });

  it('is counted, not named, in /incident list for a non-member, and listed for a member', async () => {
    const outsider = await h.run('list', { channelId: 'C0GENERAL', userId: 'U0BOB' });
    expectNoSecret(outsider.replies.join('\n'));
    expect(outsider.replies.join('\n')).toContain('1 private incident not shown');

    const member = await h.run('list', { channelId: 'C0GENERAL', userId: 'U0ALICE' });
    expect(member.replies.join('\n')).toContain(TITLE);
    const inside = await h.run('list', { channelId: channel, userId: 'U0ALICE' });
    expect(inside.replies.join('\n')).toContain(TITLE);
  });

  it('shows its follow-ups to members and to their owner, in actions and digests, never to anyone else', async () => {
    await h.run(`action ${ITEM} <@U0CAROL> due 2026-11-01`, { channelId: channel, userId: 'U0ALICE' });
    await h.run('declare sev3 Search slow', { userId: 'U0BOB' });
    await h.run('action Reindex nightly <@U0BOB> due 2026-11-01', { channelId: (await h.incidentChannel(2)).id, userId: 'U0BOB' });

    const bobActions = await h.run('actions', { channelId: 'C0GENERAL', userId: 'U0BOB' });
    expectNoSecret(bobActions.replies.join('\n'));
    const carolActions = await h.run('actions', { channelId: 'C0GENERAL', userId: 'U0CAROL' });
    expect(carolActions.replies.join('\n')).toContain(ITEM);

    const bobDigest = await h.run('digest', { channelId: 'C0GENERAL', userId: 'U0BOB' });
    const bobBlocks = JSON.stringify(h.slack.responsesFor(bobDigest.responseId));
    expectNoSecret(bobBlocks);
    expect(bobBlocks).toContain('Reindex nightly');
    expect(bobBlocks).toContain('1 of these is a follow-up of private incidents, not named here');

    const carolDigest = await h.run('digest', { channelId: 'C0GENERAL', userId: 'U0CAROL' });
    const carolBlocks = JSON.stringify(h.slack.responsesFor(carolDigest.responseId));
    expect(carolBlocks).toContain(ITEM);
    expect(carolBlocks).not.toContain(TITLE); // the owner is not in its channel: the item, not the incident's title

    await h.run('digest here', { channelId: 'C0GENERAL', userId: 'U0CAROL' });
    const posted = JSON.stringify(h.slack.channels.get('C0GENERAL')!.messages.map((m) => m.blocks));
    expectNoSecret(posted);
    expect(posted).toContain('Reindex nightly');

    // The weekly digest: the channel counts it, the owner's DM names it.
    clock.set('2026-11-02T09:00:30Z');
    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    const weekly = JSON.stringify(h.slack.channels.get('C0ANNOUNCE')!.messages.filter((m) => m.metadata?.event_type === 'incident_digest').map((m) => m.blocks));
    expectNoSecret(weekly);
    expect(weekly).toContain('1 of these is a follow-up of private incidents');
    const carolDm = JSON.stringify(h.slack.channels.get('D0CAROL')!.messages.map((m) => m.blocks));
    expect(carolDm).toContain(ITEM);
    expect(carolDm).not.toContain(TITLE);
  });

  it('lets only members and the item owner press Done or Snooze on its follow-ups', async () => {
    await h.run(`action ${ITEM} <@U0CAROL> due 2026-11-01`, { channelId: channel, userId: 'U0ALICE' });
    const value = JSON.stringify({ incidentId: 1, number: 1 });
    const press = (userId: string, actionId: string, channelId: string) =>
      h.interact(buttonPressBody({ userId, actionId, value, channelId, responseUrl: h.slack.responseUrl(`${userId}-${actionId}-${channelId}`) }));
    const answer = (userId: string, actionId: string, channelId: string) =>
      h.slack.responsesFor(`${userId}-${actionId}-${channelId}`).map((r) => String(r.text)).join('\n') +
      h.slack.ephemerals.filter((e) => e.user === userId).map((e) => e.text).join('\n') +
      (h.slack.channels.get(`D${userId.slice(1)}`)?.messages.map((m) => m.text).join('\n') ?? '');

    expect((await press('U0BOB', BUTTON_IDS.actionSnooze, 'C0GENERAL')).status).toBe(200);
    expect((await press('U0BOB', BUTTON_IDS.actionDone, 'C0GENERAL')).status).toBe(200);
    await h.settle();
    expect(await h.bot.store.actions.get(1, 1)).toMatchObject({ status: 'open', dueDate: '2026-11-01' });
    expect(answer('U0BOB', BUTTON_IDS.actionDone, 'C0GENERAL')).toContain('only members of its channel and the item\'s owner');
    expectNoSecret(answer('U0BOB', BUTTON_IDS.actionDone, 'C0GENERAL'));

    // The owner, from the DM the digest reached her in.
    await press('U0CAROL', BUTTON_IDS.actionSnooze, 'D0CAROL');
    await h.settle();
    expect((await h.bot.store.actions.get(1, 1))!.dueDate).toBe('2026-11-09');
    // A member, in the incident's channel.
    await press('U0ALICE', BUTTON_IDS.actionDone, channel);
    await h.settle();
    expect((await h.bot.store.actions.get(1, 1))!.status).toBe('done');
  });

  it('refuses a non-member the same way for a follow-up that exists and one that does not, counting none', async () => {
    for (const text of ['First', 'Second', 'Third']) await h.run(`action ${text} <@U0CAROL> due 2026-11-20`, { channelId: channel, userId: 'U0ALICE' });
    const refusal = async (actionId: string, number: number) => {
      const id = `probe-${actionId}-${number}`;
      const value = JSON.stringify({ incidentId: 1, number });
      expect((await h.interact(buttonPressBody({ userId: 'U0BOB', actionId, value, channelId: 'C0GENERAL', responseUrl: h.slack.responseUrl(id) }))).status).toBe(200);
      await h.settle();
      return h.slack.responsesFor(id).map((r) => String(r.text)).join('\n');
    };
    for (const actionId of [BUTTON_IDS.actionDone, BUTTON_IDS.actionSnooze]) {
      const existing = await refusal(actionId, 2);
      const missing = await refusal(actionId, 99);
      expect(existing).toContain("only members of its channel and the item's owner");
      // Told apart, the two answers would say which numbers exist; "#1 to #3" would say how many.
      expect(missing).toBe(existing);
      expect(missing).not.toMatch(/#3|#99|no action item/);
    }
    expect((await h.bot.store.actions.listForIncident(1)).map((i) => [i.status, i.dueDate])).toEqual(Array(3).fill(['open', '2026-11-20']));
  });

  it('is resolved by its header button only from its own channel', async () => {
    const value = JSON.stringify({ incidentId: 1 });
    const header = (await h.incidentChannel(1)).messages[0]!;
    const forged = await h.interact(buttonPressBody({ userId: 'U0BOB', actionId: BUTTON_IDS.resolve, value, channelId: 'C0GENERAL', responseUrl: h.slack.responseUrl('forged') }));
    expect(forged.status).toBe(200);
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('investigating');
    expect(h.slack.responsesFor('forged').map((r) => String(r.text)).join()).toContain("does not belong to INC-1's channel");

    // A button whose value does not match the message it was on changes nothing either.
    await h.run('declare sev3 Other incident', { userId: 'U0ALICE' });
    const other = await h.incidentChannel(2);
    const mismatched = buttonPressBody({ userId: 'U0ALICE', actionId: BUTTON_IDS.resolve, value, channelId: other.id, messageTs: other.messages[0]!.ts, blocks: other.messages[0]!.blocks, responseUrl: h.slack.responseUrl('mismatch') });
    await h.interact(mismatched);
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('investigating');
    expect((await h.bot.store.incidents.get(2))!.status).toBe('investigating');
    expect(h.slack.responsesFor('mismatch').map((r) => String(r.text)).join()).toContain('does not match the message');

    await h.interact(buttonPressBody({ userId: 'U0ALICE', actionId: BUTTON_IDS.resolve, value, channelId: channel, messageTs: header.ts, blocks: header.blocks, responseUrl: h.slack.responseUrl('real') }));
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('resolved');
  });
});
