import { Gauge, Registry } from 'prom-client';
import type { Store } from '../db/repositories.js';
import type { OutboxBacklog } from '../db/health.repo.js';
import { SEVERITIES } from '../domain/model.js';
import type { Clock } from '../domain/ports.js';
import type { SloDefinition } from '../slo/model.js';
import { READINESS_CHECKS, type ReadinessBody } from '../http/readiness.js';
import { READ_AT_SCRAPE } from './names.js';
import { OUTBOX_KINDS } from './registry.js';

export interface GaugeSources {
  readonly store: Store;
  readonly clock: Clock;
  /** The SLO catalog's SLOs: one budget gauge each. */
  readonly slos: readonly SloDefinition[];
  /** What /readyz would answer now; without it (a test's metrics) no readiness gauges. */
  readonly readiness?: () => Promise<ReadinessBody>;
}

/**
 * The gauges read from the database at each scrape (store.health), in a
 * registry of their own for one bot (the counters' registry is the
 * thread's, see registry.ts). Two small indexed reads and the SLO figures:
 * a scrape does not hold up an acknowledgement. prom-client awaits a
 * collect that answers a promise before it reads the gauge.
 */
export function databaseGauges(sources: GaugeSources): Registry {
  const registry = new Registry();
  const { store, clock } = sources;

  /** Every known kind at 0, so a kind's series does not vanish when its queue empties. */
  const byKind = async (value: (row: OutboxBacklog) => number) => {
    const values = new Map<string, number>(OUTBOX_KINDS.map((k) => [k, 0]));
    for (const row of await store.health.outboxBacklog()) values.set(row.kind, value(row));
    return values;
  };

  new Gauge({
    ...READ_AT_SCRAPE.outboxPending,
    registers: [registry],
    async collect() {
      const values = await byKind((row) => row.n);
      this.reset();
      for (const [kind, n] of values) this.set({ kind }, n);
    },
  });
  new Gauge({
    ...READ_AT_SCRAPE.outboxOldestPendingAge,
    registers: [registry],
    async collect() {
      const now = clock.now().getTime();
      const values = await byKind((row) => Math.max(0, (now - row.oldest.getTime()) / 1000));
      this.reset();
      for (const [kind, age] of values) this.set({ kind }, age);
    },
  });
  new Gauge({
    ...READ_AT_SCRAPE.incidentsOpen,
    registers: [registry],
    async collect() {
      const counts = new Map((await store.health.openIncidentsBySeverity()).map((row) => [row.severity, row.n]));
      for (const severity of SEVERITIES) this.set({ severity }, counts.get(severity) ?? 0);
    },
  });
  new Gauge({
    ...READ_AT_SCRAPE.sloBudgetConsumed,
    registers: [registry],
    async collect() {
      const now = clock.now();
      for (const slo of sources.slos) this.set({ service: slo.service, slo: slo.name }, await consumedInWindow(store, slo, now));
    },
  });
  if (sources.readiness) readinessGauges(registry, sources.readiness);
  return registry;
}

/**
 * This replica's readiness, as /readyz would answer at the scrape: `up` stays
 * 1 while a revoked token, a closed socket or a read-only database keeps the
 * bot from its job, so the alert on the bot itself needs these. One run of
 * the checks feeds both gauges.
 */
function readinessGauges(registry: Registry, report: () => Promise<ReadinessBody>): void {
  let latest: Promise<ReadinessBody> | undefined;
  // Both gauges collect in one scrape: the checks run once for it, not twice.
  const once = () => (latest ??= report().finally(() => setImmediate(() => (latest = undefined))));
  new Gauge({
    ...READ_AT_SCRAPE.ready,
    registers: [registry],
    async collect() {
      this.set((await once()).status === 'ready' ? 1 : 0);
    },
  });
  new Gauge({
    ...READ_AT_SCRAPE.readinessCheckOk,
    registers: [registry],
    async collect() {
      const { checks } = await once();
      for (const check of READINESS_CHECKS) this.set({ check }, checks[check] === 'ok' || checks[check] === 'off' ? 1 : 0);
    },
  });
}

/**
 * What incidents consumed of an SLO's budget in its current window, from
 * their recorded figures: as `/incident slo` counts them, an incident whose
 * impact ended within the window (or goes on) counts whole. A figure that is
 * missing (Prometheus was down) adds nothing until it is computed.
 */
export async function consumedInWindow(store: Pick<Store, 'sloFigures'>, slo: SloDefinition, now: Date): Promise<number> {
  let consumed = 0;
  for (const { figures } of await store.sloFigures.inWindow(slo.id, new Date(now.getTime() - slo.window.ms))) {
    if (figures.incident.kind !== 'missing') consumed += figures.incident.consumed;
  }
  return consumed;
}
