import { describe, expect, it } from 'vitest';
import { AT, declare, later, newIncident } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: incidents', (factory) => {
  const store = storePerTest(factory);

  it('numbers incidents from 1 and hands back what was declared', async () => {
    const first = await declare(store(), { title: 'Checkout errors', severity: 'sev1', isPrivate: true, service: 'checkout-api', originChannelId: 'C0ORIGIN' });
    const second = await declare(store(), { title: 'Search slow', description: 'p99 at 4 s' });

    expect(first).toEqual({
      id: 1,
      title: 'Checkout errors',
      description: null,
      severity: 'sev1',
      status: 'investigating',
      isPrivate: true,
      declaredBy: 'U0ALICE',
      declaredAt: AT,
      resolvedAt: null,
      acknowledgedAt: null,
      resolveSummary: null,
      oncallUserIds: [],
      channelId: null,
      channelName: null,
      headerTs: null,
      service: 'checkout-api',
      impactStartedAt: null,
      impactEndedAt: null,
    });
    expect(second).toMatchObject({ id: 2, title: 'Search slow', description: 'p99 at 4 s', isPrivate: false, service: null });
    expect(await store().incidents.get(1)).toEqual(first);
    expect(await store().incidents.get(3)).toBeUndefined();
  });

  it('skips no number for a declaration that rolled back', async () => {
    await declare(store());
    await expect(
      store().transaction(async (tx) => {
        await tx.incidents.create(newIncident({ title: 'rolled back' }));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await declare(store())).id).toBe(2);
  });

  it('never hands one number to two declarations made at once', async () => {
    const declared = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store().transaction(async (tx) => tx.incidents.create(newIncident({ title: `burst ${i}` })))),
    );
    expect(declared.map((i) => i.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('changes severity and status only from the value the caller saw', async () => {
    const { id } = await declare(store());
    expect(await store().incidents.changeSeverity(id, 'sev2', 'sev1', later(1))).toBe(true);
    // Someone else already moved it: the second click finds sev1, not sev2.
    expect(await store().incidents.changeSeverity(id, 'sev2', 'sev3', later(2))).toBe(false);
    expect(await store().incidents.changeStatus(id, 'investigating', 'identified', later(3))).toBe(true);
    expect(await store().incidents.changeStatus(id, 'investigating', 'monitoring', later(4))).toBe(false);
    expect(await store().incidents.changeSeverity(99, 'sev2', 'sev1', later(5))).toBe(false);
    expect(await store().incidents.get(id)).toMatchObject({ severity: 'sev1', status: 'identified' });
  });

  it('resolves once, reopens only a resolved incident, and lists the open ones', async () => {
    const a = await declare(store(), { title: 'a' });
    const b = await declare(store(), { title: 'b' });
    expect(await store().incidents.markResolved(a.id, later(60_000), 'rolled back the deploy')).toBe(true);
    expect(await store().incidents.markResolved(a.id, later(120_000), 'again')).toBe(false);
    expect(await store().incidents.get(a.id)).toMatchObject({ status: 'resolved', resolvedAt: later(60_000), resolveSummary: 'rolled back the deploy' });
    expect((await store().incidents.listOpen()).map((i) => i.title)).toEqual(['b']);

    expect(await store().incidents.reopen(b.id, later(1))).toBe(false);
    expect(await store().incidents.reopen(a.id, later(180_000))).toBe(true);
    expect(await store().incidents.reopen(a.id, later(180_001))).toBe(false);
    expect(await store().incidents.get(a.id)).toMatchObject({ status: 'investigating', resolvedAt: null });
    expect((await store().incidents.listOpen()).map((i) => i.title).sort()).toEqual(['a', 'b']);
  });

  it('keeps the first acknowledgement only', async () => {
    const { id } = await declare(store());
    expect(await store().incidents.recordAcknowledged(id, later(30_000))).toBe(true);
    expect(await store().incidents.recordAcknowledged(id, later(45_000))).toBe(false);
    expect((await store().incidents.get(id))?.acknowledgedAt).toEqual(later(30_000));
  });

  it('sets the service only from the one the caller saw, none included', async () => {
    const { id } = await declare(store());
    expect(await store().incidents.setService(id, 'search', 'checkout-api', later(1))).toBe(false);
    expect(await store().incidents.setService(id, null, 'checkout-api', later(1))).toBe(true);
    expect(await store().incidents.setService(id, null, 'search', later(2))).toBe(false);
    expect(await store().incidents.setService(id, 'checkout-api', 'search', later(3))).toBe(true);
    expect((await store().incidents.get(id))?.service).toBe('search');
  });

  it('records when the impact started and ended, each edge on its own', async () => {
    const { id } = await declare(store());
    await store().incidents.setImpact(id, 'started', new Date('2026-11-22T09:41:00.123Z'), later(1));
    expect(await store().incidents.get(id)).toMatchObject({ impactStartedAt: new Date('2026-11-22T09:41:00.123Z'), impactEndedAt: null });
    await store().incidents.setImpact(id, 'ended', new Date('2026-11-22T10:05:00.000Z'), later(2));
    await store().incidents.setImpact(id, 'started', new Date('2026-11-22T09:40:00.000Z'), later(3));
    expect(await store().incidents.get(id)).toMatchObject({
      impactStartedAt: new Date('2026-11-22T09:40:00.000Z'),
      impactEndedAt: new Date('2026-11-22T10:05:00.000Z'),
    });
  });

  it('moves the start of impact back only when the start in force is later, the declaration’s time when none was set', async () => {
    const { id } = await declare(store());
    // Declared at AT with no start of impact: a later time is no earlier start.
    expect(await store().incidents.startImpactBefore(id, later(60_000), later(1))).toBe(false);
    expect(await store().incidents.startImpactBefore(id, AT, later(1))).toBe(false);
    expect(await store().incidents.startImpactBefore(id, later(-600_000), later(2))).toBe(true);
    // Another group moved it to ten minutes before; five minutes before is no earlier.
    expect(await store().incidents.startImpactBefore(id, later(-300_000), later(3))).toBe(false);
    expect(await store().incidents.get(id)).toMatchObject({ impactStartedAt: later(-600_000) });
    expect(await store().incidents.startImpactBefore(id, later(-900_000), later(4))).toBe(true);
    expect(await store().incidents.get(id)).toMatchObject({ impactStartedAt: later(-900_000) });
    expect(await store().incidents.startImpactBefore(99, later(-900_000), later(5))).toBe(false);
  });

  it('keeps the set-up’s progress, finds an incident by its channel, and gives a channel to one incident only', async () => {
    const { id } = await declare(store(), { originChannelId: 'C0ORIGIN' });
    const other = await declare(store());
    expect(await store().incidents.setupProgress(id)).toMatchObject({ channelId: null, channelAttempt: 0, headerTs: null, headerPinned: false, topic: null });

    await store().incidents.recordChannelAttempt(id, 'inc-1-checkout-errors', 1);
    await store().incidents.recordChannel(id, 'C0INC1', 'inc-1-checkout-errors');
    await store().incidents.recordHeader(id, '1764000000.000100');
    expect(await store().incidents.recordHeaderPinned(id)).toBe(true);
    // A second run of the set-up finds the pin recorded: it queues nothing more.
    expect(await store().incidents.recordHeaderPinned(id)).toBe(false);
    await store().incidents.recordTopic(id, 'SEV2 | investigating');
    await store().incidents.recordOncall(id, ['U0ONCALL', 'U0SECOND']);
    expect(await store().incidents.setupProgress(id)).toMatchObject({
      channelId: 'C0INC1',
      channelName: 'inc-1-checkout-errors',
      channelNameTried: 'inc-1-checkout-errors',
      channelAttempt: 1,
      headerTs: '1764000000.000100',
      headerPinned: true,
      originChannelId: 'C0ORIGIN',
      topic: 'SEV2 | investigating',
    });
    expect(await store().incidents.getByChannel('C0INC1')).toMatchObject({ id, channelId: 'C0INC1', headerTs: '1764000000.000100', oncallUserIds: ['U0ONCALL', 'U0SECOND'] });
    expect(await store().incidents.getByChannel('C0ELSEWHERE')).toBeUndefined();
    await expect(store().incidents.recordChannel(other.id, 'C0INC1', 'inc-2')).rejects.toThrow();
  });
});
