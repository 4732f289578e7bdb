/**
 * README, Configuration: a setting that stops the start is named, with what
 * to do. Some are known only once the start gets that far: a PostgreSQL that
 * cannot be reached (SQLite's file is checked with the configuration) and a
 * port another process holds. The real entry point, in a child process, each
 * run with a deadline so that a hang fails instead of blocking.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET } from '../support/signed-requests.js';
import { npmStart } from '../support/npm-start.js';
import { SlackStandIn } from '../support/slack-stand-in.js';

/** A server on a free port of 127.0.0.1. */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe.concurrent('a start stopped by a setting the configuration check cannot see', () => {
  let cwd: string;
  let slack: SlackStandIn;
  let taken: { server: Server; port: number };
  let closedPort: number;
  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'incident-start-errors-'));
    slack = new SlackStandIn();
    await slack.start();
    taken = await listening();
    // A port nobody listens on: bound, then let go.
    const released = await listening();
    closedPort = released.port;
    await new Promise((resolve) => released.server.close(resolve));
  });
  afterAll(async () => {
    await slack.stop();
    await new Promise((resolve) => taken.server.close(resolve));
    rmSync(cwd, { recursive: true, force: true });
  });

  const base = () => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl });

  it('names DATABASE_URL, password starred, when PostgreSQL cannot be reached', { timeout: 30_000 }, async () => {
    const run = await npmStart(cwd, { ...base(), PORT: '0', DATABASE_URL: `postgres://bot:s3cret@127.0.0.1:${closedPort}/incidents` });
    expect(run.hung, 'npm start hung').toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`DATABASE_URL is unusable: could not open the database at postgres://bot:***@127.0.0.1:${closedPort}/incidents: `);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toContain('s3cret');
  });

  it('names PORT when another process holds it', { timeout: 30_000 }, async () => {
    const run = await npmStart(cwd, { ...base(), PORT: String(taken.port), DATABASE_URL: './data/port.db' });
    expect(run.hung, 'npm start hung').toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`The bot could not start: PORT ${taken.port} is taken by another process: stop it, or set PORT to a free port`);
  });
});
