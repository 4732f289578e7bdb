import { inArray, sql } from 'drizzle-orm';
import type { NameRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { people } from './schema.js';

export function namesRepo(db: Db): SyncRepo<NameRepo> {
  // Upsert that writes only when the name changed: `changes` says whether it did.
  const upsert = db
    .insert(people)
    .values({ userId: sql.placeholder('userId'), name: sql.placeholder('name'), seenAt: sql.placeholder('now') })
    .onConflictDoUpdate({
      target: people.userId,
      set: { name: sql`excluded.name`, seenAt: sql`excluded.seen_at` },
      setWhere: sql`${people.name} IS NOT excluded.name`,
    })
    .prepare();
  return {
    remember(userId: string, name: string, now: Date): boolean {
      // The insert's values map the Date to milliseconds; the update reuses them through `excluded`.
      return upsert.run({ userId, name, now }).changes === 1;
    },
    namesOf(userIds: readonly string[]): Map<string, string> {
      if (userIds.length === 0) return new Map();
      const rows = db.select({ userId: people.userId, name: people.name }).from(people).where(inArray(people.userId, [...userIds])).all();
      return new Map(rows.map((r) => [r.userId, r.name]));
    },
  };
}
