import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { createRepositories } from '../../../src/db/repositories.js';

/**
 * The listeners and the outbox thread each have a connection to one file. A
 * verb's transaction reads, then writes; if the other connection commits in
 * between, a deferred transaction fails (SQLITE_BUSY_SNAPSHOT) where it should
 * simply have gone first.
 */
describe('store transactions with a second connection on the same file', () => {
  let dir: string;
  let db: Db;
  let other: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'incident-tx-'));
    db = openDatabase(join(dir, 'incidents.db'));
    other = new Database(join(dir, 'incidents.db'));
    other.pragma('busy_timeout = 0');
  });

  afterEach(() => {
    other.close();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the write lock from the start, so a read-then-write transaction never meets a newer snapshot', () => {
    const store = createRepositories(db);
    const incident = store.incidents.create({
      title: 'Checkout errors',
      description: null,
      severity: 'sev2',
      service: null,
      isPrivate: false,
      declaredBy: 'U1',
      declaredAt: new Date('2026-11-22T10:00:00Z'),
      originChannelId: null,
    });
    let otherWrite: unknown = 'not tried';

    store.transaction(() => {
      const before = store.incidents.get(incident.id);
      expect(before?.severity).toBe('sev2');
      // The other connection (the outbox thread, say) tries to commit now.
      try {
        other.prepare('UPDATE incidents SET title = ? WHERE id = ?').run('changed meanwhile', incident.id);
        otherWrite = 'committed';
      } catch (error) {
        otherWrite = (error as { code?: string }).code;
      }
      store.incidents.recordTopic(incident.id, 'SEV2 | investigating');
    });

    expect(otherWrite).toBe('SQLITE_BUSY');
    expect(store.incidents.setupProgress(incident.id)?.topic).toBe('SEV2 | investigating');
    expect(store.incidents.get(incident.id)?.title).toBe('Checkout errors');
  });
});
