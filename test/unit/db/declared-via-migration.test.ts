/**
 * Upgrading a database from before `declared_via`: incidents the alert path
 * declared read as alert, every other as the slash command (the form left no
 * trace then). The database is migrated to 0009 by drizzle's own migrator,
 * given rows, then opened as the bot opens it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { sqliteMigratedBefore } from '../../support/sqlite-migrated-before.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

it('reads incidents from before the column as alert when Alertmanager declared them, else as the command', () => {
  dir = mkdtempSync(join(tmpdir(), 'declared-via-'));
  const sqlite = sqliteMigratedBefore(dir, '0010_');
  const file = sqlite.name;
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
