import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { createRepositories } from '../../../src/db/repositories.js';
import { DATABASE_MIN_FREE_BYTES, databaseWriteCheck, outboxAgeCheck, spokenDuration } from '../../../src/http/readiness-checks.js';
import { FixedClock } from '../../support/fixed-clock.js';

describe('the database check', () => {
  let dir: string;
  let file: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'incident-readiness-'));
    file = join(dir, 'incidents.db');
    db = openDatabase(file);
  });
  afterEach(() => {
    if (db.$client.open) db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes on a writable database and leaves nothing behind: no transaction, the busy timeout as it was', () => {
    const check = databaseWriteCheck(db.$client);
    expect(check()).toEqual({ status: 'ok' });
    expect(db.$client.inTransaction).toBe(false);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('fails while another connection holds the write lock, then passes once it lets go', () => {
    const check = databaseWriteCheck(db.$client, 20);
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    expect(check()).toEqual({ status: 'failing', reason: expect.stringMatching(/^The database cannot be written: another process has held its write lock for over 20 ms \(SQLITE_BUSY\)/) });
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.exec('ROLLBACK');
    other.close();
    expect(check()).toEqual({ status: 'ok' });
  });

  it('fails on a read-only database, where BEGIN IMMEDIATE alone would succeed', () => {
    const readOnly = new Database(file, { readonly: true });
    try {
      expect(databaseWriteCheck(readOnly)()).toEqual({ status: 'failing', reason: expect.stringMatching(/^The database cannot be written: it is read-only \(SQLITE_READONLY\)/) });
      expect(readOnly.inTransaction).toBe(false);
    } finally {
      readOnly.close();
    }
  });

  it('fails while the disk holding the database has less than 16 MiB left, naming the folder, and passes again once room is made', () => {
    let left = DATABASE_MIN_FREE_BYTES;
    const asked: string[] = [];
    const check = databaseWriteCheck(db.$client, 20, (folder) => {
      asked.push(folder);
      return left;
    });
    expect(check()).toEqual({ status: 'ok' });
    left = DATABASE_MIN_FREE_BYTES - 1;
    expect(check()).toEqual({
      status: 'failing',
      reason: `The database cannot be written: the disk holding ${dir} has 15.9 MiB left, under 16.0 MiB (SQLite refuses writes with SQLITE_FULL as it runs out), so commands may not be recorded.`,
    });
    left = 0;
    expect(check()).toEqual({ status: 'failing', reason: expect.stringContaining(`has 0 bytes left`) });
    left = 64 * 1024 * 1024;
    expect(check()).toEqual({ status: 'ok' });
    expect(new Set(asked)).toEqual(new Set([dir]));
  });

  it('fails, saying why, when the room left cannot be read (the folder is gone)', () => {
    const check = databaseWriteCheck(db.$client, 20, () => {
      throw Object.assign(new Error('no such file or directory'), { code: 'ENOENT' });
    });
    expect(check()).toEqual({ status: 'failing', reason: `The database cannot be written: its folder ${dir} cannot be read (ENOENT).` });
  });

  it('never asks about a disk for an in-memory database', () => {
    const memory = openDatabase(':memory:');
    const check = databaseWriteCheck(memory.$client, 20, () => {
      throw new Error('asked');
    });
    expect(check()).toEqual({ status: 'ok' });
    memory.$client.close();
  });

  it('fails once the connection is closed', () => {
    const check = databaseWriteCheck(db.$client);
    db.$client.close();
    expect(check()).toEqual({ status: 'failing', reason: 'The database is closed.' });
  });
});

describe('the outbox check', () => {
  it('fails once the oldest pending or running job is older than the limit, naming its kind and not its incident', async () => {
    const db = openDatabase(':memory:');
    const store = createRepositories(db);
    const clock = new FixedClock();
    const check = outboxAgeCheck(store.health, clock, 60_000);
    expect(await check()).toEqual({ status: 'ok' });
    await store.outbox.enqueue({ kind: 'incident.sync', incidentId: 7, payload: {} }, clock.now());
    clock.advance(60_000);
    expect(await check()).toEqual({ status: 'ok' });
    clock.advance(5_000);
    const [job] = await store.outbox.claim(clock.now(), 60_000, 1);
    expect(await check()).toEqual({
      status: 'failing',
      reason: "The oldest undelivered outbox job (incident.sync) has waited 1 minute 5 seconds, longer than READY_MAX_OUTBOX_AGE (1 minute): Slack or PagerDuty is not taking the bot's work.",
    });
    await store.outbox.complete(job!, clock.now());
    expect(await check()).toEqual({ status: 'ok' });
    db.$client.close();
  });
});

describe('spokenDuration', () => {
  it('says milliseconds under a second, whole seconds above', () => {
    expect([250, 1_000, 1_999, 65_000, 300_000, 3_723_000].map(spokenDuration)).toEqual(['250 ms', '1 second', '1 second', '1 minute 5 seconds', '5 minutes', '1 hour 2 minutes 3 seconds']);
  });
});
