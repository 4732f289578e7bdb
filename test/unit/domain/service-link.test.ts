import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/domain/declare.js';
import { DomainError } from '../../../src/domain/errors.js';
import { parseImpactTime } from '../../../src/domain/impact-time.js';
import { recordImpact, setAffectedService } from '../../../src/domain/service-link.js';
import { loadSloCatalog } from '../../../src/slo/catalog.js';
import { DEFAULT_ERROR_BUDGET_POLICY } from '../../../src/slo/policy.js';
import { memoryDeps } from '../../support/memory-store.js';

const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;
const NOW = new Date('2026-09-25T12:00:00Z');

describe('impact times as people say them', () => {
  it.each([
    ['13:23', 'Europe/Paris', '2026-09-25T11:23:00.000Z'],
    ['14:23', 'UTC', '2026-09-24T14:23:00.000Z'], // later than now today: yesterday's
    ['11:05', 'UTC', '2026-09-25T11:05:00.000Z'],
    ['2026-09-25 09:30', 'America/New_York', '2026-09-25T13:30:00.000Z'],
    ['25m ago', 'UTC', '2026-09-25T11:35:00.000Z'],
    ['2h ago', 'UTC', '2026-09-25T10:00:00.000Z'],
    ['1h 30m ago', 'UTC', '2026-09-25T10:30:00.000Z'],
    ['now', 'UTC', '2026-09-25T12:00:00.000Z'],
  ])('%s in %s', (text, zone, expected) => {
    expect(parseImpactTime(text, NOW, zone)?.toISOString()).toBe(expected);
  });

  it.each([
    ['1970-01-01 00:00', 'UTC', '1970-01-01T00:00:00.000Z'],
    // Across the spring-forward gap (Paris, 29 March 2026 02:00-03:00), as the Date constructor did: an hour later.
    ['2026-03-29 02:30', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
  ])('%s in %s, field by field', (text, zone, expected) => {
    expect(parseImpactTime(text, NOW, zone)?.toISOString()).toBe(expected);
  });

  // A year 00-99 was read as 1900-1999 (`0050` stored as 1950); any year before 1970 is a typo.
  it.each(['0050-03-01 10:00', '0099-12-31 23:59', '0000-01-01 00:00', '1969-12-31 23:59'])('refuses the typo %j', (text) => {
    expect(parseImpactTime(text, NOW, 'UTC')).toBeUndefined();
    expect(parseImpactTime(text, NOW, 'Europe/Paris')).toBeUndefined();
  });

  it.each(['25:00', '2026-02-30 10:00', 'yesterday', 'constructor', '', '12:60'])('refuses %j', (text) => {
    expect(parseImpactTime(text, NOW, 'UTC')).toBeUndefined();
  });
});

async function linkedDeps() {
  const deps = memoryDeps();
  const { catalog } = loadSloCatalog(['examples/slo/checkout-api.yaml']);
  const withSlo = { ...deps, slo: { catalog, policy: DEFAULT_ERROR_BUDGET_POLICY } };
  deps.clock.set(NOW);
  const incident = await declareIncident(withSlo, alice, { severity: 'sev2', title: 'Checkout errors' });
  await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-checkout-errors');
  return { deps: withSlo, store: deps.store, clock: deps.clock };
}

describe('linking an incident to a service and its impact window', () => {
  it('sets the service in any case, records it and queues the figures; an unknown one gets the known list', async () => {
    const { deps, store } = await linkedDeps();
    expect((await setAffectedService(deps, alice, 'C1', 'CHECKOUT-API')).service).toBe('checkout-api');
    expect((await store.incidents.get(1))!.service).toBe('checkout-api');
    expect((await store.timeline.list(1)).at(-1)!.text).toBe('Affected service set to checkout-api by <@U0ALICE>');
    expect((await store.outbox.list()).some((j) => j.kind === 'slo.refresh')).toBe(true);
    await expect(setAffectedService(deps, alice, 'C1', 'billing')).rejects.toThrow(/"billing" is not a service with SLOs. Known services: `checkout-api`/);
    await expect(setAffectedService(deps, alice, 'C1', 'checkout-api')).rejects.toThrow(/already linked/);
  });

  it('records impact start and end, refuses the future and an end before the start, changing nothing', async () => {
    const { deps, store, clock } = await linkedDeps();
    await recordImpact(deps, alice, 'C1', 'started', '40m ago');
    expect((await store.incidents.get(1))!.impactStartedAt!.toISOString()).toBe('2026-09-25T11:20:00.000Z');
    await expect(recordImpact(deps, alice, 'C1', 'ended', '50m ago')).rejects.toThrow(DomainError);
    await expect(recordImpact(deps, alice, 'C1', 'ended', '2026-09-26 10:00')).rejects.toThrow(/in the future/);
    await expect(recordImpact(deps, alice, 'C1', 'ended', 'soonish')).rejects.toThrow(/not a time I can read/);
    await expect(recordImpact(deps, alice, 'C1', 'started', '0050-03-01 10:00')).rejects.toThrow(/"0050-03-01 10:00" is not a time I can read: write .*\nUsage: /s);
    expect((await store.incidents.get(1))!.impactStartedAt!.toISOString()).toBe('2026-09-25T11:20:00.000Z');
    clock.advance(10 * 60_000);
    await recordImpact(deps, alice, 'C1', 'ended', '5m ago');
    expect((await store.incidents.get(1))!.impactEndedAt!.toISOString()).toBe('2026-09-25T12:05:00.000Z');
    expect((await store.timeline.list(1)).filter((e) => e.kind === 'impact_changed')).toHaveLength(2);
  });
});
