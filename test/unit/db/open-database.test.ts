import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseOpenError, databaseProblem, openDatabase } from '../../../src/db/client.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'incident-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the missing folders, however deep', () => {
    const file = join(dir, 'a', 'b', 'c', 'incidents.db');
    openDatabase(file).$client.close();
    expect(existsSync(file)).toBe(true);
    // And again, with every folder there.
    openDatabase(`file:${file}`).$client.close();
  });

  it('names the path and the reason when a parent is a file', () => {
    writeFileSync(join(dir, 'plain'), 'not a folder');
    const url = join(dir, 'plain', 'sub', 'x.db');
    expect(() => openDatabase(url)).toThrow(new DatabaseOpenError(url, `${join(dir, 'plain')} is a file, not a folder`));
    expect(existsSync(join(dir, 'plain', 'sub'))).toBe(false);
  });

  it('names the path when SQLite cannot open the file, as written (relative paths too)', () => {
    mkdirSync(join(dir, 'data', 'x.db'), { recursive: true });
    const url = relative(process.cwd(), join(dir, 'data', 'x.db'));
    expect(url.startsWith('/')).toBe(false);
    expect(databaseProblem(url)).toBe(`could not open the database at ${url}: unable to open database file`);
    expect(() => openDatabase(`file:${url}`)).toThrow(`could not open the database at ${url}: unable to open database file`);
  });

  it('says a file that is not a database is not one', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'just some text that SQLite cannot read as a database, long enough to have a header');
    expect(databaseProblem(file)).toBe(`could not open the database at ${file}: file is not a database`);
    expect(databaseProblem(join(dir, 'fine.db'))).toBeUndefined();
    expect(databaseProblem(':memory:')).toBeUndefined();
  });

  it('fails at once under /proc, where a recursive mkdir loops forever', () => {
    // In a child process with a deadline: were the loop back, it would block this worker for good.
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', `import('${join(ROOT, 'src/db/client.ts')}').then((m) => process.stdout.write(String(m.databaseProblem('/proc/forbidden/x.db'))))`],
      { cwd: ROOT, encoding: 'utf8', timeout: 15_000 },
    );
    expect(run.signal, 'openDatabase hung on /proc/forbidden/x.db').toBeNull();
    expect(run.stdout).toMatch(/^could not open the database at \/proc\/forbidden\/x\.db: cannot create the folder \/proc\/forbidden: /);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
