/**
 * A SQLite database as an earlier release left it: migrated by drizzle's own
 * migrator with the repository's migrations up to, not including, the one
 * whose tag starts with `beforeTag` (`0013_`). A test gives it rows, then
 * opens it as the bot does, which runs the rest.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export function sqliteMigratedBefore(dir: string, beforeTag: string): Database.Database {
  const before = join(dir, 'migrations');
  cpSync('migrations/sqlite', before, { recursive: true });
  const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith(beforeTag));
  if (upTo <= 0) throw new Error(`no migration after the first starts with ${beforeTag}`);
  writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
  const sqlite = new Database(join(dir, 'old.db'));
  migrate(drizzle(sqlite), { migrationsFolder: before });
  return sqlite;
}
