import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';

describe('declaring an incident', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => h.stop());

  it('creates a numbered incident with its channel, roles, pinned header, topic and announcement', async () => {
    const { ack, responseId } = await h.command('declare sev1 Checkout errors spiking', { userId: 'U0ALICE' });
    expect(ack.status).toBe(200);
    await h.settle();

    const channel = await h.incidentChannel(1);
    expect(channel.name).toBe('inc-1-checkout-errors-spiking');
    expect(channel.is_private).toBe(false);
    expect(channel.members).toContain('U0ALICE');
    expect(channel.purpose).toBe('INC-1: Checkout errors spiking');
    expect(channel.topic).toBe('SEV1 | Investigating | IC: <@U0ALICE>');

    const header = channel.messages.find((m) => channel.pins.has(m.ts))!;
    const headerText = JSON.stringify(header.blocks);
    for (const expected of ['INC-1: Checkout errors spiking', 'SEV1', 'Investigating', 'Incident Commander', '<@U0ALICE>', 'Tech Lead', 'Comms Lead', 'Scribe', '/incident status', '<!date^']) {
      expect(headerText).toContain(expected);
    }

    const announcement = h.slack.channels.get('C0ANNOUNCE')!.messages.at(-1)!;
    expect(announcement.text).toContain('INC-1');
    expect(announcement.text).toContain(`<#${channel.id}>`);

    expect(ack.json()).toEqual({ response_type: 'ephemeral', text: ':rotating_light: Declaring a SEV1: Checkout errors spiking. Its channel follows in a moment.' });
    const replies = h.slack.responsesFor(responseId).map((r) => r.text);
    expect(replies).toEqual([`INC-1 is ready: <#${channel.id}>. You are Incident Commander until you hand it over with \`/incident role ic @someone\`.`]);
    expect(h.slack.responsesFor(responseId).every((r) => r.response_type === 'ephemeral')).toBe(true);

    const { replies: timeline } = await h.run('timeline', { channelId: channel.id });
    expect(timeline[0]).toContain('Declared SEV1');
  });

  it('accepts SEV2, 2 and sev3 spellings and numbers incidents in order', async () => {
    await h.run('declare SEV2 First');
    await h.run('declare 3 Second');
    await h.run('declare sev1 Third');
    expect((await h.bot.store.incidents.get(1))!.severity).toBe('sev2');
    expect((await h.bot.store.incidents.get(2))!.severity).toBe('sev3');
    expect((await h.bot.store.incidents.get(3))!.severity).toBe('sev1');
    expect((await h.incidentChannel(3)).name).toBe('inc-3-third');
  });

  it('adds a suffix when Slack answers name_taken', async () => {
    h.slack.addChannel('C0TAKEN', 'inc-1-db-down', false, 'U0BOB', ['U0BOB']);
    await h.run('declare sev2 DB down');
    expect((await h.incidentChannel(1)).name).toBe('inc-1-db-down-2');
    expect(h.slack.callsTo('conversations.create').map((c) => c.response.error ?? 'ok')).toEqual(['name_taken', 'ok']);
  });

  it('opens the form for /incident alone and declares a private incident from it', async () => {
    const { ack } = await h.command('', { channelId: 'C0GENERAL' });
    expect(ack.status).toBe(200);
    await h.settle();
    const opened = h.slack.views.at(-1)!.view as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(opened.callback_id).toBe(CALLBACK_IDS.declareModal);
    expect(opened.blocks.map((b) => b.block_id)).toEqual([BLOCK_IDS.title, BLOCK_IDS.severity, BLOCK_IDS.description, BLOCK_IDS.privacy]);

    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: 'Payroll export leaking' } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev1', text: { type: 'plain_text', text: 'SEV1' } } } },
      [BLOCK_IDS.description]: { [ACTION_IDS.description]: { type: 'plain_text_input', value: 'Salary files visible to all staff' } },
      [BLOCK_IDS.privacy]: { [ACTION_IDS.privacy]: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
    };
    const res = await h.interact(interactivityBody(viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values, opened.private_metadata)));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await h.settle();

    const incident = (await h.bot.store.incidents.get(1))!;
    expect(incident).toMatchObject({ title: 'Payroll export leaking', severity: 'sev1', isPrivate: true, declaredBy: 'U0CAROL', description: 'Salary files visible to all staff' });
    const channel = await h.incidentChannel(1);
    expect(channel.is_private).toBe(true);
    expect(channel.members).toContain('U0CAROL');
    expect(JSON.stringify(channel.messages[0]!.blocks)).toContain('Salary files visible to all staff');
    // No response_url from a form, and the bot is not in #general: the declarer hears back by DM.
    expect(h.slack.channels.get('D0CAROL')!.messages.map((m) => m.text).join()).toContain('INC-1 is ready');
  });

  it('answers form errors in the form and declares nothing', async () => {
    const values = {
      [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: '   ' } },
      [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: null } },
    };
    const res = await h.interact(interactivityBody(viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values, '{"originChannelId":null}')));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_action: 'errors', errors: { title: 'The incident needs a title.', severity: 'Choose a severity.' } });
    await h.settle();
    expect(await h.bot.store.incidents.listOpen()).toHaveLength(0);
  });

  it('never shares a number or a channel between concurrent declarations', async () => {
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => h.command(`declare sev3 Same title ${i % 2}`, { userId: i % 2 ? 'U0BOB' : 'U0ALICE' })));
    expect(acks.every((a) => a.ack.status === 200)).toBe(true);
    await h.settle();
    const incidents = await h.bot.store.incidents.listOpen();
    expect(incidents.map((i) => i.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const channelIds = new Set(incidents.map((i) => i.channelId));
    expect(channelIds.size).toBe(20);
    expect(h.slack.callsTo('conversations.create').filter((c) => c.response.ok)).toHaveLength(20);
  });
});
