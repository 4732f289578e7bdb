import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { formatDuration, intervalToDuration } from 'date-fns';
import type { HealthRepo } from '../db/health.repo.js';
import type { Clock } from '../domain/ports.js';
import { failing, passing, type ReadinessCheck } from './readiness.js';

/**
 * How long the database probe waits for another writer. better-sqlite3 is
 * synchronous: the wait blocks this thread, so it is short. The bot's own
 * writes hold the lock for well under a millisecond; a lock held this long
 * by someone else already stalls every command (they wait up to busy_timeout).
 */
export const DATABASE_PROBE_WAIT_MS = 250;

/**
 * The least room the database's file system must have left. Between
 * checkpoints the WAL grows to about 4 MiB (SQLite's 1,000 pages) before it
 * is written back into the database file, which may grow as well; with
 * less than this, a burst of declarations can meet SQLITE_FULL.
 */
export const DATABASE_MIN_FREE_BYTES = 16 * 1024 * 1024;

/** Bytes an unprivileged process may still write on the file system holding `folder`. */
export function freeBytesOn(folder: string): number {
  const { bavail, bsize } = statfsSync(folder);
  return bavail * bsize;
}

/**
 * Whether the listeners' connection can write now: BEGIN IMMEDIATE takes the
 * write lock (a locked database fails here, after at most `waitMs`), a write
 * that touches no row makes SQLite check that the file can be written (a
 * read-only one fails here: BEGIN IMMEDIATE alone succeeds on it), and the
 * rollback leaves nothing behind. None of that writes a page, so a full disk
 * passes it while every command fails with SQLITE_FULL: the room left on the
 * database's file system is read too (`freeBytes`, statfs).
 */
export function databaseWriteCheck(sqlite: Database.Database, waitMs = DATABASE_PROBE_WAIT_MS, freeBytes: (folder: string) => number = freeBytesOn): ReadinessCheck {
  // Drizzle's own table: in every migrated database, and no incident data in it.
  const touch = sqlite.prepare('UPDATE __drizzle_migrations SET id = id WHERE 0');
  // The WAL and its index sit beside the file; an in-memory database has no disk to fill.
  const folder = sqlite.memory ? undefined : dirname(sqlite.name);
  return () => {
    if (!sqlite.open) return failing('The database is closed.');
    if (folder !== undefined) {
      let left: number;
      try {
        left = freeBytes(folder);
      } catch (error) {
        return failing(`The database cannot be written: its folder ${folder} cannot be read (${(error as { code?: string }).code ?? String(error)}).`);
      }
      if (left < DATABASE_MIN_FREE_BYTES) {
        return failing(
          `The database cannot be written: the disk holding ${folder} has ${spokenBytes(left)} left, under ${spokenBytes(DATABASE_MIN_FREE_BYTES)} (SQLite refuses writes with SQLITE_FULL as it runs out), so commands may not be recorded.`,
        );
      }
    }
    // better-sqlite3 transactions are synchronous: one open on this connection now is a write under way, which is an answer.
    if (sqlite.inTransaction) return passing;
    const busyTimeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      touch.run();
      return passing;
    } catch (error) {
      return failing(databaseProblem(error, waitMs));
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      sqlite.pragma(`busy_timeout = ${busyTimeout}`);
    }
  };
}

function databaseProblem(error: unknown, waitMs: number): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'SQLITE_BUSY') {
    return `The database cannot be written: another process has held its write lock for over ${spokenDuration(waitMs)} (SQLITE_BUSY), so commands cannot be recorded.`;
  }
  if (code === 'SQLITE_READONLY') return `The database cannot be written: it is read-only (SQLITE_READONLY), so commands cannot be recorded.`;
  return `The database cannot be written: ${String(message ?? error)}${typeof code === 'string' ? ` (${code})` : ''}.`;
}

/**
 * Whether the outbox keeps up: the oldest job not yet delivered (pending, or
 * running under a lease) must be younger than `maxAgeMs`. Its kind is said,
 * never its incident: the route is unauthenticated and incidents may be private.
 */
export function outboxAgeCheck(health: Pick<HealthRepo, 'oldestUnfinishedJob'>, clock: Clock, maxAgeMs: number): ReadinessCheck {
  return async () => {
    const job = await health.oldestUnfinishedJob();
    if (!job) return passing;
    const age = clock.now().getTime() - job.createdAt.getTime();
    if (age <= maxAgeMs) return passing;
    return failing(
      `The oldest undelivered outbox job (${job.kind}) has waited ${spokenDuration(age)}, longer than READY_MAX_OUTBOX_AGE (${spokenDuration(maxAgeMs)}): Slack or PagerDuty is not taking the bot's work.`,
    );
  };
}

/** `0 bytes`, `512 KiB`, `3.2 MiB`: room on a disk, as a person reads it. */
function spokenBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.floor(bytes / 1024)} KiB`;
  return `${(Math.floor((bytes / (1024 * 1024)) * 10) / 10).toFixed(1)} MiB`;
}

/** `250 ms`, `1 minute 5 seconds`, `2 hours 3 minutes` (date-fns, whole seconds). */
export function spokenDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  return formatDuration(intervalToDuration({ start: 0, end: Math.floor(ms / 1_000) * 1_000 }));
}
