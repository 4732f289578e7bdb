import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/domain/declare.js';
import { pageOnDemand, resolvePages } from '../../../src/domain/paging.js';
import type { Deps, OutboxJob } from '../../../src/domain/ports.js';
import { changeSeverity } from '../../../src/domain/severity.js';
import { memoryDeps } from '../../support/memory-store.js';

const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;

function pagingDeps(at: string) {
  const deps = memoryDeps();
  deps.clock.set(at);
  return { ...deps, paging: { services: ['default', 'checkout'], pageSeverities: ['sev1', 'sev2'] } } satisfies Deps;
}

type EventPayload = (OutboxJob & { kind: 'pagerduty.event' })['payload'];

/** The dedup keys of the PagerDuty events queued, in order, for one action. */
async function queuedKeys(deps: ReturnType<typeof pagingDeps>, action: EventPayload['action']): Promise<string[]> {
  return (await deps.store.outbox.list())
    .filter((j) => j.kind === 'pagerduty.event')
    .map((j) => j.payload as EventPayload)
    .filter((p) => p.action === action)
    .map((p) => p.dedupKey);
}
const triggerKeys = (deps: ReturnType<typeof pagingDeps>) => queuedKeys(deps, 'trigger');

describe('PagerDuty dedup keys', () => {
  it('differ between two databases whose incident 1 pages the same service (a reset, or two installs)', async () => {
    const before = pagingDeps('2026-11-22T09:00:00Z');
    const after = pagingDeps('2026-11-29T14:30:00Z'); // the database reset a week later: numbering starts again
    for (const deps of [before, after]) {
      const incident = await declareIncident(deps, alice, { severity: 'sev1', title: 'Checkout down' });
      expect(incident.id).toBe(1);
    }
    const [first] = await triggerKeys(before);
    const [second] = await triggerKeys(after);
    expect(first).toMatch(/^incident-1-[0-9a-z]+-default$/);
    expect(second).not.toBe(first);
    // Within one database the key stays put: a re-page is the same PagerDuty incident.
    await before.store.incidents.recordChannel(1, 'C1', 'inc-1');
    await pageOnDemand(before, alice, 'C1', ['Still', 'down']);
    expect(await triggerKeys(before)).toEqual([first, first]);
    expect(await before.store.pages.forIncident(1)).toHaveLength(1);
  });

  it('keeps the key a page was recorded with before the upgrade: no second page, re-pages and the resolve use it', async () => {
    const deps = pagingDeps('2026-11-22T09:00:00Z');
    await declareIncident(deps, alice, { severity: 'sev3', title: 'Checkout slow' });
    await deps.store.incidents.recordChannel(1, 'C1', 'inc-1');
    // What an earlier release recorded for this open incident, and sent PagerDuty.
    await deps.store.pages.requested(1, 'default', 'incident-1-default', 'U0ALICE', deps.clock.now());

    await changeSeverity(deps, alice, 'C1', 'sev1'); // into the paging range: paged before, so not again
    expect(await triggerKeys(deps)).toEqual([]);
    await pageOnDemand(deps, alice, 'C1', ['Wake', 'them']);
    await pageOnDemand(deps, alice, 'C1', ['checkout']);
    const keys = await triggerKeys(deps);
    expect(keys[0]).toBe('incident-1-default');
    expect(keys[1]).toMatch(/^incident-1-[0-9a-z]+-checkout$/);
    expect((await deps.store.pages.forIncident(1)).map((p) => [p.service, p.dedupKey])).toEqual([
      ['default', 'incident-1-default'],
      ['checkout', keys[1]],
    ]);

    await resolvePages(deps, (await deps.store.incidents.get(1))!);
    expect(await queuedKeys(deps, 'resolve')).toEqual(['incident-1-default', keys[1]]);
  });
});
