/**
 * `npm start` as a newcomer has it: the real entry point in a child process,
 * from a folder with no .env, with what a first try typically gets wrong.
 * Every run has a deadline: a start that hangs fails the test instead of
 * blocking it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET } from '../support/signed-requests.js';
import { npmStart } from '../support/npm-start.js';
import { SlackStandIn } from '../support/slack-stand-in.js';

// Each run waits mostly on tsx loading the app: run them side by side.
describe.concurrent('the first `npm start`', () => {
  let cwd: string;
  let slack: SlackStandIn;
  beforeAll(async () => {
    // An empty folder, so no .env is read: only the environment given counts.
    cwd = mkdtempSync(join(tmpdir(), 'incident-first-run-'));
    slack = new SlackStandIn();
    await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  // The database check is part of the configuration check, so this is also
  // `DATABASE_URL=/proc/forbidden/x.db npm start`, which used to hang in mkdir.
  it('lists every problem at once, an unusable database included, fast, and exits 1', { timeout: 30_000 }, async () => {
    const run = await npmStart(cwd, { PORT: 'eighty', DATABASE_URL: '/proc/forbidden/x.db' });
    expect(run.hung, 'npm start hung').toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toContain('SLACK_BOT_TOKEN is required');
    expect(run.stderr).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
    expect(run.stderr).toContain('PORT must be a number from 1 to 65535');
    expect(run.stderr).toContain('DATABASE_URL is unusable: could not open the database at /proc/forbidden/x.db: ');
    expect(run.stderr).toContain('.env.example');
    expect(run.stderr).not.toMatch(/expected|received|NaN|at \w+ \(/);
  });

  it('stops with the variable to fix when Slack refuses the token', { timeout: 30_000 }, async () => {
    const run = await npmStart(cwd, { SLACK_BOT_TOKEN: 'xoxb-pasted-wrong', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', DATABASE_URL: './data/refused.db' });
    expect(run.hung, 'npm start hung on a refused token').toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth): ');
    expect(run.stderr).toContain('OAuth & Permissions');
  });
});
