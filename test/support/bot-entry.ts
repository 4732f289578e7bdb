/**
 * src/index.ts with BotOptions: the real bot (createBot, its outbox thread,
 * its HTTP server) in a process of its own, given the settings `npm start`
 * has no variable for, as JSON in INCIDENT_BOT_TEST_OPTIONS. The outbox and
 * digest leases (60 s and 120 s) and the 30 s digest check would make a test
 * of one replica taking over from a dead one wait minutes.
 * Run by test/support/bot-process.ts when it is given `botOptions`.
 */
import type { BotOptions } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { databaseProblem } from '../../src/db/open-store.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { database: databaseProblem });
  const options = JSON.parse(process.env.INCIDENT_BOT_TEST_OPTIONS ?? '{}') as BotOptions;
  const { createBot } = await import('../../src/bot.js');
  const bot = createBot(config, options);
  process.on('unhandledRejection', (reason) => bot.logger.error({ err: reason }, 'unhandled rejection'));
  const stop = (signal: string) => {
    bot.logger.info({ signal }, 'stopping');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        bot.logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await bot.start();
}

main().catch((error: unknown) => {
  console.error('The bot could not start:', error instanceof Error ? error.stack : error);
  process.exit(1);
});
