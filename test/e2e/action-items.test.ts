import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { FixedClock } from '../support/fixed-clock.js';
import { buttonPressBody } from '../support/signed-requests.js';

describe('action items', () => {
  let h: Harness;
  let channel: string;
  const clock = new FixedClock(new Date('2026-11-18T15:00:00Z')); // a Wednesday

  beforeAll(async () => {
    h = await Harness.start({ bot: { clock } });
    await h.run('declare sev2 Search latency high', { userId: 'U0ALICE' });
    channel = (await h.incidentChannel(1)).id;
  });
  afterAll(async () => h.stop());

  it.each([
    ['Add dashboards <@U0BOB|bob> due 2026-12-01', 'U0BOB', '2026-12-01'],
    ['Tune the index due tomorrow', 'U0ALICE', '2026-11-19'],
    ['Load test search <@U0CAROL> due in 3d', 'U0CAROL', '2026-11-21'],
    ['Write the runbook due in 2w', 'U0ALICE', '2026-12-02'],
    ['Review shard sizes due next monday', 'U0ALICE', '2026-11-23'],
    ['Retry failed due to OOM <@U0DAN|dan>', 'U0DAN', '2026-12-02'],
    ['Nothing given at all', 'U0ALICE', '2026-12-02'],
  ])('adds "%s" with owner %s due %s', async (text, owner, due) => {
    const before = (await h.bot.store.actions.listForIncident(1)).length;
    const { replies } = await h.run(`action ${text}`, { channelId: channel, userId: 'U0ALICE' });
    const items = await h.bot.store.actions.listForIncident(1);
    expect(items).toHaveLength(before + 1);
    const item = items.at(-1)!;
    expect(item).toMatchObject({ number: before + 1, ownerId: owner, dueDate: due, status: 'open', createdBy: 'U0ALICE' });
    expect(replies[0]).toContain(`Added *INC-1 #${before + 1}*`);
    expect((await h.bot.store.timeline.list(1)).at(-1)!.text).toContain(`Action INC-1 #${before + 1} added`);
  });

  it('accepts a due date already past, and says so', async () => {
    const { replies } = await h.run('action Backfill missed metrics due 2026-11-01', { channelId: channel });
    expect(replies[0]).toContain('2026-11-01 is already past');
    expect((await h.bot.store.actions.listForIncident(1)).at(-1)!.dueDate).toBe('2026-11-01');
  });

  it('lists the incident items with Done buttons, and your own open items elsewhere', async () => {
    const { responseId } = await h.run('actions', { channelId: channel });
    const listing = h.slack.responsesFor(responseId)[0]! as { text: string; blocks: { accessory?: { action_id: string; value: string } }[] };
    expect(listing.text).toContain('Action items of INC-1');
    expect(listing.text).toContain(':warning: *overdue*');
    const buttons = listing.blocks.filter((b) => b.accessory?.action_id === 'action_item_done');
    expect(buttons.length).toBe((await h.bot.store.actions.listForIncident(1)).length);

    const mine = await h.run('actions', { channelId: 'C0GENERAL', userId: 'U0CAROL' });
    expect(mine.replies[0]).toContain('Your open action items');
    expect(mine.replies[0]).toContain('Load test search');
    expect(mine.replies[0]).not.toContain('Add dashboards');
  });

  it('marks an item done by command and by button, once', async () => {
    await h.run('done 1', { channelId: channel, userId: 'U0BOB' });
    expect(await h.bot.store.actions.get(1, 1)).toMatchObject({ status: 'done', closedBy: 'U0BOB' });
    const press = () =>
      h.interact(buttonPressBody({ userId: 'U0CAROL', actionId: 'action_item_done', value: '{"incidentId":1,"number":3}', channelId: 'C0GENERAL', responseUrl: h.slack.responseUrl('done-button') }));
    expect((await press()).status).toBe(200);
    await h.settle();
    expect(await h.bot.store.actions.get(1, 3)).toMatchObject({ status: 'done', closedBy: 'U0CAROL' });
    await press();
    await h.settle();
    const answers = h.slack.responsesFor('done-button').map((r) => String(r.text));
    expect(answers[0]).toContain('*INC-1 #3* is done');
    expect(answers[1]).toContain('INC-1 #3 is already done');
    expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'action_done')).toHaveLength(2);
  });

  it('drops an item with a reason', async () => {
    await h.run('drop 2 Covered by the new index work', { channelId: channel });
    expect(await h.bot.store.actions.get(1, 2)).toMatchObject({ status: 'dropped', dropReason: 'Covered by the new index work' });
  });

  it.each([
    ['done 42', 'has no action item #42'],
    ['done two', '"two" is not an item number'],
    // Past PostgreSQL's int4, where action_items.number lives: refused before any query, not a failed one.
    ['done 3000000000', '"3000000000" is not an item number.\nUsage: `/incident done &lt;item number&gt;`'],
    ['drop 3000000000 no longer needed', '"3000000000" is not an item number.\nUsage: `/incident drop &lt;item number&gt; &lt;reason&gt;`'],
    ['done 99999999999999999999', '"99999999999999999999" is not an item number'],
    ['done', 'Say which item'],
    ['drop 4', 'Say why it is dropped'],
    ['action Fix it due 2026-02-30', '"2026-02-30" is not a date I can read'],
    ['action Fix it due in three days', '"in three days" is not a date I can read'],
    ['action <@U0BOB|bob> due tomorrow', 'Say what needs doing'],
  ])('refuses "%s" and changes nothing', async (text, message) => {
    const before = JSON.stringify([await h.bot.store.actions.listForIncident(1), await h.bot.store.timeline.list(1)]);
    const { replies } = await h.run(text, { channelId: channel });
    expect(replies[0]).toContain(message);
    expect(JSON.stringify([await h.bot.store.actions.listForIncident(1), await h.bot.store.timeline.list(1)])).toBe(before);
  });

  it('refuses action commands outside an incident channel', async () => {
    for (const text of ['action Do it', 'done 1', 'drop 1 no', 'resolve', 'reopen', 'postmortem']) {
      const { replies } = await h.run(text, { channelId: 'C0GENERAL' });
      expect(replies[0], text).toContain("only in an incident's channel");
    }
  });
});
