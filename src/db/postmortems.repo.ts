import { eq, sql } from 'drizzle-orm';
import type { PostmortemRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { postmortems } from './schema.js';

export function postmortemsRepo(db: Db) {
  return {
    saveDraft(incidentId: number, markdown: string, now: Date): number {
      const row = db
        .insert(postmortems)
        .values({ incidentId, markdown, renderedAt: now })
        .onConflictDoUpdate({
          target: postmortems.incidentId,
          set: { markdown, renderedAt: now, version: sql`${postmortems.version} + 1` },
        })
        .returning({ version: postmortems.version })
        .get();
      return row.version;
    },
    get(incidentId: number) {
      return db.select().from(postmortems).where(eq(postmortems.incidentId, incidentId)).get();
    },
    /** The canvas now holds `version`: written at its creation, or replaced on request. */
    recordCanvas(incidentId: number, canvasId: string, version: number): void {
      db.update(postmortems).set({ canvasId, publishedVersion: version, canvasVersion: version }).where(eq(postmortems.incidentId, incidentId)).run();
    },
    recordFile(incidentId: number, fileId: string, version: number): void {
      db.update(postmortems).set({ fileId, publishedVersion: version }).where(eq(postmortems.incidentId, incidentId)).run();
    },
  } satisfies SyncRepo<PostmortemRepo> & Record<string, unknown>;
}
