import { and, asc, eq, sql } from 'drizzle-orm';
import type { Incident } from '../../domain/model.js';
import type { SloFigures, StoredSloFigures } from '../../domain/slo-figures.js';
import type { sloFiguresRepo as sqliteSloFiguresRepo, thresholdPostsRepo as sqliteThresholdPostsRepo } from '../slo-figures.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { incidents, sloFigures, sloThresholdPosts } from './schema.js';
import { impactReaches } from '../impact-conditions.js';
import { toIncident } from '../rows.js';

/** The SLO figures of each incident on PostgreSQL: the same answers as ../slo-figures.repo.ts. */
export function sloFiguresRepo(db: PgExecutor) {
  return {
    async save(incidentId: number, figures: SloFigures, computedAt: Date, final: boolean): Promise<void> {
      await db
        .insert(sloFigures)
        .values({ incidentId, sloId: figures.sloId, figures, computedAt, final })
        .onConflictDoUpdate({ target: [sloFigures.incidentId, sloFigures.sloId], set: { figures, computedAt, final } });
    },
    async forIncident(incidentId: number): Promise<StoredSloFigures[]> {
      // By SLO id, bytewise: the order SQLite reads them in from its (incident, SLO) index.
      const rows = await db
        .select()
        .from(sloFigures)
        .where(eq(sloFigures.incidentId, incidentId))
        .orderBy(sql`${sloFigures.sloId} COLLATE "C"`);
      return rows.map((r) => ({ figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    /** Every incident's figures for one SLO: what `/incident slo` and the estimate of a window add up. */
    async forSlo(sloId: string): Promise<(StoredSloFigures & { readonly incidentId: number })[]> {
      const rows = await db.select().from(sloFigures).where(eq(sloFigures.sloId, sloId)).orderBy(asc(sloFigures.incidentId));
      return rows.map((r) => ({ incidentId: r.incidentId, figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    async inWindow(sloId: string, since: Date): Promise<(StoredSloFigures & { readonly incident: Incident })[]> {
      const rows = await db
        .select()
        .from(sloFigures)
        .innerJoin(incidents, eq(incidents.id, sloFigures.incidentId))
        .where(and(eq(sloFigures.sloId, sloId), impactReaches(incidents, since)))
        .orderBy(asc(sloFigures.incidentId));
      return rows.map(({ slo_figures: r, incidents: i }) => ({ incident: toIncident(i), figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    /** Incidents whose final figures have a part missing (Prometheus was down at resolve): to compute again. */
    async finalWithMissing(): Promise<number[]> {
      const rows = await db
        .selectDistinct({ incidentId: sloFigures.incidentId })
        .from(sloFigures)
        .where(
          and(
            eq(sloFigures.final, true),
            sql`(${sloFigures.figures} -> 'incident' ->> 'kind' = 'missing' OR ${sloFigures.figures} -> 'status' ->> 'kind' = 'missing')`,
          ),
        )
        .orderBy(asc(sloFigures.incidentId));
      return rows.map((r) => r.incidentId);
    },
    /** Drops an incident's figures for an SLO no longer linked (its service changed). */
    async remove(incidentId: number, sloId: string): Promise<void> {
      await db.delete(sloFigures).where(and(eq(sloFigures.incidentId, incidentId), eq(sloFigures.sloId, sloId)));
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteSloFiguresRepo>>;
}

/** Which policy thresholds were posted, on PostgreSQL: the unique index makes a second claim, from any replica, a no-op. */
export function thresholdPostsRepo(db: PgExecutor) {
  return {
    async claim(sloId: string, period: number, thresholdBp: number, incidentId: number | null, now: Date): Promise<boolean> {
      const result = await db.insert(sloThresholdPosts).values({ sloId, period, thresholdBp, incidentId, postedAt: now }).onConflictDoNothing();
      return result.rowCount === 1;
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteThresholdPostsRepo>>;
}
