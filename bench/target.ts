/**
 * A process under benchmark: `bot` is the real incident bot (createBot) on
 * SQLite in a temporary folder, `bot-postgres` the same bot on the PostgreSQL
 * database whose URL the driver passes after the Slack API URL, `bare` is a
 * Bolt app that only acknowledges /incident, as Bolt ships, and
 * `floor-client` / `floor-http` are the set-up floor (floor-app.ts), `sink` the
 * alert storm's (bare-webhook-sink.ts). Each prints
 * its port as a JSON line on stdout and serves until killed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bolt from '@slack/bolt';
import { pino } from 'pino';
import { createBot } from '../src/bot.js';
import { startFloorApp } from './floor-app.js';
import { startWebhookSink } from './bare-webhook-sink.js';
import { loadConfig } from '../src/config.js';
import { BOT_TOKEN } from '../test/support/slack-stand-in.js';
import { SIGNING_SECRET } from '../test/support/signed-requests.js';

const [mode, slackApiUrl, postgresUrl] = process.argv.slice(2);
/**
 * Settings the driver gives one bot as BENCH_<NAME> (the SLO section's): prefixed,
 * so a PROMETHEUS_URL exported in the shell does not leak into the other sections' bots.
 */
const PASSED_SETTINGS = ['SLO_FILES', 'PROMETHEUS_URL', 'PROMETHEUS_TIMEOUT', 'SLO_REFRESH', 'ALERTMANAGER_WEBHOOK_TOKEN'] as const;
/** The bot's database folder, removed when the benchmark ends this process. */
let tempDir: string | undefined;

async function main(): Promise<void> {
  if (mode === 'floor-client' || mode === 'floor-http') {
    const port = await startFloorApp(slackApiUrl!, mode === 'floor-client' ? 'client' : 'http');
    process.stdout.write(`${JSON.stringify({ port })}\n`);
    return;
  }
  if (mode === 'sink') {
    process.stdout.write(`${JSON.stringify({ port: await startWebhookSink() })}\n`);
    return;
  }
  if (mode === 'bare') {
    const app = new bolt.App({ token: BOT_TOKEN, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl }, logLevel: bolt.LogLevel.ERROR });
    app.command('/incident', async ({ ack }) => {
      await ack();
    });
    const server = (await app.start(0)) as unknown as { address(): { port: number } };
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
    return;
  }
  if (mode === 'bot-postgres' && !postgresUrl) throw new Error('bot-postgres needs a postgres:// URL after the Slack API URL');
  const databaseUrl = mode === 'bot-postgres' ? postgresUrl! : sqliteFile();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
    DATABASE_URL: databaseUrl,
    INCIDENT_ANNOUNCE_CHANNEL: 'C0ANNOUNCE',
    PORT: '0',
    // The outbox thread's logger reads the config; the listeners' is set below: both alike.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    ...Object.fromEntries(PASSED_SETTINGS.flatMap((name) => (process.env[`BENCH_${name}`] ? [[name, process.env[`BENCH_${name}`]]] : []))),
  });
  const bot = createBot(config, { logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }, pino.destination(2)), host: '127.0.0.1' });
  const port = await bot.start();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

/** A SQLite file in a fresh temporary folder, removed on exit. */
function sqliteFile(): string {
  tempDir = mkdtempSync(join(tmpdir(), 'incident-bench-'));
  return join(tempDir, 'incidents.db');
}

process.on('exit', () => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
