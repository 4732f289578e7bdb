import { and, eq, isNull } from 'drizzle-orm';
import type { PageRecord, PageRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { pages } from './schema.js';

export function pagesRepo(db: Db): SyncRepo<PageRepo> {
  const byKey = (dedupKey: string) => db.select().from(pages).where(eq(pages.dedupKey, dedupKey)).get();
  return {
    requested(incidentId: number, service: string, dedupKey: string, by: string, now: Date): PageRecord {
      return db
        .insert(pages)
        .values({ incidentId, service, dedupKey, requestedBy: by, requestedAt: now })
        .onConflictDoUpdate({ target: pages.dedupKey, set: { requestedBy: by, requestedAt: now, resolvedAt: null } })
        .returning()
        .get();
    },
    forIncident(incidentId: number): PageRecord[] {
      return db.select().from(pages).where(eq(pages.incidentId, incidentId)).orderBy(pages.id).all();
    },
    byDedupKey: byKey,
    delivered(dedupKey: string, jobId: number, at: Date): void {
      db.update(pages).set({ deliveredJobId: jobId, deliveredAt: at, lastError: null }).where(eq(pages.dedupKey, dedupKey)).run();
    },
    failed(dedupKey: string, error: string): void {
      db.update(pages).set({ lastError: error }).where(eq(pages.dedupKey, dedupKey)).run();
    },
    resolved(dedupKey: string, at: Date): void {
      db.update(pages).set({ resolvedAt: at }).where(and(eq(pages.dedupKey, dedupKey), isNull(pages.resolvedAt))).run();
    },
  };
}
