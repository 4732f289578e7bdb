import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_DATABASE_URL, freshDemoDatabase, postmortemCommand } from '../../../scripts/demo-database.js';
import { databasePath } from '../../../src/db/client.js';

describe('the demo database', () => {
  const root = mkdtempSync(join(tmpdir(), 'incident-demo-'));
  afterEach(() => rmSync(join(root, 'data'), { recursive: true, force: true }));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is the file the suggested postmortem command reads, from the repository root', () => {
    const command = postmortemCommand(1);
    expect(command).toBe('DATABASE_URL=./data/demo.db npm run postmortem -- 1');
    const url = /^DATABASE_URL=(\S+) /.exec(command)![1]!;
    expect(url).toBe(DEMO_DATABASE_URL);
    // npm runs scripts from the repository root: that is where the relative path resolves.
    expect(resolve(root, databasePath(url))).toBe(freshDemoDatabase(root));
  });

  it('starts empty at each demo: the last one, and its WAL files, are removed', () => {
    const file = join(root, 'data', 'demo.db');
    mkdirSync(join(root, 'data'), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${file}${suffix}`, 'last demo');
    writeFileSync(join(root, 'data', 'incidents.db'), 'the real one');
    expect(freshDemoDatabase(root)).toBe(file);
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(`${file}${suffix}`)).toBe(false);
    expect(existsSync(join(root, 'data', 'incidents.db'))).toBe(true);
    // Nothing there yet is fine too.
    expect(freshDemoDatabase(root)).toBe(file);
  });
});
