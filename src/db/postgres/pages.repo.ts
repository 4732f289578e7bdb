import { and, asc, eq, isNull } from 'drizzle-orm';
import type { PageRecord } from '../../domain/ports.js';
import type { pagesRepo as sqlitePagesRepo } from '../pages.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { pages } from './schema.js';

/** Pages on PostgreSQL: the same answers as ../pages.repo.ts. */
export function pagesRepo(db: PgExecutor) {
  return {
    async requested(incidentId: number, service: string, dedupKey: string, by: string, now: Date): Promise<PageRecord> {
      // One upsert: two replicas paging one key at once make one row.
      const [row] = await db
        .insert(pages)
        .values({ incidentId, service, dedupKey, requestedBy: by, requestedAt: now })
        .onConflictDoUpdate({ target: pages.dedupKey, set: { requestedBy: by, requestedAt: now, resolvedAt: null } })
        .returning();
      return row!;
    },
    forIncident(incidentId: number): Promise<PageRecord[]> {
      return db.select().from(pages).where(eq(pages.incidentId, incidentId)).orderBy(asc(pages.id));
    },
    async byDedupKey(dedupKey: string): Promise<PageRecord | undefined> {
      const [row] = await db.select().from(pages).where(eq(pages.dedupKey, dedupKey)).limit(1);
      return row;
    },
    async delivered(dedupKey: string, jobId: number, at: Date): Promise<void> {
      await db.update(pages).set({ deliveredJobId: jobId, deliveredAt: at, lastError: null }).where(eq(pages.dedupKey, dedupKey));
    },
    async failed(dedupKey: string, error: string): Promise<void> {
      await db.update(pages).set({ lastError: error }).where(eq(pages.dedupKey, dedupKey));
    },
    async resolved(dedupKey: string, at: Date): Promise<void> {
      await db.update(pages).set({ resolvedAt: at }).where(and(eq(pages.dedupKey, dedupKey), isNull(pages.resolvedAt)));
    },
  } satisfies AsyncRepo<ReturnType<typeof sqlitePagesRepo>>;
}
