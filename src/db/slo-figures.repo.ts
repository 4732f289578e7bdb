import { and, eq } from 'drizzle-orm';
import type { SloFigureRepo, SloFigures, StoredSloFigures, ThresholdPostRepo } from '../domain/slo-figures.js';
import type { Db } from './client.js';
import { sloFigures, sloThresholdPosts } from './schema.js';

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
        .all()
        .map((r) => ({ figures: r.figures as SloFigures, computedAt: r.computedAt, final: r.final }));
    },
    /** Drops an incident's figures for an SLO no longer linked (its service changed). */
    remove(incidentId: number, sloId: string): void {
      db.delete(sloFigures).where(and(eq(sloFigures.incidentId, incidentId), eq(sloFigures.sloId, sloId))).run();
    },
  } satisfies SloFigureRepo & Record<string, unknown>;
}

/** Which policy thresholds were posted: the unique index makes a second claim a no-op. */
export function thresholdPostsRepo(db: Db) {
  return {
    claim(sloId: string, period: number, thresholdBp: number, incidentId: number | null, now: Date): boolean {
      return db.insert(sloThresholdPosts).values({ sloId, period, thresholdBp, incidentId, postedAt: now }).onConflictDoNothing().run().changes === 1;
    },
  } satisfies ThresholdPostRepo;
}
