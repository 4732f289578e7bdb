/**
 * A stop in Socket Mode on PostgreSQL, where a command's transaction waits on
 * the network: a declaration already in hand when the stop begins is
 * committed, and its acknowledgement still reaches Slack before the socket
 * closes. Closing the socket first left it recorded and unanswered: the
 * sender saw it fail, typed it again, and got a second incident.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { INCIDENT_NUMBER_LOCK_KEY } from '../../src/db/postgres/incidents.repo.js';
import { Harness } from '../support/harness.js';
import { releaseHarnessPostgres } from '../support/harness-postgres.js';
import { postgresAvailable } from '../support/postgres-server.js';
import { APP_TOKEN } from '../support/slack-stand-in.js';
import { slashCommandPayload } from '../support/signed-requests.js';
import { count } from '../support/store-sql.js';

const settledWithin = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

const declareEnvelope = (text: string) => slashCommandPayload({ text, responseUrl: 'https://hooks.slack.test/commands/1', triggerId: `trigger-${text.length}` });

describe.skipIf(!postgresAvailable('Socket Mode stop on PostgreSQL'))('stopping in Socket Mode with a declaration in its transaction', () => {
  let h: Harness | undefined;
  let locker: pg.Client | undefined;
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    await h?.stop().catch(() => undefined);
  });
  afterAll(() => releaseHarnessPostgres(), 30_000);

  it('acknowledges it before the socket closes, and leaves what arrives after the stop began for Slack to send again', async () => {
    h = await Harness.start({ store: 'postgres', env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } });
    // Another session holds the incident number's lock: the declaration waits inside its transaction.
    locker = new pg.Client({ connectionString: h.bot.config.database.url });
    await locker.connect();
    await locker.query('SELECT pg_advisory_lock($1::bigint)', [INCIDENT_NUMBER_LOCK_KEY]);
    const acked = h.slack.deliverOverSocket('slash_commands', declareEnvelope('declare sev1 Checkout errors spiking'));
    await expect.poll(async () => count(h!, "select count(*) from pg_locks where locktype = 'advisory' and not granted"), { timeout: 5_000 }).toBe(1);

    const stopping = h.bot.stop();
    // Arriving once the stop began: neither answered nor applied.
    const late = h.slack.deliverOverSocket('slash_commands', declareEnvelope('declare sev2 Arrived during the stop'));
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.socketCount).toBe(1);
    await locker.query('SELECT pg_advisory_unlock($1::bigint)', [INCIDENT_NUMBER_LOCK_KEY]);

    expect(await settledWithin(acked, 3_000)).toBe(true);
    expect(((await acked) as { payload?: { text?: string } }).payload?.text).toContain('Declaring');
    await stopping;
    expect(h.slack.socketCount).toBe(0);
    expect(await settledWithin(late, 50)).toBe(false);
  }, 30_000);
});
