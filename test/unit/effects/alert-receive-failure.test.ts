import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { defaultAlertRules } from '../../../src/domain/alert-rules.js';
import { DomainError } from '../../../src/domain/errors.js';
import { applyAlerts } from '../../../src/effects/apply-alerts.js';
import type { EffectContext } from '../../../src/effects/context.js';
import { isTransient, PermanentFailure } from '../../../src/effects/failures.js';
import { reportFailure } from '../../../src/effects/report-failure.js';

/** A recorded notification of one firing and one resolved alert, as the webhook stores it. */
const JOB = {
  id: 7,
  kind: 'alert.receive',
  incidentId: null,
  attempts: 1,
  createdAt: new Date('2026-12-03T15:00:00Z'),
  payload: {
    receivedAt: '2026-12-03T15:00:00.000Z',
    notification: {
      groupKey: '{}:{alertname="X"}',
      status: 'firing',
      commonLabels: {},
      alerts: [
        { status: 'firing', labels: { alertname: '<!channel>' }, annotations: {}, startsAt: '2026-12-03T14:59:00.000Z', endsAt: null, generatorUrl: null, fingerprint: 'a' },
        { status: 'resolved', labels: { alertname: 'X' }, annotations: {}, startsAt: '2026-12-03T14:50:00.000Z', endsAt: '2026-12-03T14:58:00.000Z', generatorUrl: null, fingerprint: 'b' },
      ],
    },
  },
} as unknown as ClaimedJob & { kind: 'alert.receive' };

function context(announceChannel: string | null, transaction: () => Promise<never> = async () => { throw new Error('unused'); }) {
  const posts: { channel: string; text: string }[] = [];
  const ctx = {
    config: { alertmanager: { rules: defaultAlertRules(announceChannel) } },
    deps: { repos: { transaction } },
    logger: { info() {} },
    slack: { post: async (channel: string, text: string) => void posts.push({ channel, text }) },
  } as unknown as EffectContext;
  return { ctx, posts };
}

describe('an Alertmanager notification that cannot be applied', () => {
  it('is given up at once when the domain refuses what it says, not retried for an hour', async () => {
    const { ctx } = context('C0ANNOUNCE', async () => { throw new DomainError('INVALID_INPUT', 'The title has no visible character.'); });
    const failure = await applyAlerts(ctx, JOB).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentFailure);
    expect(isTransient(failure)).toBe(false);
    // Anything else (the database locked, a conflict) is still retried.
    const { ctx: locked } = context('C0ANNOUNCE', async () => { throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }); });
    expect(isTransient(await applyAlerts(locked, JOB).catch((e: unknown) => e))).toBe(true);
  });

  it('is told to the announce channel when given up, without the alert’s own text, its reason escaped', async () => {
    const { ctx, posts } = context('C0ANNOUNCE');
    await reportFailure(ctx, JOB, new Error('Failed query: insert … params: <!here>'));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('C0ANNOUNCE');
    expect(posts[0]!.text).toContain('Could not apply a notification from Alertmanager received at 2026-12-03T15:00:00.000Z (2 alerts, 1 firing)');
    expect(posts[0]!.text).not.toMatch(/<!/);
    const { ctx: quiet, posts: none } = context(null);
    await reportFailure(quiet, JOB, new Error('x'));
    expect(none).toEqual([]);
  });
});
