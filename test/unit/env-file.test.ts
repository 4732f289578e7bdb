import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from '../../src/env-file.js';

const NAMES = ['ENV_FILE_TEST_FROM_FILE', 'ENV_FILE_TEST_SET', 'ENV_FILE_TEST_EMPTY', 'ENV_FILE_TEST_CRON', 'ENV_FILE_TEST_QUOTED'];

describe('.env (process.loadEnvFile in place of dotenv)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
  afterEach(() => {
    for (const name of NAMES) delete process.env[name];
  });

  it('adds what the file sets and overrides nothing the environment sets, even empty', () => {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      [
        '# a comment line, as in .env.example',
        'ENV_FILE_TEST_FROM_FILE=from-file',
        'ENV_FILE_TEST_SET=from-file',
        'ENV_FILE_TEST_EMPTY=from-file',
        'ENV_FILE_TEST_CRON=0 9 * * 1',
        'ENV_FILE_TEST_QUOTED="a # not a comment"',
        '',
      ].join('\n'),
    );
    process.env.ENV_FILE_TEST_SET = 'from-shell';
    process.env.ENV_FILE_TEST_EMPTY = '';
    loadDotEnv(file);
    expect(NAMES.map((n) => process.env[n])).toEqual(['from-file', 'from-shell', '', '0 9 * * 1', 'a # not a comment']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is no error where there is no .env', () => {
    expect(() => loadDotEnv(join(tmpdir(), 'no-such-folder-for-env-file', '.env'))).not.toThrow();
  });
});
