import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

describe('Slack refusing the bot token while a declaration is set up', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('makes the channel once Slack accepts the token again, instead of giving the set-up up', async () => {
    h = await Harness.start();
    h.slack.failNext('conversations.create', { kind: 'error', error: 'token_revoked' }, 3);
    await h.run('declare sev2 Queue backlog');
    expect(h.slack.callsTo('conversations.create').map((c) => c.response.error ?? 'ok')).toEqual(['token_revoked', 'token_revoked', 'token_revoked', 'ok']);
    const channel = await h.incidentChannel(1);
    expect(channel.name).toBe('inc-1-queue-backlog');
    expect(channel.messages.filter((m) => m.metadata?.event_type === 'incident_header')).toHaveLength(1);
  });
});
