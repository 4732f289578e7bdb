import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

describe('the end of a set-up (purpose, topic, "ready") run again after the purpose was set', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('sets the purpose once, and still sets the topic and tells the declarer once', async () => {
    h = await Harness.start();
    // The topic is set after the purpose: Slack failing it for a moment makes the step run again.
    h.slack.failNext('conversations.setTopic', { kind: 'http', status: 500 }, 1);
    const { replies } = await h.run('declare sev2 Queue backlog');
    const channel = await h.incidentChannel(1);
    expect(h.slack.callsTo('conversations.setPurpose').filter((c) => c.params.channel === channel.id)).toHaveLength(1);
    expect(channel.purpose).toBe('INC-1: Queue backlog');
    expect(channel.topic).not.toBe('');
    expect(replies.filter((r) => r.includes('is ready'))).toHaveLength(1);
  });

  it('sets the purpose again when it is not the incident\'s (the run before stopped short of it)', async () => {
    h = await Harness.start();
    h.slack.failNext('conversations.setPurpose', { kind: 'http', status: 500 }, 1);
    await h.run('declare sev2 Queue backlog');
    const channel = await h.incidentChannel(1);
    expect(channel.purpose).toBe('INC-1: Queue backlog');
  });
});
