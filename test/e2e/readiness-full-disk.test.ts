import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

/**
 * A disk that fills up, caused for real: the bot's database on a small tmpfs
 * of its own, then a file that takes nearly all the room left. Mounting needs
 * root (and a kernel that lets this container mount); elsewhere the file is
 * skipped with one line, and the check's rule is covered with the room given
 * by hand in test/unit/http/readiness-checks.test.ts.
 */
const SIZE_MIB = 32;

function mountSmallDisk(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const folder = mkdtempSync(join(tmpdir(), 'incident-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MIB}m`, 'tmpfs', folder], { stdio: 'ignore' });
    return folder;
  } catch {
    rmSync(folder, { recursive: true, force: true });
    return undefined;
  }
}

const disk = mountSmallDisk();
if (!disk) console.log('readiness-full-disk: skipped, mounting a small tmpfs (to fill it) needs root and a kernel that allows the mount');

const freeBytes = (folder: string) => {
  const { bavail, bsize } = statfsSync(folder);
  return bavail * bsize;
};

describe.skipIf(!disk)('/readyz on a disk that fills up', () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.stop();
    execFileSync('umount', [disk!]);
    rmSync(disk!, { recursive: true, force: true });
  });

  it('is unready while the database’s disk has less than 16 MiB left, where a write fails with SQLITE_FULL, and ready once room is made', async () => {
    h = await Harness.start({ store: 'sqlite', databaseFile: join(disk!, 'incidents.db') });
    const readyz = async () => {
      const res = await fetch(`${h!.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { reasons?: string[]; checks: Record<string, string> } };
    };
    expect((await readyz()).status).toBe(200);

    // All the room but 256 KiB taken (tmpfs counts whole pages: what is asked is what is left).
    const filler = join(disk!, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(disk!) - 256 * 1024));
    const full = await readyz();
    expect(full.status).toBe(503);
    expect(full.body.checks.database).toBe('failing');
    expect(full.body.reasons).toEqual([
      `The database cannot be written: the disk holding ${disk} has 256 KiB left, under 16.0 MiB (SQLite refuses writes with SQLITE_FULL as it runs out), so commands may not be recorded.`,
    ]);

    // What the check warns of: with the last of the room gone, SQLite refuses a write.
    writeFileSync(join(disk!, 'the-rest'), Buffer.alloc(freeBytes(disk!)));
    const other = new Database(h.databaseFile);
    try {
      expect(() => other.exec('CREATE TABLE readiness_full_disk_probe (x TEXT); INSERT INTO readiness_full_disk_probe VALUES (randomblob(100000))')).toThrow(
        expect.objectContaining({ code: 'SQLITE_FULL' }),
      );
    } finally {
      other.close();
    }

    unlinkSync(filler);
    unlinkSync(join(disk!, 'the-rest'));
    expect((await readyz()).status).toBe(200);
  });
});
