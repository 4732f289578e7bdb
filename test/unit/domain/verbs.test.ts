import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/domain/declare.js';
import { DomainError } from '../../../src/domain/errors.js';
import { assignRole } from '../../../src/domain/roles.js';
import { changeSeverity } from '../../../src/domain/severity.js';
import { postStatusUpdate } from '../../../src/domain/status.js';
import { recordReactionChange, reconcilePinnedMessage } from '../../../src/domain/timeline.js';
import { memoryDeps } from '../../support/memory-store.js';

const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;

async function declared() {
  const deps = memoryDeps();
  const incident = await declareIncident(deps, alice, { severity: 'sev2', title: 'Search slow' });
  await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-search-slow');
  return { deps, incident };
}

describe('domain verbs on a real database', () => {
  it('declares with the declarer as IC, a timeline entry and queued Slack work, in one transaction', async () => {
    const { deps, incident } = await declared();
    expect(incident).toMatchObject({ id: 1, status: 'investigating', severity: 'sev2', declaredBy: 'U0ALICE' });
    expect(await deps.store.roles.current(1)).toEqual([{ role: 'ic', userId: 'U0ALICE', assignedAt: deps.clock.now() }]);
    expect((await deps.store.timeline.list(1)).map((e) => e.kind)).toEqual(['declared']);
    // Set-up, the announcement, and (paging off, SEV2 pages) the channel told it was not paged.
    expect((await deps.store.outbox.list()).map((j) => `${j.kind}${j.kind === 'slack.post' ? `:${(j.payload as { notice: { type: string } }).notice.type}` : ''}`)).toEqual([
      'incident.setup',
      'slack.post:declared',
      'slack.post:not_paged',
    ]);
  });

  it('rolls everything back when a verb refuses', async () => {
    const { deps } = await declared();
    const before = (await deps.store.outbox.list()).length;
    await expect(changeSeverity(deps, alice, 'C1', 'sev2')).rejects.toThrow(DomainError);
    expect(await deps.store.outbox.list()).toHaveLength(before);
    expect(await deps.store.timeline.list(1)).toHaveLength(1);
  });

  it('hands a role over and keeps the history', async () => {
    const { deps } = await declared();
    deps.clock.advance(60_000);
    const change = await assignRole(deps, alice, 'C1', 'ic', 'U0BOB');
    expect(change).toMatchObject({ from: 'U0ALICE', to: 'U0BOB' });
    expect((await deps.store.roles.current(1)).map((h) => h.userId)).toEqual(['U0BOB']);
    await expect(assignRole(deps, alice, 'C1', 'ic', 'U0BOB')).rejects.toThrow(/already Incident Commander/);
  });

  it('coalesces header syncs that are still waiting', async () => {
    const { deps } = await declared();
    await postStatusUpdate(deps, alice, 'C1', 'identified', 'x');
    await postStatusUpdate(deps, alice, 'C1', 'monitoring', 'y');
    expect((await deps.store.outbox.list()).filter((j) => j.kind === 'incident.sync')).toHaveLength(1);
  });

  it('refuses changes to a resolved incident', async () => {
    const { deps } = await declared();
    await deps.store.incidents.changeStatus(1, 'investigating', 'resolved', deps.clock.now());
    await expect(postStatusUpdate(deps, alice, 'C1', 'identified', '')).rejects.toThrow(/resolved. Reopen it first/);
    await expect(assignRole(deps, alice, 'C1', 'tech', 'U0BOB')).rejects.toThrow(/Reopen/);
  });

  it('queues one reconcile per reaction event id, and reconciles to what Slack says', async () => {
    const { deps } = await declared();
    const event = { eventId: 'Ev1', channelId: 'C1', messageTs: '100.000001', reaction: 'pushpin' };
    expect(await recordReactionChange(deps, 'pushpin', event)).toBe('queued');
    expect(await recordReactionChange(deps, 'pushpin', event)).toBe('duplicate');
    expect(await recordReactionChange(deps, 'pushpin', { ...event, eventId: 'Ev2', reaction: 'tada' })).toBe('ignored');
    expect(await recordReactionChange(deps, 'pushpin', { ...event, eventId: 'Ev3', channelId: 'C9' })).toBe('ignored');

    const message = { userId: 'U0BOB', text: 'cause found', postedAt: new Date(100_000), permalink: 'https://p' };
    expect(await reconcilePinnedMessage(deps, 1, '100.000001', message, 2)).toBe('added');
    expect(await reconcilePinnedMessage(deps, 1, '100.000001', message, 1)).toBe('ignored');
    expect(await reconcilePinnedMessage(deps, 1, '100.000001', { ...message, text: 'edited' }, 1)).toBe('updated');
    expect(await reconcilePinnedMessage(deps, 1, '100.000001', message, 0)).toBe('removed');
    expect(await reconcilePinnedMessage(deps, 1, '100.000001', undefined, 0)).toBe('ignored');
  });
});
