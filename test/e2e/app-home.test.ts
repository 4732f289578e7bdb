/**
 * The App Home tab through the real wire: a signed app_home_opened event in,
 * the views.publish the stand-in got out. A private incident is shown to its
 * members only; Done and Snooze pressed in the Home change the presser's own
 * follow-up and publish the Home again; a button the Home never carried, or
 * one naming someone else's follow-up, changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, BUTTON_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { eventCallbackBody, interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { TEAM_ID } from '../support/slack-stand-in.js';
import { viewProblems } from '../support/slack-limits.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';
import { sampleFor, shapeProblems } from '../support/spec-shapes.js';

type Json = Record<string, unknown>;

const SECRET_TITLE = 'Payroll export leaking';

function homeOpened(user: string): Json {
  return { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: `${Math.floor(Date.now() / 1000)}.000100` };
}

/** A button pressed in a Home tab, as Slack posts it: the view it was in comes with it (container.type "view"). */
function homePress(userId: string, view: Json, actionId: string, value: string, container: Json = { type: 'view', view_id: view.id }): Json {
  return {
    type: 'block_actions',
    user: { id: userId, username: userId, name: userId, team_id: TEAM_ID },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container,
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: TEAM_ID, domain: 'stand-in' },
    is_enterprise_install: false,
    view,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: `${Math.floor(Date.now() / 1000)}.000001`, text: { type: 'plain_text', text: 'button' } }],
  };
}

describe('the App Home tab', () => {
  let h: Harness;
  let dir: string;
  const clock = new FixedClock(new Date('2026-11-30T12:00:00Z'));

  /** What views.publish put on a user's Home, each with the view Slack answered (what a press sends back). */
  const published = (user: string) => h.slack.callsTo('views.publish').filter((c) => c.params.user_id === user);
  const lastView = (user: string) => published(user).at(-1)!.response.view as Json;
  const text = (view: Json) => JSON.stringify(view.blocks);
  const buttonsOf = (view: Json) =>
    (view.blocks as Json[]).flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : [])).map((e) => ({ actionId: String(e.action_id), value: String(e.value) }));
  const dm = (user: string) => h.slack.channels.get(`D${user.slice(1)}`)?.messages.map((m) => m.text) ?? [];

  async function openHome(user: string): Promise<Json> {
    const before = published(user).length;
    expect((await h.event(homeOpened(user))).status).toBe(200);
    await h.settle();
    await expect.poll(() => published(user).length).toBe(before + 1);
    return lastView(user);
  }

  async function press(body: Json): Promise<void> {
    expect((await h.interact(interactivityBody(body))).status).toBe(200);
    await h.settle();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'app-home-'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    h = await Harness.start({ env: { SLO_FILES: join(dir, 'checkout.yaml') }, bot: { clock } });
    // INC-1, public: its budget estimate is 60 min of a SEV2 (half the requests failing) = 30.6 % left.
    await h.run('declare sev2 Checkout failing', { userId: 'U0ALICE' });
    const public1 = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: public1 });
    await h.run('impact started 60m ago', { channelId: public1 });
    await h.run('action Write the checkout postmortem <@U0BOB|bob>', { channelId: public1, userId: 'U0ALICE' });
    await h.run('action Add a checkout canary', { channelId: public1, userId: 'U0ALICE' });
    // INC-2, private: Alice alone is in its channel; Bob owns one of its follow-ups.
    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: SECRET_TITLE } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev1' } } },
      [BLOCK_IDS.description]: { [ACTION_IDS.description]: { type: 'plain_text_input', value: 'Salary files visible' } },
      [BLOCK_IDS.privacy]: { [ACTION_IDS.privacy]: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
    };
    await h.interact(interactivityBody(viewSubmissionPayload('U0ALICE', CALLBACK_IDS.declareModal, values, '{"originChannelId":"C0GENERAL"}')));
    await h.settle();
    await h.run('action Rotate the bucket credentials <@U0BOB|bob>', { channelId: (await h.incidentChannel(2)).id, userId: 'U0ALICE' });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a private incident to a member of its channel and only counts it for anyone else', async () => {
    const alice = await openHome('U0ALICE');
    expect(text(alice)).toContain(SECRET_TITLE);
    expect(text(alice)).toContain('Open incidents (2)');
    expect(text(alice)).toContain('*INC-1 #2* Add a checkout canary');
    expect(text(alice)).toContain('*checkout-api checkout_availability* (99.9 % / 30d): ~30.6 % left (estimate from 1 incident)');

    const carol = await openHome('U0CAROL');
    expect(text(carol)).not.toContain(SECRET_TITLE);
    expect(text(carol)).not.toContain('INC-2');
    expect(text(carol)).toContain('Checkout failing');
    expect(text(carol)).toContain('1 private incident not shown: only members of its channel see it.');
    expect(text(carol)).toContain('_Nothing open for you._');

    // Bob is not in INC-2's channel: its title stays hidden, his own follow-up of it does not.
    const bob = await openHome('U0BOB');
    expect(text(bob)).not.toContain(SECRET_TITLE);
    expect(text(bob)).toContain('*INC-2 #1* Rotate the bucket credentials');
    expect(buttonsOf(bob)).toEqual([
      { actionId: BUTTON_IDS.homeActionDone, value: '{"incidentId":1,"number":1}' },
      { actionId: BUTTON_IDS.homeActionSnooze, value: '{"incidentId":1,"number":1}' },
      { actionId: BUTTON_IDS.homeActionDone, value: '{"incidentId":2,"number":1}' },
      { actionId: BUTTON_IDS.homeActionSnooze, value: '{"incidentId":2,"number":1}' },
    ]);
  });

  it("publishes Home views within Slack's limits, answered in Slack's shapes, from events shaped as Slack sends them", async () => {
    await openHome('U0DAN');
    const calls = h.slack.callsTo('views.publish');
    for (const call of calls) {
      expect(shapeProblems(call.response, sampleFor('web-api', 'views.publish')), call.method).toEqual([]);
      // A Home view has no title (docs.slack.dev/reference/views/home-tab-views); the rest is checked as a modal's.
      expect(viewProblems(JSON.parse(String(call.params.view))).filter((p) => !p.startsWith('title'))).toEqual([]);
    }
    const event = JSON.parse(eventCallbackBody(homeOpened('U0DAN')).body);
    // Slack's record has the enterprise fields as strings; a workspace without one sends null.
    expect(shapeProblems(event, sampleFor('payloads', 'AppHomeOpenedPayload')).filter((p) => !p.includes('null where'))).toEqual([]);
    // Slack's record of block_actions lists no view.blocks, but a view's block_actions carries the whole view (Bolt's ViewOutput has blocks).
    const pressed = homePress('U0BOB', lastView('U0BOB'), BUTTON_IDS.homeActionDone, '{"incidentId":1,"number":1}');
    expect(shapeProblems(pressed, sampleFor('payloads', 'BlockActionPayload'))).toEqual(['$.view.blocks: key Slack never sends']);
  });

  it('marks a follow-up done from the Home and publishes the Home again without it', async () => {
    const bob = await openHome('U0BOB');
    const before = published('U0BOB').length;
    await press(homePress('U0BOB', bob, BUTTON_IDS.homeActionDone, '{"incidentId":1,"number":1}'));
    expect(await h.bot.store.actions.get(1, 1)).toMatchObject({ status: 'done', closedBy: 'U0BOB' });
    await expect.poll(() => published('U0BOB').length).toBe(before + 1);
    expect(text(lastView('U0BOB'))).not.toContain('Write the checkout postmortem');
    expect(text(lastView('U0BOB'))).toContain('Your open follow-ups (1)');
  });

  it("snoozes the owner's follow-up of a private incident they are not in, from the Home", async () => {
    const bob = await openHome('U0BOB');
    await press(homePress('U0BOB', bob, BUTTON_IDS.homeActionSnooze, '{"incidentId":2,"number":1}'));
    // Due 14 days after 2026-11-30, then a week later.
    expect(await h.bot.store.actions.get(2, 1)).toMatchObject({ status: 'open', dueDate: '2026-12-21' });
    await expect.poll(() => text(lastView('U0BOB'))).toContain('Due 2026-12-21');
  });

  it('changes nothing for a button the Home never carried, or for someone else\u2019s follow-up', async () => {
    const bob = await openHome('U0BOB');
    const own = '{"incidentId":2,"number":1}';
    const alices = '{"incidentId":1,"number":2}';
    const actions = (actionId: string, value: string) => [{ type: 'actions', elements: [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'Done' }, value }] }];
    const refusals = () => dm('U0BOB').filter((t) => t.includes('nothing was changed'));
    const timelines = async () => [(await h.bot.store.timeline.list(1)).length, (await h.bot.store.timeline.list(2)).length];
    const before = { timelines: await timelines(), refusals: refusals().length, published: published('U0BOB').length };

    // His own follow-up, but from a Home without that button, from a modal, and from a message.
    await press(homePress('U0BOB', { ...bob, blocks: (bob.blocks as Json[]).filter((b) => b.type !== 'actions') }, BUTTON_IDS.homeActionDone, own));
    await press(homePress('U0BOB', { ...bob, type: 'modal', blocks: actions(BUTTON_IDS.homeActionDone, own) }, BUTTON_IDS.homeActionDone, own));
    await press(homePress('U0BOB', bob, BUTTON_IDS.homeActionDone, own, { type: 'message', channel_id: 'C0GENERAL', message_ts: '1.000001' }));
    // A Home view forged to carry Alice's follow-up: the button matches its view, the follow-up is not Bob's.
    await press(homePress('U0BOB', { ...bob, blocks: actions(BUTTON_IDS.homeActionDone, alices) }, BUTTON_IDS.homeActionDone, alices));
    // A message's Done button (which anyone may press on a public incident's listing) claimed from a Home view.
    await press(homePress('U0BOB', { ...bob, blocks: actions(BUTTON_IDS.actionDone, alices) }, BUTTON_IDS.actionDone, alices));

    expect(await h.bot.store.actions.get(2, 1)).toMatchObject({ status: 'open', dueDate: '2026-12-21' });
    expect(await h.bot.store.actions.get(1, 2)).toMatchObject({ status: 'open', closedBy: null, dueDate: '2026-12-14' });
    expect(await timelines()).toEqual(before.timelines);
    await expect.poll(() => refusals().length).toBe(before.refusals + 5);
    expect(refusals().slice(-5).join('\n')).not.toMatch(/canary|credentials/);
    expect(published('U0BOB').length).toBe(before.published);
  });

  it('refuses a forged Home button alike for a private follow-up that exists and one that does not', async () => {
    const carol = await openHome('U0CAROL');
    const forge = (value: string) => ({ ...carol, blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: BUTTON_IDS.homeActionDone, text: { type: 'plain_text', text: 'Done' }, value }] }] });
    const refusal = async (value: string) => {
      const before = dm('U0CAROL').length;
      await press(homePress('U0CAROL', forge(value), BUTTON_IDS.homeActionDone, value));
      await expect.poll(() => dm('U0CAROL').length).toBe(before + 1);
      return dm('U0CAROL').at(-1)!;
    };
    // INC-2 is private and Carol is not in it: Bob's #1 exists, #99 does not. Told apart, the answers would say which numbers exist.
    const existing = await refusal('{"incidentId":2,"number":1}');
    const missing = await refusal('{"incidentId":2,"number":99}');
    expect(existing).toContain('nothing was changed');
    expect(missing).toBe(existing);
    expect(missing).not.toMatch(/#1 to|no action item/);
    expect(await h.bot.store.actions.get(2, 1)).toMatchObject({ status: 'open', closedBy: null });
  });
});
