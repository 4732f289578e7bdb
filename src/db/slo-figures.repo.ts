import { and, asc, eq, sql } from 'drizzle-orm';
import type { Incident } from '../domain/model.js';
import type { SloFigureRepo, SloFigures, StoredSloFigures, ThresholdPostRepo } from '../domain/slo-figures.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { incidents, sloFigures, sloThresholdPosts } from './schema.js';
import { impactReaches } from './impact-conditions.js';
import { toIncident } from './rows.js';

/** The SLO figures of each incident, one row per SLO, replaced at each computation. */
export function sloFiguresRepo(db: Db) {
  return {
    save(incidentId: number, figures: SloFigures, computedAt: Date, final: boolean): void {
      db.insert(sloFigures)
        .values({ incidentId, sloId: figures.sloId, figures, computedAt, final })
        .onConflictDoUpdate({ target: [sloFigures.incidentId, sloFigures.sloId], set: { figures, computedAt, final } })
        .run();
    },
    forIncident(incidentId: number): StoredSloFigures[] {
      return db
        .select()
        .from(sloFigures)
        .where(eq(sloFigures.incidentId, incidentId))
        .orderBy(asc(sloFigures.sloId))
        .all()
        .map((r) => ({ figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    /** Every incident's figures for one SLO: what `/incident slo` and the estimate of a window add up. */
    forSlo(sloId: string): (StoredSloFigures & { readonly incidentId: number })[] {
      return db
        .select()
        .from(sloFigures)
        .where(eq(sloFigures.sloId, sloId))
        // By incident, as on PostgreSQL, not in the order the figures were first saved: equal costs keep this order when listed.
        .orderBy(asc(sloFigures.incidentId))
        .all()
        .map((r) => ({ incidentId: r.incidentId, figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    inWindow(sloId: string, since: Date): (StoredSloFigures & { readonly incident: Incident })[] {
      return db
        .select()
        .from(sloFigures)
        .innerJoin(incidents, eq(incidents.id, sloFigures.incidentId))
        .where(and(eq(sloFigures.sloId, sloId), impactReaches(incidents, since)))
        .orderBy(asc(sloFigures.incidentId))
        .all()
        .map(({ slo_figures: r, incidents: i }) => ({ incident: toIncident(i), figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    /** Incidents whose final figures have a part missing (Prometheus was down at resolve): to compute again. */
    finalWithMissing(): number[] {
      const rows = db
        .selectDistinct({ incidentId: sloFigures.incidentId })
        .from(sloFigures)
        .where(
          and(
            eq(sloFigures.final, true),
            sql`(json_extract(${sloFigures.figures}, '$.incident.kind') = 'missing' OR json_extract(${sloFigures.figures}, '$.status.kind') = 'missing')`,
          ),
        )
        .orderBy(asc(sloFigures.incidentId))
        .all();
      return rows.map((r) => r.incidentId);
    },
    /** Drops an incident's figures for an SLO no longer linked (its service changed). */
    remove(incidentId: number, sloId: string): void {
      db.delete(sloFigures).where(and(eq(sloFigures.incidentId, incidentId), eq(sloFigures.sloId, sloId))).run();
    },
  } satisfies SyncRepo<SloFigureRepo> & Record<string, unknown>;
}

/** Which policy thresholds were posted: the unique index makes a second claim a no-op. */
export function thresholdPostsRepo(db: Db) {
  return {
    claim(sloId: string, period: number, thresholdBp: number, incidentId: number | null, now: Date): boolean {
      return db.insert(sloThresholdPosts).values({ sloId, period, thresholdBp, incidentId, postedAt: now }).onConflictDoNothing().run().changes === 1;
    },
  } satisfies SyncRepo<ThresholdPostRepo>;
}
