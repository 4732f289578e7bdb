/**
 * `npm run backup -- <file> [--force]`: a consistent copy of the bot's SQLite
 * database (DATABASE_URL, read as the bot reads it) with SQLite's online
 * backup, safe while the bot runs and writes. Copying the `.db` file alone is
 * not a backup: in WAL mode, committed pages wait in the `-wal` file until a
 * checkpoint moves them in, so the copy would miss them or be torn.
 *
 * Exit codes: 0 written; 1 failed (no database at DATABASE_URL, an error while
 * copying); 2 refused (no file named, its folder missing, the file exists
 * without --force, the file is the live database or its -wal/-shm under any
 * name, a PostgreSQL or in-memory DATABASE_URL). One line says which: on standard
 * output for success, on standard error otherwise.
 */
import { constants, copyFileSync, existsSync, linkSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadDatabaseConfig } from '../src/config.js';
import { databasePath } from '../src/db/client.js';
import { loadDotEnv } from '../src/env-file.js';

const USAGE = 'Usage: npm run backup -- <file> [--force]   (for example: npm run backup -- backups/incidents-2026-12-04.db)';

/** A reason not to start, with the exit code that says it. */
class Refusal extends Error {
  constructor(message: string, readonly code: 1 | 2 = 2) {
    super(message);
  }
}

/** The database file DATABASE_URL names, or why there is nothing here to back up. */
function sourcePath(url: string): string {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new Refusal('DATABASE_URL is a PostgreSQL URL: npm run backup copies SQLite databases only (use pg_dump for PostgreSQL).');
  }
  const path = databasePath(url);
  if (path === ':memory:') throw new Refusal('DATABASE_URL is an in-memory database: there is no file to back up.');
  if (!existsSync(path)) throw new Refusal(`No database at ${path} (set DATABASE_URL).`, 1);
  return path;
}

/**
 * Which of the live database's files `target` names, if any: the database
 * itself or its -wal, -shm or -journal, under any of their names (a folder
 * reached through a symbolic link, a link to one of them, a hard link).
 * --force renames the copy over the target: over the live file, the bot would
 * go on writing to a file no longer named, and over its -wal, commits only
 * the WAL held would be gone at the next open.
 */
function liveFileNamed(source: string, target: string): string | undefined {
  const real = realpathSync(source);
  const live = new Map([real, `${real}-wal`, `${real}-shm`, `${real}-journal`].map((path) => [path, path.slice(real.length) || 'database']));
  const targetReal = existsSync(target) ? realpathSync(target) : join(realpathSync(dirname(target)), basename(target));
  const byName = live.get(targetReal);
  if (byName || !existsSync(target)) return byName;
  const inode = (s: { dev: number; ino: number }) => `${s.dev}:${s.ino}`;
  const targetInode = inode(statSync(target));
  for (const [path, which] of live) {
    if (existsSync(path) && inode(statSync(path)) === targetInode) return which;
  }
  return undefined;
}

/** Hard links are atomic; a file system without them gets an exclusive copy. */
function placeWithoutReplacing(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  }
}

const size = (bytes: number) => (bytes < 1_048_576 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`);

async function main(): Promise<number> {
  let target: string;
  let force: boolean;
  try {
    const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new Refusal(USAGE);
    target = resolve(positionals[0]!);
    force = values.force;
  } catch (error) {
    process.stderr.write(`${error instanceof Refusal ? error.message : `${(error as Error).message}\n${USAGE}`}\n`);
    return 2;
  }

  loadDotEnv();
  let source: string;
  try {
    source = sourcePath(loadDatabaseConfig().url);
    if (!existsSync(dirname(target))) throw new Refusal(`The folder ${dirname(target)} does not exist.`);
    const live = liveFileNamed(source, target);
    if (live === 'database') throw new Refusal('The backup cannot be the database itself: name another file.');
    if (live) throw new Refusal(`${target} is the live database's ${live} file: name another file.`);
    if (!force && existsSync(target)) throw new Refusal(`${target} exists: name a new file, or add --force to replace it.`);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    process.stderr.write(`${error.message}\n`);
    return error.code;
  }

  // Written beside the target, then moved in: a failed backup never leaves a half-written file under the target's name.
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  let db: Database.Database | undefined;
  try {
    // fileMustExist: a wrong path is an error, not a new empty database. No migrations: a backup changes nothing.
    db = new Database(source, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    // Every page in one step, in one read transaction: WAL lets the bot keep writing meanwhile, and
    // a copy taken in small steps would start over at each of its commits (and might never end).
    const { totalPages } = await db.backup(partial, { progress: () => 0x7fffffff });
    db.close();
    db = undefined;
    if (force) renameSync(partial, target);
    else {
      // Fails if the target appeared meanwhile: never replace what --force was not given for.
      placeWithoutReplacing(partial, target);
      rmSync(partial);
    }
    process.stdout.write(`Backed up ${source} to ${target}: ${size(statSync(target).size)}, ${totalPages} pages.\n`);
    return 0;
  } catch (error) {
    db?.close();
    rmSync(partial, { force: true });
    const message = (error as NodeJS.ErrnoException).code === 'EEXIST' ? `${target} appeared during the backup: nothing replaced.` : (error as Error).message;
    process.stderr.write(`The backup of ${source} failed: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main();
