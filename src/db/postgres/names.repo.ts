import { inArray, sql } from 'drizzle-orm';
import type { namesRepo as sqliteNamesRepo } from '../names.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { people } from './schema.js';

/** People's names on PostgreSQL: the same answers as ../names.repo.ts. */
export function namesRepo(db: PgExecutor) {
  return {
    async remember(userId: string, name: string, now: Date): Promise<boolean> {
      // An upsert that writes only when the name changed: the row count says whether it did.
      const result = await db
        .insert(people)
        .values({ userId, name, seenAt: now })
        .onConflictDoUpdate({
          target: people.userId,
          set: { name: sql`excluded.name`, seenAt: sql`excluded.seen_at` },
          setWhere: sql`${people.name} IS DISTINCT FROM excluded.name`,
        });
      return result.rowCount === 1;
    },
    async namesOf(userIds: readonly string[]): Promise<Map<string, string>> {
      if (userIds.length === 0) return new Map();
      const rows = await db.select({ userId: people.userId, name: people.name }).from(people).where(inArray(people.userId, [...userIds]));
      return new Map(rows.map((r) => [r.userId, r.name]));
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteNamesRepo>>;
}
