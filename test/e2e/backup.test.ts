import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { sharedWorld } from '../support/shared-world.js';

// SQLite-only, whatever STORE says: npm run backup copies a SQLite file (PostgreSQL has pg_dump).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run backup -- ...args` as a separate process, the way an operator (or cron) runs it. */
function backup(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/backup.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** Titles of the incidents in a database file, read with a connection of our own. */
function titlesIn(file: string): string[] {
  const sqlite = new Database(file, { fileMustExist: true });
  try {
    return sqlite.prepare<[], { title: string }>('SELECT title FROM incidents ORDER BY id').all().map((r) => r.title);
  } catch {
    // No incidents table: the file alone may not even have the migrations (they are in the WAL too).
    return [];
  } finally {
    sqlite.close();
  }
}

describe('npm run backup', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('copies the live database while the bot keeps declaring, and the copy restores', async () => {
    const world = await sharedWorld();
    cleanups.push(() => world.dispose());
    const h = await Harness.start({ store: 'sqlite', slack: world.slack, databaseFile: world.databaseFile });
    cleanups.push(() => h.stop());
    // A reader left open (a report, another tool) keeps checkpoints from moving later commits into
    // the .db file: here it makes sure the incidents are committed in the WAL alone when the copies are taken.
    const reader = new Database(world.databaseFile, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM incidents').get();
    cleanups.push(() => {
      if (reader.open) reader.close();
    });

    const acknowledged: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing; i++) {
        const title = `Checkout errors ${i}`;
        const { ack } = await h.command(`declare sev3 ${title}`);
        if (ack.status === 200) acknowledged.push(title);
      }
    })();
    await expect.poll(() => acknowledged.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(10);
    const before = [...acknowledged];
    // The .db file copied alone, as a file backup would: none of what the WAL holds is in it.
    const fileOnly = join(dirname(world.databaseFile), 'file-only.db');
    copyFileSync(world.databaseFile, fileOnly);
    const target = join(dirname(world.databaseFile), 'backup.db');
    const run = await backup(world.databaseFile, target);
    const during = acknowledged.length - before.length;
    writing = false;
    await writer;

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Backed up ${world.databaseFile} to ${target}: \\d+ (KB|MB), \\d+ pages\\.\\n$`));
    // The bot went on writing while the copy was taken.
    expect(during).toBeGreaterThan(0);
    expect(titlesIn(fileOnly)).toEqual([]);

    const copy = new Database(target, { fileMustExist: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const backedUp = titlesIn(target);
    expect(backedUp).toEqual(expect.arrayContaining(before));
    // A consistent copy is the database as it was at one moment: the first N declarations, none skipped.
    expect(backedUp).toEqual(acknowledged.slice(0, backedUp.length));

    // Restore as the README says: stop the bot, replace the file, remove its -wal and -shm, start.
    reader.close();
    await h.stop();
    copyFileSync(target, world.databaseFile);
    rmSync(`${world.databaseFile}-wal`, { force: true });
    rmSync(`${world.databaseFile}-shm`, { force: true });
    const restored = await Harness.start({ store: 'sqlite', slack: world.slack, databaseFile: world.databaseFile });
    cleanups.push(() => restored.stop());
    expect((await restored.bot.store.incidents.get(backedUp.length))?.title).toBe(backedUp.at(-1));
    expect(await restored.bot.store.incidents.get(backedUp.length + 1)).toBeUndefined();
    // Numbering goes on from the backup (the set-ups it had not finished are the outbox's to resume, after their leases).
    expect((await restored.command('declare sev2 After the restore')).ack.status).toBe(200);
    await expect.poll(async () => (await restored.bot.store.incidents.get(backedUp.length + 1))?.title).toBe('After the restore');
  });

  it('replaces an existing file only with --force', async () => {
    const world = await sharedWorld();
    cleanups.push(() => world.dispose());
    const h = await Harness.start({ store: 'sqlite', slack: world.slack, databaseFile: world.databaseFile });
    cleanups.push(() => h.stop());
    await h.run('declare sev2 Payments slow');
    const target = join(dirname(world.databaseFile), 'backup.db');
    writeFileSync(target, 'an older backup');

    const refused = await backup(world.databaseFile, target);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: `${target} exists: name a new file, or add --force to replace it.\n` });
    expect(readFileSync(target, 'utf8')).toBe('an older backup');

    const forced = await backup(world.databaseFile, target, '--force');
    expect(forced.code).toBe(0);
    expect(titlesIn(target)).toEqual(['Payments slow']);
    // Nothing is left beside it: the partial copy was moved into place.
    expect(readdirSync(dirname(target)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('refuses a PostgreSQL DATABASE_URL, and says so in one line', async () => {
    const run = await backup('postgres://bot@db.internal/incidents', join(ROOT, 'never-written.db'));
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'DATABASE_URL is a PostgreSQL URL: npm run backup copies SQLite databases only (use pg_dump for PostgreSQL).\n' });
    expect(existsSync(join(ROOT, 'never-written.db'))).toBe(false);
  });
});
