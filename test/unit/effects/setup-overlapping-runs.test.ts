import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { declareIncident } from '../../../src/domain/declare.js';
import type { OutboxJob } from '../../../src/domain/ports.js';
import type { EffectContext } from '../../../src/effects/context.js';
import { setupIncident } from '../../../src/effects/setup-incident.js';
import type { SlackGateway } from '../../../src/slack/gateway.js';
import { memoryDeps, noteQueuedJobs } from '../../support/memory-store.js';

/**
 * Two runs of one incident's set-up side by side: the first one's lease ran
 * out while Slack held its pin (a slow Slack, a stalled process), and another
 * claim took the job over. Both pin; only one may queue the rest of the set-up,
 * whose end tells the declarer the channel is ready.
 */
describe('two overlapping runs of one set-up', () => {
  it('queue the end of the set-up (purpose, topic, "ready") once', async () => {
    const queued: OutboxJob[] = [];
    const deps = memoryDeps([noteQueuedJobs(queued)]);
    const incident = await declareIncident(deps, { type: 'slack', userId: 'U0ALICE', teamId: 'T0TEST' }, { severity: 'sev2', title: 'Queue backlog' });
    await deps.store.incidents.recordChannel(incident.id, 'C0INC1', 'inc-1-queue-backlog');
    await deps.store.incidents.recordHeader(incident.id, '1700000000.000100');

    let releasePins!: () => void;
    const pinsHeld = new Promise<void>((resolve) => (releasePins = resolve));
    let pinning = 0;
    const slack = {
      invite: async () => undefined,
      pin: async () => {
        pinning += 1;
        await pinsHeld;
      },
    } as unknown as SlackGateway;
    const ctx = { store: deps.store, slack, logger: pino({ level: 'silent' }), clock: deps.clock, deps } as unknown as EffectContext;
    const job = (attempts: number) =>
      ({ id: 1, kind: 'incident.setup', incidentId: incident.id, attempts, createdAt: deps.clock.now(), payload: { responseUrl: null } }) as ClaimedJob & { kind: 'incident.setup' };

    const first = setupIncident(ctx, job(1));
    const second = setupIncident(ctx, job(2));
    await expect.poll(() => pinning).toBe(2);
    releasePins();
    await Promise.all([first, second]);

    expect(queued.filter((j) => j.kind === 'incident.finish-setup')).toHaveLength(1);
    expect((await deps.store.incidents.setupProgress(incident.id))!.headerPinned).toBe(true);
  });
});
