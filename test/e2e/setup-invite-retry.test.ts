import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

describe('a declarer Slack refuses to invite to the new channel (a guest, an account it does not know)', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('still gets the channel its pinned header and topic, and is told they could not be invited', async () => {
    h = await Harness.start();
    // The stand-in answers user_not_found for a user it does not know, as Slack refuses a guest.
    const { replies } = await h.run('declare sev2 Queue backlog', { userId: 'U0GUEST' });
    const channel = await h.incidentChannel(1);
    const headers = channel.messages.filter((m) => m.metadata?.event_type === 'incident_header');
    expect(headers).toHaveLength(1);
    expect(channel.pins.has(headers[0]!.ts)).toBe(true);
    expect(channel.topic).not.toBe('');
    expect(replies.join('\n')).toContain(`Could not invite <@U0GUEST> (Slack answered \`user_not_found\`) to <#${channel.id}> for INC-1`);
    expect(replies.join('\n')).not.toContain('Could not set up the Slack channel');
  });

  it('still stops at a refusal that concerns the channel itself', async () => {
    h = await Harness.start();
    h.slack.failNext('conversations.invite', { kind: 'error', error: 'is_archived' }, 1);
    const { replies } = await h.run('declare sev2 Queue backlog');
    expect(replies.at(-1)).toContain('Could not set up the Slack channel for INC-1 (Slack answered `is_archived`)');
  });
});
