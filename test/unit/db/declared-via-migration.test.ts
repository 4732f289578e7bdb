/**
 * Upgrading a database from before `declared_via`: incidents the alert path
 * declared read as alert, every other as the slash command (the form left no
 * trace then). The database is migrated to 0009 by drizzle's own migrator,
 * given rows, then opened as the bot opens it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

it('reads incidents from before the column as alert when Alertmanager declared them, else as the command', () => {
  dir = mkdtempSync(join(tmpdir(), 'declared-via-'));
  const before = join(dir, 'migrations');
  cpSync('migrations/sqlite', before, { recursive: true });
  const journal = JSON.parse(readFileSync(join(before, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith('0010_'));
  expect(upTo).toBeGreaterThan(0);
  writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));

  const file = join(dir, 'old.db');
  const sqlite = new Database(file);
  migrate(drizzle(sqlite), { migrationsFolder: before });
  const insert = sqlite.prepare(`INSERT INTO incidents (title, severity, status, declared_by, declared_at, updated_at) VALUES (?, 'sev2', 'resolved', ?, 0, 0)`);
  insert.run('From an alert', 'system:alertmanager');
  insert.run('From a person', 'U0ALICE');
  sqlite.close();

  const db = openDatabase(file);
  expect(db.$client.prepare('SELECT title, declared_via AS via FROM incidents ORDER BY id').all()).toEqual([
    { title: 'From an alert', via: 'alert' },
    { title: 'From a person', via: 'command' },
  ]);
  db.$client.close();
});
