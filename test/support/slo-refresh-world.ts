/**
 * What an `slo.refresh` job runs against in a unit test: the in-memory store
 * at `at`, the checkout SLO in the catalog, `queries` as Prometheus, and one
 * incident of checkout-api declared 30 minutes before `at`.
 */
import type { EffectContext } from '../../src/effects/context.js';
import type { PrometheusQueries } from '../../src/prometheus/port.js';
import { memoryDeps } from './memory-store.js';
import { CHECKOUT_SLO } from './slo-fixtures.js';

export async function sloRefreshWorld(at: Date, queries: PrometheusQueries) {
  const deps = memoryDeps();
  deps.clock.set(at);
  const { store } = deps;
  const ctx = {
    store,
    clock: deps.clock,
    deps: { ...deps, slo: { ...deps.slo, catalog: { slos: [CHECKOUT_SLO] } } },
    prometheus: { queries, server: 'http://prom:9090' },
    config: { slo: { estimates: { sev1: 1, sev2: 0.5, sev3: 0.1 } } },
  } as unknown as EffectContext;
  const incident = await store.incidents.create({
    title: 'Checkout errors',
    description: null,
    severity: 'sev2',
    isPrivate: false,
    declaredBy: 'U1',
    declaredAt: new Date(at.getTime() - 30 * 60_000),
    originChannelId: null,
    service: 'checkout-api',
  });
  return { deps, store, ctx, incident };
}
