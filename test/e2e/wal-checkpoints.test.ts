import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

// SQLite-only, whatever STORE says: WAL checkpoints are SQLite's (PostgreSQL has none to skip or run).

const autoCheckpointPages = (h: Harness) => h.bot.db.$client.pragma('wal_autocheckpoint', { simple: true });

/** Writes about `mb` megabytes through the listeners' connection, in one commit. */
function writeThroughListeners(h: Harness, mb: number): void {
  const sqlite = h.bot.db.$client;
  sqlite.exec('CREATE TABLE IF NOT EXISTS wal_probe (body TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT INTO wal_probe (body) VALUES (?)');
  const chunk = 'x'.repeat(4000);
  sqlite.transaction(() => {
    for (let i = 0; i < mb * 256; i++) insert.run(chunk);
  })();
}

describe('WAL checkpoints', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.stop());

  it('are the outbox thread’s work, never a listener’s commit, and happen even when only the listeners write', async () => {
    h = await Harness.start({ store: 'sqlite', bot: { checkpointEveryMs: 100 } });
    // The listeners' connection never checkpoints after its own commits: no acknowledgement waits on a disk sync.
    expect(autoCheckpointPages(h)).toBe(0);

    // Well over SQLite's 1000-page threshold, written by the listeners alone while the outbox has nothing to do.
    const before = statSync(h.databaseFile).size;
    writeThroughListeners(h, 6);
    // The outbox thread copies it into the database file on its own schedule.
    await expect.poll(() => statSync(h!.databaseFile).size, { timeout: 5_000 }).toBeGreaterThan(before + 5_000_000);

    // And the bot still works end to end.
    await h.command('declare sev3 Checkpoint check', { userId: 'U0ALICE' });
    await h.settle();
    expect((await h.incidentChannel(1)).pins.size).toBe(1);
  });

  it('fall back to the listeners’ connection when the outbox thread is gone', async () => {
    h = await Harness.start({ store: 'sqlite', bot: { checkpointEveryMs: 60_000 } });
    expect(autoCheckpointPages(h)).toBe(0);
    await h.bot.worker.terminate();
    await expect.poll(() => autoCheckpointPages(h!), { timeout: 5_000 }).toBe(1000);
  });
});
