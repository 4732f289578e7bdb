import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackStandIn } from './slack-stand-in.js';

/**
 * A Slack stand-in and a database file that outlive one bot: for restarts,
 * takeovers and two instances on one database. `dispose` removes both.
 */
export async function sharedWorld(): Promise<{ slack: SlackStandIn; databaseFile: string; dispose(): Promise<void> }> {
  const slack = new SlackStandIn();
  await slack.start();
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-world-'));
  return {
    slack,
    databaseFile: join(dir, 'incidents.db'),
    async dispose() {
      await slack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
