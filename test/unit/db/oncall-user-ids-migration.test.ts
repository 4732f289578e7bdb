/**
 * Upgrading a database from before `oncall_user_ids`: an incident whose
 * on-call was recorded in `oncall_user_id` alone still names that person,
 * and one without an on-call names nobody. Migrated to 0012 by drizzle's own
 * migrator, given rows, then opened and read as the bot does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { sqliteMigratedBefore } from '../../support/sqlite-migrated-before.js';
import { createRepositories } from '../../../src/db/repositories.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

it('reads an on-call recorded before the list as a list of one, and records the whole list after', async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncall-user-ids-'));
  const sqlite = sqliteMigratedBefore(dir, '0013_');
  const file = sqlite.name;
  const insert = sqlite.prepare(`INSERT INTO incidents (title, severity, status, declared_by, declared_at, updated_at, oncall_user_id) VALUES (?, 'sev1', 'investigating', 'U0ALICE', 0, 0, ?)`);
  insert.run('Paged', 'U0DAN');
  insert.run('Not paged', null);
  sqlite.close();

  const db = openDatabase(file);
  const store = createRepositories(db);
  expect((await store.incidents.get(1))!.oncallUserIds).toEqual(['U0DAN']);
  expect((await store.incidents.get(2))!.oncallUserIds).toEqual([]);
  await store.incidents.recordOncall(2, ['U0CAROL', 'U0BOB']);
  expect((await store.incidents.get(2))!.oncallUserIds).toEqual(['U0CAROL', 'U0BOB']);
  // The first in the old column too, for a release that reads only it.
  expect(db.$client.prepare('SELECT oncall_user_id AS first FROM incidents WHERE id = 2').get()).toEqual({ first: 'U0CAROL' });
  db.$client.close();
});
