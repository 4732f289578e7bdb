import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { interactivityBody, postSigned, slashCommandBody, viewSubmissionPayload } from '../support/signed-requests.js';

/**
 * Slack itself does not retry a slash command, but a proxy or load balancer in
 * front of the replicas may send the same request again (to this replica or
 * another): the command's trigger_id is recorded in the transaction of its
 * change, so the second delivery changes nothing. The same for a submission of
 * the declare form.
 */
describe('a slash command or a form submission delivered twice', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('declares once and notes once; a refused command is refused again', async () => {
    h = await Harness.start();
    const declare = slashCommandBody({ text: 'declare sev2 Checkout errors', triggerId: 'trigger-declare-1', responseUrl: h.slack.responseUrl('r1') });
    const first = await postSigned(`${h.url}/slack/events`, declare, 'application/x-www-form-urlencoded');
    const again = await postSigned(`${h.url}/slack/events`, declare, 'application/x-www-form-urlencoded', { headers: { 'x-slack-retry-num': '1' } });
    expect([first.status, again.status]).toEqual([200, 200]);
    await h.settle();
    expect((await h.bot.store.incidents.listOpen()).map((i) => i.title)).toEqual(['Checkout errors']);

    const channel = (await h.bot.store.incidents.get(1))!.channelId!;
    const note = slashCommandBody({ text: 'note rolled back the deploy', channelId: channel, triggerId: 'trigger-note-1', responseUrl: h.slack.responseUrl('r2') });
    await postSigned(`${h.url}/slack/events`, note, 'application/x-www-form-urlencoded');
    await postSigned(`${h.url}/slack/events`, note, 'application/x-www-form-urlencoded');
    await h.settle();
    const notes = (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'note');
    expect(notes.map((e) => e.text)).toEqual(['rolled back the deploy']);

    // Refused (not in an incident channel): rolled back with its mark, so the second delivery is refused too.
    const refused = slashCommandBody({ text: 'note outside', channelId: 'C0GENERAL', triggerId: 'trigger-refused-1', responseUrl: h.slack.responseUrl('r3') });
    await postSigned(`${h.url}/slack/events`, refused, 'application/x-www-form-urlencoded');
    await postSigned(`${h.url}/slack/events`, refused, 'application/x-www-form-urlencoded');
    await h.settle();
    expect(h.slack.responsesFor('r3').map((r) => String(r.text))).toEqual([expect.stringContaining("incident's channel"), expect.stringContaining("incident's channel")]);
  });

  it('declares once from a declare form whose submission arrives twice; a new submission declares again', async () => {
    h = await Harness.start();
    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: 'Payroll export leaking' } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev2', text: { type: 'plain_text', text: 'SEV2' } } } },
    };
    const submission = (triggerId: string) =>
      interactivityBody({ ...viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values, '{"originChannelId":null}'), trigger_id: triggerId });
    const first = await h.interact(submission('trigger-form-1'));
    const again = await h.interact(submission('trigger-form-1'));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect([first.body, again.body]).toEqual(['', '']);
    await h.settle();
    expect((await h.bot.store.incidents.listOpen()).map((i) => i.title)).toEqual(['Payroll export leaking']);

    await h.interact(submission('trigger-form-2'));
    await h.settle();
    expect((await h.bot.store.incidents.listOpen()).map((i) => i.id).sort()).toEqual([1, 2]);
  });
});
