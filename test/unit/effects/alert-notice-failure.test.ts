import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { defaultAlertRules } from '../../../src/domain/alert-rules.js';
import type { EffectContext } from '../../../src/effects/context.js';
import { reportFailure } from '../../../src/effects/report-failure.js';

/** A notify-only group's notice for a channel of its rule: no incident to tell. */
const JOB = {
  id: 9,
  kind: 'alert.post',
  incidentId: null,
  attempts: 1,
  createdAt: new Date('2026-12-03T15:00:00Z'),
  payload: {
    channel: 'C0PAYMENTS',
    notice: { type: 'alert_notify', groupId: 3, title: '<!channel> disk', alertname: '<!channel>', service: null, firing: 2, generatorUrl: null, runbookUrl: null },
  },
} as unknown as ClaimedJob & { kind: 'alert.post' };

const slackRefusal = (code: string) => Object.assign(new Error(`An API error occurred: ${code}`), { code: 'slack_webapi_platform_error', data: { ok: false, error: code } });

function context(announceChannel: string | null) {
  const posts: { channel: string; text: string }[] = [];
  const ctx = {
    config: { alertmanager: { rules: defaultAlertRules(announceChannel) } },
    store: { incidents: { get: async (id: number) => (id === 1 ? { id: 1, channelId: 'C0INC1' } : undefined) } },
    slack: { post: async (channel: string, text: string) => void posts.push({ channel, text }) },
  } as unknown as EffectContext;
  return { ctx, posts };
}

describe('an alert notice of a notify-only group that Slack refuses', () => {
  it('is told to the announce channel, naming the channel and Slack’s reason, without the alert’s text', async () => {
    const { ctx, posts } = context('C0ANNOUNCE');
    await reportFailure(ctx, JOB, slackRefusal('is_archived'));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('C0ANNOUNCE');
    expect(posts[0]!.text).toContain('Could not post an alert notice in <#C0PAYMENTS> (Slack answered `is_archived`)');
    expect(posts[0]!.text).not.toMatch(/<!/);
  });

  it('is told nowhere without an announce channel', async () => {
    const { ctx, posts } = context(null);
    await reportFailure(ctx, JOB, slackRefusal('channel_not_found'));
    expect(posts).toEqual([]);
  });

  it('in an incident’s channel, says in words what could not be done', async () => {
    const { ctx, posts } = context('C0ANNOUNCE');
    await reportFailure(ctx, { ...JOB, incidentId: 1, payload: { ...JOB.payload, channel: null } } as never, slackRefusal('invalid_blocks'));
    expect(posts).toEqual([{ channel: 'C0INC1', text: expect.stringContaining(':warning: Could not post an alert notice for INC-1 (Slack answered `invalid_blocks`)') }]);
  });
});
