import { eq, sql } from 'drizzle-orm';
import type { postmortemsRepo as sqlitePostmortemsRepo } from '../postmortems.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { postmortems } from './schema.js';

/** Postmortem drafts on PostgreSQL: the same answers as ../postmortems.repo.ts. */
export function postmortemsRepo(db: PgExecutor) {
  return {
    async saveDraft(incidentId: number, markdown: string, now: Date): Promise<number> {
      // One upsert: two drafts saved at once get two versions, never the same one.
      const [row] = await db
        .insert(postmortems)
        .values({ incidentId, markdown, renderedAt: now })
        .onConflictDoUpdate({ target: postmortems.incidentId, set: { markdown, renderedAt: now, version: sql`${postmortems.version} + 1` } })
        .returning({ version: postmortems.version });
      return row!.version;
    },
    async get(incidentId: number) {
      const [row] = await db.select().from(postmortems).where(eq(postmortems.incidentId, incidentId)).limit(1);
      return row;
    },
    /** The canvas now holds `version`: written at its creation, or replaced on request. */
    async recordCanvas(incidentId: number, canvasId: string, version: number): Promise<void> {
      await db.update(postmortems).set({ canvasId, publishedVersion: version, canvasVersion: version }).where(eq(postmortems.incidentId, incidentId));
    },
    async recordFile(incidentId: number, fileId: string, version: number): Promise<void> {
      await db.update(postmortems).set({ fileId, publishedVersion: version }).where(eq(postmortems.incidentId, incidentId));
    },
  } satisfies AsyncRepo<ReturnType<typeof sqlitePostmortemsRepo>>;
}
