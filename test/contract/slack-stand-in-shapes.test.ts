/**
 * The Slack stand-in must answer as Slack does: every response it gave during
 * a full incident (declare, roles, status, emoji timeline, modal) uses only
 * keys Slack uses, with Slack's JSON types; and the requests the tests send
 * use the fields of Slack's own payload samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { buttonPressBody, eventCallbackBody, slashCommandBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { sampleFor, shapeProblems } from '../support/spec-shapes.js';

describe('Slack stand-in against Slack published shapes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Checkout errors spiking');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('role tech <@U0BOB|bob>', { channelId: channel });
    await h.run('status identified Bad deploy of cart-service', { channelId: channel });
    const message = h.slack.userPosts(channel, 'U0BOB', 'Rolled back cart-service');
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: message.ts }, item_user: 'U0BOB', event_ts: message.ts });
    h.slack.unreact(channel, message.ts, 'U0ALICE', 'pushpin');
    await h.event({ type: 'reaction_removed', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: message.ts }, item_user: 'U0BOB', event_ts: message.ts });
    await h.run('');
    await h.settle();
  });
  afterAll(async () => h.stop());

  it('answered with only real keys and types, for every method that has a sample', () => {
    const checked = new Set<string>();
    for (const call of h.slack.calls) {
      const sample = sampleFor('web-api', call.method);
      if (!sample) continue;
      checked.add(call.method);
      expect(shapeProblems(call.response, sample), call.method).toEqual([]);
    }
    for (const method of ['auth.test', 'conversations.create', 'conversations.invite', 'conversations.setTopic', 'conversations.setPurpose', 'chat.postMessage', 'chat.update', 'pins.add', 'conversations.history', 'chat.getPermalink', 'reactions.get', 'views.open']) {
      expect(checked, `no ${method} call was checked`).toContain(method);
    }
  });

  it('has a checker that catches a wrong key or type', () => {
    const sample = sampleFor('web-api', 'chat.postMessage');
    expect(shapeProblems({ ok: 'yes', ts: '1.2' }, sample)).toEqual(['$.ok: string where Slack has boolean']);
    expect(shapeProblems({ ok: true, timestamp: '1.2' }, sample)).toEqual(['$.timestamp: key Slack never sends']);
  });

  it('sends requests shaped like Slack payload samples', () => {
    const command = Object.fromEntries(new URLSearchParams(slashCommandBody({ text: 'help', responseUrl: 'http://x' })));
    const sample = sampleFor('payloads', 'SlashCommandPayload') as Record<string, unknown>;
    expect(Object.keys(command).sort()).toEqual(Object.keys(sample).sort());
    const event = JSON.parse(eventCallbackBody({ type: 'reaction_added', user: 'U1', reaction: 'pushpin', item: { type: 'message', channel: 'C1', ts: '1.000001' }, item_user: 'U2', event_ts: '1.000001' }).body);
    const eventProblems = shapeProblems(event, sampleFor('payloads', 'ReactionAddedPayload')).filter((p) => !p.includes('null where'));
    expect(eventProblems).toEqual([]);
    const press = JSON.parse(new URLSearchParams(buttonPressBody({ userId: 'U1', actionId: 'a', value: '{}', channelId: 'C1', messageTs: '1.000001', responseUrl: 'http://x' })).get('payload')!);
    expect(shapeProblems(press, sampleFor('payloads', 'BlockActionPayload'))).toEqual([]);
    const submission = viewSubmissionPayload('U1', 'cb', {}, '{}');
    expect(shapeProblems(submission, sampleFor('payloads', 'ViewSubmissionPayload'))).toEqual([]);
  });
});
