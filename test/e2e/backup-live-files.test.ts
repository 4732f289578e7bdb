import { execFile } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';

// SQLite-only, whatever STORE says: npm run backup copies a SQLite file.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm run backup -- ...args` in a process of its own, as an operator runs it. */
function backup(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/**
 * --force moves the copy over the file named: named the live database by
 * another path, or its WAL, that would put the backup where the bot's own
 * files are while it writes to them.
 */
describe('npm run backup never writes over the live database under another name', () => {
  let dir: string;
  let live: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'incident-bot-backup-'));
    mkdirSync(join(dir, 'data'));
    // The operator's path to the data goes through a link (a mounted volume, /srv/bot/data → /mnt/disk).
    symlinkSync(join(dir, 'data'), join(dir, 'linked'));
    live = join(dir, 'data', 'incidents.db');
    // The bot's connection stays open with a commit in the WAL, as while it runs.
    db = openDatabase(live);
    db.$client.exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('written by the bot', 1)");
  });
  afterEach(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The file as it was, and the commit the WAL holds still there once the live connection reads it. */
  function expectUntouched(before: { db: Buffer; wal: Buffer }): void {
    expect(readFileSync(live).equals(before.db)).toBe(true);
    expect(readFileSync(`${live}-wal`).equals(before.wal)).toBe(true);
    expect(db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations WHERE hash = 'written by the bot'").get()).toEqual({ n: 1 });
  }
  const snapshot = () => ({ db: readFileSync(live), wal: readFileSync(`${live}-wal`) });

  it('refuses the database reached through a linked folder, even with --force', async () => {
    const before = snapshot();
    const run = await backup(live, join(dir, 'linked', 'incidents.db'), '--force');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'The backup cannot be the database itself: name another file.\n' });
    expectUntouched(before);
  });

  it('refuses a hard link to the database, even with --force', async () => {
    const other = join(dir, 'incidents-link.db');
    linkSync(live, other);
    const before = snapshot();
    const run = await backup(live, other, '--force');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'The backup cannot be the database itself: name another file.\n' });
    expectUntouched(before);
  });

  it('refuses the database\'s -wal and -shm files, even with --force', async () => {
    const before = snapshot();
    for (const suffix of ['-wal', '-shm']) {
      const target = join(dir, 'linked', `incidents.db${suffix}`);
      const run = await backup(live, target, '--force');
      expect(run).toEqual({ code: 2, stdout: '', stderr: `${target} is the live database's ${suffix} file: name another file.\n` });
    }
    expectUntouched(before);
  });

  it('still writes a backup beside the database through the linked folder', async () => {
    const target = join(dir, 'linked', 'backup.db');
    const run = await backup(live, target);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
